"""The IOS-XE CLI engine: one ``CliSession`` per SSH shell, fed raw input, answering as IOS would.

The engine is synchronous and transport-free: ``feed(chunk)`` returns the echo, the command output and the
next prompt as ONE string, which the server writes in one go (netmiko sends the next line before the
previous prompt is back; see the SSH note). Handlers live in ``commands/*`` and see expanded arguments only.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
import time
from collections.abc import Callable
from typing import Any

from virtual_devices import commands as commands_package
from virtual_devices.commands.base import (
    CONFIG_MODES,
    EXEC_MODES,
    REGISTRY,
    Args,
    Confirm,
    InvalidInput,
    Mode,
    Reply,
    command,
)
from virtual_devices.grammar import Grammar, Match, NoMatch, tokenize

log = logging.getLogger(__name__)

INVALID_INPUT = "% Invalid input detected at '^' marker."
INCOMPLETE = "% Incomplete command."
UNRECOGNIZED = "% Unrecognized command"
FIRST_WORD_HELP = {  # IOS's descriptions of commands whose sub-commands carry their own help
    "show": "Show running system information",
    "terminal": "Set terminal line parameters",
    "license": "Smart licensing Commands",
    "redundancy": "Redundancy Facility (RF) exec commands",
    "interface": "Select an interface to configure",
    "no": "Negate a command or set its defaults",
    "platform": "platform specific configuration",
    "do": "To run exec commands in config mode",
}
UNKNOWN_HOST = "% Unknown command or computer name, or unable to find computer address"
CONFIG_HOSTNAME_WIDTH = 20  # IOS cuts the hostname in configuration prompts

MORE = " --More-- "
FLOOD_CHARACTER = "x"  # the flood_bytes fault: one line of it, as a device stuck printing would
_ERASE_MORE = "\b" * len(MORE) + " " * len(MORE) + "\b" * len(MORE)
VTY_DEFAULT_LENGTH = 24
_CTRL_Z = "\x1a"
_CTRL_C = "\x03"
_BACKSPACES = ("\x08", "\x7f")


# --- the grammar per mode, built once from the registry -------------------------------------------

_grammars: dict[Mode, Grammar] = {}
_registry_size = -1


def load_command_modules() -> None:
    """Import every module of ``virtual_devices.commands`` so that their handlers register."""
    for module in pkgutil.iter_modules(commands_package.__path__):
        importlib.import_module(f"{commands_package.__name__}.{module.name}")


def grammar_for(mode: Mode) -> Grammar:
    global _registry_size
    if _registry_size < 0:
        load_command_modules()
    if len(REGISTRY) != _registry_size:
        _grammars.clear()
        _registry_size = len(REGISTRY)
    grammar = _grammars.get(mode)
    if grammar is None:
        grammar = _grammars[mode] = Grammar([spec for spec in REGISTRY if mode in spec.modes])
    return grammar


# --- output filters: `| include|exclude|begin|section|count <regex>` ------------------------------

_FILTERS = ("include", "exclude", "begin", "section", "count")


def split_filter(line: str) -> tuple[str, str | None]:
    """``show run | inc license`` -> (``show run``, ``inc license``)."""
    if "|" not in line:
        return line, None
    head, _, tail = line.partition("|")
    return head.rstrip(), tail.strip()


def apply_filter(output: str, spec: str) -> str:
    """Apply one IOS output filter; raises ``InvalidInput`` for a filter IOS would refuse."""
    tokens = spec.split(None, 1)
    if not tokens:
        raise InvalidInput("|")
    names = [name for name in _FILTERS if name.startswith(tokens[0].lower())]
    if len(names) != 1:
        raise InvalidInput(tokens[0])
    if len(tokens) < 2:
        raise _Incomplete()
    name, expression = names[0], tokens[1]
    try:
        pattern = re.compile(expression)
    except re.error as error:
        raise InvalidInput(expression) from error
    lines = output.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if name == "include":
        kept = [x for x in lines if pattern.search(x)]
    elif name == "exclude":
        kept = [x for x in lines if not pattern.search(x)]
    elif name == "begin":
        start = next((i for i, x in enumerate(lines) if pattern.search(x)), len(lines))
        kept = lines[start:]
    elif name == "count":
        return f"Number of lines which match regexp = {sum(1 for x in lines if pattern.search(x))}"
    else:
        kept = _sections_matching(lines, pattern)
    return "\n".join(kept)


def _sections_matching(lines: list[str], pattern: re.Pattern[str]) -> list[str]:
    """IOS ``| section``: every top-level block (a line and its indented children) holding a match."""
    blocks: list[list[str]] = []
    for line in lines:
        if line[:1] in (" ", "\t") and blocks:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return [x for block in blocks if any(pattern.search(y) for y in block) for x in block]


class _Incomplete(Exception):  # a control-flow signal, mapped to `% Incomplete command.`
    pass


# --- the session ----------------------------------------------------------------------------------


class CliSession:
    """One terminal on a device: mode, prompt, line editing, confirmations, filters and faults.

    Implements ``commands.base.Session`` for handlers.
    """

    def __init__(
        self,
        device: Any,
        *,
        username: str = "",
        peer: str = "",
        write: Callable[[str], None] | None = None,
        line_number: int = 0,
        terminal_length: int = 0,
        peers: Callable[[], list[CliSession]] | None = None,
    ) -> None:
        self.device = device
        self.mode = Mode.USER
        self.interface: str | None = None
        self.username = username
        self.peer = peer
        self.line_number = line_number
        self.terminal_length = terminal_length  # 0: no paging (the server starts shells at IOS's 24)
        self.terminal_width = 80
        self.commands_run = 0
        self.closed = False
        self._write = write  # for output that arrives between inputs (terminal monitor)
        self._monitor = False
        self._line: list[str] = []
        self._after_cr = False
        self._confirm: Confirm | None = None
        self._busy = False
        self._held_syslog: list[str] = []
        self._close_after_prompt = False
        self._pager: list[str] | None = None  # output lines still behind --More--
        self._peers = peers
        self.last_input = time.monotonic()

    # -- what handlers see --
    @property
    def terminal_monitor(self) -> bool:
        return self._monitor

    @terminal_monitor.setter
    def terminal_monitor(self, enabled: bool) -> None:
        monitors: list[Callable[[str], None]] = self.device.monitors
        if enabled and not self._monitor:
            monitors.append(self._on_syslog)
        elif not enabled and self._monitor and self._on_syslog in monitors:
            monitors.remove(self._on_syslog)
        self._monitor = enabled

    def prompt(self) -> str:
        hostname: str = self.device.hostname
        if self.mode is Mode.USER:
            return f"{hostname}>"
        if self.mode is Mode.PRIVILEGED:
            return f"{hostname}#"
        suffix = "(config)#" if self.mode is Mode.CONFIG else "(config-if)#"
        return f"{hostname[:CONFIG_HOSTNAME_WIDTH]}{suffix}"

    def device_sessions(self) -> list[CliSession]:
        """Every terminal open on this device (``show users``)."""
        return self._peers() if self._peers is not None else [self]

    def close(self) -> None:
        """Forget the session: stop receiving syslog."""
        self.terminal_monitor = False
        self.closed = True

    # -- input --
    def greeting(self) -> str:
        """What the terminal shows when the shell opens."""
        return "\r\n" + self.prompt()

    def feed(self, data: str) -> str:
        """Consume raw input; return everything to write back (echo, output, prompt) as one string."""
        out: list[str] = []
        self.last_input = time.monotonic()
        for char in data:
            if self.closed:
                break
            if char == "\n" and self._after_cr:
                self._after_cr = False
                continue
            self._after_cr = char == "\r"
            if self._pager is not None:
                if char != "\x00":
                    out.append(self._page(char))
            elif char in ("\r", "\n"):
                out.append(self._enter())
            elif char == "\x00":
                continue  # netmiko's keepalive
            elif char in _BACKSPACES:
                if self._line:
                    self._line.pop()
                    out.append("\b \b")
            elif char == _CTRL_Z and self.mode in CONFIG_MODES and self._confirm is None:
                self._line.clear()
                self.mode, self.interface = Mode.PRIVILEGED, None
                out.append("^Z\r\n" + self.prompt())
            elif char == _CTRL_C:
                self._line.clear()
                self._confirm = None
                if self.mode in CONFIG_MODES:
                    self.mode, self.interface = Mode.PRIVILEGED, None
                out.append("^C\r\n" + self.prompt())
            elif char == "?" and self._confirm is None:
                out.append(self._help())
            elif char == "\t" and self._confirm is None:
                out.append(self._complete())
            elif char >= " " or char == "\t":
                self._line.append(char)
                if self._confirm is None or self._confirm.echo:
                    out.append(char)
        return "".join(out)

    def _enter(self) -> str:
        typed = "".join(self._line)
        self._line.clear()
        self._busy = True
        try:
            if self._confirm is not None:
                confirm, self._confirm = self._confirm, None
                body = self._answer(confirm, typed.strip())
            else:
                body = self._command_line(typed)
        finally:
            self._busy = False
        lines = body.replace("\r\n", "\n").split("\n") if body else []
        page = self.terminal_length - 1
        if page > 0 and len(lines) > page and self._confirm is None and not self.closed:
            self._pager = lines[page:]
            return "\r\n" + "\r\n".join(lines[:page]) + "\r\n" + MORE
        text = "\r\n" + "".join(line + "\r\n" for line in lines)
        if self.closed:
            return text
        if self._confirm is not None:
            return text + self._confirm.prompt
        return text + self._finish()

    def _finish(self) -> str:
        """The prompt after a command, then syslog that arrived meanwhile (as `logging synchronous` does)."""
        text = self.prompt()
        for message in self._held_syslog:
            text += f"\r\n{message}\r\n{self.prompt()}"
        self._held_syslog.clear()
        if self._close_after_prompt:
            self.closed = True
        return text

    def _page(self, key: str) -> str:
        """A key at ``--More--``: space shows a page, Enter a line, anything else stops the output."""
        assert self._pager is not None
        if key == " ":
            count = max(self.terminal_length - 1, 1)
        elif key in ("\r", "\n"):
            count = 1
        else:
            count = 0
            self._pager = []
        shown, self._pager = self._pager[:count], self._pager[count:]
        text = _ERASE_MORE + "".join(line + "\r\n" for line in shown)
        if self._pager:
            return text + MORE
        self._pager = None
        return text + self._finish()

    def _help(self) -> str:
        """``?``: what may come next, then the prompt and the line typed so far, as IOS shows it."""
        typed = "".join(self._line)
        command_text, _ = _split_for(self.mode, typed)
        choices = grammar_for(self.mode).help(command_text)
        if isinstance(choices, NoMatch):
            first_word = len(tokenize(command_text)) <= 1
            body = (
                UNRECOGNIZED
                if choices.reason == "unrecognized" or first_word
                else self._caret(choices.column).rstrip("\n")
            )
        elif typed[-1:].isspace() or not typed:
            first = not command_text.strip()
            described = [
                (word, text or (FIRST_WORD_HELP.get(word, "") if first else "")) for word, text in choices
            ]
            width = max(len(word) for word, _ in described)
            body = "\n".join(f"  {word:<{width}}  {text}".rstrip() for word, text in described)
        else:
            body = "  ".join(word for word, _ in choices)
        return "?\r\n" + body.replace("\n", "\r\n") + "\r\n\r\n" + self.prompt() + typed

    def _complete(self) -> str:
        """Tab: finish the word being typed when exactly one keyword fits."""
        typed = "".join(self._line)
        if not typed or typed[-1].isspace():
            return ""
        command_text, _ = _split_for(self.mode, typed)
        choices = grammar_for(self.mode).help(command_text)
        words = [] if isinstance(choices, NoMatch) else [w for w, _ in choices if not w.startswith("<")]
        if len(words) != 1 or not words[0].islower():
            return ""
        partial = tokenize(typed)[-1].text
        suffix = words[0][len(partial) :] + " "
        self._line.extend(suffix)
        return suffix

    def _answer(self, confirm: Confirm, answer: str) -> str:
        try:
            result = confirm.then(answer)
        except InvalidInput:
            return INVALID_INPUT
        except Exception as error:  # a lab bug must not kill the session
            log.exception("confirmation handler failed on %s", self.device.name)
            return f"%Error: lab internal error ({error})"
        return self._take(result)

    def _command_line(self, typed: str) -> str:
        line = typed.strip()
        if not line or line.startswith("!"):
            return ""
        faults = self.device.faults
        if faults.drop_on_command and re.search(faults.drop_on_command, line):
            self.closed = True
            return ""
        self.commands_run += 1
        body = self.run(typed)
        if faults.flood_bytes > 0 and self.mode in EXEC_MODES and _is_show(line):
            body = FLOOD_CHARACTER * faults.flood_bytes + "\n" + body
        if faults.drop_after_commands is not None and self.commands_run >= faults.drop_after_commands:
            self._close_after_prompt = True  # the Nth command completes, then the line drops
        return body

    def configuration_terminal(self) -> CliSession:
        terminal = CliSession(self.device)
        terminal.mode = Mode.CONFIG
        return terminal

    # -- running one command line --
    def run(self, typed: str, mode: Mode | None = None, offset: int = 0) -> str:
        """Run one line in ``mode`` (default: the current one) and return its output without prompt.

        ``offset``: where ``typed`` starts on the terminal line after the prompt (``do ...``), for the caret.
        """
        mode = mode or self.mode
        command_text, filter_spec = _split_for(mode, typed)
        result = grammar_for(mode).match(command_text)
        if isinstance(result, NoMatch) and mode is Mode.CONFIG_IF:
            # IOS tries a line the sub-mode does not know in global configuration, and stays there.
            parent = grammar_for(Mode.CONFIG).match(command_text)
            if isinstance(parent, Match):
                self.mode, self.interface = Mode.CONFIG, None
                result = parent
            elif parent.reason != "invalid" or parent.column > result.column:
                result = parent
        if isinstance(result, NoMatch):
            return self._refusal(result, typed, mode, offset)
        try:
            output = self._call(result, typed)
            if filter_spec is not None and self._confirm is None:
                output = apply_filter(output, filter_spec)
        except InvalidInput as error:
            return self._caret(offset + _column_of(typed, error.at, result))
        except _Incomplete:
            return INCOMPLETE + "\n"
        return output

    def _call(self, match: Match, typed: str) -> str:
        args = Args(match.keywords, match.values, typed.strip())
        try:
            result = match.spec.handler(self, args)
        except InvalidInput:
            raise
        except Exception as error:  # a lab bug must not kill the session
            log.exception("handler for %r failed on %s", match.spec.syntax, self.device.name)
            return f"%Error: lab internal error ({error})"
        return self._take(result)

    def _take(self, result: Reply | str | None) -> str:
        if result is None:
            return ""
        if isinstance(result, str):
            return result
        if result.new_mode is not None:
            self.mode = result.new_mode
            self.interface = result.interface if result.new_mode is Mode.CONFIG_IF else None
        if result.confirm is not None:
            self._confirm = result.confirm
        if result.disconnect:
            self.closed = True
        return result.output

    def _refusal(self, failure: NoMatch, typed: str, mode: Mode, offset: int) -> str:
        if failure.reason == "ambiguous":
            return f'% Ambiguous command: "{typed.strip()}"'
        if failure.reason == "incomplete":
            if failure.keywords == ("show",):
                return '% Type "show ?" for a list of subcommands'
            return INCOMPLETE + "\n"
        words = tokenize(typed)
        if mode in EXEC_MODES and len(words) == 1 and failure.column == words[0].column:
            # IOS takes a lone unknown word in EXEC for a host to telnet to.
            return f'Translating "{words[0].text}"\n{UNKNOWN_HOST}\n'
        return self._caret(offset + failure.column)

    def _caret(self, column: int) -> str:
        return " " * (len(self.prompt()) + column) + "^\n" + INVALID_INPUT + "\n"

    # -- syslog on the terminal --
    def _on_syslog(self, message: str) -> None:
        if self.closed:
            return
        if self._busy or self._write is None:
            self._held_syslog.append(message)
            return
        self._write(f"\r\n{message}\r\n{self.prompt()}{''.join(self._line)}")


def _is_show(line: str) -> bool:
    word = line.split(maxsplit=1)[0].lower()
    return len(word) >= 2 and "show".startswith(word)


def _split_for(mode: Mode, typed: str) -> tuple[str, str | None]:
    """(command, output filter): only EXEC commands take ``| include ...``; in configuration ``|`` is text."""
    return split_filter(typed) if mode in EXEC_MODES else (typed, None)


def _column_of(typed: str, text: str, match: Match) -> int:
    """Column of ``text`` in the typed line, searched after the leading keywords."""
    start = 0
    for word in tokenize(typed):
        if any(keyword.startswith(word.text.lower()) for keyword in match.keywords):
            start = word.column + len(word.text)
            continue
        break
    found = typed.find(text, start)
    if found < 0:
        found = typed.find(text)
    return max(found, 0)


# --- engine-level commands: end, exit, do ---------------------------------------------------------


@command("end", CONFIG_MODES, help="Exit from configure mode")
def _end(session: Any, args: Args) -> Reply:
    return Reply(new_mode=Mode.PRIVILEGED)


@command("exit", CONFIG_MODES, help="Exit from the current mode")
def _exit_config(session: Any, args: Args) -> Reply:
    return Reply(new_mode=Mode.CONFIG if session.mode is Mode.CONFIG_IF else Mode.PRIVILEGED)


@command("{exit|logout|quit}", EXEC_MODES, help="Exit from the EXEC")
def _exit_exec(session: Any, args: Args) -> Reply:
    return Reply(disconnect=True)


@command("do <line:LINE>", CONFIG_MODES, help="To run exec commands in config mode")
def _do(session: Any, args: Args) -> str:
    offset = max(args.line.find(args["line"]), 0)
    output: str = session.run(args["line"], mode=Mode.PRIVILEGED, offset=offset)
    return output
