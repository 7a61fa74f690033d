"""SLACs (the HSECK9 authorization codes): request online or to a file, install, import, remove, return.

``replace`` while an HSECK9 key is IN USE: the guide forbids it, yet its own stack example replaces all keys
online while IPsec runs. Online, SSM swaps the keys in one transaction, so the feature never loses its
authorization: allowed. Offline (transport off, or SSM unreachable) the in-use key would be returned before
a new SLAC exists: refused, telling to disable the feature first.
"""

from __future__ import annotations

import secrets
from typing import Any

from virtual_devices import licfiles
from virtual_devices.licensing import link, settings
from virtual_devices.licensing.messages import MESSAGES
from virtual_devices.licensing.reporting import install_ack
from virtual_devices.licensing.state import InstalledSlac, LicensingState, PendingReturn, SlacRequest, instant
from virtual_devices.licensing.switch import Switch
from virtual_devices.licensing.trust import scope_udis
from virtual_devices.licensing.usage import refresh_reports
from virtual_devices.licfiles import CorruptFileError, Slac
from virtual_devices.platforms import HSEC_FEATURE, HSEC_TAG
from virtual_devices.ssm import AuthorizationEntry


# ---------------------------------------------------------------- request
def request_authorization(switch: Switch, state: LicensingState, mode: str, feature: str, scope: str) -> str:
    """``license smart authorization request {add|replace} hseck9 {local|all}``."""
    if feature.lower() != HSEC_FEATURE or not switch.hsec_supported():
        return MESSAGES["feature_unsupported"].format(feature=feature)
    if mode == "replace" and switch.svl:
        return MESSAGES["replace_svl"]
    if mode == "replace" and state.hsec_in_use and not link.reachable(switch):
        return MESSAGES["replace_in_use"].format(release=switch.platform.release_command)
    state.pending = _build_request(switch, state, mode, scope)
    if link.reachable(switch):
        request_online(switch, state, mode, scope, announce=True)
    elif settings.is_online(switch):
        link.comm_failure(switch, state)
    else:  # offline: keys of UDIs left out of the new SLAC go back with the request file
        for udi in state.pending.returns:
            remove_slac(switch, state, udi, state.pending.remove[udi], announce=True)
    return ""


def _build_request(switch: Switch, state: LicensingState, mode: str, scope: str) -> SlacRequest:
    udis = scope_udis(switch, scope)
    remove = {}
    returns = []
    if mode == "replace":  # every key of the existing SLACs goes back
        for udi, slac in state.slacs.items():
            remove[udi] = licfiles.return_code(slac.code, udi)
            if udi not in udis:
                returns.append(udi)
    return SlacRequest(mode, scope, udis, remove, returns, instant(switch.now()), secrets.token_hex(8))


def request_online(switch: Switch, state: LicensingState, mode: str, scope: str, *, announce: bool) -> None:
    """Send the pending request (or a new one) to the SSM and install what comes back, UDI by UDI."""
    request = state.pending or _build_request(switch, state, mode, scope)
    entries = [
        AuthorizationEntry(udi, mode="return", remove_code=request.remove[udi]) for udi in request.returns
    ]
    entries += [
        AuthorizationEntry(udi, mode=mode, remove_code=request.remove.get(udi)) for udi in request.udis
    ]
    account = state.account
    default = switch.ctx.default_account() if account is None else {}
    returns = list(request.returns)
    try:
        outcome: dict[str, Any] = switch.ctx.ssm.authorize(
            entries,
            smart_account=account.smart_account if account else default.get("smart_account"),
            virtual_account=account.virtual_account if account else default.get("virtual_account"),
            hostname=switch.hostname,
            atomic=False,
        )
    except LookupError as error:  # SSM refused the whole request (no such account)
        outcome = {udi: error for udi in request.udis}
        returns = []
    link.note_comm_ok(switch, state)
    for udi in returns:
        remove_slac(switch, state, udi, request.remove[udi], announce=announce)
    for udi in list(request.udis):  # installing shrinks the pending list
        result = outcome.get(udi)
        if isinstance(result, Slac):
            install_slac(switch, state, result, announce=announce)
        elif result is not None:
            if udi in request.remove:  # its old key went back with the request
                remove_slac(switch, state, udi, request.remove[udi], announce=False)
            switch.log(
                "%SMART_LIC-3-AUTHORIZATION_INSTALL_FAILED",
                MESSAGES["install_failed"].format(udi=udi, code=getattr(result, "message_code", result)),
            )
    state.pending = None


