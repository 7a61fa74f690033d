"""netmiko (cisco_xe) against the lab over real SSH on 127.0.0.1."""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import netmiko
import paramiko
import pytest

from virtual_devices.lab import Lab, send_control

from .fakes import FakeDevice
from .polling import port_open, wait_for

# One device per concern, so that no test sees another's sessions, faults or reloads.
NAMES = ("sw-basic", "sw-reload", "sw-faults", "sw-files", "sw-monitor", "sw-drop", "sw-users")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    state = tmp_path_factory.mktemp("lab")
    devices = [FakeDevice(name, state / "bootflash" / name) for name in NAMES]
    with Lab(devices, state) as running:
        yield running


def connect(lab: Lab, name: str, **extra: object) -> netmiko.BaseConnection:
    return netmiko.ConnectHandler(
        device_type="cisco_xe",
        host="127.0.0.1",
        port=lab.ports[name],
        username="admin",
        password="lab-pass-1",
        secret="lab-enable-1",
        fast_cli=True,
        **extra,
    )


def test_connect_enable_configure_and_show(lab: Lab) -> None:
    conn = connect(lab, "sw-basic")
    try:
        assert conn.find_prompt() == "sw-basic>"
        conn.enable()
        assert conn.find_prompt() == "sw-basic#"
        assert conn.send_command("sh clo", read_timeout=10) == "*18:57:27.123 UTC Fri Dec 3 2021"
        output = conn.send_config_set(["interface tu10", "description to-hq"])
        assert "sw-basic(config-if)#description to-hq" in output
        assert conn.send_command("show running-config | include description") == " description to-hq"
        section = conn.send_command("show running-config | section Tunnel10")
        assert section == "interface Tunnel10\n description to-hq"
        assert "[OK]" in conn.save_config()
    finally:
        conn.disconnect()
    device = lab.devices["sw-basic"]
    assert device.startup.interfaces["Tunnel10"] == ["description to-hq"]


def test_ios_error_replies_come_back_verbatim(lab: Lab) -> None:
    conn = connect(lab, "sw-basic")
    try:
        conn.enable()
        assert conn.send_command("show clock detail") == (
            " " * len("sw-basic#show clock ") + "^\n% Invalid input detected at '^' marker.\n"
        )
        assert conn.send_command("terminal length") == "% Incomplete command.\n"
        assert conn.send_command("d") == '% Ambiguous command: "d"'
        output = conn.send_config_set(["licence smart transport off"])
        assert "% Invalid input detected at '^' marker." in output
    finally:
        conn.disconnect()


def test_wrong_password_is_refused(lab: Lab) -> None:
    with pytest.raises(netmiko.NetmikoAuthenticationException):
        netmiko.ConnectHandler(
            device_type="cisco_xe",
            host="127.0.0.1",
            port=lab.ports["sw-basic"],
            username="admin",
            password="nope",
        )


@contextlib.contextmanager
def ssh_client(lab: Lab, name: str) -> Iterator[paramiko.SSHClient]:
    """A plain SSH client (no shell, no netmiko) logged in to one device."""
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(
        "127.0.0.1", lab.ports[name], "admin", "lab-pass-1", look_for_keys=False, allow_agent=False
    )
    try:
        yield client
    finally:
        client.close()


def test_exec_channel_runs_one_command(lab: Lab) -> None:
    with ssh_client(lab, "sw-basic") as client:
        _, stdout, _ = client.exec_command("show clock")
        assert stdout.read().decode() == "*18:57:27.123 UTC Fri Dec 3 2021\r\n"


def test_reload_drops_the_session_and_the_device_comes_back(lab: Lab) -> None:
    port = lab.ports["sw-reload"]
    conn = connect(lab, "sw-reload")
    conn.enable()
    output = conn.send_command("reload", expect_string=r"\[confirm\]")
    assert "Proceed with reload? [confirm]" in output
    conn.write_channel("\n")
    assert wait_for(lambda: not conn.is_alive(), 5)
    assert wait_for(lambda: not port_open(port), 1) or not lab.devices["sw-reload"].available()
    assert wait_for(lambda: port_open(port), 10)
    again = connect(lab, "sw-reload")
    assert again.find_prompt() == "sw-reload>"
    again.disconnect()
    assert lab.devices["sw-reload"].reloads == ["Reload Command"]


def test_terminal_monitor_brings_syslog_to_the_terminal(lab: Lab) -> None:
    conn = connect(lab, "sw-monitor")
    try:
        conn.send_command("terminal monitor")
        device = lab.devices["sw-monitor"]
        lab.call(device.log, "%SMART_LIC-6-AGENT_READY", "Smart Agent for Licensing is initialized")
        seen = conn.read_until_pattern(pattern=r"AGENT_READY.*\n.*sw-monitor>", read_timeout=5)
        assert "%SMART_LIC-6-AGENT_READY: Smart Agent for Licensing is initialized" in seen
    finally:
        conn.disconnect()


