"""Nornir tasks for every licensing workflow of the guide, one workflow per module.

Each task takes ``task: Task`` first, returns a ``Result`` whose ``result`` is a typed model, honours
``dry_run`` (the plan goes to ``diff``) and says ``changed=False`` when it had nothing to do. They all talk
to the device through :mod:`nornir_catlic.tasks.device`.
"""

from nornir_catlic.tasks.audit import DeviceAudit, FleetAudit, catlic_audit, summarize_audit
from nornir_catlic.tasks.boot_level import BootLevelChange, catlic_set_boot_level
from nornir_catlic.tasks.check import HseckCheck, catlic_check_hseck9
from nornir_catlic.tasks.device import Plan, netmiko_connection_options, netmiko_extras
from nornir_catlic.tasks.state import catlic_get_license_state, read_license_state

__all__ = [
    "BootLevelChange",
    "DeviceAudit",
    "FleetAudit",
    "HseckCheck",
    "Plan",
    "catlic_audit",
    "catlic_check_hseck9",
    "catlic_get_license_state",
    "catlic_set_boot_level",
    "netmiko_connection_options",
    "netmiko_extras",
    "read_license_state",
    "summarize_audit",
]
