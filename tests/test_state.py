"""Saving and restoring the whole state: a restored simulator carries on exactly as the
original would have."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from simulator.app import make_app
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.timefmt import parse_instant

START = parse_instant("2026-01-01T09:00:00.000+0000")
AUTH = {"Authorization": "App test-api-key"}
ClientFactory = Callable[..., Awaitable[TestClient[web.Request, web.Application]]]

Client = TestClient[web.Request, web.Application]


async def _session(client: Client) -> None:
    """Messages in every stage: delivered, scheduled, paused, reported, inbound pending."""
    await client.post(
        "/sms/3/messages",
        json={"messages": [{"destinations": [{"to": "41793026727"}], "content": {"text": "a"}}]},
    )
    await client.post(
        "/sms/2/text/advanced",
        json={
            "bulkId": "LATER",
            "messages": [
                {
                    "from": "InfoSMS",
                    "destinations": [{"to": "41793026731"}, {"to": "41793026732"}],
                    "text": "later",
                    "sendAt": "2026-01-01T12:00:00.000+0000",
                    "validityPeriod": 600,
                }
            ],
        },
    )
    await client.post(
        "/sms/1/text/advanced",
        json={
            "bulkId": "HELD",
            "messages": [
                {
                    "destinations": [{"to": "385911"}],
                    "text": "held",
                    "sendAt": "2026-01-01T10:00:00.000+0000",
                }
            ],
        },
    )
    await client.put("/sms/1/bulks/status", params={"bulkId": "HELD"}, json={"status": "PAUSED"})
    await client.post(
        "/__sim/inbound",
        json={"from": "385911", "to": "41", "text": "STOP", "at": "2026-01-01T11:00:00.000+0000"},
    )
    await client.post("/__sim/clock/advance", json={"by": "1m"})


async def _continue(client: Client) -> list[Any]:
    """What happens next, as the answers a client would see."""
    seen: list[Any] = []
    await client.put("/sms/1/bulks/status", params={"bulkId": "HELD"}, json={"status": "PENDING"})
    for by in ("30m", "2h", "4h"):
        await client.post("/__sim/clock/advance", json={"by": by})
        for path in ("/sms/3/reports", "/sms/1/reports", "/sms/3/logs", "/sms/1/inbox/reports"):
            seen.append(await (await client.get(path)).json())
    seen.append(
        await (
            await client.post(
                "/sms/3/messages",
                json={"messages": [{"destinations": [{"to": "1"}], "content": {"text": "new"}}]},
            )
        ).json()
    )
    return seen


async def test_a_restored_state_carries_on_identically(aiohttp_client: ClientFactory) -> None:
    config = SimulatorConfig(start=START, seed=3)
    original = await aiohttp_client(make_app(Simulator(config)), headers=AUTH)
    await _session(original)
    saved = await (await original.get("/__sim/state")).read()

    restored = await aiohttp_client(make_app(Simulator(config)), headers=AUTH)
    response = await restored.post(
        "/__sim/state", data=saved, headers={"Content-Type": "application/json"}
    )
    assert response.status == 200, await response.text()
    assert (await response.json())["now"] == "2026-01-01T09:01:00.000+0000"
    assert await (await restored.get("/__sim/state")).read() == saved

    assert await _continue(restored) == await _continue(original)


async def test_a_broken_state_is_refused_and_changes_nothing(
    aiohttp_client: ClientFactory,
) -> None:
    client = await aiohttp_client(make_app(Simulator(SimulatorConfig(start=START))), headers=AUTH)
    await _session(client)
    before = await (await client.get("/__sim/state")).read()
    state = await (await client.get("/__sim/state")).json()
    state["accounts"][0]["bulks"][0]["messages"] = [999]
    for bad in ({"format": 99}, state, {"format": 1}):
        response = await client.post("/__sim/state", json=bad)
        assert response.status == 400
        assert (await response.json())["field"] == "body"
    assert await (await client.get("/__sim/state")).read() == before
