"""``GET /__sim/stream``: live change notifications as server-sent events, and the
:class:`~simulator.control_stream.ChangeFeed` behind them."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer

from simulator import control_stream
from simulator.app import make_app
from simulator.config import SimulatorConfig
from simulator.control_stream import ChangeFeed
from simulator.core import Simulator
from simulator.timefmt import SECOND, parse_instant

Client = TestClient[web.Request, web.Application]
JSON = dict[str, Any]

START = parse_instant("2026-01-01T09:00:00.000+0000")
MESSAGE = {"messages": [{"destinations": [{"to": "41793026727"}], "content": {"text": "Hi"}}]}


class EventStream:
    """Reads server-sent events off a streaming response."""

    def __init__(self, response: ClientResponse) -> None:
        self.response = response
        self.comments: list[str] = []
        self.fields: list[str] = []

    async def next(self, within: float = 3.0) -> tuple[str, JSON]:
        """The next event's name and JSON data; TimeoutError when none comes in time."""
        name, data = "message", list[str]()
        async with asyncio.timeout(within):
            while True:
                raw = await self.response.content.readline()
                if not raw:
                    raise EOFError("the stream ended")
                line = raw.decode().rstrip("\n")
                if not line:
                    if data:
                        return name, json.loads("\n".join(data))
                    continue
                if line.startswith(":"):
                    self.comments.append(line[1:].strip())
                    continue
                field, _, value = line.partition(":")
                value = value.removeprefix(" ")
                self.fields.append(field)
                if field == "event":
                    name = value
                elif field == "data":
                    data.append(value)

    async def changed(self, within: float = 3.0) -> JSON:
        name, data = await self.next(within)
        assert name == "changed"
        return data

    async def until(self, kind: str, within: float = 3.0) -> JSON:
        """The first event whose ``what`` names ``kind``."""
        async with asyncio.timeout(within):
            while True:
                data = await self.changed(within)
                if kind in data["what"]:
                    return data

    async def drain(self, quiet_for: float) -> list[JSON]:
        """Every event until none comes for ``quiet_for`` seconds."""
        received: list[JSON] = []
        while True:
            try:
                received.append(await self.changed(quiet_for))
            except TimeoutError:
                return received

    async def quiet(self, seconds: float = 0.3) -> bool:
        """True when no event arrives for ``seconds``."""
        try:
            await self.next(seconds)
        except TimeoutError:
            return True
        return False


@pytest.fixture(autouse=True)
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(control_stream, "MIN_INTERVAL", 0.01)


@pytest.fixture
async def events(client: Client) -> AsyncIterator[EventStream]:
    response = await client.get("/__sim/stream")
    assert response.status == 200
    stream = EventStream(response)
    yield stream
    response.close()


async def test_first_event_on_connect(client: Client, events: EventStream) -> None:
    response = events.response
    assert response.headers["Content-Type"] == "text/event-stream; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-cache"
    data = await events.changed()
    assert "retry" in events.fields
    assert "hello" in data["what"]
    clock = await (await client.get("/__sim/clock")).json()
    assert data["clock"] == clock
    assert data["counts"] == {"messages": 0, "bulks": 0, "inbound": 0, "webhooks": 0}
    assert data["scenario"] is None
    assert isinstance(data["version"], int)


async def test_a_send_is_announced(client: Client, events: EventStream) -> None:
    hello = await events.changed()
    assert (await client.post("/sms/3/messages", json=MESSAGE)).status == 200
    data = await events.until("messages")
    assert {"requests", "clock"} <= set(data["what"])
    assert data["version"] > hello["version"]
    assert data["counts"]["messages"] == 1
    assert data["clock"]["pendingEvents"] == 1


async def test_reading_changes_nothing_and_is_not_announced(
    client: Client, events: EventStream
) -> None:
    await events.changed()
    for path in ("/__sim/clock", "/__sim/messages", "/__sim/bulks", "/sms/3/logs", "/"):
        assert (await client.get(path)).status == 200
    assert await events.quiet()


async def test_advancing_the_clock(client: Client, events: EventStream) -> None:
    await client.post("/sms/3/messages", json=MESSAGE)
    await events.until("messages")
    await client.post("/__sim/clock/advance", json={"by": "1m"})
    data = await events.until("clock")
    assert data["clock"]["now"] == "2026-01-01T09:01:00.000+0000"
    assert data["clock"]["pendingEvents"] == 0
    assert "messages" in data["what"]  # delivered on the way


async def test_an_empty_advance_is_still_a_clock_change(
    client: Client, events: EventStream
) -> None:
    await events.changed()
    await client.post("/__sim/clock/advance", json={"by": "1h"})
    data = await events.changed()
    assert "clock" in data["what"]
    assert data["clock"]["now"] == "2026-01-01T10:00:00.000+0000"


