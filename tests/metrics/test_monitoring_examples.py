"""The Prometheus alert rules and the Grafana dashboard in examples/ use only what the exporter exports.

promtool (``make tools`` unpacks Debian's, never installs it) checks the rules, runs their unit tests
(``catlic-alerts.test.yml``) and parses every dashboard query; without promtool those tests are skipped,
saying so, and the rules' shape is still checked here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from metrics.samples import Fleet, stack_snapshot
from metrics.scrape import exposition
from nornir_catlic.cli.exporter_options import parse_duration
from nornir_catlic.metrics import MetricsExporter

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "examples" / "prometheus" / "catlic-alerts.yml"
RULE_TESTS = ROOT / "examples" / "prometheus" / "catlic-alerts.test.yml"
SCRAPE_CONFIG = ROOT / "examples" / "prometheus" / "prometheus.yml"
DASHBOARD = ROOT / "examples" / "grafana" / "catlic-dashboard.json"
METRIC_NAME = re.compile(r"\bcatlic_[a-z0-9_]+\b")
SEVERITIES = {"info", "warning", "critical"}


def promtool() -> str | None:
    local = ROOT / ".venv" / "tools" / "promtool"
    return str(local) if local.exists() else shutil.which("promtool")


needs_promtool = pytest.mark.skipif(
    promtool() is None,
    reason="promtool not found (`make tools` unpacks it): the rules were checked structurally",
)


@pytest.fixture(scope="module")
def exported_names() -> set[str]:
    """Every sample name the exporter serves, after one refresh of a switch that has every kind of series."""
    exporter = MetricsExporter(Fleet({"sw1": stack_snapshot("sw1")}), interval=60)
    assert exporter.refresher.refresh()
    return exposition(exporter.registry).names


def rules() -> list[dict[str, Any]]:
    document = yaml.safe_load(RULES.read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def dashboard_queries() -> list[str]:
    board = json.loads(DASHBOARD.read_text())
    found = [target["expr"] for panel in board["panels"] for target in panel.get("targets", [])]
    found += [variable["definition"] for variable in board["templating"]["list"] if "definition" in variable]
    return found


def test_the_rules_have_the_shape_prometheus_reads(exported_names: set[str]) -> None:
    document = yaml.safe_load(RULES.read_text())
    assert set(document) == {"groups"} and all(
        {"name", "rules"} <= set(group) for group in document["groups"]
    )
    names = [rule["alert"] for rule in rules()]
    assert len(names) == len(set(names)) >= 8
    for rule in rules():
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule["alert"]
        assert rule["labels"]["severity"] in SEVERITIES and rule["annotations"]["summary"]
        if "for" in rule:
            assert parse_duration(rule["for"]) > 0
        used = set(METRIC_NAME.findall(rule["expr"]))
        assert used and used <= exported_names, f"{rule['alert']}: {sorted(used - exported_names)}"


def test_the_rules_cover_the_issues_alerts() -> None:
    used = {name for rule in rules() for name in METRIC_NAME.findall(rule["expr"])}
    for wanted in (
        "catlic_next_ack_deadline_timestamp_seconds",  # deadline within N days, and passed
        "catlic_last_ack_received_timestamp_seconds",  # reporting stopped
        "catlic_slac_installed",  # standby or member without SLAC where the key is in use
        "catlic_hseck9_in_use",
        "catlic_exporter_last_refresh_success",  # the exporter's refresh failing
        "catlic_up",  # host down
    ):
        assert wanted in used


def test_every_dashboard_query_uses_only_exported_metrics(exported_names: set[str]) -> None:
    queries = dashboard_queries()
    used = {name for query in queries for name in METRIC_NAME.findall(query)}

    assert len(queries) >= 20
    assert used <= exported_names, sorted(used - exported_names)
    for topic in (
        "catlic_next_ack_deadline",
        "catlic_host_compliant",
        "catlic_findings",
        "catlic_license_count",
    ):
        assert any(topic in query for query in queries)
    assert any("catlic_exporter_" in query for query in queries)


@needs_promtool
def test_promtool_checks_the_rules_runs_their_unit_tests_and_checks_the_scrape_config() -> None:
    tool = promtool()
    assert tool is not None
    checked = subprocess.run([tool, "check", "rules", str(RULES)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and f"SUCCESS: {len(rules())} rules found" in checked.stdout, (
        checked.stderr
    )
    tested = subprocess.run(
        [tool, "test", "rules", RULE_TESTS.name],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=RULE_TESTS.parent,
    )
    assert tested.returncode == 0 and "SUCCESS" in tested.stdout, tested.stdout + tested.stderr
    config = subprocess.run(
        [tool, "check", "config", str(SCRAPE_CONFIG)], capture_output=True, text=True, timeout=60
    )
    assert config.returncode == 0, config.stdout + config.stderr


@needs_promtool
def test_promtool_parses_every_dashboard_query(tmp_path: Path) -> None:
    """Each query, its Grafana variables given values, as a recording rule promtool must parse."""
    tool = promtool()
    assert tool is not None
    recorded = [
        {"record": f"dashboard:query_{number}", "expr": query.replace("$host", ".*")}
        for number, query in enumerate(dashboard_queries())
        if not query.startswith("label_values(")
    ]
    rules_file = tmp_path / "dashboard-queries.yml"
    rules_file.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": recorded}]}))

    checked = subprocess.run(
        [tool, "check", "rules", str(rules_file)], capture_output=True, text=True, timeout=60
    )

    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.fixture
def broken_rules(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "broken.yml"
    path.write_text(RULES.read_text().replace("catlic_up == 0", "catlic_up == == 0"))
    yield path


@needs_promtool
def test_promtool_would_refuse_a_broken_expression(broken_rules: Path) -> None:
    tool = promtool()
    assert tool is not None
    checked = subprocess.run(
        [tool, "check", "rules", str(broken_rules)], capture_output=True, text=True, timeout=60
    )
    assert checked.returncode != 0
