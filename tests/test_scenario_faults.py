"""Scenario faults over HTTP: every Nth request, windows on the virtual clock, rate limits,
seeded probabilities and real-time latency, each in the endpoint family's error envelope."""

from __future__ import annotations

import time
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from scenario_helpers import AUTH, START, ClientFactory

from simulator.app import make_app
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.faults import FaultDecision
from simulator.scenario import parse_scenario
from simulator.scenario_runtime import ScenarioFaults

Client = TestClient[web.Request, web.Application]
SEND = {"messages": [{"destinations": [{"to": "41793026727"}], "content": {"text": "Hi"}}]}
V1_SEND = {"from": "InfoSMS", "to": "41793026727", "text": "Hi"}


def faulty(faults: str, seed: int = 7) -> Simulator:
    scenario = parse_scenario(f"version: 1\nfaults:\n{faults}")
    return Simulator(SimulatorConfig(start=START, seed=seed), scenario=scenario)


async def connect(aiohttp_client: ClientFactory, sim: Simulator) -> Client:
    return await aiohttp_client(make_app(sim), headers=AUTH)


async def send(client: Client) -> int:
    response = await client.post("/sms/3/messages", json=SEND)
    await response.read()
    return response.status


async def advance(client: Client, by: str) -> None:
    response = await client.post("/__sim/clock/advance", json={"by": by})
    assert response.status == 200, await response.text()


async def test_every_nth_request_to_an_endpoint(aiohttp_client: ClientFactory) -> None:
    client = await connect(
        aiohttp_client, faulty("  - {endpoint: /sms/3/messages, every: 3, status: 429}\n")
    )
    statuses = []
    for _ in range(7):
        statuses.append(await send(client))
        reports = await client.get("/sms/3/reports")  # another endpoint: not counted
        assert reports.status == 200
    assert statuses == [200, 200, 429, 200, 200, 429, 200]


async def test_429_has_infobips_body_and_retry_after(aiohttp_client: ClientFactory) -> None:
    client = await connect(aiohttp_client, faulty("  - {endpoint: '*', every: 1, status: 429}\n"))
    response = await client.post("/sms/3/messages", json=SEND)
    assert response.status == 429
    assert response.headers["Retry-After"] == "1"
    body: dict[str, Any] = await response.json()
    assert body["errorCode"] == "E429"
    assert body["description"] == "Too many requests sent."
    response = await client.post("/sms/1/text/single", json=V1_SEND)
    assert response.status == 429
    assert await response.json() == {
        "requestError": {
            "serviceException": {"messageId": "TOO_MANY_REQUESTS", "text": "Too many requests"}
        }
    }


@pytest.mark.parametrize("status", [500, 503])
async def test_server_errors(aiohttp_client: ClientFactory, status: int) -> None:
    client = await connect(aiohttp_client, faulty(f"  - {{every: 2, status: {status}}}\n"))
    assert await send(client) == 200
    response = await client.post("/sms/3/messages", json=SEND)
    assert response.status == status
    assert "Retry-After" not in response.headers
    body: dict[str, Any] = await response.json()
    assert body["errorCode"] == f"E{status}"


async def test_a_refused_send_creates_no_message(aiohttp_client: ClientFactory) -> None:
    sim = faulty("  - {every: 1, status: 503}\n")
    client = await connect(aiohttp_client, sim)
    assert await send(client) == 503
    assert list(sim.gateway.iter_messages()) == []


async def test_window_on_the_virtual_clock(aiohttp_client: ClientFactory) -> None:
    sim = faulty("  - {status: 503, window: {from: '+5m', until: '+10m'}}\n")
    client = await connect(aiohttp_client, sim)
    assert await send(client) == 200
    await advance(client, "5m")
    response = await client.post("/sms/3/messages", json=SEND)
    assert response.status == 503
    await advance(client, "4m59s")
    assert await send(client) == 503
    await advance(client, "1s")
    assert await send(client) == 200


async def test_window_with_absolute_instants_and_429(aiohttp_client: ClientFactory) -> None:
    sim = faulty(
        "  - status: 429\n    window: {from: 2026-01-01T09:01:00Z, until: 2026-01-01T09:03:00Z}\n"
    )
    client = await connect(aiohttp_client, sim)
    await advance(client, "90s")
    response = await client.post("/sms/3/messages", json=SEND)
    assert response.status == 429
    assert response.headers["Retry-After"] == "90"  # until the window closes


async def test_rate_limit_per_virtual_minute(aiohttp_client: ClientFactory) -> None:
    client = await connect(
        aiohttp_client, faulty("  - {endpoint: /sms/3/messages, rate_limit: 3/min}\n")
    )
    assert [await send(client) for _ in range(3)] == [200, 200, 200]
    await advance(client, "20s")
    response = await client.post("/sms/3/messages", json=SEND)
    assert response.status == 429
    assert response.headers["Retry-After"] == "40"
    assert await send(client) == 429
    await advance(client, "40s")
    assert [await send(client) for _ in range(4)] == [200, 200, 200, 429]


