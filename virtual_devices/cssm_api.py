"""The lab's Smart Software Manager served as Cisco's licensing API, over real HTTP(S) on 127.0.0.1.

It answers the calls Cisco's cloud answers for Smart Licensing Using Policy (see the CSSM API note): the
OAuth2 token (both identity providers' paths), ``v2/accounts/search``, ``v2/devices/authrequest`` (a SLAC
request; with a ``remove_code`` and no keys, a return), ``v2/devices/reportusage`` (RUM -> ACK),
``v2/accounts/poll`` (202 ``OK_POLL`` for a while, then ``COMPLETE``) and ``v3/licenses/summary``, on the
same SQLite pools as the lab's SSM: its SLACs and ACKs are the files the virtual switches import.

Cisco's failure modes are switchable per test through :class:`ApiFaults` (in Python, or ``POST
/lab/cssm/faults``): 401 for an expired token, 403 ``Invalid Client``, 429 with ``Retry-After``, 5xx.
``GET /lab/cssm/stats`` counts submissions, polls and requests. Served with aiohttp on the lab's own
asyncio loop: its ``AppRunner`` needs no thread or loop of its own.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from aiohttp import web

from virtual_devices import licfiles
from virtual_devices.lab_tls import LabTls
from virtual_devices.ssm import TAG_LICENSES, AuthorizationEntry, SimulatedSSM, SSMError

API_PREFIX = "/services/api/smart-accounts-and-licensing/"
TOKEN_PATHS = ("/oauth2/default/v1/token", "/as/token.oauth2")
ADMIN_PREFIX = "/lab/cssm/"
_FIRST_POLL_ID = 2**53 + 17  # Cisco's poll ids pass JavaScript's safe integers: so do ours

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_polls (
  poll_id INTEGER PRIMARY KEY, action TEXT NOT NULL, answer TEXT NOT NULL, polls_left INTEGER NOT NULL,
  submitted REAL NOT NULL);
CREATE TABLE IF NOT EXISTS api_reports (
  udi TEXT NOT NULL, report_id TEXT NOT NULL, PRIMARY KEY (udi, report_id));
"""


