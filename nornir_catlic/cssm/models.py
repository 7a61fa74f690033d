"""Cisco's licensing API JSON as pydantic models (only the fields the client reads), and the poll handle.

Unknown fields are ignored: Cisco adds fields, and the samples show several shapes of one answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PollAction = Literal["authorizations", "acknowledgements"]


class CiscoModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class TokenAnswer(CiscoModel):
    access_token: str = Field(repr=False)
    token_type: str = "Bearer"
    expires_in: int = 3599


class Sudi(CiscoModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    udi_pid: str
    udi_serial_number: str

    @property
    def udi(self) -> str:
        return f"PID:{self.udi_pid},SN:{self.udi_serial_number}"


class VirtualAccount(CiscoModel):
    name: str
    virtual_account_id: int
    default: bool = False


class Account(CiscoModel):
    name: str
    account_id: int
    domain: str = ""
    virtual_accounts: list[VirtualAccount] = []


class AccountsAnswer(CiscoModel):
    status: str = ""
    message: str | None = None
    accounts: list[Account] = []


class AsyncAnswer(CiscoModel):
    """A submission's or a poll's answer: ``OK_POLL`` (poll later), ``COMPLETE`` (``data``) or ``FAILED``."""

    status: str
    message: str | None = None
    message_code: str | None = None
    poll_id: int | None = None
    poll_interval: float | None = None
    action: str | None = None
    type: str | None = None
    data: dict[str, Any] | None = None


class ItemResult(CiscoModel):
    """One UDI's part of a COMPLETE answer: an authorization (SLAC or return) or an acknowledgement."""

    sudi: Sudi
    smart_license: str | None = None
    status: str = "SUCCESS"
    status_message: str | None = None
    error_code: str | None = None

    @property
    def failed(self) -> bool:
        return self.status.upper() == "FAILED"


class LicenseSummaryEntry(CiscoModel):
    """One entitlement of ``v3/licenses/summary`` (legacy ``prepaid_*`` names) or of ``get-summary``."""

    tag: str
    display_name: str = ""
    prepaid_entitled: int | None = None
    prepaid_inuse: int | None = None
    prepaid_reserved: int | None = None
    entitled: int | None = None
    inuse: int | None = None
    reserved: int | None = None

    @property
    def free(self) -> int:
        entitled = self.prepaid_entitled if self.prepaid_entitled is not None else self.entitled or 0
        used = self.prepaid_inuse if self.prepaid_inuse is not None else self.inuse or 0
        held = self.prepaid_reserved if self.prepaid_reserved is not None else self.reserved or 0
        return max(0, entitled - used - held)


class LicenseSummary(CiscoModel):
    status: str = ""
    message: str | None = None
    summary: list[LicenseSummaryEntry] = []


class PollHandle(BaseModel):
    """What a caller commits after a submission and before polling, to resume the same poll later
    (Cisco rejects a duplicate usage report; a second SLAC request spends a key).

    Attributes:
        action: ``authorizations`` (SLAC request or return) or ``acknowledgements`` (usage report).
        poll_id: Cisco's id (an int64: beyond JavaScript's safe integers).
        submitted_at: when Cisco accepted the submission.
        deadline: when to stop polling and report a timeout.
        poll_interval: seconds Cisco asked to wait between polls.
        udis: the UDIs submitted, in order, so that answers map back to them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    action: PollAction
    poll_id: int
    submitted_at: dt.datetime
    deadline: dt.datetime
    poll_interval: float
    udis: tuple[str, ...] = ()
