"""Read a device's whole licensing state in one session with the fewest commands.

``show version`` (release, boot level now and after reload, member numbers) and ``show license all``
(status, policy, reporting, trust codes, usage, UDIs, SLACs) tell everything; a stack adds
``show switch detail`` for its members' states, and a C9400/C9600 chassis ``show inventory`` for its
supervisors (they decide HSECK9 support). Other workflows call :func:`read_license_state` to start
from the same facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from nornir.core.task import Result, Task

from nornir_catlic.domain import ProductFamily, product_family
from nornir_catlic.models.clock import ClockZone, with_zone_offsets, zone_names
from nornir_catlic.models.inventory import ShowInventory
from nornir_catlic.models.license import LicenseAll
from nornir_catlic.models.platform import ShowSwitchDetail, ShowVersion
from nornir_catlic.models.state import LicenseState, build_license_state
from nornir_catlic.parsers.values import to_zone_table
from nornir_catlic.tasks.declarations import honours_dry_run
from nornir_catlic.transport import parse_output, show, show_text

SHOW_VERSION = "show version"
SHOW_LICENSE_ALL = "show license all"
SHOW_SWITCH_DETAIL = "show switch detail"
SHOW_INVENTORY = "show inventory"
SHOW_CLOCK_CONFIG = "show running-config | include ^clock"
ZONES_HOST_KEY = "clock_zones"
"""Host data ``clock_zones: {pacific: -8}``: what the zone names a device prints mean (UTC offset in hours),
when its ``clock timezone`` should not be read from the device."""

_STACKABLE = frozenset({ProductFamily.C9200, ProductFamily.C9300, ProductFamily.C9300X})
_CHASSIS = frozenset({ProductFamily.C9400, ProductFamily.C9600})


def read_license_state(task: Task, *, stack_detail: bool | None = None) -> LicenseState:
    """Run the state's show commands as DEBUG sub-steps of ``task`` and build the LicenseState.

    Args:
        stack_detail: read ``show switch detail`` always (True), never (False), or only on a stack of
            C9200/C9300 switches with more than one member (None).
    """
    version = show(task, SHOW_VERSION, ShowVersion)
    license_all = show(task, SHOW_LICENSE_ALL, LicenseAll)
    zones = device_zones(task, license_all)
    version, license_all = with_zone_offsets(version, zones), with_zone_offsets(license_all, zones)
    detail = None
    if stack_detail or (stack_detail is None and _is_stack(version, license_all)):
        detail = show(task, SHOW_SWITCH_DETAIL, ShowSwitchDetail)
    family = product_family(version.pid) if version.pid else None
    inventory = show(task, SHOW_INVENTORY, ShowInventory) if family in _CHASSIS else None
    return build_license_state(
        task.host.name, version=version, license_all=license_all, switch_detail=detail, inventory=inventory
    )


def device_zones(task: Task, license_all: LicenseAll) -> dict[str, timedelta]:
    """What the zone names in the device's dates mean: host data ``clock_zones`` first, then, when a date
    carries a zone name other than UTC that the user did not map, the device's own ``clock timezone`` and
    ``clock summer-time`` (one more command, only on devices not on UTC; a name is the user's choice, and
    even a common one such as IST means whatever offset the device was given)."""
    user = _user_zones(task)
    unmapped = {name.upper() for name in zone_names(license_all)} - {"UTC"} - {name.upper() for name in user}
    if not unmapped:
        return user
    text = show_text(task, SHOW_CLOCK_CONFIG)  # empty when no zone is configured: the device is on UTC
    device = parse_output(task, SHOW_CLOCK_CONFIG, text) if text.strip() else ClockZone()
    assert isinstance(device, ClockZone)
    return {**device.zone_offsets(), **user}


def _user_zones(task: Task) -> dict[str, timedelta]:
    configured = task.host.get(ZONES_HOST_KEY) or {}
    if not isinstance(configured, Mapping):
        raise ValueError(f"{task.host.name}: host data {ZONES_HOST_KEY!r} must map zone names to hours")
    return to_zone_table(configured)


def _is_stack(version: ShowVersion, license_all: LicenseAll) -> bool:
    family = product_family(version.pid) if version.pid else None
    if family not in _STACKABLE:
        return False
    udi_members = len(license_all.udi.members) if license_all.udi else 0
    return len(version.stack) > 1 or udi_members > 1


@honours_dry_run
def catlic_get_license_state(task: Task, stack_detail: bool | None = None) -> Result:
    """Nornir task: the device's :class:`~nornir_catlic.models.state.LicenseState` in ``Result.result``.

    Reads only; ``changed`` is always False and dry run changes nothing.
    """
    state = read_license_state(task, stack_detail=stack_detail)
    return Result(host=task.host, result=state, changed=False)
