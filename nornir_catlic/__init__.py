"""nornir-catlic: licensing of Cisco Catalyst 9000 fleets with Nornir."""

from nornir_catlic.errors import (
    CatlicError,
    DeviceCommandError,
    JournalError,
    ParseError,
    PortalError,
    PrerequisiteError,
    WaitingForPortal,
)

__all__ = [
    "CatlicError",
    "DeviceCommandError",
    "JournalError",
    "ParseError",
    "PortalError",
    "PrerequisiteError",
    "WaitingForPortal",
]
__version__ = "0.1.0"