def test_file_transfer_put_and_get_with_md5_verification(lab: Lab, tmp_path: Path) -> None:
    source = tmp_path / "slac-request.txt"
    source.write_text("<smartLicense>request</smartLicense>\n" * 50)
    conn = connect(lab, "sw-files")
    try:
        conn.enable()
        put = netmiko.file_transfer(
            conn,
            source_file=str(source),
            dest_file="slac-request.txt",
            file_system="bootflash:",
            direction="put",
        )
        assert put == {"file_exists": True, "file_transferred": True, "file_verified": True}
        stored = lab.devices["sw-files"].bootflash / "slac-request.txt"
        assert stored.read_bytes() == source.read_bytes()
        again = netmiko.file_transfer(conn, source_file=str(source), dest_file="slac-request.txt")
        assert again["file_transferred"] is False and again["file_verified"] is True
        target = tmp_path / "back.txt"
        get = netmiko.file_transfer(
            conn,
            source_file="slac-request.txt",
            dest_file=str(target),
            file_system="bootflash:",
            direction="get",
        )
        assert get["file_verified"] is True
        assert hashlib.md5(target.read_bytes()).hexdigest() == hashlib.md5(source.read_bytes()).hexdigest()
    finally:
        conn.disconnect()


def test_drop_after_commands_fault(lab: Lab) -> None:
    request = {"op": "faults", "device": "sw-drop", "set": {"drop_after_commands": 3}}
    assert send_control(lab.state_dir, request)["ok"]
    conn = connect(lab, "sw-drop")  # terminal width + terminal length are commands 1 and 2
    assert conn.send_command("show clock", read_timeout=5) == "*18:57:27.123 UTC Fri Dec 3 2021"
    assert wait_for(lambda: not conn.is_alive(), 5)
    with pytest.raises(OSError):
        conn.send_command("show clock", read_timeout=1)
    conn.disconnect()
    lab.clear_faults("sw-drop")


def test_drop_on_command_fault(lab: Lab) -> None:
    lab.set_faults("sw-faults", drop_on_command=r"^show users")
    conn = connect(lab, "sw-faults")
    assert conn.send_command("show clock")
    with pytest.raises((OSError, EOFError, netmiko.ReadException, netmiko.NetmikoTimeoutException)):
        conn.send_command("show users", read_timeout=1)
    conn.disconnect()
    lab.clear_faults("sw-faults")


def test_latency_fault_delays_every_reply(lab: Lab) -> None:
    conn = connect(lab, "sw-faults")
    try:
        lab.set_faults("sw-faults", latency=0.3)
        started = time.monotonic()
        assert conn.send_command("show clock", read_timeout=10) == "*18:57:27.123 UTC Fri Dec 3 2021"
        assert time.monotonic() - started >= 0.3
    finally:
        lab.clear_faults("sw-faults")
        conn.disconnect()


def test_inventory_points_nornir_at_the_listeners(lab: Lab) -> None:
    from nornir import InitNornir

    nornir = InitNornir(config_file=str(lab.nornir_config))
    assert sorted(nornir.inventory.hosts) == sorted(NAMES)
    host = nornir.inventory.hosts["sw-basic"]
    assert (host.hostname, host.port, host.platform) == ("127.0.0.1", lab.ports["sw-basic"], "cisco_xe")
    extras = host.get_connection_parameters("netmiko").extras
    assert extras["secret"] == "lab-enable-1"


def test_show_users_lists_every_open_terminal(lab: Lab) -> None:
    first, second = connect(lab, "sw-users"), connect(lab, "sw-users")
    try:
        lines = second.send_command("show users").splitlines()
        vty = [line for line in lines if " vty " in line]
        assert len(vty) == 2
        assert [line.startswith("*") for line in vty].count(True) == 1
        assert all("admin" in line and line.endswith("127.0.0.1") for line in vty)
    finally:
        first.disconnect()
        second.disconnect()


def test_sftp_is_rooted_at_bootflash(lab: Lab) -> None:
    transport = paramiko.Transport(("127.0.0.1", lab.ports["sw-files"]))
    transport.connect(username="admin", password="lab-pass-1")
    try:
        sftp = paramiko.SFTPClient.from_transport(transport)
        assert sftp is not None
        with sftp.open("bootflash:/ack.txt", "w") as remote:
            remote.write("ACK")
        assert (lab.devices["sw-files"].bootflash / "ack.txt").read_text() == "ACK"
        assert "ack.txt" in sftp.listdir("/")
        with pytest.raises(FileNotFoundError):
            sftp.open("../../../etc/passwd")
    finally:
        transport.close()


def test_nornir_netmiko_tasks_run_on_every_lab_host(lab: Lab) -> None:
    from nornir import InitNornir
    from nornir_netmiko.tasks import netmiko_send_command

    nornir = InitNornir(config_file=str(lab.nornir_config))
    try:
        results = nornir.run(task=netmiko_send_command, command_string="show clock", enable=True)
    finally:
        nornir.close_connections()
    assert not results.failed_hosts
    assert {name: r[0].result for name, r in results.items()} == {
        name: "*18:57:27.123 UTC Fri Dec 3 2021" for name in NAMES
    }


def test_exec_reply_waits_for_the_latency_fault(lab: Lab) -> None:
    lab.set_faults("sw-monitor", latency=0.2)
    try:
        with ssh_client(lab, "sw-monitor") as client:
            _, stdout, _ = client.exec_command("show clock")
            assert stdout.read().decode() == "*18:57:27.123 UTC Fri Dec 3 2021\r\n"
            assert stdout.channel.recv_exit_status() == 0
    finally:
        lab.clear_faults("sw-monitor")
