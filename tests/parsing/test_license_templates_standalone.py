"""The templates serve netmiko users directly, with no help from nornir_catlic.parse."""

from __future__ import annotations

import pytest
from netmiko.utilities import get_structured_data_textfsm
from parsing_cases import FACTS_DIR, GUIDE_DIR, netmiko_records

from textfsm_templates import TEMPLATES_DIR
from textfsm_templates.build_status import build as build_status
from textfsm_templates.compose import COMPOSITE, TECH_SUPPORT, TECH_SUPPORT_HEADER, compose


def device_output(command_folder: str, name: str) -> str:
    """A guide capture as netmiko hands it over: the echoed command line already stripped."""
    lines = (GUIDE_DIR / command_folder / f"{name}.raw").read_text().splitlines()
    if lines and lines[0].startswith("Device#"):
        lines = lines[1:]
    return "\n".join(lines) + "\n"


def test_summary_rows_with_netmiko() -> None:
    records = netmiko_records(
        "cisco_xe_show_license_summary.textfsm",
        device_output("show_license_summary", "dual_sup_c9600_hsec_not_in_use"),
    )
    assert [
        (r["license"], r["entitlement_tag"], r["count"], r["status"]) for r in records if r["entitlement_tag"]
    ] == [
        ("network-advantage", "C9600-NW-A", "2", "IN USE"),
        ("dna-advantage", "C9600-DNA-A", "1", "IN USE"),
        ("C9K HSEC", "Cat9K HSEC", "0", "NOT IN USE"),
    ]
    assert all(r["smart_account"] == "Eg-SA" for r in records)
    assert all(r["unparsed"] == [] for r in records)


def test_authorization_members_and_wrapped_return_code_with_netmiko() -> None:
    records = netmiko_records(
        "cisco_xe_show_license_authorization.textfsm",
        device_output("show_license_authorization", "returned_wrapped_return_code"),
    )
    members = [r for r in records if r["sn"]]
    assert [(r["role"], r["sn"], r["status"]) for r in members] == [
        ("Active", "FOC2519L8R7", "NOT INSTALLED"),
        ("Standby", "FOC2524L39P", "NOT INSTALLED"),
        ("Member", "FOC2516LC92", "NOT INSTALLED"),
    ]
    assert (members[0]["return_code"], members[0]["return_code_tail"]) == (
        "Cr9JHx-L1x5Rj-ftwzgL-h9QZAU-LE5DT1-",
        "babWeL-FABPt9-Wr1Dn7-Rp7",
    )


def test_show_license_all_composite_with_netmiko() -> None:
    records = netmiko_records(
        "cisco_xe_show_license_all.textfsm", device_output("show_license_all", "stack_three_members_full")
    )
    assert [r for r in records if r["unparsed"]] == []
    assert {r["agent_version"] for r in records} == {"", "5.3.15_rel/49"}
    assert [r["udi_sn"] for r in records if r["udi_sn"]] == ["FOC2519L8R7", "FOC2524L39P", "FOC2516LC92"]
    assert [r["auth_confirmation_code"] for r in records if r["auth_confirmation_code"]] == [
        "fa4c0d80",
        "450243e2",
        "59e155ae",
    ]
    assert [r["status_trust_sn"] for r in records if r["status_trust_sn"]] == [
        "FOC2519L8R7",
        "FOC2524L39P",
        "FOC2516LC92",
    ]


@pytest.mark.parametrize(
    ("command", "folder", "name"),
    [
        ("show license summary", "show_license_summary", "svl_c9400_hsec_in_use"),
        ("sh lic udi", "show_license_udi", "svl_c9407r"),
    ],
)
def test_our_index_works_as_netmikos_template_dir(
    monkeypatch: pytest.MonkeyPatch, command: str, folder: str, name: str
) -> None:
    monkeypatch.setenv("NET_TEXTFSM", str(TEMPLATES_DIR))
    records = get_structured_data_textfsm(device_output(folder, name), platform="cisco_xe", command=command)
    assert isinstance(records, list) and records


def test_composite_template_is_up_to_date_with_its_pieces() -> None:
    assert (TEMPLATES_DIR / COMPOSITE).read_text() == compose(), "run: python -m textfsm_templates.compose"


def test_status_template_is_up_to_date_with_its_builder() -> None:
    assert (TEMPLATES_DIR / "cisco_xe_show_license_status.textfsm").read_text() == build_status(), (
        "run: python -m textfsm_templates.build_status"
    )


def test_tech_support_template_is_up_to_date_with_the_composite() -> None:
    assert (TEMPLATES_DIR / TECH_SUPPORT).read_text() == compose(TECH_SUPPORT_HEADER), (
        "run: python -m textfsm_templates.compose"
    )


def test_tech_support_and_reservation_templates_with_netmiko() -> None:
    tech_support = (
        FACTS_DIR / "show_license_tech_support" / "guide_stack_sections_and_unread_sections.raw"
    ).read_text()
    records = netmiko_records("cisco_xe_show_license_tech_support.textfsm", tech_support)
    assert {r["agent_version"] for r in records} == {"", "5.3.15_rel/49"}
    assert [r["udi_sn"] for r in records if r["udi_sn"]] == ["FOC2519L8R7", "FOC2524L39P", "FOC2516LC92"]
    # netmiko has no section splitter: the sections tech support adds come out as unparsed lines
    assert [line for r in records for line in r["unparsed"]] == [
        "Example Section Not In Show License All",
        "Some value: 1",
        "Indented detail line",
        "Another Example Section",
        "last line of the output",
    ]
    reservation = netmiko_records(
        "cisco_xe_show_license_reservation.textfsm", "License reservation: DISABLED\n"
    )
    assert reservation == [{"reservation": "DISABLED", "unparsed": []}]
