"""The Smart Licensing files that cross an air gap: what the switch saves and what Cisco SSM sends back."""

from __future__ import annotations

import datetime as dt
import enum

from pydantic import BaseModel, ConfigDict

from nornir_catlic.models.common import Udi


class LicenseFileKind(str, enum.Enum):
    SLAC = "slac"
    """SSM's Smart Licensing Authorization Code for one UDI (``license smart import`` installs it)."""
    ACK = "ack"
    """SSM's acknowledgement of a return or of a usage report."""
    SLAC_REQUEST = "slac-request"
    """``license smart authorization request save``: what the switch asks SSM for."""
    USAGE = "usage"
    """``license smart save usage``: the RUM reports."""


class LicenseFile(BaseModel):
    """One ``<smartLicense>`` file, reduced to what tells which exchange it belongs to.

    Attributes:
        element: the envelope's element that names the kind (``smartLicenseAuthorization``...).
        udis: SLAC: the UDI it authorizes; ACK: the UDIs it acknowledges; request: the UDIs requested.
        issued_at: when the file was made (SLAC: issued; ACK, request, usage: its timestamp), when it says.
        nonce: the exchange's nonce, when the file carries one.
        ack_type: ACK only: ``return`` or ``usage``, when it says.
        fingerprint: SHA-256 of the authorization code (SLAC) or of the whole payload: the same file
            dropped twice has the same fingerprint.
    """

    model_config = ConfigDict(frozen=True)

    kind: LicenseFileKind
    element: str
    udis: tuple[Udi, ...] = ()
    issued_at: dt.datetime | None = None
    nonce: str | None = None
    ack_type: str | None = None
    fingerprint: str
