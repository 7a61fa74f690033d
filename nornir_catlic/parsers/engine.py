"""A faster runtime for TextFSM templates: textfsm's exact records, one regex match per line.

textfsm itself parses the template (values, options, states, rules); this module only executes it.
textfsm's ``ParseText`` tries every rule of the state in turn from Python and calls one method per value
and option on every assignment and record. Here each state's rules are joined into one regex of ordered
alternatives, each rule wrapped in its own group (its groups renamed apart), so one ``match()`` finds the
first rule that matches and ``lastindex`` names it; the per-value bookkeeping runs on plain lists.

Semantics reproduced exactly (the differential test ``tests/parsing/test_engine.py`` holds us to it):

- a rule assigns every value group it holds, also those that did not take part in the match (``None``);
- ``Filldown`` keeps the last assigned value across records, ``Clearall`` forgets it; ``Fillup`` copies a
  non-empty value up into earlier records until one already has it; ``Required`` drops a record whose
  value is empty (for a ``List`` value, whether it looks at the list or the last string depends on which
  option is declared first, as in textfsm); ``List`` collects strings, or dicts for nested named groups;
- a record whose values are all empty is not added and the current values are kept;
- ``Continue`` resumes with the next rule on the same line; ``Error`` raises ``textfsm.TextFSMError``
  with textfsm's message, after the rule's record operation;
- ``End`` and ``EOF`` stop reading; the implicit Record at the end of input happens unless the FSM went to
  ``End`` or the template declares an ``EOF`` state.

Every call keeps its own state, so one engine serves any number of threads without a lock (a state's
joined regexes are built on first use; two threads racing there build the same thing twice, harmlessly).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import textfsm

Row = list[Any]
"""One record in header order: str for plain values, list (of str or dict) for ``List`` values."""

_TERMINAL_STATES = ("End", "EOF")
_LINE_OPS = {"": "Next", "Next": "Next", "Continue": "Continue", "Error": "Error"}


@dataclass(eq=False)
class _ValueSpec:
    """What the runtime needs of one textfsm Value: its column and how its options behave."""

    index: int
    name: str
    filldown: bool
    fillup: bool
    is_list: bool
    required: bool
    required_checks_list: bool
    """``Value List,Required``: textfsm checks the collected list; ``Required,List`` the last string."""
    nested: re.Pattern[str] | None
    """A ``List`` value whose regex has nested groups appends the groups' dict instead of the string."""

    @classmethod
    def of(cls, index: int, value: Any) -> _ValueSpec:
        for option in value.options:
            if type(option) is not getattr(textfsm.TextFSMOptions, option.name, None):
                raise ValueError(
                    f"Value {value.name}: option {option.name} is not textfsm's own; "
                    "the engine runs only those"
                )
        options: list[str] = value.OptionNames()
        is_list = "List" in options
        nested = value.compiled_regex if is_list and value.compiled_regex.groups > 1 else None
        required = "Required" in options
        return cls(
            index=index,
            name=value.name,
            filldown="Filldown" in options,
            fillup="Fillup" in options,
            is_list=is_list,
            required=required,
            required_checks_list=required and is_list and options.index("List") < options.index("Required"),
            nested=nested,
        )

    @property
    def plain(self) -> bool:
        return not (self.filldown or self.fillup or self.is_list)


@dataclass(eq=False)
class _Rule:
    """One template rule, resolved against the regex it is matched with."""

    position: int
    """Index of the rule in its state: ``Continue`` resumes at ``position + 1``."""
    regex: re.Pattern[str]
    """The rule's own regex, as textfsm compiled it."""
    line_num: int
    record_op: str
    line_op: str
    new_state: str
    plain_assigns: tuple[tuple[int, int], ...] = ()
    """(value index, group number) of values without options that act on assignment."""
    filldown_assigns: tuple[tuple[int, int], ...] = ()
    other_assigns: tuple[tuple[_ValueSpec, int], ...] = ()
    """List and Fillup values (and Filldown ones combined with those)."""
    target: _State | None = None
    """The state this rule moves to (None: stay, or stop when ``stops``)."""
    stops: bool = False

    def error(self, line: str) -> textfsm.TextFSMError:
        """textfsm's exception for an ``Error`` rule, word for word."""
        if self.new_state:
            return textfsm.TextFSMError(
                f"Error: {self.new_state}. Rule Line: {self.line_num}. Input Line: {line}."
            )
        return textfsm.TextFSMError(f"State Error raised. Rule Line: {self.line_num}. Input Line: {line}")


@dataclass(eq=False)
class _Segment:
    """Consecutive rules matched by one regex; ``rule_by_group[m.lastindex]`` is the rule that matched."""

    match: Callable[[str], re.Match[str] | None]
    rule_by_group: Sequence[_Rule | None]
    only_rule: _Rule | None = None
    """Set when the segment is one rule compiled as written (no wrapper group to look up)."""


