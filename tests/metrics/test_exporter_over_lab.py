"""The exporter over the lab, scraped over HTTP: each value is what the switch itself says.

One lab for the module (four switches and a host nobody answers for); each test refreshes before it reads,
so the tests pass in any order. The lab's own state (its agent's dates, its members) is the truth the
scrape is held to, not our parser.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import pytest
from nornir.core import Nornir
from nornir.core.inventory import Host
from workflows.labkit import c9300x_stack, nornir_for, running_lab

from metrics.scrape import Scrape, scrape
from nornir_catlic.history.snapshot import HostSnapshot
from nornir_catlic.metrics import ListenAddress, MetricsExporter, audit_snapshots
from virtual_devices.lab import Lab

SPARE = {
    "number": 3,
    "pid": "C9300X-48HX",
    "serial": "FOCGR03",
    "mac": "b08b.d003.0003",
    "priority": 1,
    "hw": "P2B",
}
DEVICES = [
    c9300x_stack("guarded", "FOCGA", slacs="all", crypto=True),
    c9300x_stack(
        "exposed", "FOCEX", slacs="active", crypto=True
    ),  # the standby holds no SLAC, the key in use
    c9300x_stack("growing", "FOCGR", slacs="all", crypto=True, spares=[SPARE]),
    c9300x_stack("flaky", "FOCFL", members=1, slacs="all", crypto=True),
]
GONE = "gone"  # in the inventory, nothing listens on its port


@dataclass
class Recorded:
    calls: list[tuple[dt.datetime, dt.datetime, Mapping[str, HostSnapshot]]] = field(default_factory=list)

    def __call__(
        self, started: dt.datetime, finished: dt.datetime, snapshots: Mapping[str, HostSnapshot]
    ) -> None:
        self.calls.append((started, finished, snapshots))


@dataclass
class Served:
    lab: Lab
    exporter: MetricsExporter
    url: str
    recorded: Recorded

    def refreshed(self) -> Scrape:
        assert self.exporter.refresher.refresh()
        return scrape(self.url)

    def device(self, name: str) -> tuple[dt.datetime, dt.datetime | None, dt.datetime | None]:
        """The lab device's own Next ACK deadline, last ACK and next report push."""
        reporting = self.lab.devices[name].agent.state.reporting
        return self.lab.call(lambda: (reporting.deadline, reporting.last_ack, reporting.next_push))


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _with_unreachable_host(nornir: Nornir) -> Nornir:
    inventory = nornir.inventory
    inventory.hosts[GONE] = Host(
        GONE,
        hostname="127.0.0.1",
        port=_closed_port(),
        groups=inventory.hosts["guarded"].groups,
        defaults=inventory.defaults,
    )
    return nornir


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with running_lab(tmp_path_factory.mktemp("exporter-lab"), DEVICES) as lab:
        nornir = _with_unreachable_host(nornir_for(lab))
        recorded = Recorded()
        exporter = MetricsExporter(lambda: audit_snapshots(nornir), interval=3600, on_refresh=[recorded])
        with exporter:
            bound = exporter.listen(ListenAddress("127.0.0.1", 0))
            yield Served(lab, exporter, bound.url, recorded)


def _seconds(moment: dt.datetime | None) -> float:
    assert moment is not None
    return float(int(moment.timestamp()))  # the switch prints whole seconds


def test_the_scrape_shows_each_switchs_deadlines_slacs_and_findings(served: Served) -> None:
    metrics = served.refreshed()

    for host in ("guarded", "exposed"):
        deadline, last_ack, next_push = served.device(host)
        assert metrics.value("catlic_next_ack_deadline_timestamp_seconds", host=host) == _seconds(deadline)
        assert metrics.value("catlic_last_ack_received_timestamp_seconds", host=host) == _seconds(last_ack)
        assert metrics.value("catlic_next_report_push_timestamp_seconds", host=host) == _seconds(next_push)
        assert metrics.value("catlic_up", host=host) == 1
        assert metrics.value("catlic_hseck9_in_use", host=host) == 1
    slacs = {
        (s["host"], s["udi"], s["role"]): v
        for s, v in zip(
            metrics.label_sets("catlic_slac_installed"), metrics.values("catlic_slac_installed"), strict=True
        )
        if s["host"] in ("guarded", "exposed")
    }
    assert slacs == {
        ("guarded", "PID:C9300X-24HX,SN:FOCGA01", "active"): 1,
        ("guarded", "PID:C9300X-48HXN,SN:FOCGA02", "standby"): 1,
        ("exposed", "PID:C9300X-24HX,SN:FOCEX01", "active"): 1,
        ("exposed", "PID:C9300X-48HXN,SN:FOCEX02", "standby"): 0,  # the SLAC-less member shows 0
    }
    assert metrics.value("catlic_findings", host="exposed", code="STANDBY_NOT_AUTHORIZED") == 1
    assert metrics.values("catlic_findings", host="guarded", code="STANDBY_NOT_AUTHORIZED") == []
    assert metrics.value("catlic_license_count", host="exposed", license="C9K HSEC", status="IN USE") == 1
    # the refresh itself, and the hook the history store hangs on
    assert metrics.value("catlic_exporter_last_refresh_success") == 1
    assert metrics.value("catlic_exporter_refresh_running") == 0
    started, finished, snapshots = served.recorded.calls[-1]
    assert started <= finished and set(snapshots) == {"guarded", "exposed", "growing", "flaky", GONE}
    assert metrics.value("catlic_exporter_last_refresh_timestamp_seconds") == pytest.approx(
        finished.timestamp()
    )


