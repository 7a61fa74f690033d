"""Ctrl-C and concurrent runs, as processes over one lab: the recap tells the truth, one run per switch.

A driver starts ``catlic slac install`` (online, offline through the lab's SSM) or ``catlic slac return``,
waits until a step appears in the journal file, and sends SIGINT. The run then reports every host as it
really is (``changed``, ``interrupted before ...``, ``not started``), which the lab's devices and the journal
confirm, and exits 130 without a traceback; a second run finishes the work and SSM never issues a UDI two
SLACs. Each case works on its own three switches: one fast, two slow (added reply latency), so the stop
reaches hosts at different points. Two runs started together on the same switches work on each once; a lock
left by a killed run is taken over.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from catlic_process import json_of, run_catlic, start_catlic
from nornir import InitNornir
from sqlalchemy import select

from nornir_catlic import locks
from nornir_catlic.journal import Journal
from nornir_catlic.store import Store
from nornir_catlic.store.schema import host_locks
from virtual_devices import licfiles
from virtual_devices.lab import Lab

ONLINE_STEPS = ["planned", "slac-requested", "slac-installed", "install-verified"]
OFFLINE_STEPS = ["planned", "slac-requested", "request-submitted", "slac-installed", "install-verified"]
RETURN_STEPS = ["return-started", "return-code", "return-acknowledged", "return-verified"]
FAST, SLOW = 0.02, 0.15  # seconds of latency before each reply
REPEATS = 2


def _switch(name: str, serial: str, *, transport: str, latency: float, slacs: str = "none") -> dict[str, Any]:
    return {
        "name": name,
        "platform": "C9300X",
        "release": "17.9.4",
        "transport": transport,
        "slacs": slacs,
        "faults": {"latency": latency},
        "members": [{"number": 1, "pid": "C9300X-48HX", "serial": serial, "priority": 15}],
    }


def _trio(prefix: str, serial: str, **spec: Any) -> list[dict[str, Any]]:
    return [
        _switch(f"{prefix}-{letter}", f"{serial}{index}", latency=FAST if letter == "a" else SLOW, **spec)
        for index, letter in enumerate("abc")
    ]


def _devices() -> list[dict[str, Any]]:
    devices: list[dict[str, Any]] = []
    for n, _ in enumerate(ONLINE_STEPS):
        devices += _trio(f"on{n}", f"FOCN{n}", transport="smart")
    for n, _ in enumerate(OFFLINE_STEPS):
        devices += _trio(f"off{n}", f"FOCF{n}", transport="off")
    for n, _ in enumerate(RETURN_STEPS):
        devices += _trio(f"ret{n}", f"FOCR{n}", transport="smart", slacs="all")
    for n in range(REPEATS):
        devices += [_switch(f"pair-on{n}-{x}", f"FOCP{n}{x}", transport="smart", latency=0.1) for x in "ab"]
        devices += [_switch(f"pair-off{n}-{x}", f"FOCQ{n}{x}", transport="off", latency=0.1) for x in "ab"]
    devices.append(_switch("killed", "FOCK0", transport="smart", latency=SLOW))
    devices.append(_switch("twice", "FOCT0", transport="smart", latency=0.5))
    devices.append(_switch("termed", "FOCE0", transport="smart", latency=SLOW))
    devices += _trio("book", "FOCB", transport="smart")
    devices.append(_switch("held", "FOCH0", transport="smart", latency=0.0))
    devices.append(_switch("waiter", "FOCW0", transport="smart", latency=0.0))
    return devices


@dataclass
class RunningLab:
    lab: Lab
    work: Path

    def args(self, *args: str) -> list[str]:
        return [*args, "-c", str(self.lab.nornir_config), "--json", "--no-progress"]

    def start(self, *args: str) -> subprocess.Popen[str]:
        return start_catlic(
            *self.args(*args), cwd=self.work, env={"CATLIC_LAB_STATE": str(self.lab.state_dir)}
        )

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        process = self.start(*args)
        out, err = process.communicate(timeout=300)
        return subprocess.CompletedProcess(process.args, process.returncode, out, err)

    def finish(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The run that finishes an interrupted one: no signal, so in the test process (``in_process``)."""
        environment = {"CATLIC_LAB_STATE": str(self.lab.state_dir)}
        return run_catlic(*self.args(*args), cwd=self.work, env=environment, in_process=True)

    def quicken(self, hosts: list[str]) -> None:
        """No more added latency: the run that finishes the work need not be slow."""
        for host in hosts:
            self.lab.clear_faults(host)

    def slacs(self, name: str) -> dict[str, str]:
        """UDI -> confirmation code of the SLACs the device holds (the lab's own truth)."""
        agent = self.lab.devices[name].agent
        return self.lab.call(
            lambda: {udi: licfiles.confirmation_code(s.code) for udi, s in agent.state.slacs.items()}
        )

    def udis(self, name: str) -> list[str]:
        return list(self.lab.call(self.lab.devices[name].udis))

    def ssm_events(self, kind: str, udis: list[str]) -> dict[str, int]:
        counts = dict.fromkeys(udis, 0)
        for event in self.lab.context.ssm.events(limit=100000):
            if event["kind"] == kind and event["udi"] in counts:
                counts[event["udi"]] += 1
        return counts


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    topology = {
        "lab": {
            "ssm": {
                "accounts": [
                    {"smart_account": "Eg-SA", "virtual_account": "Eg-VA", "pools": {"C9K HSEC": 500}}
                ]
            }
        },
        "devices": _devices(),
    }
    state = tmp_path_factory.mktemp("interrupt-lab")
    with Lab.from_dict(topology, state) as running:
        yield RunningLab(running, tmp_path_factory.mktemp("interrupt-work"))


