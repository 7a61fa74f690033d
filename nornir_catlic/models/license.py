"""Typed licensing state read from the `show license ...` commands.

Per-member data is keyed by serial number. A dual-supervisor chassis prints the Active and the Standby
supervisor with one UDI, so an entry carries every role its serial was printed under.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

from pydantic import BaseModel, Field

from nornir_catlic.models.common import ParsedOutput, Role, Timestamp, Udi


class LicensingGeneration(str, Enum):
    """Which licensing agent generation produced the output."""

    SMART_LICENSING = "smart-licensing"  # 16.x to 17.2: registration, EVAL MODE, AUTHORIZED
    SMART_LICENSING_USING_POLICY = "smart-licensing-using-policy"  # 17.3 onwards: policy, reporting, trust


class UsageStatus(str, Enum):
    """Status column of `show license summary` and `Status:` of a usage block."""

    IN_USE = "IN USE"
    NOT_IN_USE = "NOT IN USE"
    AUTHORIZED = "AUTHORIZED"
    NOT_AUTHORIZED = "NOT AUTHORIZED"
    EVAL_MODE = "EVAL MODE"
    EVAL_EXPIRED = "EVAL EXPIRED"
    OUT_OF_COMPLIANCE = "OUT OF COMPLIANCE"
    AUTHORIZATION_EXPIRED = "AUTHORIZATION EXPIRED"
    INVALID_TAG = "INVALID TAG"


class RegistrationStatus(str, Enum):
    """16.x `Registration: Status:`."""

    REGISTERED = "REGISTERED"
    UNREGISTERED = "UNREGISTERED"
    REGISTERING = "REGISTERING"
    REGISTRATION_FAILED = "UNREGISTERED - REGISTRATION FAILED"
    REGISTRATION_EXPIRED = "REGISTRATION EXPIRED"
    SPECIFIC_LICENSE_RESERVATION = "REGISTERED - SPECIFIC LICENSE RESERVATION"
    UNIVERSAL_LICENSE_RESERVATION = "REGISTERED - UNIVERSAL LICENSE RESERVATION"


class AuthorizationStatus(str, Enum):
    """16.x `License Authorization: Status:`; `NOT APPLICABLE` on newer `show license usage`."""

    AUTHORIZED = "AUTHORIZED"
    OUT_OF_COMPLIANCE = "OUT OF COMPLIANCE"
    EVAL_MODE = "EVAL MODE"
    EVAL_EXPIRED = "EVAL EXPIRED"
    AUTHORIZATION_EXPIRED = "AUTHORIZATION EXPIRED"
    NO_LICENSES_IN_USE = "NO LICENSES IN USE"
    NOT_APPLICABLE = "NOT APPLICABLE"
    AUTHORIZED_RESERVED = "AUTHORIZED - RESERVED"  # 16.x Specific License Reservation
    NOT_AUTHORIZED = "NOT AUTHORIZED"


class SlacStatus(str, Enum):
    """Per-member `Status:` of `show license authorization` (the SLAC for export-controlled keys)."""

    NOT_INSTALLED = "NOT INSTALLED"
    INSTALLED = "SMART AUTHORIZATION INSTALLED"


class ExportStatus(str, Enum):
    NOT_RESTRICTED = "NOT RESTRICTED"
    RESTRICTED_ALLOWED = "RESTRICTED - ALLOWED"
    RESTRICTED_NOT_ALLOWED = "RESTRICTED - NOT ALLOWED"


class EnforcementType(str, Enum):
    NOT_ENFORCED = "NOT ENFORCED"
    ENFORCED = "ENFORCED"
    EXPORT_RESTRICTED = "EXPORT RESTRICTED"


class LicenseTerm(str, Enum):
    """`License type:` (printed `Perpetual` in usage blocks and `PERPETUAL` in authorizations)."""

    PERPETUAL = "perpetual"
    SUBSCRIPTION = "subscription"
    EXPORT = "export"
    TERM = "term"


class TransportType(str, Enum):
    SMART = "smart"
    CSLU = "cslu"
    CALLHOME = "callhome"
    AUTOMATIC = "automatic"
    OFF = "off"


class PolicySource(str, Enum):
    """Where a policy value comes from, printed in parentheses after it."""

    CUSTOMER = "Customer Policy"
    CISCO_DEFAULT = "CISCO default"


# --- building blocks -------------------------------------------------------------------------------


class AccountInfo(BaseModel):
    """`Smart Account: X As of <date>` is split into the name and the date it was learnt."""

    smart_account: str | None = None
    smart_account_as_of: Timestamp | None = None
    virtual_account: str | None = None


class Attempt(BaseModel):
    """A 16.x `SUCCEEDED on <date>` / `FAILED on <date>` / `None` attempt."""

    result: str
    at: Timestamp | None = None
    failure_reason: str | None = None


class Registration(BaseModel):
    """16.x Smart Licensing registration with CSSM."""

    status: RegistrationStatus | None = None
    smart_account: str | None = None
    virtual_account: str | None = None
    export_controlled_allowed: bool | None = None
    initial_registration: Attempt | None = None
    last_renewal_attempt: Attempt | None = None
    next_renewal_attempt: Timestamp | None = None
    registration_expires: Timestamp | None = None


class LicenseAuthorizationState(BaseModel):
    """16.x `License Authorization:` block (and `Status: Not Applicable` of newer usage output)."""

    status: AuthorizationStatus | None = None
    status_since: Timestamp | None = None
    last_communication_attempt: Attempt | None = None
    next_communication_attempt: Timestamp | None = None
    communication_deadline: Timestamp | None = None
    evaluation_period_remaining: str | None = None


class LicenseConversion(BaseModel):
    automatic_conversion_enabled: bool | None = None
    status: str | None = None
    last_data_push: Timestamp | None = None
    last_file_export: Timestamp | None = None


class DataPrivacy(BaseModel):
    sending_hostname: bool | None = None
    callhome_hostname_privacy: bool | None = None
    smart_licensing_hostname_privacy: bool | None = None
    version_privacy: bool | None = None


class Proxy(BaseModel):
    """A configured proxy. The password itself is never kept, only whether one is set."""

    address: str | None = None
    port: int | None = None
    username: str | None = None
    password_set: bool = False


class Transport(BaseModel):
    type: TransportType | None = None
    url: str | None = None
    cslu_address: str | None = None
    proxy: Proxy | None = None
    vrf: str | None = None
    ip_mode: str | None = None
    trust_point: str | None = None


class PolicyAttributes(BaseModel):
    """One of the four attribute groups of a policy, in days."""

    first_report_requirement_days: int | None = None
    reporting_frequency_days: int | None = None
    report_on_change_days: int | None = None
    source: PolicySource | None = None


class Policy(BaseModel):
    in_use: str | None = None  # e.g. "Merged from multiple sources." or "Installed On <date>"
    installed_on: Timestamp | None = None
    name: str | None = None
    reporting_ack_required: bool | None = None
    reporting_ack_source: PolicySource | None = None
    unenforced_perpetual: PolicyAttributes | None = None
    unenforced_subscription: PolicyAttributes | None = None
    enforced: PolicyAttributes | None = None
    export: PolicyAttributes | None = None


class UsageReporting(BaseModel):
    last_ack_received: Timestamp | None = None
    next_ack_deadline: Timestamp | None = None
    reporting_push_interval_days: int | None = None  # 0 means "no reporting"
    next_ack_push_check: Timestamp | None = None
    next_report_push: Timestamp | None = None
    last_report_push: Timestamp | None = None
    last_report_file_write: Timestamp | None = None


class TrustCode(BaseModel):
    """Trust code of one UDI (agent 5.x prints INSTALLED on; agent 6.x adds Valid on / Expired on)."""

    udi: Udi
    roles: list[Role] = Field(default_factory=list)
    installed_on: Timestamp | None = None
    valid_on: Timestamp | None = None
    expired_on: Timestamp | None = None


class DeviceTelemetry(BaseModel):
    data_channel: str | None = None
    reports_on_disk: int | None = None


class UsageReportSummary(BaseModel):
    total: int
    purged: int
    acknowledged_received: int
    waiting_for_ack: int
    available_to_report: int
    collecting_data: int


# --- show license summary --------------------------------------------------------------------------


class LicenseSummaryRow(BaseModel):
    """A row of the License Usage table; names cut by the device end in `...` and are flagged."""

    license: str | None  # blank in 16.x EVAL MODE
    entitlement_tag: str
    count: int
    status: UsageStatus
    license_truncated: bool = False
    entitlement_tag_truncated: bool = False

    def matches(self, license: str | None = None, entitlement_tag: str | None = None) -> bool:
        """True when the row is the given full license name / tag (a truncated cell matches its prefix)."""
        return _cell_matches(self.license, self.license_truncated, license) and _cell_matches(
            self.entitlement_tag, self.entitlement_tag_truncated, entitlement_tag
        )


def _cell_matches(cell: str | None, truncated: bool, wanted: str | None) -> bool:
    if wanted is None:
        return True
    if cell is None:
        return False
    return wanted.startswith(cell) if truncated else wanted == cell


class LicenseSummary(ParsedOutput):
    generation: LicensingGeneration | None = None
    smart_licensing_enabled: bool | None = None
    registration: Registration | None = None
    authorization: LicenseAuthorizationState | None = None
    account: AccountInfo | None = None
    licenses: list[LicenseSummaryRow] = Field(default_factory=list)

    def find(self, license: str | None = None, entitlement_tag: str | None = None) -> list[LicenseSummaryRow]:
        """Rows for a license name and/or tag (rows are keyed by both: a mixed stack repeats names)."""
        return [row for row in self.licenses if row.matches(license, entitlement_tag)]


# --- show license usage ----------------------------------------------------------------------------


class ReservationTerm(BaseModel):
    """16.x ``Term information:`` of a reserved license, per UDI (``Active: PID:...,SN:...``)."""

    role: Role | None = None
    udi: Udi | None = None
    license_type: LicenseTerm | None = None
    start_date: date | None = None  # `Start Date: 2019-JAN-15 UTC`
    end_date: date | None = None
    term_count: int | None = None


class LicenseReservation(BaseModel):
    """16.x per-license ``Reservation:`` sub-block (Specific License Reservation)."""

    status: str | None = None  # `SPECIFIC INSTALLED`
    total_reserved_count: int | None = None
    terms: list[ReservationTerm] = Field(default_factory=list)


class MemberReservation(BaseModel):
    """16.x ``Reservation Info`` / ``Overall status:``: one UDI's reservation."""

    role: Role | None = None
    udi: Udi | None = None
    status: str | None = None  # `SPECIFIC INSTALLED`
    status_since: Timestamp | None = None
    last_confirmation_code: str | None = None


