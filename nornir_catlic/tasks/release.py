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

from nornir_catlic.errors import NotApplicable, WorkflowFailed
from nornir_catlic.models.state import LicenseState
from nornir_catlic.rules.commands import forced_release_command
from nornir_catlic.rules.returns import CRYPTO_STILL_CONFIGURED_REMEDY, release_refusal
from nornir_catlic.tasks.check import CRYPTO_CONFIG_COMMAND, device_facts
from nornir_catlic.tasks.declarations import honours_dry_run
from nornir_catlic.tasks.exclusive import writes_to_switch
from nornir_catlic.tasks.preconditions import predicts_failures, require_hseck9
from nornir_catlic.tasks.state import read_license_state
from nornir_catlic.transport import Plan, configure, show_text

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
        NotApplicable: the platform has no HSECK9 key, so no release command.
    """
    facts = device_facts(task, state, crypto_configured=None, supervisor_pids=supervisor_pids)
    command = forced_release_command(facts.family)
    if command is None:
        family = facts.family.value if facts.family else "this platform"
        raise NotApplicable(task.host.name, f"{family} has no HSECK9 key to release")
    return command


def check_release_gate(task: Task, state: LicenseState, supervisor_pids: Iterable[str] | None) -> str:
    """The forced release's precondition, for the real run and the dry run alike; returns its command.

    The release frees only a key no feature uses: with IPsec or WAN MACsec still in the running
    configuration the device keeps the key IN USE, so the release is refused before it is sent.

    Raises:
        NotApplicable: the platform has no HSECK9 key.
        WorkflowFailed: the cryptographic feature is still configured.
    """
    command = release_command_for(task, state, supervisor_pids)
    refusal = release_refusal(command, show_text(task, CRYPTO_CONFIG_COMMAND))
    if refusal is not None:
        raise WorkflowFailed(
            task.host.name,
            refusal.reason,
            device_words=f"{CRYPTO_CONFIG_COMMAND}: {refusal.device_words}",
            remedy=refusal.remedy,
        )
    return command


def release_plan(command: str) -> Plan:
    return Plan().configure(
        [command],
        reason="the HSECK9 key is IN USE without its feature: release it forcibly (guide: Returning a SLAC)",
    )


def release_hsec(
    task: Task,
    state: LicenseState,
    *,
    supervisor_pids: Iterable[str] | None = None,
    command: str | None = None,
) -> HsecRelease:
    """Send the release command when the key is IN USE, then check it is NOT IN USE (reads state again).

    Raises:
        WorkflowFailed: the cryptographic feature is still configured (checked before sending, see
            :func:`check_release_gate`), or the key is still IN USE afterwards.
    """
    outcome = HsecRelease(host=task.host.name, in_use_before=state.hsec_in_use)
    if not state.hsec_in_use:
        return outcome
    if command is None:  # not checked by the caller yet
        command = check_release_gate(task, state, supervisor_pids)
    outcome.command = command
    transcript = configure(task, [command])
    outcome.device_reply = "\n".join(line for line in transcript.splitlines() if line.strip() != command)
    after = read_license_state(task)
    if after.hsec_in_use:
        raise WorkflowFailed(
            task.host.name,
            f"the HSECK9 key is still IN USE after `{command}`",
            device_words=outcome.device_reply or "(no reply)",
            remedy=CRYPTO_STILL_CONFIGURED_REMEDY,
        )
    outcome.released = True
    return outcome


@honours_dry_run
@writes_to_switch
@predicts_failures
def catlic_release_hsec(
    task: Task, supervisor_pids: Iterable[str] | None = None, dry_run: bool | None = None
) -> Result:
    """Nornir task: release the HSECK9 key forcibly when it is IN USE; ``Result.result`` is an HsecRelease.

    ``changed`` is False when the key was already NOT IN USE. Dry run puts the configuration in ``diff``, or
    fails with ``would fail`` where the real run would (the feature still configured).

    Args:
        supervisor_pids: supervisors of a C9400/C9600 chassis (default: host data ``supervisor_pids``).

    Raises:
        NotApplicable: a platform without the HSECK9 key.
        WorkflowFailed: the cryptographic feature is still configured (nothing is sent).
    """
    state = read_license_state(task)
    require_hseck9(device_facts(task, state, crypto_configured=None, supervisor_pids=supervisor_pids))
    if not state.hsec_in_use:
        return Result(host=task.host, result=HsecRelease(host=task.host.name, in_use_before=False))
    command = check_release_gate(task, state, supervisor_pids)
    plan = release_plan(command)
    if task.is_dry_run(dry_run):
        planned = HsecRelease(host=task.host.name, command=command, in_use_before=True)
        return Result(host=task.host, result=planned, changed=True, diff=plan.render())
    outcome = release_hsec(task, state, supervisor_pids=supervisor_pids, command=command)
    return Result(host=task.host, result=outcome, changed=True, diff=plan.render())
