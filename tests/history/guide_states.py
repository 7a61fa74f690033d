"""License states parsed from the guide's captures (tests/tasks/guide), for the history's tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from nornir_catlic.history import HostSnapshot
from nornir_catlic.models.state import LicenseState, build_license_state
from nornir_catlic.parsing import parse
from nornir_catlic.rules.audit import audit

GUIDE = Path(__file__).parent.parent / "tasks" / "guide"
MORNING = dt.datetime(2021, 12, 4, 8, 0, tzinfo=dt.timezone.utc)
ACTIVE = "PID:C9300X-24HX,SN:FOC2519L8R7"
STANDBY = "PID:C9300X-48HXN,SN:FOC2524L39P"
NEW_MEMBER = "PID:C9300X-48HX,SN:FOC2516LC92"


def parsed(scenario: str, command: str) -> Any:
    return parse(command, (GUIDE / f"{scenario}.{command.replace(' ', '_')}.txt").read_text())


def guide_stack(
    host: str = "c9300x-stack", *, authorization_from: str = "stack_member_added"
) -> LicenseState:
    """The guide's C9300X stack after its third member joined ("Adding a Member to a Stack..."): the active
    and the standby hold SLACs, the new member none; ``authorization_from="returned"``: after "Returning
    SLAC", every member without one."""
    scenario = "stack_member_added"
    return build_license_state(
        host,
        version=parsed(scenario, "show version"),
        status=parsed(scenario, "show license status"),
        udi=parsed(scenario, "show license udi"),
        authorization=parsed(authorization_from, "show license authorization"),
        summary=parsed(scenario, "show license summary"),
        switch_detail=parsed(scenario, "show switch detail"),
    )


def audited(state: LicenseState, now: dt.datetime = MORNING) -> HostSnapshot:
    """The state with the guide's recurring audit's findings, as an audit run records it."""
    return HostSnapshot(host=state.host, taken_at=now, state=state, findings=audit(state.to_facts(), now))


def without_member(state: LicenseState, serial: str) -> LicenseState:
    """The same stack before the member ``serial`` joined."""
    members = {key: member for key, member in state.members.items() if key != serial}
    return state.model_copy(update={"members": members})
