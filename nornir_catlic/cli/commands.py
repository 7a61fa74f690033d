"""Every workflow subcommand, registered here once its task exists and works.

The same :class:`~nornir_catlic.cli.workflows.Workflow` entries serve ``catlic run`` runbooks.
"""

from __future__ import annotations

import click

from nornir_catlic.cli import commands_change, commands_inspect, commands_slac

COMMANDS: list[click.Command] = [
    *commands_inspect.COMMANDS,
    *commands_slac.COMMANDS,
    *commands_change.COMMANDS,
]
