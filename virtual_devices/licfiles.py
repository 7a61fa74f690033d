"""Files and codes exchanged between the virtual switches and the simulated SSM.

Shapes follow the facts note: XML ``<smartLicense>`` envelopes holding JSON payloads, each signed. The
lab's "Cisco" signature is a SHA-256 over the payload with a fixed salt, so that a switch can tell a damaged
file from a good one without sharing state with the SSM. Confirmation and return codes are derived from the
authorization code's key material, so the SSM can recognise a return code it never saw printed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

_SALT = b"virtual-cisco-signing-key/1"
_RETURN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


class CorruptFileError(ValueError):
    """A file that is not one of ours, or whose signature does not match its payload."""


def udi_text(pid: str, serial: str) -> str:
    return f"PID:{pid},SN:{serial}"


def split_udi(udi: str) -> tuple[str, str]:
    match = re.fullmatch(r"\s*P(?:ID)?:([^,\s]+),\s*S(?:N)?:(\S+?)\s*", udi)
    if not match:
        raise ValueError(f"not a UDI: {udi!r}")
    return match.group(1), match.group(2)


def sign(payload: str) -> str:
    return hashlib.sha256(_SALT + payload.encode()).hexdigest()


def new_authorization_code(seed: str) -> str:
    """Key material for one SLAC: deterministic in ``seed`` (which carries a nonce from the SSM)."""
    return base64.b64encode(hashlib.sha512(_SALT + seed.encode()).digest()[:36]).decode()


def confirmation_code(authorization_code: str) -> str:
    """Eight hex digits, as ``Last Confirmation code: 6746c5b5``."""
    return hashlib.sha256(b"confirm:" + authorization_code.encode()).hexdigest()[:8]


def return_code(authorization_code: str, udi: str) -> str:
    """``Cr9JHx-L1x5Rj-ftwzgl-h9QZAU-LE5DT1-babWeL-FABPt9-Wr1Dn7-Rp7``: eight groups of six and one of three,
    the shape of the guide's sample."""
    digest = hashlib.sha512(b"return:" + authorization_code.encode() + udi.encode()).digest()
    chars = "".join(_RETURN_ALPHABET[b % len(_RETURN_ALPHABET)] for b in digest[:51])
    groups = [chars[i : i + 6] for i in range(0, 48, 6)] + [chars[48:51]]
    return "-".join(groups)


RETURN_CODE_PATTERN = re.compile(r"(?:[A-Za-z0-9]{6}-){8}[A-Za-z0-9]{3}")


# ---------------------------------------------------------------- envelopes
def _envelope(kind: str, parts: dict[str, Any]) -> str:
    body = "".join(
        f"<{name}>{_escape(json.dumps(value, sort_keys=True))}</{name}>" for name, value in parts.items()
    )
    signature = sign(body)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<smartLicense><{kind}>{body}'
        f"<signature>{signature}</signature></{kind}></smartLicense>\n"
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def read_envelope(text: str) -> tuple[str, dict[str, Any]]:
    """(kind, payload parts) of a file made by :func:`_envelope`; CorruptFileError on any damage."""
    try:
        root = ET.fromstring(text.strip())
    except ET.ParseError as exc:
        raise CorruptFileError(f"not an XML smartLicense file: {exc}") from None
    if root.tag != "smartLicense" or len(root) != 1:
        raise CorruptFileError("not a smartLicense file")
    node = root[0]
    parts: dict[str, Any] = {}
    body = ""
    signature = None
    for child in node:
        if child.tag == "signature":
            signature = (child.text or "").strip()
            continue
        raw = child.text or ""
        body += f"<{child.tag}>{_escape(raw)}</{child.tag}>"
        try:
            parts[child.tag] = json.loads(raw)
        except json.JSONDecodeError:
            raise CorruptFileError(f"damaged payload in <{child.tag}>") from None
    if signature != sign(body):
        raise CorruptFileError("signature does not match the payload")
    return node.tag, parts


# ---------------------------------------------------------------- SLAC (one per UDI)
@dataclass(frozen=True)
class Slac:
    udi: str
    authorization_code: str
    entitlement: str
    count: int
    smart_account: str
    virtual_account: str
    issued: str

    @property
    def confirmation_code(self) -> str:
        return confirmation_code(self.authorization_code)


