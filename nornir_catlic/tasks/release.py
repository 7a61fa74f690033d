"""``catlic_release_hsec``: release an HSECK9 key that stays IN USE after its feature was unconfigured.

The guide (Returning a SLAC, before you begin): when ``show license summary`` still shows the C9K HSEC key
IN USE with the cryptographic feature disabled, release it forcibly in global configuration mode with
``platform hsec-license-release`` (C9300X, C9400X-SUP-2/2XL) or ``platform wanmacsec hsec-license-release``
(C9500X, C9600X-SUP-2); the device answers ``HSEC license is released``. Only then can its SLAC be returned.
"""

from __future__ import annotations

from collections.abc import Iterable

from nornir.core.task import Result, Task
from pydantic import BaseModel

from nornir_catlic.errors import PrerequisiteError, WorkflowFailed
from nornir_catlic.models.state import LicenseState
from nornir_catlic.rules import forced_release_command
from nornir_catlic.tasks.check import device_facts
from nornir_catlic.tasks.device import Plan, configure
from nornir_catlic.tasks.exclusive import writes_to_switch
from nornir_catlic.tasks.state import read_license_state

WORKFLOW = "release-hsec"


class HsecRelease(BaseModel):
    """The outcome of a forced release on one device.

    Attributes:
        command: the platform's release command (``None`` when the platform has none).
        released: the command was sent and the key is now NOT IN USE.
        device_reply: what the device answered (``HSEC license is released``).
    """

    host: str
    command: str | None = None
    in_use_before: bool
    released: bool = False
    device_reply: str = ""


def release_command_for(task: Task, state: LicenseState, supervisor_pids: Iterable[str] | None) -> str:
    """The platform's forced-release command for ``task.host``.

    Raises:
        PrerequisiteError: the platform has no HSECK9 key, so no release command.
    """
    facts = device_facts(task, state, crypto_configured=None, supervisor_pids=supervisor_pids)
    command = forced_release_command(facts.family)
    if command is None:
        family = facts.family.value if facts.family else "this platform"
        raise PrerequisiteError(f"{task.host.name}: {family} has no HSECK9 key to release")
    return command


def release_plan(command: str) -> Plan:
    return Plan().configure(
        [command],
        reason="the HSECK9 key is IN USE without its feature: release it forcibly (guide: Returning a SLAC)",
    )


def release_hsec(
    task: Task, state: LicenseState, *, supervisor_pids: Iterable[str] | None = None
) -> HsecRelease:
    """Send the release command when the key is IN USE, then check it is NOT IN USE (reads state again).

    Raises:
        WorkflowFailed: the key is still IN USE afterwards (the cryptographic feature is still configured).
    """
    outcome = HsecRelease(host=task.host.name, in_use_before=state.hsec_in_use)
    if not state.hsec_in_use:
        return outcome
    command = release_command_for(task, state, supervisor_pids)
    outcome.command = command
    transcript = configure(task, [command])
    outcome.device_reply = "\n".join(line for line in transcript.splitlines() if line.strip() != command)
    after = read_license_state(task)
    if after.hsec_in_use:
        raise WorkflowFailed(
            task.host.name,
            f"the HSECK9 key is still IN USE after `{command}`",
            device_words=outcome.device_reply or "(no reply)",
            remedy="disable or unconfigure the cryptographic feature (IPsec tunnel or WAN MACsec) first; "
            "the release only frees a key no feature uses",
        )
    outcome.released = True
    return outcome


@writes_to_switch
def catlic_release_hsec(
    task: Task, supervisor_pids: Iterable[str] | None = None, dry_run: bool | None = None
) -> Result:
    """Nornir task: release the HSECK9 key forcibly when it is IN USE; ``Result.result`` is an HsecRelease.

    ``changed`` is False when the key was already NOT IN USE. Dry run puts the configuration in ``diff``.

    Args:
        supervisor_pids: supervisors of a C9400/C9600 chassis (default: host data ``supervisor_pids``).
    """
    state = read_license_state(task)
    if not state.hsec_in_use:
        return Result(host=task.host, result=HsecRelease(host=task.host.name, in_use_before=False))
    command = release_command_for(task, state, supervisor_pids)
    plan = release_plan(command)
    if task.is_dry_run(dry_run):
        planned = HsecRelease(host=task.host.name, command=command, in_use_before=True)
        return Result(host=task.host, result=planned, changed=True, diff=plan.render())
    outcome = release_hsec(task, state, supervisor_pids=supervisor_pids)
    return Result(host=task.host, result=outcome, changed=True, diff=plan.render())
