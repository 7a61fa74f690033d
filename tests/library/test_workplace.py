"""Where catlic keeps working files: one documented place, private to the user."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from nornir_catlic.locks import lock_store
from nornir_catlic.workplace import HOME_ENV, catlic_home, scratch_runs_folder


def test_catlic_home_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "mine"))
    assert catlic_home() == tmp_path / "mine"
    monkeypatch.delenv(HOME_ENV)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert catlic_home() == tmp_path / "state" / "catlic"


def test_working_folders_are_private(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    monkeypatch.delenv("CATLIC_STORE", raising=False)
    locks_home = lock_store().path
    assert locks_home is not None
    for folder in (locks_home.parent, scratch_runs_folder()):
        assert folder.is_dir()
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