def slac_file(slac: Slac) -> str:
    return _envelope(
        "smartLicenseAuthorization",
        {
            "udi": slac.udi,
            "authorizationCode": {
                "code": slac.authorization_code,
                "keys": [{"entitlement": slac.entitlement, "count": slac.count, "license_type": "PERPETUAL"}],
                "smart_account": slac.smart_account,
                "virtual_account": slac.virtual_account,
                "issued": slac.issued,
            },
        },
    )


def parse_slac(parts: dict[str, Any]) -> Slac:
    try:
        code = parts["authorizationCode"]
        key = code["keys"][0]
        return Slac(
            udi=str(parts["udi"]),
            authorization_code=str(code["code"]),
            entitlement=str(key["entitlement"]),
            count=int(key["count"]),
            smart_account=str(code["smart_account"]),
            virtual_account=str(code["virtual_account"]),
            issued=str(code["issued"]),
        )
    except (KeyError, IndexError, TypeError, ValueError):
        raise CorruptFileError("incomplete authorization code") from None


# ---------------------------------------------------------------- SLAC request
def request_file(system_info: dict[str, Any], requests: list[dict[str, Any]]) -> str:
    """``requests``: per UDI {udi, mode, keys: [{entitlement, count}], confirm_code, remove_code}."""
    return _envelope(
        "smartLicenseAuthorizationRequest", {"systemInfo": system_info, "authorizationRequest": requests}
    )


# ---------------------------------------------------------------- usage (RUM) reports and ACKs
def rum_file(header: dict[str, Any], reports: list[dict[str, Any]]) -> str:
    return _envelope("smartLicenseUsage", {"header": header, "RUMReport": reports})


def read_cisco_usage(text: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """(header, reports) of a usage file in Cisco's own shape: ``smartLicenseSystemInfo`` beside one
    ``RUMReport`` per report, each ``{"payload": <report JSON text>, "signature": {..., "value"}}`` as a
    switch's REST API hands them out. ``None`` when the file is not in that shape; CorruptFileError when a
    signature does not match its payload."""
    try:
        root = ET.fromstring(text.strip())
    except ET.ParseError:
        return None
    info = root.find("smartLicenseSystemInfo/data")
    if root.tag != "smartLicense" or info is None:
        return None
    try:
        system = json.loads(info.text or "")
        sudi = system["sudi"]
        udi = udi_text(str(sudi["udi_pid"]), str(sudi["udi_serial_number"]))
        reports = []
        for element in root.iter("RUMReport"):
            report = json.loads(element.text or "")
            payload = str(report["payload"])
            if report["signature"]["value"] != sign(payload):
                raise CorruptFileError("a RUM report's signature does not match its payload")
            reports.append(json.loads(payload))
    except (ValueError, KeyError, TypeError):
        raise CorruptFileError("damaged usage file (system info or RUM report)") from None
    return {"udi": udi, "hostname": str(system.get("hostname") or "")}, reports


def ack_file(ack: dict[str, Any]) -> str:
    return _envelope("smartLicenseAck", {"ack": ack})


# ---------------------------------------------------------------- return codes
def return_text(entries: list[tuple[str, str]]) -> str:
    """What `license smart authorization return ... offline` prints or saves."""
    lines = ["Enter this return code in Cisco Smart Software Manager portal:"]
    for udi, code in entries:
        lines += [f"UDI: {udi}", f"Return code: {code}"]
    return "\n".join(lines) + "\n"


def parse_return_text(text: str) -> list[tuple[str | None, str]]:
    """(UDI or None, return code) pairs from a return file, the printed text, or a bare code."""
    entries: list[tuple[str | None, str]] = []
    udi: str | None = None
    for line in text.splitlines():
        match = re.match(r"\s*UDI:\s*(\S+)", line)
        if match:
            udi = match.group(1)
            continue
        code = RETURN_CODE_PATTERN.search(line.replace(" ", ""))
        if code:
            entries.append((udi, code.group(0)))
            udi = None
    return entries
