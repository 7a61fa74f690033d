"""Where a switch serves its REST API, from its Nornir inventory entry.

``data: {rest_api: {port: 443, verify: /path/ca.pem}}`` (the lab writes it for every switch that serves
one). ``verify`` is a CA bundle (a path), ``true`` (the system's CAs, the default) or ``false``;
``hostname`` defaults to the host's own. Credentials are the host's username and password.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nornir.core.inventory import Host
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from nornir_catlic.errors import PrerequisiteError

SERVICE = "/smartlic-service"
INVENTORY_KEY = "rest_api"


class RestSettings(BaseModel):
    """The ``rest_api`` mapping of a host's data."""

    model_config = ConfigDict(extra="forbid")

    port: int = Field(default=443, ge=1, le=65535)
    hostname: str | None = None
    verify: bool | Path = True


class RestEndpoint(BaseModel):
    """One switch's REST API: its base URL, how its certificate is verified, and its credentials."""

    model_config = ConfigDict(frozen=True)

    host: str
    base_url: str
    verify: bool | Path
    username: str
    password: SecretStr

    @classmethod
    def of(cls, host: Host) -> RestEndpoint:
        """The endpoint of a Nornir host.

        Raises:
            PrerequisiteError: the host's inventory gives no REST API, or gives it wrongly (named).
        """
        raw: Any = host.get(INVENTORY_KEY)
        if raw is None:
            raise PrerequisiteError(
                f"{host.name}: no REST API in its inventory: give data.{INVENTORY_KEY}.port (and verify, the "
                "CA bundle of its HTTPS certificate), or report over SSH (without --rest)"
            )
        try:
            settings = RestSettings.model_validate(raw)
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
            raise PrerequisiteError(f"{host.name}: data.{INVENTORY_KEY}: {problems}") from None
        address = settings.hostname or host.hostname or host.name
        if not host.username or host.password is None:
            raise PrerequisiteError(f"{host.name}: the REST API needs the host's username and password")
        return cls(
            host=host.name,
            base_url=f"https://{address}:{settings.port}{SERVICE}",
            verify=settings.verify,
            username=host.username,
            password=SecretStr(host.password),
        )
