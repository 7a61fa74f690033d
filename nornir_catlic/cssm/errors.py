"""What can go wrong talking to Cisco's licensing API, each with Cisco's own words when it gave some."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nornir_catlic.errors import PortalError

if TYPE_CHECKING:
    from nornir_catlic.cssm.models import PollHandle


class CssmError(PortalError):
    """A call to Cisco's API failed.

    Attributes:
        cisco_message: Cisco's words (``Invalid Client``, a ``status_message``...), when it said any.
        message_code: Cisco's code, when it gave one; the portal guard keeps it.
        status_code: the HTTP status, when the failure was an HTTP answer.
    """

    def __init__(
        self,
        message: str,
        *,
        cisco_message: str = "",
        message_code: str | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.cisco_message = cisco_message
        self.message_code = message_code
        self.status_code = status_code


class CssmConfigError(CssmError):
    """The client's settings are missing or wrong (names the file or environment variable)."""


class CssmAuthError(CssmError):
    """Cisco refused the credentials or the app's access to the API (401 after a new token, 403)."""


class CssmUnavailable(CssmError):
    """Cisco kept answering 429 or 5xx, or could not be reached, after every retry."""


class CssmRefused(CssmError):
    """Cisco answered ``FAILED`` to a submission or a poll (a duplicate usage report, a bad poll id...)."""


class CssmPollTimeout(CssmError):
    """The overall deadline passed while Cisco still answered ``OK_POLL``; ``handle`` resumes the poll."""

    def __init__(self, message: str, handle: PollHandle) -> None:
        super().__init__(message)
        self.handle = handle


class CssmUdiFailed(CssmError):
    """Cisco failed some UDIs of a batch; the others succeeded.

    Attributes:
        failures: UDI -> Cisco's ``status_message`` for each failed UDI.
        answers: UDI -> file text (SLAC or ACK) for each UDI that succeeded: install them.
    """

    def __init__(self, operation: str, failures: dict[str, str], answers: dict[str, str]) -> None:
        named = "; ".join(f"{udi}: {why}" for udi, why in failures.items())
        super().__init__(
            f"Cisco {operation} failed for {len(failures)} UDI(s): {named}",
            cisco_message=named,
            message_code="UDI_FAILED",
        )
        self.failures = failures
        self.answers = answers
