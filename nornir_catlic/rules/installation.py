"""The guide's SLAC installation: which procedure a topology follows, the plan of commands that brings the
wanted UDIs under a SLAC (add, replace, return first), and the remedy when SSM refuses."""

from __future__ import annotations

import enum

from pydantic import BaseModel, ConfigDict

from nornir_catlic.domain import (
    ConnectionMode,
    DeviceFacts,
    GuideSection,
    Redundancy,
    Release,
    release_at_least,
)
from nornir_catlic.errors import PrerequisiteError
from nornir_catlic.models.state import LicenseState
from nornir_catlic.rules.commands import (
    SlacAction,
    SlacScope,
    slac_request_command,
    slac_request_save_command,
    slac_return_command,
)
from nornir_catlic.rules.findings import Refusal
from nornir_catlic.rules.keys import keys_required
from nornir_catlic.rules.returns import check_return_ready


class SlacMethod(str, enum.Enum):
    """Which of the guide's SLAC installation procedures applies."""

    ONLINE = "online"
    """``license smart authorization request`` then ``license smart sync`` (device-initiated topologies)."""
    FILE_EXCHANGE = "file-exchange"
    """Request saved to a file, uploaded to SSM, per-UDI SLAC files imported one at a time."""
    SSM_MULTIPLE_DEVICES = "ssm-multiple-devices"
    """CSLU or SSM On-Prem pulls: a CSV of UDIs through SSM's "Authorize License Enforced Features"."""
    UNSUPPORTED = "unsupported"


_SLAC_METHODS = {
    ConnectionMode.SSM_DIRECT: SlacMethod.ONLINE,
    ConnectionMode.CSLU_PUSH: SlacMethod.ONLINE,
    ConnectionMode.ON_PREM_PUSH: SlacMethod.ONLINE,
    ConnectionMode.AIR_GAPPED: SlacMethod.FILE_EXCHANGE,
    ConnectionMode.CSLU_PULL: SlacMethod.SSM_MULTIPLE_DEVICES,
    ConnectionMode.ON_PREM_PULL: SlacMethod.SSM_MULTIPLE_DEVICES,
    ConnectionMode.CONTROLLER: SlacMethod.UNSUPPORTED,
}


SLAC_REQUEST_FILE_RELEASE = Release(17, 7, 1)
"""First release that saves a SLAC request to a file for SSM (Cupertino 17.7.1)."""


def slac_method(mode: ConnectionMode, release: str | Release | None = None) -> SlacMethod:
    """The guide's installation procedure for a topology; Catalyst Center is the one that cannot work.

    Air-gapped devices older than Cupertino 17.7.1 cannot save a request file: their PID and serial number
    are entered in SSM's web UI instead (the Multiple Devices CSV), and the SLAC files imported one by one.
    """
    method = _SLAC_METHODS[mode]
    if (
        method is SlacMethod.FILE_EXCHANGE
        and release is not None
        and not release_at_least(release, SLAC_REQUEST_FILE_RELEASE)
    ):
        return SlacMethod.SSM_MULTIPLE_DEVICES
    return method


def recommended_scope(redundancy: Redundancy) -> SlacScope:
    """``all`` for stacks and HA set-ups (recommended for switchover), ``local`` for a standalone."""
    return SlacScope.LOCAL if redundancy is Redundancy.STANDALONE else SlacScope.ALL


class SlacStepKind(str, enum.Enum):
    RETURN = "return"
    REQUEST = "request"
    SAVE = "save"
    """Air-gapped: save the pending request to a file for SSM."""


