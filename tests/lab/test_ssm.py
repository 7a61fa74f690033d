"""The simulated Smart Software Manager: pools, the offline exchange, the operator command, and never
more keys handed out than a pool holds, also under concurrent threads and processes."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from virtual_devices import licfiles, ssm, ssm_cli
from virtual_devices.ssm import SimulatedSSM, SSMError


@pytest.fixture
def portal(tmp_path: Path) -> SimulatedSSM:
    simulated = SimulatedSSM(tmp_path / "ssm.sqlite")
    simulated.add_account("Eg-SA", "Eg-VA", {"C9K HSEC": 2})
    return simulated


def _slac(text: str) -> licfiles.Slac:
    kind, parts = licfiles.read_envelope(text)
    assert kind == "smartLicenseAuthorization"
    return licfiles.parse_slac(parts)


def test_multiple_devices_get_one_slac_file_per_udi(portal: SimulatedSSM) -> None:
    files = portal.generate_slacs([("C9407R", "FXS221500CT"), ("C9407R", "FXS221500BN")])
    assert list(files) == ["PID:C9407R,SN:FXS221500CT", "PID:C9407R,SN:FXS221500BN"]
    slacs = [_slac(text) for text in files.values()]
    assert [s.udi for s in slacs] == list(files)
    assert all(len(s.confirmation_code) == 8 for s in slacs)
    assert {s.entitlement for s in slacs} == {ssm.HSEC_TAG}
    assert [(p.license, p.total, p.in_use, p.available) for p in portal.pools()] == [("C9K HSEC", 2, 2, 0)]
    assert [r["udi"] for r in portal.reservations()] == list(files)


def test_a_dry_pool_refuses_the_whole_request(portal: SimulatedSSM) -> None:
    with pytest.raises(SSMError) as refused:
        portal.generate_slacs([("C9300X-24HX", "A1"), ("C9300X-48HX", "A2"), ("C9300X-48HX", "A3")])
    assert refused.value.message_code == "ERROR_ALL_COUNTS_IN_USE"
    assert "ERROR_ALL_COUNTS_IN_USE" in str(refused.value)
    assert portal.pools()[0].in_use == 0


def test_a_udi_holds_one_key_however_often_it_asks(portal: SimulatedSSM) -> None:
    first = _slac(portal.generate_slacs([("C9300X-24HX", "A1")])["PID:C9300X-24HX,SN:A1"])
    again = _slac(portal.generate_slacs([("C9300X-24HX", "A1")])["PID:C9300X-24HX,SN:A1"])
    assert first.confirmation_code != again.confirmation_code
    assert portal.pools()[0].in_use == 1


def test_returns_free_the_key_and_unknown_codes_are_refused(portal: SimulatedSSM) -> None:
    slac = _slac(portal.generate_slacs([("C9300X-24HX", "A1")])["PID:C9300X-24HX,SN:A1"])
    with pytest.raises(SSMError) as refused:
        portal.process_return("Return code: AAAAAA-AAAAAA-AAAAAA-AAAAAA-AAAAAA-AAAAAA-AAAAAA-AAAAAA-AAA")
    assert refused.value.message_code == "ERROR_INVALID_RETURN_CODE"
    code = licfiles.return_code(slac.authorization_code, slac.udi)
    ack = portal.process_return(code)  # a bare code, as typed into the web UI
    assert licfiles.read_envelope(ack)[0] == "smartLicenseAck"
    assert portal.pools()[0].in_use == 0
    assert portal.reservations(active_only=False)[0]["returned"] is not None
    assert [e["kind"] for e in portal.events()][-2:] == ["authorization_issued", "authorization_returned"]


def test_usage_reports_are_acknowledged_with_the_policy(portal: SimulatedSSM) -> None:
    rum = licfiles.rum_file(
        {"udi": "PID:C9300X-24HX,SN:A1"}, [{"id": 7, "tag": "C9300-24 DNA Advantage", "count": 1}]
    )
    kind, parts = licfiles.read_envelope(portal.process_usage_report(rum))
    assert kind == "smartLicenseAck"
    assert parts["ack"]["report_ids"] == [7]
    assert parts["ack"]["policy"]["name"] == "Custom Policy"
    with pytest.raises(SSMError) as refused:
        portal.process_usage_report(rum.replace("DNA Advantage", "DNA Essentials"))
    assert refused.value.message_code == "ERROR_INVALID_FILE"


def test_threads_never_get_more_keys_than_the_pool_holds(tmp_path: Path) -> None:
    portal = SimulatedSSM(tmp_path / "ssm.sqlite")
    portal.add_account("Eg-SA", "Eg-VA", {"C9K HSEC": 5})

    def ask(index: int) -> str:
        try:
            portal.generate_slacs([("C9300X-24HX", f"T{index:03d}")])
            return "ok"
        except SSMError as error:
            return error.message_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(ask, range(24)))
    assert outcomes.count("ok") == 5
    assert outcomes.count("ERROR_ALL_COUNTS_IN_USE") == 19
    assert portal.pools()[0].in_use == 5


def test_two_processes_never_get_more_keys_than_the_pool_holds(tmp_path: Path) -> None:
    db = tmp_path / "ssm.sqlite"
    SimulatedSSM(db).add_account("Eg-SA", "Eg-VA", {"C9K HSEC": 7})
    go = tmp_path / "go"
    worker = textwrap.dedent(
        f"""
        import sys, time, pathlib
        from virtual_devices.ssm import SimulatedSSM, SSMError
        portal = SimulatedSSM({str(db)!r})
        while not pathlib.Path({str(go)!r}).exists():
            time.sleep(0.005)
        won = 0
        for i in range(10):
            try:
                portal.generate_slacs([("C9300X-24HX", sys.argv[1] + str(i))])
                won += 1
            except SSMError as error:
                assert error.message_code == "ERROR_ALL_COUNTS_IN_USE"
        print(won)
        """
    )
    workers = [subprocess.Popen([sys.executable, "-c", worker, tag], stdout=subprocess.PIPE) for tag in "PQ"]
    go.touch()
    won = [int(proc.communicate(timeout=60)[0]) for proc in workers]
    assert all(proc.returncode == 0 for proc in workers)
    assert sum(won) == 7
    assert SimulatedSSM(db).pools()[0].in_use == 7


def test_the_operator_command_plays_the_web_ui(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "ssm.sqlite")
    assert (
        ssm_cli.main(
            [
                "--db",
                db,
                "--smart-account",
                "Eg-SA",
                "--virtual-account",
                "Eg-VA",
                "set-pool",
                "C9K HSEC",
                "3",
            ]
        )
        == 0
    )
    request = licfiles.request_file(
        {"hostname": "sw1"},
        [
            {
                "udi": "PID:C9300X-24HX,SN:FOC2519L8R7",
                "mode": "add",
                "keys": [{"entitlement": ssm.HSEC_TAG, "count": 1}],
            }
        ],
    )
    (tmp_path / "request.txt").write_text(request)
    assert (
        ssm_cli.main(
            ["--db", db, "process-request", str(tmp_path / "request.txt"), "--out", str(tmp_path / "out")]
        )
        == 0
    )
    slac_file = tmp_path / "out" / "SLAC-C9300X-24HX-FOC2519L8R7.txt"
    slac = _slac(slac_file.read_text())
    capsys.readouterr()
    assert ssm_cli.main(["--db", db, "pools"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split() == ["Eg-SA", "Eg-VA", "C9K", "HSEC", "3", "1", "2"]
    (tmp_path / "return.txt").write_text(
        licfiles.return_text([(slac.udi, licfiles.return_code(slac.authorization_code, slac.udi))])
    )
    assert (
        ssm_cli.main(
            ["--db", db, "process-return", str(tmp_path / "return.txt"), "--out", str(tmp_path / "ack.txt")]
        )
        == 0
    )
    assert licfiles.read_envelope((tmp_path / "ack.txt").read_text())[0] == "smartLicenseAck"
    assert ssm_cli.main(["--db", db, "process-return", str(tmp_path / "return.txt")]) == 1
    assert "ERROR_INVALID_RETURN_CODE" in capsys.readouterr().err


def test_the_multiple_devices_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "ssm.sqlite")
    SimulatedSSM(db).add_account("Eg-SA", "Eg-VA", {"C9K HSEC": 5})
    (tmp_path / "devices.csv").write_text("Serial Number,PID\nFXS221500CT,C9407R\n\nFXS221500BN,C9407R\n")
    assert (
        ssm_cli.main(["--db", db, "generate", "--csv", str(tmp_path / "devices.csv"), "--out", str(tmp_path)])
        == 0
    )
    assert sorted(p.name for p in tmp_path.glob("SLAC-*.txt")) == [
        "SLAC-C9407R-FXS221500BN.txt",
        "SLAC-C9407R-FXS221500CT.txt",
    ]
    with pytest.raises(SSMError):
        ssm.read_device_csv("Name,Site\nsw1,HQ\n")


def test_the_operator_commands_take_the_labs_state_folder_and_write_private_slacs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``catlic-lab ssm ... --state-dir`` finds the lab's ssm.sqlite, like ``catlic-lab devices``."""
    from virtual_devices.lab_cli import main as catlic_lab

    state = tmp_path / "state"
    state.mkdir()
    SimulatedSSM(state / "ssm.sqlite").add_account("Eg-SA", "Eg-VA", {"C9K HSEC": 5})
    out = tmp_path / "slacs"

    generated = catlic_lab(
        ["ssm", "generate", "C9407R:FXS221500CT", "--out", str(out), "--state-dir", str(state)]
    )
    capsys.readouterr()
    listed = catlic_lab(["ssm", "events", "--json", "--state-dir", str(state)])
    events = json.loads(capsys.readouterr().out)["events"]
    missing = catlic_lab(["ssm", "pools", "--state-dir", str(tmp_path / "no-lab")])

    assert generated == 0 and listed == 0
    slac = out / "SLAC-C9407R-FXS221500CT.txt"
    assert stat.S_IMODE(slac.stat().st_mode) == 0o600, "a SLAC holds an authorization code"
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert "PID:C9407R,SN:FXS221500CT" in [event["udi"] for event in events]
    assert missing == 3
    assert f"no simulated SSM in {tmp_path / 'no-lab'}" in capsys.readouterr().err


def test_an_operator_usage_error_exits_2_without_touching_the_ssm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "ssm.sqlite")

    assert ssm_cli.main(["--db", db, "set-pool", "C9K HSEC", "3"]) == 2  # no account named
    assert "set-pool needs --smart-account and --virtual-account" in capsys.readouterr().err
    assert ssm_cli.main(["--db", db, "generate", "--out", str(tmp_path)]) == 2
    assert "give PID:SERIAL arguments or --csv FILE" in capsys.readouterr().err
