"""The licensing state as JSON in a device's state file, and back.

The shape is the one the lab has always written, so state folders written before the state was typed load
unchanged: each record is an object keyed by its field names, moments are ISO strings, a policy's terms
are ``[first, frequency, on change]`` lists and pending returns ``[udi, code]`` pairs. Missing keys take
their defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar, get_type_hints

from virtual_devices.licensing.state import (
    CISCO_DEFAULT_POLICY,
    Account,
    InstalledSlac,
    LicensingState,
    PendingReturn,
    Policy,
    Reporting,
    ReportingTerms,
    SlacRequest,
    UsageReport,
)

_TERMS = ("perpetual", "subscription", "enforced", "export")
_MOMENT_TYPES = (datetime, datetime | None)
Record = TypeVar("Record")


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


# ---------------------------------------------------------------- records: field name = JSON key
def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | dict):
        return type(value)(value)  # a copy: the saved dict must not move with the state
    return value


def _record_to_dict(record: Any) -> dict[str, Any] | None:
    if record is None:
        return None
    return {field.name: _plain(getattr(record, field.name)) for field in fields(record)}


_FIELD_TYPES: dict[type, dict[str, Any]] = {}  # get_type_hints is slow; a lab loads thousands of records


def _field_types(cls: type) -> dict[str, Any]:
    if cls not in _FIELD_TYPES:
        _FIELD_TYPES[cls] = get_type_hints(cls)
    return _FIELD_TYPES[cls]


def _record_from_dict(cls: type[Record], data: Mapping[str, Any]) -> Record:
    types = _field_types(cls)
    values: dict[str, Any] = {}
    for field in fields(cls):  # type: ignore[arg-type]
        if field.name not in data:
            continue
        raw, kind = data[field.name], types[field.name]
        if kind in _MOMENT_TYPES:
            values[field.name] = moment(raw)
        elif isinstance(kind, type) and issubclass(kind, Enum):
            values[field.name] = kind(raw)
        else:
            values[field.name] = _plain(raw)
    return cls(**values)


# ---------------------------------------------------------------- policy (also what the SSM hands out)
def policy_from_dict(data: Mapping[str, Any]) -> Policy:
    """A policy as the SSM sends it; terms it leaves out are Cisco's defaults."""

    def terms(kind: str) -> ReportingTerms:
        value = data.get(kind)
        if value is None:
            default: ReportingTerms = getattr(CISCO_DEFAULT_POLICY, kind)
            return default
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
    return {
        "base": state.base,
        "addon": state.addon,
        "trust": {udi: iso(installed) for udi, installed in state.trust.items()},
        "slacs": {udi: _record_to_dict(slac) for udi, slac in state.slacs.items()},
        "last_return": dict(state.last_return),
        "pending": _record_to_dict(state.pending),
        "pending_returns": [[entry.udi, entry.code] for entry in state.pending_returns],
        "account": _record_to_dict(state.account),
        "policy": policy_to_dict(state.policy) if state.policy is not None else None,
        "policy_installed": iso(state.policy_installed),
        "reporting": _record_to_dict(state.reporting),
        "reports": [_record_to_dict(report) for report in state.reports],
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
    state.trust = {udi: datetime.fromisoformat(text) for udi, text in (data.get("trust") or {}).items()}
    state.slacs = {
        udi: _record_from_dict(InstalledSlac, slac) for udi, slac in (data.get("slacs") or {}).items()
    }
    state.last_return = dict(data.get("last_return") or {})
    if data.get("pending"):
        state.pending = _record_from_dict(SlacRequest, data["pending"])
    state.pending_returns = [PendingReturn(udi, code) for udi, code in data.get("pending_returns") or []]
    if data.get("account"):
        state.account = _record_from_dict(Account, data["account"])
    policy = data.get("policy")
    state.policy = policy_from_dict(policy) if policy else None  # an empty policy meant "none"
    state.policy_installed = moment(data.get("policy_installed"))
    state.reporting = _record_from_dict(Reporting, data.get("reporting") or {})
    state.reports = [_record_from_dict(UsageReport, report) for report in data.get("reports") or []]
    state.hsec_in_use = bool(data.get("hsec_in_use", False))
    state.comm_failed = bool(data.get("comm_failed", False))
    state.last_catch_up = moment(data.get("last_catch_up"))
    state.purged = int(data.get("purged", 0))
    state.last_report_id = int(data.get("last_report_id", state.last_report_id))
    return state
