"""Builder for `show license rum id {all|<id>} [detail]`."""

from __future__ import annotations

from nornir_catlic.models.usage_reports import RumReport, RumReports
from nornir_catlic.parsers.base import ParseContext, Record, register_builder
from nornir_catlic.parsers.values import int_or_none, text_or_none, timestamp, to_int, udi

SHOW_LICENSE_RUM_ID = "cisco_xe_show_license_rum_id.textfsm"

# Each field of a report is its template value, lower-cased, read as text, a number or a date.
TEXT_VALUES = (
    "STATE",
    "FLAG",
    "FEATURE_NAME",
    "METRIC_NAME",
    "METRIC_VALUE",
    "STATE_CHANGE_REASON",
    "CLOSE_REASON",
    "STORAGE_STATE",
    "TRANSACTION_MESSAGE",
)
NUMBER_VALUES = ("PREVIOUS_REPORT_ID", "NEXT_REPORT_ID", "TRANSACTION_ID")
DATE_VALUES = ("START_TIME", "END_TIME")


def _report(record: Record) -> RumReport:
    fields: dict[str, object] = {name.lower(): text_or_none(record[name]) for name in TEXT_VALUES}
    fields.update({name.lower(): int_or_none(record[name]) for name in NUMBER_VALUES})
    fields.update({name.lower(): timestamp(record[name]) for name in DATE_VALUES})
    return RumReport.model_validate(
        {**fields, "report_id": to_int(record["REPORT_ID"]), "udi": udi(record["PID"], record["SN"])}
    )


@register_builder(SHOW_LICENSE_RUM_ID)
def build_rum_reports(ctx: ParseContext) -> RumReports:
    reports: list[RumReport] = []
    seen: set[str] = set()
    for record in ctx.run_or_reject(SHOW_LICENSE_RUM_ID):
        if not record["REPORT_ID"]:
            continue  # the title's record
        report = _report(record)
        printed = report.model_dump_json()
        if printed in seen:  # the same report twice: held once, the repeat shown in unparsed_lines
            ctx.report_duplicate(record["REPORT_ID"])
            continue
        seen.add(printed)
        reports.append(report)
    return RumReports(reports=reports)
