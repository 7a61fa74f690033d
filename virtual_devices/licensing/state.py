"""The licensing state one switch keeps (and saves across reloads), as typed records.

Moments are UTC and whole seconds, as the agent stores them (a report that started "now" is compared
with the clock at that precision).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum


def instant(moment: datetime) -> datetime:
    """``moment`` as the agent records it: UTC, whole seconds."""
    return moment.astimezone(timezone.utc).replace(microsecond=0)


@dataclass(slots=True)
class InstalledSlac:
    """The SLAC installed for one UDI (the HSECK9 authorization)."""

    code: str
    installed: datetime
    entitlement: str


@dataclass(slots=True)
class SlacRequest:
    """A SLAC request not yet answered (``license smart authorization request``).

    ``remove`` holds the return code of every key that goes back with it (``replace``); ``returns`` the
    UDIs whose key goes back without a new one (left out of a ``replace``).
    """

    mode: str  # add | replace
    scope: str  # local | all
    udis: list[str]
    remove: dict[str, str]
    returns: list[str]
    created: datetime
    nonce: str


@dataclass(slots=True, frozen=True)
class PendingReturn:
    """A return code that must still reach the SSM (the return was made while it was unreachable)."""

    udi: str
    code: str


@dataclass(slots=True, frozen=True)
class Account:
    """The account the switch last heard of (an ACK, the SSM, or the topology)."""

    smart_account: str
    virtual_account: str
    as_of: datetime


@dataclass(slots=True, frozen=True)
class ReportingTerms:
    """One license kind's reporting terms, in days."""

    first_report: int
    frequency: int
    on_change: int


@dataclass(slots=True, frozen=True)
class Policy:
    """A Smart Licensing policy: whether reports need an ACK, and the terms per kind of license."""

    name: str | None
    source: str
    ack_required: bool
    perpetual: ReportingTerms
    subscription: ReportingTerms
    enforced: ReportingTerms
    export: ReportingTerms


CISCO_DEFAULT_POLICY = Policy(
    name=None,
    source="CISCO default",
    ack_required=True,
    perpetual=ReportingTerms(365, 0, 90),
    subscription=ReportingTerms(90, 90, 90),
    enforced=ReportingTerms(0, 0, 0),
    export=ReportingTerms(0, 0, 0),
)


@dataclass(slots=True)
class Reporting:
    """The usage-reporting moments ``show license status`` prints."""

    last_ack: datetime | None = None
    deadline: datetime | None = None
    next_push: datetime | None = None
    last_push: datetime | None = None
    last_file_write: datetime | None = None


class ReportState(StrEnum):
    COLLECTING = "collecting"  # still measuring
    AVAILABLE = "available"  # closed, not sent
    WAITING = "waiting"  # sent, no ACK yet
    ACKED = "acked"


@dataclass(slots=True)
class UsageReport:
    """One RUM report: the count of one entitlement over a period."""

    id: int
    tag: str
    count: int
    state: ReportState
    start: datetime
    end: datetime | None = None


@dataclass(slots=True)
class LicensingState:
    """Everything the agent knows; ``crypto_seen`` alone is not saved (it is re-read from the config)."""

    base: str = "network-advantage"
    addon: str | None = "dna-advantage"
    trust: dict[str, datetime] = field(default_factory=dict)  # udi -> installed
    slacs: dict[str, InstalledSlac] = field(default_factory=dict)  # udi -> SLAC
    last_return: dict[str, str] = field(default_factory=dict)  # udi -> return code
    pending: SlacRequest | None = None
    pending_returns: list[PendingReturn] = field(default_factory=list)
    account: Account | None = None
    policy: Policy | None = None
    policy_installed: datetime | None = None
    reporting: Reporting = field(default_factory=Reporting)
    reports: list[UsageReport] = field(default_factory=list)
    hsec_in_use: bool = False
    crypto_seen: bool = False
    comm_failed: bool = False
    last_catch_up: datetime | None = None
    purged: int = 0
    last_report_id: int = 1633000000
