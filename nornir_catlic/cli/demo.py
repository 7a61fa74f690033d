"""``catlic demo``: the whole story on virtual switches, from a fresh machine, in one command.

It starts a lab of its own (an air-gapped C9300X stack with a spare switch, beside a few other platforms),
audits the fleet, installs the HSECK9 SLACs on the stack across the air gap (the request waits in a
file-drop portal, the lab's simulated SSM plays the operator, the install finishes on the second run),
adds the spare as a third member and replaces the stack's SLACs, returns the active's SLAC offline, shows
the state and what happened, and stops the lab. Each step is the same workflow a subcommand runs.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import yaml
from nornir.core import Nornir
from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from nornir_catlic.cli.errors import CliError, ExitCode
from nornir_catlic.cli.inventory import InventoryChoice, load_nornir, select_hosts
from nornir_catlic.cli.lab import lab_join, start_lab, stop_lab
from nornir_catlic.cli.options import Settings, output_options, settings_of
from nornir_catlic.cli.outcome import WorkflowRun
from nornir_catlic.cli.output import print_host_errors, print_recap, stderr_console, stdout_console
from nornir_catlic.cli.runner import run_workflow
from nornir_catlic.cli.tables import print_view
from nornir_catlic.cli.workflows import WORKFLOWS, Workflow, with_journal
from nornir_catlic.transport import CONNECTION_NAME

STACK = "c9300x-airgap"
SPARE_SERIAL = "FOC2516LC92"
SSM_ACCOUNT = ("Eg-SA", "Eg-VA")
LICENSE = "C9K HSEC"
SESSION_TIMEOUTS = {"conn_timeout": 30, "auth_timeout": 30, "banner_timeout": 30}

DEMO_TOPOLOGY: dict[str, Any] = {
    "lab": {
        "credentials": {"username": "admin", "password": "demo-pass-1", "secret": "demo-enable-1"},
        "reload_delay": 1.0,
        "ssm": {"accounts": [{"smart_account": "Eg-SA", "virtual_account": "Eg-VA", "pools": {LICENSE: 6}}]},
    },
    "devices": [
        {
            "name": STACK,
            "platform": "C9300X",
            "release": "17.9.4",
            "generation": "agent5",
            "transport": "off",
            "members": [
                {"number": 1, "pid": "C9300X-24HX", "serial": "FOC2519L8R7", "priority": 15},
                {"number": 2, "pid": "C9300X-48HXN", "serial": "FOC2524L39P", "priority": 14},
            ],
            "spares": [{"number": 3, "pid": "C9300X-48HX", "serial": SPARE_SERIAL, "priority": 1}],
        },
        {
            # StackWise Virtual keyed on the active only, IPsec running: the audit's switchover warning.
            "name": "c9407r-svl",
            "platform": "C9400",
            "svl": True,
            "release": "17.11.1",
            "generation": "agent5",
            "transport": "smart",
            "slacs": "active",
            "crypto": True,
            "members": [
                {
                    "number": 1,
                    "pid": "C9407R",
                    "serial": "FXS221500CT",
                    "priority": 15,
                    "supervisor": "C9400X-SUP-2",
                },
                {
                    "number": 2,
                    "pid": "C9407R",
                    "serial": "FXS221500BN",
                    "priority": 14,
                    "supervisor": "C9400X-SUP-2",
                },
            ],
        },
        {
            "name": "c9500x-wan",
            "platform": "C9500X",
            "release": "17.8.1",
            "generation": "agent5",
            "transport": "smart",
            "members": [{"number": 1, "pid": "C9500X-28C8D", "serial": "FDO2530M0XY", "priority": 1}],
        },
        {
            "name": "c9200-access",
            "platform": "C9200",
            "release": "17.9.4",
            "boot_level": "network-essentials addon dna-essentials",
            "transport": "off",
            "members": [{"number": 1, "pid": "C9200-48P", "serial": "JAE24380ABC", "priority": 1}],
        },
    ],
}


@dataclass
class DemoRun:
    """The demo's lab, inventory, journal and portal, and every workflow run so far."""

    work: Path
    nornir: Nornir
    settings: Settings
    out: Console
    errors: Console
    runs: list[WorkflowRun] = field(default_factory=list)

    @property
    def journal(self) -> Path:
        return self.work / "catlic-journal.db"

    @property
    def portal_dir(self) -> Path:
        return self.work / "portal"

    def step(
        self, title: str, workflow: Workflow, params: Mapping[str, Any], *, hosts: str | None = None
    ) -> WorkflowRun:
        """Run a workflow as its subcommand does, show its table and errors; a failed host stops the demo."""
        self.out.print(Rule(Text(title, style="bold"), align="left"))
        selected = select_hosts(self.nornir, [hosts], source="the demo lab") if hosts else self.nornir
        run = run_workflow(
            selected,
            workflow.task(),
            command=workflow.name,
            progress_console=self.errors,
            show_progress=self.settings.progress and self.errors.is_terminal,
            **with_journal(workflow, params, self.journal),
        )
        self.runs.append(run)
        shown = workflow.view(run)
        if shown is not None:
            print_view(self.out, shown)
        print_host_errors(self.errors, run, debug=self.settings.debug)
        stopped = [host for host, outcome in run.outcomes.items() if outcome.status in ("failed", "skipped")]
        if stopped:
            raise CliError(
                f"the demo stopped at '{title}': {', '.join(stopped)} did not finish", ExitCode.FAILED
            )
        for host in run.waiting_hosts:
            self.nornir.data.recover_host(host)  # parked, not failed: the next step may resume it
        return run

    def say(self, text: str) -> None:
        self.out.print(Text(text, style="cyan"), soft_wrap=True)


