"""A private PostgreSQL server for the tests: Debian's binaries, a cluster in a temporary folder.

One server per test session (per pytest-xdist worker), listening on 127.0.0.1 on a free port, with trust
authentication for its own superuser: nothing outside the machine reaches it and it holds only test data.
``initdb`` refuses to run as root, so as root the server runs as Debian's ``postgres`` user. Durability is
off (``fsync=off``): a test never survives a power cut, and the suite's time budget counts.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg

INSTALL_HINT = "install Debian's postgresql package (make test does: apt-get install -y postgresql)"


def postgresql_bin() -> Path:
    """The folder of the newest installed server's binaries (``initdb``, ``pg_ctl``)."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name)
    )
    if not versions:
        raise RuntimeError(f"no PostgreSQL server found: {INSTALL_HINT}")
    return versions[-1].parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresqlServer:
    """A running server; :meth:`new_database` gives each test a database of its own."""

    def __init__(self, folder: Path, port: int, user: str):
        self.folder = folder
        self.port = port
        self.user = user

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """The SQLAlchemy URL of a new empty database."""
        name = f"catlic_{secrets.token_hex(6)}"
        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.user, dbname="postgres") as admin:
            admin.autocommit = True
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as_server_user(command: list[str]) -> list[str]:
    """``command`` run as ``postgres`` when we are root (initdb and the server refuse root)."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def running_server() -> Iterator[PostgresqlServer]:
    """Start a server in a new temporary folder; stop it and remove the folder afterwards."""
    binaries = postgresql_bin()
    folder = Path(tempfile.mkdtemp(prefix="catlic-postgresql-"))
    data = folder / "data"
    user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = free_port()
    try:
        subprocess.run(
            _as_server_user(
                [
                    str(binaries / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    user,
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
            text=True,
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c full_page_writes=off"
        subprocess.run(
            _as_server_user(
                [
                    str(binaries / "pg_ctl"),
                    "-w",
                    "-D",
                    str(data),
                    "-l",
                    str(folder / "server.log"),
                    "-o",
                    options,
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            text=True,
        )
    except subprocess.CalledProcessError as exc:
        log = folder / "server.log"
        details = log.read_text() if log.exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"cannot start PostgreSQL: {exc.stderr or exc.stdout}{details}") from exc
    try:
        yield PostgresqlServer(folder, port, user)
    finally:
        subprocess.run(
            _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)
