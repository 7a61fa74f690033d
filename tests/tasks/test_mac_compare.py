"""paramiko's per-packet MAC check runs on the standard library's constant-time compare once the transport
is imported; someone else's replacement is left alone."""

from __future__ import annotations

import hmac

import paramiko.util
import pytest

import nornir_catlic.transport  # noqa: F401  (importing the transport applies the compare)
from nornir_catlic.transport.mac_compare import use_standard_mac_compare


def test_importing_the_transport_gives_paramiko_the_standard_compare() -> None:
    assert paramiko.util.constant_time_bytes_eq is hmac.compare_digest
    assert use_standard_mac_compare() is True  # applying it again changes nothing


@pytest.mark.parametrize(
    ("mine", "theirs", "equal"),
    [
        (b"\x01" * 32, b"\x01" * 32, True),
        (b"\x01" * 32, b"\x01" * 31 + b"\x02", False),
        (b"\x01" * 32, b"\x01" * 20, False),
    ],
)
def test_the_compare_answers_as_paramikos_did(mine: bytes, theirs: bytes, equal: bool) -> None:
    assert paramiko.util.constant_time_bytes_eq(mine, theirs) is equal


def paramikos_own(a: bytes, b: bytes) -> bool:
    """Stands for paramiko's pure-Python compare (same module name)."""
    return a == b


paramikos_own.__module__ = "paramiko.util"


def test_only_paramikos_pure_python_compare_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    def someone_elses(a: bytes, b: bytes) -> bool:
        return a == b

    monkeypatch.setattr(paramiko.util, "constant_time_bytes_eq", someone_elses)
    assert use_standard_mac_compare() is False
    assert paramiko.util.constant_time_bytes_eq is someone_elses

    monkeypatch.setattr(paramiko.util, "constant_time_bytes_eq", paramikos_own)
    assert use_standard_mac_compare() is True
    assert paramiko.util.constant_time_bytes_eq is hmac.compare_digest
