"""``--cluster``: run the workflows' hosts on a Dask cluster instead of this process's threads.

``local:N`` starts a LocalCluster of N worker processes for the command (closed when it ends);
``tcp://HOST:PORT`` (or ``tls://``) uses a running scheduler. One cluster per command, opened on first use.
"""

from __future__ import annotations

import re
from typing import Any

import click

from nornir_catlic.cli.errors import CliError
from nornir_catlic.errors import ClusterError

_LOCAL = re.compile(r"local:([1-9][0-9]*)")
_ADDRESS = re.compile(r"(tcp|tls)://[^\s/]+:[0-9]+")
_CLIENT = "catlic.cluster.client"
DEFAULT_THREADS = 20
"""Hosts a slice works on at once on its worker, when --workers does not say."""


def check_cluster(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``local:N`` or ``tcp://HOST:PORT``; anything else is a usage error (exit 3)."""
    if value is None or _LOCAL.fullmatch(value) or _ADDRESS.fullmatch(value):
        return value
    raise click.BadParameter(
        f"{value!r}: give local:N (N worker processes) or tcp://HOST:PORT of a scheduler"
    )


def cluster_runner(cluster: str, *, threads: int | None, pin_by: str | None = None) -> Any:
    """A :class:`~nornir_catlic.runners.DaskRunner` on the command's cluster, started or reached once."""
    try:
        from nornir_catlic.runners import DaskRunner, local_cluster, scheduler_client
    except ImportError as error:
        raise CliError(
            f"--cluster needs Dask: pip install 'nornir-catlic[cluster]' ({error.name} is missing)"
        ) from None
    root = click.get_current_context().find_root()
    client = root.meta.get(_CLIENT)
    if client is None:
        local = _LOCAL.fullmatch(cluster)
        try:
            client = root.with_resource(
                local_cluster(int(local.group(1))) if local else scheduler_client(cluster)
            )
        except ClusterError as error:
            raise CliError(str(error)) from None
        root.meta[_CLIENT] = client
    return DaskRunner(client, threads=threads or DEFAULT_THREADS, pin_by=pin_by)
