"""The licensing vocabulary every layer speaks: families and PIDs, releases, the HSECK9 support table, boot
levels and add-ons, roles, UDIs, topologies, the guide's sections, and the facts the rules read.

Pure data and small functions: the domain imports nothing of the package above it (models, rules, tasks).
"""

from nornir_catlic.domain.facts import DeviceFacts, MemberFacts, infer_redundancy, lead_member
from nornir_catlic.domain.families import ProductFamily, product_family
from nornir_catlic.domain.guide import GuideSection
from nornir_catlic.domain.licenses import (
    AddOn,
    BaseLicense,
    BootLevel,
    Permission,
    boot_level_of,
    combination_permission,
    is_combination_permitted,
)
from nornir_catlic.domain.releases import (
    Release,
    as_release,
    compare_releases,
    release_at_least,
    release_or_none,
)
from nornir_catlic.domain.roles import DeviceRole, Role
from nornir_catlic.domain.support import (
    HSEC_FEATURE,
    HSEC_LICENSE_NAME,
    CryptoFeature,
    HseckSupport,
    hseck9_support,
)
from nornir_catlic.domain.topology import ConnectionMode, Redundancy
from nornir_catlic.domain.udi import Udi, format_udi, split_udi

__all__ = [
    "HSEC_FEATURE",
    "HSEC_LICENSE_NAME",
    "AddOn",
    "BaseLicense",
    "BootLevel",
    "ConnectionMode",
    "CryptoFeature",
    "DeviceFacts",
    "DeviceRole",
    "GuideSection",
    "HseckSupport",
    "MemberFacts",
    "Permission",
    "ProductFamily",
    "Redundancy",
    "Release",
    "Role",
    "Udi",
    "as_release",
    "boot_level_of",
    "combination_permission",
    "compare_releases",
    "format_udi",
    "hseck9_support",
    "infer_redundancy",
    "is_combination_permitted",
    "lead_member",
    "product_family",
    "release_at_least",
    "release_or_none",
    "split_udi",
]
