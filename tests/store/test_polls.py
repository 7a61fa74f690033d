"""The store's poll handles: committed open, listed by another process's store object, finished once."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from nornir_catlic.store import Store
from nornir_catlic.store.polls import PollHandles
from nornir_catlic.store.schema import poll_handles

NOW = dt.datetime(2026, 12, 5, 0, 30, tzinfo=dt.timezone.utc)


def test_a_handle_is_open_for_each_switch_until_finished_and_a_failed_switch_is_told_apart(
    store_url: str,
) -> None:
    PollHandles(Store(store_url)).record(
        "slac-request", ["sw1", "sw2", "sw1"], "9007199254740993", submitted_at=NOW, deadline=NOW
    )
    later = PollHandles(Store(store_url))  # another run, its own connection
    opened = later.open("slac-request")
    assert [(h.host, h.poll_id, h.state, h.deadline) for h in opened] == [
        ("sw1", "9007199254740993", "open", NOW),
        ("sw2", "9007199254740993", "open", NOW),
    ]
    assert later.open("usage-report") == []
    later.finish("9007199254740993", {"sw1": {"answered": ["U1"]}, "sw2": "no key"}, failed=["sw2"])
    assert later.open() == []
    later.finish("9007199254740993", {})  # finished once: a second finish changes nothing
    rows = later.store.rows(select(poll_handles.c.host, poll_handles.c.state, poll_handles.c.answer))
    assert sorted((r.host, r.state, json.loads(r.answer)) for r in rows) == [
        ("sw1", "answered", {"answered": ["U1"]}),
        ("sw2", "failed", "no key"),
    ]
