"""Which files in an inbox answer the exchange this run submitted, and why the others do not.

An operator carries files between Cisco SSM and the portal's inbox by hand: a SLAC from last month's
exchange, a SLAC for the switch next door or a ``README.txt`` can land there as easily as the right answer.
Installing a SLAC SSM has marked returned leaves the switch with a code SSM no longer honours and the fresh
reservation on no device; so an answer is accepted only when it is the kind of file the submission awaits,
for the UDIs it named, with the request's nonce when both carry one, made after the request (allowing for
clock skew), and not a file (or an older SLAC) the journal shows imported before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from nornir_catlic.domain import split_udi
from nornir_catlic.errors import ParseError
from nornir_catlic.models.common import Udi
from nornir_catlic.models.license_files import LicenseFile, LicenseFileKind
from nornir_catlic.parsers.license_files import parse_license_file
from nornir_catlic.portal import AnswerFile, ExchangeKind, Submission

CLOCK_SKEW = dt.timedelta(seconds=60)
"""How far SSM's clock may lag this machine's (or the switch's) before a fresh answer looks stale. SSM
stamps whole seconds, so some allowance is needed anyway."""

_AWAITED = {
    ExchangeKind.SLAC_REQUEST: (LicenseFileKind.SLAC, None),
    ExchangeKind.DEVICE_LIST: (LicenseFileKind.SLAC, None),
    ExchangeKind.SLAC_RETURN: (LicenseFileKind.ACK, "return"),
    ExchangeKind.USAGE_REPORT: (LicenseFileKind.ACK, "usage"),
}
_KIND_WORDS = {
    LicenseFileKind.SLAC: "a SLAC",
    LicenseFileKind.ACK: "an ACK",
    LicenseFileKind.SLAC_REQUEST: "a SLAC request (the switch's file, for SSM)",
    LicenseFileKind.USAGE: "a usage report (the switch's file, for SSM)",
}


class AnswerHistory(BaseModel):
    """What the journal says about answers imported before, in earlier exchanges.

    Attributes:
        imported: fingerprint -> where and when that file was imported (and what became of it).
        latest_issued: UDI -> when the newest SLAC imported for it was issued (by SSM's clock).
    """

    imported: dict[str, str] = Field(default_factory=dict)
    latest_issued: dict[str, dt.datetime] = Field(default_factory=dict)


class CheckedAnswer(BaseModel):
    """An answer file that answers the submission, with what it says."""

    model_config = ConfigDict(frozen=True)

    answer: AnswerFile
    file: LicenseFile


class RefusedAnswer(BaseModel):
    """A file in the inbox that does not answer the submission, and why."""

    model_config = ConfigDict(frozen=True)

    answer: AnswerFile
    reason: str

    def __str__(self) -> str:
        return f"{self.answer.name}: {self.reason}"


def check_answers(
    submission: Submission,
    answers: Iterable[AnswerFile],
    *,
    request: LicenseFile | None = None,
    history: AnswerHistory | None = None,
) -> tuple[list[CheckedAnswer], list[RefusedAnswer]]:
    """Split the files in a submission's inbox folder into answers and refusals.

    Args:
        request: the submitted file, parsed (its time and nonce), when it is a Smart Licensing file.
        history: the journal's record of answers imported in earlier exchanges.
    """
    history = history or AnswerHistory()
    not_before = submission.submitted_at
    if request is not None and request.issued_at is not None:
        not_before = min(not_before, request.issued_at)  # a switch without NTP may run behind
    accepted: list[CheckedAnswer] = []
    refused: list[RefusedAnswer] = []
    for answer in answers:
        try:
            parsed = parse_license_file(answer.text, source=answer.name)
        except ParseError as error:
            refused.append(RefusedAnswer(answer=answer, reason=_parse_reason(error, answer.name)))
            continue
        reason = _mismatch(submission, parsed, request, not_before, history)
        if reason:
            refused.append(RefusedAnswer(answer=answer, reason=reason))
        else:
            accepted.append(CheckedAnswer(answer=answer, file=parsed))
    return _without_twins(accepted, refused)


def _mismatch(
    submission: Submission,
    parsed: LicenseFile,
    request: LicenseFile | None,
    not_before: dt.datetime,
    history: AnswerHistory,
) -> str | None:
    kind, ack_type = _AWAITED[submission.kind]
    awaited = f"{_KIND_WORDS[kind]} for {submission.kind.value} {submission.id}"
    if parsed.kind is not kind:
        return f"{_KIND_WORDS[parsed.kind]}, not {awaited}"
    if ack_type and parsed.ack_type and parsed.ack_type != ack_type:
        return f"an ACK of a {parsed.ack_type}, not {awaited}"
    reason = _wrong_udis(submission, parsed, request)
    if reason:
        return reason
    if request is not None and request.nonce and parsed.nonce and parsed.nonce != request.nonce:
        return f"answers the request with nonce {parsed.nonce}, not this one's ({request.nonce})"
    if parsed.issued_at is not None and parsed.issued_at < not_before - CLOCK_SKEW:
        return (
            f"made {_when(parsed.issued_at)}, before this exchange began ({_when(not_before)}): "
            "SSM's answer to an earlier exchange (if it is not, a clock is far off)"
        )
    seen = history.imported.get(parsed.fingerprint)
    if seen:
        return f"the same file was imported before ({seen})"
    if parsed.kind is LicenseFileKind.SLAC and parsed.issued_at is not None:
        udi = str(parsed.udis[0])
        newest = history.latest_issued.get(udi)
        if newest is not None and parsed.issued_at < newest:
            return f"issued {_when(parsed.issued_at)}, older than the SLAC installed on {udi} before"
    return None


def _wrong_udis(submission: Submission, parsed: LicenseFile, request: LicenseFile | None) -> str | None:
    wanted = {_udi_key(text) for text in submission.udis if text}
    unnamed = sum(1 for text in submission.udis if not text)  # return codes printed without their UDI
    found = {(udi.pid, udi.serial) for udi in parsed.udis}
    if not wanted and request is not None and parsed.kind is LicenseFileKind.ACK:
        # A usage report's submission names no UDI, its file does: an ACK may name fewer, never another.
        named = {(udi.pid, udi.serial) for udi in request.udis}
        extra = found - named if named else set()
        return f"acknowledges {_udi_list(extra)}, which this exchange did not hand over" if extra else None
    if parsed.kind is LicenseFileKind.SLAC:
        if len(found) != 1:
            return "a SLAC that names no single UDI"
        if wanted and not found <= wanted:
            return (
                f"a SLAC for {parsed.udis[0]}, which this request did not ask for "
                f"(it asked for {', '.join(sorted(t for t in submission.udis if t))})"
            )
        return None
    if not found or not wanted:
        return None  # an ACK that names no UDI, or an exchange that named none: nothing to compare
    extra, missing = found - wanted, wanted - found
    if len(extra) > unnamed:
        return f"acknowledges {_udi_list(extra)}, which this exchange did not hand over"
    if missing:
        return f"does not acknowledge {_udi_list(missing)}"
    return None


def _without_twins(
    accepted: list[CheckedAnswer], refused: list[RefusedAnswer]
) -> tuple[list[CheckedAnswer], list[RefusedAnswer]]:
    """Two SLACs for one UDI: which is SSM's latest is for the operator to say, so neither is taken."""
    by_udi: dict[str, list[CheckedAnswer]] = {}
    for checked in accepted:
        if checked.file.kind is LicenseFileKind.SLAC:
            by_udi.setdefault(str(checked.file.udis[0]), []).append(checked)
    twins = {id(c): (udi, group) for udi, group in by_udi.items() if len(group) > 1 for c in group}
    kept = [c for c in accepted if id(c) not in twins]
    for checked in accepted:
        if id(checked) in twins:
            udi, group = twins[id(checked)]
            others = ", ".join(c.answer.name for c in group if c is not checked)
            refused.append(
                RefusedAnswer(answer=checked.answer, reason=f"a second SLAC for {udi} (see {others})")
            )
    return kept, refused


def _udi_key(text: str) -> tuple[str, str]:
    try:
        return split_udi(text)
    except ValueError:
        return ("", text)


def _udi_list(keys: set[tuple[str, str]]) -> str:
    return ", ".join(str(Udi(pid=pid, serial=serial)) for pid, serial in sorted(keys))


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _parse_reason(error: ParseError, name: str) -> str:
    text = str(error)
    prefix = f"{name!r}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


__all__ = ["CLOCK_SKEW", "AnswerHistory", "CheckedAnswer", "RefusedAnswer", "check_answers"]
