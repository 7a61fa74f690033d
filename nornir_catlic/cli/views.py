"""Tables for the workflows' results: license state, findings, HSECK9 readiness, boot level changes.

Each view takes a :class:`WorkflowRun` and returns something rich can print. Failed hosts are left out:
they are reported on stderr, one line each, and in the recap. Every table is a
:class:`~nornir_catlic.cli.tables.WholeWordsTable`: no serial, UDI, level or code is ever cut.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from nornir_catlic.cli.outcome import WorkflowRun
from nornir_catlic.cli.output import status_text
from nornir_catlic.cli.tables import titled_table
from nornir_catlic.models.common import LocalTime
from nornir_catlic.models.state import LicenseState
from nornir_catlic.rules.findings import Finding, Severity
from nornir_catlic.tasks.audit import DeviceAudit
from nornir_catlic.tasks.boot_level import BootLevelChange
from nornir_catlic.tasks.check import HseckCheck
from nornir_catlic.tasks.release import HsecRelease
from nornir_catlic.tasks.reporting import CodeVerification, UsageReport
from nornir_catlic.tasks.slac import SlacInstall, SlacReturn
from nornir_catlic.tasks.stack import StackAddition

T = TypeVar("T")

SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.ERROR: "red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}


def results_of(run: WorkflowRun, kind: type[T]) -> Iterator[tuple[str, T]]:
    """``(host, result)`` for each host whose workflow succeeded with a result of type ``kind``."""
    for host, outcome in run.outcomes.items():
        if outcome.ok and isinstance(outcome.result, kind):
            yield host, outcome.result


Cell = str | Text


def status_table(
    run: WorkflowRun,
    kind: type[T],
    title: str,
    columns: tuple[str, ...],
    cells: Callable[[T], Sequence[Cell]],
    *,
    resumed: Callable[[T], bool] | None = None,
) -> Table | None:
    """One row a host whose workflow gave a ``kind``: the host, its status, then ``cells`` of its result;
    None when no host did."""
    results = list(results_of(run, kind))
    if not results:
        return None
    table = titled_table(title, ("Host", "Status", *columns))
    for host, result in results:
        status = status_text(run.outcomes[host], dry_run=run.dry_run)
        if resumed is not None and resumed(result):
            status.append(" (resumed)", style="cyan")
        table.add_row(host, status, *cells(result))
    return table


def when(value: dt.datetime | LocalTime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z").strip()
    return str(value)


def _plain(value: object) -> str:
    return "" if value is None else str(getattr(value, "value", value))


# ---------------------------------------------------------------------------------------------- state


def state_view(run: WorkflowRun) -> RenderableType | None:
    """One row per device, then one row per UDI holder (stack member, supervisor, SVL chassis)."""
    devices = titled_table(
        "License state",
        (
            "Host",
            "PID",
            "Release",
            "Boot level",
            "After reload",
            "Transport",
            "HSECK9",
            "SLACs",
            "Next ACK deadline",
        ),
    )
    members = titled_table(
        "Members", ("Host", "Sw", "Serial", "PID", "Role", "SLAC", "Confirmation code", "Last return code")
    )
    states = list(results_of(run, LicenseState))
    if not states:
        return None
    for host, state in states:
        devices.add_row(*_state_row(host, state))
        for member in state.members.values():
            members.add_row(
                host,
                _plain(member.switch_number),
                member.serial,
                member.pid,
                "/".join(role.value for role in member.roles),
                Text(_plain(member.slac_status), style="green" if member.slac_installed else ""),
                member.confirmation_code or "",
                member.last_return_code or "",
            )
    return Group(devices, members)


def _state_row(host: str, state: LicenseState) -> list[str | Text]:
    boot = state.boot_level
    now = " + ".join(boot.current)
    after = " + ".join(boot.next_reboot) if boot.pending_reload else ""
    hsec = f"{state.hsec.authorized_count} authorized"
    if state.hsec.usage_status is not None:
        hsec += f", {state.hsec.usage_status.value.lower()}"
    installed = sum(1 for member in state.members.values() if member.slac_installed)
    slacs = Text(
        f"{installed}/{len(state.members)}", style="green" if installed == len(state.members) else ""
    )
    transport = _plain(state.transport.type) if state.transport else ""
    return [
        host,
        state.chassis_pid or (state.udi.pid if state.udi else ""),
        state.release or "",
        now,
        Text(after, style="yellow") if after else "",
        transport,
        hsec,
        slacs,
        when(state.next_ack_deadline),
    ]


# ---------------------------------------------------------------------------------------------- findings


def findings_table(rows: list[tuple[str, Finding]], *, title: str) -> Table:
    table = titled_table(title, ("Host", "Severity", "Code", "Subject", "Finding", "Remedy"))
    ordered = sorted(rows, key=lambda row: (-row[1].severity.rank, row[0], row[1].code))
    for host, finding in ordered:
        table.add_row(
            host,
            Text(finding.severity.value, style=SEVERITY_STYLE[finding.severity]),
            finding.code,
            finding.subject,
            finding.message,
            finding.remedy,
        )
    return table


def severity_counts(findings: list[Finding]) -> str:
    counts = Counter(finding.severity for finding in findings)
    return ", ".join(
        f"{counts[severity]} {severity.value}" for severity in reversed(Severity) if counts[severity]
    )


def audit_view(run: WorkflowRun) -> RenderableType | None:
    audits = list(results_of(run, DeviceAudit))
    rows = [(host, finding) for host, audit in audits for finding in audit.findings]
    clean = [host for host, audit in audits if not audit.findings]
    summary = Text(
        f"{len(audits)} of {len(run.outcomes)} hosts audited: "
        + (severity_counts([finding for _, finding in rows]) or "no finding")
        + (f"; clean: {len(clean)}" if clean else "")
    )
    if not rows:
        return summary
    return Group(findings_table(rows, title="Audit findings"), summary)


def any_critical(run: WorkflowRun) -> bool:
    """An audit or HSECK9 check found something critical on some host (exit code 2)."""
    reports: list[tuple[str, DeviceAudit | HseckCheck]] = [
        *results_of(run, DeviceAudit),
        *results_of(run, HseckCheck),
    ]
    return any(finding.severity is Severity.CRITICAL for _, report in reports for finding in report.findings)


AUDIT_CSV_COLUMNS = ("host", "severity", "code", "subject", "message", "remedy", "reference")


def audit_csv(run: WorkflowRun) -> str:
    """The audit's findings as CSV, one row per finding; a host that could not be audited is one row too."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(AUDIT_CSV_COLUMNS)
    for host, outcome in run.outcomes.items():
        if not outcome.ok:
            writer.writerow([host, "failed", "NOT_AUDITED", host, outcome.error or "", "", ""])
            continue
        if isinstance(outcome.result, DeviceAudit):
            for finding in outcome.result.findings:
                writer.writerow(
                    [
                        host,
                        finding.severity.value,
                        finding.code,
                        finding.subject,
                        finding.message,
                        finding.remedy,
                        finding.reference,
                    ]
                )
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- HSECK9 check


