"""Licensing commands of a virtual switch: the show commands of the guide, the `license ...` EXEC and
configuration commands, the cryptographic features that consume an HSECK9 key, and the forced releases.

Handlers stay thin: the agent (``device.agent``) decides, :mod:`virtual_devices.render` prints, and
:mod:`virtual_devices.filesystems` reads and writes ``bootflash:``/``tftp://`` with IOS's own error words.
"""

from __future__ import annotations

import re
from typing import Any

from virtual_devices import render
from virtual_devices.commands.base import EXEC_MODES, Args, Confirm, InvalidInput, Mode, Reply, command
from virtual_devices.filesystems import FileLocationError, read_file, write_file
from virtual_devices.licensing.boot_level import InvalidToken
from virtual_devices.licensing.messages import MESSAGES
from virtual_devices.platforms import IPSEC, WAN_MACSEC, WAN_MACSEC_LINECARDS

PRIVILEGED = Mode.PRIVILEGED
CONFIG = Mode.CONFIG
CONFIG_IF = Mode.CONFIG_IF


def _saved(session: Any, output: str | None) -> str:
    """Persist the licensing state a command changed; pass its output through."""
    session.device.save_state()
    return output or ""


# ---------------------------------------------------------------- show commands
@command("show license summary", EXEC_MODES, help="Display summary of license usage")
def show_license_summary(session: Any, args: Args) -> str:
    return render.show_license_summary(session.device)


@command("show license authorization", EXEC_MODES, help="Display authorization codes")
def show_license_authorization(session: Any, args: Args) -> str:
    return render.show_license_authorization(session.device)


@command("show license udi", EXEC_MODES, help="Display the UDIs of the device")
def show_license_udi(session: Any, args: Args) -> str:
    return render.show_license_udi(session.device)


@command("show license status", EXEC_MODES, help="Display overall licensing status")
def show_license_status(session: Any, args: Args) -> str:
    return render.show_license_status(session.device)


@command("show license usage", EXEC_MODES, help="Display license usage")
def show_license_usage(session: Any, args: Args) -> str:
    return render.show_license_usage(session.device)


@command("show license all", EXEC_MODES, help="Display all licensing information")
def show_license_all(session: Any, args: Args) -> str:
    return render.show_license_all(session.device)


@command("show version", EXEC_MODES, help="System hardware and software status")
def show_version(session: Any, args: Args) -> str:
    return render.show_version(session.device)


@command("show inventory", EXEC_MODES, help="Physical inventory: PIDs and serial numbers")
def show_inventory(session: Any, args: Args) -> str:
    return render.show_inventory(session.device)


@command("show switch", EXEC_MODES, help="Stack members")
def show_switch(session: Any, args: Args) -> str:
    return render.show_switch(session.device)


@command("show switch detail", EXEC_MODES, help="Stack members and stack ports")
def show_switch_detail(session: Any, args: Args) -> str:
    return render.show_switch_detail(session.device)


@command("show switch stack-ports", EXEC_MODES, help="Stack port status")
def show_switch_stack_ports(session: Any, args: Args) -> str:
    return render.show_switch_stack_ports(session.device)


@command("switch <number:1-8> priority <priority:1-15>", PRIVILEGED, help="Set a stack member's priority")
def switch_priority(session: Any, args: Args) -> Reply | str:
    device = session.device
    unit = next((u for u in device.present_units() if u.number == args["number"]), None)
    if unit is None:
        return f"Switch {args['number']} is not present in the stack"

    def proceed(answer: str) -> str:
        if answer.strip().lower() not in ("", "y", "yes"):
            return ""
        unit.priority = int(args["priority"])  # takes effect at the next election (reload)
        device.save_state()
        return ""

    return Reply(
        confirm=Confirm(
            "Changing the switch priority may result in a configuration change for that switch.\n"
            "Do you want to continue?[y/n]? [yes]: ",
            proceed,
        )
    )


# ---------------------------------------------------------------- SLAC request, return, import
@command(
    "license smart authorization request {add|replace} <feature:WORD> [{all|local}]",
    PRIVILEGED,
    help="Request an authorization code (SLAC) for an export-controlled feature",
)
def authorization_request(session: Any, args: Args) -> str:
    agent = session.device.agent
    agent.refresh()
    mode = "replace" if "replace" in args else "add"
    scope = "all" if "all" in args else "local"
    return _saved(session, agent.request_authorization(mode, str(args["feature"]), scope))


