"""What a device shows of its cryptographic feature: the running configuration's lines and HSEC log events."""

from __future__ import annotations

from pydantic import BaseModel, Field

from nornir_catlic.models.syslog import SyslogEvent


class CryptoEvidence(BaseModel):
    """What the device shows of its cryptographic feature.

    Attributes:
        in_running_config: IPsec on a tunnel or WAN MACsec in the running configuration.
        rejected: the device refused a cryptographic configuration (``INVALID_HSEC``), in log order.
        unauthorized_switchovers: a switchover reached an active without a key and reloaded the device.
    """

    in_running_config: bool
    rejected: list[SyslogEvent] = Field(default_factory=list)
    unauthorized_switchovers: list[SyslogEvent] = Field(default_factory=list)

    @property
    def wanted(self) -> bool:
        """Someone configured the feature, whether or not the device kept it."""
        return self.in_running_config or bool(self.rejected)
