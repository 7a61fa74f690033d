"""The report as one self-contained HTML page: Jinja2 (autoescaped), its script and style inline, no network.

The page's Content-Security-Policy (``default-src 'none'``) forbids every load: no request can leave the
page, whatever a device string held. Its two scripts and its style are allowed by their SHA-256 hashes, so
neither an injected ``<script>`` nor a ``style=`` attribute would run.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import tempfile
from collections import Counter
from functools import cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import jinja2

from nornir_catlic.report.data import SEVERITIES_WORST_FIRST, DeadlineRow, ReportData

TITLE = "Catalyst licensing report"
_DAY = 86_400


@cache
def _asset(name: str) -> str:
    return resources.files("nornir_catlic.report").joinpath("assets", name).read_text(encoding="utf-8")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("nornir_catlic.report", "assets"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def content_security_policy(scripts: list[str], styles: list[str]) -> str:
    """Nothing may load (fonts, images, frames, fetch...); only these exact scripts and styles run."""

    def hashed(texts: list[str]) -> str:
        digests = (hashlib.sha256(text.encode("utf-8")).digest() for text in texts)
        return " ".join(f"'sha256-{base64.b64encode(digest).decode()}'" for digest in digests)

    return (
        f"default-src 'none'; script-src {hashed(scripts)}; style-src {hashed(styles)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def render_report(data: ReportData, *, warn_days: int = 30) -> str:
    """The page for ``data``.

    Args:
        warn_days: a deadline this close is marked as soon (as the audit warns).
    """
    scripts = [_asset("uPlot.iife.min.js"), _asset("report.js")]
    style = _asset("uPlot.min.css") + "\n" + _asset("report.css")
    charts = _chart_data(data)
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=TITLE,
            version=_catlic_version(),
            data=data,
            deadline_rows=sorted(data.deadlines, key=_soonest_first),
            timeline_days=len(charts["timeline"]["t"]),
            warn_days=warn_days,
            severities=SEVERITIES_WORST_FIRST,
            charts=charts,
            scripts=scripts,
            style=style,
            csp=content_security_policy(scripts, [style]),
        )
    )


def write_report(data: ReportData, path: Path, *, warn_days: int = 30) -> Path:
    """Write the page to ``path`` whole (a reader never sees half a page), readable as a usual file."""
    page = render_report(data, warn_days=warn_days)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(page)
        os.chmod(scratch, 0o644)
        os.replace(scratch, path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
    return path


def _soonest_first(row: DeadlineRow) -> tuple[bool, float, str]:
    deadline = row.next_ack_deadline
    return (deadline is None, deadline.timestamp() if deadline else 0.0, row.host)


def _chart_data(data: ReportData) -> dict[str, Any]:
    """The charts' series, as uPlot takes them: columns of equal length, times in epoch seconds."""
    deadlines: Counter[int] = Counter()
    pushes: Counter[int] = Counter()
    for row in data.deadlines:
        if row.next_ack_deadline is not None:
            deadlines[_day(row.next_ack_deadline)] += 1
        if row.next_report_push is not None:
            pushes[_day(row.next_report_push)] += 1
    days = sorted(set(deadlines) | set(pushes))
    trend: dict[str, list[Any]] = {
        "t": [run.started_at.timestamp() for run in data.trend],
        "compliance": [
            round(run.compliance * 100, 2) if run.compliance is not None else None for run in data.trend
        ],
    }
    for severity in SEVERITIES_WORST_FIRST:
        trend[severity.value] = [run.by_severity.get(severity, 0) for run in data.trend]
    return {
        "generated_at": data.generated_at.timestamp(),
        "severities": [severity.value for severity in SEVERITIES_WORST_FIRST],
        "timeline": {
            "t": days,
            "deadlines": [deadlines[day] or None for day in days],
            "pushes": [pushes[day] or None for day in days],
        },
        "trend": trend,
    }


def _day(moment: dt.datetime) -> int:
    """Midnight UTC of the moment's day, in epoch seconds (noon would centre the bar; midnight labels it)."""
    seconds = int(moment.timestamp())
    return seconds - seconds % _DAY


@cache
def _catlic_version() -> str:
    try:
        return version("nornir-catlic")
    except PackageNotFoundError:
        return "(not installed)"
