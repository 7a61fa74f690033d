"""A simulated Cisco Smart Software Manager (SSM), kept in sqlite.

Smart accounts hold virtual accounts; a virtual account holds key pools per license (``C9K HSEC``: 10)
and reservations of those keys per UDI. Switches talk to it online (request, return, usage); operators play
the web UI through the four offline methods or ``catlic-lab ssm``.

Every write runs in one ``BEGIN IMMEDIATE`` transaction on its own connection, so concurrent threads and
processes serialise on the database and a pool can never hand out more keys than it holds.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from virtual_devices import licfiles
from virtual_devices.licfiles import CorruptFileError, Slac
from virtual_devices.platforms import HSEC_LICENSE, HSEC_TAG

LICENSE_TAGS = {HSEC_LICENSE: HSEC_TAG}
TAG_LICENSES = {tag: name for name, tag in LICENSE_TAGS.items()}

# The policy SSM hands out with every ACK (the guide's "Custom Policy").
DEFAULT_POLICY: dict[str, Any] = {
    "name": "Custom Policy",
    "source": "Customer Policy",
    "ack_required": True,
    "perpetual": [365, 0, 90],
    "subscription": [90, 90, 90],
    "enforced": [365, 90, 90],
    "export": [365, 90, 90],
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
  id INTEGER PRIMARY KEY, smart_account TEXT NOT NULL, virtual_account TEXT NOT NULL,
  policy TEXT NOT NULL, UNIQUE (smart_account, virtual_account));
CREATE TABLE IF NOT EXISTS pools (
  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id), license TEXT NOT NULL,
  tag TEXT NOT NULL, total INTEGER NOT NULL CHECK (total >= 0), UNIQUE (account_id, license));
CREATE TABLE IF NOT EXISTS reservations (
  id INTEGER PRIMARY KEY, pool_id INTEGER NOT NULL REFERENCES pools(id), udi TEXT NOT NULL,
  authorization_code TEXT NOT NULL, confirmation_code TEXT NOT NULL, created TEXT NOT NULL,
  returned TEXT, return_code TEXT);
CREATE INDEX IF NOT EXISTS reservations_active ON reservations (pool_id, returned);
CREATE TABLE IF NOT EXISTS usage (
  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, udi TEXT NOT NULL, tag TEXT NOT NULL,
  count INTEGER NOT NULL, received TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, account TEXT, udi TEXT, detail TEXT);
"""


class SSMError(LookupError):
    """An SSM failure; ``message_code`` is SSM's own code (``ERROR_ALL_COUNTS_IN_USE``...)."""

    def __init__(self, message_code: str, message: str) -> None:
        super().__init__(f"{message_code}: {message}")
        self.message_code = message_code
        self.message = message


@dataclass(frozen=True)
class Pool:
    smart_account: str
    virtual_account: str
    license: str
    total: int
    in_use: int

    @property
    def available(self) -> int:
        return self.total - self.in_use


@dataclass(frozen=True)
class AuthorizationEntry:
    """One UDI's part of a SLAC request."""

    udi: str
    mode: str = "add"  # add | replace | return (give the key back, take none)
    license: str = HSEC_LICENSE
    remove_code: str | None = None  # the return code of the SLAC this one replaces


