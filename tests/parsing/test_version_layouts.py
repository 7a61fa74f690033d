"""`show version` layouts from the field: spacing that must not change what is read, router tables
through netmiko, and a table followed by a line nobody expected."""

from __future__ import annotations

from pathlib import Path

import pytest
from parsing_cases import CORPUS_DIR, FACTS_DIR, GUIDE_DIR, netmiko_records

from nornir_catlic import parse
from nornir_catlic.models.platform import ShowVersion, TechnologyPackage

CAPTURES = sorted(
    [
        *(GUIDE_DIR / "show_version").glob("*.raw"),
        *(FACTS_DIR / "show_version").glob("*.raw"),
        *(CORPUS_DIR / "show_version").iterdir(),
    ]
)
WITH_PACKAGE_TABLE = [
    capture for capture in CAPTURES if "Technology Package License Information" in capture.read_text()
]
C8300 = FACTS_DIR / "show_version" / "c8300_17_19_new_package_table.raw"
VG400 = FACTS_DIR / "show_version" / "vg400_17_6_empty_suite_table.raw"


def _version(text: str) -> ShowVersion:
    result = parse("show version", text)
    assert isinstance(result, ShowVersion)
    return result


@pytest.mark.parametrize("capture", CAPTURES, ids=lambda path: path.stem)
def test_a_double_spaced_capture_reads_the_same(capture: Path) -> None:
    """Some captures (an ASR's, in field-formats.md) carry a blank line after every line."""
    text = capture.read_text()
    double_spaced = text.replace("\n", "\n\n")
    assert _version(double_spaced).model_dump() == _version(text).model_dump()


@pytest.mark.parametrize("separator", ["          ", " ", "\t"], ids=["ten_spaces", "one_space", "tab"])
@pytest.mark.parametrize("capture", WITH_PACKAGE_TABLE, ids=lambda path: path.stem)
def test_whitespace_only_lines_between_package_rows_keep_every_row(capture: Path, separator: str) -> None:
    text = capture.read_text()
    expected = _version(text)
    assert expected.technology_packages, "a capture with a table yields rows"
    rows = {words for row in expected.technology_packages for words in _row_words(row)}
    # A whitespace-only line after each row: the row after it used to land in unparsed_lines.
    spaced = "\n".join(
        f"{line}\n{separator}" if tuple(line.split()) in rows else line for line in text.split("\n")
    )
    assert spaced.count(f"\n{separator}\n") >= len(expected.technology_packages)
    version = _version(spaced)
    assert version.technology_packages == expected.technology_packages
    assert version.unparsed_lines == expected.unparsed_lines


def _row_words(row: TechnologyPackage) -> set[tuple[str, ...]]:
    """The words of the table line a row was read from (router tables in either column order)."""
    current, next_reboot = row.current or "None", row.next_reboot or "None"
    license_type = row.license_type.split()
    if row.technology is None:
        return {(current, *license_type, next_reboot)}
    technology = row.technology.split()
    return {
        (*technology, current, *license_type, next_reboot),
        (*technology, *license_type, current, next_reboot),
    }


def test_the_c9500_add_on_row_after_a_separator_line_is_a_package_row() -> None:
    version = parse(
        "show version",
        (FACTS_DIR / "show_version" / "c9500_17_3_addon_after_separator_line.raw").read_text(),
        strict=True,
    )
    assert isinstance(version, ShowVersion)
    assert version.packages_current == ["network-advantage", "dna-advantage"]
    assert version.technology_packages[1].license_type == "Subscription Smart License"


def test_an_unexpected_line_after_a_table_is_reported_and_parsing_goes_on() -> None:
    text = VG400.read_text().replace(
        "ipbase           ipbasek9         Smart License    ipbasek9\n",
        "ipbase           ipbasek9         Smart License    ipbasek9\nA line no release prints\n",
    )
    version = _version(text)
    assert version.unparsed_lines == ["A line no release prints"]
    assert version.throughput_level == "25000 kbps"
    assert version.smart_licensing_status == "Smart Licensing Using Policy"
    assert version.chassis == "VG400-8FXS/8FXO"


def test_router_tables_handed_to_netmiko_keep_their_columns() -> None:
    [c8300] = netmiko_records("cisco_xe_show_version.textfsm", C8300.read_text())
    assert c8300["router_package_technology"] == ["Smart License", "Smart License"]
    assert c8300["router_package_type"] == ["Perpetual", "Subscription"]
    assert c8300["router_package_current"] == ["None", "essentials"]
    assert c8300["router_package_next_reboot"] == ["None", "essentials"]
    assert c8300["package_current"] == []
    assert c8300["unparsed"] == []
    [vg400] = netmiko_records("cisco_xe_show_version.textfsm", VG400.read_text())
    assert vg400["router_package_technology"] == ["appxk9", "uck9", "securityk9", "ipbase"]
    assert vg400["router_package_type"] == ["Smart License"] * 4
    assert vg400["unparsed"] == []


def test_empty_license_labels_are_read_as_no_value_not_as_unparsed_lines() -> None:
    """C8000V 17.16.1a prints `License Level:` with nothing after it; its type line may be as empty."""
    text = (FACTS_DIR / "show_version" / "c8000v_17_16_empty_license_level.raw").read_text()
    version = parse("show version", text.replace("License Type: Perpetual", "License Type: "), strict=True)
    assert isinstance(version, ShowVersion)
    assert (version.license_level, version.license_type, version.next_reload_license_level) == (
        None,
        None,
        None,
    )
    assert (version.addon_license_level, version.addon_license_type) == (None, "Subscription")
    assert version.throughput_level == "250000 kbps"


def test_a_package_table_printed_without_rows_does_not_swallow_what_follows() -> None:
    text = (FACTS_DIR / "show_version" / "c9300x_stack_17_9_policy.raw").read_text()
    rows = (
        "network-advantage       Smart License                    network-advantage\n"
        "dna-advantage           Subscription Smart License       dna-advantage\n"
    )
    assert rows in text
    version = parse("show version", text.replace(rows, ""), strict=True)
    assert isinstance(version, ShowVersion)
    assert version.technology_packages == []
    assert version.air_license_level == "AIR DNA Advantage"
    assert version.smart_licensing_status == "Smart Licensing Using Policy"
    assert version.udi is not None and version.udi.serial == "FOC2519L8R7"