def _lab_ssm(state_dir: Path) -> Any:
    from nornir_catlic.cli.ssm import open_lab_ssm

    return open_lab_ssm(state_dir)


def _pool_line(state_dir: Path) -> str:
    pool = next(p for p in _lab_ssm(state_dir).pools() if (p.smart_account, p.virtual_account) == SSM_ACCOUNT)
    account = f"{pool.smart_account}/{pool.virtual_account}"
    return f"SSM: {pool.license} keys in {account}: {pool.in_use} in use of {pool.total}"


def run_demo(demo: DemoRun, state_dir: Path) -> None:
    from nornir_catlic.portal import FileDropPortal, relay_through

    portal = FileDropPortal(demo.portal_dir)
    demo.say(_pool_line(state_dir))

    audit = demo.step("1. Audit the fleet", WORKFLOWS["audit"], {})
    findings = sum(len(getattr(o.result, "findings", [])) for o in audit.outcomes.values())
    demo.say(f"{findings} finding(s) over {len(audit.outcomes)} switches.")

    first = demo.step(
        "2. Request SLACs for the air-gapped stack: the request waits for the operator",
        WORKFLOWS["slac-install"],
        {"mode": "offline", "portal": portal},
        hosts=STACK,
    )
    if first.waiting_hosts:
        (submission,) = portal.awaited(STACK)
        demo.say(f"The switch saved its request; it waits in {portal.outbox_path(submission)}.")
        relay_through(portal, _lab_ssm(state_dir), STACK)
        demo.say(
            f"The operator took it to SSM and dropped SSM's SLAC files in {portal.answer_folder(submission)}."
        )
    else:
        raise CliError("the demo expected the air-gapped request to wait for the operator", ExitCode.FAILED)
    installed = demo.step(
        "3. Run the install again: each SLAC file goes to bootflash: and is imported, one at a time",
        WORKFLOWS["slac-install"],
        {"mode": "offline", "portal": portal},
        hosts=STACK,
    )
    if installed.outcomes[STACK].status != "changed":
        raise CliError("the demo expected the second run to install the SLACs", ExitCode.FAILED)
    demo.say(_pool_line(state_dir))

    demo.step(
        f"4. Add the spare switch {SPARE_SERIAL} to the stack, then replace the SLACs of every member",
        WORKFLOWS["stack-add"],
        {
            "member_serial": SPARE_SERIAL,
            "method": "replace-all",
            "member_pid": "C9300X-48HX",
            "join": lab_join(STACK, SPARE_SERIAL, state_dir=state_dir),
            "mode": "offline",
            "portal": _lab_ssm(state_dir),
        },
        hosts=STACK,
    )
    demo.say(_pool_line(state_dir))

    demo.step(
        "5. Return the active switch's SLAC offline: the return code is journaled before anything else",
        WORKFLOWS["slac-return"],
        {"mode": "offline", "scope": "local", "portal": _lab_ssm(state_dir)},
        hosts=STACK,
    )
    demo.say(_pool_line(state_dir))

    demo.step("6. The stack now", WORKFLOWS["state"], {}, hosts=STACK)