@command(
    "license smart authorization request save <path:WORD>", PRIVILEGED, help="Save the SLAC request to a file"
)
def authorization_request_save(session: Any, args: Args) -> str:
    text = session.device.agent.request_text()
    if text is None:
        return MESSAGES["no_pending_request"]
    try:
        write_file(session.device, str(args["path"]), text.encode())
    except FileLocationError as error:
        return str(error)
    return ""


@command(
    "license smart authorization return [{all|local}] {online|offline [<path:WORD>]}",
    PRIVILEGED,
    help="Return an authorization code",
)
def authorization_return(session: Any, args: Args) -> str:
    agent = session.device.agent
    agent.refresh()
    path = args.get("path")
    output, file_text = agent.return_authorization(
        "all" if "all" in args else "local", online="online" in args, to_file=path is not None
    )
    if file_text is not None and path is not None:
        try:
            write_file(session.device, str(path), file_text.encode())
        except FileLocationError as error:
            output = str(error)
    return _saved(session, output)


@command("license smart import <path:WORD>", PRIVILEGED, help="Import a SLAC or an ACK file")
def license_import(session: Any, args: Args) -> str:
    try:
        data = read_file(session.device, str(args["path"]))
    except FileLocationError as error:
        return str(error)
    agent = session.device.agent
    agent.refresh()
    return _saved(session, agent.import_text(data.decode(errors="replace")))


@command("license smart sync {all|local}", PRIVILEGED, help="Synchronize with CSSM, CSLU or SSM On-Prem now")
def license_sync(session: Any, args: Args) -> str:
    agent = session.device.agent
    agent.refresh()
    return _saved(session, agent.sync())


@command(
    "license smart save usage {all|unreported|day <days:1-365>|rum-id <rum:WORD>} file <path:WORD>",
    PRIVILEGED,
    help="Save usage reports (RUM) to a file",
)
def save_usage(session: Any, args: Args) -> str:
    agent = session.device.agent
    agent.refresh()
    selector = args.chosen("all", "unreported", "day", "rum-id")
    value = args.get("days")
    if selector == "rum-id":
        rum = str(args["rum"])
        if not rum.isdigit():
            raise InvalidInput(rum)
        value = int(rum)
    text = agent.save_usage(selector, value)
    if text is None:
        return MESSAGES["not_found"]
    try:
        write_file(session.device, str(args["path"]), text.encode())
    except FileLocationError as error:
        return str(error)
    return _saved(session, "")


@command(
    "license smart trust idtoken <token:WORD> {all|local} [force]", PRIVILEGED, help="Install trust codes"
)
def trust_idtoken(session: Any, args: Args) -> str:
    device = session.device
    if device.generation == "sl16":  # 16.x registers instead
        raise InvalidInput("trust")
    scope = "all" if "all" in args else "local"
    return _saved(session, device.agent.trust_with_token(str(args["token"]), scope))


@command("license smart register idtoken <token:WORD> [force]", PRIVILEGED, help="Register (16.x)")
def register(session: Any, args: Args) -> str:
    device = session.device
    if device.generation != "sl16":  # Smart Licensing Using Policy has no registration
        raise InvalidInput("register")
    return _saved(session, device.agent.register(str(args["token"])))


@command("license smart deregister", PRIVILEGED, help="Deregister from the Smart Software Manager (16.x)")
def deregister(session: Any, args: Args) -> str:
    device = session.device
    if device.generation != "sl16":
        raise InvalidInput("deregister")
    return _saved(session, device.agent.deregister())


@command("license smart factory reset", PRIVILEGED, help="Erase all licensing information")
def factory_reset(session: Any, args: Args) -> str:
    return _saved(session, session.device.agent.factory_reset())


# ---------------------------------------------------------------- configuration
@command(
    "license boot level {network-advantage|network-essentials} [addon <addon:WORD>]",
    CONFIG,
    help="Set the license level applied at the next boot",
)
def boot_level(session: Any, args: Args) -> str:
    base = "network-essentials" if "network-essentials" in args else "network-advantage"
    try:
        return str(session.device.agent.configure_boot_level(base, args.get("addon")))
    except InvalidToken as error:
        raise InvalidInput(error.at) from None


@command("no license boot level [<rest:LINE>]", CONFIG, help="Back to the default boot level")
def no_boot_level(session: Any, args: Args) -> str:
    session.device.config.remove("license boot level")
    return MESSAGES["boot_level"]


