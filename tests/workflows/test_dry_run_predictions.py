"""Dry runs are predictions: for every write workflow, a dry run and then the real run on the same lab state
agree host by host (would fail / failed, skipped / skipped, the commands planned / the commands typed).

Each test owns its devices and builds the state it needs, so the tests run in any order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from nornir.core import Nornir
from nornir.core.exceptions import NornirSubTaskError
from nornir.core.task import MultiResult, Result, Task

from nornir_catlic import transport
from nornir_catlic.errors import CatlicError, NotApplicable, WouldFail
from nornir_catlic.journal import Journal
from nornir_catlic.tasks.boot_level import catlic_set_boot_level
from nornir_catlic.tasks.release import catlic_release_hsec
from nornir_catlic.tasks.reporting import catlic_report_usage
from nornir_catlic.tasks.slac import catlic_install_slac, catlic_return_slac
from nornir_catlic.tasks.stack import catlic_add_stack_member
from virtual_devices.lab import Lab

from .labkit import c9300x_stack, device_codes, device_snapshot, nornir_for, run_one, running_lab

C9200 = {
    "name": "c9200",
    "platform": "C9200",
    "release": "17.9.4",
    "transport": "smart",
    "boot_level": "network-essentials addon dna-essentials",
    "members": [{"number": 1, "pid": "C9200-48P", "serial": "JAE2438P001", "priority": 1}],
}
DEVICES: list[dict[str, Any]] = [
    C9200,
    c9300x_stack("boot", "FOCP1", members=1),
    c9300x_stack("online", "FOCP2"),
    c9300x_stack("gap", "FOCP3", transport="off"),
    c9300x_stack("gap-inuse", "FOCP4", transport="off", slacs="active", crypto=True),
    c9300x_stack("giving-back", "FOCP5", slacs="all"),
    c9300x_stack("gap-giving-back", "FOCP6", transport="off", slacs="all"),
    c9300x_stack("ipsec", "FOCP7", members=1, slacs="all", crypto=True, hsec_release_required=True),
    c9300x_stack(
        "growing",
        "FOCP8",
        slacs="all",
        crypto=True,
        spares=[{"number": 3, "pid": "C9300X-48HX", "serial": "FOCP803", "mac": "f87a.0000.0803"}],
    ),
    c9300x_stack("reporting", "FOCP9", members=1),
    c9300x_stack("keyed", "FOCPA", members=1, slacs="all"),
]
WRITE_PREFIXES = ("license ", "platform ", "copy ", "reload", "configure: ")
RUN_ID = re.compile(r"\d{8}T\d{6}-[0-9a-f]{8}")


def without_run_id(command: str) -> str:
    """A command with its run's identity (in the names of the files it writes) as ``<run id>``: a dry run
    and the real run after it are two runs, each naming its own files."""
    return RUN_ID.sub("<run id>", command)


@dataclass
class Verdict:
    """One host's answer: failed (and why), skipped, or the device commands (planned, or typed)."""

    failed: bool = False
    skipped: bool = False
    reason: str = ""
    commands: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with running_lab(tmp_path_factory.mktemp("predictions-lab"), DEVICES, keys=100) as running:
        yield running


@pytest.fixture(scope="module")
def nr(lab: Lab) -> Iterator[Nornir]:
    runner = nornir_for(lab)
    yield runner
    runner.close_connections()


def flattened(multi: MultiResult) -> list[Result]:
    """Every result of a run in order: Nornir nests a sub-task's own sub-tasks as a MultiResult."""
    results: list[Result] = []
    for item in multi:
        results.extend(flattened(item) if isinstance(item, MultiResult) else [item])
    return results


def _error(multi: MultiResult) -> BaseException | None:
    """The library's error a failed run raised (the deepest, not Nornir's sub-task wrapper)."""
    for result in reversed(flattened(multi)):
        if result.exception is not None and not isinstance(result.exception, NornirSubTaskError):
            return result.exception
    return None


