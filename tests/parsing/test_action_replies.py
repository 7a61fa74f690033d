"""Replies of the licensing actions: the return codes and confirmation codes a workflow must keep."""

from __future__ import annotations

import pytest

from nornir_catlic.errors import ParseError
from nornir_catlic.models.actions import AuthorizationReturnReply, LicenseImportReply, SaveUsageReply
from nornir_catlic.models.common import Udi
from nornir_catlic.parsing import parse

GUIDE_RETURN = """\
Device# license smart authorization return all offline
Enter this return code in Cisco Smart Software Manager portal:
UDI: PID:C9300X-24HX,SN:FOC2519L8R7
Return code: Cr9JHx-L1x5Rj-ftwzgl-h9QZAU-LE5DT1-babWeL-FABPt9-Wr1Dn7-Rp7
"""

GUIDE_IMPORT = """\
Device# license smart import tftp://10.8.0.6/user-01/SLAC-standalone.txt
Import Data Successful
Last Confirmation code UDI: PID:C9300X-48HX,SN:FOC2516LC92
Confirmation code: 59e155ae
"""


def test_offline_return_prints_the_code_per_udi_as_in_the_guide() -> None:
    reply = parse("license smart authorization return all offline", GUIDE_RETURN)
    assert isinstance(reply, AuthorizationReturnReply)
    assert [(str(c.udi), c.return_code) for c in reply.codes] == [
        ("PID:C9300X-24HX,SN:FOC2519L8R7", "Cr9JHx-L1x5Rj-ftwzgl-h9QZAU-LE5DT1-babWeL-FABPt9-Wr1Dn7-Rp7")
    ]
    assert not reply.nothing_installed and reply.unparsed_lines == []


def test_a_stack_return_prints_one_code_per_member() -> None:
    text = GUIDE_RETURN + "UDI: PID:C9300X-48HXN,SN:FOC2524L39P\nReturn code: AAAAAA-BBBBBB-CCCCCC-DDD\n"
    reply = parse("lic smart auth return all offline", text)
    assert isinstance(reply, AuthorizationReturnReply)
    assert [c.udi for c in reply.codes] == [
        Udi(pid="C9300X-24HX", serial="FOC2519L8R7"),
        Udi(pid="C9300X-48HXN", serial="FOC2524L39P"),
    ]


def test_nothing_to_return() -> None:
    reply = parse(
        "license smart authorization return local online",
        "No reservation authorization code installed in device\n",
    )
    assert isinstance(reply, AuthorizationReturnReply)
    assert reply.nothing_installed and reply.codes == []


def test_import_of_a_slac_gives_its_udi_and_confirmation_code() -> None:
    reply = parse("license smart import tftp://10.8.0.6/user-01/SLAC-standalone.txt", GUIDE_IMPORT)
    assert isinstance(reply, LicenseImportReply)
    assert reply.successful
    assert reply.udi == Udi(pid="C9300X-48HX", serial="FOC2516LC92")
    assert reply.confirmation_code == "59e155ae"


def test_import_of_an_ack_is_only_successful() -> None:
    reply = parse("license smart import bootflash:ack.txt", "Import Data Successful\n")
    assert isinstance(reply, LicenseImportReply)
    assert reply.successful and reply.confirmation_code is None


def test_a_failed_import_is_the_devices_error() -> None:
    with pytest.raises(ParseError, match="Import Data Failed"):
        parse(
            "license smart import bootflash:x.txt", "% Error: Import Data Failed: signature does not match\n"
        )


def test_unknown_lines_are_kept() -> None:
    reply = parse("license smart import bootflash:x.txt", "Import Data Successful\nSomething new\n")
    assert reply.unparsed_lines == ["Something new"]


def test_save_usage_with_nothing_to_save() -> None:
    reply = parse(
        "license smart save usage unreported file bootflash:usage.txt", "The requested item was not found\n"
    )
    assert isinstance(reply, SaveUsageReply) and reply.nothing_to_save
