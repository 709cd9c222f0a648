"""Tests for simulator.engine: advancing the clock fires due events in (due, seq) order."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from simulator.clock import ClockError, ClockMode, FakeWallClock, VirtualClock
from simulator.engine import Engine
from simulator.schedule import Schedule

START = 1_000_000


class Rig:
    """An engine on a manual (or realtime) clock, and a log of what fired when."""

    def __init__(self, mode: ClockMode = ClockMode.MANUAL, rate: float = 1.0) -> None:
        self.wall = FakeWallClock()
        self.clock = VirtualClock(START, mode=mode, rate=rate, wall=self.wall)
        self.schedule = Schedule()
        self.engine = Engine(self.clock, self.schedule)
        self.log: list[tuple[str, int]] = []

    def record(self, name: str) -> Callable[[Any], None]:
        """An action that notes its name and the clock's time when it runs."""

        def action(_: Any) -> None:
            self.log.append((name, self.clock.now()))

        return action

    def at(self, offset: int, name: str) -> None:
        """Schedule a recording event ``offset`` ms after START."""
        self.schedule.add(START + offset, self.record(name), None, name)

    def names(self) -> list[str]:
        return [name for name, _ in self.log]


def test_advance_fires_due_events_in_order_and_leaves_the_clock_at_target() -> None:
    rig = Rig()
    rig.at(30, "c")
    rig.at(10, "a")
    rig.at(20, "b1")
    rig.at(20, "b2")
    rig.at(60, "later")
    assert rig.engine.advance(50) == 4
    assert rig.log == [("a", START + 10), ("b1", START + 20), ("b2", START + 20), ("c", START + 30)]
    assert rig.clock.now() == START + 50
    assert rig.engine.fired == 4
    assert len(rig.schedule) == 1


def test_advance_fires_an_event_due_exactly_at_the_target() -> None:
    rig = Rig()
    rig.at(50, "edge")
    assert rig.engine.advance_to(START + 50) == 1
    assert rig.log == [("edge", START + 50)]


def test_advance_zero_fires_what_is_due_now() -> None:
    rig = Rig()
    rig.at(0, "now")
    rig.at(1, "soon")
    assert rig.engine.advance(0) == 1
    assert rig.names() == ["now"]
    assert rig.clock.now() == START


def test_cascades_before_the_target_fire_in_the_same_advance() -> None:
    rig = Rig()

    def parent(_: Any) -> None:
        rig.log.append(("parent", rig.clock.now()))
        now = rig.clock.now()
        rig.schedule.add(now + 5, rig.record("child-before-target"))
        rig.schedule.add(now + 90, rig.record("child-at-target"))
        rig.schedule.add(now + 91, rig.record("child-after-target"))
        rig.schedule.add(now, rig.record("child-same-instant"))

    rig.schedule.add(START + 10, parent)
    rig.at(10, "sibling")  # scheduled before the children, so it fires before them
    rig.at(12, "between")
    assert rig.engine.advance(100) == 6
    assert rig.log == [
        ("parent", START + 10),
        ("sibling", START + 10),
        ("child-same-instant", START + 10),
        ("between", START + 12),
        ("child-before-target", START + 15),
        ("child-at-target", START + 100),
    ]
    assert rig.clock.now() == START + 100
    next_event = rig.schedule.peek()
    assert next_event is not None
    assert next_event.due == START + 101
    rig.engine.advance(1)
    assert rig.log[-1] == ("child-after-target", START + 101)


def test_chained_cascade_runs_to_the_target() -> None:
    rig = Rig()
    hops: list[int] = []

    def hop(count: Any) -> None:
        hops.append(rig.clock.now())
        rig.schedule.add(rig.clock.now() + 10, hop, count + 1)

    rig.schedule.add(START, hop, 0)
    assert rig.engine.advance(45) == 5
    assert hops == [START, START + 10, START + 20, START + 30, START + 40]
    assert rig.schedule.next_due() == START + 50


def test_clock_equals_the_event_due_while_it_runs() -> None:
    rig = Rig()
    for offset in (1, 7, 7, 500, 999):
        rig.at(offset, f"e{offset}")
    rig.engine.advance(1000)
    assert [when - START for _, when in rig.log] == [1, 7, 7, 500, 999]
    assert rig.clock.now() == START + 1000


def test_realtime_clock_is_pinned_at_the_due_time_while_the_event_runs() -> None:
    rig = Rig(ClockMode.REALTIME, rate=60)
    rig.at(1000, "late")
    rig.wall.tick(1)  # a minute of virtual time passes before the pump gets to run
    assert rig.clock.now() == START + 60_000
    assert rig.engine.run_due() == 1
    assert rig.log == [("late", START + 1000)]
    assert rig.clock.now() == START + 60_000  # unpinned afterwards


