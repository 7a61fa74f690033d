"""The role of a UDI holder (stack member, supervisor, StackWise Virtual chassis): one enum for the package.

The device spells roles its own way (``Active`` in ``show license udi``, ``Master`` on old stacks); the
values here are lower case, and :data:`DeviceRole` accepts the device's spelling wherever a model reads one.
"""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import BeforeValidator


class Role(str, enum.Enum):
    """Role of a stack member, supervisor or StackWise Virtual chassis."""

    ACTIVE = "active"
    STANDBY = "standby"
    MEMBER = "member"

    @classmethod
    def _missing_(cls, value: object) -> Role | None:
        return _DEVICE_SPELLINGS.get(value.strip().lower()) if isinstance(value, str) else None

    @property
    def printed(self) -> str:
        """The role as ``show license udi`` prints it: ``Active``, ``Standby``, ``Member``."""
        return self.value.capitalize()


_DEVICE_SPELLINGS = {
    "active": Role.ACTIVE,
    "master": Role.ACTIVE,
    "standby": Role.STANDBY,
    "member": Role.MEMBER,
}


def _device_role(value: object) -> object:
    return Role(value) if isinstance(value, str) else value


DeviceRole = Annotated[Role, BeforeValidator(_device_role)]
"""A :class:`Role` field that also accepts the device's spelling (``Active``, ``Master``)."""
