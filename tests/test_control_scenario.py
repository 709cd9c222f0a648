"""Loading scenarios at run time through the control plane (``/__sim/scenario``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.test_utils import TestClient

from simulator.app import make_app
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.scenario import list_scenarios
from simulator.timefmt import parse_instant

START = parse_instant("2026-01-01T09:00:00.000+0000")
AUTH = {"Authorization": "App test-api-key"}
Client = TestClient[web.Request, web.Application]
ClientFactory = Callable[..., Awaitable[Client]]
SEND = {"messages": [{"destinations": [{"to": "41793026727"}], "content": {"text": "hi"}}]}
INLINE = """
version: 1
name: slow inline
rules:
  - deliver_after: 2m
"""


async def _client(aiohttp_client: ClientFactory) -> Client:
    return await aiohttp_client(
        make_app(Simulator(SimulatorConfig(start=START, seed=1))), headers=AUTH
    )


async def _final_status(client: Client, by: str) -> str:
    await client.post("/sms/3/messages", json=SEND)
    await client.post("/__sim/clock/advance", json={"by": by})
    [log] = (await (await client.get("/sms/3/logs")).json())["results"]
    status: str = log["status"]["name"]
    return status


async def test_the_library_is_listed(aiohttp_client: ClientFactory) -> None:
    client = await _client(aiohttp_client)
    body = await (await client.get("/__sim/scenarios")).json()
    assert body["scenarios"] == list(list_scenarios())
    assert "absent_subscriber" in body["scenarios"]
    assert (await (await client.get("/__sim/scenario")).json())["scenario"] is None


async def test_loading_a_library_scenario_resets_and_applies_it(
    aiohttp_client: ClientFactory,
) -> None:
    client = await _client(aiohttp_client)
    await client.post("/sms/3/messages", json=SEND)
    await client.post("/__sim/clock/advance", json={"by": "1h"})
    response = await client.post("/__sim/scenario", json={"name": "absent_subscriber"})
    assert response.status == 200
    body = await response.json()
    assert body["scenario"] == "absent_subscriber"
    assert body["now"] == "2026-01-01T09:00:00.000+0000"
    assert (await (await client.get("/sms/3/logs")).json())["results"] == []
    assert await _final_status(client, "10m") == "UNDELIVERABLE_NOT_DELIVERED"


async def test_inline_yaml_and_back_to_the_default(aiohttp_client: ClientFactory) -> None:
    client = await _client(aiohttp_client)
    response = await client.post("/__sim/scenario", json={"yaml": INLINE})
    assert (await response.json())["scenario"] == "slow inline"
    assert await _final_status(client, "1m") == "PENDING_ENROUTE"
    await client.post("/__sim/scenario", json={"name": None})
    assert await _final_status(client, "10s") == "DELIVERED_TO_HANDSET"


async def test_bad_scenario_requests_change_nothing(aiohttp_client: ClientFactory) -> None:
    client = await _client(aiohttp_client)
    await client.post("/__sim/scenario", json={"name": "absent_subscriber"})
    for body, field in (
        ({"name": "no_such_scenario"}, "name"),
        ({"name": 3}, "name"),
        ({"yaml": "version: 2\n"}, "yaml"),
        ({"yaml": ["not", "text"]}, "yaml"),
        ({"path": "/etc/passwd"}, "body"),
    ):
        response = await client.post("/__sim/scenario", json=body)
        assert response.status == 400
        assert (await response.json())["field"] == field
    assert (await (await client.get("/__sim/scenario")).json())["scenario"] == "absent_subscriber"
    error = await (await client.post("/__sim/scenario", json={"yaml": "version: 2\n"})).json()
    assert "version" in error["error"]
