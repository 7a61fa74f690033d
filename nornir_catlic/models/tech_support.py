"""`show license reservation` and `show license tech support`: outputs beyond the guide's examples."""

from __future__ import annotations

from pydantic import BaseModel, Field

from nornir_catlic.models.common import ParsedOutput
from nornir_catlic.models.license import LicenseAll


class ReservationMode(ParsedOutput):
    """`show license reservation`.

    Attributes:
        enabled: Specific License Reservation is on (`License reservation: ENABLED`); None when the
            output did not say.
    """

    enabled: bool | None = None


class UnreadSection(BaseModel):
    """A `====`-underlined section of `show license tech support` that no licensing template reads,
    kept verbatim (never dropped in silence, never guessed at)."""

    title: str
    lines: list[str]


class LicenseTechSupport(LicenseAll):
    """`show license tech support`: the sections it shares with `show license all`, parsed as there,
    plus every other section as printed.

    Attributes:
        other_sections: the sections whose title no licensing template knows, in output order.
    """

    other_sections: list[UnreadSection] = Field(default_factory=list)
