"""Builders for the replies of licensing actions: ``license smart authorization return|request``,
``license smart import``, ``license smart save usage``, ``license smart reservation ...`` (16.x SLR) and
``license smart register|trust idtoken``. Each reply becomes a typed ``ReplyOutcome``."""

from __future__ import annotations

from nornir_catlic.models.actions import (
    AuthorizationRequestReply,
    AuthorizationReturnReply,
    IdTokenReply,
    LicenseImportReply,
    ReplyOutcome,
    RequestCode,
    ReservationCancelReply,
    ReservationInstallReply,
    ReservationRequestReply,
    ReservationReturnReply,
    ReturnCode,
    SaveUsageReply,
)
from nornir_catlic.parsers.base import ParseContext, Record, register_builder
from nornir_catlic.parsers.values import first, udi

RETURN_TEMPLATE = "cisco_xe_license_smart_authorization_return.textfsm"
IMPORT_TEMPLATE = "cisco_xe_license_smart_import.textfsm"
SAVE_USAGE_TEMPLATE = "cisco_xe_license_smart_save_usage.textfsm"
RESERVATION_REQUEST_TEMPLATE = "cisco_xe_license_smart_reservation_request.textfsm"
RESERVATION_INSTALL_TEMPLATE = "cisco_xe_license_smart_reservation_install.textfsm"
RESERVATION_RETURN_TEMPLATE = "cisco_xe_license_smart_reservation_return.textfsm"
RESERVATION_CANCEL_TEMPLATE = "cisco_xe_license_smart_reservation_cancel.textfsm"
REGISTER_IDTOKEN_TEMPLATE = "cisco_xe_license_smart_register_idtoken.textfsm"
TRUST_IDTOKEN_TEMPLATE = "cisco_xe_license_smart_trust_idtoken.textfsm"
AUTHORIZATION_REQUEST_TEMPLATE = "cisco_xe_license_smart_authorization_request.textfsm"


def _outcome(records: list[Record], done: bool, **by_key: ReplyOutcome) -> ReplyOutcome | None:
    """The outcome of the first key (a template value) that some record captured; DONE when ``done``."""
    for key, outcome in by_key.items():
        if first(records, key):
            return outcome
    return ReplyOutcome.DONE if done else None


def _reject_without_outcome(ctx: ParseContext, outcome: object) -> None:
    """A UDI line alone (the first line of ``show license udi``) is no reply: refuse it."""
    if not outcome:
        raise ctx.not_this_output()


def _return_codes(records: list[Record]) -> list[ReturnCode]:
    return [
        ReturnCode(udi=udi(record["UDI_PID"], record["UDI_SN"]), return_code=record["RETURN_CODE"])
        for record in records
        if record["RETURN_CODE"]
    ]


@register_builder(RETURN_TEMPLATE)
def build_authorization_return(ctx: ParseContext) -> AuthorizationReturnReply:
    records = ctx.run_or_reject(RETURN_TEMPLATE)
    codes = _return_codes(records)
    nothing = any(record["NOTHING_INSTALLED"] for record in records)
    _reject_without_outcome(ctx, codes or nothing)
    return AuthorizationReturnReply(
        codes=codes,
        nothing_installed=nothing,
        outcome=_outcome(records, bool(codes), NOTHING_INSTALLED=ReplyOutcome.NOTHING_INSTALLED),
    )


@register_builder(IMPORT_TEMPLATE)
def build_license_import(ctx: ParseContext) -> LicenseImportReply:
    records = ctx.run_or_reject(IMPORT_TEMPLATE)
    return LicenseImportReply(
        successful=bool(first(records, "SUCCESS")),
        udi=udi(first(records, "UDI_PID"), first(records, "UDI_SN")),
        confirmation_code=first(records, "CONFIRMATION_CODE"),
    )