def check_view(run: WorkflowRun) -> RenderableType | None:
    readiness = titled_table(
        "HSECK9 readiness",
        ("Host", "Ready", "Worst", "Crypto configured", "Keys needed (recommended)", "Why"),
    )
    rows: list[tuple[str, Finding]] = []
    checks = list(results_of(run, HseckCheck))
    if not checks:
        return None
    for host, check in checks:
        plan = check.key_plan
        readiness.add_row(
            host,
            Text("yes", style="green") if check.ready else Text("no", style="red"),
            Text(_plain(check.worst), style=SEVERITY_STYLE.get(check.worst, "")) if check.worst else "",
            {True: "yes", False: "no", None: ""}[check.crypto_configured],
            "\n".join(plan.recommended) if plan else "none: the key cannot be used here",
            plan.reason if plan else "",
        )
        rows.extend((host, finding) for finding in check.findings)
    if not rows:
        return readiness
    return Group(readiness, findings_table(rows, title="Findings"))


# ---------------------------------------------------------------------------------------------- boot level


def boot_level_view(run: WorkflowRun) -> RenderableType | None:
    return status_table(
        run,
        BootLevelChange,
        "License boot level",
        ("Wanted", "Running before", "Running now", "After reload", "Reloaded"),
        _boot_level_cells,
    )


