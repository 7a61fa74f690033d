"""A virtual switch's own REST API for Smart Licensing Using Policy: ``/smartlic-service`` over HTTPS.

What IOS-XE serves when ``ip http secure-server`` runs (see the CSSM API note, section 1): Basic auth with
the device's user on every request, JSON both ways, GET and POST only.

=====  ==============================  =========================================================
POST   /smartlic-service/close-reports  close the open RUM reports (new ones start measuring)
GET    /smartlic-service/list           ``usage_list``: every closed report's id, state and times
GET    /smartlic-service/all-reports    ``usage``: every closed report, signed (header, payload, signature)
GET    /smartlic-service/days           the same for the last 90 days
GET    /smartlic-service/days/{n}       the same for the last n days (1-365)
POST   /smartlic-service/import         an ACK, SLAC or policy file: JSON ``{"data": base64}``, a JSON
                                        string (base64 or the XML), or the raw XML text
=====  ==============================  =========================================================

It reads and changes the licensing agent the SSH commands use, on the lab's loop: a report closed here is
the report ``license smart save usage`` saves, an ACK imported here moves ``Next ACK deadline``. There is
no return: Cisco's API cannot return a SLAC either. One HTTPS listener per device that opted in
(``rest_api: true`` in the topology), on 127.0.0.1, with the lab's certificate (:mod:`lab_tls`).
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from collections import Counter
from datetime import timedelta
from typing import Any

from aiohttp import web

from virtual_devices import licfiles
from virtual_devices.lab_tls import LabTls
from virtual_devices.licensing import usage
from virtual_devices.licensing.persistence import iso
from virtual_devices.licensing.state import ReportState, UsageReport

SERVICE = "/smartlic-service"
LISTEN_HOST = "127.0.0.1"
RECENT_DAYS = 90
MAX_DAYS = 365
SIGNING_TYPE = "lab-sha256"  # the lab's stand-in for Cisco's signature (licfiles.sign)
REALM = 'Basic realm="smartlic-service"'
DEVICE: web.AppKey[Any] = web.AppKey("device")  # the virtual_devices.device.Device an app serves

# ``show license rum id all`` words for the agent's report states.
STATE_WORDS = {
    ReportState.COLLECTING: "OPEN",
    ReportState.AVAILABLE: "CLOSED",
    ReportState.WAITING: "UNACK",
    ReportState.ACKED: "ACK",
}


class DeviceRestApi:
    """The REST listeners of a lab's devices. Start them on the lab's loop with :meth:`add`."""

    def __init__(self, tls: LabTls) -> None:
        self.tls = tls
        self.ports: dict[str, int] = {}
        self.requests: Counter[str] = Counter()  # device name -> requests answered (refusals too)
        self._runners: dict[str, web.AppRunner] = {}

    async def add(self, device: Any, port: int = 0) -> int:
        """Serve ``device``'s API; the port it listens on."""
        app = web.Application(middlewares=[self._guard])
        app[DEVICE] = device
        app.router.add_post(SERVICE + "/close-reports", _close_reports)
        app.router.add_get(SERVICE + "/list", _list)
        app.router.add_get(SERVICE + "/all-reports", _all_reports)
        app.router.add_get(SERVICE + "/days", _days)
        app.router.add_get(SERVICE + "/days/{days}", _days)
        app.router.add_post(SERVICE + "/import", _import)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, LISTEN_HOST, port, ssl_context=self.tls.server_context())
        await site.start()
        self._runners[device.name] = runner
        self.ports[device.name] = int(runner.addresses[0][1])
        return self.ports[device.name]

    async def close(self) -> None:
        for runner in self._runners.values():
            await runner.cleanup()
        self._runners.clear()

    @web.middleware
    async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        device = request.app[DEVICE]
        self.requests[device.name] += 1
        if not device.available():
            return _failed(503, f"{device.name} is reloading")
        if not _authorized(request, device):
            return web.json_response(
                {"status": "FAILED", "message": "Authorization Required"},
                status=401,
                headers={"WWW-Authenticate": REALM},
            )
        device.agent.refresh()  # time passed since the last look, as a command would see it
        return await handler(request)