def test_a_host_nobody_answers_for_shows_up_0_and_nothing_else(served: Served) -> None:
    metrics = served.refreshed()

    assert metrics.value("catlic_up", host=GONE) == 0
    assert {sample.name for sample in metrics.samples if sample.labels.get("host") == GONE} == {"catlic_up"}
    error = served.exporter.collector.snapshots[GONE].error
    assert error and error not in metrics.text  # why it is down is no label
    assert metrics.value("catlic_exporter_last_refresh_success") == 1  # a host down is no failed refresh


def test_a_switch_that_goes_down_shows_up_0_and_keeps_its_deadline_until_it_is_read_again(
    served: Served,
) -> None:
    before = served.refreshed()
    deadline = before.value("catlic_next_ack_deadline_timestamp_seconds", host="flaky")
    read_at = before.value("catlic_host_read_timestamp_seconds", host="flaky")
    served.lab.set_faults("flaky", drop_on_command="^show")
    try:
        down = served.refreshed()
    finally:
        served.lab.clear_faults("flaky")

    assert down.value("catlic_up", host="flaky") == 0
    assert down.value("catlic_next_ack_deadline_timestamp_seconds", host="flaky") == deadline  # alerts go on
    assert down.value("catlic_host_read_timestamp_seconds", host="flaky") == read_at  # ...and say how old
    assert down.value("catlic_slac_installed", host="flaky") == 1
    back = served.refreshed()
    assert back.value("catlic_up", host="flaky") == 1
    assert back.value("catlic_host_read_timestamp_seconds", host="flaky") > read_at


def test_a_refresh_after_a_change_on_the_lab_shows_the_change(served: Served) -> None:
    before = served.refreshed()
    assert before.values("catlic_slac_installed", host="growing", udi="PID:C9300X-48HX,SN:FOCGR03") == []
    assert served.lab.plug("growing", "FOCGR03")["joined"]  # a member without a SLAC joins the stack
    served.lab.advance_clock(days=31)  # the switches push their reports; SSM's ACKs move their deadlines

    after = served.refreshed()

    assert after.value("catlic_slac_installed", host="growing", udi="PID:C9300X-48HX,SN:FOCGR03") == 0
    assert after.value("catlic_findings", host="growing", code="MEMBER_WITHOUT_SLAC") == 1
    deadline, last_ack, next_push = served.device("growing")
    assert after.value("catlic_next_ack_deadline_timestamp_seconds", host="growing") == _seconds(deadline)
    assert after.value("catlic_last_ack_received_timestamp_seconds", host="growing") == _seconds(last_ack)
    assert after.value("catlic_next_report_push_timestamp_seconds", host="growing") == _seconds(next_push)
    assert after.value("catlic_last_ack_received_timestamp_seconds", host="growing") > before.value(
        "catlic_last_ack_received_timestamp_seconds", host="growing"
    )


def test_a_scrape_during_a_slow_refresh_answers_with_the_last_data(served: Served) -> None:
    done = served.refreshed().value("catlic_exporter_refreshes_total")
    served.lab.set_faults("guarded", latency=0.4)  # every reply late: the refresh takes seconds
    refreshing = threading.Thread(target=served.exporter.refresher.refresh)
    try:
        refreshing.start()
        during = _scrape_while_running(served.url)
    finally:
        served.lab.clear_faults("guarded")
        refreshing.join(timeout=60)

    assert during.value("catlic_exporter_refreshes_total") == done  # not waited for: the last good data
    assert during.value("catlic_up", host="guarded") == 1
    assert scrape(served.url).value("catlic_exporter_refreshes_total") == done + 1


def _scrape_while_running(url: str) -> Scrape:
    for _ in range(200):
        metrics = scrape(url)
        if metrics.value("catlic_exporter_refresh_running") == 1:
            return metrics
        threading.Event().wait(0.02)
    raise AssertionError("the refresh never showed as running")


def test_the_scrape_holds_no_secret(served: Served) -> None:
    metrics = served.refreshed()

    credentials = served.lab.credentials
    for secret in (credentials["password"], credentials["secret"]):
        assert secret and secret not in metrics.text


def test_a_second_exporter_cannot_take_the_address_in_use(served: Served) -> None:
    taken = ListenAddress.parse(served.url.removeprefix("http://").removesuffix("/metrics"))
    other = MetricsExporter(dict, interval=60)

    with pytest.raises(OSError):
        other.listen(taken)
    assert taken.loopback
    assert scrape(served.url).value("catlic_exporter_refresh_interval_seconds") == 3600
