"""`show license reservation` and `show license tech support` through `nornir_catlic.parse`: what the
`.raw`/`.yml` pairs in facts/ do not show (abbreviations, refusals, strictness, the verbatim sections)."""

from __future__ import annotations

import pytest
from parsing_cases import FACTS_DIR, GUIDE_DIR, dump_for_comparison

from nornir_catlic import LicenseAll, LicenseTechSupport, ParseError, ReservationMode, parse
from nornir_catlic.parsing import template_for

STACK_ALL = (GUIDE_DIR / "show_license_all" / "stack_three_members_full.raw").read_text()
TECH_SUPPORT = (
    FACTS_DIR / "show_license_tech_support" / "guide_stack_sections_and_unread_sections.raw"
).read_text()
SUMMARY = sorted((GUIDE_DIR / "show_license_summary").glob("*.raw"))[0].read_text()


@pytest.mark.parametrize(
    ("command", "template"),
    [
        ("show license reservation", "cisco_xe_show_license_reservation.textfsm"),
        ("sh lic re", "cisco_xe_show_license_reservation.textfsm"),
        ("sh  LIC  reserv", "cisco_xe_show_license_reservation.textfsm"),
        ("show license tech support", "cisco_xe_show_license_tech_support.textfsm"),
        ("sh lic t s", "cisco_xe_show_license_tech_support.textfsm"),
        ("show license reservation detail", None),
        ("show license tech", None),
        ("show license r", None),  # ambiguous on IOS (reservation, rum)
    ],
)
def test_index_matches_the_whole_command(command: str, template: str | None) -> None:
    assert template_for(command) == template


def test_reservation_disabled_and_enabled() -> None:
    assert parse("sh lic re", "License reservation: DISABLED\n", expect=ReservationMode).enabled is False
    assert parse("sh lic re", "License reservation: ENABLED\n", strict=True).model_dump()["enabled"] is True


def test_reservation_body_is_not_guessed_at() -> None:
    """The lines after `ENABLED` are not documented: reported, and refused in strict mode."""
    output = "License reservation: ENABLED\n\nOverall status:\n  Active: PID:C9300-24T,SN:FCW2125L0BH\n"
    result = parse("show license reservation", output)
    assert result.unparsed_lines == ["Overall status:", "Active: PID:C9300-24T,SN:FCW2125L0BH"]
    with pytest.raises(ParseError, match="Overall status") as error:
        parse("show license reservation", output, strict=True)
    assert error.value.line_number == 3


@pytest.mark.parametrize("command", ["show license reservation", "show license tech support"])
def test_another_commands_output_is_refused(command: str) -> None:
    with pytest.raises(ParseError, match=r"not this command's output|no licensing section"):
        parse(command, SUMMARY)


def test_reservation_output_is_not_a_tech_support() -> None:
    with pytest.raises(ParseError):
        parse("show license tech support", "License reservation: DISABLED\n")


def test_tech_support_is_show_license_all_plus_its_other_sections() -> None:
    tech = parse("show license tech support", TECH_SUPPORT, expect=LicenseTechSupport, strict=True)
    license_all = parse("show license all", STACK_ALL, expect=LicenseAll, strict=True)
    assert isinstance(tech, LicenseAll)  # usable wherever a show license all is
    tech_dump = dump_for_comparison(tech)
    assert [s["title"] for s in tech_dump.pop("other_sections")] == [
        "Example Section Not In Show License All",
        "Another Example Section",
    ]
    assert tech_dump == dump_for_comparison(license_all)


def test_tech_support_unknown_line_in_a_licensing_section_is_refused_in_strict_mode() -> None:
    damaged = TECH_SUPPORT.replace("Utility:\n", "Utility:\n  Frobnication: maybe\n", 1)
    assert parse("show license tech support", damaged).unparsed_lines == ["Frobnication: maybe"]
    with pytest.raises(ParseError, match="Frobnication"):
        parse("show license tech support", damaged, strict=True)


def test_tech_support_lines_before_the_first_title_are_reported() -> None:
    """No source shows what precedes the first section, so nothing there is assumed to be licensing."""
    result = parse("show license tech support", "Some banner line\n" + TECH_SUPPORT)
    assert result.unparsed_lines == ["Some banner line"]


def test_tech_support_without_a_licensing_section_is_refused() -> None:
    with pytest.raises(ParseError, match="no licensing section"):
        parse("show license tech support", "Some Section\n============\nvalue: 1\n")