@dataclass
class ApiFaults:
    """Cisco's failure modes, each off by default; counts are of the next API calls (token calls apart)."""

    invalid_client: bool = False  # 403 "Invalid Client": the app is not associated with the API
    throttle: int = 0  # this many calls answer 429 with Retry-After
    retry_after: float = 0.05  # seconds, in the Retry-After header
    server_errors: int = 0  # this many calls answer 503
    polls_before_complete: int = 2  # OK_POLL answers a poll gets before COMPLETE
    poll_interval: float = 0.05  # seconds; Cisco says 300
    return_ack_file: bool = (
        False  # Cisco answers a return with smart_license null; True: the lab's web UI's ACK
    )

    def update(self, changes: dict[str, Any]) -> None:
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown API fault(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        for name, value in changes.items():
            setattr(self, name, type(getattr(self, name))(value))


@dataclass
class ApiStats:
    requests: int = 0
    tokens_issued: int = 0
    submissions: dict[str, int] = field(default_factory=dict)  # authorizations / acknowledgements
    polls: int = 0
    refused: dict[int, int] = field(default_factory=dict)  # HTTP status -> count of faults served


@dataclass(frozen=True)
class ApiCredentials:
    client_id: str
    client_secret: str
    token_lifetime: int = 3599

    @classmethod
    def generate(cls) -> ApiCredentials:
        return cls(f"lab-{secrets.token_hex(4)}", secrets.token_urlsafe(24))

    @classmethod
    def load_or_create(cls, path: Path) -> ApiCredentials:
        """The lab's credentials, kept in its state folder (private) so that a restarted lab keeps them."""
        if path.exists():
            data = json.loads(path.read_text())
            return cls(str(data["client_id"]), str(data["client_secret"]))
        credentials = cls.generate()
        _write_private(
            path, json.dumps({"client_id": credentials.client_id, "client_secret": credentials.client_secret})
        )
        return credentials


class CssmApiService:
    """Cisco's licensing API over the lab's SSM. Start it on the lab's loop with :meth:`start`."""

    def __init__(
        self, ssm: SimulatedSSM, credentials: ApiCredentials | None = None, *, tls: LabTls | None = None
    ) -> None:
        self.ssm = ssm
        self.credentials = credentials or ApiCredentials.generate()
        self.tls = tls
        self.faults = ApiFaults()
        self.stats = ApiStats()
        self._tokens: dict[str, float] = {}  # token -> expiry (monotonic)
        self._nonces: set[str] = set()
        self._runner: web.AppRunner | None = None
        self.url = ""
        with contextlib.closing(sqlite3.connect(self.ssm.db_path, timeout=30)) as db:
            db.executescript(_SCHEMA)

    # ------------------------------------------------------------ life
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen; the base URL (``https://127.0.0.1:<port>`` with TLS)."""
        app = web.Application(middlewares=[self._count])
        for path in TOKEN_PATHS:
            app.router.add_post(path, self._token)
        app.router.add_get(API_PREFIX + "v2/accounts/search", self._accounts)
        app.router.add_post(API_PREFIX + "v2/devices/authrequest", self._authrequest)
        app.router.add_post(API_PREFIX + "v2/devices/reportusage", self._reportusage)
        app.router.add_post(API_PREFIX + "v2/accounts/poll", self._poll)
        app.router.add_post(API_PREFIX + "v3/licenses/summary", self._summary)
        app.router.add_post(ADMIN_PREFIX + "faults", self._set_faults)
        app.router.add_get(ADMIN_PREFIX + "stats", self._stats)
        app.router.add_post(ADMIN_PREFIX + "expire-tokens", self._expire_tokens)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        context = self.tls.server_context() if self.tls else None
        site = web.TCPSite(self._runner, host, port, ssl_context=context)
        await site.start()
        bound = self._runner.addresses[0][1]
        self.url = f"{'https' if context else 'http'}://{host}:{bound}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def expire_tokens(self) -> None:
        """Every token issued so far expires now (the next call with one answers 401)."""
        self._tokens = dict.fromkeys(self._tokens, 0.0)

    def write_client_settings(self, path: Path, smart_account: str, virtual_account: str) -> Path:
        """The settings a client needs for this service (the keys of ``CATLIC_CSSM_*``), private to the user:
        ``catlic lab up`` writes them where ``--cssm`` looks."""
        settings = {
            "client_id": self.credentials.client_id,
            "client_secret": self.credentials.client_secret,
            "smart_account": smart_account,
            "virtual_account": virtual_account,
            "base_url": self.url,
            "path_prefix": API_PREFIX,
            "token_url": self.url + TOKEN_PATHS[0],
        }
        if self.tls is not None:
            settings["ca_bundle"] = str(self.tls.ca_bundle)
        _write_private(path, "".join(f"{key}: {json.dumps(value)}\n" for key, value in settings.items()))
        return path

    def submissions(self, action: str) -> int:
        return self.stats.submissions.get(action, 0)

    # ------------------------------------------------------------ plumbing
    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """One connection, one transaction (``BEGIN IMMEDIATE``: the lab's SSM writes the same file)."""
        db = sqlite3.connect(self.ssm.db_path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")
        finally:
            db.close()

    @web.middleware
    async def _count(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.stats.requests += 1
        if request.path.startswith(API_PREFIX):
            refusal = self._fault() or self._authenticate(request)
            if refusal is not None:
                self.stats.refused[refusal.status] = self.stats.refused.get(refusal.status, 0) + 1
                return refusal
        return await handler(request)

    def _fault(self) -> web.Response | None:
        faults = self.faults
        if faults.throttle > 0:
            faults.throttle -= 1
            return web.json_response(
                {"error": "Too Many Requests", "message": "Account over queries-per-second limit"},
                status=429,
                headers={"Retry-After": f"{faults.retry_after:g}"},
            )
        if faults.server_errors > 0:
            faults.server_errors -= 1
            return web.json_response({"message": "Service Unavailable"}, status=503)
        return None

    def _authenticate(self, request: web.Request) -> web.Response | None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        expiry = self._tokens.get(token) if scheme == "Bearer" else None
        if expiry is None or expiry <= time.monotonic():
            word = "expired" if expiry is not None else "invalid"
            return web.json_response(
                {"error": "invalid_token", "error_description": f"The access token is {word}"},
                status=401,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        if self.faults.invalid_client:
            return web.json_response({"error": "Invalid Client"}, status=403)
        return None

    async def _data(self, request: web.Request) -> dict[str, Any]:
        """The body's ``data``, with a fresh timestamp and nonce as Cisco requires."""
        try:
            body = await request.json()
            data = body["data"]
            nonce = str(data["nonce"])
            int(data["timestamp"])
        except (ValueError, KeyError, TypeError):
            raise _bad_request('the body must be {"data": {"timestamp": ms, "nonce": ..., ...}}') from None
        if nonce in self._nonces:
            raise _bad_request(f"nonce {nonce} was already used")
        self._nonces.add(nonce)
        return dict(data)

    def _account(self, request: web.Request) -> tuple[str, str]:
        """(smart account, virtual account) named by the X-CSW headers' numeric ids."""
        try:
            sa_id = int(request.headers["X-CSW-SMART-ACCOUNT-ID"])
            va_id = int(request.headers["X-CSW-VIRTUAL-ACCOUNT-ID"])
            json.loads(request.headers["X-CSW-REQUESTING-SYSTEM"])
        except (KeyError, ValueError):
            raise _bad_request(
                "X-CSW-SMART-ACCOUNT-ID, X-CSW-VIRTUAL-ACCOUNT-ID and X-CSW-REQUESTING-SYSTEM are required"
            ) from None
        for account in self._account_rows():
            if account["account_id"] == sa_id:
                for virtual in account["virtual_accounts"]:
                    if virtual["virtual_account_id"] == va_id:
                        return account["name"], virtual["name"]
        raise web.HTTPForbidden(
            text=json.dumps({"status": "FAILED", "message": f"No access to account {sa_id}/{va_id}"}),
            content_type="application/json",
        )

    def _account_rows(self) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute(
                "SELECT id, smart_account, virtual_account FROM accounts ORDER BY id"
            ).fetchall()
        accounts: dict[str, dict[str, Any]] = {}
        for row in rows:
            account = accounts.setdefault(
                row["smart_account"],
                {
                    "account_id": 100000 + row["id"],
                    "domain": f"{row['smart_account'].lower()}.example.com",
                    "name": row["smart_account"],
                    "virtual_accounts": [],
                },
            )
            account["virtual_accounts"].append(
                {
                    "default": not account["virtual_accounts"],
                    "name": row["virtual_account"],
                    "virtual_account_id": 500000 + row["id"],
                }
            )
        return list(accounts.values())

    def _submit(self, action: str, answer: dict[str, Any]) -> web.Response:
        with self._db() as db:
            last = db.execute("SELECT MAX(poll_id) FROM api_polls").fetchone()[0]
            poll_id = max(int(last or 0) + 1, _FIRST_POLL_ID)
            db.execute(
                "INSERT INTO api_polls (poll_id, action, answer, polls_left, submitted) "
                "VALUES (?, ?, ?, ?, ?)",
                (poll_id, action, json.dumps(answer), self.faults.polls_before_complete, time.time()),
            )
        self.stats.submissions[action] = self.stats.submissions.get(action, 0) + 1
        return web.json_response(self._ok_poll(poll_id, action), status=202)

    def _ok_poll(self, poll_id: int, action: str) -> dict[str, Any]:
        return {
            **_stamp(),
            "status": "OK_POLL",
            "message_code": None,
            "message": None,
            "type": None,
            "poll_id": poll_id,
            "poll_interval": self.faults.poll_interval,
            "action": action,
        }

    # ------------------------------------------------------------ Cisco's endpoints
    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if form.get("grant_type") != "client_credentials":
            return web.json_response(
                {
                    "error": "unsupported_grant_type",
                    "error_description": "grant_type must be client_credentials",
                },
                status=400,
            )
        if form.get("client_id") != self.credentials.client_id or not secrets.compare_digest(
            str(form.get("client_secret", "")), self.credentials.client_secret
        ):
            return web.json_response(
                {
                    "error": "invalid_client",
                    "error_description": "Invalid client or Invalid client credentials",
                },
                status=401,
            )
        token = secrets.token_urlsafe(32)
        self._tokens[token] = time.monotonic() + self.credentials.token_lifetime
        self.stats.tokens_issued += 1
        return web.json_response(
            {"access_token": token, "token_type": "Bearer", "expires_in": self.credentials.token_lifetime}
        )

    async def _accounts(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"status": "COMPLETE", "message": "", "message_code": "", "accounts": self._account_rows()}
        )

    async def _submission(self, request: web.Request, key: str) -> tuple[str, str, list[dict[str, Any]]]:
        """(smart account, virtual account, the product instances under ``data.<key>``) of a submission."""
        smart_account, virtual_account = self._account(request)
        items = (await self._data(request)).get(key)
        if not isinstance(items, list) or not items or not all(isinstance(item, dict) for item in items):
            raise _bad_request(f"data.{key} must list at least one product instance")
        return smart_account, virtual_account, items

    async def _authrequest(self, request: web.Request) -> web.Response:
        smart_account, virtual_account, licenses = await self._submission(request, "licenses")
        results: list[dict[str, Any]] = []
        adds: list[tuple[dict[str, Any], AuthorizationEntry]] = []
        returned: list[tuple[dict[str, Any], str]] = []
        for item in licenses:
            sudi = dict(item.get("sudi") or {})
            udi = _udi_of(sudi)
            keys = list(item.get("keys") or [])
            remove_code = str(item.get("remove_code") or "")
            if not keys:
                failure = self._return(udi, remove_code)
                if failure is None:
                    returned.append((sudi, udi))
                else:
                    results.append(_authorization(sudi, failed=failure.message, code=failure.message_code))
                continue
            tag = str(keys[0].get("entitlement", ""))
            if tag not in TAG_LICENSES:
                failed = f"Invalid entitlement tag {tag}"
                results.append(_authorization(sudi, failed=failed, code="INVALID_TAG"))
                continue
            entry = AuthorizationEntry(udi=udi, license=TAG_LICENSES[tag], remove_code=remove_code or None)
            adds.append((sudi, entry))
        if returned and not self.faults.return_ack_file:
            results.extend(_authorization(sudi) for sudi, _ in returned)  # Cisco's: smart_license null
        elif returned:
            # The lab's web UI hands one ACK for the returned UDIs: every returned UDI carries it.
            ack = licfiles.ack_file(
                {"type": "return", "udis": [udi for _, udi in returned], "timestamp": self.ssm._now()}
            )
            results.extend(_authorization(sudi, file=ack) for sudi, _ in returned)
        if adds:
            try:
                outcome = self.ssm.authorize(
                    [entry for _, entry in adds],
                    smart_account=smart_account,
                    virtual_account=virtual_account,
                    hostname=str(licenses[0].get("hostname", "")),
                    atomic=False,
                )
            except SSMError as error:  # a replaced SLAC's remove code matched nothing: the whole request
                return web.json_response(
                    {
                        **_stamp(),
                        "status": "FAILED",
                        "message": error.message,
                        "message_code": error.message_code,
                    }
                )
            for sudi, entry in adds:
                slac = outcome[entry.udi]
                if isinstance(slac, SSMError):
                    results.append(_authorization(sudi, failed=slac.message, code=slac.message_code))
                else:
                    results.append(_authorization(sudi, file=licfiles.slac_file(slac)))
        return self._submit("authorizations", {"authorizations": results})

    def _return(self, udi: str, remove_code: str) -> SSMError | None:
        """Give the key of ``remove_code`` back; the failure, if any."""
        if not remove_code:
            return SSMError("INVALID_REQUEST", "No keys and no remove_code: nothing to do")
        try:
            self.ssm.process_return(licfiles.return_text([(udi, remove_code)]))
        except SSMError as error:
            return error
        return None

    async def _reportusage(self, request: web.Request) -> web.Response:
        smart_account, virtual_account, reports = await self._submission(request, "reports")
        parsed: list[tuple[dict[str, Any], str, list[dict[str, Any]]]] = []
        for report in reports:
            sudi = dict(report.get("sudi") or {})
            udi = _udi_of(sudi)
            try:
                usage = [json.loads(str(item["payload"])) for item in report.get("usage") or []]
            except (KeyError, TypeError, ValueError):
                raise _bad_request(f"usage of {udi}: every payload must be the report's JSON text") from None
            parsed.append((sudi, udi, usage))
        with self._db() as db:
            for _, udi, usage in parsed:
                for item in usage:
                    seen = db.execute(
                        "SELECT 1 FROM api_reports WHERE udi=? AND report_id=?", (udi, str(item.get("id")))
                    ).fetchone()
                    if seen:
                        return web.json_response(
                            {
                                **_stamp(),
                                "status": "FAILED",
                                "message_code": "DUPLICATE_REPORT",
                                "message": f"Usage report {item.get('id')} of {udi} was already received",
                            }
                        )
            db.executemany(
                "INSERT INTO api_reports (udi, report_id) VALUES (?, ?)",
                [(udi, str(item.get("id"))) for _, udi, usage in parsed for item in usage],
            )
        acknowledgements = []
        for sudi, udi, usage in parsed:
            header = {"udi": udi, "smart_account": smart_account, "virtual_account": virtual_account}
            ack = licfiles.ack_file(self.ssm.report_usage(header, usage))
            acknowledgements.append(
                {"sudi": sudi, "software_tag_identifier": sudi.get("udi_pid"), "smart_license": _b64(ack)}
            )
        return self._submit("acknowledgements", {"acknowledgements": acknowledgements})

    async def _poll(self, request: web.Request) -> web.Response:
        data = await self._data(request)
        self.stats.polls += 1
        try:
            poll_id = int(data["poll_id"])
        except (KeyError, TypeError, ValueError):
            raise _bad_request("data.poll_id is required") from None
        with self._db() as db:
            row = db.execute("SELECT * FROM api_polls WHERE poll_id=?", (poll_id,)).fetchone()
            if row is None or row["action"] != data.get("action", row["action"]):
                return web.json_response(
                    {
                        **_stamp(),
                        "status": "FAILED",
                        "message_code": "INVALID_POLL_ID",
                        "message": f"No {data.get('action')} request with poll id {poll_id}",
                    }
                )
            if row["polls_left"] > 0:
                db.execute("UPDATE api_polls SET polls_left=polls_left-1 WHERE poll_id=?", (poll_id,))
                return web.json_response({**self._ok_poll(poll_id, row["action"]), "message": ""})
        return web.json_response(
            {
                **_stamp(),
                "status": "COMPLETE",
                "message_code": "",
                "message": "",
                "type": row["action"],
                "correlation_id": secrets.token_hex(8),
                "data": json.loads(row["answer"]),
            }
        )

    async def _summary(self, request: web.Request) -> web.Response:
        smart_account, virtual_account = self._account(request)
        data = await self._data(request)
        wanted = set(data.get("tags") or [])
        summary = []
        for pool in self.ssm.pools():
            tag = next((t for t, name in TAG_LICENSES.items() if name == pool.license), pool.license)
            if (pool.smart_account, pool.virtual_account) != (smart_account, virtual_account):
                continue
            if wanted and tag not in wanted:
                continue
            summary.append(
                {
                    "tag": tag,
                    "display_name": pool.license,
                    "compliance_status": "In Compliance" if pool.available >= 0 else "Out of Compliance",
                    "enforced": True,
                    "export_restricted": True,
                    "prepaid_entitled": pool.total,
                    "prepaid_inuse": pool.in_use,
                    "prepaid_reserved": 0,
                    "license_details": [{"quantity": pool.total, "license_type": "PERPETUAL"}],
                }
            )
        return web.json_response(
            {**_stamp(), "status": "SUCCESS", "message": "", "out_standing_reports": 0, "summary": summary}
        )

    # ------------------------------------------------------------ the lab's admin calls
    async def _set_faults(self, request: web.Request) -> web.Response:
        try:
            self.faults.update(dict(await request.json()))
        except (ValueError, TypeError) as error:
            raise _bad_request(str(error)) from None
        return web.json_response(asdict(self.faults))

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response(asdict(self.stats))

    async def _expire_tokens(self, request: web.Request) -> web.Response:
        self.expire_tokens()
        return web.json_response({"expired": len(self._tokens)})


def _authorization(
    sudi: dict[str, Any], *, file: str | None = None, failed: str = "", code: str = ""
) -> dict[str, Any]:
    return {
        "product_instance_identifier": secrets.token_hex(16),
        "sudi": sudi,
        "smart_license": _b64(file) if file is not None else None,
        "auth_status": [],
        "error_code": code or "None",
        "status": "FAILED" if failed else "SUCCESS",
        "status_message": failed or "None",
        "correlation_id": secrets.token_hex(8),
    }


def _udi_of(sudi: dict[str, Any]) -> str:
    return licfiles.udi_text(str(sudi.get("udi_pid", "")), str(sudi.get("udi_serial_number", "")))


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _stamp() -> dict[str, Any]:
    return {"timestamp": int(time.time() * 1000), "nonce": secrets.token_hex(8)}


def _bad_request(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(
        text=json.dumps({"status": "FAILED", "message": message}), content_type="application/json"
    )
