"""What ``catlic exporter`` accepts, and the usage errors it gives before any device or inventory is read."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from nornir_catlic.cli.app import run
from nornir_catlic.cli.errors import ExitCode
from nornir_catlic.cli.exporter_options import describe_duration, parse_duration
from nornir_catlic.metrics import ListenAddress


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("15m", 900), ("1h", 3600), ("1h30m", 5400), ("2d", 172800), (" 1H ", 3600)],
)
def test_durations_read_as_seconds(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds
    assert parse_duration(describe_duration(seconds)) == seconds


@pytest.mark.parametrize("text", ["15", "15x", "m", "0m", "-5m", "1.5h", "", "1h 30m"])
def test_a_duration_without_a_unit_or_of_zero_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "host", "port", "loopback"),
    [
        ("127.0.0.1:9731", "127.0.0.1", 9731, True),
        ("[::1]:0", "::1", 0, True),
        ("localhost:80", "localhost", 80, True),
        ("0.0.0.0:9731", "0.0.0.0", 9731, False),
    ],
)
def test_listen_addresses(text: str, host: str, port: int, loopback: bool) -> None:
    address = ListenAddress.parse(text)
    assert (address.host, address.port, address.loopback) == (host, port, loopback)
    assert ListenAddress.parse(str(address)) == address


@pytest.mark.parametrize(
    "text", ["127.0.0.1", ":9731", "::1:9731", "127.0.0.1:99999", "127.0.0.1:http", "[zz]:1"]
)
def test_a_listen_address_that_is_not_addr_port_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        ListenAddress.parse(text)


@pytest.mark.parametrize(
    ("option", "value"),
    [("--interval", "15x"), ("--interval", "0s"), ("--listen", "9731"), ("--listen", "[::1]:x")],
)
def test_a_bad_value_is_a_usage_error_naming_the_option_before_the_inventory_is_read(
    option: str, value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-inventory"

    code = run(["exporter", option, value, "-i", str(missing)])

    errors = capsys.readouterr().err
    assert code == ExitCode.CANNOT_RUN
    assert f"Invalid value for '{option}'" in errors and value.strip() in errors
    assert "no-such-inventory" not in errors  # refused before the inventory was looked at


def test_an_address_in_use_is_refused_before_any_refresh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "hosts.yaml").write_text("sw1: {hostname: 127.0.0.1, port: 1, platform: cisco_xe}\n")
    (tmp_path / "groups.yaml").write_text("{}\n")
    (tmp_path / "defaults.yaml").write_text("username: admin\npassword: not-used\n")
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]

        code = run(["exporter", "-i", str(tmp_path), "--listen", f"127.0.0.1:{port}"])

    errors = capsys.readouterr().err
    assert code == ExitCode.CANNOT_RUN
    assert f"--listen 127.0.0.1:{port}: cannot listen there" in errors
    assert "refreshed" not in errors and "not-used" not in errors
