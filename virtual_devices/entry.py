"""What the lab's click front-ends share: a group run as a command returning its exit code, and the
``--state-dir`` option."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

EXIT_ABORTED = 1

F = TypeVar("F", bound=Callable[..., Any])


def state_dir_option(help_text: str) -> Callable[[F], F]:
    """``--state-dir DIR``: the lab's state folder, None when not given."""
    return click.option(
        "--state-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help=help_text
    )


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
