"""``catlic exporter`` as a real process over the lab: it serves the switches, and SIGTERM ends it."""

from __future__ import annotations

import re
import signal
import time
import urllib.error
from datetime import UTC, datetime
from pathlib import Path

from catlic_process import start_catlic
from metrics.scrape import Scrape, scrape
from workflows.labkit import c9300x_stack, running_lab

from nornir_catlic import history, locks
from nornir_catlic.history import RunKind


def test_the_exporter_serves_the_lab_and_stops_on_sigterm(tmp_path: Path) -> None:
    devices = [
        c9300x_stack("stack-a", "FOCPA", slacs="active", crypto=True),
        c9300x_stack("stack-b", "FOCPB"),
    ]
    started = datetime.now(UTC)
    with running_lab(tmp_path / "lab", devices) as lab:
        process = start_catlic(
            "exporter",
            "-c",
            str(lab.nornir_config),
            "--listen",
            "127.0.0.1:0",
            "--interval",
            "1h",
            cwd=tmp_path,
        )
        try:
            first_line = process.stderr.readline() if process.stderr else ""
            found = re.search(r"serving (http://\S+/metrics) for 2 hosts, refreshing every 1h", first_line)
            assert found, first_line
            metrics = _after_first_refresh(found.group(1))
            deadline = lab.call(lambda: lab.devices["stack-a"].agent.state.reporting.deadline)
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=60)

    assert process.returncode == 0, err
    assert "stopping" in err and "refreshed 2 hosts (0 down)" in err
    assert metrics.value("catlic_up", host="stack-a") == metrics.value("catlic_up", host="stack-b") == 1
    assert metrics.value("catlic_next_ack_deadline_timestamp_seconds", host="stack-a") == int(
        deadline.timestamp()
    )
    assert metrics.value("catlic_slac_installed", host="stack-a", role="standby") == 0
    for secret in (lab.credentials["password"], lab.credentials["secret"]):
        assert secret not in metrics.text and secret not in out + first_line + err

    # Each refresh is in the fleet history; an exporter started again serves it while the switches are
    # out of reach (the lab is down now): the deadline stays known, the hosts are down.
    recorded = [
        r for r in history.runs(locks.lock_store(), kind=RunKind.AUDIT) if r.command == "catlic exporter"
    ]
    assert recorded and recorded[-1].started_at >= started
    assert set(history.fleet_at(locks.lock_store(), recorded[-1].id)) == {"stack-a", "stack-b"}
    again = start_catlic(
        "exporter", "-c", str(lab.nornir_config), "--listen", "127.0.0.1:0", "--interval", "1h", cwd=tmp_path
    )
    try:
        found = re.search(r"serving (http://\S+/metrics)", again.stderr.readline() if again.stderr else "")
        assert found
        served = _after_first_refresh(found.group(1))
    finally:
        again.send_signal(signal.SIGTERM)
        again.communicate(timeout=60)
    assert served.value("catlic_up", host="stack-a") == 0
    assert served.value("catlic_next_ack_deadline_timestamp_seconds", host="stack-a") == int(
        deadline.timestamp()
    )


def _after_first_refresh(url: str) -> Scrape:
    for _ in range(600):
        try:
            metrics = scrape(url)
        except (urllib.error.URLError, ConnectionError):
            metrics = None
        if metrics is not None and metrics.value("catlic_exporter_refreshes_total") >= 1:
            return metrics
        time.sleep(0.1)
    raise AssertionError("no refresh in 60 s")
