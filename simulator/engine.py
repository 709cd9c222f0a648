"""Moves the clock and fires the events that fall due, in ``(due, seq)`` order.

Advancing fires every event due up to the target, including events scheduled by events fired
during the same advance, and leaves the clock at the target. While an event fires, the clock
is pinned at that event's due time, so every timestamp it records is exact even in realtime
mode, where the pump may run a little late.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from simulator.clock import LATEST_INSTANT, ClockError, VirtualClock
from simulator.schedule import DONE, TAKEN, Event, Schedule
from simulator.timefmt import Millis, format_instant

log = logging.getLogger("simulator.engine")


class Engine:
    """The clock and the schedule, driven together."""

    def __init__(self, clock: VirtualClock, schedule: Schedule) -> None:
        self.clock = clock
        self.schedule = schedule
        self.fired = 0
        self.failures: list[str] = []
        """Events whose action raised: logged, recorded here, and the run goes on."""
        self.after_move: list[Callable[[], object]] = []
        """Called after every advance and every ``run_due`` (the retention sweep's check)."""

    def now(self) -> Millis:
        return self.clock.now()

    def _fire_batch(
        self, batch: list[Event], pause: Callable[[], bool] | None = None
    ) -> tuple[int, bool]:
        """Fire the events of one instant (from :meth:`Schedule.take_due`) in order, with the
        clock pinned at that instant; stop early when ``pause()`` turns true, handing the rest
        back to the schedule. Returns the count fired and whether it paused."""
        clock = self.clock
        due = batch[0].due
        if due > clock.now():
            clock.set_to(due)
        clock.pin(due)
        fired = 0
        finished = False
        fire = self._fire
        try:
            for event in batch:
                if event.state != TAKEN:  # cancelled by an event fired before it
                    continue
                event.state = DONE
                fired += 1
                fire(event)
                if pause is not None and pause():
                    return fired, True
            finished = True
            return fired, False
        finally:
            clock.unpin()
            self.fired += fired
            if not finished:  # paused or interrupted: what did not fire goes back
                self.schedule.put_back(batch)

    def _fire(self, event: Event) -> None:
        """Run one event's action (the clock is already pinned at its instant)."""
        try:
            event.action(event.payload)
        except Exception as exc:  # an event must never stop the simulation
            log.exception("event %r failed", event)
            self.failures.append(f"{format_instant(event.due)} {event.kind}: {exc!r}")

    def run_due(self) -> int:
        """Fire every event already due at ``now`` (the clock does not move)."""
        fired = self._run_until(self.clock.now())
        for hook in self.after_move:
            hook()
        return fired

    def _run_until(self, target: Millis) -> int:
        fired = 0
        take = self.schedule.take_due
        while batch := take(target):
            fired += self._fire_batch(batch)[0]
        return fired

    def step_until(self, target: Millis, pause: Callable[[], bool]) -> tuple[int, bool]:
        """Fire due events up to ``target`` one by one, stopping early as soon as ``pause()``
        is true (an event started work that must finish first, such as a webhook push).

        Returns the count fired and whether it paused. The clock is left at the last event.
        """
        fired = 0
        take = self.schedule.take_due
        while batch := take(target):
            count, paused = self._fire_batch(batch, pause)
            fired += count
            if paused:
                return fired, True
        return fired, False

    def advance_to(self, target: Millis) -> int:
        """Fire everything due up to ``target`` and leave the clock there; returns the count."""
        now = self.clock.now()
        if target < now:
            raise ClockError(
                f"the clock cannot go backwards: {format_instant(target)} is before now "
                f"({format_instant(now)})"
            )
        fired = self._run_until(target)
        if target > self.clock.now():
            self.clock.set_to(target)
        for hook in self.after_move:
            hook()
        return fired

    def advance(self, delta: Millis) -> int:
        """Advance by ``delta`` milliseconds (never negative)."""
        if delta < 0:
            raise ClockError("the clock cannot go backwards: a negative advance was asked for")
        return self.advance_to(self.clock.now() + delta)

    def advance_to_next(self) -> Millis | None:
        """Jump to the next scheduled event and fire everything due at that instant.

        Returns the new instant, or None (and the clock stays) when nothing is scheduled.
        """
        self.run_due()
        due = self.schedule.next_due()
        if due is None:
            return None
        self.advance_to(max(due, self.clock.now()))
        return self.clock.now()

    def run_until_idle(self, max_events: int = 10_000_000) -> int:
        """Advance event by event until nothing is scheduled (bounded by ``max_events``)."""
        fired = self.run_due()
        take = self.schedule.take_due
        hooks = self.after_move
        while fired < max_events and (batch := take(LATEST_INSTANT)):
            fired += self._fire_batch(batch)[0]
            for hook in hooks:
                hook()
        return fired