def typed_commands(multi: MultiResult) -> list[str]:
    """The write commands the run typed on the device, from the names of its sub-task results."""
    typed: list[str] = []
    for result in flattened(multi)[1:]:
        name = str(result.name)
        if not name.startswith(WRITE_PREFIXES):
            continue
        if name.startswith("configure: "):
            typed += ["configure terminal", *name[len("configure: ") :].split("; "), "end"]
        else:
            typed.append(without_run_id(name))
    return typed


def predict(nr: Nornir, host: str, task: Any, **params: Any) -> Verdict:
    multi = nr.filter(name=host).run(task=task, on_failed=True, dry_run=True, **params)[host]
    error = _error(multi)
    if isinstance(error, NotApplicable):
        return Verdict(skipped=True, reason=error.reason)
    if error is not None:
        assert isinstance(error, WouldFail), f"a dry run fails only with a prediction: {error!r}"
        assert str(error).startswith(f"{host}: would fail: ")
        return Verdict(failed=True, reason=str(error.cause))
    diff = multi[0].diff or ""
    return Verdict(
        commands=[without_run_id(line) for line in diff.splitlines() if line and not line.startswith("!")]
    )


def perform(nr: Nornir, host: str, task: Any, **params: Any) -> Verdict:
    multi = nr.filter(name=host).run(task=task, on_failed=True, **params)[host]
    nr.data.reset_failed_hosts()
    error = _error(multi)
    if isinstance(error, NotApplicable):
        return Verdict(skipped=True, reason=error.reason, commands=typed_commands(multi))
    if error is not None:
        assert isinstance(error, CatlicError), f"{error!r}"
        return Verdict(failed=True, reason=str(error), commands=typed_commands(multi))
    return Verdict(commands=typed_commands(multi))


def dry_then_real(nr: Nornir, lab: Lab, host: str, task: Any, **params: Any) -> tuple[Verdict, Verdict]:
    """The dry run (which must leave the lab as it was), then the real run; asserts they agree."""
    before = device_snapshot(lab, host)
    dry = predict(nr, host, task, **params)
    assert device_snapshot(lab, host) == before, "the dry run changed nothing"
    real = perform(nr, host, task, **params)
    assert (dry.failed, dry.skipped) == (real.failed, real.skipped), (dry, real)
    if dry.failed or dry.skipped:
        assert dry.reason in real.reason, (dry.reason, real.reason)
        assert real.commands == [], f"stopped before typing anything: {real.commands}"
    else:
        assert dry.commands == real.commands
    return dry, real


def configure_lines(task: Task, lines: list[str]) -> Result:
    return Result(host=task.host, result=transport.configure(task, lines))


def test_boot_level_change_and_a_forbidden_combination(lab: Lab, nr: Nornir) -> None:
    forbidden, _ = dry_then_real(
        nr, lab, "boot", catlic_set_boot_level, base="network-essentials", addon="dna-advantage"
    )
    changed, _ = dry_then_real(
        nr, lab, "boot", catlic_set_boot_level, base="network-essentials", addon="dna-essentials"
    )

    assert forbidden.failed and "network-essentials" in forbidden.reason
    assert changed.commands == [
        "configure terminal",
        "license boot level network-essentials addon dna-essentials",
        "end",
        "copy running-config startup-config",
    ]


def test_install_online_and_a_platform_without_hseck9(lab: Lab, nr: Nornir) -> None:
    skipped, _ = dry_then_real(nr, lab, "c9200", catlic_install_slac)
    installed, _ = dry_then_real(nr, lab, "online", catlic_install_slac)
    again, _ = dry_then_real(nr, lab, "online", catlic_install_slac)

    assert skipped.skipped and "does not support the HSECK9 key" in skipped.reason
    assert installed.commands == [
        "license smart authorization request add hseck9 all",
        "license smart sync all",
    ]
    assert len(device_codes(lab, "online")) == 2
    assert again.commands == []


