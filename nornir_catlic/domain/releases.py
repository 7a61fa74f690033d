"""IOS XE releases (``17.06.01``, ``17.6.2``, ``Bengaluru 17.6.2``), read and ordered numerically."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Release:
    """An IOS XE release such as ``17.6.2``, ``17.06.01`` or ``17.3.4a``, ordered numerically."""

    major: int
    minor: int
    maintenance: int = 0
    rebuild: str = ""
    """Letters or suffix after the maintenance number (``a`` in 16.5.1a); sorts after the bare release."""

    @classmethod
    def parse(cls, text: str) -> Release:
        """Read a release from ``17.06.01``, ``17.6.2``, ``Bengaluru 17.6.2`` or ``Version 17.9.1,``.

        Raises:
            ValueError: when no dotted release number is found.
        """
        for token in text.replace(",", " ").replace("(", " ").replace(")", " ").split():
            if token[:1].isdigit() and "." in token:
                return cls._from_token(token, text)
        raise ValueError(f"not an IOS XE release: {text!r}")

    @classmethod
    def _from_token(cls, token: str, original: str) -> Release:
        parts = token.split(".")
        if len(parts) > 3 or not parts[0].isdigit() or not parts[1][:1].isdigit():
            raise ValueError(f"not an IOS XE release: {original!r}")
        numbers: list[int] = []
        rebuild = ""
        for index, part in enumerate(parts):
            digits = len(part) - len(part.lstrip("0123456789"))
            if digits == 0:
                raise ValueError(f"not an IOS XE release: {original!r}")
            numbers.append(int(part[:digits]))
            suffix = part[digits:]
            if suffix and index != len(parts) - 1:
                raise ValueError(f"not an IOS XE release: {original!r}")
            rebuild = suffix.lower()
        while len(numbers) < 3:
            numbers.append(0)
        return cls(numbers[0], numbers[1], numbers[2], rebuild)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.maintenance}{self.rebuild}"


def as_release(release: str | Release) -> Release:
    """Accept either a :class:`Release` or its text."""
    return release if isinstance(release, Release) else Release.parse(release)


def release_or_none(text: str | None) -> Release | None:
    """The release in ``text``, or ``None`` when there is none (not read, or an engineering build name)."""
    if text is None:
        return None
    try:
        return Release.parse(text)
    except ValueError:
        return None


def compare_releases(left: str | Release, right: str | Release) -> int:
    """-1, 0 or 1 as ``left`` is older than, equal to or newer than ``right`` (``17.06.01`` == ``17.6.1``)."""
    a, b = as_release(left), as_release(right)
    return (a > b) - (a < b)


def release_at_least(release: str | Release, minimum: str | Release) -> bool:
    """True when ``release`` is ``minimum`` or newer."""
    return compare_releases(release, minimum) >= 0
