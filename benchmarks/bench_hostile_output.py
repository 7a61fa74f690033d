"""Hostile output benchmark: a `show license summary` row padded with blanks, and one 64 KB line.

    .venv/bin/python benchmarks/bench_hostile_output.py           # pads up to 8,000 blanks
    .venv/bin/python benchmarks/bench_hostile_output.py --full    # also 40,000 blanks (about 10 s of CPU)

For each padding it prints, in CPU milliseconds:
- the row matched by the lazy pattern the templates used before (``\\S.*?`` ... ``\\s*$``): quadratic;
- the row matched by the template's rule now: linear;
- ``parse("show license summary", ...)``: parsed, or refused at once when the line is over MAX_LINE_CHARS.
Then a 64 KB line through ``parse("show license all", ...)`` and through the composite template alone.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import textfsm

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nornir_catlic.errors import ParseError  # noqa: E402
from nornir_catlic.parsers.base import compiled_template  # noqa: E402
from nornir_catlic.parsing import MAX_LINE_CHARS, parse, warm_up  # noqa: E402
from textfsm_templates import template_path  # noqa: E402

LAZY_ROW = re.compile(
    r"^\s*(?P<LICENSE>\S.*?)\s+\((?P<ENTITLEMENT_TAG>.+?)\)\s+(?P<COUNT>\d+)\s+(?P<STATUS>\S.*?)\s*$"
)
"""The summary's License Usage row rule before the templates were made linear."""

HEADER = (
    "License Usage:\n  License                 Entitlement Tag               Count Status\n"
    "  -----------------------------------------------------------------------------\n"
)
ROW = "  network-advantage       (C9300-24 Network Advantage)      1 IN{}USE"


def current_row_rule() -> re.Pattern[str]:
    """The same rule as the summary template holds it today."""
    fsm = textfsm.TextFSM(io.StringIO(template_path("cisco_xe_show_license_summary.textfsm").read_text()))
    rule = next(rule for rule in fsm.states["Usage"] if "LICENSE" in rule.regex)
    pattern: re.Pattern[str] = rule.regex_obj.regex
    return pattern


def cpu_ms(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return (time.process_time() - start) * 1000


def parse_outcome(command: str, text: str) -> str:
    try:
        parse(command, text)
    except ParseError:
        return "refused"
    return "parsed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also pad with 40,000 blanks (slow before)")
    args = parser.parse_args()
    warm_up()
    rule = current_row_rule()
    pads = [1_000, 4_000, 8_000] + ([40_000] if args.full else [])
    print(f"summary row padded with N blanks inside its status (MAX_LINE_CHARS = {MAX_LINE_CHARS:,})")
    print(f"{'N':>8} {'lazy rule (before)':>20} {'rule now':>10} {'parse() now':>14}")
    for pad in pads:
        row = ROW.format(" " * pad)
        before = cpu_ms(lambda row=row: LAZY_ROW.match(row))
        now = cpu_ms(lambda row=row: rule.match(row))
        text = HEADER + row + "\n"
        outcome = parse_outcome("show license summary", text)
        whole = cpu_ms(lambda text=text: parse_outcome("show license summary", text))
        print(f"{pad:>8} {before:>17.1f} ms {now:>7.2f} ms {whole:>8.2f} ms ({outcome})")

    line = "  Status: AUTHORIZED" + " " * (64 * 1024) + "x"
    text = "Smart Licensing Status\n======================\n\n" + line + "\n"
    whole = cpu_ms(lambda: parse_outcome("show license all", text))
    template = compiled_template("cisco_xe_show_license_all.textfsm")
    alone = cpu_ms(lambda: template.parse(text))
    print(
        f"64 KB line: parse('show license all') {whole:.2f} ms ({parse_outcome('show license all', text)});"
    )
    print(f"            the composite template alone, without the line bound, {alone:.1f} ms")


if __name__ == "__main__":
    main()
