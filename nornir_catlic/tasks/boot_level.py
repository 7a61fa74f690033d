"""``catlic_set_boot_level``: the guide's "Configure Base and Add-On Licenses", safely and idempotently.

Only the permitted combinations of Figure 1 are configured (Network Advantage + DNA Essentials only with an
explicit ``renewal=True``). ``show version`` is read first: a level already configured and saved is left
alone (``changed=False``). Otherwise ``license boot level ...`` is configured and saved, so the
``Technology-package Next reboot`` column shows it; with ``reload=True`` the device is reloaded, awaited,
and ``show version`` must show the level running.
"""

from __future__ import annotations

from nornir.core.task import Result, Task
from pydantic import BaseModel, Field, NonNegativeFloat

from nornir_catlic.domain import AddOn, BaseLicense, BootLevel
from nornir_catlic.errors import DeviceCommandError, PrerequisiteError
from nornir_catlic.models.platform import ShowVersion
from nornir_catlic.models.state import boot_level_of
from nornir_catlic.rules.commands import boot_level_command
from nornir_catlic.tasks.declarations import checks_arguments, honours_dry_run
from nornir_catlic.tasks.exclusive import writes_to_switch
from nornir_catlic.tasks.preconditions import predicts_failures
from nornir_catlic.tasks.state import SHOW_VERSION
from nornir_catlic.transport import RELOAD_TIMEOUT, Plan, show


class BootLevelChange(BaseModel):
    """What the boot-level workflow found and did on one device.

    Attributes:
        wanted: the requested level.
        running_before / next_reload_before: ``show version`` before anything was sent.
        running / next_reload: ``show version`` at the end (the same as before on a dry run).
        reloaded: the device was reloaded and came back.
        pending_reload: the wanted level is saved but runs only after a reload.
        commands: the lines sent (or, on a dry run, that would be sent).
    """

    host: str
    wanted: BootLevel
    running_before: BootLevel | None = None
    next_reload_before: BootLevel | None = None
    running: BootLevel | None = None
    next_reload: BootLevel | None = None
    reloaded: bool = False
    pending_reload: bool = False
    dry_run: bool = False
    commands: list[str] = Field(default_factory=list)


def plan_boot_level(wanted: BootLevel, version: ShowVersion, command: str, *, reload: bool) -> Plan:
    """The commands that bring ``version``'s device to ``wanted``: nothing when it is already there."""
    running = boot_level_of(version.packages_current)
    next_reload = boot_level_of(version.packages_next_reboot)
    plan = Plan()
    if next_reload != wanted:
        plan.configure([command], reason=f"boot level {wanted} (takes effect after a reload)")
        plan.save(reason="save, so that the level is the one used at the next reload")
    if reload and running != wanted:
        plan.reload(reason=f"reload to run {wanted}")
    return plan


def _wanted_level(base: BaseLicense | str, addon: AddOn | str | None) -> BootLevel:
    try:
        return BootLevel(base=BaseLicense(base), addon=AddOn(addon) if addon is not None else None)
    except ValueError as err:
        bases = ", ".join(b.value for b in BaseLicense)
        addons = ", ".join(a.value for a in AddOn)
        raise PrerequisiteError(
            f"unknown boot level {base!r} / {addon!r}: bases are {bases}; add-ons {addons}"
        ) from err


def check_boot_level_arguments(
    base: BaseLicense | str, addon: AddOn | str | None = None, renewal: bool = False, **_: object
) -> None:
    """The guide's permitted combinations (Figure 1), judged without a device."""
    wanted = _wanted_level(base, addon)
    boot_level_command(wanted.base, wanted.addon, renewal=renewal)


@honours_dry_run
@checks_arguments(check_boot_level_arguments)
@writes_to_switch
@predicts_failures
def catlic_set_boot_level(
    task: Task,
    base: BaseLicense | str,
    addon: AddOn | str | None = None,
    renewal: bool = False,
    reload: bool = False,
    dry_run: bool | None = None,
    reload_timeout: NonNegativeFloat = RELOAD_TIMEOUT,
) -> Result:
    """Nornir task: set ``license boot level``; ``Result.result`` is a :class:`BootLevelChange`.

    Args:
        base: ``network-essentials`` or ``network-advantage``.
        addon: ``dna-essentials``, ``dna-advantage`` or None.
        renewal: confirm that Network Advantage + DNA Essentials is a DNA license renewal (Figure 1 allows the
            combination only then).
        reload: reload the device when the running level differs, wait for it, and verify.
        dry_run: plan only; defaults to the Nornir run's dry_run.

    Raises:
        PrerequisiteError: a combination the guide does not permit (before anything is sent).
        DeviceCommandError: the device refused a line, or ``show version`` does not show the level after.
    """
    wanted = _wanted_level(base, addon)
    command = boot_level_command(wanted.base, wanted.addon, renewal=renewal)
    version = show(task, SHOW_VERSION, ShowVersion)
    if not version.technology_packages:
        raise DeviceCommandError(
            task.host.name,
            SHOW_VERSION,
            "no Technology Package License Information: the level cannot be verified",
        )
    change = BootLevelChange(
        host=task.host.name,
        wanted=wanted,
        running_before=boot_level_of(version.packages_current),
        next_reload_before=boot_level_of(version.packages_next_reboot),
        dry_run=task.is_dry_run(dry_run),
    )
    plan = plan_boot_level(wanted, version, command, reload=reload)
    change.commands = plan.commands()

    if change.dry_run or not plan:
        change.running, change.next_reload = change.running_before, change.next_reload_before
        change.pending_reload = change.next_reload == wanted and change.running != wanted
        return Result(host=task.host, result=change, changed=bool(plan), diff=plan.render())

    plan.run(task, reload_timeout=reload_timeout)
    change.reloaded = any(step.commands == ("reload",) for step in plan.steps)
    after = show(task, SHOW_VERSION, ShowVersion)
    change.running = boot_level_of(after.packages_current)
    change.next_reload = boot_level_of(after.packages_next_reboot)
    change.pending_reload = change.next_reload == wanted and change.running != wanted
    expected_field, seen = (
        ("running", change.running) if change.reloaded else ("next reboot", change.next_reload)
    )
    if seen != wanted:
        raise DeviceCommandError(
            task.host.name,
            SHOW_VERSION,
            f"after the change the {expected_field} level is {seen or 'unknown'}, not {wanted}",
        )
    return Result(host=task.host, result=change, changed=True, diff=plan.render())
