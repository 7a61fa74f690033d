"""Removing what surrounds a command's output: echo, CLI headers, prompts, truncation marks, CRLF."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

PROMPT = re.compile(r"^[\w.:/()\-]+[#>]\s*$")
PROMPT_WITH_COMMAND = re.compile(r"^(?:[\w.:/()\-]+[#>])?\s*(?P<command>\S.*)$")
CLI_HEADERS = (re.compile(r"^Load for (five|\d+) secs?:"), re.compile(r"^Time source is "))
TRUNCATION = re.compile(r"^\s*<\s*output (truncated|omitted)\s*>\s*$", re.IGNORECASE)
IOS_ERROR = re.compile(r"^\s*% ?(Invalid input|Incomplete command|Ambiguous command|Unknown command|Error)")


@dataclass(frozen=True)
class CleanedOutput:
    lines: list[str]
    line_numbers: list[int]  # 1-based position of each kept line in the raw text
    truncated: bool
    error: tuple[int, str] | None  # first IOS error reply, if any


def normalize_command(command: str) -> str:
    return " ".join(command.split())


def clean_output(raw: str, command: str, same_command: Callable[[str], bool]) -> CleanedOutput:
    """Strip the echoed command, `Load for`/`Time source` headers, the trailing prompt and truncation
    marks; normalise line ends and trailing spaces. ``same_command`` tells whether an echoed line names
    the same command (it may be abbreviated differently)."""
    raw_lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbered = [(number, line.rstrip()) for number, line in enumerate(raw_lines, start=1)]

    position = _skip_blank(numbered, 0)
    if position < len(numbered) and _is_echo(numbered[position][1], command, same_command):
        position += 1
    while True:
        position = _skip_blank(numbered, position)
        if position < len(numbered) and any(h.match(numbered[position][1]) for h in CLI_HEADERS):
            position += 1
            continue
        break
    body = numbered[position:]
    while body and not body[-1][1].strip():
        body.pop()
    if body and PROMPT.match(body[-1][1].strip()):
        body.pop()

    # One pass; the cheap '<' and '%' tests spare the regexes on the lines that cannot match them.
    lines: list[str] = []
    line_numbers: list[int] = []
    truncated = False
    error: tuple[int, str] | None = None
    for number, line in body:
        if "<" in line and TRUNCATION.match(line):
            truncated = True
            continue
        if error is None and "%" in line and IOS_ERROR.match(line):
            error = (number, line.strip())
        lines.append(line)
        line_numbers.append(number)
    return CleanedOutput(lines=lines, line_numbers=line_numbers, truncated=truncated, error=error)


def _skip_blank(numbered: list[tuple[int, str]], position: int) -> int:
    while position < len(numbered) and not numbered[position][1].strip():
        position += 1
    return position


def _is_echo(line: str, command: str, same_command: Callable[[str], bool]) -> bool:
    match = PROMPT_WITH_COMMAND.match(line)
    if not match:
        return False
    echoed = normalize_command(match["command"])
    return echoed == normalize_command(command) or same_command(echoed)
