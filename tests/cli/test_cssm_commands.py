"""``--cssm``: the lab's SSM served as Cisco's API answers air-gapped runs of the real ``catlic`` process.

The lab of ``examples/lab-topology.yaml`` (its C9300X stack is air-gapped) is started with ``catlic lab up``,
which also serves Cisco's API over HTTPS and writes the client settings where ``--cssm`` finds them. The
commands run in the test process (``in_process``), but for the run killed while polling, a real process.
"""

from __future__ import annotations

import json
import os
import re
import signal
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from catlic_process import catlic_lab, json_of, run_catlic, start_catlic
from raw_files import files_holding

from nornir_catlic.cssm.relay import JOURNAL_HOST, STEP_SUBMITTED
from nornir_catlic.cssm.relay import WORKFLOW as RELAY_WORKFLOW
from nornir_catlic.journal import STEP_RETURN_ACKNOWLEDGED, Journal
from virtual_devices.lab import send_control

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STACK_UDIS = ["PID:C9300X-24HX,SN:FOC2519L8R7", "PID:C9300X-48HXN,SN:FOC2524L39P"]
HSEC = "C9K HSEC"


@dataclass
class CssmLab:
    work: Path
    state: Path
    up: subprocess.CompletedProcess[str]

    @property
    def env(self) -> dict[str, str]:
        return {"CATLIC_LAB_STATE": str(self.state), "CATLIC_HOME": str(self.work / "home")}

    def catlic(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        return run_catlic(*args, cwd=self.work, env=self.env, timeout=timeout, in_process=True)

    @property
    def settings(self) -> dict[str, Any]:
        loaded = yaml.safe_load((self.state / "cssm.yaml").read_text())
        assert isinstance(loaded, dict)
        return loaded

    def admin(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """The lab's own calls beside Cisco's API: faults and counts."""
        verify = ssl.create_default_context(cafile=self.settings["ca_bundle"])
        with httpx.Client(verify=verify) as http:
            answer = http.request(method, self.settings["base_url"] + path, json=body)
        answer.raise_for_status()
        return answer.json()

    def journaled_polls(self) -> list[dict[str, Any]]:
        """The poll handles the runs committed in their journal (./catlic-journal), read by its public API."""
        journal = Journal(self.work / "catlic-journal.jsonl")
        try:
            return [r.data for r in journal.records(JOURNAL_HOST, RELAY_WORKFLOW, STEP_SUBMITTED)]
        finally:
            journal.close()

    def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = self.admin("GET", "/lab/cssm/stats")
        return stats

    def free_keys(self) -> int:
        done = self.catlic("cssm", "budget", "--json")
        assert done.returncode == 0, done.stderr
        (entry,) = [e for e in json_of(done)["entitlements"] if e["name"] == HSEC]
        free: int = entry["free"]
        return free

    def slacs(self, host: str) -> dict[str, bool]:
        done = self.catlic("state", "--filter", host, "--json")
        assert done.returncode in (0, 2), done.stderr
        members = json_of(done)["hosts"][host]["result"]["members"].values()
        return {f"PID:{m['pid']},SN:{m['serial']}": m["slac_status"] != "NOT INSTALLED" for m in members}


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[CssmLab]:
    state = tmp_path / "lab-state"
    with catlic_lab(
        tmp_path,
        "--topology",
        str(EXAMPLES / "lab-topology.yaml"),
        state_dir=state,
        timeout=180,
        in_process=True,
    ) as up:
        yield CssmLab(tmp_path, state, up)


def test_lab_up_prints_the_api_and_the_settings_file_it_wrote_for_cssm(lab: CssmLab) -> None:
    settings_path = lab.state / "cssm.yaml"
    assert f"API settings:  {settings_path}" in lab.up.stdout
    assert f"Cisco API:     {lab.settings['base_url']}" in lab.up.stdout
    assert lab.settings["client_secret"] not in lab.up.stdout + lab.up.stderr
    assert settings_path.stat().st_mode & 0o077 == 0
    assert lab.free_keys() == 10


def test_install_return_and_report_by_the_api_in_one_command_each(lab: CssmLab) -> None:
    dry = lab.catlic("slac", "install", "--offline", "--cssm", "--filter", "c9300x-stack", "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert lab.stats()["submissions"] == {}  # a dry run writes nothing to Cisco (the budget is a read)

    installed = lab.catlic("slac", "install", "--offline", "--cssm", "--filter", "c9300x-stack", "--json")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert lab.slacs("c9300x-stack") == dict.fromkeys(STACK_UDIS, True)
    assert lab.free_keys() == 8
    assert lab.stats()["submissions"] == {"authorizations": 1}

    returned = lab.catlic("slac", "return", "--offline", "--cssm", "--filter", "c9300x-stack")
    assert returned.returncode == 0, returned.stdout + returned.stderr
    assert lab.slacs("c9300x-stack") == dict.fromkeys(STACK_UDIS, False)
    assert lab.free_keys() == 10  # the pool is back

    reported = lab.catlic("report", "--offline", "--cssm", "--json")
    assert reported.returncode == 0, reported.stdout + reported.stderr
    hosts = json_of(reported)["hosts"].values()
    assert len(hosts) == 4 and all(h["status"] == "changed" and h["result"]["reported"] for h in hosts)
    assert lab.stats()["submissions"] == {"authorizations": 2, "acknowledgements": 1}  # one batch for all


INSTALL_STACK = ("slac", "install", "--offline", "--cssm", "--filter", "c9300x-stack")


def kill_while_polling(lab: CssmLab) -> None:
    """Start an install whose answer takes 60 polls; kill the process once its poll handle is committed."""
    lab.admin("POST", "/lab/cssm/faults", {"polls_before_complete": 60, "poll_interval": 0.1})
    first = start_catlic(*INSTALL_STACK, cwd=lab.work, env=lab.env)
    try:
        deadline = time.monotonic() + 120
        while not lab.journaled_polls():
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the run never submitted"
            time.sleep(0.05)
        assert first.poll() is None  # still polling
        os.kill(first.pid, signal.SIGKILL)
    finally:
        first.communicate(timeout=30)
    assert lab.stats()["polls"] < 60
    # The open poll keeps the OK_POLL answers it has left: the run resuming it need not wait 0.1 s on each.
    lab.admin("POST", "/lab/cssm/faults", {"poll_interval": 0.01})


def test_a_run_killed_while_polling_resumes_the_same_poll(lab: CssmLab) -> None:
    kill_while_polling(lab)
    command = INSTALL_STACK
    again = lab.catlic(*command)
    assert again.returncode == 0, again.stdout + again.stderr
    assert lab.stats()["submissions"] == {"authorizations": 1}  # polled again, never submitted again
    assert lab.slacs("c9300x-stack") == dict.fromkeys(STACK_UDIS, True)


def test_one_udi_failed_in_a_batch_leaves_the_others_installed_and_says_which_and_why(lab: CssmLab) -> None:
    pool = lab.catlic("ssm", "set-pool", HSEC, "1", "--smart-account", "Eg-SA", "--virtual-account", "Eg-VA")
    assert pool.returncode == 0, pool.stderr
    done = lab.catlic(
        "slac", "install", "--offline", "--cssm", "--filter", "c9300x-stack", "--free-keys", "2"
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"failed {STACK_UDIS[1]}: All 1 C9K HSEC licenses in Eg-SA/Eg-VA are in use" in done.stderr
    assert lab.settings["base_url"] in done.stderr  # which API said so
    assert lab.free_keys() == 0  # the other UDI got its SLAC: kept in the inbox, not asked again
    pool = lab.catlic("ssm", "set-pool", HSEC, "2", "--smart-account", "Eg-SA", "--virtual-account", "Eg-VA")
    again = lab.catlic("slac", "install", "--offline", "--cssm", "--filter", "c9300x-stack")
    assert again.returncode == 0, again.stdout + again.stderr
    assert lab.slacs("c9300x-stack") == dict.fromkeys(STACK_UDIS, True)
    assert lab.stats()["submissions"] == {"authorizations": 2}  # the second asked only for the failed UDI


def test_ciscos_429_and_5xx_are_survived_and_a_403_is_a_clear_error(lab: CssmLab) -> None:
    lab.admin("POST", "/lab/cssm/faults", {"throttle": 2, "retry_after": 0.1, "server_errors": 2})
    survived = lab.catlic("report", "--offline", "--cssm", "--filter", "c9300x-stack")
    assert survived.returncode == 0, survived.stdout + survived.stderr
    assert lab.stats()["refused"] == {"429": 2, "503": 2}
    lab.admin("POST", "/lab/cssm/faults", {"invalid_client": True})
    refused = lab.catlic("report", "--offline", "--cssm", "--filter", "c9500x")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "HTTP 403: Invalid Client" in refused.stderr and lab.settings["base_url"] in refused.stderr
    assert "Traceback" not in refused.stderr


def test_bad_api_settings_exit_3_before_any_switch_is_touched(lab: CssmLab) -> None:
    broken = lab.work / "cssm.yaml"
    broken.write_text("client_id: x\n")
    done = lab.catlic("report", "--offline", "--cssm-config", str(broken))
    assert done.returncode == 3, done.stdout + done.stderr
    assert f"{broken}" in done.stderr and "client_secret" in done.stderr
    assert lab.stats()["tokens_issued"] == 0  # Cisco was not asked
    online = lab.catlic("report", "--cssm")
    assert online.returncode != 0 and "--cssm are for --offline" in online.stderr


def test_the_client_secret_is_in_no_file_a_run_writes_nor_in_its_output(lab: CssmLab) -> None:
    secret = str(lab.settings["client_secret"])
    output = []
    for command in (
        ("slac", "install", "--offline", "--cssm", "--filter", "c9300x-stack", "--debug"),
        ("report", "--offline", "--cssm", "--debug"),
        ("slac", "return", "--offline", "--cssm", "--filter", "c9300x-stack", "--debug"),
        ("cssm", "budget"),
    ):
        done = lab.catlic(*command)
        assert done.returncode == 0, done.stdout + done.stderr
        output.append(done.stdout + done.stderr)
    assert secret not in "".join(output)
    written = [
        path
        for path in lab.work.rglob("*")
        if path.is_file() and lab.state not in path.parents  # the lab keeps its own credentials
    ]
    assert any(path.name.startswith("catlic-journal") for path in written)
    assert any("cssm" in path.parts and path.name == "usage-ack.txt" for path in written)
    assert files_holding([secret], written) == []
    assert len(lab.journaled_polls()) == 3  # the journal was written: install, report, return


def _commands(done: subprocess.CompletedProcess[str]) -> dict[str, list[str]]:
    """Host -> the commands of its JSON result (the dry run's plan, or what the real run typed)."""
    assert done.returncode == 0, done.stdout + done.stderr
    return {
        host: [run_id_free(c) for c in h["result"]["commands"]] for host, h in json_of(done)["hosts"].items()
    }


def run_id_free(command: str) -> str:
    """A command without the run's identity in its file names (two runs never share one)."""
    return re.sub(r"\d{8}T\d{6}-[0-9a-f]{8}", "<run>", command)


def test_a_dry_run_lists_exactly_the_commands_the_real_run_types_across_both_passes(lab: CssmLab) -> None:
    for command in (
        ("slac", "install", "--offline", "--cssm", "--filter", "c9300x-stack", "--json"),
        ("slac", "return", "--offline", "--cssm", "--filter", "c9300x-stack", "--json"),
    ):
        predicted = _commands(lab.catlic(*command, "--dry-run"))
        real = lab.catlic(*command)
        typed = _commands(real)
        assert json_of(real)["hosts"]["c9300x-stack"]["result"]["resumed"] is False  # its own exchange
        assert typed == predicted, f"{command}\n{typed}\n{predicted}"
        assert all(typed.values()), typed  # the first pass's save or return is there, not only the import
    assert not any("import" in line for line in typed["c9300x-stack"])  # Cisco sends no file for a return


def test_ciscos_return_without_a_file_is_acknowledged_and_the_pool_is_back(lab: CssmLab) -> None:
    installed = lab.catlic("slac", "install", "--offline", "--cssm", "--filter", "c9300x-stack")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert lab.free_keys() == 8
    returned = lab.catlic("slac", "return", "--offline", "--cssm", "--filter", "c9300x-stack", "--json")
    assert returned.returncode == 0, returned.stdout + returned.stderr
    result = json_of(returned)["hosts"]["c9300x-stack"]["result"]
    assert sorted(result["acknowledged"]) == sorted(STACK_UDIS)
    assert sorted(result["return_codes"]) == sorted(STACK_UDIS)  # Last return code, read on the switch
    assert lab.slacs("c9300x-stack") == dict.fromkeys(STACK_UDIS, False)
    assert lab.free_keys() == 10
    journal = Journal(lab.work / "catlic-journal.jsonl")
    try:
        acks = journal.records("c9300x-stack", step=STEP_RETURN_ACKNOWLEDGED)
        verified = journal.records("c9300x-stack", step="return-verified")
    finally:
        journal.close()
    assert sorted(str(r.data["udi"]) for r in acks) == sorted(STACK_UDIS)
    assert all(lab.settings["base_url"] in str(r.data["confirmed_by"]) and r.data["poll_id"] for r in acks)
    assert len(verified) == 1
    assert not list((lab.work / "catlic-files" / "cssm" / "inbox").rglob("return-ack.txt"))


def test_a_return_answered_with_the_lab_web_uis_ack_file_keeps_it_and_finishes_alike(lab: CssmLab) -> None:
    lab.admin("POST", "/lab/cssm/faults", {"return_ack_file": True})
    installed = lab.catlic("slac", "install", "--offline", "--cssm", "--filter", "c9300x-stack")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    command = ("slac", "return", "--offline", "--cssm", "--filter", "c9300x-stack", "--json")
    predicted = _commands(lab.catlic(*command, "--dry-run"))
    typed = _commands(lab.catlic(*command))
    assert typed == predicted
    assert lab.free_keys() == 10
    assert list((lab.work / "catlic-files" / "cssm" / "inbox").rglob("return-ack.txt"))  # kept, not imported


def test_a_dry_run_while_a_poll_is_open_predicts_the_poll_and_makes_none(lab: CssmLab) -> None:
    kill_while_polling(lab)
    command = INSTALL_STACK
    (journaled,) = lab.journaled_polls()
    poll_id = str(json.loads(journaled["handle"])["poll_id"])
    polls = lab.stats()["polls"]
    dry = lab.catlic(*command, "--dry-run", "--json")
    assert dry.returncode == 0, dry.stdout + dry.stderr  # as the real run will: it finishes the poll
    host = json_of(dry)["hosts"]["c9300x-stack"]
    assert host["status"] == "changed" and f"would poll Cisco's open answer {poll_id}" in host["diff"]
    assert lab.stats()["polls"] == polls  # the dry run did not poll
    lab.admin("POST", "/lab/cssm/faults", {"polls_before_complete": 0})
    real = lab.catlic(*command, "--json")
    assert real.returncode == 0, real.stdout + real.stderr
    assert lab.stats()["submissions"] == {"authorizations": 1}
    assert json_of(real)["hosts"]["c9300x-stack"]["result"]["resumed"] is True  # the killed run's exchange


def test_report_over_the_switchs_rest_api_with_ciscos_api_as_the_portal(lab: CssmLab) -> None:
    send_control(lab.state, {"op": "clock", "seconds": 300})  # the open reports measure something
    command = ("report", "--offline", "--rest", "--cssm", "--filter", "c9300x-stack", "--json")
    dry = lab.catlic(*command, "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert lab.stats()["submissions"] == {}
    done = lab.catlic(*command)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json_of(done)["hosts"]["c9300x-stack"]["result"]
    assert result["reported"] is True and result["transport"] == "rest"
    assert lab.stats()["submissions"] == {"acknowledgements": 1}
    state = lab.catlic("state", "--json", "--filter", "c9300x-stack")
    assert json_of(state)["hosts"]["c9300x-stack"]["result"]["reporting"]["last_ack_received"]
