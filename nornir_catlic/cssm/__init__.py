"""Cisco's licensing API (Smart Software Manager in the cloud): the client, and a portal on it.

- :class:`CssmSettings` / :func:`load_settings`: the API and credentials (a file, ``CATLIC_CSSM_*``).
- :class:`CssmClient`: tokens, account ids, submissions, polls (:class:`PollHandle`), the licence summary.
- :class:`CssmPortal`: the workflows' ``SmartSoftwareManager`` over the client.
"""

from nornir_catlic.cssm.client import CssmClient
from nornir_catlic.cssm.config import CssmSettings, load_settings
from nornir_catlic.cssm.errors import (
    CssmAuthError,
    CssmConfigError,
    CssmError,
    CssmPollTimeout,
    CssmRefused,
    CssmUdiFailed,
    CssmUnavailable,
)
from nornir_catlic.cssm.models import PollHandle
from nornir_catlic.cssm.portal import CssmPortal

__all__ = [
    "CssmAuthError",
    "CssmClient",
    "CssmConfigError",
    "CssmError",
    "CssmPollTimeout",
    "CssmPortal",
    "CssmRefused",
    "CssmSettings",
    "CssmUdiFailed",
    "CssmUnavailable",
    "PollHandle",
    "load_settings",
]