class ReservedLicense(BaseModel):
    """16.x ``Reservation Info`` / ``Specified license reservations:``: one reserved license."""

    name: str  # the entitlement tag when the device prints no display name
    entitlement_tag: str | None = None
    description: str | None = None
    reservation: LicenseReservation


class ReservationInfo(BaseModel):
    """16.x ``show license all`` section ``Reservation Info`` (Specific License Reservation)."""

    enabled: bool | None = None
    members: list[MemberReservation] = Field(default_factory=list)
    licenses: list[ReservedLicense] = Field(default_factory=list)


class HaPeer(BaseModel):
    """Agent 6.2 ``Application HA Info:`` / ``Peer Info:``: the HA peer the license is shared with."""

    udi: Udi | None = None  # printed short: `P:C8200L-1N-4T,S:FGL2435LHLH`
    piid: str | None = None
    smart_account_name: str | None = None  # None for the agent's `'nullPtr'` placeholder


class LicenseUsageEntry(BaseModel):
    """One license block; a 16.x reserved block may print no name (``(tag):``), and then name is the tag."""

    name: str
    entitlement_tag: str | None = None
    description: str | None = None
    count: int | None = None
    version: str | None = None
    status: UsageStatus | None = None
    export_status: ExportStatus | None = None
    feature_name: str | None = None
    feature_description: str | None = None
    enforcement_type: EnforcementType | None = None
    license_type: LicenseTerm | None = None
    reservation: LicenseReservation | None = None
    ha_peers: list[HaPeer] | None = None
    """Agent 6.2 ``Application HA Info:``: None when the block is absent."""


