"""``python -m virtual_devices`` / ``catlic-lab``: start, stop and steer a lab of virtual switches.

The commands are in :mod:`virtual_devices.lab_cli`.
"""

from __future__ import annotations

import sys

from virtual_devices.lab_cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
