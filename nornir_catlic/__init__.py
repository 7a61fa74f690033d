"""nornir-catlic: licensing of Cisco Catalyst 9000 fleets with Nornir."""

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
from nornir_catlic.models import (
    LicenseAll,
    LicenseAuthorization,
    LicenseStatus,
    LicenseSummary,
    LicenseUdi,
    LicenseUsage,
    LicensingGeneration,
    ParsedOutput,
    Role,
    ShowSwitch,
    ShowSwitchDetail,
    ShowSwitchStackPorts,
    ShowVersion,
    SyslogEvent,
    SyslogLog,
    Udi,
)
from nornir_catlic.parsing import parse
from nornir_catlic.syslog import parse_syslog

__all__ = [
    "AnswersRefused",
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

from nornir_catlic.models import LicenseTechSupport, ReservationMode

__all__ += ["LicenseTechSupport", "ReservationMode"]