class _Chains(dict[int, tuple[_Segment, ...]]):
    """Start rule position -> the segments covering the rules from there to the end of the state.

    Built on first use: joining a big state's rules costs milliseconds, and many parses never visit it.
    """

    def __init__(self, build: Callable[[int], tuple[_Segment, ...]]):
        super().__init__()
        self._build = build

    def __missing__(self, start: int) -> tuple[_Segment, ...]:
        chain = self[start] = self._build(start)
        return chain


@dataclass(eq=False)
class _State:
    name: str
    rules: list[_Rule]
    chains: _Chains


def _rename_groups(pattern: str, prefix: str) -> str | None:
    """``pattern`` with every named group (and named backreference) prefixed, or None if it cannot be
    joined with other rules: numeric backreferences and conditional groups count groups from the start of
    the pattern. (Global inline flags need no care: a rule starts with '^', so Python rejects them.)"""
    out: list[str] = []
    i = 0
    length = len(pattern)
    in_class = False
    class_start = 0
    while i < length:
        char = pattern[i]
        if char == "\\":
            following = pattern[i + 1 : i + 2]
            if not in_class and following.isdigit() and following != "0":
                return None
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            # A ']' right after '[' or '[^' is a literal, not the end of the class.
            if char == "]" and i > class_start:
                in_class = False
            out.append(char)
            i += 1
            continue
        if char == "[":
            in_class = True
            class_start = i + 1
            if pattern[class_start : class_start + 1] == "^":
                class_start += 1
            out.append(char)
            i += 1
            continue
        if pattern.startswith("(?(", i):
            return None
        if pattern.startswith("(?P<", i) or pattern.startswith("(?P=", i):
            out.append(pattern[i : i + 4] + prefix)
            i += 4
            continue
        out.append(char)
        i += 1
    return "".join(out)


class TemplateEngine:
    """Runs a template that ``textfsm.TextFSM`` parsed; ``parse_rows`` equals ``TextFSM.ParseText``."""

    def __init__(self, fsm: textfsm.TextFSM):
        self.header: list[str] = list(fsm.header)
        self._values = [_ValueSpec.of(index, value) for index, value in enumerate(fsm.values)]
        self._value_index = {spec.name: spec.index for spec in self._values}
        self._lists = [spec for spec in self._values if spec.is_list]
        self._list_indices = [spec.index for spec in self._lists]
        self._cleared_lists = [spec.index for spec in self._lists if not spec.filldown]
        self._required = [(spec.index, spec.required_checks_list) for spec in self._values if spec.required]
        self._implicit_eof_record = "EOF" not in fsm.states
        self._states = {name: self._state(name, fsm.states[name]) for name in fsm.states}
        for state in self._states.values():
            for rule in state.rules:
                if rule.line_op != "Error" and rule.new_state:
                    rule.stops = rule.new_state in _TERMINAL_STATES
                    rule.target = None if rule.stops else self._states[rule.new_state]
        self._start = self._states["Start"]

    def _state(self, name: str, rules: list[Any]) -> _State:
        state = _State(
            name,
            [
                _Rule(
                    position,
                    rule.regex_obj.regex,
                    rule.line_num,
                    rule.record_op,
                    _LINE_OPS[rule.line_op],
                    rule.new_state,
                )
                for position, rule in enumerate(rules)
            ],
            _Chains(lambda start: self._segments(state.rules[start:])),
        )
        return state

    def _segments(self, rules: list[_Rule]) -> tuple[_Segment, ...]:
        """Rules joined into as few regexes as possible, in order; a rule that cannot join stands alone."""
        segments: list[_Segment] = []
        pending: list[tuple[_Rule, str]] = []
        for rule in rules:
            renamed = _rename_groups(rule.regex.pattern, f"r{rule.position}_")
            if renamed is None:
                if pending:
                    segments.append(self._joined(pending))
                    pending = []
                segments.append(_Segment(rule.regex.match, (), only_rule=self._bind(rule, rule.regex, "")))
            else:
                pending.append((rule, renamed))
        if pending:
            segments.append(self._joined(pending))
        return tuple(segments)

    def _joined(self, members: list[tuple[_Rule, str]]) -> _Segment:
        combined = re.compile("|".join(f"(?P<w{rule.position}>{renamed})" for rule, renamed in members))
        rule_by_group: list[_Rule | None] = [None] * (combined.groups + 1)
        for rule, _ in members:
            rule_by_group[combined.groupindex[f"w{rule.position}"]] = self._bind(
                rule, combined, f"r{rule.position}_"
            )
        return _Segment(combined.match, rule_by_group)

    def _bind(self, rule: _Rule, matcher: re.Pattern[str], prefix: str) -> _Rule:
        """A copy of the rule with the group numbers, in ``matcher``, of the values its own regex names
        (a rule after a ``Continue`` sits in two regexes, with different numbers)."""
        plain: list[tuple[int, int]] = []
        filldown: list[tuple[int, int]] = []
        other: list[tuple[_ValueSpec, int]] = []
        for name in rule.regex.groupindex:
            index = self._value_index.get(name)
            if index is None:
                continue  # a group nested in a List value's regex, not a value of its own
            group = matcher.groupindex[prefix + name]
            spec = self._values[index]
            if spec.plain:
                plain.append((index, group))
            elif spec.filldown and not (spec.fillup or spec.is_list):
                filldown.append((index, group))
            else:
                other.append((spec, group))
        return dataclasses.replace(
            rule, plain_assigns=tuple(plain), filldown_assigns=tuple(filldown), other_assigns=tuple(other)
        )

    def parse_rows(self, text: str, eof: bool = True) -> list[Row]:
        """The records of ``text``, as ``textfsm.TextFSM.ParseText`` returns them after ``Reset()``."""
        return _Run(self).parse(text, eof)


