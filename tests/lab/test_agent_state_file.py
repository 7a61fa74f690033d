"""A device state file written before the agent's state was typed still loads, and the switch prints what
it printed then.

``state_files/untyped_agent`` was written by the lab of commit 09d76d4 (the agent's state in plain dicts):
a stack that got its SLACs online, reported for 40 days, saved a RUM file, then, with the SSM unreachable,
returned one key online (a return pending) and requested a new one (a request pending). ``outputs.json``
holds what that lab printed after a restart from the file, at the same frozen moment.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from virtual_devices.device import Device, LabClock, LabContext
from virtual_devices.licensing.persistence import state_from_dict, state_to_dict
from virtual_devices.licensing.state import (
    InstalledSlac,
    LicensingState,
    PendingReturn,
    Reporting,
    ReportState,
    SlacRequest,
)
from virtual_devices.ssm import SimulatedSSM

from .rig import Terminal

UNTYPED = Path(__file__).parent / "state_files" / "untyped_agent"


def _recorded() -> tuple[dict[str, Any], dict[str, Any]]:
    return json.loads((UNTYPED / "stack.json").read_text()), json.loads(
        (UNTYPED / "outputs.json").read_text()
    )


def test_the_untyped_state_loads_into_typed_records_and_saves_in_the_same_shape() -> None:
    saved, _ = _recorded()
    state = state_from_dict(saved["agent"])
    assert all(isinstance(slac, InstalledSlac) for slac in state.slacs.values()) and len(state.slacs) == 1
    assert isinstance(state.pending, SlacRequest) and state.pending.udis == ["PID:C9300X-24HX,SN:FOC2519L8R7"]
    assert state.pending_returns == [
        PendingReturn(
            "PID:C9300X-24HX,SN:FOC2519L8R7", saved["agent"]["last_return"]["PID:C9300X-24HX,SN:FOC2519L8R7"]
        )
    ]
    assert {report.state for report in state.reports} >= {ReportState.ACKED, ReportState.WAITING}
    assert state.policy is not None and state.policy.subscription.frequency == 90
    assert state.reporting.deadline == datetime.fromisoformat(saved["agent"]["reporting"]["deadline"])
    assert state.comm_failed and not state.hsec_in_use
    assert state_to_dict(state) == saved["agent"]


def test_a_switch_restarted_from_an_untyped_state_file_prints_what_it_printed_then(tmp_path: Path) -> None:
    saved, recorded = _recorded()
    (tmp_path / "devices").mkdir()
    shutil.copy(UNTYPED / "stack.json", tmp_path / "devices" / "stack.json")
    clock = LabClock(datetime.fromisoformat(recorded["now"]), frozen=True)
    ssm = SimulatedSSM(tmp_path / "ssm.sqlite", clock=clock.now)
    ssm.add_account("Eg-SA", "Eg-VA", {"C9K HSEC": 10})
    ctx = LabContext(clock=clock, ssm=ssm, state_dir=tmp_path, reload_delay=0, remote_dir=tmp_path / "tftp")
    device = Device.from_spec(recorded["spec"], ctx)
    device.faults.ssm_unreachable = True  # as when the file was written: the pending exchanges stay pending
    terminal = Terminal(device)
    for command, printed in recorded["outputs"].items():
        assert terminal.run(command) == printed, command
    after = device.agent.to_dict()
    assert after.pop("last_catch_up") == recorded["now"]  # a boot counts days from itself
    assert after == {key: value for key, value in saved["agent"].items() if key != "last_catch_up"}


def test_missing_and_empty_parts_of_an_old_state_take_their_defaults() -> None:
    assert state_from_dict({}) == LicensingState()
    # What the untyped agent saved after `license smart factory reset`: an empty policy and reporting.
    reset = state_from_dict({"policy": {}, "reporting": {}, "account": None, "pending": None, "reports": []})
    assert reset.policy is None and reset.reporting == Reporting() and reset.account is None
