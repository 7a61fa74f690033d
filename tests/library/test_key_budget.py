"""The key budget: which hosts go when the plan needs more keys than SSM holds free, and how SSM is asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from nornir_catlic.portal import free_licenses, guard_ssm
from nornir_catlic.rules import HSEC_LICENSE_NAME
from nornir_catlic.tasks.budget import choose_within_budget
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