def test_install_air_gapped_wrong_mode_then_through_ssm(lab: Lab, nr: Nornir) -> None:
    ssm = lab.context.ssm
    wrong_mode, _ = dry_then_real(nr, lab, "gap", catlic_install_slac, mode="online")
    offline, _ = dry_then_real(nr, lab, "gap", catlic_install_slac, mode="offline", portal=ssm)

    assert wrong_mode.failed and "transport is off" in wrong_mode.reason
    assert offline.commands[:2] == [
        "license smart authorization request add hseck9 all",
        "license smart authorization request save bootflash:catlic-slac-request-<run id>.txt",
    ]
    assert len(offline.commands) == 4 and len(device_codes(lab, "gap")) == 2


def test_offline_replace_while_the_key_is_in_use_would_fail(lab: Lab, nr: Nornir) -> None:
    refused, _ = dry_then_real(
        nr, lab, "gap-inuse", catlic_install_slac, mode="offline", portal=lab.context.ssm
    )

    assert refused.failed and "replace hseck9 all" in refused.reason and "IN USE" in refused.reason


def test_return_online_and_offline(lab: Lab, nr: Nornir) -> None:
    online, _ = dry_then_real(nr, lab, "giving-back", catlic_return_slac)
    offline, _ = dry_then_real(
        nr, lab, "gap-giving-back", catlic_return_slac, mode="offline", portal=lab.context.ssm
    )

    assert online.commands == ["license smart authorization return all online", "license smart sync all"]
    assert offline.commands == [
        "license smart authorization return all offline",
        "license smart import bootflash:catlic-return-ack-<run id>.txt",
    ]
    assert device_codes(lab, "giving-back") == {} and device_codes(lab, "gap-giving-back") == {}


def test_forced_release_with_crypto_configured_would_fail_then_succeeds_without_it(
    lab: Lab, nr: Nornir
) -> None:
    release, _ = dry_then_real(nr, lab, "ipsec", catlic_release_hsec)
    forced, _ = dry_then_real(nr, lab, "ipsec", catlic_return_slac, force_release=True)
    refused, _ = dry_then_real(nr, lab, "ipsec", catlic_return_slac)

    for verdict in (release, forced):
        assert verdict.failed and "the cryptographic feature is still configured" in verdict.reason
    assert refused.failed and "IN USE" in refused.reason

    off = nr.filter(name="ipsec").run(
        task=configure_lines, lines=["interface Tunnel10", "no tunnel mode ipsec ipv4"]
    )
    assert not off.failed
    returned, _ = dry_then_real(nr, lab, "ipsec", catlic_return_slac, force_release=True)

    assert returned.commands == [
        "configure terminal",
        "platform hsec-license-release",
        "end",
        "license smart authorization return all online",
        "license smart sync all",
    ]
    assert device_codes(lab, "ipsec") == {}


def test_stack_add_replace_all_and_a_stack_of_another_platform(lab: Lab, nr: Nornir) -> None:
    skipped, _ = dry_then_real(nr, lab, "c9200", catlic_add_stack_member, member_serial="JAE2438P002")
    added, _ = dry_then_real(
        nr,
        lab,
        "growing",
        catlic_add_stack_member,
        member_serial="FOCP803",
        member_pid="C9300X-48HX",
        join=lambda: lab.plug("growing", "FOCP803"),
    )

    assert skipped.skipped and "only C9300X stacks" in skipped.reason
    assert added.commands == [
        "license smart authorization request replace hseck9 all",
        "license smart sync all",
    ]
    assert len(device_codes(lab, "growing")) == 3


def test_usage_report_online(lab: Lab, nr: Nornir) -> None:
    reported, _ = dry_then_real(nr, lab, "reporting", catlic_report_usage)

    assert reported.commands == ["license smart sync all"]


def test_a_dry_run_of_an_install_with_nothing_to_do_writes_no_journal(
    lab: Lab, nr: Nornir, tmp_path: Path
) -> None:
    journal = Journal(tmp_path / "journal.jsonl")
    planned = run_one(nr, "keyed", catlic_install_slac, journal=journal, dry_run=True)
    assert not planned.failed and planned.changed is False, planned.exception
    assert not journal.path.exists() and journal.records() == []
