"""OAuth2 client credentials for Cisco's API: one token, cached, renewed before it expires or on a 401.

The secret goes only into the token request's form body: never into a URL (httpx logs URLs at DEBUG), a
header, a log line or an exception.
"""

from __future__ import annotations

import threading
import time

import httpx
from pydantic import SecretStr, ValidationError

from nornir_catlic.cssm.answers import cisco_words
from nornir_catlic.cssm.errors import CssmAuthError
from nornir_catlic.cssm.models import TokenAnswer

RENEW_MARGIN = 60.0
"""Seconds before its expiry a token is renewed (a call must not start with a token about to lapse)."""


class RetryableAnswer(Exception):
    """Cisco answered 429 or 5xx (``response``); the caller retries, after ``retry_after`` when given."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}: {cisco_words(response)}")
        self.response = response
        self.retry_after = _seconds(response.headers.get("Retry-After"))


class TokenSource:
    """The bearer token of one client id; thread-safe (a fleet's threads share one client)."""

    def __init__(self, http: httpx.Client, token_url: str, client_id: str, client_secret: SecretStr) -> None:
        self._http = http
        self._token_url = token_url
        self._form = {"grant_type": "client_credentials", "client_id": client_id}
        self._secret = client_secret
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires = 0.0
        self.issued = 0
        """Tokens fetched so far."""

    def __repr__(self) -> str:
        return f"TokenSource({self._token_url!r}, client_id={self._form['client_id']!r})"

    def token(self) -> str:
        with self._lock:
            if self._token is None or time.monotonic() >= self._expires:
                self._token, lifetime = self._fetch()
                self._expires = time.monotonic() + max(lifetime - RENEW_MARGIN, lifetime / 2)
            return self._token

    def invalidate(self, token: str) -> None:
        """Forget ``token`` (Cisco answered 401 to it); another thread may already hold a newer one."""
        with self._lock:
            if self._token == token:
                self._token = None

    def _fetch(self) -> tuple[str, float]:
        form = {**self._form, "client_secret": self._secret.get_secret_value()}
        response = self._http.post(self._token_url, data=form)
        if response.status_code == 429 or response.status_code >= 500:
            raise RetryableAnswer(response)
        if response.status_code != 200:
            raise CssmAuthError(
                f"Cisco's identity provider refused the client credentials (HTTP {response.status_code}: "
                f"{cisco_words(response)}); check the client id and secret, the token URL, and that the "
                "app is of type API (a new app can take about 30 minutes to work)",
                cisco_message=cisco_words(response),
                status_code=response.status_code,
            )
        try:
            answer = TokenAnswer.model_validate_json(response.content)
        except ValidationError:
            raise CssmAuthError("Cisco's identity provider answered without an access token") from None
        self.issued += 1
        return answer.access_token, float(answer.expires_in)


def _seconds(value: str | None) -> float | None:
    """Retry-After in seconds (Cisco sends seconds; an HTTP date is not worth the parsing)."""
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None
