"""The IOS-XE CLI engine without SSH: what a terminal shows for what is typed."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest

from virtual_devices.cli import CliSession
from virtual_devices.commands.base import Mode

from .fakes import FakeDevice


@pytest.fixture
def device(tmp_path: Path) -> FakeDevice:
    return FakeDevice("Device", tmp_path / "bootflash")


def terminal(device: FakeDevice, *lines: str, mode: Mode = Mode.PRIVILEGED) -> tuple[CliSession, str]:
    """Type ``lines`` (each followed by Enter); return the session and the screen with \\n line ends."""
    session = CliSession(device)
    session.mode = mode
    screen = session.greeting()
    for line in lines:
        screen += session.feed(line + "\r")
    return session, screen.replace("\r\n", "\n")


def test_echo_then_output_then_prompt_in_one_answer(device: FakeDevice) -> None:
    session = CliSession(device)
    assert session.feed("show clock\r\n") == "show clock\r\n*18:57:27.123 UTC Fri Dec 3 2021\r\nDevice>"


@pytest.mark.parametrize("enter", ["\r", "\n", "\r\n"])
def test_each_line_ending_is_one_enter(device: FakeDevice, enter: str) -> None:
    session = CliSession(device)
    assert session.feed(f"terminal length 0{enter}").count("Device>") == 1


def test_nul_keepalive_is_ignored(device: FakeDevice) -> None:
    session = CliSession(device)
    assert session.feed("\x00") == ""
    assert session.commands_run == 0


def test_abbreviations_expand(device: FakeDevice) -> None:
    _, screen = terminal(device, "sh clo", "conf t", "int tu10", "desc uplink", "end", "sh run | i desc")
    assert "Device(config)#int tu10\nDevice(config-if)#desc uplink\nDevice(config-if)#end\nDevice#" in screen
    assert screen.endswith("Device#sh run | i desc\n description uplink\nDevice#")


def test_invalid_input_puts_the_caret_under_the_offending_word(device: FakeDevice) -> None:
    _, screen = terminal(device, "show clock bogus")
    assert screen.endswith(
        "Device#show clock bogus\n" + " " * len("Device#show clock ") + "^\n"
        "% Invalid input detected at '^' marker.\n\nDevice#"
    )


def test_invalid_input_in_configuration_mode(device: FakeDevice) -> None:
    _, screen = terminal(device, "configure terminal", "licence boot level network-advantage")
    echo = "Device(config)#licence boot level network-advantage\n"
    assert echo + " " * len("Device(config)#") + "^\n" in screen


def test_caret_under_do_command_accounts_for_do(device: FakeDevice) -> None:
    _, screen = terminal(device, "configure terminal", "do show clok")
    assert "Device(config)#do show clok\n" + " " * len("Device(config)#do show ") + "^\n" in screen


def test_incomplete_command(device: FakeDevice) -> None:
    _, screen = terminal(device, "terminal length")
    assert screen.endswith("Device#terminal length\n% Incomplete command.\n\nDevice#")


def test_show_alone_points_at_help(device: FakeDevice) -> None:
    _, screen = terminal(device, "show")
    assert '% Type "show ?" for a list of subcommands' in screen


def test_ambiguous_command(device: FakeDevice) -> None:
    _, screen = terminal(device, "te")  # terminal / ... in privileged mode: only terminal starts with "te"
    assert "Incomplete command" in screen
    _, screen = terminal(device, "d")  # dir, disable, delete
    assert screen.endswith('Device#d\n% Ambiguous command: "d"\nDevice#')


def test_lone_unknown_word_in_exec_is_taken_for_a_host(device: FakeDevice) -> None:
    _, screen = terminal(device, "frobnicate")
    assert 'Translating "frobnicate"\n% Unknown command or computer name' in screen


def test_user_mode_does_not_offer_privileged_commands(device: FakeDevice) -> None:
    _, screen = terminal(device, "show running-config", mode=Mode.USER)
    assert "Device>show running-config\n" + " " * len("Device>show ") + "^\n% Invalid input" in screen


def test_enable_asks_for_the_secret_without_echo(device: FakeDevice) -> None:
    session, screen = terminal(device, "enable", "lab-enable-1", mode=Mode.USER)
    assert session.mode is Mode.PRIVILEGED
    assert "lab-enable-1" not in screen
    assert screen.endswith("Device>enable\nPassword: \nDevice#")


def test_enable_with_wrong_secrets_three_times(device: FakeDevice) -> None:
    session, screen = terminal(device, "enable", "a", "b", "c", mode=Mode.USER)
    assert session.mode is Mode.USER
    assert screen.count("Password: ") == 3
    assert screen.endswith("% Bad secrets\n\nDevice>")


def test_modes_and_exits(device: FakeDevice) -> None:
    session, screen = terminal(device, "conf t", "interface GigabitEthernet1/0/1", "exit", "exit")
    assert "Enter configuration commands, one per line.  End with CNTL/Z." in screen
    assert "Device(config-if)#exit\nDevice(config)#exit\nDevice#" in screen
    assert session.mode is Mode.PRIVILEGED
    session.feed("conf t\r")
    assert session.feed("\x1a") == "^Z\r\nDevice#"
    assert session.feed("disable\r").endswith("Device>")
    session.feed("exit\r")
    assert session.closed


def test_config_prompt_cuts_the_hostname_to_20_characters(device: FakeDevice) -> None:
    device.hostname = "a-very-long-hostname-for-a-switch"
    session, screen = terminal(device, "configure terminal")
    assert screen.endswith("\na-very-long-hostname(config)#")
    assert session.feed("end\r").endswith("\na-very-long-hostname-for-a-switch#")


def test_hostname_changes_the_prompt_and_the_running_config(device: FakeDevice) -> None:
    _, screen = terminal(device, "conf t", "hostname Core1", "end", "show running-config | include ^hostname")
    assert screen.endswith("Core1#show running-config | include ^hostname\nhostname Core1\nCore1#")


@pytest.mark.parametrize(
    ("pipe", "expected"),
    [
        ("| include Tunnel", ["interface Tunnel10"]),
        ("| exclude !", None),
        ("| begin Tunnel", ["interface Tunnel10", " description ipsec", "!", "end"]),
        ("| section Tunnel", ["interface Tunnel10", " description ipsec"]),
        ("| count interface", ["Number of lines which match regexp = 2"]),
    ],
)
def test_output_filters(device: FakeDevice, pipe: str, expected: list[str] | None) -> None:
    device.config.interface("GigabitEthernet1/0/1").append("shutdown")
    device.config.interface("Tunnel10").append("description ipsec")
    session = CliSession(device)
    session.mode = Mode.PRIVILEGED
    output = session.run(f"show running-config {pipe}")
    if expected is None:
        assert "!" not in output and "interface Tunnel10" in output
    else:
        assert output.split("\n") == expected


def test_write_memory_and_copy_run_start(device: FakeDevice) -> None:
    session, screen = terminal(device, "conf t", "hostname Saved", "end", "copy run start", "")
    assert "Saved#copy run start\nDestination filename [startup-config]? \n" in screen
    assert "? \nBuilding configuration...\n[OK]\nSaved#" in screen
    assert device.startup.has("hostname Saved")
    assert session.run("write memory") == "Building configuration...\n[OK]"


def test_reload_asks_to_save_a_modified_configuration(device: FakeDevice) -> None:
    session, screen = terminal(device, "conf t", "hostname Changed", "end", "reload")
    assert screen.endswith("Changed#reload\nSystem configuration has been modified. Save? [yes/no]: ")
    screen = session.feed("yes\r").replace("\r\n", "\n")
    assert screen == "yes\nBuilding configuration...\n[OK]\nProceed with reload? [confirm]"
    assert session.feed("\r") == "\r\n"
    assert session.closed
    assert device.reloads == ["Reload Command"]


def test_reload_cancelled(device: FakeDevice) -> None:
    session, screen = terminal(device, "reload", "n")
    assert screen.endswith("Device#reload\nProceed with reload? [confirm]n\nDevice#")
    assert not session.closed and device.reloads == []


def test_switchover_refused_without_standby(device: FakeDevice) -> None:
    device.has_standby = False
    _, screen = terminal(device, "redundancy force-switchover", "")
    assert screen.endswith("? [confirm]\n% Standby not ready for switchover\nDevice#")
    device.has_standby = True
    terminal(device, "redundancy force-switchover", "")
    assert device.switchovers == 1


def test_bootflash_commands(device: FakeDevice) -> None:
    (device.bootflash / "slac.txt").write_text("<smartLicense/>\n")
    digest = hashlib.md5(b"<smartLicense/>\n").hexdigest()
    session = CliSession(device)
    session.mode = Mode.PRIVILEGED
    listing = session.run("dir bootflash:")
    assert listing.startswith("Directory of bootflash:/\n\n")
    assert "-rw-" in listing and listing.split("\n")[2].split()[2] == "16"
    assert listing.endswith("bytes free)")
    assert session.run("more bootflash:slac.txt") == "<smartLicense/>"
    verified = session.run("verify /md5 bootflash:/slac.txt")
    assert verified.endswith(f"Done!\nverify /md5 (bootflash:/slac.txt) = {digest}")
    missing = session.run("dir bootflash:/nope.txt")
    assert missing == "%Error opening bootflash:/nope.txt (No such file or directory)"
    _, screen = terminal(device, "delete bootflash:slac.txt", "", "")
    assert "Delete filename [slac.txt]? \nDelete bootflash:/slac.txt? [confirm]\nDevice#" in screen
    assert not (device.bootflash / "slac.txt").exists()


def test_copy_from_and_to_a_tftp_server_folder(device: FakeDevice) -> None:
    server = device.bootflash.parent / "tftp" / "user01"
    server.mkdir(parents=True)
    (server / "example.txt").write_text("SLAC\n")
    _, screen = terminal(device, "copy tftp://10.8.0.6/user01/example.txt bootflash:", "")
    assert "Destination filename [example.txt]? \nAccessing tftp://10.8.0.6/user01/example.txt...\n" in screen
    assert "[OK - 5 bytes]" in screen and "5 bytes copied in" in screen
    assert (device.bootflash / "example.txt").read_text() == "SLAC\n"
    _, screen = terminal(device, "copy bootflash:example.txt tftp://10.8.0.6/user01/back.txt", "", "")
    assert "Address or name of remote host [10.8.0.6]? \n" in screen
    assert "Destination filename [user01/back.txt]? \n!!\n" in screen
    assert (server / "back.txt").read_text() == "SLAC\n"
    _, screen = terminal(device, "copy tftp://10.8.0.6/missing.txt bootflash:", "")
    assert "%Error opening tftp://10.8.0.6/missing.txt (No such file or directory)" in screen


def test_terminal_monitor_shows_syslog_after_the_prompt(device: FakeDevice) -> None:
    written: list[str] = []
    session = CliSession(device, write=written.append)
    session.feed("terminal monitor\r")
    device.log("%SYS-5-CONFIG_I", "Configured from console")
    assert written == ["\r\n*Dec 3 18:57:27.123: %SYS-5-CONFIG_I: Configured from console\r\nDevice>"]
    session.feed("terminal no monitor\r")
    device.log("%SYS-5-CONFIG_I", "again")
    assert len(written) == 1
    assert len(device.logging_lines()) == 2


def test_without_terminal_monitor_syslog_stays_in_the_buffer(device: FakeDevice) -> None:
    written: list[str] = []
    session = CliSession(device, write=written.append)
    session.mode = Mode.PRIVILEGED
    device.log("%SMART_LIC-6-AGENT_READY", "Smart Agent for Licensing is initialized")
    assert written == []
    assert session.run("show logging").endswith(
        "Log Buffer (102400 bytes):\n\n"
        "*Dec 3 18:57:27.123: %SMART_LIC-6-AGENT_READY: Smart Agent for Licensing is initialized"
    )


def test_faults_drop_the_session(device: FakeDevice) -> None:
    device.faults.drop_after_commands = 2
    session = CliSession(device)
    session.feed("show clock\r")
    assert not session.closed
    assert session.feed("show clock\r").endswith("Device>")  # the Nth command completes, then the line drops
    assert session.closed
    device.faults.drop_after_commands = None
    device.faults.drop_on_command = r"^show users"
    session = CliSession(device)
    assert session.feed("show users\r") == "show users\r\n"
    assert session.closed


def test_long_output_pauses_at_more_until_terminal_length_0(device: FakeDevice) -> None:
    for number in range(1, 9):
        device.config.set(f"vlan {number}")
    session = CliSession(device, terminal_length=6)
    session.mode = Mode.PRIVILEGED
    first = session.feed("show running-config\r")
    assert first.endswith("\r\n --More-- ") and first.count("\r\n") == 6  # echo line + 5 lines
    one_line = session.feed("\r")
    assert one_line.startswith("\b" * 10 + " " * 10 + "\b" * 10) and one_line.count("\r\n") == 1
    assert session.feed("q").endswith("Device#")
    session.feed("terminal length 0\r")
    assert session.feed("show running-config\r").endswith("end\r\n\r\nDevice#")


def test_a_global_command_in_interface_mode_leaves_the_sub_mode(device: FakeDevice) -> None:
    session, screen = terminal(device, "conf t", "interface tu10", "hostname Edge", "description x")
    caret = " " * len("Edge(config)#") + "^"
    assert f"Device(config-if)#hostname Edge\nEdge(config)#description x\n{caret}" in screen
    assert session.mode is Mode.CONFIG


def test_copy_a_file_into_the_running_and_startup_configuration(device: FakeDevice) -> None:
    (device.bootflash / "restore.cfg").write_text(
        "!\nhostname Restored\n!\ninterface Tunnel10\n description from-file\n bogus line\n!\nend\n"
    )
    _, screen = terminal(device, "copy bootflash:restore.cfg running-config", "")
    assert "Destination filename [running-config]? \nbogus line\n" in screen
    assert "% Invalid input detected at '^' marker." in screen
    assert screen.endswith("bytes/sec)\nRestored#")
    assert device.config.interfaces["Tunnel10"] == ["description from-file"]
    terminal(device, "copy bootflash:restore.cfg startup-config", "")
    assert device.startup.globals == ["hostname Restored"]


def test_copy_from_scp_asks_for_the_password_without_echo(device: FakeDevice) -> None:
    server = device.bootflash.parent / "tftp"
    server.mkdir(parents=True)
    (server / "ack.txt").write_text("ACK\n")
    _, screen = terminal(device, "copy scp://admin@10.8.0.6/ack.txt bootflash:", "", "server-secret")
    assert "server-secret" not in screen
    assert "Destination filename [ack.txt]? \nPassword: \n Sending file modes: C0644 4 ack.txt\n" in screen
    assert (device.bootflash / "ack.txt").read_text() == "ACK\n"


def test_files_written_by_the_switch_carry_the_lab_clock(device: FakeDevice) -> None:
    terminal(device, "copy running-config bootflash:backup.cfg", "")
    assert "Dec  3 2021 18:57:27 +00:00  backup.cfg" in CliSession(device).run("dir", mode=Mode.PRIVILEGED)


def test_question_mark_lists_what_may_come_next(device: FakeDevice) -> None:
    session = CliSession(device)
    session.mode = Mode.PRIVILEGED
    screen = session.feed("terminal length ?").replace("\r\n", "\n")
    assert screen == "terminal length ?\n  <0-512>  Lines\n\nDevice#terminal length "
    screen = session.feed("0\r")
    assert session.terminal_length == 0
    screen = session.feed("sh clo?").replace("\r\n", "\n")
    assert screen == "sh clo?\nclock\n\nDevice#sh clo"
    assert session.feed(" ?").replace("\r\n", "\n").startswith(" ?\n  <cr>\n")


def test_question_mark_after_an_unknown_word(device: FakeDevice) -> None:
    session = CliSession(device)
    assert session.feed("frob?").replace("\r\n", "\n") == "frob?\n% Unrecognized command\n\nDevice>frob"


def test_question_mark_after_an_unknown_word_further_in_the_line(device: FakeDevice) -> None:
    # IOS's help parser: a partial word nothing begins with is unrecognized; a complete word nothing
    # accepts earlier in the line gets the caret under it.
    session = CliSession(device)
    session.mode = Mode.PRIVILEGED
    assert (
        session.feed("show xyz?").replace("\r\n", "\n")
        == "show xyz?\n% Unrecognized command\n\nDevice#show xyz"
    )
    session.feed("\x03")
    screen = session.feed("show xyz clock?").replace("\r\n", "\n")
    assert screen == "show xyz clock?\n" + " " * len("Device#show ") + "^\n" + (
        "% Invalid input detected at '^' marker.\n\nDevice#show xyz clock"
    )


def test_tab_completes_a_unique_keyword(device: FakeDevice) -> None:
    session = CliSession(device)
    assert session.feed("sh\t") == "show "
    assert session.feed("clo\t") == "clock "
    assert session.feed("\r").startswith("\r\n*18:57:27.123")


def test_enable_refusal_with_aaa_new_model(device: FakeDevice) -> None:
    session, _ = terminal(device, "conf t", "aaa new-model", "end", "disable")
    assert session.mode is Mode.USER and device.config.has("aaa new-model")
    _, screen = terminal(device, "enable", "x", "y", "z", mode=Mode.USER)
    assert screen.endswith("% Access denied\n\nDevice>")


def test_write_erase_empties_the_startup_configuration(device: FakeDevice) -> None:
    _, screen = terminal(device, "write erase", "")
    assert screen.endswith("Continue? [confirm]\n[OK]\nErase of nvram: complete\nDevice#")
    assert device.startup.globals == [] and device.config.has("hostname Device")


def test_show_clock_follows_the_configured_time_zone(device: FakeDevice) -> None:
    device.zone = lambda: ("PDT", timedelta(hours=-7))  # type: ignore[attr-defined]
    _, screen = terminal(device, "show clock")
    assert screen.endswith("*11:57:27.123 PDT Fri Dec 3 2021\nDevice#")


def test_flood_fault_puts_one_enormous_line_before_every_show(device: FakeDevice) -> None:
    device.faults.flood_bytes = 5_000
    session, _ = terminal(device)
    flooded = session.feed("sh clock\r").split("\r\n")
    assert flooded[1] == "x" * 5_000
    assert flooded[2].startswith("*")  # the clock itself follows
    assert "x" * 100 not in session.feed("terminal length 0\r")  # only `show` commands flood
    device.faults.flood_bytes = 0
    assert "x" * 100 not in session.feed("show clock\r")
