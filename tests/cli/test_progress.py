"""The progress bar: on a terminal's stderr while hosts run, never mixed into stdout, off on request."""

from __future__ import annotations

from pathlib import Path

from catlic_process import json_of, run_catlic_on_terminal


def write_fleet(folder: Path, count: int) -> Path:
    folder.mkdir()
    lines = [
        f"sw{number:03d}:\n  hostname: 127.0.0.1\n  data: {{site: s{number % 3}}}\n"
        for number in range(count)
    ]
    (folder / "hosts.yaml").write_text("".join(lines))
    (folder / "defaults.yaml").write_text("platform: cisco_xe\nusername: admin\npassword: p4ss-Word\n")
    return folder


def test_a_terminal_sees_hosts_counted_while_stdout_stays_pure_json(tmp_path: Path) -> None:
    fleet = write_fleet(tmp_path / "fleet", 40)

    done, terminal = run_catlic_on_terminal(
        "task", "cli_sample_tasks:greet", "-i", str(fleet), "--json", "--workers", "8", cwd=tmp_path
    )

    assert done.returncode == 0
    assert len(json_of(done)["hosts"]) == 40
    assert "40/40 hosts" in terminal


def test_no_progress_keeps_the_terminal_quiet(tmp_path: Path) -> None:
    fleet = write_fleet(tmp_path / "fleet", 5)

    done, terminal = run_catlic_on_terminal(
        "task", "cli_sample_tasks:greet", "-i", str(fleet), "--json", "--no-progress", cwd=tmp_path
    )

    assert done.returncode == 0
    assert "hosts" not in terminal
    assert terminal.strip() == ""


def test_failures_are_counted_on_the_bar(tmp_path: Path) -> None:
    fleet = write_fleet(tmp_path / "fleet", 3)
    (fleet / "hosts.yaml").write_text(
        (fleet / "hosts.yaml").read_text().replace("site: s1", "site: s1, refuses: true")
    )

    done, terminal = run_catlic_on_terminal("task", "cli_sample_tasks:refuse", "-i", str(fleet), cwd=tmp_path)

    assert done.returncode == 1
    assert "(1 failed)" in terminal
    assert "sw001: 'license smart authorization request add hseck9 local' failed" in terminal
