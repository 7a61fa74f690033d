"""The library's guarantees for Python callers of the Nornir tasks: the switch lock and the clean stop."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest
from nornir.core import Nornir

from nornir_catlic import interrupts
from nornir_catlic.errors import HostLocked, Interrupted
from nornir_catlic.tasks.slac import catlic_install_slac
from virtual_devices.lab import Lab

from .labkit import c9300x_stack, device_codes, nornir_for, run_one, running_lab

HOLDER = textwrap.dedent(
    """\
    import sys
    from nornir_catlic import locks
    locks.set_command("catlic slac return")
    with locks.host_lock(sys.argv[1], hostname=sys.argv[2], port=int(sys.argv[3])):
        print("held", flush=True)
        sys.stdin.read()  # until the test closes it
    """
)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with running_lab(
        tmp_path_factory.mktemp("python-locks"), [c9300x_stack("py", "FOCY0", members=1)]
    ) as running:
        yield running


@pytest.fixture
def nr(lab: Lab) -> Iterator[Nornir]:
    runner = nornir_for(lab)
    yield runner
    runner.close_connections()


def hold(nr: Nornir, name: str) -> subprocess.Popen[str]:
    """Another process holding the switch's lock until its stdin closes."""
    host = nr.inventory.hosts[name]
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, name, str(host.hostname), str(host.port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def test_a_python_run_is_refused_a_held_switch_but_a_dry_run_is_not(lab: Lab, nr: Nornir) -> None:
    holder = hold(nr, "py")
    try:
        refused = run_one(nr, "py", catlic_install_slac)
        planned = run_one(nr, "py", catlic_install_slac, dry_run=True)
    finally:
        holder.communicate("")
    assert refused.failed and isinstance(refused.exception, HostLocked)
    assert f"locked by catlic slac return, PID {holder.pid} on " in str(refused.exception)
    assert not planned.failed and planned.changed
    assert device_codes(lab, "py") == {}


def test_a_stop_request_keeps_python_runs_from_starting(lab: Lab, nr: Nornir) -> None:
    interrupts.request_stop()
    try:
        stopped = run_one(nr, "py", catlic_install_slac)
    finally:
        interrupts.reset()
    assert isinstance(stopped.exception, Interrupted) and stopped.exception.step is None
    assert device_codes(lab, "py") == {}
