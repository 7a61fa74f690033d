"""The device layer over real SSH against a scripted IOS shell: prompts, answers, errors, drops, plans."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.task import Result, Task

from nornir_catlic import transport
from nornir_catlic.errors import DeviceCommandError, SessionLostError
from nornir_catlic.transport import session

from .fake_ios import PASSWORD, SECRET, USERNAME, FakeIosServer, FakeSwitch

SHOW_CLOCK = "*10:02:03.456 UTC Fri Dec 3 2021"


@pytest.fixture(scope="module")
def switch() -> FakeSwitch:
    return FakeSwitch(
        replies={
            "show clock": SHOW_CLOCK,
            "show fake-sw1 hostname": "hostname fake-sw1\nfake-sw1 uptime is 1 week",
            "show stray": "stray prompt next",
        },
        config_replies={
            "license boot level network-advantage addon dna-advantage": (
                "% use 'write' command to make license boot config take effect on next boot"
            ),
            "hostname fake-sw1": "",
        },
        drop_on={"show drop"},
        drop_after={"show then drop"},
        silent_on={"show nothing"},
        stray_prompt_after={"show stray"},
    )


@pytest.fixture(scope="module")
def server(switch: FakeSwitch) -> Iterator[FakeIosServer]:
    running = FakeIosServer(switch).start()
    yield running
    running.stop()


def make_nornir(tmp_path: Path, port: int, *, secret: str | None = None) -> Nornir:
    hosts = {
        "sw1": {
            "hostname": "127.0.0.1",
            "port": port,
            "username": USERNAME,
            "password": PASSWORD,
            "connection_options": transport.netmiko_connection_options(secret=secret),
        }
    }
    hosts_file = tmp_path / "hosts.yaml"
    hosts_file.write_text(yaml.safe_dump(hosts))
    return InitNornir(
        runner={"plugin": "serial"},
        inventory={"plugin": "SimpleInventory", "options": {"host_file": str(hosts_file)}},
        logging={"enabled": False},
    )


@pytest.fixture
def nr(tmp_path: Path, server: FakeIosServer) -> Iterator[Nornir]:
    nornir = make_nornir(tmp_path, server.port)
    yield nornir
    nornir.close_connections()


def run_on_switch(nr: Nornir, step: object) -> Result:
    aggregated = nr.run(task=step, on_failed=True)
    return aggregated["sw1"][0]


def test_send_returns_the_reply_without_echo_or_prompt(nr: Nornir) -> None:
    result = run_on_switch(nr, lambda task: transport.send(task, "show clock"))
    assert not result.failed, result.result
    assert result.result == SHOW_CLOCK


def test_hostname_in_the_output_is_not_mistaken_for_the_prompt(nr: Nornir) -> None:
    result = run_on_switch(nr, lambda task: transport.send(task, "show fake-sw1 hostname"))
    assert result.result == "hostname fake-sw1\nfake-sw1 uptime is 1 week"


def test_a_stray_prompt_before_the_echo_does_not_end_the_reply(nr: Nornir) -> None:
    def two_commands(task: Task) -> list[str]:
        return [transport.send(task, "show stray"), transport.send(task, "show clock")]

    result = run_on_switch(nr, two_commands)
    assert result.result == ["stray prompt next", SHOW_CLOCK]


def test_invalid_input_is_a_device_command_error_with_the_devices_words(nr: Nornir) -> None:
    result = run_on_switch(nr, lambda task: transport.send(task, "show license bogus"))
    assert result.failed
    error = result.exception
    assert isinstance(error, DeviceCommandError)
    assert error.host == "sw1"
    assert error.command == "show license bogus"
    assert "% Invalid input detected at '^' marker." in error.reply
    assert error.reply.splitlines()[0].strip() == "^"


def test_one_session_serves_every_command_of_a_host(nr: Nornir, switch: FakeSwitch) -> None:
    def three_commands(task: Task) -> list[str]:
        first = transport.connection(task)
        replies = [transport.send(task, "show clock") for _ in range(3)]
        assert transport.connection(task) is first
        return replies

    result = run_on_switch(nr, three_commands)
    assert result.result == [SHOW_CLOCK] * 3


def test_copy_run_start_answers_the_destination_question(nr: Nornir, switch: FakeSwitch) -> None:
    saved_before = switch.saved
    result = run_on_switch(nr, transport.save_config)
    assert not result.failed, result.result
    assert "[OK]" in result.result
    assert switch.saved == saved_before + 1


def test_configure_keeps_advisories_and_stops_at_the_first_refused_line(
    nr: Nornir, switch: FakeSwitch
) -> None:
    good = "license boot level network-advantage addon dna-advantage"
    ok = run_on_switch(nr, lambda task: transport.configure(task, [good]))
    assert not ok.failed, ok.result
    assert "% use 'write' command" in ok.result

    switch.history.clear()
    bad = run_on_switch(nr, lambda task: transport.configure(task, ["no such line", "hostname fake-sw1"]))
    assert isinstance(bad.exception, DeviceCommandError)
    assert bad.exception.command == "no such line"
    assert "hostname fake-sw1" not in switch.history  # nothing typed after the refused line
    assert switch.history[-1] == "end"  # and configuration mode was left
    again = run_on_switch(nr, lambda task: transport.send(task, "show clock"))
    assert again.result == SHOW_CLOCK


@pytest.mark.parametrize(
    ("before", "lost_on"),
    [((), "show drop"), (("show then drop",), "show clock")],
    ids=["during a command", "between commands"],
)
def test_a_dropped_session_fails_fast_as_lost_and_the_next_command_reconnects(
    nr: Nornir, before: tuple[str, ...], lost_on: str
) -> None:
    def drop_then_retry(task: Task) -> str:
        for command in before:
            transport.send(task, command)
        started = time.monotonic()
        with pytest.raises(SessionLostError) as lost:  # never netmiko's or paramiko's own exception
            transport.send(task, lost_on, read_timeout=20)
        assert time.monotonic() - started < 5
        assert lost.value.command == lost_on
        assert transport.CONNECTION_NAME not in task.host.connections
        return transport.send(task, "show clock")

    result = run_on_switch(nr, drop_then_retry)
    assert not result.failed, result.result
    assert result.result == SHOW_CLOCK


def test_a_silent_device_on_a_live_session_times_out_and_is_not_taken_for_a_drop(nr: Nornir) -> None:
    def silent(task: Task) -> str:
        started = time.monotonic()
        with pytest.raises(DeviceCommandError) as raised:
            transport.send(task, "show nothing", read_timeout=1.5)  # long enough for liveness probes
        assert not isinstance(raised.value, SessionLostError)
        assert "no prompt within 1.5s" in raised.value.reply
        assert time.monotonic() - started >= 1.5
        assert transport.CONNECTION_NAME not in task.host.connections  # mid-reply: the session is dropped
        return transport.send(task, "show clock")

    result = run_on_switch(nr, silent)
    assert not result.failed, result.result
    assert result.result == SHOW_CLOCK


def test_reload_is_confirmed_and_the_device_waited_for(nr: Nornir, switch: FakeSwitch) -> None:
    def reload(task: Task) -> str:
        transport.reload_and_wait(task, timeout=20, poll_interval=0.1)
        return transport.send(task, "show clock")

    result = run_on_switch(nr, reload)
    assert not result.failed, result.result
    assert result.result == SHOW_CLOCK
    assert "reload" in switch.history


def test_enable_uses_the_inventory_secret(tmp_path: Path, server: FakeIosServer, switch: FakeSwitch) -> None:
    switch.start_privileged = False
    try:
        nornir = make_nornir(tmp_path, server.port, secret=SECRET)
        result = run_on_switch(
            nornir, lambda task: transport.send(task, "copy running-config startup-config")
        )
        nornir.close_connections()
        # plain send gives no answers: the question is named, not confirmed by accident
        assert isinstance(result.exception, DeviceCommandError)
        assert "Destination filename [startup-config]?" in result.exception.reply
        nornir = make_nornir(tmp_path, server.port, secret=SECRET)
        saved = run_on_switch(nornir, transport.save_config)
        nornir.close_connections()
        assert not saved.failed, saved.result
    finally:
        switch.start_privileged = True


def test_user_exec_without_a_secret_is_refused_plainly(
    tmp_path: Path, server: FakeIosServer, switch: FakeSwitch
) -> None:
    switch.start_privileged = False
    try:
        nornir = make_nornir(tmp_path, server.port)
        result = run_on_switch(nornir, lambda task: transport.send(task, "show clock"))
        nornir.close_connections()
    finally:
        switch.start_privileged = True
    assert isinstance(result.exception, DeviceCommandError)
    assert "enable secret" in result.exception.reply


@pytest.mark.parametrize("auto_connect", [False, True], ids=["set up by the transport", "set up by netmiko"])
def test_a_session_is_set_up_with_the_same_lines_by_netmiko_or_by_the_transport(
    tmp_path: Path, server: FakeIosServer, switch: FakeSwitch, auto_connect: bool
) -> None:
    nornir = make_nornir(tmp_path, server.port)
    nornir.inventory.hosts["sw1"].connection_options["netmiko"].extras["auto_connect"] = auto_connect
    switch.history.clear()
    result = run_on_switch(nornir, lambda task: transport.send(task, "show clock"))
    nornir.close_connections()
    assert result.result == SHOW_CLOCK
    typed = [line for line in switch.history if line != "exit"]  # exit may land after close returns
    assert typed == ["terminal width 511", "terminal length 0", "show clock"]


def test_sub_steps_show_in_the_result_tree_at_debug(nr: Nornir) -> None:
    import logging

    aggregated = nr.run(task=lambda task: transport.run_exec(task, "copy running-config startup-config"))
    multi = aggregated["sw1"]
    assert [r.name for r in multi][1] == "copy running-config startup-config"
    assert multi[1].severity_level == logging.DEBUG
    assert multi[1].changed


@pytest.mark.parametrize(
    "reply",
    [
        "              ^\n% Invalid input detected at '^' marker.",
        "% Incomplete command.",
        '% Ambiguous command:  "show lic"',
        "%Error opening bootflash:slac.txt (No such file or directory)",
        "% Error: the request failed",
    ],
)
def test_ios_error_replies_are_found(reply: str) -> None:
    assert transport.find_error_reply("some output\n" + reply) == reply


@pytest.mark.parametrize(
    "reply",
    [
        "% use 'write' command to make license boot config take effect on next boot",
        '%Warning: reload required after "license smart factory reset" command',
        "*Dec 3 18:58:39.026: %SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS: A new licensing authorization code",
        "%SMART_LIC-3-AUTHORIZATION_INSTALL_FAILED: The install of a new licensing authorization code failed",
        "Import Data Successful",
    ],
)
def test_advisories_and_syslog_are_not_errors(reply: str) -> None:
    assert transport.find_error_reply(reply) is None


def test_a_plan_renders_the_exact_lines_it_runs() -> None:
    plan = (
        transport.Plan()
        .configure(["license boot level network-advantage addon dna-advantage"], reason="DNA Advantage")
        .save()
        .reload()
    )
    assert plan.commands() == [
        "configure terminal",
        "license boot level network-advantage addon dna-advantage",
        "end",
        "copy running-config startup-config",
        "reload",
    ]
    assert plan.render().splitlines()[0] == "! DNA Advantage"
    assert not transport.Plan()


def test_recommended_extras_prefer_fast_key_exchange() -> None:
    options = transport.netmiko_connection_options(secret="s3")
    extras = options["netmiko"]["extras"]
    assert options["netmiko"]["platform"] == "cisco_xe"
    assert extras["fast_cli"] is True
    assert "curve25519-sha256@libssh.org" not in extras["disabled_algorithms"]["kex"]
    assert "diffie-hellman-group-exchange-sha256" in extras["disabled_algorithms"]["kex"]
    assert extras["secret"] == "s3"


def test_closing_session_closes_when_the_task_ends(nr: Nornir) -> None:
    def read(task: Task) -> Result:
        return Result(host=task.host, result=transport.send(task, "show clock"))

    result = run_on_switch(nr, transport.closing_session(read))
    assert result.result == SHOW_CLOCK
    assert transport.CONNECTION_NAME not in nr.inventory.hosts["sw1"].connections


def typed_by_the_close(
    nr: Nornir, switch: FakeSwitch, work: Callable[[Task], object]
) -> tuple[list[str], int]:
    """Run ``work`` under ``closing_session``; the commands and empty lines the switch received after it."""

    def work_then_forget_what_was_typed(task: Task) -> Result:
        work(task)
        switch.history.clear()
        switch.empty_lines = 0
        return Result(host=task.host, result="done")

    result = run_on_switch(nr, transport.closing_session(work_then_forget_what_was_typed))
    assert result.result == "done"
    assert transport.CONNECTION_NAME not in nr.inventory.hosts["sw1"].connections
    return list(switch.history), switch.empty_lines


def test_closing_session_types_nothing_more_when_no_configuration_mode_is_open(
    nr: Nornir, switch: FakeSwitch
) -> None:
    def read_then_configure(task: Task) -> None:
        transport.send(task, "show clock")
        transport.configure(task, ["license boot level network-advantage addon dna-advantage"])

    # netmiko's disconnect would have asked whether configuration mode is open (an Enter) and typed exit
    assert typed_by_the_close(nr, switch, read_then_configure) == ([], 0)


def test_closing_session_leaves_an_open_configuration_mode_through_netmiko(
    nr: Nornir, switch: FakeSwitch
) -> None:
    def configure_without_end(task: Task) -> None:
        session.entering_configuration(transport.connection(task))  # as configure() does first

    _, empty_lines = typed_by_the_close(nr, switch, configure_without_end)
    assert empty_lines >= 1  # netmiko's disconnect looked at the prompt before leaving


def test_no_listener_is_a_session_lost_error_naming_the_cause(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    nornir = make_nornir(tmp_path, port)
    result = run_on_switch(nornir, lambda task: transport.send(task, "show clock"))
    assert isinstance(result.exception, SessionLostError)
    assert result.exception.command == "connect"
    assert "TCP connection to device failed" in result.exception.reply


def test_a_secret_on_a_privileged_login_costs_no_password(
    tmp_path: Path, server: FakeIosServer, switch: FakeSwitch
) -> None:
    switch.history.clear()
    nornir = make_nornir(tmp_path, server.port, secret=SECRET)
    result = run_on_switch(nornir, lambda task: transport.send(task, "show clock"))
    nornir.close_connections()
    assert result.result == SHOW_CLOCK
    typed = [line for line in switch.history if not line.startswith(("terminal", "exit"))]
    assert typed == ["enable", "show clock"]  # no look at the prompt first, no Password: question


@pytest.mark.parametrize(
    ("privileged_login", "typed_enable"), [(True, []), (False, ["enable"])], ids=["privileged", "user EXEC"]
)
def test_the_transports_set_up_learns_the_prompt_and_enables_only_from_user_exec(
    tmp_path: Path, server: FakeIosServer, switch: FakeSwitch, privileged_login: bool, typed_enable: list[str]
) -> None:
    switch.start_privileged = privileged_login
    switch.history.clear()
    switch.empty_lines = 0
    try:
        nornir = make_nornir(tmp_path, server.port, secret=SECRET)
        nornir.inventory.hosts["sw1"].connection_options["netmiko"].extras["auto_connect"] = False

        def read(task: Task) -> tuple[str, str, int]:
            reply = transport.send(task, "show clock")
            return reply, transport.connection(task).base_prompt, switch.empty_lines

        result = run_on_switch(nornir, read)
        nornir.close_connections()
    finally:
        switch.start_privileged = True
    # the base prompt as netmiko's would be, and no Enter typed to look at the prompt
    assert result.result == (SHOW_CLOCK, switch.hostname, 0)
    typed = [line for line in switch.history if line != "exit"]
    assert typed == ["terminal width 511", "terminal length 0", *typed_enable, "show clock"]
