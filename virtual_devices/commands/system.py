"""Generic IOS-XE commands: privilege, configuration mode, terminal settings, logging, configuration files,
reload and switchover, and the file system commands netmiko's file transfer relies on."""

from __future__ import annotations

import hashlib
import time
from datetime import datetime, timedelta, timezone
from typing import Any

from virtual_devices.commands.base import (
    CONFIG_MODES,
    EXEC_MODES,
    Args,
    Confirm,
    InvalidInput,
    Mode,
    Reply,
    Session,
    command,
)
from virtual_devices.config import Config, normalize_interface
from virtual_devices.filesystems import (
    BOOTFLASH_TOTAL_BYTES,
    FileLocationError,
    Location,
    bootflash_used_bytes,
    local_path,
    parse_location,
    read_location,
    write_file,
)

PRIVILEGED = Mode.PRIVILEGED
CONFIG = Mode.CONFIG
CONFIG_IF = Mode.CONFIG_IF
ENABLE_ATTEMPTS = 3
LOG_BUFFER_BYTES = 102400
STACK_RELOAD_WARNING = "Reload command is being issued on Active unit, this will reload the whole stack"

# --- privilege ------------------------------------------------------------------------------------


@command("enable [<level:0-15>]", EXEC_MODES, help="Turn on privileged commands")
def enable(session: Any, args: Args) -> Reply | str:
    if session.mode is PRIVILEGED:
        return ""
    secret = session.device.enable_secret
    if not secret:
        return "% No password set"

    def attempt(remaining: int) -> Confirm:
        def check(answer: str) -> Reply:
            if answer == secret:
                return Reply(new_mode=PRIVILEGED)
            if remaining > 1:
                return Reply(confirm=attempt(remaining - 1))
            # With AAA the enable method list answers; without it, the classic enable secret check does.
            aaa = session.device.config.has("aaa new-model")
            return Reply(output="% Access denied\n" if aaa else "% Bad secrets\n")

        return Confirm("Password: ", check, echo=False)

    return Reply(confirm=attempt(ENABLE_ATTEMPTS))


@command("disable", EXEC_MODES, help="Turn off privileged commands")
def disable(session: Any, args: Args) -> Reply:
    return Reply(new_mode=Mode.USER)


@command("configure [terminal]", PRIVILEGED, help="Enter configuration mode")
def configure(session: Any, args: Args) -> Reply:
    entered = Reply(output="Enter configuration commands, one per line.  End with CNTL/Z.", new_mode=CONFIG)
    if "terminal" in args:
        return entered

    def source(answer: str) -> Reply:
        if answer and not "terminal".startswith(answer.lower()):
            return Reply(output='?Must be "terminal", "memory" or "network"')
        return entered

    return Reply(confirm=Confirm("Configuring from terminal, memory, or network [terminal]? ", source))


# --- configuration mode ---------------------------------------------------------------------------


@command("interface <name:LINE>", CONFIG_MODES, help="Select an interface to configure")
def interface(session: Any, args: Args) -> Reply:
    name = normalize_interface(args["name"])
    if name is None:
        raise InvalidInput(args["name"])
    session.device.config.interface(name)
    return Reply(new_mode=CONFIG_IF, interface=name)


@command("no interface <name:LINE>", CONFIG, help="Delete a logical interface")
def no_interface(session: Any, args: Args) -> str:
    name = normalize_interface(args["name"])
    if name is None:
        raise InvalidInput(args["name"])
    if not session.device.config.remove_interface(name):
        return "% Interface not found"
    return ""


@command("hostname <name:WORD>", CONFIG, help="Set system's network name")
def hostname(session: Any, args: Args) -> str:
    name = args["name"]
    if not name[0].isalpha():
        return "% Hostname contains one or more illegal characters."
    session.device.hostname = name
    session.device.config.set(f"hostname {name}", replacing="hostname")
    return ""


@command("[no] aaa new-model", CONFIG, help="Enable NEW access control commands and functions")
def aaa_new_model(session: Any, args: Args) -> None:
    config: Config = session.device.config
    if "no" in args:
        config.remove("aaa new-model")
    else:
        config.set("aaa new-model")


@command("description <text:LINE>", CONFIG_IF, help="Interface specific description")
def description(session: Any, args: Args) -> None:
    session.device.config.set_in(session.interface, f"description {args['text']}", replacing="description")


