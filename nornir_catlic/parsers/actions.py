"""Builders for the replies of licensing actions: ``license smart authorization return``,
``license smart import`` and ``license smart save usage``."""

from __future__ import annotations

from nornir_catlic.models.actions import (
    AuthorizationReturnReply,
    LicenseImportReply,
    ReturnCode,
    SaveUsageReply,
)
from nornir_catlic.parsers.base import ParseContext, register_builder
from nornir_catlic.parsers.values import first, udi

RETURN_TEMPLATE = "cisco_xe_license_smart_authorization_return.textfsm"
IMPORT_TEMPLATE = "cisco_xe_license_smart_import.textfsm"
SAVE_USAGE_TEMPLATE = "cisco_xe_license_smart_save_usage.textfsm"


@register_builder(RETURN_TEMPLATE)
def build_authorization_return(ctx: ParseContext) -> AuthorizationReturnReply:
    records = ctx.run_or_reject(RETURN_TEMPLATE)
    codes = [
        ReturnCode(udi=udi(record["UDI_PID"], record["UDI_SN"]), return_code=record["RETURN_CODE"])
        for record in records
        if record["RETURN_CODE"]
    ]
    nothing = any(record["NOTHING_INSTALLED"] for record in records)
    return AuthorizationReturnReply(codes=codes, nothing_installed=nothing)


@register_builder(IMPORT_TEMPLATE)
def build_license_import(ctx: ParseContext) -> LicenseImportReply:
    records = ctx.run_or_reject(IMPORT_TEMPLATE)
    return LicenseImportReply(
        successful=bool(first(records, "SUCCESS")),
        udi=udi(first(records, "UDI_PID"), first(records, "UDI_SN")),
        confirmation_code=first(records, "CONFIRMATION_CODE"),
    )


@register_builder(SAVE_USAGE_TEMPLATE)
def build_save_usage(ctx: ParseContext) -> SaveUsageReply:
    records = ctx.run_or_reject(SAVE_USAGE_TEMPLATE)
    return SaveUsageReply(nothing_to_save=bool(first(records, "NOT_FOUND")))
