"""One exception root for everything the library raises."""

from __future__ import annotations


class CatlicError(Exception):
    """Root of every error nornir-catlic raises."""


class ParseError(CatlicError):
    """Text that is not the output of the command it was said to be, or a command with no template.

    Attributes:
        command: the command whose output was being parsed.
        line: the offending line (``None`` when the command itself is unsupported).
        line_number: 1-based position of ``line`` in the output, when known.
    """

    def __init__(
        self, message: str, *, command: str, line: str | None = None, line_number: int | None = None
    ):
        where = ""
        if line is not None:
            where = f" at line {line_number}: {line!r}" if line_number else f": {line!r}"
        super().__init__(f"{command!r}: {message}{where}")
        self.command = command
        self.line = line
        self.line_number = line_number


class DeviceCommandError(CatlicError):
    """A device answered a command with an IOS error reply or a failure message."""

    def __init__(self, host: str, command: str, reply: str):
        super().__init__(f"{host}: {command!r} failed: {reply.strip()}")
        self.host = host
        self.command = command
        self.reply = reply


class PrerequisiteError(CatlicError):
    """A workflow refused to start because one of the guide's prerequisites is not met."""


class PortalError(CatlicError):
    """The Smart Software Manager side (online or file drop) failed or refused a request."""


class WaitingForPortal(CatlicError):
    """An air-gapped workflow is parked until the operator drops SSM's answer into the inbox."""


class StoreError(CatlicError):
    """The durable store (a SQLite file or a database server) could not be opened, read or written."""


class JournalError(StoreError):
    """The durable journal could not be written or read back."""


class SessionLostError(DeviceCommandError):
    """The SSH session to a device dropped (or could not be opened) while a command was running."""


class WorkflowFailed(CatlicError):
    """A licensing workflow stopped: what failed, the device's (or SSM's) own words, and the guide's remedy.

    Attributes:
        host: the device.
        device_words: the lines the device or SSM printed about the failure.
        remedy: what the guide says to do next.
        message_code: SSM's code (``ERROR_ALL_COUNTS_IN_USE``...), when the failure carried one.
    """

    def __init__(
        self,
        host: str,
        message: str,
        *,
        device_words: str = "",
        remedy: str = "",
        message_code: str | None = None,
    ):
        text = f"{host}: {message}"
        if device_words:
            text += f"\n  device: {device_words.strip()}"
        if remedy:
            text += f"\n  remedy: {remedy}"
        super().__init__(text)
        self.host = host
        self.device_words = device_words
        self.remedy = remedy
        self.message_code = message_code


class NotApplicable(PrerequisiteError):
    """The workflow does not apply to this host (its platform, release or topology): the CLI skips it.

    A PrerequisiteError, so a caller that only knows "refused before anything was sent" still catches it.

    Attributes:
        host: the device.
        reason: why the workflow does not apply, in the guide's words.
    """

    def __init__(self, host: str, reason: str):
        super().__init__(f"{host}: {reason}")
        self.host = host
        self.reason = reason


class WouldFail(CatlicError):
    """A dry run's prediction: the real run would stop on ``cause`` (raised before anything is sent).

    Attributes:
        host: the device.
        cause: the error the real run raises on the same state, with its remedy.
    """

    def __init__(self, host: str, cause: CatlicError):
        reason = str(cause)
        for prefix in (f"{host}: ", f"{host}:"):
            if reason.startswith(prefix):
                reason = reason[len(prefix) :]
                break
        super().__init__(f"{host}: would fail: {reason}")
        self.host = host
        self.cause = cause


class AnswersRefused(WorkflowFailed):
    """Files in a portal's inbox do not answer the exchange this run submitted; nothing was imported.

    Attributes:
        refused: file name -> why it was refused (wrong UDI, an earlier exchange's, not SSM's file...).
        folder: the inbox folder the operator drops SSM's answer into.
    """

    def __init__(self, host: str, refused: dict[str, str], folder: str):
        listed = "".join(f"\n  refused {name}: {reason}" for name, reason in refused.items())
        super().__init__(
            host,
            f"nothing imported from {folder}: {len(refused)} file(s) there do not answer this run's request"
            + listed,
            remedy=f"remove the refused file(s) and drop a fresh copy of SSM's answer into {folder}, "
            "then run again",
        )
        self.refused = dict(refused)
        self.folder = folder


class Interrupted(CatlicError):
    """The run was asked to stop (SIGINT, SIGTERM) and this host stopped before ``step``.

    Attributes:
        host: the device.
        step: the device command (or step) that was not started; ``None`` when the host was not started.
    """

    def __init__(self, host: str, step: str | None):
        super().__init__(f"{host}: interrupted before {step!r}" if step else f"{host}: not started")
        self.host = host
        self.step = step


class HostLocked(CatlicError):
    """Another run works on this switch: its lock names the holder (command, PID, machine, since when).

    Attributes:
        host: the device.
        holder: who holds the lock, in words.
    """

    def __init__(self, host: str, holder: str):
        super().__init__(f"{host}: locked by {holder}")
        self.host = host
        self.holder = holder


class ClusterError(CatlicError):
    """A run on a Dask cluster could not go on: the scheduler is unreachable or lost, or no worker fits."""
