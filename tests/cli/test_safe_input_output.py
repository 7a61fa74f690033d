"""Safety at the edges of the ``catlic`` command, as processes against one lab: dry runs that hold, input
judged before any device, errors that carry the remedy, and output that never cuts an identifier.

Each test reads the state it depends on (no SLAC on the stack) or builds it; none leaves the lab changed
except the air-gapped switch's failed import, which only its own test looks at.
"""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from catlic_process import catlic_lab, clean_environment, json_of, run_catlic

TOPOLOGY = textwrap.dedent(
    """\
    lab:
      credentials: {username: admin, password: lab-pass-1, secret: lab-enable-1}
      ssm:
        accounts:
          - {smart_account: Eg-SA, virtual_account: Eg-VA, pools: {"C9K HSEC": 10}}
    devices:
      - name: c9300x-stack
        platform: C9300X
        release: 17.9.4
        transport: smart
        members:
          - {number: 1, pid: C9300X-24HX, serial: FOC2519L8R7, priority: 15}
          - {number: 2, pid: C9300X-48HXN, serial: FOC2524L39P, priority: 14}
      - name: c9300x-airgap
        platform: C9300X
        release: 17.9.4
        transport: "off"
        members:
          - {number: 1, pid: C9300X-48HX, serial: FOC2601A001, priority: 15}
      - name: c9200
        platform: C9200
        release: 17.9.4
        boot_level: network-essentials addon dna-essentials
        transport: "off"
        members:
          - {number: 1, pid: C9200-48P, serial: JAE24380ABC, priority: 1}
    """
)
SERIALS = ("FOC2519L8R7", "FOC2524L39P", "FOC2601A001", "JAE24380ABC")
UDIS = ("PID:C9300X-24HX,SN:FOC2519L8R7", "PID:C9300X-48HXN,SN:FOC2524L39P")
ADD_HSECK9 = "license smart authorization request add hseck9 local"


