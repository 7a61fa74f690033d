"""SSH for the lab's switches: one asyncssh listener per device on 127.0.0.1, password login, pty + shell
served by the CLI engine, exec for one command, and SCP/SFTP rooted at the device's ``bootflash:`` folder.

Input is handled synchronously: every chunk received is fed to the engine and its whole answer (echo,
output, prompt) goes out in ONE write, which is what keeps netmiko's prompt detection reliable under load.
While a device reloads its port stays bound but does not listen, so a login attempt is refused like a switch
that is down, and no other program takes the port before the device listens on it again.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import posixpath
import socket
from pathlib import Path
from typing import Any

import asyncssh
from asyncssh.stream import SSHServerStreamSession

from virtual_devices.cli import VTY_DEFAULT_LENGTH, CliSession
from virtual_devices.commands.base import Mode

log = logging.getLogger(__name__)

LISTEN_HOST = "127.0.0.1"
# curve25519 first: an order of magnitude cheaper for paramiko clients than classic DH; paramiko knows only
# the @libssh.org name.
KEX_ALGORITHMS = (
    "curve25519-sha256",
    "curve25519-sha256@libssh.org",
    "ecdh-sha2-nistp256",
    "diffie-hellman-group14-sha256",
)
HOST_KEY_FILE = "ssh_host_ed25519_key"
AVAILABILITY_POLL_SECONDS = 0.05
_BOOTFLASH_PREFIXES = (b"bootflash:", b"flash:")


def load_or_create_host_key(state_dir: Path) -> asyncssh.SSHKey:
    """The lab's host key: generated once per state folder and reused, so clients see a stable key."""
    path = Path(state_dir) / HOST_KEY_FILE
    if path.exists():
        return asyncssh.read_private_key(str(path))
    key = asyncssh.generate_private_key("ssh-ed25519")
    path.parent.mkdir(parents=True, exist_ok=True)
    key.write_private_key(str(path))
    path.chmod(0o600)
    return key


def server_options(host_key: asyncssh.SSHKey) -> asyncssh.SSHServerConnectionOptions:
    """One options object shared by every listener of a lab (building it is the costly part)."""
    return asyncssh.SSHServerConnectionOptions(
        server_host_keys=[host_key],
        kex_algs=list(KEX_ALGORITHMS),
        line_editor=False,
        encoding="utf-8",
        errors="replace",
        keepalive_interval=0,
        login_timeout=30,
    )


class BootflashSFTPServer(asyncssh.SFTPServer):
    """SFTP (and SCP, which asyncssh serves through it) rooted at the device's bootflash folder.

    Paths arrive as IOS names (``bootflash:/slac.txt``, ``flash:x``) or plain ones; both land in the folder.
    """

    def __init__(self, chan: Any, root: Path) -> None:  # an SSHServerChannel[bytes]
        root.mkdir(parents=True, exist_ok=True)
        super().__init__(chan, chroot=bytes(root))

    def map_path(self, path: bytes) -> bytes:
        for prefix in _BOOTFLASH_PREFIXES:
            if path.lower().startswith(prefix):
                path = path[len(prefix) :]
                break
        return super().map_path(posixpath.join(b"/", path))


