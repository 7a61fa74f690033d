"""The switch's saved files read into what Cisco's licensing API takes: SLAC request items, usage reports
and return codes. Cisco's own files (``smartLicenseAuthRequest``/``RUMReport`` beside a
``smartLicenseSystemInfo``) and the lab's (named parts) are both read; the payloads go through untouched.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from pydantic import BaseModel, ConfigDict

from nornir_catlic.errors import ParseError
from nornir_catlic.models.common import Udi

_RETURN_CODE_GROUPS = 9  # eight groups of six and one of three: Cr9JHx-...-Rp7


class EntitlementKey(BaseModel):
    model_config = ConfigDict(frozen=True)

    entitlement: str
    count: int = 1


class SlacRequestItem(BaseModel):
    """One UDI's part of a saved SLAC request."""

    model_config = ConfigDict(frozen=True)

    udi: Udi
    keys: tuple[EntitlementKey, ...] = ()
    confirm_code: str = ""
    remove_code: str = ""


class SlacRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    hostname: str = ""
    items: tuple[SlacRequestItem, ...]


class UsageReport(BaseModel):
    """A saved usage file: the reporting UDI and its RUM reports, each payload the exact text to forward."""

    model_config = ConfigDict(frozen=True)

    udi: Udi
    hostname: str = ""
    software_tag: str = ""
    payloads: tuple[str, ...]
    signatures: tuple[dict[str, Any], ...] = ()


def read_slac_request(text: str, *, source: str = "SLAC request") -> SlacRequest:
    """The UDIs, keys and codes of a ``license smart authorization request save`` file."""
    parts = _parts(text, source)
    info = _system_info(parts)
    raw = parts.get("authorizationRequest", parts.get("smartLicenseAuthRequest"))
    if isinstance(raw, dict):
        raw = raw.get("data", raw)
    if not isinstance(raw, list) or not raw:
        raise ParseError("a SLAC request without any UDI", command=source)
    items = []
    for entry in raw:
        udi = _udi(entry.get("udi") or entry.get("sudi")) if isinstance(entry, dict) else None
        if udi is None or not isinstance(entry, dict):
            raise ParseError(f"a SLAC request entry without a UDI: {entry!r}", command=source)
        keys = tuple(
            EntitlementKey(entitlement=str(key["entitlement"]), count=int(key.get("count", 1)))
            for key in entry.get("keys") or []
            if isinstance(key, dict) and key.get("entitlement") and int(key.get("count", 1)) > 0
        )
        items.append(
            SlacRequestItem(
                udi=udi,
                keys=keys,
                confirm_code=str(entry.get("confirm_code") or ""),
                remove_code=str(entry.get("remove_code") or ""),
            )
        )
    return SlacRequest(hostname=str(info.get("hostname", "")), items=tuple(items))


def read_usage(text: str, *, source: str = "usage file") -> UsageReport:
    """The RUM reports of a ``license smart save usage`` file."""
    root = _root(text, source)
    parts = {child.tag: child for child in root[0]} if len(root) == 1 else {}
    if root[0].tag == "smartLicenseUsage" and "RUMReport" in parts:  # the lab's: one list of reports
        header = json.loads(parts["header"].text or "{}") if "header" in parts else {}
        reports = json.loads(parts["RUMReport"].text or "[]")
        udi = _udi(header.get("udi"))
        if udi is None or not isinstance(reports, list) or not reports:
            raise ParseError("a usage file without its UDI or reports", command=source)
        return UsageReport(
            udi=udi,
            hostname=str(header.get("hostname") or ""),
            software_tag=udi.pid,
            payloads=tuple(json.dumps(report, sort_keys=True) for report in reports),
        )
    info = _system_info({child.tag: _json(child) for child in root})
    udi = _udi(info.get("sudi") or info.get("udi"))
    payloads, signatures = [], []
    for child in root.iter("RUMReport"):
        report = _json(child)
        if isinstance(report, dict) and isinstance(report.get("payload"), str):
            payloads.append(report["payload"])  # Cisco signed these exact bytes
            signatures.append(dict(report.get("signature") or {}))
    if udi is None or not payloads:
        raise ParseError("a usage file without its UDI or RUM reports", command=source)
    return UsageReport(
        udi=udi,
        hostname=str(info.get("hostname") or ""),
        software_tag=str(info.get("software_tag_identifier") or udi.pid),
        payloads=tuple(payloads),
        signatures=tuple(signatures),
    )


def read_return_codes(text: str) -> list[tuple[Udi | None, str]]:
    """(UDI or None, return code) pairs from a return file, the printed text, or a bare code."""
    pairs: list[tuple[Udi | None, str]] = []
    udi: Udi | None = None
    for line in text.splitlines():
        label, colon, value = line.strip().partition(":")
        if colon and label.strip() == "UDI":
            udi = _udi(value.strip())
            continue
        for word in (value if colon else line).split():
            if _is_return_code(word):
                pairs.append((udi, word))
                udi = None
    return pairs


def _is_return_code(word: str) -> bool:
    groups = word.split("-")
    return (
        len(groups) == _RETURN_CODE_GROUPS
        and all(len(group) == 6 for group in groups[:-1])
        and len(groups[-1]) == 3
        and all(group.isascii() and group.isalnum() for group in groups)
    )


def _root(text: str, source: str) -> ET.Element:
    try:
        root = ET.fromstring(text.strip().lstrip("\ufeff"))
    except ET.ParseError as error:
        raise ParseError(f"not a Smart Licensing file (not XML: {error})", command=source) from None
    if root.tag != "smartLicense" or not len(root):
        raise ParseError("not a <smartLicense> file", command=source)
    return root


def _parts(text: str, source: str) -> dict[str, Any]:
    """Every element under the root and under its only child, by name, JSON read where it is JSON."""
    root = _root(text, source)
    parts: dict[str, Any] = {}
    for child in root:
        parts[child.tag] = _json(child)
        for grandchild in child:
            parts.setdefault(grandchild.tag, _json(grandchild))
    return parts


def _json(element: ET.Element) -> Any:
    if len(element):
        return {child.tag: _json(child) for child in element}
    text = (element.text or "").strip()
    try:
        return json.loads(text)
    except ValueError:
        return text


def _system_info(parts: dict[str, Any]) -> dict[str, Any]:
    info = parts.get("systemInfo", parts.get("smartLicenseSystemInfo", {}))
    if isinstance(info, dict) and isinstance(info.get("data"), dict):
        info = info["data"]
    return info if isinstance(info, dict) else {}


def _udi(value: object) -> Udi | None:
    if isinstance(value, dict):
        pid = value.get("udi_pid", value.get("pid"))
        serial = value.get("udi_serial_number", value.get("sn"))
        if isinstance(pid, str) and isinstance(serial, str) and pid and serial:
            return Udi(pid=pid, serial=serial)
        return None
    if isinstance(value, str):
        pid_part, _, serial_part = value.partition(",")
        pid = pid_part.partition(":")[2].strip()
        serial = serial_part.partition(":")[2].strip()
        return Udi(pid=pid, serial=serial) if pid and serial else None
    return None


__all__ = [
    "SlacRequest",
    "SlacRequestItem",
    "UsageReport",
    "read_return_codes",
    "read_slac_request",
    "read_usage",
]
