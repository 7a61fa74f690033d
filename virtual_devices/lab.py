"""A lab: a topology YAML turned into running virtual switches in one process and one event loop, a Nornir
SimpleInventory pointing at them, and a control channel to act on them while they run.

In-process (tests)::

    with Lab.from_topology("topology.yaml", state_dir=tmp_path) as lab:
        nr = InitNornir(config_file=str(lab.nornir_config))
        lab.set_faults("c9300x-stack", latency=0.2)

From a shell: ``catlic-lab up|down|status|devices|...`` (see ``lab_cli.py``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import resource
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from virtual_devices.faults import Faults
from virtual_devices.lab_control import send_control as send_control
from virtual_devices.lab_control import short_path

# The state folder's names: the front-ends import them from here.
from virtual_devices.lab_state import CONTROL_SOCKET as CONTROL_SOCKET
from virtual_devices.lab_state import INVENTORY_DIR as INVENTORY_DIR
from virtual_devices.lab_state import NORNIR_CONFIG as NORNIR_CONFIG
from virtual_devices.lab_state import PID_FILE as PID_FILE
from virtual_devices.lab_state import PORTS_FILE as PORTS_FILE
from virtual_devices.lab_state import READY_MARKER as READY_MARKER
from virtual_devices.lab_state import (
    SSM_DATABASE,
    TLS_FOLDER,
    TopologySource,
    check_state_folder,
    new_state_folder,
    private_file,
    private_folder,
    record_topology,
    wipe_lab_state,
    write_private,
)
from virtual_devices.loop_thread import LoopThread
from virtual_devices.server import LISTEN_HOST, SSHFrontEnd

# The topology's names: tests and the front-end import them from here.
from virtual_devices.topology import LabSettings, checked_topology, device_line
from virtual_devices.topology import TopologyError as TopologyError
from virtual_devices.topology import expand_fleet as expand_fleet
from virtual_devices.topology import load_topology as load_topology

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_CREDENTIALS = {"username": "admin", "password": "lab-pass-1", "secret": "lab-enable-1"}
FD_LIMIT_WANTED = 65536
CSSM_SETTINGS = "cssm.yaml"  # what `catlic --cssm` reads: the lab's Cisco API URL and credentials (0600)
CSSM_CREDENTIALS = "cssm-credentials.json"


def raise_fd_limit(wanted: int = FD_LIMIT_WANTED) -> int:
    """Each device holds a listening socket and each session one more: lift the soft limit to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(wanted, hard) if hard != resource.RLIM_INFINITY else wanted
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


