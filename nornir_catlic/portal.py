"""The Cisco Smart Software Manager side of the workflows.

- :class:`SmartSoftwareManager`: the four exchanges a workflow needs from SSM, as a structural Protocol. The
  bundled lab's simulated SSM satisfies it without this library importing the lab; so would a real client.
- :func:`guard_ssm`: wraps any such object so that every failure surfaces as :class:`SsmRequestFailed` (a
  :class:`~nornir_catlic.errors.PortalError`) carrying SSM's message code, e.g. ``ERROR_ALL_COUNTS_IN_USE``.
- :class:`FileDropPortal`: the air-gapped exchange. Workflows submit request, return and usage files to an
  outbox (``outbox/<host>/<file>``) for the operator to upload to SSM; the operator drops SSM's answers into
  ``inbox/<host>/<submission id>/`` (or straight into ``inbox/<host>/`` when one exchange is awaited); the
  workflow collects them, or is told :class:`~nornir_catlic.errors.WaitingForPortal` and resumes later.
- :func:`udis_to_ssm_csv` / :func:`ssm_csv_to_udis`: the CSV that SSM's "Authorize License Enforced Features >
  Multiple Devices" takes, for sites where CSLU or SSM On-Prem pulls from the switches.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import Connection, insert, select, update

from nornir_catlic.domain import split_udi
from nornir_catlic.durable import fsync_folder
from nornir_catlic.errors import PortalError, StoreError, WaitingForPortal
from nornir_catlic.store import Store
from nornir_catlic.store.schema import imports, portal_submissions
from nornir_catlic.workplace import make_folders

# ----------------------------------------------------------------------------------------------------
# The Protocol and its guard


@runtime_checkable
class SmartSoftwareManager(Protocol):
    """What the workflows ask of Cisco SSM. Failures raise; the guard turns them into :class:`PortalError`.

    Optionally, an SSM also tells how many keys the account holds free (:class:`KeyBudgetSource`), so that an
    install checks its key budget before requesting anything; without it the budget is unknown.
    """

    def process_slac_request(self, request_text: str, /) -> dict[str, str]:
        """A SLAC request file (``license smart authorization request save``) in; UDI -> SLAC text out."""
        ...

    def generate_slacs(self, udis: list[tuple[str, str]], /) -> dict[str, str]:
        """ "Multiple Devices": (PID, serial) pairs in; UDI -> SLAC file text out."""
        ...

    def process_return(self, return_text: str, /) -> str:
        """A return code (or the return file) in; the ACK file text out."""
        ...

    def process_usage_report(self, rum_text: str, /) -> str:
        """A RUM usage file in; the ACK file text out."""
        ...


@runtime_checkable
class KeyBudgetSource(Protocol):
    """An optional capability of a :class:`SmartSoftwareManager`: how many keys the account holds free."""

    def free_licenses(self, entitlement: str, /) -> int | None:
        """Free keys of ``entitlement`` (``C9K HSEC``) in the virtual account requests draw from; ``None``
        when unknown."""
        ...


def free_licenses(ssm: object, entitlement: str) -> int | None:
    """Ask ``ssm`` for its free ``entitlement`` keys; ``None`` (budget unknown) when it cannot tell: no such
    method, a failure, or an answer that is not a count."""
    target = ssm.wrapped if isinstance(ssm, GuardedSmartSoftwareManager) else ssm
    if not isinstance(target, KeyBudgetSource):
        return None
    try:
        answer = target.free_licenses(entitlement)
    except Exception:  # any client's failure: the budget is unknown, the workflow goes on as before
        return None
    return answer if isinstance(answer, int) and not isinstance(answer, bool) and answer >= 0 else None


class SsmRequestFailed(PortalError):
    """SSM refused or failed an exchange.

    Attributes:
        operation: the Protocol method that failed.
        message_code: SSM's code (``ERROR_ALL_COUNTS_IN_USE``...), when the failure carried one.
        ssm_message: SSM's own words.
    """

    def __init__(self, operation: str, ssm_message: str, message_code: str | None = None):
        code = f" [{message_code}]" if message_code and message_code not in ssm_message else ""
        super().__init__(f"SSM {operation} failed{code}: {ssm_message}")
        self.operation = operation
        self.message_code = message_code
        self.ssm_message = ssm_message


def message_code_of(error: BaseException) -> str | None:
    """SSM's message code (``ERROR_ALL_COUNTS_IN_USE``...) from an exception's ``message_code`` attribute.

    A client of SSM says which failure it met by that attribute (the lab's ``SSMError`` and the CSSM API
    client's errors carry it); the code is never guessed from an exception's text.
    """
    code = getattr(error, "message_code", None)
    return code if isinstance(code, str) and code else None


class GuardedSmartSoftwareManager:
    """Any object with the four SSM methods, made to fail only with :class:`SsmRequestFailed`."""

    def __init__(self, ssm: SmartSoftwareManager):
        missing = [name for name in _SSM_METHODS if not callable(getattr(ssm, name, None))]
        if missing:
            raise TypeError(
                f"{type(ssm).__name__} is not a SmartSoftwareManager: missing {', '.join(missing)}"
            )
        self.wrapped = ssm

    def process_slac_request(self, request_text: str, /) -> dict[str, str]:
        return _udi_map(self._call("process_slac_request", request_text), "process_slac_request")

    def generate_slacs(self, udis: list[tuple[str, str]], /) -> dict[str, str]:
        return _udi_map(self._call("generate_slacs", list(udis)), "generate_slacs")

    def process_return(self, return_text: str, /) -> str:
        return _text(self._call("process_return", return_text), "process_return")

    def process_usage_report(self, rum_text: str, /) -> str:
        return _text(self._call("process_usage_report", rum_text), "process_usage_report")

    def _call(self, operation: str, argument: object) -> object:
        method: Callable[[object], object] = getattr(self.wrapped, operation)
        try:
            return method(argument)
        except SsmRequestFailed:
            raise
        except Exception as exc:  # any client's failure: keep SSM's words and code, drop the client's type
            raise SsmRequestFailed(operation, str(exc) or type(exc).__name__, message_code_of(exc)) from exc


_SSM_METHODS = ("process_slac_request", "generate_slacs", "process_return", "process_usage_report")


def guard_ssm(ssm: SmartSoftwareManager) -> GuardedSmartSoftwareManager:
    """Wrap the lab's SSM or a real client; idempotent."""
    return ssm if isinstance(ssm, GuardedSmartSoftwareManager) else GuardedSmartSoftwareManager(ssm)


def _udi_map(value: object, operation: str) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise SsmRequestFailed(operation, f"answered {type(value).__name__}, not UDI -> SLAC text")
    return dict(value)


def _text(value: object, operation: str) -> str:
    if not isinstance(value, str):
        raise SsmRequestFailed(operation, f"answered {type(value).__name__}, not the ACK text")
    return value


# ----------------------------------------------------------------------------------------------------
# SSM's "Multiple Devices" CSV

SSM_CSV_HEADER = ("Serial Number", "PID")
"""The two mandatory columns of SSM's template ("Only the serial number and PID are mandatory")."""

_SERIAL_NAMES = {"serialnumber", "serial", "sn", "udiserialnumber", "productinstanceserialnumber"}
_PID_NAMES = {"pid", "productid", "udipid", "productidentifier"}


def udis_to_ssm_csv(udis: Iterable[tuple[str, str] | str]) -> str:
    """The CSV for SSM's "Multiple Devices" SLAC generation: one row per distinct UDI.

    Args:
        udis: (PID, serial) pairs or UDI texts (``PID:C9300X-24HX,SN:FOC2519L8R7``). A UDI seen twice (the two
            supervisors of one chassis) gets one row: one HSECK9 key per UDI.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SSM_CSV_HEADER)
    seen: set[tuple[str, str]] = set()
    for item in udis:
        pid, serial = split_udi(item) if isinstance(item, str) else item
        pid, serial = pid.strip(), serial.strip()
        if not pid or not serial:
            raise PortalError(f"a UDI needs both a PID and a serial number, got {item!r}")
        if (pid, serial) not in seen:
            seen.add((pid, serial))
            writer.writerow((serial, pid))
    return buffer.getvalue()


def ssm_csv_to_udis(text: str) -> list[tuple[str, str]]:
    """(PID, serial) pairs from a Multiple Devices CSV (ours, SSM's template, or an export with more columns).

    Raises:
        PortalError: when the serial number or PID column is missing, or a row lacks one of them.
    """
    rows = [
        row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(cell.strip() for cell in row)
    ]
    if not rows:
        return []
    names = ["".join(ch for ch in cell.lower() if ch.isalnum()) for cell in rows[0]]
    serial_col = next((i for i, name in enumerate(names) if name in _SERIAL_NAMES), None)
    pid_col = next((i for i, name in enumerate(names) if name in _PID_NAMES), None)
    if serial_col is None or pid_col is None:
        raise PortalError(
            f"not an SSM device list: the header {rows[0]!r} lacks a serial number or PID column"
        )
    pairs: dict[tuple[str, str], None] = {}  # ordered and deduplicated in one pass (lists of thousands)
    for number, row in enumerate(rows[1:], start=2):
        serial = row[serial_col].strip() if serial_col < len(row) else ""
        pid = row[pid_col].strip() if pid_col < len(row) else ""
        if not serial or not pid:
            raise PortalError(f"device list row {number} lacks a serial number or PID: {row!r}")
        pairs[(pid, serial)] = None
    return list(pairs)


# ----------------------------------------------------------------------------------------------------
# The file-drop portal for air-gapped sites


class ExchangeKind(str, enum.Enum):
    """What a submission asks of SSM, and so what answer it awaits."""

    SLAC_REQUEST = "slac-request"
    """A saved SLAC request; SSM answers one SLAC file per UDI."""
    SLAC_RETURN = "slac-return"
    """An offline return code or file; SSM answers one ACK file."""
    USAGE_REPORT = "usage-report"
    """A saved RUM report; SSM answers one ACK file."""
    DEVICE_LIST = "device-list"
    """The Multiple Devices CSV; SSM's codes go to CSLU or SSM On-Prem, so nothing need come back here."""


_DEFAULT_NAMES = {
    ExchangeKind.SLAC_REQUEST: "slac-request.txt",
    ExchangeKind.SLAC_RETURN: "slac-return.txt",
    ExchangeKind.USAGE_REPORT: "usage-report.txt",
    ExchangeKind.DEVICE_LIST: "devices.csv",
}
INDEX_FILE = "index.db"
"""The portal's own store, in ``.portal/``: the index travels with the folders."""
_IGNORED_SUFFIXES = (".part", ".crdownload", ".tmp", ".partial", ".download")


class Submission(BaseModel):
    """One file handed to the operator for SSM, and what is expected back."""

    model_config = ConfigDict(frozen=True)

    id: str
    host: str
    kind: ExchangeKind
    file: str
    """Name of the file in ``outbox/<host>/``."""
    udis: tuple[str, ...] = ()
    expected_answers: int
    submitted_at: dt.datetime
    completed_at: dt.datetime | None = None

    @property
    def open(self) -> bool:
        return self.completed_at is None


class AnswerFile(BaseModel):
    """A file SSM produced, as the operator dropped it into the inbox."""

    model_config = ConfigDict(frozen=True)

    name: str
    path: Path
    text: str


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class FileDropPortal:
    """Outbox and inbox folders shared with the operator who carries files to and from Cisco SSM.

    Layout under ``root``: ``outbox/<host>/<file>`` (to upload), ``inbox/<host>/<submission id>/`` (SSM's
    answers), ``OPERATOR.txt`` (what is awaited, rewritten on each change). The index of submissions lives in
    a store (:mod:`nornir_catlic.store`): by default the portal's own, ``.portal/index.db``, so that the
    folders carry it; or a shared one (``store=``), where the portal's rows are keyed by its folder. Each
    submit and complete is one write transaction: processes and threads sharing a portal never submit one
    file twice. Every file is written atomically and fsynced, readable by its owner only (0600; the folders
    the portal makes, 0700): the files hold codes worth money. Records of an older catlic
    (``.portal/<host>/<id>.json``) are imported once.
    """

    returns_confirmed_without_file = False
    """Cisco's API answers it (``--cssm``): a return is confirmed with no ACK file, nothing to import."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        clock: Callable[[], dt.datetime] = _utc_now,
        store: Store | None = None,
    ):
        self.root = Path(root)
        self.outbox = self.root / "outbox"
        self.inbox = self.root / "inbox"
        self._state = self.root / ".portal"
        self._clock = clock
        # Its own index holds no file open between calls: a portal object may live as long as its caller.
        self.store = store if store is not None else Store.at(self._state / INDEX_FILE, keep_open=False)
        self._key = "" if store is None else str(self.root.absolute())
        self._imported = False

    def check_writable(self) -> None:
        """Make the portal's folders and prove a file can be written there, before a switch is asked to save
        anything for it.

        Raises:
            PortalError: naming the folder and the system's reason.
        """
        try:
            for folder in (self.root, self.outbox, self.inbox, self._state):
                make_folders(folder)
            # One name per check: hosts' threads check at once, and must not remove each other's probe.
            probe = self._state / f".probe-{os.getpid()}-{secrets.token_hex(4)}"
            _write_atomically(probe, "", durable=False)
            probe.unlink()
        except (OSError, PortalError) as exc:
            reason = exc.__cause__ if isinstance(exc, PortalError) and exc.__cause__ else exc
            raise PortalError(f"the portal folder {self.root} is not writable: {reason}") from None

    # -- submitting

    def submit(
        self,
        host: str,
        kind: ExchangeKind,
        content: str,
        *,
        udis: Iterable[str] = (),
        filename: str | None = None,
        expected_answers: int | None = None,
    ) -> Submission:
        """Put a file in the outbox for the operator. Submitting the same content again while the first is
        still open returns the first submission (a resumed workflow never asks SSM twice).

        Args:
            udis: the UDIs concerned; a SLAC request awaits one SLAC file per UDI.
            expected_answers: override the number of answer files to wait for.
        """
        _check_name(host, "host")
        with self._writing() as connection:
            return self._submit(connection, host, kind, content, tuple(udis), filename, expected_answers)

    def _submit(
        self,
        connection: Connection,
        host: str,
        kind: ExchangeKind,
        content: str,
        wanted: tuple[str, ...],
        filename: str | None,
        expected_answers: int | None,
    ) -> Submission:
        for existing in self._select(connection, host, awaited=True):
            if existing.kind is kind and existing.udis == wanted and self._outbox_text(existing) == content:
                return existing
        now = self._clock()
        submission_id = f"{now:%Y%m%dT%H%M%S}Z-{kind.value}-{secrets.token_hex(3)}"
        name = _check_name(filename, "file name") if filename else f"{submission_id}-{_DEFAULT_NAMES[kind]}"
        if expected_answers is None:
            expected_answers = _default_answers(kind, wanted)
        submission = Submission(
            id=submission_id,
            host=host,
            kind=kind,
            file=name,
            udis=wanted,
            expected_answers=expected_answers,
            submitted_at=now,
        )
        _write_atomically(self.outbox / host / name, content)
        _make_folders(self.inbox / host / submission_id)
        connection.execute(insert(portal_submissions), [self._row(submission)])
        self._write_operator_summary(connection)
        return submission

    def outbox_path(self, submission: Submission) -> Path:
        return self.outbox / submission.host / submission.file

    def answer_folder(self, submission: Submission) -> Path:
        return self.inbox / submission.host / submission.id

    # -- what is awaited

    def submissions(self, host: str | None = None) -> list[Submission]:
        """Every submission (open or completed), oldest first."""
        self._import_old_records()
        try:
            if not self.store.exists():
                return []
            with self.store.read() as connection:
                return self._select(connection, host)
        except StoreError as error:
            raise PortalError(f"the portal {self.root}: {error}") from error

    def _select(self, connection: Connection, host: str | None, *, awaited: bool = False) -> list[Submission]:
        table = portal_submissions
        query = select(table).where(table.c.portal == self._key).order_by(table.c.submitted_at, table.c.id)
        if host is not None:
            query = query.where(table.c.host == host)
        if awaited:
            query = query.where(table.c.completed_at.is_(None))
        return [
            Submission(
                id=row.id,
                host=row.host,
                kind=ExchangeKind(row.kind),
                file=row.file,
                udis=tuple(json.loads(row.udis)),
                expected_answers=row.expected_answers,
                submitted_at=dt.datetime.fromisoformat(row.submitted_at),
                completed_at=dt.datetime.fromisoformat(row.completed_at) if row.completed_at else None,
            )
            for row in connection.execute(query)
        ]

    def _row(self, submission: Submission) -> dict[str, object]:
        return {
            "portal": self._key,
            "id": submission.id,
            "host": submission.host,
            "kind": submission.kind.value,
            "file": submission.file,
            "udis": json.dumps(list(submission.udis)),
            "expected_answers": submission.expected_answers,
            "submitted_at": submission.submitted_at.isoformat(),
            "completed_at": submission.completed_at.isoformat() if submission.completed_at else None,
        }

    def awaited(self, host: str | None = None) -> list[Submission]:
        """Submissions whose exchange is not completed yet."""
        return [s for s in self.submissions(host) if s.open]

    def find(self, host: str, kind: ExchangeKind) -> Submission | None:
        """The latest open submission of a kind for a host, to resume a parked workflow."""
        matching = [s for s in self.awaited(host) if s.kind is kind]
        return matching[-1] if matching else None

    # -- collecting

    def answers(self, submission: Submission, *, claim: bool = True) -> list[AnswerFile]:
        """The answer files present now (claiming loose files from ``inbox/<host>/`` when unambiguous).

        Args:
            claim: move the loose files into the submission's folder; False (a dry run): count them as
                there, move nothing.
        """
        folder = self.answer_folder(submission)
        files: list[Path] = []
        if claim:
            self._claim_loose_files(submission)
        else:
            files = self._loose_files(submission)
        if folder.is_dir():
            files += [p for p in folder.iterdir() if p.is_file() and _is_answer_name(p.name)]
        files.sort(key=lambda p: p.name)
        return [
            AnswerFile(name=p.name, path=p, text=p.read_text(encoding="utf-8", errors="replace"))
            for p in files
        ]

    def collect(self, submission: Submission, found: list[AnswerFile] | None = None) -> list[AnswerFile]:
        """SSM's answer files, once all expected have arrived; collecting again returns them again.

        Args:
            found: the answers already read (and checked) by the caller; read from the inbox by default.

        Raises:
            WaitingForPortal: fewer files than expected are in the inbox.
        """
        if found is None:
            found = self.answers(submission)
        if len(found) < submission.expected_answers:
            raise WaitingForPortal(
                f"{submission.host}: waiting for SSM's answer to {submission.file} "
                f"({len(found)} of {submission.expected_answers} file(s) in {self.answer_folder(submission)})"
            )
        return found

    def complete(self, submission: Submission) -> Submission:
        """Mark the exchange done (its answers were imported); it is no longer awaited."""
        if not submission.open:
            return submission
        done = submission.model_copy(update={"completed_at": self._clock()})
        table = portal_submissions
        with self._writing() as connection:
            connection.execute(
                update(table)
                .where(
                    table.c.portal == self._key, table.c.id == submission.id, table.c.completed_at.is_(None)
                )
                .values(completed_at=self._row(done)["completed_at"])
            )
            self._write_operator_summary(connection)
        return done

    # -- internals

    def _outbox_text(self, submission: Submission) -> str | None:
        try:
            return self.outbox_path(submission).read_text(encoding="utf-8")
        except OSError:
            return None

    def _loose_files(self, submission: Submission) -> list[Path]:
        """Files straight in ``inbox/<host>/`` that belong to ``submission``: it is the only one open."""
        host_folder = self.inbox / submission.host
        if not host_folder.is_dir():
            return []
        loose = [p for p in host_folder.iterdir() if p.is_file() and _is_answer_name(p.name)]
        if not loose or [s.id for s in self.awaited(submission.host)] != [submission.id]:
            return []  # several exchanges open: a loose file's owner is unknown, the operator decides
        return loose

    def _claim_loose_files(self, submission: Submission) -> None:
        loose = self._loose_files(submission)
        if not loose:
            return
        host_folder = self.inbox / submission.host
        target = self.answer_folder(submission)
        _make_folders(target)
        for path in loose:
            os.replace(path, target / path.name)
        fsync_folder(target)
        fsync_folder(host_folder)

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """One write transaction of the index: submissions and OPERATOR.txt change together."""
        self._import_old_records()
        try:
            with self.store.write() as connection:
                yield connection
        except StoreError as error:
            raise PortalError(f"the portal {self.root}: {error}") from error

    def _import_old_records(self) -> None:
        """Records an older catlic kept as ``.portal/<host>/<id>.json``: into the index, once."""
        if self._imported:
            return
        self._imported = True
        old = sorted(self._state.glob("*/*.json")) if self._state.is_dir() else []
        if not old:
            return
        source = f"portal-json:{self._key}"
        try:
            with self.store.write() as connection:
                if connection.execute(select(imports.c.source).where(imports.c.source == source)).first():
                    return
                mine = select(portal_submissions.c.id).where(portal_submissions.c.portal == self._key)
                known = {row.id for row in connection.execute(mine)}
                records = []
                for path in old:
                    try:
                        records.append(Submission.model_validate_json(path.read_text(encoding="utf-8")))
                    except (OSError, ValidationError) as exc:
                        raise PortalError(f"unreadable portal record {path}: {exc}") from exc
                fresh = [self._row(record) for record in records if record.id not in known]
                if fresh:
                    connection.execute(insert(portal_submissions), fresh)
                connection.execute(
                    insert(imports),
                    [
                        {
                            "source": source,
                            "imported_at": self._clock().isoformat(),
                            "fingerprint": "",
                            "records": len(fresh),
                            "problems": "[]",
                        }
                    ],
                )
        except StoreError as error:
            raise PortalError(f"the portal {self.root}: {error}") from error

    def _write_operator_summary(self, connection: Connection) -> None:
        lines = [
            "Files for Cisco SSM (software.cisco.com > Smart Software Licensing > Reports > Usage Data Files",
            "> Upload Usage Data); drop what SSM gives back into the folder named on the right.",
            "",
        ]
        awaited = self._select(connection, None, awaited=True)
        for s in awaited:
            # Plain strings: this runs on every submit, over the whole fleet.
            lines.append(f"outbox/{s.host}/{s.file}  ->  inbox/{s.host}/{s.id}/  ({_answer_hint(s)})")
        if not awaited:
            lines.append("Nothing is awaited.")
        # Advisory, rebuilt on every change: atomic but not worth an fsync.
        _write_atomically(self.root / "OPERATOR.txt", "\n".join(lines) + "\n", durable=False)


RETURN_ACK_NAME = "return-ack.txt"
USAGE_ACK_NAME = "usage-ack.txt"


def relay_through(
    portal: FileDropPortal, ssm: SmartSoftwareManager, host: str | None = None
) -> list[Submission]:
    """Play the operator: hand every awaited file to ``ssm`` and drop its answers in the inbox.

    For a site where a machine can reach SSM on the air-gapped devices' behalf, and for the lab. Failures
    raise :class:`SsmRequestFailed` with SSM's message code; answers already dropped stay.

    Returns:
        the submissions answered.
    """
    guarded = guard_ssm(ssm)
    answered: list[Submission] = []
    for submission in portal.awaited(host):
        if submission.kind is ExchangeKind.DEVICE_LIST and submission.expected_answers == 0:
            continue
        folder = portal.answer_folder(submission)
        if len(portal.answers(submission)) >= submission.expected_answers:
            continue
        content = portal.outbox_path(submission).read_text(encoding="utf-8")
        if submission.kind is ExchangeKind.SLAC_REQUEST:
            drop_slacs(folder, guarded.process_slac_request(content))
        elif submission.kind is ExchangeKind.DEVICE_LIST:
            drop_slacs(folder, guarded.generate_slacs(ssm_csv_to_udis(content)))
        elif submission.kind is ExchangeKind.SLAC_RETURN:
            ack = guarded.process_return(content)
            if not ack.strip():  # Cisco's API confirms a return with no file: nothing a switch could import
                raise PortalError(
                    f"{submission.host}: SSM confirmed the return of {', '.join(submission.udis)} "
                    "without an ACK file; the return is done at SSM (the journal keeps the codes). Return "
                    "through nornir_catlic.cssm.relay.CssmRelay (what `catlic slac return --offline --cssm` "
                    "does), which records the confirmation instead of importing a file"
                )
            drop_ack(folder, RETURN_ACK_NAME, ack)
        else:
            drop_ack(folder, USAGE_ACK_NAME, guarded.process_usage_report(content))
        answered.append(submission)
    return answered


def drop_slacs(folder: Path, slacs: Mapping[str, str]) -> None:
    """Write SSM's SLACs into an answer folder, one file per UDI (:func:`slac_file_name`), atomically."""
    for udi, text in slacs.items():
        _write_atomically(folder / slac_file_name(udi), text)


def drop_ack(folder: Path, name: str, text: str) -> None:
    """Write SSM's ACK into an answer folder as ``name``, atomically and durably."""
    _write_atomically(folder / name, text)


def slac_file_name(udi: str) -> str:
    """``SLAC-<pid>-<serial>.txt``: the name a relayed SLAC gets in its answer folder."""
    try:
        pid, serial = split_udi(udi)
    except ValueError:
        pid, serial = "UDI", udi
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in f"SLAC-{pid}-{serial}") + ".txt"


def _default_answers(kind: ExchangeKind, udis: tuple[str, ...]) -> int:
    if kind is ExchangeKind.SLAC_REQUEST:
        return max(1, len(set(udis)))
    if kind is ExchangeKind.DEVICE_LIST:
        return 0
    return 1


def _answer_hint(submission: Submission) -> str:
    if submission.kind is ExchangeKind.SLAC_REQUEST:
        return f"{submission.expected_answers} SLAC file(s), one per UDI"
    if submission.kind is ExchangeKind.DEVICE_LIST:
        return "Inventory > Product Instances > Authorize License Enforced Features > Multiple Devices"
    return "the ACK file"


def _is_answer_name(name: str) -> bool:
    return not name.startswith((".", "~")) and not name.lower().endswith(_IGNORED_SUFFIXES)


def _check_name(name: str, what: str) -> str:
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise PortalError(f"{name!r} cannot be a {what} in the portal's folders")
    return name


def _make_folders(folder: Path) -> None:
    try:
        make_folders(folder)
    except OSError as exc:
        raise PortalError(f"cannot make the folder {folder}: {exc}") from exc


def _write_atomically(path: Path, text: str, *, durable: bool = True) -> None:
    """Write to a temporary name (0600), fsync, rename over, fsync the folder: readers see all or nothing."""
    _make_folders(path.parent)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        with open(os.open(temporary, flags, 0o600), "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise PortalError(f"cannot write {path}: {exc}") from exc
    if durable:
        fsync_folder(path.parent)


__all__ = [
    "SSM_CSV_HEADER",
    "AnswerFile",
    "ExchangeKind",
    "FileDropPortal",
    "GuardedSmartSoftwareManager",
    "SmartSoftwareManager",
    "SsmRequestFailed",
    "Submission",
    "drop_ack",
    "drop_slacs",
    "guard_ssm",
    "message_code_of",
    "relay_through",
    "slac_file_name",
    "ssm_csv_to_udis",
    "udis_to_ssm_csv",
]
