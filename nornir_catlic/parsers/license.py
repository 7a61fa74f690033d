"""Builders for the `show license ...` commands: template records to license models."""

from __future__ import annotations

from typing import Any

from nornir_catlic.models.common import Role, Udi
from nornir_catlic.models.license import (
    AccountInfo,
    Attempt,
    Authorization,
    AuthorizationStatus,
    AuthorizationTerm,
    EnforcementType,
    HaMember,
    LicenseAuthorization,
    LicenseAuthorizationState,
    LicenseSummary,
    LicenseSummaryRow,
    LicenseTerm,
    LicenseUdi,
    LicensingGeneration,
    MemberAuthorization,
    Registration,
    RegistrationStatus,
    SlacStatus,
    SlotUdi,
    UsageStatus,
)
from nornir_catlic.parsers.base import ParseContext, Record, register_builder, understood_anything
from nornir_catlic.parsers.values import (
    bool_or_none,
    enum_or_none,
    first,
    int_or_none,
    role,
    strip_ellipsis,
    text_or_none,
    timestamp,
    udi,
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


MemberEntry = tuple[Role | None, Udi, dict[str, Any]]


def _roles_by_serial(
    entries: list[MemberEntry], ctx: ParseContext
) -> dict[str, tuple[Udi, list[Role], dict[str, Any]]]:
    """Group per-UDI entries by serial, keeping every role a serial was printed under.

    A dual-supervisor chassis prints Active and Standby with one UDI and the same state; a second entry
    for a serial that disagrees with the first is reported rather than silently merged away.
    """
    grouped: dict[str, tuple[Udi, list[Role], dict[str, Any]]] = {}
    for member_role, member_udi, fields in entries:
        known = grouped.get(member_udi.serial)
        if known is None:
            grouped[member_udi.serial] = (member_udi, [member_role] if member_role else [], fields)
            continue
        if member_role is not None and member_role not in known[1]:
            known[1].append(member_role)
        if fields != known[2]:
            ctx.report(str(member_udi))
    return grouped


@register_builder("cisco_xe_show_license_udi.textfsm")
def build_license_udi(ctx: ParseContext) -> LicenseUdi:
    records = ctx.run("cisco_xe_show_license_udi.textfsm")
    if not understood_anything(records):
        raise ctx.not_this_output()
    entries: list[MemberEntry] = []
    slots: list[SlotUdi] = []
    for record in records:
        member_udi = udi(record["PID"], record["SN"])
        if member_udi is not None:
            entries.append((role(record["ROLE"], ctx), member_udi, {}))
        if record["SLOT_UDI"]:
            mark = record["SLOT"] or ""
            slots.append(
                SlotUdi(
                    slot=mark.replace("*", "").strip() or None,
                    active="*" in mark,
                    pid=record["SLOT_PID"],
                    serial=record["SLOT_SN"],
                    udi=record["SLOT_UDI"],
                )
            )
    members = {
        serial: HaMember(udi=member_udi, roles=roles)
        for serial, (member_udi, roles, _) in _roles_by_serial(entries, ctx).items()
    }
    return LicenseUdi(
        udi=udi(first(records, "UDI_PID"), first(records, "UDI_SN")), members=members, slots=slots
    )


def _return_code(record: Record) -> str | None:
    code = text_or_none(record["RETURN_CODE"])
    if code is None:
        return None
    if record["RETURN_CODE_TAIL"]:
        return f"{code}-{record['RETURN_CODE_TAIL']}"
    return code


@register_builder("cisco_xe_show_license_authorization.textfsm")
def build_license_authorization(ctx: ParseContext) -> LicenseAuthorization:
    return authorization_from_records(ctx.run("cisco_xe_show_license_authorization.textfsm"), ctx)


def authorization_from_records(records: list[Record], ctx: ParseContext) -> LicenseAuthorization:
    if not understood_anything(records):
        raise ctx.not_this_output()
    member_entries: list[MemberEntry] = []
    authorizations: dict[str, Authorization] = {}
    term_entries: dict[str, list[MemberEntry]] = {}
    for record in records:
        member_udi = udi(record["PID"], record["SN"])
        if member_udi is not None:
            member_entries.append(
                (
                    role(record["ROLE"], ctx),
                    member_udi,
                    {
                        "status": enum_or_none(SlacStatus, record["STATUS"], ctx),
                        "installed_on": timestamp(record["INSTALLED_ON"]),
                        "last_confirmation_code": text_or_none(record["CONFIRMATION_CODE"]),
                        "last_return_code": _return_code(record),
                    },
                )
            )
        name = record["AUTHORIZATION_NAME"]
        if name and name not in authorizations:
            authorizations[name] = Authorization(
                name=name,
                display_name=text_or_none(record["AUTHORIZATION_DISPLAY_NAME"]),
                description=text_or_none(record["AUTHORIZATION_DESCRIPTION"]),
                total_available_count=int_or_none(record["AUTHORIZATION_TOTAL_COUNT"]),
                enforcement_type=enum_or_none(EnforcementType, record["AUTHORIZATION_ENFORCEMENT"], ctx),
            )
        term_udi = udi(record["TERM_PID"], record["TERM_SN"])
        if name and term_udi is not None:
            term_entries.setdefault(name, []).append(
                (
                    role(record["TERM_ROLE"], ctx),
                    term_udi,
                    {
                        "authorization_type": text_or_none(record["TERM_AUTHORIZATION_TYPE"]),
                        "license_type": enum_or_none(LicenseTerm, record["TERM_LICENSE_TYPE"], ctx),
                        "term_count": int_or_none(record["TERM_COUNT"]),
                        "start_date": timestamp(record["TERM_START"]),
                        "end_date": timestamp(record["TERM_END"]),
                    },
                )
            )
    for name, entries in term_entries.items():
        authorizations[name].terms = {
            serial: AuthorizationTerm(udi=term_udi, roles=roles, **fields)
            for serial, (term_udi, roles, fields) in _roles_by_serial(entries, ctx).items()
        }
    members = {
        serial: MemberAuthorization(udi=member_udi, roles=roles, **fields)
        for serial, (member_udi, roles, fields) in _roles_by_serial(member_entries, ctx).items()
    }
    purchase = first(records, "PURCHASE_INFORMATION")
    return LicenseAuthorization(
        last_data_push=timestamp(first(records, "LAST_DATA_PUSH")),
        last_file_export=timestamp(first(records, "LAST_FILE_EXPORT")),
        members=members,
        authorizations=list(authorizations.values()),
        purchase_information_available=False if purchase else None,
    )