class DeviceSession(SSHServerStreamSession):  # type: ignore[type-arg]
    """One SSH channel: a CLI shell or exec, or SCP/SFTP (left to asyncssh's stream machinery)."""

    def __init__(self, listener: DeviceListener, username: str, peer: str) -> None:
        device = listener.device
        super().__init__(
            session_factory=_unused_stream_handler,
            sftp_factory=lambda chan: BootflashSFTPServer(chan, Path(device.bootflash)),
            sftp_version=listener.options.sftp_version,
            allow_scp=True,
        )
        self.listener = listener
        self.cli: CliSession | None = None
        self._username = username
        self._peer = peer
        self._chan_: Any = None
        self._file_transfer = False
        self._pending: collections.deque[tuple[float, str]] = collections.deque()
        self._flush_handle: asyncio.TimerHandle | None = None
        self._closing = False
        self._exit_status: int | None = None

    # -- channel setup --
    def connection_made(self, chan: Any) -> None:
        super().connection_made(chan)
        self._chan_ = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any) -> bool:
        return True

    def session_started(self) -> None:
        command = self._chan_.get_command()
        if self._chan_.get_subsystem() == "sftp" or (command and command.startswith("scp ")):
            self._file_transfer = True
            super().session_started()
            return
        listener = self.listener
        self.cli = CliSession(
            listener.device,
            username=self._username,
            peer=self._peer,
            write=self._send,
            line_number=listener.next_line_number(),
            terminal_length=0 if command else VTY_DEFAULT_LENGTH,
            peers=lambda: listener.cli_sessions,
        )
        listener.sessions.add(self)
        if command:
            output = self.cli.run(command, mode=Mode.USER)
            self._send(output.replace("\n", "\r\n") + ("\r\n" if output else ""))
            self._exit_status = 0
            self.drop()
            return
        self._send(self.cli.greeting())

    # -- input --
    def data_received(self, data: Any, datatype: Any) -> None:
        if self._file_transfer:
            super().data_received(data, datatype)
            return
        cli = self.cli
        if cli is None or self._closing:
            return
        output = cli.feed(data)
        if output:
            self._send(output)
        if cli.closed:
            self.drop()

    # A shell ignores what only matters to stream readers (window resizes, breaks, signals).
    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        if self._file_transfer:
            super().terminal_size_changed(width, height, pixwidth, pixheight)

    def break_received(self, msec: int) -> bool:
        return bool(super().break_received(msec)) if self._file_transfer else False

    def signal_received(self, signal: str) -> None:
        if self._file_transfer:
            super().signal_received(signal)

    def eof_received(self) -> bool:
        if self._file_transfer:
            return bool(super().eof_received())
        self.drop()
        return True  # the channel closes itself once pending output (latency) has gone out

    def connection_lost(self, exc: Exception | None) -> None:
        if self._file_transfer:
            super().connection_lost(exc)
        self._forget()
        if self._closing and self._exit_status is None:
            # IOS ends the whole SSH connection when the line is closed (exit, reload, a fault).
            self._chan_.get_connection().close()

    # -- output, with the latency fault --
    def _send(self, text: str) -> None:
        if self._closing and self._flush_handle is None:
            return
        latency = self.listener.device.faults.latency
        if latency <= 0 and not self._pending:
            self._chan_.write(text)
            return
        loop = asyncio.get_running_loop()
        self._pending.append((loop.time() + max(latency, 0.0), text))
        if self._flush_handle is None:
            self._flush_handle = loop.call_at(self._pending[0][0], self._flush)

    def _flush(self) -> None:
        self._flush_handle = None
        loop = asyncio.get_running_loop()
        while self._pending and self._pending[0][0] <= loop.time():
            _, text = self._pending.popleft()
            if not self._chan_.is_closing():
                self._chan_.write(text)
        if self._pending:
            self._flush_handle = loop.call_at(self._pending[0][0], self._flush)
        elif self._closing:
            self._close_channel()

    def _close_channel(self) -> None:
        if self._exit_status is not None:
            self._chan_.exit(self._exit_status)  # an exec channel reports its status, then closes
        else:
            self._chan_.close()

    def drop(self) -> None:
        """Close the channel once pending output has gone out."""
        if self._closing:
            return
        self._closing = True
        if self.cli is not None:
            self.cli.close()
        if self._flush_handle is None:
            self._close_channel()

    def _forget(self) -> None:
        if self.cli is not None:
            self.cli.close()
        self.listener.sessions.discard(self)
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None


def _unused_stream_handler(*_: Any) -> None:
    """Shells are served by DeviceSession itself; asyncssh only needs a factory to accept them."""


class _DeviceSSHServer(asyncssh.SSHServer):
    def __init__(self, listener: DeviceListener) -> None:
        self.listener = listener
        self._username = ""
        self._peer = ""
        self._conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        peer = conn.get_extra_info("peername")
        self._peer = str(peer[0]) if peer else ""
        self.listener.connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._conn is not None:
            self.listener.connections.discard(self._conn)

    def begin_auth(self, username: str) -> bool:
        self._username = username
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        device = self.listener.device
        accepted = bool(device.available() and username == device.username and password == device.password)
        self.listener.logins += accepted
        return accepted

    def session_requested(self) -> DeviceSession:
        return DeviceSession(self.listener, self._username, self._peer)


