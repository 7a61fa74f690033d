"""Nornir tasks that need no device, to drive ``catlic task`` through every kind of outcome."""

from __future__ import annotations

from nornir.core.task import Result, Task
from pydantic import BaseModel

from nornir_catlic.errors import DeviceCommandError


class Greeting(BaseModel):
    host: str
    site: str | None
    words: list[str]


def greet(task: Task, words: str = "hello", dry_run: bool | None = None) -> Result:
    """Changes hosts whose data says ``needs_change: true``; in dry-run only says it would."""
    changed = bool(task.host.get("needs_change", False))
    plan = f"set greeting {words!r}" if changed else ""
    model = Greeting(host=task.host.name, site=task.host.get("site"), words=words.split())
    return Result(host=task.host, result=model, changed=changed, diff=plan)


def refuse(task: Task) -> Result:
    """Fails like a device that answered with an IOS error, on hosts whose data says ``refuses: true``."""
    if task.host.get("refuses", False):
        raise DeviceCommandError(
            task.host.name,
            "license smart authorization request add hseck9 local",
            "% Error: ERROR_ALL_COUNTS_IN_USE\n",
        )
    return Result(host=task.host, result="accepted")


def crash(task: Task) -> Result:
    """A programming error: shown as one line, with the traceback only under --debug."""
    return Result(host=task.host, result={"missing": {}}["key"])
