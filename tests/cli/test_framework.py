"""The command's framework, driven through ``catlic task`` with tasks that need no device.

Inventory files and their errors, host filters, credentials, JSON, recap, dry-run and exit codes.
"""

from __future__ import annotations

import socket
import textwrap
from pathlib import Path

import pytest
from catlic_process import CatlicRunner, json_of

SAMPLES = "cli_sample_tasks"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_inventory(folder: Path, hosts: str, groups: str = "", defaults: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hosts.yaml").write_text(textwrap.dedent(hosts))
    if groups:
        (folder / "groups.yaml").write_text(textwrap.dedent(groups))
    if defaults:
        (folder / "defaults.yaml").write_text(textwrap.dedent(defaults))
    return folder


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    port = closed_port()
    return write_inventory(
        tmp_path / "inventory",
        f"""\
        c9300x-stack:
          hostname: 127.0.0.1
          port: {port}
          groups: [campus]
          data: {{site: paris, needs_change: true}}
        c9500x:
          hostname: 127.0.0.1
          port: {port}
          groups: [core]
          data: {{site: lyon, refuses: true}}
        c9200:
          hostname: 127.0.0.1
          port: {port}
          platform: cisco_ios
          groups: [campus]
          data: {{site: paris}}
        """,
        groups="""\
        campus: {}
        core: {}
        """,
        defaults="""\
        platform: cisco_xe
        username: admin
        password: s3cr3t-Pa55
        connection_options:
          netmiko:
            extras: {secret: en4ble-S3cret}
        """,
    )


def test_a_workflow_reports_each_host_and_the_recap(catlic: CatlicRunner, fleet: Path) -> None:
    done = catlic("task", f"{SAMPLES}:greet", "-i", str(fleet), "-a", "words=good morning")

    assert done.returncode == 0, done.stderr
    assert "c9300x-stack : ok=1    changed=1    failed=0" in done.stdout
    assert "c9500x       : ok=1    changed=0    failed=0" in done.stdout
    assert "3 hosts      : ok=3    changed=1    failed=0" in done.stdout
    assert "set greeting 'good morning'" in done.stdout


def test_json_follows_the_documented_schema(catlic: CatlicRunner, fleet: Path) -> None:
    done = catlic("task", f"{SAMPLES}:greet", "-i", str(fleet), "--json")

    assert done.returncode == 0, done.stderr
    document = json_of(done)
    assert document["schema"] == "catlic/task/v1"
    assert document["dry_run"] is False
    assert list(document["hosts"]) == ["c9300x-stack", "c9500x", "c9200"]
    assert document["hosts"]["c9300x-stack"] == {
        "status": "changed",
        "ok": True,
        "changed": True,
        "result": {"host": "c9300x-stack", "site": "paris", "words": ["hello"]},
        "error": None,
        "device_error": None,
        "diff": "set greeting 'hello'",
    }
    assert document["recap"] == {
        "hosts": 3,
        "ok": 3,
        "changed": 1,
        "failed": 0,
        "skipped": 0,
        "waiting": 0,
        "interrupted": 0,
        "not_started": 0,
        "failed_hosts": [],
    }


def test_options_work_before_and_after_the_subcommand(catlic: CatlicRunner, fleet: Path) -> None:
    before = catlic("--json", "--filter", "core", "task", f"{SAMPLES}:greet", "-i", str(fleet))
    after = catlic("task", f"{SAMPLES}:greet", "-i", str(fleet), "--json", "--filter", "core")

    assert before.returncode == after.returncode == 0
    assert json_of(before)["hosts"].keys() == json_of(after)["hosts"].keys() == {"c9500x"}


def test_dry_run_is_passed_to_the_tasks_and_recorded(catlic: CatlicRunner, fleet: Path) -> None:
    done = catlic("task", f"{SAMPLES}:greet", "-i", str(fleet), "--dry-run")

    assert done.returncode == 0, done.stderr
    assert "would change" in done.stdout
    assert json_of(catlic("task", f"{SAMPLES}:greet", "-i", str(fleet), "--dry-run", "--json"))["dry_run"]


@pytest.mark.parametrize(
    ("filters", "selected"),
    [
        (["c9200"], {"c9200"}),
        (["campus"], {"c9300x-stack", "c9200"}),
        (["c9500x", "c9200"], {"c9500x", "c9200"}),
        (["platform=cisco_xe"], {"c9300x-stack", "c9500x"}),
        (["campus", "platform=cisco_xe"], {"c9300x-stack"}),
        (["site=paris", "platform=cisco_ios"], {"c9200"}),
    ],
)
def test_filters_select_by_name_group_platform_and_data(
    catlic: CatlicRunner, fleet: Path, filters: list[str], selected: set[str]
) -> None:
    options = [part for term in filters for part in ("--filter", term)]
    done = catlic("task", f"{SAMPLES}:greet", "-i", str(fleet), "--json", *options)

    assert done.returncode == 0, done.stderr
    assert set(json_of(done)["hosts"]) == selected


def test_an_unknown_host_filter_stops_before_any_work(catlic: CatlicRunner, fleet: Path) -> None:
    done = catlic("task", f"{SAMPLES}:greet", "-i", str(fleet), "--filter", "c9300-old")

    assert done.returncode == 3
    assert done.stdout == ""
    assert "--filter 'c9300-old': no host or group of that name" in done.stderr
    assert "c9300x-stack" in done.stderr  # the hosts it does know


def test_a_filter_that_selects_nothing_is_an_error(catlic: CatlicRunner, fleet: Path) -> None:
    done = catlic("task", f"{SAMPLES}:greet", "-i", str(fleet), "--filter", "site=tokyo")

    assert done.returncode == 3
    assert "--filter 'site=tokyo': selects no host" in done.stderr


def test_a_failed_host_is_one_line_with_the_device_words_and_exit_1(
    catlic: CatlicRunner, fleet: Path
) -> None:
    done = catlic("task", f"{SAMPLES}:refuse", "-i", str(fleet))

    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "c9500x: 'license smart authorization request add hseck9 local' failed: "
        "% Error: ERROR_ALL_COUNTS_IN_USE"
    ]
    assert "Traceback" not in done.stderr + done.stdout
    assert "c9500x       : ok=0    changed=0    failed=1" in done.stdout


