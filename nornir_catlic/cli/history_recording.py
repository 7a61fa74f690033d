"""Every ``catlic state`` and ``catlic audit`` run (a runbook's steps too) records itself in the history.

A dry run records nothing; hosts a stop request kept from starting, or skipped, are not recorded (nothing
was learnt of them); a host that failed is recorded with its error. A history that cannot be written is
said on stderr and the run's outcome stands.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

import click

from nornir_catlic import locks
from nornir_catlic.cli.options import Settings
from nornir_catlic.cli.outcome import WorkflowRun
from nornir_catlic.cli.output import stderr_console
from nornir_catlic.errors import CatlicError
from nornir_catlic.history import KEEP_ENV, HostSnapshot, RunKind, parse_duration, prune, record_run
from nornir_catlic.models.state import LicenseState
from nornir_catlic.tasks.audit import DeviceAudit

RECORDED_WORKFLOWS = {"state": RunKind.STATE, "audit": RunKind.AUDIT}


def record_in_history(run: WorkflowRun, *, started_at: dt.datetime, finished_at: dt.datetime) -> int | None:
    """Record ``run`` when it is a state or audit run, not dry; its run id, or None when not recorded."""
    kind = RECORDED_WORKFLOWS.get(run.command)
    if kind is None or run.dry_run:
        return None
    snapshots = snapshots_of_run(run, started_at)
    if not snapshots:
        return None
    return record_snapshots(
        kind, snapshots, started_at=started_at, finished_at=finished_at, command=_command_words()
    )


def record_snapshots(
    kind: RunKind,
    snapshots: Mapping[str, HostSnapshot],
    *,
    started_at: dt.datetime,
    finished_at: dt.datetime,
    command: str,
) -> int | None:
    """Record one run's snapshots in the history of the locks' store (``$CATLIC_HISTORY_KEEP`` prunes it);
    the run's id, or None when the history could not be written (said on stderr)."""
    try:
        keep = _keep_setting()
        store = locks.lock_store()
        run_id = record_run(
            store,
            kind=kind,
            started_at=started_at,
            finished_at=finished_at,
            command=command,
            snapshots=snapshots,
        )
        if keep is not None:
            prune(store, older_than=finished_at - keep)
    except (CatlicError, ValueError) as error:
        stderr_console().print(
            f"catlic: this run was not recorded in the history: {error}",
            style="yellow",
            markup=False,
            soft_wrap=True,
        )
        return None
    return run_id


def snapshots_of_run(run: WorkflowRun, taken_at: dt.datetime) -> dict[str, HostSnapshot]:
    """Each host read (its state, and findings of an audit) or failed (its error), by host name."""
    snapshots: dict[str, HostSnapshot] = {}
    for host, outcome in run.outcomes.items():
        if isinstance(outcome.result, DeviceAudit) and outcome.ok:
            snapshots[host] = HostSnapshot.of_audit(outcome.result)
        elif isinstance(outcome.result, LicenseState) and outcome.ok:
            snapshots[host] = HostSnapshot.of_state(outcome.result, taken_at)
        elif outcome.status == "failed":
            snapshots[host] = HostSnapshot.unreachable(host, taken_at, outcome.error or "failed")
    return snapshots


def _keep_setting() -> dt.timedelta | None:
    text = os.environ.get(KEEP_ENV, "").strip()
    if not text:
        return None
    try:
        return parse_duration(text)
    except ValueError as error:
        raise ValueError(f"{KEEP_ENV}: {error}") from None


def _command_words() -> str:
    """``catlic audit`` (the subcommand's path), with the host filters that chose the hosts."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return "catlic"
    settings = ctx.find_object(Settings)
    filters = [f"--filter {term}" for term in settings.filters] if settings is not None else []
    subcommand = ctx.command_path.split()[1:]  # the program's own name may differ (python -m, a test)
    return " ".join(["catlic", *subcommand, *filters])
