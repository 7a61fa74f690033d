"""Nornir runners beyond threads: :class:`DaskRunner` runs the hosts' slices on a Dask cluster."""

from nornir_catlic.runners.dask_runner import DaskRunner, local_cluster, scheduler_client
from nornir_catlic.runners.transfer import RemoteTaskError

__all__ = ["DaskRunner", "RemoteTaskError", "local_cluster", "scheduler_client"]
