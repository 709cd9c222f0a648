"""The schedule of future events: the only module that touches ``sortedcontainers``.

Events are kept in a :class:`sortedcontainers.SortedKeyList` ordered by ``(due, seq)``, where
``seq`` comes from one ever-increasing counter, so events due at the same instant fire in
the order they were scheduled (FIFO). The pair is packed into one integer key
(``due << 40 | seq``) so comparisons are single integer compares.

Costs, for ``n`` scheduled events: :meth:`Schedule.add`, :meth:`Schedule.cancel`,
:meth:`Schedule.reschedule` and :meth:`Schedule.pop_due` are O(log n); :meth:`Schedule.peek`
is O(1). A sorted list makes cancel and reschedule a plain removal where a heap would need
stale-entry pruning.

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
from operator import attrgetter
from typing import Any

from sortedcontainers import SortedKeyList

from simulator.timefmt import Millis

_SEQ_BITS = 40
_SEQ_MASK = (1 << _SEQ_BITS) - 1

Action = Callable[[Any], None]


class Event:
    """One future happening: at ``due``, call ``action(payload)``."""

    __slots__ = ("action", "due", "kind", "key", "payload")

    def __init__(
        self, key: int, action: Action, payload: Any, kind: str, due: Millis | None = None
    ) -> None:
        self.key = key
        self.due: Millis = key >> _SEQ_BITS if due is None else due
        """Kept as given (not recomputed from ``key``), so every timestamp recorded while the
        event fires shares the one integer object: retained timelines stay small."""
        self.action = action
        self.payload = payload
        self.kind = kind

    @property
    def seq(self) -> int:
        return self.key & _SEQ_MASK

    def fire(self) -> None:
        self.action(self.payload)

    def __repr__(self) -> str:
        return f"Event(due={self.due}, seq={self.seq}, kind={self.kind!r})"


class Schedule:
    """Future events in ``(due, seq)`` order."""

    def __init__(self) -> None:
        self._events: SortedKeyList = SortedKeyList(key=attrgetter("key"))
        self._seq = count()
        self.version = 0
        """Bumped on every change, so a waiting driver can tell that it should look again."""

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def add(self, due: Millis, action: Action, payload: Any = None, kind: str = "") -> Event:
        """Schedule ``action(payload)`` at ``due``. O(log n)."""
        if due < 0:
            raise ValueError("an event cannot be due before the epoch")
        event = Event((due << _SEQ_BITS) | next(self._seq), action, payload, kind, due)
        self._events.add(event)
        self.version += 1
        return event

    def cancel(self, event: Event) -> bool:
        """Remove a scheduled event; False when it already fired or was cancelled. O(log n)."""
        try:
            self._events.remove(event)
        except ValueError:
            return False
        self.version += 1
        return True

    def reschedule(self, event: Event, due: Millis) -> Event:
        """Move an event to ``due``; it goes after events already due then. O(log n).

        An event that already fired or was cancelled is scheduled again.
        """
        if due < 0:
            raise ValueError("an event cannot be due before the epoch")
        self.cancel(event)
        event.key = (due << _SEQ_BITS) | next(self._seq)
        event.due = due
        self._events.add(event)
        self.version += 1
        return event

    def peek(self) -> Event | None:
        """The next event, without removing it. O(1)."""
        return self._events[0] if self._events else None

    def next_due(self) -> Millis | None:
        return self._events[0].key >> _SEQ_BITS if self._events else None

    def pop_due(self, now: Millis) -> Event | None:
        """Remove and return the next event if it is due at or before ``now``. O(log n)."""
        events = self._events
        if events and events[0].key >> _SEQ_BITS <= now:
            self.version += 1
            event: Event = events.pop(0)
            return event
        return None

    def clear(self) -> None:
        self._events.clear()
        self.version += 1
