"""A pydantic ValidationError as ``file:line: owner: what`` lines, each naming the key or item at fault.

An unknown key (``extra="forbid"``) gets the closest known key as a suggestion (difflib), and the list of
known keys; a wrong value gets what was expected and what was found.
"""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from yaml_lines.document import LinedYaml, Loc, YamlFileError

T = TypeVar("T")

Owner = Callable[[Loc], tuple[str, Loc]]
"""Splits a path into the words naming its owner (``host 'sw1'``) and the path left inside the owner."""

_SHOWN_LENGTH = 60
_UNKNOWN_KEY = ("extra_forbidden", "unexpected_keyword_argument")  # a model's, a dataclass's
_NAMED_KEY = (*_UNKNOWN_KEY, "missing")


def no_owner(loc: Loc) -> tuple[str, Loc]:
    return "", loc


def validation_messages(
    error: ValidationError,
    model: Any,
    document: LinedYaml,
    *,
    owner: Owner = no_owner,
    key_word: str | Callable[[Loc], str] = "key",
) -> list[str]:
    """One ``file:line: owner: what`` line per problem of ``error``, in the order of the file's lines.

    Args:
        model: what was validated (a model class or a type such as ``dict[str, Host]``), to name the keys
            an unknown key could have meant.
        owner: names the owner of a path in the words of the file's reader (``step 2``, ``host 'sw1'``).
        key_word: what the file calls its keys (``setting``, ``section``), or a function of the mapping's
            path giving it.
    """
    details = [
        (detail, _document_path(document.data, tuple(detail["loc"]), keep_last=detail["type"] == "missing"))
        for detail in error.errors()
    ]
    meant = {  # a misspelt key: its "unknown" message names the key it meant, which is then not "missing"
        (*loc[:-1], _closest(str(loc[-1]), known_keys(model, loc[:-1])))
        for detail, loc in details
        if detail["type"] in _UNKNOWN_KEY and loc
    }
    located: list[tuple[int, str]] = []
    for detail, loc in details:
        if detail["type"] == "missing" and loc in meant:
            continue
        words = _what(detail, loc, model, key_word)
        names_key = detail["type"] in _NAMED_KEY
        who, inside = owner(loc[:-1] if names_key else loc)
        label = _path_text(inside)
        if label and names_key:
            who = f"{who} {label}" if who else label
        elif label:
            words = f"{label}: {words}"
        text = f"{document.where(loc)}: {who}: {words}" if who else f"{document.where(loc)}: {words}"
        located.append((document.line_of(loc) or 0, text))
    return [text for _, text in sorted(located, key=lambda pair: pair[0])]


def suggestion(word: str, known: Sequence[str]) -> str:
    """`` (did you mean 'x'? known: a, b)`` for a word not in ``known``."""
    close = _closest(word, known)
    listed = ", ".join(sorted(known))
    return f" (did you mean {close!r}? known: {listed})" if close else f" (known: {listed})"


def _closest(word: str, known: Sequence[str]) -> str | None:
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return close[0] if close else None


def known_keys(model: Any, loc: Loc) -> list[str]:
    """The keys the model accepts in the mapping at ``loc`` (empty when that is not a model)."""
    kind: Any = model
    for part in loc:
        kind = _inner(kind, part)
        if kind is None:
            return []
    return list(_fields(kind))


def _what(detail: Mapping[str, Any], loc: Loc, model: Any, key_word: str | Callable[[Loc], str]) -> str:
    kind = detail["type"]
    noun = key_word(loc[:-1]) if callable(key_word) else key_word
    if kind in _UNKNOWN_KEY:
        key = str(loc[-1]) if loc else "?"
        return f"unknown {noun} {key!r}{suggestion(key, known_keys(model, loc[:-1]))}"
    if kind == "missing":
        return f"missing {noun} {str(loc[-1]) if loc else '?'!r}"
    if kind in ("value_error", "assertion_error") and "error" in detail.get("ctx", {}):
        return str(detail["ctx"]["error"])
    expected = str(detail["msg"]).split(", unable to parse")[0].rstrip(".")
    found = detail.get("input")
    if isinstance(found, (Mapping, list)) and not str(kind).endswith("_type"):
        return expected  # a length or a content: the message says what it found
    return f"{expected}, not {_shown(found)}"


def _document_path(data: Any, loc: Loc, *, keep_last: bool) -> Loc:
    """The parts of pydantic's ``loc`` that are keys and indexes of the data (not its union tags)."""
    path: list[Hashable] = []
    for index, part in enumerate(loc):
        if _holds(data, part):
            data = data[part]
        elif not (keep_last and index == len(loc) - 1):
            continue  # a tag of pydantic's (a union's arm, a function validator), not in the file
        path.append(part)
    return tuple(path)


def _holds(data: Any, part: Hashable) -> bool:
    if isinstance(data, Mapping):
        return part in data
    return isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)


def _path_text(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _shown(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 3] + "..."


def _inner(kind: Any, part: Hashable) -> Any:
    """The type found at ``part`` inside a value of type ``kind``, or None."""
    kind = _unwrapped(kind)
    fields = _fields(kind)
    if fields:
        return fields.get(str(part))
    origin = get_origin(kind)
    arguments = get_args(kind)
    if origin in (list, tuple, Sequence) and arguments and isinstance(part, int):
        return arguments[0]
    if origin in (dict, Mapping) and len(arguments) == 2:
        return arguments[1]
    return None


def _unwrapped(kind: Any) -> Any:
    """``Annotated[X, ...]`` and ``X | None`` as ``X``."""
    while True:
        origin = get_origin(kind)
        if origin is Annotated:
            kind = get_args(kind)[0]
        elif origin in (Union, types.UnionType):
            arms = [arm for arm in get_args(kind) if arm is not type(None)]
            if len(arms) != 1:
                return kind
            kind = arms[0]
        else:
            return kind


def _fields(kind: Any) -> dict[str, Any]:
    """The keys of a model or dataclass with their types (empty for any other type)."""
    kind = _unwrapped(kind)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return {field.alias or name: field.annotation for name, field in kind.model_fields.items()}
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return {field.name: hints.get(field.name) for field in dataclasses.fields(kind)}
    return {}


class YamlValidationError(YamlFileError):
    """The document does not fit its model; one ``file:line: what`` line per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def validate(
    kind: type[T],
    document: LinedYaml,
    *,
    owner: Owner = no_owner,
    key_word: str | Callable[[Loc], str] = "key",
) -> T:
    """``document.data`` validated as ``kind`` (a model, or a type such as ``dict[str, Host]``);
    :class:`YamlValidationError` lists every problem with its line."""
    try:
        return TypeAdapter(kind).validate_python(document.data)
    except ValidationError as error:
        messages = validation_messages(error, kind, document, owner=owner, key_word=key_word)
        raise YamlValidationError(messages) from None