@register_builder(SAVE_USAGE_TEMPLATE, silent_success=True)
def build_save_usage(ctx: ParseContext) -> SaveUsageReply:
    records = ctx.run(SAVE_USAGE_TEMPLATE)
    return SaveUsageReply(
        nothing_to_save=bool(first(records, "NOT_FOUND")),
        outcome=_outcome(records, True, NOT_FOUND=ReplyOutcome.NOT_FOUND),
    )


@register_builder(AUTHORIZATION_REQUEST_TEMPLATE, silent_success=True)
def build_authorization_request(ctx: ParseContext) -> AuthorizationRequestReply:
    records = ctx.run(AUTHORIZATION_REQUEST_TEMPLATE)
    return AuthorizationRequestReply(outcome=_outcome(records, True, NOT_FOUND=ReplyOutcome.NOT_FOUND))


@register_builder(RESERVATION_REQUEST_TEMPLATE)
def build_reservation_request(ctx: ParseContext) -> ReservationRequestReply:
    records = ctx.run_or_reject(RESERVATION_REQUEST_TEMPLATE)
    codes = [
        RequestCode(udi=udi(record["UDI_PID"], record["UDI_SN"]), request_code=record["REQUEST_CODE"])
        for record in records
        if record["REQUEST_CODE"]
    ]
    outcome = _outcome(records, bool(codes), ALREADY_REGISTERED=ReplyOutcome.ALREADY_REGISTERED)
    _reject_without_outcome(ctx, outcome)
    return ReservationRequestReply(codes=codes, outcome=outcome)


@register_builder(RESERVATION_INSTALL_TEMPLATE)
def build_reservation_install(ctx: ParseContext) -> ReservationInstallReply:
    records = ctx.run_or_reject(RESERVATION_INSTALL_TEMPLATE)
    outcome = _outcome(
        records,
        False,
        FAILED=ReplyOutcome.FAILED,
        ALREADY_REGISTERED=ReplyOutcome.ALREADY_REGISTERED,
        SUCCESS=ReplyOutcome.DONE,
    )
    return ReservationInstallReply(
        outcome=outcome,
        failure_reason=first(records, "FAILURE_REASON"),
        udi=udi(first(records, "UDI_PID"), first(records, "UDI_SN")),
        confirmation_code=first(records, "CONFIRMATION_CODE"),
    )


@register_builder(RESERVATION_RETURN_TEMPLATE)
def build_reservation_return(ctx: ParseContext) -> ReservationReturnReply:
    records = ctx.run_or_reject(RESERVATION_RETURN_TEMPLATE)
    codes = _return_codes(records)
    outcome = _outcome(records, bool(codes), NOTHING_INSTALLED=ReplyOutcome.NOTHING_INSTALLED)
    _reject_without_outcome(ctx, outcome)
    return ReservationReturnReply(codes=codes, outcome=outcome)


@register_builder(RESERVATION_CANCEL_TEMPLATE, silent_success=True)
def build_reservation_cancel(ctx: ParseContext) -> ReservationCancelReply:
    records = ctx.run(RESERVATION_CANCEL_TEMPLATE)
    return ReservationCancelReply(
        outcome=_outcome(records, True, NOTHING_INSTALLED=ReplyOutcome.NOTHING_INSTALLED)
    )


@register_builder(TRUST_IDTOKEN_TEMPLATE, silent_success=True)
def build_trust_idtoken(ctx: ParseContext) -> IdTokenReply:
    ctx.run(TRUST_IDTOKEN_TEMPLATE)
    return IdTokenReply(outcome=ReplyOutcome.DONE)


@register_builder(REGISTER_IDTOKEN_TEMPLATE, silent_success=True)
def build_register_idtoken(ctx: ParseContext) -> IdTokenReply:
    records = ctx.run(REGISTER_IDTOKEN_TEMPLATE)
    outcome = _outcome(
        records,
        True,
        IN_PROGRESS=ReplyOutcome.IN_PROGRESS,
        ALREADY_REGISTERED=ReplyOutcome.ALREADY_REGISTERED,
    )
    return IdTokenReply(outcome=outcome)
