"""A durable, append-only journal of workflow steps per device (JSON lines).

Every :meth:`Journal.append` writes one whole line with a single ``write``, then ``fsync``s the file
(and, when it created the file, its folder) before returning: a step the caller saw recorded survives a crash
or a power cut. Return codes and confirmation codes are written here *before* anything else happens, so an
interrupted workflow resumes without requesting keys twice or losing a return code.

Reading tolerates damage: a torn last line (a crash during a write) or any unreadable line is reported in
:attr:`Journal.problems` and skipped, never fatal; the next append starts on a fresh line.

Appends from threads are serialised by a lock; appends from several processes by ``flock``. A journal reads
the file once when opened and then indexes its own appends: call :meth:`Journal.reload` to see lines other
processes wrote since.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import logging
import math
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path, PurePath
from types import TracebackType
from typing import Any

from pydantic import BaseModel, ConfigDict, JsonValue, ValidationError

from nornir_catlic.durable import fsync_folder
from nornir_catlic.errors import JournalError
from nornir_catlic.workplace import make_folders

try:  # POSIX: serialise appends across processes too.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

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
    """Append-only JSON-lines journal of workflow steps; see the module documentation for the guarantees."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        clock: Callable[[], dt.datetime] = _utc_now,
        known_secrets: Iterable[str] = (),
    ):
        """Open (lazily create) the journal at ``path``.

        Args:
            known_secrets: passwords and the like (from the inventory): any value that contains one is
                refused, whatever its key is called. See also :meth:`forbid`.
        """
        self.path = Path(path)
        self._clock = clock
        self._known_secrets: set[str] = set()
        self.forbid(*known_secrets)
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._records: list[JournalRecord] = []
        self._by_host: dict[str, list[JournalRecord]] = {}
        self._problems: list[JournalProblem] = []
        self.reload()

    # -- writing

    def append(
        self,
        host: str,
        workflow: str,
        step: str,
        status: StepStatus = StepStatus.DONE,
        data: Mapping[str, object] | None = None,
    ) -> JournalRecord:
        """Record one step durably; returns only after the line is on disk.

        Raises:
            JournalError: when ``data`` holds a key named like a secret, a value JSON cannot hold, or the disk
                refuses the write.
        """
        payload = _jsonable(dict(data or {}), "data")
        assert isinstance(payload, dict)
        for where, text in _strings_in(payload, "data"):
            if any(secret in text for secret in self._known_secrets):
                raise JournalError(f"refusing to journal {where}: it contains a known secret")
        record = JournalRecord(
            ts=self._clock(), host=host, workflow=workflow, step=step, status=status, data=payload
        )
        line = json.dumps(record.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")) + "\n"
        with self._lock:
            self._write_line(line.encode("utf-8"))
            self._index(record)
        return record

    def forbid(self, *secrets: str) -> None:
        """Refuse from now on any value containing one of ``secrets`` (ignoring blanks and 1-3 characters,
        which would refuse innocent text)."""
        self._known_secrets.update(secret for secret in secrets if len(secret.strip()) >= 4)

    def _write_line(self, encoded: bytes) -> None:
        try:
            fd = self._open_for_append()
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    encoded = b"\n" + encoded  # a torn line before us: start ours on a fresh line
                view = memoryview(encoded)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                os.fsync(fd)
            finally:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_UN)
        except OSError as exc:
            raise JournalError(f"cannot write the journal {self.path}: {exc}") from exc

    def _open_for_append(self) -> int:
        if self._fd is not None:
            return self._fd
        folder = self.path.parent
        make_folders(folder)  # new folders private (0700): the journal's name says whose codes it holds
        # Read access too: an append first checks that the file's last byte ends a line.
        flags = os.O_RDWR | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
        try:
            self._fd = os.open(self.path, flags | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            self._fd = os.open(self.path, flags)
        else:
            fsync_folder(folder)  # the new name must survive a crash too
        return self._fd

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- reading

    def reload(self) -> None:
        """Read the file again (to see other processes' appends); damaged lines go to :attr:`problems`."""
        # Locked from the read on: an append between the read and the swap would vanish from the index.
        with self._lock:
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                raw = b""
            except OSError as exc:
                raise JournalError(f"cannot read the journal {self.path}: {exc}") from exc
            records, self._problems = self._read_lines(raw)
            self._records = []
            self._by_host = {}
            for record in records:
                self._index(record)

    def _read_lines(self, raw: bytes) -> tuple[list[JournalRecord], list[JournalProblem]]:
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
                log.warning("journal %s line %d skipped: %s", self.path, index + 1, reason)
        return records, problems

    def _index(self, record: JournalRecord) -> None:
        self._records.append(record)
        self._by_host.setdefault(record.host, []).append(record)

    @property
    def problems(self) -> list[JournalProblem]:
        """Lines skipped when the journal was read: torn by a crash, or otherwise unreadable."""
        with self._lock:
            return list(self._problems)

    def records(
        self, host: str | None = None, workflow: str | None = None, step: str | None = None
    ) -> list[JournalRecord]:
        """Records in the order they were written, filtered by any of host, workflow and step."""
        with self._lock:
            pool = list(self._records if host is None else self._by_host.get(host, ()))
        return [
            r
            for r in pool
            if (workflow is None or r.workflow == workflow) and (step is None or r.step == step)
        ]

    def __iter__(self) -> Iterator[JournalRecord]:
        return iter(self.records())

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    def hosts(self) -> list[str]:
        with self._lock:
            return list(self._by_host)

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
