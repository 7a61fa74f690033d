"""A finding: one observation about a device, its severity, and what to do about it according to the guide;
and a refusal: what a workflow may not do, and why."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from nornir_catlic.rules.codes import FindingCode


class Severity(str, enum.Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    """A prerequisite is not met: the workflow must not go on."""
    CRITICAL = "critical"
    """Cryptographic functionality is lost or about to be."""

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2, Severity.CRITICAL: 3}


class Finding(BaseModel):
    """One observation about a device, with what to do about it according to the guide.

    Built by :func:`nornir_catlic.rules.catalog.finding` from the catalog's text for its code.
    """

    model_config = ConfigDict(frozen=True)

    code: FindingCode
    """Stable, machine-readable identifier such as ``HSEC_RELEASE_TOO_OLD``."""
    severity: Severity
    subject: str
    """What the finding is about: a host, a UDI or a serial number."""
    message: str
    remedy: str = ""
    reference: str = ""
    """The section of the guide the rule and remedy come from."""

    @property
    def blocking(self) -> bool:
        return self.severity.rank >= Severity.ERROR.rank


def worst_severity(findings: Iterable[Finding]) -> Severity | None:
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)


def blocking_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings of severity error or critical: a workflow must not act while any remains."""
    return [f for f in findings if f.blocking]


@dataclass(frozen=True)
class Refusal:
    """What the switch (or the guide) would refuse, and why, decided before anything is sent."""

    reason: str
    remedy: str
    device_words: str = ""
    """What the switch shows that makes it refuse (a ``show license summary`` line, configuration)."""
