"""What changed on a switch between two snapshots: pure functions over the typed models.

:func:`changes` compares one host's snapshots (``None``: the host was not in that run); :func:`fleet_changes`
compares two fleets. Findings are compared only when both snapshots carry them (two audits): a state run
knows no findings. A host not read on one side changes its reachability and nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum

from pydantic import BaseModel

from nornir_catlic.history.snapshot import HostSnapshot
from nornir_catlic.models.common import LocalTime
from nornir_catlic.models.license import LicenseUsageEntry, UsageStatus
from nornir_catlic.models.state import LicensedMember, LicenseState
from nornir_catlic.rules.findings import Finding


class ChangeKind(StrEnum):
    """What kind of change; the JSON's ``kind``."""

    HOST_APPEARED = "host-appeared"
    HOST_GONE = "host-gone"
    REACHABILITY_LOST = "reachability-lost"
    REACHABILITY_REGAINED = "reachability-regained"
    RELEASE = "release"
    LICENSE_IN_USE = "license-in-use"
    LICENSE_NOT_IN_USE = "license-not-in-use"
    LICENSE_COUNT = "license-count"
    BOOT_LEVEL = "boot-level"
    BOOT_LEVEL_AFTER_RELOAD = "boot-level-after-reload"
    MEMBER_JOINED = "member-joined"
    MEMBER_GONE = "member-gone"
    SLAC_INSTALLED = "slac-installed"
    SLAC_RETURNED = "slac-returned"
    ACK_RECEIVED = "ack-received"
    ACK_DEADLINE_MOVED = "ack-deadline-moved"
    REPORT_PUSH_MOVED = "report-push-moved"
    FINDING_NEW = "finding-new"
    FINDING_RESOLVED = "finding-resolved"


class Change(BaseModel):
    """One change on one host.

    Attributes:
        subject: what changed: a UDI, a license, a finding's code and subject; empty for the host itself.
        before, after: the values as text (``None``: absent on that side).
        text: the change in words, as ``catlic diff`` prints it.
    """

    host: str
    kind: ChangeKind
    subject: str = ""
    before: str | None = None
    after: str | None = None
    text: str


def changes(before: HostSnapshot | None, after: HostSnapshot | None) -> list[Change]:
    """What changed from ``before`` to ``after`` (one host; ``None``: not in that run), in a stable order."""
    if before is None and after is None:
        return []
    if before is None:
        assert after is not None
        return [_change(after.host, ChangeKind.HOST_APPEARED, text="host appeared in the history")]
    if after is None:
        return [_change(before.host, ChangeKind.HOST_GONE, text="host not in this run")]
    host = after.host
    if before.error is None and after.error is not None:
        return [
            _change(host, ChangeKind.REACHABILITY_LOST, after=after.error, text=f"not read: {after.error}")
        ]
    if before.error is not None and after.error is None:
        return [_change(host, ChangeKind.REACHABILITY_REGAINED, before=before.error, text="read again")]
    found: list[Change] = []
    if before.state is not None and after.state is not None:
        found += state_changes(before.state, after.state)
    if before.findings is not None and after.findings is not None:
        found += finding_changes(host, before.findings, after.findings)
    return found


def fleet_changes(
    before: Mapping[str, HostSnapshot], after: Mapping[str, HostSnapshot]
) -> dict[str, list[Change]]:
    """host -> its changes, for every host of either fleet that changed, by host name."""
    found = {}
    for host in sorted(set(before) | set(after)):
        host_changes = changes(before.get(host), after.get(host))
        if host_changes:
            found[host] = host_changes
    return found


def state_changes(before: LicenseState, after: LicenseState) -> list[Change]:
    """Release, licenses in use, boot level, members and their SLACs, ACKs and reporting dates."""
    host = after.host
    found: list[Change] = []
    if before.release != after.release:
        found.append(
            _change(
                host,
                ChangeKind.RELEASE,
                before=before.release,
                after=after.release,
                text=f"release {before.release} -> {after.release}",
            )
        )
    found += _license_changes(host, before, after)
    found += _boot_level_changes(host, before, after)
    found += _member_changes(host, before.members, after.members)
    found += _reporting_changes(host, before, after)
    return found


def finding_changes(host: str, before: list[Finding], after: list[Finding]) -> list[Change]:
    """Findings new or resolved, keyed by code and subject (a message's day count is not a change)."""
    old = {(finding.code.value, finding.subject): finding for finding in before}
    new = {(finding.code.value, finding.subject): finding for finding in after}
    appeared = [finding for key, finding in new.items() if key not in old]
    resolved = [finding for key, finding in old.items() if key not in new]
    found = []
    for kind, findings in ((ChangeKind.FINDING_NEW, appeared), (ChangeKind.FINDING_RESOLVED, resolved)):
        for finding in findings:
            severity = finding.severity.value
            is_new = kind is ChangeKind.FINDING_NEW
            words = f"new {severity}" if is_new else "resolved"
            found.append(
                _change(
                    host,
                    kind,
                    subject=_finding_subject(finding),
                    before=None if is_new else severity,
                    after=severity if is_new else None,
                    text=f"{words} {finding.code.value}: {finding.message}",
                )
            )
    return found


# --- the parts of a state


