"""A progress bar on the terminal that advances as each host finishes, fed by a Nornir processor."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from nornir.core.inventory import Host
from nornir.core.processor import Processor
from nornir.core.task import AggregatedResult, MultiResult, Task
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn


class HostCompletionCounter:
    """Nornir processor counting top-level task completions per host (sub-tasks are not counted).

    Nornir calls processors from its worker threads; rich's ``Progress`` is thread-safe and the failure
    count is guarded by a lock.
    """

    def __init__(self, progress: Progress, bar: TaskID, label: str) -> None:
        self._progress = progress
        self._bar = bar
        self._label = label
        self._failed = 0
        self._lock = threading.Lock()

    def task_started(self, task: Task) -> None:
        pass

    def task_completed(self, task: Task, result: AggregatedResult) -> None:
        pass

    def task_instance_started(self, task: Task, host: Host) -> None:
        pass

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        with self._lock:
            if result.failed:
                self._failed += 1
            failed = self._failed
        label = f"{self._label} [red]({failed} failed)[/red]" if failed else self._label
        self._progress.update(self._bar, advance=1, description=label)

    def subtask_instance_started(self, task: Task, host: Host) -> None:
        pass

    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        pass


@contextmanager
def host_progress(console: Console, label: str, total: int, *, enabled: bool) -> Iterator[list[Processor]]:
    """Yield the processors to attach to Nornir: a counter driving a bar on ``console``, or none."""
    if not enabled:
        yield []
        return
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("hosts"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    with progress:
        bar = progress.add_task(label, total=total)
        yield [HostCompletionCounter(progress, bar, label)]
