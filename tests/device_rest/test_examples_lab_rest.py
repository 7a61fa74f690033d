"""The issue's bar on the examples' lab (``catlic lab up --topology examples/lab-topology.yaml``, a real
process): ``catlic report --offline --rest --lab-ssm`` brings the air-gapped stack an ACK with no SSH
login."""

from __future__ import annotations

from pathlib import Path

from cli.catlic_process import catlic_lab, json_of, run_catlic

from virtual_devices.lab import send_control

from .test_report_over_rest import REPORT_OVER_REST

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _logins(state_dir: Path) -> dict[str, int]:
    devices = send_control(state_dir, {"op": "devices"})["devices"]
    return {device["name"]: int(device["ssh_logins"]) for device in devices}


def test_the_examples_air_gapped_stack_reports_over_rest_without_ssh(tmp_path: Path) -> None:
    state_dir = tmp_path / "lab-state"
    env = {"CATLIC_LAB_STATE": str(state_dir)}
    with catlic_lab(
        tmp_path, "--topology", str(EXAMPLES / "lab-topology.yaml"), state_dir=state_dir, in_process=True
    ):
        send_control(state_dir, {"op": "clock", "seconds": 300})  # the open reports measure something
        status = run_catlic("lab", "status", cwd=tmp_path, env=env, in_process=True)
        before = _logins(state_dir)
        done = run_catlic(
            *REPORT_OVER_REST, "--filter", "c9300x-stack", cwd=tmp_path, env=env, in_process=True
        )
        after = _logins(state_dir)
        state = run_catlic(
            "state", "--json", "--filter", "c9300x-stack", cwd=tmp_path, env=env, in_process=True
        )

    assert "REST https" in status.stdout
    assert done.returncode == 0, done.stderr
    result = json_of(done)["hosts"]["c9300x-stack"]["result"]
    assert result["reported"] is True and result["transport"] == "rest"
    assert after["c9300x-stack"] == before["c9300x-stack"]  # the report itself opened no SSH session
    # Read over SSH afterwards, the switch shows the ACK the REST import installed.
    assert json_of(state)["hosts"]["c9300x-stack"]["result"]["reporting"]["last_ack_received"]
