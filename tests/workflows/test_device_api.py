"""The device API for scripts without Nornir: ``CatalystSwitch`` over real SSH to the lab.

A script that imports no Nornir reads a switch's state and installs its SLAC online, first as a dry run that
changes nothing, then for real; ``from_netmiko`` works on a netmiko connection the script holds and leaves it
open; arguments are judged before any device is touched; no password or enable secret shows in a repr, an
exception or a log. Each test works on a switch of its own, so they pass in any order.
"""

from __future__ import annotations

import ast
import inspect
import json
import logging
import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from netmiko import BaseConnection, ConnectHandler
from nornir.core.task import Result, Task

from nornir_catlic import CatalystSwitch, tasks
from nornir_catlic.errors import CatlicError, DeviceCommandError, PrerequisiteError, WouldFail
from nornir_catlic.journal import Journal
from nornir_catlic.models.state import LicenseState
from nornir_catlic.switch import WorkflowMethod
from nornir_catlic.tasks import SlacInstall, catlic_install_slac
from virtual_devices.lab import Lab

from .labkit import c9300x_stack, device_codes, device_snapshot, topology, udi

PASSWORD, SECRET = "api-pass-Zq81", "api-enable-Kx52"
CREDENTIALS = {"username": "admin", "password": PASSWORD, "secret": SECRET}
DEVICES = [
    c9300x_stack("api-script", "FOCAS0"),
    c9300x_stack("api-netmiko", "FOCAN0", members=1),
    c9300x_stack("api-checks", "FOCAC0", members=1),
    c9300x_stack("api-airgapped", "FOCAG0", members=1, transport="off"),
]

SCRIPT = textwrap.dedent(
    """\
    import json
    import os
    import sys

    from nornir_catlic import CatalystSwitch
    from nornir_catlic.journal import Journal

    dry_run = sys.argv[1] == "dry-run"
    with CatalystSwitch(
        host="127.0.0.1",
        port=int(os.environ["SWITCH_PORT"]),
        username="admin",
        password=os.environ["SWITCH_PASSWORD"],
        secret=os.environ["SWITCH_SECRET"],
        name="api-script",
    ) as switch:
        state = switch.license_state()
        install = switch.install_slac(mode="online", journal=Journal(sys.argv[2]), dry_run=dry_run)
    print(json.dumps({
        "members": {serial: member.slac_status for serial, member in state.members.items()},
        "requested": install.requested,
        "commands": install.commands,
        "codes": install.codes,
    }))
    """
)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    spec = topology(DEVICES)
    spec["lab"]["credentials"] = CREDENTIALS
    with Lab.from_dict(spec, tmp_path_factory.mktemp("device-api")) as running:
        yield running


def switch_for(lab: Lab, device: str) -> CatalystSwitch:
    """The lab's ``device`` as a script would open it, known by its inventory name."""
    return CatalystSwitch(
        "127.0.0.1", port=lab.ports[device], username="admin", password=PASSWORD, secret=SECRET, name=device
    )


def netmiko_session(lab: Lab, device: str) -> BaseConnection:
    """A netmiko connection to the lab's ``device``, as a script that already uses netmiko holds one."""
    return ConnectHandler(
        device_type="cisco_xe",
        host="127.0.0.1",
        port=lab.ports[device],
        username="admin",
        password=PASSWORD,
        secret=SECRET,
    )


