"""An httpx client of one switch's ``/smartlic-service`` API: Basic auth, TLS verified, errors per host.

Every failure is a :class:`~nornir_catlic.errors.WorkflowFailed` naming the host and the call: a 401 says
the credentials were refused, a TLS failure says the certificate does not verify, an unreachable switch
says so. The password goes only into the Authorization header: never into a URL, a message or a log.
"""

from __future__ import annotations

import base64
import ssl
from types import TracebackType
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from nornir_catlic.device_rest.endpoint import RestEndpoint
from nornir_catlic.device_rest.models import RestReply, RumListEntry, SignedReports, SignedRum, UsageList
from nornir_catlic.errors import PrerequisiteError, WorkflowFailed
from nornir_catlic.tls import certificate_failure

TIMEOUT_SECONDS = 30.0
Reply = TypeVar("Reply", bound=BaseModel)


class DeviceRestClient:
    """The calls of Cisco's device API that usage reporting needs. Use as a context manager."""

    def __init__(self, endpoint: RestEndpoint, *, timeout: float = TIMEOUT_SECONDS) -> None:
        self.endpoint = endpoint
        self.calls: list[str] = []  # "METHOD /path" of every call made, for the result and the journal
        self._http = httpx.Client(
            base_url=endpoint.base_url,
            auth=httpx.BasicAuth(endpoint.username, endpoint.password.get_secret_value()),
            verify=_verify(endpoint),
            timeout=timeout,
            headers={"Accept": "application/json"},
        )

    def __enter__(self) -> DeviceRestClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------ the API
    def close_reports(self) -> RestReply:
        """``POST /close-reports``: the open reports end now (new ones start measuring)."""
        return self._call("POST", "/close-reports", RestReply, json={})

    def usage_list(self) -> list[RumListEntry]:
        """``GET /list``: every closed report's id and state."""
        return self._call("GET", "/list", UsageList).usage_list

    def all_reports(self) -> list[SignedRum]:
        """``GET /all-reports``: every closed report, signed."""
        return self._call("GET", "/all-reports", SignedReports).usage

    def import_file(self, text: str) -> RestReply:
        """``POST /import``: an ACK (or SLAC, or policy) file, base64 in JSON as Cisco's guide says."""
        encoded = base64.b64encode(text.encode()).decode()
        return self._call("POST", "/import", RestReply, json={"data": encoded})

    # ------------------------------------------------------------ plumbing
    def _call(self, method: str, path: str, reply: type[Reply], json: object = None) -> Reply:
        host = self.endpoint.host
        call = f"{method} {self.endpoint.base_url}{path}"
        self.calls.append(f"{method} /smartlic-service{path}")
        try:
            response = self._http.request(method, path, json=json)
        except httpx.ConnectError as error:
            if certificate_failure(error) is not None:
                raise WorkflowFailed(
                    host,
                    f"{call}: the switch's HTTPS certificate does not verify ({error})",
                    remedy="give data.rest_api.verify the CA bundle that signed it",
                ) from None
            raise WorkflowFailed(
                host,
                f"{call}: the REST API cannot be reached ({error})",
                remedy="check `ip http secure-server` on the switch and data.rest_api.port in the inventory",
            ) from None
        except httpx.HTTPError as error:
            raise WorkflowFailed(host, f"{call}: {type(error).__name__}: {error}") from None
        if response.status_code == httpx.codes.UNAUTHORIZED:
            raise WorkflowFailed(
                host,
                f"{call}: the switch refused the credentials (HTTP 401)",
                remedy="check the inventory's username and password for this switch (a local user the "
                "HTTP server authenticates: `ip http authentication local`)",
            )
        if response.is_error:
            raise WorkflowFailed(
                host,
                f"{call}: HTTP {response.status_code}",
                device_words=_message(response),
            )
        try:
            return reply.model_validate_json(response.content)
        except ValidationError as error:
            raise WorkflowFailed(
                host,
                f"{call}: not the answer the API documents ({error.error_count()} "
                "problems: " + "; ".join(e["msg"] for e in error.errors()[:3]) + ")",
            ) from None


def _message(response: httpx.Response) -> str:
    try:
        return RestReply.model_validate_json(response.content).message or response.reason_phrase
    except ValidationError:
        return response.text[:200]


def _verify(endpoint: RestEndpoint) -> ssl.SSLContext | bool:
    if endpoint.verify is True or endpoint.verify is False:
        return endpoint.verify
    try:
        return ssl.create_default_context(cafile=str(endpoint.verify))
    except (OSError, ssl.SSLError) as error:
        raise PrerequisiteError(f"{endpoint.host}: data.rest_api.verify {endpoint.verify}: {error}") from None