class SlacStep(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: SlacStepKind
    command: str
    reason: str


class SlacPlan(BaseModel):
    """The device commands that bring the wanted UDIs under a SLAC, in order; empty when none is missing."""

    model_config = ConfigDict(frozen=True)

    steps: tuple[SlacStep, ...]
    missing: tuple[str, ...]
    """Wanted UDIs without a SLAC now."""
    authorized_after: tuple[str, ...]
    """UDIs SSM will be asked to authorize by the request step (the keys taken from the pool)."""
    requires_not_in_use: bool = False
    """A return step comes first, and the device refuses it while the key is IN USE."""

    @property
    def needed(self) -> bool:
        return bool(self.steps)

    @property
    def commands(self) -> tuple[str, ...]:
        return tuple(step.command for step in self.steps)


def plan_slac_request(
    facts: DeviceFacts, scope: SlacScope | None = None, *, online: bool = True, save_to: str | None = None
) -> SlacPlan:
    """The guide's add/replace/all rules for bringing ``scope``'s UDIs under a SLAC.

    ``online=False`` returns offline; ``save_to`` (air-gapped) adds ``license smart authorization request
    save <save_to>`` after the request, the file to upload to SSM.

    - Nothing installed: ``request add hseck9 <scope>``.
    - C9300X stack where some members hold a SLAC and others do not (a member added): ``request replace hseck9
      all`` (returns every key of the existing SLAC and requests one per member).
    - StackWise Virtual with a SLAC on the active only: ``replace`` is not supported; return the active's
      SLAC, then ``request add hseck9 all``.
    - Everything wanted already installed: an empty plan (idempotent).

    Raises:
        PrerequisiteError: for a platform or set-up without HSECK9 support.
    """
    plan = _plan_slac_request(facts, scope, online=online)
    if save_to is None or not plan.needed:
        return plan
    save = SlacStep(
        kind=SlacStepKind.SAVE,
        command=slac_request_save_command(save_to),
        reason="save the request for Cisco SSM (No Connectivity to CSSM and No CSLU, step 3)",
    )
    return plan.model_copy(update={"steps": (*plan.steps, save)})


def _plan_slac_request(facts: DeviceFacts, scope: SlacScope | None, *, online: bool) -> SlacPlan:
    topology = facts.topology
    keys = keys_required(facts.family, topology, facts.members)
    chosen = scope or recommended_scope(topology)
    wanted = keys.minimum if chosen is SlacScope.LOCAL else keys.request_all
    missing = tuple(udi for udi in wanted if not facts.slac_installed_on(udi))
    if not missing:
        return SlacPlan(steps=(), missing=(), authorized_after=())
    installed_anywhere = any(facts.slac_installed_on(udi) for udi in facts.udis())
    if chosen is SlacScope.LOCAL or not installed_anywhere:
        step = SlacStep(
            kind=SlacStepKind.REQUEST,
            command=slac_request_command(SlacAction.ADD, chosen),
            reason=f"request a SLAC for {', '.join(missing)} ({GuideSection.INSTALL_ONLINE}, step 2)",
        )
        return SlacPlan(steps=(step,), missing=missing, authorized_after=missing)
    if topology is Redundancy.STACKWISE_VIRTUAL:
        # The guide returns "the SLAC which is on the active"; after a switchover the standby may hold it.
        active = facts.active
        holder = SlacScope.LOCAL if active is not None and active.slac_installed else SlacScope.ALL
        give_back = SlacStep(
            kind=SlacStepKind.RETURN,
            command=slac_return_command(holder, online=online),
            reason="replace is not supported in a StackWise Virtual set-up: return the SLAC on the active "
            f"first ({GuideSection.INSTALL_ONLINE}, step 2, replace)",
        )
        again = SlacStep(
            kind=SlacStepKind.REQUEST,
            command=slac_request_command(SlacAction.ADD, SlacScope.ALL),
            reason="then request and install SLAC on the active and standby again",
        )
        return SlacPlan(
            steps=(give_back, again), missing=missing, authorized_after=wanted, requires_not_in_use=True
        )
    step = SlacStep(
        kind=SlacStepKind.REQUEST,
        command=slac_request_command(SlacAction.REPLACE, SlacScope.ALL),
        reason="a member without SLAC joined a stack where SLAC is installed: replace and all return the "
        f"existing keys and request SLAC for every member ({GuideSection.STACKING})",
    )
    return SlacPlan(steps=(step,), missing=missing, authorized_after=wanted)


def remedy_for_ssm_failure(message_code: str | None, facts: DeviceFacts | None = None) -> str:
    """The guide's remedy for a failed SLAC installation, by SSM message code.

    ``ERROR_ALL_COUNTS_IN_USE`` means the virtual account's pool is exhausted: the remedy is to add keys. The
    guide's return-then-request procedure is added only where the cause is the set-up: a StackWise Virtual
    pair whose active got its key and the standby not (replace is not supported there).
    """
    if message_code == "ERROR_ALL_COUNTS_IN_USE":
        needed = ""
        if facts is not None:
            try:
                plan = keys_required(facts.family, facts.topology, facts.members)
                needed = f" ({len(plan.request_all)} needed here, one per UDI)"
            except PrerequisiteError:
                needed = ""
        remedy = (
            f"the virtual account has no free HSECK9 key left: add keys to the virtual account in Cisco SSM "
            f"(or return unused SLACs elsewhere){needed}, then run the install again"
        )
        if facts is not None and facts.topology is Redundancy.STACKWISE_VIRTUAL:
            remedy += (
                f"; StackWise Virtual cannot replace: return the SLAC on the active "
                f"(`{slac_return_command(SlacScope.LOCAL, online=True)}` or offline), then request and "
                f"install SLAC on the active and standby again "
                f"(`{slac_request_command(SlacAction.ADD, SlacScope.ALL)}`); the install does both"
            )
        return f"{remedy} [{GuideSection.COUNTS_IN_USE}]"
    return (
        "check the Smart Account and Virtual Account in Cisco SSM and the device's Smart Licensing Using "
        f"Policy topology, then request again [{GuideSection.INSTALL_ONLINE}]"
    )


def transport_refusal(connection: ConnectionMode | None, *, offline: bool) -> str | None:
    """Why a SLAC workflow's mode does not fit how the switch reaches Cisco SSM (the guide's topologies), or
    None: online needs a transport, and a switch that reaches SSM itself is not handled by files."""
    if not offline and connection is ConnectionMode.AIR_GAPPED:
        return "the transport is off (no connectivity to Cisco SSM and no CSLU): use mode='offline'"
    if offline and connection is ConnectionMode.SSM_DIRECT:
        return "the switch reaches Cisco SSM itself (transport smart): use mode='online'"
    return None


def request_refusal(
    state: LicenseState, facts: DeviceFacts, plan: SlacPlan, *, offline: bool
) -> Refusal | None:
    """What the switch would refuse in ``plan`` (the guide's SLAC installation), or None.

    - A return first (StackWise Virtual) while the key is IN USE: the device refuses the return.
    - ``replace`` on StackWise Virtual: not supported there.
    - ``replace`` offline while the key is IN USE: the keys in use would go back before a new SLAC exists.
    """
    in_use_words = f"C9K HSEC (Cat9K HSEC) {state.hsec.usage_count} IN USE (show license summary)"
    if plan.requires_not_in_use and state.hsec_in_use:
        not_ready = check_return_ready(facts)[0]
        return Refusal(f"{plan.steps[0].reason}; but {not_ready.message}", not_ready.remedy, in_use_words)
    replace_commands = {slac_request_command(SlacAction.REPLACE, scope) for scope in SlacScope}
    replacing = [step.command for step in plan.steps if step.command in replace_commands]
    if not replacing:
        return None
    if facts.topology is Redundancy.STACKWISE_VIRTUAL:
        return Refusal(
            f"{replacing[0]!r}: replace is not supported in a StackWise Virtual set-up",
            "leave the choice to the guide's rules (no --action): the install returns the active's SLAC, "
            "then requests for all",
        )
    if offline and state.hsec_in_use:
        not_ready = check_return_ready(facts)[0]
        return Refusal(
            f"{replacing[0]!r} would return the keys in use before a new SLAC exists (air-gapped): "
            "the switch refuses it while the key is IN USE",
            not_ready.remedy,
            in_use_words,
        )
    return None
