"""paramiko checks every received packet's MAC with the standard library's constant-time compare.

paramiko (up to 4.0 at least) compares a packet's MAC with ``paramiko.util.constant_time_bytes_eq``, a
constant-time loop written in Python: two ``byte_ord`` calls per byte, about 70 Python calls per packet and
some 2,000 per show-command session, close to a tenth of the client CPU a switch's state costs.
``hmac.compare_digest`` is the standard library's constant-time compare of the same two byte strings (False
for different lengths, like paramiko's), done in C. paramiko's packetizer looks the function up on
``paramiko.util`` at each packet, so replacing that one attribute is enough; nothing else changes.

Applied once when :mod:`nornir_catlic.transport` is imported. A paramiko that has already replaced its own
function (or anyone else's replacement) is left alone: only paramiko's pure-Python compare is swapped.
"""

from __future__ import annotations

import hmac

import paramiko.util

_PARAMIKO_COMPARE = "constant_time_bytes_eq"


def use_standard_mac_compare() -> bool:
    """Point paramiko's MAC check at ``hmac.compare_digest``; True when it does (now or already)."""
    current = getattr(paramiko.util, _PARAMIKO_COMPARE, None)
    if current is hmac.compare_digest:
        return True
    if current is None or getattr(current, "__module__", None) != "paramiko.util":
        return False  # renamed or replaced by someone else: not ours to change
    setattr(paramiko.util, _PARAMIKO_COMPARE, hmac.compare_digest)
    return True