def _license_changes(host: str, before: LicenseState, after: LicenseState) -> list[Change]:
    old, new = _in_use(before.usage), _in_use(after.usage)
    found: list[Change] = []
    for name, entry in new.items():
        if name not in old:
            found.append(
                _change(
                    host,
                    ChangeKind.LICENSE_IN_USE,
                    subject=name,
                    after=_text(entry.count),
                    text=f"{name} in use (count {_text(entry.count)})",
                )
            )
        elif old[name].count != entry.count:
            found.append(
                _change(
                    host,
                    ChangeKind.LICENSE_COUNT,
                    subject=name,
                    before=_text(old[name].count),
                    after=_text(entry.count),
                    text=f"{name} count {_text(old[name].count)} -> {_text(entry.count)}",
                )
            )
    found += [
        _change(
            host,
            ChangeKind.LICENSE_NOT_IN_USE,
            subject=name,
            before=_text(entry.count),
            text=f"{name} no longer in use",
        )
        for name, entry in old.items()
        if name not in new
    ]
    return found


def _in_use(usage: list[LicenseUsageEntry]) -> dict[str, LicenseUsageEntry]:
    """Entries in use by ``name (tag)``: a mixed stack repeats a name with another tag."""
    return {
        f"{entry.name} ({entry.entitlement_tag})" if entry.entitlement_tag else entry.name: entry
        for entry in usage
        if entry.status is UsageStatus.IN_USE
    }


def _boot_level_changes(host: str, before: LicenseState, after: LicenseState) -> list[Change]:
    found: list[Change] = []
    for kind, old, new, words in (
        (ChangeKind.BOOT_LEVEL, before.boot_level.current, after.boot_level.current, "boot level"),
        (
            ChangeKind.BOOT_LEVEL_AFTER_RELOAD,
            before.boot_level.next_reboot,
            after.boot_level.next_reboot,
            "boot level after reload",
        ),
    ):
        if old != new:
            was, now = " ".join(old) or "none", " ".join(new) or "none"
            found.append(_change(host, kind, before=was, after=now, text=f"{words} {was} -> {now}"))
    return found


def _member_changes(
    host: str, before: Mapping[str, LicensedMember], after: Mapping[str, LicensedMember]
) -> list[Change]:
    found: list[Change] = []
    for serial, member in after.items():
        udi = str(member.udi)
        old = before.get(serial)
        if old is None:
            slac = "with a SLAC" if member.slac_installed else "without a SLAC"
            found.append(
                _change(
                    host,
                    ChangeKind.MEMBER_JOINED,
                    subject=udi,
                    after=_roles(member),
                    text=f"{_member_words(member)} joined, {slac}",
                )
            )
        elif not old.slac_installed and member.slac_installed:
            found.append(
                _change(
                    host,
                    ChangeKind.SLAC_INSTALLED,
                    subject=udi,
                    after=member.confirmation_code,
                    text=f"SLAC installed on {_member_words(member)}"
                    + (
                        f" (confirmation code {member.confirmation_code})" if member.confirmation_code else ""
                    ),
                )
            )
        elif old.slac_installed and not member.slac_installed:
            found.append(
                _change(
                    host,
                    ChangeKind.SLAC_RETURNED,
                    subject=udi,
                    before=old.confirmation_code,
                    after=member.last_return_code,
                    text=f"SLAC gone from {_member_words(member)}"
                    + (f" (return code {member.last_return_code})" if member.last_return_code else ""),
                )
            )
    found += [
        _change(
            host,
            ChangeKind.MEMBER_GONE,
            subject=str(member.udi),
            before=_roles(member),
            text=f"{_member_words(member)} gone",
        )
        for serial, member in before.items()
        if serial not in after
    ]
    return found


def _member_words(member: LicensedMember) -> str:
    number = f"switch {member.switch_number} " if member.switch_number is not None else ""
    return f"{number}{member.udi} ({_roles(member)})"


def _roles(member: LicensedMember) -> str:
    return "/".join(role.value for role in member.roles) or "member"


def _reporting_changes(host: str, before: LicenseState, after: LicenseState) -> list[Change]:
    old, new = before.reporting, after.reporting
    found: list[Change] = []
    for kind, field, words in (
        (ChangeKind.ACK_RECEIVED, "last_ack_received", "ACK received"),
        (ChangeKind.ACK_DEADLINE_MOVED, "next_ack_deadline", "Next ACK deadline"),
        (ChangeKind.REPORT_PUSH_MOVED, "next_report_push", "next report push"),
    ):
        was = _moment_text(getattr(old, field) if old else None)
        now = _moment_text(getattr(new, field) if new else None)
        if was == now:
            continue
        text = (
            f"{words} {now}"
            if kind is ChangeKind.ACK_RECEIVED
            else f"{words} {was or 'none'} -> {now or 'none'}"
        )
        found.append(_change(host, kind, before=was, after=now, text=text))
    return found


# --- words


def _moment_text(value: dt.datetime | LocalTime | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return str(value)


def _finding_subject(finding: Finding) -> str:
    return f"{finding.code.value} {finding.subject}".strip()


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _change(
    host: str,
    kind: ChangeKind,
    *,
    subject: str = "",
    before: str | None = None,
    after: str | None = None,
    text: str,
) -> Change:
    return Change(host=host, kind=kind, subject=subject, before=before, after=after, text=text)
