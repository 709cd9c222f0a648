"""Every shipped scenario, driven through the virtual clock, with the timelines it makes."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web
from aiohttp.test_utils import TestClient
from scenario_helpers import (
    AUTH,
    START,
    TO,
    ClientFactory,
    History,
    final,
    history,
    one,
    run_all,
    scenario_sim,
    send,
)

from simulator.app import make_app
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.scenario import library_files, list_scenarios, load_scenario, scenario_from_dict
from simulator.timefmt import HOUR, MINUTE, SECOND

Client = TestClient[web.Request, web.Application]
ACCEPTED = (0, "PENDING_ACCEPTED", "NO_ERROR")
ENROUTE = (0, "PENDING_ENROUTE", "NO_ERROR")
SHIPPED = [
    "default",
    "happy_path",
    "slow_network",
    "absent_subscriber",
    "expiry",
    "rejected_no_credit",
    "rate_limited",
    "carrier_outage",
    "mixed_traffic",
    "inbound_replies",
]


def timeline_of(scenario: str, to: str = TO, **options: Any) -> History:
    sim = scenario_sim(scenario)
    message = one(sim, to, **options)
    run_all(sim)
    return history(message)


@pytest.mark.parametrize("name", SHIPPED)
def test_each_shipped_scenario_loads_and_explains_itself(name: str) -> None:
    assert name in list_scenarios()
    scenario = load_scenario(name)
    assert scenario.name == name
    assert scenario.description
    text = library_files()[name].read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith(f"# {name}: "), (
        "each file opens with a comment block saying what it shows"
    )
    assert text.splitlines()[1] == "#"


@pytest.mark.parametrize("name", SHIPPED)
def test_each_shipped_scenario_reads_the_same_from_data(name: str) -> None:
    """``scenario_from_dict(yaml.safe_load(text))`` (what tools that edit scenarios use) gives
    the same scenario as the text."""
    text = library_files()[name].read_text(encoding="utf-8")
    from_text = load_scenario(name)
    from_data = scenario_from_dict(yaml.safe_load(text))
    assert dataclasses.replace(from_data, source=from_text.source) == from_text


@pytest.mark.parametrize("name", SHIPPED)
def test_no_shipped_scenario_fixes_the_start(name: str) -> None:
    """So ``sms-sim serve --scenario X`` in realtime still starts at the wall-clock time."""
    assert load_scenario(name).start is None


# -- default: the magic numbers ----------------------------------------------------------------

UNDELIVERED = "UNDELIVERABLE_NOT_DELIVERED"
MAGIC: dict[str, History] = {
    "0001": [ACCEPTED, ENROUTE, (5 * SECOND, UNDELIVERED, "EC_ABSENT_SUBSCRIBER")],
    "0002": [ACCEPTED, ENROUTE, (3 * SECOND, UNDELIVERED, "EC_UNKNOWN_SUBSCRIBER")],
    "0003": [ACCEPTED, ENROUTE, (48 * HOUR, "EXPIRED_EXPIRED", "EC_VALIDITY_EXPIRED")],
    "0004": [ACCEPTED, (0, "REJECTED_NOT_ENOUGH_CREDITS", "NO_ERROR")],
    "0005": [ACCEPTED, ENROUTE, (5 * MINUTE, "DELIVERED_TO_HANDSET", "NO_ERROR")],
    "0006": [ACCEPTED, ENROUTE, (3 * SECOND, "DELIVERED_TO_OPERATOR", "NO_ERROR")],
    "0007": [ACCEPTED, (0, "REJECTED_DESTINATION", "NO_ERROR")],
    "0008": [
        ACCEPTED,
        ENROUTE,
        (2 * SECOND, "UNDELIVERABLE_REJECTED_OPERATOR", "EC_DESTINATION_BLOCKED_BY_OPERATOR"),
    ],
    "0009": [
        ACCEPTED,
        ENROUTE,
        (2 * SECOND, "DELIVERED_TO_OPERATOR", "NO_ERROR"),
        (30 * SECOND, "DELIVERED_TO_HANDSET", "NO_ERROR"),
    ],
}  # fmt: skip


@pytest.mark.parametrize(("suffix", "expected"), MAGIC.items())
def test_default_magic_numbers(suffix: str, expected: History) -> None:
    assert timeline_of("default", f"4179000{suffix}") == expected
    assert timeline_of("default", f"+1555000{suffix}") == expected  # any country


def test_default_is_the_core_behaviour_for_other_numbers() -> None:
    plain = Simulator(SimulatorConfig(start=START, seed=7))
    message = one(plain)
    run_all(plain)
    for number in (TO, "41790000010", "41790001000"):
        assert timeline_of("default", number) == history(message)
    config = SimulatorConfig(start=START, seed=7)
    assert load_scenario("default").apply(config) == config


# -- one behaviour each -------------------------------------------------------------------------


def test_happy_path() -> None:
    sim = scenario_sim("happy_path")
    messages = send(sim, TO, "385911111111", "15550000001").messages
    run_all(sim)
    for message in messages:
        assert history(message) == [
            ACCEPTED,
            ENROUTE,
            (3 * SECOND, "DELIVERED_TO_HANDSET", "NO_ERROR"),
        ]
        assert (message.price, message.currency, message.mcc_mnc) == (0.01, "EUR", "22801")
    assert len(sim.gateway.account().reports) == 3


def test_slow_network() -> None:
    sim = scenario_sim("slow_network")
    messages = send(sim, *(f"4179{n:07d}" for n in range(1000))).messages
    run_all(sim)
    delays = Counter(m.history[-1][0] - START for m in messages)
    assert {m.status.name for m in messages} == {"DELIVERED_TO_HANDSET"}
    assert set(delays) == {MINUTE, 5 * MINUTE, 20 * MINUTE, HOUR}
    assert delays[MINUTE] / 1000 == pytest.approx(0.50, abs=0.05)
    assert delays[HOUR] / 1000 == pytest.approx(0.05, abs=0.03)


@pytest.mark.parametrize("to", [TO, "385911111111", "15550000002"])
def test_absent_subscriber_for_every_number_within_ten_minutes(to: str) -> None:
    sim = scenario_sim("absent_subscriber")
    message = one(sim, to)
    sim.engine.advance(10 * MINUTE)
    assert final(message) == ("UNDELIVERABLE_NOT_DELIVERED", "EC_ABSENT_SUBSCRIBER")
    assert history(message) == [
        ACCEPTED,
        ENROUTE,
        (30 * SECOND, "UNDELIVERABLE_NOT_DELIVERED", "EC_ABSENT_SUBSCRIBER"),
    ]
    assert not message.error.permanent


def test_expiry() -> None:
    sim = scenario_sim("expiry")
    assert sim.config.default_validity == 15 * MINUTE
    message = one(sim)
    longer = one(sim, validity=HOUR)
    run_all(sim)
    assert history(message) == [
        ACCEPTED,
        ENROUTE,
        (15 * MINUTE, "EXPIRED_EXPIRED", "EC_VALIDITY_EXPIRED"),
    ]
    assert history(longer)[-1] == (HOUR, "EXPIRED_EXPIRED", "EC_VALIDITY_EXPIRED")


def test_carrier_outage() -> None:
    sim = scenario_sim("carrier_outage")
    before = one(sim, "41761234567")
    sim.engine.advance(15 * MINUTE)
    backlog = one(sim, "41761234567")
    short = one(sim, "41761234568", validity=10 * MINUTE)
    other_network = one(sim, "41791234567")
    sim.engine.advance(30 * MINUTE)  # at +45m: the window has closed
    after = one(sim, "41761234569")
    run_all(sim)
    delivered = "DELIVERED_TO_HANDSET", "NO_ERROR"
    assert history(before)[-1] == (3 * SECOND, *delivered)
    assert history(backlog) == [
        (15 * MINUTE, "PENDING_ACCEPTED", "NO_ERROR"),
        (15 * MINUTE, "PENDING_ENROUTE", "NO_ERROR"),
        (40 * MINUTE + 5 * SECOND, *delivered),
    ]
    assert history(short)[-1] == (25 * MINUTE, "EXPIRED_EXPIRED", "EC_VALIDITY_EXPIRED")
    assert history(other_network)[-1] == (15 * MINUTE + 3 * SECOND, *delivered)
    assert history(after)[-1] == (45 * MINUTE + 3 * SECOND, *delivered)
    assert {m.mcc_mnc for m in (before, backlog, short, after)} == {"22802"}
    assert other_network.mcc_mnc == "22801"


def test_mixed_traffic_is_seeded_and_weighted() -> None:
    def run(seed: int) -> dict[str, Counter[str]]:
        sim = scenario_sim("mixed_traffic", seed=seed)
        groups = {
            "4179": [f"4179{n:07d}" for n in range(2000)],
            "385": [f"3859{n:08d}" for n in range(2000)],
            "other": [f"4420{n:08d}" for n in range(1000)],
        }
        sent = {name: send(sim, *numbers).messages for name, numbers in groups.items()}
        run_all(sim)
        return {name: Counter(m.status.name for m in ms) for name, ms in sent.items()}

    counts = run(1)
    assert counts == run(1)
    assert counts != run(2)
    good, weak, other = counts["4179"], counts["385"], counts["other"]
    assert set(good) == {
        "DELIVERED_TO_HANDSET",
        "UNDELIVERABLE_NOT_DELIVERED",
        "EXPIRED_EXPIRED",
        "REJECTED_NETWORK",
    }
    assert good["DELIVERED_TO_HANDSET"] / 2000 == pytest.approx(0.90, abs=0.03)
    assert good["UNDELIVERABLE_NOT_DELIVERED"] / 2000 == pytest.approx(0.07, abs=0.02)
    assert weak["DELIVERED_TO_OPERATOR"] / 2000 == pytest.approx(0.15, abs=0.03)
    assert weak["EXPIRED_EXPIRED"] / 2000 == pytest.approx(0.05, abs=0.02)
    assert set(other) == {"DELIVERED_TO_HANDSET", "UNDELIVERABLE_NOT_DELIVERED"}
    assert other["UNDELIVERABLE_NOT_DELIVERED"] / 1000 == pytest.approx(0.10, abs=0.03)


def test_inbound_replies() -> None:
    sim = scenario_sim("inbound_replies")
    one(sim)
    one(sim, "385911111111", text="Your table is booked. Reply YES to confirm.")
    run_all(sim)
    got = [
        (m.received_at - START, m.sender, m.to, m.keyword) for m in sim.gateway.account().inbound
    ]
    assert got == [
        (MINUTE + 3 * SECOND, "385911111111", "InfoSMS", "YES"),
        (2 * MINUTE + 3 * SECOND, TO, "InfoSMS", "STOP"),
        (5 * MINUTE, "41793026728", "InfoSMS", "HELP"),
    ]
    help_text = sim.gateway.account().inbound[2].clean_text
    sim.reset()
    run_all(sim)
    assert sim.gateway.account().inbound[0].clean_text == help_text  # seeded faker


# -- over HTTP ----------------------------------------------------------------------------------

SEND = {"messages": [{"destinations": [{"to": TO}], "content": {"text": "Hi"}}]}


async def connect(aiohttp_client: ClientFactory, name: str) -> Client:
    sim = Simulator(SimulatorConfig(start=START, seed=7), scenario=load_scenario(name))
    return await aiohttp_client(make_app(sim), headers=AUTH)


async def test_rejected_no_credit_comes_back_inside_the_http_200(
    aiohttp_client: ClientFactory,
) -> None:
    client = await connect(aiohttp_client, "rejected_no_credit")
    response = await client.post("/sms/3/messages", json=SEND)
    assert response.status == 200
    body: dict[str, Any] = await response.json()
    (entry,) = body["messages"]
    assert entry["status"]["name"] == "REJECTED_NOT_ENOUGH_CREDITS"
    assert entry["status"]["groupName"] == "REJECTED"
    reports = await (await client.get("/sms/3/reports")).json()
    assert [r["status"]["name"] for r in reports["results"]] == ["REJECTED_NOT_ENOUGH_CREDITS"]


async def test_rate_limited_allows_ten_sends_a_minute(aiohttp_client: ClientFactory) -> None:
    client = await connect(aiohttp_client, "rate_limited")
    statuses = []
    for _ in range(11):
        response = await client.post("/sms/3/messages", json=SEND)
        statuses.append(response.status)
    assert statuses == [200] * 10 + [429]
    assert response.headers["Retry-After"] == "60"
    v2 = await client.post(
        "/sms/2/text/advanced", json={"messages": [{"destinations": [{"to": TO}], "text": "x"}]}
    )
    assert v2.status == 429  # counted together with the other send endpoints
    assert (await client.get("/sms/3/logs")).status == 200
    advanced = await client.post("/__sim/clock/advance", json={"by": "1m"})
    assert advanced.status == 200
    assert (await client.post("/sms/3/messages", json=SEND)).status == 200


async def test_expiry_over_http_uses_the_shorter_default_validity(
    aiohttp_client: ClientFactory,
) -> None:
    client = await connect(aiohttp_client, "expiry")
    assert (await client.post("/sms/3/messages", json=SEND)).status == 200
    await client.post("/__sim/clock/advance", json={"by": "15m"})
    reports = await (await client.get("/sms/3/reports")).json()
    (report,) = reports["results"]
    assert report["status"]["name"] == "EXPIRED_EXPIRED"
    assert report["error"]["name"] == "EC_VALIDITY_EXPIRED"


def test_the_library_folder_is_the_repository_scenarios_folder_in_a_checkout() -> None:
    folder = Path(__file__).resolve().parent.parent / "scenarios"
    assert {path.stem for path in folder.glob("*.yaml")} == set(list_scenarios())