@command("no description", CONFIG_IF, help="Remove the description")
def no_description(session: Any, args: Args) -> None:
    session.device.config.remove_in(session.interface, "description")


@command("[no] shutdown", CONFIG_IF, help="Shutdown the selected interface")
def shutdown(session: Any, args: Args) -> None:
    config: Config = session.device.config
    if "no" in args:
        config.remove_in(session.interface, "shutdown")
    else:
        config.set_in(session.interface, "shutdown")


# --- terminal -------------------------------------------------------------------------------------


@command("terminal length <lines:0-512>", EXEC_MODES, help="Set number of lines on a screen")
def terminal_length(session: Any, args: Args) -> None:
    session.terminal_length = args["lines"]


@command("terminal width <columns:0-512>", EXEC_MODES, help="Set width of the display terminal")
def terminal_width(session: Any, args: Args) -> None:
    session.terminal_width = args["columns"]


@command("terminal monitor", EXEC_MODES, help="Copy debug output to the current terminal line")
def terminal_monitor(session: Any, args: Args) -> None:
    session.terminal_monitor = True


@command("terminal no monitor", EXEC_MODES, help="Stop copying debug output to this terminal")
def terminal_no_monitor(session: Any, args: Args) -> None:
    session.terminal_monitor = False


# --- show -----------------------------------------------------------------------------------------


@command("show clock", EXEC_MODES, help="Display the system clock")
def show_clock(session: Any, args: Args) -> str:
    return "*" + device_clock(session.device)


def device_clock(device: Any) -> str:
    """The device's clock in its configured zone (``clock timezone``), UTC when it has none."""
    zone = device.zone() if hasattr(device, "zone") else ("UTC", timedelta())
    return format_clock(device.now(), zone)


def format_clock(moment: datetime, zone: tuple[str, timedelta] = ("UTC", timedelta())) -> str:
    """``18:57:27.123 UTC Fri Dec 3 2021``, as IOS prints the clock."""
    moment = moment.astimezone(timezone.utc) if moment.tzinfo else moment
    name, offset = zone
    moment = moment + offset
    millis = f"{moment.microsecond // 1000:03d}"
    return f"{moment:%H:%M:%S}.{millis} {name} {moment:%a %b} {moment.day} {moment.year}"


@command("show users", EXEC_MODES, help="Display information about terminal lines")
def show_users(session: Any, args: Args) -> str:
    lines = ["    Line       User       Host(s)              Idle       Location"]
    for other in session.device_sessions():
        idle = int(time.monotonic() - other.last_input)
        marker = "*" if other is session else " "
        line = f"{marker}{866 + other.line_number:>3} vty {other.line_number:<5} {other.username:<10} idle"
        lines.append(f"{line:<49}{_hms(idle)} {other.peer}")
    lines += ["", "  Interface    User               Mode         Idle     Peer Address", ""]
    return "\n".join(lines)


