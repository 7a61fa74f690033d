"""The ``catlic`` command's side of argument checking: click types, dry-run refusals, messages per option.

The checking itself (:func:`check_arguments`) lives in :mod:`nornir_catlic.tasks.arguments`, shared with the
device API.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import click

from nornir_catlic.cli.runner import TaskFunction
from nornir_catlic.tasks.arguments import ArgumentProblem, check_arguments
from nornir_catlic.tasks.declarations import declares_dry_run

__all__ = ["ArgumentProblem", "FiniteFloatRange", "check_arguments", "describe_options", "dry_run_refusal"]


class FiniteFloatRange(click.FloatRange):
    """click's FloatRange without inf and nan: ``--wait 1e400`` is refused, not waited for."""

    name = "finite float range"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "SECONDS"  # every use is a duration; click's default would print the type's name

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


def dry_run_refusal(target: str, task: TaskFunction) -> str | None:
    """Why ``task`` may not run as a dry run, or None when it declares that it honours one."""
    if declares_dry_run(task):
        return None
    return (
        f"{target} does not declare that it honours dry run, so it would send its commands anyway: "
        "run it without --dry-run, or declare it in the task (decorate it with "
        "nornir_catlic.tasks.honours_dry_run, or give it a dry_run parameter and honour "
        "task.is_dry_run(dry_run))"
    )


def describe_options(problems: list[ArgumentProblem], as_written: Mapping[str, str]) -> str:
    """One line per problem of ``-a KEY=VALUE`` options: ``-a warn_days=soon: what is wrong``."""
    lines = []
    for problem in problems:
        if problem.key is None:
            lines.append(problem.message)
        elif problem.key in as_written:
            lines.append(f"-a {problem.key}={as_written[problem.key]}: {problem.message}")
        else:
            lines.append(f"-a {problem}")
    return "\n".join(lines)
