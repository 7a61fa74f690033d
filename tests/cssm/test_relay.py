"""The relay answers a file drop's awaited files through Cisco's API (the lab's, over HTTPS): batches of
switches per request, poll handles journaled before polling, a poll past its deadline resumed, not resent."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from lab.rig import Terminal
from sqlalchemy import select
from workflows.labkit import c9300x_stack

from nornir_catlic.cssm import CssmPortal
from nornir_catlic.cssm.relay import (
    JOURNAL_HOST,
    STEP_ANSWERED,
    STEP_SUBMITTED,
    WORKFLOW,
    CssmRelay,
    RelayOutcome,
)
from nornir_catlic.errors import JournalError
from nornir_catlic.journal import Journal
from nornir_catlic.models.license_files import LicenseFileKind
from nornir_catlic.parsers.license_files import parse_license_file
from nornir_catlic.portal import ExchangeKind, FileDropPortal, Submission
from nornir_catlic.store.polls import PollHandles
from nornir_catlic.store.schema import poll_handles

from .conftest import Api


def _usage_submissions(api: Api, drop: FileDropPortal, count: int) -> list[Submission]:
    submissions = []
    devices = [
        api.rig.device(c9300x_stack(f"sw{n}", f"FOCR{n}", members=1, transport="off")) for n in range(count)
    ]
    api.rig.clock.advance(seconds=120)  # measurements need time to measure something
    for n, device in enumerate(devices):
        assert Terminal(device).run("license smart save usage unreported file bootflash:rum.txt") == ""
        text = (device.bootflash / "rum.txt").read_text()
        submissions.append(drop.submit(f"sw{n}", ExchangeKind.USAGE_REPORT, text))
    return submissions


def test_usage_goes_in_batches_and_every_ack_lands_in_its_switchs_inbox(api: Api, tmp_path: Path) -> None:
    drop = FileDropPortal(tmp_path / "drop")
    submissions = _usage_submissions(api, drop, 5)
    journal = Journal(tmp_path / "journal.jsonl")
    with api.client(batch_size=2) as client:
        outcome = CssmRelay(CssmPortal(client), drop, journal).relay()
    assert outcome.failed == {} and outcome.waiting == {}
    assert outcome.submissions == 3 and api.service.submissions("acknowledgements") == 3
    assert sorted(s.host for s in outcome.answered) == [f"sw{n}" for n in range(5)]
    for submission in submissions:
        (answer,) = drop.answers(submission, claim=False)
        assert answer.name == "usage-ack.txt"
        assert parse_license_file(answer.text).kind is LicenseFileKind.ACK
    assert len(journal.records(JOURNAL_HOST, WORKFLOW, STEP_SUBMITTED)) == 3
    assert len(journal.records(JOURNAL_HOST, WORKFLOW, STEP_ANSWERED)) == 3


def test_two_relays_of_one_drop_at_once_submit_each_file_once(api: Api, tmp_path: Path) -> None:
    # Two runs relaying the same waiting files at the same time: the second waits for the first and then finds
    # the exchanges answered, so no request file is sent twice (a second SLAC request would spend a key).
    drop = FileDropPortal(tmp_path / "drop")
    _usage_submissions(api, drop, 2)
    api.faults(polls_before_complete=3, poll_interval=0.1)  # the first relay is still polling when both start
    start = threading.Barrier(2)
    outcomes: list[RelayOutcome] = []

    def relay() -> None:
        with api.client() as client:
            relay = CssmRelay(CssmPortal(client), drop, Journal(tmp_path / "journal.jsonl"))
            start.wait()
            outcomes.append(relay.relay())

    runs = [threading.Thread(target=relay) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=120)
    assert api.service.submissions("acknowledgements") == 1
    assert sorted(outcome.submissions for outcome in outcomes) == [0, 1]
    assert [outcome.failed for outcome in outcomes] == [{}, {}]


def test_a_poll_past_its_deadline_waits_and_the_next_relay_resumes_it_without_resending(
    api: Api, tmp_path: Path
) -> None:
    drop = FileDropPortal(tmp_path / "drop")
    submissions = _usage_submissions(api, drop, 2)
    api.faults(polls_before_complete=8, poll_interval=0.1)
    with api.client(poll_deadline=0.3) as client:
        late = CssmRelay(CssmPortal(client), drop, Journal(tmp_path / "journal.jsonl")).relay()
    assert set(late.waiting) == {"sw0", "sw1"} and late.answered == []
    assert "was not ready by" in late.waiting["sw0"] and api.service.url in late.waiting["sw0"]
    assert all(drop.answers(s, claim=False) == [] for s in submissions)
    handles = PollHandles(Journal(tmp_path / "journal.jsonl").store)
    still_open = handles.open()
    assert sorted(h.host for h in still_open) == ["sw0", "sw1"] and len({h.poll_id for h in still_open}) == 1
    (named,) = Journal(tmp_path / "journal.jsonl").records(JOURNAL_HOST, WORKFLOW, STEP_SUBMITTED)
    assert f'"poll_id":{still_open[0].poll_id}' in str(named.data["handle"])  # the operator sees the id
    with api.client() as client:  # a new process, for sw0 alone: the store holds the handle of both
        resumed = CssmRelay(CssmPortal(client), drop, Journal(tmp_path / "journal.jsonl")).relay({"sw0"})
    assert resumed.submissions == 0 and sorted(s.host for s in resumed.answered) == ["sw0", "sw1"]
    assert api.service.submissions("acknowledgements") == 1
    assert all(len(drop.answers(s, claim=False)) == 1 for s in submissions)
    assert handles.open() == []
    answered = handles.store.rows(select(poll_handles.c.host, poll_handles.c.state, poll_handles.c.answer))
    assert sorted((row.host, row.state) for row in answered) == [("sw0", "answered"), ("sw1", "answered")]
    assert all(json.loads(row.answer)["answered"] for row in answered)


def test_the_journal_refuses_the_client_secret(api: Api, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.jsonl")
    with api.client() as client:
        CssmRelay(CssmPortal(client), FileDropPortal(tmp_path / "drop"), journal)
    secret = api.service.credentials.client_secret
    with pytest.raises(JournalError, match="known secret"):
        journal.append("sw0", "test", "leak", data={"note": f"x{secret}x"})
