"""One switch for scripts that run no Nornir: the catlic workflows as methods, in the NAPALM/netmiko manner.

::

    from nornir_catlic import CatalystSwitch

    with CatalystSwitch(host="10.0.0.5", username="admin", password=..., secret=...) as switch:
        state = switch.license_state()                          # LicenseState
        install = switch.install_slac(mode="online", dry_run=True)  # SlacInstall: the plan, nothing sent

Each method runs the Nornir task of the same workflow (``install_slac`` runs
:func:`~nornir_catlic.tasks.slac.catlic_install_slac`) on a Nornir of one host, built in memory: the same
arguments, dry run, journal, host lock and netmiko session as a Nornir run, because it is one. The method
returns the task's typed result (``Result.result``) and raises the task's own exception
(:class:`~nornir_catlic.errors.CatlicError` and its children) instead of returning a failed MultiResult.
Arguments are judged before any device is touched, as ``catlic`` judges ``-a`` options
(:func:`~nornir_catlic.tasks.arguments.check_arguments`): a bad one raises PrerequisiteError.

The session opens at the first method call and stays open for the next ones until :meth:`CatalystSwitch.close`
(or the end of the ``with`` block). :meth:`CatalystSwitch.from_netmiko` works on a netmiko connection the
script already holds, and leaves it open.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from nornir.core import Nornir
from nornir.core.exceptions import NornirSubTaskError
from nornir.core.inventory import ConnectionOptions, Defaults, Groups, Host, Hosts, Inventory
from nornir.core.plugins.connections import ConnectionPluginRegister
from nornir.core.state import GlobalState
from nornir.core.task import MultiResult, Result, Task
from nornir.plugins.runners import SerialRunner
from nornir_netmiko.connections import CONNECTION_NAME, Netmiko
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from nornir_catlic.errors import CatlicError, PrerequisiteError
from nornir_catlic.models.state import LicenseState
from nornir_catlic.tasks import (
    BootLevelChange,
    DeviceAudit,
    HseckCheck,
    HsecRelease,
    SlacInstall,
    SlacReturn,
    StackAddition,
    UsageReport,
    catlic_add_stack_member,
    catlic_audit,
    catlic_check_hseck9,
    catlic_get_license_state,
    catlic_install_slac,
    catlic_release_hsec,
    catlic_report_usage,
    catlic_return_slac,
    catlic_set_boot_level,
    netmiko_connection_options,
)
from nornir_catlic.tasks.arguments import check_arguments

if TYPE_CHECKING:
    from netmiko import BaseConnection

Arguments = ParamSpec("Arguments")
ResultT = TypeVar("ResultT", bound=BaseModel)

# A script that configured no logging would otherwise get Nornir's copy of every raised error on stderr.
logging.getLogger("nornir").addHandler(logging.NullHandler())
if CONNECTION_NAME not in ConnectionPluginRegister.available:  # what InitNornir would register for us
    ConnectionPluginRegister.register(CONNECTION_NAME, Netmiko)


def _name(task: Callable[..., Any]) -> str:
    return str(getattr(task, "__name__", task))


class SwitchLogin(BaseModel):
    """Where a switch listens and how to log in; the password and enable secret never show in a repr."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = Field(min_length=1)
    port: int = Field(default=22, ge=1, le=65535)
    username: str = Field(min_length=1)
    password: SecretStr
    secret: SecretStr | None = None
    """The enable secret, when the login lands in user EXEC (``Switch>``)."""