@command("license smart transport {automatic|callhome|cslu|off|smart}", CONFIG, help="Set the transport")
def transport(session: Any, args: Args) -> str:
    kind = args.chosen("automatic", "callhome", "cslu", "off", "smart")
    session.device.config.set(f"license smart transport {kind}", replacing="license smart transport")
    return ""


@command("no license smart transport [<rest:LINE>]", CONFIG, help="Back to the default transport")
def no_transport(session: Any, args: Args) -> str:
    session.device.config.remove("license smart transport")
    return ""


@command(
    "license smart url {default|smart <smart_url:WORD>|cslu <cslu_url:WORD>}", CONFIG, help="Set the URL"
)
def url(session: Any, args: Args) -> str:
    config = session.device.config
    if "default" in args:
        config.remove("license smart url")
        config.set("license smart url default")
    elif args.get("smart_url") is not None:  # not `"smart" in args`: every line here has that keyword
        config.remove("license smart url default")
        config.set(f"license smart url smart {args['smart_url']}", replacing="license smart url smart")
    else:
        config.remove("license smart url default")
        config.set(f"license smart url cslu {args['cslu_url']}", replacing="license smart url cslu")
    return ""


@command("no license smart url [<rest:LINE>]", CONFIG, help="Back to the default URL")
def no_url(session: Any, args: Args) -> str:
    session.device.config.remove("license smart url")
    return ""


@command("license smart usage interval <days:1-365>", CONFIG, help="Set the reporting push interval")
def usage_interval(session: Any, args: Args) -> str:
    session.device.config.set(
        f"license smart usage interval {args['days']}", replacing="license smart usage interval"
    )
    return ""


@command("no license smart usage interval [<days:1-365>]", CONFIG, help="Back to the default interval")
def no_usage_interval(session: Any, args: Args) -> str:
    session.device.config.remove("license smart usage interval")
    return ""


@command("license smart privacy {all|hostname|version}", CONFIG, help="Keep data out of usage reports")
def privacy(session: Any, args: Args) -> str:
    what = args.chosen("all", "hostname", "version")
    session.device.config.set(f"license smart privacy {what}")
    return ""


@command("no license smart privacy {all|hostname|version}", CONFIG, help="Send the data again")
def no_privacy(session: Any, args: Args) -> str:
    what = args.chosen("all", "hostname", "version")
    config = session.device.config
    config.remove(f"license smart privacy {what}")
    if what == "all":
        config.remove("license smart privacy")
    return ""


@command("license smart proxy {address <address:WORD>|port <port:1-65535>}", CONFIG, help="Set the proxy")
def proxy(session: Any, args: Args) -> str:
    config = session.device.config
    if "address" in args:
        config.set(f"license smart proxy address {args['address']}", replacing="license smart proxy address")
    else:
        config.set(f"license smart proxy port {args['port']}", replacing="license smart proxy port")
    return ""


@command("no license smart proxy [{address|port}] [<rest:LINE>]", CONFIG, help="Remove the proxy")
def no_proxy(session: Any, args: Args) -> str:
    config = session.device.config
    for what in ("address", "port"):
        if what in args or ("address" not in args and "port" not in args):
            config.remove(f"license smart proxy {what}")
    return ""


@command("license smart vrf <vrf:WORD>", CONFIG, help="Send licensing traffic through a VRF")
def vrf(session: Any, args: Args) -> str:
    session.device.config.set(f"license smart vrf {args['vrf']}", replacing="license smart vrf")
    return ""


@command("no license smart vrf [<vrf:WORD>]", CONFIG, help="Use the global routing table")
def no_vrf(session: Any, args: Args) -> str:
    session.device.config.remove("license smart vrf")
    return ""


@command("clock timezone <zone:WORD> <hours:WORD> [<minutes:0-59>]", CONFIG, help="Configure the time zone")
def clock_timezone(session: Any, args: Args) -> str:
    hours = str(args["hours"])
    if not hours.lstrip("-").isdigit() or not -23 <= int(hours) <= 23:
        raise InvalidInput(hours)
    minutes = int(args.get("minutes") or 0)
    line = f"clock timezone {args['zone']} {int(hours)} {minutes}"
    session.device.config.set(line, replacing="clock timezone")
    return ""


@command("no clock timezone [<rest:LINE>]", CONFIG, help="Back to UTC")
def no_clock_timezone(session: Any, args: Args) -> str:
    session.device.config.remove("clock timezone")
    return ""


