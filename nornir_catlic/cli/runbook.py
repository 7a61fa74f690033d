"""Playbook-style runbooks: a YAML list of workflows with their arguments and host filters, run in order.

::

    name: Air-gapped HSECK9 rollout            # optional
    dry_run: false                             # optional; `catlic run --dry-run` forces a dry run
    steps:
      - name: Audit the fleet                  # optional; defaults to the workflow's name
        workflow: audit                        # a workflow catlic knows (see `catlic run --help`) ...
      - name: Install the SLACs on the stack
        workflow: slac-install
        filter: [c9300x-stack]                 # host, group, platform=... or key=value; narrows the selection
        args: {mode: offline, portal: ./catlic-portal}   # the task's keyword arguments (see below)
      - task: my_package.tasks:my_task         # ... or any Nornir task function
        args: {when: now}
      - workflow: audit
        html: reports/licensing.html           # an audit step also writes the HTML report there

``args`` are the task's own keyword arguments, with three shorthands: ``portal: <folder>`` (a file-drop
portal the operator empties and fills), ``portal: lab`` (the running lab's simulated SSM answers at once),
``join: lab`` (stack add: the lab powers on the spare ``member_serial``). The journal is catlic's.

A host that fails a step is skipped by the later steps (as Ansible does); the other hosts go on. The
book is checked whole before any step runs, and every problem is reported as ``file:line: step N: key``:
unknown keys, arguments the task does not take or lacks, types and bounds from the task's signature (no
negative days, no ``1e400``), combinations the guide forbids (a boot level), filters that select no host,
an ``html:`` report on a step that is not an audit or in a folder that cannot be written, and, in a dry run,
a ``task:`` that does not declare it honours dry run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any

from nornir.core import Nornir
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr, model_validator
from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from nornir_catlic.cli.arguments import ArgumentProblem, check_arguments, dry_run_refusal
from nornir_catlic.cli.errors import CliError
from nornir_catlic.cli.html_report import REPORT_WORKFLOWS, unwritable_report, write_audit_report
from nornir_catlic.cli.inventory import select_hosts
from nornir_catlic.cli.lab import lab_join
from nornir_catlic.cli.options import JournalLocation
from nornir_catlic.cli.outcome import HostOutcome, WorkflowRun, skipped_outcome
from nornir_catlic.cli.output import (
    print_host_errors,
    recap_document,
    run_document,
    schema_name,
)
from nornir_catlic.cli.paths import nearest_existing
from nornir_catlic.cli.runner import run_workflow
from nornir_catlic.cli.ssm import open_lab_ssm
from nornir_catlic.cli.tables import print_view
from nornir_catlic.cli.workflows import WORKFLOWS, Workflow, import_task, with_journal
from nornir_catlic.portal import FileDropPortal
from yaml_lines import LinedYaml, Loc, YamlFileError, read_yaml, suggestion, validate

LAB = "lab"


def _listed(value: Any) -> Any:
    """``filter: campus`` is ``filter: [campus]``; an empty ``filter:`` is none."""
    return [value] if isinstance(value, str) else (value or [])


class RunbookStep(BaseModel):
    """One entry of ``steps:`` as written: a workflow catlic knows or any Nornir task, with its arguments."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    workflow: str | None = None
    task: str | None = None
    args: Annotated[dict[str, Any], BeforeValidator(lambda value: value or {})] = {}
    filter: Annotated[list[StrictStr], BeforeValidator(_listed)] = []
    html: StrictStr | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> RunbookStep:
        if (self.workflow is None) == (self.task is None):
            raise ValueError("needs exactly one of 'workflow:' or 'task:'")
        return self


