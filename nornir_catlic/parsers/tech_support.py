"""Builders for `show license reservation` and `show license tech support`."""

from __future__ import annotations

import re

from nornir_catlic.models.tech_support import LicenseTechSupport, ReservationMode, UnreadSection
from nornir_catlic.parsers.base import ParseContext, register_builder
from nornir_catlic.parsers.license import build_license_all
from nornir_catlic.parsers.sections import is_underline
from nornir_catlic.parsers.values import bool_or_none, first
from textfsm_templates.compose import SECTION_TITLES

SHOW_LICENSE_RESERVATION = "cisco_xe_show_license_reservation.textfsm"
SHOW_LICENSE_TECH_SUPPORT = "cisco_xe_show_license_tech_support.textfsm"

# The section titles `show license all` understands (its composite's title rules, `^Title\s*$$`).
LICENSING_TITLES = frozenset(
    match[1] for title, _ in SECTION_TITLES if (match := re.fullmatch(r"\^(.+?)\\s\*\$\$", title))
)


@register_builder(SHOW_LICENSE_RESERVATION)
def build_reservation_mode(ctx: ParseContext) -> ReservationMode:
    records = ctx.run_or_reject(SHOW_LICENSE_RESERVATION)
    return ReservationMode(enabled=bool_or_none(first(records, "RESERVATION")))


@register_builder(SHOW_LICENSE_TECH_SUPPORT)
def build_license_tech_support(ctx: ParseContext) -> LicenseTechSupport:
    """The sections `show license all` knows go through its builder (their unknown lines are reported as
    there); every other titled section is kept verbatim in ``other_sections``."""
    licensing_lines: list[str] = []
    licensing_numbers: list[int] = []
    other_sections: list[UnreadSection] = []
    lines = ctx.lines
    index = 0
    in_other = False  # lines before the first title stay with the licensing frame, which reports them
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.strip() and not line[0].isspace() and is_underline(following):
            in_other = line.strip() not in LICENSING_TITLES
            if in_other:
                other_sections.append(UnreadSection(title=line.strip(), lines=[]))
            else:
                licensing_lines.extend((line, following))
                licensing_numbers.extend(ctx.line_numbers[index : index + 2])
            index += 2
            continue
        if in_other:
            other_sections[-1].lines.append(line)
        else:
            licensing_lines.append(line)
            licensing_numbers.append(ctx.line_numbers[index])
        index += 1
    for section in other_sections:  # the blank lines around a section's body are layout, not content
        while section.lines and not section.lines[-1].strip():
            section.lines.pop()
        while section.lines and not section.lines[0].strip():
            section.lines.pop(0)

    licensing = ParseContext(ctx.command, licensing_lines, licensing_numbers, ctx.truncated)
    if not any(line.strip() for line in licensing_lines):
        raise ctx.not_this_output("no licensing section (no `Smart Licensing Status` and the like)")
    license_all = build_license_all(licensing)
    ctx.unparsed.extend(licensing.unparsed)
    return LicenseTechSupport.model_validate({**dict(license_all), "other_sections": other_sections})
