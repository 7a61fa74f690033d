"""Boot levels: the combinations Figure 1 permits, now and after reload, and a level waiting for a reload
(guide: Ordering Guidelines for Base and Add-On Licenses, Configure Base and Add-On Licenses)."""

from __future__ import annotations

from nornir_catlic.domain import DeviceFacts, is_combination_permitted
from nornir_catlic.rules.catalog import finding
from nornir_catlic.rules.codes import FindingCode
from nornir_catlic.rules.findings import Finding


def check_boot_level(facts: DeviceFacts, *, renewal: bool = False) -> list[Finding]:
    """Permitted combinations now and after reload, and a boot level waiting for a reload."""
    findings = [
        finding(
            FindingCode.COMBINATION_NOT_PERMITTED,
            facts.host,
            variant=level.permission.value,
            when=when,
            level=level,
        )
        for when, level in (("now", facts.boot_level), ("after reload", facts.boot_level_next_reload))
        if level is not None and not is_combination_permitted(level.base, level.addon, renewal=renewal)
    ]
    now, after = facts.boot_level, facts.boot_level_next_reload
    if now is not None and after is not None and now != after:
        findings.append(finding(FindingCode.BOOT_LEVEL_PENDING_RELOAD, facts.host, now=now, after=after))
    return findings
