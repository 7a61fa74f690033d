"""The SSM side of the offline subcommands: ``--portal DIR`` (a file drop), ``--lab-ssm`` or ``--cssm``
(Cisco's licensing API)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from nornir_catlic.cli.cssm import cssm_exchange, cssm_options, cssm_requested
from nornir_catlic.cli.errors import CliError
from nornir_catlic.cli.options import settings_of
from nornir_catlic.cli.ssm import open_lab_ssm

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_PORTAL = "catlic-portal"


def portal_options(function: F) -> F:
    function = cssm_options(function)
    function = click.option(
        "--lab-ssm",
        is_flag=True,
        help="Offline: let the running lab's simulated SSM answer at once (a rehearsal of the air gap).",
    )(function)
    return click.option(
        "--portal",
        "portal_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=f"Offline: the file-drop folder shared with the operator (default ./{DEFAULT_PORTAL}).",
    )(function)


def portal_argument(online: bool, portal_dir: Path | None, lab_ssm: bool) -> Any:
    """The ``portal`` argument of an offline workflow: the lab's SSM, or a file-drop folder (made, and
    proven writable before any switch is asked to save a file for it).

    Raises:
        CliError: the portal folder cannot be written (exit 3: nothing ran).
    """
    cssm = cssm_requested()
    if online:
        if portal_dir is not None or lab_ssm or cssm:
            raise click.UsageError("--portal, --lab-ssm and --cssm are for --offline")
        return None
    if cssm:
        if portal_dir is not None or lab_ssm:
            raise click.UsageError("give one of --portal, --lab-ssm and --cssm")
        return cssm_exchange(settings_of(click.get_current_context()).journal_path())
    if lab_ssm:
        if portal_dir is not None:
            raise click.UsageError("give --portal or --lab-ssm, not both")
        return open_lab_ssm()
    from nornir_catlic.errors import PortalError
    from nornir_catlic.portal import FileDropPortal

    portal = FileDropPortal(portal_dir if portal_dir is not None else Path(DEFAULT_PORTAL))
    try:
        portal.check_writable()
    except PortalError as error:
        raise CliError(f"--portal: {error}") from None
    return portal
