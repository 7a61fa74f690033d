"""Catalyst 9000 product families, as far as licensing tells them apart, and the PIDs that name them."""

from __future__ import annotations

import enum
from collections.abc import Iterable


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
