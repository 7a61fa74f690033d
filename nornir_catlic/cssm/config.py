"""Where Cisco's licensing API is and who we are to it: a file and ``CATLIC_CSSM_*`` environment variables.

Cisco has moved hosts, path prefixes and identity providers before, so all three are settings. The client
secret is a :class:`~pydantic.SecretStr`: its ``repr`` and ``str`` are stars. A variable overrides the
file's key of the same name (``CATLIC_CSSM_CLIENT_SECRET`` -> ``client_secret``). A small loader rather than
pydantic-settings: the file is chosen at run time, and errors name the file or the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from nornir_catlic.cssm.errors import CssmConfigError

ENV_PREFIX = "CATLIC_CSSM_"
CISCO_TOKEN_URL = "https://id.cisco.com/oauth2/default/v1/token"
"""The identity provider of apps registered today."""
CISCO_LEGACY_TOKEN_URL = "https://cloudsso.cisco.com/as/token.oauth2"
"""The identity provider of older apps (most public samples)."""
CISCO_BASE_URL = "https://swapi.cisco.com"
CISCO_PATH_PREFIX = "/services/api/smart-accounts-and-licensing/"


class CssmSettings(BaseModel):
    """The API client's settings.

    Attributes:
        smart_account: the Smart Account's name or domain (``example.com``); resolved to its numeric id.
        virtual_account: the virtual account requests draw keys from, by name.
        ca_bundle: a PEM file of CAs to trust instead of the system's (a TLS-inspecting proxy, the lab).
        proxy: an HTTPS proxy URL; without it the usual ``HTTPS_PROXY`` variables apply.
        poll_deadline: seconds a poll may go on before the run stops and reports the poll id to resume.
        max_poll_interval: seconds; a cap on Cisco's ``poll_interval`` (300 s) for impatient runs.
        batch_size: product instances per submission (usage reports of many switches go in together).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    client_id: str = Field(min_length=1)
    client_secret: SecretStr
    smart_account: str = Field(min_length=1)
    virtual_account: str = Field(min_length=1)
    token_url: str = CISCO_TOKEN_URL
    base_url: str = CISCO_BASE_URL
    path_prefix: str = CISCO_PATH_PREFIX
    ca_bundle: Path | None = None
    proxy: str | None = None
    verify_tls: bool = True
    timeout: float = Field(default=60.0, gt=0)
    poll_deadline: float = Field(default=3600.0, gt=0)
    max_poll_interval: float | None = Field(default=None, gt=0)
    retries: int = Field(default=6, ge=1)
    max_backoff: float = Field(default=120.0, gt=0)
    batch_size: int = Field(default=50, ge=1)
    requesting_system: str = "nornir-catlic"

    @field_validator("path_prefix")
    @classmethod
    def _slashes(cls, value: str) -> str:
        return "/" + value.strip("/") + "/" if value.strip("/") else "/"

    def api_url(self, path: str) -> str:
        """``v2/devices/authrequest`` -> the full URL under the base and prefix."""
        return self.base_url.rstrip("/") + self.path_prefix + path.lstrip("/")


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> CssmSettings:
    """The settings from ``path`` (YAML, optional) overridden by ``CATLIC_CSSM_*`` variables.

    Raises:
        CssmConfigError: the file is unreadable or not a mapping, or a setting is missing or wrong; the
            message names the file or variable, never a value.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    origin: dict[str, str] = {}
    if path is not None:
        try:
            loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise CssmConfigError(f"{path}: cannot read the CSSM settings: {type(error).__name__}") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise CssmConfigError(f"{path}: the CSSM settings must be a mapping of names to values")
        for key, value in (loaded or {}).items():
            values[str(key)] = value
            origin[str(key)] = f"{path}: {key}"
    for name, value in environ.items():
        if name.startswith(ENV_PREFIX) and len(name) > len(ENV_PREFIX):
            key = name[len(ENV_PREFIX) :].lower()
            values[key] = value
            origin[key] = f"environment variable {name}"
    try:
        return CssmSettings.model_validate(values)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            key = str(item["loc"][0]) if item["loc"] else ""
            where = origin.get(key, f"{key} (in a file or {ENV_PREFIX}{key.upper()})")
            problems.append(f"{where}: {item['msg']}")  # the message, never the input: it may be the secret
        raise CssmConfigError("CSSM settings: " + "; ".join(problems)) from None
