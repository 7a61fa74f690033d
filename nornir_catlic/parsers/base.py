"""The contract between templates and model builders, and the once-per-process template cache."""

from __future__ import annotations

import functools
import io
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import textfsm

from nornir_catlic.errors import ParseError
from nornir_catlic.models.common import ParsedOutput
from nornir_catlic.parsers.cleaning import CleanedOutput, excerpt
from nornir_catlic.parsers.engine import TemplateEngine
from textfsm_templates import template_path

Record = dict[str, Any]
"""One TextFSM record: value name -> str, or list for ``List`` values."""

Model = TypeVar("Model", bound=ParsedOutput)


class ValueOutOfRange(ValueError):
    """A captured value no model can hold (a number of 5,000 digits, hour 99); ``parse`` turns it into a
    ParseError naming the line that carries ``text``."""

    def __init__(self, text: str, reason: str):
        super().__init__(reason)
        self.text = text
        self.reason = reason


UNPARSED = "UNPARSED"
"""Every template ends each state with ``^\\s*${UNPARSED}``: the lines no other rule understood."""


class CompiledTemplate:
    """A TextFSM template compiled once: textfsm reads the template, our engine runs it (same records,
    faster, and with its state per call, so threads need no lock)."""

    def __init__(self, name: str):
        self.name = name
        self._engine = TemplateEngine(textfsm.TextFSM(io.StringIO(template_path(name).read_text())))
        self._header: list[str] = self._engine.header

    def parse(self, text: str) -> list[Record]:
        header = self._header
        return [dict(zip(header, row, strict=True)) for row in self._engine.parse_rows(text)]


@functools.cache
def compiled_template(name: str) -> CompiledTemplate:
    """The compiled template for a file name in ``textfsm_templates/`` (cached for the process)."""
    return CompiledTemplate(name)


@dataclass
class ParseContext:
    """What a builder gets besides the records: the command, the cleaned lines, and the report sink.

    Attributes:
        command: the command as the caller gave it.
        lines: cleaned output lines (what the templates saw).
        line_numbers: 1-based line number in the caller's raw output of each cleaned line.
        truncated: the output carried ``<output truncated>`` marks.
        unparsed: lines reported as not understood, in order.
    """

    command: str
    lines: list[str]
    line_numbers: list[int]
    truncated: bool = False
    unparsed: list[str] = field(default_factory=list)
    _search_from: int = field(default=0, repr=False)
    """Where ``line_containing`` starts looking: reports come in output order, so each search goes on
    from the last line found instead of rescanning the output (thousands of reports stay linear)."""
    _seen: set[str] = field(default_factory=set, repr=False)
    _seen_count: int = field(default=0, repr=False)
    """``unparsed[:_seen_count]`` is in ``_seen``: a membership test per report, not a list scan."""
    duplicated: set[str] = field(default_factory=set, repr=False)
    """Reported lines that repeat a row already read (counted once, never twice)."""

    @classmethod
    def of_output(cls, command: str, cleaned: CleanedOutput) -> ParseContext:
        return cls(command, cleaned.lines, cleaned.line_numbers, cleaned.truncated)

    def run(self, template: str, text: str | None = None) -> list[Record]:
        """Parse ``text`` (default: the whole cleaned output) with a template; collect its unparsed lines."""
        records = compiled_template(template).parse(self.text if text is None else text)
        for record in records:
            self.unparsed.extend(record.get(UNPARSED) or [])
        return records

    def run_or_reject(self, template: str) -> list[Record]:
        """Run a template over the whole output; raise when it understood nothing (not this output)."""
        records = self.run(template)
        if not understood_anything(records):
            raise self.not_this_output()
        return records

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def line_containing(self, *fragments: str) -> str:
        """The next output line containing every fragment (for reporting a value a builder rejects): the
        first one from the line last found, else the first one from the top."""
        lines = self.lines
        for index in itertools.chain(range(self._search_from, len(lines)), range(self._search_from)):
            line = lines[index]
            if all(fragment in line for fragment in fragments):
                self._search_from = index
                return line.strip()
        return " ".join(fragments)

    def report(self, *fragments: str) -> None:
        """Report the line carrying a value the model cannot represent (e.g. an unknown status)."""
        line = self.line_containing(*fragments)
        self._seen.update(self.unparsed[self._seen_count :])
        if line not in self._seen:
            self.unparsed.append(line)
            self._seen.add(line)
        self._seen_count = len(self.unparsed)

    def report_duplicate(self, *fragments: str) -> None:
        """Report a row printed twice: the model holds it once, ``unparsed_lines`` shows the repeat."""
        self.duplicated.add(self.line_containing(*fragments))
        self.report(*fragments)

    def line_number(self, line: str) -> int | None:
        for number, text in zip(self.line_numbers, self.lines, strict=True):
            if text.strip() == line.strip():
                return number
        return None

    def unparsed_error(self, reason: str) -> ParseError:
        """The error strict parsing raises: the first line no rule understood, with its number."""
        line = self.unparsed[0]
        if line in self.duplicated:
            reason = "a row printed twice"
        return ParseError(reason, command=self.command, line=line, line_number=self.line_number(line))

    def stamp(self, result: Model) -> Model:
        """The builder's result with what only the context knows: command, unparsed lines, truncation."""
        return result.model_copy(
            update={
                "command": self.command,
                "unparsed_lines": list(self.unparsed),
                "truncated": self.truncated,
            }
        )

    def not_this_output(self, reason: str = "output is not this command's output") -> ParseError:
        """The error to raise when the text is not the command's output at all."""
        first = next((line for line in self.lines if line.strip()), None)
        number = self.line_number(first) if first is not None else None
        return ParseError(reason, command=self.command, line=first, line_number=number)


