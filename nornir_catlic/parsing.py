"""``parse(command, output)``: device text to a typed model, through the bundled TextFSM index.

The index and every template are read and compiled once per process. The command is matched against
the WHOLE index entry (``sh lic sum`` is ``show license summary``; ``show license summary detail`` is not).
"""

from __future__ import annotations

import difflib
import functools
import importlib
import pkgutil
import re
from typing import TypeVar, overload

from textfsm import clitable

import nornir_catlic.parsers
from nornir_catlic.errors import ParseError
from nornir_catlic.models.common import ParsedOutput
from nornir_catlic.parsers.base import (
    BUILDERS,
    SILENT_SUCCESS,
    ParseContext,
    compiled_template,
    run_builder,
)
from nornir_catlic.parsers.cleaning import (
    MAX_LINE_CHARS,
    MAX_OUTPUT_CHARS,
    clean_output,
    normalize_command,
)
from nornir_catlic.parsers.cuts import forbidden_character, last_line_is_cut
from nornir_catlic.parsers.signatures import foreign_line
from nornir_catlic.parsers.values import ZoneOffsets, to_zone_table, zone_offsets
from textfsm_templates import INDEX_FILE

DEFAULT_PLATFORM = "cisco_xe"
Model = TypeVar("Model", bound=ParsedOutput)


def _load_builders() -> None:
    for module in pkgutil.iter_modules(nornir_catlic.parsers.__path__):
        importlib.import_module(f"nornir_catlic.parsers.{module.name}")


_load_builders()


def _expand_completion(key: str, value: str) -> str:
    """ntc-templates' `sh[[ow]]` -> `sh(o(w)?)?`, as textfsm's CliTable does."""
    if key != "Command":
        return value
    return re.sub(r"\[\[(.+?)\]\]", lambda m: "(" + "(".join(m[1]) + ")?" * len(m[1]), value)


def _no_template_compile(key: str, value: str) -> str | None:
    return None if key == "Template" else value


@functools.cache
def _index() -> clitable.IndexTable:
    return clitable.IndexTable(_expand_completion, _no_template_compile, str(INDEX_FILE))


@functools.lru_cache(maxsize=4096)  # bounded: echo detection looks up arbitrary first lines
def template_for(command: str, platform: str = DEFAULT_PLATFORM) -> str | None:
    """The template file our index maps a command to, or None when the command is not supported."""
    row = _index().GetRowMatch({"Platform": platform, "Command": normalize_command(command).lower()})
    if not row:
        return None
    template: str = _index().index[row]["Template"]
    return template


def supported_commands() -> list[str]:
    """The index's command patterns (abbreviation syntax), for help texts and error messages."""
    return [row["Command"] for row in _index().index]


def command_names() -> list[str]:
    """The commands the index knows, written out in full (``show license summary``; a command taking
    arguments, such as ``license smart import <file>``, without them)."""
    names = []
    for pattern in supported_commands():  # expanded already: `sh(o(w)?)? ...( \S+)*$`
        words = re.sub(r"(\( \\[Sd]\+\)[*+?]| \\S\+)?\$$", "", pattern)
        words = re.sub(r"\((\w+)\|[^()]*\)", r"\1", words)  # `rum id (all|\d+)`: its first choice
        names.append(re.sub(r"\)\?|\(", "", words))
    return names


def _command_of(template: str) -> str:
    """The command (written out in full) the index maps to a template."""
    for row, name in zip(_index().index, command_names(), strict=True):
        if row["Template"] == template:
            return name
    return template


def _nearest(command: str, names: list[str]) -> list[str]:
    """The names closest to a misspelt command: the best one, and any as close as it."""
    scored = sorted(
        ((difflib.SequenceMatcher(None, command, name).ratio(), name) for name in names), reverse=True
    )
    best = scored[0][0] if scored else 0.0
    return [name for ratio, name in scored if ratio >= max(0.6, best - 0.02)]


def _no_template_error(command: str) -> ParseError:
    """``no template``, naming the commands the caller may have meant: every command the words
    abbreviate (``sh lic s``), else the nearest spellings (``show licence summary``)."""
    words = normalize_command(command).lower().split()
    names = command_names()
    if not words:
        return ParseError("no template for an empty command", command=command)
    abbreviated = sorted(
        name
        for name in names
        if len(name.split()) >= len(words)
        and all(full.startswith(word) for word, full in zip(words, name.split(), strict=False))
    )
    if len(abbreviated) > 1:
        return ParseError(
            "no template: an ambiguous command, between " + " and ".join(abbreviated), command=command
        )
    near = abbreviated or _nearest(" ".join(words), names)
    hint = f"; did you mean {' or '.join(near)}?" if near else ""
    return ParseError(f"no template for this command{hint}", command=command)


