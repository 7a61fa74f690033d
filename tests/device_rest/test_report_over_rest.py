"""``catlic report --offline --rest`` against the lab: each switch's own ``/smartlic-service`` API over HTTPS.

One lab for the module; each test works on switches of its own, so the order does not matter. The lab
counts SSH logins per switch: the report over REST must open none.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli.catlic_process import json_of, run_catlic
from raw_files import files_holding, files_under
from workflows.labkit import c9300x_stack, device_snapshot, nornir_for, run_one, topology

from nornir_catlic.cssm import CssmClient, CssmPortal, CssmSettings
from nornir_catlic.errors import WorkflowFailed
from nornir_catlic.journal import Journal
from nornir_catlic.tasks.reporting_rest import catlic_report_usage_rest
from nornir_catlic.workplace import HOME_ENV
from virtual_devices.cssm_api import ApiCredentials, CssmApiService
from virtual_devices.lab import Lab
from virtual_devices.lab_tls import lab_tls
from virtual_devices.licensing.state import ReportState
from virtual_devices.loop_thread import LoopThread
from virtual_devices.ssm import SimulatedSSM

PASSWORD = "rest-pass-Wq83"
REPORT_OVER_REST = ("report", "--offline", "--rest", "--lab-ssm", "--json")
REST = ["rest-a", "rest-b", "rest-dry", "rest-401", "rest-park", "rest-cssm"]
DEVICES = [
    *(
        c9300x_stack(name, f"FOCR{i}", members=2, transport="off", rest_api=True)
        for i, name in enumerate(REST)
    ),
    c9300x_stack("ssh-only", "FOCS9", members=1, transport="off"),
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    built = topology(DEVICES)
    built["lab"]["credentials"] = {"username": "admin", "password": PASSWORD, "secret": "rest-enable-Yt20"}
    with Lab.from_dict(built, tmp_path_factory.mktemp("rest-lab")) as lab:
        yield lab


def _catlic(lab: Lab, work: Path, *args: str, inventory: bool = True) -> Any:
    work.mkdir(exist_ok=True)
    chosen = ("-c", str(lab.nornir_config)) if inventory else ()
    return run_catlic(*args, *chosen, cwd=work, env={"CATLIC_LAB_STATE": str(lab.state_dir)}, in_process=True)


def _devices(lab: Lab) -> dict[str, dict[str, Any]]:
    return {d["name"]: d for d in lab.control({"op": "devices"})["devices"]}


def _reports(lab: Lab, name: str) -> dict[int, ReportState]:
    agent = lab.devices[name].agent
    return lab.call(lambda: {r.id: r.state for r in agent.state.reports})


def test_report_over_rest_brings_every_switch_an_ack_without_ssh(lab: Lab, tmp_path: Path) -> None:
    lab.advance_clock(seconds=300)  # the open reports measure something before they close
    before = {
        name: lab.call(lambda n=name: lab.devices[n].agent.state.reporting.deadline) for name in REST[:2]
    }
    done = _catlic(lab, tmp_path, *REPORT_OVER_REST, "--filter", "rest-a", "--filter", "rest-b")

    document = json_of(done)
    assert done.returncode == 0, done.stderr
    for name in REST[:2]:
        host = document["hosts"][name]
        assert host["status"] == "changed", host["error"]
        assert host["result"]["reported"] is True
        assert host["result"]["transport"] == "rest"
        assert "POST /smartlic-service/import" in host["result"]["commands"]
        state = lab.devices[name].agent.state
        assert lab.call(lambda s=state: s.reporting.last_ack) is not None  # the agent SSH reads took the ACK
        assert lab.call(lambda s=state: s.reporting.deadline) != before[name]  # Next ACK deadline moved
        closed = {i: s for i, s in _reports(lab, name).items() if s is not ReportState.COLLECTING}
        assert closed and set(closed.values()) == {ReportState.ACKED}
    counters = _devices(lab)
    assert [counters[name]["ssh_logins"] for name in REST[:2]] == [0, 0]
    assert all(counters[name]["rest_requests"] >= 5 for name in REST[:2])
    home = Path(os.environ[HOME_ENV])  # catlic's own working files (locks, scratch runs)
    written = files_under(tmp_path, home)
    assert written and PASSWORD not in done.stdout + done.stderr
    assert files_holding([PASSWORD], written) == []


def test_a_dry_run_writes_nothing_over_rest(lab: Lab, tmp_path: Path) -> None:
    lab.advance_clock(seconds=300)
    snapshot = device_snapshot(lab, "rest-dry")
    planned = _catlic(lab, tmp_path, *REPORT_OVER_REST, "--dry-run", "--filter", "rest-dry")

    assert planned.returncode == 0, planned.stderr
    host = json_of(planned)["hosts"]["rest-dry"]
    assert host["result"]["commands"][0] == "POST /smartlic-service/close-reports"
    assert device_snapshot(lab, "rest-dry") == snapshot  # no report closed, no ACK imported
    assert _devices(lab)["rest-dry"]["ssh_logins"] == 0


def test_a_switch_without_rest_is_a_clear_per_host_error(lab: Lab, tmp_path: Path) -> None:
    refused = _catlic(
        lab, tmp_path, "report", "--offline", "--rest", "--lab-ssm", "--json", "--filter", "ssh-only"
    )

    assert refused.returncode != 0
    host = json_of(refused)["hosts"]["ssh-only"]
    assert host["error"].startswith("no REST API in its inventory: give data.rest_api.port")
    assert "ssh-only" in refused.stderr and "no REST API" in refused.stderr
    assert _devices(lab)["ssh-only"]["ssh_logins"] == 0


def test_a_wrong_password_is_a_401_named_with_the_host_and_never_shown(
    lab: Lab, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    nr = nornir_for(lab)
    wrong = "not-the-Pw-4471"
    nr.inventory.hosts["rest-401"].password = wrong
    caplog.set_level("DEBUG")
    result = run_one(
        nr,
        "rest-401",
        catlic_report_usage_rest,
        portal=SimulatedSSM(lab.state_dir / "ssm.sqlite"),
        journal=None,
    )

    assert result.failed
    assert isinstance(result.exception, WorkflowFailed)
    message = str(result.exception)
    assert message.startswith("rest-401: POST https://127.0.0.1:")
    assert "HTTP 401" in message
    logged = caplog.text + message + repr(result.exception)
    assert wrong not in logged and PASSWORD not in logged
    assert all(state is not ReportState.ACKED for state in _reports(lab, "rest-401").values())


def _awaited(portal: Path, host: str) -> tuple[Path, Path]:
    """The file the operator carries to SSM and the folder for SSM's answer, as OPERATOR.txt lists them."""
    line = next(
        line for line in (portal / "OPERATOR.txt").read_text().splitlines() if f"outbox/{host}/" in line
    )
    outbox, inbox = (part.strip().split()[0] for part in line.split("->"))
    return portal / outbox, portal / inbox


