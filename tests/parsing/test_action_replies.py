"""Replies of the licensing actions: the return codes and confirmation codes a workflow must keep."""

from __future__ import annotations

import pytest
from parsing_cases import netmiko_records

from nornir_catlic.errors import ParseError
from nornir_catlic.models.actions import (
    AuthorizationReturnReply,
    LicenseImportReply,
    ReplyOutcome,
    ReservationInstallReply,
    ReservationRequestReply,
    SaveUsageReply,
)
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


# --- replies as typed outcomes: reservation (16.x SLR), idtoken, authorization request -------------------

SLR_REQUEST = """\
Enter this request code in the Cisco Smart Software Manager portal:
UDI: PID:C9500-32C,SN:CAT2148L15K
Request code: CB-ZC9500-32C:CAT2148L15K-AK9A6sMBF-53
"""


def test_reservation_request_code_is_kept_with_its_udi() -> None:
    reply = parse("license smart reservation request local", SLR_REQUEST, expect=ReservationRequestReply)
    assert reply.outcome is ReplyOutcome.DONE
    assert [(c.udi, c.request_code) for c in reply.codes] == [
        (Udi(pid="C9500-32C", serial="CAT2148L15K"), "CB-ZC9500-32C:CAT2148L15K-AK9A6sMBF-53")
    ]


def test_a_request_code_printed_alone_under_the_header_is_kept() -> None:
    text = "Enter this request code in the Cisco Smart Software Manager portal:\nCB-ZC9500-32C:CAT2-AK9-53\n"
    reply = parse("lic sm rese req all", text, expect=ReservationRequestReply, strict=True)
    assert [(c.udi, c.request_code) for c in reply.codes] == [(None, "CB-ZC9500-32C:CAT2-AK9-53")]


def test_a_failed_reservation_install_says_why() -> None:
    text = (
        "Reservation install file failed: The Reservation Authorization Code does not match the"
        " Reservation Request Code\n"
    )
    reply = parse("license smart reservation install file bootflash:slr.txt", text, strict=True)
    assert isinstance(reply, ReservationInstallReply)
    assert reply.outcome is ReplyOutcome.FAILED
    assert reply.failure_reason == (
        "The Reservation Authorization Code does not match the Reservation Request Code"
    )


@pytest.mark.parametrize(
    ("command", "reply", "outcome"),
    [
        ("license smart reservation request local", "Already registered\n", ReplyOutcome.ALREADY_REGISTERED),
        ("license smart reservation install abc", "Already registered\n", ReplyOutcome.ALREADY_REGISTERED),
        ("license smart reservation install abc", "Reservation install successful\n", ReplyOutcome.DONE),
        (
            "license smart reservation return local",
            "No reservation authorization code installed in device\n",
            ReplyOutcome.NOTHING_INSTALLED,
        ),
        ("license smart reservation cancel local", "", ReplyOutcome.DONE),
        (
            "license smart register idtoken abc",
            "Registration process is in progress. Use the 'show license status' command to check the"
            " progress and result\n",
            ReplyOutcome.IN_PROGRESS,
        ),
        ("license smart trust idtoken abc all force", "", ReplyOutcome.DONE),
        ("license smart trust idtoken abc local", "Switch#\n", ReplyOutcome.DONE),
        (
            "license smart authorization request add hseck9 local",
            "The requested item was not found\n",
            ReplyOutcome.NOT_FOUND,
        ),
        ("license smart authorization request add hseck9 local", "", ReplyOutcome.DONE),
        ("license smart save usage day 15 file test.txt", "", ReplyOutcome.DONE),
        (
            "license smart save usage all file t.txt",
            "The requested item was not found\n",
            ReplyOutcome.NOT_FOUND,
        ),
    ],
)
def test_one_line_and_silent_replies_are_typed_outcomes(
    command: str, reply: str, outcome: ReplyOutcome
) -> None:
    parsed = parse(command, reply, strict=True)
    assert parsed.model_dump()["outcome"] is outcome


@pytest.mark.parametrize(
    "command",
    [
        "license smart trust idtoken abc all",
        "license smart reservation cancel local",
        "license smart save usage all file t.txt",
        "license smart register idtoken abc",
    ],
)
def test_a_silent_command_still_refuses_another_commands_output(command: str) -> None:
    with pytest.raises(ParseError, match="not this command's output"):
        parse(command, "License Usage:\n  License  Entitlement Tag  Count Status\n")


def test_reservation_templates_work_when_handed_to_netmiko() -> None:
    records = netmiko_records("cisco_xe_license_smart_reservation_request.textfsm", SLR_REQUEST)
    assert [(r["udi_sn"], r["request_code"]) for r in records if r["request_code"]] == [
        ("CAT2148L15K", "CB-ZC9500-32C:CAT2148L15K-AK9A6sMBF-53")
    ]