def journal_records(path: Path) -> list[dict[str, Any]]:
    """The journal's records as ``catlic journal export`` writes them (none before the run creates it)."""
    out = io.StringIO()
    with Journal(path) as journal:
        journal.export(out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def interrupt_at(lab: RunningLab, step: str, journal: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``catlic *args``; SIGINT it as soon as ``step`` is in the journal; the finished process."""
    process = lab.start(*args, "--journal", str(journal))
    deadline = time.monotonic() + 120
    while not any(record["step"] == step for record in journal_records(journal)):
        assert process.poll() is None, f"finished before {step}: {process.communicate()}"
        assert time.monotonic() < deadline, f"{step} never journaled"
        time.sleep(0.01)  # polling a file another process appends to: there is no event to wait on
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def check_stopped_cleanly(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert "Traceback" not in done.stderr, done.stderr
    document = json_of(done)
    assert done.returncode == 130, (done.returncode, done.stderr)
    assert "finishing the device commands in flight" in done.stderr
    statuses = {host: outcome["status"] for host, outcome in document["hosts"].items()}
    recap = document["recap"]
    assert recap["interrupted"] == list(statuses.values()).count("interrupted")
    assert recap["not_started"] == list(statuses.values()).count("not started")
    for host, outcome in document["hosts"].items():
        if outcome["status"] == "interrupted":
            assert outcome["error"].startswith("interrupted before '"), outcome
        if outcome["status"] == "not started":
            assert outcome["error"] == "not started"
            assert host in done.stderr
    return statuses


def filters(hosts: list[str]) -> list[str]:
    return [part for host in hosts for part in ("--filter", host)]


def held_locks(catlic_home: Path) -> list[locks.LockFacts]:
    """The host locks in the store of ``$CATLIC_HOME``."""
    rows = Store.at(catlic_home / locks.STORE_FILE).rows(select(host_locks))
    return [locks.LockFacts.from_row(row) for row in rows]


def steps_of(journal: Path, host: str) -> list[str]:
    return [record["step"] for record in journal_records(journal) if record["host"] == host]


@pytest.mark.parametrize(
    ("mode", "step"),
    [("online", step) for step in ONLINE_STEPS] + [("offline", step) for step in OFFLINE_STEPS],
)
def test_sigint_during_an_install_reports_each_host_as_the_lab_holds_it(
    lab: RunningLab, tmp_path: Path, mode: str, step: str
) -> None:
    prefix = f"on{ONLINE_STEPS.index(step)}" if mode == "online" else f"off{OFFLINE_STEPS.index(step)}"
    hosts = [f"{prefix}-{letter}" for letter in "abc"]
    udis = [udi for host in hosts for udi in lab.udis(host)]
    issued_before = lab.ssm_events("authorization_issued", udis)
    journal = tmp_path / "journal.jsonl"
    command = ["slac", "install", f"--{mode}", *filters(hosts), "--workers", "2"]
    if mode == "offline":
        command.append("--lab-ssm")

    statuses = check_stopped_cleanly(interrupt_at(lab, step, journal, *command))

    for host in hosts:
        held = lab.slacs(host)
        if statuses[host] == "changed":
            assert sorted(held) == lab.udis(host)
            assert Journal(journal).installed_codes(host) == held and "install-verified" in steps_of(
                journal, host
            )
        else:
            assert statuses[host] in ("interrupted", "not started"), statuses
            assert held == {} and steps_of(journal, host) == [], (host, steps_of(journal, host))

    lab.quicken(hosts)
    again = lab.finish(*command, "--journal", str(journal))
    assert again.returncode == 0, again.stderr
    finished = json_of(again)["hosts"]
    for host in hosts:
        assert finished[host]["status"] == ("ok" if statuses[host] == "changed" else "changed")
        assert sorted(lab.slacs(host)) == lab.udis(host)
    issued_after = lab.ssm_events("authorization_issued", udis)
    assert {udi: issued_after[udi] - issued_before[udi] for udi in udis} == dict.fromkeys(udis, 1)


@pytest.mark.parametrize("step", RETURN_STEPS)
def test_sigint_during_a_return_reports_each_host_as_the_lab_holds_it(
    lab: RunningLab, tmp_path: Path, step: str
) -> None:
    prefix = f"ret{RETURN_STEPS.index(step)}"
    hosts = [f"{prefix}-{letter}" for letter in "abc"]
    udis = [udi for host in hosts for udi in lab.udis(host)]
    journal = tmp_path / "journal.jsonl"
    command = ["slac", "return", "--online", *filters(hosts), "--workers", "2"]

    statuses = check_stopped_cleanly(interrupt_at(lab, step, journal, *command))

    for host in hosts:
        if statuses[host] == "changed":
            assert lab.slacs(host) == {}
            assert "return-verified" in steps_of(journal, host)
        else:
            assert statuses[host] in ("interrupted", "not started"), statuses
            assert sorted(lab.slacs(host)) == lab.udis(host) and steps_of(journal, host) == []

    lab.quicken(hosts)
    again = lab.finish(*command, "--journal", str(journal))
    assert again.returncode == 0, again.stderr
    assert all(lab.slacs(host) == {} for host in hosts)
    assert lab.ssm_events("authorization_returned", udis) == dict.fromkeys(udis, 1)


@pytest.mark.parametrize("repeat", range(REPEATS))
@pytest.mark.parametrize("mode", ["online", "offline"])
def test_two_installs_at_once_work_on_each_switch_once(
    lab: RunningLab, tmp_path: Path, mode: str, repeat: int
) -> None:
    prefix = f"pair-{'on' if mode == 'online' else 'off'}{repeat}"
    hosts = [f"{prefix}-{x}" for x in "ab"]
    udis = [udi for host in hosts for udi in lab.udis(host)]
    command = ["slac", "install", f"--{mode}", *filters(hosts)]
    if mode == "offline":
        command.append("--lab-ssm")
    runs = [lab.start(*command, "--journal", str(tmp_path / f"journal-{n}.jsonl")) for n in (1, 2)]
    outputs = [run.communicate(timeout=300) for run in runs]

    documents = [json.loads(out) for out, _ in outputs]
    for host in hosts:
        outcomes = sorted((doc["hosts"][host] for doc in documents), key=lambda o: o["status"])
        assert [o["status"] for o in outcomes] in (["changed", "failed"], ["changed", "ok"]), outcomes
        if outcomes[1]["status"] == "failed":
            holder = runs[[doc["hosts"][host]["status"] for doc in documents].index("changed")]
            assert outcomes[1]["error"].startswith(f"locked by catlic slac install, PID {holder.pid} on ")
        assert sorted(lab.slacs(host)) == lab.udis(host)
    refused = [doc["hosts"][host] for doc in documents for host in hosts if doc["hosts"][host]["error"]]
    assert refused, "both runs started together: one finds the other's locks"
    assert lab.ssm_events("authorization_issued", udis) == dict.fromkeys(udis, 1)
    assert all("Traceback" not in err for _, err in outputs)


def test_the_lock_of_a_killed_run_is_taken_over(lab: RunningLab, tmp_path: Path, catlic_home: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    command = ["slac", "install", "--online", "--filter", "killed", "--journal", str(journal)]
    killed = lab.start(*command)
    deadline = time.monotonic() + 120
    while "slac-requested" not in steps_of(journal, "killed"):
        assert killed.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)  # polling a file another process appends to
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    left = [facts for facts in held_locks(catlic_home) if facts.pid == killed.pid]
    assert len(left) == 1, "SIGKILL leaves the lock behind"

    again = lab.run(*command)
    assert again.returncode == 0, again.stderr
    assert json_of(again)["hosts"]["killed"]["status"] in ("changed", "ok")
    assert left[0] not in held_locks(catlic_home)
    udis = lab.udis("killed")
    assert sorted(lab.slacs("killed")) == udis
    assert lab.ssm_events("authorization_issued", udis) == dict.fromkeys(udis, 1)


def test_a_second_sigint_stops_at_once_and_the_journal_stays_whole(lab: RunningLab, tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    command = ["slac", "install", "--online", "--filter", "twice", "--journal", str(journal)]
    process = lab.start(*command)
    deadline = time.monotonic() + 120
    while "planned" not in steps_of(journal, "twice"):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)  # polling a file another process appends to
    process.send_signal(signal.SIGINT)
    time.sleep(0.2)  # the second Ctrl-C of an impatient user, while the request is in flight (slow switch)
    process.send_signal(signal.SIGINT)
    second = time.monotonic()
    _, err = process.communicate(timeout=60)

    assert process.returncode == 130
    assert time.monotonic() - second < 5, "the second signal does not wait for the device"
    assert "Traceback" not in err and "stopped at once" in err, err
    assert Journal(journal).problems == [], "every line written is whole"
    lab.quicken(["twice"])
    again = lab.run(*command)
    assert again.returncode == 0, again.stderr
    udis = lab.udis("twice")
    assert sorted(lab.slacs("twice")) == udis
    assert lab.ssm_events("authorization_issued", udis) == dict.fromkeys(udis, 1)


def test_sigterm_stops_like_sigint(lab: RunningLab, tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    process = lab.start("slac", "install", "--online", "--filter", "termed", "--journal", str(journal))
    deadline = time.monotonic() + 120
    while "planned" not in steps_of(journal, "termed"):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)  # polling a file another process appends to
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=120)

    assert process.returncode == 130 and "SIGTERM: finishing the device commands in flight" in err
    assert "Traceback" not in err
    # the request was sent before the signal: the run finished the step, verified the codes, and says so
    assert json.loads(out)["hosts"]["termed"]["status"] == "changed"
    assert sorted(lab.slacs("termed")) == lab.udis("termed")
    assert Journal(journal).installed_codes("termed") == lab.slacs("termed")


BOOK = """\
name: Install, then show
steps:
  - name: Install
    workflow: slac-install
    filter: [book-a, book-b, book-c]
  - name: Show
    workflow: state
    filter: [book-a, book-b, book-c]
"""


def test_a_runbook_stopped_in_a_step_starts_no_later_step(lab: RunningLab, tmp_path: Path) -> None:
    (tmp_path / "book.yaml").write_text(BOOK)
    journal = tmp_path / "journal.jsonl"
    done = interrupt_at(lab, "planned", journal, "run", str(tmp_path / "book.yaml"), "--workers", "2")

    assert done.returncode == 130 and "Traceback" not in done.stderr, done.stderr
    install, show = json_of(done)["steps"]
    for host, outcome in install["hosts"].items():
        assert outcome["status"] in ("changed", "interrupted", "not started"), outcome
        assert (outcome["status"] == "changed") == (sorted(lab.slacs(host)) == lab.udis(host))
    assert install["hosts"]["book-a"]["status"] == "changed", "the request was in flight: it finished"
    for host, outcome in show["hosts"].items():
        # hosts that finished step 1 are not started; the others stopped in step 1 and are skipped
        expected = "not started" if install["hosts"][host]["status"] == "changed" else "skipped"
        assert outcome["status"] == expected, (host, outcome)


def _address(lab: RunningLab, name: str) -> tuple[str, int]:
    host = InitNornir(config_file=str(lab.lab.nornir_config)).inventory.hosts[name]
    assert host.hostname is not None and host.port is not None
    return host.hostname, host.port


def test_a_held_switch_is_refused_with_its_holder_but_dry_runs_and_reads_go_ahead(
    lab: RunningLab, catlic_home: Path
) -> None:
    hostname, port = _address(lab, "held")
    with locks.host_lock("held", hostname=hostname, port=port, wait=None):
        dry = lab.run("slac", "install", "--online", "--filter", "held", "--dry-run")
        state = lab.run("state", "--filter", "held")
        real = lab.run("slac", "install", "--online", "--filter", "held")
        table = run_catlic(
            "slac",
            "install",
            "--online",
            "--filter",
            "held",
            "-c",
            str(lab.lab.nornir_config),
            cwd=lab.work,
        )
        generic = lab.run(
            "task",
            "nornir_netmiko.tasks:netmiko_send_command",
            "-a",
            "command_string=show version",
            "--filter",
            "held",
        )

    assert dry.returncode == 0 and json_of(dry)["hosts"]["held"]["status"] == "changed", dry.stderr
    assert state.returncode == 0, state.stderr
    assert real.returncode == 1
    error = json_of(real)["hosts"]["held"]["error"]
    assert error.startswith("locked by ") and f", PID {os.getpid()} on {socket.gethostname()} since " in error
    assert table.returncode == 1 and "held: locked by " in table.stderr and "failed" in table.stdout
    assert generic.returncode == 1 and json_of(generic)["hosts"]["held"]["error"].startswith("locked by ")
    assert lab.slacs("held") == {}


def test_wait_for_lock_waits_for_the_holder_then_works(lab: RunningLab, catlic_home: Path) -> None:
    hostname, port = _address(lab, "waiter")
    with locks.host_lock("waiter", hostname=hostname, port=port, wait=None):
        waiting = lab.start("slac", "install", "--online", "--filter", "waiter", "--wait-for-lock", "120")
        assert waiting.stderr is not None
        said = ""
        for _ in range(5):  # the run says it waits, and for whom (after the key budget's own line)
            said = waiting.stderr.readline()
            if said.startswith("waiter:"):
                break
    out, err = waiting.communicate(timeout=120)
    assert said.startswith("waiter: waiting for the switch, locked by ") and f"PID {os.getpid()} " in said
    assert waiting.returncode == 0, err
    assert json.loads(out)["hosts"]["waiter"]["status"] == "changed"
    assert sorted(lab.slacs("waiter")) == lab.udis("waiter")