class SimulatedSSM:
    def __init__(self, db_path: str | Path, clock: Callable[[], datetime] | None = None) -> None:
        self.db_path = str(db_path)
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    # ------------------------------------------------------------ plumbing
    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA busy_timeout=30000")
        return db

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        db = self._connect()
        try:
            yield db
        finally:
            db.close()

    def _now(self) -> str:
        return self._clock().astimezone(timezone.utc).isoformat(timespec="seconds")

    def _event(
        self, db: sqlite3.Connection, kind: str, account: str | None, udi: str | None, **detail: Any
    ) -> None:
        db.execute(
            "INSERT INTO events (at, kind, account, udi, detail) VALUES (?, ?, ?, ?, ?)",
            (self._now(), kind, account, udi, json.dumps(detail, sort_keys=True)),
        )

    def _account(
        self, db: sqlite3.Connection, smart_account: str | None, virtual_account: str | None
    ) -> sqlite3.Row:
        if smart_account is None:
            row = db.execute("SELECT * FROM accounts ORDER BY id LIMIT 1").fetchone()
        elif virtual_account is None:
            row = db.execute(
                "SELECT * FROM accounts WHERE smart_account=? ORDER BY id", (smart_account,)
            ).fetchone()
        else:
            row = db.execute(
                "SELECT * FROM accounts WHERE smart_account=? AND virtual_account=?",
                (smart_account, virtual_account),
            ).fetchone()
        if row is None:
            raise SSMError("ERROR_ACCOUNT_NOT_FOUND", f"no virtual account {smart_account}/{virtual_account}")
        assert isinstance(row, sqlite3.Row)
        return row

    # ------------------------------------------------------------ operator: accounts and pools
    def add_account(
        self,
        smart_account: str,
        virtual_account: str,
        pools: dict[str, int] | None = None,
        policy: dict[str, Any] | None = None,
    ) -> None:
        """Create the account if missing and set its pools (existing reservations are kept)."""
        with self._write() as db:
            db.execute(
                "INSERT OR IGNORE INTO accounts (smart_account, virtual_account, policy) VALUES (?, ?, ?)",
                (smart_account, virtual_account, json.dumps(policy or DEFAULT_POLICY)),
            )
        for license_name, total in (pools or {}).items():
            self.set_pool(smart_account, virtual_account, license_name, total)

    def set_pool(self, smart_account: str, virtual_account: str, license_name: str, total: int) -> None:
        if total < 0:
            raise ValueError("a pool cannot hold fewer than 0 keys")
        tag = LICENSE_TAGS.get(license_name, license_name)
        with self._write() as db:
            account = self._account(db, smart_account, virtual_account)
            db.execute(
                "INSERT INTO pools (account_id, license, tag, total) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (account_id, license) DO UPDATE SET total=excluded.total",
                (account["id"], license_name, tag, total),
            )
            self._event(
                db, "set_pool", f"{smart_account}/{virtual_account}", None, license=license_name, total=total
            )

    def pools(self) -> list[Pool]:
        with self._read() as db:
            rows = db.execute(
                "SELECT a.smart_account, a.virtual_account, p.license, p.total, "
                "(SELECT COUNT(*) FROM reservations r WHERE r.pool_id=p.id AND r.returned IS NULL) AS in_use "
                "FROM pools p JOIN accounts a ON a.id=p.account_id ORDER BY a.id, p.license"
            ).fetchall()
        return [Pool(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def free_licenses(
        self, license_name: str, /, smart_account: str | None = None, virtual_account: str | None = None
    ) -> int:
        """Keys of ``license_name`` the virtual account (default: the first, as requests use) holds free;
        0 when it has no such pool."""
        with self._read() as db:
            account = self._account(db, smart_account, virtual_account)
            row = db.execute(
                "SELECT p.total - (SELECT COUNT(*) FROM reservations r "
                "WHERE r.pool_id=p.id AND r.returned IS NULL) "
                "FROM pools p WHERE p.account_id=? AND p.license=?",
                (account["id"], license_name),
            ).fetchone()
        return 0 if row is None else max(0, int(row[0]))

    def reservations(self, *, active_only: bool = True) -> list[dict[str, Any]]:
        query = (
            "SELECT r.udi, r.confirmation_code, r.created, r.returned, p.license, a.smart_account, "
            "a.virtual_account FROM reservations r JOIN pools p ON p.id=r.pool_id "
            "JOIN accounts a ON a.id=p.account_id"
        )
        if active_only:
            query += " WHERE r.returned IS NULL"
        with self._read() as db:
            rows = db.execute(query + " ORDER BY r.id").fetchall()
        return [dict(row) for row in rows]

    def events(self, limit: int = 100) -> list[dict[str, Any]]:
        with self._read() as db:
            rows = db.execute("SELECT * FROM events ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [dict(row, detail=json.loads(row["detail"] or "{}")) for row in reversed(rows)]

    def account_info(
        self, smart_account: str | None = None, virtual_account: str | None = None
    ) -> dict[str, Any]:
        with self._read() as db:
            row = self._account(db, smart_account, virtual_account)
        return {
            "smart_account": row["smart_account"],
            "virtual_account": row["virtual_account"],
            "policy": json.loads(row["policy"]),
        }

    # ------------------------------------------------------------ the exchange itself
    def authorize(
        self,
        entries: list[AuthorizationEntry],
        *,
        smart_account: str | None = None,
        virtual_account: str | None = None,
        hostname: str = "",
        atomic: bool = True,
    ) -> dict[str, Slac | SSMError]:
        """Reserve one key per entry and issue its SLAC; replaced SLACs go back first, in the same
        transaction. ``atomic``: any failure raises and nothing is reserved (the web UI); otherwise failures
        are reported per UDI (a switch's online request: the guide shows one UDI failing, one succeeding).
        """
        outcome: dict[str, Slac | SSMError] = {}
        with self._write() as db:
            account = self._account(db, smart_account, virtual_account)
            label = f"{account['smart_account']}/{account['virtual_account']}"
            for entry in entries:
                if entry.remove_code and not self._returned_already(db, entry.udi, entry.remove_code):
                    self._return_in(db, entry.udi, entry.remove_code, label, reason="replace")
            for entry in entries:
                if entry.mode == "return":  # only gives its key back (replace: a UDI left out)
                    continue
                try:
                    outcome[entry.udi] = self._reserve(db, account, label, entry, hostname)
                except SSMError as error:
                    if atomic:
                        raise
                    outcome[entry.udi] = error
                    self._event(db, "authorization_failed", label, entry.udi, message_code=error.message_code)
        return outcome

    def _reserve(
        self,
        db: sqlite3.Connection,
        account: sqlite3.Row,
        label: str,
        entry: AuthorizationEntry,
        hostname: str,
    ) -> Slac:
        pool = db.execute(
            "SELECT * FROM pools WHERE account_id=? AND license=?", (account["id"], entry.license)
        ).fetchone()
        if pool is None:
            raise SSMError("ERROR_NO_LICENSE", f"no {entry.license} licenses in {label}")
        existing = db.execute(
            "SELECT id FROM reservations WHERE pool_id=? AND udi=? AND returned IS NULL",
            (pool["id"], entry.udi),
        ).fetchone()
        now = self._now()
        code = licfiles.new_authorization_code(f"{entry.udi}|{now}|{secrets.token_hex(8)}")
        confirm = licfiles.confirmation_code(code)
        if existing is not None:  # one key per UDI: re-issue the SLAC on the same reservation
            db.execute(
                "UPDATE reservations SET authorization_code=?, confirmation_code=?, created=? WHERE id=?",
                (code, confirm, now, existing["id"]),
            )
        else:
            in_use = db.execute(
                "SELECT COUNT(*) FROM reservations WHERE pool_id=? AND returned IS NULL", (pool["id"],)
            ).fetchone()[0]
            if in_use >= pool["total"]:
                raise SSMError(
                    "ERROR_ALL_COUNTS_IN_USE",
                    f"All {pool['total']} {entry.license} licenses in {label} are in use",
                )
            db.execute(
                "INSERT INTO reservations (pool_id, udi, authorization_code, confirmation_code, created) "
                "VALUES (?, ?, ?, ?, ?)",
                (pool["id"], entry.udi, code, confirm, now),
            )
        self._event(db, "authorization_issued", label, entry.udi, confirmation=confirm, hostname=hostname)
        return Slac(
            udi=entry.udi,
            authorization_code=code,
            entitlement=pool["tag"],
            count=1,
            smart_account=account["smart_account"],
            virtual_account=account["virtual_account"],
            issued=now,
        )

    def _returned_already(self, db: sqlite3.Connection, udi: str, code: str) -> bool:
        """A request file uploaded twice carries remove codes SSM has already honoured."""
        row = db.execute(
            "SELECT 1 FROM reservations WHERE udi=? AND return_code=? AND returned IS NOT NULL", (udi, code)
        ).fetchone()
        return row is not None

    def _return_in(self, db: sqlite3.Connection, udi: str | None, code: str, label: str, reason: str) -> str:
        """Mark the reservation whose return code is ``code`` as returned; its UDI."""
        query = "SELECT id, udi, authorization_code FROM reservations WHERE returned IS NULL"
        params: tuple[str, ...] = ()
        if udi:
            query += " AND udi=?"
            params = (udi,)
        for row in db.execute(query, params).fetchall():
            if licfiles.return_code(row["authorization_code"], row["udi"]) == code:
                db.execute(
                    "UPDATE reservations SET returned=?, return_code=? WHERE id=?",
                    (self._now(), code, row["id"]),
                )
                self._event(db, "authorization_returned", label, row["udi"], reason=reason)
                return str(row["udi"])
        raise SSMError("ERROR_INVALID_RETURN_CODE", f"return code {code} matches no reservation")

    def return_authorization(self, udi: str, code: str) -> dict[str, Any]:
        """A switch's online return; the ACK payload."""
        with self._write() as db:
            returned = self._return_in(db, udi, code, "online", reason="return")
        return {"type": "return", "udis": [returned], "timestamp": self._now()}

    def report_usage(self, header: dict[str, Any], reports: list[dict[str, Any]]) -> dict[str, Any]:
        """Record RUM reports; the ACK payload (account, policy, acknowledged report ids)."""
        with self._write() as db:
            account = self._account(db, header.get("smart_account"), header.get("virtual_account"))
            label = f"{account['smart_account']}/{account['virtual_account']}"
            for report in reports:
                for udi in report.get("udis") or [header.get("udi", "")]:
                    db.execute(
                        "INSERT INTO usage (account_id, udi, tag, count, received) VALUES (?, ?, ?, ?, ?)",
                        (account["id"], udi, report.get("tag", ""), int(report.get("count", 0)), self._now()),
                    )
            self._event(db, "usage_received", label, header.get("udi"), reports=len(reports))
            return {
                "type": "usage",
                "udi": header.get("udi"),
                "report_ids": [report.get("id") for report in reports],
                "smart_account": account["smart_account"],
                "virtual_account": account["virtual_account"],
                "policy": json.loads(account["policy"]),
                "timestamp": self._now(),
            }

    # ------------------------------------------------------------ the web UI's offline exchange (contract)
    def process_slac_request(
        self, request_text: str, *, smart_account: str | None = None, virtual_account: str | None = None
    ) -> dict[str, str]:
        """A SLAC request file in; one SLAC file per UDI out (all or nothing)."""
        kind, parts = _read_file(request_text)
        if kind != "smartLicenseAuthorizationRequest":
            raise SSMError("ERROR_INVALID_FILE", "the file is not a SLAC request")
        try:
            requests = parts["authorizationRequest"]
            hostname = str(parts.get("systemInfo", {}).get("hostname", ""))
            entries = [
                AuthorizationEntry(
                    udi=str(item["udi"]),
                    mode=str(item.get("mode", "add")),
                    license=TAG_LICENSES.get(str(item["keys"][0]["entitlement"]), HSEC_LICENSE),
                    remove_code=item.get("remove_code") or None,
                )
                for item in requests
            ]
        except (KeyError, IndexError, TypeError):
            raise SSMError("ERROR_INVALID_FILE", "the SLAC request is incomplete") from None
        outcome = self.authorize(
            entries, smart_account=smart_account, virtual_account=virtual_account, hostname=hostname
        )
        return {udi: licfiles.slac_file(slac) for udi, slac in outcome.items() if isinstance(slac, Slac)}

    def generate_slacs(
        self,
        udis: list[tuple[str, str]],
        *,
        smart_account: str | None = None,
        virtual_account: str | None = None,
    ) -> dict[str, str]:
        """ "Multiple Devices": (PID, serial) pairs in, one SLAC file per UDI out (all or nothing)."""
        entries = [AuthorizationEntry(udi=licfiles.udi_text(pid, serial)) for pid, serial in udis]
        outcome = self.authorize(entries, smart_account=smart_account, virtual_account=virtual_account)
        return {udi: licfiles.slac_file(slac) for udi, slac in outcome.items() if isinstance(slac, Slac)}

    def process_return(self, text: str) -> str:
        """A return code (bare, printed, or a return file) in; an ACK file out."""
        entries = licfiles.parse_return_text(text)
        if not entries:
            raise SSMError("ERROR_INVALID_RETURN_CODE", "no return code found")
        with self._write() as db:
            udis = [self._return_in(db, udi, code, "offline", reason="return") for udi, code in entries]
        return licfiles.ack_file({"type": "return", "udis": udis, "timestamp": self._now()})

    def process_usage_report(
        self, rum_text: str, *, smart_account: str | None = None, virtual_account: str | None = None
    ) -> str:
        """A RUM (usage) file in (the switch's saved file, or Cisco's shape its REST API's reports make);
        an ACK file out."""
        try:
            cisco = licfiles.read_cisco_usage(rum_text)
        except CorruptFileError as exc:
            raise SSMError("ERROR_INVALID_FILE", str(exc)) from None
        if cisco is not None:
            header, reports = cisco
        else:
            kind, parts = _read_file(rum_text)
            if kind != "smartLicenseUsage":
                raise SSMError("ERROR_INVALID_FILE", "the file is not a usage report")
            header, reports = dict(parts.get("header") or {}), list(parts.get("RUMReport") or [])
        if smart_account:
            header["smart_account"], header["virtual_account"] = smart_account, virtual_account
        return licfiles.ack_file(self.report_usage(header, reports))


def _read_file(text: str) -> tuple[str, dict[str, Any]]:
    try:
        return licfiles.read_envelope(text)
    except CorruptFileError as exc:
        raise SSMError("ERROR_INVALID_FILE", str(exc)) from None


def read_device_csv(text: str) -> list[tuple[str, str]]:
    """(PID, serial) pairs from the "Multiple Devices" CSV: headers naming a PID and a serial column, in any
    order and case (``PID,Serial Number``, ``Product ID,SN``...); blank rows are skipped."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    pid_column = next((i for i, h in enumerate(header) if "pid" in h or "product" in h), None)
    serial_column = next((i for i, h in enumerate(header) if "serial" in h or h == "sn"), None)
    if pid_column is None or serial_column is None:
        raise SSMError("ERROR_INVALID_FILE", "the CSV needs a PID column and a Serial Number column")
    pairs = []
    for row in rows[1:]:
        if len(row) > max(pid_column, serial_column) and row[pid_column].strip():
            pairs.append((row[pid_column].strip(), row[serial_column].strip()))
    return pairs
