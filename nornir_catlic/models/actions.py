"""What the switch prints after a licensing action: the codes a workflow must keep."""

from __future__ import annotations

from pydantic import BaseModel, Field

from nornir_catlic.models.common import ParsedOutput, Udi


class ReturnCode(BaseModel):
    """One return code the switch printed, and the UDI it was printed for (when it named one)."""

    udi: Udi | None = None
    return_code: str


class AuthorizationReturnReply(ParsedOutput):
    """``license smart authorization return ...``: the printed return codes (offline without a file).

    Attributes:
        codes: one entry per UDI, in output order; empty for an online return or a return to a file.
        nothing_installed: the switch answered ``No reservation authorization code installed in device``.
    """

    codes: list[ReturnCode] = Field(default_factory=list)
    nothing_installed: bool = False


class LicenseImportReply(ParsedOutput):
    """``license smart import <file>``: ``Import Data Successful`` and, for a SLAC, its confirmation code.

    Attributes:
        udi: ``Last Confirmation code UDI``: the UDI the imported SLAC was installed on.
        confirmation_code: ``Confirmation code`` of that SLAC; None after importing an ACK.
    """

    successful: bool = False
    udi: Udi | None = None
    confirmation_code: str | None = None


class SaveUsageReply(ParsedOutput):
    """``license smart save usage ... file <path>``: silent on success.

    Attributes:
        nothing_to_save: the switch answered ``The requested item was not found``.
    """

    nothing_to_save: bool = False
