"""No output makes a parse slower than linear in its size, and every failure is a ParseError.

For every command of the index: one enormous line, tens of thousands of repeated lines, random garbage,
real lines padded or extended to thousands of characters, and numbers of thousands of digits. Each input
either parses or raises ParseError, and the time at size 8n stays far from 64 times the time at size n
(quadratic); linear is about 8. The inputs are built from a real output of each command, so the padded
lines reach the template rules that read them.
"""

from __future__ import annotations

import gc
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from parsing_cases import GUIDE_DIR

from nornir_catlic.errors import ParseError
from nornir_catlic.parsing import MAX_LINE_CHARS, MAX_OUTPUT_CHARS, parse, supported_commands, template_for
from nornir_catlic.syslog import parse_syslog

HERE = Path(__file__).parent

ACTION_REPLIES = {
    "license smart authorization return all offline": (
        "Enter this return code in Cisco Smart Software Manager portal:\n"
        "UDI: PID:C9300X-24HX,SN:FOC2519L8R7\n"
        "Return code: Cr9JHx-L1x5Rj-ftwzgl-h9QZAU-LE5DT1-babWeL-FABPt9-Wr1Dn7-Rp7\n"
    ),
    "license smart import bootflash:slac.txt": (
        "Import Data Successful\n"
        "Last Confirmation code UDI: PID:C9300X-48HX,SN:FOC2516LC92\n"
        "Confirmation code: 59e155ae\n"
    ),
    "license smart save usage unreported file bootflash:usage.txt": "The requested item was not found\n",
    # a filtered show: its output is a few configuration lines
    "show running-config | include ^clock": (
        "clock timezone pacific -8 0\nclock summer-time PDT recurring 2 Sun Mar 2:00 1 Sun Nov 2:00 60\n"
    ),
    "license smart authorization request add hseck9 local": "The requested item was not found\n",
    "license smart reservation request all": (
        "Enter this request code in the Cisco Smart Software Manager portal:\n"
        "UDI: PID:C9300-24P,SN:FCW2223G0S2\n"
        "Request code: CB-ZC9300-24P:FCW2223G0S2-AZVJFkb5x-C3\n"
    ),
    "license smart reservation install file bootflash:slr.txt": (
        "Reservation install file failed: The Reservation Authorization Code does not match the"
        " Reservation Request Code\n"
        "Last Confirmation code UDI: PID:C9500-32C,SN:CAT2148L15K\n"
        "    Confirmation code: 5e8a51ae\n"
    ),
    "license smart reservation return local": (
        "Enter this return code in the Cisco Smart Software Manager portal:\n"
        "UDI: PID:C9500-32C,SN:CAT2148L15K\n"
        "Return code: CqaUPW-WSPYiq-ZNU2tK-LFjeGZ-9FrMWk-ZsCbBW-zATXN3-kgc\n"
    ),
    "license smart reservation cancel local": "No reservation authorization code installed in device\n",
    "license smart register idtoken abc": (
        "Registration process is in progress. Use the 'show license status' command to check the"
        " progress and result\n"
    ),
    "license smart trust idtoken abc all force": "Time source is NTP, 19:05:29.741 UTC Fri Dec 3 2021\n",
}

SHOW_COMMANDS = (
    "show license all",
    "show license authorization",
    "show license status",
    "show license summary",
    "show license udi",
    "show license usage",
    "show logging",
    "show version",
    "show switch",
    "show switch detail",
    "show switch stack-ports",
    "show inventory",
    "show license reservation",
    "show license tech support",
    "show license rum id all detail",
    "show license eventlog",
    "show license history message",
)

LINEAR_RATIO_LIMIT = 24
"""Time at 8n over time at n: about 8 when linear, 64 when quadratic."""


def sample_output(command: str) -> str:
    """A real output of the command: the biggest capture we hold for it."""
    if command in ACTION_REPLIES:
        return ACTION_REPLIES[command]
    folder = command.replace(" ", "_")
    captures = [*(GUIDE_DIR / folder).glob("*.raw"), *(HERE / "facts" / folder).glob("*.raw")]
    if command == "show switch":  # its table is the members table of `show switch detail`
        captures += (GUIDE_DIR / "show_switch_detail").glob("*.raw")
    if command == "show inventory":
        return (
            'NAME: "c93xx Stack", DESCR: "c93xx Stack"\n'
            "PID: C9300X-24HX      , VID: V01  , SN: FOC2519L8R7\n\n"
            'NAME: "Switch 1", DESCR: "C9300X-24HX"\n'
            "PID: C9300X-24HX      , VID: V01  , SN: FOC2519L8R7\n"
        )
    assert captures, f"no capture for {command}"
    return max((path.read_text() for path in captures), key=len)


COMMANDS = (*SHOW_COMMANDS, *ACTION_REPLIES)


def test_every_indexed_template_is_fuzzed() -> None:
    fuzzed = {template_for(command) for command in COMMANDS}
    assert None not in fuzzed
    assert len(fuzzed) == len(supported_commands())


