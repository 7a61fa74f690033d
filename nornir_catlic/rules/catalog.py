"""Every finding's severity, text, remedy and guide section, in one place, and the one factory that builds
a :class:`Finding` from them.

Texts are ``str.format`` templates filled with the values a check passes. A code whose wording depends on
the case (the standby of a stack or of a StackWise Virtual pair, a combination forbidden or renewal-only)
has named variants.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from nornir_catlic.domain import AddOn, BaseLicense, GuideSection
from nornir_catlic.rules.codes import FindingCode
from nornir_catlic.rules.commands import boot_level_command
from nornir_catlic.rules.findings import Finding, Severity


@dataclass(frozen=True)
class Entry:
    """What the catalog says about one code (or one variant of it)."""

    severity: Severity
    message: str
    remedy: str = ""
    section: GuideSection | None = None


DEFAULT = ""
"""The variant of a code that has only one wording."""

_DNA_ADVANTAGE_REMEDY = (
    f"configure `{boot_level_command(BaseLicense.NETWORK_ADVANTAGE, AddOn.DNA_ADVANTAGE)}`, save the "
    "configuration and reload"
)
_REPORTING_REMEDY = (
    "send a RUM report and install the ACK (`license smart sync all`, or save the usage file, upload it "
    "to Cisco SSM and import the ACK)"
)
_SMART_LICENSING_REMEDY = (
    "register the product instance with Cisco SSM, or move to Smart Licensing Using Policy "
    "(IOS XE 17.3 and later), where licenses in use are reported instead of authorized"
)
_ZONE_NOTE = (
    " (printed as {local:%b %d %H:%M:%S %Y} {zone}, a zone whose offset is unknown: judged at the "
    "earliest it can be; map the zone, e.g. host data clock_zones: {{{zone}: <hours>}})"
)
_MIXED_STACK = (
    "mixed stacking is not supported, all devices in the stack must be Cisco Catalyst 9300X Series Switches"
)
_COMBINATION = "boot level {when} is {level}, which is "
_COMBINATION_REMEDY = "choose Network Essentials + DNA Essentials or Network Advantage + DNA Advantage"
_MEMBER_WITHOUT_SLAC = (
    "this stack member has no SLAC; should it become active, cryptographic functionality is rejected"
)
_MEMBER_REMEDY = "request SLAC for the entire stack again: `{command}`"
_DEADLINE_PASSED = "the Next ACK deadline {deadline:%b %d %H:%M:%S %Y} UTC has passed"
_DEADLINE_NEAR = "the Next ACK deadline {deadline:%b %d %H:%M:%S %Y} UTC is in {days} day(s)"
_RETURN_IN_USE_REMEDY = "disable or unconfigure the cryptographic feature"

_C = FindingCode
_ENTRIES: dict[tuple[FindingCode, str], Entry] = {
    # --- product support
    (_C.NO_UDI, DEFAULT): Entry(
        Severity.ERROR, "the device reported no UDI", "check `show license udi` on the device"
    ),
    (_C.SUPERVISOR_UNKNOWN, DEFAULT): Entry(
        Severity.WARNING,
        "{pid} is a chassis; its supervisor decides HSECK9 support and is unknown",
        "HSECK9 needs a C9400X-SUP-2/2XL or C9600X-SUP-2 supervisor; check `show module`",
        GuideSection.PRODUCT_SUPPORT,
    ),
    (_C.HSEC_PLATFORM_UNSUPPORTED, DEFAULT): Entry(
        Severity.ERROR,
        "{name} ({pid}) does not support the HSECK9 key",
        "HSECK9 is supported only on C9300X, C9400X-SUP-2/2XL, C9500X and C9600X-SUP-2",
        GuideSection.PRODUCT_SUPPORT,
    ),
    (_C.RELEASE_UNKNOWN, DEFAULT): Entry(
        Severity.WARNING,
        "the running release is unknown; HSECK9 support could not be confirmed",
        "{name} needs {release_name} or later",
        GuideSection.PRODUCT_SUPPORT,
    ),
    (_C.RELEASE_UNKNOWN, "not-numbered"): Entry(
        Severity.WARNING,
        "the running release is {release}, not a numbered release; HSECK9 support could not be confirmed",
        "{name} needs {release_name} or later",
        GuideSection.PRODUCT_SUPPORT,
    ),
    (_C.HSEC_RELEASE_TOO_OLD, DEFAULT): Entry(
        Severity.ERROR,
        "release {release} is older than {min_release}, the first with HSECK9 support on {name}",
        "upgrade to {release_name} or later",
        GuideSection.PRODUCT_SUPPORT,
    ),
    # --- prerequisites and restrictions
    (_C.HSEC_SETUP_UNSUPPORTED, DEFAULT): Entry(
        Severity.ERROR, "{reason}", "use a supported set-up", GuideSection.PREREQUISITES
    ),
    (_C.HSEC_SETUP_UNSUPPORTED, "standalone-only"): Entry(
        Severity.ERROR,
        "{reason}",
        "run the switch standalone to use the HSECK9 key",
        GuideSection.PREREQUISITES,
    ),
    (_C.HSEC_VIA_CONTROLLER, DEFAULT): Entry(
        Severity.ERROR,
        "the device reaches Cisco SSM through Cisco Catalyst Center, which cannot generate a SLAC for "
        "Catalyst 9000 switches that support the HSECK9 key",
        "implement another Smart Licensing Using Policy topology (direct, CSLU, SSM On-Prem or air-gapped) "
        "to obtain the SLAC",
        GuideSection.RESTRICTIONS,
    ),
    (_C.BOOT_LEVEL_UNKNOWN, DEFAULT): Entry(
        Severity.WARNING,
        "the license boot level is unknown; DNA Advantage could not be confirmed",
        _DNA_ADVANTAGE_REMEDY,
        GuideSection.PREREQUISITES,
    ),
    (_C.DNA_ADVANTAGE_AFTER_RELOAD, DEFAULT): Entry(
        Severity.WARNING,
        "DNA Advantage is configured but takes effect only after a reload (now {now}, after reload {after})",
        "reload the device",
        GuideSection.BOOT_LEVEL,
    ),
    (_C.DNA_ADVANTAGE_MISSING, DEFAULT): Entry(
        Severity.ERROR,
        "boot level is {level}: an HSECK9 key cannot be used without DNA Advantage configured",
        _DNA_ADVANTAGE_REMEDY,
        GuideSection.PREREQUISITES,
    ),
    (_C.HSEC_KEYS_REQUIRED, DEFAULT): Entry(
        Severity.INFO,
        "{reason}: minimum {minimum}, recommended {recommended}, {every} for every UDI; {holding} hold a "
        "SLAC now",
        "hold at least {recommended} C9K HSEC key(s) in the Smart Account and Virtual Account",
        GuideSection.PREREQUISITES,
    ),
    (_C.CRYPTO_BEFORE_SLAC, DEFAULT): Entry(
        Severity.ERROR,
        "the cryptographic feature is configured but no SLAC is installed on the active",
        "install SLAC, then reconfigure the cryptographic feature (configured before the SLAC, it must be "
        "configured again)",
        GuideSection.PREREQUISITES,
    ),
    (_C.HSEC_IN_USE_WITHOUT_SLAC, DEFAULT): Entry(
        Severity.CRITICAL,
        "the HSECK9 key is IN USE but the active has no SLAC installed",
        "request and install SLAC for the active (`{command}`), then reconfigure the cryptographic feature",
        GuideSection.PREREQUISITES,
    ),
    (_C.CRYPTO_TO_RECONFIGURE, DEFAULT): Entry(
        Severity.WARNING,
        "the device refused the cryptographic configuration ({event}) and the SLAC is installed now, but "
        "the feature is not configured",
        "configure the cryptographic feature again: configured before the SLAC, it must be configured "
        "again after installing it",
        GuideSection.PREREQUISITES,
    ),
    # --- boot levels
    (_C.COMBINATION_NOT_PERMITTED, "renewal-only"): Entry(
        Severity.WARNING,
        _COMBINATION + "available only at DNA license renewal",
        _COMBINATION_REMEDY,
        GuideSection.PERMITTED_COMBINATIONS,
    ),
    (_C.COMBINATION_NOT_PERMITTED, "forbidden"): Entry(
        Severity.ERROR,
        _COMBINATION + "not a permitted combination",
        _COMBINATION_REMEDY,
        GuideSection.PERMITTED_COMBINATIONS,
    ),
    (_C.BOOT_LEVEL_PENDING_RELOAD, DEFAULT): Entry(
        Severity.INFO,
        "boot level {now} now, {after} after reload",
        "reload the device to activate the configured license level",
        GuideSection.BOOT_LEVEL,
    ),
    # --- stacking, high availability, hardware replacement
    (_C.MIXED_STACK, DEFAULT): Entry(
        Severity.ERROR,
        "{role} {pid} in a stack: " + _MIXED_STACK,
        "remove the non-C9300X member from the stack",
        GuideSection.STACKING,
    ),
    (_C.MIXED_STACK, "joining"): Entry(
        Severity.ERROR,
        "{pid} cannot join {host}: " + _MIXED_STACK,
        "add a C9300X switch instead",
        GuideSection.STACKING,
    ),
    (_C.STANDBY_NOT_AUTHORIZED, "stackwise-virtual"): Entry(
        Severity.WARNING,
        "the standby chassis has no HSECK9 key: after a switchover the new active reloads and "
        "cryptographic functionality may be disabled",
        "replace is not supported in StackWise Virtual: return the SLAC on the active, then request and "
        "install SLAC on the active and standby again (`{command}`)",
        GuideSection.HIGH_AVAILABILITY,
    ),
    (_C.STANDBY_NOT_AUTHORIZED, "stack"): Entry(
        Severity.WARNING,
        "the standby has no HSECK9 key: on a switchover the stack reloads, and if the next active has no "
        "key either, cryptographic functionality is disabled in the stack",
        "request SLAC for the entire stack: `{command}`",
        GuideSection.STACKING,
    ),
    (_C.MEMBER_WITHOUT_SLAC, DEFAULT): Entry(
        Severity.INFO, _MEMBER_WITHOUT_SLAC, _MEMBER_REMEDY, GuideSection.STACKING
    ),
    (_C.MEMBER_WITHOUT_SLAC, "crypto-wanted"): Entry(
        Severity.WARNING, _MEMBER_WITHOUT_SLAC, _MEMBER_REMEDY, GuideSection.STACKING
    ),
    (_C.SWITCHOVER_WITHOUT_HSEC, DEFAULT): Entry(
        Severity.ERROR,
        "a switchover reached an active without an HSECK9 key and the device reloaded ({event})",
        "install SLAC on every member that can become active (`{add_all}`, or `replace ... all` on a stack "
        "that already holds SLACs)",
        GuideSection.STACKING,
    ),
    (_C.SLAC_LOST, DEFAULT): Entry(
        Severity.ERROR,
        "a SLAC recorded for this UDI is no longer installed (a replaced supervisor, or both supervisors "
        "replaced at once, takes the licensing information with it)",
        "install SLAC again; replace supervisor modules one at a time to keep it",
        GuideSection.HARDWARE_REPLACEMENT,
    ),
    # --- returning a SLAC
    (_C.HSEC_IN_USE, DEFAULT): Entry(
        Severity.ERROR,
        "the HSECK9 key is IN USE: its SLAC cannot be returned",
        _RETURN_IN_USE_REMEDY,
        GuideSection.RETURN,
    ),
    (_C.HSEC_IN_USE, "forced-release"): Entry(
        Severity.ERROR,
        "the HSECK9 key is IN USE: its SLAC cannot be returned",
        _RETURN_IN_USE_REMEDY + "; if the key stays IN USE, release it forcibly in configuration mode: "
        "`{command}`",
        GuideSection.RETURN,
    ),
    (_C.RETURN_NOT_ACKNOWLEDGED, DEFAULT): Entry(
        Severity.WARNING,
        "return code {return_code} is not acknowledged by Cisco SSM: the key is not back in the pool",
        "upload the return code to Cisco SSM (Reports > Usage Data Files) and import the ACK",
        GuideSection.RETURN,
    ),
    # --- usage reporting
    (_C.REPORTING_REQUIRED, DEFAULT): Entry(
        Severity.WARNING,
        "the policy requires a reporting ACK and none was ever received",
        _REPORTING_REMEDY,
        GuideSection.REPORTING,
    ),
    (_C.ACK_DEADLINE_PASSED, DEFAULT): Entry(
        Severity.ERROR, _DEADLINE_PASSED, _REPORTING_REMEDY, GuideSection.REPORTING
    ),
    (_C.ACK_DEADLINE_PASSED, "zone-unknown"): Entry(
        Severity.ERROR, _DEADLINE_PASSED + _ZONE_NOTE, _REPORTING_REMEDY, GuideSection.REPORTING
    ),
    (_C.ACK_DEADLINE_NEAR, DEFAULT): Entry(
        Severity.WARNING, _DEADLINE_NEAR, _REPORTING_REMEDY, GuideSection.REPORTING
    ),
    (_C.ACK_DEADLINE_NEAR, "zone-unknown"): Entry(
        Severity.WARNING, _DEADLINE_NEAR + _ZONE_NOTE, _REPORTING_REMEDY, GuideSection.REPORTING
    ),
    (_C.ACK_DEADLINE_ZONE_UNKNOWN, DEFAULT): Entry(
        Severity.INFO,
        "the Next ACK deadline is not near" + _ZONE_NOTE,
        "map the zone {zone!r} to its UTC offset",
        GuideSection.REPORTING,
    ),
    # --- what the device says of its own licenses
    (_C.LICENSE_NOT_AUTHORIZED, DEFAULT): Entry(
        Severity.ERROR, "{label} is {status}", _SMART_LICENSING_REMEDY
    ),
    (_C.LICENSE_IN_EVALUATION, DEFAULT): Entry(
        Severity.WARNING, "{label} runs in evaluation mode", _SMART_LICENSING_REMEDY
    ),
    (_C.SMART_LICENSING_NOT_AUTHORIZED, DEFAULT): Entry(
        Severity.ERROR, "License Authorization status is {status}", _SMART_LICENSING_REMEDY
    ),
    (_C.NOT_REGISTERED, DEFAULT): Entry(
        Severity.WARNING, "Smart Licensing registration status is {status}", _SMART_LICENSING_REMEDY
    ),
    (_C.OUTPUT_NOT_UNDERSTOOD, DEFAULT): Entry(
        Severity.INFO,
        "{count} line(s) of `{command}` not understood, first: {first!r}",
        "the facts above may be incomplete; report the output so the template can learn it",
    ),
}


CATALOG: Mapping[tuple[FindingCode, str], Entry] = MappingProxyType(_ENTRIES)
"""(code, variant) -> entry, read only."""


def finding(code: FindingCode, subject: str, *, variant: str = DEFAULT, **values: object) -> Finding:
    """The :class:`Finding` for ``code`` about ``subject``, its texts filled with ``values``.

    Raises:
        KeyError: a code or variant the catalog does not hold, or a value its texts need and did not get.
    """
    found = CATALOG[(code, variant)]
    return Finding(
        code=code,
        severity=found.severity,
        subject=subject,
        message=found.message.format(**values),
        remedy=found.remedy.format(**values),
        reference=found.section.value if found.section else "",
    )
