"""The device commands the guide's procedures type: SLAC requests and returns, imports, syncs, boot levels,
the forced release of a key in use."""

from __future__ import annotations

import enum

from nornir_catlic.domain import (
    HSEC_FEATURE,
    AddOn,
    BaseLicense,
    CryptoFeature,
    GuideSection,
    Permission,
    ProductFamily,
    combination_permission,
    hseck9_support,
)
from nornir_catlic.errors import PrerequisiteError


class SlacAction(str, enum.Enum):
    ADD = "add"
    REPLACE = "replace"


class SlacScope(str, enum.Enum):
    ALL = "all"
    """Every device of the HA or stacking set-up."""
    LOCAL = "local"
    """The active only (the device's default)."""


def slac_request_command(action: SlacAction, scope: SlacScope, feature: str = HSEC_FEATURE) -> str:
    """``license smart authorization request {add | replace} hseck9 {all | local}``."""
    return f"license smart authorization request {action.value} {feature} {scope.value}"


def slac_request_save_command(path: str) -> str:
    """``license smart authorization request save bootflash:slac.txt`` (air-gapped, 17.7.1 and later)."""
    return f"license smart authorization request save {path}"


def slac_return_command(scope: SlacScope, *, online: bool, path: str | None = None) -> str:
    """``license smart authorization return {all | local} {offline [path] | online}``."""
    if online:
        if path is not None:
            raise ValueError("an online return writes no file")
        return f"license smart authorization return {scope.value} online"
    suffix = f" {path}" if path else ""
    return f"license smart authorization return {scope.value} offline{suffix}"


def license_import_command(path: str) -> str:
    """``license smart import bootflash:file.txt``: one SLAC (or ACK) file at a time."""
    return f"license smart import {path}"


def license_sync_command(scope: SlacScope = SlacScope.ALL) -> str:
    """``license smart sync {all | local}``: send and receive pending data right away."""
    return f"license smart sync {scope.value}"


def boot_level_command(base: BaseLicense, addon: AddOn | None = None, *, renewal: bool = False) -> str:
    """The global-configuration line ``license boot level <base> [addon <add-on>]`` (guide: step 3).

    Raises:
        PrerequisiteError: for a combination Figure 1 does not permit (Network Essentials + DNA Advantage), or
            Network Advantage + DNA Essentials without ``renewal``.
    """
    permission = combination_permission(base, addon)
    if permission is Permission.FORBIDDEN:
        raise PrerequisiteError(
            f"{base.value} with {addon.value if addon else ''} is not a permitted combination "
            f"(guide, {GuideSection.PERMITTED_COMBINATIONS}, Figure 1)"
        )
    if permission is Permission.RENEWAL_ONLY and not renewal:
        raise PrerequisiteError(
            f"{base.value} with {addon.value if addon else ''} is available only at the time of DNA license "
            f"renewal, not with the first purchase (guide, {GuideSection.PERMITTED_COMBINATIONS}); pass "
            "renewal=True to confirm this is a renewal"
        )
    command = f"license boot level {base.value}"
    return command if addon is None else f"{command} addon {addon.value}"


def forced_release_command(family: ProductFamily | None) -> str | None:
    """The global-configuration command that releases an HSECK9 key still IN USE (guide: Returning a SLAC).

    ``platform hsec-license-release`` on C9300X and C9400X-SUP-2/2XL (IPsec platforms),
    ``platform wanmacsec hsec-license-release`` on C9500X and C9600X-SUP-2 (WAN MACsec platforms). The guide's
    examples enter both in ``configure terminal``; the device answers ``HSEC license is released``.
    """
    support = hseck9_support(family)
    if support.crypto_feature is CryptoFeature.IPSEC:
        return "platform hsec-license-release"
    if support.crypto_feature is CryptoFeature.WAN_MACSEC:
        return "platform wanmacsec hsec-license-release"
    return None
