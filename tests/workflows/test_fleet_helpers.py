"""Fleet helpers for sites where CSLU or SSM On-Prem pulls, and the portal link, on the guide's outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from nornir_catlic.errors import PrerequisiteError
from nornir_catlic.journal import Journal
from nornir_catlic.models.state import LicenseState, build_license_state
from nornir_catlic.parsing import parse
from nornir_catlic.portal import FileDropPortal, ssm_csv_to_udis
from nornir_catlic.tasks.exchange import PortalLink
from nornir_catlic.tasks.reporting import export_udis_csv, fleet_udis, verify_codes

GUIDE = Path(__file__).parent.parent / "tasks" / "guide"
NEW_MEMBER = "PID:C9300X-48HX,SN:FOC2516LC92"


def guide_state(scenario: str, host: str) -> LicenseState:
    pieces = {}
    for name in ("udi", "authorization", "summary"):
        command = f"show license {name}"
        pieces[name] = parse(command, (GUIDE / f"{scenario}.{command.replace(' ', '_')}.txt").read_text())
    return build_license_state(host, **pieces)  # type: ignore[arg-type]


def test_the_csv_for_ssm_lists_the_member_that_joined_without_a_slac() -> None:
    """Guide, "Adding a Member to a Stack", step 2: the active and standby hold SLACs, switch 3 does not."""
    stack = guide_state("stack_member_added", "c9300x-stack")
    assert fleet_udis([stack]) == [NEW_MEMBER]
    csv_text = export_udis_csv([stack])
    assert csv_text == "Serial Number,PID\r\nFOC2516LC92,C9300X-48HX\r\n"
    assert ssm_csv_to_udis(csv_text) == [("C9300X-48HX", "FOC2516LC92")]
    assert len(fleet_udis([stack], missing_only=False)) == 3


def test_a_dual_supervisor_chassis_is_one_row() -> None:
    chassis = guide_state("dual_sup", "c9606r")
    assert fleet_udis([chassis], missing_only=False) == ["PID:C9606R,SN:FXS241201WP"]


def test_verify_codes_names_the_udis_still_without_a_code() -> None:
    stack = guide_state("stack_member_added", "c9300x-stack")
    check = verify_codes([stack])
    assert not check.ok and check.missing == [NEW_MEMBER]
    assert check.codes == {
        "PID:C9300X-24HX,SN:FOC2519L8R7": "72ad37d5",
        "PID:C9300X-48HXN,SN:FOC2524L39P": "842584db",
    }
    expected = {"PID:C9300X-24HX,SN:FOC2519L8R7": "f6c6978d"}
    mismatch = verify_codes([stack], expected=expected)
    assert mismatch.mismatched == {"PID:C9300X-24HX,SN:FOC2519L8R7": ("f6c6978d", "72ad37d5")}
    assert mismatch.missing == []


class _Ssm:
    def process_slac_request(self, request_text: str, /) -> dict[str, str]:
        return {}

    def generate_slacs(self, udis: list[tuple[str, str]], /) -> dict[str, str]:
        return {}

    def process_return(self, return_text: str, /) -> str:
        return ""

    def process_usage_report(self, rum_text: str, /) -> str:
        return ""


def test_the_portal_link_needs_a_portal_and_keeps_an_ssms_answers_beside_the_journal(tmp_path: Path) -> None:
    with pytest.raises(PrerequisiteError, match="needs a portal"):
        PortalLink.resolve(None, None, needed_for="an air-gapped install")
    drop = FileDropPortal(tmp_path / "portal")
    assert PortalLink.resolve(drop, None, needed_for="x") == PortalLink(drop)
    journal = Journal(tmp_path / "run" / "journal.jsonl")
    link = PortalLink.resolve(_Ssm(), journal, needed_for="x")
    assert link.relay is not None
    assert link.drop.root == tmp_path / "run" / "catlic-files" / "relay"
