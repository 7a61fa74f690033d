"""What ``parse()`` refuses before any template runs: non-text output, and commands it does not know
(naming the ones the caller may have meant)."""

from __future__ import annotations

import pytest

from nornir_catlic.errors import ParseError
from nornir_catlic.parsing import command_names, parse

SUMMARY = "License Usage:\n  License  Entitlement Tag  Count Status\n"


@pytest.mark.parametrize("output", [SUMMARY.encode(), bytearray(SUMMARY.encode()), None, 42, [SUMMARY]])
def test_output_that_is_not_text_is_a_parse_error(output: object) -> None:
    with pytest.raises(ParseError, match=f"must be text \\(str\\), not {type(output).__name__}") as raised:
        parse("show license summary", output)  # type: ignore[arg-type]
    assert raised.value.command == "show license summary"


def test_bytes_are_told_to_be_decoded() -> None:
    with pytest.raises(ParseError, match="decode the bytes first"):
        parse("show license summary", SUMMARY.encode())  # type: ignore[arg-type]


def test_a_command_that_is_not_text_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="command must be text"):
        parse(None, SUMMARY)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("command", "meant"),
    [
        ("show licence summary", "show license summary"),
        ("show license summery", "show license summary"),
        ("sh licence summ", "show license summary"),
        ("show lisence udi", "show license udi"),
        ("sh ver x", "show version"),
    ],
)
def test_a_misspelt_command_suggests_the_nearest_known_one(command: str, meant: str) -> None:
    with pytest.raises(ParseError, match="no template") as raised:
        parse(command, SUMMARY)
    assert str(raised.value).endswith(f"did you mean {meant}?")


def test_an_ambiguous_abbreviation_names_every_command_it_abbreviates() -> None:
    with pytest.raises(ParseError, match="ambiguous") as raised:
        parse("sh lic s", SUMMARY)
    assert str(raised.value).endswith("between show license status and show license summary")


def test_a_command_far_from_every_known_one_suggests_nothing() -> None:
    with pytest.raises(ParseError, match=r"no template for this command$"):
        parse("show ip route", SUMMARY)


def test_command_names_are_written_out_in_full() -> None:
    names = command_names()
    assert "show license summary" in names and "license smart import" in names
    assert all("(" not in name and "$" not in name for name in names)