async def test_reset_inbound_and_bulk_changes(client: Client, events: EventStream) -> None:
    await events.changed()
    inbound = {"from": "41793026727", "to": "InfoSMS", "text": "STOP"}
    await client.post("/__sim/inbound", json=inbound)
    assert (await events.until("inbound"))["counts"]["inbound"] == 1
    scheduled = {**MESSAGE, "options": {"schedule": {"bulkId": "b", "sendAt": "2026-01-02"}}}
    await client.post("/sms/3/messages", json=scheduled)
    await events.until("requests")
    await client.post("/__sim/bulks/b/status", json={"status": "CANCELED"})
    data = await events.until("messages")
    assert data["counts"]["bulks"] == 1
    await client.post("/__sim/reset")
    data = await events.until("reset")
    assert data["counts"] == {"messages": 0, "bulks": 0, "inbound": 0, "webhooks": 0}


async def test_a_burst_is_coalesced(
    client: Client, events: EventStream, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(control_stream, "MIN_INTERVAL", 0.3)
    await events.changed()
    numbers = [{"to": f"4179{n:07d}"} for n in range(500)]
    many = {"messages": [{"destinations": numbers, "content": {"text": "x"}}]}
    await client.post("/sms/3/messages", json=many)
    await client.post("/__sim/clock/advance", json={"by": "5s"})  # 1,000 status changes
    received = await events.drain(0.7)
    assert 1 <= len(received) <= 5  # not one event per change
    data = received[-1]
    assert data["clock"]["now"] == "2026-01-01T09:00:05.000+0000"
    assert data["counts"]["messages"] == 500


async def test_keep_alive_and_moves_made_in_process(
    client: Client,
    events: EventStream,
    simulator: Simulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(control_stream, "KEEPALIVE", 0.1)
    await events.changed()
    assert await events.quiet(0.35)
    assert "keep-alive" in events.comments
    simulator.engine.advance(30 * SECOND)  # no HTTP request, no event fired: only the clock
    data = await events.changed(1.0)
    assert data["clock"]["now"] == "2026-01-01T09:00:30.000+0000"


async def test_realtime_events_are_announced_as_they_fire(
    client: Client, events: EventStream
) -> None:
    await events.changed()
    await client.post("/sms/3/messages", json=MESSAGE)
    await events.until("messages")
    await client.post("/__sim/clock/mode", json={"mode": "realtime", "rate": 100})
    data = await events.until("messages")  # delivered 3 virtual seconds later, by the pump
    assert data["clock"]["mode"] == "realtime"
    assert data["clock"]["pendingEvents"] == 0


async def test_shutdown_ends_open_streams() -> None:
    simulator = Simulator(SimulatorConfig(start=START))
    server = TestServer(make_app(simulator))
    listeners = len(simulator.gateway.status_listeners)  # the webhook dispatcher's
    client: Client = TestClient(server)
    await client.start_server()
    assert len(simulator.gateway.status_listeners) == listeners + 1
    response = await client.get("/__sim/stream")
    stream = EventStream(response)
    await stream.changed()
    started = time.monotonic()
    closing = asyncio.create_task(server.close())
    with pytest.raises(EOFError):
        await stream.drain(5.0)
    await closing
    assert time.monotonic() - started < 3
    response.close()
    await client.close()
    assert len(simulator.gateway.status_listeners) == listeners  # the feed let go


# -- the feed ---------------------------------------------------------------------------------
async def test_feed_versions_and_kinds() -> None:
    feed = ChangeFeed()
    feed.touch("messages")
    feed.touch("clock")
    feed.touch("messages")
    assert feed.version == 3
    assert feed.kinds_since(0) == {"messages", "clock"}
    assert feed.kinds_since(2) == {"messages"}
    assert feed.kinds_since(3) == set()


async def test_feed_wait_returns_on_touch_or_timeout() -> None:
    feed = ChangeFeed()
    started = time.monotonic()
    await feed.wait(feed.version, 0.05)
    assert time.monotonic() - started >= 0.04
    waiting = asyncio.create_task(feed.wait(feed.version, 5))
    await asyncio.sleep(0.01)
    feed.touch("x")
    await asyncio.wait_for(waiting, 1)
    await asyncio.wait_for(feed.wait(0, 5), 0.1)  # already past: at once


async def test_feed_touched_from_another_thread() -> None:
    simulator = Simulator(SimulatorConfig(start=START))
    feed = ChangeFeed()
    feed.attach(simulator)
    waiting = asyncio.create_task(feed.wait(feed.version, 5))
    await asyncio.sleep(0.01)
    thread = threading.Thread(target=feed.touch, args=("messages",))
    thread.start()
    thread.join()
    await asyncio.wait_for(waiting, 1)
    feed.detach(simulator)


async def test_feed_hears_pushes_finish() -> None:
    feed = ChangeFeed()
    release = asyncio.Event()
    task = asyncio.create_task(release.wait())
    feed.watch([task])
    feed.watch([task])  # once only
    release.set()
    await task
    await asyncio.sleep(0)
    assert feed.kinds_since(0) == {"webhooks"}
    assert feed.version == 1


async def test_feed_hooks_and_close() -> None:
    simulator = Simulator(SimulatorConfig(start=START))
    feed = ChangeFeed()
    feed.attach(simulator)
    simulator.reset()
    assert feed.kinds_since(0) == {"reset"}
    feed.close()
    await asyncio.wait_for(feed.wait(feed.version, 5), 0.1)
    feed.detach(simulator)
    feed.detach(simulator)  # twice is harmless
    assert feed._on_reset not in simulator.reset_hooks
