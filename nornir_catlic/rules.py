"""The licensing guide's rules as pure functions: no I/O, no device access, no parsing.

Every rule cites the section of "Configuring Licenses on Cisco Catalyst 9000 Series Switches" (the guide) it
encodes. Inputs are small typed facts (:class:`MemberFacts`, :class:`DeviceFacts`) that the Nornir tasks
build from parsed show outputs; outputs are plans, command texts and :class:`Finding` objects with a severity
and the guide's remedy.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from nornir_catlic.errors import PrerequisiteError

HSEC_FEATURE = "hseck9"
"""The feature name the SLAC commands take for the HSECK9 key (guide: *feature_name*: enter ``hseck9``)."""

HSEC_LICENSE_NAME = "C9K HSEC"
"""The license SSM reserves for Catalyst 9000 HSECK9 keys (guide: select "C9K HSEC")."""

# Section titles of the guide, cited by findings and plans.
SEC_PRODUCT_SUPPORT = "When an HSECK9 Key Is Required and Which Products Support It"
SEC_PREREQUISITES = "Prerequisites for Using an HSECK9 Key"
SEC_STACKING = "Stacking Considerations for Cisco Catalyst 9300X Series Switches"
SEC_HIGH_AVAILABILITY = "High Availability Considerations for Cisco Catalyst 9400 and 9600 Series Switches"
SEC_HARDWARE_REPLACEMENT = "Hardware Removal and Replacement Considerations for Cisco Catalyst 9400 and 9600"
SEC_PERMITTED_COMBINATIONS = "Ordering Guidelines for Base and Add-On Licenses"
SEC_BOOT_LEVEL = "Configure Base and Add-On Licenses"
SEC_RESTRICTIONS = "Restrictions for Installing SLAC"
SEC_INSTALL_ONLINE = "Install SLAC When Connected to Cisco SSM Over the Internet"
SEC_RETURN = "Returning a SLAC"
SEC_COUNTS_IN_USE = "Example: SLAC Installation Failure Because of an Insufficient Number of HSECK9 Keys"
SEC_REPORTING = "What's next: Complete usage reporting"


# ----------------------------------------------------------------------------------------------------
# Product families


class ProductFamily(str, enum.Enum):
    """Catalyst 9000 families as far as licensing tells them apart."""

    C9200 = "C9200"
    C9300 = "C9300"
    C9300X = "C9300X"
    C9400 = "C9400"
    C9400_SUP2 = "C9400-SUP2"
    """A C9400 chassis driven by a C9400X-SUP-2 or C9400X-SUP-2XL supervisor."""
    C9500 = "C9500"
    C9500X = "C9500X"
    C9600 = "C9600"
    C9600_SUP2 = "C9600-SUP2"
    """A C9600 chassis driven by a C9600X-SUP-2 supervisor."""

    @property
    def is_modular(self) -> bool:
        """A chassis with supervisors, where the HSECK9 key is tied to the chassis UDI."""
        return self in _MODULAR_FAMILIES


_MODULAR_FAMILIES = frozenset(
    {ProductFamily.C9400, ProductFamily.C9400_SUP2, ProductFamily.C9600, ProductFamily.C9600_SUP2}
)
_SUP2_PREFIXES = ("C9400X-SUP-2", "C9600X-SUP-2")
_SUP2_UPGRADE = {ProductFamily.C9400: ProductFamily.C9400_SUP2, ProductFamily.C9600: ProductFamily.C9600_SUP2}
# Longest prefix first: C9300X before C9300, C9500X before C9500.
_PID_PREFIXES: tuple[tuple[str, ProductFamily], ...] = (
    ("C9400X-SUP-2", ProductFamily.C9400_SUP2),
    ("C9600X-SUP-2", ProductFamily.C9600_SUP2),
    ("C9300X", ProductFamily.C9300X),
    ("C9500X", ProductFamily.C9500X),
    ("C9200", ProductFamily.C9200),
    ("C9300", ProductFamily.C9300),
    ("C94", ProductFamily.C9400),  # chassis C9404R/C9407R/C9410R, C9400-SUP-1*, C9400-LC-*
    ("C9500", ProductFamily.C9500),
    ("C96", ProductFamily.C9600),  # chassis C9606R/C9610R, C9600-SUP-1, C9600-LC-*
)


def product_family(pid: str, supervisor_pids: Iterable[str] = ()) -> ProductFamily | None:
    """The family of a Catalyst 9000 PID, or ``None`` for anything else (routers, cat9kv, typos).

    A chassis PID (``C9407R``, ``C9606R``) is upgraded to the SUP-2 family when one of ``supervisor_pids``
    is a C9400X-SUP-2/2XL or C9600X-SUP-2: the guide supports the HSECK9 key on those supervisors only.
    """
    normalized = pid.strip().upper()
    family = next((fam for prefix, fam in _PID_PREFIXES if normalized.startswith(prefix)), None)
    if family in _SUP2_UPGRADE and any(
        sup.strip().upper().startswith(_SUP2_PREFIXES) for sup in supervisor_pids
    ):
        return _SUP2_UPGRADE[family]
    return family


# ----------------------------------------------------------------------------------------------------
# Releases


@dataclass(frozen=True, order=True)
class Release:
    """An IOS XE release such as ``17.6.2``, ``17.06.01`` or ``17.3.4a``, ordered numerically."""

    major: int
    minor: int
    maintenance: int = 0
    rebuild: str = ""
    """Letters or suffix after the maintenance number (``a`` in 16.5.1a); sorts after the bare release."""

    @classmethod
    def parse(cls, text: str) -> Release:
        """Read a release from ``17.06.01``, ``17.6.2``, ``Bengaluru 17.6.2`` or ``Version 17.9.1,``.

        Raises:
            ValueError: when no dotted release number is found.
        """
        for token in text.replace(",", " ").replace("(", " ").replace(")", " ").split():
            if token[:1].isdigit() and "." in token:
                return cls._from_token(token, text)
        raise ValueError(f"not an IOS XE release: {text!r}")

    @classmethod
    def _from_token(cls, token: str, original: str) -> Release:
        parts = token.split(".")
        if len(parts) > 3 or not parts[0].isdigit() or not parts[1][:1].isdigit():
            raise ValueError(f"not an IOS XE release: {original!r}")
        numbers: list[int] = []
        rebuild = ""
        for index, part in enumerate(parts):
            digits = len(part) - len(part.lstrip("0123456789"))
            if digits == 0:
                raise ValueError(f"not an IOS XE release: {original!r}")
            numbers.append(int(part[:digits]))
            suffix = part[digits:]
            if suffix and index != len(parts) - 1:
                raise ValueError(f"not an IOS XE release: {original!r}")
            rebuild = suffix.lower()
        while len(numbers) < 3:
            numbers.append(0)
        return cls(numbers[0], numbers[1], numbers[2], rebuild)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.maintenance}{self.rebuild}"


def as_release(release: str | Release) -> Release:
    """Accept either a :class:`Release` or its text."""
    return release if isinstance(release, Release) else Release.parse(release)


def release_or_none(text: str | None) -> Release | None:
    """The release in ``text``, or ``None`` when there is none (not read, or an engineering build name)."""
    if text is None:
        return None
    try:
        return Release.parse(text)
    except ValueError:
        return None


def compare_releases(left: str | Release, right: str | Release) -> int:
    """-1, 0 or 1 as ``left`` is older than, equal to or newer than ``right`` (``17.06.01`` == ``17.6.1``)."""
    a, b = as_release(left), as_release(right)
    return (a > b) - (a < b)


def release_at_least(release: str | Release, minimum: str | Release) -> bool:
    """True when ``release`` is ``minimum`` or newer."""
    return compare_releases(release, minimum) >= 0


# ----------------------------------------------------------------------------------------------------
# HSECK9 platform support (guide: Table 1, HSECK9 Key Product Support and Releases)


class CryptoFeature(str, enum.Enum):
    """The cryptographic feature that needs the HSECK9 key on a family."""

    IPSEC = "IPsec"
    WAN_MACSEC = "WAN MACsec"


class HseckSupport(NamedTuple):
    """Whether a family supports the HSECK9 key, from which release, and for which feature."""

    supported: bool
    min_release: Release | None
    crypto_feature: CryptoFeature | None

    @property
    def release_name(self) -> str | None:
        """The first release as the guide names it, e.g. ``Cisco IOS XE Bengaluru 17.6.2``."""
        if self.min_release is None:
            return None
        train = _RELEASE_TRAINS.get((self.min_release.major, self.min_release.minor))
        return f"Cisco IOS XE {train} {self.min_release}" if train else f"Cisco IOS XE {self.min_release}"


_RELEASE_TRAINS = {(17, 6): "Bengaluru", (17, 7): "Cupertino", (17, 8): "Cupertino", (17, 11): "Dublin"}
_HSECK9_TABLE: dict[ProductFamily, HseckSupport] = {
    ProductFamily.C9300X: HseckSupport(True, Release(17, 6, 2), CryptoFeature.IPSEC),
    ProductFamily.C9600_SUP2: HseckSupport(True, Release(17, 8, 1), CryptoFeature.WAN_MACSEC),
    ProductFamily.C9500X: HseckSupport(True, Release(17, 8, 1), CryptoFeature.WAN_MACSEC),
    ProductFamily.C9400_SUP2: HseckSupport(True, Release(17, 11, 1), CryptoFeature.IPSEC),
}
_UNSUPPORTED = HseckSupport(False, None, None)


def hseck9_support(family: ProductFamily | None) -> HseckSupport:
    """Table 1 of the guide: only C9300X, C9400X-SUP-2/2XL, C9500X and C9600X-SUP-2 support the HSECK9 key."""
    if family is None:
        return _UNSUPPORTED
    return _HSECK9_TABLE.get(family, _UNSUPPORTED)


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


# ----------------------------------------------------------------------------------------------------
# Base and add-on licenses (guide: Figure 1, Permitted Base and Add-On License Combinations)


class BaseLicense(str, enum.Enum):
    NETWORK_ESSENTIALS = "network-essentials"
    NETWORK_ADVANTAGE = "network-advantage"


class AddOn(str, enum.Enum):
    DNA_ESSENTIALS = "dna-essentials"
    DNA_ADVANTAGE = "dna-advantage"


class Permission(str, enum.Enum):
    """What Figure 1 says about a base + add-on combination."""

    PERMITTED = "permitted"
    RENEWAL_ONLY = "renewal-only"
    FORBIDDEN = "forbidden"


_COMBINATIONS: dict[tuple[BaseLicense, AddOn], Permission] = {
    (BaseLicense.NETWORK_ESSENTIALS, AddOn.DNA_ESSENTIALS): Permission.PERMITTED,
    (BaseLicense.NETWORK_ESSENTIALS, AddOn.DNA_ADVANTAGE): Permission.FORBIDDEN,
    # "available only at the time of DNA license renewal, and not with the initial or first-time purchase"
    (BaseLicense.NETWORK_ADVANTAGE, AddOn.DNA_ESSENTIALS): Permission.RENEWAL_ONLY,
    (BaseLicense.NETWORK_ADVANTAGE, AddOn.DNA_ADVANTAGE): Permission.PERMITTED,
}


class BootLevel(BaseModel):
    """A license boot level: a base license and an optional add-on."""

    model_config = ConfigDict(frozen=True)

    base: BaseLicense
    addon: AddOn | None = None

    @property
    def permission(self) -> Permission:
        return combination_permission(self.base, self.addon)

    def __str__(self) -> str:
        return self.base.value if self.addon is None else f"{self.base.value} + {self.addon.value}"


def combination_permission(base: BaseLicense, addon: AddOn | None) -> Permission:
    """Figure 1: NE+DE yes, NE+DA no, NA+DE only at renewal, NA+DA yes; a base alone is always permitted."""
    if addon is None:
        return Permission.PERMITTED
    return _COMBINATIONS[(base, addon)]


def is_combination_permitted(base: BaseLicense, addon: AddOn | None, *, renewal: bool = False) -> bool:
    """True when the combination may be configured; Network Advantage + DNA Essentials needs ``renewal``."""
    permission = combination_permission(base, addon)
    return permission is Permission.PERMITTED or (permission is Permission.RENEWAL_ONLY and renewal)


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
            f"(guide, {SEC_PERMITTED_COMBINATIONS}, Figure 1)"
        )
    if permission is Permission.RENEWAL_ONLY and not renewal:
        raise PrerequisiteError(
            f"{base.value} with {addon.value if addon else ''} is available only at the time of DNA license "
            f"renewal, not with the first purchase (guide, {SEC_PERMITTED_COMBINATIONS}); pass renewal=True "
            "to confirm this is a renewal"
        )
    command = f"license boot level {base.value}"
    return command if addon is None else f"{command} addon {addon.value}"


# ----------------------------------------------------------------------------------------------------
# Topologies, roles and the facts the checks read


class MemberRole(str, enum.Enum):
    """Role of a stack member, supervisor or SVL chassis, as ``show license udi`` names it."""

    ACTIVE = "Active"
    STANDBY = "Standby"
    MEMBER = "Member"


class Redundancy(str, enum.Enum):
    """How the UDIs of one managed device are arranged."""

    STANDALONE = "standalone"
    STACK = "stack"
    """A C9300X stack: one UDI per member."""
    DUAL_SUPERVISOR = "dual-supervisor"
    """Two supervisors in one chassis: both show the chassis UDI."""
    STACKWISE_VIRTUAL = "stackwise-virtual"
    """Two chassis, one supervisor each: two chassis UDIs."""


class ConnectionMode(str, enum.Enum):
    """How the product instance reaches Cisco SSM (the guide's Smart Licensing Using Policy topologies)."""

    SSM_DIRECT = "ssm-direct"
    CSLU_PUSH = "cslu-push"
    CSLU_PULL = "cslu-pull"
    ON_PREM_PUSH = "on-prem-push"
    ON_PREM_PULL = "on-prem-pull"
    AIR_GAPPED = "air-gapped"
    """No connectivity to CSSM and no CSLU (``license smart transport off``)."""
    CONTROLLER = "controller"
    """Through Cisco Catalyst Center: cannot generate a SLAC for these switches."""


class SlacMethod(str, enum.Enum):
    """Which of the guide's SLAC installation procedures applies."""

    ONLINE = "online"
    """``license smart authorization request`` then ``license smart sync`` (device-initiated topologies)."""
    FILE_EXCHANGE = "file-exchange"
    """Request saved to a file, uploaded to SSM, per-UDI SLAC files imported one at a time."""
    SSM_MULTIPLE_DEVICES = "ssm-multiple-devices"
    """CSLU or SSM On-Prem pulls: a CSV of UDIs through SSM's "Authorize License Enforced Features"."""
    UNSUPPORTED = "unsupported"


_SLAC_METHODS = {
    ConnectionMode.SSM_DIRECT: SlacMethod.ONLINE,
    ConnectionMode.CSLU_PUSH: SlacMethod.ONLINE,
    ConnectionMode.ON_PREM_PUSH: SlacMethod.ONLINE,
    ConnectionMode.AIR_GAPPED: SlacMethod.FILE_EXCHANGE,
    ConnectionMode.CSLU_PULL: SlacMethod.SSM_MULTIPLE_DEVICES,
    ConnectionMode.ON_PREM_PULL: SlacMethod.SSM_MULTIPLE_DEVICES,
    ConnectionMode.CONTROLLER: SlacMethod.UNSUPPORTED,
}


SLAC_REQUEST_FILE_RELEASE = Release(17, 7, 1)
"""First release that saves a SLAC request to a file for SSM (Cupertino 17.7.1)."""


def slac_method(mode: ConnectionMode, release: str | Release | None = None) -> SlacMethod:
    """The guide's installation procedure for a topology; Catalyst Center is the one that cannot work.

    Air-gapped devices older than Cupertino 17.7.1 cannot save a request file: their PID and serial number
    are entered in SSM's web UI instead (the Multiple Devices CSV), and the SLAC files imported one by one.
    """
    method = _SLAC_METHODS[mode]
    if (
        method is SlacMethod.FILE_EXCHANGE
        and release is not None
        and not release_at_least(release, SLAC_REQUEST_FILE_RELEASE)
    ):
        return SlacMethod.SSM_MULTIPLE_DEVICES
    return method


def returns_online(mode: ConnectionMode) -> bool:
    """``return ... online`` for device-initiated topologies, else ``offline`` (guide: Returning, step 2)."""
    return slac_method(mode) is SlacMethod.ONLINE


def format_udi(pid: str, serial: str) -> str:
    """The UDI as the device prints it in ``show license udi``: ``PID:C9300X-24HX,SN:FOC2519L8R7``."""
    return f"PID:{pid},SN:{serial}"


def split_udi(udi: str) -> tuple[str, str]:
    """``PID:C9300X-24HX,SN:FOC2519L8R7`` (also ``P:...,S:...`` as some syslogs print it) -> (pid, serial).

    Raises:
        ValueError: for text that is not a UDI.
    """
    pid_part, sep, serial_part = udi.strip().partition(",")
    pid_key, _, pid = pid_part.partition(":")
    serial_key, _, serial = serial_part.partition(":")
    if not sep or pid_key.strip() not in ("PID", "P") or serial_key.strip() not in ("SN", "S"):
        raise ValueError(f"not a UDI: {udi!r}")
    if not pid.strip() or not serial.strip():
        raise ValueError(f"not a UDI: {udi!r}")
    return pid.strip(), serial.strip()


class MemberFacts(BaseModel):
    """One UDI holder of a device: a stack member, a supervisor or an SVL chassis."""

    model_config = ConfigDict(frozen=True)

    role: MemberRole
    pid: str
    serial: str
    slac_installed: bool = False
    confirmation_code: str | None = None
    last_return_code: str | None = None

    @property
    def udi(self) -> str:
        return format_udi(self.pid, self.serial)


class DeviceFacts(BaseModel):
    """What the checks need to know about one managed device (a switch, a stack or an HA pair).

    Unknown facts stay ``None``; checks then say what they could not verify instead of guessing.
    """

    model_config = ConfigDict(frozen=True)

    host: str
    members: tuple[MemberFacts, ...]
    redundancy: Redundancy | None = None
    """``None``: inferred from the members and the family (see :func:`infer_redundancy`)."""
    supervisor_pids: tuple[str, ...] = ()
    release: str | None = None
    boot_level: BootLevel | None = None
    boot_level_next_reload: BootLevel | None = None
    hsec_in_use: bool | None = None
    """``show license summary``: C9K HSEC count 1 / IN USE."""
    crypto_configured: bool | None = None
    """IPsec or WAN MACsec configuration present in the running configuration."""
    connection: ConnectionMode | None = None
    reporting_ack_required: bool | None = None
    last_ack_received: dt.datetime | None = None
    next_ack_deadline: dt.datetime | None = None
    next_ack_deadline_unzoned: tuple[dt.datetime, str] | None = None
    """The deadline as printed (naive wall-clock time, zone name) when its zone's offset is unknown."""
    previously_authorized_udis: frozenset[str] = frozenset()
    """UDIs known (from the journal) to have held a SLAC, to detect one lost with a replaced supervisor."""

    @property
    def active(self) -> MemberFacts | None:
        return next((m for m in self.members if m.role is MemberRole.ACTIVE), None)

    @property
    def standby(self) -> MemberFacts | None:
        return next((m for m in self.members if m.role is MemberRole.STANDBY), None)

    @property
    def family(self) -> ProductFamily | None:
        """The family of the active (or first) member's PID, refined by the supervisors."""
        lead = lead_member(self.members)
        return None if lead is None else product_family(lead.pid, self.supervisor_pids)

    @property
    def topology(self) -> Redundancy:
        return self.redundancy or infer_redundancy(self.family, self.members)

    def udis(self) -> tuple[str, ...]:
        """Distinct UDIs in member order (a dual-supervisor chassis has one)."""
        return tuple(dict.fromkeys(m.udi for m in self.members))

    def slac_installed_on(self, udi: str) -> bool:
        return any(m.slac_installed for m in self.members if m.udi == udi)


def lead_member(members: Sequence[MemberFacts]) -> MemberFacts | None:
    """The member that speaks for the device: the active, else the first listed."""
    return next((m for m in members if m.role is MemberRole.ACTIVE), members[0] if members else None)


def infer_redundancy(family: ProductFamily | None, members: Sequence[MemberFacts]) -> Redundancy:
    """One UDI holder: standalone; a modular chassis twice with one UDI: dual supervisor; two distinct chassis
    UDIs on a modular or C9500 family: StackWise Virtual; several fixed switches: a stack."""
    if len(members) <= 1:
        return Redundancy.STANDALONE
    distinct = {m.udi for m in members}
    if len(distinct) == 1:
        return Redundancy.DUAL_SUPERVISOR
    if family is not None and (family.is_modular or family in (ProductFamily.C9500, ProductFamily.C9500X)):
        return Redundancy.STACKWISE_VIRTUAL
    return Redundancy.STACK


# ----------------------------------------------------------------------------------------------------
# HSECK9 keys required (guide: Prerequisites, Stacking and High Availability considerations)


class KeyPlan(BaseModel):
    """UDIs that need an HSECK9 key: the guide's minimum, its recommendation, and what ``all`` requests."""

    model_config = ConfigDict(frozen=True)

    minimum: tuple[str, ...]
    recommended: tuple[str, ...]
    request_all: tuple[str, ...]
    """What ``license smart authorization request ... all`` asks SSM for (every UDI of the set-up)."""
    reason: str


def keys_required(
    family: ProductFamily | None, redundancy: Redundancy, members: Sequence[MemberFacts]
) -> KeyPlan:
    """One key per UDI where crypto is used; the set-up decides which UDIs.

    - C9300X stack: at minimum the active; the standby too for uninterrupted switchover; ``all`` covers every
      member (no single member can be chosen).
    - C9400/C9600 dual supervisor: one key for the chassis UDI, whatever the number of supervisors.
    - C9400 StackWise Virtual: minimum the chassis with the active supervisor, recommended both chassis.
    - C9500X: standalone only.

    Raises:
        PrerequisiteError: for a family without HSECK9 support or a set-up the guide does not support.
    """
    support = hseck9_support(family)
    if not support.supported or family is None:
        raise PrerequisiteError(
            f"{family.value if family else 'this platform'} does not support the HSECK9 key"
        )
    blocked = unsupported_setup_reason(family, redundancy)
    if blocked:
        raise PrerequisiteError(blocked)
    active = lead_member(members)
    if active is None:
        raise PrerequisiteError("no member to key: the device reported no UDI")
    reason = _KEY_PLAN_REASONS[redundancy]
    one_key = (active.udi,)
    if redundancy in (Redundancy.STANDALONE, Redundancy.DUAL_SUPERVISOR):
        return KeyPlan(minimum=one_key, recommended=one_key, request_all=one_key, reason=reason)
    standby = next((m for m in members if m.role is MemberRole.STANDBY), None)
    paired = one_key if standby is None else tuple(dict.fromkeys((active.udi, standby.udi)))
    everyone = tuple(dict.fromkeys(m.udi for m in members))
    return KeyPlan(minimum=one_key, recommended=paired, request_all=everyone, reason=reason)


_KEY_PLAN_REASONS = {
    Redundancy.STANDALONE: "standalone: one HSECK9 key for its UDI",
    Redundancy.DUAL_SUPERVISOR: "dual supervisor: the key is tied to the chassis UDI, one key per chassis",
    Redundancy.STACKWISE_VIRTUAL: (
        "StackWise Virtual: minimum the active chassis, both chassis for switchover"
    ),
    Redundancy.STACK: "C9300X stack: one key per UDI; minimum the active, the standby too for switchover",
}


def unsupported_setup_reason(family: ProductFamily, redundancy: Redundancy) -> str | None:
    """Why the guide does not support HSECK9 in this set-up, or ``None`` when it does."""
    if family is ProductFamily.C9500X and redundancy is not Redundancy.STANDALONE:
        return (
            "on Cisco Catalyst 9500X Series Switches the HSECK9 key is supported only in a standalone setup "
            f"(guide, {SEC_PREREQUISITES})"
        )
    if redundancy is Redundancy.STACK and family is not ProductFamily.C9300X:
        return f"{family.value} cannot stack with HSECK9 keys: only C9300X stacks can (guide, {SEC_STACKING})"
    if redundancy is Redundancy.STACKWISE_VIRTUAL and family is not ProductFamily.C9400_SUP2:
        return (
            "StackWise Virtual with HSECK9 keys is supported on Cisco Catalyst 9400 Series Switches only "
            f"(guide, {SEC_HIGH_AVAILABILITY})"
        )
    if redundancy is Redundancy.DUAL_SUPERVISOR and not family.is_modular:
        return f"{family.value} has no dual supervisor set-up"
    return None


# ----------------------------------------------------------------------------------------------------
# SLAC commands and plans (guide: Install SLAC for an HSECK9 Key, Returning a SLAC)


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


def recommended_scope(redundancy: Redundancy) -> SlacScope:
    """``all`` for stacks and HA set-ups (recommended for switchover), ``local`` for a standalone."""
    return SlacScope.LOCAL if redundancy is Redundancy.STANDALONE else SlacScope.ALL


class SlacStepKind(str, enum.Enum):
    RETURN = "return"
    REQUEST = "request"
    SAVE = "save"
    """Air-gapped: save the pending request to a file for SSM."""


class SlacStep(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: SlacStepKind
    command: str
    reason: str


class SlacPlan(BaseModel):
    """The device commands that bring the wanted UDIs under a SLAC, in order; empty when none is missing."""

    model_config = ConfigDict(frozen=True)

    steps: tuple[SlacStep, ...]
    missing: tuple[str, ...]
    """Wanted UDIs without a SLAC now."""
    authorized_after: tuple[str, ...]
    """UDIs SSM will be asked to authorize by the request step (the keys taken from the pool)."""
    requires_not_in_use: bool = False
    """A return step comes first, and the device refuses it while the key is IN USE."""

    @property
    def needed(self) -> bool:
        return bool(self.steps)

    @property
    def commands(self) -> tuple[str, ...]:
        return tuple(step.command for step in self.steps)


def plan_slac_request(
    facts: DeviceFacts, scope: SlacScope | None = None, *, online: bool = True, save_to: str | None = None
) -> SlacPlan:
    """The guide's add/replace/all rules for bringing ``scope``'s UDIs under a SLAC.

    ``online=False`` returns offline; ``save_to`` (air-gapped) adds ``license smart authorization request
    save <save_to>`` after the request, the file to upload to SSM.

    - Nothing installed: ``request add hseck9 <scope>``.
    - C9300X stack where some members hold a SLAC and others do not (a member added): ``request replace hseck9
      all`` (returns every key of the existing SLAC and requests one per member).
    - StackWise Virtual with a SLAC on the active only: ``replace`` is not supported; return the active's
      SLAC, then ``request add hseck9 all``.
    - Everything wanted already installed: an empty plan (idempotent).

    Raises:
        PrerequisiteError: for a platform or set-up without HSECK9 support.
    """
    plan = _plan_slac_request(facts, scope, online=online)
    if save_to is None or not plan.needed:
        return plan
    save = SlacStep(
        kind=SlacStepKind.SAVE,
        command=slac_request_save_command(save_to),
        reason="save the request for Cisco SSM (No Connectivity to CSSM and No CSLU, step 3)",
    )
    return plan.model_copy(update={"steps": (*plan.steps, save)})


def _plan_slac_request(facts: DeviceFacts, scope: SlacScope | None, *, online: bool) -> SlacPlan:
    topology = facts.topology
    keys = keys_required(facts.family, topology, facts.members)
    chosen = scope or recommended_scope(topology)
    wanted = keys.minimum if chosen is SlacScope.LOCAL else keys.request_all
    missing = tuple(udi for udi in wanted if not facts.slac_installed_on(udi))
    if not missing:
        return SlacPlan(steps=(), missing=(), authorized_after=())
    installed_anywhere = any(facts.slac_installed_on(udi) for udi in facts.udis())
    if chosen is SlacScope.LOCAL or not installed_anywhere:
        step = SlacStep(
            kind=SlacStepKind.REQUEST,
            command=slac_request_command(SlacAction.ADD, chosen),
            reason=f"request a SLAC for {', '.join(missing)} ({SEC_INSTALL_ONLINE}, step 2)",
        )
        return SlacPlan(steps=(step,), missing=missing, authorized_after=missing)
    if topology is Redundancy.STACKWISE_VIRTUAL:
        # The guide returns "the SLAC which is on the active"; after a switchover the standby may hold it.
        active = facts.active
        holder = SlacScope.LOCAL if active is not None and active.slac_installed else SlacScope.ALL
        give_back = SlacStep(
            kind=SlacStepKind.RETURN,
            command=slac_return_command(holder, online=online),
            reason="replace is not supported in a StackWise Virtual set-up: return the SLAC on the active "
            f"first ({SEC_INSTALL_ONLINE}, step 2, replace)",
        )
        again = SlacStep(
            kind=SlacStepKind.REQUEST,
            command=slac_request_command(SlacAction.ADD, SlacScope.ALL),
            reason="then request and install SLAC on the active and standby again",
        )
        return SlacPlan(
            steps=(give_back, again), missing=missing, authorized_after=wanted, requires_not_in_use=True
        )
    step = SlacStep(
        kind=SlacStepKind.REQUEST,
        command=slac_request_command(SlacAction.REPLACE, SlacScope.ALL),
        reason="a member without SLAC joined a stack where SLAC is installed: replace and all return the "
        f"existing keys and request SLAC for every member ({SEC_STACKING})",
    )
    return SlacPlan(steps=(step,), missing=missing, authorized_after=wanted)


# ----------------------------------------------------------------------------------------------------
# Findings


class Severity(str, enum.Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    """A prerequisite is not met: the workflow must not go on."""
    CRITICAL = "critical"
    """Cryptographic functionality is lost or about to be."""

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2, Severity.CRITICAL: 3}


class Finding(BaseModel):
    """One observation about a device, with what to do about it according to the guide."""

    model_config = ConfigDict(frozen=True)

    code: str
    """Stable, machine-readable identifier such as ``HSEC_RELEASE_TOO_OLD``."""
    severity: Severity
    subject: str
    """What the finding is about: a host, a UDI or a serial number."""
    message: str
    remedy: str = ""
    reference: str = ""
    """The section of the guide the rule and remedy come from."""

    @property
    def blocking(self) -> bool:
        return self.severity.rank >= Severity.ERROR.rank


def worst_severity(findings: Iterable[Finding]) -> Severity | None:
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)


def blocking_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings of severity error or critical: a workflow must not act while any remains."""
    return [f for f in findings if f.blocking]


# ----------------------------------------------------------------------------------------------------
# Checks: facts in, findings out


def check_platform(facts: DeviceFacts) -> list[Finding]:
    """Platform and release support for the HSECK9 key (guide: Table 1 and the prerequisites)."""
    findings: list[Finding] = []
    lead = lead_member(facts.members)
    if lead is None:
        return [
            Finding(
                code="NO_UDI",
                severity=Severity.ERROR,
                subject=facts.host,
                message="the device reported no UDI",
                remedy="check `show license udi` on the device",
            )
        ]
    family = facts.family
    if family in (ProductFamily.C9400, ProductFamily.C9600) and not facts.supervisor_pids:
        findings.append(
            Finding(
                code="SUPERVISOR_UNKNOWN",
                severity=Severity.WARNING,
                subject=facts.host,
                message=f"{lead.pid} is a chassis; its supervisor decides HSECK9 support and is unknown",
                remedy="HSECK9 needs a C9400X-SUP-2/2XL or C9600X-SUP-2 supervisor; check `show module`",
                reference=SEC_PRODUCT_SUPPORT,
            )
        )
        return findings
    support = hseck9_support(family)
    if not support.supported or support.min_release is None:
        name = family.value if family else lead.pid
        findings.append(
            Finding(
                code="HSEC_PLATFORM_UNSUPPORTED",
                severity=Severity.ERROR,
                subject=facts.host,
                message=f"{name} ({lead.pid}) does not support the HSECK9 key",
                remedy="HSECK9 is supported only on C9300X, C9400X-SUP-2/2XL, C9500X and C9600X-SUP-2",
                reference=SEC_PRODUCT_SUPPORT,
            )
        )
        return findings
    running = release_or_none(facts.release)
    if running is None:
        what = "unknown" if facts.release is None else f"{facts.release}, not a numbered release"
        findings.append(
            Finding(
                code="RELEASE_UNKNOWN",
                severity=Severity.WARNING,
                subject=facts.host,
                message=f"the running release is {what}; HSECK9 support could not be confirmed",
                remedy=f"{family.value if family else lead.pid} needs {support.release_name} or later",
                reference=SEC_PRODUCT_SUPPORT,
            )
        )
    elif running < support.min_release:
        findings.append(
            Finding(
                code="HSEC_RELEASE_TOO_OLD",
                severity=Severity.ERROR,
                subject=facts.host,
                message=f"release {facts.release} is older than {support.min_release}, the first with HSECK9 "
                f"support on {family.value if family else lead.pid}",
                remedy=f"upgrade to {support.release_name} or later",
                reference=SEC_PRODUCT_SUPPORT,
            )
        )
    return findings


_NOT_APPLICABLE_CODES = frozenset(
    {"NO_UDI", "SUPERVISOR_UNKNOWN", "HSEC_PLATFORM_UNSUPPORTED", "HSEC_RELEASE_TOO_OLD"}
)


def hseck9_not_applicable(facts: DeviceFacts) -> str | None:
    """Why the HSECK9 workflows do not apply to this device (platform, release or set-up), else ``None``.

    The same reasons :func:`check_platform` and :func:`unsupported_setup_reason` give; a workflow skips such a
    device instead of failing it (a mixed fleet is not an error).
    """
    for finding in check_platform(facts):
        if finding.code in _NOT_APPLICABLE_CODES:
            return f"{finding.message} ({finding.remedy})"
    family = facts.family
    if family is not None:
        return unsupported_setup_reason(family, facts.topology)
    return None


def check_setup(facts: DeviceFacts) -> list[Finding]:
    """Mixed stacks, 9500X in HA, SVL beyond the C9400, and Catalyst Center as the path to SSM."""
    findings: list[Finding] = []
    family = facts.family
    topology = facts.topology
    member_families = {product_family(m.pid) for m in facts.members}
    if topology is Redundancy.STACK and ProductFamily.C9300X in member_families and len(member_families) > 1:
        for member in facts.members:
            if product_family(member.pid) is not ProductFamily.C9300X:
                findings.append(
                    Finding(
                        code="MIXED_STACK",
                        severity=Severity.ERROR,
                        subject=member.serial,
                        message=f"{member.role.value} {member.pid} in a stack: mixed stacking is not "
                        "supported, all devices in the stack must be Cisco Catalyst 9300X Series Switches",
                        remedy="remove the non-C9300X member from the stack",
                        reference=SEC_STACKING,
                    )
                )
    if (
        family is not None
        and hseck9_support(family).supported
        and not any(f.code == "MIXED_STACK" for f in findings)
    ):
        reason = unsupported_setup_reason(family, topology)
        if reason:
            findings.append(
                Finding(
                    code="HSEC_SETUP_UNSUPPORTED",
                    severity=Severity.ERROR,
                    subject=facts.host,
                    message=reason,
                    remedy="run the switch standalone to use the HSECK9 key"
                    if family is ProductFamily.C9500X
                    else "use a supported set-up",
                    reference=SEC_PREREQUISITES,
                )
            )
    if facts.connection is ConnectionMode.CONTROLLER:
        findings.append(
            Finding(
                code="HSEC_VIA_CONTROLLER",
                severity=Severity.ERROR,
                subject=facts.host,
                message="the device reaches Cisco SSM through Cisco Catalyst Center, which cannot generate a "
                "SLAC for Catalyst 9000 switches that support the HSECK9 key",
                remedy="implement another Smart Licensing Using Policy topology (direct, CSLU, SSM On-Prem "
                "or air-gapped) to obtain the SLAC",
                reference=SEC_RESTRICTIONS,
            )
        )
    return findings


def check_dna_advantage(facts: DeviceFacts) -> list[Finding]:
    """The HSECK9 key cannot be used without DNA Advantage configured (guide: prerequisites)."""
    remedy = (
        f"configure `{boot_level_command(BaseLicense.NETWORK_ADVANTAGE, AddOn.DNA_ADVANTAGE)}`, save the "
        "configuration and reload"
    )
    if facts.boot_level is None:
        return [
            Finding(
                code="BOOT_LEVEL_UNKNOWN",
                severity=Severity.WARNING,
                subject=facts.host,
                message="the license boot level is unknown; DNA Advantage could not be confirmed",
                remedy=remedy,
                reference=SEC_PREREQUISITES,
            )
        ]
    if facts.boot_level.addon is AddOn.DNA_ADVANTAGE:
        return []
    upcoming = facts.boot_level_next_reload
    if upcoming is not None and upcoming.addon is AddOn.DNA_ADVANTAGE:
        return [
            Finding(
                code="DNA_ADVANTAGE_AFTER_RELOAD",
                severity=Severity.WARNING,
                subject=facts.host,
                message=f"DNA Advantage is configured but takes effect only after a reload (now "
                f"{facts.boot_level}, after reload {upcoming})",
                remedy="reload the device",
                reference=SEC_BOOT_LEVEL,
            )
        ]
    return [
        Finding(
            code="DNA_ADVANTAGE_MISSING",
            severity=Severity.ERROR,
            subject=facts.host,
            message=f"boot level is {facts.boot_level}: an HSECK9 key cannot be used without DNA "
            "Advantage configured",
            remedy=remedy,
            reference=SEC_PREREQUISITES,
        )
    ]


def check_slac_coverage(facts: DeviceFacts) -> list[Finding]:
    """Who holds a SLAC against who should: switchover risk, members without one, a SLAC lost."""
    findings: list[Finding] = []
    family = facts.family
    topology = facts.topology
    active = facts.active
    crypto_wanted = bool(facts.hsec_in_use or facts.crypto_configured)
    present = facts.udis()
    for udi in sorted(facts.previously_authorized_udis):
        if udi in present and not facts.slac_installed_on(udi):
            findings.append(
                Finding(
                    code="SLAC_LOST",
                    severity=Severity.ERROR,
                    subject=udi,
                    message="a SLAC recorded for this UDI is no longer installed (a replaced supervisor, or "
                    "both supervisors replaced at once, takes the licensing information with it)",
                    remedy="install SLAC again; replace supervisor modules one at a time to keep it",
                    reference=SEC_HARDWARE_REPLACEMENT,
                )
            )
    if active is None or family is None or not hseck9_support(family).supported:
        return findings
    if facts.hsec_in_use and not active.slac_installed:
        findings.append(
            Finding(
                code="HSEC_IN_USE_WITHOUT_SLAC",
                severity=Severity.CRITICAL,
                subject=active.udi,
                message="the HSECK9 key is IN USE but the active has no SLAC installed",
                remedy="request and install SLAC for the active (`license smart authorization request add "
                "hseck9 local`), then reconfigure the cryptographic feature",
                reference=SEC_PREREQUISITES,
            )
        )
    if not (crypto_wanted or active.slac_installed):
        return findings
    standby = facts.standby
    if topology is Redundancy.STACKWISE_VIRTUAL and standby is not None and not standby.slac_installed:
        findings.append(
            Finding(
                code="STANDBY_NOT_AUTHORIZED",
                severity=Severity.WARNING,
                subject=standby.udi,
                message="the standby chassis has no HSECK9 key: after a switchover the new active reloads "
                "and cryptographic functionality may be disabled",
                remedy="replace is not supported in StackWise Virtual: return the SLAC on the active, then "
                "request and install SLAC on the active and standby again (`license smart authorization "
                "request add hseck9 all`)",
                reference=SEC_HIGH_AVAILABILITY,
            )
        )
    if topology is Redundancy.STACK:
        replace_all = slac_request_command(SlacAction.REPLACE, SlacScope.ALL)
        if standby is not None and not standby.slac_installed:
            findings.append(
                Finding(
                    code="STANDBY_NOT_AUTHORIZED",
                    severity=Severity.WARNING,
                    subject=standby.udi,
                    message="the standby has no HSECK9 key: on a switchover the stack reloads, and if the "
                    "next active has no key either, cryptographic functionality is disabled in the stack",
                    remedy=f"request SLAC for the entire stack: `{replace_all}`"
                    if active.slac_installed
                    else "request SLAC for the entire stack: "
                    f"`{slac_request_command(SlacAction.ADD, SlacScope.ALL)}`",
                    reference=SEC_STACKING,
                )
            )
        for member in facts.members:
            if member.role is MemberRole.MEMBER and not member.slac_installed:
                findings.append(
                    Finding(
                        code="MEMBER_WITHOUT_SLAC",
                        severity=Severity.INFO if not crypto_wanted else Severity.WARNING,
                        subject=member.udi,
                        message="this stack member has no SLAC; should it become active, cryptographic "
                        "functionality is rejected",
                        remedy=f"request SLAC for the entire stack again: `{replace_all}`",
                        reference=SEC_STACKING,
                    )
                )
    return findings


def check_keys(facts: DeviceFacts) -> list[Finding]:
    """How many HSECK9 keys the set-up needs, and how many UDIs hold a SLAC (an info finding)."""
    try:
        plan = keys_required(facts.family, facts.topology, facts.members)
    except PrerequisiteError:
        return []  # the platform and set-up checks say why
    holding = sum(1 for udi in plan.request_all if facts.slac_installed_on(udi))
    return [
        Finding(
            code="HSEC_KEYS_REQUIRED",
            severity=Severity.INFO,
            subject=facts.host,
            message=f"{plan.reason}: minimum {len(plan.minimum)}, recommended {len(plan.recommended)}, "
            f"{len(plan.request_all)} for every UDI; {holding} hold a SLAC now",
            remedy=f"hold at least {len(plan.recommended)} C9K HSEC key(s) in the Smart Account and Virtual "
            "Account",
            reference=SEC_PREREQUISITES,
        )
    ]


def check_order(facts: DeviceFacts) -> list[Finding]:
    """First install SLAC, only then configure the cryptographic feature (guide: the right sequence)."""
    active = facts.active
    if facts.crypto_configured and active is not None and not active.slac_installed:
        return [
            Finding(
                code="CRYPTO_BEFORE_SLAC",
                severity=Severity.ERROR,
                subject=facts.host,
                message="the cryptographic feature is configured but no SLAC is installed on the active",
                remedy="install SLAC, then reconfigure the cryptographic feature (configured before the "
                "SLAC, it must be configured again)",
                reference=SEC_PREREQUISITES,
            )
        ]
    return []


def check_boot_level(facts: DeviceFacts, *, renewal: bool = False) -> list[Finding]:
    """Permitted combinations now and after reload, and a boot level waiting for a reload."""
    findings: list[Finding] = []
    for label, level in (("now", facts.boot_level), ("after reload", facts.boot_level_next_reload)):
        if level is None or is_combination_permitted(level.base, level.addon, renewal=renewal):
            continue
        findings.append(
            Finding(
                code="COMBINATION_NOT_PERMITTED",
                severity=Severity.WARNING if level.permission is Permission.RENEWAL_ONLY else Severity.ERROR,
                subject=facts.host,
                message=f"boot level {label} is {level}, which is "
                + (
                    "available only at DNA license renewal"
                    if level.permission is Permission.RENEWAL_ONLY
                    else "not a permitted combination"
                ),
                remedy="choose Network Essentials + DNA Essentials or Network Advantage + DNA Advantage",
                reference=SEC_PERMITTED_COMBINATIONS,
            )
        )
    if (
        facts.boot_level is not None
        and facts.boot_level_next_reload is not None
        and facts.boot_level != facts.boot_level_next_reload
    ):
        findings.append(
            Finding(
                code="BOOT_LEVEL_PENDING_RELOAD",
                severity=Severity.INFO,
                subject=facts.host,
                message=f"boot level {facts.boot_level} now, {facts.boot_level_next_reload} after reload",
                remedy="reload the device to activate the configured license level",
                reference=SEC_BOOT_LEVEL,
            )
        )
    return findings


def check_reporting(
    facts: DeviceFacts, now: dt.datetime, *, warn_within: dt.timedelta = dt.timedelta(days=14)
) -> list[Finding]:
    """``Next ACK deadline``: a RUM report must be sent and its ACK installed by that date."""
    deadline = facts.next_ack_deadline
    remedy = (
        "send a RUM report and install the ACK (`license smart sync all`, or save the usage file, upload it "
        "to Cisco SSM and import the ACK)"
    )
    if deadline is not None:
        return deadline_findings(facts.host, deadline, now, warn_within=warn_within, remedy=remedy)
    if facts.next_ack_deadline_unzoned is not None:
        return _unzoned_deadline_findings(
            facts.host, *facts.next_ack_deadline_unzoned, now, warn_within, remedy
        )
    if facts.reporting_ack_required and facts.last_ack_received is None:
        return [
            Finding(
                code="REPORTING_REQUIRED",
                severity=Severity.WARNING,
                subject=facts.host,
                message="the policy requires a reporting ACK and none was ever received",
                remedy=remedy,
                reference=SEC_REPORTING,
            )
        ]
    return []


def deadline_findings(
    subject: str,
    deadline: dt.datetime,
    now: dt.datetime,
    *,
    warn_within: dt.timedelta = dt.timedelta(days=14),
    remedy: str = "",
) -> list[Finding]:
    """A deadline passed (error) or within ``warn_within`` (warning). Naive datetimes are taken as UTC."""
    deadline_utc, now_utc = _as_utc(deadline), _as_utc(now)
    if deadline_utc <= now_utc:
        return [
            Finding(
                code="ACK_DEADLINE_PASSED",
                severity=Severity.ERROR,
                subject=subject,
                message=f"the Next ACK deadline {deadline_utc:%b %d %H:%M:%S %Y} UTC has passed",
                remedy=remedy,
                reference=SEC_REPORTING,
            )
        ]
    left = deadline_utc - now_utc
    if left <= warn_within:
        return [
            Finding(
                code="ACK_DEADLINE_NEAR",
                severity=Severity.WARNING,
                subject=subject,
                message=f"the Next ACK deadline {deadline_utc:%b %d %H:%M:%S %Y} UTC is in {left.days} "
                f"day(s)",
                remedy=remedy,
                reference=SEC_REPORTING,
            )
        ]
    return []


MAX_ZONE_OFFSET = dt.timedelta(hours=14)
"""The most a zone is ahead of UTC (UTC+14): a wall-clock time in an unknown zone happens no earlier than
this much before the same time read as UTC."""


def _unzoned_deadline_findings(
    subject: str, local: dt.datetime, zone: str, now: dt.datetime, warn_within: dt.timedelta, remedy: str
) -> list[Finding]:
    """A deadline whose zone's offset is unknown is judged at the earliest moment it can be, and says so."""
    earliest = local.replace(tzinfo=dt.timezone.utc) - MAX_ZONE_OFFSET
    note = (
        f" (printed as {local:%b %d %H:%M:%S %Y} {zone}, a zone whose offset is unknown: judged at the "
        f"earliest it can be; map the zone, e.g. host data clock_zones: {{{zone}: <hours>}})"
    )
    findings = deadline_findings(subject, earliest, now, warn_within=warn_within, remedy=remedy)
    if findings:
        return [finding.model_copy(update={"message": finding.message + note}) for finding in findings]
    return [
        Finding(
            code="ACK_DEADLINE_ZONE_UNKNOWN",
            severity=Severity.INFO,
            subject=subject,
            message=f"the Next ACK deadline is not near{note}",
            remedy=f"map the zone {zone!r} to its UTC offset",
            reference=SEC_REPORTING,
        )
    ]


def _as_utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def check_return_ready(facts: DeviceFacts) -> list[Finding]:
    """A SLAC can be returned only while the HSECK9 key is NOT IN USE (guide: Returning a SLAC)."""
    if not facts.hsec_in_use:
        return []
    release = forced_release_command(facts.family)
    remedy = "disable or unconfigure the cryptographic feature"
    if release:
        remedy += f"; if the key stays IN USE, release it forcibly in configuration mode: `{release}`"
    return [
        Finding(
            code="HSEC_IN_USE",
            severity=Severity.ERROR,
            subject=facts.host,
            message="the HSECK9 key is IN USE: its SLAC cannot be returned",
            remedy=remedy,
            reference=SEC_RETURN,
        )
    ]


def check_factory_reset_ready(facts: DeviceFacts) -> list[Finding]:
    """Before ``license smart factory reset`` (RMA, decommissioning): return every SLAC, report first."""
    findings = [
        Finding(
            code="SLAC_NOT_RETURNED",
            severity=Severity.ERROR,
            subject=udi,
            message="a factory reset removes the authorization code without returning its HSECK9 key",
            remedy="return the SLAC first (`license smart authorization return all online` or offline)",
            reference=SEC_RETURN,
        )
        for udi in facts.udis()
        if facts.slac_installed_on(udi)
    ]
    findings.append(
        Finding(
            code="REPORT_BEFORE_RESET",
            severity=Severity.INFO,
            subject=facts.host,
            message="a factory reset also removes the RUM reports not yet sent",
            remedy="send a RUM report to Cisco SSM before removing licensing information",
            reference=SEC_RETURN,
        )
    )
    return findings


def check_stack_addition(stack: DeviceFacts, new_member_pid: str) -> list[Finding]:
    """Only a C9300X may join a C9300X stack where HSECK9 keys are used (guide: no mixed stacking)."""
    if product_family(new_member_pid) is ProductFamily.C9300X:
        return []
    return [
        Finding(
            code="MIXED_STACK",
            severity=Severity.ERROR,
            subject=new_member_pid,
            message=f"{new_member_pid} cannot join {stack.host}: mixed stacking is not supported, all "
            "devices in the stack must be Cisco Catalyst 9300X Series Switches",
            remedy="add a C9300X switch instead",
            reference=SEC_STACKING,
        )
    ]


def check_hseck9(facts: DeviceFacts) -> list[Finding]:
    """Every prerequisite of the guide for using an HSECK9 key on this device."""
    findings = check_platform(facts)
    if any(f.code in ("HSEC_PLATFORM_UNSUPPORTED", "NO_UDI") for f in findings):
        return findings
    findings += check_setup(facts)
    findings += check_dna_advantage(facts)
    findings += check_boot_level(facts)
    findings += check_order(facts)
    findings += check_slac_coverage(facts)
    findings += check_keys(facts)
    return findings


def audit(
    facts: DeviceFacts, now: dt.datetime, *, warn_within: dt.timedelta = dt.timedelta(days=14)
) -> list[Finding]:
    """The recurring health check: reporting deadlines, SLAC coverage, pending reloads, combinations."""
    findings = check_reporting(facts, now, warn_within=warn_within)
    findings += check_boot_level(facts)
    findings += check_slac_coverage(facts)
    findings += check_order(facts)
    return findings


def remedy_for_ssm_failure(message_code: str | None, facts: DeviceFacts | None = None) -> str:
    """The guide's remedy for a failed SLAC installation, by SSM message code.

    ``ERROR_ALL_COUNTS_IN_USE`` means the virtual account's pool is exhausted: the remedy is to add keys. The
    guide's return-then-request procedure is added only where the cause is the set-up: a StackWise Virtual
    pair whose active got its key and the standby not (replace is not supported there).
    """
    if message_code == "ERROR_ALL_COUNTS_IN_USE":
        needed = ""
        if facts is not None:
            try:
                plan = keys_required(facts.family, facts.topology, facts.members)
                needed = f" ({len(plan.request_all)} needed here, one per UDI)"
            except PrerequisiteError:
                needed = ""
        remedy = (
            f"the virtual account has no free HSECK9 key left: add keys to the virtual account in Cisco SSM "
            f"(or return unused SLACs elsewhere){needed}, then run the install again"
        )
        if facts is not None and facts.topology is Redundancy.STACKWISE_VIRTUAL:
            remedy += (
                f"; StackWise Virtual cannot replace: return the SLAC on the active "
                f"(`{slac_return_command(SlacScope.LOCAL, online=True)}` or offline), then request and "
                f"install SLAC on the active and standby again "
                f"(`{slac_request_command(SlacAction.ADD, SlacScope.ALL)}`); the install does both"
            )
        return f"{remedy} [{SEC_COUNTS_IN_USE}]"
    return (
        "check the Smart Account and Virtual Account in Cisco SSM and the device's Smart Licensing Using "
        f"Policy topology, then request again [{SEC_INSTALL_ONLINE}]"
    )
