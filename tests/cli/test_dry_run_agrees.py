"""The issue's case as processes: ``slac return --force-release --dry-run`` with the IPsec tunnel still
configured predicts the failure the real run then has, host by host, beside a host whose return succeeds."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from catlic_process import catlic_lab, json_of, run_catlic

TOPOLOGY = textwrap.dedent(
    """\
    lab:
      credentials: {username: admin, password: lab-pass-1, secret: lab-enable-1}
      ssm:
        accounts:
          - {smart_account: Eg-SA, virtual_account: Eg-VA, pools: {"C9K HSEC": 10}}
    devices:
      - name: tunnel-up
        platform: C9300X
        release: 17.9.4
        transport: smart
        slacs: all
        crypto: true
        hsec_release_required: true
        members:
          - {number: 1, pid: C9300X-24HX, serial: FOCQ001, priority: 1}
      - name: no-tunnel
        platform: C9300X
        release: 17.9.4
        transport: smart
        slacs: all
        members:
          - {number: 1, pid: C9300X-24HX, serial: FOCQ002, priority: 1}
    """
)


def typed(diff: str | None) -> list[str]:
    return [line for line in (diff or "").splitlines() if line and not line.startswith("!")]


def test_forced_return_dry_run_predicts_the_real_run_host_by_host(tmp_path: Path) -> None:
    (tmp_path / "topology.yaml").write_text(TOPOLOGY)
    state_dir = tmp_path / "state"
    env = {"CATLIC_LAB_STATE": str(state_dir)}
    with catlic_lab(
        tmp_path, "--topology", str(tmp_path / "topology.yaml"), state_dir=state_dir, in_process=True
    ):
        dry = run_catlic(
            "slac", "return", "--force-release", "--dry-run", "--json", cwd=tmp_path, env=env, in_process=True
        )
        real = run_catlic(
            "slac", "return", "--force-release", "--json", cwd=tmp_path, env=env, in_process=True
        )

    assert dry.returncode == real.returncode == 1, (dry.stderr, real.stderr)
    predicted: dict[str, Any] = json_of(dry)["hosts"]
    performed: dict[str, Any] = json_of(real)["hosts"]
    assert predicted["tunnel-up"]["status"] == performed["tunnel-up"]["status"] == "failed"
    assert predicted["tunnel-up"]["error"] == "would fail: " + performed["tunnel-up"]["error"]
    assert "cryptographic feature is still configured" in performed["tunnel-up"]["error"]
    assert performed["tunnel-up"]["diff"] is None, "nothing was typed"
    assert predicted["no-tunnel"]["status"] == "changed" and performed["no-tunnel"]["status"] == "changed"
    assert (
        typed(predicted["no-tunnel"]["diff"])
        == typed(performed["no-tunnel"]["diff"])
        == [
            "license smart authorization return all online",
            "license smart sync all",
        ]
    )
    assert "tunnel-up: would fail: " in dry.stderr
