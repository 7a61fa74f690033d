"""Builders for the `show license ...` commands: template records to license models."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nornir_catlic.models.common import Role, Udi
from nornir_catlic.models.license import (
    AccountInfo,
    Attempt,
    Authorization,
    AuthorizationStatus,
    AuthorizationTerm,
    DataPrivacy,
    DeviceTelemetry,
    EnforcementType,
    ExportStatus,
    HaMember,
    LicenseAll,
    LicenseAuthorization,
    LicenseAuthorizationState,
    LicenseConversion,
    LicenseStatus,
    LicenseSummary,
    LicenseSummaryRow,
    LicenseTerm,
    LicenseUdi,
    LicenseUsage,
    LicenseUsageEntry,
    LicensingGeneration,
    MemberAuthorization,
    Policy,
    PolicyAttributes,
    PolicySource,
    Proxy,
    Registration,
    RegistrationStatus,
    SlacStatus,
    SlotUdi,
    Transport,
    TransportType,
    TrustCode,
    UsageReporting,
    UsageReportSummary,
    UsageStatus,
)
from nornir_catlic.parsers.base import ParseContext, Record, register_builder, understood_anything
from nornir_catlic.parsers.reservation import ha_peers_of, reservation_info_of, reservation_of
from nornir_catlic.parsers.sections import split_sections
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

SHOW_LICENSE_SUMMARY = "cisco_xe_show_license_summary.textfsm"
SHOW_LICENSE_UDI = "cisco_xe_show_license_udi.textfsm"
SHOW_LICENSE_AUTHORIZATION = "cisco_xe_show_license_authorization.textfsm"
SHOW_LICENSE_USAGE = "cisco_xe_show_license_usage.textfsm"
SHOW_LICENSE_STATUS = "cisco_xe_show_license_status.textfsm"
SHOW_LICENSE_ALL = "cisco_xe_show_license_all.textfsm"


def _attempt(result: str | None, date: str | None, failure_reason: str | None = None) -> Attempt | None:
    value = text_or_none(result)
    if value is None:
        return None
    reason = text_or_none(failure_reason) if value.upper() == "FAILED" else None
    return Attempt(result=value, at=timestamp(date), failure_reason=reason)


def _account(records: list[Record]) -> AccountInfo | None:
    name, as_of, virtual = (
        first(records, k) for k in ("SMART_ACCOUNT", "SMART_ACCOUNT_AS_OF", "VIRTUAL_ACCOUNT")
    )
    account = AccountInfo(
        smart_account=text_or_none(name),
        smart_account_as_of=timestamp(as_of),
        virtual_account=text_or_none(virtual),
    )
    # `Smart Account: <none>` is no account: None, like every other `<none>`.
    return None if account == AccountInfo() else account


def _registration(records: list[Record], ctx: ParseContext) -> Registration | None:
    status = first(records, "REGISTRATION_STATUS")
    if status is None:
        return None
    export = first(records, "EXPORT_CONTROLLED")
    # `Failure reason:` explains the failed attempt above it: the renewal if it failed, else the initial one.
    reason = first(records, "REGISTRATION_FAILURE_REASON")
    renewal_failed = (first(records, "LAST_RENEWAL_RESULT") or "").upper() == "FAILED"
    return Registration(
        status=enum_or_none(RegistrationStatus, status, ctx),
        smart_account=text_or_none(first(records, "REGISTRATION_SMART_ACCOUNT")),
        virtual_account=text_or_none(first(records, "REGISTRATION_VIRTUAL_ACCOUNT")),
        export_controlled_allowed=bool_or_none(export),
        initial_registration=_attempt(
            first(records, "INITIAL_REGISTRATION_RESULT"),
            first(records, "INITIAL_REGISTRATION_DATE"),
            None if renewal_failed else reason,
        ),
        last_renewal_attempt=_attempt(
            first(records, "LAST_RENEWAL_RESULT"), first(records, "LAST_RENEWAL_DATE"), reason
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
            first(records, "LAST_COMMUNICATION_RESULT"),
            first(records, "LAST_COMMUNICATION_DATE"),
            first(records, "COMMUNICATION_FAILURE_REASON"),
        ),
        next_communication_attempt=timestamp(first(records, "NEXT_COMMUNICATION_DATE")),
        communication_deadline=timestamp(first(records, "COMMUNICATION_DEADLINE")),
        evaluation_period_remaining=text_or_none(first(records, "EVALUATION_REMAINING")),
    )


@register_builder(SHOW_LICENSE_SUMMARY)
def build_license_summary(ctx: ParseContext) -> LicenseSummary:
    records = ctx.run_or_reject(SHOW_LICENSE_SUMMARY)
    rows: list[LicenseSummaryRow] = []
    seen_rows: set[tuple[str, ...]] = set()
    for record in records:
        if not record["ENTITLEMENT_TAG"]:
            continue
        row_key = (record["LICENSE"], record["ENTITLEMENT_TAG"], record["COUNT"], record["STATUS"])
        if row_key in seen_rows:
            ctx.report_duplicate(record["ENTITLEMENT_TAG"], record["STATUS"])
            continue
        seen_rows.add(row_key)
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
        elif fields == known[2]:  # the same role (or none) and UDI again: a repeated row
            printed_role = member_role.printed if member_role else ""
            ctx.report_duplicate(printed_role, str(member_udi).split(",")[1])
            continue
        if fields != known[2]:
            printed_role = member_role.printed if member_role else ""
            ctx.report(printed_role, str(member_udi))
    return grouped


@register_builder(SHOW_LICENSE_UDI)
def build_license_udi(ctx: ParseContext) -> LicenseUdi:
    return udi_from_records(ctx.run_or_reject(SHOW_LICENSE_UDI), ctx)


def udi_from_records(records: list[Record], ctx: ParseContext) -> LicenseUdi:
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
    return code + (record["RETURN_CODE_TAIL"] or "")


@register_builder(SHOW_LICENSE_AUTHORIZATION)
def build_license_authorization(ctx: ParseContext) -> LicenseAuthorization:
    return authorization_from_records(ctx.run_or_reject(SHOW_LICENSE_AUTHORIZATION), ctx)


def authorization_from_records(records: list[Record], ctx: ParseContext) -> LicenseAuthorization:
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


@register_builder(SHOW_LICENSE_USAGE)
def build_license_usage(ctx: ParseContext) -> LicenseUsage:
    return usage_from_records(ctx.run_or_reject(SHOW_LICENSE_USAGE), ctx)


def usage_from_records(records: list[Record], ctx: ParseContext) -> LicenseUsage:
    seen: set[tuple[str, str]] = set()
    unique: list[Record] = []
    for record in records:
        if not (record["NAME"] or record["ENTITLEMENT_TAG"]):  # a 16.x SLR block may print no display name
            continue
        key = (record["NAME"], record["ENTITLEMENT_TAG"])
        if key in seen:
            ctx.report_duplicate(record["NAME"], record["ENTITLEMENT_TAG"])
            continue
        seen.add(key)
        unique.append(record)
    entries = [
        LicenseUsageEntry(
            name=record["NAME"] or record["ENTITLEMENT_TAG"],
            entitlement_tag=text_or_none(record["ENTITLEMENT_TAG"]),
            description=text_or_none(record["DESCRIPTION"]),
            count=int_or_none(record["COUNT"]),
            version=text_or_none(record["VERSION"]),
            status=enum_or_none(UsageStatus, record["STATUS"], ctx),
            export_status=enum_or_none(ExportStatus, record["EXPORT_STATUS"], ctx),
            feature_name=text_or_none(record["FEATURE_NAME"]),
            feature_description=text_or_none(record["FEATURE_DESCRIPTION"]),
            enforcement_type=enum_or_none(EnforcementType, record["ENFORCEMENT_TYPE"], ctx),
            license_type=enum_or_none(LicenseTerm, record["LICENSE_TYPE"], ctx),
            reservation=reservation_of(record, ctx),
            ha_peers=ha_peers_of(record, ctx),
        )
        for record in unique
    ]
    return LicenseUsage(authorization=_authorization_state(records, ctx), licenses=entries)


@register_builder(SHOW_LICENSE_STATUS)
def build_license_status(ctx: ParseContext) -> LicenseStatus:
    return status_from_records(ctx.run_or_reject(SHOW_LICENSE_STATUS), ctx)


def status_from_records(records: list[Record], ctx: ParseContext) -> LicenseStatus:
    def get(key: str) -> str | None:
        return first(records, key)

    registration = _registration(records, ctx)
    policy_status = get("POLICY_STATUS")
    trust_entries: list[MemberEntry] = []
    for record in records:
        trust_udi = udi(record["TRUST_PID"], record["TRUST_SN"])
        if trust_udi is not None:
            trust_entries.append(
                (
                    role(record["TRUST_ROLE"], ctx),
                    trust_udi,
                    {
                        "installed_on": timestamp(record["TRUST_INSTALLED_ON"]),
                        "valid_on": timestamp(record["TRUST_VALID_ON"]),
                        "expired_on": timestamp(record["TRUST_EXPIRED_ON"]),
                    },
                )
            )
    trust_codes = {
        serial: TrustCode(udi=trust_udi, roles=roles, **fields)
        for serial, (trust_udi, roles, fields) in _roles_by_serial(trust_entries, ctx).items()
    }
    return LicenseStatus(
        generation=_generation_from_status(records, registration),
        smart_licensing_enabled=bool_or_none(get("SMART_LICENSING")),
        policy_enabled=bool_or_none(policy_status),
        reporting_mode=text_or_none(get("REPORTING_MODE")),
        license_conversion=_license_conversion(get),
        export_features_authorized=_export_features(records),
        utility_enabled=bool_or_none(get("UTILITY_STATUS")),
        account=_account(records),
        data_privacy=_data_privacy(get),
        transport=_transport(get, ctx),
        custom_id=text_or_none(get("CUSTOM_ID")),
        registration=registration,
        authorization=_authorization_state(records, ctx),
        policy=_policy(get, ctx),
        usage_reporting=_usage_reporting(get),
        trust_code_type=text_or_none(get("TRUST_CODE_TYPE")),
        trust_code_installed_on=timestamp(get("TRUST_CODE_INSTALLED")),
        trust_codes=trust_codes,
        telemetry=_telemetry(get),
        reservation_enabled=bool_or_none(get("RESERVATION")),
        reservation_ha_errors=_reservation_ha_errors(records),
        evaluation_mode=text_or_none(get("EVALUATION_MODE")),
    )


def _reservation_ha_errors(records: list[Record]) -> list[str] | None:
    errors = [line for record in records for line in record.get("HA_CONFIG_ERRORS") or []]
    if not errors and not any(record.get("HA_CONFIG_OK") for record in records):
        return None
    return errors


def _component_versions(text: str | None) -> dict[str, str] | None:
    """``SA:(1_3_dev)1.0.15, SI:(dev22)1.2.1`` -> {"SA": "(1_3_dev)1.0.15", "SI": "(dev22)1.2.1"}."""
    if text is None:
        return None
    pairs = (item.strip().partition(":") for item in text.split(","))
    return {name: version for name, _, version in pairs if name and version}


_SLUP_MARKERS = (
    "POLICY_STATUS",
    "ACK_REQUIRED",
    "NEXT_ACK_DEADLINE",
    "TRUST_CODE_INSTALLED",
    "TRUST_SN",
    "TRUST_CODE_TYPE",
    "SMART_ACCOUNT",
    "REPORTING_MODE",
)


def _generation_from_status(
    records: list[Record], registration: Registration | None
) -> LicensingGeneration | None:
    # Registration and License Authorization exist only before Smart Licensing Using Policy.
    if registration is not None or first(records, "AUTHORIZATION_STATUS") is not None:
        return LicensingGeneration.SMART_LICENSING
    if any(first(records, key) for key in _SLUP_MARKERS):
        return LicensingGeneration.SMART_LICENSING_USING_POLICY
    return None


Getter = Callable[[str], "str | None"]


def _license_conversion(get: Getter) -> LicenseConversion | None:
    if get("CONVERSION_AUTOMATIC") is None:
        return None
    return LicenseConversion(
        automatic_conversion_enabled=bool_or_none(get("CONVERSION_AUTOMATIC")),
        status=text_or_none(get("CONVERSION_STATUS")),
        last_data_push=timestamp(get("CONVERSION_LAST_DATA_PUSH")),
        last_file_export=timestamp(get("CONVERSION_LAST_FILE_EXPORT")),
    )


def _export_features(records: list[Record]) -> list[str] | None:
    features = [f for record in records for f in record.get("EXPORT_FEATURES") or []]
    if not features:
        return None
    return [f for f in (text_or_none(f) for f in features) if f is not None]


def _data_privacy(get: Getter) -> DataPrivacy | None:
    keys = (
        "SENDING_HOSTNAME",
        "CALLHOME_HOSTNAME_PRIVACY",
        "SMART_LICENSING_HOSTNAME_PRIVACY",
        "VERSION_PRIVACY",
    )
    if not any(get(k) for k in keys):
        return None
    return DataPrivacy(
        sending_hostname=bool_or_none(get("SENDING_HOSTNAME")),
        callhome_hostname_privacy=bool_or_none(get("CALLHOME_HOSTNAME_PRIVACY")),
        smart_licensing_hostname_privacy=bool_or_none(get("SMART_LICENSING_HOSTNAME_PRIVACY")),
        version_privacy=bool_or_none(get("VERSION_PRIVACY")),
    )


_TRANSPORT_NAMES = {"transport off": "off", "off": "off"}


def _transport(get: Getter, ctx: ParseContext) -> Transport | None:
    printed = get("TRANSPORT_TYPE")
    if printed is None and get("TRANSPORT_URL") is None:
        return None
    kind = _TRANSPORT_NAMES.get(printed.lower(), printed) if printed else None
    proxy: Proxy | None = Proxy(
        address=text_or_none(get("PROXY_ADDRESS")),
        port=int_or_none(get("PROXY_PORT")),
        username=text_or_none(get("PROXY_USERNAME")),
        password_set=get("PROXY_PASSWORD_SET") is not None,
    )
    if proxy == Proxy():  # "Not Configured", or every field <empty>
        proxy = None
    return Transport(
        type=enum_or_none(TransportType, kind, ctx) if kind else None,
        url=text_or_none(get("TRANSPORT_URL")),
        cslu_address=text_or_none(get("CSLU_ADDRESS")),
        proxy=proxy,
        vrf=text_or_none(get("VRF")),
        ip_mode=text_or_none(get("IP_MODE")),
        trust_point=text_or_none(get("TRUST_POINT")),
    )


def _policy_attributes(get: Getter, group: str, ctx: ParseContext) -> PolicyAttributes | None:
    if get(f"{group}_FIRST_REPORT_DAYS") is None and get(f"{group}_REPORT_FREQUENCY_DAYS") is None:
        return None
    return PolicyAttributes(
        first_report_requirement_days=int_or_none(get(f"{group}_FIRST_REPORT_DAYS")),
        reporting_frequency_days=int_or_none(get(f"{group}_REPORT_FREQUENCY_DAYS")),
        report_on_change_days=int_or_none(get(f"{group}_ON_CHANGE_DAYS")),
        source=enum_or_none(PolicySource, get(f"{group}_SOURCE"), ctx),
    )


def _policy(get: Getter, ctx: ParseContext) -> Policy | None:
    installed_on = get("POLICY_INSTALLED_ON")
    in_use = get("POLICY_IN_USE")
    if installed_on is None and in_use is None and get("ACK_REQUIRED") is None:
        return None
    return Policy(
        in_use=f"Installed On {installed_on}" if installed_on else text_or_none(in_use),
        installed_on=timestamp(installed_on),
        name=text_or_none(get("POLICY_NAME")),
        reporting_ack_required=bool_or_none(get("ACK_REQUIRED")),
        reporting_ack_source=enum_or_none(PolicySource, get("ACK_SOURCE"), ctx),
        unenforced_perpetual=_policy_attributes(get, "PERPETUAL", ctx),
        unenforced_subscription=_policy_attributes(get, "SUBSCRIPTION", ctx),
        enforced=_policy_attributes(get, "ENFORCED", ctx),
        export=_policy_attributes(get, "EXPORT", ctx),
    )


def _usage_reporting(get: Getter) -> UsageReporting | None:
    keys = (
        "LAST_ACK_RECEIVED",
        "NEXT_ACK_DEADLINE",
        "PUSH_INTERVAL_DAYS",
        "NEXT_REPORT_PUSH",
        "LAST_REPORT_PUSH",
    )
    if not any(get(k) for k in keys):
        return None
    return UsageReporting(
        last_ack_received=timestamp(get("LAST_ACK_RECEIVED")),
        next_ack_deadline=timestamp(get("NEXT_ACK_DEADLINE")),
        reporting_push_interval_days=int_or_none(get("PUSH_INTERVAL_DAYS")),
        next_ack_push_check=timestamp(get("NEXT_ACK_PUSH_CHECK")),
        next_report_push=timestamp(get("NEXT_REPORT_PUSH")),
        last_report_push=timestamp(get("LAST_REPORT_PUSH")),
        last_report_file_write=timestamp(get("LAST_REPORT_FILE_WRITE")),
    )


def _telemetry(get: Getter) -> DeviceTelemetry | None:
    if get("DATA_CHANNEL") is None and get("REPORTS_ON_DISK") is None:
        return None
    return DeviceTelemetry(
        data_channel=text_or_none(get("DATA_CHANNEL")), reports_on_disk=int_or_none(get("REPORTS_ON_DISK"))
    )


# Section title -> the piece template that reads its body. Other sections (Agent Version, Usage Report
# Summary, anything unknown) go to the composite template, which understands the frame.
PIECE_OF_SECTION = {
    "Smart Licensing Status": SHOW_LICENSE_STATUS,
    "License Usage": SHOW_LICENSE_USAGE,
    "Product Information": SHOW_LICENSE_UDI,
    "License Authorizations": SHOW_LICENSE_AUTHORIZATION,
}
TELEMETRY_TITLE = "Device Telemetry Report Summary:"


@register_builder(SHOW_LICENSE_ALL)
def build_license_all(ctx: ParseContext) -> LicenseAll:
    """Each section goes to its piece's template and builder; the frame to the composite template."""
    by_piece: dict[str, list[Record]] = {}
    frame: list[Record] = []
    sections = split_sections(ctx.lines)
    if all(section.title in (None, TELEMETRY_TITLE) for section in sections):
        # No section title of its own: `show license status` ends with the telemetry block too.
        raise ctx.not_this_output()
    for section in sections:
        piece = PIECE_OF_SECTION.get(section.title or "")
        if piece is not None:
            by_piece.setdefault(piece, []).extend(ctx.run(piece, section.text()))
        elif section.title == TELEMETRY_TITLE:
            by_piece.setdefault(SHOW_LICENSE_STATUS, []).extend(
                ctx.run(SHOW_LICENSE_STATUS, section.text(with_title=True))
            )
        else:
            frame.extend(ctx.run(SHOW_LICENSE_ALL, section.text(with_title=True)))
    if not understood_anything(frame) and not any(understood_anything(r) for r in by_piece.values()):
        raise ctx.not_this_output()

    def records_of(name: str) -> list[Record] | None:
        records = by_piece.get(name, [])
        return records if understood_anything(records) else None

    status_records = records_of(SHOW_LICENSE_STATUS)
    usage_records = records_of(SHOW_LICENSE_USAGE)
    udi_records = records_of(SHOW_LICENSE_UDI)
    auth_records = records_of(SHOW_LICENSE_AUTHORIZATION)
    status = status_from_records(status_records, ctx) if status_records else None
    return LicenseAll(
        generation=status.generation if status else None,
        agent_version=text_or_none(first(frame, "AGENT_VERSION")),
        status=status,
        usage=usage_from_records(usage_records, ctx) if usage_records else None,
        udi=udi_from_records(udi_records, ctx) if udi_records else None,
        authorization=authorization_from_records(auth_records, ctx) if auth_records else None,
        usage_report_summary=_usage_report_summary(frame),
        telemetry=status.telemetry if status else None,
        reservation_info=reservation_info_of(frame, ctx),
        agent_component_versions=_component_versions(text_or_none(first(frame, "AGENT_COMPONENTS"))),
    )


def _usage_report_summary(frame: list[Record]) -> UsageReportSummary | None:
    if first(frame, "REPORT_TOTAL") is None:
        return None

    def count(key: str) -> int:
        return int_or_none(first(frame, key)) or 0

    return UsageReportSummary(
        total=count("REPORT_TOTAL"),
        purged=count("REPORT_PURGED"),
        acknowledged_received=count("REPORT_ACKNOWLEDGED"),
        waiting_for_ack=count("REPORT_WAITING_FOR_ACK"),
        available_to_report=count("REPORT_AVAILABLE"),
        collecting_data=count("REPORT_COLLECTING"),
    )
