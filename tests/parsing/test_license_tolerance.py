"""What surrounds real output is tolerated; what is not understood is reported, never dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
import textfsm
from parsing_cases import GUIDE_DIR, LICENSE_COMMANDS
from textfsm import clitable

from nornir_catlic import ParseError, parse
from nornir_catlic.models.license import LicenseAuthorization, LicenseSummary, UsageStatus
from nornir_catlic.parsing import template_for, warm_up

SUMMARY = """\
License Usage:
  License                 Entitlement Tag               Count Status
  -----------------------------------------------------------------------------
  network-advantage       (C9300-24 Network Advan...)       1 IN USE
  C9K HSEC                (Cat9K HSEC)                      0 NOT IN USE
"""


def rows(result: object) -> list[tuple[str | None, str, int, UsageStatus]]:
    assert isinstance(result, LicenseSummary)
    return [(r.license, r.entitlement_tag, r.count, r.status) for r in result.licenses]


EXPECTED_ROWS = [
    ("network-advantage", "C9300-24 Network Advan", 1, UsageStatus.IN_USE),
    ("C9K HSEC", "Cat9K HSEC", 0, UsageStatus.NOT_IN_USE),
]


@pytest.mark.parametrize(
    "decorated",
    [
        "Switch#show license summary\r\n" + SUMMARY.replace("\n", "\r\n") + "Switch#",
        "sh lic sum\n" + SUMMARY,
        "Device# sh lic sum\nLoad for five secs: 1%/0%; one minute: 9%; five minutes: 5%\n"
        "Time source is NTP, 19:05:29.741 UTC Fri Dec 3 2021\n\n" + SUMMARY,
        "\n\n" + SUMMARY.replace("\n", "   \n") + "\n\n\n",
        SUMMARY.replace("License Usage:\n", "License Usage:\n\n"),
    ],
    ids=[
        "crlf-echo-prompt",
        "bare-abbreviated-echo",
        "cli-headers",
        "trailing-spaces-blank-lines",
        "blank-after-title",
    ],
)
def test_summary_surroundings_are_tolerated(decorated: str) -> None:
    result = parse("show license summary", decorated, strict=True)
    assert rows(result) == EXPECTED_ROWS


def test_output_truncated_marks_are_removed_and_flagged() -> None:
    result = parse(
        "show license summary", SUMMARY.replace("  C9K HSEC", "<output truncated>\n  C9K HSEC"), strict=True
    )
    assert result.truncated is True
    assert rows(result) == EXPECTED_ROWS


def test_unknown_line_is_listed_and_strict_names_it() -> None:
    text = SUMMARY + "  Some future line the template has never seen\n"
    result = parse("show license summary", text)
    assert result.unparsed_lines == ["Some future line the template has never seen"]
    assert rows(result) == EXPECTED_ROWS
    with pytest.raises(ParseError) as raised:
        parse("show license summary", text, strict=True)
    assert raised.value.command == "show license summary"
    assert raised.value.line == "Some future line the template has never seen"
    assert raised.value.line_number == 6


def test_unknown_status_value_is_reported_not_guessed() -> None:
    result = parse("show license summary", SUMMARY.replace("0 NOT IN USE", "0 RESERVED SOMEHOW"))
    assert rows(result) == EXPECTED_ROWS[:1]
    assert result.unparsed_lines == [
        "C9K HSEC                (Cat9K HSEC)                      0 RESERVED SOMEHOW"
    ]


def test_unsupported_command_raises() -> None:
    with pytest.raises(ParseError, match="no template") as raised:
        parse("show license summary detail", SUMMARY)
    assert raised.value.command == "show license summary detail"


def test_ios_error_reply_raises_with_the_devices_words() -> None:
    reply = "show license sumary\n                ^\n% Invalid input detected at '^' marker.\n"
    with pytest.raises(ParseError) as raised:
        parse("show license summary", reply)
    assert raised.value.line == "% Invalid input detected at '^' marker."
    assert raised.value.line_number == 3


def test_other_commands_output_is_not_this_commands_output() -> None:
    authorization = (GUIDE_DIR / "show_license_authorization" / "svl_c9407r_pdt.raw").read_text()
    with pytest.raises(ParseError, match="not this command's output"):
        parse("show license summary", authorization)
    with pytest.raises(ParseError, match="not this command's output"):
        parse("show license udi", SUMMARY)


def test_empty_output_raises() -> None:
    with pytest.raises(ParseError, match="empty"):
        parse("show license status", "Switch#show license status\nSwitch#\n")


@pytest.mark.parametrize(
    ("command", "template"),
    [
        ("sh lic sum", "cisco_xe_show_license_summary.textfsm"),
        ("SHOW LICENSE SUMMARY", "cisco_xe_show_license_summary.textfsm"),
        ("show   license  status", "cisco_xe_show_license_status.textfsm"),
        ("sh lic au", "cisco_xe_show_license_authorization.textfsm"),
        ("show license usage", "cisco_xe_show_license_usage.textfsm"),
        ("sh lic udi", "cisco_xe_show_license_udi.textfsm"),
        ("sh lic all", "cisco_xe_show_license_all.textfsm"),
        ("show license summary detail", None),
        ("show license", None),
        ("sh li sum", None),
    ],
)
def test_index_matches_the_whole_command(command: str, template: str | None) -> None:
    assert template_for(command) == template
    assert template_for(command, "cisco_ios") == template
    assert template_for(command, "cisco_nxos") is None


def test_templates_and_index_are_read_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (GUIDE_DIR / "show_license_authorization" / "svl_c9407r_pdt.raw").read_text()
    parse("show license authorization", text)
    warm_up()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a template or the index was read again")

    monkeypatch.setattr(textfsm.TextFSM, "__init__", refuse)
    monkeypatch.setattr(clitable.IndexTable, "__init__", refuse)
    monkeypatch.setattr(Path, "read_text", refuse)
    result = parse("sh lic auth", text)
    assert isinstance(result, LicenseAuthorization) and len(result.members) == 2
    assert isinstance(parse("show license summary", SUMMARY), LicenseSummary)


def test_models_dump_to_json_and_back() -> None:
    text = (GUIDE_DIR / "show_license_all" / "stack_three_members_full.raw").read_text()
    result = parse("show license all", text)
    again = type(result).model_validate_json(result.model_dump_json())
    assert again == result


def test_expect_types_the_result_and_guards_the_command() -> None:
    summary = parse("show license summary", SUMMARY, expect=LicenseSummary)
    assert summary.licenses[1].status is UsageStatus.NOT_IN_USE
    with pytest.raises(ParseError, match="parses into LicenseSummary, not LicenseAuthorization"):
        parse("show license summary", SUMMARY, expect=LicenseAuthorization)


def test_parsing_from_many_threads_gives_the_same_models() -> None:
    """Nornir runs tasks in threads while each template is compiled once and shared."""
    from concurrent.futures import ThreadPoolExecutor

    cases = [
        ("show license all", (GUIDE_DIR / "show_license_all" / "stack_three_members_full.raw").read_text()),
        (
            "show license authorization",
            (GUIDE_DIR / "show_license_authorization" / "svl_c9407r_pdt.raw").read_text(),
        ),
        ("show license summary", SUMMARY),
    ]
    expected = [parse(command, text) for command, text in cases]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda i: parse(*cases[i % 3]), range(240)))
    assert all(result == expected[i % 3] for i, result in enumerate(results))


@pytest.mark.parametrize("command", LICENSE_COMMANDS)
def test_another_license_commands_output_never_parses_clean(command: str) -> None:
    """Handing the wrong output to a parser raises or reports lines: never a quiet, plausible model."""
    foreign = [
        raw
        for folder in ("guide", "facts")
        for raw in sorted((GUIDE_DIR.parent / folder).glob("show_license_*/*.raw"))
        if raw.parent.name.replace("_", " ") != command
    ]
    assert foreign
    for raw in foreign:
        try:
            result = parse(command, raw.read_text())
        except ParseError:
            continue
        assert result.unparsed_lines, raw


def test_one_udi_printed_twice_with_different_states_is_reported() -> None:
    """A dual-supervisor chassis prints one UDI twice with one state; a disagreement is not merged away."""
    text = (GUIDE_DIR / "show_license_authorization" / "dual_sup_c9606r_7cflf54a.raw").read_text()
    standby_differs = text.replace(
        "  Standby: PID:C9606R,SN:FXS241201WP\n"
        "    Status: SMART AUTHORIZATION INSTALLED on Dec 13 05:18:07 2021 UTC",
        "  Standby: PID:C9606R,SN:FXS241201WP\n    Status: NOT INSTALLED",
    )
    assert standby_differs != text
    result = parse("show license authorization", standby_differs, expect=LicenseAuthorization)
    assert result.members["FXS241201WP"].roles == ["active", "standby"]
    assert result.unparsed_lines == ["Standby: PID:C9606R,SN:FXS241201WP"]
