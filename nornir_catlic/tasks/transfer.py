"""Files between this machine and a switch's ``bootflash:`` over SCP, verified by MD5 (netmiko file transfer).

The SLAC request, usage report and return files the switch writes are fetched; the SLAC and ACK files SSM
hands back are put. Both run as DEBUG sub-tasks over the host's netmiko session (netmiko opens its own SCP
channel beside it), and both fail as :class:`~nornir_catlic.errors.DeviceCommandError` naming the host and
the file. A real switch serves SCP only with ``ip scp server enable`` (and an AAA exec authorization for the
login), as netmiko's file transfer documents.
"""

from __future__ import annotations

import os
from pathlib import Path

import netmiko
from nornir.core.task import Result, Task

from nornir_catlic.errors import CatlicError, DeviceCommandError
from nornir_catlic.transport import connection, run_subtask
from nornir_catlic.workplace import make_folders, write_private_text

FILE_SYSTEM = "bootflash:"


def bootflash_path(name: str) -> str:
    """``bootflash:<name>`` as typed in a command."""
    return f"{FILE_SYSTEM}{name}"


def _transfer_step(task: Task, source: str, destination: str, direction: str) -> Result:
    conn = connection(task)
    what = f"scp {direction} {source}"
    try:
        outcome = netmiko.file_transfer(
            conn,
            source_file=source,
            dest_file=destination,
            file_system=FILE_SYSTEM,
            direction=direction,
            overwrite_file=True,
        )
    except CatlicError:
        raise
    except Exception as err:  # netmiko and paramiko raise ValueError, OSError, SCPException...
        raise DeviceCommandError(task.host.name, what, f"file transfer failed: {err}") from err
    if not outcome.get("file_verified"):
        raise DeviceCommandError(task.host.name, what, "the file's MD5 did not match after the transfer")
    return Result(host=task.host, result=outcome, changed=bool(outcome.get("file_transferred")))


def fetch_file(task: Task, remote_name: str, local_path: Path) -> str:
    """Copy ``bootflash:<remote_name>`` to ``local_path`` (readable by its owner only: it holds codes);
    returns the file's text."""
    make_folders(local_path.parent)
    write_private_text(local_path, "")  # SCP writes into it; it may set the switch's mode, reset below
    run_subtask(
        task,
        _transfer_step,
        f"scp get {bootflash_path(remote_name)}",
        source=remote_name,
        destination=str(local_path),
        direction="get",
    )
    os.chmod(local_path, 0o600)
    return local_path.read_text(encoding="utf-8", errors="replace")


def put_file(task: Task, local_path: Path, remote_name: str) -> str:
    """Copy ``local_path`` to ``bootflash:<remote_name>``; returns the path as typed in commands."""
    run_subtask(
        task,
        _transfer_step,
        f"scp put {bootflash_path(remote_name)}",
        source=str(local_path),
        destination=remote_name,
        direction="put",
    )
    return bootflash_path(remote_name)
