"""Switch locks between real processes: refused with the holder's facts, waited for, taken over when stale."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import insert

from nornir_catlic import interrupts, locks
from nornir_catlic.errors import HostLocked, Interrupted
from nornir_catlic.store.schema import host_locks

HOLDER = textwrap.dedent(
    """\
    import sys, time
    from pathlib import Path
    from nornir_catlic import locks
    locks.set_command("catlic slac install")
    with locks.host_lock("sw1", hostname="10.0.0.1", port=22, folder=Path(sys.argv[1])):
        print("held", flush=True)
        sys.stdin.read() if sys.argv[2] == "stdin" else time.sleep(float(sys.argv[2]))
    """
)


def hold_in_process(folder: Path, seconds: float | str) -> subprocess.Popen[str]:
    """Another process holding sw1's lock for ``seconds`` (``"stdin"``: until its stdin closes); returns
    once it holds it."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder), str(seconds)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "held"
    return process


def held(folder: Path) -> locks.LockFacts | None:
    """sw1's lock row in the store of ``folder``."""
    return locks.holder("sw1", hostname="10.0.0.1", port=22, folder=folder)


def plant(folder: Path, facts: locks.LockFacts, hostname: str = "10.0.0.1") -> None:
    """A lock row as another run left it."""
    row = {"key": locks.lock_key(hostname, 22, facts.host), **dataclasses.asdict(facts)}
    with locks.lock_store(folder).write() as connection:
        connection.execute(insert(host_locks), [row])


@pytest.fixture(autouse=True)
def no_stop_request() -> None:
    interrupts.reset()


def test_a_second_process_is_refused_with_the_holders_facts(tmp_path: Path) -> None:
    holder = hold_in_process(tmp_path, 30)
    try:
        with (
            pytest.raises(HostLocked) as refused,
            locks.host_lock("sw1", hostname="10.0.0.1", port=22, folder=tmp_path, wait=None),
        ):
            pass
        facts = held(tmp_path)
        holder_started = locks.process_start_time(holder.pid)
    finally:
        holder.kill()
        holder.wait()
    message = str(refused.value)
    assert message.startswith("sw1: locked by catlic slac install, PID ")
    assert f"PID {holder.pid} on {os.uname().nodename} since " in message
    assert facts is not None and facts.pid == holder.pid and facts.command == "catlic slac install"
    assert facts.process_started == pytest.approx(holder_started, abs=1)
    assert (tmp_path / locks.STORE_FILE).stat().st_mode & 0o777 == 0o600


def test_a_waiting_run_gets_the_lock_once_the_holder_ends(tmp_path: Path) -> None:
    holder = hold_in_process(tmp_path, "stdin")
    released: list[float] = []

    def end_holder() -> None:
        released.append(time.monotonic())
        holder.communicate("")

    threading.Timer(1.0, end_holder).start()
    with locks.host_lock("sw1", hostname="10.0.0.1", port=22, folder=tmp_path, wait=60) as facts:
        got = time.monotonic()
        assert held(tmp_path) == facts
    assert released and got > released[0], "it waited for the holder"
    assert held(tmp_path) is None, "released on exit"


def test_waiting_stops_when_the_run_is_interrupted(tmp_path: Path) -> None:
    holder = hold_in_process(tmp_path, 30)
    try:
        threading.Timer(0.5, interrupts.request_stop).start()
        with (
            pytest.raises(Interrupted) as stopped,
            locks.host_lock("sw1", hostname="10.0.0.1", port=22, folder=tmp_path, wait=60),
        ):
            pass
    finally:
        interrupts.reset()
        holder.kill()
        holder.wait()
    assert stopped.value.step == "waiting for the switch's lock"


def test_the_lock_of_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    holder = hold_in_process(tmp_path, 60)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert getattr(held(tmp_path), "pid", None) == holder.pid, "SIGKILL leaves the lock"
    with locks.host_lock("sw1", hostname="10.0.0.1", port=22, folder=tmp_path, wait=None) as facts:
        assert getattr(held(tmp_path), "pid", None) == os.getpid() == facts.pid


def test_a_pid_reused_by_a_later_process_is_stale(tmp_path: Path) -> None:
    """Our own PID with a start time not ours: the PID was reused, the holder is gone."""
    stale = locks.LockFacts(
        host="sw1",
        address="10.0.0.1:22",
        pid=os.getpid(),
        machine=os.uname().nodename,
        since="2026-01-01T00:00:00+00:00",
        command="catlic slac install",
        process_started=(locks.process_start_time(os.getpid()) or 0) - 3600,
        token="0" * 16,
    )
    plant(tmp_path, stale)
    with locks.host_lock("sw1", hostname="10.0.0.1", port=22, folder=tmp_path, wait=None) as facts:
        assert facts.token != stale.token


