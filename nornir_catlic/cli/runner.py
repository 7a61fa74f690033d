"""Run one Nornir task over the selected hosts, with the progress bar, and reduce the results to outcomes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from nornir.core import Nornir
from nornir.core.task import Result
from rich.console import Console

from nornir_catlic import interrupts
from nornir_catlic.cli.history_recording import record_in_history
from nornir_catlic.cli.outcome import WorkflowRun, not_applicable_hosts, outcomes_from
from nornir_catlic.cli.progress import host_progress
from nornir_catlic.tasks.exclusive import writes_to_switch
from nornir_catlic.transport import closing_session

TaskFunction = Callable[..., Result | Any]


def run_workflow(
    nornir: Nornir,
    task: TaskFunction,
    *,
    command: str,
    progress_console: Console,
    show_progress: bool,
    lock_hosts: bool = False,
    **params: Any,
) -> WorkflowRun:
    """Run ``task`` with ``params`` on every host of ``nornir``; never raises for a host's failure.

    Hosts Nornir already counts as failed (an earlier step of a runbook) are skipped and reported as such;
    hosts the task does not apply to (NotApplicable) are skipped with the reason and stay in the run.
    Once it started, SIGINT and SIGTERM stop the run cleanly (:func:`nornir_catlic.interrupts.stop_on_signals`
    in ``catlic``'s main): hosts not started stay so, hosts at work stop before their next command, and
    every host is reported. A state or audit run records itself in the history
    (:mod:`nornir_catlic.cli.history_recording`).

    Args:
        lock_hosts: hold each switch's lock while ``task`` works on it, even when the task does not take it
            itself (``catlic task`` runs tasks that may write); never in a dry run.
    """
    hosts = list(nornir.inventory.hosts)
    started_at = dt.datetime.now(dt.timezone.utc)
    # Close each host's session when its task ends: a fleet's idle paramiko sessions would starve the run.
    per_host = closing_session(writes_to_switch(task) if lock_hosts else task)
    interrupts.mark_running()  # from now on a signal stops the run cleanly (installed by ``catlic``'s main)
    with host_progress(progress_console, command, len(hosts), enabled=show_progress) as processors:
        aggregated = nornir.with_processors(processors).run(task=per_host, name=command, **params)
    for name in not_applicable_hosts(aggregated):
        nornir.data.recover_host(name)  # skipped, not failed: the next runbook step still applies to it
    outcomes = outcomes_from(aggregated, hosts)
    run = WorkflowRun(command, dry_run=bool(nornir.data.dry_run), outcomes=outcomes, aggregated=aggregated)
    run.history_run = record_in_history(
        run, started_at=started_at, finished_at=dt.datetime.now(dt.timezone.utc)
    )
    return run