# ---------------------------------------------------------------- forced release of the HSECK9 key
@command("platform hsec-license-release", CONFIG, help="Release the HSEC license")
def hsec_release(session: Any, args: Args) -> str:
    if session.device.platform.crypto_feature != IPSEC:
        raise InvalidInput("hsec-license-release")
    return _saved(session, session.device.agent.force_release())


@command("platform wanmacsec hsec-license-release", CONFIG, help="Release the HSEC license of WAN MACsec")
def wanmacsec_release(session: Any, args: Args) -> str:
    if session.device.platform.crypto_feature != WAN_MACSEC:
        raise InvalidInput("wanmacsec")
    return _saved(session, session.device.agent.force_release())


# ---------------------------------------------------------------- the cryptographic features
def _tunnel(session: Any) -> str:
    interface = session.interface or ""
    if not interface.startswith("Tunnel"):
        raise InvalidInput("tunnel")
    return str(interface)


@command("tunnel mode ipsec {ipv4|ipv6}", Mode.CONFIG_IF, help="IPsec tunnel mode (needs an HSECK9 key)")
def tunnel_mode_ipsec(session: Any, args: Args) -> str:
    interface = _tunnel(session)
    device = session.device
    if device.platform.crypto_feature != IPSEC:
        raise InvalidInput("ipsec")
    family = "ipv6" if "ipv6" in args else "ipv4"
    return _saved(session, device.agent.configure_crypto(interface, f"tunnel mode ipsec {family}"))


@command("tunnel mode gre {ip|ipv6|multipoint}", Mode.CONFIG_IF, help="GRE tunnel mode")
def tunnel_mode_gre(session: Any, args: Args) -> str:
    interface = _tunnel(session)
    kind = args.chosen("ip", "ipv6", "multipoint")
    config = session.device.config
    config.remove_in(interface, "tunnel mode")
    config.set_in(interface, f"tunnel mode gre {kind}")
    session.device.agent.refresh()
    return ""


@command("no tunnel mode [<rest:LINE>]", Mode.CONFIG_IF, help="Back to GRE")
def no_tunnel_mode(session: Any, args: Args) -> str:
    interface = _tunnel(session)
    return _saved(session, session.device.agent.unconfigure_crypto(interface, "tunnel mode"))


@command("tunnel {source|destination} <address:WORD>", Mode.CONFIG_IF, help="Tunnel end points")
def tunnel_end(session: Any, args: Args) -> str:
    interface = _tunnel(session)
    which = "source" if "source" in args else "destination"
    session.device.config.set_in(interface, f"tunnel {which} {args['address']}", replacing=f"tunnel {which}")
    return ""


@command(
    "tunnel protection ipsec profile <profile:WORD>", Mode.CONFIG_IF, help="Protect the tunnel with IPsec"
)
def tunnel_protection(session: Any, args: Args) -> str:
    interface = _tunnel(session)
    line = f"tunnel protection ipsec profile {args['profile']}"
    session.device.config.set_in(interface, line, replacing="tunnel protection")
    return ""


@command("macsec network-link", Mode.CONFIG_IF, help="WAN MACsec on this link (needs an HSECK9 key)")
def macsec_network_link(session: Any, args: Args) -> str:
    device = session.device
    interface = session.interface or ""
    if device.platform.crypto_feature != WAN_MACSEC or interface.startswith(("Tunnel", "Vlan", "Loopback")):
        raise InvalidInput("network-link")
    card = device.linecard(_slot_of(interface)) if device.is_chassis else None
    if card is not None and card not in WAN_MACSEC_LINECARDS:  # the port is on a card without WAN MACsec
        raise InvalidInput("network-link")
    return _saved(session, device.agent.configure_crypto(interface, "macsec network-link"))


def _slot_of(interface: str) -> int:
    """The line card slot of a C9600 port: ``HundredGigE2/0/5`` (slot/subslot/port) -> 2, and with
    StackWise Virtual's switch number in front, ``HundredGigE1/2/0/5`` -> 2; 0 when the name has no slot."""
    numbers = [int(n) for n in re.findall(r"\d+", interface)]
    if len(numbers) >= 4:
        return numbers[1]
    return numbers[0] if len(numbers) == 3 else 0


@command("no macsec network-link", Mode.CONFIG_IF, help="Remove WAN MACsec from this link")
def no_macsec_network_link(session: Any, args: Args) -> str:
    interface = session.interface or ""
    return _saved(session, session.device.agent.unconfigure_crypto(interface, "macsec network-link"))
