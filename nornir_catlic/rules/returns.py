"""Returning a SLAC: only while the key is NOT IN USE, and a return code is not done until SSM acknowledges
it (guide: Returning a SLAC)."""

from __future__ import annotations

from collections.abc import Mapping

from nornir_catlic.domain import DeviceFacts
from nornir_catlic.rules.catalog import finding
from nornir_catlic.rules.codes import FindingCode
from nornir_catlic.rules.commands import forced_release_command
from nornir_catlic.rules.findings import Finding, Refusal


def check_return_ready(facts: DeviceFacts) -> list[Finding]:
    """A SLAC can be returned only while the HSECK9 key is NOT IN USE (guide: Returning a SLAC)."""
    if not facts.hsec_in_use:
        return []
    release = forced_release_command(facts.family)
    if release:
        return [finding(FindingCode.HSEC_IN_USE, facts.host, variant="forced-release", command=release)]
    return [finding(FindingCode.HSEC_IN_USE, facts.host)]


def unacknowledged_return_findings(return_codes: Mapping[str, str]) -> list[Finding]:
    """UDI -> return code that SSM has not acknowledged yet: the key is not back in the pool."""
    return [
        finding(FindingCode.RETURN_NOT_ACKNOWLEDGED, udi, return_code=code)
        for udi, code in sorted(return_codes.items())
    ]


CRYPTO_STILL_CONFIGURED_REMEDY = (
    "disable or unconfigure the cryptographic feature (IPsec tunnel or WAN MACsec) first; the release only "
    "frees a key no feature uses"
)


def release_refusal(command: str, crypto_configuration: str) -> Refusal | None:
    """Why the forced release ``command`` would not free the HSECK9 key, or None (guide: Returning a SLAC):
    while the cryptographic feature is in the running configuration (``crypto_configuration``, its lines),
    the device keeps the key IN USE."""
    if not crypto_configuration.strip():
        return None
    return Refusal(
        f"the HSECK9 key would stay IN USE after `{command}`: the cryptographic feature is still configured",
        CRYPTO_STILL_CONFIGURED_REMEDY,
        crypto_configuration.strip(),
    )