@dataclass(frozen=True)
class RunningLab:
    work: Path
    state_dir: Path

    def env(self, **extra: str) -> dict[str, str]:
        return {"CATLIC_LAB_STATE": str(self.state_dir), **extra}

    def catlic(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return run_catlic(*args, cwd=self.work, env=self.env(**env), in_process=True)

    def stack_slacs(self) -> list[str]:
        state = json_of(self.catlic("state", "--filter", "c9300x-stack", "--json"))
        members = state["hosts"]["c9300x-stack"]["result"]["members"]
        return [member["slac_status"] for member in members.values()]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    work = tmp_path_factory.mktemp("safe-edges")
    (work / "topology.yaml").write_text(TOPOLOGY)
    state_dir = work / "lab-state"
    with catlic_lab(work, "--topology", str(work / "topology.yaml"), state_dir=state_dir):
        yield RunningLab(work, state_dir)


def write_book(lab: RunningLab, text: str) -> Path:
    book = lab.work / "book.yaml"
    book.write_text(textwrap.dedent(text))
    return book


# ---------------------------------------------------------------------------------------------- dry run


def test_dry_run_refuses_a_task_that_does_not_declare_it_and_the_switch_gets_no_slac(lab: RunningLab) -> None:
    assert lab.stack_slacs() == ["NOT INSTALLED", "NOT INSTALLED"]

    done = lab.catlic(
        "task",
        "nornir_netmiko.tasks:netmiko_send_command",
        "-a",
        f"command_string={ADD_HSECK9}",
        "--filter",
        "c9300x-stack",
        "--dry-run",
        "--json",
    )

    assert done.returncode == 3, done.stderr
    assert done.stdout == ""
    assert "netmiko_send_command does not declare that it honours dry run" in done.stderr
    assert "honours_dry_run" in done.stderr and "dry_run parameter" in done.stderr
    assert lab.stack_slacs() == ["NOT INSTALLED", "NOT INSTALLED"]


def test_a_dry_run_runbook_refuses_such_a_task_step_before_its_first_step(lab: RunningLab) -> None:
    book = write_book(
        lab,
        f"""\
        dry_run: true
        steps:
          - workflow: slac-install
            filter: c9300x-stack
          - task: nornir_netmiko.tasks:netmiko_send_command
            filter: c9300x-stack
            args: {{command_string: "{ADD_HSECK9}"}}
        """,
    )

    done = lab.catlic("run", str(book))

    assert done.returncode == 3, done.stdout
    assert done.stdout == ""
    assert f"{book}:5: step 2 ('task'): nornir_netmiko.tasks:netmiko_send_command does not declare" in (
        done.stderr
    )
    assert lab.stack_slacs() == ["NOT INSTALLED", "NOT INSTALLED"]


def test_a_task_that_declares_dry_run_still_runs_as_one(lab: RunningLab) -> None:
    done = lab.catlic(
        "task", "nornir_catlic.tasks:catlic_install_slac", "--filter", "c9300x-stack", "--dry-run", "--json"
    )

    assert done.returncode == 0, done.stderr
    outcome = json_of(done)["hosts"]["c9300x-stack"]
    assert outcome["status"] == "changed" and ADD_HSECK9.replace("local", "all") in outcome["diff"]
    assert lab.stack_slacs() == ["NOT INSTALLED", "NOT INSTALLED"]


# ---------------------------------------------------------------------------------------------- input


def test_a_runbook_is_judged_whole_before_step_one_touches_a_device(lab: RunningLab) -> None:
    book = write_book(
        lab,
        """\
        steps:
          - name: Keys for the stack
            workflow: slac-install
            filter: c9300x-stack
          - name: Cheaper level
            workflow: boot-level
            args: {base: network-essentials, addon: dna-advantage}
          - workflow: audit
            args:
              warn_days: soon
          - workflow: report
            args: {if_due_within_days: 1e400}
        """,
    )

    done = lab.catlic("run", str(book))

    assert done.returncode == 3
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith(f"catlic: {book}:7: step 2 ('Cheaper level'): network-essentials with ")
    assert "not a permitted combination" in lines[0]
    assert lines[1].startswith(f"{book}:10: step 3 ('audit'): warn_days: Input should be a valid integer")
    assert lines[2] == f"{book}:12: step 4 ('report'): if_due_within_days: '1e400' is not a finite number"
    assert lab.stack_slacs() == ["NOT INSTALLED", "NOT INSTALLED"]  # step 1 never ran


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (
            ("nornir_catlic.tasks:catlic_audit", "-a", "warn_days=soon"),
            "-a warn_days=soon: Input should be a",
        ),
        (("nornir_catlic.tasks:catlic_audit", "-a", "warn_days=-3"), "greater than or equal to 0, not -3"),
        (("nornir_catlic.tasks:catlic_install_slac", "-a", "wait=.nan"), "-a wait=.nan: nan is not a finite"),
        (
            ("nornir_catlic.tasks:catlic_install_slac", "-a", "mode=onlin"),
            "mode must be 'online' or 'offline'",
        ),
        (("nornir_catlic.tasks:catlic_set_boot_level",), "-a base: missing: the task needs it"),
        (
            (
                "nornir_catlic.tasks:catlic_set_boot_level",
                "-a",
                "base=network-advantage",
                "-a",
                "addon=dna-essentials",
            ),
            "only at the time of DNA license renewal",
        ),
    ],
)
def test_task_arguments_are_judged_before_any_device(
    lab: RunningLab, arguments: tuple[str, ...], expected: str
) -> None:
    done = lab.catlic("task", *arguments, "--filter", "c9300x-stack")

    assert done.returncode == 3
    assert expected in done.stderr
    assert done.stdout == ""


def test_a_subcommands_number_option_must_be_finite(lab: RunningLab) -> None:
    done = lab.catlic("report", "--if-due-within-days", "1e400")

    assert done.returncode == 3
    assert "'1e400' is not a finite number" in done.stderr


def test_a_word_yaml_reads_as_a_boolean_is_taken_as_written_where_the_task_wants_words(
    lab: RunningLab,
) -> None:
    done = lab.catlic(
        "task",
        "nornir_netmiko.tasks:netmiko_send_command",
        "-a",
        "command_string=yes",
        "--filter",
        "c9200",
        "--json",
    )

    # YAML reads `yes` as True; command_string is a str, so the device is sent the word as written.
    assert done.returncode == 0, done.stderr
    assert isinstance(json_of(done)["hosts"]["c9200"]["result"], str)


# ---------------------------------------------------------------------------------------------- errors


