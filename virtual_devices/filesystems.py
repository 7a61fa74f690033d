"""Where IOS file names point in the lab: ``bootflash:`` is a real folder per device, and remote URLs
(``tftp://``, ``ftp://``, ``scp://``, ``http://``) are answered from one local folder standing in for the
file server (``<state_dir>/tftp`` unless the lab says otherwise). The host part of a URL is ignored.

``read_file``/``write_file`` are the entry points for other command modules (``license smart import
tftp://...``, ``license smart authorization request save bootflash:x``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

LOCAL_FILESYSTEMS = ("bootflash:", "flash:")  # flash: is bootflash: on a Catalyst 9000's active member
REMOTE_SCHEMES = ("tftp", "ftp", "scp", "http", "https", "sftp")
CONFIG_FILES = ("running-config", "startup-config", "system:running-config", "nvram:startup-config")
BOOTFLASH_TOTAL_BYTES = 11_353_194_496  # a C9300's 16 GB flash as `dir` reports it


class FileLocationError(ValueError):
    """A file name IOS would refuse; the message is the IOS reply."""


@dataclass(frozen=True)
class Location:
    kind: str  # "bootflash", "remote" or "config"
    path: str  # inside the file system: "slac.txt", "user01/example.txt", "running-config"
    text: str  # as the user typed it
    scheme: str = ""  # tftp, scp, ... for remote locations
    host: str = ""
    user: str = ""

    @property
    def display(self) -> str:
        """IOS's spelling: ``bootflash:/slac.txt``, ``tftp://10.8.0.6/user01/example.txt``."""
        if self.kind == "bootflash":
            return f"bootflash:/{self.path}" if self.path else "bootflash:/"
        return self.text

    @property
    def basename(self) -> str:
        return PurePosixPath(self.path).name


def parse_location(text: str) -> Location:
    """Classify a file argument: ``bootflash:x``, ``flash:/x``, ``x`` (in bootflash:), URLs."""
    lowered = text.lower()
    if lowered in CONFIG_FILES:
        return Location("config", lowered.rsplit(":", 1)[-1], text)
    if "://" in text:
        scheme, _, rest = text.partition("://")
        scheme = scheme.lower()
        if scheme not in REMOTE_SCHEMES:
            raise FileLocationError(f"%Error parsing {text} (Invalid argument)")
        authority, _, path = rest.partition("/")
        user, _, host = authority.rpartition("@")
        return Location("remote", _clean(path, text), text, scheme, host, user)
    for prefix in LOCAL_FILESYSTEMS:
        if lowered.startswith(prefix):
            return Location("bootflash", _clean(text[len(prefix) :], text), text)
    if ":" in text:
        raise FileLocationError(f"%Error opening {text} (No such device)")
    return Location("bootflash", _clean(text, text), text)


def _clean(path: str, text: str) -> str:
    parts = [p for p in PurePosixPath("/" + path).parts[1:] if p not in ("", ".")]
    if ".." in parts:
        raise FileLocationError(f"%Error opening {text} (Permission denied)")
    return "/".join(parts)


def file_server_root(device: Any) -> Path:
    """The folder that answers for remote URLs: the lab context's ``remote_dir`` (the lab sets it to
    ``<state_dir>/tftp`` unless the topology names another), else a ``tftp`` folder beside the bootflash."""
    ctx = getattr(device, "ctx", None)
    root = getattr(ctx, "remote_dir", None) if ctx is not None else None
    if root is None:
        root = Path(device.bootflash).parent / "tftp"
    return Path(root)


def local_path(device: Any, location: Location) -> Path:
    """The real file behind a bootflash: or remote location."""
    if location.kind == "bootflash":
        return Path(device.bootflash) / location.path
    if location.kind == "remote":
        return file_server_root(device) / location.path
    raise FileLocationError(f"%Error opening {location.text} (Invalid argument)")


def read_file(device: Any, text: str) -> bytes:
    """Read ``bootflash:x`` or ``tftp://host/x``; raises ``FileLocationError`` with IOS's words."""
    return read_location(device, parse_location(text))


def read_location(device: Any, location: Location) -> bytes:
    path = local_path(device, location)
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise FileLocationError(f"%Error opening {location.display} (No such file or directory)") from None


def write_file(device: Any, text: str, data: bytes) -> Path:
    """Write to ``bootflash:x`` or a remote URL; raises ``FileLocationError`` with IOS's words."""
    location = parse_location(text)
    if not location.path:
        raise FileLocationError(f"%Error opening {location.display} (Is a directory)")
    path = local_path(device, location)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if location.kind == "bootflash" and hasattr(device, "now"):
            stamp = device.now().timestamp()  # `dir` then shows the lab clock's time, as the switch would
            os.utime(path, (stamp, stamp))
    except OSError as error:
        raise FileLocationError(f"%Error opening {location.display} ({error.strerror})") from None
    return path


def bootflash_used_bytes(device: Any) -> int:
    total = 0
    for folder, _dirs, files in os.walk(device.bootflash):
        total += sum((Path(folder) / name).stat().st_size for name in files)
    return total