def _patient_sessions(nornir: Nornir) -> None:
    """`make demo` must finish on a busy machine: give SSH handshakes more time than the lab's inventory."""
    netmiko = nornir.inventory.defaults.connection_options.get(CONNECTION_NAME)
    if netmiko is not None:
        netmiko.extras = {**(netmiko.extras or {}), **SESSION_TIMEOUTS}


def _summary(demo: DemoRun) -> Table:
    table = Table(title="What happened", title_justify="left", show_header=False)
    table.add_column("", style="bold")
    table.add_column("")
    codes: list[str] = []
    for run in demo.runs:
        for outcome in run.outcomes.values():
            result = outcome.result
            if run.command == "slac-install" and outcome.changed:
                codes += [f"installed {udi}: {code}" for udi, code in getattr(result, "codes", {}).items()]
            if run.command == "stack-add":
                codes.append(f"joined {getattr(result, 'member_udi', '')}")
                install = getattr(result, "install", None)
                codes += [f"replaced {udi}: {code}" for udi, code in getattr(install, "codes", {}).items()]
            if run.command == "slac-return":
                codes += [
                    f"returned {udi}: {code}" for udi, code in getattr(result, "return_codes", {}).items()
                ]
    table.add_row("Codes", "\n".join(codes))
    table.add_row("Journal", str(demo.journal))
    table.add_row("Portal", str(demo.portal_dir))
    return table


@click.command("demo")
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the demo keeps its lab state, journal and portal (default: a temporary folder, removed at "
    "the end unless --keep-lab).",
)
@click.option(
    "--keep-lab", is_flag=True, help="Leave the demo lab running at the end (catlic lab down stops it)."
)
@output_options
@click.pass_context
def demo_command(ctx: click.Context, work_dir: Path | None, keep_lab: bool) -> int:
    """Rehearse the HSECK9 workflows on virtual switches: audit, air-gapped SLAC install, stack add, return.

    Starts its own lab (never touching one you run), prints each step's table and a summary, stops the lab.
    """
    from virtual_devices.lab import NORNIR_CONFIG

    settings = settings_of(ctx)
    if settings.json:
        raise click.UsageError("the demo prints tables for people; run the subcommands with --json instead")
    scratch = work_dir is None
    work = (work_dir or Path(tempfile.mkdtemp(prefix="catlic-demo-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    state_dir = work / "lab-state"
    topology = work / "topology.yaml"
    topology.write_text(yaml.safe_dump(DEMO_TOPOLOGY, sort_keys=False), encoding="utf-8")
    out, errors = stdout_console(), stderr_console()
    out.print(Rule(Text("catlic demo: HSECK9 licensing on virtual Catalyst 9000 switches", style="bold")))
    devices, started = start_lab(state_dir, topology=topology)
    out.print(f"{started}: {', '.join(str(d['name']) for d in devices)}  (state in {state_dir})")
    try:
        nornir = load_nornir(InventoryChoice(config_file=state_dir / NORNIR_CONFIG))
        _patient_sessions(nornir)
        demo = DemoRun(work, nornir, settings, out, errors)
        run_demo(demo, state_dir)
        out.print(_summary(demo))
        print_recap(out, demo.runs)
    finally:
        if keep_lab:
            out.print(f"The demo lab keeps running: export CATLIC_LAB_STATE={state_dir}", soft_wrap=True)
        else:
            out.print(stop_lab(state_dir))
            if scratch:  # the demo's own temporary folder: nothing in it outlives the demo
                shutil.rmtree(work, ignore_errors=True)
                out.print(f"Removed the demo's folder {work} (--work-dir keeps one).", soft_wrap=True)
    return int(ExitCode.OK)
