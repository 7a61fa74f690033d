"""Show outputs of a virtual switch, in the guide's format, per output generation.

Generations (``device.generation``): ``sl16`` (16.x Smart Licensing: Registration, EVAL MODE,
Export-Controlled Functionality), ``agent5`` (Smart Licensing Using Policy, agent 5.3-5.9: the guide's own
outputs), ``agent6`` (agent 6.x: IP Mode, Trust Point, the one-line trust block). Where the guide's tables are
PDF-damaged, the columns are what real devices print (aligned with spaces, the widths of real captures).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from virtual_devices.licensing import link, settings
from virtual_devices.licensing.state import CISCO_DEFAULT_POLICY, InstalledSlac
from virtual_devices.licensing.usage import UsageRow
from virtual_devices.licfiles import confirmation_code
from virtual_devices.platforms import (
    HSEC_DESCRIPTION,
    HSEC_LICENSE,
    HSEC_TAG_NAME,
    release_text,
    release_train,
)

if TYPE_CHECKING:
    from virtual_devices.device import Device, Unit

AGENT_VERSIONS = {"sl16": "4.13.11_rel/33", "agent5": "5.3.15_rel/49", "agent6": "6.2.13_rel/41"}


def stamp(moment: datetime, zone: tuple[str, timedelta] = ("UTC", timedelta())) -> str:
    """Dates as the agent prints them: ``Dec 03 18:57:27 2021 UTC``, or in the configured time zone
    (``Jul 07 10:14:04 2022 PDT``)."""
    name, offset = zone
    local = moment.astimezone(timezone.utc) + offset
    return local.strftime("%b %d %H:%M:%S %Y ") + name


def _date(device: Device, moment: datetime | None) -> str:
    return stamp(moment, device.zone()) if moment is not None else "<none>"


def _lines(*blocks: list[str]) -> str:
    out: list[str] = []
    for block in blocks:
        out.extend(block)
    return "\n".join(out)


# ---------------------------------------------------------------- show license summary
def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def summary_table(rows: list[UsageRow], indent: str = "  ", header_tag: str = "Entitlement Tag") -> list[str]:
    out = [
        "License Usage:",
        f"{indent}{'License':<24}{header_tag:<30}Count Status",
        f"{indent}{'-' * 77}",
    ]
    for row in rows:
        tag = "(" + _cut(row.tag, 25) + ")"
        out.append(f"{indent}{_cut(row.license, 23):<24}{tag:<30}{row.count:>5} {row.status}")
    return out


def account_block(device: Device, indent: str = "  ") -> list[str]:
    account = device.agent.state.account
    if account is None:
        return []
    return [
        "Account Information:",
        f"{indent}Smart Account: {account.smart_account} As of {_date(device, account.as_of)}",
        f"{indent}Virtual Account: {account.virtual_account}",
        "",
    ]


def show_license_summary(device: Device) -> str:
    agent = device.agent
    agent.refresh()
    if device.generation == "sl16":
        return _sl16_summary(device)
    rows = agent.usage_rows()
    if not rows:
        return _lines(account_block(device), ["License Usage:", "  No licenses in use"])
    return _lines(account_block(device), summary_table(rows))


def _sl16_registered(device: Device) -> bool:
    return settings.is_online(device) and device.agent.state.account is not None


def _sl16_summary(device: Device) -> str:
    agent = device.agent
    registered = _sl16_registered(device)
    account, reporting = agent.state.account, agent.state.reporting
    out = ["Smart Licensing is ENABLED", "", "  Registration:"]
    if registered and account is not None:
        out += [
            "    Status: REGISTERED",
            f"    Smart Account: {account.smart_account}",
            f"    Virtual Account: {account.virtual_account}",
            "    Export-Controlled Functionality: ALLOWED",
            "    Last Renewal Attempt: None",
            f"    Next Renewal Attempt: {_date(device, reporting.next_push)}",
            "",
            "  License Authorization:",
            "    Status: AUTHORIZED",
            f"    Last Communication Attempt: SUCCEEDED on {_date(device, reporting.last_push)}",
            f"    Next Communication Attempt: {_date(device, reporting.next_push)}",
        ]
    else:
        out += [
            "    Status: UNREGISTERED",
            "    Export-Controlled Functionality: NOT ALLOWED",
            "",
            "  License Authorization:",
            "    Status: EVAL MODE",
            f"    Evaluation Period Remaining: {_eval_remaining(device)}",
        ]
    out += [""]
    status = "AUTHORIZED" if registered else "EVAL MODE"
    rows = [UsageRow(r.license, r.tag, r.count, status, r.kind) for r in agent.usage_rows()]
    out += ["  " + line for line in summary_table(rows, header_tag="Entitlement tag")]
    return _lines(out)


def _eval_remaining(device: Device) -> str:
    elapsed = device.now() - device.boot_time
    left = max(0, 90 * 24 - int(elapsed.total_seconds() // 3600))
    return f"{left // 24} days, {left % 24} hours, 0 minutes"


# ---------------------------------------------------------------- show license udi
def udi_lines(device: Device, list_indent: str = "  ") -> list[str]:
    out = [f"UDI: {device.active_unit().udi}"]
    if device.has_ha:
        out += ["", "HA UDI List:"]
        out += [f"{list_indent}{unit.role}:{unit.udi}" for unit in device.ha_units()]
    return out


def show_license_udi(device: Device) -> str:
    return _lines(udi_lines(device))


# ---------------------------------------------------------------- show license authorization
def authorization_lines(device: Device, status_indent: str = "    ") -> list[str]:
    """``status_indent``: 4 blanks as the guide's ``show license authorization``; agent 5.x indents the same
    block by 6 inside ``show license all`` (real 5.3 captures)."""
    state = device.agent.state
    pad = status_indent
    out = ["Overall status:"]
    for unit in device.ha_units():
        out.append(f"  {unit.role}: {unit.udi}")
        slac = state.slacs.get(unit.udi)
        if slac:
            out.append(f"{pad}Status: SMART AUTHORIZATION INSTALLED on {_date(device, slac.installed)}")
            out.append(f"{pad}Last Confirmation code: {_confirmation(slac)}")
        else:
            out.append(f"{pad}Status: NOT INSTALLED")
            if unit.udi in state.last_return:
                out.append(f"{pad}Last return code: {state.last_return[unit.udi]}")
    out.append("")
    holders = [unit for unit in device.ha_units() if unit.udi in state.slacs]
    if holders:
        out += [
            "Authorizations:",
            f"  {HSEC_LICENSE} ({HSEC_TAG_NAME}):",
            f"    Description: {HSEC_DESCRIPTION}",
            f"    Total available count: {len({unit.udi for unit in holders})}",
            "    Enforcement type: EXPORT RESTRICTED",
            "    Term information:",
        ]
        for unit in holders:
            out += [
                f"      {unit.role}: {unit.udi}",
                "        Authorization type: SMART AUTHORIZATION INSTALLED",
                "        License type: PERPETUAL",
                "        Term Count: 1",
            ]
        out.append("")
    out += ["Purchased Licenses:", "  No Purchase Information Available"]
    return out


def _confirmation(slac: InstalledSlac) -> str:
    return confirmation_code(slac.code)


def show_license_authorization(device: Device) -> str:
    device.agent.refresh()
    return _lines(authorization_lines(device))


# ---------------------------------------------------------------- show license usage
def usage_lines(device: Device) -> list[str]:
    out: list[str] = []
    for row in device.agent.usage_rows():
        hsec = row.license == HSEC_LICENSE
        out += [
            f"{row.license} ({row.tag}):",
            f"  Description: {row.description or row.tag}",
            f"  Count: {row.count}",
            "  Version: 1.0",
            f"  Status: {row.status}",
            f"  Export status: {'RESTRICTED - ALLOWED' if hsec else 'NOT RESTRICTED'}",
            f"  Feature Name: {'hseck9' if hsec else row.license}",
            f"  Feature Description: {'hseck9' if hsec else row.tag}",
            f"  Enforcement type: {'EXPORT RESTRICTED' if hsec else 'NOT ENFORCED'}",
            f"  License type: {'Export' if hsec else row.kind.capitalize()}",
            "",
        ]
    return out


def show_license_usage(device: Device) -> str:
    device.agent.refresh()
    out: list[str] = []
    if device.generation == "agent6":
        out = ["License Authorization: ", "  Status: Not Applicable", ""]
    body = usage_lines(device)
    return _lines(out, body[:-1] if body else ["No licenses in use"])


# ---------------------------------------------------------------- show license status
def _transport_lines(device: Device) -> list[str]:
    config = device.config
    kind = settings.transport(device)
    out = ["Transport:"]
    if kind == "off":
        out.append("  Type: Transport Off")
        return out
    if kind == "callhome":
        out.append("  Type: Callhome")
        return out
    if kind in ("cslu", "automatic"):
        out += ["  Type: cslu", f"  Cslu address: {settings.url(config, 'cslu')}"]
    else:
        out += ["  Type: Smart", f"  URL: {settings.url(config, 'smart')}"]
    address, port = settings.proxy(config)
    out.append("  Proxy:")
    if address:
        out += [
            f"    Address: {address}",
            f"    Port: {port or '<empty>'}",
            "    Username: <empty>",
            "    Password: <empty>",
        ]
    else:
        out.append("    Not Configured")
    vrf = settings.vrf(config)
    out += ["  VRF:", f"    {vrf}" if vrf else "    Not Configured"]
    if device.generation == "agent6":
        out += ["  IP Mode: Not Configured", "  Trust Point: Not Configured"]
    return out


def _privacy_lines(device: Device) -> list[str]:
    hostname_private = settings.privacy(device.config, "hostname")
    return [
        "Data Privacy:",
        f"  Sending Hostname: {'no' if hostname_private else 'yes'}",
        "    Callhome hostname privacy: DISABLED",
        f"    Smart Licensing hostname privacy: {'ENABLED' if hostname_private else 'DISABLED'}",
        f"  Version privacy: {'ENABLED' if settings.privacy(device.config, 'version') else 'DISABLED'}",
        "",
    ]


def _policy_lines(device: Device) -> list[str]:
    state = device.agent.state
    policy = state.policy or CISCO_DEFAULT_POLICY
    source = policy.source
    out = ["Policy:"]
    if state.policy is not None:
        out.append(f"  Policy in use: Installed On {_date(device, state.policy_installed)}")
        out.append(f"  Policy name: {policy.name or 'Custom Policy'}")
    else:
        out.append("  Policy in use: Merged from multiple sources.")
    out.append(f"  Reporting ACK required: {'yes' if policy.ack_required else 'no'} ({source})")
    titles = [
        ("perpetual", "Unenforced/Non-Export Perpetual Attributes:"),
        ("subscription", "Unenforced/Non-Export Subscription Attributes:"),
        ("enforced", "Enforced (Perpetual/Subscription) License Attributes:"),
        ("export", "Export (Perpetual/Subscription) License Attributes:"),
    ]
    for key, title in titles:
        terms = getattr(policy, key)
        out += [
            f"  {title}",
            f"    First report requirement (days): {terms.first_report} ({source})",
            f"    Reporting frequency (days): {terms.frequency} ({source})",
            f"    Report on change (days): {terms.on_change} ({source})",
        ]
    out.append("")
    return out


def _reporting_lines(device: Device) -> list[str]:
    reporting = device.agent.state.reporting
    online = settings.is_online(device)
    interval = f"{settings.push_interval(device.config)}  days" if online else "0 (no reporting)"
    return [
        "Usage Reporting:",
        f"  Last ACK received: {_date(device, reporting.last_ack)}",
        f"  Next ACK deadline: {_date(device, reporting.deadline)}",
        f"  Reporting push interval: {interval}",
        "  Next ACK push check: <none>",
        f"  Next report push: {_date(device, reporting.next_push) if online else '<none>'}",
        f"  Last report push: {_date(device, reporting.last_push)}",
        f"  Last report file write: {_date(device, reporting.last_file_write)}",
        "",
    ]


def _trust_lines(device: Device) -> list[str]:
    trust = device.agent.state.trust
    if not trust:
        return ["Trust Code Installed: <none>", ""]
    agent6 = device.generation == "agent6"
    out = ["Trust Code Installed:    Trust Code Type: CSSM" if agent6 else "Trust Code Installed:"]
    for unit in device.ha_units():
        out.append(f"  {unit.role}: {unit.udi}")
        installed = trust.get(unit.udi)
        if installed is None:
            out.append("    NOT INSTALLED")
        elif agent6:
            out += [
                f"    INSTALLED on {_date(device, installed)}    Valid on {_date(device, installed)}",
                "    Expired on Jan 01 00:00:00 1970 UTC",
            ]
        else:
            out.append(f"    INSTALLED on {_date(device, installed)}")
    out.append("")
    return out


def status_lines(device: Device) -> list[str]:
    """The body shared by ``show license status`` and the first part of ``show license all``."""
    if device.generation == "sl16":
        return _sl16_status_lines(device)
    out: list[str] = []
    if device.generation == "agent6":
        out += [
            "License Conversion:",
            "  Automatic Conversion Enabled: False",
            "  Status: Not started",  # agent 6.2 (field-formats note)
            "  Last Data Push: <none>",
            "  Last File Export: <none>",
            "",
        ]
    out += ["Export Authorization Key:", "  Features Authorized:", "    <none>", ""]
    out += ["Utility:", "  Status: DISABLED", ""]
    out += ["Smart Licensing Using Policy:", "  Status: ENABLED"]
    if device.generation == "agent6":
        out.append("  Reporting Mode: STANDARD")
    out.append("")
    out += account_block(device) or [
        "Account Information:",
        "  Smart Account: <none>",
        "  Virtual Account: <none>",
        "",
    ]
    out += _privacy_lines(device)
    out += [*_transport_lines(device), ""]
    out += ["Miscellaneous:", "  Custom Id: <empty>", ""]
    out += _policy_lines(device)
    out += _reporting_lines(device)
    out += _trust_lines(device)
    if device.generation == "agent6":
        out += _telemetry_lines(device)
    return out


def _telemetry_lines(device: Device) -> list[str]:
    """Agent 6.x's ``Device Telemetry Report Summary`` (field-formats note): the channel is up while the SSM
    answers; the lab keeps no telemetry reports."""
    channel = "AVAILABLE" if link.reachable(device) else "NOT AVAILABLE"
    title = "Device Telemetry Report Summary:"
    return [title, "=" * len(title), f"Data Channel: {channel}", "Reports on disk: 0", ""]


def _sl16_status_lines(device: Device) -> list[str]:
    state = device.agent.state
    registered = _sl16_registered(device)
    account, reporting = state.account, state.reporting
    out = ["Smart Licensing is ENABLED", "", "Utility:", "  Status: DISABLED", ""]
    out += _privacy_lines(device)
    out += [*_transport_lines(device), ""]
    out.append("Registration:")
    if registered and account is not None:
        registered_on = state.policy_installed or account.as_of
        out += [
            "  Status: REGISTERED",
            f"  Smart Account: {account.smart_account}",
            f"  Virtual Account: {account.virtual_account}",
            "  Export-Controlled Functionality: ALLOWED",
            f"  Initial Registration: SUCCEEDED on {_date(device, registered_on)}",
            "  Last Renewal Attempt: None",
            f"  Next Renewal Attempt: {_date(device, reporting.next_push)}",
            f"  Registration Expires: {_date(device, reporting.deadline)}",
            "",
            "License Authorization: ",
            f"  Status: AUTHORIZED on {_date(device, reporting.last_push)}",
            f"  Last Communication Attempt: SUCCEEDED on {_date(device, reporting.last_push)}",
            f"  Next Communication Attempt: {_date(device, reporting.next_push)}",
            f"  Communication Deadline: {_date(device, reporting.deadline)}",
        ]
    else:
        out += [
            "  Status: UNREGISTERED",
            "  Export-Controlled Functionality: NOT ALLOWED",
            "",
            "License Authorization: ",
            "  Status: EVAL MODE",
            f"  Evaluation Period Remaining: {_eval_remaining(device)}",
        ]
    out += ["", "Export Authorization Key:", "  Features Authorized:", "    <none>", ""]
    return out


def show_license_status(device: Device) -> str:
    device.agent.refresh()
    return _lines(status_lines(device))


# ---------------------------------------------------------------- show license all
def show_license_all(device: Device) -> str:
    agent = device.agent
    agent.refresh()
    out = ["Smart Licensing Status", "======================", ""]
    if device.generation != "sl16":
        out += ["Smart Licensing is ENABLED", ""]
    out += status_lines(device)
    out += ["License Usage", "=============", ""]
    out += usage_lines(device) or ["No licenses in use", ""]
    out += ["Product Information", "==================="]
    out += [*udi_lines(device, list_indent="    "), ""]
    out += [
        "Agent Version",
        "=============",
        f"Smart Agent for Licensing: {AGENT_VERSIONS[device.generation]}",
        "",
    ]
    if device.generation != "sl16":
        out += ["License Authorizations", "======================"]
        indent = "      " if device.generation == "agent5" else "    "
        out += [*authorization_lines(device, status_indent=indent), ""]
        counts = agent.report_summary()
        out += [
            "Usage Report Summary:",
            "=====================",
            f"Total: {counts['total']},  Purged: {counts['purged']}",
            f"Total Acknowledged Received: {counts['acked']},  Waiting for Ack: {counts['waiting']}",
            f"Available to Report: {counts['available']}  Collecting Data: {counts['collecting']}",
        ]
    return _lines(out)


# ---------------------------------------------------------------- show switch
def _switch_rows(device: Device) -> list[str]:
    out = [
        f"Switch/Stack Mac Address : {device.active_unit().mac} - Local Mac Address",
        "Mac persistency wait time: Indefinite",
        "                                             H/W   Current",
        "Switch#   Role    Mac Address     Priority Version  State ",
        "-------------------------------------------------------------------------------------",
    ]
    for unit in sorted(_switch_units(device), key=lambda u: u.number):
        number = unit.chassis if device.is_chassis else unit.number  # a chassis is one switch
        mark = "*" if unit.role == "Active" and unit.present else " "
        present = unit.present
        mac = unit.mac if present else "0000.0000.0000"
        priority = unit.priority if present else 0
        hw = unit.hw if present or unit.state == "Removed" else ""
        role = unit.role if present else "Member"
        out.append(f"{mark}{number:<8}{role:<9}{mac:<19}{priority:<7}{hw:<8}{unit.state:<20}")
    return out


def _switch_units(device: Device) -> list[Unit]:
    if device.is_chassis and not device.svl:
        return [device.active_unit()]  # one chassis: one switch
    return list(device.units)


def _neighbours(device: Device) -> dict[int, tuple[str, str, str, str]]:
    """Stack ports of present members: a ring when more than two, a single cable for two."""
    ring = [u.number for u in sorted(device.present_units(), key=lambda u: u.number)]
    if device.svl or device.is_chassis:
        ring = sorted({u.chassis for u in device.present_units()})
    if len(ring) == 1:
        return {ring[0]: ("DOWN", "DOWN", "None", "None")}
    if len(ring) == 2:
        a, b = ring
        return {a: ("DOWN", "OK", "None", str(b)), b: ("OK", "DOWN", str(a), "None")}
    table = {}
    for index, number in enumerate(ring):
        before, after = ring[index - 1], ring[(index + 1) % len(ring)]
        table[number] = ("OK", "OK", str(before), str(after))
    return table


def show_switch(device: Device) -> str:
    return _lines(_switch_rows(device))


def show_switch_detail(device: Device) -> str:
    out = [
        *_switch_rows(device),
        "",
        "",
        "",
        "         Stack Port Status             Neighbors     ",
        "Switch#  Port 1     Port 2           Port 1   Port 2 ",
        "--------------------------------------------------------",
    ]
    for number, (p1, p2, n1, n2) in sorted(_neighbours(device).items()):
        out.append(f"  {number:<7}{p1:<11}{p2:<17}{n1:<9}{n2:<6}")
    return _lines(out)


def show_switch_stack_ports(device: Device) -> str:
    out = ["Switch#   Port1     Port2", "----------------------------"]
    for number, (p1, p2, _n1, _n2) in sorted(_neighbours(device).items()):
        out.append(f"{number:<10}{p1:<10}{p2}")
    return _lines(out)


# ---------------------------------------------------------------- show version
def _image(device: Device) -> str:
    return "CAT9K_LITE_IOSXE" if device.platform.family == "C9200" else "CAT9K_IOSXE"


def _uptime(device: Device) -> str:
    seconds = max(0, int((device.now() - device.boot_time).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return ", ".join(parts)


def _license_table(device: Device) -> list[str]:
    state = device.agent.state
    next_base, next_addon = settings.boot_level(device.startup)
    rows = [
        (state.base, "Smart License", next_base),
        (state.addon or "None", "Subscription Smart License", next_addon or "None"),
    ]
    out = [
        "Technology Package License Information: ",
        "",
        "-" * 78,
        "Technology-package                                     Technology-package",
        "Current                        Type                       Next reboot  ",
        "-" * 78,
    ]
    out += [f"{current:<24}{kind:<33}{after}" for current, kind, after in rows]
    out += [
        f"AIR License Level: AIR {_air(state.addon)}",
        f"Next reload AIR license Level: AIR {_air(next_addon)}",
    ]
    return out


def _air(addon: str | None) -> str:
    return {"dna-advantage": "DNA Advantage", "dna-essentials": "DNA Essentials"}.get(
        addon or "", "Network Advantage"
    )


def _smart_status(device: Device) -> str:
    if device.generation == "sl16":
        return "REGISTERED/AUTHORIZED" if _sl16_registered(device) else "UNREGISTERED/EVAL MODE"
    return "Smart Licensing Using Policy"


def show_version(device: Device) -> str:
    device.agent.refresh()
    release = device.release
    version = release_text(release, padded=True)
    dotted = release_text(release)
    active = device.active_unit()
    model = active.pid  # a chassis reports its own PID, not the supervisor's
    built = datetime(2019 + (release[1] + 1) // 3 if release[0] == 17 else 2019, 3, 2, tzinfo=timezone.utc)
    out = [
        f"Cisco IOS XE Software, Version {version}",
        f"Cisco IOS Software [{release_train(release)}], Catalyst L3 Switch Software ({_image(device)}), "
        f"Version {dotted}, RELEASE SOFTWARE (fc2)",
        "Technical Support: http://www.cisco.com/techsupport",
        f"Copyright (c) 1986-{built.year} by Cisco Systems, Inc.",
        f"Compiled {built:%a %d-%b-%y} 10:42 by mcpre",
        "",
        "",
        f"Cisco IOS-XE software, Copyright (c) 2005-{built.year} by cisco Systems, Inc.",
        "All rights reserved.  Certain components of Cisco IOS-XE software are",
        'licensed under the GNU General Public License ("GPL") Version 2.0.  The',
        "software code licensed under GPL Version 2.0 is free software that comes",
        "with ABSOLUTELY NO WARRANTY.  You can redistribute and/or modify such",
        "GPL code under the terms of GPL Version 2.0.  For more details, see the",
        'documentation or "License Notice" file accompanying the IOS-XE software,',
        "or the applicable URL provided on the flyer accompanying the IOS-XE",
        "software.",
        "",
        "",
        "ROM: IOS-XE ROMMON",
        f"BOOTLDR: System Bootstrap, Version {dotted}r, RELEASE SOFTWARE (P)",
        "",
        f"{device.hostname} uptime is {_uptime(device)}",
        f"Uptime for this control processor is {_uptime(device)}",
        f"System returned to ROM by {device.last_reload_reason}",
        'System image file is "flash:packages.conf"',
        f"Last reload reason: {device.last_reload_reason}",
        "",
        "",
        "",
        "This product contains cryptographic features and is subject to United",
        "States and local country laws governing import, export, transfer and",
        "use. Delivery of Cisco cryptographic products does not imply",
        "third-party authority to import, export, distribute or use encryption.",
        "Importers, exporters, distributors and users are responsible for",
        "compliance with U.S. and local country laws. By using this product you",
        "agree to comply with applicable laws and regulations. If you are unable",
        "to comply with U.S. and local laws, return this product immediately.",
        "",
        "A summary of U.S. laws governing Cisco cryptographic products may be found at:",
        "http://www.cisco.com/wwl/export/crypto/tool/stqrg.html",
        "",
        "If you require further assistance please contact us by sending email to",
        "export@cisco.com.",
        "",
        "",
    ]
    out += _license_table(device)
    out += ["", "", f"Smart Licensing Status: {_smart_status(device)}", ""]
    out += [
        f"cisco {model} (X86) processor with 1333273K/6147K bytes of memory.",
        f"Processor board ID {active.module_serial or active.serial}",
        "1 Virtual Ethernet interface",
        f"{24 * len(device.present_units())} Ten Gigabit Ethernet interfaces",
        "2048K bytes of non-volatile configuration memory.",
        "8388608K bytes of physical memory.",
        "1638400K bytes of Crash Files at crashinfo:.",
        "11264000K bytes of Flash at flash:.",
        "",
        f"Base Ethernet MAC Address          : {_colon_mac(active.mac)}",
        "Motherboard Assembly Number        : 73-18271-03",
        f"Motherboard Serial Number          : {active.module_serial or active.serial}",
        "Model Revision Number              : A0",
        "Motherboard Revision Number        : A0",
        f"Model Number                       : {model}",
        f"System Serial Number               : {active.serial}",
        "CLEI Code Number                   : ",
        "",
        "",
    ]
    if device.is_stack:
        out += [
            "Switch Ports Model              SW Version        SW Image              Mode   ",
            "------ ----- -----              ----------        ----------            ----   ",
        ]
        for unit in sorted(device.present_units(), key=lambda u: u.number):
            mark = "*" if unit.role == "Active" else " "
            ports = 28 if "24" in unit.pid else 52
            out.append(
                f"{mark}{unit.number:>5} {ports:<5} {unit.pid:<18} {version:<17} {_image(device):<21} INSTALL"
            )
        out.append("")
        for unit in sorted(device.present_units(), key=lambda u: u.number):
            if unit.role == "Active":
                continue
            out += [
                "",
                f"Switch {unit.number:02d}",
                "---------",
                f"Switch uptime                      : {_uptime(device)}",
                f"Base Ethernet MAC Address          : {_colon_mac(unit.mac)}",
                f"Motherboard Serial Number          : {unit.serial}",
                f"Model Number                       : {unit.pid}",
                f"System Serial Number               : {unit.serial}",
                "",
            ]
    out += ["", "Configuration register is 0x102", ""]
    return _lines(out)


def _colon_mac(dotted: str) -> str:
    raw = dotted.replace(".", "")
    return ":".join(raw[i : i + 2] for i in range(0, 12, 2))


# ---------------------------------------------------------------- show inventory
def _inventory_item(name: str, descr: str, pid: str, serial: str, vid: str = "V01") -> list[str]:
    return [f'NAME: "{name}", DESCR: "{descr}"', f"PID: {pid:<18}, VID: {vid:<5}, SN: {serial}", ""]


def show_inventory(device: Device) -> str:
    """``show inventory``: the stack and its switches, or the chassis and its supervisors."""
    out: list[str] = []
    if device.is_chassis:
        seen: set[str] = set()
        for unit in sorted(device.present_units(), key=lambda u: (u.chassis, u.number)):
            if unit.serial not in seen:
                seen.add(unit.serial)
                prefix = f"Switch {unit.chassis} " if device.svl else ""
                slots = unit.pid.removeprefix("C94").removeprefix("C96").rstrip("R")
                family = "9400" if unit.pid.startswith("C94") else "9600"
                descr = f"Cisco Catalyst {family} Series {slots[-1:] or ''} Slot Chassis"
                out += _inventory_item(f"{prefix}Chassis", descr, unit.pid, unit.serial)
            module = unit.hardware_pid
            prefix = f"Switch {unit.chassis} " if device.svl else ""
            slot = 3 if device.svl else unit.number  # SVL: one supervisor per chassis, in its first sup slot
            name = f"{prefix}Slot {slot} Supervisor"
            out += _inventory_item(
                name, f"Cisco Catalyst Supervisor {module}", module, unit.module_serial or ""
            )
    else:
        stack = f"c{device.platform.family[1:3]}xx Stack"
        if device.is_stack:
            active = device.active_unit()
            out += _inventory_item(stack, stack, active.pid, active.serial)
        for unit in sorted(device.present_units(), key=lambda u: u.number):
            out += _inventory_item(f"Switch {unit.number}", unit.pid, unit.pid, unit.serial)
    return _lines(out[:-1])