class WorkflowMethod(Generic[Arguments, ResultT]):
    """A method of :class:`CatalystSwitch` that runs ``task`` and returns its ``returns`` result.

    The method takes the task's own arguments (all but ``task``), so the two cannot drift apart.
    """

    def __init__(self, task: Callable[Concatenate[Task, Arguments], Result], returns: type[ResultT]) -> None:
        self.task = task
        self.returns = returns
        self.__name__ = _name(task)
        self.__doc__ = (
            f"Run ``{_name(task)}`` on this switch and return its {returns.__name__}; raises its errors.\n\n"
            f"{inspect.getdoc(task) or ''}"
        )
        arguments = list(inspect.signature(task).parameters.values())[1:]
        self.method_signature = inspect.Signature(arguments, return_annotation=returns)
        switch = inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)
        self.__signature__ = self.method_signature.replace(parameters=[switch, *arguments])

    def __set_name__(self, owner: type, name: str) -> None:
        self.__name__ = name

    def __call__(
        self, switch: CatalystSwitch, /, *args: Arguments.args, **kwargs: Arguments.kwargs
    ) -> ResultT:
        return switch.run(self.task, self.returns, *args, **kwargs)

    @overload
    def __get__(self, switch: None, owner: type) -> WorkflowMethod[Arguments, ResultT]: ...

    @overload
    def __get__(self, switch: CatalystSwitch, owner: type) -> Callable[Arguments, ResultT]: ...

    def __get__(
        self, switch: CatalystSwitch | None, owner: type
    ) -> WorkflowMethod[Arguments, ResultT] | Callable[Arguments, ResultT]:
        if switch is None:
            return self

        def method(*args: Arguments.args, **kwargs: Arguments.kwargs) -> ResultT:
            return self(switch, *args, **kwargs)

        method.__name__ = method.__qualname__ = self.__name__
        method.__doc__ = self.__doc__
        method.__signature__ = self.method_signature  # type: ignore[attr-defined]  # what help() shows
        return method


class CatalystSwitch:
    """A Catalyst 9000 switch reached over SSH with netmiko, and the licensing workflows to run on it.

    Args:
        host: the switch's address (name or IP).
        username, password: the SSH login.
        secret: the enable secret, when the login lands in user EXEC.
        port: the SSH port.
        name: the name results, the journal and the host lock know the switch by (default ``host``, or
            ``host:port`` on a port other than 22). Give the inventory's name to resume a run ``catlic``
            journaled.
        dry_run: every method plans without changing anything, unless a call says ``dry_run=False``
            (as ``InitNornir(dry_run=True)``).
        data: host data the tasks read: ``supervisor_pids`` of a C9400/C9600 chassis, ``clock_zones``.
        netmiko_options: more arguments for netmiko's ``ConnectHandler`` (``use_keys``, ``key_file``,
            ``conn_timeout``...), over the ones catlic recommends.

    Raises:
        PrerequisiteError: an address, port or login that cannot be right (before anything is sent).
    """

    license_state = WorkflowMethod(catlic_get_license_state, LicenseState)
    audit = WorkflowMethod(catlic_audit, DeviceAudit)
    check_hseck9 = WorkflowMethod(catlic_check_hseck9, HseckCheck)
    set_boot_level = WorkflowMethod(catlic_set_boot_level, BootLevelChange)
    install_slac = WorkflowMethod(catlic_install_slac, SlacInstall)
    return_slac = WorkflowMethod(catlic_return_slac, SlacReturn)
    release_hsec = WorkflowMethod(catlic_release_hsec, HsecRelease)
    report_usage = WorkflowMethod(catlic_report_usage, UsageReport)
    add_stack_member = WorkflowMethod(catlic_add_stack_member, StackAddition)
    """``standalone=`` (standalone-first) takes the standalone's CatalystSwitch."""

    def __init__(
        self,
        host: str,
        *,
        username: str,
        password: str,
        secret: str | None = None,
        port: int = 22,
        name: str | None = None,
        dry_run: bool = False,
        data: Mapping[str, Any] | None = None,
        netmiko_options: Mapping[str, Any] | None = None,
    ) -> None:
        self._login = _login(host=host, port=port, username=username, password=password, secret=secret)
        self.name = name or (host if self._login.port == 22 else f"{host}:{self._login.port}")
        self._lent: BaseConnection | None = None
        self._close_lent = False
        secret_text = self._login.secret.get_secret_value() if self._login.secret else None
        options = netmiko_connection_options(secret=secret_text)[CONNECTION_NAME]
        extras = {**options["extras"], **(netmiko_options or {})}
        self._host = Host(
            name=self.name,
            hostname=self._login.host,
            port=self._login.port,
            username=self._login.username,
            password=self._login.password.get_secret_value(),
            platform=options["platform"],
            data=dict(data or {}),
            connection_options={
                CONNECTION_NAME: ConnectionOptions(platform=options["platform"], extras=extras)
            },
        )
        inventory = Inventory(hosts=Hosts({self.name: self._host}), groups=Groups(), defaults=Defaults())
        self._nornir = Nornir(inventory=inventory, data=GlobalState(dry_run=dry_run), runner=SerialRunner())

    @classmethod
    def from_netmiko(
        cls,
        connection: BaseConnection,
        *,
        name: str | None = None,
        close: bool = False,
        dry_run: bool = False,
        data: Mapping[str, Any] | None = None,
    ) -> CatalystSwitch:
        """The switch behind a netmiko connection the script already opened (``netmiko.ConnectHandler``).

        The workflows type on that very session. It stays open when the switch is closed, unless ``close``:
        the script that opened it closes it. A reload (``set_boot_level(reload=True)``) or a dropped session
        ends it; the switch then opens a session of its own with the same login, and closes that one.
        """
        switch = cls(
            connection.host,
            username=connection.username,
            password=connection.password or "",
            secret=connection.secret or None,
            port=connection.port,
            name=name,
            dry_run=dry_run,
            data=data,
        )
        plugin = Netmiko()
        plugin.connection = connection
        switch._host.connections[CONNECTION_NAME] = plugin
        switch._lent, switch._close_lent = connection, close
        return switch

    @property
    def dry_run(self) -> bool:
        """Whether the methods plan only, unless a call says otherwise."""
        return bool(self._nornir.data.dry_run)

    def run(
        self,
        task: Callable[..., Result],
        returns: type[ResultT],
        *args: Any,
        **kwargs: Any,
    ) -> ResultT:
        """Run any catlic task (or one of your own returning a ``returns`` model) on this switch.

        Raises:
            PrerequisiteError: arguments the task would refuse, judged before any device is touched.
            CatlicError: the task's own failure, as the task raised it.
        """
        arguments = _by_name(task, args, kwargs)
        arguments = {key: _nornir_value(value) for key, value in arguments.items()}
        checked, problems = check_arguments(task, arguments)
        if problems:
            listed = "; ".join(str(problem) for problem in problems)
            raise PrerequisiteError(f"{self.name}: {_name(task)}: {listed}")
        self._nornir.data.reset_failed_hosts()
        results = self._nornir.run(task=task, on_failed=True, **checked)
        outcome = results[self.name]
        if outcome.failed:
            raise _first_error(outcome)
        value = outcome[0].result
        if not isinstance(value, returns):
            got = type(value).__name__
            raise CatlicError(f"{self.name}: {_name(task)} returned {got}, not {returns.__name__}")
        return value

    def close(self) -> None:
        """Close the session (a lent netmiko connection stays open unless ``from_netmiko(close=True)``)."""
        plugin = self._host.connections.get(CONNECTION_NAME)
        if plugin is not None and plugin.connection is self._lent and not self._close_lent:
            self._host.connections.pop(CONNECTION_NAME)
        for opened in list(self._host.connections):
            try:
                self._host.close_connection(opened)
            except Exception:  # the transport is already gone; nothing left to close cleanly
                self._host.connections.pop(opened, None)

    def __enter__(self) -> CatalystSwitch:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        login = self._login
        where = f"host={login.host!r}, port={login.port}, username={login.username!r}"
        return f"CatalystSwitch(name={self.name!r}, {where})"


