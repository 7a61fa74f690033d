"""One device's licensing state, assembled from its parsed show outputs.

:func:`build_license_state` is a pure function: parsed models in (``show version``, ``show license all`` or
its pieces, ``show switch detail`` of a stack, ``show inventory`` of a chassis), one :class:`LicenseState`
out. Members are keyed by serial number; a dual-supervisor chassis prints one UDI for both supervisors, so
its single entry carries both roles. :meth:`LicenseState.to_facts` hands the state to the guide's rules
(:mod:`nornir_catlic.rules`), as :class:`~nornir_catlic.domain.DeviceFacts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel, Field

from nornir_catlic.domain import (
    HSEC_FEATURE,
    BootLevel,
    ConnectionMode,
    DeviceFacts,
    MemberFacts,
    ProductFamily,
    Redundancy,
    boot_level_of,
    infer_redundancy,
    product_family,
)
from nornir_catlic.models.common import LocalTime, ParsedOutput, Role, Timestamp, Udi
from nornir_catlic.models.inventory import ShowInventory
from nornir_catlic.models.license import (
    AccountInfo,
    Authorization,
    LicenseAll,
    LicenseAuthorization,
    LicenseAuthorizationState,
    LicenseStatus,
    LicenseSummary,
    LicenseUdi,
    LicenseUsage,
    LicenseUsageEntry,
    LicensingGeneration,
    Policy,
    Registration,
    SlacStatus,
    Transport,
    TransportType,
    UsageReporting,
    UsageStatus,
)
from nornir_catlic.models.platform import MemberState, ShowSwitchDetail, ShowVersion, StackMember


class LicensedMember(BaseModel):
    """One UDI holder (stack member, supervisor pair, SVL chassis) and its licensing codes.

    Attributes:
        roles: every role the serial was printed under (Active and Standby for a dual-supervisor chassis).
        switch_number: the stack member number, from ``show version``.
        stack_state: ``Current State`` of ``show switch detail`` (``Ready``, ``V-Mismatch``...), when read.
        slac_status: ``Status:`` of the authorization block; ``None`` when the output had no such block.
        confirmation_code: ``Last Confirmation code`` of the installed SLAC.
        last_return_code: ``Last return code``, printed after a SLAC was returned.
        hsec_term_count: ``Term Count`` of this UDI in the C9K HSEC authorization.
    """

    serial: str
    pid: str
    roles: list[Role] = Field(default_factory=list)
    switch_number: int | None = None
    stack_state: MemberState | None = None
    slac_status: SlacStatus | None = None
    slac_installed_on: Timestamp | None = None
    confirmation_code: str | None = None
    last_return_code: str | None = None
    trust_code_installed_on: Timestamp | None = None
    trust_code_expired_on: Timestamp | None = None
    hsec_term_count: int | None = None

    @property
    def udi(self) -> Udi:
        return Udi(pid=self.pid, serial=self.serial)

    @property
    def role(self) -> Role | None:
        """The first role printed for this serial (Active for a dual-supervisor chassis)."""
        return self.roles[0] if self.roles else None

    @property
    def slac_installed(self) -> bool:
        return self.slac_status is SlacStatus.INSTALLED

    @property
    def trust_code_installed(self) -> bool:
        return self.trust_code_installed_on is not None


class BootLevelState(BaseModel):
    """Technology packages now and after the next reload (``show version``), base level first."""

    current: list[str] = Field(default_factory=list)
    next_reboot: list[str] = Field(default_factory=list)

    @property
    def pending_reload(self) -> bool:
        """A saved ``license boot level`` change waits for a reload."""
        return self.current != self.next_reboot

    @property
    def now(self) -> BootLevel | None:
        return boot_level_of(self.current)

    @property
    def after_reload(self) -> BootLevel | None:
        return boot_level_of(self.next_reboot)


class HsecState(BaseModel):
    """The HSECK9 key on this device.

    Attributes:
        authorized_count: ``Total available count`` of the C9K HSEC authorization (SLACs installed).
        usage_count: ``Count`` of the C9K HSEC usage entry: 1 while a cryptographic feature uses it.
        usage_status: ``IN USE`` / ``NOT IN USE``.
    """

    authorized_count: int = 0
    usage_count: int | None = None
    usage_status: UsageStatus | None = None

    @property
    def in_use(self) -> bool:
        return self.usage_status is UsageStatus.IN_USE and (self.usage_count or 0) > 0


class LicenseState(BaseModel):
    """Everything licensing about one device, as read in one session.

    Attributes:
        host: the Nornir host name.
        members: by serial, in the order the device lists its UDIs (the active first on every release seen).
        stack_members: ``show switch detail`` rows, including provisioned or removed slots with no serial.
        usage: license usage entries (``show license all``/``usage``, else the summary table's rows).
        registration, license_authorization: Smart Licensing (16.x) registration with CSSM and the
            ``License Authorization:`` status (``AUTHORIZED``, ``EVAL MODE``, ``OUT OF COMPLIANCE``...).
        unparsed: per command, lines no template understood (surfaced, never dropped in silence).
    """

    host: str
    hostname: str | None = None
    release: str | None = None
    chassis_pid: str | None = None
    supervisor_pids: list[str] = Field(default_factory=list)
    udi: Udi | None = None
    generation: LicensingGeneration | None = None
    agent_version: str | None = None
    smart_licensing_status: str | None = None
    members: dict[str, LicensedMember] = Field(default_factory=dict)
    stack_members: list[StackMember] = Field(default_factory=list)
    usage: list[LicenseUsageEntry] = Field(default_factory=list)
    boot_level: BootLevelState = Field(default_factory=BootLevelState)
    account: AccountInfo | None = None
    transport: Transport | None = None
    policy: Policy | None = None
    reporting: UsageReporting | None = None
    trust_code_type: str | None = None
    registration: Registration | None = None
    license_authorization: LicenseAuthorizationState | None = None
    hsec: HsecState = Field(default_factory=HsecState)
    unparsed: dict[str, list[str]] = Field(default_factory=dict)

    # --- helpers ---

    def with_role(self, role: Role) -> list[LicensedMember]:
        return [member for member in self.members.values() if role in member.roles]

    @property
    def active(self) -> LicensedMember | None:
        found = self.with_role(Role.ACTIVE)
        return found[0] if found else None

    @property
    def standby(self) -> LicensedMember | None:
        """The standby's UDI holder; for a dual-supervisor chassis that is the chassis itself."""
        found = self.with_role(Role.STANDBY)
        return found[0] if found else None

    @property
    def hsec_in_use(self) -> bool:
        return self.hsec.in_use

    @property
    def members_without_slac(self) -> list[LicensedMember]:
        return [member for member in self.members.values() if not member.slac_installed]

    @property
    def family(self) -> ProductFamily | None:
        lead = self.active or next(iter(self.members.values()), None)
        pid = lead.pid if lead else self.chassis_pid
        return product_family(pid, self.supervisor_pids) if pid else None

    @property
    def redundancy(self) -> Redundancy:
        return infer_redundancy(self.family, self._member_facts())

    @property
    def connection_mode(self) -> ConnectionMode | None:
        """How the device reaches SSM as far as its own transport tells (pull topologies look like push)."""
        kind = self.transport.type if self.transport else None
        if kind in (TransportType.SMART, TransportType.CALLHOME):
            return ConnectionMode.SSM_DIRECT
        if kind is TransportType.CSLU:
            return ConnectionMode.CSLU_PUSH
        if kind is TransportType.OFF:
            return ConnectionMode.AIR_GAPPED
        return None

    @property
    def next_ack_deadline(self) -> dt.datetime | None:
        return _moment(self.reporting.next_ack_deadline) if self.reporting else None

    @property
    def next_ack_deadline_unzoned(self) -> tuple[dt.datetime, str] | None:
        """The deadline's wall-clock time and zone name when the zone's offset is unknown."""
        deadline = self.reporting.next_ack_deadline if self.reporting else None
        return (deadline.local, deadline.zone_name) if isinstance(deadline, LocalTime) else None

    @property
    def last_ack_received(self) -> dt.datetime | None:
        return _moment(self.reporting.last_ack_received) if self.reporting else None

    def _member_facts(self) -> tuple[MemberFacts, ...]:
        facts: list[MemberFacts] = []
        for member in self.members.values():
            for role in member.roles or [Role.MEMBER]:
                facts.append(
                    MemberFacts(
                        role=role,
                        pid=member.pid,
                        serial=member.serial,
                        slac_installed=member.slac_installed,
                        confirmation_code=member.confirmation_code,
                        last_return_code=member.last_return_code,
                    )
                )
        return tuple(facts)

    def to_facts(
        self,
        *,
        crypto_configured: bool | None = None,
        connection: ConnectionMode | None = None,
        supervisor_pids: Iterable[str] | None = None,
        previously_authorized_udis: Iterable[str] = (),
    ) -> DeviceFacts:
        """The facts the guide's rules read; what the state cannot know is passed in (or stays unknown).

        ``supervisor_pids`` defaults to the supervisors ``show inventory`` listed.
        """
        policy = self.policy
        return DeviceFacts(
            host=self.host,
            members=self._member_facts(),
            supervisor_pids=tuple(self.supervisor_pids if supervisor_pids is None else supervisor_pids),
            release=self.release,
            boot_level=self.boot_level.now,
            boot_level_next_reload=self.boot_level.after_reload,
            hsec_in_use=self.hsec.in_use if self.hsec.usage_status is not None else None,
            crypto_configured=crypto_configured,
            connection=connection or self.connection_mode,
            reporting_ack_required=policy.reporting_ack_required if policy else None,
            last_ack_received=self.last_ack_received,
            next_ack_deadline=self.next_ack_deadline,
            next_ack_deadline_unzoned=self.next_ack_deadline_unzoned,
            previously_authorized_udis=frozenset(previously_authorized_udis),
        )


# --- building -------------------------------------------------------------------------------------------


def build_license_state(
    host: str,
    *,
    version: ShowVersion | None = None,
    license_all: LicenseAll | None = None,
    status: LicenseStatus | None = None,
    usage: LicenseUsage | None = None,
    udi: LicenseUdi | None = None,
    authorization: LicenseAuthorization | None = None,
    summary: LicenseSummary | None = None,
    switch_detail: ShowSwitchDetail | None = None,
    inventory: ShowInventory | None = None,
) -> LicenseState:
    """Assemble a :class:`LicenseState` from what was read; a piece given alone wins over ``license_all``'s.

    Args:
        host: the Nornir host name.
        version: ``show version`` (release, boot level now and after reload, member numbers by serial).
        license_all: ``show license all`` (status, usage, UDIs, authorizations in one output).
        status, usage, udi, authorization, summary: the single ``show license ...`` outputs.
        switch_detail: ``show switch detail`` of a stack (member states, provisioned slots).
        inventory: ``show inventory`` of a modular chassis (its supervisors decide HSECK9 support).
    """
    if license_all is not None:
        status = status or license_all.status
        usage = usage or license_all.usage
        udi = udi or license_all.udi
        authorization = authorization or license_all.authorization

    members = _members(udi, authorization, version)
    _add_trust_codes(members, status)
    _add_switch_numbers(members, version)
    if switch_detail is not None:
        _add_stack_states(members, switch_detail)

    generation = (license_all.generation if license_all else None) or (status.generation if status else None)
    if generation is None and summary is not None:
        generation = summary.generation
    account = (status.account if status else None) or (summary.account if summary else None)
    usage_entries = list(usage.licenses) if usage else _usage_from_summary(summary)

    return LicenseState(
        host=host,
        hostname=version.hostname if version else None,
        release=version.version if version else None,
        chassis_pid=version.pid if version else None,
        supervisor_pids=inventory.supervisor_pids if inventory else [],
        udi=(udi.udi if udi else None) or (version.udi if version else None),
        generation=generation,
        agent_version=license_all.agent_version if license_all else None,
        smart_licensing_status=version.smart_licensing_status if version else None,
        members=members,
        stack_members=list(switch_detail.members) if switch_detail else [],
        usage=usage_entries,
        boot_level=BootLevelState(
            current=version.packages_current if version else [],
            next_reboot=version.packages_next_reboot if version else [],
        ),
        account=account,
        transport=status.transport if status else None,
        policy=status.policy if status else None,
        reporting=status.usage_reporting if status else None,
        trust_code_type=status.trust_code_type if status else None,
        registration=(status.registration if status else None) or (summary.registration if summary else None),
        license_authorization=(status.authorization if status else None)
        or (summary.authorization if summary else None),
        hsec=_hsec(usage_entries, authorization),
        unparsed=_unparsed(
            version, license_all, status, usage, udi, authorization, summary, switch_detail, inventory
        ),
    )


def _members(
    udi: LicenseUdi | None, authorization: LicenseAuthorization | None, version: ShowVersion | None
) -> dict[str, LicensedMember]:
    members: dict[str, LicensedMember] = {}
    if udi is not None:
        for serial, ha_member in udi.members.items():
            members[serial] = LicensedMember(
                serial=serial, pid=ha_member.udi.pid, roles=list(ha_member.roles)
            )
        if not members and udi.udi is not None:  # a standalone prints no HA UDI List
            members[udi.udi.serial] = LicensedMember(
                serial=udi.udi.serial, pid=udi.udi.pid, roles=[Role.ACTIVE]
            )
    if authorization is not None:
        hsec = _hsec_authorization(authorization)
        for serial, granted in authorization.members.items():
            member = members.get(serial) or LicensedMember(
                serial=serial, pid=granted.udi.pid, roles=list(granted.roles)
            )
            member.slac_status = granted.status
            member.slac_installed_on = granted.installed_on
            member.confirmation_code = granted.last_confirmation_code
            member.last_return_code = granted.last_return_code
            term = hsec.terms.get(serial) if hsec else None
            member.hsec_term_count = term.term_count if term else None
            members[serial] = member
    if not members and version is not None and version.udi is not None:
        members[version.udi.serial] = LicensedMember(
            serial=version.udi.serial, pid=version.udi.pid, roles=[Role.ACTIVE]
        )
    return members


def _add_trust_codes(members: dict[str, LicensedMember], status: LicenseStatus | None) -> None:
    if status is None:
        return
    for serial, trust in status.trust_codes.items():
        member = members.get(serial)
        if member is not None:
            member.trust_code_installed_on = trust.installed_on
            member.trust_code_expired_on = trust.expired_on
    if not status.trust_codes and status.trust_code_installed_on is not None:
        active = next((m for m in members.values() if Role.ACTIVE in m.roles), None)
        if active is not None:  # single-date form: the standalone's own trust code
            active.trust_code_installed_on = status.trust_code_installed_on


def _add_switch_numbers(members: dict[str, LicensedMember], version: ShowVersion | None) -> None:
    if version is None:
        return
    blocks = [(version.active_switch, version.serial)] + [(b.switch, b.serial) for b in version.switches]
    for number, serial in blocks:
        if serial in members and number is not None:
            members[serial].switch_number = number


def _add_stack_states(members: dict[str, LicensedMember], detail: ShowSwitchDetail) -> None:
    by_number = {member.switch_number: member for member in members.values() if member.switch_number}
    for row in detail.members:
        member = by_number.get(row.switch)
        if member is not None:
            member.stack_state = row.state


def _usage_from_summary(summary: LicenseSummary | None) -> list[LicenseUsageEntry]:
    if summary is None:
        return []
    return [
        LicenseUsageEntry(
            name=row.license or "", entitlement_tag=row.entitlement_tag, count=row.count, status=row.status
        )
        for row in summary.licenses
    ]


def is_hsec_usage(entry: LicenseUsageEntry) -> bool:
    """The C9K HSEC entry, whatever the release names it (``C9K HSEC``, ``hseck9``, tag ``Cat9K HSEC``)."""
    if (entry.feature_name or "").lower() == HSEC_FEATURE:
        return True
    names = f"{entry.name} {entry.entitlement_tag or ''}".upper()
    return "HSEC" in names


def _hsec_authorization(authorization: LicenseAuthorization | None) -> Authorization | None:
    if authorization is None:
        return None
    return next(
        (a for a in authorization.authorizations if "HSEC" in f"{a.name} {a.display_name or ''}".upper()),
        None,
    )


def _hsec(usage: list[LicenseUsageEntry], authorization: LicenseAuthorization | None) -> HsecState:
    entry = next((e for e in usage if is_hsec_usage(e)), None)
    granted = _hsec_authorization(authorization)
    installed = len(authorization.installed_serials()) if authorization else 0
    return HsecState(
        authorized_count=(granted.total_available_count or 0) if granted else installed,
        usage_count=entry.count if entry else None,
        usage_status=entry.status if entry else None,
    )


def _unparsed(*outputs: ParsedOutput | None) -> dict[str, list[str]]:
    return {
        output.command: list(output.unparsed_lines)
        for output in outputs
        if output is not None and output.unparsed_lines
    }


def _moment(value: object) -> dt.datetime | None:
    """An aware date; None for text, and for a LocalTime whose zone offset is unknown."""
    return value if isinstance(value, dt.datetime) else None


__all__ = [
    "BootLevelState",
    "HsecState",
    "LicenseState",
    "LicensedMember",
    "boot_level_of",
    "build_license_state",
    "is_hsec_usage",
]