@overload
def parse(
    command: str, output: str, *, strict: bool = ..., platform: str = ..., zones: ZoneOffsets | None = ...
) -> ParsedOutput: ...
@overload
def parse(
    command: str,
    output: str,
    *,
    expect: type[Model],
    strict: bool = ...,
    platform: str = ...,
    zones: ZoneOffsets | None = ...,
) -> Model: ...
def parse(
    command: str,
    output: str,
    *,
    expect: type[ParsedOutput] | None = None,
    strict: bool = False,
    platform: str = DEFAULT_PLATFORM,
    zones: ZoneOffsets | None = None,
) -> ParsedOutput:
    """Parse a command's output into its typed model.

    Args:
        command: the command as sent, abbreviations allowed (``sh lic sum``).
        output: the raw text (``str``; decode bytes first); an echoed command, ``Load for``/``Time
            source`` headers, a trailing prompt, ``<output truncated>`` marks and CRLF line ends are
            tolerated. A last line with no line end that stops inside a value (a serial of 3 characters)
            sets ``truncated`` on the result.
        expect: the model class the caller relies on (``expect=LicenseSummary`` types the result for
            mypy and raises ParseError if the command maps to another model).
        strict: raise on the first line no template rule understood (or a row printed twice) instead
            of listing it in ``unparsed_lines``, and on a control character or U+FFFD in the output.
        platform: index platform (``cisco_xe``; ``cisco_ios`` is an alias).
        zones: zone name -> UTC offset in hours (``{"pacific": -8}``, the device's ``clock timezone``):
            dates printed in a zone found neither here nor among the common abbreviations (UTC, PDT, CET,
            IST as India...) become a ``LocalTime`` (wall-clock time + zone name, offset unknown).

    Raises:
        ParseError: output or command that is not ``str``; an unsupported command (naming the commands
            it may have meant); an IOS error reply; text that is not this command's output (nothing
            understood, or a line only another command prints); an
            output beyond ``MAX_OUTPUT_CHARS`` or with a line beyond ``MAX_LINE_CHARS``, a value no model
            can hold (a number of thousands of digits), or (strict) a line not understood. It names the
            command and the offending line.
    """
    if not isinstance(command, str):
        raise ParseError(
            f"the command must be text (str), not {type(command).__name__}", command=repr(command)
        )
    if not isinstance(output, str):
        kind = type(output).__name__
        hint = " (decode the bytes first)" if isinstance(output, bytes | bytearray) else ""
        raise ParseError(f"the output must be text (str), not {kind}{hint}", command=command)
    template = template_for(command, platform)
    builder = BUILDERS.get(template) if template else None
    if template is None or builder is None:
        raise _no_template_error(command)

    cleaned = clean_output(output, command, lambda echoed: template_for(echoed, platform) == template)
    if cleaned.error is not None:
        number, line = cleaned.error
        raise ParseError("the device answered with an error", command=command, line=line, line_number=number)
    ctx = ParseContext.of_output(command, cleaned)
    if cleaned.open_end and last_line_is_cut(ctx.lines[-1]):
        ctx.truncated = True
    if strict and (forbidden := forbidden_character(ctx.lines)) is not None:
        index, line = forbidden
        raise ParseError(
            "a control character or U+FFFD (bytes that were not text) inside the output",
            command=command,
            line=line,
            line_number=ctx.line_numbers[index],
        )
    if not any(line.strip() for line in ctx.lines) and template not in SILENT_SUCCESS:
        raise ParseError("empty output", command=command)

    try:
        zone_table = to_zone_table(zones)
    except ValueError as error:  # a zone offset beyond +-23 h: the caller's mistake, named
        raise ParseError(str(error), command=command) from None
    with zone_offsets(zone_table):
        result = run_builder(builder, ctx)
    if ctx.unparsed and len(ctx.unparsed) == sum(1 for line in ctx.lines if line.strip()):
        raise ctx.not_this_output()
    foreign = foreign_line(template, ctx.unparsed)
    if foreign is not None:
        line, other = foreign
        raise ParseError(
            f"output is not this command's output: this line is {_command_of(other)}'s",
            command=command,
            line=line,
            line_number=ctx.line_number(line),
        )
    if strict and ctx.unparsed:
        raise ctx.unparsed_error("line not understood")
    if expect is not None and not isinstance(result, expect):
        raise ParseError(f"parses into {type(result).__name__}, not {expect.__name__}", command=command)
    return ctx.stamp(result)


def warm_up() -> None:
    """Compile every indexed template now (servers and benchmarks call this once at start)."""
    for row in _index().index:
        compiled_template(row["Template"])


__all__ = [
    "DEFAULT_PLATFORM",
    "MAX_LINE_CHARS",
    "MAX_OUTPUT_CHARS",
    "command_names",
    "parse",
    "supported_commands",
    "template_for",
    "warm_up",
]
