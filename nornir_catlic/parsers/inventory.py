"""Builder for ``show inventory``."""

from __future__ import annotations

from nornir_catlic.models.inventory import InventoryItem, ShowInventory
from nornir_catlic.parsers.base import ParseContext, register_builder
from nornir_catlic.parsers.values import text_or_none

SHOW_INVENTORY = "cisco_xe_show_inventory.textfsm"


@register_builder(SHOW_INVENTORY)
def build_show_inventory(ctx: ParseContext) -> ShowInventory:
    records = ctx.run_or_reject(SHOW_INVENTORY)
    items: list[InventoryItem] = []
    for record in records:
        names, descriptions = record["NAME"], record["DESCR"]
        pids, vids, serials = record["PID"], record["VID"], record["SN"]
        for index, name in enumerate(names):
            if index >= len(pids):  # a NAME line whose PID line never came: say so, keep nothing invented
                ctx.report(f'NAME: "{name}"')
                continue
            items.append(
                InventoryItem(
                    name=name,
                    description=descriptions[index],
                    pid=text_or_none(pids[index]),
                    vid=text_or_none(vids[index]),
                    serial=text_or_none(serials[index]),
                )
            )
    return ShowInventory(items=items)
