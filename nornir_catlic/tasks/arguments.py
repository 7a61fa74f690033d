"""A task's arguments judged whole before any device is touched: names, types, values, combinations.

Types and value bounds come from the task's own signature, validated by pydantic (``warn_days:
NonNegativeInt`` refuses ``soon`` and ``-1``); no number may be infinite or not a number (``1e400``,
``.inf``, ``.nan``); then the check the task declared with
:func:`~nornir_catlic.tasks.declarations.checks_arguments` (the guide's permitted boot-level combinations).
The ``catlic`` command judges ``-a KEY=VALUE`` options and runbook steps with it, and
:class:`~nornir_catlic.switch.CatalystSwitch` the arguments of its methods.
"""

from __future__ import annotations

import inspect
import math
import typing
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ConfigDict, TypeAdapter, ValidationError

from nornir_catlic.errors import CatlicError
from nornir_catlic.tasks.declarations import check_task_arguments

TaskFunction = Callable[..., Any]

# Lax: YAML's "30" may be an int, "air-gapped" a ConnectionMode; never an infinite or missing number.
_CONFIG = ConfigDict(allow_inf_nan=False, arbitrary_types_allowed=True)


@dataclass(frozen=True)
class ArgumentProblem:
    """What is wrong with one argument (``key``), or with the arguments together (``key`` is None)."""

    key: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}" if self.key is not None else self.message


def check_arguments(
    task: TaskFunction,
    arguments: Mapping[str, Any],
    *,
    as_written: Mapping[str, str] | None = None,
    supplied: Collection[str] = (),
    dry_run: bool = False,
) -> tuple[dict[str, Any], list[ArgumentProblem]]:
    """``arguments`` as the task will receive them, and every problem with them.

    Args:
        as_written: the text each value was read from (``-a KEY=VALUE``): a value YAML read as a number or
            a boolean is taken as that text when the parameter wants a string.
        supplied: arguments catlic turns into objects itself (``portal``, ``journal``, ``join``): their names
            are checked, not their types.
        dry_run: the run is a dry run: a ``dry_run: false`` argument would act under its name.
    """
    parameters = _parameters(task)
    takes_anything = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    problems = [
        ArgumentProblem(name, f"not an argument of this task (it takes: {', '.join(parameters) or 'none'})")
        for name in arguments
        if name not in parameters and not takes_anything
    ]
    problems += [
        ArgumentProblem(name, "missing: the task needs it")
        for name, parameter in parameters.items()
        if parameter.default is inspect.Parameter.empty
        and parameter.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        and name not in arguments
    ]
    hints = _hints(task)
    checked: dict[str, Any] = {}
    for name, value in arguments.items():
        if name in supplied:
            checked[name] = value
            continue
        text = (as_written or {}).get(name)
        try:
            checked[name] = _checked_value(hints.get(name), value, text)
        except ValueError as error:
            problems.append(ArgumentProblem(name, str(error)))
    if dry_run and checked.get("dry_run") is False:
        problems.append(
            ArgumentProblem("dry_run", "false in a dry run: the task would act while the run says not")
        )
    if not problems:
        try:
            check_task_arguments(task, {k: v for k, v in checked.items() if k not in supplied})
        except CatlicError as error:
            problems.append(ArgumentProblem(None, str(error)))
    return checked, problems


def _parameters(task: TaskFunction) -> dict[str, inspect.Parameter]:
    """The task's parameters after its first (the Nornir ``Task``)."""
    parameters = list(inspect.signature(task).parameters.values())[1:]
    return {p.name: p for p in parameters if p.kind is not inspect.Parameter.VAR_POSITIONAL}


def _hints(task: TaskFunction) -> dict[str, Any]:
    try:
        return typing.get_type_hints(task, include_extras=True)
    except Exception:  # an annotation that names what only a type checker imports: check no types
        return {}


def _checked_value(annotation: Any, value: Any, text: str | None) -> Any:
    """``value`` validated against ``annotation`` (converted as pydantic does), else ValueError."""
    infinite = next(_non_finite(value), None)
    if infinite is not None:
        raise ValueError(f"{infinite!r} is not a finite number")
    if annotation is None or annotation is Any:
        return value
    adapter = _adapter(annotation)
    if adapter is None:
        return value
    try:
        return _validated(adapter, value)
    except ValidationError as error:
        if text is not None and text != value:
            try:
                return _validated(adapter, text)
            except ValidationError:
                pass
        raise ValueError(_reason(error, value)) from None


def _validated(adapter: TypeAdapter[Any], value: Any) -> Any:
    checked = adapter.validate_python(value)
    if isinstance(checked, Iterator) and not isinstance(value, Iterator):
        list(checked)  # an Iterable[...] is validated as it is consumed: consume a copy, keep the value
        return value
    return checked


def _adapter(annotation: Any) -> TypeAdapter[Any] | None:
    try:
        return TypeAdapter(annotation, config=_CONFIG)
    except Exception:  # a type pydantic cannot describe (a bare Protocol): the task judges it itself
        return None


def _reason(error: ValidationError, value: Any) -> str:
    first = error.errors()[0]
    return f"{first['msg'].rstrip('.')}, not {value!r}"


def _non_finite(value: Any) -> Iterator[float | str]:
    if _is_non_finite(value):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _non_finite(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _non_finite(item)


def _is_non_finite(value: Any) -> bool:
    """inf or nan, or ``1e400`` (YAML reads it as a string; a float parameter would make it inf)."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if not isinstance(value, str) or not any(character.isdigit() for character in value):
        return False
    try:
        return not math.isfinite(float(value))
    except ValueError:
        return False
