"""The contract between the CLI engine and the command handlers.

Handlers are plain functions registered with :func:`command`. The engine (``virtual_devices.cli``) owns
tokenising, prefix matching of keywords (``sh lic sum``), IOS error replies with the caret marker, modes,
``| include``/``| section`` filters and confirmation prompts; handlers only see fully expanded arguments.

Syntax mini-language of ``CommandSpec.syntax``:

- ``show license summary``: literal keywords (lowercase; the user may abbreviate any unambiguous prefix).
- ``{add|replace}``: one of the alternatives; ``[all]``: optional; groups nest: ``[addon {a|b}]``.
- ``<name:WORD>``: one token captured as ``args[name]``; ``<name:LINE>``: the rest of the line;
  ``<name:1-365>``: an integer in the range, captured as ``int``.
- Every keyword the user matched is in ``args.keywords`` by its full name, so ``"replace" in args``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


class Mode(enum.Enum):
    USER = "user"  # Device>
    PRIVILEGED = "privileged"  # Device#
    CONFIG = "config"  # Device(config)#
    CONFIG_IF = "config-if"  # Device(config-if)#


EXEC_MODES = frozenset({Mode.USER, Mode.PRIVILEGED})
CONFIG_MODES = frozenset({Mode.CONFIG, Mode.CONFIG_IF})


@dataclass
class Args:
    """What the engine hands a handler: matched keywords and captured values."""

    keywords: set[str] = field(default_factory=set)
    values: dict[str, Any] = field(default_factory=dict)
    line: str = ""  # the line as the user typed it

    def __contains__(self, keyword: object) -> bool:
        return keyword in self.keywords or keyword in self.values

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keywords)

    def chosen(self, *alternatives: str) -> str:
        """Which of ``{a|b|c}`` the user typed (the grammar guarantees exactly one matched)."""
        return next(word for word in alternatives if word in self.keywords)


@dataclass
class Confirm:
    """A question IOS asks before acting (``[confirm]``, ``Destination filename [x]?``).

    The engine prints ``prompt`` with no prompt after it, reads one line, and calls ``then(answer)`` whose
    return is handled like a handler's return. An empty answer means the default.
    """

    prompt: str
    then: Callable[[str], Reply | str | None]
    echo: bool = True  # False for secrets (the enable password is not echoed)


@dataclass
class Reply:
    """A handler's answer. A plain ``str`` return is shorthand for ``Reply(output=...)``."""

    output: str = ""
    confirm: Confirm | None = None
    new_mode: Mode | None = None
    interface: str | None = None  # with new_mode=CONFIG_IF: the interface entered
    disconnect: bool = False  # drop this session after writing output (exit, reload, switchover)


class Session(Protocol):
    """What a handler may use of the SSH session that runs it."""

    device: Any  # virtual_devices.device.Device
    mode: Mode
    interface: str | None  # current interface in CONFIG_IF
    terminal_monitor: bool
    terminal_length: int  # 0: no --More-- paging
    terminal_width: int
    username: str

    def run(self, typed: str, mode: Mode | None = None, offset: int = 0) -> str:
        """Run another command line in this terminal (``do``), output without prompt."""
        ...

    def device_sessions(self) -> Sequence[Session]:
        """Every terminal open on the device (``show users``)."""
        ...

    def configuration_terminal(self) -> Session:
        """A new terminal on the same device, in global configuration mode (``copy x running-config``)."""
        ...


class InvalidInput(Exception):  # named after the IOS reply it produces
    """Raised by a handler to answer ``% Invalid input detected at '^' marker.`` under ``at``.

    ``at`` is the offending text as the user typed it (a token or the rest of the line); the engine puts the
    caret under its first occurrence after the command keywords.
    """

    def __init__(self, at: str) -> None:
        super().__init__(at)
        self.at = at


Handler = Callable[[Session, Args], "Reply | str | None"]


@dataclass(frozen=True)
class CommandSpec:
    syntax: str
    modes: frozenset[Mode]
    handler: Handler
    help: str = ""


REGISTRY: list[CommandSpec] = []


def command(syntax: str, modes: frozenset[Mode] | Mode, help: str = "") -> Callable[[Handler], Handler]:
    """Register ``handler`` for ``syntax`` in ``modes``."""
    mode_set = frozenset({modes}) if isinstance(modes, Mode) else modes

    def register(handler: Handler) -> Handler:
        REGISTRY.append(CommandSpec(syntax, mode_set, handler, help))
        return handler

    return register
