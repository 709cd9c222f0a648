"""Taking a whole instant off the schedule at once (what the engine does), and the engine's
batch firing: order, cancellation of taken events, pausing mid-batch."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.clock import VirtualClock
from simulator.engine import Engine
from simulator.schedule import DONE, SCHEDULED, TAKEN, Event, Schedule


def noop(_: Any) -> None:
    pass


def test_take_due_returns_one_instant_in_order_and_marks_it_taken() -> None:
    schedule = Schedule()
    a = schedule.add(10, noop, "a")
    later = schedule.add(20, noop, "later")
    b = schedule.add(10, noop, "b")
    assert schedule.take_due(9) == []
    batch = schedule.take_due(100)
    assert batch == [a, b]
    assert all(event.state == TAKEN for event in batch)
    assert len(schedule) == 1
    assert schedule.next_due() == 20
    assert list(schedule) == [later]


def test_a_taken_event_can_be_cancelled_once() -> None:
    schedule = Schedule()
    event = schedule.add(10, noop)
    [taken] = schedule.take_due(10)
    assert taken is event
    assert schedule.cancel(event) is True
    assert event.state == DONE
    assert schedule.cancel(event) is False


def test_put_back_goes_ahead_of_events_added_at_that_instant_meanwhile() -> None:
    schedule = Schedule()
    a = schedule.add(10, noop, "a")
    b = schedule.add(10, noop, "b")
    batch = schedule.take_due(10)
    a.state = DONE  # a fired
    c = schedule.add(10, noop, "c")  # scheduled by a, at the same instant
    schedule.put_back(batch)
    assert b.state == SCHEDULED
    assert list(schedule) == [b, c]
    assert len(schedule) == 2
    assert schedule.take_due(10) == [b, c]


def test_reschedule_to_the_same_instant_moves_to_its_end() -> None:
    schedule = Schedule()
    a = schedule.add(10, noop, "a")
    b = schedule.add(10, noop, "b")
    assert schedule.reschedule(a, 10) is a
    assert list(schedule) == [b, a]
    assert len(schedule) == 2


def test_cancelling_the_last_event_of_an_instant_drops_the_instant() -> None:
    schedule = Schedule()
    event = schedule.add(10, noop)
    schedule.add(20, noop)
    schedule.cancel(event)
    assert schedule.next_due() == 20
    assert [e.due for e in schedule.take_due(100)] == [20]


def test_clear_leaves_nothing_to_cancel() -> None:
    schedule = Schedule()
    event = schedule.add(10, noop)
    schedule.clear()
    assert schedule.cancel(event) is False
    assert len(schedule) == 0
    assert schedule.next_due() is None


def test_an_event_cancelled_by_an_earlier_one_in_its_batch_does_not_fire() -> None:
    clock = VirtualClock(start=0)
    schedule = Schedule()
    engine = Engine(clock, schedule)
    fired: list[str] = []
    victim: list[Event] = []

    def killer(_: Any) -> None:
        fired.append("killer")
        schedule.cancel(victim[0])

    schedule.add(5, killer)
    victim.append(schedule.add(5, fired.append, "victim"))
    schedule.add(5, fired.append, "survivor")
    assert engine.advance_to(10) == 2
    assert fired == ["killer", "survivor"]
    assert len(schedule) == 0


def test_pausing_mid_batch_hands_the_rest_back_in_order() -> None:
    clock = VirtualClock(start=0)
    schedule = Schedule()
    engine = Engine(clock, schedule)
    fired: list[str] = []
    for name in ("a", "b", "c"):
        schedule.add(5, fired.append, name)
    count, paused = engine.step_until(10, lambda: fired[-1] == "a")
    assert (count, paused) == (1, True)
    assert clock.now() == 5
    assert [event.payload for event in schedule] == ["b", "c"]
    assert engine.step_until(10, lambda: False) == (2, False)
    assert fired == ["a", "b", "c"]


def test_an_event_that_raises_does_not_stop_its_batch() -> None:
    clock = VirtualClock(start=0)
    schedule = Schedule()
    engine = Engine(clock, schedule)
    fired: list[str] = []

    def boom(_: Any) -> None:
        raise RuntimeError("boom")

    schedule.add(5, boom, None, "bad")
    schedule.add(5, fired.append, "after")
    assert engine.advance_to(5) == 2
    assert fired == ["after"]
    assert len(engine.failures) == 1


operations = st.lists(
    st.tuples(st.sampled_from(["add", "cancel", "reschedule", "take"]), st.integers(0, 6)),
    max_size=60,
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(operations)
def test_batches_come_out_in_due_then_seq_order(ops: list[tuple[str, int]]) -> None:
    """Against a plain model: what is taken, batch after batch, is the (due, seq) order."""
    schedule = Schedule()
    model: dict[Event, tuple[int, int]] = {}
    events: list[Event] = []
    taken: list[Event] = []
    for op, value in ops:
        if op == "add":
            event = schedule.add(value, noop)
            events.append(event)
            model[event] = (value, event.seq)
        elif op == "cancel" and events:
            event = events[value % len(events)]
            assert schedule.cancel(event) is (event in model)
            model.pop(event, None)
        elif op == "reschedule" and events:
            event = events[value % len(events)]
            schedule.reschedule(event, value)
            model[event] = (value, event.seq)
        elif op == "take":
            batch = schedule.take_due(value)
            due = min((due for due, _ in model.values()), default=None)
            if due is None or due > value:
                assert batch == []
                continue
            expected = sorted(
                (e for e, key in model.items() if key[0] == due), key=model.__getitem__
            )
            assert batch == expected
            for event in batch:
                event.state = DONE
                del model[event]
            taken.extend(batch)
        assert len(schedule) == len(model)
        assert list(schedule) == sorted(model, key=model.__getitem__)
