"""The lab and the license parsers are written independently (the lab never imports the library):
every device of the default topology, rendered in each output generation, must answer every license
command in a shape we read strictly, with the generation recognised. Driven in-process, without SSH."""

from __future__ import annotations

import pytest
from parsing_cases import LAB_TOPOLOGY, LICENSE_COMMANDS

from nornir_catlic import parse
from nornir_catlic.models.license import (
    LicenseAll,
    LicenseAuthorization,
    LicenseStatus,
    LicenseSummary,
    LicenseUdi,
    LicensingGeneration,
)
from virtual_devices.cli import CliSession
from virtual_devices.commands.base import Mode
from virtual_devices.lab import Lab

GENERATIONS = {
    "sl16": LicensingGeneration.SMART_LICENSING,
    "agent5": LicensingGeneration.SMART_LICENSING_USING_POLICY,
    "agent6": LicensingGeneration.SMART_LICENSING_USING_POLICY,
}


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Lab:
    return Lab.from_topology(LAB_TOPOLOGY, state_dir=tmp_path_factory.mktemp("lab"))


@pytest.mark.parametrize("generation", sorted(GENERATIONS))
def test_every_device_answers_every_license_command_in_a_shape_we_read(lab: Lab, generation: str) -> None:
    assert lab.devices
    for name, device in lab.devices.items():
        original = device.generation
        device.generation = generation
        try:
            session = CliSession(device)
            for command in LICENSE_COMMANDS:
                result = parse(command, session.run(command, mode=Mode.PRIVILEGED), strict=True)
                assert result.unparsed_lines == [], (name, command)
                if isinstance(result, (LicenseStatus, LicenseAll, LicenseSummary)):
                    assert result.generation is GENERATIONS[generation], (name, command)
        finally:
            device.generation = original


def test_dual_supervisor_reads_as_one_chassis_with_two_roles(lab: Lab) -> None:
    session = CliSession(lab.devices["c9606r-dual-sup"])
    udi = parse("show license udi", session.run("show license udi", mode=Mode.PRIVILEGED), expect=LicenseUdi)
    assert [m.roles for m in udi.members.values()] == [["active", "standby"]]
    authorization = parse(
        "show license authorization",
        session.run("show license authorization", mode=Mode.PRIVILEGED),
        expect=LicenseAuthorization,
    )
    assert list(authorization.members) == list(udi.members)


def test_stack_summary_lists_every_pid_once_per_tag(lab: Lab) -> None:
    session = CliSession(lab.devices["c9300x-stack"])
    summary = parse(
        "show license summary",
        session.run("show license summary", mode=Mode.PRIVILEGED),
        expect=LicenseSummary,
    )
    keys = [(row.license, row.entitlement_tag) for row in summary.licenses]
    assert len(keys) == len(set(keys))
    assert summary.find(license="C9K HSEC") or summary.find(license="hseck9")
