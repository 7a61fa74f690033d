"""An asyncio event loop running in a background thread, with thread-safe calls into it.

Device state is only ever touched from the loop's thread: tests and the control channel hand their work
to the loop with ``call``/``run`` instead of mutating devices from their own thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")


class LoopThread:
    def __init__(self, name: str = "virtual-devices") -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._started = threading.Event()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.call_soon(self._started.set)
        self.loop.run_forever()

    def start(self) -> None:
        self._thread.start()
        self._started.wait()

    def run(self, coroutine: Awaitable[T], timeout: float | None = None) -> T:
        """Run a coroutine on the loop and wait for its result."""
        future = asyncio.run_coroutine_threadsafe(_as_coroutine(coroutine), self.loop)
        return future.result(timeout)

    def call(self, function: Callable[..., T], *args: Any, timeout: float | None = 30.0) -> T:
        """Run a plain function on the loop's thread and wait for its result."""
        if threading.current_thread() is self._thread:
            return function(*args)

        async def invoke() -> T:
            return function(*args)

        return self.run(invoke(), timeout)

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()


async def _as_coroutine(awaitable: Awaitable[T]) -> T:
    return await awaitable