class RunbookFile(BaseModel):
    """A runbook file as written (see the module's docstring)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    dry_run: StrictBool = False
    steps: Annotated[list[RunbookStep], Field(min_length=1)]


@dataclass(frozen=True)
class Step:
    name: str
    workflow: Workflow
    line: int
    args: dict[str, Any] = field(default_factory=dict)
    filters: tuple[str, ...] = ()
    html: Path | None = None  # an audit step also writes its HTML report there


@dataclass(frozen=True)
class Runbook:
    path: Path
    name: str
    steps: list[Step]
    dry_run: bool = False


def load_runbook(path: Path, *, dry_run: bool = False) -> Runbook:
    """Read and check a runbook whole; :class:`CliError` names the file, line, step and key of each problem.

    Args:
        dry_run: ``catlic run --dry-run``: every step must honour a dry run, as when the book says so.
    """
    try:
        document = read_yaml(path)
        if not isinstance(document.data, dict):
            raise YamlFileError(f"{document.where()}: a runbook is a mapping with a 'steps:' list")
        book = validate(RunbookFile, document, owner=_step_owner)
    except YamlFileError as error:
        raise CliError(str(error)) from None
    steps = [_step(document, written, index) for index, written in enumerate(book.steps)]
    checked: list[Step] = []
    problems: list[str] = []
    for index, step in enumerate(steps):
        arguments, found = _checked_step(document, step, index, dry_run=dry_run or book.dry_run)
        checked.append(replace(step, args=arguments))
        problems += found
    if problems:
        raise CliError("\n".join(problems))
    return Runbook(path, book.name or path.stem, checked, book.dry_run)


def _step_owner(loc: Loc) -> tuple[str, Loc]:
    if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
        return f"step {loc[1] + 1}", loc[2:]
    return "", loc


def _step(document: LinedYaml, written: RunbookStep, index: int) -> Step:
    at = ("steps", index)
    if written.workflow is not None:
        if written.workflow not in WORKFLOWS:
            raise CliError(
                f"{document.where((*at, 'workflow'))}: no workflow {written.workflow!r}"
                f"{suggestion(written.workflow, sorted(WORKFLOWS))}; or name any Nornir task with "
                "'task: module:function'"
            )
        workflow = WORKFLOWS[written.workflow]
    else:
        target = str(written.task)
        try:
            import_task(target)
        except CliError as error:
            raise CliError(f"{document.where((*at, 'task'))}: {error}") from None
        workflow = Workflow(name="task", target=target, lock_hosts=True)
    return Step(
        written.name or workflow.name,
        workflow,
        document.line_of(at) or 0,
        {str(key): value for key, value in written.args.items()},
        tuple(written.filter),
        Path(written.html) if written.html is not None else None,
    )


def _checked_step(
    document: LinedYaml, step: Step, index: int, *, dry_run: bool
) -> tuple[dict[str, Any], list[str]]:
    """The step's arguments as its task will get them (``"30"`` read as 30 for an int), and each problem
    as ``file:line: step N ('name'): key: what is wrong``."""
    at = ("steps", index)
    owner = f"step {index + 1} ({step.name!r})"
    task = step.workflow.task()
    problems: list[str] = []
    refusal = dry_run_refusal(step.workflow.target, task) if dry_run else None
    if refusal is not None:
        problems.append(
            f"{document.where((*at, 'task' if step.workflow.name == 'task' else 'workflow'))}: "
            f"{owner}: {refusal}"
        )
    supplied = _shorthands(step)
    arguments, argument_problems = check_arguments(task, step.args, supplied=supplied, dry_run=dry_run)
    argument_problems += _shorthand_problems(step, supplied)
    for problem in argument_problems:
        where = (*at, "args", problem.key) if problem.key is not None else (*at, "args")
        problems.append(f"{document.where(where)}: {owner}: {problem}")
    report_problem = _report_problem(step)
    if report_problem is not None:
        problems.append(f"{document.where((*at, 'html'))}: {owner}: html: {report_problem}")
    return arguments, problems


def _report_problem(step: Step) -> str | None:
    if step.html is None:
        return None
    if step.workflow.name not in REPORT_WORKFLOWS:
        return f"only an audit step writes an HTML report, not a {step.workflow.name!r} step"
    return unwritable_report(step.html)


def _shorthands(step: Step) -> set[str]:
    """Arguments the runbook turns into objects itself: ``portal``, ``join``, and the workflow's journal."""
    names: set[str] = {name for name in ("portal", "join") if name in step.args}
    if step.workflow.journal is not None and "journal" in step.args:
        names.add("journal")
    return names


def _shorthand_problems(step: Step, supplied: set[str]) -> list[ArgumentProblem]:
    problems: list[ArgumentProblem] = []
    for name in sorted(supplied):
        value = step.args[name]
        if name == "join" and value != LAB:
            problems.append(ArgumentProblem(name, f"the only join a runbook knows is 'lab', not {value!r}"))
        elif name in ("portal", "journal") and not isinstance(value, str):
            wanted = "a folder, or 'lab'" if name == "portal" else "a file path"
            problems.append(ArgumentProblem(name, f"{wanted}, not {value!r}"))
        elif name == "portal" and value != LAB and (unfit := _unwritable_folder(Path(value))) is not None:
            problems.append(ArgumentProblem(name, unfit))
    return problems


def _unwritable_folder(folder: Path) -> str | None:
    """Why files cannot be written in ``folder`` (made if missing): found before a switch saves a request."""
    existing = nearest_existing(folder)
    if not existing.is_dir():
        return f"{existing} is not a folder: the portal writes its files in one"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable: the portal writes the switches' files there"
    return None


def check_step_filters(book: Runbook, nornir: Nornir) -> None:
    """Every step's filter must select a host of the inventory, before the first step runs."""
    for step in book.steps:
        if step.filters:
            select_hosts(
                nornir, step.filters, source=f"the inventory ({book.path}:{step.line}: {step.name!r})"
            )


