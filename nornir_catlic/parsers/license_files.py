"""The Smart Licensing files exchanged with Cisco SSM: XML ``<smartLicense>`` envelopes, read with the stdlib.

The switch's SLAC request and usage files, SSM's SLAC and ACK files. Each part of an envelope holds JSON
(``<data>`` in Cisco's files, named parts in the lab's) or, inside an authorization code, escaped XML; the
reader looks through both for the few facts that tell which exchange a file belongs to (its kind, its
UDIs, when it was made, a nonce). A file that is not such an envelope is a :class:`ParseError`: SSM never
hands back a ``README.txt``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from nornir_catlic.errors import ParseError
from nornir_catlic.models.common import Udi
from nornir_catlic.models.license_files import LicenseFile, LicenseFileKind

MAX_FILE_SIZE = 1_000_000
"""No file SSM or the switch writes comes near this; a bigger one is refused unread."""

_MAX_DEPTH = 4  # JSON and escaped XML nest a few levels in real files, never more
_DATE_KEYS = ("issued", "timestamp", "issue_time", "created")
_UDI_KEYS = ("udi", "sudi")
_EPOCH_MS = 100_000_000_000  # an epoch number above this counts milliseconds (year 5138 in seconds)


def parse_license_file(text: str, *, source: str = "license file") -> LicenseFile:
    """What a Smart Licensing file is and which exchange it belongs to.

    Args:
        source: how to name the file in errors (its file name).

    Raises:
        ParseError: the text is not a ``<smartLicense>`` file of a known kind.
    """
    if len(text) > MAX_FILE_SIZE:
        raise ParseError(f"{len(text)} characters: not a Smart Licensing file", command=source)
    try:
        root = ET.fromstring(text.strip().lstrip("\ufeff"))
    except ET.ParseError as error:
        raise ParseError(f"not a Smart Licensing file (not XML: {error})", command=source) from None
    if _local(root.tag) != "smartLicense":
        raise ParseError(
            f"not a Smart Licensing file (its root is <{_local(root.tag)}>, not <smartLicense>)",
            command=source,
        )
    if not len(root):
        raise ParseError("an empty <smartLicense> file", command=source)
    parts = {_local(child.tag): child for child in root}
    element, kind = _kind(parts, source)
    body = parts[element]
    found = _Facts()
    for child in body:
        name = _local(child.tag)
        if name != "signature":
            found.read(name, _value(child), 0, with_udis=True)
    info = next((parts[name] for name in parts if name.endswith("SystemInfo")), None)
    if info is not None:  # Cisco's request and usage files: system info beside the payload
        for child in info:
            found.read(_local(child.tag), _value(child), 0, with_udis=False)
    return LicenseFile(
        kind=kind,
        element=element,
        udis=tuple(dict.fromkeys(found.udis)),
        issued_at=found.issued_at,
        nonce=found.nonce,
        ack_type=found.ack_type if kind is LicenseFileKind.ACK else None,
        fingerprint=_fingerprint(body),
    )


def _kind(parts: dict[str, ET.Element], source: str) -> tuple[str, LicenseFileKind]:
    for name in parts:
        lowered = name.lower()
        if lowered.endswith("ack"):
            return name, LicenseFileKind.ACK
        if "request" in lowered and "auth" in lowered:
            return name, LicenseFileKind.SLAC_REQUEST
        if "usage" in lowered or "rum" in lowered:
            return name, LicenseFileKind.USAGE
        if lowered == "smartlicenseauthorization":
            return name, LicenseFileKind.SLAC
    raise ParseError(
        f"a <smartLicense> file of no known kind ({', '.join(parts)}): "
        "not a SLAC, ACK, request or usage file",
        command=source,
    )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _value(element: ET.Element) -> object:
    """An element's content: JSON when it holds JSON, its children by name, else its text."""
    text = (element.text or "").strip()
    if len(element):
        return {_local(child.tag): _value(child) for child in element}
    if text[:1] in ("{", "[", '"'):
        try:
            return json.loads(text)
        except ValueError:
            return text
    if text.startswith("<"):  # an authorization code: XML escaped inside the element
        try:
            return _value(ET.fromstring(text))
        except ET.ParseError:
            return text
    return text


class _Facts:
    """The facts found so far while walking a file's parts (first found wins, except UDIs: all kept)."""

    def __init__(self) -> None:
        self.udis: list[Udi] = []
        self.issued_at: dt.datetime | None = None
        self.nonce: str | None = None
        self.ack_type: str | None = None

    def read(self, key: str, value: object, depth: int, *, with_udis: bool) -> None:
        """Take the facts under ``key``; ``with_udis`` False in system information, where the UDIs are
        the device's units, not the ones the file is about."""
        if depth > _MAX_DEPTH:
            return
        lowered = key.lower()
        if lowered in _UDI_KEYS or lowered == "udis":
            if with_udis:
                self.udis.extend(_udis(value))
            return
        with_udis = with_udis and "systeminfo" not in lowered
        if lowered in _DATE_KEYS and self.issued_at is None:
            self.issued_at = _moment(value)
        elif lowered == "nonce" and self.nonce is None and isinstance(value, (str, int)):
            self.nonce = str(value)
        elif lowered == "type" and self.ack_type is None and isinstance(value, str):
            self.ack_type = value.lower()
        for child_key, child in _items(value):
            self.read(child_key, child, depth + 1, with_udis=with_udis)


def _items(value: object) -> Iterator[tuple[str, object]]:
    if isinstance(value, dict):
        yield from ((str(key), item) for key, item in value.items())
    elif isinstance(value, list):
        for item in value:
            yield from _items(item)


def _udis(value: object) -> list[Udi]:
    """UDIs as files write them: ``PID:..,SN:..`` (or ``P:..,S:..``), ``{pid, sn}``, ``{udi_pid,
    udi_serial_number}``, or a list of those."""
    if isinstance(value, list):
        return [udi for item in value for udi in _udis(item)]
    if isinstance(value, dict):
        lowered = {str(key).lower(): item for key, item in value.items()}
        pid = lowered.get("pid", lowered.get("udi_pid"))
        serial = lowered.get("sn", lowered.get("serial", lowered.get("udi_serial_number")))
        if isinstance(pid, str) and isinstance(serial, str) and pid.strip() and serial.strip():
            return [Udi(pid=pid.strip(), serial=serial.strip())]
        return []
    if isinstance(value, str):
        pid_part, comma, serial_part = value.strip().partition(",")
        pid_key, _, pid = pid_part.partition(":")
        serial_key, _, serial = serial_part.partition(":")
        keys_known = pid_key.strip() in ("PID", "P") and serial_key.strip() in ("SN", "S")
        if comma and keys_known and pid.strip() and serial.strip():
            return [Udi(pid=pid.strip(), serial=serial.strip())]
    return []


def _moment(value: object) -> dt.datetime | None:
    """An ISO 8601 text or an epoch number (seconds or milliseconds) as an aware datetime."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > _EPOCH_MS else value
        try:
            return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    return None


def _fingerprint(body: ET.Element) -> str:
    """The authorization code's digest (a SLAC), else the whole payload's, signature left out."""
    code = next((child for child in body if _local(child.tag) == "authorizationCode"), None)
    parts = [code] if code is not None else [c for c in body if _local(c.tag) != "signature"]
    digest = hashlib.sha256()
    for part in parts:
        digest.update(ET.tostring(part, encoding="utf-8"))
    return digest.hexdigest()


__all__ = ["MAX_FILE_SIZE", "parse_license_file"]
