"""Tables that never cut a word: serials, UDIs, boot levels and codes stay whole at any width.

Three layouts, chosen when the table is drawn, from the width it is given:

- wide enough for every cell on one line: rich's table as it is;
- wide enough for the longest word of each column: a table whose columns wrap between words only;
- narrower: each row becomes a list, ``Column: value`` one per line, every value on one line whole
  (printed uncropped: a terminal wraps it, a file keeps it).

:func:`print_view` prints a view; when stdout is not a terminal and ``COLUMNS`` is unset (a file, a
ticket), each table gets its natural width instead of an 80-column guess.
"""

from __future__ import annotations

import copy
import dataclasses
import os
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Column, Table
from rich.text import Text

_NATURAL = 4096  # the width a table is measured in when nothing bounds it


class WholeWordsTable(Table):
    """A :class:`rich.table.Table` that wraps between words or lists its rows, and never cuts a word."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        ranges = [_content_range(console, options, column) for column in self.columns]
        room = options.max_width - self._frame_width()
        if sum(widest for _, widest in ranges) <= room:
            yield from Table.__rich_console__(self, console, options)
        elif sum(longest_word for longest_word, _ in ranges) <= room:
            yield from Table.__rich_console__(self._with_widths(_share(ranges, room)), console, options)
        else:
            yield from self._as_list(console)

    def _frame_width(self) -> int:
        _, right, _, left = self.padding
        borders = (2 if self.show_edge else 0) + len(self.columns) - 1 if self.box else 0
        return borders + len(self.columns) * (left + right)

    def _with_widths(self, widths: list[int]) -> Table:
        table = copy.copy(self)
        table.columns = [
            dataclasses.replace(column, width=width, overflow="fold")
            for column, width in zip(self.columns, widths, strict=True)
        ]
        return table

    def _as_list(self, console: Console) -> Iterator[RenderableType]:
        if self.title:
            yield _whole(_text(console, self.title), style="bold")
        headers = [_text(console, column.header).plain for column in self.columns]
        rows = zip(*(list(column.cells) for column in self.columns), strict=True)
        for first, *others in rows:
            yield _whole(_text(console, first), style="bold")
            for header, cell in zip(headers[1:], others, strict=True):
                value = _text(console, cell)
                if value.plain.strip():
                    label = Text(f"  {header}: ")
                    indent = "\n" + " " * len(label.plain)
                    yield _whole(Text.assemble(label, *_indented(value, indent)))


def titled_table(title: str, columns: tuple[str, ...] | list[str]) -> WholeWordsTable:
    """A table titled on the left whose cells (UDIs, codes, remedies) wrap rather than get cut."""
    table = WholeWordsTable(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def print_view(console: Console, view: RenderableType) -> None:
    """Print a view uncropped; tables at their natural width when nothing bounds the output (a file)."""
    bounded = console.is_terminal or bool(os.environ.get("COLUMNS"))
    for part in _parts(view):
        if isinstance(part, Table) and not bounded:
            natural = Measurement.get(console, console.options.update_width(_NATURAL), part).maximum
            with _width(console, max(console.width, natural)):
                console.print(part, crop=False)
        else:
            console.print(part, crop=False)


def _parts(view: RenderableType) -> Iterator[RenderableType]:
    if isinstance(view, Group):
        for part in view.renderables:
            yield from _parts(part)
    else:
        yield view


@contextmanager
def _width(console: Console, width: int) -> Iterator[None]:
    before = console.width
    console.width = width
    try:
        yield
    finally:
        console.width = before


def _content_range(console: Console, options: ConsoleOptions, column: Column) -> tuple[int, int]:
    """The column's longest word and longest line, header included."""
    longest_word, widest = 1, 1
    for cell in (column.header, *column.cells):
        measured = Measurement.get(console, options.update_width(_NATURAL), cell)
        longest_word, widest = max(longest_word, measured.minimum), max(widest, measured.maximum)
    return longest_word, widest


def _share(ranges: list[tuple[int, int]], room: int) -> list[int]:
    """Each column its longest word, and the room left shared by how much more each would take."""
    minimum = [longest_word for longest_word, _ in ranges]
    wants = [widest - longest_word for longest_word, widest in ranges]
    spare = room - sum(minimum)
    total = sum(wants) or 1
    return [width + spare * want // total for width, want in zip(minimum, wants, strict=True)]


def _text(console: Console, cell: RenderableType) -> Text:
    if isinstance(cell, Text):
        return cell
    if isinstance(cell, str):
        return console.render_str(cell)
    return Text(str(cell))


def _indented(value: Text, indent: str) -> Iterator[Text | str]:
    for number, line in enumerate(value.split("\n")):
        if number:
            yield indent
        yield line


def _whole(text: Text, style: str = "") -> Text:
    whole = text.copy()
    whole.no_wrap, whole.overflow = True, "ignore"
    if style:
        whole.stylize(style)
    return whole
