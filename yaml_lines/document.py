"""A YAML file read with the line of every key and list item, so a problem can be named ``file:line``."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Loc = tuple[Hashable, ...]
"""A path into the data, as pydantic reports it: mapping keys and list indexes, ``("steps", 0, "args")``."""


class YamlFileError(ValueError):
    """A file that cannot be read, is not YAML, or holds a key twice; the message is ``file[:line]: what``."""


@dataclass(frozen=True)
class LinedYaml:
    """The data of a YAML document and the line (1-based) where each of its keys and list items stands.

    ``source`` names the document in messages: a file's path, or a word such as ``topology`` for data
    given in code (which has no lines).
    """

    source: str
    data: Any
    lines: Mapping[Loc, int] = field(default_factory=dict)

    @classmethod
    def of_data(cls, data: Any, source: str) -> LinedYaml:
        """Data built in code: messages name ``source`` and the path, without a line."""
        return cls(source, data)

    def line_of(self, loc: Sequence[Hashable]) -> int | None:
        """The line of ``loc``, else of its nearest enclosing key or item (a missing key: its mapping)."""
        path = tuple(loc)
        while path not in self.lines:
            if not path:
                return None
            path = path[:-1]
        return self.lines[path]

    def where(self, loc: Sequence[Hashable] = ()) -> str:
        """``file:line`` of ``loc`` (just ``file`` when the document has no lines)."""
        line = self.line_of(loc)
        return self.source if line is None else f"{self.source}:{line}"


def read_yaml(path: Path) -> LinedYaml:
    """Read a YAML file with its lines; :class:`YamlFileError` when it cannot be read or is not YAML.

    A key defined twice in one mapping is an error here (plain YAML loaders keep the last in silence).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise YamlFileError(f"{path}: cannot read: {error}") from None
    return parse_yaml(text, str(path))


def parse_yaml(text: str, source: str) -> LinedYaml:
    """:func:`read_yaml` for text already read; ``source`` names it in messages."""
    try:
        loader = yaml.SafeLoader(text)  # its reader refuses a control character here
    except yaml.YAMLError as error:
        raise not_valid_yaml(source, error) from None
    try:
        root = loader.get_single_node()
        if root is None:
            return LinedYaml(source, None)
        lines: dict[Loc, int] = {(): _line(root)}
        _record_lines(loader, source, root, (), lines)
        return LinedYaml(source, loader.construct_document(root), lines)
    except yaml.YAMLError as error:
        raise not_valid_yaml(source, error) from None
    finally:
        loader.dispose()


def not_valid_yaml(source: str, error: yaml.YAMLError) -> YamlFileError:
    """``file:line: not valid YAML: what``; the line only when YAML marked one (a bad character has none)."""
    if isinstance(error, yaml.MarkedYAMLError):
        return YamlFileError(f"{source}{_error_line(error)}: not valid YAML: {_problem(error)}")
    return YamlFileError(f"{source}: not valid YAML: {error}")


def _record_lines(
    loader: yaml.SafeLoader, source: str, node: yaml.Node, loc: Loc, lines: dict[Loc, int]
) -> None:
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = _line(item)
            _record_lines(loader, source, item, (*loc, index), lines)
    elif isinstance(node, yaml.MappingNode):
        first_seen: dict[Hashable, int] = {}
        for key_node, value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *defaults`: the merged keys keep the anchor's lines
            names = _key_names(loader, key_node)
            if names and names[0] in first_seen:
                raise YamlFileError(
                    f"{source}:{_line(key_node)}: {key_node.value!r} is defined twice "
                    f"(first on line {first_seen[names[0]]})"
                )
            for key in names:
                first_seen.setdefault(key, _line(key_node))
                lines[(*loc, key)] = _line(key_node)
                _record_lines(loader, source, value, (*loc, key), lines)


def _key_names(loader: yaml.SafeLoader, key_node: yaml.Node) -> list[Hashable]:
    """A key as YAML reads it (``1:`` is the int 1, as pydantic reports it), then as written."""
    if not isinstance(key_node, yaml.ScalarNode):
        return []
    constructed = loader.construct_object(key_node)
    if not isinstance(constructed, Hashable) or constructed == key_node.value:
        return [key_node.value]
    return [constructed, key_node.value]


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _error_line(error: yaml.MarkedYAMLError) -> str:
    # An unclosed bracket or quote is reported at the end of the file; where it was opened helps more.
    at_end = "<stream end>" in (error.problem or "")
    mark = (error.context_mark if at_end else None) or error.problem_mark or error.context_mark
    return f":{mark.line + 1}" if mark is not None else ""


def _problem(error: yaml.MarkedYAMLError) -> str:
    return " ".join(part for part in (error.context, error.problem) if part)
