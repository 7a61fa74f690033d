"""The sections of "Configuring Licenses on Cisco Catalyst 9000 Series Switches" (the guide) rules cite."""

from __future__ import annotations

import enum


class GuideSection(enum.StrEnum):
    """A section title of the guide, as findings and plans cite it."""

    PRODUCT_SUPPORT = "When an HSECK9 Key Is Required and Which Products Support It"
    PREREQUISITES = "Prerequisites for Using an HSECK9 Key"
    STACKING = "Stacking Considerations for Cisco Catalyst 9300X Series Switches"
    HIGH_AVAILABILITY = "High Availability Considerations for Cisco Catalyst 9400 and 9600 Series Switches"
    HARDWARE_REPLACEMENT = "Hardware Removal and Replacement Considerations for Cisco Catalyst 9400 and 9600"
    PERMITTED_COMBINATIONS = "Ordering Guidelines for Base and Add-On Licenses"
    BOOT_LEVEL = "Configure Base and Add-On Licenses"
    RESTRICTIONS = "Restrictions for Installing SLAC"
    INSTALL_ONLINE = "Install SLAC When Connected to Cisco SSM Over the Internet"
    RETURN = "Returning a SLAC"
    COUNTS_IN_USE = "Example: SLAC Installation Failure Because of an Insufficient Number of HSECK9 Keys"
    REPORTING = "What's next: Complete usage reporting"
