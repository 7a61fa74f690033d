"""What a SLAC workflow reads back from the switch: per-UDI authorizations, and the syslog it just printed.

``show license authorization`` tells, per UDI, whether a SLAC is installed, its confirmation code and the
last return code. ``show logging`` tells why an install failed (``AUTHORIZATION_INSTALL_FAILED ...:
ERROR_ALL_COUNTS_IN_USE``) or that SSM could not be reached (``COMM_FAILED``); :class:`LogWatch` keeps only
the messages printed since it started watching.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from nornir.core.task import Task

from nornir_catlic.errors import WorkflowFailed
from nornir_catlic.models.license import LicenseAuthorization, SlacStatus
from nornir_catlic.models.syslog import SyslogEvent, SyslogLog
from nornir_catlic.rules.commands import SlacScope, license_sync_command
from nornir_catlic.transport import run_exec, show

SHOW_AUTHORIZATION = "show license authorization"
SHOW_LOGGING = "show logging"

INSTALL_FAILED = ("SMART_LIC", "AUTHORIZATION_INSTALL_FAILED")
COMM_FAILED = ("SMART_LIC", "COMM_FAILED")


def read_authorization(task: Task) -> LicenseAuthorization:
    """``show license authorization``, parsed (a DEBUG sub-task)."""
    return show(task, SHOW_AUTHORIZATION, LicenseAuthorization)


def confirmation_codes(authorization: LicenseAuthorization) -> dict[str, str]:
    """UDI -> confirmation code of every UDI holding a SLAC (a dual-supervisor chassis: one entry)."""
    codes: dict[str, str] = {}
    for member in authorization.members.values():
        if member.status is SlacStatus.INSTALLED and member.last_confirmation_code:
            codes[str(member.udi)] = member.last_confirmation_code
    return codes


def return_codes(authorization: LicenseAuthorization) -> dict[str, str]:
    """UDI -> ``Last return code`` of every UDI that printed one."""
    return {
        str(member.udi): member.last_return_code
        for member in authorization.members.values()
        if member.last_return_code
    }


def _event_key(event: SyslogEvent) -> tuple[object, ...]:
    stamp = event.timestamp.model_dump_json() if event.timestamp is not None else None
    return (stamp, event.sequence, event.uptime_stamp, event.tag, event.text)


@dataclass
class LogWatch:
    """The syslog messages a switch printed after :meth:`start` (``show logging`` read before and after)."""

    seen: Counter[tuple[object, ...]] = field(default_factory=Counter)

    @classmethod
    def start(cls, task: Task) -> LogWatch:
        watch = cls()
        watch.seen.update(_event_key(event) for event in show(task, SHOW_LOGGING, SyslogLog).events)
        return watch

    def new_events(self, task: Task) -> list[SyslogEvent]:
        """Messages printed since the start (or the last call), oldest first."""
        events = show(task, SHOW_LOGGING, SyslogLog).events
        remaining = Counter(self.seen)
        fresh: list[SyslogEvent] = []
        for event in events:
            key = _event_key(event)
            if remaining[key] > 0:
                remaining[key] -= 1
            else:
                fresh.append(event)
                self.seen[key] += 1
        return fresh


def install_failures(events: Iterable[SyslogEvent], udis: Iterable[str]) -> dict[str, SyslogEvent]:
    """UDI -> its ``AUTHORIZATION_INSTALL_FAILED`` message, for the UDIs asked about."""
    wanted = set(udis)
    return {
        str(event.udi): event
        for event in events
        if event.is_(*INSTALL_FAILED) and event.udi is not None and str(event.udi) in wanted
    }


def communication_failures(events: Iterable[SyslogEvent]) -> list[SyslogEvent]:
    return [event for event in events if event.is_(*COMM_FAILED)]


def sync_with_ssm(task: Task, commands: list[str], *, failure: str, remedy: str) -> None:
    """``license smart sync all`` (appended to ``commands``), then check the switch did reach SSM.

    Raises:
        WorkflowFailed: the switch printed ``COMM_FAILED`` meanwhile (``failure`` and its messages).
    """
    watch = LogWatch.start(task)
    command = license_sync_command(SlacScope.ALL)
    commands.append(command)
    run_exec(task, command)
    failed = communication_failures(watch.new_events(task))
    if failed:
        raise WorkflowFailed(
            task.host.name, failure, device_words="\n".join(str(event) for event in failed), remedy=remedy
        )


def wait_until(
    check: Callable[[], bool], *, timeout: float, first_pause: float = 0.2, longest_pause: float = 2.0
) -> bool:
    """Call ``check`` until it is true or ``timeout`` seconds passed; pauses grow from ``first_pause``.

    A switch installs a SLAC when SSM answers, on its own schedule: there is no event to wait on over SSH.
    """
    deadline = time.monotonic() + timeout
    pause = first_pause
    while True:
        if check():
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        time.sleep(min(pause, remaining))
        pause = min(pause * 2, longest_pause)
