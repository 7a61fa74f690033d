"""Nornir tasks for every licensing workflow of the guide, one workflow per module.

Each task takes ``task: Task`` first, returns a ``Result`` whose ``result`` is a typed model, honours
``dry_run`` (the plan goes to ``diff``; each declares it with :func:`honours_dry_run`) and says
``changed=False`` when it had nothing to do. They all talk to the device through
:mod:`nornir_catlic.transport`. Those that change a switch hold its lock while they work
(:func:`writes_to_switch`, usable on a task of your own) and stop cleanly once
:func:`nornir_catlic.interrupts.request_stop` is called.
"""

from nornir_catlic.tasks.audit import DeviceAudit, FleetAudit, catlic_audit, summarize_audit
from nornir_catlic.tasks.boot_level import BootLevelChange, catlic_set_boot_level
from nornir_catlic.tasks.check import HseckCheck, catlic_check_hseck9
from nornir_catlic.tasks.declarations import (
    check_task_arguments,
    checks_arguments,
    declares_dry_run,
    honours_dry_run,
)
from nornir_catlic.tasks.exclusive import writes_to_switch
from nornir_catlic.tasks.release import HsecRelease, catlic_release_hsec
from nornir_catlic.tasks.reporting import (
    CodeVerification,
    UsageReport,
    catlic_report_usage,
    export_udis_csv,
    verify_codes,
)
from nornir_catlic.tasks.slac import SlacInstall, SlacReturn, catlic_install_slac, catlic_return_slac
from nornir_catlic.tasks.stack import StackAddition, catlic_add_stack_member
from nornir_catlic.tasks.state import catlic_get_license_state, read_license_state
from nornir_catlic.transport import (
    Plan,
    closing_session,
    netmiko_connection_options,
    netmiko_extras,
    use_recommended_options,
)

__all__ = [
    "BootLevelChange",
    "CodeVerification",
    "DeviceAudit",
    "FleetAudit",
    "HsecRelease",
    "HseckCheck",
    "Plan",
    "SlacInstall",
    "SlacReturn",
    "StackAddition",
    "UsageReport",
    "catlic_add_stack_member",
    "catlic_audit",
    "catlic_check_hseck9",
    "catlic_get_license_state",
    "catlic_install_slac",
    "catlic_release_hsec",
    "catlic_report_usage",
    "catlic_return_slac",
    "catlic_set_boot_level",
    "check_task_arguments",
    "checks_arguments",
    "closing_session",
    "declares_dry_run",
    "export_udis_csv",
    "honours_dry_run",
    "netmiko_connection_options",
    "netmiko_extras",
    "read_license_state",
    "summarize_audit",
    "use_recommended_options",
    "verify_codes",
    "writes_to_switch",
]
