"""Tables never cut a word, at any width: they wrap between words, or list each row (in-process, no device).

The process tests (test_safe_input_output.py) check the same on `catlic state` against the lab.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.text import Text

from nornir_catlic.cli.tables import WholeWordsTable, print_view, titled_table

ROWS = [
    (
        "c9300x-stack",
        "FOC2519L8R7",
        "network-advantage + dna-essentials",
        "PID:C9300X-24HX,SN:FOC2519L8R7: 5ff8cb4f",
    ),
    ("c9407r-svl", "FXS221500CT", "network-advantage + dna-advantage", "PID:C9407R,SN:FXS221500CT: e2eeb4bf"),
]
WORDS = {word for row in ROWS for cell in row for word in cell.split()}


def members() -> WholeWordsTable:
    table = titled_table("Members", ("Host", "Serial", "Boot level", "Confirmation code"))
    for host, serial, level, code in ROWS:
        table.add_row(host, serial, Text(level, style="green"), code)
    return table


def printed(width: int, *, terminal: bool = True) -> str:
    screen = io.StringIO()
    console = Console(file=screen, width=width, force_terminal=terminal, color_system=None)
    print_view(console, members())
    return screen.getvalue()


@pytest.mark.parametrize("width", [30, 45, 60, 80, 100, 140, 200])
def test_every_word_of_every_cell_is_printed_whole(width: int) -> None:
    text = printed(width)

    for word in WORDS:
        assert word in text, f"{word!r} cut at {width} columns:\n{text}"
    assert "…" not in text


def test_a_wide_terminal_gets_the_table_on_one_line_per_row() -> None:
    text = printed(200)

    row = next(line for line in text.splitlines() if "c9300x-stack" in line)
    assert "FOC2519L8R7" in row and "network-advantage + dna-essentials" in row


def test_a_table_that_fits_its_longest_words_wraps_between_words() -> None:
    text = printed(100)

    assert "┃ Host" in text  # still a table
    assert "network-advantage + dna-essentials" not in text  # the level wrapped at a space...
    assert all(len(line) <= 100 for line in text.splitlines())  # ...to stay within the width


def test_narrower_than_its_longest_words_each_row_becomes_a_list() -> None:
    text = printed(45)

    assert "┃" not in text
    assert "  Serial: FOC2519L8R7" in text.splitlines()
    assert "  Confirmation code: PID:C9300X-24HX,SN:FOC2519L8R7: 5ff8cb4f" in text.splitlines()


def test_output_to_a_file_gets_the_tables_natural_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)

    text = printed(80, terminal=False)

    assert any(len(line) > 80 for line in text.splitlines())
    assert "network-advantage + dna-essentials" in text