def outcome(command: str, text: str) -> str:
    """'parsed' or 'ParseError'; anything else raised fails the test."""
    try:
        parse(command, text)
    except ParseError:
        return "ParseError"
    return "parsed"


def timed(command: str, text: str) -> float:
    """CPU seconds of one parse: unlike wall time, it does not count the time other processes ran.

    The garbage collector is off while it runs: its passes grow with every object alive, which made a linear
    parse of 2.8 MB measure 16x for 8x the input (9x without them), and this test is about the templates."""
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        outcome(command, text)
        return time.process_time() - start
    finally:
        gc.enable()


def assert_linear(command: str, build: Callable[[int], str], n: int) -> None:
    """CPU time at 8n over CPU time at n, each the best of a few interleaved runs; a quadratic parse stays
    far above the limit however often it is measured."""
    small, large = build(n), build(8 * n)
    outcome(command, small)  # templates compile their joined rules on first use
    best_small = best_large = float("inf")
    for _ in range(3):
        best_small = min(best_small, timed(command, small), timed(command, small))
        best_large = min(best_large, timed(command, large))
        if best_large / best_small < LINEAR_RATIO_LIMIT:
            return
    ratio = best_large / best_small
    assert ratio < LINEAR_RATIO_LIMIT, f"{command}: 8x the input took {ratio:.0f}x the time"


# --- the inputs -----------------------------------------------------------------------------------------

BLANKS = re.compile(r"[ \t]+")


