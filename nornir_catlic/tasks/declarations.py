"""What a Nornir task declares about itself, for runners that must know before any device is touched.

Two declarations, each a decorator that returns the task unchanged (same function, same signature):

- :func:`honours_dry_run`: in a dry run (``InitNornir(dry_run=True)`` or ``task.is_dry_run()``) the task sends
  nothing that changes a device. A task that takes a ``dry_run`` parameter declares it too, by Nornir's
  convention (``def my_task(task, ..., dry_run: bool | None = None)`` honouring ``task.is_dry_run(dry_run)``,
  as ``nornir_napalm``'s ``napalm_configure`` does). Any other task is assumed to act: ``catlic`` refuses to
  run it with ``--dry-run`` rather than let it send its commands under a dry run's name.
- :func:`checks_arguments`: a function that judges the task's arguments without a device (the guide's
  permitted combinations, choices of words), so a runbook is refused whole before its first step.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

TaskT = TypeVar("TaskT", bound=Callable[..., Any])
ArgumentCheck = Callable[..., None]

_HONOURS_DRY_RUN = "catlic_honours_dry_run"
_ARGUMENT_CHECK = "catlic_argument_check"


def honours_dry_run(task: TaskT) -> TaskT:
    """Declare that ``task`` changes nothing in a dry run (it plans, or only reads)."""
    setattr(task, _HONOURS_DRY_RUN, True)
    return task


def declares_dry_run(task: Callable[..., Any]) -> bool:
    """True when ``task`` declared :func:`honours_dry_run` or takes a ``dry_run`` parameter."""
    if getattr(task, _HONOURS_DRY_RUN, False):
        return True
    try:
        return "dry_run" in inspect.signature(task).parameters
    except (TypeError, ValueError):  # a callable without a signature declares nothing
        return False


def checks_arguments(check: ArgumentCheck) -> Callable[[TaskT], TaskT]:
    """Declare ``check(**arguments)``: raises :class:`~nornir_catlic.errors.PrerequisiteError` for arguments
    the task would refuse on every host. It receives the arguments given (not the task) and ignores the rest
    (give it ``**_``)."""

    def declare(task: TaskT) -> TaskT:
        setattr(task, _ARGUMENT_CHECK, check)
        return task

    return declare


def check_task_arguments(task: Callable[..., Any], arguments: Mapping[str, Any]) -> None:
    """Run the check ``task`` declared with :func:`checks_arguments` (nothing when it declared none)."""
    check: ArgumentCheck | None = getattr(task, _ARGUMENT_CHECK, None)
    if check is not None:
        check(**arguments)
