"""The HTTP client of Cisco's licensing API (the v2 'swapi' calls CSLU makes), on httpx and tenacity.

Every call carries a bearer token (renewed on expiry or a 401), the ``X-CSW-*`` account headers with the
numeric ids resolved once from the account names, and a body with a fresh timestamp and nonce. 429 (after
its Retry-After), 5xx and network failures are retried with exponential backoff. Submissions answer a
:class:`PollHandle` that the caller commits before :meth:`CssmClient.wait` polls it to ``COMPLETE``.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import ssl
import time
from collections.abc import Callable
from typing import Any

import httpx
from pydantic import ValidationError
from tenacity import (
    RetryCallState,
    RetryError,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from nornir_catlic.cssm.answers import cisco_words
from nornir_catlic.cssm.auth import RetryableAnswer, TokenSource
from nornir_catlic.cssm.config import CssmSettings
from nornir_catlic.cssm.errors import (
    CssmAuthError,
    CssmConfigError,
    CssmError,
    CssmPollTimeout,
    CssmRefused,
    CssmUnavailable,
)
from nornir_catlic.cssm.models import (
    AccountsAnswer,
    AsyncAnswer,
    ItemResult,
    LicenseSummary,
    LicenseSummaryEntry,
    PollAction,
    PollHandle,
)
from nornir_catlic.tls import certificate_failure


def _transient(error: BaseException) -> bool:
    """Worth another attempt: 429/5xx, a 401 to renew the token, a network failure, but not a certificate
    that does not verify (retrying cannot fix it)."""
    if isinstance(error, RetryableAnswer):
        return True
    return isinstance(error, httpx.TransportError) and certificate_failure(error) is None


class CssmClient:
    """One account's view of Cisco's licensing API. Thread-safe; close it (or use ``with``) when done.

    Args:
        settings: where the API is and the credentials.
        sleep: how to wait between polls and retries (tests pass a recorder).
    """

    def __init__(self, settings: CssmSettings, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self._sleep = sleep
        self.http = httpx.Client(
            verify=_verify(settings),
            proxy=settings.proxy,
            timeout=settings.timeout,
            headers={"Accept": "application/json", "User-Agent": "nornir-catlic"},
        )
        self.tokens = TokenSource(self.http, settings.token_url, settings.client_id, settings.client_secret)
        self._account_ids: tuple[int, int] | None = None
        self.requests = 0
        """HTTP requests made to the API (token requests apart), retries included."""
        self.polls = 0

    def __repr__(self) -> str:
        settings = self.settings
        return f"CssmClient({settings.base_url!r}, {settings.smart_account!r}/{settings.virtual_account!r})"

    def __enter__(self) -> CssmClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    # ------------------------------------------------------------ accounts
    def account_ids(self) -> tuple[int, int]:
        """(Smart Account id, virtual account id) of the configured names, looked up once."""
        if self._account_ids is None:
            answer = AccountsAnswer.model_validate(self._call("GET", "v2/accounts/search", None))
            wanted = self.settings.smart_account
            account = next((a for a in answer.accounts if wanted in (a.name, a.domain)), None)
            if account is None:
                names = ", ".join(a.name for a in answer.accounts) or "none"
                raise CssmConfigError(
                    f"Smart Account {wanted!r} is not one this API client can use ({names})"
                )
            virtual = next(
                (v for v in account.virtual_accounts if v.name == self.settings.virtual_account), None
            )
            if virtual is None:
                names = ", ".join(v.name for v in account.virtual_accounts) or "none"
                raise CssmConfigError(
                    f"virtual account {self.settings.virtual_account!r} is not in {account.name} ({names})"
                )
            self._account_ids = (account.account_id, virtual.virtual_account_id)
        return self._account_ids

    # ------------------------------------------------------------ submissions and polls
    def submit(self, action: PollAction, items: list[dict[str, Any]], udis: list[str]) -> PollHandle:
        """Submit product instances (``licenses`` for authorizations, ``reports`` for acknowledgements).

        Raises:
            CssmRefused: Cisco answered ``FAILED`` (a duplicate usage report...), with its words.
        """
        path, key = (
            ("v2/devices/authrequest", "licenses")
            if action == "authorizations"
            else ("v2/devices/reportusage", "reports")
        )
        answer = self._async_answer(self._call("POST", path, {key: items}, accounts=True), path)
        if answer.status != "OK_POLL" or answer.poll_id is None:
            raise CssmRefused(f"Cisco answered {answer.status} without a poll id to {path}")
        now = dt.datetime.now(dt.timezone.utc)
        return PollHandle(
            action=action,
            poll_id=answer.poll_id,
            submitted_at=now,
            deadline=now + dt.timedelta(seconds=self.settings.poll_deadline),
            poll_interval=answer.poll_interval or 0.0,
            udis=tuple(udis),
        )

    def resume(self, handle: PollHandle) -> PollHandle:
        """A committed handle from an earlier run, with a new deadline from now: poll it, never resubmit."""
        deadline = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=self.settings.poll_deadline)
        return handle.model_copy(update={"deadline": deadline})

    def poll_once(self, handle: PollHandle) -> AsyncAnswer:
        """One poll: ``OK_POLL`` or ``COMPLETE``.

        Raises:
            CssmRefused: Cisco answered ``FAILED`` or a non-empty message while polling.
        """
        self.polls += 1
        fields = {"poll_id": handle.poll_id, "action": handle.action, "type": handle.action}
        answer = self._async_answer(self._call("POST", "v2/accounts/poll", fields, accounts=True), "poll")
        if answer.status not in ("OK_POLL", "COMPLETE") or (answer.status == "OK_POLL" and answer.message):
            raise CssmRefused(
                f"Cisco's poll {handle.poll_id} ({handle.action}) failed: {answer.message or answer.status}",
                cisco_message=answer.message or "",
                message_code=answer.message_code or None,
            )
        return answer

    def wait(self, handle: PollHandle) -> list[ItemResult]:
        """Poll ``handle`` until ``COMPLETE``, honouring Cisco's ``poll_interval``; each UDI's result.

        Raises:
            CssmPollTimeout: the handle's deadline passed (its ``handle`` resumes the same poll).
        """
        interval = handle.poll_interval
        while True:
            answer = self.poll_once(handle)
            if answer.status == "COMPLETE":
                return _items(answer, handle.action)
            interval = answer.poll_interval or interval
            if self.settings.max_poll_interval is not None:
                interval = min(interval, self.settings.max_poll_interval)
            left = (handle.deadline - dt.datetime.now(dt.timezone.utc)).total_seconds()
            if left <= interval:
                raise CssmPollTimeout(
                    f"Cisco's {handle.action} answer {handle.poll_id} was not ready by "
                    f"{handle.deadline:%Y-%m-%d %H:%M:%S} UTC; resume the poll later",
                    handle,
                )
            self._sleep(interval)

    def license_summary(self, tags: list[str] | None = None) -> list[LicenseSummaryEntry]:
        """``v3/licenses/summary`` of the virtual account: keys entitled and used per entitlement tag."""
        answer = self._call("POST", "v3/licenses/summary", {"tags": list(tags or [])}, accounts=True)
        return LicenseSummary.model_validate(answer).summary

    # ------------------------------------------------------------ one call, retried
    def _call(self, method: str, path: str, fields: dict[str, Any] | None, *, accounts: bool = False) -> Any:
        headers = self._account_headers() if accounts else {}
        renewed = False

        def attempt() -> Any:
            nonlocal renewed
            token = self.tokens.token()
            body = None
            if fields is not None:  # each attempt is a new call to Cisco: a new timestamp and nonce
                body = {
                    "data": {"timestamp": int(time.time() * 1000), "nonce": secrets.token_hex(16), **fields}
                }
            self.requests += 1
            response = self.http.request(
                method,
                self.settings.api_url(path),
                json=body,
                headers={**headers, "Authorization": f"Bearer {token}"},
            )
            if response.status_code == 401 and not renewed:
                renewed = True
                self.tokens.invalidate(token)
                raise RetryableAnswer(response)
            if response.status_code == 429 or response.status_code >= 500:
                raise RetryableAnswer(response)
            return self._json(response, path)

        retrying = Retrying(
            retry=retry_if_exception(_transient),
            wait=_RetryWait(self.settings.max_backoff),
            stop=stop_after_attempt(self.settings.retries),
            sleep=self._sleep,
            reraise=False,
        )
        try:
            return retrying(attempt)
        except httpx.TransportError as error:
            failure = certificate_failure(error)
            raise CssmUnavailable(
                f"the TLS certificate of {path}'s host or of the token URL does not verify "
                f"({failure.verify_message if failure else error}); behind a TLS-inspecting proxy, set "
                "ca_bundle to its CA"
            ) from None
        except RetryError as exhausted:
            cause = exhausted.last_attempt.exception()
            if isinstance(cause, RetryableAnswer):
                response = cause.response
                raise CssmUnavailable(
                    f"Cisco's API answered {path} with HTTP {response.status_code} "
                    f"({cisco_words(response)}) after {self.settings.retries} attempts",
                    cisco_message=cisco_words(response),
                    status_code=response.status_code,
                ) from None
            raise CssmUnavailable(
                f"Cisco's API could not be reached for {path} after {self.settings.retries} attempts: "
                f"{type(cause).__name__}: {cause}"
            ) from None

    def _json(self, response: httpx.Response, path: str) -> Any:
        words = cisco_words(response)
        if response.status_code == 401:
            raise CssmAuthError(
                f"Cisco refused a new token for {path} (HTTP 401: {words}); a new app can take about "
                "30 minutes to work",
                cisco_message=words,
                status_code=401,
            )
        if response.status_code == 403:
            raise CssmAuthError(
                f"Cisco refused {path} (HTTP 403: {words}); the app must be of type API and associated "
                "with the Smart Licensing API through Cisco's access request",
                cisco_message=words,
                status_code=403,
            )
        if response.status_code >= 400:
            raise CssmError(
                f"Cisco refused {path} (HTTP {response.status_code}: {words})",
                cisco_message=words,
                status_code=response.status_code,
            )
        try:
            return json.loads(response.content)
        except ValueError:
            raise CssmError(f"Cisco answered {path} with something that is not JSON") from None

    def _async_answer(self, body: Any, what: str) -> AsyncAnswer:
        try:
            answer = AsyncAnswer.model_validate(body)
        except ValidationError:
            raise CssmError(f"Cisco's answer to {what} has no status") from None
        if answer.status == "FAILED":
            raise CssmRefused(
                f"Cisco refused {what}: {answer.message or 'FAILED'}",
                cisco_message=answer.message or "",
                message_code=answer.message_code or None,
            )
        return answer

    def _account_headers(self) -> dict[str, str]:
        smart_account_id, virtual_account_id = self.account_ids()
        return {
            "X-CSW-SMART-ACCOUNT-ID": str(smart_account_id),
            "X-CSW-VIRTUAL-ACCOUNT-ID": str(virtual_account_id),
            "X-CSW-REQUESTING-SYSTEM": json.dumps({"display_name": self.settings.requesting_system}),
        }


class _RetryWait:
    """Retry-After when Cisco gave one, else exponential backoff with jitter; never past the cap."""

    def __init__(self, cap: float) -> None:
        self._cap = cap
        self._backoff = wait_random_exponential(multiplier=0.5, max=cap)  # full jitter

    def __call__(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, RetryableAnswer):
            if error.response.status_code == 401:
                return 0.0  # a renewed token needs no wait
            if error.retry_after is not None:
                return min(error.retry_after, self._cap)
        return float(self._backoff(state))


def _verify(settings: CssmSettings) -> ssl.SSLContext | bool:
    if not settings.verify_tls:
        return False
    if settings.ca_bundle is None:
        return True
    try:
        return ssl.create_default_context(cafile=str(settings.ca_bundle))
    except (OSError, ssl.SSLError) as error:
        raise CssmConfigError(f"ca_bundle {settings.ca_bundle}: {error}") from None


def _items(answer: AsyncAnswer, action: PollAction) -> list[ItemResult]:
    raw = (answer.data or {}).get(action)
    if not isinstance(raw, list):
        raise CssmError(f"Cisco's COMPLETE answer carries no {action}")
    try:
        return [ItemResult.model_validate(item) for item in raw]
    except ValidationError:
        raise CssmError(f"Cisco's {action} lack a UDI") from None