class Lab:
    """Running virtual switches. Device state is touched only on the lab's loop: use ``call`` from threads."""

    def __init__(
        self,
        devices: list[Any],
        state_dir: Path | str,
        *,
        ports: dict[str, int] | None = None,
        credentials: dict[str, str] | None = None,
        platforms: dict[str, str] | None = None,
        context: Any = None,
    ) -> None:
        self.state_dir = Path(state_dir).resolve()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.devices: dict[str, Any] = {device.name: device for device in devices}
        self.requested_ports = dict(ports or {})
        self.credentials = {**DEFAULT_CREDENTIALS, **(credentials or {})}
        self.platforms = dict(platforms or {})
        self.context = context
        self.topology_source: TopologySource | None = None  # set when built from a topology
        self.resumed = False  # whether the state folder's saved state was resumed
        self.ports: dict[str, int] = {}
        self.front: SSHFrontEnd | None = None
        self.rest: Any = None  # virtual_devices.device_rest.DeviceRestApi, when a device serves REST
        self._thread: LoopThread | None = None
        self._control: asyncio.AbstractServer | None = None
        self._stopping: asyncio.Event | None = None
        self.cssm: Any = None  # the lab's SSM served as Cisco's API (CssmApiService), once serving

    # -- construction ---------------------------------------------------------------------------------
    @classmethod
    def from_topology(
        cls, path: Path | str, state_dir: Path | str | None = None, *, fresh: bool = False
    ) -> Lab:
        return cls.from_dict(load_topology(path), state_dir, source=path, fresh=fresh)

    @classmethod
    def from_dict(
        cls,
        topology: dict[str, Any],
        state_dir: Path | str | None = None,
        *,
        source: Path | str | None = None,
        fresh: bool = False,
    ) -> Lab:
        """Build the devices of ``topology`` (read from the file ``source``, if any) on the state folder.

        The folder's saved state (switches, codes, SSM pool) is resumed when it was built from the same
        topology; another topology's state raises :class:`LabStateConflict`; ``fresh`` wipes it first.
        """
        settings = checked_topology(topology).lab
        root = Path(state_dir or settings.state_dir or "lab-state").resolve()
        specs = expand_fleet(topology)
        topology_source = TopologySource.of(topology, source, len(specs))
        new_state_folder(root)
        if fresh:
            wipe_lab_state(root)
        resumed = check_state_folder(root, topology_source)
        try:
            lab = cls._build(settings, specs, root, source)
        except BaseException:
            if not resumed:  # a first start that failed leaves nothing that looks like a lab's state
                wipe_lab_state(root)
            raise
        record_topology(root, topology_source)
        lab.topology_source, lab.resumed = topology_source, resumed
        return lab

    @classmethod
    def _build(
        cls, settings: LabSettings, specs: list[dict[str, Any]], root: Path, source: Path | str | None
    ) -> Lab:
        # The switch model and the SSM are imported here: the SSH side of the lab needs none of them.
        from virtual_devices.device import Device, LabClock, LabContext
        from virtual_devices.ssm import SimulatedSSM

        given = settings.credentials.model_dump(exclude_none=True) if settings.credentials else {}
        credentials = {**DEFAULT_CREDENTIALS, **given}
        clock = (
            LabClock(settings.clock.start, frozen=settings.clock.frozen) if settings.clock else LabClock(None)
        )
        for folder in ("devices", "bootflash"):  # device files hold codes: private, whatever the umask
            private_folder(root / folder)
        ssm = SimulatedSSM(private_file(root / SSM_DATABASE), clock=clock.now)
        for account in settings.ssm.accounts if settings.ssm else []:
            ssm.add_account(account.smart_account, account.virtual_account, pools=dict(account.pools))
        if settings.file_server:
            remote = Path(settings.file_server).resolve()
            remote.mkdir(parents=True, exist_ok=True)
        else:
            remote = private_folder(root / "tftp")
        context = LabContext(
            clock=clock,
            ssm=ssm,
            state_dir=root,
            reload_delay=settings.reload_delay,
            username=credentials["username"],
            password=credentials["password"],
            secret=credentials["secret"],
            remote_dir=remote,
        )
        devices = []
        for spec in specs:
            try:
                devices.append(Device.from_spec(spec, context))
            except (KeyError, ValueError) as error:
                where = device_line(source, str(spec.get("name")))
                raise TopologyError(f"{where}device {spec.get('name')}: {error}") from error
        return cls(
            devices,
            root,
            ports={str(s["name"]): int(s.get("port") or 0) for s in specs},
            credentials=credentials,
            platforms={str(s["name"]): str(s.get("platform", "")) for s in specs},
            context=context,
        )

    # -- life cycle -----------------------------------------------------------------------------------
    def start(self) -> Lab:
        """Start the loop thread, every listener and the control socket; write the inventory."""
        raise_fd_limit()
        self._thread = LoopThread()
        self._thread.start()
        try:
            self._thread.run(self.serve())
        except BaseException:
            self.stop()
            raise
        return self

    async def serve(self) -> None:
        """Start listeners and the control socket on the running loop (foreground ``up`` awaits ``wait``)."""
        self._stopping = asyncio.Event()
        self.front = SSHFrontEnd(self.state_dir)
        previous = self._previous_ports()
        for name, device in self.devices.items():
            port = self.requested_ports.get(name) or previous.get(name, 0)
            try:
                listener = await self.front.add(device, port)
            except OSError:
                if not port or self.requested_ports.get(name):
                    raise
                listener = await self.front.add(device, 0)  # last run's port is taken now
            self.ports[name] = listener.port
        await self._serve_rest()
        self.write_inventory()
        self.control_socket.unlink(missing_ok=True)
        with short_path(self.control_socket) as path:
            self._control = await asyncio.start_unix_server(self._serve_control, path=path)
        await self._serve_cssm()

    async def _serve_cssm(self) -> None:
        """Serve the lab's SSM as Cisco's API over HTTPS (last run's port when free) and write the client
        settings where ``catlic --cssm`` finds them."""
        ssm = getattr(self.context, "ssm", None)
        if ssm is None:
            return
        from virtual_devices.cssm_api import ApiCredentials, CssmApiService
        from virtual_devices.lab_tls import lab_tls

        pools = ssm.pools()
        if not pools:
            return
        credentials = ApiCredentials.load_or_create(self.state_dir / CSSM_CREDENTIALS)
        service = CssmApiService(ssm, credentials, tls=lab_tls(private_folder(self.state_dir / TLS_FOLDER)))
        previous = _previous_cssm_port(self.state_dir / CSSM_SETTINGS)
        try:
            await service.start(LISTEN_HOST, previous)
        except OSError:
            if not previous:
                raise
            await service.start(LISTEN_HOST, 0)  # last run's port is taken now
        service.write_client_settings(
            self.state_dir / CSSM_SETTINGS, pools[0].smart_account, pools[0].virtual_account
        )
        self.cssm = service

    async def _serve_rest(self) -> None:
        """The ``/smartlic-service`` REST API of every device whose topology entry says ``rest_api: true``."""
        serving = [d for d in self.devices.values() if getattr(d, "settings", {}).get("rest_api")]
        if not serving:
            return
        from virtual_devices.device_rest import DeviceRestApi
        from virtual_devices.lab_tls import lab_tls

        self.rest = DeviceRestApi(lab_tls(private_folder(self.state_dir / TLS_FOLDER)))
        for device in serving:
            await self.rest.add(device)

    def rest_data(self, name: str) -> dict[str, Any]:
        """A device's REST API in its inventory entry: where the library finds it and the CA to verify."""
        if self.rest is None or name not in self.rest.ports:
            return {}
        return {"rest_api": {"port": self.rest.ports[name], "verify": str(self.rest.tls.ca_bundle)}}

    async def wait(self) -> None:
        assert self._stopping is not None
        await self._stopping.wait()

    async def shutdown(self) -> None:
        if self.cssm is not None:
            await self.cssm.stop()
            self.cssm = None
        if self._control is not None:
            self._control.close()
            self._control = None
        if self.front is not None:
            await self.front.close()
            self.front = None
        if self.rest is not None:
            await self.rest.close()
            self.rest = None
        self.control_socket.unlink(missing_ok=True)

    def stop(self) -> None:
        if self._thread is None:
            return
        try:
            self._thread.run(self.shutdown(), timeout=30)
        finally:
            self._thread.stop()
            self._thread = None

    def __enter__(self) -> Lab:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- files ----------------------------------------------------------------------------------------
    @property
    def inventory_dir(self) -> Path:
        return self.state_dir / INVENTORY_DIR

    @property
    def nornir_config(self) -> Path:
        return self.state_dir / NORNIR_CONFIG

    @property
    def control_socket(self) -> Path:
        return self.state_dir / CONTROL_SOCKET

    def _previous_ports(self) -> dict[str, int]:
        try:
            data = json.loads((self.state_dir / PORTS_FILE).read_text())
        except (OSError, ValueError):
            return {}
        return {str(k): int(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def write_inventory(self) -> None:
        """Nornir SimpleInventory (hosts, groups, defaults) and a Nornir config file pointing at it."""
        folder = private_folder(self.inventory_dir)  # defaults.yaml holds the password and enable secret
        hosts = {
            name: {
                "hostname": LISTEN_HOST,
                "port": port,
                "groups": ["virtual_devices"],
                "data": {"lab_platform": self.platforms.get(name, ""), **self.rest_data(name)},
            }
            for name, port in self.ports.items()
        }
        groups = {"virtual_devices": {"data": {"lab": True}}}
        defaults = {
            "platform": "cisco_xe",
            "username": self.credentials["username"],
            "password": self.credentials["password"],
            "connection_options": {
                "netmiko": {
                    "platform": "cisco_xe",
                    "extras": {
                        "secret": self.credentials["secret"],
                        "fast_cli": True,
                        "conn_timeout": 10,
                        "auth_timeout": 10,
                        "banner_timeout": 10,
                    },
                }
            },
        }
        config = {
            "inventory": {
                "plugin": "SimpleInventory",
                "options": {
                    "host_file": str(folder / "hosts.yaml"),
                    "group_file": str(folder / "groups.yaml"),
                    "defaults_file": str(folder / "defaults.yaml"),
                },
            },
            "runner": {"plugin": "threaded", "options": {"num_workers": 20}},
            "logging": {"enabled": False},
        }
        for filename, data in (
            (folder / "hosts.yaml", hosts),
            (folder / "groups.yaml", groups),
            (folder / "defaults.yaml", defaults),
            (self.nornir_config, config),
        ):
            write_private(filename, yaml.safe_dump(data, sort_keys=False))
        write_private(self.state_dir / PORTS_FILE, json.dumps(self.ports, indent=1, sort_keys=True))

    # -- acting on a running lab (thread-safe) --------------------------------------------------------
    def call(self, function: Callable[..., T], *args: Any) -> T:
        """Run ``function(*args)`` on the lab's loop (device state must only change there)."""
        if self._thread is None:
            return function(*args)
        return self._thread.call(function, *args)

    def control(self, request: dict[str, Any]) -> dict[str, Any]:
        """Serve one control request (the socket's JSON requests) from any thread."""
        return self.call(self.handle_request, request)

    def set_faults(self, name: str, **faults: Any) -> dict[str, Any]:
        return self.control({"op": "faults", "device": name, "set": faults})

    def clear_faults(self, name: str) -> dict[str, Any]:
        return self.control({"op": "faults", "device": name, "clear": True})

    def advance_clock(self, days: float = 0, seconds: float = 0) -> dict[str, Any]:
        return self.control({"op": "clock", "days": days, "seconds": seconds})

    def plug(self, name: str, serial: str) -> dict[str, Any]:
        return self.control({"op": "plug", "device": name, "serial": serial})

    def merge(self, standalone: str, into: str) -> dict[str, Any]:
        return self.control({"op": "merge", "device": standalone, "into": into})

    def handle_request(self, request: dict[str, Any]) -> dict[str, Any]:
        """One control operation, on the loop thread. Returns ``{"ok": bool, ...}``."""
        try:
            return {"ok": True, **self._dispatch(request)}
        except (KeyError, ValueError, TypeError) as error:
            return {"ok": False, "error": str(error)}

    def _device(self, request: dict[str, Any]) -> Any:
        name = str(request.get("device", ""))
        if name not in self.devices:
            known = sorted(self.devices)
            more = ", ..." if len(known) > 10 else ""
            raise ValueError(f"no device {name!r}; devices: {', '.join(known[:10])}{more}")
        return self.devices[name]

    def _dispatch(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.get("op")
        if op == "devices":
            return {"devices": [self._describe(name) for name in self.devices]}
        if op == "status":
            up = sum(1 for d in self.devices.values() if d.available())
            source = self.topology_source.to_dict() if self.topology_source is not None else None
            return {
                "devices": len(self.devices),
                "available": up,
                "state_dir": str(self.state_dir),
                "topology": source,
                "resumed": self.resumed,
                "pid": os.getpid(),
                "cssm": self._cssm_status(),
            }
        if op == "faults":
            device = self._device(request)
            if request.get("clear"):
                device.faults = Faults()
            else:
                device.faults = Faults.from_dict({**vars(device.faults), **dict(request.get("set") or {})})
            return {"faults": vars(device.faults)}
        if op == "clock":
            clock = self._clock()
            now = clock.advance(days=float(request.get("days", 0)), seconds=float(request.get("seconds", 0)))
            return {"now": now.isoformat()}
        if op in ("plug", "power"):  # a spare switch cabled in or powered on joins the stack
            refusal = self._device(request).plug_member(str(request["serial"]))
            return {"joined": not refusal, "message": refusal}
        if op == "merge":
            standalone = self._device(request)
            into = self._device({"device": request.get("into")})
            refusal = into.merge_standalone(standalone)
            return {"joined": not refusal, "message": refusal}
        if op == "reload":
            self._device(request).reload(str(request.get("reason", "Reload Command")))
            return {}
        if op == "stop":
            if self._stopping is not None:
                self._stopping.set()
            return {}
        raise ValueError(f"unknown op {op!r}: devices, status, faults, clock, plug, power, merge, reload")

    def _cssm_status(self) -> dict[str, str] | None:
        """Where the lab's Cisco API listens and the client settings file (never the secret itself)."""
        if self.cssm is None:
            return None
        return {"url": self.cssm.url, "settings": str(self.state_dir / CSSM_SETTINGS)}

    def _clock(self) -> Any:
        clock = getattr(self.context, "clock", None)
        if clock is None:
            raise ValueError("this lab has no lab clock")
        return clock

    def _ssh_logins(self, name: str) -> int:
        listener = self.front.listeners.get(name) if self.front is not None else None
        return listener.logins if listener is not None else 0

    def _describe(self, name: str) -> dict[str, Any]:
        device = self.devices[name]
        return {
            "name": name,
            "hostname": device.hostname,
            "port": self.ports.get(name),
            "platform": self.platforms.get(name, ""),
            "available": device.available(),
            "spares": [getattr(u, "serial", "") for u in getattr(device, "spares", [])],
            "rest_port": self.rest.ports.get(name) if self.rest is not None else None,
            "ssh_logins": self._ssh_logins(name),
            "rest_requests": self.rest.requests[name] if self.rest is not None else 0,
        }

    async def _serve_control(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                try:
                    request = json.loads(line)
                    reply = self.handle_request(request if isinstance(request, dict) else {})
                except ValueError as error:
                    reply = {"ok": False, "error": f"bad request: {error}"}
                writer.write(json.dumps(reply, default=str).encode() + b"\n")
                await writer.drain()
        finally:
            writer.close()


def _previous_cssm_port(settings: Path) -> int:
    """The port of the lab's Cisco API in its last run (clients keep their settings file), else 0."""
    try:
        base_url = (yaml.safe_load(settings.read_text()) or {}).get("base_url", "")
        return int(str(base_url).rsplit(":", 1)[1])
    except (OSError, yaml.YAMLError, AttributeError, IndexError, ValueError):
        return 0
