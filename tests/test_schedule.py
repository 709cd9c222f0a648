"""Tests for simulator.schedule: future events in (due, seq) order."""

from __future__ import annotations

import random
from typing import Any

import pytest

from simulator.schedule import Event, Schedule
from simulator.timefmt import parse_instant

FAR = parse_instant("2100-01-01T00:00:00Z")


def noop(payload: Any) -> None:
    """An action that does nothing."""


def drain(schedule: Schedule, now: int) -> list[Any]:
    """Pop every event due at or before ``now``; their payloads, in order."""
    popped: list[Any] = []
    while (event := schedule.pop_due(now)) is not None:
        popped.append(event.payload)
    return popped


def payloads(schedule: Schedule) -> list[Any]:
    return [event.payload for event in schedule]


def test_event_fields_and_fire() -> None:
    fired: list[str] = []
    schedule = Schedule()
    event = schedule.add(1234, fired.append, "hello", "send")
    assert isinstance(event, Event)
    assert event.due == 1234
    assert event.kind == "send"
    assert event.payload == "hello"
    assert event.seq >= 0
    event.fire()
    assert fired == ["hello"]
    assert "due=1234" in repr(event)
    assert "'send'" in repr(event)


def test_default_payload_and_kind() -> None:
    fired: list[Any] = []
    event = Schedule().add(5, fired.append)
    assert event.kind == ""
    event.fire()
    assert fired == [None]


def test_events_come_out_by_due() -> None:
    schedule = Schedule()
    for due in (30, 10, 50, 20, 40):
        schedule.add(due, noop, due)
    assert payloads(schedule) == [10, 20, 30, 40, 50]
    assert drain(schedule, 100) == [10, 20, 30, 40, 50]
    assert len(schedule) == 0


def test_ties_keep_fifo_order() -> None:
    schedule = Schedule()
    schedule.add(10, noop, "a")
    schedule.add(5, noop, "first")
    schedule.add(10, noop, "b")
    schedule.add(10, noop, "c")
    schedule.add(20, noop, "last")
    schedule.add(10, noop, "d")
    assert drain(schedule, 100) == ["first", "a", "b", "c", "d", "last"]


def test_sequence_numbers_increase() -> None:
    schedule = Schedule()
    events = [schedule.add(100 - i, noop) for i in range(10)]
    seqs = [event.seq for event in events]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == 10


def test_far_future_dues_keep_their_value() -> None:
    schedule = Schedule()
    late = schedule.add(FAR, noop, "late")
    early = schedule.add(FAR - 1, noop, "early")
    assert late.due == FAR
    assert early.due == FAR - 1
    assert payloads(schedule) == ["early", "late"]


def test_negative_due_is_refused() -> None:
    schedule = Schedule()
    with pytest.raises(ValueError, match="before the epoch"):
        schedule.add(-1, noop)
    event = schedule.add(0, noop)
    with pytest.raises(ValueError, match="before the epoch"):
        schedule.reschedule(event, -1)
    assert len(schedule) == 1
    assert event.due == 0


# -- cancel ---------------------------------------------------------------------------------------


def test_cancel_removes_once() -> None:
    schedule = Schedule()
    a = schedule.add(10, noop, "a")
    schedule.add(10, noop, "b")
    assert schedule.cancel(a) is True
    assert schedule.cancel(a) is False
    assert len(schedule) == 1
    assert drain(schedule, 100) == ["b"]


def test_cancel_after_firing_is_false() -> None:
    schedule = Schedule()
    event = schedule.add(10, noop)
    assert schedule.pop_due(10) is event
    assert schedule.cancel(event) is False


def test_cancel_of_an_event_from_another_schedule_is_false() -> None:
    mine, other = Schedule(), Schedule()
    mine.add(10, noop)
    stranger = other.add(10, noop)
    assert mine.cancel(stranger) is False
    assert len(mine) == 1


def test_cancel_picks_the_right_one_among_equal_dues() -> None:
    schedule = Schedule()
    events = [schedule.add(10, noop, i) for i in range(5)]
    assert schedule.cancel(events[2]) is True
    assert payloads(schedule) == [0, 1, 3, 4]


# -- reschedule -------------------------------------------------------------------------------


def test_reschedule_moves_after_events_already_due_then() -> None:
    schedule = Schedule()
    a = schedule.add(10, noop, "a")
    schedule.add(10, noop, "b")
    schedule.add(20, noop, "c")
    assert schedule.reschedule(a, 10) is a
    assert payloads(schedule) == ["b", "a", "c"]
    schedule.reschedule(a, 20)
    assert payloads(schedule) == ["b", "c", "a"]
    assert a.due == 20
    assert len(schedule) == 3


def test_reschedule_earlier_and_later() -> None:
    schedule = Schedule()
    a = schedule.add(50, noop, "a")
    schedule.add(30, noop, "b")
    schedule.reschedule(a, 5)
    assert payloads(schedule) == ["a", "b"]
    schedule.reschedule(a, 500)
    assert payloads(schedule) == ["b", "a"]
    assert drain(schedule, 100) == ["b"]
    assert drain(schedule, 500) == ["a"]


