"""The lab clock: wall time plus an offset a test or an operator can advance (days pass in a second)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone


class LabClock:
    """``now()`` runs from ``start`` (default: the real time) and can be advanced; ``frozen`` stops it running
    on its own, which makes timestamps in tests exact."""

    def __init__(self, start: datetime | None = None, *, frozen: bool = False) -> None:
        self._start = (start or datetime.now(timezone.utc)).astimezone(timezone.utc)
        self._started = time.monotonic()
        self._offset = timedelta()
        self.frozen = frozen
        self.listeners: list[Callable[[datetime], None]] = []

    def now(self) -> datetime:
        running = timedelta() if self.frozen else timedelta(seconds=time.monotonic() - self._started)
        return self._start + running + self._offset

    def advance(self, days: float = 0, seconds: float = 0) -> datetime:
        """Move time forward and tell every listener (devices emit their daily messages, push reports)."""
        self._offset += timedelta(days=days, seconds=seconds)
        now = self.now()
        for listener in list(self.listeners):
            listener(now)
        return now
