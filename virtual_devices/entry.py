"""A click group run as a command that returns its exit code, for the lab's entry points."""

from __future__ import annotations

from collections.abc import Sequence

import click

EXIT_ABORTED = 1


def run_click(group: click.Group, argv: Sequence[str] | None, prog_name: str) -> int:
    """Run ``group`` on ``argv``; the command's returned int is the exit code (usage errors: 2)."""
    try:
        returned = group.main(
            args=list(argv) if argv is not None else None, prog_name=prog_name, standalone_mode=False
        )
    except click.exceptions.Exit as done:  # --help
        return int(done.exit_code)
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.Abort:
        click.echo("aborted", err=True)
        return EXIT_ABORTED
    return int(returned or 0)
