"""Genie side of bench_vs_genie.py; runs under Genie's own interpreter, never the project's.

Speaks JSON lines on stdin/stdout so the timing stays inside this process and the pipe is not measured:

    -> {"cases": [[command, text], ...], "call": "parse" or "cli"}
                                              load the parser classes, parse every case once (warm-up)
    <- {"genie": version, "classes": {command: "module.Class"}, "failures": [[index, "Error: message"], ...],
        "values": [distinct values in each parse result, or null where Genie raised]}
    -> {"round": true}                        parse every case once more, in order
    <- {"seconds": [per-case seconds, or null where Genie raised]}
    -> {"quit": true}

"parse" calls `Class(device=...).parse(output=text)`, what `device.parse(command, output=text)` runs once
the class is looked up: the parser's `cli()` and then Genie's schema check. "cli" calls `cli(output=text)`
alone, no schema check. A command Genie has no parser for fails every one of its cases ("no Genie parser").
"""

from __future__ import annotations

import json
import sys
import time
from importlib.metadata import version
from typing import Any
from unittest.mock import Mock

# Genie's own command lookup, asked for a plain IOS-XE device, picked these classes.
GENIE_CLASSES = {
    "show license all": "genie.libs.parser.iosxe.show_license.ShowLicenseAll",
    "show license status": "genie.libs.parser.iosxe.show_license.ShowLicenseStatus",
    "show license summary": "genie.libs.parser.iosxe.show_license.ShowLicenseSummary",
    "show license udi": "genie.libs.parser.iosxe.show_license.ShowLicenseUdi",
    "show license usage": "genie.libs.parser.iosxe.show_license.ShowLicenseUsage",
    "show version": "genie.libs.parser.iosxe.show_platform.ShowVersion",
    "show switch": "genie.libs.parser.iosxe.show_platform.ShowSwitch",
    "show switch detail": "genie.libs.parser.iosxe.show_platform.ShowSwitchDetail",
    "show switch stack-ports": "genie.libs.parser.iosxe.show_switch.ShowSwitchStackPorts",
}


def load_class(dotted: str) -> Any:
    module_name, _, class_name = dotted.rpartition(".")
    module = __import__(module_name, fromlist=[class_name])
    return getattr(module, class_name)


# With output= given Genie never talks to the device; one Mock, built outside the timing, stands in for it.
DEVICE = Mock()


def parse_once(parser_class: Any, text: str, call: str) -> Any:
    parser = parser_class(device=DEVICE)
    return parser.parse(output=text) if call == "parse" else parser.cli(output=text)


def distinct_values(parsed: Any) -> set[str]:
    """Distinct scalar values of a result: a rough measure of how much a side read. Dict keys never count
    (ours are field names), nor None, "" and False (our models say False for flags Genie omits)."""
    if isinstance(parsed, dict):
        return distinct_values(list(parsed.values()))
    if isinstance(parsed, (list, tuple)):
        return set().union(*(distinct_values(item) for item in parsed))
    return set() if parsed is None or parsed == "" or parsed is False else {str(parsed)}


def describe(error: Exception) -> str:
    lines = str(error).splitlines()
    return f"{type(error).__name__}: {lines[0][:160]}" if lines else type(error).__name__


def main() -> None:
    first = json.loads(sys.stdin.readline())
    cases: list[tuple[str, str]] = [tuple(case) for case in first["cases"]]
    call: str = first["call"]
    classes = {command: load_class(dotted) for command, dotted in GENIE_CLASSES.items()}

    failures: list[tuple[int, str]] = []
    values: list[int | None] = []
    for index, (command, text) in enumerate(cases):
        parser_class = classes.get(command)
        if parser_class is None:
            failures.append((index, "no Genie parser"))
            values.append(None)
            continue
        try:
            values.append(len(distinct_values(parse_once(parser_class, text, call))))
        except Exception as error:  # every exception is a failure to report, not a crash of the bench
            failures.append((index, describe(error)))
            values.append(None)
    failed = {index for index, _ in failures}
    reply = {
        "genie": version("genie.libs.parser"),
        "classes": GENIE_CLASSES,
        "failures": failures,
        "values": values,
    }
    print(json.dumps(reply), flush=True)

    for line in sys.stdin:
        request = json.loads(line)
        if request.get("quit"):
            return
        seconds: list[float | None] = []
        for index, (command, text) in enumerate(cases):
            if index in failed:
                seconds.append(None)
                continue
            started = time.perf_counter()
            parse_once(classes[command], text, call)
            seconds.append(time.perf_counter() - started)
        print(json.dumps({"seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()
