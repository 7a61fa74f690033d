"""Removing what surrounds a command's output: echo, CLI headers, prompts, truncation marks, CRLF."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from nornir_catlic.errors import ParseError
from nornir_catlic.parsers.error_replies import is_error_reply

MAX_OUTPUT_CHARS = 8 * 1024 * 1024
"""The most text one command's output may hold: the largest real outputs (`show license all` of a big stack,
`show tech`) are hundreds of KB; more is a device flooding, refused before any template runs."""

MAX_LINE_CHARS = 8 * 1024
"""The longest line an output may hold: device lines are under 1 KB. Bounding them keeps every template
match cheap, whatever a line holds."""

EXCERPT_CHARS = 80
"""How much of an oversized line an error quotes."""

PROMPT = re.compile(r"^[\w.:/()\-]+[#>]\s*$")
PROMPT_WITH_COMMAND = re.compile(r"^(?:[\w.:/()\-]+[#>])?\s*(?P<command>\S.*)$")
CLI_HEADERS = (re.compile(r"^Load for (five|\d+) secs?:"), re.compile(r"^Time source is "))
TRUNCATION = re.compile(r"^\s*<\s*output (truncated|omitted)\s*>\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class CleanedOutput:
    lines: list[str]
    line_numbers: list[int]  # 1-based position of each kept line in the raw text
    truncated: bool
    error: tuple[int, str] | None  # first IOS error reply, if any
    open_end: bool = False  # the last kept line had no line end after it (possibly cut)


def normalize_command(command: str) -> str:
    return " ".join(command.split())


def clean_output(raw: str, command: str, same_command: Callable[[str], bool]) -> CleanedOutput:
    """Strip the echoed command, `Load for`/`Time source` headers, the trailing prompt and truncation
    marks; normalise line ends and trailing spaces. ``same_command`` tells whether an echoed line names
    the same command (it may be abbreviated differently)."""
    check_size(raw, command)
    raw_lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    check_line_lengths(raw_lines, command)
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

    # One pass; the cheap '<' test spares the regex on the lines that cannot match it.
    lines: list[str] = []
    line_numbers: list[int] = []
    truncated = False
    error: tuple[int, str] | None = None
    for number, line in body:
        if "<" in line and TRUNCATION.match(line):
            truncated = True
            continue
        if error is None and is_error_reply(line):
            error = (number, line.strip())
        lines.append(line)
        line_numbers.append(number)
    open_end = bool(line_numbers) and line_numbers[-1] == len(raw_lines)
    return CleanedOutput(
        lines=lines, line_numbers=line_numbers, truncated=truncated, error=error, open_end=open_end
    )


def check_size(raw: str, command: str) -> None:
    """Refuse an output larger than ``MAX_OUTPUT_CHARS``, naming the line where it crosses the limit."""
    if len(raw) <= MAX_OUTPUT_CHARS:
        return
    line_start = max(raw.rfind("\n", 0, MAX_OUTPUT_CHARS), raw.rfind("\r", 0, MAX_OUTPUT_CHARS)) + 1
    number = (
        raw.count("\n", 0, line_start) + raw.count("\r", 0, line_start) - raw.count("\r\n", 0, line_start)
    )
    raise ParseError(
        f"an output of {len(raw):,} characters, more than the limit of {MAX_OUTPUT_CHARS:,} (reached"
        " on this line)",
        command=command,
        line=excerpt(raw[line_start : line_start + EXCERPT_CHARS + 1]),
        line_number=number + 1,
    )


def check_line_lengths(lines: list[str], command: str) -> None:
    """Refuse a line longer than ``MAX_LINE_CHARS`` (the first one, by its 1-based number)."""
    if not lines or max(map(len, lines)) <= MAX_LINE_CHARS:
        return
    number, line = next((n, line) for n, line in enumerate(lines, start=1) if len(line) > MAX_LINE_CHARS)
    raise ParseError(
        f"a line of {len(line):,} characters, more than the limit of {MAX_LINE_CHARS:,}",
        command=command,
        line=excerpt(line),
        line_number=number,
    )


def excerpt(line: str) -> str:
    """The start of a line, marked as cut when it is longer than an error may quote."""
    line = line.split("\n", 1)[0].split("\r", 1)[0]
    return line if len(line) <= EXCERPT_CHARS else line[:EXCERPT_CHARS] + "..."


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