def _boot_level_cells(change: BootLevelChange) -> list[Cell]:
    after = _plain(change.next_reload) if change.pending_reload else ""
    return [
        str(change.wanted),
        _plain(change.running_before),
        _plain(change.running),
        Text(after, style="yellow") if after else "",
        "yes" if change.reloaded else "",
    ]


# ---------------------------------------------------------------------------------------------- SLACs


def _codes(codes: dict[str, str]) -> str:
    return "\n".join(f"{udi}: {code}" for udi, code in codes.items())


def slac_install_view(run: WorkflowRun) -> RenderableType | None:
    return status_table(
        run,
        SlacInstall,
        "SLAC install",
        ("Mode", "Request", "UDIs requested", "Confirmation codes", "Returned first"),
        lambda install: [
            _plain(install.mode),
            " ".join(_plain(part) for part in (install.action, install.scope) if part is not None),
            "\n".join(install.requested),
            _codes(install.codes),
            _codes(install.returned),
        ],
        resumed=lambda install: install.resumed,
    )


def slac_return_view(run: WorkflowRun) -> RenderableType | None:
    return status_table(
        run,
        SlacReturn,
        "SLAC return",
        ("Mode", "Scope", "Return codes", "Acknowledged by SSM", "Forced release"),
        lambda returned: [
            _plain(returned.mode),
            _plain(returned.scope),
            _codes(returned.return_codes),
            "\n".join(returned.acknowledged),
            "yes" if returned.released else "",
        ],
        resumed=lambda returned: returned.resumed,
    )


def hsec_release_view(run: WorkflowRun) -> RenderableType | None:
    return status_table(
        run,
        HsecRelease,
        "HSECK9 forced release",
        ("In use before", "Command", "Device reply"),
        lambda release: [
            "yes" if release.in_use_before else "no",
            release.command or "",
            release.device_reply.strip(),
        ],
    )


# ---------------------------------------------------------------------------------------------- stack, usage


def stack_add_view(run: WorkflowRun) -> RenderableType | None:
    return status_table(
        run,
        StackAddition,
        "Stack member addition",
        ("Method", "Member", "Joined", "Confirmation code", "SLAC"),
        lambda addition: [
            _plain(addition.method),
            addition.member_udi or addition.member_serial,
            "yes" if addition.joined else "no",
            addition.confirmation_code or "",
            _stack_slac(addition),
        ],
    )


def _stack_slac(addition: StackAddition) -> str:
    if addition.install is not None:
        return "replaced for every member: " + ", ".join(addition.install.requested or addition.install.codes)
    return "kept from the standalone" if addition.retained else ""


def usage_report_view(run: WorkflowRun) -> RenderableType | None:
    return status_table(
        run,
        UsageReport,
        "Usage reporting",
        ("Mode", "Reported", "Last ACK received", "Next ACK deadline"),
        lambda report: [
            _plain(report.mode) + (" (REST)" if report.transport == "rest" else ""),
            "yes" if report.reported else ("nothing to report" if report.nothing_to_report else "not due"),
            when(report.last_ack_received),
            when(report.next_ack_deadline),
        ],
    )


def verification_view(verification: CodeVerification) -> RenderableType:
    """Each expected UDI with its confirmation code, or the reason it has none."""
    table = titled_table("SLAC per UDI of the device list", ("UDI", "Confirmation code", "Check"))
    for udi, code in verification.codes.items():
        mismatch = verification.mismatched.get(udi)
        check = Text(f"SSM issued {mismatch[0]}", style="red") if mismatch else Text("ok", style="green")
        table.add_row(udi, code, check)
    for udi in verification.missing:
        table.add_row(udi, "", Text("no SLAC", style="red"))
    verdict = (
        "every UDI holds a SLAC" if verification.ok else f"{len(verification.missing)} UDI(s) without a SLAC"
    )
    return Group(table, Text(verdict, style="green" if verification.ok else "red"))
