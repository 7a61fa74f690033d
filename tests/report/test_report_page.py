"""The report's page without a browser: untrusted device strings stay text, its policy allows exactly its own
scripts, each finding's row is its catalog entry's, and a report that cannot be written stops the audit
(or the runbook) before any switch is read."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path

import pytest

from nornir_catlic.cli import run
from nornir_catlic.cli.errors import CliError
from nornir_catlic.cli.runbook import load_runbook
from nornir_catlic.history import RunKind, snapshots_of_audit, summarize
from nornir_catlic.models.license import LicenseUsageEntry, UsageStatus
from nornir_catlic.report import render_report, report_data
from nornir_catlic.rules.catalog import finding
from nornir_catlic.rules.codes import FindingCode

from .fleets import NOW, audited, fleet_of

HOSTILE_HOST = "</script><script>alert('host')</script>"
HOSTILE_LICENSE = '"><img src=x onerror=alert(1)>'


def test_device_strings_are_text_on_the_page_never_markup() -> None:
    usage = [
        LicenseUsageEntry(
            name=HOSTILE_LICENSE, entitlement_tag="</style>", count=1, status=UsageStatus.IN_USE
        )
    ]
    hostile = audited(HOSTILE_HOST, [finding(FindingCode.NO_UDI, HOSTILE_HOST)], usage)
    fleet = fleet_of(hostile)
    trend = [summarize(0, RunKind.AUDIT, NOW, snapshots_of_audit(fleet, NOW).values())]

    page = render_report(report_data(fleet, trend, generated_at=NOW))

    for text in (HOSTILE_HOST, HOSTILE_LICENSE, "<b>down</b>", "<i>no</i>"):
        assert text not in page
    assert "<td>&lt;/script&gt;&lt;script&gt;alert(&#39;host&#39;)&lt;/script&gt;</td>" in page
    assert "<td>&#34;&gt;&lt;img src=x onerror=alert(1)&gt;</td>" in page
    assert page.count("<script") == 3, "uPlot, ours, and the charts' JSON: nothing injected"
    assert page.count("</style>") == 1 and "&lt;/style&gt;" in page


def test_the_policy_forbids_every_load_and_allows_exactly_the_pages_own_scripts_and_style() -> None:
    page = render_report(report_data(fleet_of(audited("sw1", [])), [], generated_at=NOW))

    policy = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)[1])
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)
    styles = re.findall(r"<style>(.*?)</style>", page, flags=re.DOTALL)

    def hashes(texts: list[str]) -> set[str]:
        return {f"'sha256-{base64.b64encode(hashlib.sha256(t.encode()).digest()).decode()}'" for t in texts}

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert set(directives["script-src"].split()) == hashes(scripts) and len(scripts) == 2
    assert set(directives["style-src"].split()) == hashes(styles) and len(styles) == 1
    assert "unsafe" not in policy and "http" not in page.split("<script>")[0].split("<body>")[1]


def test_each_code_row_shows_the_remedy_of_the_catalog_entry_its_findings_came_from() -> None:
    stack = finding(
        FindingCode.STANDBY_NOT_AUTHORIZED, "PID:X,SN:2", variant="stack", command="license smart ... all"
    )
    svl = finding(
        FindingCode.STANDBY_NOT_AUTHORIZED, "PID:X,SN:3", variant="stackwise-virtual", command="... hseck9"
    )
    fleet = fleet_of(audited("stack", [stack]), audited("svl", [svl]), audited("stack2", [stack]))

    rows = {row.section: row for row in report_data(fleet, [], generated_at=NOW).codes}

    assert rows["Stacking Considerations for Cisco Catalyst 9300X Series Switches"].hosts == 2
    assert rows["Stacking Considerations for Cisco Catalyst 9300X Series Switches"].remedy == (
        "request SLAC for the entire stack: `<command>`"
    )
    svl_row = rows["High Availability Considerations for Cisco Catalyst 9400 and 9600 Series Switches"]
    assert svl_row.hosts == 1 and svl_row.remedy.startswith("replace is not supported in StackWise Virtual")


def test_an_html_file_that_cannot_be_written_stops_the_audit_before_any_switch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    missing_inventory = tmp_path / "no-such-config.yaml"  # would fail later: the report's check comes first

    code = run(["audit", "-c", str(missing_inventory), "--html", str(blocker / "report.html")])

    assert code == 3
    assert f"--html {blocker / 'report.html'}: {blocker} is not a folder" in capsys.readouterr().err


def test_a_runbook_report_on_a_step_that_is_not_an_audit_is_refused_with_its_line(tmp_path: Path) -> None:
    book = tmp_path / "book.yaml"
    book.write_text("steps:\n  - workflow: audit\n  - workflow: state\n    html: out.html\n")

    with pytest.raises(CliError) as refused:
        load_runbook(book)

    assert str(refused.value) == (
        f"{book}:4: step 2 ('state'): html: only an audit step writes an HTML report, not a 'state' step"
    )
