"""Outputs cut short: a last line without a line end may hold a value cut mid-way (a confirmation code
``7cfl``, a serial ``FXS``); and characters no device prints inside a value.

A capture taken through netmiko lacks its final line end too, so a missing line end alone proves
nothing: the last line counts as cut when it does not end with a value whose shape is complete (a date
with its zone, an 8-digit confirmation code, an 11-character serial, a block title, a separator, a status
word, a none marker). Free text (a URL, an account name) could stop anywhere, so a last line ending in
it counts as cut: ``truncated=True`` then says "maybe incomplete", never "wrong".
"""

from __future__ import annotations

import re
from enum import Enum

from nornir_catlic.models import license as license_models
from nornir_catlic.models import platform as platform_models
from nornir_catlic.parsers.values import ZONE_OFFSETS

_STATUS_ENUMS: tuple[type[Enum], ...] = (
    license_models.AuthorizationStatus,
    license_models.EnforcementType,
    license_models.ExportStatus,
    license_models.LicenseTerm,
    license_models.PolicySource,
    license_models.RegistrationStatus,
    license_models.SlacStatus,
    license_models.UsageStatus,
    platform_models.MemberState,
    platform_models.StackPortStatus,
)
_WORDS = (
    "ENABLED", "DISABLED", "ALLOWED", "NOT ALLOWED", "True", "False", "yes", "no", "Indefinite",
    "<none>", "<empty>", "Not Configured", "None", "N/A",
)  # fmt: skip
"""Whole values a complete line may end with."""
_SENTENCES = (
    "Import Data Successful", "successful", "No Purchase Information Available",
    "The requested item was not found", "Already registered",
    "No reservation authorization code installed in device", "check the progress and result",
)  # fmt: skip
"""Whole sentences a complete line ends with."""


def _complete_phrases() -> list[str]:
    """Status words a value may end with, except those a longer one of the same kind starts with
    (`UNREGISTERED` may be `UNREGISTERED - REGISTRATION FAILED` cut short)."""
    kinds = [{str(member.value).lower() for member in enum} for enum in _STATUS_ENUMS]
    kinds.append({word.lower() for word in _WORDS})
    return sorted(
        {phrase for kind in kinds for phrase in kind if not any(o.startswith(phrase + " ") for o in kind)}
    )


_DATE_WITH_ZONE = re.compile(r"\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\s+\d{4}\s+(?P<zone>[A-Za-z]+)$")
_COMPLETE_TAILS = re.compile(
    "|".join(
        (
            r"^[-=*\s]+$",  # separators
            r"^[^:]*\S:$",  # a block title, `Overall status:`
            r"Confirmation code:\s*[0-9A-Za-z]{8}$",  # 8 hex digits (the guide prints 7cflf54a)
            r"\bSN:[A-Za-z0-9]{11}$",  # `PID:C9300X-24HX,SN:FOC2519L8R7`
            r"Serial Number\s*:\s*[A-Za-z0-9]{11}$",
            r"(?::\s+|\s\s|\t)0$",  # a count of 0 (numbers print no leading zero) is whole
            r"\)$",  # a parenthesis closed
            r"(?:^|\s)(?:" + "|".join(re.escape(sentence) for sentence in _SENTENCES) + r")\.?$",
            # a router SlotID row; atomic blank runs keep the match linear on a long line
            r"^(?:(?:\*|\*\s*\d+|\d+)(?>\s+))?\S+(?>\s+)[A-Za-z0-9]{11}(?>\s+)\S+:[A-Za-z0-9]{11}$",
            # the whole value: after a colon, a column gap or a count (`1 IN USE`)
            r"(?:^|:\s*|\s\s|\t|\d\s)(?:" + "|".join(re.escape(p) for p in _complete_phrases()) + r")$",
        )
    ),
    re.IGNORECASE,
)


def last_line_is_cut(line: str) -> bool:
    """Whether a last line that has no line end may have been cut inside its value."""
    stripped = line.strip()
    if not stripped:
        return False
    date = _DATE_WITH_ZONE.search(stripped)
    if date is not None:
        return date["zone"].upper() not in ZONE_OFFSETS
    return _COMPLETE_TAILS.search(stripped) is None


_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd]")
"""Control characters (TAB aside) and U+FFFD, the mark of bytes that were not text."""


def forbidden_character(lines: list[str]) -> tuple[int, str] | None:
    """The first line holding a control character or U+FFFD, with its index."""
    for index, line in enumerate(lines):
        if _FORBIDDEN.search(line):
            return index, line
    return None
