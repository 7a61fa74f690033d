"""The key budget of ``slac install`` and ``stack add``: counted before any device is touched.

The CLI asks SSM how many HSECK9 keys the virtual account holds free (``--free-keys N`` when you know
better; else the SSM object of ``--lab-ssm``; else the running lab's SSM when the inventory is the lab's),
reads every selected device (reads only) to count the keys the install's own plan would take, and refuses
the whole run (exit 3, nothing requested) when the plan needs more than is free, unless ``--allow-partial``:
then the hosts go in inventory order while their whole need fits, and the others are skipped with the
reason. When no SSM can tell, the budget is unknown: the command says so and goes on as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click
from nornir.core import Nornir
from rich.console import Console
from rich.text import Text

from nornir_catlic.cli.errors import CliError
from nornir_catlic.cli.lab import lab_state_dir
from nornir_catlic.cli.options import Settings
from nornir_catlic.cli.runner import run_workflow
from nornir_catlic.domain import HSEC_LICENSE_NAME
from nornir_catlic.portal import free_licenses
from nornir_catlic.tasks.budget import BudgetDecision, catlic_count_keys, choose_within_budget

F = TypeVar("F", bound=Callable[..., Any])

_SHOWN = 10  # host names listed before "and N more"


def budget_options(function: F) -> F:
    function = click.option(
        "--free-keys",
        type=click.IntRange(min=0),
        default=None,
        metavar="N",
        help="The HSECK9 keys the virtual account holds free, when catlic cannot ask SSM (see the portal).",
    )(function)
    return click.option(
        "--allow-partial",
        is_flag=True,
        help="When the plan needs more keys than are free: go on with the hosts that fit, in inventory order "
        "(the others are skipped), instead of requesting nothing.",
    )(function)


def budget_source(settings: Settings, portal: object) -> object | None:
    """Who can tell the free keys: the SSM object handed to the workflow, else the running lab's SSM when
    the inventory is the lab's; ``None`` when nobody can."""
    if portal is not None and hasattr(portal, "free_licenses"):
        return portal
    if settings.config_file is not None or settings.inventory is not None:
        return None
    from nornir_catlic.cli.ssm import SSM_DATABASE, open_lab_ssm

    state_dir: Path = lab_state_dir()
    return open_lab_ssm(state_dir) if (state_dir / SSM_DATABASE).is_file() else None


def apply_key_budget(
    nornir: Nornir,
    *,
    source: object | None,
    free_keys: int | None,
    allow_partial: bool,
    errors: Console,
    show_progress: bool,
    **count_params: Any,
) -> tuple[Nornir, dict[str, str]]:
    """Count the keys, compare with the free ones; returns the hosts to run and the skipped ones (reason).

    Raises:
        CliError: (exit 3) the plan needs more keys than are free and ``allow_partial`` is off, or no host
            needing a key fits.
    """
    free = free_keys if free_keys is not None else free_licenses(source, HSEC_LICENSE_NAME)
    if free is None:
        errors.print(
            Text(
                "key budget unknown: no SSM to ask (give --free-keys N to check it first); going on",
                style="dim",
            ),
            soft_wrap=True,
        )
        return nornir, {}
    needs = count_keys(nornir, errors=errors, show_progress=show_progress, **count_params)
    decision = choose_within_budget(needs, free, allow_partial=allow_partial)
    if not decision.exceeded:
        return nornir, {}
    paying = [host for host in decision.chosen if needs.get(host, 0)]
    if not allow_partial or not paying:
        raise CliError(
            f"key budget: needs {decision.needed}, {free} free (HSECK9 keys the plan takes, keys the "
            "virtual account holds free): nothing was requested; add keys to the virtual account in "
            "Cisco SSM, or give --allow-partial to go on with the hosts that fit"
        )
    errors.print(Text(_partial_message(decision, needs), style="yellow"), soft_wrap=True)
    chosen = set(decision.chosen)
    reason = (
        f"key budget: the {free} free HSECK9 key(s) went to the hosts before it (inventory order); "
        "add keys to the virtual account, then run again"
    )
    return nornir.filter(filter_func=lambda host: host.name in chosen), dict.fromkeys(
        decision.deferred, reason
    )


def count_keys(
    nornir: Nornir, *, errors: Console, show_progress: bool, **count_params: Any
) -> dict[str, int]:
    """Host -> keys its install would take, in inventory order (reads only). A host that cannot be read or
    does not apply counts 0: the run itself reports it."""
    failed_before = set(nornir.data.failed_hosts)
    run = run_workflow(
        nornir,
        catlic_count_keys,
        command="key budget",
        progress_console=errors,
        show_progress=show_progress,
        **count_params,
    )
    nornir.data.failed_hosts = failed_before  # counting is not the workflow: nobody failed it yet
    needs: dict[str, int] = {}
    for host, outcome in run.outcomes.items():
        keys = getattr(outcome.result, "keys", 0) if outcome.ok else 0
        needs[host] = keys if isinstance(keys, int) else 0
    return needs


def _partial_message(decision: BudgetDecision, needs: Mapping[str, int]) -> str:
    first = [host for host in decision.chosen if needs.get(host, 0)]
    keys = sum(needs[host] for host in first)
    deferred = decision.deferred
    return (
        f"--allow-partial: key budget needs {decision.needed}, {decision.free} free: {keys} key(s) go to "
        f"{len(first)} host(s) first, in inventory order ({_names(first)}); {len(deferred)} host(s) "
        f"are skipped until keys are added ({_names(deferred)})"
    )


def _names(hosts: list[str]) -> str:
    shown = ", ".join(hosts[:_SHOWN])
    return shown + (f" and {len(hosts) - _SHOWN} more" if len(hosts) > _SHOWN else "")
