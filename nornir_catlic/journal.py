"""A durable journal of workflow steps per device, kept in the store (:mod:`nornir_catlic.store`).

Every :meth:`Journal.append` is one committed transaction of a SQLite store in WAL mode with
``synchronous=FULL`` (or of a database server): a step the caller saw recorded survives a crash or a power
cut. Return codes and confirmation codes are written here *before* anything else happens, so an interrupted
workflow resumes without requesting keys twice or losing a return code. Threads and processes append to one
journal at once; every read sees every append committed before it, from any of them.

``Journal("catlic-journal.jsonl")`` (the old JSON-lines journal's name) opens ``catlic-journal.db`` beside
it; the old file found there is imported once (remembered in the store, the file kept) and lines it could
not read are in :attr:`Journal.problems`. :meth:`Journal.export` writes the same JSON lines back.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import logging
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path, PurePath
from types import TracebackType
from typing import IO, Any

from pydantic import BaseModel, ConfigDict, JsonValue, ValidationError
from sqlalchemy import func, insert, select

from nornir_catlic.errors import JournalError, StoreError
from nornir_catlic.store import Store, is_url
from nornir_catlic.store.schema import imports, journal_records, working_files
from nornir_catlic.workplace import catlic_home

log = logging.getLogger(__name__)

# Step names the library's workflows share, so that resume queries understand each other's records.
STEP_SLAC_REQUESTED = "slac-requested"
STEP_SLAC_INSTALLED = "slac-installed"
STEP_RETURN_CODE = "return-code"
STEP_RETURN_ACKNOWLEDGED = "return-acknowledged"

_SECRET_WORDS = (
    "password",
    "passwd",
    "secret",
    "passphrase",
    "token",
    "credential",
    "private_key",
    "privatekey",
    "api_key",
    "apikey",
)


class StepStatus(str, enum.Enum):
    STARTED = "started"
    DONE = "done"
    FAILED = "failed"
    WAITING = "waiting"
    """Parked until something outside arrives (an operator's SSM answer)."""
    SKIPPED = "skipped"


class JournalRecord(BaseModel):
    """One line of the journal."""

    model_config = ConfigDict(frozen=True)

    ts: dt.datetime
    host: str
    workflow: str
    step: str
    status: StepStatus
    data: dict[str, JsonValue] = {}


class JournalProblem(BaseModel):
    """A line that could not be read back; kept so that the operator can look at it."""

    model_config = ConfigDict(frozen=True)

    line_number: int
    text: str
    """The start of the damaged line (at most 200 characters)."""
    reason: str
    torn: bool
    """The last line, without its newline: a write interrupted by a crash."""


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def is_secret_key(key: str) -> bool:
    """True for data keys named like a secret (``password``, ``enable_secret``, ``api_token`` ...)."""
    lowered = key.lower().replace("-", "_")
    return any(word in lowered for word in _SECRET_WORDS)


def _jsonable(value: object, where: str) -> JsonValue:
    """Plain JSON for the journal; refuses keys named like secrets at any depth."""
    if isinstance(value, float) and not math.isfinite(value):
        raise JournalError(f"cannot journal {value} in {where}: JSON has no NaN or infinity")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return _jsonable(value.value, where)
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return _jsonable(value.model_dump(mode="json"), where)
    if isinstance(value, Mapping):
        result: dict[str, JsonValue] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise JournalError(f"journal data keys must be strings, got {key!r} in {where}")
            if is_secret_key(key):
                raise JournalError(f"refusing to journal {where}.{key}: the journal never holds a secret")
            result[key] = _jsonable(item, f"{where}.{key}")
        return result
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [_jsonable(item, where) for item in items]
    raise JournalError(f"cannot journal a {type(value).__name__} in {where}")


class Journal:
    """Workflow steps in the store; see the module documentation for the guarantees.

    Attributes:
        path: the SQLite file of the journal (for a database server: a folder name under ``$CATLIC_HOME``,
            beside which the workflows keep their working files).
        store: the database.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        clock: Callable[[], dt.datetime] = _utc_now,
        known_secrets: Iterable[str] = (),
    ):
        """Open (lazily create) the journal at ``path``: a database file, an old ``.jsonl`` journal's name
        (the database beside it), or a SQLAlchemy URL.

        Args:
            known_secrets: passwords and the like (from the inventory): any value that contains one is
                refused, whatever its key is called. See also :meth:`forbid`.
        """
        self._clock = clock
        self._known_secrets: set[str] = set()
        self.forbid(*known_secrets)
        legacy: Path | None
        if is_url(path):
            self.store = Store(str(path))
            self.path = catlic_home() / "journal"
            legacy = None
        else:
            self.path, legacy = database_path(path), legacy_path(path)
            self.store = Store.at(self.path)
        if legacy is not None and legacy.is_file():
            self._import(legacy, f"legacy:{legacy.name}")

    # -- writing

    def append(
        self,
        host: str,
        workflow: str,
        step: str,
        status: StepStatus = StepStatus.DONE,
        data: Mapping[str, object] | None = None,
    ) -> JournalRecord:
        """Record one step durably; returns only once it is committed to disk.

        Raises:
            JournalError: when ``data`` holds a key named like a secret, a value JSON cannot hold, or the
                store refuses the write.
        """
        payload = _jsonable(dict(data or {}), "data")
        assert isinstance(payload, dict)
        for where, text in _strings_in(payload, "data"):
            if any(secret in text for secret in self._known_secrets):
                raise JournalError(f"refusing to journal {where}: it contains a known secret")
        record = JournalRecord(
            ts=self._clock(), host=host, workflow=workflow, step=step, status=status, data=payload
        )
        with self._errors(), self.store.write() as connection:
            connection.execute(insert(journal_records), [_row(record)])
        return record

    def forbid(self, *secrets: str) -> None:
        """Refuse from now on any value containing one of ``secrets`` (ignoring blanks and 1-3 characters,
        which would refuse innocent text)."""
        self._known_secrets.update(secret for secret in secrets if len(secret.strip()) >= 4)

    def index_files(self, host: str, folder: Path, purpose: str = "working-file") -> int:
        """Index the files in ``folder`` kept for ``host`` (path and SHA-256; a file indexed before with the
        same content is not indexed again), so that an operator finds them; returns how many were added."""
        try:
            found = sorted(path for path in folder.iterdir() if path.is_file())
        except FileNotFoundError:
            return 0
        known = {(str(path), digest) for _, path, digest in self.files(host)}
        rows = []
        for path in found:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if (str(path), digest) not in known:
                rows.append(
                    {
                        "host": host,
                        "purpose": purpose,
                        "path": str(path),
                        "sha256": digest,
                        "written_at": _now_text(),
                    }
                )
        if rows:
            with self._errors(), self.store.write() as connection:
                connection.execute(insert(working_files), rows)
        return len(rows)

    def files(self, host: str) -> list[tuple[str, Path, str]]:
        """(purpose, path, SHA-256) of the working files kept for ``host``, oldest first."""
        query = select(working_files).where(working_files.c.host == host).order_by(working_files.c.id)
        with self._errors():
            return [(row.purpose, Path(row.path), row.sha256) for row in self.store.rows(query)]

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- JSON lines in and out

    def export(self, out: IO[str], host: str | None = None) -> int:
        """Write the records (of one host) as JSON lines, one per step, the shape of the old
        ``catlic-journal.jsonl``; returns how many."""
        count = 0
        for record in self.records(host):
            out.write(_line(record))
            count += 1
        return count

    def import_jsonl(self, source: str | os.PathLike[str]) -> int:
        """Import a JSON-lines journal (an export, an old journal); a file with the same content imported
        before is not imported again. Returns the records added; unreadable lines go to :attr:`problems`."""
        source = Path(source)
        try:
            digest = hashlib.sha256(source.read_bytes()).hexdigest()
        except OSError as exc:
            raise JournalError(f"cannot read {source}: {exc}") from exc
        return self._import(source, f"sha256:{digest}")

    def _import(self, source: Path, key: str) -> int:
        with self._errors():
            if self.store.rows(select(imports.c.source).where(imports.c.source == key)):
                return 0
            try:
                raw = source.read_bytes()
            except OSError as exc:
                raise JournalError(f"cannot read {source}: {exc}") from exc
            records, problems = _read_lines(raw, source)
            with self.store.write() as connection:
                if connection.execute(select(imports.c.source).where(imports.c.source == key)).first():
                    return 0  # another process imported it meanwhile
                if records:
                    connection.execute(insert(journal_records), [_row(record) for record in records])
                connection.execute(
                    insert(imports),
                    [
                        {
                            "source": key,
                            "imported_at": _now_text(),
                            "fingerprint": hashlib.sha256(raw).hexdigest(),
                            "records": len(records),
                            "problems": json.dumps([p.model_dump(mode="json") for p in problems]),
                        }
                    ],
                )
        log.info("journal %s: imported %d record(s) from %s", self.path, len(records), source)
        return len(records)

    # -- reading

    def reload(self) -> None:
        """Nothing to do: every read asks the store (kept for callers of the JSON-lines journal)."""

    @property
    def problems(self) -> list[JournalProblem]:
        """Lines of imported JSON-lines files that could not be read (torn by a crash, or damaged)."""
        found: list[JournalProblem] = []
        with self._errors():
            for row in self.store.rows(select(imports.c.problems).order_by(imports.c.imported_at)):
                found += [JournalProblem.model_validate(item) for item in json.loads(row.problems)]
        return found

    def records(
        self, host: str | None = None, workflow: str | None = None, step: str | None = None
    ) -> list[JournalRecord]:
        """Records in the order they were written, filtered by any of host, workflow and step."""
        query = select(journal_records).order_by(journal_records.c.id)
        for column, wanted in (
            (journal_records.c.host, host),
            (journal_records.c.workflow, workflow),
            (journal_records.c.step, step),
        ):
            if wanted is not None:
                query = query.where(column == wanted)
        with self._errors():
            rows = self.store.rows(query)
        return [
            JournalRecord.model_validate(
                {
                    "ts": row.ts,
                    "host": row.host,
                    "workflow": row.workflow,
                    "step": row.step,
                    "status": row.status,
                    "data": json.loads(row.data),
                }
            )
            for row in rows
        ]

    def __iter__(self) -> Iterator[JournalRecord]:
        return iter(self.records())

    def __len__(self) -> int:
        with self._errors():
            rows = self.store.rows(select(func.count()).select_from(journal_records))
        return int(rows[0][0]) if rows else 0

    def hosts(self) -> list[str]:
        """Hosts in the order they first appear."""
        query = (
            select(journal_records.c.host)
            .group_by(journal_records.c.host)
            .order_by(func.min(journal_records.c.id))
        )
        with self._errors():
            return [row.host for row in self.store.rows(query)]

    def steps(self, host: str, workflow: str) -> list[JournalRecord]:
        """Every step of a host's workflow, oldest first."""
        return self.records(host, workflow)

    def last(
        self, host: str, workflow: str, step: str | None = None, *, status: StepStatus | None = None
    ) -> JournalRecord | None:
        """The latest record of a host's workflow (of one step, of one status), or ``None``."""
        for record in reversed(self.records(host, workflow, step)):
            if status is None or record.status is status:
                return record
        return None

    def done(self, host: str, workflow: str, step: str) -> bool:
        """True when the step's latest record says it completed."""
        latest = self.last(host, workflow, step)
        return latest is not None and latest.status is StepStatus.DONE

    def _errors(self) -> _JournalErrors:
        return _JournalErrors(self.path)

    # -- the facts a resumed workflow needs

    def record_slac_requested(
        self, host: str, workflow: str, udis: Iterable[str], **data: object
    ) -> JournalRecord:
        """Write, before the device command, that SLACs are being requested for these UDIs."""
        return self.append(
            host, workflow, STEP_SLAC_REQUESTED, StepStatus.DONE, {"udis": sorted(udis), **data}
        )

    def record_slac_installed(
        self, host: str, workflow: str, udi: str, confirmation_code: str, **data: object
    ) -> JournalRecord:
        return self.append(
            host,
            workflow,
            STEP_SLAC_INSTALLED,
            StepStatus.DONE,
            {"udi": udi, "confirmation_code": confirmation_code, **data},
        )

    def record_return_code(
        self, host: str, workflow: str, udi: str, return_code: str, **data: object
    ) -> JournalRecord:
        """Write a return code the device printed, before anything else happens."""
        return self.append(
            host,
            workflow,
            STEP_RETURN_CODE,
            StepStatus.DONE,
            {"udi": udi, "return_code": return_code, **data},
        )

    def record_return_acknowledged(self, host: str, workflow: str, udi: str, **data: object) -> JournalRecord:
        return self.append(host, workflow, STEP_RETURN_ACKNOWLEDGED, StepStatus.DONE, {"udi": udi, **data})

    def requested_udis(self, host: str) -> set[str]:
        """UDIs whose SLAC was requested and not returned since: never request these again."""
        outstanding: set[str] = set()
        for record in self.records(host):
            if record.status is not StepStatus.DONE:
                continue
            if record.step == STEP_SLAC_REQUESTED:
                outstanding.update(_strings(record.data.get("udis")))
            elif record.step == STEP_RETURN_CODE:
                outstanding.discard(_string(record.data.get("udi")))
        return outstanding

    def installed_codes(self, host: str) -> dict[str, str]:
        """UDI -> latest confirmation code recorded, for UDIs not returned since."""
        codes: dict[str, str] = {}
        for record in self.records(host):
            if record.status is not StepStatus.DONE:
                continue
            udi = _string(record.data.get("udi"))
            if record.step == STEP_SLAC_INSTALLED:
                codes[udi] = _string(record.data.get("confirmation_code"))
            elif record.step == STEP_RETURN_CODE:
                codes.pop(udi, None)
        return codes

    def return_codes(self, host: str) -> dict[str, str]:
        """UDI -> latest return code the device printed (acknowledged or not)."""
        return {
            _string(r.data.get("udi")): _string(r.data.get("return_code"))
            for r in self.records(host, step=STEP_RETURN_CODE)
            if r.status is StepStatus.DONE
        }

    def unacknowledged_returns(self, host: str) -> dict[str, str]:
        """UDI -> return code not yet acknowledged by SSM: still to upload, never to be lost."""
        pending: dict[str, str] = {}
        for record in self.records(host):
            if record.status is not StepStatus.DONE:
                continue
            udi = _string(record.data.get("udi"))
            if record.step == STEP_RETURN_CODE:
                pending[udi] = _string(record.data.get("return_code"))
            elif record.step == STEP_RETURN_ACKNOWLEDGED:
                pending.pop(udi, None)
        return pending


def _strings_in(value: JsonValue, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings_in(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings_in(item, f"{where}[{index}]")


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _short_reason(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"unreadable line: {text[:160]}"


class _JournalErrors:
    """Store failures surface as :class:`JournalError` naming the journal."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if isinstance(exc, StoreError) and not isinstance(exc, JournalError):
            raise JournalError(f"journal {self.path}: {exc}") from exc


LEGACY_SUFFIX = ".jsonl"
DATABASE_SUFFIX = ".db"


def database_path(path: str | os.PathLike[str]) -> Path:
    """The database file of the journal named ``path``: ``x.jsonl`` (an old journal's name) means ``x.db``."""
    given = Path(path)
    return given.with_suffix(DATABASE_SUFFIX) if given.suffix == LEGACY_SUFFIX else given


def legacy_path(path: str | os.PathLike[str]) -> Path:
    """Where the JSON-lines journal of the journal named ``path`` used to be."""
    given = Path(path)
    return given if given.suffix == LEGACY_SUFFIX else given.with_suffix(LEGACY_SUFFIX)


def journal_exists(path: str | os.PathLike[str]) -> bool:
    """A journal is there to read: its database, its old JSON-lines file, or a URL."""
    return is_url(path) or database_path(path).is_file() or legacy_path(path).is_file()


def _now_text() -> str:
    return _utc_now().isoformat()


def _line(record: JournalRecord) -> str:
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")) + "\n"


def _row(record: JournalRecord) -> dict[str, str]:
    dumped = record.model_dump(mode="json")
    return {
        "ts": dumped["ts"],
        "host": record.host,
        "workflow": record.workflow,
        "step": record.step,
        "status": record.status.value,
        "data": json.dumps(dumped["data"], ensure_ascii=False, separators=(",", ":")),
    }


def _read_lines(raw: bytes, source: Path) -> tuple[list[JournalRecord], list[JournalProblem]]:
    records: list[JournalRecord] = []
    problems: list[JournalProblem] = []
    lines = raw.split(b"\n")
    last_index = len(lines) - 1  # the piece after the final newline: empty unless the last line is torn
    for index, chunk in enumerate(lines):
        if not chunk.strip():
            continue
        torn = index == last_index
        try:
            records.append(JournalRecord.model_validate_json(chunk))
        except (ValidationError, ValueError) as exc:
            reason = "torn last line (a write interrupted by a crash)" if torn else _short_reason(exc)
            text = chunk[:200].decode("utf-8", errors="replace")
            problems.append(JournalProblem(line_number=index + 1, text=text, reason=reason, torn=torn))
            log.warning("journal %s line %d skipped: %s", source, index + 1, reason)
    return records, problems
