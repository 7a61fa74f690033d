"""The SSM side: the Protocol the lab's SSM satisfies, its guard, the file drop and SSM's device CSV."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest

from nornir_catlic.errors import PortalError, WaitingForPortal
from nornir_catlic.portal import (
    SSM_CSV_HEADER,
    ExchangeKind,
    FileDropPortal,
    SmartSoftwareManager,
    SsmRequestFailed,
    guard_ssm,
    message_code_of,
    relay_through,
    ssm_csv_to_udis,
    udis_to_ssm_csv,
)
from virtual_devices import licfiles
from virtual_devices.ssm import SimulatedSSM

# The guide's C9300X stack and StackWise Virtual chassis.
STACK = [("C9300X-24HX", "FOC2519L8R7"), ("C9300X-48HXN", "FOC2524L39P"), ("C9300X-48HX", "FOC2516LC92")]
STACK_UDIS = [licfiles.udi_text(pid, serial) for pid, serial in STACK]
SVL = [("C9407R", "FXS221500CT"), ("C9407R", "FXS221500BN")]


@pytest.fixture
def lab_ssm(tmp_path: Path) -> SimulatedSSM:
    ssm = SimulatedSSM(tmp_path / "ssm.sqlite")
    ssm.add_account("Eg-SA", "Eg-VA", {"C9K HSEC": 3})
    return ssm


def hsec_in_use(ssm: SimulatedSSM) -> int:
    return sum(pool.in_use for pool in ssm.pools())


# ------------------------------------------------------------------------------ Protocol and guard


def test_the_labs_ssm_satisfies_the_protocol_structurally(lab_ssm: SimulatedSSM) -> None:
    assert isinstance(lab_ssm, SmartSoftwareManager)
    assert not isinstance(object(), SmartSoftwareManager)


def test_guard_turns_all_counts_in_use_into_a_portal_error_with_ssms_code(lab_ssm: SimulatedSSM) -> None:
    # The guide's example: two chassis UDIs, too few HSECK9 keys in the Smart Account / Virtual Account.
    lab_ssm.set_pool("Eg-SA", "Eg-VA", "C9K HSEC", 1)
    with pytest.raises(SsmRequestFailed) as failure:
        guard_ssm(lab_ssm).generate_slacs(SVL)
    assert isinstance(failure.value, PortalError)
    assert failure.value.message_code == "ERROR_ALL_COUNTS_IN_USE"
    assert failure.value.operation == "generate_slacs"
    assert "in use" in failure.value.ssm_message
    assert hsec_in_use(lab_ssm) == 0  # all or nothing: the pool never goes negative


def test_guard_passes_answers_through(lab_ssm: SimulatedSSM) -> None:
    slacs = guard_ssm(lab_ssm).generate_slacs(STACK)
    assert sorted(slacs) == sorted(STACK_UDIS)  # one SLAC per UDI
    assert hsec_in_use(lab_ssm) == 3


class _ClientError(Exception):
    def __init__(self, text: str, message_code: str | None = None) -> None:
        super().__init__(text)
        if message_code is not None:
            self.message_code = message_code


class _BrokenClient:
    def __init__(self, answer: object = None, error: Exception | None = None):
        self.answer, self.error = answer, error

    def _reply(self, _: object) -> object:
        if self.error:
            raise self.error
        return self.answer

    process_slac_request = generate_slacs = process_return = process_usage_report = _reply


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (
            _ClientError(
                "FAILED: return code matches no reservation", message_code="ERROR_INVALID_RETURN_CODE"
            ),
            "ERROR_INVALID_RETURN_CODE",
        ),
        # A code only in the text is not read: an error's wording is no interface.
        (_ClientError("FAILED: ERROR_INVALID_RETURN_CODE, return code matches no reservation"), None),
        (_ClientError("connection reset by peer"), None),
    ],
)
def test_guard_takes_the_message_code_from_the_clients_error(error: Exception, code: str | None) -> None:
    with pytest.raises(SsmRequestFailed) as failure:
        guard_ssm(_BrokenClient(error=error)).process_return("Cr9JHx-...")
    assert failure.value.message_code == code
    assert str(error) in str(failure.value)
    assert message_code_of(error) == code


@pytest.mark.parametrize(
    ("operation", "answer"),
    [
        ("generate_slacs", ["not", "a", "map"]),
        ("process_usage_report", {"ack": 1}),
        ("process_slac_request", {1: 2}),
    ],
)
def test_guard_refuses_answers_of_the_wrong_shape(operation: str, answer: object) -> None:
    guarded = guard_ssm(_BrokenClient(answer=answer))
    with pytest.raises(SsmRequestFailed, match="answered"):
        getattr(guarded, operation)([] if operation == "generate_slacs" else "text")


def test_guard_refuses_an_object_without_the_four_methods() -> None:
    with pytest.raises(TypeError, match="process_return"):
        guard_ssm(type("Half", (), {"generate_slacs": lambda self, u: {}})())  # type: ignore[arg-type]


def test_guard_is_idempotent(lab_ssm: SimulatedSSM) -> None:
    once = guard_ssm(lab_ssm)
    assert guard_ssm(once) is once


# ------------------------------------------------------------------------- SSM's Multiple Devices CSV


def test_csv_for_multiple_devices_has_one_row_per_udi() -> None:
    # "Only the serial number and PID are mandatory";
    # "For the C9K HSEC license, one SLAC is required for each UDI".
    dual_supervisor = ["PID:C9606R,SN:FXS241201WP", "PID:C9606R,SN:FXS241201WP"]
    text = udis_to_ssm_csv([*STACK, *dual_supervisor])
    lines = text.splitlines()
    assert lines[0] == ",".join(SSM_CSV_HEADER) == "Serial Number,PID"
    assert lines[1:] == [
        "FOC2519L8R7,C9300X-24HX",
        "FOC2524L39P,C9300X-48HXN",
        "FOC2516LC92,C9300X-48HX",
        "FXS241201WP,C9606R",  # same chassis UDI for both supervisors: one row, one key
    ]
    assert ssm_csv_to_udis(text) == [*STACK, ("C9606R", "FXS241201WP")]


def test_csv_reader_accepts_the_template_as_spreadsheets_save_it() -> None:
    exported = "\ufeffPID,Serial Number,Host Name\r\nC9300X-24HX,FOC2519L8R7,stack1\r\n,,\r\n"
    assert ssm_csv_to_udis(exported) == [("C9300X-24HX", "FOC2519L8R7")]
    assert ssm_csv_to_udis("UDI_PID,UDI_SERIAL_NUMBER\nC9407R,FXS221500CT\n") == [("C9407R", "FXS221500CT")]


def test_csv_reader_keeps_one_pair_per_udi_in_first_seen_order() -> None:
    # An operator's list may name both supervisors of a chassis: one UDI, one key.
    text = "Serial Number,PID\nFXS241201WP,C9606R\nFOC2519L8R7,C9300X-24HX\nFXS241201WP,C9606R\n"
    assert ssm_csv_to_udis(text) == [("C9606R", "FXS241201WP"), ("C9300X-24HX", "FOC2519L8R7")]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Hostname,PID\nstack1,C9300X-24HX\n", "lacks a serial number or PID column"),
        ("Serial Number,PID\nFOC2519L8R7,\n", "row 2 lacks"),
    ],
)
def test_csv_reader_refuses_incomplete_lists(text: str, problem: str) -> None:
    with pytest.raises(PortalError, match=problem):
        ssm_csv_to_udis(text)


def test_csv_writer_refuses_a_udi_without_serial() -> None:
    with pytest.raises(PortalError):
        udis_to_ssm_csv([("C9300X-24HX", " ")])


# --------------------------------------------------------------------------------- the file drop


def test_air_gapped_slac_request_waits_for_one_slac_file_per_udi(tmp_path: Path) -> None:
    portal = FileDropPortal(tmp_path / "portal")
    submission = portal.submit(
        "stack1", ExchangeKind.SLAC_REQUEST, "<smartLicense>request</smartLicense>", udis=STACK_UDIS
    )
    outbox_file = tmp_path / "portal" / "outbox" / "stack1" / submission.file
    assert outbox_file.read_text() == "<smartLicense>request</smartLicense>"
    assert portal.awaited() == [submission]
    assert "outbox/stack1/" in (tmp_path / "portal" / "OPERATOR.txt").read_text()

    with pytest.raises(WaitingForPortal, match="0 of 3"):
        portal.collect(submission)
    answers = portal.answer_folder(submission)
    (answers / "SLAC-FOC2519L8R7.txt").write_text("slac 1")
    (answers / "SLAC-FOC2524L39P.txt").write_text("slac 2")
    (answers / "SLAC-FOC2516LC92.txt.crdownload").write_text("half a download")
    (answers / ".SLAC-FOC2516LC92.txt.swp").write_text("an editor's file")
    with pytest.raises(WaitingForPortal, match="2 of 3"):
        portal.collect(submission)
    (answers / "SLAC-FOC2516LC92.txt").write_text("slac 3")

    collected = portal.collect(submission)
    assert [a.text for a in collected] == ["slac 3", "slac 1", "slac 2"]  # by name: import one at a time
    assert portal.collect(submission) == collected  # collecting again is harmless until completed

    portal.complete(submission)
    assert portal.awaited() == []
    assert "Nothing is awaited." in (tmp_path / "portal" / "OPERATOR.txt").read_text()


def test_a_resumed_workflow_finds_its_submission_and_never_submits_twice(tmp_path: Path) -> None:
    first = FileDropPortal(tmp_path).submit("sw1", ExchangeKind.SLAC_RETURN, "Return code: Cr9JHx-L1x5Rj")
    restarted = FileDropPortal(tmp_path)  # another process, after a crash
    assert restarted.find("sw1", ExchangeKind.SLAC_RETURN) == first
    assert restarted.submit("sw1", ExchangeKind.SLAC_RETURN, "Return code: Cr9JHx-L1x5Rj") == first
    other = restarted.submit("sw1", ExchangeKind.USAGE_REPORT, "<rum/>")
    assert other.id != first.id
    assert [s.kind for s in restarted.awaited("sw1")] == [ExchangeKind.SLAC_RETURN, ExchangeKind.USAGE_REPORT]
    assert len(list((tmp_path / "outbox" / "sw1").iterdir())) == 2


def test_a_loose_answer_is_claimed_only_when_its_owner_is_unambiguous(tmp_path: Path) -> None:
    portal = FileDropPortal(tmp_path)
    usage = portal.submit("sw1", ExchangeKind.USAGE_REPORT, "<rum/>")
    (tmp_path / "inbox" / "sw1" / "ACK_sw1.txt").write_text("ack")
    [answer] = portal.collect(usage)
    assert answer.text == "ack" and answer.path.parent == portal.answer_folder(usage)

    ret = portal.submit("sw1", ExchangeKind.SLAC_RETURN, "Return code: X")
    portal.submit("sw1", ExchangeKind.SLAC_REQUEST, "<request/>", udis=STACK_UDIS[:1])
    (tmp_path / "inbox" / "sw1" / "ACK_return.txt").write_text("ack 2")
    with pytest.raises(WaitingForPortal):
        portal.collect(ret)  # two exchanges open: the loose file stays for the operator to place
    assert (tmp_path / "inbox" / "sw1" / "ACK_return.txt").exists()


@pytest.mark.parametrize("host", ["../etc", "a/b", "", ".."])
def test_host_names_cannot_escape_the_portal(tmp_path: Path, host: str) -> None:
    with pytest.raises(PortalError):
        FileDropPortal(tmp_path).submit(host, ExchangeKind.USAGE_REPORT, "<rum/>")


def test_relay_plays_the_operator_with_the_labs_ssm(tmp_path: Path, lab_ssm: SimulatedSSM) -> None:
    portal = FileDropPortal(tmp_path)
    # The switch's saved SLAC request (license smart authorization request save bootflash:slac.txt).
    request = licfiles.request_file(
        {"hostname": "stack1", "udi": STACK_UDIS[0]},
        [
            {
                "udi": udi,
                "mode": "add",
                "keys": [
                    {
                        "entitlement": "regid.2021-05.com.cisco.C9K_HSEC,1.0_90fdf411-"
                        "3823-45bd-bd8c-5a5d0e0e1ea2",
                        "count": 1,
                    }
                ],
            }
            for udi in STACK_UDIS
        ],
    )
    slac_request = portal.submit("stack1", ExchangeKind.SLAC_REQUEST, request, udis=STACK_UDIS)
    devices = portal.submit("fleet", ExchangeKind.DEVICE_LIST, udis_to_ssm_csv(SVL[:1]))

    answered = relay_through(portal, lab_ssm)
    assert [s.id for s in answered] == [slac_request.id]  # the device list goes to CSLU/On-Prem, not here
    slacs = portal.collect(slac_request)
    assert len(slacs) == 3
    assert {licfiles.parse_slac(licfiles.read_envelope(a.text)[1]).udi for a in slacs} == set(STACK_UDIS)
    assert relay_through(portal, lab_ssm) == []  # answered already: SSM is not asked twice
    assert hsec_in_use(lab_ssm) == 3

    # An offline return of the active's key, handed over as the device printed it.
    active_slac = next(a for a in slacs if "FOC2519L8R7" in a.name)
    slac = licfiles.parse_slac(licfiles.read_envelope(active_slac.text)[1])
    printed = licfiles.return_text([(slac.udi, licfiles.return_code(slac.authorization_code, slac.udi))])
    portal.complete(slac_request)
    returned = portal.submit("stack1", ExchangeKind.SLAC_RETURN, printed)
    relay_through(portal, lab_ssm, host="stack1")
    [ack] = portal.collect(returned)
    assert licfiles.read_envelope(ack.text)[0] == "smartLicenseAck"
    assert hsec_in_use(lab_ssm) == 2
    assert portal.awaited("fleet") == [devices]


def test_relay_reports_ssms_refusal_with_its_code(tmp_path: Path, lab_ssm: SimulatedSSM) -> None:
    portal = FileDropPortal(tmp_path)
    portal.submit(
        "stack1",
        ExchangeKind.SLAC_RETURN,
        "Return code: AAAAAA-AAAAAA-AAAAAA-AAAAAA-AAAAAA-AAAAAA-AAAAAA-AAAAAA-AAA",
    )
    with pytest.raises(SsmRequestFailed) as failure:
        relay_through(portal, lab_ssm)
    assert failure.value.message_code == "ERROR_INVALID_RETURN_CODE"


def test_a_return_ssm_confirms_without_a_file_is_refused_not_imported_empty(tmp_path: Path) -> None:
    # Cisco's API answers a return with no file: an empty ACK must never reach a switch's import.
    portal = FileDropPortal(tmp_path)
    submission = portal.submit(
        "stack1", ExchangeKind.SLAC_RETURN, "Return code: Cr9JHx-...", udis=[STACK_UDIS[0]]
    )
    with pytest.raises(PortalError, match=r"stack1: SSM confirmed the return of .* without an ACK file"):
        relay_through(portal, _BrokenClient(answer=""))
    assert portal.answers(submission, claim=False) == []


def test_threads_submit_for_their_hosts_at_once(tmp_path: Path) -> None:
    # Nornir runs one thread per host: every submission is kept and the operator's list names them all.
    portal = FileDropPortal(tmp_path)
    start = threading.Barrier(8)

    def submit(index: int) -> None:
        start.wait()
        for round_ in range(3):
            portal.submit(f"sw{index}-{round_}", ExchangeKind.USAGE_REPORT, f"<rum>{index}</rum>")
            portal.submit(f"sw{index}-{round_}", ExchangeKind.USAGE_REPORT, f"<rum>{index}</rum>")  # a retry

    workers = [threading.Thread(target=submit, args=(i,)) for i in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(FileDropPortal(tmp_path).awaited()) == 24
    summary = (tmp_path / "OPERATOR.txt").read_text()
    assert sum("usage-report.txt  ->  inbox/" in line for line in summary.splitlines()) == 24


def test_the_portal_is_made_private_and_proven_writable_before_use(tmp_path: Path) -> None:
    portal = FileDropPortal(tmp_path / "new" / "portal")
    portal.check_writable()
    for folder in (tmp_path / "new", portal.root, portal.outbox, portal.inbox, portal.root / ".portal"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert [p.name for p in (portal.root / ".portal").iterdir()] == [], "the probe is gone"

    submission = portal.submit("sw1", ExchangeKind.SLAC_RETURN, "Return code: Cr9JHx-L1x5Rj")
    written = [portal.outbox_path(submission), portal.root / "OPERATOR.txt"]
    written += list((portal.root / ".portal").rglob("*.json"))
    assert {stat.S_IMODE(p.stat().st_mode) for p in written} == {0o600}
    assert stat.S_IMODE(portal.answer_folder(submission).stat().st_mode) == 0o700


def test_hosts_checking_one_portal_at_once_all_find_it_writable(tmp_path: Path) -> None:
    """Nornir checks the portal from each host's thread: one host's probe is not another's."""
    failures: list[Exception] = []
    start = threading.Barrier(8)

    def check() -> None:
        portal = FileDropPortal(tmp_path / "portal")
        start.wait()
        try:
            for _ in range(50):
                portal.check_writable()
        except PortalError as error:
            failures.append(error)

    threads = [threading.Thread(target=check) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert list((tmp_path / "portal" / ".portal").iterdir()) == [], "every probe is gone"


def test_a_portal_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    portal = FileDropPortal(tmp_path / "a-file" / "portal")
    with pytest.raises(
        PortalError, match=f"the portal folder {tmp_path / 'a-file' / 'portal'} is not writable"
    ):
        portal.check_writable()
