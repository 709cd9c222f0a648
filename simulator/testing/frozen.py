"""freezegun integration: the test process's ``datetime.now()`` / ``time.time()`` follow the
simulator's virtual clock, so the system under test and the simulator agree on the time.

Time is frozen (``tick=False``) at the virtual now and moved on every advance the test makes
through a gateway. The simulator itself never reads patched time: its modules are on
freezegun's ignore list (calls from them get real ``time.monotonic()`` / ``perf_counter()``, so
realtime mode and latency figures stay real), and event loops keep real monotonic time
(``real_asyncio=True``), so the background server, aiohttp timeouts and ``asyncio.sleep``
work. asyncio and aiohttp are deliberately *not* ignored: that would hand real time to every
coroutine, the test's own included.

Caveats: time does not tick between advances (a busy-wait on ``time.time()`` never ends);
``asyncio.sleep()`` and loop timers in the test run on real time, so an application that
schedules its own retries with asyncio timers is not fast-forwarded; ``time.time()`` called
from code a thread runs (freezegun's default ignore list has ``threading``) is real; in
realtime clock mode the frozen time only catches up at the next advance.

This module reads no wall time itself: the functions named above are the ones freezegun
patches in the *test* process, which is the point of it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType

from freezegun import freeze_time
from freezegun.api import (
    FrozenDateTimeFactory,
    StepTickTimeFactory,
    TickingDateTimeFactory,
    _freeze_time,
)

from simulator.timefmt import Millis, to_datetime

IGNORE = ["simulator.", "conftest_plugin."]
"""Modules that keep real time while the test process is frozen (freezegun ``ignore``)."""

Factory = FrozenDateTimeFactory | StepTickTimeFactory | TickingDateTimeFactory


class FrozenTime:
    """The test process's frozen time, kept at the simulator's virtual now.

    A context manager (``with gateway.freeze_time() as frozen: ...``); the ``sms_frozen_time``
    fixture gives one that is active for the whole test.
    """

    def __init__(self, now: Callable[[], Millis]) -> None:
        self._now = now
        self._factory: Factory | None = None
        self._freezer: _freeze_time | None = None

    @property
    def active(self) -> bool:
        return self._factory is not None

    def start(self) -> FrozenTime:
        if self._factory is None:
            freezer = freeze_time(_naive(self._now()), tick=False, ignore=IGNORE, real_asyncio=True)
            self._factory = freezer.start()
            self._freezer = freezer
        return self

    def stop(self) -> None:
        freezer, self._freezer, self._factory = self._freezer, None, None
        if freezer is not None:
            freezer.stop()

    def sync(self) -> None:
        """Move frozen time to the simulator's now (the gateways call this after each move)."""
        if self._factory is not None:
            self._factory.move_to(_naive(self._now()))

    def now(self) -> datetime:
        """The frozen instant, as an aware UTC datetime."""
        return to_datetime(self._now())

    def __enter__(self) -> FrozenTime:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _naive(millis: Millis) -> datetime:
    return to_datetime(millis).replace(tzinfo=None)
