"""Small fleet audits built in code, for the report's tests."""

from __future__ import annotations

import datetime as dt

from nornir_catlic.models.license import LicenseUsageEntry
from nornir_catlic.models.state import LicensedMember, LicenseState
from nornir_catlic.rules.findings import Finding, worst_severity
from nornir_catlic.tasks.audit import DeviceAudit, FleetAudit

NOW = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.timezone.utc)


def audited(host: str, findings: list[Finding], usage: list[LicenseUsageEntry] | None = None) -> DeviceAudit:
    member = LicensedMember(serial="FOC1", pid="C9300X-24HX", roles=["active"])  # type: ignore[list-item]
    state = LicenseState(host=host, members={"FOC1": member}, usage=usage or [])
    return DeviceAudit(
        host=host, audited_at=NOW, worst=worst_severity(findings), findings=findings, state=state
    )


def fleet_of(*devices: DeviceAudit) -> FleetAudit:
    return FleetAudit(
        hosts_total=len(devices) + 1,
        hosts_audited=[device.host for device in devices],
        hosts_failed={"<b>down</b>": "refused: <i>no</i>"},
        devices={device.host: device for device in devices},
    )
