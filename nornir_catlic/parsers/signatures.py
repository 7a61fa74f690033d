"""Lines only one command prints: how ``parse`` knows text it did not understand is another command's.

A template tolerates lines it does not know (a new release adds some); but a line that is the signature
of another command (the summary's table header fed to ``show license status``) means the whole text is
that command's output, and parsing it as this one would give phantom records. ``parse`` refuses it.
"""

from __future__ import annotations

import re

SIGNATURES: dict[str, tuple[str, ...]] = {
    "cisco_xe_show_license_summary.textfsm": (
        r"License\s+Entitlement\s+[Tt]ag\s+Count\s+Status",
        r"License Usage:",
        r"No licenses in use",
    ),
    "cisco_xe_show_license_status.textfsm": (
        r"Utility:",
        r"Data Privacy:",
        r"Transport:",
        r"Miscellaneous:",
        r"Usage Reporting:",
        r"Policy:",
        r"Trust Code Installed:.*",
    ),
    "cisco_xe_show_license_usage.textfsm": (
        r"Export status:.*",
        r"Feature Name:.*",
        r"Feature Description:.*",
    ),
    "cisco_xe_show_license_udi.textfsm": (r"HA UDI [Ll]ist:", r"SlotID\s+PID\s+SN\s+UDI"),
    "cisco_xe_show_license_authorization.textfsm": (
        r"Overall status:",
        r"Last Confirmation code:.*",
        r"Purchased Licenses:",
        r"Last return code:.*",
    ),
    "cisco_xe_show_license_all.textfsm": (
        r"Smart Licensing Status",
        r"License Usage",
        r"Product Information",
        r"Agent Version",
        r"License Authorizations",
        r"Usage Report Summary:",
    ),
    "cisco_xe_show_version.textfsm": (
        r"Cisco IOS XE Software, Version .*",
        r"Cisco IOS Software\b.*",
        r"Technology Package License Information:?",
        r"Configuration register is .*",
        r"\S+ uptime is .*",
    ),
    "cisco_xe_show_switch_detail.textfsm": (r"Stack Port Status\s+Neighbors",),
    "cisco_xe_show_switch.textfsm": (
        r"(?:Switch|Chassis)/Stack Mac Address\s*:.*",
        r"Mac persistency wait time:.*",
    ),
    "cisco_xe_show_switch_stack-ports.textfsm": (r"Switch#\s+Port1\s+Port2",),
    "cisco_xe_show_inventory.textfsm": (r'NAME:\s*"[^"]*",\s*DESCR:.*', r"PID:[^,]*,\s*VID:[^,]*,\s*SN:.*"),
    "cisco_xe_show_logging.textfsm": (r"Syslog logging:.*", r"Log Buffer \(\d+ bytes\):", r"Trap logging:.*"),
    "cisco_xe_license_smart_authorization_return.textfsm": (
        r"Enter this return code in .*",
        r"Return code:.*",
    ),
    "cisco_xe_license_smart_import.textfsm": (r"Import Data Successful",),
    "cisco_xe_license_smart_reservation_request.textfsm": (
        r"Enter this request code in .*",
        r"Request code:.*",
    ),
    "cisco_xe_license_smart_reservation_install.textfsm": (r"Reservation install.*",),
    "cisco_xe_license_smart_register_idtoken.textfsm": (r"Registration process is in progress.*",),
    "cisco_xe_show_license_rum_id.textfsm": (
        r"Smart Licensing Usage Report(?: Summary| Detail)?:",
        r"Report Id\s+State\s+Flag\s+Feature Name",
        r"Report Id:\s*\d+",
    ),
    "cisco_xe_show_license_eventlog.textfsm": (r"\*+\s*Event Log\s*\*+",),
    "cisco_xe_show_license_history_message.textfsm": (r"Message History:",),
}
"""Template -> lines (whole, stripped) that only its command's output holds."""

CONTAINS: dict[str, tuple[str, ...]] = {
    "cisco_xe_show_license_all.textfsm": (
        "cisco_xe_show_license_status.textfsm",
        "cisco_xe_show_license_usage.textfsm",
        "cisco_xe_show_license_udi.textfsm",
        "cisco_xe_show_license_authorization.textfsm",
    ),
    "cisco_xe_show_switch_detail.textfsm": ("cisco_xe_show_switch.textfsm",),
    # After `ENABLED`, an SLR device prints per-member `Overall status:` blocks like the authorization's.
    "cisco_xe_show_license_reservation.textfsm": ("cisco_xe_show_license_authorization.textfsm",),
    "cisco_xe_show_license_tech_support.textfsm": ("cisco_xe_show_license_all.textfsm",),
    # The same reply shapes (return codes per UDI, nothing installed) for a SLAC and a reservation.
    "cisco_xe_license_smart_reservation_return.textfsm": (
        "cisco_xe_license_smart_authorization_return.textfsm",
    ),
    "cisco_xe_license_smart_authorization_return.textfsm": (
        "cisco_xe_license_smart_reservation_return.textfsm",
    ),
}
"""Outputs that hold another command's output whole: its signatures are their own lines too."""


def _compiled(templates: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for t in templates for pattern in SIGNATURES[t]))


_SIGNATURE_OF = {template: _compiled((template,)) for template in SIGNATURES}


def _contained(template: str) -> set[str]:
    """``template`` and every template whose output its output holds, through any number of levels
    (tech support holds `show license all`, which holds status, usage, udi and authorization)."""
    own = {template}
    pending = [template]
    while pending:
        for inner in CONTAINS.get(pending.pop(), ()):
            if inner not in own:
                own.add(inner)
                pending.append(inner)
    return own


def foreign_line(template: str, lines: list[str]) -> tuple[str, str] | None:
    """The first of ``lines`` (lines ``template`` did not understand) that is another command's
    signature, with that command's template; None when every such line may be new text of this one."""
    own = _contained(template)
    others = [(name, pattern) for name, pattern in _SIGNATURE_OF.items() if name not in own]
    for line in lines:
        stripped = line.strip()
        for name, pattern in others:
            if pattern.fullmatch(stripped):
                return stripped, name
    return None
