"""A long-running loop that stops on SIGTERM or SIGINT: it finishes what it is doing, then returns."""

from __future__ import annotations

import asyncio
import signal


class Stoppable:
    """`stop()` sets `_stopping`, which the loop watches; `install_signal_handlers()` makes SIGTERM and SIGINT call
    it (from inside the running event loop)."""

    _stopping: asyncio.Event

    def stop(self) -> None:
        self._stopping.set()

    def install_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stop)
