"""A scripted IOS-XE shell over real SSH, for testing the device layer's channel handling in isolation.

This is not the lab: it knows no licensing. It answers fixed commands, asks IOS's questions (``[confirm]``,
``Destination filename [...]?``, ``Password:``), refuses unknown input the IOS way and can drop the session,
so that prompts, answers, error replies and drops are tested without the lab's moving parts.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import asyncssh

USERNAME = "tester"
PASSWORD = "fake-pass-7"  # netmiko masks secrets in its logs: never a word that occurs in output
SECRET = "fake-enable-9"


@dataclass
class FakeSwitch:
    hostname: str = "fake-sw1"
    start_privileged: bool = True
    replies: dict[str, str] = field(default_factory=dict)
    config_replies: dict[str, str] = field(default_factory=dict)
    drop_on: set[str] = field(default_factory=set)  # commands that close the session without a reply
    drop_after: set[str] = field(default_factory=set)  # commands answered, then the session closes
    silent_on: set[str] = field(default_factory=set)  # commands that get no reply, the session staying up
    # commands after which the next line is first answered by a stray prompt, its echo and reply 50 ms later
    stray_prompt_after: set[str] = field(default_factory=set)
    down: bool = False  # reloading: logins are refused
    reload_seconds: float = 0.3
    history: list[str] = field(default_factory=list)
    empty_lines: int = 0  # lines with no command (Enter alone), never in the history
    saved: int = 0


class _Shell(asyncssh.SSHServerSession):  # type: ignore[misc]
    def __init__(self, switch: FakeSwitch, loop: asyncio.AbstractEventLoop) -> None:
        self.switch = switch
        self.loop = loop
        self.mode = "priv" if switch.start_privileged else "user"
        self.line = ""
        self.after_cr = False
        self.pending: Callable[[str], str] | None = None  # a question waiting for its answer
        self.chan: asyncssh.SSHServerChannel | None = None
        self.closing = False
        self.stray_prompt = False

    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: object, term_modes: object) -> bool:
        return True

    def shell_requested(self) -> bool:
        return True

    def session_started(self) -> None:
        assert self.chan is not None
        self.chan.write(self.prompt())

    def prompt(self) -> str:
        suffix = {"user": ">", "priv": "#", "config": "(config)#"}[self.mode]
        return f"{self.switch.hostname}{suffix}"

    def data_received(self, data: str, datatype: object) -> None:
        out: list[str] = []
        for char in data:
            if self.closing:
                break
            if char == "\x00":
                continue
            if char == "\n" and self.after_cr:
                self.after_cr = False
                continue
            self.after_cr = char == "\r"
            if char in "\r\n":
                line, self.line = self.line, ""
                out.append(("" if self.pending and self.mode == "secret" else line) + "\r\n")
                out.append(self.enter(line))
            else:
                self.line += char
                if self.mode != "secret":
                    out.append(char)
        if self.chan is not None and out and self.stray_prompt and any(c in data for c in "\r\n"):
            self.stray_prompt = False  # a prompt from before the line, then the line's own echo and reply
            self.chan.write(("\r\n" + self.prompt()) * 4)
            self.loop.call_later(0.05, self.chan.write, "".join(out))
        elif self.chan is not None and out:
            self.chan.write("".join(out))
        if self.closing and self.chan is not None:
            self.chan.close()

    def enter(self, line: str) -> str:
        if self.pending is not None:
            answer, self.pending = self.pending, None
            return answer(line)
        command = line.strip()
        if not command:
            self.switch.empty_lines += 1
            return self.prompt()
        self.switch.history.append(command)
        if command in self.switch.drop_on:
            self.closing = True
            return ""
        if command in self.switch.silent_on:
            return ""
        if command in self.switch.stray_prompt_after:
            self.stray_prompt = True
        if command in self.switch.drop_after:
            self.closing = True
            return self.reply(self.switch.replies.get(command, ""), command)
        if self.mode == "config":
            return self.config(command)
        return self.exec(command)

    def exec(self, command: str) -> str:
        if command in ("terminal length 0", "terminal width 511"):
            return self.prompt()
        if command == "enable" and self.mode == "priv":
            return self.prompt()  # already privileged: IOS asks nothing
        if command == "enable":
            self.pending = self.check_secret
            self.mode = "secret"
            return "Password: "
        if self.mode == "user":
            return self.reply(
                self.switch.replies.get(command) if command.startswith("show") else None, command
            )
        if command == "configure terminal":
            self.mode = "config"
            return "Enter configuration commands, one per line.  End with CNTL/Z.\r\n" + self.prompt()
        if command == "copy running-config startup-config":
            self.pending = self.copy_answer
            return "Destination filename [startup-config]? "
        if command == "reload":
            self.pending = self.reload_answer
            return "Proceed with reload? [confirm]"
        if command == "exit":
            self.closing = True
            return ""
        return self.reply(self.switch.replies.get(command), command)

    def reply(self, text: str | None, command: str) -> str:
        if text is None:
            return (
                f"{' ' * len(self.prompt())}^\r\n% Invalid input detected at '^' marker.\r\n\r\n"
                + self.prompt()
            )
        body = text.replace("\n", "\r\n")
        return (body + "\r\n" if body else "") + self.prompt()

    def config(self, command: str) -> str:
        if command == "end":
            self.mode = "priv"
            return self.prompt()
        if command in self.switch.config_replies:
            reply = self.switch.config_replies[command]
            return (reply.replace("\n", "\r\n") + "\r\n" if reply else "") + self.prompt()
        return self.reply(None, command)

    def check_secret(self, answer: str) -> str:
        self.mode = "priv" if answer == SECRET else "user"
        return self.prompt() if self.mode == "priv" else "% Bad secrets\r\n\r\n" + self.prompt()

    def copy_answer(self, answer: str) -> str:
        self.switch.saved += 1
        return "Building configuration...\r\n[OK]\r\n" + self.prompt()

    def reload_answer(self, answer: str) -> str:
        if answer.strip().lower() not in ("", "y", "yes"):
            return self.prompt()
        self.switch.down = True
        self.loop.call_later(self.switch.reload_seconds, lambda: setattr(self.switch, "down", False))
        self.closing = True
        return "\r\n"


class _Server(asyncssh.SSHServer):  # type: ignore[misc]
    def __init__(self, switch: FakeSwitch, loop: asyncio.AbstractEventLoop) -> None:
        self.switch = switch
        self.loop = loop

    def session_requested(self) -> _Shell:
        return _Shell(self.switch, self.loop)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return not self.switch.down and username == USERNAME and password == PASSWORD


class FakeIosServer:
    """One fake switch on 127.0.0.1, served from its own event-loop thread."""

    def __init__(self, switch: FakeSwitch) -> None:
        self.switch = switch
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.port = 0
        self._server: asyncssh.SSHAcceptor | None = None

    def start(self) -> FakeIosServer:
        self.thread.start()
        self._server = asyncio.run_coroutine_threadsafe(self._listen(), self.loop).result(timeout=10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _listen(self) -> asyncssh.SSHAcceptor:
        key = asyncssh.generate_private_key("ssh-ed25519")
        return await asyncssh.create_server(
            lambda: _Server(self.switch, self.loop),
            "127.0.0.1",
            0,
            server_host_keys=[key],
            encoding="utf-8",
            line_editor=False,
        )

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
