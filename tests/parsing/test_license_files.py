"""The Smart Licensing files crossing an air gap, read by ``parse_license_file``: the lab's shapes (built by
the lab's own writer), Cisco's shapes (as the cssm-api notes describe the switch's request file), and what
is no such file at all."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from nornir_catlic.errors import ParseError
from nornir_catlic.models.common import Udi
from nornir_catlic.models.license_files import LicenseFileKind
from nornir_catlic.parsers.license_files import MAX_FILE_SIZE, parse_license_file
from virtual_devices import licfiles

ISSUED = "2026-12-04T20:00:00+00:00"
STACK = ["PID:C9300X-24HX,SN:FOC2519L8R7", "PID:C9300X-48HXN,SN:FOC2524L39P"]


def lab_slac(udi: str = STACK[0], code: str = "key-material", issued: str = ISSUED) -> str:
    return licfiles.slac_file(licfiles.Slac(udi, code, "regid.hsec", 1, "Eg-SA", "Eg-VA", issued))


def test_a_lab_slac_names_its_udi_its_issue_time_and_the_code_s_fingerprint() -> None:
    parsed = parse_license_file(lab_slac())
    assert parsed.kind is LicenseFileKind.SLAC and parsed.element == "smartLicenseAuthorization"
    assert parsed.udis == (Udi(pid="C9300X-24HX", serial="FOC2519L8R7"),)
    assert parsed.issued_at == dt.datetime(2026, 12, 4, 20, 0, tzinfo=dt.timezone.utc)
    assert parsed.fingerprint == parse_license_file(lab_slac()).fingerprint
    assert parsed.fingerprint != parse_license_file(lab_slac(code="other-key")).fingerprint


def test_a_return_ack_says_which_udis_it_acknowledges() -> None:
    ack = licfiles.ack_file({"type": "return", "udis": STACK, "timestamp": ISSUED})
    parsed = parse_license_file(ack)
    assert parsed.kind is LicenseFileKind.ACK and parsed.ack_type == "return"
    assert [str(udi) for udi in parsed.udis] == STACK
    assert parsed.issued_at is not None and parsed.issued_at.year == 2026


def test_a_usage_ack_is_an_ack_of_usage() -> None:
    ack = licfiles.ack_file({"type": "usage", "udi": STACK[0], "report_ids": [1], "timestamp": ISSUED})
    parsed = parse_license_file(ack)
    assert (parsed.kind, parsed.ack_type, parsed.udis) == (
        LicenseFileKind.ACK,
        "usage",
        (Udi(pid="C9300X-24HX", serial="FOC2519L8R7"),),
    )


def test_a_lab_request_names_the_requested_udis_not_the_stack_s_units() -> None:
    system = {
        "timestamp": 1_796_414_400,
        "nonce": "4e6f6e6365",
        "udi": {"pid": "C9300X-24HX", "sn": "FOC2519L8R7"},
        "devices": [{"udi": udi, "role": "member"} for udi in STACK],
    }
    request = licfiles.request_file(system, [{"udi": STACK[1], "mode": "add", "keys": []}])
    parsed = parse_license_file(request)
    assert parsed.kind is LicenseFileKind.SLAC_REQUEST
    assert [str(udi) for udi in parsed.udis] == [STACK[1]]
    assert parsed.nonce == "4e6f6e6365"
    assert parsed.issued_at == dt.datetime.fromtimestamp(1_796_414_400, dt.timezone.utc)


def test_cisco_s_request_shape_system_info_beside_the_request_with_json_data() -> None:
    """notes/cssm-api.md: ``smartLicenseSystemInfo/data`` and ``smartLicenseAuthRequest/data`` (JSON)."""
    info = {
        "sudi": {"udi_pid": "C9300X-24HX", "udi_serial_number": "FOC2519L8R7"},
        "timestamp": 1796414400123,
    }
    requests = [{"sudi": {"udi_pid": "C9300X-48HXN", "udi_serial_number": "FOC2524L39P"}, "keys": []}]
    text = (
        "<smartLicense><smartLicenseSystemInfo><data>"
        + json.dumps({**info, "nonce": "99"})
        + "</data></smartLicenseSystemInfo><smartLicenseAuthRequest><data>"
        + json.dumps(requests)
        + "</data></smartLicenseAuthRequest></smartLicense>"
    )
    parsed = parse_license_file(text)
    assert parsed.kind is LicenseFileKind.SLAC_REQUEST and parsed.nonce == "99"
    assert [str(udi) for udi in parsed.udis] == [STACK[1]]
    assert parsed.issued_at is not None and parsed.issued_at.microsecond == 123000  # milliseconds


def test_an_authorization_code_of_escaped_xml_is_read_too() -> None:
    inner = "<authorizationCode><timestamp>1796414400</timestamp><piid>x</piid></authorizationCode>"
    escaped = inner.replace("<", "&lt;").replace(">", "&gt;")
    text = (
        f"<smartLicense><smartLicenseAuthorization><udi>P:C9300X-24HX,S:FOC2519L8R7</udi>"
        f"<authorizationCode>{escaped}</authorizationCode><signature>x</signature>"
        "</smartLicenseAuthorization></smartLicense>"
    )
    parsed = parse_license_file(text)
    assert parsed.kind is LicenseFileKind.SLAC
    assert parsed.udis == (Udi(pid="C9300X-24HX", serial="FOC2519L8R7"),)
    assert parsed.issued_at == dt.datetime.fromtimestamp(1_796_414_400, dt.timezone.utc)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Files from Cisco SSM go here.\n", "not XML"),
        ("", "not XML"),
        ("<html><body>login</body></html>", "its root is <html>"),
        ("<smartLicense><somethingElse/></smartLicense>", "no known kind"),
        ("<smartLicense/>", "an empty <smartLicense> file"),
        ("<smartLicense>" + "x" * MAX_FILE_SIZE + "</smartLicense>", "not a Smart Licensing file"),
    ],
)
def test_what_is_no_smart_licensing_file_is_a_parse_error_naming_the_file(text: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason) as failure:
        parse_license_file(text, source="README.txt")
    assert failure.value.command == "README.txt"
