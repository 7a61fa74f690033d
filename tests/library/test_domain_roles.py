"""One role enum for the package: the device's spelling (``Active``, ``Master``) is read into it."""

from __future__ import annotations

import pydantic
import pytest

from nornir_catlic.domain import MemberFacts, Role
from nornir_catlic.models.common import Role as ModelsRole


@pytest.mark.parametrize(
    ("printed", "role"),
    [("Active", Role.ACTIVE), ("active", Role.ACTIVE), ("Master", Role.ACTIVE), (" Standby ", Role.STANDBY)],
)
def test_the_device_spelling_is_read(printed: str, role: Role) -> None:
    assert Role(printed) is role
    assert MemberFacts(role=printed, pid="C9300X-24HX", serial="FOC1").role is role


def test_the_models_and_the_rules_share_the_enum_and_print_the_device_spelling() -> None:
    assert ModelsRole is Role
    assert [role.printed for role in Role] == ["Active", "Standby", "Member"]
    assert MemberFacts(role=Role.MEMBER, pid="C9300X-24HX", serial="FOC1").model_dump()["role"] is Role.MEMBER


def test_a_word_that_is_no_role_is_refused() -> None:
    with pytest.raises(ValueError):
        Role("Provisioned")
    with pytest.raises(pydantic.ValidationError):
        MemberFacts(role="Provisioned", pid="C9300X-24HX", serial="FOC1")
