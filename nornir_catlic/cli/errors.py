"""Exit codes of the ``catlic`` command and the error that stops it before (or outside) a Nornir run."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """What ``catlic`` tells a script through its exit status.

    A run where hosts failed exits ``FAILED`` even when an audit also found something critical: the
    audit is incomplete, and that is the first thing a script must learn.
    """

    OK = 0
    FAILED = 1  # at least one host failed, or the requested operation (e.g. at the SSM) was refused
    CRITICAL_FINDING = 2  # every host ran, and an audit or prerequisite check found a critical issue
    CANNOT_RUN = 3  # nothing ran: bad option, bad inventory file, unknown host filter, lab not running
    WAITING = 4  # no host failed, but an air-gapped exchange waits for Cisco SSM's files: run again later


class CliError(Exception):
    """A one-line reason the command cannot go on; ``main`` prints it and exits with ``exit_code``."""

    def __init__(self, message: str, exit_code: ExitCode = ExitCode.CANNOT_RUN) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# The library names a task's arguments (its callers are Python code and runbooks); a catlic subcommand's
# user knows the options instead.
_OPTION_OF_ARGUMENT = {
    "mode='online'": "--online",
    "mode='offline'": "--offline",
    "renewal=True": "--renewal",
    "force_release=True": "--force-release",
}


def in_cli_words(message: str) -> str:
    """``message`` with each Python argument the library suggests (``mode='offline'``) as the subcommand's
    option (``--offline``)."""
    for argument, option in _OPTION_OF_ARGUMENT.items():
        message = message.replace(argument, option)
    return message
