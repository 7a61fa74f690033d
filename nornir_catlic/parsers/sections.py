"""Splitting composite outputs (`show license all`) at their `====`-underlined section titles."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Section:
    """A titled part of a composite output; ``title`` is None for lines before the first title."""

    title: str | None
    lines: list[str] = field(default_factory=list)

    def text(self, with_title: bool = False) -> str:
        head = [self.title, "=" * len(self.title)] if with_title and self.title else []
        return "\n".join(head + self.lines) + "\n"


def is_underline(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= 3 and set(stripped) == {"="}


def split_sections(lines: list[str]) -> list[Section]:
    """Sections in output order: a title is an unindented line directly followed by a `===` line."""
    sections = [Section(None)]
    body = sections[0].lines
    last = len(lines) - 1
    index = 0
    while index <= last:
        line = lines[index]
        # `"===" in` first: the cheap test that almost every line fails (a title starts with no blank).
        following = lines[index + 1] if index < last else ""
        if "===" in following and line and not line[0].isspace() and is_underline(following):
            sections.append(Section(line.strip()))
            body = sections[-1].lines
            index += 2
            continue
        body.append(line)
        index += 1
    return [s for s in sections if s.title is not None or any(line.strip() for line in s.lines)]