class LicenseUsage(ParsedOutput):
    authorization: LicenseAuthorizationState | None = None
    licenses: list[LicenseUsageEntry] = Field(default_factory=list)

    def find(self, name: str | None = None, entitlement_tag: str | None = None) -> list[LicenseUsageEntry]:
        return [
            e
            for e in self.licenses
            if (name is None or e.name == name)
            and (entitlement_tag is None or e.entitlement_tag == entitlement_tag)
        ]


# --- show license udi ------------------------------------------------------------------------------


class HaMember(BaseModel):
    udi: Udi
    roles: list[Role] = Field(default_factory=list)


class SlotUdi(BaseModel):
    """A row of the router-style `SlotID PID SN UDI` table."""

    slot: str | None = None
    active: bool = False
    pid: str
    serial: str
    udi: str


class LicenseUdi(ParsedOutput):
    udi: Udi | None = None
    members: dict[str, HaMember] = Field(default_factory=dict)  # by serial, HA UDI List order
    slots: list[SlotUdi] = Field(default_factory=list)

    def serial_of(self, role: Role) -> list[str]:
        return [serial for serial, m in self.members.items() if role in m.roles]


# --- show license authorization --------------------------------------------------------------------


class MemberAuthorization(BaseModel):
    udi: Udi
    roles: list[Role] = Field(default_factory=list)
    status: SlacStatus | None = None
    installed_on: Timestamp | None = None
    last_confirmation_code: str | None = None
    last_return_code: str | None = None


