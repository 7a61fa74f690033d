"""Which files in an inbox answer a submission (``check_answers``), on files the lab's own writer makes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from nornir_catlic.answers import CLOCK_SKEW, AnswerHistory, check_answers
from nornir_catlic.models.license_files import LicenseFile, LicenseFileKind
from nornir_catlic.parsers.license_files import parse_license_file
from nornir_catlic.portal import AnswerFile, ExchangeKind, Submission
from virtual_devices import licfiles

SUBMITTED = dt.datetime(2026, 12, 4, 20, 0, tzinfo=dt.timezone.utc)
STACK = ["PID:C9300X-24HX,SN:FOC2519L8R7", "PID:C9300X-48HXN,SN:FOC2524L39P"]
NEIGHBOUR = "PID:C9300X-24HX,SN:FOC0000NEXT"


def submission(kind: ExchangeKind = ExchangeKind.SLAC_REQUEST, udis: list[str] = STACK) -> Submission:
    return Submission(
        id="20261204T200000Z-x-abcdef",
        host="stack1",
        kind=kind,
        file="request.txt",
        udis=tuple(udis),
        expected_answers=len(udis),
        submitted_at=SUBMITTED,
    )


def slac(udi: str, *, issued: dt.datetime = SUBMITTED + dt.timedelta(minutes=5), code: str = "") -> str:
    slac = licfiles.Slac(
        udi, code or f"key-{udi}", "tag", 1, "SA", "VA", issued.isoformat(timespec="seconds")
    )
    return licfiles.slac_file(slac)


def ack(udis: list[str], *, kind: str = "return", at: dt.datetime = SUBMITTED + dt.timedelta(hours=1)) -> str:
    return licfiles.ack_file({"type": kind, "udis": udis, "timestamp": at.isoformat()})


def files(**texts: str) -> list[AnswerFile]:
    return [AnswerFile(name=name, path=Path("/inbox") / name, text=text) for name, text in texts.items()]


def reasons(submitted: Submission, answers: list[AnswerFile], **options: object) -> dict[str, str]:
    accepted, refused = check_answers(submitted, answers, **options)  # type: ignore[arg-type]
    assert len(accepted) + len(refused) == len(answers)
    return {refusal.answer.name: refusal.reason for refusal in refused}


def test_ssm_s_slacs_for_the_requested_udis_are_accepted() -> None:
    accepted, refused = check_answers(submission(), files(a=slac(STACK[0]), b=slac(STACK[1])))
    assert refused == [] and [str(c.file.udis[0]) for c in accepted] == STACK


def test_a_slac_for_another_udi_an_ack_and_a_readme_are_each_refused_with_why() -> None:
    found = reasons(
        submission(),
        files(**{"other.txt": slac(NEIGHBOUR), "ack.txt": ack(STACK), "README.txt": "drop files here"}),
    )
    assert found["other.txt"].startswith(f"a SLAC for {NEIGHBOUR}, which this request did not ask for")
    assert found["ack.txt"].startswith("an ACK, not a SLAC for slac-request")
    assert found["README.txt"].startswith("not a Smart Licensing file")


def test_a_slac_issued_before_the_request_is_refused_allowing_for_clock_skew() -> None:
    skewed = SUBMITTED - CLOCK_SKEW + dt.timedelta(seconds=1)
    found = reasons(
        submission(),
        files(
            old=slac(STACK[0], issued=SUBMITTED - dt.timedelta(days=30)), skewed=slac(STACK[1], issued=skewed)
        ),
    )
    assert list(found) == ["old"] and "before this exchange began (2026-12-04 20:00:00 UTC)" in found["old"]


def test_a_switch_running_behind_moves_the_start_of_the_exchange_earlier() -> None:
    """The request's own time (the switch's clock) counts when it is earlier than this machine's."""
    request = LicenseFile(
        kind=LicenseFileKind.SLAC_REQUEST,
        element="smartLicenseAuthorizationRequest",
        issued_at=SUBMITTED - dt.timedelta(hours=2),
        fingerprint="r",
    )
    answers = files(a=slac(STACK[0], issued=SUBMITTED - dt.timedelta(hours=1)))
    assert reasons(submission(), answers, request=request) == {}
    assert list(reasons(submission(), answers)) == ["a"]