def _hms(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


@command("show logging", PRIVILEGED, help="Show the contents of logging buffers")
def show_logging(session: Any, args: Args) -> str:
    messages: list[str] = session.device.logging_lines()
    count = len(messages)
    header = [
        "Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, "
        "xml disabled, filtering disabled)",
        "",
        "No Active Message Discriminator.",
        "",
        "",
        "",
        "No Inactive Message Discriminator.",
        "",
        "",
        "    Console logging: disabled",
        "    Monitor logging: level debugging, 0 messages logged, xml disabled,",
        "                     filtering disabled",
        f"    Buffer logging:  level debugging, {count} messages logged, xml disabled,",
        "                    filtering disabled",
        "    Exception Logging: size (4096 bytes)",
        "    Count and timestamp logging messages: disabled",
        "    File logging: disabled",
        "    Persistent logging: disabled",
        "",
        "No active filter modules.",
        "",
        f"    Trap logging: level informational, {count} message lines logged",
        "        Logging Source-Interface:       VRF Name:",
        "",
        f"Log Buffer ({LOG_BUFFER_BYTES} bytes):",
        "",
    ]
    return "\n".join(header + messages)


@command("show running-config", PRIVILEGED, help="Current operating configuration")
def show_running_config(session: Any, args: Args) -> str:
    return _current_configuration(config_text(session.device, session.device.config))


@command("show running-config interface <name:LINE>", PRIVILEGED, help="Show one interface's configuration")
def show_running_interface(session: Any, args: Args) -> str:
    name = normalize_interface(args["name"])
    if name is None:
        raise InvalidInput(args["name"])
    lines = session.device.config.interfaces.get(name)
    if lines is None:
        raise InvalidInput(args["name"])
    return _current_configuration("\n".join(["!", f"interface {name}", *(f" {x}" for x in lines), "end", ""]))


def _current_configuration(body: str) -> str:
    return f"Building configuration...\n\nCurrent configuration : {len(body)} bytes\n{body}"


@command("show startup-config", PRIVILEGED, help="Contents of startup configuration")
def show_startup_config(session: Any, args: Args) -> str:
    body = config_text(session.device, session.device.startup)
    return f"Using {len(body)} out of 2097152 bytes\n{body}"


def config_text(device: Any, config: Config) -> str:
    """A configuration as IOS prints it: header comments, version, hostname, then the body."""
    major, minor = device.release[:2]
    lines = ["!", f"! Last configuration change at {device_clock(device)}", "!", f"version {major}.{minor}"]
    if not config.has("hostname"):
        lines.append(f"hostname {device.hostname}")
        lines.append("!")
    lines.extend(config.render())
    return "\n".join(lines) + "\n"


# --- saving, reloading, switching over ------------------------------------------------------------


def is_modified(device: Any) -> bool:
    return bool(device.config.to_dict() != device.startup.to_dict())


def save_running_config(device: Any) -> str:
    """Copy running to startup (the device's ``startup`` setter persists it)."""
    device.startup = device.config.clone()
    return "Building configuration...\n[OK]"


@command("write [memory]", PRIVILEGED, help="Write running configuration to memory")
def write_memory(session: Any, args: Args) -> str:
    return save_running_config(session.device)


@command("{write erase|erase startup-config|erase nvram:}", PRIVILEGED, help="Erase the startup config")
def erase_startup(session: Any, args: Args) -> Reply:
    device = session.device

    def erase(answer: str) -> str | None:
        if not _confirmed(answer):
            return None
        device.startup = Config()
        return "[OK]\nErase of nvram: complete"

    question = "Erasing the nvram filesystem will remove all configuration files! Continue? [confirm]"
    return Reply(confirm=Confirm(question, erase))


def _ask_to_save_then(device: Any, then: Confirm) -> Reply:
    """IOS's ``System configuration has been modified. Save? [yes/no]:`` before a reload."""
    question = "System configuration has been modified. Save? [yes/no]: "

    def answer(text: str) -> Reply:
        word = text.strip().lower()
        if word in ("y", "ye", "yes"):
            return Reply(output=save_running_config(device), confirm=then)
        if word in ("n", "no"):
            return Reply(confirm=then)
        return Reply(output="% Please answer 'yes' or 'no'.", confirm=Confirm(question, answer))

    if is_modified(device):
        return Reply(confirm=Confirm(question, answer))
    return Reply(confirm=then)


def _confirmed(answer: str) -> bool:
    return answer.strip().lower() in ("", "y", "ye", "yes")


@command("reload", PRIVILEGED, help="Halt and perform a cold restart")
def reload(session: Any, args: Args) -> Reply:
    device = session.device

    def proceed(answer: str) -> Reply | None:
        if not _confirmed(answer):
            return None
        device.reload("Reload Command")
        return Reply(disconnect=True)

    question = "Proceed with reload? [confirm]"
    if getattr(device, "is_stack", False) and len(getattr(device, "present_units", list)()) > 1:
        question = f"{STACK_RELOAD_WARNING}\n{question}"
    return _ask_to_save_then(device, Confirm(question, proceed))


@command("redundancy force-switchover", PRIVILEGED, help="Force a switchover to the standby")
def force_switchover(session: Any, args: Args) -> Reply:
    device = session.device

    def proceed(answer: str) -> Reply | str | None:
        if not _confirmed(answer):
            return None
        refusal = device.switchover()  # "" when done, else the refusal IOS prints
        if refusal:
            return str(refusal)
        return Reply(disconnect=True)

    return _ask_to_save_then(device, Confirm("Proceed with switchover to standby RP? [confirm]", proceed))


# --- file system ----------------------------------------------------------------------------------


def _location(text: str) -> Location:
    try:
        return parse_location(text)
    except FileLocationError:
        raise InvalidInput(text) from None


@command("dir [<path:WORD>]", PRIVILEGED, help="List files on a filesystem")
def dir_command(session: Any, args: Args) -> str:
    location = _location(args.get("path", "bootflash:"))
    if location.kind != "bootflash":
        raise InvalidInput(location.text)
    target = local_path(session.device, location)
    if not target.exists():
        return f"%Error opening {location.display} (No such file or directory)"
    entries = sorted(target.iterdir()) if target.is_dir() else [target]
    lines = [f"Directory of {location.display}", ""]
    for entry in entries:
        stat = entry.stat()
        kind = "drwx" if entry.is_dir() else "-rw-"
        stamp = datetime.fromtimestamp(stat.st_mtime, timezone.utc)
        when = f"{stamp:%b} {stamp.day:>2} {stamp:%Y %H:%M:%S} +00:00"
        lines.append(f"{stat.st_ino:>8}  {kind} {stat.st_size:>16}  {when}  {entry.name}")
    free = BOOTFLASH_TOTAL_BYTES - bootflash_used_bytes(session.device)
    lines += ["", f"{BOOTFLASH_TOTAL_BYTES} bytes total ({free} bytes free)"]
    return "\n".join(lines)


@command("more <path:WORD>", PRIVILEGED, help="Display the contents of a file")
def more(session: Any, args: Args) -> str:
    location = _location(args["path"])
    path = local_path(session.device, location) if location.kind != "config" else None
    if path is None or not path.is_file():
        return f"%Error opening {location.display} (No such file or directory)"
    return path.read_text(errors="replace").rstrip("\n")


@command("delete [/force] <path:WORD>", PRIVILEGED, help="Delete a file")
def delete(session: Any, args: Args) -> Reply | str:
    location = _location(args["path"])
    if location.kind != "bootflash":
        raise InvalidInput(location.text)
    path = local_path(session.device, location)

    def remove(_: str) -> str:
        if not path.is_file():
            return f"%Error deleting {location.display} (No such file or directory)"
        path.unlink()
        return ""

    if "/force" in args:
        return remove("")

    def filename(answer: str) -> Reply | None:
        nonlocal location, path
        if answer:
            location = _location(answer)
            path = local_path(session.device, location)

        def confirmed(reply: str) -> str | None:
            return remove(reply) if _confirmed(reply) else None

        return Reply(confirm=Confirm(f"Delete {location.display}? [confirm]", confirmed))

    return Reply(confirm=Confirm(f"Delete filename [{location.path}]? ", filename))


@command("verify /md5 <path:WORD> [<expected:WORD>]", PRIVILEGED, help="Verify a file's MD5 signature")
def verify_md5(session: Any, args: Args) -> str:
    location = _location(args["path"])
    path = local_path(session.device, location) if location.kind == "bootflash" else None
    if path is None or not path.is_file():
        return f"%Error opening {location.text} (No such file or directory)"
    digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
    progress = "." * max(1, min(80, path.stat().st_size // 4096)) + "Done!"
    expected = args.get("expected")
    if expected is None:
        return f"{progress}\nverify /md5 ({location.text}) = {digest}"
    if expected.lower() == digest:
        return f"{progress}\nVerified ({location.text}) = {digest}"
    return (
        f"{progress}\n%Error verifying {location.text}\n"
        f"Computed signature {digest}\nSubmitted signature {expected}"
    )


# --- copy -----------------------------------------------------------------------------------------


@command("copy <source:WORD> <destination:WORD>", PRIVILEGED, help="Copy from one file to another")
def copy(session: Any, args: Args) -> Reply | str:
    source, destination = _copy_location(args["source"]), _copy_location(args["destination"])
    device = session.device
    if source.kind == "config" and destination.kind == "config":
        return _copy_config(device, source, destination)
    if destination.kind == "config":
        return _copy_into_config(session, source, destination)
    default_name = destination.path or source.basename or source.path

    def copy_to(name: str) -> Reply | str:
        target = _with_name(destination, name or default_name)
        if source.kind == "config":
            config = device.config if source.path == "running-config" else device.startup
            data = config_text(device, config).encode()
            prefix = "Building configuration...\n" if source.path == "running-config" else ""
        else:
            try:
                data = read_location(device, source)
            except FileLocationError as error:
                return str(error)
            prefix = _transfer_banner(source, len(data))
        try:
            write_file(device, target.display, data)
        except FileLocationError as error:
            return str(error)
        marks = "!!" if target.kind == "remote" else "Copy in progress...C"
        return f"{prefix}{marks}\n{_copied(len(data))}"

    if destination.kind == "remote":

        def remote_host(answer: str) -> Reply:
            return Reply(confirm=Confirm(f"Destination filename [{default_name}]? ", copy_to))

        return Reply(confirm=Confirm(f"Address or name of remote host [{destination.host}]? ", remote_host))
    if source.kind == "remote" and source.scheme == "scp":
        return Reply(
            confirm=Confirm(
                f"Destination filename [{default_name}]? ",
                lambda name: Reply(confirm=Confirm("Password: ", lambda _: copy_to(name), echo=False)),
            )
        )
    return Reply(confirm=Confirm(f"Destination filename [{default_name}]? ", copy_to))


def _copy_location(text: str) -> Location:
    """``run``/``start`` abbreviate the configuration files in ``copy``, as IOS allows."""
    if ":" not in text and "/" not in text and len(text) >= 2:
        names = [name for name in ("running-config", "startup-config") if name.startswith(text.lower())]
        if len(names) == 1:
            return parse_location(names[0])
    return _location(text)


def _copy_into_config(session: Any, source: Location, destination: Location) -> Reply | str:
    """``copy bootflash:x running-config``: the file's lines are entered as in ``configure terminal``."""
    device = session.device
    try:
        data = read_location(device, source).decode(errors="replace")
    except FileLocationError as error:
        return str(error)

    def apply(_: str) -> str:
        if destination.path == "startup-config":
            device.startup = Config.from_text(data)
            return f"[OK]\n{_copied(len(data))}"
        return "\n".join([*apply_configuration(session, data), _copied(len(data))])

    return Reply(confirm=Confirm(f"Destination filename [{destination.path}]? ", apply))


def apply_configuration(session: Session, text: str) -> list[str]:
    """Enter configuration lines as a terminal would; returns each line that got an answer, with it."""
    terminal = session.configuration_terminal()
    replies = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("!"):
            continue
        if line == "end":
            break
        if not raw[:1].isspace() and terminal.mode is CONFIG_IF:
            terminal.mode, terminal.interface = CONFIG, None
        reply = terminal.run(line)
        if reply.strip():
            replies.append(f"{line}\n{reply.rstrip()}")
    return replies


def _copy_config(device: Any, source: Location, destination: Location) -> Reply | str:
    if source.path == destination.path:
        raise InvalidInput(destination.text)

    def done(answer: str) -> str:
        if source.path == "running-config":
            return save_running_config(device)
        merged = device.config.clone()
        for line in device.startup.globals:
            merged.set(line)
        for name, lines in device.startup.interfaces.items():
            for line in lines:
                merged.set_in(name, line)
        device.config = merged
        return _copied(len(config_text(device, device.startup)))

    return Reply(confirm=Confirm(f"Destination filename [{destination.path}]? ", done))


def _with_name(location: Location, name: str) -> Location:
    if location.kind == "bootflash":
        folder = location.path if not location.path or location.path.endswith("/") else ""
        return parse_location(f"bootflash:{folder}{name}" if name != location.path else location.text)
    if location.kind == "remote" and name != location.path:
        return parse_location(f"{location.scheme}://{location.host}/{name}")
    return location


def _transfer_banner(source: Location, size: int) -> str:
    if source.kind != "remote":
        return ""
    if source.scheme == "scp":
        return f" Sending file modes: C0644 {size} {source.basename}\n"
    return (
        f"Accessing {source.text}...\nLoading {source.path} from {source.host} (via GigabitEthernet0/0): !\n"
        + (f"[OK - {size} bytes]\n\n")
    )


def _copied(size: int) -> str:
    seconds = 0.012
    return f"{size} bytes copied in {seconds:.3f} secs ({int(size / seconds)} bytes/sec)"
