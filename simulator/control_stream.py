"""Control plane: ``GET /__sim/stream``, live change notifications as server-sent events.

The stream says *that* something changed, never what it now is: each ``changed`` event
carries a version number, the kinds of change since the last event (``messages``,
``inbound``, ``webhooks``, ``requests``, ``reset``, ``clock``, ``events``), the clock
(``GET /__sim/clock``'s object) and a few counts. A listener then fetches what it shows. The
first event is sent on connect; bursts are coalesced (at most one event per
:data:`MIN_INTERVAL`), and a comment is sent every :data:`KEEPALIVE` seconds when idle.

Where the changes come from (:class:`ChangeFeed`), without looking at the domain in a loop:

* the gateway's ``status_listeners`` (every status change of every message) and
  ``inbound_listeners``; the simulator's ``reset_hooks`` (a reset or a scenario load);
* every request that can change state: any non-GET request, and the GET query sends
  (``/sms/*/text/query``), seen when its response is prepared, so after the clock moved and
  the webhook pushes it caused were attempted;
* webhook pushes in flight: when one finishes (the receiver answered, or not), the feed hears
  of it, so an attempt's response code shows up even when no request moved the clock;
* in realtime mode, the stream also looks again just after the next scheduled event's time,
  when the pump will have fired it. On every wake it compares the clock and the engine's
  count of fired events with what it last sent, which catches moves made in-process (the
  pytest plugin advancing the clock from Python), at the latest at the next keep-alive.

The waiting is real time (network pacing, not simulated behaviour).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import weakref
from collections.abc import AsyncIterator, Iterable
from typing import Any

from aiohttp import web

from simulator.api.common import DRIVER, SIMULATOR, sim
from simulator.api.middleware import is_control
from simulator.clock import ClockMode
from simulator.control import clock_state
from simulator.core import Simulator
from simulator.models import InboundMessage, Message

MIN_INTERVAL = 0.25
"""Real seconds between two events of one stream (changes in between are coalesced)."""
KEEPALIVE = 5.0
"""Real seconds of silence after which a keep-alive comment is sent (and the clock looked at)."""
REALTIME_MARGIN = 0.05
"""How long after the next event's real time the stream looks again, in realtime mode."""
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


class ChangeFeed:
    """A version counter bumped on every change, and a way to wait for the next bump.

    Touching is cheap (an integer and a dict entry; an ``asyncio.Event`` is set only when a
    stream is waiting), so a status change of each of 100,000 messages costs next to nothing.
    :meth:`touch` may be called from any thread.
    """

    def __init__(self) -> None:
        self.version = 0
        self.closed = False
        self._kinds: dict[str, int] = {}
        self._event: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: int | None = None
        self._watched: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()

    # -- changes -------------------------------------------------------------------------
    def touch(self, kind: str) -> None:
        self.version += 1
        self._kinds[kind] = self.version
        event, self._event = self._event, None
        if event is None:
            return
        loop = self._loop
        if loop is None or threading.get_ident() == self._thread:
            event.set()
        elif not loop.is_closed():
            loop.call_soon_threadsafe(event.set)

    def kinds_since(self, version: int) -> set[str]:
        """The kinds of change after ``version``."""
        return {kind for kind, at in self._kinds.items() if at > version}

    def watch(self, tasks: Iterable[asyncio.Task[Any]]) -> None:
        """Hear when each of ``tasks`` (webhook pushes in flight) finishes."""
        for task in tasks:
            if task not in self._watched:
                self._watched.add(task)
                task.add_done_callback(self._push_done)

    def _push_done(self, task: asyncio.Task[Any]) -> None:
        self.touch("webhooks")

    # -- hooks ---------------------------------------------------------------------------
    def _on_status(self, message: Message, final: bool) -> None:
        self.touch("messages")

    def _on_inbound(self, message: InboundMessage) -> None:
        self.touch("inbound")

    def _on_reset(self) -> None:
        self.touch("reset")

    async def on_response(self, request: web.Request, response: web.StreamResponse) -> None:
        """``on_response_prepare``: a request that may have changed state was served."""
        path = request.path
        if request.method in _SAFE and (is_control(path) or not path.endswith("/text/query")):
            return
        self.touch("requests")

    def attach(self, simulator: Simulator) -> None:
        self._loop = asyncio.get_running_loop()
        self._thread = threading.get_ident()
        self.closed = False
        simulator.gateway.status_listeners.append(self._on_status)
        simulator.gateway.inbound_listeners.append(self._on_inbound)
        simulator.reset_hooks.append(self._on_reset)

    def detach(self, simulator: Simulator) -> None:
        with contextlib.suppress(ValueError):
            simulator.gateway.status_listeners.remove(self._on_status)
        with contextlib.suppress(ValueError):
            simulator.gateway.inbound_listeners.remove(self._on_inbound)
        with contextlib.suppress(ValueError):
            simulator.reset_hooks.remove(self._on_reset)
        self._loop = None

    def close(self) -> None:
        """End every stream (the server is shutting down)."""
        self.closed = True
        self.touch("closed")

    # -- waiting ---------------------------------------------------------------------------
    async def wait(self, seen: int, at_most: float) -> None:
        """Return when the version passes ``seen``, the feed closes, or after ``at_most``
        seconds."""
        if self.version != seen or self.closed:
            return
        if self._event is None:
            self._event = asyncio.Event()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), at_most)


