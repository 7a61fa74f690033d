"""Cisco's own request and usage file shapes (the note's S4) read into API items, payloads byte for byte."""

from __future__ import annotations

import json

import pytest

from nornir_catlic.errors import ParseError
from nornir_catlic.models.common import Udi
from nornir_catlic.parsers.cssm_files import read_return_codes, read_slac_request, read_usage

SUDI = {"udi_pid": "C9300X-24HX", "udi_serial_number": "FOC2519L8R7"}
INFO = json.dumps(
    {"sudi": SUDI, "hostname": "edge-1", "software_tag_identifier": "regid.2017-03.com.cisco.C9300"}
)
HSEC = "regid.2021-05.com.cisco.C9K_HSEC,1.0_90fdf411-3823-45bd-bd8c-5a5d0e0e1ea2"


def test_ciscos_slac_request_file() -> None:
    request = json.dumps(
        [{"sudi": SUDI, "keys": [{"entitlement": HSEC, "count": 1}], "confirm_code": "6746c5b5"}]
    )
    text = (
        f"<smartLicense><smartLicenseSystemInfo><data>{INFO}</data></smartLicenseSystemInfo>"
        f"<smartLicenseAuthRequest><data>{request}</data></smartLicenseAuthRequest></smartLicense>"
    )
    read = read_slac_request(text)
    assert read.hostname == "edge-1"
    (item,) = read.items
    assert item.udi == Udi(pid="C9300X-24HX", serial="FOC2519L8R7")
    assert [(k.entitlement, k.count) for k in item.keys] == [(HSEC, 1)]
    assert item.confirm_code == "6746c5b5" and item.remove_code == ""


def test_ciscos_usage_file_keeps_each_signed_payload_exactly() -> None:
    payloads = [
        '{"version":"2.0","asset_identification":{"report_id":1671840750}}',
        '{"version":"2.0", "x": 1}',
    ]
    reports = "".join(
        "<RUMReport><![CDATA["
        + json.dumps({"payload": p, "header": {"type": "rum"}, "signature": {"value": f"sig{n}"}})
        + "]]></RUMReport>"
        for n, p in enumerate(payloads)
    )
    info = f"<smartLicenseSystemInfo><data>{INFO}</data></smartLicenseSystemInfo>"
    text = f"<smartLicense>{info}{reports}</smartLicense>"
    usage = read_usage(text)
    assert usage.udi == Udi(pid="C9300X-24HX", serial="FOC2519L8R7")
    assert usage.payloads == tuple(payloads)
    assert [s["value"] for s in usage.signatures] == ["sig0", "sig1"]
    assert usage.software_tag == "regid.2017-03.com.cisco.C9300" and usage.hostname == "edge-1"


def test_return_codes_with_their_udis_and_bare() -> None:
    code = "Cr9JHx-L1x5Rj-ftwzgl-h9QZAU-LE5DT1-babWeL-FABPt9-Wr1Dn7-Rp7"
    printed = (
        "Enter this return code in Cisco Smart Software Manager portal:\n"
        f"UDI: PID:C9300X-24HX,SN:FOC1\nReturn code: {code}\n"
    )
    assert read_return_codes(printed) == [(Udi(pid="C9300X-24HX", serial="FOC1"), code)]
    assert read_return_codes(code) == [(None, code)]
    assert read_return_codes("Return code: not-a-code") == []


def test_a_file_that_is_not_a_request_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="without any UDI"):
        read_slac_request(
            f"<smartLicense><smartLicenseSystemInfo><data>{INFO}</data></smartLicenseSystemInfo></smartLicense>"
        )
    with pytest.raises(ParseError, match="not XML"):
        read_usage("README")
