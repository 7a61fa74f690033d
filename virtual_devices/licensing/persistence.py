"""The licensing state as JSON in a device's state file, and back.

The shape is the one the lab has always written (moments as ISO strings, the policy's terms as
``[first, frequency, on change]`` lists, pending returns as ``[udi, code]`` pairs), so state folders
written before the state was typed load unchanged. Missing keys take their defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from virtual_devices.licensing.state import (
    CISCO_DEFAULT_POLICY,
    Account,
    InstalledSlac,
    LicensingState,
    PendingReturn,
    Policy,
    Reporting,
    ReportingTerms,
    ReportState,
    SlacRequest,
    UsageReport,
)

_TERMS = ("perpetual", "subscription", "enforced", "export")
_MOMENTS = ("last_ack", "deadline", "next_push", "last_push", "last_file_write")


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _required(text: str) -> datetime:
    return datetime.fromisoformat(text)


# ---------------------------------------------------------------- policy (also what the SSM hands out)
def policy_from_dict(data: Mapping[str, Any]) -> Policy:
    """A policy as the SSM sends it; terms it leaves out are Cisco's defaults."""

    def terms(kind: str) -> ReportingTerms:
        value = data.get(kind)
        if value is None:
            return getattr(CISCO_DEFAULT_POLICY, kind)  # type: ignore[no-any-return]
        first, frequency, on_change = (int(days) for days in value)
        return ReportingTerms(first, frequency, on_change)

    return Policy(
        name=data.get("name"),
        source=str(data.get("source", CISCO_DEFAULT_POLICY.source)),
        ack_required=bool(data.get("ack_required", True)),
        perpetual=terms("perpetual"),
        subscription=terms("subscription"),
        enforced=terms("enforced"),
        export=terms("export"),
    )


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    data: dict[str, Any] = {"name": policy.name, "source": policy.source, "ack_required": policy.ack_required}
    for kind in _TERMS:
        terms: ReportingTerms = getattr(policy, kind)
        data[kind] = [terms.first_report, terms.frequency, terms.on_change]
    return data


# ---------------------------------------------------------------- the whole state
def state_to_dict(state: LicensingState) -> dict[str, Any]:
    pending = state.pending
    account = state.account
    return {
        "base": state.base,
        "addon": state.addon,
        "trust": {udi: iso(installed) for udi, installed in state.trust.items()},
        "slacs": {
            udi: {"code": slac.code, "installed": iso(slac.installed), "entitlement": slac.entitlement}
            for udi, slac in state.slacs.items()
        },
        "last_return": dict(state.last_return),
        "pending": None
        if pending is None
        else {
            "mode": pending.mode,
            "scope": pending.scope,
            "udis": list(pending.udis),
            "remove": dict(pending.remove),
            "returns": list(pending.returns),
            "created": iso(pending.created),
            "nonce": pending.nonce,
        },
        "pending_returns": [[entry.udi, entry.code] for entry in state.pending_returns],
        "account": None
        if account is None
        else {
            "smart_account": account.smart_account,
            "virtual_account": account.virtual_account,
            "as_of": iso(account.as_of),
        },
        "policy": policy_to_dict(state.policy) if state.policy is not None else None,
        "policy_installed": iso(state.policy_installed),
        "reporting": {name: iso(getattr(state.reporting, name)) for name in _MOMENTS},
        "reports": [
            {
                "id": report.id,
                "tag": report.tag,
                "count": report.count,
                "state": report.state.value,
                "start": iso(report.start),
                "end": iso(report.end),
            }
            for report in state.reports
        ],
        "hsec_in_use": state.hsec_in_use,
        "comm_failed": state.comm_failed,
        "last_catch_up": iso(state.last_catch_up),
        "purged": state.purged,
        "last_report_id": state.last_report_id,
    }


def state_from_dict(data: Mapping[str, Any]) -> LicensingState:
    """The state saved by :func:`state_to_dict`, or by the lab before its state was typed (same shape)."""
    state = LicensingState()
    if "base" in data:
        state.base = str(data["base"])
    if "addon" in data:
        state.addon = data["addon"]
    state.trust = {udi: _required(text) for udi, text in (data.get("trust") or {}).items()}
    state.slacs = {
        udi: InstalledSlac(str(slac["code"]), _required(slac["installed"]), str(slac["entitlement"]))
        for udi, slac in (data.get("slacs") or {}).items()
    }
    state.last_return = {udi: str(code) for udi, code in (data.get("last_return") or {}).items()}
    pending = data.get("pending")
    if pending:
        state.pending = SlacRequest(
            mode=str(pending["mode"]),
            scope=str(pending["scope"]),
            udis=list(pending["udis"]),
            remove=dict(pending["remove"]),
            returns=list(pending["returns"]),
            created=_required(pending["created"]),
            nonce=str(pending["nonce"]),
        )
    state.pending_returns = [
        PendingReturn(str(udi), str(code)) for udi, code in data.get("pending_returns") or []
    ]
    account = data.get("account")
    if account:
        state.account = Account(
            str(account.get("smart_account", "")),
            str(account.get("virtual_account", "")),
            _required(account["as_of"]),
        )
    policy = data.get("policy")
    state.policy = policy_from_dict(policy) if policy else None  # an empty policy meant "none"
    state.policy_installed = moment(data.get("policy_installed"))
    reporting = data.get("reporting") or {}
    state.reporting = Reporting(**{name: moment(reporting.get(name)) for name in _MOMENTS})
    state.reports = [
        UsageReport(
            id=int(report["id"]),
            tag=str(report["tag"]),
            count=int(report["count"]),
            state=ReportState(report["state"]),
            start=_required(report["start"]),
            end=moment(report.get("end")),
        )
        for report in data.get("reports") or []
    ]
    state.hsec_in_use = bool(data.get("hsec_in_use", False))
    state.comm_failed = bool(data.get("comm_failed", False))
    state.last_catch_up = moment(data.get("last_catch_up"))
    state.purged = int(data.get("purged", 0))
    state.last_report_id = int(data.get("last_report_id", state.last_report_id))
    return state
