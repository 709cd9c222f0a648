"""The simulator's one source of time.

Nothing else in the simulator reads the wall clock: every module asks a :class:`VirtualClock`.
This is also the only module that touches real time at all (``time.monotonic`` to let the
realtime mode run, ``time.time`` for the default start instant, ``asyncio`` timeouts to wait
for the next event). Tests replace that with :class:`FakeWallClock`.

Modes:

* ``manual``: time moves only when told (:meth:`VirtualClock.set_to`, which the engine calls
  from ``advance``). What tests and CI scripts use.
* ``autojump``: as manual, but whenever the simulator is idle the engine jumps straight to the
  next scheduled event, so a whole timeline plays out in no real time.
* ``realtime``: virtual time runs by itself at ``rate`` virtual seconds per real second (1 by
  default; 60 makes a minute pass each second). Explicit advances still work on top.

The clock never goes backwards: :class:`ClockError` says so.

>>> clock = VirtualClock(start=1_000)
>>> clock.set_to(5_000); clock.now()
5000
>>> clock.set_to(4_000)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
simulator.clock.ClockError: the clock cannot go backwards: 1970-01-01T00:00:04.000+0000 is ...
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from enum import StrEnum

from simulator.timefmt import Millis, format_instant


class ClockMode(StrEnum):
    MANUAL = "manual"
    AUTOJUMP = "autojump"
    REALTIME = "realtime"


class ClockError(ValueError):
    """An impossible move of the clock (backwards, or a bad rate)."""


LATEST_INSTANT: Millis = 253402300799999
"""9999-12-31T23:59:59.999Z: the last instant Infobip's date format can write."""


def check_instant(instant: Millis) -> None:
    if instant > LATEST_INSTANT:
        raise ClockError(f"the clock cannot go past {format_instant(LATEST_INSTANT)}")


class WallClock:
    """Real time, read only here. Replaceable in tests by :class:`FakeWallClock`."""

    def monotonic(self) -> float:
        return time.monotonic()

    def epoch_millis(self) -> Millis:
        return time.time_ns() // 1_000_000


class FakeWallClock(WallClock):
    """A wall clock that moves only when a test says so (for realtime-mode tests)."""

    def __init__(self, epoch_millis: Millis = 0) -> None:
        self._mono = 0.0
        self._epoch = epoch_millis

    def monotonic(self) -> float:
        return self._mono

    def epoch_millis(self) -> Millis:
        return self._epoch + round(self._mono * 1000)

    def tick(self, seconds: float) -> None:
        self._mono += seconds


class VirtualClock:
    """Virtual time in milliseconds since the epoch.

    ``start`` defaults to the wall-clock time at creation, so a real client that computes
    ``sendAt`` from its own clock is accepted; pass a fixed instant for byte-identical runs.
    """

    def __init__(
        self,
        start: Millis | None = None,
        *,
        mode: ClockMode = ClockMode.MANUAL,
        rate: float = 1.0,
        wall: WallClock | None = None,
    ) -> None:
        self.wall = wall or WallClock()
        self.start: Millis = self.wall.epoch_millis() if start is None else start
        self._anchor_virtual: Millis = self.start
        self._anchor_real = self.wall.monotonic()
        self._pinned: Millis | None = None
        self._mode = ClockMode.MANUAL
        self._rate = 1.0
        self.set_mode(mode, rate)

    # -- reading -------------------------------------------------------------------------
    def now(self) -> Millis:
        """The current virtual instant (while an event fires: that event's due time)."""
        if self._pinned is not None:
            return self._pinned
        if self._mode is ClockMode.REALTIME:
            elapsed = self.wall.monotonic() - self._anchor_real
            return self._anchor_virtual + int(elapsed * self._rate * 1000)
        return self._anchor_virtual

    def __repr__(self) -> str:
        return f"VirtualClock({format_instant(self.now())}, mode={self._mode}, rate={self._rate})"

    @property
    def mode(self) -> ClockMode:
        return self._mode

    @property
    def rate(self) -> float:
        return self._rate

    # -- moving ----------------------------------------------------------------------------
    def set_to(self, instant: Millis) -> None:
        """Move virtual time to ``instant``; refuses to go backwards."""
        check_instant(instant)
        current = self.now()
        if instant < current:
            raise ClockError(
                f"the clock cannot go backwards: {format_instant(instant)} is before now "
                f"({format_instant(current)})"
            )
        self._anchor_virtual = instant
        if self._mode is ClockMode.REALTIME:  # elsewhere the real anchor is never read
            self._anchor_real = self.wall.monotonic()

    def pin(self, instant: Millis) -> None:
        """Hold ``now()`` at ``instant`` while an event due then runs (realtime may be later)."""
        self._pinned = instant

    def unpin(self) -> None:
        self._pinned = None

    def set_mode(self, mode: ClockMode | str, rate: float | None = None) -> None:
        """Switch mode; realtime runs at ``rate`` virtual seconds per real second."""
        mode = ClockMode(mode)
        new_rate = self._rate if rate is None else float(rate)
        if not new_rate > 0 or new_rate > 1e9:
            raise ClockError(f"rate must be a positive number of at most 1e9, not {rate!r}")
        frozen = self.now()
        self._mode = mode
        self._rate = new_rate
        self._anchor_virtual = frozen
        self._anchor_real = self.wall.monotonic()

    def reset(self, start: Millis | None = None) -> None:
        """Back to ``start`` (or the original start): the one move allowed backwards."""
        self._anchor_virtual = self.start if start is None else start
        if start is not None:
            self.start = start
        self._anchor_real = self.wall.monotonic()
        self._pinned = None

    # -- waiting (realtime driver) ----------------------------------------------------------
    def real_seconds_until(self, instant: Millis) -> float | None:
        """Real seconds until virtual ``instant`` arrives by itself, or None in manual modes."""
        if self._mode is not ClockMode.REALTIME:
            return None
        return max(0.0, (instant - self.now()) / 1000 / self._rate)

    async def wait(self, wake: asyncio.Event, instant: Millis | None) -> None:
        """Wait until ``instant`` comes by itself (realtime) or until ``wake`` is set.

        In manual and autojump modes time never comes by itself, so this waits for ``wake``.
        """
        timeout = None if instant is None else self.real_seconds_until(instant)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), timeout)


async def real_delay(seconds: float) -> None:
    """Wait real time: only for scripted response latency (testing a client's timeouts)."""
    await asyncio.sleep(seconds)


async def yield_to_loop() -> None:
    """Let other tasks run once (real time, never used to decide behaviour)."""
    await asyncio.sleep(0)


NowFunction = Callable[[], Millis]
