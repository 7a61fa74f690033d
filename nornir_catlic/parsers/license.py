"""Builders for the `show license ...` commands: template records to license models."""

from __future__ import annotations

from nornir_catlic.models.license import (
    AccountInfo,
    Attempt,
    AuthorizationStatus,
    LicenseAuthorizationState,
    LicenseSummary,
    LicenseSummaryRow,
    LicensingGeneration,
    Registration,
    RegistrationStatus,
    UsageStatus,
)
from nornir_catlic.parsers.base import ParseContext, Record, register_builder, understood_anything
from nornir_catlic.parsers.values import (
    bool_or_none,
    enum_or_none,
    first,
    int_or_none,
    strip_ellipsis,
    text_or_none,
    timestamp,
)


def _attempt(result: str | None, date: str | None) -> Attempt | None:
    value = text_or_none(result)
    if value is None:
        return None
    return Attempt(result=value, at=timestamp(date))


def _account(records: list[Record]) -> AccountInfo | None:
    name, as_of, virtual = (
        first(records, k) for k in ("SMART_ACCOUNT", "SMART_ACCOUNT_AS_OF", "VIRTUAL_ACCOUNT")
    )
    if name is None and virtual is None:
        return None
    return AccountInfo(
        smart_account=text_or_none(name),
        smart_account_as_of=timestamp(as_of),
        virtual_account=text_or_none(virtual),
    )


def _registration(records: list[Record], ctx: ParseContext) -> Registration | None:
    status = first(records, "REGISTRATION_STATUS")
    if status is None:
        return None
    export = first(records, "EXPORT_CONTROLLED")
    return Registration(
        status=enum_or_none(RegistrationStatus, status, ctx),
        smart_account=text_or_none(first(records, "REGISTRATION_SMART_ACCOUNT")),
        virtual_account=text_or_none(first(records, "REGISTRATION_VIRTUAL_ACCOUNT")),
        export_controlled_allowed=None if export is None else export == "ALLOWED",
        initial_registration=_attempt(
            first(records, "INITIAL_REGISTRATION_RESULT"), first(records, "INITIAL_REGISTRATION_DATE")
        ),
        last_renewal_attempt=_attempt(
            first(records, "LAST_RENEWAL_RESULT"), first(records, "LAST_RENEWAL_DATE")
        ),
        next_renewal_attempt=timestamp(first(records, "NEXT_RENEWAL_DATE")),
        registration_expires=timestamp(first(records, "REGISTRATION_EXPIRES")),
    )


def _authorization_state(records: list[Record], ctx: ParseContext) -> LicenseAuthorizationState | None:
    status = first(records, "AUTHORIZATION_STATUS")
    if status is None:
        return None
    return LicenseAuthorizationState(
        status=enum_or_none(AuthorizationStatus, status, ctx),
        status_since=timestamp(first(records, "AUTHORIZATION_DATE")),
        last_communication_attempt=_attempt(
            first(records, "LAST_COMMUNICATION_RESULT"), first(records, "LAST_COMMUNICATION_DATE")
        ),
        next_communication_attempt=timestamp(first(records, "NEXT_COMMUNICATION_DATE")),
        communication_deadline=timestamp(first(records, "COMMUNICATION_DEADLINE")),
        evaluation_period_remaining=text_or_none(first(records, "EVALUATION_REMAINING")),
    )


@register_builder("cisco_xe_show_license_summary.textfsm")
def build_license_summary(ctx: ParseContext) -> LicenseSummary:
    records = ctx.run("cisco_xe_show_license_summary.textfsm")
    if not understood_anything(records):
        raise ctx.not_this_output()
    rows: list[LicenseSummaryRow] = []
    for record in records:
        if not record["ENTITLEMENT_TAG"]:
            continue
        status = enum_or_none(UsageStatus, record["STATUS"], ctx)
        if status is None:
            continue
        license_name, license_cut = strip_ellipsis(record["LICENSE"]) if record["LICENSE"] else (None, False)
        tag, tag_cut = strip_ellipsis(record["ENTITLEMENT_TAG"])
        rows.append(
            LicenseSummaryRow(
                license=license_name,
                entitlement_tag=tag,
                count=int_or_none(record["COUNT"]) or 0,
                status=status,
                license_truncated=license_cut,
                entitlement_tag_truncated=tag_cut,
            )
        )
    registration = _registration(records, ctx)
    return LicenseSummary(
        generation=_generation_from_summary(records, registration),
        smart_licensing_enabled=bool_or_none(first(records, "SMART_LICENSING")),
        registration=registration,
        authorization=_authorization_state(records, ctx),
        account=_account(records),
        licenses=rows,
    )


def _generation_from_summary(
    records: list[Record], registration: Registration | None
) -> LicensingGeneration | None:
    if registration is not None or first(records, "AUTHORIZATION_STATUS") is not None:
        return LicensingGeneration.SMART_LICENSING
    if first(records, "SMART_ACCOUNT") is not None or any(
        r["STATUS"] in (UsageStatus.IN_USE.value, UsageStatus.NOT_IN_USE.value) for r in records
    ):
        return LicensingGeneration.SMART_LICENSING_USING_POLICY
    return None
