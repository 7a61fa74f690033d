"""The words a failed return verification quotes from ``show license authorization``."""

from __future__ import annotations

from nornir_catlic.tasks.slac_return import return_not_shown


def test_a_wrong_code_and_a_slac_still_installed_are_told_apart() -> None:
    words = return_not_shown(
        {"PID:C9300X-24HX SN:FOC2519L8R7": "CqFnDX-3Fv8Pm"}, ["PID:C9300X-48HXN SN:FOC2524L39P"]
    )
    assert words == (
        "PID:C9300X-24HX SN:FOC2519L8R7: Last return code CqFnDX-3Fv8Pm, "
        "PID:C9300X-48HXN SN:FOC2524L39P: SMART AUTHORIZATION INSTALLED"
    )