def test_a_report_parked_for_the_operator_resumes_from_the_journal_and_imports_over_rest(
    lab: Lab, tmp_path: Path
) -> None:
    lab.advance_clock(seconds=300)
    portal = tmp_path / "portal"
    options = ("report", "--offline", "--rest", "--portal", str(portal), "--filter", "rest-park")
    parked = _catlic(lab, tmp_path, *options)
    usage_file, inbox = _awaited(portal, "rest-park")
    acked = _catlic(
        lab,
        tmp_path,
        "ssm",
        "process-usage",
        str(usage_file),
        "--out",
        str(inbox / "ack.txt"),
        inventory=False,
    )
    resumed = _catlic(lab, tmp_path, *options, "--json")

    assert parked.returncode == 4, parked.stderr  # waiting for the operator
    assert "<RUMReport>" in usage_file.read_text()  # Cisco's shape, from the REST reports
    assert acked.returncode == 0, acked.stderr
    result = json_of(resumed)["hosts"]["rest-park"]["result"]
    assert result["reported"] is True
    assert result["commands"] == [
        "POST /smartlic-service/import",
        "GET /smartlic-service/list",
    ]  # no re-close
    closed = {i: s for i, s in _reports(lab, "rest-park").items() if s is not ReportState.COLLECTING}
    assert closed and set(closed.values()) == {ReportState.ACKED}
    assert _devices(lab)["rest-park"]["ssh_logins"] == 0


def test_a_report_over_rest_goes_to_ciscos_api_and_its_ack_comes_back_over_rest(
    lab: Lab, tmp_path: Path
) -> None:
    lab.advance_clock(seconds=300)
    service = CssmApiService(lab.context.ssm, ApiCredentials.generate(), tls=lab_tls(tmp_path / "tls"))
    loop = LoopThread("cssm-api-for-rest")
    loop.start()
    loop.run(service.start(), timeout=30)
    settings = CssmSettings.model_validate(
        {
            "client_id": service.credentials.client_id,
            "client_secret": service.credentials.client_secret,
            "smart_account": "Eg-SA",
            "virtual_account": "Eg-VA",
            "token_url": service.url + "/oauth2/default/v1/token",
            "base_url": service.url,
            "ca_bundle": service.tls.ca_bundle if service.tls else None,
            "poll_deadline": 30,
        }
    )
    try:
        with CssmClient(settings) as client:
            result = run_one(
                nornir_for(lab),
                "rest-cssm",
                catlic_report_usage_rest,
                portal=CssmPortal(client),
                journal=Journal(tmp_path / "journal.jsonl"),
            )
    finally:
        loop.run(service.stop(), timeout=30)
        loop.stop()

    assert not result.failed, result.exception
    assert result.result.reported is True
    assert service.submissions("acknowledgements") == 1
    closed = {i: s for i, s in _reports(lab, "rest-cssm").items() if s is not ReportState.COLLECTING}
    assert closed and set(closed.values()) == {ReportState.ACKED}
    assert _devices(lab)["rest-cssm"]["ssh_logins"] == 0


def test_a_certificate_from_another_ca_is_refused_before_anything_is_sent(lab: Lab, tmp_path: Path) -> None:
    nr = nornir_for(lab)
    host = nr.inventory.hosts["rest-401"]
    host.data["rest_api"] = {**host.data["rest_api"], "verify": str(lab_tls(tmp_path / "other").ca_bundle)}
    before = lab.control({"op": "devices"})
    result = run_one(
        nr, "rest-401", catlic_report_usage_rest, portal=SimulatedSSM(lab.state_dir / "ssm.sqlite")
    )

    assert result.failed
    assert "rest-401: POST https://127.0.0.1:" in str(result.exception)
    assert "certificate does not verify" in str(result.exception)
    counts = {d["name"]: d["rest_requests"] for d in before["devices"]}
    assert _devices(lab)["rest-401"]["rest_requests"] == counts["rest-401"]  # TLS stopped it: no request
