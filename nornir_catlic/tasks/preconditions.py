"""What the write workflows check before they touch a device, shared by the real run and the dry run.

A dry run is a prediction: it reads what the real run reads and calls the same precondition functions, so
where the real run would stop, the dry run stops too. :func:`predicts_failures` turns such a stop into
:class:`~nornir_catlic.errors.WouldFail` (``would fail: REASON``) when the run is a dry run; a host the
workflow does not apply to raises :class:`~nornir_catlic.errors.NotApplicable` in both (the CLI skips it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from nornir.core.task import Result, Task

from nornir_catlic.domain import DeviceFacts
from nornir_catlic.errors import NotApplicable, PrerequisiteError, WorkflowFailed, WouldFail
from nornir_catlic.rules.platform import hseck9_not_applicable

TaskFunction = TypeVar("TaskFunction", bound=Callable[..., Result])


def predicts_failures(function: TaskFunction) -> TaskFunction:
    """Decorate a write task: in a dry run, a precondition that stops it raises WouldFail with its reason.

    A dry run types nothing, so a PrerequisiteError or WorkflowFailed it raises comes from a check the real
    run makes before its first device command: the real run would fail the same way.
    """

    @functools.wraps(function)
    def task_function(task: Task, *args: Any, **kwargs: Any) -> Result:
        try:
            return function(task, *args, **kwargs)
        except NotApplicable:
            raise
        except (PrerequisiteError, WorkflowFailed) as error:
            dry_run = kwargs.get("dry_run")
            if task.is_dry_run(dry_run if isinstance(dry_run, bool) else None):
                raise WouldFail(task.host.name, error) from error
            raise

    return cast(TaskFunction, task_function)


def require_hseck9(facts: DeviceFacts) -> None:
    """NotApplicable when the device cannot use an HSECK9 key (platform, release or set-up)."""
    reason = hseck9_not_applicable(facts)
    if reason is not None:
        raise NotApplicable(facts.host, reason)
