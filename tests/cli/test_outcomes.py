"""How Nornir results become one-line errors, recap counts and exit codes (in-process, no device).

The process tests cover these paths end to end; a critical audit finding cannot be produced by the lab
(it refuses crypto without a SLAC), so exit code 2 is checked here on a constructed audit.
"""

from __future__ import annotations

import datetime as dt
import io

from nornir.core.inventory import Host
from nornir.core.task import MultiResult, Result
from rich.console import Console

from nornir_catlic.cli.errors import ExitCode, in_cli_words
from nornir_catlic.cli.outcome import HostOutcome, WorkflowRun, outcome_of
from nornir_catlic.cli.output import print_host_errors, print_recap, recap_lines
from nornir_catlic.cli.views import any_critical
from nornir_catlic.cli.workflow import exit_code_of
from nornir_catlic.errors import DeviceCommandError, WaitingForPortal, WorkflowFailed
from nornir_catlic.models.state import LicenseState
from nornir_catlic.rules.codes import FindingCode
from nornir_catlic.rules.findings import Finding, Severity
from nornir_catlic.tasks.audit import DeviceAudit


def failed_with(host: str, error: Exception) -> MultiResult:
    multi = MultiResult("workflow")
    multi.append(
        Result(Host(host), exception=error, result="Traceback (most recent call last): ...", failed=True)
    )
    return multi


def test_a_workflow_failure_is_one_line_with_the_device_words_and_the_remedy() -> None:
    error = WorkflowFailed(
        "c9407r-svl",
        "SSM refused the SLAC request",
        device_words="%SMART_LIC-3-AUTHORIZATION_INSTALL_FAILED: ... ERROR_ALL_COUNTS_IN_USE",
        remedy="return the active's SLAC, then request for all again",
    )

    outcome = outcome_of("c9407r-svl", failed_with("c9407r-svl", error))

    assert outcome.error == (
        "SSM refused the SLAC request; device: %SMART_LIC-3-AUTHORIZATION_INSTALL_FAILED: ... "
        "ERROR_ALL_COUNTS_IN_USE; remedy: return the active's SLAC, then request for all again"
    )
    assert outcome.status == "failed"
    assert outcome.traceback is not None


def test_netmiko_advice_is_dropped_but_the_address_kept() -> None:
    error = TimeoutError(
        "TCP connection to device failed.\n\nCommon causes of this problem are:\n1. Incorrect hostname.\n"
        "2. Wrong TCP port.\n\nDevice settings: cisco_xe 10.0.0.9:22\n"
    )

    outcome = outcome_of("sw1", failed_with("sw1", error))

    assert outcome.error == "TCP connection to device failed. (cisco_xe 10.0.0.9:22)"


def test_waiting_for_the_portal_is_neither_ok_nor_failed() -> None:
    outcome = outcome_of("sw1", failed_with("sw1", WaitingForPortal("sw1: waiting for SSM's answer")))
    run = WorkflowRun("slac-install", dry_run=False, outcomes={"sw1": outcome})

    assert outcome.status == "waiting"
    assert run.failed_hosts == []
    assert exit_code_of(run) == ExitCode.WAITING
    assert recap_lines([run]) == [
        "sw1    : ok=0    changed=0    failed=0    waiting=1",
        "1 host : ok=0    changed=0    failed=0    waiting=1",
    ]


_CODE_OF = {
    Severity.INFO: FindingCode.HSEC_KEYS_REQUIRED,
    Severity.WARNING: FindingCode.ACK_DEADLINE_NEAR,
    Severity.ERROR: FindingCode.ACK_DEADLINE_PASSED,
    Severity.CRITICAL: FindingCode.HSEC_IN_USE_WITHOUT_SLAC,
}


def audit_of(host: str, *severities: Severity) -> HostOutcome:
    findings = [Finding(code=_CODE_OF[s], severity=s, subject=host, message="m") for s in severities]
    audit = DeviceAudit(
        host=host,
        audited_at=dt.datetime.now(dt.timezone.utc),
        findings=findings,
        state=LicenseState(host=host),
    )
    return HostOutcome(host, ok=True, changed=False, result=audit)


