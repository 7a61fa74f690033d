"""How the UDIs of one managed device are arranged, and how the device reaches Cisco SSM."""

from __future__ import annotations

import enum


class Redundancy(str, enum.Enum):
    """How the UDIs of one managed device are arranged."""

    STANDALONE = "standalone"
    STACK = "stack"
    """A C9300X stack: one UDI per member."""
    DUAL_SUPERVISOR = "dual-supervisor"
    """Two supervisors in one chassis: both show the chassis UDI."""
    STACKWISE_VIRTUAL = "stackwise-virtual"
    """Two chassis, one supervisor each: two chassis UDIs."""


class ConnectionMode(str, enum.Enum):
    """How the product instance reaches Cisco SSM (the guide's Smart Licensing Using Policy topologies)."""

    SSM_DIRECT = "ssm-direct"
    CSLU_PUSH = "cslu-push"
    CSLU_PULL = "cslu-pull"
    ON_PREM_PUSH = "on-prem-push"
    ON_PREM_PULL = "on-prem-pull"
    AIR_GAPPED = "air-gapped"
    """No connectivity to CSSM and no CSLU (``license smart transport off``)."""
    CONTROLLER = "controller"
    """Through Cisco Catalyst Center: cannot generate a SLAC for these switches."""
