"""The HTML licensing report: one self-contained page (no network) of a fleet audit and the recorded runs.

``write_report(report_data(fleet, trend), path)``: :mod:`.data` computes what the page shows, :mod:`.render`
renders it with its vendored assets (``assets/``: uPlot, our script and style).
"""

from nornir_catlic.report.data import ReportData, report_data
from nornir_catlic.report.render import render_report, write_report

__all__ = ["ReportData", "render_report", "report_data", "write_report"]
