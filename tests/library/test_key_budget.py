"""The key budget: which hosts go when the plan needs more keys than SSM holds free, and how SSM is asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from nornir_catlic.domain import HSEC_LICENSE_NAME
from nornir_catlic.journal import Journal
from nornir_catlic.portal import ExchangeKind, FileDropPortal, free_licenses, guard_ssm
from nornir_catlic.tasks.budget import awaited_request, choose_within_budget
from nornir_catlic.tasks.exchange import PortalLink
from virtual_devices.ssm import AuthorizationEntry, SimulatedSSM


def test_within_budget_every_host_goes() -> None:
    decision = choose_within_budget({"a": 2, "b": 1, "c": 0}, 3)
    assert not decision.exceeded and decision.chosen == ["a", "b", "c"] and decision.deferred == []


def test_an_unknown_budget_lets_every_host_go() -> None:
    decision = choose_within_budget({"a": 200}, None)
    assert not decision.exceeded and decision.chosen == ["a"]


def test_over_budget_nobody_goes_and_both_numbers_are_kept() -> None:
    decision = choose_within_budget({f"sw{n}": 1 for n in range(206)}, 8)
    assert decision.exceeded and (decision.needed, decision.free) == (206, 8)
    assert decision.chosen == [] and len(decision.deferred) == 206


def test_allow_partial_goes_in_order_with_whole_stacks_and_hosts_needing_nothing() -> None:
    needs = {"stack-a": 3, "sw-b": 1, "stack-c": 2, "done-d": 0, "sw-e": 1}
    decision = choose_within_budget(needs, 5, allow_partial=True)
    # stack-a (3) and sw-b (1) fit; stack-c (2) does not (1 left); done-d needs nothing; sw-e takes the last.
    assert decision.chosen == ["stack-a", "sw-b", "done-d", "sw-e"]
    assert decision.deferred == ["stack-c"]


def test_the_lab_ssm_tells_its_free_keys_through_the_guard(tmp_path: Path) -> None:
    ssm = SimulatedSSM(tmp_path / "ssm.sqlite")
    ssm.add_account("Eg-SA", "Eg-VA", {HSEC_LICENSE_NAME: 8})
    ssm.authorize([AuthorizationEntry(udi="PID:C9300X-24HX,SN:FOC0000001")])

    assert free_licenses(ssm, HSEC_LICENSE_NAME) == 7
    assert free_licenses(guard_ssm(ssm), HSEC_LICENSE_NAME) == 7
    assert free_licenses(ssm, "NO SUCH LICENSE") == 0


class _Silent:
    def process_slac_request(self, request_text: str, /) -> dict[str, str]:
        return {}


class _Broken:
    def free_licenses(self, entitlement: str, /) -> int | None:
        raise ConnectionError("SSM unreachable")


class _Confused:
    def free_licenses(self, entitlement: str, /) -> object:
        return "eight"


@pytest.mark.parametrize("ssm", [None, _Silent(), _Broken(), _Confused()])
def test_a_budget_nobody_can_tell_is_unknown(ssm: object) -> None:
    assert free_licenses(ssm, HSEC_LICENSE_NAME) is None


def test_a_request_awaiting_ssm_s_answer_is_found_where_the_install_resumes_it(tmp_path: Path) -> None:
    """In the operator's portal, or in the relay beside the journal when an SSM object answers; found by
    reading only, and no longer once the exchange is completed."""
    udis = ["PID:C9300X-24HX,SN:FOC0000001"]
    drop = FileDropPortal(tmp_path / "portal")
    submitted = drop.submit("sw1", ExchangeKind.SLAC_REQUEST, "request", udis=udis)
    ssm = SimulatedSSM(tmp_path / "ssm.sqlite")
    journal = Journal(tmp_path / "run" / "journal.jsonl")
    assert awaited_request(ssm, journal, "sw1") is None
    assert not (tmp_path / "run").exists(), "looking made nothing"

    relay = PortalLink.resolve(ssm, journal, needed_for="the test").drop
    relayed = relay.submit("sw1", ExchangeKind.DEVICE_LIST, "csv", udis=udis, expected_answers=1)

    assert awaited_request(drop, None, "sw1") == submitted
    assert awaited_request(ssm, journal, "sw1") == relayed
    assert awaited_request(drop, None, "sw2") is None and awaited_request(None, journal, "sw1") is None
    drop.complete(submitted)
    assert awaited_request(drop, None, "sw1") is None
