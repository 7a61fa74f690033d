"""The ``catlic`` command: Nornir licensing workflows from a terminal, and the bundled lab.

Run ``catlic --help``. The JSON schema of ``--json`` is documented in :mod:`nornir_catlic.cli.output`,
the exit codes in :mod:`nornir_catlic.cli.errors`.
"""

from nornir_catlic.cli.app import cli, main, run

__all__ = ["cli", "main", "run"]