KeyBudget = Callable[[Nornir, Mapping[str, Any]], tuple[Nornir, dict[str, str]]]
"""Given a step's hosts and arguments (its journal opened): the hosts that fit the key budget, and the
skipped ones (reason); raises :class:`CliError` when the step's plan needs more keys than are free."""

KEY_BUDGET_STEPS = frozenset({"slac-install"})


def run_runbook(
    book: Runbook,
    nornir: Nornir,
    *,
    journal_path: JournalLocation,
    progress_console: Console,
    show_progress: bool,
    key_budget: KeyBudget | None = None,
) -> list[tuple[Step, WorkflowRun]]:
    """Run the steps in order over ``nornir``; hosts that failed a step are skipped by the next ones.

    A ``slac-install`` step checks ``key_budget`` first, as ``catlic slac install`` does: over budget its
    hosts fail that step with the two numbers and nothing is requested.
    """
    check_step_filters(book, nornir)
    runs: list[tuple[Step, WorkflowRun]] = []
    for step in book.steps:
        selected = select_hosts(nornir, step.filters, source=str(book.path)) if step.filters else nornir
        arguments = _lab_arguments(step, selected)
        skipped: dict[str, str] = {}
        if key_budget is not None and step.workflow.name in KEY_BUDGET_STEPS:
            try:
                selected, skipped = key_budget(selected, with_journal(step.workflow, arguments, journal_path))
            except CliError as over_budget:
                runs.append((step, _refused_step(step, selected, str(over_budget))))
                continue
        run = run_workflow(
            selected,
            step.workflow.task(),
            command=step.workflow.name,
            progress_console=progress_console,
            show_progress=show_progress,
            lock_hosts=step.workflow.lock_hosts,
            **with_journal(step.workflow, arguments, journal_path),
        )
        for host, reason in skipped.items():
            run.outcomes[host] = skipped_outcome(host, reason, said_before=True)  # the budget said why
        if step.html is not None:
            write_audit_report(run, step.html, warn_days=int(arguments.get("warn_days", 30)))
        runs.append((step, run))
    return runs


def _refused_step(step: Step, selected: Nornir, reason: str) -> WorkflowRun:
    """A step refused before any device: each of its hosts failed with ``reason``; later steps skip them."""
    hosts = [name for name in selected.inventory.hosts if name not in selected.data.failed_hosts]
    for name in hosts:
        selected.data.failed_hosts.add(name)
    outcomes = {name: HostOutcome(name, ok=False, changed=False, error=reason) for name in hosts}
    return WorkflowRun(step.workflow.name, dry_run=bool(selected.data.dry_run), outcomes=outcomes)


def _lab_arguments(step: Step, selected: Nornir) -> dict[str, Any]:
    """Runbook shorthands: ``portal: lab`` (the lab's simulated SSM answers), ``portal: <folder>`` (a file
    drop for the operator), ``join: lab`` (the lab powers on the stack's spare ``member_serial``)."""
    args = dict(step.args)
    portal = args.get("portal")
    if portal == LAB:
        args["portal"] = open_lab_ssm()
    elif isinstance(portal, str):
        args["portal"] = FileDropPortal(Path(portal))
    if args.get("join") == LAB:
        hosts = list(selected.inventory.hosts)
        if len(hosts) != 1:
            raise CliError(
                f"{step.name!r}: join: lab needs a filter selecting one stack (selected {len(hosts)})"
            )
        args["join"] = lab_join(hosts[0], str(args.get("member_serial")), standalone=args.get("standalone"))
    return args


def runbook_document(book: Runbook, runs: list[tuple[Step, WorkflowRun]]) -> dict[str, Any]:
    """The ``--json`` document of ``catlic run``: schema ``catlic/run/v1``, one entry per step."""
    steps: list[Mapping[str, Any]] = []
    for step, run in runs:
        extra = step.workflow.extra(run) if step.workflow.extra is not None else {}
        document = run_document(run, **extra)
        steps.append({"name": step.name, "workflow": step.workflow.name, "line": step.line, **document})
    return {
        "schema": schema_name("run"),
        "command": "run",
        "runbook": str(book.path),
        "name": book.name,
        "dry_run": any(run.dry_run for _, run in runs),
        "steps": steps,
        "recap": recap_document(run for _, run in runs),
    }


def print_runbook(
    out: Console, errors: Console, runs: list[tuple[Step, WorkflowRun]], *, debug: bool
) -> None:
    for number, (step, run) in enumerate(runs, start=1):
        title = Text(f"STEP {number}/{len(runs)}: {step.name} [{step.workflow.name}]", style="bold")
        out.print(Rule(title, align="left"))
        for part in step.workflow.renderables(run):
            print_view(out, part)
        print_host_errors(errors, run, debug=debug)
