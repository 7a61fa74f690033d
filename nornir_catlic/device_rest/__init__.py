"""A switch's own Smart Licensing REST API (``/smartlic-service``): where it is, its answers, a client."""

from nornir_catlic.device_rest.client import DeviceRestClient
from nornir_catlic.device_rest.endpoint import RestEndpoint
from nornir_catlic.device_rest.models import RumListEntry, SignedRum
from nornir_catlic.device_rest.usage_file import usage_file

__all__ = ["DeviceRestClient", "RestEndpoint", "RumListEntry", "SignedRum", "usage_file"]
