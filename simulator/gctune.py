"""Keeping CPython's cyclic garbage collector from rescanning the retained messages.

A simulator keeps every message, with its timeline and reports, for the retention window:
hundreds of thousands of long-lived objects. A full collection rescans all of them, and its
pause grows with everything retained (190 ms with 30,000 messages kept, measured under load),
which a load test sees as its p99 latency. ``sms-sim serve`` therefore runs a
:class:`GcTuner`: once a (real) second it collects the young generations (cheap: only recent
objects) and freezes what survived (:func:`gc.freeze`), so a full collection only ever scans
what was made since the last tick.

Reference counting frees frozen objects as usual (messages dropped by the retention sweep
included: they hold no reference cycles). Only a reference cycle that becomes garbage after
it was frozen (a long-lived keep-alive connection closing) waits for
:meth:`GcTuner.full_collect`, which runs on every simulator reset (after the reset has let
the retained messages go, so the pause is short).

Nothing here changes what the simulator answers: collection only decides *when* memory is
reclaimed.
"""

from __future__ import annotations

import asyncio
import gc


class GcTuner:
    """Freeze survivors of the young generations every ``interval`` real seconds."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.ticks = 0
        self._handle: asyncio.TimerHandle | None = None

    def tick(self) -> None:
        """Collect the young generations, then freeze everything that is still alive."""
        gc.collect(1)
        gc.freeze()
        self.ticks += 1

    def full_collect(self) -> None:
        """Let the collector see everything again and reclaim frozen garbage cycles."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def start(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        loop = loop or asyncio.get_running_loop()
        gc.collect()
        gc.freeze()  # what start-up made (modules, the app) is never scanned again

        def run() -> None:
            self.tick()
            self._handle = loop.call_later(self.interval, run)

        self._handle = loop.call_later(self.interval, run)

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        gc.unfreeze()