class _Run:
    """The state of one parse: current values, filled-down values, List items, records so far."""

    def __init__(self, engine: TemplateEngine):
        self.engine = engine
        count = len(engine._values)
        self.current: list[Any] = [None] * count
        # Holds only Filldown values (None elsewhere), so clearing the record is one copy.
        self.kept: list[Any] = [None] * count
        self.items: list[list[Any]] = [[] for _ in range(count)]
        self.rows: list[Row] = []

    def parse(self, text: str, eof: bool) -> list[Row]:
        engine = self.engine
        current = self.current
        kept = self.kept
        state = engine._start
        for line in text.splitlines() if text else ():
            chain = state.chains[0]
            while True:
                for segment in chain:
                    matched = segment.match(line)
                    if matched is not None:
                        rule = segment.only_rule or segment.rule_by_group[matched.lastindex or 0]
                        break
                else:
                    break  # no rule (left) matches this line
                assert rule is not None
                for index, group in rule.plain_assigns:
                    current[index] = matched.group(group)
                for index, group in rule.filldown_assigns:
                    current[index] = kept[index] = matched.group(group)
                for spec, group in rule.other_assigns:
                    self.assign(spec, matched.group(group))
                if rule.record_op:
                    self.record_operation(rule.record_op)
                    current = self.current
                    kept = self.kept
                if rule.line_op == "Continue":
                    chain = state.chains[rule.position + 1]
                    continue
                if rule.line_op == "Error":
                    raise rule.error(line)
                if rule.target is not None:
                    state = rule.target
                elif rule.stops:
                    return self.finish(eof and rule.new_state != "End")
                break
        return self.finish(eof)

    def finish(self, eof: bool) -> list[Row]:
        if eof and self.engine._implicit_eof_record:
            self.append_record()
        return self.rows

    def assign(self, spec: _ValueSpec, value: Any) -> None:
        """A value with Filldown, Fillup or List options, as textfsm's ``OnAssignVar`` callbacks do it."""
        index = spec.index
        self.current[index] = value
        if spec.filldown:
            self.kept[index] = value
        if spec.fillup and value:
            for row in reversed(self.rows):
                if row[index]:
                    break
                row[index] = value
        if spec.is_list:
            nested = spec.nested.match(value) if spec.nested is not None else None
            groups = nested.groupdict() if nested else None
            self.items[index].append(groups if groups else value)

    def record_operation(self, operation: str) -> None:
        if operation == "Record":
            self.append_record()
        elif operation == "Clear":
            self.clear()
        elif operation == "Clearall":
            self.clear_all()

    def append_record(self) -> None:
        current = self.current
        items = self.items
        for index, checks_list in self.engine._required:
            if not (items[index] if checks_list else current[index]):
                self.clear()
                return
        # Empty means None for a plain value, no items for a List (whose current string does not count);
        # cheaper than textfsm's row.count([]), which compares every string with a list.
        empty = current.count(None)
        for index in self.engine._list_indices:
            empty += (not items[index]) - (current[index] is None)
        if empty == len(current):
            # Not added, and (as in textfsm) the values are not cleared either.
            return
        row = [value if value is not None else "" for value in current]
        for index in self.engine._list_indices:
            row[index] = list(items[index])
        self.rows.append(row)
        self.clear()

    def clear(self) -> None:
        """Forget the record's values except Filldown ones (a Filldown List keeps its items too)."""
        self.current = self.kept.copy()
        for index in self.engine._cleared_lists:
            self.items[index] = []

    def clear_all(self) -> None:
        count = len(self.current)
        self.current = [None] * count
        self.kept = [None] * count
        self.items = [[] for _ in range(count)]
