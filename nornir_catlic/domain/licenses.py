"""Base licenses, add-ons and boot levels, and which combinations Figure 1 of the guide permits."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict


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


def boot_level_of(packages: Iterable[str]) -> BootLevel | None:
    """``["network-advantage", "dna-advantage"]`` (``show version``'s packages) -> a BootLevel; ``None``
    when no known base is among them."""
    names = list(packages)
    bases = {b.value: b for b in BaseLicense}
    addons = {a.value: a for a in AddOn}
    base = next((bases[p] for p in names if p in bases), None)
    if base is None:
        return None
    addon = next((addons[p] for p in names if p in addons), None)
    return BootLevel(base=base, addon=addon)