def test_a_critical_finding_exits_2_unless_a_host_failed() -> None:
    critical = audit_of("c9300x", Severity.CRITICAL, Severity.INFO)
    clean = audit_of("c9200", Severity.WARNING)
    broken = HostOutcome("c9500x", ok=False, changed=False, error="unreachable")

    assert exit_code_of(WorkflowRun("audit", False, {"c9200": clean}), critical=any_critical) == ExitCode.OK
    assert (
        exit_code_of(WorkflowRun("audit", False, {"c9300x": critical, "c9200": clean}), critical=any_critical)
        == ExitCode.CRITICAL_FINDING
    )
    assert (
        exit_code_of(
            WorkflowRun("audit", False, {"c9300x": critical, "c9500x": broken}), critical=any_critical
        )
        == ExitCode.FAILED
    )


def test_the_recap_colours_a_host_waiting_over_several_steps_as_waiting() -> None:
    waiting = outcome_of("sw1", failed_with("sw1", WaitingForPortal("sw1: waiting for SSM's answer")))
    steps = [WorkflowRun("slac-install", dry_run=False, outcomes={"sw1": waiting}) for _ in range(2)]
    screen = io.StringIO()

    print_recap(Console(file=screen, force_terminal=True, color_system="standard", width=100), steps)

    host_line = next(line for line in screen.getvalue().splitlines() if "waiting=2" in line)
    assert host_line.startswith("\x1b[33m")  # yellow, as a host waiting in one step is; never green


def nested_failure(host: str, workflow_error: Exception, device_error: DeviceCommandError) -> MultiResult:
    """A workflow that caught a sub-task's device error and raised its own message, as Nornir records it."""
    multi = failed_with(host, workflow_error)
    multi.append(Result(Host(host), name="license smart import", exception=device_error, failed=True))
    return multi


def test_the_workflows_message_comes_first_and_the_devices_words_beneath_it() -> None:
    device = DeviceCommandError(
        "sw1", "license smart import bootflash:s.txt", "% Error: Import Data Failed\n"
    )
    workflow = WorkflowFailed(
        "sw1",
        "the SLAC file SLAC-1.txt was not imported",
        remedy="drop a fresh copy into inbox/sw1 and run again",
    )

    outcome = outcome_of("sw1", nested_failure("sw1", workflow, device))
    screen = io.StringIO()
    print_host_errors(Console(file=screen, width=300), WorkflowRun("x", False, {"sw1": outcome}), debug=False)

    assert outcome.error == (
        "the SLAC file SLAC-1.txt was not imported; remedy: drop a fresh copy into inbox/sw1 and run again"
    )
    assert (
        outcome.device_error == "'license smart import bootflash:s.txt' failed: % Error: Import Data Failed"
    )
    assert screen.getvalue().splitlines() == [
        f"sw1: {outcome.error}",
        f"  device: {outcome.device_error}",
    ]


def test_the_devices_words_are_not_repeated_when_the_message_quotes_them() -> None:
    device = DeviceCommandError(
        "sw1", "license smart import bootflash:s.txt", "% Error: Import Data Failed\n"
    )
    workflow = WorkflowFailed("sw1", "not imported", device_words=device.reply, remedy="try again")

    outcome = outcome_of("sw1", nested_failure("sw1", workflow, device))
    screen = io.StringIO()
    print_host_errors(Console(file=screen, width=300), WorkflowRun("x", False, {"sw1": outcome}), debug=False)

    assert outcome.device_error is not None  # still in the JSON document
    assert screen.getvalue().splitlines() == [
        "sw1: not imported; device: % Error: Import Data Failed; remedy: try again"
    ]


def test_a_subcommand_names_its_options_where_the_library_names_arguments() -> None:
    refused = HostOutcome("sw1", ok=False, changed=False, error="transport smart: use mode='online'")
    run = WorkflowRun("slac-install", False, {"sw1": refused}).reworded(in_cli_words)

    assert run.outcomes["sw1"].error == "transport smart: use --online"
    assert in_cli_words("pass renewal=True; or force_release=True; mode='offline'") == (
        "pass --renewal; or --force-release; --offline"
    )
