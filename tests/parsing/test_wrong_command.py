"""Each template recognises its own output: every capture we hold, parsed as every other command, is
refused (ParseError) with ``strict``, and without it gives a ParseError or no record at all.

A phantom record (``show license udi`` reading ``Smart Account: Eg-SA`` of a summary as a slot) is silent
wrong data; this test feeds every indexed template every other command's captures from the guide, the
facts and the real corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from parsing_cases import CORPUS_DIR, FACTS_DIR, GUIDE_DIR

from nornir_catlic.errors import ParseError
from nornir_catlic.parsers.base import SILENT_SUCCESS
from nornir_catlic.parsing import command_names, parse, template_for

CAPTURE_SUFFIXES = (".raw", ".txt")


def captures() -> list[tuple[str, Path]]:
    """(command, capture) for every capture under guide/, facts/ and corpus/real/."""
    found = []
    for folder in (GUIDE_DIR, FACTS_DIR, CORPUS_DIR):
        for path in sorted(folder.glob("*/*")):
            if path.suffix in CAPTURE_SUFFIXES:
                found.append((path.parent.name.replace("_", " "), path))
    return found


def target_commands() -> dict[str, str]:
    """One command per indexed template (an argument added where the command takes one)."""
    targets: dict[str, str] = {}
    for name in command_names():
        for command in (name, f"{name} bootflash:x.txt"):
            template = template_for(command)
            if template is not None:
                targets.setdefault(template, command)
                break
    return targets


SAME_REPLIES = (
    # Return codes per UDI, or "No reservation authorization code installed in device".
    {
        "cisco_xe_license_smart_authorization_return.textfsm",
        "cisco_xe_license_smart_reservation_return.textfsm",
        "cisco_xe_license_smart_reservation_cancel.textfsm",
    },
    # "Already registered".
    {
        "cisco_xe_license_smart_reservation_request.textfsm",
        "cisco_xe_license_smart_reservation_install.textfsm",
        "cisco_xe_license_smart_register_idtoken.textfsm",
    },
    # "The requested item was not found".
    {"cisco_xe_license_smart_save_usage.textfsm", "cisco_xe_license_smart_authorization_request.textfsm"},
    # `show switch` prints the members table of `show switch detail` (which one capture shows alone).
    {"cisco_xe_show_switch.textfsm", "cisco_xe_show_switch_detail.textfsm"},
    # `show license tech support` prints `show license all`'s sections (and others no source describes):
    # an output of only those sections is both commands' output.
    {"cisco_xe_show_license_all.textfsm", "cisco_xe_show_license_tech_support.textfsm"},
)


def may_be_its_output(target: str, source: str, text: str) -> bool:
    """The capture may truly be the target command's output: same command, a reply two commands share,
    or the empty reply of a command whose success is silent."""
    if target == source or any({target, source} <= group for group in SAME_REPLIES):
        return True
    return not text.strip() and target in SILENT_SUCCESS


TARGETS = target_commands()
PAIRS = [
    (command, path, template, target)
    for command, path in captures()
    for template, target in TARGETS.items()
    if not may_be_its_output(template, template_for(command) or "", path.read_text())
]


def test_every_template_and_every_capture_take_part() -> None:
    assert len(TARGETS) == len({template_for(c) for c in TARGETS.values()}) >= 20
    assert {template_for(c) for c, _ in captures()} >= {
        t for t in TARGETS if "show_inventory" not in t and "authorization_return" not in t
    } - {"cisco_xe_license_smart_import.textfsm"}
    assert len(PAIRS) > 1500


@pytest.mark.parametrize(
    ("source", "capture", "target"),
    [(command, path, target) for command, path, _, target in PAIRS],
    ids=[f"{target}<-{path.parent.name}/{path.stem}" for _, path, _, target in PAIRS],
)
def test_another_commands_output_is_refused(source: str, capture: Path, target: str) -> None:
    text = capture.read_text()
    with pytest.raises(ParseError):
        parse(target, text, strict=True)
    try:
        result = parse(target, text)
    except ParseError:
        return
    records = result.model_dump(exclude_defaults=True, exclude={"command", "unparsed_lines", "truncated"})
    assert records == {}, f"{target} read {source}'s output as {records}"


def test_the_reported_phantom_slot_is_gone() -> None:
    summary = (FACTS_DIR / "show_license_summary" / "no_licenses_in_use.raw").read_text()
    with pytest.raises(ParseError, match="not this command's output"):
        parse("show license udi", summary)


def test_a_partly_understood_output_names_the_command_it_belongs_to() -> None:
    summary = (FACTS_DIR / "show_license_summary" / "registered_16x_authorized.raw").read_text()
    with pytest.raises(ParseError, match="this line is show license summary's") as raised:
        parse("show license status", summary)
    assert raised.value.line_number is not None