def test_a_lock_of_another_machine_is_never_taken_over(tmp_path: Path) -> None:
    remote = locks.LockFacts(
        host="sw1",
        address="10.0.0.1:22",
        pid=1,
        machine="elsewhere.example",
        since="2026-01-01T00:00:00+00:00",
        command="catlic slac return",
        process_started=None,
        token="1" * 16,
    )
    plant(tmp_path, remote)
    with (
        pytest.raises(HostLocked, match=r"catlic slac return, PID 1 on elsewhere\.example since 2026-01-01"),
        locks.host_lock("sw1", hostname="10.0.0.1", port=22, folder=tmp_path, wait=None),
    ):
        pass
    assert held(tmp_path) == remote


RACER = textwrap.dedent(
    """\
    import sys
    from pathlib import Path
    from nornir_catlic import locks
    from nornir_catlic.errors import HostLocked
    print("ready", flush=True)
    sys.stdin.readline()  # "go": every racer is imported and waiting
    try:
        with locks.host_lock("sw1", hostname="10.0.0.1", port=22, folder=Path(sys.argv[1]), wait=None):
            print("won", flush=True)
            sys.stdin.read()  # hold it until every racer has had its go
    except HostLocked:
        print("refused", flush=True)
    """
)


def race(folder: Path, racers_count: int) -> list[str]:
    """What each of ``racers_count`` processes said, taking sw1's lock at the same instant (once all of them
    are started and imported, whatever the machine's load)."""
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(racers_count)
    ]
    streams = [(racer.stdin, racer.stdout) for racer in racers if racer.stdin and racer.stdout]
    assert [stdout.readline().strip() for _, stdout in streams] == ["ready"] * racers_count
    for stdin, _ in streams:
        stdin.write("go\n")
        stdin.flush()
    said = [stdout.readline().strip() for _, stdout in streams]
    for racer in racers:
        racer.communicate("", timeout=60)
    return said


@pytest.mark.parametrize("round_", range(3))
def test_many_takers_of_one_stale_lock_never_both_win(tmp_path: Path, round_: int) -> None:
    dead = hold_in_process(tmp_path, 60)
    dead.send_signal(signal.SIGKILL)
    dead.wait()
    said = race(tmp_path, 6)
    assert sorted(said) == ["refused"] * 5 + ["won"], said
    assert held(tmp_path) is None


@pytest.mark.parametrize("round_", range(3))
def test_two_processes_racing_for_a_free_lock_one_wins(tmp_path: Path, round_: int) -> None:
    """The row's primary key decides: one insert wins, the other process is refused."""
    said = race(tmp_path, 2)
    assert sorted(said) == ["refused", "won"], said
    assert held(tmp_path) is None


def test_the_same_thread_reenters_and_another_thread_takes_its_turn(tmp_path: Path) -> None:
    """Two threads of one run on one switch (two inventory names for one address) take turns."""
    order: list[str] = []

    def other() -> None:
        with locks.host_lock("sw1-alias", hostname="10.0.0.1", port=22, folder=tmp_path, wait=None):
            order.append("other")

    with (
        locks.host_lock("sw1", hostname="10.0.0.1", port=22, folder=tmp_path, wait=None) as outer,
        locks.host_lock("sw1", hostname="10.0.0.1", port=22, folder=tmp_path, wait=None) as inner,
    ):
        assert inner == outer
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(timeout=1.0)
        assert thread.is_alive(), "it waits for its turn"
        order.append("first")
    thread.join(timeout=30)
    assert order == ["first", "other"]
    assert held(tmp_path) is None


@pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="zombies are told apart through Linux's /proc"
)
def test_the_lock_of_a_killed_process_not_yet_reaped_is_taken_over(tmp_path: Path) -> None:
    """A killed holder whose parent has not reaped it (a zombie) is gone: its PID answers but runs nothing."""
    holder = hold_in_process(tmp_path, 60)
    try:
        holder.send_signal(signal.SIGKILL)
        deadline = time.monotonic() + 10
        while Path(f"/proc/{holder.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
            assert time.monotonic() < deadline, "the holder never died"
            time.sleep(0.01)  # waiting for the kernel to end a process: no event to wait on without reaping
        with locks.host_lock("sw1", hostname="10.0.0.1", port=22, folder=tmp_path, wait=None) as facts:
            assert getattr(held(tmp_path), "pid", None) == os.getpid() == facts.pid
    finally:
        holder.wait()


def test_one_switch_written_in_another_case_shares_its_lock(tmp_path: Path) -> None:
    """Host names are case-blind (DNS): two inventories spelling one switch differently share one lock."""
    live = locks.LockFacts(
        host="SW1",
        address="SW1.Example.com:22",
        pid=os.getpid(),
        machine=os.uname().nodename,
        since="2026-01-01T00:00:00+00:00",
        command="catlic slac install",
        process_started=locks.process_start_time(os.getpid()),
        token="1" * 16,
    )
    plant(tmp_path, live, hostname="SW1.Example.com")
    with (
        pytest.raises(HostLocked),
        locks.host_lock("sw1", hostname="sw1.example.com", port=22, folder=tmp_path, wait=None),
    ):
        pass