class AuthorizationTerm(BaseModel):
    udi: Udi
    roles: list[Role] = Field(default_factory=list)
    authorization_type: str | None = None
    license_type: LicenseTerm | None = None
    term_count: int | None = None
    start_date: Timestamp | None = None
    end_date: Timestamp | None = None


class Authorization(BaseModel):
    """An export-controlled authorization such as `C9K HSEC (Cat9K HSEC)`."""

    name: str
    display_name: str | None = None
    description: str | None = None
    total_available_count: int | None = None
    enforcement_type: EnforcementType | None = None
    terms: dict[str, AuthorizationTerm] = Field(default_factory=dict)  # by serial


class LicenseAuthorization(ParsedOutput):
    last_data_push: Timestamp | None = None
    last_file_export: Timestamp | None = None
    members: dict[str, MemberAuthorization] = Field(default_factory=dict)  # by serial
    authorizations: list[Authorization] = Field(default_factory=list)
    purchase_information_available: bool | None = None  # False: "No Purchase Information Available"

    def installed_serials(self) -> list[str]:
        return [s for s, m in self.members.items() if m.status is SlacStatus.INSTALLED]


# --- show license status ---------------------------------------------------------------------------


class LicenseStatus(ParsedOutput):
    generation: LicensingGeneration | None = None
    smart_licensing_enabled: bool | None = None
    policy_enabled: bool | None = None  # "Smart Licensing Using Policy: Status: ENABLED"
    reporting_mode: str | None = None
    license_conversion: LicenseConversion | None = None
    export_features_authorized: list[str] | None = None
    utility_enabled: bool | None = None
    account: AccountInfo | None = None
    data_privacy: DataPrivacy | None = None
    transport: Transport | None = None
    custom_id: str | None = None
    registration: Registration | None = None
    authorization: LicenseAuthorizationState | None = None
    policy: Policy | None = None
    usage_reporting: UsageReporting | None = None
    trust_code_type: str | None = None
    trust_code_installed_on: Timestamp | None = None  # single-date form (standalone, older agents)
    trust_codes: dict[str, TrustCode] = Field(default_factory=dict)  # per member, by serial
    telemetry: DeviceTelemetry | None = None
    reservation_enabled: bool | None = None
    """16.x ``License Reservation is ENABLED``: the device holds a Specific/Universal License Reservation."""
    reservation_ha_errors: list[str] | None = None
    """16.x ``Licensing HA configuration error:`` lines; [] for ``No Reservation Ha config error``."""
    evaluation_mode: str | None = None
    """16.x ``Evaluation Period: Evaluation Mode:`` (``Not In Use``, ``In Use``)."""


# --- show license all ------------------------------------------------------------------------------


class LicenseAll(ParsedOutput):
    generation: LicensingGeneration | None = None
    agent_version: str | None = None
    status: LicenseStatus | None = None
    usage: LicenseUsage | None = None
    udi: LicenseUdi | None = None
    authorization: LicenseAuthorization | None = None
    usage_report_summary: UsageReportSummary | None = None
    telemetry: DeviceTelemetry | None = None
    reservation_info: ReservationInfo | None = None
    agent_component_versions: dict[str, str] | None = None
    """16.x ``Component Versions: SA:(1_3_dev)1.0.15, SI:(dev22)1.2.1`` -> {"SA": "(1_3_dev)1.0.15", ...}."""