Builder = Callable[[ParseContext], ParsedOutput]

BUILDERS: dict[str, Builder] = {}
"""Template file name -> builder turning that template's records into a model."""

SILENT_SUCCESS: set[str] = set()
"""Templates of commands whose success is an empty reply: ``parse`` hands their builder an empty output
instead of refusing it."""


def run_builder(builder: Callable[[ParseContext], Model], ctx: ParseContext) -> Model:
    """Run a builder; a value it cannot convert is a ParseError naming the line, never a ValueError."""
    try:
        return builder(ctx)
    except ValueOutOfRange as err:
        line = ctx.line_containing(err.text)
        raise ParseError(
            f"{err.reason}: {excerpt(err.text)!r}",
            command=ctx.command,
            line=excerpt(line),
            line_number=ctx.line_number(line),
        ) from err
    except (ValueError, OverflowError) as err:  # pydantic's ValidationError is a ValueError
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ParseError(f"a value cannot be represented ({excerpt(first)})", command=ctx.command) from err


def register_builder(
    template: str, *, silent_success: bool = False
) -> Callable[[Callable[[ParseContext], Model]], Callable[[ParseContext], Model]]:
    """Register the model builder for a template file name.

    The builder receives a ``ParseContext`` and usually starts with ``records = ctx.run_or_reject(template)``;
    composite commands run several templates over sections of the output. ``silent_success``: the command
    answers nothing when it succeeds, so an empty output is its reply (the builder uses ``ctx.run``; text
    it understands nothing of is still refused by ``parse``).
    """

    def decorator(builder: Callable[[ParseContext], Model]) -> Callable[[ParseContext], Model]:
        if template in BUILDERS:
            raise ValueError(f"a builder is already registered for {template}")
        BUILDERS[template] = builder
        if silent_success:
            SILENT_SUCCESS.add(template)
        return builder

    return decorator


def understood_anything(records: Iterable[Record]) -> bool:
    """True when some rule other than the UNPARSED catch-all captured a value."""
    return any(value for record in records for key, value in record.items() if key != UNPARSED)
