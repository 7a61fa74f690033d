"""The lab switch's ``/smartlic-service`` API over HTTPS, as the CSSM API note describes it, on the same
licensing agent SSH uses: a report closed over REST is the one SSH sees, an ACK imported over REST moves
``Next ACK deadline`` in ``show license status``."""

from __future__ import annotations

import base64
import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import netmiko
import pytest
from workflows.labkit import c9300x_stack, running_lab

from virtual_devices.lab import Lab
from virtual_devices.ssm import SimulatedSSM

NAMES = ["api-shapes", "api-import"]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    devices = [
        c9300x_stack(name, f"FOCT{i}", members=1, transport="off", rest_api=True)
        for i, name in enumerate(NAMES)
    ]
    with running_lab(tmp_path_factory.mktemp("api-lab"), devices) as lab:
        yield lab


def _client(lab: Lab, name: str, password: str | None = None) -> httpx.Client:
    return httpx.Client(
        base_url=f"https://127.0.0.1:{lab.rest.ports[name]}/smartlic-service",
        auth=(lab.credentials["username"], password or lab.credentials["password"]),
        verify=ssl.create_default_context(cafile=str(lab.rest.tls.ca_bundle)),
    )


def _ssh(lab: Lab, name: str, command: str) -> str:
    with netmiko.ConnectHandler(
        device_type="cisco_xe",
        host="127.0.0.1",
        port=lab.ports[name],
        username=lab.credentials["username"],
        password=lab.credentials["password"],
        secret=lab.credentials["secret"],
        fast_cli=True,
    ) as conn:
        conn.enable()
        return str(conn.send_command(command))


def test_the_api_answers_in_the_notes_shapes_and_status_codes(lab: Lab) -> None:
    lab.advance_clock(seconds=120)
    with _client(lab, "api-shapes") as api, _client(lab, "api-shapes", "wrong-pass") as stranger:
        refused = stranger.get("/list")
        closed = api.post("/close-reports", json={})
        listed = api.get("/list").json()["usage_list"]
        everything = api.get("/all-reports").json()["usage"]
        recent = api.get("/days").json()["usage"]
        week = api.get("/days/7").json()["usage"]
        too_many = api.get("/days/400")
        deleted = api.delete("/list")

    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Basic")
    assert closed.status_code == 200 and closed.json()["status"] == "SUCCESS"
    assert listed and {entry["state"] for entry in listed} == {"CLOSED"}
    assert [entry["report_id"] for entry in listed] == closed.json()["closed"]
    assert len(everything) == len(recent) == len(week) == len(listed)
    assert set(everything[0]) == {"header", "payload", "signature"}
    assert everything[0]["header"]["sudi"] == {"udi_pid": "C9300X-24HX", "udi_serial_number": "FOCT001"}
    assert too_many.status_code == 400
    assert deleted.status_code == 405  # GET and POST only


def test_rest_and_ssh_share_the_reports_and_an_imported_ack_moves_the_deadline(
    lab: Lab, tmp_path: Path
) -> None:
    lab.advance_clock(seconds=120)
    with _client(lab, "api-import") as api:
        api.post("/close-reports", json={})
        ids = [entry["report_id"] for entry in api.get("/list").json()["usage_list"]]
        before = _ssh(lab, "api-import", "show license status")
        # SSH saves the very reports REST closed; the lab's SSM acknowledges that file.
        assert _ssh(lab, "api-import", "license smart save usage unreported file bootflash:rum.txt") == ""
        rum = (lab.devices["api-import"].bootflash / "rum.txt").read_text()
        ack = SimulatedSSM(lab.state_dir / "ssm.sqlite").process_usage_report(rum)
        bad = api.post("/import", json={"data": base64.b64encode(b"<smartLicense/>").decode()})
        imported = api.post("/import", json={"data": base64.b64encode(ack.encode()).decode()})
        states = {entry["report_id"]: entry["state"] for entry in api.get("/list").json()["usage_list"]}
    after = _ssh(lab, "api-import", "show license status")

    assert ids and all(str(report_id) in rum for report_id in ids)
    assert bad.status_code == 400 and bad.json()["status"] == "FAILED"
    assert imported.status_code == 200 and imported.json()["message"] == "Import Data Successful"
    assert all(states[report_id] == "ACK" for report_id in ids)
    deadline = [line for line in after.splitlines() if "Next ACK deadline" in line]
    assert deadline and deadline != [line for line in before.splitlines() if "Next ACK deadline" in line]