async def test_rate_limit_counts_only_selected_methods(aiohttp_client: ClientFactory) -> None:
    sim = faulty("  - {endpoint: /sms/1/bulks, method: PUT, rate_limit: 1/h}\n")
    client = await connect(aiohttp_client, sim)
    for _ in range(3):  # GET is not selected: a 404 for an unknown bulk, never a 429
        response = await client.get("/sms/1/bulks", params={"bulkId": "x"})
        assert response.status == 404
    first = await client.put("/sms/1/bulks", params={"bulkId": "x"}, json={"sendAt": "x"})
    assert first.status != 429
    second = await client.put("/sms/1/bulks", params={"bulkId": "x"}, json={"sendAt": "x"})
    assert second.status == 429
    assert second.headers["Retry-After"] == "3600"


def probability_pattern(seed: int) -> list[int | None]:
    faults = ScenarioFaults(parse_scenario(PROBABLE).fault_rules, seed, START)
    pattern = []
    for _ in range(400):
        decision = faults.decide("POST", "/sms/3/messages", START)
        pattern.append(None if decision is None else decision.status)
    return pattern


PROBABLE = "version: 1\nfaults:\n  - {probability: 0.25, status: 500}\n"


def test_probability_is_seeded() -> None:
    assert probability_pattern(1) == probability_pattern(1)
    assert probability_pattern(1) != probability_pattern(2)
    share = probability_pattern(3).count(500) / 400
    assert share == pytest.approx(0.25, abs=0.06)


async def test_probability_over_http_is_deterministic(aiohttp_client: ClientFactory) -> None:
    runs = []
    for _ in range(2):
        client = await connect(aiohttp_client, faulty("  - {probability: 50%, status: 500}\n"))
        runs.append([await send(client) for _ in range(20)])
    assert runs[0] == runs[1]
    assert set(runs[0]) == {200, 500}


def test_latency_is_a_decision_in_real_seconds() -> None:
    scenario = parse_scenario(
        "version: 1\nfaults:\n  - {endpoint: /sms/3/reports, latency: 250ms}\n"
        "  - {endpoint: '/sms/3/*', latency: 1s, every: 2}\n"
    )
    faults = ScenarioFaults(scenario.fault_rules)
    assert faults.decide("GET", "/sms/3/reports", 0) == FaultDecision(latency=0.25)
    assert faults.decide("GET", "/sms/3/reports", 0) == FaultDecision(latency=1.25)
    assert faults.decide("GET", "/sms/1/reports", 0) is None


async def test_latency_delays_the_answer(aiohttp_client: ClientFactory) -> None:
    client = await connect(
        aiohttp_client, faulty("  - {endpoint: /sms/3/messages, latency: 50ms}\n")
    )
    began = time.perf_counter()
    assert await send(client) == 200
    assert time.perf_counter() - began >= 0.045
    began = time.perf_counter()
    response = await client.get("/sms/3/reports")
    assert response.status == 200
    assert time.perf_counter() - began < 5  # not delayed (loosely: no timing assumptions)


async def test_latency_and_an_error_together(aiohttp_client: ClientFactory) -> None:
    sim = faulty("  - {every: 1, status: 503, latency: 10ms, retry_after: 30s}\n")
    client = await connect(aiohttp_client, sim)
    response = await client.post("/sms/3/messages", json=SEND)
    assert response.status == 503
    assert response.headers["Retry-After"] == "30"


async def test_the_first_fault_that_fires_answers(aiohttp_client: ClientFactory) -> None:
    sim = faulty("  - {every: 2, status: 503}\n  - {every: 3, status: 500}\n")
    client = await connect(aiohttp_client, sim)
    assert [await send(client) for _ in range(6)] == [200, 503, 500, 503, 200, 503]


async def test_counters_start_over_on_reset(aiohttp_client: ClientFactory) -> None:
    sim = faulty("  - {every: 2, status: 429}\n")
    client = await connect(aiohttp_client, sim)
    assert [await send(client) for _ in range(3)] == [200, 429, 200]
    response = await client.post("/__sim/reset")
    assert response.status == 200
    assert [await send(client) for _ in range(3)] == [200, 429, 200]


async def test_the_control_plane_is_never_faulted(aiohttp_client: ClientFactory) -> None:
    client = await connect(aiohttp_client, faulty("  - {every: 1, status: 500}\n"))
    response = await client.get("/__sim/clock")
    assert response.status == 200


def test_no_faults_means_no_fault_policy() -> None:
    assert parse_scenario("version: 1\n").faults() is None
    assert Simulator(SimulatorConfig(), scenario=parse_scenario("version: 1\n")).faults is None


def test_head_requests_count_as_get() -> None:
    (rule,) = parse_scenario(
        "version: 1\nfaults:\n  - {endpoint: /sms/3/logs, method: GET, every: 1, status: 500}\n"
    ).fault_rules
    assert rule.selects("HEAD", "/sms/3/logs")
    assert not rule.selects("POST", "/sms/3/logs")
