"""Where files will be written, checked before any switch is touched."""

from __future__ import annotations

from pathlib import Path


def nearest_existing(path: Path) -> Path:
    """``path`` itself, or the nearest of its parents that exists (what decides whether it can be made)."""
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    return existing
