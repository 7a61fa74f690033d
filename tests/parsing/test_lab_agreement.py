"""The bundled lab and the parsers are written independently (the lab never imports the library): every
platform command and the logging buffer of every device in the default topology must parse with no
unparsed line. Devices are driven through the lab's CLI engine in-process, without SSH."""

from __future__ import annotations

import pytest
from parsing_cases import LAB_TOPOLOGY

from nornir_catlic import parse
from nornir_catlic.models.platform import ShowSwitchDetail, ShowVersion
from nornir_catlic.syslog import SyslogLog
from virtual_devices.cli import CliSession
from virtual_devices.commands.base import Mode
from virtual_devices.lab import Lab

COMMANDS = ("show version", "show switch", "show switch detail", "show switch stack-ports", "show logging")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    return Lab.from_topology(LAB_TOPOLOGY, state_dir=tmp_path_factory.mktemp("lab"))


def test_every_device_answers_every_platform_command_in_a_shape_we_read(lab: Lab) -> None:
    assert lab.devices
    for name, device in lab.devices.items():
        session = CliSession(device)
        for command in COMMANDS:
            output = session.run(command, mode=Mode.PRIVILEGED)
            result = parse(command, output, strict=True)
            assert result.unparsed_lines == [], (name, command)


def test_the_stack_reads_as_the_guide_describes_it(lab: Lab) -> None:
    session = CliSession(lab.devices["c9300x-stack"])
    version = parse("show version", session.run("show version", mode=Mode.PRIVILEGED))
    assert isinstance(version, ShowVersion)
    assert version.serials == ["FOC2519L8R7", "FOC2524L39P"]
    assert version.packages_current == ["network-advantage", "dna-advantage"]
    detail = parse("show switch detail", session.run("show switch detail", mode=Mode.PRIVILEGED))
    assert isinstance(detail, ShowSwitchDetail)
    assert [(m.switch, m.role.value, m.state.value if m.state else None) for m in detail.members] == [
        (1, "active", "Ready"),
        (2, "standby", "Ready"),
        (3, "member", "Removed"),
    ]
    log = parse("show logging", session.run("show logging", mode=Mode.PRIVILEGED))
    assert isinstance(log, SyslogLog)
    assert log.of("SMART_LIC", "AGENT_ENABLED")
