"""The agent's own records: ``show license rum id``, ``show license eventlog``, ``show license history
message`` (RUM reports and the message history are Smart Licensing Using Policy's: 16.x refuses them)."""

from __future__ import annotations

from typing import Any

from virtual_devices import render_agent_records
from virtual_devices.commands.base import EXEC_MODES, Args, InvalidInput, command


def _policy_agent(session: Any, word: str) -> Any:
    device = session.device
    if device.generation == "sl16":
        raise InvalidInput(word)
    return device


@command("show license rum id <rum:WORD> [detail]", EXEC_MODES, help="Display the usage (RUM) reports")
def show_license_rum(session: Any, args: Args) -> str:
    device = _policy_agent(session, "rum")
    selector = str(args["rum"]).lower()
    if selector != "all" and not selector.isdigit():
        raise InvalidInput(str(args["rum"]))
    return render_agent_records.show_license_rum(device, selector, detail="detail" in args)


@command("show license eventlog [<days:0-365>]", EXEC_MODES, help="Display the licensing event log")
def show_license_eventlog(session: Any, args: Args) -> str:
    device = session.device  # 16.x keeps an event log too
    days = args.get("days")
    return render_agent_records.show_license_eventlog(device, int(days) if days is not None else None)


@command("show license history message", EXEC_MODES, help="Display the licensing message history")
def show_license_history_message(session: Any, args: Args) -> str:
    return render_agent_records.show_license_history_message(_policy_agent(session, "history"))
