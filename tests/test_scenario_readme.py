"""The README's scenario example is a file in tests/examples, and it does what it says."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from scenario_helpers import ClientFactory

from simulator.app import make_app
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.scenario import ScenarioError, load_scenario, parse_scenario
from simulator.timefmt import MINUTE, SECOND, parse_instant

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "examples" / "readme_scenario.yaml"
KEY = {"Authorization": "App my-test-key"}
START = parse_instant("2026-01-01T09:00:00Z")


def readme_blocks(language: str) -> list[str]:
    """The fenced blocks of the README's Scenarios section in ``language`` ("" for none)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Scenarios\n", 1)[1].split("\n## ", 1)[0]
    fences = re.findall(r"^```(\w*)\n(.*?)^```$", section, flags=re.DOTALL | re.MULTILINE)
    return [body for kind, body in fences if kind == language]


def test_the_readme_example_is_the_example_file() -> None:
    assert readme_blocks("yaml")[0] == EXAMPLE.read_text(encoding="utf-8")


def test_the_readme_error_example_is_what_the_loader_says() -> None:
    _, broken = readme_blocks("yaml")
    (expected,) = readme_blocks("")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(broken, "my.yaml")
    assert str(caught.value) + "\n" == expected


async def test_the_readme_example_runs(aiohttp_client: ClientFactory) -> None:
    scenario = load_scenario(EXAMPLE)
    assert scenario.name == "my_network"
    sim = Simulator(SimulatorConfig(seed=1), scenario=scenario)
    assert sim.clock.now() == START
    client: TestClient[web.Request, web.Application] = await aiohttp_client(make_app(sim))

    async def send(to: str, text: str = "Hello", key: dict[str, str] = KEY) -> int:
        body = {"messages": [{"destinations": [{"to": to}], "content": {"text": text}}]}
        response = await client.post("/sms/3/messages", json=body, headers=key)
        await response.read()
        return response.status

    assert await send("41793026727", key={"Authorization": "App other-key"}) == 401
    statuses = [await send(to) for to in ("41793026727", "41791111111", "385911111111")]
    statuses += [await send(f"4420000000{n}", "Big SALE today") for n in range(6)]
    assert statuses == [200] * 9
    assert await send("41790000000") == 429  # the 10th request to /sms/3/messages
    response = await client.post("/__sim/clock/advance", json={"by": "2h"})
    assert response.status == 200

    def timeline(to: str) -> list[tuple[int, str, str]]:
        (message,) = [m for m in sim.gateway.iter_messages() if m.to == to]
        return [(at - START, s.name, e.name) for at, s, e in message.history]

    assert timeline("41793026727")[1:] == [
        (0, "PENDING_ENROUTE", "NO_ERROR"),
        (SECOND, "DELIVERED_TO_OPERATOR", "NO_ERROR"),
        (3 * SECOND, "DELIVERED_TO_HANDSET", "NO_ERROR"),
    ]
    assert timeline("41791111111")[-1] == (
        5 * SECOND,
        "UNDELIVERABLE_NOT_DELIVERED",
        "EC_ABSENT_SUBSCRIBER",
    )
    assert timeline("385911111111")[-1] == (60 * MINUTE, "EXPIRED_EXPIRED", "EC_VALIDITY_EXPIRED")
    sales = {timeline(f"4420000000{n}")[-1][1] for n in range(6)}
    assert sales <= {"DELIVERED_TO_HANDSET", "REJECTED_NOT_ENOUGH_CREDITS"}
    inbox: dict[str, Any] = await (await client.get("/sms/1/inbox/reports", headers=KEY)).json()
    got = [(r["from"], r["keyword"], r["receivedAt"]) for r in inbox["results"]]
    # the reply: 2 minutes after the first DELIVERED status (to the operator, at 1 s)
    assert got[0] == ("41793026727", "THANKS,", "2026-01-01T09:02:01.000+0000")
    assert got[1] == ("41793026727", "STOP", "2026-01-01T09:05:00.000+0000")
