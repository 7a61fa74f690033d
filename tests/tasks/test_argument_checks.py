"""A workflow given a word it does not know refuses it by name, before it opens a session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from nornir import InitNornir
from nornir.core import Nornir

from nornir_catlic.errors import PrerequisiteError
from nornir_catlic.tasks import (
    catlic_add_stack_member,
    catlic_install_slac,
    catlic_report_usage,
    catlic_return_slac,
)


@pytest.fixture
def nr(tmp_path: Path) -> Nornir:
    # Port 9 on the loopback: nothing listens there, and a task that checks its arguments first never asks.
    (tmp_path / "hosts.yaml").write_text(
        "sw1: {hostname: 127.0.0.1, port: 9, username: u, password: p, platform: cisco_xe}\n"
    )
    return InitNornir(
        inventory={"plugin": "SimpleInventory", "options": {"host_file": str(tmp_path / "hosts.yaml")}},
        logging={"enabled": False},
    )


@pytest.mark.parametrize(
    ("task", "params", "message"),
    [
        (catlic_report_usage, {"mode": "ofline"}, "mode must be 'online' or 'offline', not 'ofline'"),
        (catlic_install_slac, {"mode": "air-gapped"}, "mode must be 'online' or 'offline'"),
        (catlic_install_slac, {"scope": "stack"}, "scope must be 'all' or 'local', not 'stack'"),
        (catlic_install_slac, {"action": "renew"}, "action must be 'add' or 'replace', not 'renew'"),
        (catlic_return_slac, {"scope": "every"}, "scope must be 'all' or 'local', not 'every'"),
        (
            catlic_add_stack_member,
            {"member_serial": "FOC2516LC92", "method": "replace"},
            "method must be 'replace-all' or 'standalone-first', not 'replace'",
        ),
    ],
)
def test_an_unknown_choice_is_refused_by_name(
    nr: Nornir, task: Callable[..., Any], params: dict[str, Any], message: str
) -> None:
    result = nr.run(task=task, **params)["sw1"][0]

    assert isinstance(result.exception, PrerequisiteError), result.exception
    assert message in str(result.exception)
    assert not nr.inventory.hosts["sw1"].connections
