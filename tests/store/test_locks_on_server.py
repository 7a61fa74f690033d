"""Host locks on a PostgreSQL store: a killed holder's lock is taken over by exactly one of many racers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from sqlalchemy import update

from nornir_catlic import locks
from nornir_catlic.errors import HostLocked
from nornir_catlic.store.schema import host_locks

HOLD_OR_RACE = textwrap.dedent(
    """\
    import sys, time
    from nornir_catlic import locks
    from nornir_catlic.errors import HostLocked
    time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
    try:
        with locks.host_lock("sw1", hostname="10.0.0.1", port=22, wait=None):
            print("won", flush=True)
            sys.stdin.read()  # hold it until the test closes stdin (or kills us)
    except HostLocked:
        print("refused", flush=True)
    """
)


def start(url: str, at: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", HOLD_OR_RACE, str(at)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, locks.STORE_ENV: url},
    )


def test_six_takers_of_a_killed_holders_lock_on_postgresql_one_wins(
    postgresql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    holder = start(postgresql_url, 0)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "won"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    at = time.time() + 1.5  # every racer imported and waiting: they take the lock at one instant
    racers = [start(postgresql_url, at) for _ in range(6)]
    said = [racer.stdout.readline().strip() for racer in racers if racer.stdout is not None]
    for racer in racers:
        racer.communicate("", timeout=60)
    assert sorted(said) == ["refused"] * 5 + ["won"], said
    monkeypatch.setenv(locks.STORE_ENV, postgresql_url)
    assert locks.holder("sw1", hostname="10.0.0.1", port=22) is None, "the winner released it"


def test_a_dead_holder_on_another_machine_is_told_from_a_live_one_on_postgresql(
    postgresql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cluster worker on another machine holds a switch: its PID means nothing here, its database session
    does. Refused while it lives; once it is killed, the switch is taken over."""
    monkeypatch.setenv(locks.STORE_ENV, postgresql_url)
    holder = start(postgresql_url, 0)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "won"
    with locks.lock_store().write() as connection:  # as if the holder ran on the machine next door
        connection.execute(update(host_locks).values(machine="jump-host-emea"))
    try:
        with (
            pytest.raises(HostLocked, match=f"PID {holder.pid} on jump-host-emea"),
            locks.host_lock("sw1", hostname="10.0.0.1", port=22, wait=None),
        ):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # The server drops a killed client's session at once; waiting covers the moment it takes to notice.
    with locks.host_lock("sw1", hostname="10.0.0.1", port=22, wait=30) as taken:
        assert taken.pid == os.getpid()
        assert locks.holder("sw1", hostname="10.0.0.1", port=22) == taken
    assert locks.holder("sw1", hostname="10.0.0.1", port=22) is None