def _login(**given: Any) -> SwitchLogin:
    """The login validated; the error names each field and what is wrong, never the value given."""
    try:
        return SwitchLogin(**given)
    except ValidationError as error:
        reasons = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise PrerequisiteError(f"CatalystSwitch: {reasons}") from None


def _by_name(task: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """The arguments given, by parameter name (positional ones too), as Nornir passes them to the task."""
    parameters = list(inspect.signature(task).parameters)[1:]
    if len(args) > len(parameters):
        raise PrerequisiteError(f"{_name(task)}: {len(args)} positional arguments for {len(parameters)}")
    positional = dict(zip(parameters, args, strict=False))
    twice = sorted(set(positional) & set(kwargs))
    if twice:
        raise PrerequisiteError(f"{_name(task)}: {', '.join(twice)} given twice (by position and by name)")
    return {**positional, **kwargs}


def _nornir_value(value: Any) -> Any:
    """A CatalystSwitch given as an argument (the standalone of a stack addition) as its Nornir host."""
    return value._host if isinstance(value, CatalystSwitch) else value


def _first_error(outcome: MultiResult) -> BaseException:
    """The error the task raised; a failed sub-step's own error when Nornir wrapped it."""
    error = outcome[0].exception or CatlicError(str(outcome[0].result))
    while isinstance(error, NornirSubTaskError):
        inner = next((r.exception for r in error.result if r.exception is not None), None)
        if inner is None:
            break
        error = inner
    return error
