"""Our parsers against Genie's, side by side, on the same captures in one run (issue 2's "3x Genie" target).

    .venv/bin/python benchmarks/bench_vs_genie.py                       # Genie from /tmp/genie-venv
    .venv/bin/python benchmarks/bench_vs_genie.py --genie-python /path/to/venv/bin/python --rounds 50

Genie's side, once:

    python3 -m venv /tmp/genie-venv && /tmp/genie-venv/bin/pip install genie genie.libs.parser pyats

Genie never enters the project's environment: it runs in its own interpreter (a virtualenv with `genie`,
`genie.libs.parser` and `pyats`, about 750 MB) through benchmarks/genie_worker.py, which times its parses
itself, so the pipe is not measured. Both sides import, compile and parse every capture once before timing,
then run interleaved rounds (the side that goes first alternates) so machine noise hits both alike.
Captures: every guide example (tests/parsing/guide/*/*.raw) and every real capture (tests/corpus/real).
Speed is compared on the captures both sides parse; what Genie fails on (or has no parser for) is listed,
never silently dropped. "values" counts the distinct scalar values each side returned, a rough check that a
fast parse did read the capture.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.genie_worker import distinct_values  # noqa: E402
from nornir_catlic.errors import ParseError  # noqa: E402
from nornir_catlic.parsing import parse, template_for, warm_up  # noqa: E402

SOURCES = (
    REPO / "tests" / "parsing" / "guide",
    REPO / "tests" / "corpus" / "real",
)
WORKER = Path(__file__).with_name("genie_worker.py")
DEFAULT_GENIE_PYTHON = Path("/tmp/genie-venv/bin/python")


@dataclass(frozen=True)
class Capture:
    path: Path
    command: str
    text: str

    @property
    def label(self) -> str:
        for source in SOURCES:
            if self.path.is_relative_to(source):
                return f"{source.name}/{self.path.relative_to(source)}"
        return str(self.path)


def collect_captures() -> list[Capture]:
    captures = []
    for source in SOURCES:
        for path in sorted(source.glob("*/*")):
            if path.suffix in (".yml", ".yaml") or not path.is_file():
                continue
            command = path.parent.name.replace("_", " ")
            if template_for(command) is not None:
                captures.append(Capture(path, command, path.read_text()))
    return captures


class GenieWorker:
    """The worker process: one JSON request per line, one JSON reply per line."""

    def __init__(self, python: Path, captures: list[Capture], call: str) -> None:
        self._process = subprocess.Popen(
            [str(python), str(WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.hello = self._ask({"cases": [[c.command, c.text] for c in captures], "call": call})

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"the Genie worker exited with code {self._process.wait()}")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def round(self) -> list[float | None]:
        seconds: list[float | None] = self._ask({"round": True})["seconds"]
        return seconds

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps({"quit": True}) + "\n")
        self._process.stdin.close()
        self._process.wait(timeout=30)


def our_warm_up(captures: list[Capture]) -> tuple[dict[int, str], list[int | None]]:
    """Every capture parsed once: the errors, and the distinct values of each result."""
    failures = {}
    values: list[int | None] = []
    for index, capture in enumerate(captures):
        try:
            dumped = parse(capture.command, capture.text).model_dump(mode="json")
        except ParseError as error:
            failures[index] = f"ParseError: {str(error).splitlines()[0][:160]}"
            values.append(None)
            continue
        dumped.pop("command")  # the command we were given, not something read from the capture
        values.append(len(distinct_values(dumped)))
    return failures, values


def our_round(captures: list[Capture], skip: set[int]) -> list[float | None]:
    seconds: list[float | None] = []
    for index, capture in enumerate(captures):
        if index in skip:
            seconds.append(None)
            continue
        started = time.perf_counter()
        parse(capture.command, capture.text)
        seconds.append(time.perf_counter() - started)
    return seconds


def profile_ours(captures: list[Capture], skip: set[int], rounds: int) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [our_round(captures, skip) for _ in range(rounds)])
    print(f"\nour side, {rounds} rounds over the whole set, under cProfile:")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)


def median_us(values: list[float]) -> float:
    return statistics.median(values) * 1e6


@dataclass
class Side:
    failures: dict[int, str]
    values: list[int | None]
    rounds: list[list[float | None]]


def report(captures: list[Capture], common: list[int], ours: Side, genie: Side) -> None:
    per_command_ours: dict[str, list[float]] = defaultdict(list)
    per_command_genie: dict[str, list[float]] = defaultdict(list)
    captures_per_command: dict[str, int] = defaultdict(int)
    for index in common:
        captures_per_command[captures[index].command] += 1
    values_per_command: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for index in common:
        counts = values_per_command[captures[index].command]
        counts[0] += ours.values[index] or 0
        counts[1] += genie.values[index] or 0
    for our_seconds, genie_seconds in zip(ours.rounds, genie.rounds, strict=True):
        for index in common:
            command = captures[index].command
            per_command_ours[command].append(our_seconds[index] or 0.0)
            per_command_genie[command].append(genie_seconds[index] or 0.0)

    ratios: list[float] = []
    print(
        f"\n{'command':<24} {'captures':>8} {'ours us':>8} {'Genie us':>8} {'ours is':>8}"
        f" {'values ours/Genie':>18}"
    )
    for command in sorted(captures_per_command):
        our_median = median_us(per_command_ours[command])
        genie_median = median_us(per_command_genie[command])
        our_values, genie_values = values_per_command[command]
        ratios.append(genie_median / our_median)
        print(
            f"{command:<24} {captures_per_command[command]:>8} {our_median:>8.0f} {genie_median:>8.0f}"
            f" {genie_median / our_median:>7.2f}x {our_values:>10} / {genie_values}"
        )

    our_totals = [sum(seconds[i] or 0.0 for i in common) for seconds in ours.rounds]
    genie_totals = [sum(seconds[i] or 0.0 for i in common) for seconds in genie.rounds]
    our_rate = len(common) / statistics.median(our_totals)
    genie_rate = len(common) / statistics.median(genie_totals)
    print(
        f"\nwhole set ({len(common)} captures both sides parse, median of {len(ours.rounds)} rounds): "
        f"ours {our_rate:,.0f} parses/s, Genie {genie_rate:,.0f} parses/s"
        f" -> ours is {our_rate / genie_rate:.2f}x Genie (target: 3x)"
    )
    print(
        f"commands weighted alike (geometric mean of the per-command ratios): "
        f"ours is {statistics.geometric_mean(ratios):.2f}x Genie"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--genie-python", type=Path, default=DEFAULT_GENIE_PYTHON)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument(
        "--profile", action="store_true", help="also print where our side's time goes (cProfile, whole set)"
    )
    parser.add_argument(
        "--genie-call",
        choices=("parse", "cli"),
        default="parse",
        help="parse: Genie's parse() with its schema check, as device.parse() runs it (default); "
        "cli: the parser's cli() alone",
    )
    args = parser.parse_args()
    if not args.genie_python.exists():
        print(f"Genie interpreter {args.genie_python} not found: comparison skipped (see the docstring)")
        return 0

    captures = collect_captures()
    t0 = time.perf_counter()
    warm_up()
    ours_failed, our_values = our_warm_up(captures)
    print(f"ours: templates compiled, every capture parsed once in {(time.perf_counter() - t0) * 1e3:.0f} ms")
    t0 = time.perf_counter()
    worker = GenieWorker(args.genie_python, captures, args.genie_call)
    print(
        f"Genie (genie.libs.parser {worker.hello['genie']}, {args.genie_call}()): started, imported and "
        f"every capture parsed once in {(time.perf_counter() - t0) * 1e3:.0f} ms"
    )
    genie_failed = {index: message for index, message in worker.hello["failures"]}
    commands = sorted({c.command for c in captures})
    print(f"{len(captures)} captures over {len(commands)} commands")

    ours: list[list[float | None]] = []
    genie: list[list[float | None]] = []
    try:
        for round_number in range(args.rounds):
            if round_number % 2 == 0:
                ours.append(our_round(captures, set(ours_failed)))
                genie.append(worker.round())
            else:
                genie.append(worker.round())
                ours.append(our_round(captures, set(ours_failed)))
    finally:
        worker.close()

    for title, failed in (("ours", ours_failed), ("Genie", genie_failed)):
        print(f"\n{title} failed on {len(failed)} of {len(captures)} captures")
        for index, message in sorted(failed.items(), key=lambda item: captures[item[0]].label):
            print(f"  {captures[index].label}: {message}")

    common = [i for i in range(len(captures)) if i not in ours_failed and i not in genie_failed]
    if not common:
        print("no capture parsed by both sides: nothing to compare")
        return 1
    report(
        captures,
        common,
        Side(ours_failed, our_values, ours),
        Side(genie_failed, worker.hello["values"], genie),
    )
    if args.profile:
        profile_ours(captures, set(ours_failed), args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
