"""Usage reporting: a RUM report sent and its ACK installed by the ``Next ACK deadline`` (guide: What's
next: Complete usage reporting)."""

from __future__ import annotations

import datetime as dt

from nornir_catlic.domain import ConnectionMode, DeviceFacts
from nornir_catlic.rules.catalog import DEFAULT, finding
from nornir_catlic.rules.codes import FindingCode
from nornir_catlic.rules.findings import Finding, Refusal

MAX_ZONE_OFFSET = dt.timedelta(hours=14)
"""The most a zone is ahead of UTC (UTC+14): a wall-clock time in an unknown zone happens no earlier than
this much before the same time read as UTC."""

DEFAULT_WARN_WITHIN = dt.timedelta(days=14)


def check_reporting(
    facts: DeviceFacts, now: dt.datetime, *, warn_within: dt.timedelta = DEFAULT_WARN_WITHIN
) -> list[Finding]:
    """``Next ACK deadline``: a RUM report must be sent and its ACK installed by that date."""
    if facts.next_ack_deadline is not None:
        return deadline_findings(facts.host, facts.next_ack_deadline, now, warn_within=warn_within)
    if facts.next_ack_deadline_unzoned is not None:
        local, zone = facts.next_ack_deadline_unzoned
        return _unzoned_deadline_findings(facts.host, local, zone, now, warn_within)
    if facts.reporting_ack_required and facts.last_ack_received is None:
        return [finding(FindingCode.REPORTING_REQUIRED, facts.host)]
    return []


def deadline_findings(
    subject: str,
    deadline: dt.datetime,
    now: dt.datetime,
    *,
    warn_within: dt.timedelta = DEFAULT_WARN_WITHIN,
    variant: str = DEFAULT,
    **values: object,
) -> list[Finding]:
    """A deadline passed (error) or within ``warn_within`` (warning). Naive datetimes are taken as UTC."""
    deadline_utc, now_utc = _as_utc(deadline), _as_utc(now)
    if deadline_utc <= now_utc:
        return [
            finding(
                FindingCode.ACK_DEADLINE_PASSED, subject, variant=variant, deadline=deadline_utc, **values
            )
        ]
    left = deadline_utc - now_utc
    if left <= warn_within:
        return [
            finding(
                FindingCode.ACK_DEADLINE_NEAR,
                subject,
                variant=variant,
                deadline=deadline_utc,
                days=left.days,
                **values,
            )
        ]
    return []


def _unzoned_deadline_findings(
    subject: str, local: dt.datetime, zone: str, now: dt.datetime, warn_within: dt.timedelta
) -> list[Finding]:
    """A deadline whose zone's offset is unknown is judged at the earliest moment it can be, and says so."""
    earliest = local.replace(tzinfo=dt.timezone.utc) - MAX_ZONE_OFFSET
    findings = deadline_findings(
        subject, earliest, now, warn_within=warn_within, variant="zone-unknown", local=local, zone=zone
    )
    return findings or [finding(FindingCode.ACK_DEADLINE_ZONE_UNKNOWN, subject, local=local, zone=zone)]


def _as_utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def online_report_refusal(connection: ConnectionMode | None) -> Refusal | None:
    """Why the switch cannot send its usage report itself, or None: with the transport off (air-gapped) its
    report goes offline, through a portal."""
    if connection is not ConnectionMode.AIR_GAPPED:
        return None
    return Refusal(
        "the transport is off: the switch cannot report online",
        "report offline (mode='offline') through a portal",
    )