def test_json_of_a_failed_host_carries_the_error_and_no_result(catlic: CatlicRunner, fleet: Path) -> None:
    done = catlic("task", f"{SAMPLES}:refuse", "-i", str(fleet), "--json")

    assert done.returncode == 1
    document = json_of(done)
    assert document["hosts"]["c9500x"]["ok"] is False
    assert document["hosts"]["c9500x"]["result"] is None
    assert "ERROR_ALL_COUNTS_IN_USE" in document["hosts"]["c9500x"]["error"]
    assert document["hosts"]["c9200"]["result"] == "accepted"
    assert document["recap"]["failed_hosts"] == ["c9500x"]


def test_a_programming_error_shows_its_traceback_only_with_debug(catlic: CatlicRunner, fleet: Path) -> None:
    quiet = catlic("task", f"{SAMPLES}:crash", "-i", str(fleet), "--filter", "c9200")
    loud = catlic("task", f"{SAMPLES}:crash", "-i", str(fleet), "--filter", "c9200", "--debug")

    assert quiet.returncode == loud.returncode == 1
    assert quiet.stderr.strip() == "c9200: KeyError: 'key'"
    assert "Traceback" not in quiet.stderr
    assert "Traceback (most recent call last)" in loud.stderr


def test_an_unreachable_switch_fails_in_one_line_without_leaking_secrets(
    catlic: CatlicRunner, fleet: Path
) -> None:
    done = catlic(
        "task",
        "nornir_netmiko.tasks:netmiko_send_command",
        "-i",
        str(fleet),
        "--filter",
        "c9300x-stack",
        "-a",
        "command_string=show license summary",
    )

    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("c9300x-stack: TCP connection to device failed.")
    assert "s3cr3t-Pa55" not in done.stdout + done.stderr
    assert "en4ble-S3cret" not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("hosts", "expected"),
    [
        ("sw1:\n  hostname: 10.0.0.1\n  port: [22\n", "hosts.yaml:3: not valid YAML"),
        (
            "sw1:\n  hostname: 10.0.0.1\n  hostnme: 10.0.0.2\n",
            "hosts.yaml:3: host 'sw1': unknown setting 'hostnme' (did you mean 'hostname'?",
        ),
        (
            "sw1:\n  connection_options:\n    netmiko:\n      extra: {secret: x}\n",
            "hosts.yaml:4: host 'sw1' connection_options.netmiko: unknown setting 'extra' "
            "(did you mean 'extras'?",
        ),
        (
            "sw1:\n  data:\n    site: HQ\n    clock_zones: {pacific: -30}\n",
            "hosts.yaml:4: host 'sw1': data.clock_zones.pacific: Input should be greater than -24, not -30",
        ),
        (
            "sw1:\n  data:\n    supervisor_pids: C9400X-SUP-2\n",
            "hosts.yaml:3: host 'sw1': data.supervisor_pids: Input should be a valid list, "
            "not 'C9400X-SUP-2'",
        ),
        (
            "sw1:\n  port: twenty-two\n",
            "hosts.yaml:2: host 'sw1': port: Input should be a valid integer, not 'twenty-two'",
        ),
        ("sw1:\n  groups: [campus]\n", "hosts.yaml:2: host 'sw1': no group 'campus'"),
        ("sw1: {}\nsw1: {}\n", "hosts.yaml:2: 'sw1' is defined twice (first on line 1)"),
        ("- sw1\n- sw2\n", "hosts.yaml:1: expected a mapping"),
        ("", "hosts.yaml: the inventory holds no host"),
    ],
)
def test_a_bad_inventory_file_is_named_with_its_line(
    catlic: CatlicRunner, tmp_path: Path, hosts: str, expected: str
) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "hosts.yaml").write_text(hosts)

    done = catlic("task", f"{SAMPLES}:greet", "-i", str(folder))

    assert done.returncode == 3
    assert expected in done.stderr
    assert str(folder / "hosts.yaml") in done.stderr
    assert "Traceback" not in done.stderr