def _authorized(request: web.Request, device: Any) -> bool:
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        username, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return secrets.compare_digest(username, device.username) and secrets.compare_digest(
        password.encode(), device.password.encode()
    )


def _failed(status: int, message: str) -> web.Response:
    return web.json_response({"status": "FAILED", "message": message}, status=status)


# ---------------------------------------------------------------- handlers
async def _close_reports(request: web.Request) -> web.Response:
    device = request.app[DEVICE]
    state = device.agent.state
    before = {r.id for r in state.reports if r.state is ReportState.COLLECTING}
    usage.close_reports(state, device.now())
    closed = sorted(r.id for r in state.reports if r.id in before and r.state is not ReportState.COLLECTING)
    device.save_state()
    return web.json_response(
        {"status": "SUCCESS", "message": f"{len(closed)} reports closed", "closed": closed}
    )


async def _list(request: web.Request) -> web.Response:
    state = request.app[DEVICE].agent.state
    listed = [
        {
            "report_id": r.id,
            "state": STATE_WORDS[r.state],
            "tag": r.tag,
            "start_time": iso(r.start),
            "end_time": iso(r.end),
        }
        for r in _closed(state.reports)
    ]
    return web.json_response({"usage_list": listed})


async def _all_reports(request: web.Request) -> web.Response:
    device = request.app[DEVICE]
    return web.json_response({"usage": _signed(device, _closed(device.agent.state.reports))})


async def _days(request: web.Request) -> web.Response:
    device = request.app[DEVICE]
    text = request.match_info.get("days", str(RECENT_DAYS))
    if not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
        return _failed(400, f"days: a number of days from 1 to {MAX_DAYS}, not {text!r}")
    since = device.now() - timedelta(days=int(text))
    chosen = [r for r in _closed(device.agent.state.reports) if r.start >= since]
    return web.json_response({"usage": _signed(device, chosen)})


async def _import(request: web.Request) -> web.Response:
    device = request.app[DEVICE]
    text = _imported_text(await request.text())
    if text is None:
        return _failed(400, 'the body is the file: {"data": "<base64>"}, a JSON string, or the XML itself')
    output = device.agent.import_text(text)
    device.save_state()
    if not output.startswith("Import Data Successful"):
        return _failed(400, output)
    return web.json_response({"status": "SUCCESS", "message": output})


def _imported_text(body: str) -> str | None:
    """The file in an import body; ``None`` when the body holds none."""
    stripped = body.strip()
    if stripped.startswith("<"):
        return stripped
    try:
        value = json.loads(stripped)
    except ValueError:
        return None
    if isinstance(value, dict):
        value = value.get("data")
    if not isinstance(value, str):
        return None
    if value.lstrip().startswith("<"):
        return value
    try:
        return base64.b64decode(value, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None


# ---------------------------------------------------------------- signed reports
def _closed(reports: list[UsageReport]) -> list[UsageReport]:
    return [r for r in reports if r.state is not ReportState.COLLECTING]


def _signed(device: Any, reports: list[UsageReport]) -> list[dict[str, Any]]:
    """Each report as Cisco's ``usage`` objects: a header naming the device, the payload text (what the
    SSM reads) and its signature over those exact bytes."""
    if not reports:
        return []
    header, body = usage.rum_payload(device, device.agent.state, reports)
    pid, serial = licfiles.split_udi(header["udi"])
    sudi = {"udi_pid": pid, "udi_serial_number": serial}
    system = {
        "sudi": sudi,
        "hostname": header["hostname"],
        "software_tag_identifier": pid,
        "software_version": header["software_version"],
        "timestamp": int(device.now().timestamp() * 1000),
    }
    signed = []
    for report in body:
        payload = json.dumps(report, sort_keys=True)
        signature = {
            "sudi": sudi,
            "signing_type": SIGNING_TYPE,
            "key": "virtual-cisco",
            "value": licfiles.sign(payload),
        }
        signed.append({"header": system, "payload": payload, "signature": signature})
    return signed
