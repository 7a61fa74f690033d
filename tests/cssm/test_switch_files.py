"""The files a virtual switch saves go to Cisco's API (the lab's, over HTTPS) and what comes back imports
into the switch: SLACs, usage ACKs in batches, a duplicate report refused, a return's key back in the pool."""

from __future__ import annotations

from pathlib import Path

import netmiko
import pytest
from lab.rig import Terminal
from workflows.labkit import c9300x_stack, running_lab

from nornir_catlic.cssm import CssmPortal, CssmRefused
from nornir_catlic.parsers.cssm_files import read_usage
from virtual_devices.cssm_api import ApiCredentials, CssmApiService
from virtual_devices.device import Device
from virtual_devices.lab_tls import lab_tls
from virtual_devices.loop_thread import LoopThread

from .conftest import Api


def _switch(api: Api, name: str, prefix: str) -> tuple[Device, Terminal]:
    device = api.rig.device(c9300x_stack(name, prefix, members=1, transport="off"))
    return device, Terminal(device)


def _save_usage(api: Api, device: Device, term: Terminal, file: str = "rum.txt") -> str:
    api.rig.clock.advance(seconds=120)  # measurements need time to measure something
    assert term.run(f"license smart save usage unreported file bootflash:{file}") == ""
    return (device.bootflash / file).read_text()


def _import(device: Device, term: Terminal, name: str, text: str) -> str:
    (device.bootflash / name).write_text(text)
    return term.run(f"license smart import bootflash:{name}")


def test_usage_of_many_switches_goes_in_batches_and_every_ack_imports(api: Api) -> None:
    switches = [_switch(api, f"sw{n}", f"FOCB{n}") for n in range(5)]
    reports = {}
    for device, term in switches:
        report = read_usage(_save_usage(api, device, term))
        reports[str(report.udi)] = report
    with api.client(batch_size=2) as client:
        acks = CssmPortal(client).report_usage(reports)
        requests = client.requests
    assert api.service.submissions("acknowledgements") == 3  # 5 switches, 2 per request
    assert requests == 1 + 3 + 3 * 3  # account ids, 3 submissions, 3 polls each (2 OK_POLL, 1 COMPLETE)
    for device, term in switches:
        udi = device.active_unit().udi
        assert isinstance(acks[udi], str)
        assert _import(device, term, "ack.txt", acks[udi]) == "Import Data Successful"
        assert "Last ACK received: Dec 03" in term.run("show license status")


def test_a_usage_report_sent_twice_is_refused_in_ciscos_words(api: Api) -> None:
    device, term = _switch(api, "twice", "FOCD")
    text = _save_usage(api, device, term)
    with api.client() as client:
        portal = CssmPortal(client)
        assert _import(device, term, "ack.txt", portal.process_usage_report(text)) == "Import Data Successful"
        with pytest.raises(CssmRefused) as refused:
            portal.process_usage_report(text)
    assert refused.value.message_code == "DUPLICATE_REPORT"
    assert "was already received" in refused.value.cisco_message
    assert api.service.submissions("acknowledgements") == 1


def test_the_switchs_slac_request_is_answered_with_a_slac_it_imports_and_its_return_frees_the_key(
    api: Api,
) -> None:
    device, term = _switch(api, "asker", "FOCE")
    udi = device.active_unit().udi
    assert term.run("license smart authorization request add hseck9 local") == ""
    assert term.run("license smart authorization request save bootflash:request.txt") == ""
    with api.client() as client:
        portal = CssmPortal(client)
        slacs = portal.process_slac_request((device.bootflash / "request.txt").read_text())
        assert list(slacs) == [udi]
        assert _import(device, term, "slac.txt", slacs[udi]).splitlines()[:2] == [
            "Import Data Successful",
            f"Last Confirmation code UDI: {udi}",
        ]
        assert [(p.total, p.in_use) for p in api.rig.ssm.pools()] == [(10, 1)]
        printed = term.run("license smart authorization return local offline")
        ack = portal.process_return(printed)
    assert [(p.total, p.in_use) for p in api.rig.ssm.pools()] == [(10, 0)]
    assert ack == ""  # Cisco confirms a return with smart_license null: nothing to import


def test_a_slac_from_the_api_installs_over_ssh_and_scp_on_a_running_lab(tmp_path: Path) -> None:
    spec = c9300x_stack("c9300x-api", "FOCF", members=1, transport="off")
    with running_lab(tmp_path / "lab", [spec], keys=5) as lab:
        loop = LoopThread("cssm-api-ssh-test")
        loop.start()
        service = CssmApiService(lab.context.ssm, ApiCredentials.generate(), tls=lab_tls(tmp_path / "tls"))
        loop.run(service.start(), timeout=30)
        api = Api(service, loop, rig=None)  # type: ignore[arg-type]
        conn = netmiko.ConnectHandler(
            device_type="cisco_xe",
            host="127.0.0.1",
            port=lab.ports["c9300x-api"],
            username=lab.credentials["username"],
            password=lab.credentials["password"],
            secret=lab.credentials["secret"],
            fast_cli=True,
        )
        try:
            conn.enable()
            assert conn.send_command("license smart authorization request add hseck9 local") == ""
            assert conn.send_command("license smart authorization request save bootflash:request.txt") == ""
            request = tmp_path / "request.txt"
            got = netmiko.file_transfer(
                conn,
                source_file="request.txt",
                dest_file=str(request),
                file_system="bootflash:",
                direction="get",
            )
            assert got["file_verified"] is True
            with api.client(smart_account="Eg-SA", virtual_account="Eg-VA") as client:
                slacs = CssmPortal(client).process_slac_request(request.read_text())
            (udi, text), *_ = slacs.items()
            slac = tmp_path / "slac.txt"
            slac.write_text(text)
            put = netmiko.file_transfer(conn, source_file=str(slac), dest_file="slac.txt", direction="put")
            assert put["file_verified"] is True
            imported = conn.send_command("license smart import bootflash:slac.txt")
            assert imported.splitlines()[:2] == [
                "Import Data Successful",
                f"Last Confirmation code UDI: {udi}",
            ]
        finally:
            conn.disconnect()
            loop.run(service.stop(), timeout=30)
            loop.stop()