def test_a_bad_nornir_config_file_is_named_with_its_line(catlic: CatlicRunner, tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("inventory:\n  plugin: SimpleInventory\nrunners:\n  plugin: threaded\n")

    done = catlic("task", f"{SAMPLES}:greet", "-c", str(config))

    assert done.returncode == 3
    assert f"{config}:3: unknown section 'runners'" in done.stderr


def test_a_nornir_config_file_is_followed_to_its_inventory(
    catlic: CatlicRunner, fleet: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "inventory:\n  plugin: SimpleInventory\n  options:\n"
        f"    host_file: {fleet / 'hosts.yaml'}\n    group_file: {fleet / 'groups.yaml'}\n"
        f"    defaults_file: {fleet / 'defaults.yaml'}\n"
        "runner:\n  plugin: threaded\n  options: {num_workers: 2}\nlogging: {enabled: false}\n"
    )

    done = catlic("task", f"{SAMPLES}:greet", "-c", str(config), "--json")

    assert done.returncode == 0, done.stderr
    assert len(json_of(done)["hosts"]) == 3


def test_without_an_inventory_or_a_running_lab_nothing_runs(catlic: CatlicRunner, tmp_path: Path) -> None:
    done = catlic("task", f"{SAMPLES}:greet", env={"CATLIC_LAB_STATE": str(tmp_path / "no-lab")})

    assert done.returncode == 3
    assert "no lab running" in done.stderr
    assert "catlic lab up" in done.stderr


def test_missing_credentials_come_from_the_environment(catlic_process: CatlicRunner, tmp_path: Path) -> None:
    catlic = catlic_process  # what the process inherits
    folder = write_inventory(tmp_path / "bare", "sw1:\n  hostname: 127.0.0.1\n  platform: cisco_xe\n")

    refused = catlic("task", f"{SAMPLES}:greet", "-i", str(folder))
    accepted = catlic(
        "task",
        f"{SAMPLES}:greet",
        "-i",
        str(folder),
        env={"CATLIC_USERNAME": "admin", "CATLIC_PASSWORD": "fr0m-Env-9"},
    )

    assert refused.returncode == 3
    assert "no username for sw1" in refused.stderr and "CATLIC_USERNAME" in refused.stderr
    assert accepted.returncode == 0, accepted.stderr
    assert "fr0m-Env-9" not in accepted.stdout + accepted.stderr


def test_usage_errors_exit_3_not_2(catlic_process: CatlicRunner, fleet: Path) -> None:
    catlic = catlic_process  # the exit status of the real process
    done = catlic("task", f"{SAMPLES}:greet", "-i", str(fleet), "--workers", "0")
    both = catlic("task", f"{SAMPLES}:greet", "-i", str(fleet), "-c", str(fleet / "hosts.yaml"))

    assert done.returncode == 3
    assert "--workers" in done.stderr
    assert both.returncode == 3
    assert "not both" in both.stderr
