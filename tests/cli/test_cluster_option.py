"""``--cluster local:2``: the same per-host results as threads, from worker processes, over the lab."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from catlic_process import catlic_lab, json_of, run_catlic


@pytest.fixture(scope="module")
def lab_state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    work = tmp_path_factory.mktemp("cluster-option")
    with catlic_lab(work, state_dir=work / "state"):
        yield work / "state"


def both_ways(lab_state: Path, tmp_path: Path, *command: str) -> tuple[Any, Any]:
    """``command --json`` run with threads, then on a local cluster of two workers."""
    env = {"CATLIC_LAB_STATE": str(lab_state)}
    threaded = run_catlic(*command, "--json", cwd=tmp_path, env=env)
    clustered = run_catlic(*command, "--json", "--cluster", "local:2", cwd=tmp_path, env=env)
    assert (threaded.returncode, clustered.returncode) == (0, 0), clustered.stderr
    return json_of(threaded), json_of(clustered)


def without(document: Any, key: str) -> Any:
    """``document`` without ``key`` anywhere in it (a time stamp)."""
    if isinstance(document, dict):
        return {k: without(v, key) for k, v in document.items() if k != key}
    if isinstance(document, list):
        return [without(item, key) for item in document]
    return document


def test_state_json_is_the_same_with_and_without_a_local_cluster(lab_state: Path, tmp_path: Path) -> None:
    threaded, clustered = both_ways(lab_state, tmp_path, "state")
    assert threaded["recap"]["hosts"] == len(threaded["hosts"]) == 6
    assert clustered == threaded


def test_audit_json_is_the_same_with_and_without_a_local_cluster(lab_state: Path, tmp_path: Path) -> None:
    threaded, clustered = both_ways(lab_state, tmp_path, "audit")
    assert threaded["recap"]["hosts"] == 6 and threaded["recap"]["ok"] >= 1
    assert without(clustered, "audited_at") == without(threaded, "audited_at")


def test_a_cluster_that_is_neither_local_nor_an_address_is_refused(tmp_path: Path) -> None:
    refused: subprocess.CompletedProcess[str] = run_catlic("state", "--cluster", "local:0", cwd=tmp_path)
    assert refused.returncode == 3
    assert "give local:N (N worker processes) or tcp://HOST:PORT" in refused.stderr


def test_pin_by_without_a_cluster_is_refused(tmp_path: Path) -> None:
    refused = run_catlic("state", "--pin-by", "region", cwd=tmp_path)
    assert refused.returncode == 3 and "give --cluster too" in refused.stderr


def test_hosts_pinned_to_a_region_no_worker_offers_are_refused_before_any_runs(
    lab_state: Path, tmp_path: Path
) -> None:
    refused = run_catlic(
        "slac",
        "install",
        "--cluster",
        "local:1",
        "--pin-by",
        "region",
        cwd=tmp_path,
        env={"CATLIC_LAB_STATE": str(lab_state)},
    )
    assert refused.returncode == 3, refused.stderr
    assert "no worker of the Dask scheduler offers region:None" in refused.stderr
    assert not (tmp_path / "catlic-journal.db").exists(), "nothing ran, nothing journaled"
