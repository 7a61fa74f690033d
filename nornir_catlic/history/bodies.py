"""Snapshot bodies in the store, each compressed against the host's previous snapshot.

A switch's next snapshot differs from its last in a few values (an ACK's date, one SLAC), so its JSON is
compressed with zlib using the previous snapshot's JSON as the preset dictionary: about a tenth of the size
compressed alone (``benchmarks/bench_history.py``). A body names its ``base``; reading one reads its chain
of bases, at most :data:`MAX_DEPTH` long (the next snapshot after that is stored whole), so a read costs a
few decompressions of a few kilobytes. A base is kept as long as a body depends on it (:func:`drop_unused`).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, delete, select

from nornir_catlic.history.codec import COMPRESSION_LEVEL, EncodedSnapshot
from nornir_catlic.store.schema import history_snapshots, history_spans

MAX_DEPTH = 15
"""Bodies compressed against a base, in a row, before one is stored whole again."""

_CHUNK = 500  # bound parameters per IN (...) list: well under SQLite's limit


def load_texts(connection: Connection, digests: Iterable[str]) -> dict[str, bytes]:
    """digest -> the snapshot's JSON, for every digest asked for (and their bases, read on the way)."""
    rows: dict[str, tuple[str | None, bytes]] = {}
    wanted = set(digests)
    while wanted:
        found = _rows(connection, wanted)
        rows.update(found)
        wanted = {base for base, _ in found.values() if base is not None and base not in rows}
    texts: dict[str, bytes] = {}
    for digest in rows:
        _text(digest, rows, texts)
    return texts


def store_new(connection: Connection, snapshots: list[EncodedSnapshot], previous: Mapping[str, str]) -> None:
    """Store the bodies of ``snapshots`` not stored yet, each against the host's ``previous`` digest."""
    wanted = {snapshot.digest: snapshot for snapshot in snapshots}
    for digest in _existing(connection, list(wanted)):
        del wanted[digest]
    if not wanted:
        return
    bases = {previous[s.host] for s in wanted.values() if s.host in previous}
    depths = _depths(connection, bases)
    texts = load_texts(connection, [base for base, depth in depths.items() if depth < MAX_DEPTH])
    rows = []
    for digest, snapshot in wanted.items():
        base = previous.get(snapshot.host)
        base_text = texts.get(base) if base is not None else None
        if base_text is None or base is None:
            rows.append({"digest": digest, "base": None, "depth": 0, "body": snapshot.body})
            continue
        packer = zlib.compressobj(COMPRESSION_LEVEL, zdict=base_text)
        body = packer.compress(snapshot.text) + packer.flush()
        rows.append({"digest": digest, "base": base, "depth": depths[base] + 1, "body": body})
    connection.execute(history_snapshots.insert(), rows)


def drop_unused(connection: Connection) -> int:
    """Delete the bodies no span shows and no other body is compressed against; how many."""
    dropped = 0
    while True:
        used = select(history_spans.c.digest).where(history_spans.c.digest == history_snapshots.c.digest)
        other = history_snapshots.alias("other")
        based = select(other.c.digest).where(other.c.base == history_snapshots.c.digest)
        count = connection.execute(delete(history_snapshots).where(~used.exists(), ~based.exists())).rowcount
        if not count:
            return dropped
        dropped += count


def _text(digest: str, rows: Mapping[str, tuple[str | None, bytes]], texts: dict[str, bytes]) -> bytes:
    chain = []
    current: str | None = digest
    while current is not None and current not in texts:
        chain.append(current)
        current = rows[current][0]
    for link in reversed(chain):
        base, body = rows[link]
        if base is None:
            texts[link] = zlib.decompress(body)
        else:
            unpacker = zlib.decompressobj(zdict=texts[base])
            texts[link] = unpacker.decompress(body) + unpacker.flush()
    return texts[digest]


def _rows(connection: Connection, digests: set[str]) -> dict[str, tuple[str | None, bytes]]:
    found: dict[str, tuple[str | None, bytes]] = {}
    ordered = sorted(digests)
    table = history_snapshots.c
    for start in range(0, len(ordered), _CHUNK):
        query = select(table.digest, table.base, table.body).where(
            table.digest.in_(ordered[start : start + _CHUNK])
        )
        found.update((row.digest, (row.base, row.body)) for row in connection.execute(query))
    return found


def _existing(connection: Connection, digests: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(digests), _CHUNK):
        query = select(history_snapshots.c.digest).where(
            history_snapshots.c.digest.in_(digests[start : start + _CHUNK])
        )
        found.update(row.digest for row in connection.execute(query))
    return found


def _depths(connection: Connection, digests: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    ordered = sorted(digests)
    for start in range(0, len(ordered), _CHUNK):
        query = select(history_snapshots.c.digest, history_snapshots.c.depth).where(
            history_snapshots.c.digest.in_(ordered[start : start + _CHUNK])
        )
        found.update((row.digest, row.depth) for row in connection.execute(query))
    return found