def test_reschedule_of_a_fired_or_cancelled_event_schedules_it_again() -> None:
    schedule = Schedule()
    fired = schedule.add(10, noop, "fired")
    cancelled = schedule.add(10, noop, "cancelled")
    assert schedule.pop_due(10) is fired
    schedule.cancel(cancelled)
    assert len(schedule) == 0
    schedule.reschedule(fired, 40)
    schedule.reschedule(cancelled, 30)
    assert payloads(schedule) == ["cancelled", "fired"]


# -- peek / next_due / pop_due ------------------------------------------------------------------


def test_peek_and_next_due_do_not_remove() -> None:
    schedule = Schedule()
    assert schedule.peek() is None
    assert schedule.next_due() is None
    schedule.add(20, noop, "b")
    a = schedule.add(10, noop, "a")
    assert schedule.peek() is a
    assert schedule.peek() is a
    assert schedule.next_due() == 10
    assert len(schedule) == 2


def test_pop_due_respects_now_inclusively() -> None:
    schedule = Schedule()
    schedule.add(10, noop, "a")
    schedule.add(20, noop, "b")
    assert schedule.pop_due(9) is None
    first = schedule.pop_due(10)
    assert first is not None
    assert first.payload == "a"
    assert schedule.pop_due(19) is None
    assert schedule.next_due() == 20
    second = schedule.pop_due(1000)
    assert second is not None
    assert second.payload == "b"
    assert schedule.pop_due(1000) is None


# -- len / iter / clear / version ---------------------------------------------------------------


def test_len_and_iter() -> None:
    schedule = Schedule()
    assert len(schedule) == 0
    assert list(schedule) == []
    events = [schedule.add(due, noop, due) for due in (3, 1, 2)]
    assert len(schedule) == 3
    assert list(schedule) == [events[1], events[2], events[0]]


def test_clear() -> None:
    schedule = Schedule()
    for due in range(10):
        schedule.add(due, noop)
    schedule.clear()
    assert len(schedule) == 0
    assert schedule.peek() is None
    assert schedule.pop_due(100) is None
    schedule.add(7, noop, "after")
    assert drain(schedule, 100) == ["after"]


def test_version_changes_with_every_change_and_only_then() -> None:
    schedule = Schedule()
    seen = [schedule.version]

    def changed() -> bool:
        seen.append(schedule.version)
        return seen[-1] != seen[-2]

    event = schedule.add(10, noop)
    assert changed()
    schedule.peek()
    schedule.next_due()
    list(schedule)
    assert not changed()
    schedule.reschedule(event, 20)
    assert changed()
    assert schedule.pop_due(5) is None
    assert not changed()
    assert schedule.cancel(event)
    assert changed()
    assert not schedule.cancel(event)
    assert not changed()
    schedule.add(1, noop)
    assert changed()
    assert schedule.pop_due(1) is not None
    assert changed()
    schedule.clear()
    assert changed()


# -- against a reference ------------------------------------------------------------------------


def test_random_operations_match_a_sorted_reference() -> None:
    """Thousands of adds, cancels, reschedules and pops, checked against a plain sorted list."""
    rng = random.Random(1234)
    schedule = Schedule()
    live: dict[int, Event] = {}
    reference: list[tuple[int, int, int]] = []  # (due, order of (re)scheduling, name)
    order = 0
    now = 0
    popped: list[int] = []
    expected_popped: list[int] = []
    for name in range(6000):
        roll = rng.random()
        if roll < 0.55 or not live:
            due = now + rng.randrange(0, 500)
            live[name] = schedule.add(due, noop, name)
            reference.append((due, order, name))
            order += 1
        elif roll < 0.7:
            victim = rng.choice(sorted(live))
            assert schedule.cancel(live.pop(victim)) is True
            reference = [entry for entry in reference if entry[2] != victim]
        elif roll < 0.85:
            victim = rng.choice(sorted(live))
            due = now + rng.randrange(0, 500)
            schedule.reschedule(live[victim], due)
            reference = [entry for entry in reference if entry[2] != victim]
            reference.append((due, order, victim))
            order += 1
        else:
            now += rng.randrange(0, 100)
            reference.sort()
            while reference and reference[0][0] <= now:
                expected_popped.append(reference.pop(0)[2])
            for payload in drain(schedule, now):
                popped.append(payload)
                del live[payload]
        if name % 500 == 0:
            reference.sort()
            assert [(e.due, e.payload) for e in schedule] == [(d, n) for d, _, n in reference]
    assert len(popped) > 500  # the sequence really exercised popping
    assert popped == expected_popped
    reference.sort()
    assert len(schedule) == len(reference)
    assert [(e.due, e.payload) for e in schedule] == [(d, n) for d, _, n in reference]
    assert schedule.next_due() == (reference[0][0] if reference else None)
    assert drain(schedule, now + 1000) == [name for _, _, name in reference]
    assert len(schedule) == 0
