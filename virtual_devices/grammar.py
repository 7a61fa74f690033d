"""Command grammar: the registry's syntax strings compiled once, and IOS-style matching of typed lines.

IOS resolves a line word by word across every command of the mode at once: an exact keyword wins, else a
unique keyword prefix, else an argument slot (``WORD``, a number range, the rest of the line). Two keywords
sharing the typed prefix make the line ambiguous; a word nothing accepts is where the caret goes; a line
that stops before a command is complete is incomplete. This module answers exactly those questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from virtual_devices.commands.base import CommandSpec

# --- syntax strings -> small automata -------------------------------------------------------------


@dataclass(frozen=True)
class Keyword:
    word: str


@dataclass(frozen=True)
class Capture:
    name: str
    kind: str  # "WORD", "LINE" or "RANGE"
    low: int = 0
    high: int = 0

    def accepts(self, token: str) -> bool:
        if self.kind != "RANGE":
            return True
        return token.isdigit() and self.low <= int(token) <= self.high


Element = Keyword | Capture


@dataclass
class _Automaton:
    """A Thompson automaton: state -> consuming edges and epsilon edges; one accepting state."""

    edges: list[list[tuple[Element, int]]] = field(default_factory=list)
    epsilon: list[list[int]] = field(default_factory=list)
    accept: int = 0

    def new_state(self) -> int:
        self.edges.append([])
        self.epsilon.append([])
        return len(self.edges) - 1


class SyntaxStringError(ValueError):
    """A registry syntax string that does not follow the mini-language of ``commands/base.py``."""


_CAPTURE = re.compile(r"^<(\w+):(WORD|LINE|(\d+)-(\d+))>$")


def _tokenize_syntax(syntax: str) -> list[str]:
    spaced = re.sub(r"([\[\]{}|])", r" \1 ", syntax)
    return spaced.split()


def compile_syntax(syntax: str) -> _Automaton:
    tokens = _tokenize_syntax(syntax)
    auto = _Automaton()
    start = auto.new_state()
    position, end = _compile_sequence(tokens, 0, auto, start, closers=())
    if position != len(tokens):
        raise SyntaxStringError(f"unbalanced brackets in {syntax!r}")
    auto.accept = end
    return auto


def _compile_sequence(
    tokens: list[str], position: int, auto: _Automaton, state: int, closers: tuple[str, ...]
) -> tuple[int, int]:
    """Compile tokens from ``position`` until a closer or ``|``; return (position, end state)."""
    while position < len(tokens) and tokens[position] not in closers and tokens[position] != "|":
        token = tokens[position]
        if token in ("[", "{"):
            closer = "]" if token == "[" else "}"
            position, state = _compile_group(tokens, position + 1, auto, state, closer, optional=token == "[")
            continue
        if token in ("]", "}"):
            raise SyntaxStringError(f"unexpected {token!r}")
        nxt = auto.new_state()
        auto.edges[state].append((_element(token), nxt))
        state = nxt
        position += 1
    return position, state


def _compile_group(
    tokens: list[str], position: int, auto: _Automaton, state: int, closer: str, optional: bool
) -> tuple[int, int]:
    end = auto.new_state()
    if optional:
        auto.epsilon[state].append(end)
    while True:
        branch = auto.new_state()
        auto.epsilon[state].append(branch)
        position, branch_end = _compile_sequence(tokens, position, auto, branch, closers=(closer,))
        auto.epsilon[branch_end].append(end)
        if position >= len(tokens):
            raise SyntaxStringError(f"missing {closer!r}")
        if tokens[position] == closer:
            return position + 1, end
        position += 1  # the "|" between alternatives


def _element(token: str) -> Element:
    if token.startswith("<"):
        match = _CAPTURE.match(token)
        if not match:
            raise SyntaxStringError(f"bad argument slot {token!r}")
        name, kind = match.group(1), match.group(2)
        if match.group(3) is not None:
            return Capture(name, "RANGE", int(match.group(3)), int(match.group(4)))
        return Capture(name, kind)
    return Keyword(token.lower())


# --- matching typed lines -------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    text: str
    column: int  # offset in the typed line


def tokenize(line: str) -> list[Token]:
    return [Token(m.group(0), m.start()) for m in re.finditer(r"\S+", line)]


@dataclass(frozen=True)
class _Thread:
    command: int  # index into Grammar.commands
    state: int
    keywords: frozenset[str]
    values: tuple[tuple[str, Any], ...]
    swallowing: bool = False  # a LINE slot took the rest of the line


@dataclass
class Match:
    spec: CommandSpec
    keywords: set[str]
    values: dict[str, Any]


@dataclass
class NoMatch:
    """Why a line matched nothing: ``invalid`` (at ``column``), ``incomplete`` or ``ambiguous``; for ``?``
    help also ``unrecognized`` (no word begins with what is being helped)."""

    reason: str
    column: int = 0
    keywords: tuple[str, ...] = ()  # keywords matched before the failure (for `% Type "show ?"`)


class Grammar:
    """Every command of one mode, matched together as IOS does."""

    def __init__(self, specs: list[CommandSpec]) -> None:
        self.commands = [(spec, compile_syntax(spec.syntax)) for spec in specs]
        self._first_words = [
            element.word
            for _, automaton in self.commands
            for state in self._reachable_from(automaton, 0)
            for element, _ in automaton.edges[state]
            if isinstance(element, Keyword)
        ]
        # Every line starts from the same threads (immutable): compute them once, not per typed line.
        self._start = self._closure([_Thread(i, 0, frozenset(), ()) for i in range(len(self.commands))])

    def match(self, line: str) -> Match | NoMatch:
        tokens = tokenize(line)
        threads = self._start
        matched_words: list[str] = []
        for token in tokens:
            advanced, failure = self._advance(threads, token, line)
            if failure is not None:
                failure.keywords = tuple(matched_words)
                return failure
            threads = self._closure(advanced)
            words = {kw for t in threads for kw in t.keywords} - set(matched_words)
            if len(words) == 1:
                matched_words.append(next(iter(words)))
        accepted = [t for t in threads if t.swallowing or t.state == self.commands[t.command][1].accept]
        if not accepted:
            return NoMatch("incomplete", keywords=tuple(matched_words))
        # The most specific reading wins: fewest free-form arguments, then registry order.
        best = min(accepted, key=lambda t: (len(t.values), t.command))
        return Match(self.commands[best.command][0], set(best.keywords), dict(best.values))

    def help(self, line: str) -> list[tuple[str, str]] | NoMatch:
        """What IOS lists for ``?`` typed after ``line``: (word, help) pairs, ``<cr>`` when complete.

        With a partial last word (``show lic``) the keywords it begins; after a space, every next word.
        """
        tokens = tokenize(line)
        partial = tokens.pop().text.lower() if tokens and not line[-1:].isspace() else None
        threads = self._start
        for token in tokens:
            advanced, failure = self._advance(threads, token, line)
            if failure is not None:
                return failure
            threads = self._closure(advanced)
        choices: dict[str, str] = {}
        for thread in threads:
            if thread.swallowing:
                continue
            spec, automaton = self.commands[thread.command]
            for element, nxt in automaton.edges[thread.state]:
                if isinstance(element, Keyword):
                    if partial is None or element.word.startswith(partial):
                        completes = automaton.accept in self._reachable(thread.command, nxt)
                        only_one = not tokens and self._first_words.count(element.word) == 1
                        choices.setdefault(element.word, spec.help if completes or only_one else "")
                elif partial is None:
                    choices.setdefault(_slot_name(element), element.name.replace("_", " ").capitalize())
            if partial is None and thread.state == automaton.accept:
                choices.setdefault("<cr>", "")
        if not choices:  # the word being helped (or the next one) is nothing this mode knows
            return NoMatch("unrecognized", len(line.rstrip()))
        return sorted(choices.items(), key=lambda item: (item[0] == "<cr>", item[0]))

    def _reachable(self, command: int, state: int) -> set[int]:
        """States reachable from ``state`` without consuming a word."""
        return self._reachable_from(self.commands[command][1], state)

    @staticmethod
    def _reachable_from(automaton: _Automaton, state: int) -> set[int]:
        epsilon = automaton.epsilon
        seen, stack = {state}, [state]
        while stack:
            for nxt in epsilon[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    def _advance(
        self, threads: list[_Thread], token: Token, line: str
    ) -> tuple[list[_Thread], NoMatch | None]:
        word = token.text.lower()
        swallowing = [t for t in threads if t.swallowing]
        exact: list[_Thread] = []
        prefixed: list[tuple[str, _Thread]] = []
        captured: list[_Thread] = []
        for thread in threads:
            if thread.swallowing:
                continue
            for element, nxt in self.commands[thread.command][1].edges[thread.state]:
                if isinstance(element, Keyword):
                    if element.word == word:
                        exact.append(_step(thread, nxt, keyword=element.word))
                    elif element.word.startswith(word):
                        prefixed.append((element.word, _step(thread, nxt, keyword=element.word)))
                elif element.accepts(token.text):
                    if element.kind == "LINE":
                        value: Any = line[token.column :].rstrip()
                        captured.append(_step(thread, nxt, value=(element.name, value), swallow=True))
                    elif element.kind == "RANGE":
                        captured.append(_step(thread, nxt, value=(element.name, int(token.text))))
                    else:
                        captured.append(_step(thread, nxt, value=(element.name, token.text)))
        if exact:
            return exact + swallowing, None
        if prefixed:
            words = {w for w, _ in prefixed}
            if len(words) > 1 and not swallowing and not captured:
                return [], NoMatch("ambiguous", token.column)
            if len(words) == 1:
                return [t for _, t in prefixed] + swallowing, None
        if captured or swallowing:
            return captured + swallowing, None
        return [], NoMatch("invalid", token.column)

    def _closure(self, threads: list[_Thread]) -> list[_Thread]:
        seen: set[tuple[int, int, bool]] = set()
        out: list[_Thread] = []
        stack = list(reversed(threads))
        while stack:
            thread = stack.pop()
            key = (thread.command, thread.state, thread.swallowing)
            if key in seen:
                continue
            seen.add(key)
            out.append(thread)
            automaton = self.commands[thread.command][1]
            stack.extend(
                _Thread(thread.command, nxt, thread.keywords, thread.values, thread.swallowing)
                for nxt in reversed(automaton.epsilon[thread.state])
            )
        return out


def _slot_name(slot: Capture) -> str:
    if slot.kind == "RANGE":
        return f"<{slot.low}-{slot.high}>"
    return slot.kind


def _step(
    thread: _Thread,
    state: int,
    keyword: str | None = None,
    value: tuple[str, Any] | None = None,
    swallow: bool = False,
) -> _Thread:
    keywords = thread.keywords | {keyword} if keyword else thread.keywords
    values = (*thread.values, value) if value else thread.values
    return _Thread(thread.command, state, keywords, values, swallow)
