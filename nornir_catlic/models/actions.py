"""What the switch prints after a licensing action: the codes a workflow must keep."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, Field

from nornir_catlic.models.common import ParsedOutput, Udi


class ReplyOutcome(str, Enum):
    """What a licensing action's reply says happened, whatever its wording.

    ``DONE`` is also the outcome of a command whose success is silent (an empty reply).
    """

    DONE = "done"
    IN_PROGRESS = "in-progress"
    NOT_FOUND = "not-found"
    NOTHING_INSTALLED = "nothing-installed"
    ALREADY_REGISTERED = "already-registered"
    FAILED = "failed"


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
    outcome: ReplyOutcome | None = None


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
    outcome: ReplyOutcome | None = None


class RequestCode(BaseModel):
    """One reservation request code, and the UDI it was printed for (when it named one)."""

    udi: Udi | None = None
    request_code: str


class ReservationRequestReply(ParsedOutput):
    """``license smart reservation request {local|all}``: the request code(s) to enter in SSM (16.x SLR).

    Attributes:
        codes: one entry per UDI, in output order.
        outcome: DONE with codes; ALREADY_REGISTERED when the device refused (``Already registered``).
    """

    codes: list[RequestCode] = Field(default_factory=list)
    outcome: ReplyOutcome | None = None


class ReservationInstallReply(ParsedOutput):
    """``license smart reservation install [file] <code|path>``: installed, or why not.

    Attributes:
        outcome: DONE (``Reservation install file successful``), FAILED (with ``failure_reason``) or
            ALREADY_REGISTERED.
        udi: ``Last Confirmation code UDI`` when printed.
        confirmation_code: the confirmation code to enter in SSM, when printed.
    """

    outcome: ReplyOutcome | None = None
    failure_reason: str | None = None
    udi: Udi | None = None
    confirmation_code: str | None = None


class ReservationReturnReply(ParsedOutput):
    """``license smart reservation return ...``: the return code(s) to enter in SSM.

    Attributes:
        codes: one entry per UDI, in output order.
        outcome: DONE with codes; NOTHING_INSTALLED when no reservation was installed.
    """

    codes: list[ReturnCode] = Field(default_factory=list)
    outcome: ReplyOutcome | None = None


class ReservationCancelReply(ParsedOutput):
    """``license smart reservation cancel [all|local]``: silent when the pending request was cancelled."""

    outcome: ReplyOutcome | None = None


class IdTokenReply(ParsedOutput):
    """``license smart register idtoken ...`` (IN_PROGRESS: ``Registration process is in progress``, or
    ALREADY_REGISTERED) and ``license smart trust idtoken ...`` (silent: DONE)."""

    outcome: ReplyOutcome | None = None


class AuthorizationRequestReply(ParsedOutput):
    """``license smart authorization request {add|replace|save} ...``: silent when done;
    ``The requested item was not found`` (NOT_FOUND) for a feature the device does not know."""

    outcome: ReplyOutcome | None = None