def test_advance_to_next_with_nothing_scheduled() -> None:
    rig = Rig()
    assert rig.engine.advance_to_next() is None
    assert rig.clock.now() == START
    assert rig.engine.fired == 0


def test_advance_to_next_fires_only_what_is_due_at_the_next_instant() -> None:
    rig = Rig()
    rig.at(50, "a")
    rig.at(50, "b")
    rig.at(70, "c")
    assert rig.engine.advance_to_next() == START + 50
    assert rig.names() == ["a", "b"]
    assert rig.clock.now() == START + 50
    assert rig.engine.advance_to_next() == START + 70
    assert rig.names() == ["a", "b", "c"]
    assert rig.engine.advance_to_next() is None
    assert rig.clock.now() == START + 70


def test_advance_to_next_fires_what_is_already_due_first() -> None:
    rig = Rig()
    rig.at(0, "due-now")
    rig.at(100, "next")
    assert rig.engine.advance_to_next() == START + 100
    assert rig.log == [("due-now", START), ("next", START + 100)]


def test_run_until_idle_plays_everything_out() -> None:
    rig = Rig()

    def countdown(left: Any) -> None:
        rig.log.append((f"t{left}", rig.clock.now()))
        if left:
            rig.schedule.add(rig.clock.now() + 1000, countdown, left - 1)

    rig.schedule.add(START + 10, countdown, 3)
    rig.at(0, "first")
    assert rig.engine.run_until_idle() == 5
    assert rig.log == [
        ("first", START),
        ("t3", START + 10),
        ("t2", START + 1010),
        ("t1", START + 2010),
        ("t0", START + 3010),
    ]
    assert rig.clock.now() == START + 3010
    assert len(rig.schedule) == 0
    assert rig.engine.run_until_idle() == 0


def test_run_until_idle_is_bounded() -> None:
    rig = Rig()

    def forever(_: Any) -> None:
        rig.schedule.add(rig.clock.now() + 10, forever)

    rig.schedule.add(START + 10, forever)
    assert rig.engine.run_until_idle(max_events=5) == 5
    assert rig.clock.now() == START + 50
    assert len(rig.schedule) == 1


def test_run_due_does_not_move_the_clock() -> None:
    rig = Rig()
    rig.at(0, "now")
    rig.at(1, "future")
    assert rig.engine.run_due() == 1
    assert rig.names() == ["now"]
    assert rig.clock.now() == START
    assert rig.engine.run_due() == 0


@pytest.mark.parametrize("delta", [-1, -1000])
def test_negative_advance_is_refused(delta: int) -> None:
    rig = Rig()
    rig.at(0, "due")
    with pytest.raises(ClockError, match="negative advance"):
        rig.engine.advance(delta)
    assert rig.log == []
    assert rig.clock.now() == START


def test_advance_to_the_past_is_refused() -> None:
    rig = Rig()
    rig.engine.advance(100)
    rig.at(100, "due")
    with pytest.raises(ClockError, match="cannot go backwards"):
        rig.engine.advance_to(START + 99)
    assert rig.log == []
    assert rig.clock.now() == START + 100
    assert rig.engine.advance_to(START + 100) == 1


def test_failing_event_is_recorded_and_the_run_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    rig = Rig()

    def boom(_: Any) -> None:
        raise RuntimeError("kaput")

    rig.at(10, "before")
    rig.schedule.add(START + 20, boom, None, "explode")
    rig.at(20, "same-instant-after")
    rig.at(30, "after")
    with caplog.at_level(logging.ERROR, logger="simulator.engine"):
        assert rig.engine.advance(100) == 4
    assert rig.names() == ["before", "same-instant-after", "after"]
    assert len(rig.engine.failures) == 1
    failure = rig.engine.failures[0]
    assert "explode" in failure
    assert "RuntimeError('kaput')" in failure
    assert "1970-01-01T00:16:40.020+0000" in failure  # the due time of the failed event
    assert rig.clock.now() == START + 100  # not left pinned at the failure
    assert any("failed" in record.getMessage() for record in caplog.records)


def test_realtime_advance_leaves_the_clock_at_the_target() -> None:
    rig = Rig(ClockMode.REALTIME)
    rig.at(500, "a")
    assert rig.engine.advance(1000) == 1
    assert rig.clock.now() == START + 1000
    rig.wall.tick(1)
    assert rig.clock.now() == START + 2000
