"""What the checks know about one managed device: its UDI holders and the facts read or passed in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from nornir_catlic.domain.families import ProductFamily, product_family
from nornir_catlic.domain.licenses import BootLevel
from nornir_catlic.domain.roles import DeviceRole, Role
from nornir_catlic.domain.topology import ConnectionMode, Redundancy
from nornir_catlic.domain.udi import format_udi


class MemberFacts(BaseModel):
    """One UDI holder of a device: a stack member, a supervisor or an SVL chassis."""

    model_config = ConfigDict(frozen=True)

    role: DeviceRole
    pid: str
    serial: str
    slac_installed: bool = False
    confirmation_code: str | None = None
    last_return_code: str | None = None

    @property
    def udi(self) -> str:
        return format_udi(self.pid, self.serial)


class DeviceFacts(BaseModel):
    """What the checks need to know about one managed device (a switch, a stack or an HA pair).

    Unknown facts stay ``None``; checks then say what they could not verify instead of guessing.
    """

    model_config = ConfigDict(frozen=True)

    host: str
    members: tuple[MemberFacts, ...]
    redundancy: Redundancy | None = None
    """``None``: inferred from the members and the family (see :func:`infer_redundancy`)."""
    supervisor_pids: tuple[str, ...] = ()
    release: str | None = None
    boot_level: BootLevel | None = None
    boot_level_next_reload: BootLevel | None = None
    hsec_in_use: bool | None = None
    """``show license summary``: C9K HSEC count 1 / IN USE."""
    crypto_configured: bool | None = None
    """IPsec or WAN MACsec configuration present in the running configuration."""
    connection: ConnectionMode | None = None
    reporting_ack_required: bool | None = None
    last_ack_received: dt.datetime | None = None
    next_ack_deadline: dt.datetime | None = None
    next_ack_deadline_unzoned: tuple[dt.datetime, str] | None = None
    """The deadline as printed (naive wall-clock time, zone name) when its zone's offset is unknown."""
    previously_authorized_udis: frozenset[str] = frozenset()
    """UDIs known (from the journal) to have held a SLAC, to detect one lost with a replaced supervisor."""

    @property
    def active(self) -> MemberFacts | None:
        return next((m for m in self.members if m.role is Role.ACTIVE), None)

    @property
    def standby(self) -> MemberFacts | None:
        return next((m for m in self.members if m.role is Role.STANDBY), None)

    @property
    def family(self) -> ProductFamily | None:
        """The family of the active (or first) member's PID, refined by the supervisors."""
        lead = lead_member(self.members)
        return None if lead is None else product_family(lead.pid, self.supervisor_pids)

    @property
    def topology(self) -> Redundancy:
        return self.redundancy or infer_redundancy(self.family, self.members)

    def udis(self) -> tuple[str, ...]:
        """Distinct UDIs in member order (a dual-supervisor chassis has one)."""
        return tuple(dict.fromkeys(m.udi for m in self.members))

    def slac_installed_on(self, udi: str) -> bool:
        return any(m.slac_installed for m in self.members if m.udi == udi)


def lead_member(members: Sequence[MemberFacts]) -> MemberFacts | None:
    """The member that speaks for the device: the active, else the first listed."""
    return next((m for m in members if m.role is Role.ACTIVE), members[0] if members else None)


def infer_redundancy(family: ProductFamily | None, members: Sequence[MemberFacts]) -> Redundancy:
    """One UDI holder: standalone; a modular chassis twice with one UDI: dual supervisor; two distinct chassis
    UDIs on a modular or C9500 family: StackWise Virtual; several fixed switches: a stack."""
    if len(members) <= 1:
        return Redundancy.STANDALONE
    distinct = {m.udi for m in members}
    if len(distinct) == 1:
        return Redundancy.DUAL_SUPERVISOR
    if family is not None and (family.is_modular or family in (ProductFamily.C9500, ProductFamily.C9500X)):
        return Redundancy.STACKWISE_VIRTUAL
    return Redundancy.STACK