def test_a_failed_host_carries_the_workflows_message_file_and_remedy_and_the_devices_words(
    lab: RunningLab, tmp_path: Path
) -> None:
    state = ("--state-dir", str(lab.state_dir))
    faults = subprocess.run(
        [sys.executable, "-m", "virtual_devices", "faults", "c9300x-airgap", "corrupt_import=true", *state],
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"corrupt_import": true' in faults.stdout
    try:
        done = lab.catlic(
            "slac",
            "install",
            "--offline",
            "--lab-ssm",
            "--filter",
            "c9300x-airgap",
            "--journal",
            str(tmp_path / "journal.jsonl"),
            "--json",
        )
    finally:
        subprocess.run(
            [sys.executable, "-m", "virtual_devices", "faults", "c9300x-airgap", "--clear", *state],
            capture_output=True,
            check=True,
        )

    assert done.returncode == 1
    outcome: dict[str, Any] = json_of(done)["hosts"]["c9300x-airgap"]
    assert outcome["error"].startswith("the SLAC file SLAC-C9300X-48HX-FOC2601A001.txt was not imported")
    assert "remedy: check that the file is SSM's SLAC" in outcome["error"]
    assert "drop a fresh copy into " in outcome["error"]
    assert "catlic-files/relay/inbox/c9300x-airgap/" in outcome["error"]
    assert outcome["device_error"].startswith("'license smart import bootflash:")
    assert "Import Data Failed" in outcome["device_error"]
    failed_line = next(line for line in done.stderr.splitlines() if line.startswith("c9300x-airgap: "))
    assert "was not imported" in failed_line and "drop a fresh copy into" in failed_line


def test_subcommand_errors_name_the_options_not_python_arguments(lab: RunningLab, tmp_path: Path) -> None:
    journal = str(tmp_path / "journal.jsonl")  # its own: no exchange of another test to resume
    online = lab.catlic("slac", "install", "--online", "--filter", "c9300x-airgap", "--journal", journal)
    renewal = lab.catlic("boot-level", "network-advantage", "--addon", "dna-essentials")

    assert online.returncode == 1
    assert "c9300x-airgap: the transport is off" in online.stderr and "use --offline" in online.stderr
    assert renewal.returncode == 3
    assert "pass --renewal to confirm this is a renewal" in renewal.stderr
    for stderr in (online.stderr, renewal.stderr):
        assert "mode=" not in stderr and "renewal=True" not in stderr


def test_a_task_caller_is_told_the_argument_it_passes(lab: RunningLab) -> None:
    done = lab.catlic("task", "nornir_catlic.tasks:catlic_install_slac", "--filter", "c9300x-airgap")

    assert done.returncode == 1
    assert "use mode='offline'" in done.stderr  # `catlic task` takes -a mode=offline, not --offline


# ---------------------------------------------------------------------------------------------- output


def assert_every_identifier_whole(text: str) -> None:
    for identifier in (
        *SERIALS,
        "network-advantage",
        "dna-advantage",
        "network-essentials",
        "dna-essentials",
    ):
        assert identifier in text, f"{identifier} cut or missing:\n{text}"
    assert "…" not in text


def test_state_written_to_a_file_keeps_every_serial_and_level_whole(lab: RunningLab) -> None:
    out = lab.work / "out.txt"
    env = clean_environment(lab.env())
    env.pop("COLUMNS")
    with out.open("w") as file:
        done = subprocess.run(
            [sys.executable, "-m", "nornir_catlic.cli", "state"],
            stdout=file,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
            cwd=lab.work,
            timeout=120,
        )

    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert_every_identifier_whole(text)
    assert "network-essentials + dna-essentials" in text  # one row, one line: a table, not a list
    assert any(len(line) > 80 for line in text.splitlines())  # the natural width, not a guess of 80


@pytest.mark.parametrize("columns", ["60", "80"])
def test_state_on_a_narrow_terminal_keeps_every_serial_and_level_whole(lab: RunningLab, columns: str) -> None:
    done = lab.catlic("state", COLUMNS=columns)

    assert done.returncode == 0, done.stderr
    assert_every_identifier_whole(done.stdout)


def test_state_in_a_pseudo_terminal_of_60_columns_keeps_every_serial_whole(lab: RunningLab) -> None:
    main_end, terminal_end = os.openpty()
    env = clean_environment(lab.env(TERM="xterm-256color"))
    env.pop("COLUMNS")
    fcntl.ioctl(terminal_end, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 60, 0, 0))
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "nornir_catlic.cli", "state"],
            stdout=terminal_end,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=lab.work,
        )
        os.close(terminal_end)
        received = b""
        while True:
            try:
                chunk = os.read(main_end, 65536)
            except OSError:  # the terminal closed: the process is gone
                break
            if not chunk:
                break
            received += chunk
        assert process.wait(timeout=120) == 0
    finally:
        os.close(main_end)

    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", received.decode("utf-8", "replace")).replace("\r", "")
    assert_every_identifier_whole(text)
