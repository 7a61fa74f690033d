"""``--journal`` names a database server as well as a file: the URL is kept whole (a path would fold its
``//`` and make a local file of it), and its password never shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from nornir_catlic.cli import run
from nornir_catlic.cli.app import cli
from nornir_catlic.journal import Journal


def test_a_journal_on_postgresql_is_read_through_its_url(postgresql_url: str) -> None:
    Journal(postgresql_url).append("sw1", "slac-install", "request-submitted", data={"udi": "PID:X,SN:1"})
    password = make_url(postgresql_url).password
    done = CliRunner().invoke(cli, ["journal", "export", "--journal", postgresql_url], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["host"], r["step"]) for r in records] == [("sw1", "request-submitted")]
    assert "1 record(s) exported from postgresql" in done.stderr
    assert not password or password not in done.stderr
    assert not Path("postgresql+psycopg:").exists(), "no local file named after the URL"


def test_a_url_that_is_not_a_database_is_refused_before_anything_runs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = run(["journal", "export", "--journal", "postgresql://a:b@host:notaport/db"])
    said = capsys.readouterr().err
    assert code == 3, said
    assert "--journal" in said and "not a database URL" in said