def imported_names(source: str) -> set[str]:
    """Every module name a script's own import statements name."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def run_python(script: Path, *args: str, env: dict[str, str], cwd: Path | None = None) -> str:
    """What ``script`` printed; it must succeed and print neither the password nor the enable secret."""
    done = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=240
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert PASSWORD not in done.stdout + done.stderr and SECRET not in done.stdout + done.stderr
    return done.stdout


def run_script(lab: Lab, script: Path, *args: str) -> dict[str, object]:
    login = {
        "SWITCH_PORT": str(lab.ports["api-script"]),
        "SWITCH_PASSWORD": PASSWORD,
        "SWITCH_SECRET": SECRET,
    }
    reply: dict[str, object] = json.loads(run_python(script, *args, env={**os.environ, **login}))
    return reply


def test_a_script_without_nornir_reads_the_state_and_installs_the_slac_dry_run_first(
    lab: Lab, tmp_path: Path
) -> None:
    script = tmp_path / "license_switch.py"
    script.write_text(SCRIPT)
    journal = tmp_path / "journal.jsonl"
    wanted = [udi("C9300X-24HX", "FOCAS001"), udi("C9300X-48HXN", "FOCAS002")]
    assert not any(name.split(".")[0] == "nornir" for name in imported_names(SCRIPT))
    before = device_snapshot(lab, "api-script")

    planned = run_script(lab, script, "dry-run", str(journal))

    assert device_snapshot(lab, "api-script") == before  # the dry run typed nothing that changes the switch
    assert planned["members"] == {"FOCAS001": "NOT INSTALLED", "FOCAS002": "NOT INSTALLED"}
    assert planned["commands"] == [
        "license smart authorization request add hseck9 all",
        "license smart sync all",
    ]
    assert planned["codes"] == {}

    installed = run_script(lab, script, "install", str(journal))

    assert sorted(installed["requested"]) == sorted(wanted)  # type: ignore[type-var]
    assert installed["codes"] == device_codes(lab, "api-script")
    assert sorted(device_codes(lab, "api-script")) == sorted(wanted)
    assert Journal(journal).installed_codes("api-script") == installed["codes"]

    again = run_script(lab, script, "install", str(journal))

    assert again["requested"] == [] and again["codes"] == installed["codes"]  # the second run is a no-op


def test_from_netmiko_runs_the_workflows_on_the_scripts_connection_and_leaves_it_open(lab: Lab) -> None:
    connection = netmiko_session(lab, "api-netmiko")
    assert not connection.check_enable_mode()  # the lab's login lands in user EXEC
    try:
        with CatalystSwitch.from_netmiko(connection, name="api-netmiko") as switch:
            state = switch.license_state()
            plan = switch.install_slac(mode="online", dry_run=True)
            check = switch.check_hseck9()

        assert isinstance(state, LicenseState) and list(state.members) == ["FOCAN001"]
        assert plan.requested == [udi("C9300X-24HX", "FOCAN001")] and device_codes(lab, "api-netmiko") == {}
        assert check.host == "api-netmiko"
        assert connection.check_enable_mode()  # the workflows typed on this session: it sent enable
        assert connection.is_alive()  # the script's session outlives the switch
        assert "FOCAN001" in connection.send_command("show license udi")
    finally:
        connection.disconnect()

    closing = netmiko_session(lab, "api-netmiko")
    with CatalystSwitch.from_netmiko(closing, close=True) as switch:
        assert switch.license_state().host == switch.name
    assert not closing.is_alive()


def test_each_method_takes_its_tasks_arguments_and_returns_its_typed_result(lab: Lab) -> None:
    with switch_for(lab, "api-checks") as switch:
        plan = switch.install_slac(mode="online", dry_run=True)
        state = switch.license_state()
        audit = switch.audit(warn_days=10)
        run = switch.run(catlic_install_slac, SlacInstall, mode="online", dry_run=True)

    assert isinstance(plan, SlacInstall) and plan.host == "api-checks"
    assert state.host == "api-checks" and audit.state == state
    assert run == plan


def test_bad_arguments_are_refused_before_any_device_is_touched() -> None:
    with socket.socket() as unused:  # a port nothing listens on: any connection attempt would fail there
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    switch = CatalystSwitch("127.0.0.1", port=port, username="admin", password=PASSWORD, secret=SECRET)

    with pytest.raises(PrerequisiteError, match="mode must be 'online' or 'offline', not 'sideways'"):
        switch.install_slac(mode="sideways")
    with pytest.raises(PrerequisiteError, match=r"warn_days: .*not 'soon'"):
        switch.audit(warn_days="soon")  # type: ignore[arg-type]
    with pytest.raises(PrerequisiteError, match="not a permitted combination"):
        switch.set_boot_level("network-essentials", "dna-advantage")
    with pytest.raises(PrerequisiteError, match="mode given twice"):
        switch.install_slac("online", mode="offline")
    with pytest.raises(PrerequisiteError, match="port"):
        CatalystSwitch("127.0.0.1", port=70000, username="admin", password=PASSWORD)
    with pytest.raises(DeviceCommandError, match="cannot open an SSH session"):
        switch.license_state()  # the same switch does reach for the device once the arguments are right


def test_no_secret_shows_in_a_repr_an_exception_or_a_log(lab: Lab, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    switch = switch_for(lab, "api-checks")
    with switch:
        switch.license_state()
    shown = [repr(switch), str(switch)]
    wrong = CatalystSwitch(
        "127.0.0.1", port=lab.ports["api-checks"], username="admin", password="wrong-" + PASSWORD
    )
    with pytest.raises(CatlicError) as refused:
        wrong.license_state()
    shown.append(str(refused.value))
    with pytest.raises(PrerequisiteError) as invalid:
        CatalystSwitch("127.0.0.1", username="admin", password=12345678)  # type: ignore[arg-type]
    shown.append(str(invalid.value))

    assert "api-checks" in shown[0] and "cannot open an SSH session" in shown[2] and "password" in shown[3]
    assert "12345678" not in shown[3]
    assert caplog.records, "the run logged nothing: the log check would prove nothing"
    for text in [*shown, caplog.text]:
        assert PASSWORD not in text and SECRET not in text


def test_the_device_api_example_runs_as_written_against_the_examples_lab(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "device_api.py"
    topology_file = example.parent / "lab-topology.yaml"
    assert not any(name.split(".")[0] == "nornir" for name in imported_names(example.read_text()))
    environment = {key: value for key, value in os.environ.items() if not key.startswith("SWITCH_")}
    with Lab.from_topology(topology_file, tmp_path / "lab-state"):  # where the example looks for it
        first = run_python(example, env=environment, cwd=tmp_path)
        second = run_python(example, env=environment, cwd=tmp_path)

    assert "FOC2633X0AA: SLAC NOT INSTALLED" in first
    assert (
        "would type:\n  license smart authorization request add hseck9 all\n  license smart sync all" in first
    )
    assert "PID:C9300X-24HX,SN:FOC2633X0AA: confirmation code " in first and "(new)" in first
    assert "FOC2633X0AA: SLAC SMART AUTHORIZATION INSTALLED" in second
    assert "would type:\n  nothing" in second and "(new)" not in second


def test_every_workflow_task_is_a_method_taking_the_tasks_own_arguments() -> None:
    workflows = {name for name in tasks.__all__ if name.startswith("catlic_")}
    methods = {
        getattr(method.task, "__name__", ""): method
        for method in vars(CatalystSwitch).values()
        if isinstance(method, WorkflowMethod)
    }

    assert set(methods) == workflows
    for name, method in methods.items():
        task_arguments = list(inspect.signature(getattr(tasks, name)).parameters)[1:]
        assert list(inspect.signature(method).parameters)[1:] == task_arguments


def test_a_workflow_failure_comes_back_as_the_tasks_own_exception(lab: Lab) -> None:
    before = device_snapshot(lab, "api-airgapped")
    with switch_for(lab, "api-airgapped") as switch:
        with pytest.raises(WouldFail, match="api-airgapped: would fail: the transport is off"):
            switch.install_slac(mode="online", dry_run=True)
        with pytest.raises(PrerequisiteError, match=r"api-airgapped: the transport is off.*mode='offline'"):
            switch.install_slac(mode="online")

    assert device_snapshot(lab, "api-airgapped") == before


def _refused(task: Task) -> Result:
    raise DeviceCommandError(task.host.name, "show nothing", "% Invalid input detected at '^' marker.")


def _runs_a_refused_step(task: Task) -> Result:
    task.run(task=_refused)
    return Result(host=task.host, result=None)


def test_a_failed_sub_step_comes_back_as_its_own_exception_not_nornirs_wrapper() -> None:
    switch = CatalystSwitch("127.0.0.1", username="admin", password=PASSWORD, name="no-device")

    with pytest.raises(DeviceCommandError, match="no-device: 'show nothing' failed: % Invalid input"):
        switch.run(_runs_a_refused_step, SlacInstall)


def test_the_standalone_of_a_stack_addition_is_another_switch_object(lab: Lab) -> None:
    stack, standalone = switch_for(lab, "api-checks"), switch_for(lab, "api-airgapped")
    with stack, standalone, pytest.raises(WouldFail, match="api-airgapped: no SLAC on FOCAG001 yet"):
        # The task reads the standalone through that switch's own session: it holds no SLAC yet.
        stack.add_stack_member("FOCAG001", method="standalone-first", standalone=standalone, dry_run=True)
