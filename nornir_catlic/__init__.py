"""nornir-catlic: licensing of Cisco Catalyst 9000 fleets with Nornir."""

from typing import TYPE_CHECKING, Any

from nornir_catlic.errors import (
    AnswersRefused,
    CatlicError,
    DeviceCommandError,
    HostLocked,
    Interrupted,
    JournalError,
    NotApplicable,
    ParseError,
    PortalError,
    PrerequisiteError,
    WaitingForPortal,
    WorkflowFailed,
    WouldFail,
)
from nornir_catlic.models.common import ParsedOutput, Role, Udi
from nornir_catlic.models.license import (
    LicenseAll,
    LicenseAuthorization,
    LicenseStatus,
    LicenseSummary,
    LicenseUdi,
    LicenseUsage,
    LicensingGeneration,
)
from nornir_catlic.models.platform import ShowSwitch, ShowSwitchDetail, ShowSwitchStackPorts, ShowVersion
from nornir_catlic.models.syslog import SyslogEvent, SyslogLog
from nornir_catlic.parsing import parse
from nornir_catlic.syslog import parse_syslog

if TYPE_CHECKING:
    from nornir_catlic.switch import CatalystSwitch

__all__ = [
    "AnswersRefused",
    "CatalystSwitch",
    "CatlicError",
    "DeviceCommandError",
    "HostLocked",
    "Interrupted",
    "JournalError",
    "LicenseAll",
    "LicenseAuthorization",
    "LicenseStatus",
    "LicenseSummary",
    "LicenseUdi",
    "LicenseUsage",
    "LicensingGeneration",
    "NotApplicable",
    "ParseError",
    "ParsedOutput",
    "PortalError",
    "PrerequisiteError",
    "Role",
    "ShowSwitch",
    "ShowSwitchDetail",
    "ShowSwitchStackPorts",
    "ShowVersion",
    "SyslogEvent",
    "SyslogLog",
    "Udi",
    "WaitingForPortal",
    "WorkflowFailed",
    "WouldFail",
    "parse",
    "parse_syslog",
]
__version__ = "0.1.0"

from nornir_catlic.models.tech_support import LicenseTechSupport, ReservationMode

__all__ += ["LicenseTechSupport", "ReservationMode"]


def __getattr__(name: str) -> Any:
    # CatalystSwitch imports Nornir and the tasks: only a script that uses it pays for them.
    if name == "CatalystSwitch":
        from nornir_catlic.switch import CatalystSwitch

        return CatalystSwitch
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