def request_text(switch: Switch, state: LicensingState) -> str | None:
    """The SLAC request file for the pending request (``license smart authorization request save``)."""
    request = state.pending
    if request is None:
        return None
    entries = [_request_entry(state, udi, "return", 0, request.remove[udi]) for udi in request.returns]
    entries += [
        _request_entry(state, udi, request.mode, 1, request.remove.get(udi, "")) for udi in request.udis
    ]
    active = switch.active_unit()
    system_info = {
        "timestamp": int(switch.now().timestamp()),
        "nonce": request.nonce,
        "udi": {"pid": active.pid, "sn": active.serial},
        "hostname": switch.hostname,
        "devices": [{"udi": u.udi, "role": u.role} for u in switch.ha_units()],
    }
    return licfiles.request_file(system_info, entries)


def _request_entry(
    state: LicensingState, udi: str, mode: str, count: int, remove_code: str
) -> dict[str, Any]:
    slac = state.slacs.get(udi)
    return {
        "udi": udi,
        "mode": mode,
        "keys": [{"entitlement": HSEC_TAG, "count": count}],
        "confirm_code": licfiles.confirmation_code(slac.code) if slac else "",
        "remove_code": remove_code,
    }


# ---------------------------------------------------------------- install and remove
def install_slac(switch: Switch, state: LicensingState, slac: Slac, *, announce: bool = True) -> None:
    state.slacs[slac.udi] = InstalledSlac(slac.authorization_code, instant(switch.now()), slac.entitlement)
    state.last_return.pop(slac.udi, None)
    if state.pending is not None and slac.udi in state.pending.udis:
        state.pending.udis.remove(slac.udi)
        if not state.pending.udis:
            state.pending = None
    if announce:
        switch.log(
            "%SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS", MESSAGES["install_success"].format(udi=slac.udi)
        )
    refresh_reports(switch, state)


def remove_slac(switch: Switch, state: LicensingState, udi: str, code: str, *, announce: bool) -> None:
    if state.slacs.pop(udi, None) is not None:
        state.last_return[udi] = code
        if announce:
            switch.log(
                "%SMART_LIC-6-AUTHORIZATION_REMOVED", MESSAGES["authorization_removed"].format(udi=udi)
            )


def import_text(switch: Switch, state: LicensingState, text: str) -> str:
    """``license smart import``: a SLAC file (one UDI) or an ACK file, as read from the file system."""
    if switch.faults.corrupt_import:
        text = text[: len(text) // 2]
    try:
        kind, parts = licfiles.read_envelope(text)
        if kind == "smartLicenseAuthorization":
            slac = licfiles.parse_slac(parts)
            if slac.udi not in switch.udis():
                return MESSAGES["import_failed"].format(reason=f"the authorization code is for {slac.udi}")
            install_slac(switch, state, slac)
            return (
                "Import Data Successful\n"
                f"Last Confirmation code UDI: {slac.udi}\n"
                f"Confirmation code: {slac.confirmation_code}"
            )
        if kind == "smartLicenseAck":
            install_ack(switch, state, dict(parts.get("ack") or {}), switch.now())
            return "Import Data Successful"
    except CorruptFileError as error:
        return MESSAGES["import_failed"].format(reason=str(error))
    return MESSAGES["import_failed"].format(reason="not a file the switch can import")


# ---------------------------------------------------------------- return
def return_authorization(
    switch: Switch, state: LicensingState, scope: str, online: bool, to_file: bool = False
) -> tuple[str, str | None]:
    """``license smart authorization return``: (output, return file text); the file text only for
    ``offline <path>``."""
    in_scope = scope_udis(switch, scope)
    udis = [udi for udi in state.slacs if udi in in_scope]
    if not udis:
        return MESSAGES["nothing_to_return"], None
    if state.hsec_in_use:
        return MESSAGES["return_in_use"].format(release=switch.platform.release_command), None
    entries = [(udi, licfiles.return_code(state.slacs[udi].code, udi)) for udi in udis]
    text = licfiles.return_text(entries)
    for udi, code in entries:
        remove_slac(switch, state, udi, code, announce=True)
    refresh_reports(switch, state)
    if not online:
        return ("", text) if to_file else (text.rstrip("\n"), None)
    if link.reachable(switch):
        for udi, code in entries:
            switch.ctx.ssm.return_authorization(udi, code)
        link.note_comm_ok(switch, state)
        return "", None
    state.pending_returns.extend(PendingReturn(udi, code) for udi, code in entries)
    if settings.is_online(switch):
        link.comm_failure(switch, state)
        return "", None
    return text.rstrip("\n"), None  # transport off: the code must reach SSM by hand


def send_pending_returns(switch: Switch, state: LicensingState) -> None:
    """Return codes made while the SSM was unreachable, sent now that it is."""
    for entry in state.pending_returns:
        switch.ctx.ssm.return_authorization(entry.udi, entry.code)
    state.pending_returns = []
