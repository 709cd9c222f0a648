"""The schedule of future events: the only module that touches ``sortedcontainers``.

Events fire in ``(due, seq)`` order, where ``seq`` comes from one ever-increasing counter, so
events due at the same instant fire in the order they were scheduled (FIFO). The distinct
due instants are kept in a :class:`sortedcontainers.SortedList`; the events of one instant
sit in an insertion-ordered dict in ``seq`` order (inserting keeps it, since ``seq`` only
grows). A bulk
of a million messages due at one instant is one sorted entry and a million list  insertions, and
the engine takes a whole instant off the schedule at once (:meth:`Schedule.take_due`).

Costs, for ``n`` scheduled events over ``d`` distinct instants: :meth:`Schedule.add` is
O(1) when its instant already has events and O(log d) otherwise; :meth:`Schedule.cancel` is
O(1) (O(log d) when it empties its instant); :meth:`Schedule.reschedule` is a
cancel and an add; :meth:`Schedule.take_due` is O(log d + k) for the k events it returns;
:meth:`Schedule.next_due` is O(1).

>>> fired = []
>>> s = Schedule()
>>> a = s.add(20, fired.append, "a")
>>> b = s.add(10, fired.append, "b")
>>> c = s.add(10, fired.append, "c")
>>> s.cancel(c)
True
>>> s.reschedule(a, 5) is a
True
>>> while (event := s.pop_due(100)) is not None:
...     event.fire()
>>> fired
['a', 'b']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import count
from typing import Any

from sortedcontainers import SortedList

from simulator.timefmt import Millis

Action = Callable[[Any], None]

DONE = 0
"""Fired, popped or cancelled: the event is not on the schedule."""
SCHEDULED = 1
"""Waiting on the schedule for its instant."""
TAKEN = 2
"""Taken off the schedule by :meth:`Schedule.take_due`, not fired yet."""


class Event:
    """One future happening: at ``due``, call ``action(payload)``."""

    __slots__ = ("action", "due", "kind", "owner", "payload", "seq", "state")

    def __init__(
        self, owner: Schedule, seq: int, due: Millis, action: Action, payload: Any, kind: str
    ) -> None:
        self.owner = owner
        """The schedule it belongs to (cancelling it on another is refused)."""
        self.seq = seq
        self.due: Millis = due
        """Kept as given, so every timestamp recorded while the event fires shares the one
        integer object: retained timelines stay small."""
        self.action = action
        self.payload = payload
        self.kind = kind
        self.state = SCHEDULED

    def fire(self) -> None:
        self.action(self.payload)

    def __repr__(self) -> str:
        return f"Event(due={self.due}, seq={self.seq}, kind={self.kind!r})"


_Instant = dict[Event, None]
"""The events due at one instant, in ``seq`` order: an insertion-ordered dict used as a set,
so cancelling is a plain O(1) removal and rescheduling re-inserts at the end."""


class Schedule:
    """Future events in ``(due, seq)`` order."""

    def __init__(self) -> None:
        self._dues: SortedList = SortedList()
        self._instants: dict[Millis, _Instant] = {}
        self._count = 0
        self._seq = count()
        self.version = 0
        """Bumped on every change, so a waiting driver can tell that it should look again."""

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Event]:
        instants = self._instants
        for due in list(self._dues):
            yield from list(instants.get(due, ()))

    # -- adding and removing --------------------------------------------------------------------
    def add(self, due: Millis, action: Action, payload: Any = None, kind: str = "") -> Event:
        """Schedule ``action(payload)`` at ``due``."""
        if due < 0:
            raise ValueError("an event cannot be due before the epoch")
        event = Event(self, next(self._seq), due, action, payload, kind)
        self._place(event)
        return event

    def _place(self, event: Event) -> None:
        due = event.due
        instant = self._instants.get(due)
        if instant is None:
            instant = self._instants[due] = {}
            self._dues.add(due)
        instant[event] = None
        self._count += 1
        self.version += 1

    def _drop_instant(self, due: Millis) -> None:
        del self._instants[due]
        self._dues.remove(due)

    def cancel(self, event: Event) -> bool:
        """Take an event off the schedule; False when it already fired or was cancelled.

        An event taken by :meth:`take_due` and not fired yet is cancelled too: it will not fire.
        """
        state = event.state
        if state == DONE or event.owner is not self:
            return False
        event.state = DONE
        self.version += 1
        if state == TAKEN:
            return True
        self._count -= 1
        instant = self._instants[event.due]
        del instant[event]
        if not instant:
            self._drop_instant(event.due)
        return True

    def reschedule(self, event: Event, due: Millis) -> Event:
        """Move an event to ``due``; it goes after events already due then.

        An event that already fired or was cancelled is scheduled again.
        """
        if due < 0:
            raise ValueError("an event cannot be due before the epoch")
        self.cancel(event)
        event.owner = self
        event.seq = next(self._seq)
        event.due = due
        event.state = SCHEDULED
        self._place(event)
        return event

    def clear(self) -> None:
        for instant in self._instants.values():
            for event in instant:
                event.state = DONE
        self._instants.clear()
        self._dues.clear()
        self._count = 0
        self.version += 1

    # -- looking and taking ---------------------------------------------------------------------
    def peek(self) -> Event | None:
        """The next event, without removing it."""
        if not self._dues:
            return None
        return next(iter(self._instants[self._dues[0]]))

    def next_due(self) -> Millis | None:
        due: Millis | None = self._dues[0] if self._dues else None
        return due

    def pop_due(self, now: Millis) -> Event | None:
        """Remove and return the next event if it is due at or before ``now``."""
        if not self._dues or self._dues[0] > now:
            return None
        due = self._dues[0]
        instant = self._instants[due]
        event = next(iter(instant))
        del instant[event]
        event.state = DONE
        self._count -= 1
        if not instant:
            self._drop_instant(due)
        self.version += 1
        return event

    def take_due(self, now: Millis) -> list[Event]:
        """Remove and return, in order, every event due at the earliest scheduled instant, if
        that instant is at or before ``now``; ``[]`` otherwise.

        The events are marked ``TAKEN``: the caller fires each one still taken (marking it
        ``DONE``) and hands back with :meth:`put_back` any it does not fire. Cancelling a
        taken event marks it ``DONE``. Events added meanwhile at the same instant come after
        the whole batch (they have later sequence numbers), so firing batch by batch keeps the
        ``(due, seq)`` order.
        """
        dues = self._dues
        if not dues or dues[0] > now:
            return []
        due = dues.pop(0)
        batch = list(self._instants.pop(due))
        for event in batch:
            event.state = TAKEN
        self._count -= len(batch)
        self.version += 1
        return batch

    def put_back(self, events: list[Event]) -> None:
        """Return taken, unfired events (of one instant, in order) to the schedule, ahead of
        anything scheduled at that instant since they were taken."""
        kept = [event for event in events if event.state == TAKEN]
        if not kept:
            return
        due = kept[0].due
        later = self._instants.get(due)
        if later is None:
            self._dues.add(due)
        for event in kept:
            event.state = SCHEDULED
        instant = self._instants[due] = dict.fromkeys(kept)
        if later:
            instant.update(later)
        self._count += len(kept)
        self.version += 1
