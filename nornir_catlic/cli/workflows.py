"""The workflows ``catlic`` knows by name: for subcommands and for the steps of a runbook.

A workflow is a Nornir task (imported only when it runs) with the way its outcome is shown: a table view,
what counts as critical (exit code 2), and extra keys for the JSON document.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rich.console import RenderableType

from nornir_catlic.cli.errors import CliError
from nornir_catlic.cli.options import JournalLocation, journal_location, shown_location
from nornir_catlic.cli.outcome import WorkflowRun
from nornir_catlic.cli.output import RunView, diff_view, generic_view
from nornir_catlic.cli.runner import TaskFunction
from nornir_catlic.errors import CatlicError
from nornir_catlic.journal import Journal, journal_exists


@dataclass(frozen=True)
class Workflow:
    """A named workflow.

    Attributes:
        name: the subcommand and runbook name (``state``, ``slac-install``).
        target: ``module:function`` of the Nornir task.
        view: renders the human output of a run.
        critical: whether a run found something critical.
        extra: command-specific top-level keys of the JSON document.
        journal: how the task uses the journal: ``None`` not at all, ``"read"`` only when the file exists
            (audits), ``"write"`` always (workflows that must record codes before acting).
        lock_hosts: hold each switch's lock around the task (a task of unknown effect: ``catlic task``);
            catlic's own write workflows take it themselves.
    """

    name: str
    target: str
    summary: str = ""
    view: RunView = generic_view
    critical: Callable[[WorkflowRun], bool] | None = None
    extra: Callable[[WorkflowRun], Mapping[str, Any]] | None = None
    journal: Literal["read", "write"] | None = None
    lock_hosts: bool = False

    def task(self) -> TaskFunction:
        return import_task(self.target)

    def renderables(self, run: WorkflowRun) -> list[RenderableType]:
        """A run for people: the view, then each host's plan or change (the generic view holds them)."""
        shown = [self.view(run)]
        if self.view is not generic_view:
            shown.append(diff_view(run))
        return [part for part in shown if part is not None]


WORKFLOWS: dict[str, Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    WORKFLOWS[workflow.name] = workflow
    return workflow


def with_journal(
    workflow: Workflow, params: Mapping[str, Any], journal_path: JournalLocation
) -> dict[str, Any]:
    """``params`` with the ``journal`` the workflow needs (a path given in a runbook is opened too)."""
    prepared = dict(params)
    if workflow.journal is None:
        return prepared
    given = prepared.get("journal")
    if given is not None and not isinstance(given, (str, Path)):
        return prepared  # already a Journal object
    path = journal_location(str(given)) if given is not None else journal_path
    if workflow.journal == "read" and not journal_exists(path):
        prepared["journal"] = None
        return prepared
    try:
        prepared["journal"] = Journal(path)
    except CatlicError as error:
        raise CliError(f"{shown_location(path)}: {error}") from None
    return prepared


def import_task(target: str) -> TaskFunction:
    """The task function named ``module:function``; :class:`CliError` when it cannot be found."""
    module_name, _, function_name = target.partition(":")
    if not module_name or not function_name:
        raise CliError(f"{target!r}: a task is named MODULE:FUNCTION")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise CliError(f"{target}: cannot import {module_name}: {error}") from None
    function = getattr(module, function_name, None)
    if not callable(function):
        raise CliError(f"{target}: {module_name} has no function {function_name!r}")
    task: TaskFunction = function
    return task
