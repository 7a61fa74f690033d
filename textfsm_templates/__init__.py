"""TextFSM templates and their ntc-templates style index for Cisco Catalyst licensing commands."""

from pathlib import Path

TEMPLATES_DIR: Path = Path(__file__).resolve().parent
"""Folder holding `index` and the `*.textfsm` files (usable as netmiko's NET_TEXTFSM)."""

INDEX_FILE: Path = TEMPLATES_DIR / "index"


def template_path(name: str) -> Path:
    """Full path of a template file, e.g. for netmiko's ``textfsm_template=``."""
    return TEMPLATES_DIR / name


__all__ = ["INDEX_FILE", "TEMPLATES_DIR", "template_path"]
