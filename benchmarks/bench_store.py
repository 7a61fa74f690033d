"""Journal appends per second into one SQLite store: one process, then two processes at once.

Each append is one committed transaction (WAL, synchronous=FULL, BEGIN IMMEDIATE): the figure is bound by
fsync, so it depends on the disk more than on the CPU. Run: ``python benchmarks/bench_store.py [COUNT]``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

APPENDER = textwrap.dedent(
    """\
    import sys, time
    from nornir_catlic.journal import Journal
    journal = Journal(sys.argv[1])
    journal.append("warm-up", "bench", "open")
    host, count, start = sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    time.sleep(max(0.0, start - time.time()))
    began = time.perf_counter()
    for seq in range(count):
        journal.append(host, "report-usage", "sync", data={"seq": seq, "udi": "PID:C9300X,SN:FOC2519L8R7"})
    print(time.perf_counter() - began)
    """
)


def appends_per_second(folder: Path, processes: int, count: int) -> float:
    start = time.time() + 1.5  # every writer starts together, after its imports
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", APPENDER, str(folder / "bench.db"), f"host-{n}", str(count), str(start)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(processes)
    ]
    seconds = max(float(writer.communicate(timeout=600)[0]) for writer in writers)
    return processes * count / seconds


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
        single = appends_per_second(Path(one), 1, count)
        double = appends_per_second(Path(two), 2, count)
    print(f"journal appends, {count} per process, each committed and synced:")
    print(f"  one process:   {single:8.0f} appends/s")
    print(f"  two processes: {double:8.0f} appends/s together")


if __name__ == "__main__":
    main()