FEED: web.AppKey[ChangeFeed] = web.AppKey("change_feed", ChangeFeed)


def _sse(event: str, data: object, event_id: int) -> bytes:
    body = json.dumps(data, separators=(",", ":"))
    return f"id: {event_id}\nevent: {event}\ndata: {body}\n\n".encode()


def _counts(simulator: Simulator, pushes: int) -> dict[str, int]:
    accounts = simulator.gateway.accounts.values()
    return {
        "messages": sum(len(a.messages) for a in accounts),
        "bulks": sum(len(a.bulks) for a in accounts),
        "inbound": sum(len(a.inbound) for a in accounts),
        "webhooks": pushes,
    }


def _clock_key(clock: dict[str, Any]) -> tuple[Any, ...]:
    """What must differ for the clock to count as changed (realtime time always moves)."""
    now = None if clock["mode"] == ClockMode.REALTIME else clock["now"]
    return now, clock["mode"], clock["rate"], clock["pendingEvents"], clock["nextEventAt"]


def _timeout(simulator: Simulator, idle: float) -> float:
    timeout = max(0.0, KEEPALIVE - idle)
    due = simulator.schedule.next_due()
    if due is not None:
        seconds = simulator.clock.real_seconds_until(due)
        if seconds is not None:
            timeout = min(timeout, max(MIN_INTERVAL, seconds + REALTIME_MARGIN))
    return timeout


async def stream(request: web.Request) -> web.StreamResponse:
    feed = request.app[FEED]
    simulator = sim(request)
    dispatcher = request.app[DRIVER].dispatcher
    loop = asyncio.get_running_loop()
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no",
        }
    )
    await response.prepare(request)
    sent_version, sent_clock, sent_fired = -1, None, -1
    last_write = loop.time()
    try:
        await response.write(b"retry: 2000\n\n")
        while not feed.closed:
            feed.watch(dispatcher.inflight)
            version, clock = feed.version, clock_state(request)
            kinds = feed.kinds_since(sent_version) if sent_version >= 0 else {"hello"}
            if _clock_key(clock) != sent_clock:
                kinds.add("clock")
            if simulator.engine.fired != sent_fired:
                kinds.add("events")
            if kinds:
                data = {
                    "version": version,
                    "what": sorted(kinds),
                    "clock": clock,
                    "counts": _counts(simulator, len(dispatcher.pushes)),
                    "scenario": None if simulator.scenario is None else simulator.scenario.name,
                }
                await response.write(_sse("changed", data, version))
                sent_version, sent_clock = version, _clock_key(clock)
                sent_fired = simulator.engine.fired
                last_write = loop.time()
                # Real time on purpose: this paces what the browser is sent (a burst of
                # changes becomes one event), it decides nothing the simulator does.
                await asyncio.sleep(MIN_INTERVAL)
            elif loop.time() - last_write >= KEEPALIVE:
                await response.write(b": keep-alive\n\n")
                last_write = loop.time()
            await feed.wait(sent_version, _timeout(simulator, loop.time() - last_write))
    except ConnectionResetError:  # the browser went away
        pass
    return response


def add_stream_routes(app: web.Application) -> None:
    """``GET /__sim/stream``, and the feed wired to the simulator while the app runs."""
    feed = ChangeFeed()
    app[FEED] = feed

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        simulator = app[SIMULATOR]
        feed.attach(simulator)
        yield
        feed.detach(simulator)

    async def shutdown(app: web.Application) -> None:
        feed.close()

    app.cleanup_ctx.append(lifecycle)
    app.on_shutdown.append(shutdown)
    app.on_response_prepare.append(feed.on_response)
    app.router.add_get("/__sim/stream", stream)
