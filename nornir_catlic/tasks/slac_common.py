"""What the SLAC install and return workflows share: modes, scopes, step names, the facts, failures."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TypeVar

from nornir.core.task import Task

from nornir_catlic.domain import DeviceFacts
from nornir_catlic.errors import DeviceCommandError, PrerequisiteError, WorkflowFailed
from nornir_catlic.journal import Journal
from nornir_catlic.models.state import LicenseState
from nornir_catlic.rules.commands import SlacScope
from nornir_catlic.rules.installation import transport_refusal
from nornir_catlic.tasks.check import device_facts
from nornir_catlic.tasks.exchange import PortalArgument, PortalLink

ChoiceT = TypeVar("ChoiceT", bound=enum.Enum)

WORKFLOW_INSTALL = "install-slac"
WORKFLOW_RETURN = "return-slac"

STEP_PLANNED = "planned"
STEP_REQUEST_SUBMITTED = "request-submitted"
STEP_INSTALL_VERIFIED = "install-verified"
STEP_INSTALL_FAILED = "install-failed"
STEP_RETURN_STARTED = "return-started"
STEP_RETURN_SUBMITTED = "return-submitted"
STEP_RETURN_VERIFIED = "return-verified"


class Mode(str, enum.Enum):
    ONLINE = "online"
    """The switch reaches SSM (directly, or pushing to CSLU / SSM On-Prem)."""
    OFFLINE = "offline"
    """Air-gapped: files go to SSM and back through a portal."""


def parse_choice(kind: type[ChoiceT], value: str | ChoiceT, name: str) -> ChoiceT:
    """``value`` as a member of ``kind``; PrerequisiteError naming the argument and its words otherwise."""
    try:
        return kind(value)
    except ValueError:
        words = " or ".join(repr(member.value) for member in kind)
        raise PrerequisiteError(f"{name} must be {words}, not {value!r}") from None


def parse_mode(mode: str | Mode) -> Mode:
    return parse_choice(Mode, mode, "mode")


def parse_scope(scope: str | SlacScope) -> SlacScope:
    return parse_choice(SlacScope, scope, "scope")


def check_choices(
    mode: str | Mode = Mode.ONLINE, scope: str | SlacScope = SlacScope.ALL, **_: object
) -> None:
    """The words a SLAC or reporting workflow accepts, judged before any device (:func:`checks_arguments`)."""
    parse_mode(mode)
    parse_scope(scope)


def check_transport(host: str, state: LicenseState, mode: Mode) -> None:
    """Raises PrerequisiteError where the mode does not fit the switch's transport (the guide's rule)."""
    refusal = transport_refusal(state.connection_mode, offline=mode is Mode.OFFLINE)
    if refusal is not None:
        raise PrerequisiteError(f"{host}: {refusal}")


def offline_link(
    mode: Mode, portal: PortalArgument, journal: Journal, *, needed_for: str
) -> PortalLink | None:
    """The portal an offline run exchanges files through; None online (the switch reaches SSM itself)."""
    return PortalLink.resolve(portal, journal, needed_for=needed_for) if mode is Mode.OFFLINE else None


def facts_for(task: Task, state: LicenseState, supervisor_pids: Iterable[str] | None) -> DeviceFacts:
    return device_facts(task, state, crypto_configured=None, supervisor_pids=supervisor_pids)


def device_failure(host: str, what: str, error: DeviceCommandError, remedy: str) -> WorkflowFailed:
    return WorkflowFailed(host, what, device_words=error.reply, remedy=remedy)