def padded_lines(sample: str, width: int) -> str:
    """Each line of the sample made about ``width`` characters long, one way per pass over the sample:
    a blank run widened (spaces, tabs, or spaces then a word), words or brackets appended, or the line's
    own words repeated. Rules that read the line still see its shape, so their regexes run in full."""
    lines = [line for line in sample.splitlines() if line.strip()]
    ways: list[Callable[[str], str]] = [
        lambda line: BLANKS.sub(lambda m: " " * width, line, count=1),
        lambda line: BLANKS.sub(lambda m: "\t" * width, line, count=1),
        lambda line: widen_last_blank(line, width),
        lambda line: BLANKS.sub(lambda m: " " * (width // max(1, len(BLANKS.findall(line)))), line),
        lambda line: line[: len(line) // 2] + " " * width + "x" + line[len(line) // 2 :],
        lambda line: (line + " a" * (width // 2))[:width],
        lambda line: line + " (a" * (width // 3),
        lambda line: line + "(" * width,
        lambda line: line + " " * width + "x",
        lambda line: " " * width + line,
        lambda line: (line + " " + line) * max(1, width // (2 * len(line) + 2)),
    ]
    out = []
    for way in ways:
        out.extend(way(line)[: MAX_LINE_CHARS - 1] for line in lines)
        out.append("")
    return "\n".join(out) + "\n"


def widen_last_blank(line: str, width: int) -> str:
    """The line with its last blank run (before the last word: where free text ends) ``width`` wide."""
    runs = list(BLANKS.finditer(line))
    if not runs:
        return line + " " * width + "x"
    last = runs[-1]
    return line[: last.start()] + " " * width + line[last.end() :]


def repeated_lines(sample: str, count: int) -> str:
    lines = [line for line in sample.splitlines() if line.strip()]
    return "\n".join(lines[i % len(lines)] for i in range(count)) + "\n"


def garbage(size: int, seed: int = 8) -> str:
    """Printable noise with punctuation IOS prints, in lines of up to 200 characters."""
    rng = random.Random(seed)
    alphabet = "abcXYZ019 \t:,.()[]*-/%<>#=\"'"
    chunks = []
    total = 0
    while total < size:
        line = "".join(rng.choices(alphabet, k=rng.randint(0, 200)))
        chunks.append(line)
        total += len(line) + 1
    return "\n".join(chunks)


def huge_numbers(sample: str, digits: int) -> str:
    return re.sub(r"\d+", "9" * digits, sample)


# --- the tests --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_padded_real_lines_parse_in_linear_time(command: str) -> None:
    assert_linear(command, lambda width: padded_lines(sample_output(command), width), 400)


@pytest.mark.parametrize("command", COMMANDS)
def test_repeated_lines_parse_in_linear_time(command: str) -> None:
    assert_linear(command, lambda count: repeated_lines(sample_output(command), count), 50_000 // 8)


@pytest.mark.parametrize("command", COMMANDS)
def test_garbage_parses_or_is_a_parse_error_in_linear_time(command: str) -> None:
    assert_linear(command, garbage, 1024 * 1024 // 8)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_one_megabyte_line_is_refused_at_once(command: str) -> None:
    line = "x" + " " * (1024 * 1024) + "y"
    start = time.process_time()
    with pytest.raises(
        ParseError, match=r"a line of 1,048,578 characters, more than the limit of 8,192"
    ) as info:
        parse(command, sample_output(command) + line + "\n")
    assert time.process_time() - start < 0.5
    assert info.value.line_number == len(sample_output(command).split("\n"))
    assert info.value.line is not None and len(info.value.line) < 100


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("digits", [19, 5_000])
def test_huge_numbers_are_parse_errors_or_text(command: str, digits: int) -> None:
    assert outcome(command, huge_numbers(sample_output(command), digits)) in ("parsed", "ParseError")


def test_a_count_of_five_thousand_digits_names_its_line() -> None:
    text = "License Usage:\n  network-advantage  (C9300-24 Network Advantage)  " + "9" * 5000 + " IN USE\n"
    with pytest.raises(ParseError, match="more than 18 digits") as info:
        parse("show license summary", text)
    assert info.value.line_number == 2
    assert info.value.command == "show license summary"


def test_an_output_beyond_the_limit_is_refused_with_the_line_it_reaches() -> None:
    line = "x" * 99 + "\n"
    text = line * (MAX_OUTPUT_CHARS // len(line) + 10)
    with pytest.raises(ParseError, match=f"more than the limit of {MAX_OUTPUT_CHARS:,}") as info:
        parse("show logging", text)
    assert info.value.line_number == MAX_OUTPUT_CHARS // len(line) + 1


def test_the_reported_forty_thousand_blank_row_is_refused_fast_and_a_long_legal_one_parses() -> None:
    header = "License Usage:\n  License  Entitlement Tag  Count Status\n  ------------------\n"
    row = "  network-advantage  (C9300-24 Network Advantage)  1 IN{}USE\n"
    start = time.process_time()
    with pytest.raises(ParseError, match="a line of"):
        parse("show license summary", header + row.format(" " * 40_000))
    summary = parse("show license summary", header + row.format(" " * (MAX_LINE_CHARS - 100)))
    assert time.process_time() - start < 0.5
    assert [(r.license, r.count) for r in summary.licenses] == [("network-advantage", 1)]


def test_thousands_of_values_reported_as_unknown_stay_linear() -> None:
    """Each unknown status is reported with its line; finding that line must not rescan the output."""

    def rows(count: int) -> str:
        row = "  network-advantage  (C9300-24 Network Advantage)  1 STATE{}\n"
        return "License Usage:\n" + "".join(row.format(number) for number in range(count))

    summary = parse("show license summary", rows(3))
    assert summary.unparsed_lines == [
        f"network-advantage  (C9300-24 Network Advantage)  1 STATE{n}" for n in range(3)
    ]
    assert_linear("show license summary", rows, 2_000)


def test_a_message_wrapped_over_thousands_of_lines_stays_linear() -> None:
    """The wrapped lines of one syslog message are joined, then searched for its facts (the reason of a
    communications failure): each phrase repeated must not restart a scan of the rest of the text."""

    def message(count: int) -> str:
        wrapped = "".join(f"  and Communications failure with server{n}\n" for n in range(count))
        return "Dec  3 18:25:44.612 UTC: %SMART_LIC-3-COMM_FAILED: Communications lost\n" + wrapped

    assert_linear("show logging", message, 2_000)
    reply = "Dec  3 18:25:44.612 UTC: %SMART_LIC-3-COMM_FAILED: Communications failure with CSLU : No route\n"
    assert parse("show logging", reply).events[0].reason == "No route"


@pytest.mark.parametrize(
    ("command", "text", "line_number"),
    [
        (
            "show license authorization",
            "Overall status:\n  Active: PID:C9300X-24HX,SN:FOC2519L8R7\n"
            "      Status: SMART AUTHORIZATION INSTALLED on Dec 03 18:34:03 9999 UTC\n",
            3,
        ),
        (
            "show logging",
            "Dec  3 0001 18:25:44.612 UTC: %SMART_LIC-5-COMM_RESTORED: Communications restored\n",
            1,
        ),
        (
            "show logging",
            "Dec  3 18:25:44.612 UTC: %SMART_LIC-5-COMM_RESTORED: back in 99999999999999999999 days\n",
            1,
        ),
        ("show logging", "Dec  3 99:25:44.612 UTC: %SMART_LIC-5-COMM_RESTORED: Communications restored\n", 1),
    ],
    ids=["year-9999", "syslog-year-1", "days-of-20-digits", "hour-99"],
)
def test_absurd_dates_and_numbers_are_parse_errors_naming_the_line(
    command: str, text: str, line_number: int
) -> None:
    with pytest.raises(ParseError) as info:
        parse(command, text)
    assert info.value.command == command
    assert info.value.line_number == line_number


def test_parse_syslog_bounds_its_input_and_values_too() -> None:
    with pytest.raises(ParseError, match="more than 18 digits") as info:
        parse_syslog("Dec  3 18:25:44.612 UTC: %SMART_LIC-5-COMM_RESTORED: back in " + "9" * 5000 + " days\n")
    assert info.value.line_number == 1
    with pytest.raises(ParseError, match="a line of"):
        parse_syslog("x" * (MAX_LINE_CHARS + 1))
