"""The control plane under ``/__sim/``: clock (read, advance by/to/next, modes), events,
reset, health, readiness and the journals. Bad input is a 400 ``{"error", "field"}`` that
leaves the clock and the state exactly as they were."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, Final

import pytest
from test_webhooks import (
    AUTH,
    START,
    Client,
    ClientFactory,
    Receivers,
    advance,
    get_json,
    post_json,
    send_v3,
    start_simulator,
)

from simulator.app import make_app
from simulator.clock import FakeWallClock
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.timefmt import DAY, HOUR, MINUTE, SECOND, Millis, format_instant, parse_instant

JSON = dict[str, Any]
POLLS: Final = 2000
"""Bound on loop turns when waiting for the background pump (autojump)."""


@pytest.fixture
async def receivers() -> AsyncIterator[Receivers]:
    async with Receivers() as made:
        yield made


async def clock(client: Client) -> JSON:
    return await get_json(client, "/__sim/clock")


async def now(client: Client) -> Millis:
    return parse_instant((await clock(client))["now"])


async def events(client: Client, **params: str) -> JSON:
    return await get_json(client, "/__sim/events", params)


async def send_at(client: Client, to: str, at: Millis, bulk_id: str | None = None) -> str:
    schedule: JSON = {"sendAt": format_instant(at)}
    if bulk_id is not None:
        schedule["bulkId"] = bulk_id
    request = {
        "messages": [{"sender": "InfoSMS", "destinations": [{"to": to}], "content": {"text": "x"}}],
        "options": {"schedule": schedule},
    }
    message_id: str = (await post_json(client, "/sms/3/messages", request))["messages"][0][
        "messageId"
    ]
    return message_id


async def snapshot(client: Client) -> list[JSON]:
    """Everything a bad request must leave alone."""
    return [
        await clock(client),
        await events(client),
        await get_json(client, "/__sim/messages"),
        await get_json(client, "/__sim/inbound"),
        await get_json(client, "/__sim/webhooks"),
        await get_json(client, "/sms/3/logs"),
    ]


async def populated(
    aiohttp_client: ClientFactory, wall: FakeWallClock | None = None, **settings: Any
) -> Client:
    """A simulator with history and a future: a delivered message, two scheduled ones and a
    future inbound message."""
    simulator = Simulator(SimulatorConfig(start=START, seed=7, **settings), wall=wall)
    client = await aiohttp_client(make_app(simulator), headers=AUTH)
    await send_v3(client, "41793026700")
    await advance(client, by="10s")
    await send_at(client, "41793026701", START + HOUR)
    await send_at(client, "41793026702", START + 2 * HOUR)
    inbound = {
        "from": "385916242493",
        "to": "385921004026",
        "text": "HI",
        "at": "2026-01-01T09:30Z",
    }
    await post_json(client, "/__sim/inbound", inbound)
    return client


def assert_control_error(answer: JSON, field: str | None) -> None:
    assert set(answer) == {"error", "field"}, answer
    assert isinstance(answer["error"], str)
    assert answer["error"]
    assert answer["field"] == field, answer


# -- reading the clock ------------------------------------------------------------------------
async def test_clock_reads_now_mode_and_the_next_event(aiohttp_client: ClientFactory) -> None:
    client = await start_simulator(aiohttp_client)
    assert await clock(client) == {
        "now": format_instant(START),
        "mode": "manual",
        "rate": 1.0,
        "start": format_instant(START),
        "pendingEvents": 0,
        "nextEventAt": None,
    }
    await send_at(client, "41793026701", START + HOUR)
    state = await clock(client)
    assert state["pendingEvents"] == 1
    assert state["nextEventAt"] == format_instant(START + HOUR)


# -- advancing ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("by", "millis"),
    [
        ("90s", 90 * SECOND),
        ("15m", 15 * MINUTE),
        ("2h", 2 * HOUR),
        ("1h30m", 90 * MINUTE),
        ("500ms", 500),
        ("PT15M", 15 * MINUTE),
        ("PT1H30M", 90 * MINUTE),
        ("P1DT2H", DAY + 2 * HOUR),
        ("PT0.5S", 500),
        (90, 90 * SECOND),
        (1.5, 1500),
        ("0s", 0),
        (0, 0),
    ],
)
async def test_advance_by_a_duration(
    aiohttp_client: ClientFactory, by: str | float, millis: Millis
) -> None:
    client = await start_simulator(aiohttp_client)
    answer = await advance(client, by=by)
    assert answer["now"] == format_instant(START + millis)
    assert answer["fired"] == 0
    assert await now(client) == START + millis


async def test_advance_fires_what_falls_due_and_counts_it(aiohttp_client: ClientFactory) -> None:
    client = await start_simulator(aiohttp_client)
    message_id = await send_at(client, "41793026701", START + HOUR)
    answer = await advance(client, by="1h")
    assert answer["fired"] == 1, "the send (its PENDING_ENROUTE step runs inside it)"
    assert answer["nextEventAt"] == format_instant(START + HOUR + 3 * SECOND)
    answer = await advance(client, by="3s")
    assert answer["fired"] == 1
    assert answer["pendingEvents"] == 0
    [message] = (await get_json(client, "/__sim/messages"))["messages"]
    assert message["messageId"] == message_id
    assert message["status"]["name"] == "DELIVERED_TO_HANDSET"


async def test_advance_to_an_instant(aiohttp_client: ClientFactory) -> None:
    client = await start_simulator(aiohttp_client)
    answer = await advance(client, to="2026-01-01T10:15:00.000+0000")
    assert answer["now"] == "2026-01-01T10:15:00.000+0000"
    same = await advance(client, to="2026-01-01T11:15:00+01:00")  # the same instant
    assert same["now"] == "2026-01-01T10:15:00.000+0000"
    later = await advance(client, to="2026-01-02T00:00:00Z")
    assert later["now"] == "2026-01-02T00:00:00.000+0000"


async def test_advance_to_the_next_event(aiohttp_client: ClientFactory) -> None:
    client = await start_simulator(aiohttp_client)
    await send_at(client, "41793026702", START + 2 * HOUR)
    await send_at(client, "41793026701", START + HOUR)
    first = await advance(client, next=True)
    assert first["now"] == format_instant(START + HOUR)
    assert first["fired"] == 1
    second = await advance(client, next=True)
    assert second["now"] == format_instant(START + HOUR + 3 * SECOND)
    third = await advance(client, next=True)
    assert third["now"] == format_instant(START + 2 * HOUR)
    await advance(client, next=True)
    idle = await advance(client, next=True)
    assert idle["now"] == format_instant(START + 2 * HOUR + 3 * SECOND), "nothing left: stays"
    assert idle["fired"] == 0


async def test_next_false_beside_by_is_just_by(aiohttp_client: ClientFactory) -> None:
    client = await start_simulator(aiohttp_client)
    answer = await advance(client, by="1m", next=False)
    assert answer["now"] == format_instant(START + MINUTE)


BAD_ADVANCES: Final[list[tuple[str, JSON, str | None]]] = [
    ("unknown unit", {"by": "15x"}, "by"),
    ("a word", {"by": "fortnight"}, "by"),
    ("empty", {"by": ""}, "by"),
    ("blank", {"by": "   "}, "by"),
    ("negative text", {"by": "-5m"}, "by"),
    ("negative number", {"by": -5}, "by"),
    ("boolean", {"by": True}, "by"),
    ("bare P", {"by": "P"}, "by"),
    ("bare PT", {"by": "PT"}, "by"),
    ("months are ambiguous", {"by": "P1M"}, "by"),
    ("years are ambiguous", {"by": "P1Y"}, "by"),
    ("inf", {"by": "inf"}, "by"),
    ("nan", {"by": "nan"}, "by"),
    ("a list", {"by": ["15m"]}, "by"),
    ("an object", {"by": {"minutes": 15}}, "by"),
    ("past year 9999", {"by": "100000000d"}, "by"),
    ("a huge number", {"by": 1e300}, "by"),
    ("backwards", {"to": "2026-01-01T08:59:59.999+0000"}, "to"),
    ("backwards by offset", {"to": "2026-01-01T09:00:00+00:01"}, "to"),
    ("not an instant", {"to": "yesterday"}, "to"),
    ("impossible date", {"to": "2026-13-01T00:00:00Z"}, "to"),
    ("empty instant", {"to": ""}, "to"),
    ("instant as a number", {"to": START + HOUR}, "to"),
    ("next a string", {"next": "yes"}, "next"),
    ("next a number", {"next": 1}, "next"),
    ("by and to", {"by": "1m", "to": "2026-01-01T10:00:00Z"}, None),
    ("by and next", {"by": "1m", "next": True}, None),
    ("to and next", {"to": "2026-01-01T10:00:00Z", "next": True}, None),
    ("all three", {"by": "1m", "to": "2026-01-01T10:00:00Z", "next": True}, None),
    ("nothing", {}, None),
    ("next false", {"next": False}, None),
    ("by null", {"by": None}, None),
    ("an unknown key", {"until": "1h"}, None),
]


@pytest.mark.parametrize(
    ("body", "field"),
    [case[1:] for case in BAD_ADVANCES],
    ids=[case[0] for case in BAD_ADVANCES],
)
async def test_bad_advance_is_a_400_that_changes_nothing(
    aiohttp_client: ClientFactory, body: JSON, field: str | None
) -> None:
    client = await populated(aiohttp_client)
    before = await snapshot(client)
    response = await client.post("/__sim/clock/advance", json=body)
    assert response.status == 400, await response.text()
    assert response.content_type == "application/json"
    assert_control_error(await response.json(), field)
    assert await snapshot(client) == before


MALFORMED: Final = [b"{", b'{"by": "1m",}', b"by=1m", b"[]", b'["15m"]', b'"15m"', b"15", b"null"]


@pytest.mark.parametrize("raw", MALFORMED)
@pytest.mark.parametrize("path", ["/__sim/clock/advance", "/__sim/clock/mode", "/__sim/inbound"])
async def test_malformed_or_non_object_json_is_a_400_that_changes_nothing(
    aiohttp_client: ClientFactory, raw: bytes, path: str
) -> None:
    client = await populated(aiohttp_client)
    before = await snapshot(client)
    response = await client.post(path, data=raw, headers={"Content-Type": "application/json"})
    assert response.status == 400, await response.text()
    assert_control_error(await response.json(), "body")
    assert await snapshot(client) == before


async def test_an_empty_advance_body_is_a_400(aiohttp_client: ClientFactory) -> None:
    client = await populated(aiohttp_client)
    before = await snapshot(client)
    response = await client.post("/__sim/clock/advance")
    assert response.status == 400
    assert_control_error(await response.json(), None)
    assert await snapshot(client) == before


# -- modes ------------------------------------------------------------------------------------
BAD_MODES: Final[list[tuple[str, JSON, str]]] = [
    ("unknown mode", {"mode": "fast"}, "mode"),
    ("upper case", {"mode": "MANUAL"}, "mode"),
    ("no mode", {}, "mode"),
    ("mode null", {"mode": None}, "mode"),
    ("mode a number", {"mode": 1}, "mode"),
    ("zero rate", {"mode": "realtime", "rate": 0}, "rate"),
    ("negative rate", {"mode": "realtime", "rate": -60}, "rate"),
    ("rate a string", {"mode": "realtime", "rate": "60"}, "rate"),
    ("rate a boolean", {"mode": "realtime", "rate": True}, "rate"),
    ("rate a list", {"mode": "realtime", "rate": [60]}, "rate"),
    ("rate too high", {"mode": "realtime", "rate": 1e10}, "rate"),
    ("bad rate with manual", {"mode": "manual", "rate": -1}, "rate"),
]


@pytest.mark.parametrize(
    ("body", "field"), [case[1:] for case in BAD_MODES], ids=[case[0] for case in BAD_MODES]
)
async def test_bad_mode_is_a_400_that_changes_nothing(
    aiohttp_client: ClientFactory, body: JSON, field: str
) -> None:
    client = await populated(aiohttp_client)
    before = await snapshot(client)
    response = await client.post("/__sim/clock/mode", json=body)
    assert response.status == 400, await response.text()
    assert_control_error(await response.json(), field)
    assert await snapshot(client) == before


async def test_a_nan_rate_is_a_400(aiohttp_client: ClientFactory) -> None:
    client = await populated(aiohttp_client)
    before = await snapshot(client)
    response = await client.post(
        "/__sim/clock/mode",
        data=b'{"mode": "realtime", "rate": NaN}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 400
    assert_control_error(await response.json(), "rate")
    assert await snapshot(client) == before


async def test_realtime_runs_by_itself_at_its_rate(aiohttp_client: ClientFactory) -> None:
    wall = FakeWallClock()
    simulator = Simulator(SimulatorConfig(start=START, seed=7), wall=wall)
    client = await aiohttp_client(make_app(simulator), headers=AUTH)

    answer = await post_json(client, "/__sim/clock/mode", {"mode": "realtime", "rate": 60})
    assert (answer["mode"], answer["rate"]) == ("realtime", 60.0)
    assert answer["now"] == format_instant(START)
    wall.tick(10)  # ten real seconds are ten virtual minutes
    assert await now(client) == START + 10 * MINUTE

    [message_id] = [m["messageId"] for m in (await send_v3(client, "41793026727"))["messages"]]
    wall.tick(0.5)  # 30 virtual seconds: the delivery (3 s after the send) is due
    [log] = (await get_json(client, "/sms/3/logs"))["results"]
    assert log["messageId"] == message_id
    assert log["status"]["name"] == "DELIVERED_TO_HANDSET"
    assert log["doneAt"] == format_instant(START + 10 * MINUTE + 3 * SECOND), "exact, not late"
    assert await now(client) == START + 10 * MINUTE + 30 * SECOND

    explicit = await advance(client, by="1h")  # explicit advances work on top
    assert explicit["now"] == format_instant(START + 70 * MINUTE + 30 * SECOND)

    frozen = await post_json(client, "/__sim/clock/mode", {"mode": "manual"})
    assert frozen["mode"] == "manual"
    wall.tick(3600)
    assert await now(client) == START + 70 * MINUTE + 30 * SECOND, "manual time stands still"

    faster = await post_json(client, "/__sim/clock/mode", {"mode": "realtime", "rate": 3600})
    assert faster["rate"] == 3600.0
    wall.tick(2)
    assert await now(client) == START + 70 * MINUTE + 30 * SECOND + 2 * HOUR
    kept = await post_json(client, "/__sim/clock/mode", {"mode": "realtime"})
    assert kept["rate"] == 3600.0, "a mode switch without a rate keeps the rate"


async def wait_for_idle(client: Client) -> JSON:
    """Poll the clock (a bounded number of loop turns) until nothing is scheduled."""
    for _ in range(POLLS):
        state = await clock(client)
        if state["pendingEvents"] == 0:
            return state
        await asyncio.sleep(0)  # a loop yield, not a wait for a duration
    raise AssertionError(f"the schedule never ran empty: {state}")


async def test_autojump_plays_out_what_is_scheduled(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new()
    client = await start_simulator(aiohttp_client, default_report_url=receiver.url())
    first = await send_at(client, "41793026701", START + HOUR)
    second = await send_at(client, "41793026702", START + 5 * HOUR)

    answer = await post_json(client, "/__sim/clock/mode", {"mode": "autojump"})
    assert answer["mode"] == "autojump"
    state = await wait_for_idle(client)
    assert state["now"] == format_instant(START + 5 * HOUR + 3 * SECOND)
    await advance(client, by="0s")  # the last push may still be in flight: let it finish
    messages = (await get_json(client, "/__sim/messages"))["messages"]
    assert {m["messageId"]: m["status"]["name"] for m in messages} == {
        first: "DELIVERED_TO_HANDSET",
        second: "DELIVERED_TO_HANDSET",
    }
    assert receiver.per_message() == {first: 1, second: 1}, "pushes are made while jumping"
    pushes = (await get_json(client, "/__sim/webhooks"))["webhooks"]
    assert sorted(p["createdAt"] for p in pushes) == [
        format_instant(START + HOUR + 3 * SECOND),
        format_instant(START + 5 * HOUR + 3 * SECOND),
    ]


async def test_autojump_delivers_what_is_sent_while_in_it(aiohttp_client: ClientFactory) -> None:
    client = await start_simulator(aiohttp_client)
    await post_json(client, "/__sim/clock/mode", {"mode": "autojump"})
    answer = await send_v3(client, "41793026727")
    state = await wait_for_idle(client)
    assert state["now"] == format_instant(START + 3 * SECOND)
    [message] = (await get_json(client, "/__sim/messages"))["messages"]
    assert message["messageId"] == answer["messages"][0]["messageId"]
    assert message["status"]["name"] == "DELIVERED_TO_HANDSET"


# -- events -----------------------------------------------------------------------------------
async def test_events_list_the_schedule_in_order(aiohttp_client: ClientFactory) -> None:
    client = await start_simulator(aiohttp_client)
    late = await send_at(client, "41793026703", START + 3 * HOUR)
    early = await send_at(client, "41793026701", START + HOUR)
    middle = await send_at(client, "41793026702", START + 2 * HOUR)
    inbound = {"from": "385916242493", "to": "385921004026", "text": "HI"}
    await post_json(
        client, "/__sim/inbound", {**inbound, "at": format_instant(START + 90 * MINUTE)}
    )

    listed = await events(client)
    assert listed["total"] == 4
    assert listed["events"] == [
        {
            "at": format_instant(START + HOUR),
            "kind": "send",
            "messageId": early,
            "to": "41793026701",
        },
        {
            "at": format_instant(START + 90 * MINUTE),
            "kind": "inbound",
            "messageId": None,
            "to": None,
        },
        {
            "at": format_instant(START + 2 * HOUR),
            "kind": "send",
            "messageId": middle,
            "to": "41793026702",
        },
        {
            "at": format_instant(START + 3 * HOUR),
            "kind": "send",
            "messageId": late,
            "to": "41793026703",
        },
    ]
    limited = await events(client, limit="2")
    assert limited["events"] == listed["events"][:2]
    assert limited["total"] == 4

    await advance(client, next=True)
    after = (await events(client))["events"]
    assert [(e["at"], e["kind"], e["messageId"]) for e in after[:2]] == [
        (format_instant(START + HOUR + 3 * SECOND), "step", early),
        (format_instant(START + 90 * MINUTE), "inbound", None),
    ]


async def test_a_bad_event_limit_is_a_400(aiohttp_client: ClientFactory) -> None:
    client = await start_simulator(aiohttp_client)
    response = await client.get("/__sim/events", params={"limit": "ten"})
    assert response.status == 400
    assert_control_error(await response.json(), "limit")


# -- reset ------------------------------------------------------------------------------------
async def test_reset_restores_the_start(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new(default=500)
    wall = FakeWallClock()
    client = await populated(aiohttp_client, wall=wall, default_report_url=receiver.url())
    before_ids = [m["messageId"] for m in (await get_json(client, "/__sim/messages"))["messages"]]
    await advance(client, by="3h")
    await post_json(client, "/__sim/clock/mode", {"mode": "realtime", "rate": 5})
    wall.tick(60)
    assert await now(client) == START + 10 * SECOND + 3 * HOUR + 5 * MINUTE
    assert (await get_json(client, "/__sim/webhooks"))["webhooks"] != []
    assert (await get_json(client, "/__sim/requests"))["requests"] != []

    answer = await post_json(client, "/__sim/reset", {})
    assert answer == {
        "now": format_instant(START),
        "mode": "manual",
        "rate": 1.0,
        "start": format_instant(START),
        "pendingEvents": 0,
        "nextEventAt": None,
    }
    assert await clock(client) == answer
    assert (await get_json(client, "/__sim/messages"))["messages"] == []
    assert (await get_json(client, "/__sim/requests"))["requests"] == []
    assert (await get_json(client, "/__sim/webhooks"))["webhooks"] == []
    assert (await get_json(client, "/__sim/inbound"))["inbound"] == []
    assert (await get_json(client, "/sms/3/logs"))["results"] == []
    assert (await get_json(client, "/sms/3/reports"))["results"] == []
    assert (await get_json(client, "/sms/1/inbox/reports"))["results"] == []
    attempts = len(receiver.receipts)
    await advance(client, by="1d")
    assert len(receiver.receipts) == attempts, "retries from before the reset are gone"

    # The seed starts over: the same requests make the same ids.
    await post_json(client, "/__sim/reset", {})
    again = await populated_again(client)
    assert again == before_ids


async def populated_again(client: Client) -> list[str]:
    await send_v3(client, "41793026700")
    await advance(client, by="10s")
    await send_at(client, "41793026701", START + HOUR)
    await send_at(client, "41793026702", START + 2 * HOUR)
    return [m["messageId"] for m in (await get_json(client, "/__sim/messages"))["messages"]]


# -- health and readiness ---------------------------------------------------------------------
async def test_health_and_readiness(aiohttp_client: ClientFactory) -> None:
    client = await start_simulator(aiohttp_client)
    assert await get_json(client, "/__sim/health") == {"status": "ok"}
    assert await get_json(client, "/__sim/ready") == {"ready": True}


async def test_unknown_control_routes_answer_in_the_control_shape(
    aiohttp_client: ClientFactory,
) -> None:
    client = await start_simulator(aiohttp_client)
    missing = await client.get("/__sim/nope")
    assert missing.status == 404
    assert_control_error(await missing.json(), None)
    wrong_method = await client.delete("/__sim/clock")
    assert wrong_method.status == 405
    assert_control_error(await wrong_method.json(), None)


# -- the journals -----------------------------------------------------------------------------
async def test_message_journal_has_the_full_timeline(aiohttp_client: ClientFactory) -> None:
    client = await start_simulator(aiohttp_client)
    answer = await send_v3(client, "41793026727", bulk_id="JOURNAL-1", sender="Shop")
    [message_id] = [m["messageId"] for m in answer["messages"]]
    await advance(client, by="3s")
    [message] = (await get_json(client, "/__sim/messages"))["messages"]
    assert message["messageId"] == message_id
    assert message["bulkId"] == "JOURNAL-1"
    assert message["account"] == "default"
    assert message["from"] == "Shop"
    assert message["to"] == "41793026727"
    assert message["text"] == "Hello"
    assert message["smsCount"] == 1
    assert message["submittedAt"] == format_instant(START)
    assert message["sentAt"] == format_instant(START)
    assert message["doneAt"] == format_instant(START + 3 * SECOND)
    assert message["final"] is True
    assert message["status"]["name"] == "DELIVERED_TO_HANDSET"
    assert message["timeline"] == [
        {"at": format_instant(START), "status": "PENDING_ACCEPTED", "error": "NO_ERROR"},
        {"at": format_instant(START), "status": "PENDING_ENROUTE", "error": "NO_ERROR"},
        {
            "at": format_instant(START + 3 * SECOND),
            "status": "DELIVERED_TO_HANDSET",
            "error": "NO_ERROR",
        },
    ]


async def test_message_journal_filters(aiohttp_client: ClientFactory) -> None:
    client = await start_simulator(aiohttp_client)
    a = (await send_v3(client, "41793026701", bulk_id="B-1", sender="One"))["messages"][0]
    await advance(client, by="3s")
    b = (await send_v3(client, "41793026702", bulk_id="B-2", sender="Two"))["messages"][0]
    a_id, b_id = a["messageId"], b["messageId"]

    async def found(**params: str) -> list[str]:
        body = await get_json(client, "/__sim/messages", params)
        return [m["messageId"] for m in body["messages"]]

    assert await found() == [b_id, a_id], "newest first"
    assert await found(to="41793026701") == [a_id]
    assert await found(**{"from": "Two"}) == [b_id]
    assert await found(bulkId="B-2") == [b_id]
    assert await found(messageId=a_id) == [a_id]
    assert await found(status="DELIVERED_TO_HANDSET") == [a_id]
    assert await found(status="DELIVERED") == [a_id]
    assert await found(status="PENDING") == [b_id]
    assert await found(status="PENDING_ENROUTE") == [b_id]
    assert await found(to="00000000000") == []
    limited = await get_json(client, "/__sim/messages", {"limit": "1"})
    assert [m["messageId"] for m in limited["messages"]] == [b_id]
    assert limited["more"] is True
    assert (await get_json(client, "/__sim/messages"))["more"] is False
    response = await client.get("/__sim/messages", params={"limit": "all"})
    assert response.status == 400
    assert_control_error(await response.json(), "limit")


async def test_request_journal_records_infobip_requests_only(
    aiohttp_client: ClientFactory,
) -> None:
    client = await start_simulator(aiohttp_client)
    await send_v3(client, "41793026727")
    await advance(client, by="1m")
    await client.get("/sms/3/logs", params={"limit": "5"})
    bad = await client.post("/sms/3/messages", json={"messages": []})
    assert bad.status == 400
    anonymous = await client.get("/sms/3/logs", headers={"Authorization": ""})
    assert anonymous.status == 401

    requests = (await get_json(client, "/__sim/requests"))["requests"]
    assert [(r["method"], r["path"], r["status"]) for r in requests] == [
        ("GET", "/sms/3/logs", 401),
        ("POST", "/sms/3/messages", 400),
        ("GET", "/sms/3/logs", 200),
        ("POST", "/sms/3/messages", 200),
    ], "newest first; control-plane calls are not recorded"
    newest, _, logs, send = requests
    assert newest["account"] is None
    assert send["account"] == "default"
    assert send["at"] == format_instant(START)
    assert '"41793026727"' in send["body"]
    assert logs["query"] == "limit=5"
    assert logs["at"] == format_instant(START + MINUTE)
    assert [r["seq"] for r in requests] == [4, 3, 2, 1]
    assert all(r["latencyMs"] >= 0 for r in requests)

    only_sends = await get_json(client, "/__sim/requests", {"path": "/sms/3/messages"})
    assert [r["status"] for r in only_sends["requests"]] == [400, 200]
    limited = await get_json(client, "/__sim/requests", {"limit": "1"})
    assert [r["seq"] for r in limited["requests"]] == [4]
    response = await client.get("/__sim/requests", params={"limit": "x"})
    assert response.status == 400
    assert_control_error(await response.json(), "limit")


async def test_inbound_journal_lists_every_message_with_its_account(
    aiohttp_client: ClientFactory,
) -> None:
    client = await start_simulator(aiohttp_client)
    for n in range(3):
        body = {
            "from": "385916242493",
            "to": "385921004026",
            "text": f"T {n}",
            "messageId": f"i{n}",
        }
        await post_json(client, "/__sim/inbound", body)
    await get_json(client, "/sms/1/inbox/reports")  # pulling does not empty the journal
    listed = (await get_json(client, "/__sim/inbound"))["inbound"]
    assert [(m["messageId"], m["account"]) for m in listed] == [
        ("i0", "default"),
        ("i1", "default"),
        ("i2", "default"),
    ]
    limited = (await get_json(client, "/__sim/inbound", {"limit": "2"}))["inbound"]
    assert [m["messageId"] for m in limited] == ["i1", "i2"], "the latest ones"
