"""16.x `show license all` pieces the field found beyond the guide: the agent's component versions line and
the Specific License Reservation status lines (their `.raw`/`.yml` pairs are in facts/show_license_status)."""

from __future__ import annotations

from parsing_cases import FACTS_DIR

from nornir_catlic import parse
from nornir_catlic.models.license import AuthorizationStatus, LicenseAll, RegistrationStatus

STATUS = (FACTS_DIR / "show_license_status" / "slr_16x_reservation_enabled.raw").read_text()
AGENT = """
Agent Version
=============
Smart Agent for Licensing: 4.4.13_rel/116
Component Versions: SA:(1_3_dev)1.0.15, SI:(dev22)1.2.1, CH:(rel5)1.0.3, PK:(dev18)1.0.3
"""


def test_show_license_all_reads_the_reservation_status_and_the_component_versions() -> None:
    text = "Smart Licensing Status\n======================\n\n" + STATUS + AGENT
    everything = parse("show license all", text, expect=LicenseAll, strict=True)
    assert everything.agent_version == "4.4.13_rel/116"
    assert everything.agent_component_versions == {
        "SA": "(1_3_dev)1.0.15",
        "SI": "(dev22)1.2.1",
        "CH": "(rel5)1.0.3",
        "PK": "(dev18)1.0.3",
    }
    status = everything.status
    assert status is not None and status.reservation_enabled is True
    assert status.registration is not None
    assert status.registration.status is RegistrationStatus.SPECIFIC_LICENSE_RESERVATION
    assert status.authorization is not None
    assert status.authorization.status is AuthorizationStatus.AUTHORIZED_RESERVED
    assert status.reservation_ha_errors == []


def test_without_the_block_the_ha_errors_are_unknown_not_empty() -> None:
    status = parse("show license status", "Smart Licensing is ENABLED\nLicense Reservation is DISABLED\n")
    assert status.model_dump()["reservation_ha_errors"] is None
    assert status.model_dump()["reservation_enabled"] is False
