"""What a task declares before any device: that it honours dry run, and the checks of its arguments."""

from __future__ import annotations

import pytest
from nornir_netmiko.tasks import netmiko_send_command, netmiko_send_config

import nornir_catlic.tasks as catlic_tasks
from nornir_catlic.errors import PrerequisiteError
from nornir_catlic.tasks import check_task_arguments, declares_dry_run, honours_dry_run

CATLIC_TASKS = [getattr(catlic_tasks, name) for name in catlic_tasks.__all__ if name.startswith("catlic_")]


@pytest.mark.parametrize("task", CATLIC_TASKS, ids=lambda task: task.__name__)
def test_every_catlic_task_declares_that_it_honours_dry_run(task: object) -> None:
    assert getattr(task, "catlic_honours_dry_run", False) is True


def test_a_dry_run_parameter_declares_it_by_nornirs_convention_and_nothing_else_does() -> None:
    def sends(task: object, command: str) -> None: ...

    assert declares_dry_run(netmiko_send_config)  # dry_run=None, honoured (it refuses to run dry)
    assert not declares_dry_run(netmiko_send_command)
    assert not declares_dry_run(sends)
    assert declares_dry_run(honours_dry_run(sends)) and sends.catlic_honours_dry_run  # type: ignore[attr-defined]


def test_boot_level_arguments_are_judged_by_the_guides_combinations() -> None:
    task = catlic_tasks.catlic_set_boot_level

    check_task_arguments(task, {"base": "network-advantage", "addon": "dna-advantage"})
    check_task_arguments(task, {"base": "network-advantage", "addon": "dna-essentials", "renewal": True})
    with pytest.raises(PrerequisiteError, match="not a permitted combination"):
        check_task_arguments(task, {"base": "network-essentials", "addon": "dna-advantage"})
    with pytest.raises(PrerequisiteError, match="renewal=True"):
        check_task_arguments(task, {"base": "network-advantage", "addon": "dna-essentials"})


def test_slac_words_are_judged_before_any_device() -> None:
    with pytest.raises(PrerequisiteError, match="scope must be 'all' or 'local'"):
        check_task_arguments(catlic_tasks.catlic_return_slac, {"scope": "everything"})
    with pytest.raises(PrerequisiteError, match="action must be"):
        check_task_arguments(catlic_tasks.catlic_install_slac, {"action": "swap"})
    check_task_arguments(catlic_tasks.catlic_get_license_state, {"stack_detail": True})  # declares none
