"""``license boot level``: which add-on goes with which base level.

IOS offers ``addon dna-advantage`` after ``network-advantage`` and ``addon dna-essentials`` after
``network-essentials``; anything else (``network-essentials addon dna-advantage``: not permitted) is
``% Invalid input`` under the add-on, which is how IOS refuses it. Network Advantage + DNA Essentials is
permitted "only at DNA renewal": the switch cannot know about purchases, so the lab lets it through only for
a device whose topology entry says ``dna_renewal: true``, and refuses it like any invalid add-on otherwise.
"""

from __future__ import annotations

from virtual_devices.licensing.messages import MESSAGES
from virtual_devices.licensing.switch import Switch


class InvalidToken(Exception):
    """The user typed a keyword the switch does not offer here; the handler turns it into a caret error."""

    def __init__(self, at: str) -> None:
        super().__init__(at)
        self.at = at


def allowed_addons(switch: Switch, base: str) -> list[str]:
    if base == "network-essentials":
        return ["dna-essentials"]
    allowed = ["dna-advantage"]
    if switch.settings.get("dna_renewal"):
        allowed.append("dna-essentials")
    return allowed


def configure_boot_level(switch: Switch, base: str, addon_typed: str | None) -> str:
    """Set the level for the next boot; raises :class:`InvalidToken` for an add-on the base does not take."""
    addon = None
    if addon_typed is not None:
        matches = [a for a in allowed_addons(switch, base) if a.startswith(addon_typed.lower())]
        if len(matches) != 1:
            raise InvalidToken(addon_typed)
        addon = matches[0]
    line = f"license boot level {base}" + (f" addon {addon}" if addon else "")
    switch.config.set(line, replacing="license boot level")
    return MESSAGES["boot_level"]
