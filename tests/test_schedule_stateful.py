"""The schedule against a sorted-list reference, as a Hypothesis state machine: random adds,
cancels (of live, fired and already cancelled events), reschedules (which schedule a fired
event again) and pops, with the whole order compared after every step. ``tests/test_schedule.py``
has the fixed-seed version of the same comparison."""

from __future__ import annotations

from typing import Final

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule
from reliability import PROPERTY_EXAMPLES_RUN, PROPERTY_STEPS

from simulator.schedule import Event, Schedule

DUES: Final = st.integers(0, 50)  # few distinct instants: ties (FIFO order) are common


def noop(_: object) -> None:
    return None


class ScheduleMachine(RuleBasedStateMachine):
    events = Bundle("events")

    def __init__(self) -> None:
        super().__init__()
        self.schedule = Schedule()
        self.reference: list[tuple[int, int, int]] = []
        """(due, order of (re)scheduling, name), kept sorted: what the schedule must hold."""
        self.order = 0
        self.names = 0
        self.now = 0

    def _place(self, due: int, name: int) -> None:
        self.reference = [entry for entry in self.reference if entry[2] != name]
        self.reference.append((due, self.order, name))
        self.reference.sort()
        self.order += 1

    def _live(self, event: Event) -> bool:
        return any(entry[2] == event.payload for entry in self.reference)

    @rule(target=events, ahead=DUES)
    def add(self, ahead: int) -> Event:
        self.names += 1
        event = self.schedule.add(self.now + ahead, noop, self.names)
        self._place(self.now + ahead, self.names)
        return event

    @rule(event=events)
    def cancel(self, event: Event) -> None:
        live = self._live(event)
        assert self.schedule.cancel(event) is live
        self.reference = [entry for entry in self.reference if entry[2] != event.payload]

    @rule(event=events, ahead=DUES)
    def reschedule(self, event: Event, ahead: int) -> None:
        assert self.schedule.reschedule(event, self.now + ahead) is event
        self._place(self.now + ahead, event.payload)

    @rule(by=st.integers(0, 30))
    def pop_due(self, by: int) -> None:
        self.now += by
        popped = []
        while (event := self.schedule.pop_due(self.now)) is not None:
            assert event.due <= self.now
            popped.append(event.payload)
        expected = [name for due, _, name in self.reference if due <= self.now]
        self.reference = [entry for entry in self.reference if entry[0] > self.now]
        assert popped == expected

    @invariant()
    def matches_the_reference(self) -> None:
        assert [(e.due, e.payload) for e in self.schedule] == [(d, n) for d, _, n in self.reference]
        assert len(self.schedule) == len(self.reference)
        first = self.schedule.peek()
        assert (first.payload if first else None) == (
            self.reference[0][2] if self.reference else None
        )
        assert self.schedule.next_due() == (self.reference[0][0] if self.reference else None)


ScheduleMachine.TestCase.settings = settings(
    max_examples=PROPERTY_EXAMPLES_RUN,
    stateful_step_count=PROPERTY_STEPS,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestScheduleModel = ScheduleMachine.TestCase
