"""Which families support the HSECK9 key, from which release, for which feature (guide: Table 1)."""

from __future__ import annotations

import enum
from typing import NamedTuple

from nornir_catlic.domain.families import ProductFamily
from nornir_catlic.domain.releases import Release

HSEC_FEATURE = "hseck9"
"""The feature name the SLAC commands take for the HSECK9 key (guide: *feature_name*: enter ``hseck9``)."""

HSEC_LICENSE_NAME = "C9K HSEC"
"""The license SSM reserves for Catalyst 9000 HSECK9 keys (guide: select "C9K HSEC")."""


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
