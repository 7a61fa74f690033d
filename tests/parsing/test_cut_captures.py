"""A stored capture cut mid-line never passes as whole; characters no device prints are refused in strict
mode; a row printed twice is reported, not counted twice."""

from __future__ import annotations

import pytest
from cut_captures import cuts
from parsing_cases import CORPUS_DIR, GUIDE_DIR

from nornir_catlic.errors import ParseError
from nornir_catlic.models.license import LicenseAuthorization, LicenseSummary, LicenseUdi
from nornir_catlic.parsing import parse

AUTHORIZATION = (GUIDE_DIR / "show_license_authorization" / "dual_sup_c9606r_7cflf54a.raw").read_text()
SUMMARY = (GUIDE_DIR / "show_license_summary" / "standalone_hsec_in_use.raw").read_text()
SLOTS = (CORPUS_DIR / "show_license_udi" / "genie__golden_output1_output.txt").read_text()


def test_no_cut_of_a_guide_output_passes_strict_parsing_as_whole_with_a_wrong_value() -> None:
    results = list(cuts())
    accepted = [c for c in results if c.accepted]
    assert len(results) > 4000 and len(accepted) > 1000  # the harness cuts and parses for real
    assert any(c.truncated for c in accepted)
    passed_as_whole = [
        f"{c.capture.parent.name}/{c.capture.stem}@{c.at}: {c.wrong}"
        for c in accepted
        if c.wrong and not c.truncated
    ]
    assert passed_as_whole == []


def cut_before(text: str, fragment: str, keep: int) -> str:
    """``text`` up to ``keep`` characters of ``fragment`` (its first occurrence), with no line end."""
    return text[: text.index(fragment) + keep]


@pytest.mark.parametrize(
    ("command", "cut", "field"),
    [
        (
            "show license authorization",
            cut_before(AUTHORIZATION, "7cflf54a", 4),
            "Last Confirmation code: 7cfl",
        ),
        ("show license authorization", cut_before(AUTHORIZATION, "FXS241201WP", 3), "SN:FXS"),
        ("show license udi", cut_before(SLOTS, "ASR1006:NWG", 5), "ASR10"),
        ("show license summary", cut_before(SUMMARY, "Eg-VA", 3), "Virtual Account: Eg-"),
        ("show license summary", cut_before(SUMMARY, "Dec 03 18:57:27 2021", 15), "As of Dec 03 18:57:27"),
    ],
)
def test_a_last_line_cut_inside_its_value_marks_the_output_truncated(
    command: str, cut: str, field: str
) -> None:
    assert cut.endswith(field.rsplit(" ", 1)[-1])
    assert parse(command, cut).truncated
    assert not parse(command, cut + "\n").truncated  # the same text with its line end is whole


@pytest.mark.parametrize(
    ("command", "text"),
    [
        ("show license authorization", cut_before(AUTHORIZATION, "7cflf54a", 8)),
        ("show license summary", SUMMARY.rstrip("\n")),
        ("show license udi", SLOTS.rstrip("\n")),
        ("show license authorization", cut_before(AUTHORIZATION, "2021 UTC", 8)),
    ],
)
def test_a_whole_last_line_without_line_end_is_not_truncated(command: str, text: str) -> None:
    """netmiko returns outputs without their last line end: a complete value there is whole."""
    assert not parse(command, text, strict=True).truncated


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f", "\ufffd"])
def test_strict_refuses_control_characters_and_replacement_marks(character: str) -> None:
    damaged = AUTHORIZATION.replace("FXS241201WP", f"FXS24{character}201WP", 1)
    with pytest.raises(ParseError, match="control character or U\\+FFFD") as raised:
        parse("show license authorization", damaged, strict=True)
    assert raised.value.line_number == 2
    parse("show license authorization", damaged)  # without strict: parsed, the damage is the caller's


def test_a_summary_row_printed_twice_is_reported_and_counted_once() -> None:
    row = "  C9K HSEC               (Cat9K HSEC)                   1 IN USE\n"
    doubled = SUMMARY + row
    summary = parse("show license summary", doubled, expect=LicenseSummary)
    assert [r.entitlement_tag for r in summary.licenses].count("Cat9K HSEC") == 1
    assert summary.unparsed_lines == [row.strip()]
    with pytest.raises(ParseError, match="a row printed twice"):
        parse("show license summary", doubled, strict=True)


def test_a_member_printed_twice_under_the_same_role_is_reported() -> None:
    udi_text = (GUIDE_DIR / "show_license_udi" / "stack_three_members.raw").read_text()
    member = next(line for line in udi_text.splitlines() if "Member:" in line)
    doubled = udi_text.rstrip("\n") + "\n" + member + "\n"
    udi = parse("show license udi", doubled, expect=LicenseUdi)
    assert udi.unparsed_lines == [member.strip()]
    with pytest.raises(ParseError, match="a row printed twice"):
        parse("show license udi", doubled, strict=True)


def test_dual_supervisors_printing_one_udi_under_two_roles_are_no_repeat() -> None:
    authorization = parse(
        "show license authorization", AUTHORIZATION, expect=LicenseAuthorization, strict=True
    )
    assert len(authorization.members) == 1