def test_a_nonce_that_differs_from_the_request_s_is_refused() -> None:
    request = LicenseFile(
        kind=LicenseFileKind.SLAC_REQUEST, element="r", nonce="mine", fingerprint="r", issued_at=None
    )
    text = slac(STACK[0]).replace(
        "<udi>", '<nonce>"theirs"</nonce><udi>'
    )  # unsigned: our reader does not care
    assert "nonce theirs, not this one's (mine)" in reasons(submission(), files(a=text), request=request)["a"]


def test_the_journal_s_history_refuses_a_file_imported_before_and_an_older_slac() -> None:
    again = slac(STACK[0])
    older = slac(STACK[1], issued=SUBMITTED + dt.timedelta(minutes=1))
    history = AnswerHistory(
        imported={
            parse_license_file(again).fingerprint: "imported 2026-11-01 (install-slac), returned since"
        },
        latest_issued={STACK[1]: SUBMITTED + dt.timedelta(minutes=2)},
    )
    found = reasons(submission(), files(again=again, older=older), history=history)
    assert (
        found["again"]
        == "the same file was imported before (imported 2026-11-01 (install-slac), returned since)"
    )
    assert found["older"].startswith("issued 2026-12-04 20:01:00 UTC, older than the SLAC installed on")


def test_two_slacs_for_one_udi_are_both_left_to_the_operator() -> None:
    found = reasons(submission(), files(first=slac(STACK[0], code="k1"), second=slac(STACK[0], code="k2")))
    assert found == {
        "first": f"a second SLAC for {STACK[0]} (see second)",
        "second": f"a second SLAC for {STACK[0]} (see first)",
    }


@pytest.mark.parametrize(
    ("acknowledged", "kind", "reason"),
    [
        (STACK, "return", None),
        ([], "return", None),  # an ACK naming no UDI: nothing to compare
        ([STACK[0]], "return", f"does not acknowledge {STACK[1]}"),
        ([*STACK, NEIGHBOUR], "return", f"acknowledges {NEIGHBOUR}, which this exchange did not hand over"),
        (STACK, "usage", "an ACK of a usage, not an ACK for slac-return"),
    ],
)
def test_a_return_ack_must_acknowledge_exactly_the_codes_handed_over(
    acknowledged: list[str], kind: str, reason: str | None
) -> None:
    found = reasons(submission(ExchangeKind.SLAC_RETURN), files(ack=ack(acknowledged, kind=kind)))
    assert found["ack"].startswith(reason) if reason else found == {}, found


def test_a_return_code_printed_without_its_udi_lets_ssm_name_one() -> None:
    assert reasons(submission(ExchangeKind.SLAC_RETURN, ["", STACK[0]]), files(ack=ack(STACK))) == {}


def test_a_usage_ack_for_the_switch_next_door_is_refused() -> None:
    """A usage submission names no UDI; the RUM file it handed over does: an ACK naming another switch
    answers that switch's report, and importing it would tell this one its reports were acknowledged."""
    header = {"hostname": "stack1", "udi": STACK[0]}
    rum = parse_license_file(licfiles.rum_file(header, [{"id": 1, "tag": "t", "udis": STACK}]))
    usage = submission(ExchangeKind.USAGE_REPORT, [])

    def usage_ack(udi: str) -> str:
        return licfiles.ack_file(
            {"type": "usage", "udi": udi, "report_ids": [1], "timestamp": SUBMITTED.isoformat()}
        )

    found = reasons(usage, files(mine=usage_ack(STACK[0]), theirs=usage_ack(NEIGHBOUR)), request=rum)
    assert found == {"theirs": f"acknowledges {NEIGHBOUR}, which this exchange did not hand over"}