class DeviceListener:
    """The SSH front of one device: its listening socket, its sessions, and its behaviour across reloads."""

    def __init__(self, device: Any, options: asyncssh.SSHServerConnectionOptions, port: int = 0) -> None:
        self.device = device
        self.options = options
        self.port = port
        self.sessions: set[DeviceSession] = set()
        self.connections: set[asyncssh.SSHServerConnection] = set()
        self.logins = 0  # SSH logins accepted since the lab started (what a test asserts SSH was not used)
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self._line_numbers = 0
        self._stopped = False
        self._watch: asyncio.TimerHandle | None = None
        self._relisten_task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # While the device is down its port stays bound but not listening: a login is refused, as on a switch
        # that is down, and no other program can take the port before the device listens on it again.
        self._reserved: socket.socket | None = None
        device.on_restart.append(self._device_went_down)

    @property
    def port_held_while_down(self) -> int | None:
        """The port the device keeps bound, not listening, while it is down (None when up)."""
        return self._reserved.getsockname()[1] if self._reserved is not None else None

    @property
    def cli_sessions(self) -> list[CliSession]:
        return [s.cli for s in self.sessions if s.cli is not None]

    def next_line_number(self) -> int:
        used = {s.line_number for s in self.cli_sessions}
        number = 0
        while number in used:
            number += 1
        return number

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        reserved, self._reserved = self._reserved, None
        where: dict[str, Any] = (
            {"sock": reserved} if reserved is not None else {"host": LISTEN_HOST, "port": self.port}
        )
        try:
            self._acceptor = await asyncssh.listen(
                **where,
                options=self.options,
                server_factory=lambda: _DeviceSSHServer(self),
                reuse_address=True,
            )
        except BaseException:
            if reserved is not None:
                reserved.close()
            raise
        self.port = self._acceptor.get_port()

    async def stop(self) -> None:
        self._stopped = True
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
        if self._relisten_task is not None and not self._relisten_task.done():
            self._relisten_task.cancel()
        self._close_sessions()
        if self._acceptor is not None:
            acceptor, self._acceptor = self._acceptor, None
            acceptor.close()
            await acceptor.wait_closed()
        if self._reserved is not None:
            self._reserved.close()
            self._reserved = None
        if self._device_went_down in self.device.on_restart:
            self.device.on_restart.remove(self._device_went_down)

    def _close_sessions(self) -> None:
        for session in list(self.sessions):
            session.drop()
        for conn in list(self.connections):
            conn.close()

    # -- reloads --
    def _device_went_down(self) -> None:
        """The device restarts: sessions drop now and logins are refused until it is available again."""
        loop = self._loop
        if loop is None:
            return
        try:
            on_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            on_loop = False
        if not on_loop:  # a test or a tool restarted the device from another thread
            loop.call_soon_threadsafe(self._device_went_down)
            return
        # Let the handler that caused the restart finish its write first.
        loop.call_soon(self._close_sessions)
        if self._acceptor is not None:
            acceptor, self._acceptor = self._acceptor, None
            acceptor.close()
            self._reserved = _bound_not_listening(LISTEN_HOST, self.port)
        if self._watch is None:
            self._watch = loop.call_later(AVAILABILITY_POLL_SECONDS, self._check_back)

    def _check_back(self) -> None:
        self._watch = None
        if self._stopped:
            return
        loop = asyncio.get_running_loop()
        if not self.device.available():
            self._watch = loop.call_later(AVAILABILITY_POLL_SECONDS, self._check_back)
            return
        if self._acceptor is None:
            self._relisten_task = loop.create_task(self._relisten())

    async def _relisten(self) -> None:
        if self._stopped:
            return
        try:
            await self.start()
        except OSError:
            log.exception("%s: could not listen again on port %s", self.device.name, self.port)


def _bound_not_listening(host: str, port: int) -> socket.socket | None:
    """A socket holding ``host:port`` without accepting (logins are refused); None if the port is gone."""
    reserved = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    reserved.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        reserved.bind((host, port))
    except OSError:
        reserved.close()
        return None
    reserved.setblocking(False)
    return reserved


class SSHFrontEnd:
    """Every listener of a lab, sharing one host key and one set of server options."""

    def __init__(self, state_dir: Path) -> None:
        self.options = server_options(load_or_create_host_key(state_dir))
        self.listeners: dict[str, DeviceListener] = {}

    async def add(self, device: Any, port: int = 0) -> DeviceListener:
        listener = DeviceListener(device, self.options, port)
        await listener.start()
        self.listeners[device.name] = listener
        return listener

    async def close(self) -> None:
        await asyncio.gather(*(listener.stop() for listener in self.listeners.values()))
        self.listeners.clear()
