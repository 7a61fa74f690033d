"""Builder for `show license rum id {all|<id>} [detail]`."""

from __future__ import annotations

from nornir_catlic.models.usage_reports import RumReport, RumReports
from nornir_catlic.parsers.base import ParseContext, register_builder
from nornir_catlic.parsers.values import int_or_none, text_or_none, timestamp, to_int, udi

SHOW_LICENSE_RUM_ID = "cisco_xe_show_license_rum_id.textfsm"


@register_builder(SHOW_LICENSE_RUM_ID)
def build_rum_reports(ctx: ParseContext) -> RumReports:
    reports: list[RumReport] = []
    seen: set[str] = set()
    for record in ctx.run_or_reject(SHOW_LICENSE_RUM_ID):
        if not record["REPORT_ID"]:
            continue  # the title's record
        report = RumReport(
            report_id=to_int(record["REPORT_ID"]),
            state=text_or_none(record["STATE"]),
            flag=text_or_none(record["FLAG"]),
            feature_name=text_or_none(record["FEATURE_NAME"]),
            metric_name=text_or_none(record["METRIC_NAME"]),
            metric_value=text_or_none(record["METRIC_VALUE"]),
            udi=udi(record["PID"], record["SN"]),
            previous_report_id=int_or_none(record["PREVIOUS_REPORT_ID"]),
            next_report_id=int_or_none(record["NEXT_REPORT_ID"]),
            state_change_reason=text_or_none(record["STATE_CHANGE_REASON"]),
            close_reason=text_or_none(record["CLOSE_REASON"]),
            start_time=timestamp(record["START_TIME"]),
            end_time=timestamp(record["END_TIME"]),
            storage_state=text_or_none(record["STORAGE_STATE"]),
            transaction_id=int_or_none(record["TRANSACTION_ID"]),
            transaction_message=text_or_none(record["TRANSACTION_MESSAGE"]),
        )
        printed = report.model_dump_json()
        if printed in seen:  # the same report twice: held once, the repeat shown in unparsed_lines
            ctx.report_duplicate(record["REPORT_ID"])
            continue
        seen.add(printed)
        reports.append(report)
    return RumReports(reports=reports)
