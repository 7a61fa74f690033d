"""`show license rum id {all|<id>} [detail]`: the RUM (usage) reports a switch holds, what the usage
exchange with CSSM, CSLU or SSM On-Prem sends."""

from __future__ import annotations

from pydantic import BaseModel, Field

from nornir_catlic.models.common import ParsedOutput, Timestamp, Udi


class RumReport(BaseModel):
    """One RUM report: the measurement of one license over a period. The table (no ``detail``) fills
    ``report_id``, ``state``, ``flag`` and ``feature_name``; a ``detail`` block fills the rest.

    Attributes:
        state: as printed (`OPEN`: still measuring; `CLOSED`: ready to send; `ACK`: acknowledged...).
        flag: the table's Flag column as printed.
        metric_value: the entitlement tag the report measures.
        udi: the product instance the report was taken on.
        previous_report_id, next_report_id: the reports before and after it of the same license (0: none).
        end_time: None while the report is still open.
        storage_state: `EXIST` while the report is kept (`DELETED`, `PURGED` after).
    """

    report_id: int
    state: str | None = None
    flag: str | None = None
    feature_name: str | None = None
    metric_name: str | None = None
    metric_value: str | None = None
    udi: Udi | None = None
    previous_report_id: int | None = None
    next_report_id: int | None = None
    state_change_reason: str | None = None
    close_reason: str | None = None
    start_time: Timestamp | None = None
    end_time: Timestamp | None = None
    storage_state: str | None = None
    transaction_id: int | None = None
    transaction_message: str | None = None


class RumReports(ParsedOutput):
    """The reports in output order (each once: a report printed twice is reported, not counted twice)."""

    reports: list[RumReport] = Field(default_factory=list)

    def find(self, report_id: int) -> RumReport | None:
        return next((report for report in self.reports if report.report_id == report_id), None)

    def in_state(self, state: str) -> list[RumReport]:
        """The reports whose state is ``state`` (case-insensitive: `open`, `ACK`...)."""
        wanted = state.upper()
        return [report for report in self.reports if (report.state or "").upper() == wanted]
