"""A snapshot as the history stores it: canonical JSON without the run's time, its digest, compressed.

Two runs that saw a switch the same way give the same bytes, hence the same digest: the body is stored once.
The time of the run is kept in the run's row, never in the body, so that it cannot defeat the dedupe. The
JSON is pydantic's, in the models' field order (dicts in the order the switch listed them), default values
left out: a catlic that adds a field with a default keeps the digests of what it recorded before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from dataclasses import dataclass

from nornir_catlic.history.snapshot import HostSnapshot

COMPRESSION_LEVEL = 6
"""zlib's default level."""


@dataclass(frozen=True)
class EncodedSnapshot:
    """A snapshot ready to store.

    Attributes:
        digest: 32 hex digits of BLAKE2b over the canonical JSON (host, state, findings, error).
        text: that JSON.
    """

    host: str
    digest: str
    text: bytes

    @property
    def body(self) -> bytes:
        """The JSON compressed: computed only for a snapshot not stored yet (most hosts are unchanged)."""
        return zlib.compress(self.text, COMPRESSION_LEVEL)


def encode(snapshot: HostSnapshot) -> EncodedSnapshot:
    """The canonical form of ``snapshot``: no ``taken_at``, defaults left out, its digest."""
    text = snapshot.model_dump_json(exclude={"taken_at"}, exclude_defaults=True).encode()
    return EncodedSnapshot(snapshot.host, hashlib.blake2b(text, digest_size=16).hexdigest(), text)


def decode(text: bytes, taken_at: dt.datetime) -> HostSnapshot:
    """The snapshot a JSON text holds, taken at ``taken_at`` (the run's start)."""
    moment = json.dumps(taken_at.isoformat()).encode()
    return HostSnapshot.model_validate_json(b'{"taken_at":' + moment + b"," + text[1:])
