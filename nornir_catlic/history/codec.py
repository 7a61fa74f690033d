"""A snapshot as the history stores it: canonical JSON without the run's time, its digest, compressed.

Two runs that saw a switch the same way give the same bytes, hence the same digest: the body is stored once.
The time of the run is kept in the run's row, never in the body, so that it cannot defeat the dedupe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from dataclasses import dataclass

from nornir_catlic.history.snapshot import HostSnapshot

COMPRESSION_LEVEL = 6
"""zlib's default: level 9 saves about 2 % more for twice the time (benchmarks/bench_history.py)."""


@dataclass(frozen=True)
class EncodedSnapshot:
    """A snapshot ready to store.

    Attributes:
        digest: 32 hex digits of BLAKE2b over the canonical JSON (host, state, findings, error).
        body: that JSON, zlib-compressed.
    """

    host: str
    digest: str
    body: bytes


def encode(snapshot: HostSnapshot) -> EncodedSnapshot:
    """The canonical form of ``snapshot``: sorted keys, no spaces, defaults left out, no ``taken_at``."""
    content = snapshot.model_dump(mode="json", exclude={"taken_at"}, exclude_defaults=True)
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    digest = hashlib.blake2b(text, digest_size=16).hexdigest()
    return EncodedSnapshot(snapshot.host, digest, zlib.compress(text, COMPRESSION_LEVEL))


def decode(body: bytes, taken_at: dt.datetime) -> HostSnapshot:
    """The snapshot a body holds, taken at ``taken_at`` (the run's start)."""
    content = json.loads(zlib.decompress(body))
    return HostSnapshot.model_validate({**content, "taken_at": taken_at})
