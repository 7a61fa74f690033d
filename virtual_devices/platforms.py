"""The platform catalog: what each Catalyst 9000 family can be, and what the guide says about its licensing.

One :class:`Platform` per family the guide discusses. A device's topology entry names a family; the
family decides how members are arranged (stack of switches, chassis with supervisors, standalone), whether
HSECK9 exists and from which release, which cryptographic feature consumes the key, and which entitlement
tags the switch reports for its base and add-on licenses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Release = tuple[int, int, int]

HSEC_TAG = "regid.2021-05.com.cisco.C9K_HSEC,1.0_90fdf411-3823-45bd-bd8c-5a5d0e0e1ea2"
HSEC_LICENSE = "C9K HSEC"
HSEC_TAG_NAME = "Cat9K HSEC"
HSEC_DESCRIPTION = "HSEC Key for Export Compliance on Cat9K Series Switches"
HSEC_FEATURE = "hseck9"

BASE_LEVELS = ("network-advantage", "network-essentials")
ADDON_LEVELS = ("dna-advantage", "dna-essentials")

# C9600 line cards that carry WAN MACsec (the interface must sit on one of them)
WAN_MACSEC_LINECARDS = ("C9600X-LC-32CD", "C9600X-LC-56YL4C")

IPSEC = "ipsec"  # `tunnel mode ipsec ipv4` under a Tunnel interface
WAN_MACSEC = "wanmacsec"  # `macsec network-link` under a WAN-facing interface


@dataclass(frozen=True)
class Platform:
    family: str  # C9300X, C9400, ...
    arrangement: str  # "stack" (switches), "chassis" (supervisors in one or two chassis), "standalone"
    max_members: int
    crypto_feature: str | None  # what consumes an HSECK9 key; None: no HSECK9 on this family
    hsec_release: Release | None  # first IOS-XE release with HSECK9
    hsec_modules: tuple[str, ...] = ()  # on chassis: the supervisors that carry HSECK9
    hsec_in_ha: bool = True  # C9500X: HSECK9 only standalone
    svl_allowed: bool = False
    train_pid_prefix: str = ""  # "C9300X" members must all start with this (mixed stacks refused)
    default_pid: str = ""  # a member or chassis the topology does not name
    default_supervisor: str = ""  # chassis: the supervisor module the topology does not name

    @property
    def release_command(self) -> str | None:
        """The command that releases an HSECK9 key forcibly (config mode), per the guide's table."""
        if self.crypto_feature == IPSEC:
            return "platform hsec-license-release"
        if self.crypto_feature == WAN_MACSEC:
            return "platform wanmacsec hsec-license-release"
        return None

    def supports_hsec(self, release: Release, modules: list[str]) -> bool:
        if self.crypto_feature is None or self.hsec_release is None or release < self.hsec_release:
            return False
        if self.hsec_modules:
            return bool(modules) and all(module in self.hsec_modules for module in modules)
        return True

    def usage_tags(self, pid: str, level: str) -> str:
        """Entitlement display name for ``level`` (network-advantage, dna-essentials...) on ``pid``."""
        return _tag_name(self.family, pid, level)


PLATFORMS: dict[str, Platform] = {
    "C9200": Platform("C9200", "stack", 8, None, None, train_pid_prefix="C9200", default_pid="C9200-24P"),
    "C9300": Platform("C9300", "stack", 8, None, None, train_pid_prefix="C9300", default_pid="C9300-48P"),
    "C9300X": Platform(
        "C9300X", "stack", 8, IPSEC, (17, 6, 2), train_pid_prefix="C9300X", default_pid="C9300X-24HX"
    ),
    "C9400": Platform(
        "C9400",
        "chassis",
        2,
        IPSEC,
        (17, 11, 1),
        hsec_modules=("C9400X-SUP-2", "C9400X-SUP-2XL"),
        svl_allowed=True,
        default_pid="C9407R",
        default_supervisor="C9400X-SUP-2",
    ),
    "C9500X": Platform(
        "C9500X", "standalone", 1, WAN_MACSEC, (17, 8, 1), hsec_in_ha=False, default_pid="C9500X-28C8D"
    ),
    "C9600": Platform(
        "C9600",
        "chassis",
        2,
        WAN_MACSEC,
        (17, 8, 1),
        hsec_modules=("C9600X-SUP-2",),
        default_pid="C9606R",
        default_supervisor="C9600X-SUP-2",
    ),
}

_LEVEL_WORDS = {
    "network-advantage": "Network Advantage",
    "network-essentials": "Network Essentials",
    "dna-advantage": "DNA Advantage",
    "dna-essentials": "DNA Essentials",
}
_SHORT = {
    "network-advantage": "NW-A",
    "network-essentials": "NW-E",
    "dna-advantage": "DNA-A",
    "dna-essentials": "DNA-E",
}


def _tag_name(family: str, pid: str, level: str) -> str:
    if family == "C9500X":  # (C9500X_NW_A), (C9500X_DNA_A)
        return "C9500X_" + _SHORT[level].replace("-", "_")
    if family == "C9600":  # (C9600-NW-A), (C9600-DNA-A)
        return "C9600-" + _SHORT[level]
    if family == "C9400":  # (C9400 Network Advantage)
        return f"C9400 {_LEVEL_WORDS[level]}"
    # Stackables: the series and the port count of the member, C9300X-48HXN -> "C9300-48 Network Advantage".
    series = "C9200" if family == "C9200" else "C9300"
    ports = re.search(r"-(\d+)", pid)
    return f"{series}-{ports.group(1) if ports else '24'} {_LEVEL_WORDS[level]}"


def parse_release(text: str) -> Release:
    """``17.6.2`` or ``17.06.02`` -> (17, 6, 2); a missing part counts as 0."""
    parts = [int(re.sub(r"\D.*", "", p) or 0) for p in str(text).split(".")]
    parts += [0] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


def release_text(release: Release, padded: bool = False) -> str:
    if padded:  # show version: 17.06.02
        return f"{release[0]}.{release[1]:02d}.{release[2]:02d}"
    return f"{release[0]}.{release[1]}.{release[2]}"


def release_train(release: Release) -> str:
    """The code name IOS-XE prints in ``show version``."""
    major, minor, _ = release
    if major == 16:
        return {4: "Everest", 5: "Everest", 6: "Everest", 7: "Fuji", 8: "Fuji", 9: "Fuji"}.get(
            minor, "Gibraltar"
        )
    if minor <= 3:
        return "Amsterdam"
    if minor <= 6:
        return "Bengaluru"
    if minor <= 9:
        return "Cupertino"
    if minor <= 12:
        return "Dublin"
    return "IOSXE"


def platform_for(name: str) -> Platform:
    try:
        return PLATFORMS[name.upper()]
    except KeyError:
        raise ValueError(f"unknown platform {name!r}; known: {', '.join(PLATFORMS)}") from None
