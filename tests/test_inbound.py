"""Inbound (MO) messages: injected through ``POST /__sim/inbound``, queued for
``GET /sms/1/inbox/reports`` (each returned once) and pushed to the inbound URL in the
``MO_JSON_2`` shape, now or when the clock reaches their instant. Bad input is a 400 that
changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Final

import pytest
from schema_check import SchemaChecker
from test_webhooks import (
    INBOUND,
    START,
    Client,
    ClientFactory,
    Receivers,
    advance,
    advance_to,
    attempt_instants,
    check_webhook,
    expected_instants,
    get_json,
    post_json,
    start_simulator,
    webhooks,
)

from simulator.timefmt import MINUTE, SECOND, format_instant

JSON = dict[str, Any]
CHECKER: Final = SchemaChecker()
INBOX: Final = "/sms/1/inbox/reports"
NUMBER: Final = "385921004026"
"""The purchased number the messages are sent to."""


@pytest.fixture
async def receivers() -> AsyncIterator[Receivers]:
    async with Receivers() as made:
        yield made


async def inject(client: Client, **body: Any) -> JSON:
    message: JSON = {"from": "385916242493", "to": NUMBER, "text": "QUIZ Correct answer is Paris"}
    return await post_json(client, "/__sim/inbound", {**message, **body})


async def inbox(client: Client, limit: int | None = None) -> JSON:
    params = None if limit is None else {"limit": str(limit)}
    body = await get_json(client, INBOX, params)
    CHECKER.check(body, CHECKER.response_schema(INBOX, "get"), "inbox answer")
    return body


async def journal(client: Client) -> list[JSON]:
    found: list[JSON] = (await get_json(client, "/__sim/inbound"))["inbound"]
    return found


async def events(client: Client) -> list[JSON]:
    found: list[JSON] = (await get_json(client, "/__sim/events"))["events"]
    return found


# -- injecting and pulling --------------------------------------------------------------------
async def test_an_injected_message_is_pulled_once(aiohttp_client: ClientFactory) -> None:
    client = await start_simulator(aiohttp_client)
    injected = await inject(client, messageId="mo-1")
    assert injected == {
        "messageId": "mo-1",
        "from": "385916242493",
        "to": NUMBER,
        "text": "QUIZ Correct answer is Paris",
        "cleanText": "Correct answer is Paris",
        "keyword": "QUIZ",
        "receivedAt": format_instant(START),
        "smsCount": 1,
        "price": {"pricePerMessage": 0.0, "currency": "EUR"},
        "account": "default",
    }

    first = await inbox(client)
    assert first["messageCount"] == 1
    assert first["pendingMessageCount"] == 0
    [result] = first["results"]
    assert result == {k: v for k, v in injected.items() if k != "account"}

    again = await inbox(client)
    assert again == {"results": [], "messageCount": 0, "pendingMessageCount": 0}
    assert [m["messageId"] for m in await journal(client)] == ["mo-1"], "the journal keeps it"


async def test_generated_message_ids_are_unique(aiohttp_client: ClientFactory) -> None:
    client = await start_simulator(aiohttp_client)
    ids = [(await inject(client, text=f"hi {n}"))["messageId"] for n in range(20)]
    assert len(set(ids)) == 20
    assert [r["messageId"] for r in (await inbox(client, limit=100))["results"]] == ids


@pytest.mark.parametrize(
    ("text", "keyword", "clean"),
    [
        ("QUIZ Correct answer is Paris", "QUIZ", "Correct answer is Paris"),
        ("stop", "STOP", ""),
        ("  Join   the club ", "JOIN", "the club"),
    ],
)
async def test_keyword_and_clean_text(
    aiohttp_client: ClientFactory, text: str, keyword: str, clean: str
) -> None:
    client = await start_simulator(aiohttp_client)
    await inject(client, text=text)
    [result] = (await inbox(client))["results"]
    assert result["text"] == text
    assert result["keyword"] == keyword
    assert result["cleanText"] == clean


async def test_limit_pages_through_the_queue_with_pending_counts(
    aiohttp_client: ClientFactory,
) -> None:
    client = await start_simulator(aiohttp_client)
    ids = [(await inject(client, messageId=f"mo-{n}"))["messageId"] for n in range(5)]
    pages = [await inbox(client, limit=2) for _ in range(4)]
    assert [[r["messageId"] for r in page["results"]] for page in pages] == [
        ids[0:2],
        ids[2:4],
        ids[4:5],
        [],
    ]
    assert [page["messageCount"] for page in pages] == [2, 2, 1, 0]
    assert [page["pendingMessageCount"] for page in pages] == [3, 1, 0, 0]


@pytest.mark.parametrize("limit", ["0", "1001", "many"])
async def test_a_bad_inbox_limit_is_a_400_and_takes_nothing(
    aiohttp_client: ClientFactory, limit: str
) -> None:
    client = await start_simulator(aiohttp_client)
    await inject(client)
    response = await client.get(INBOX, params={"limit": limit})
    assert response.status == 400, await response.text()
    assert (await inbox(client))["messageCount"] == 1


async def test_a_future_message_arrives_when_the_clock_reaches_it(
    aiohttp_client: ClientFactory,
) -> None:
    client = await start_simulator(aiohttp_client)
    at = START + 10 * MINUTE
    injected = await inject(client, at=format_instant(at), messageId="later")
    assert injected["receivedAt"] == format_instant(at)
    assert await events(client) == [
        {"at": format_instant(at), "kind": "inbound", "messageId": None, "to": None}
    ]
    assert (await inbox(client))["messageCount"] == 0
    assert await journal(client) == []

    await advance_to(client, at - 1)
    assert (await inbox(client))["messageCount"] == 0
    await advance(client, by="1ms")
    [result] = (await inbox(client))["results"]
    assert result["messageId"] == "later"
    assert result["receivedAt"] == format_instant(at)
    assert [m["messageId"] for m in await journal(client)] == ["later"]
    assert await events(client) == []


async def test_an_instant_given_as_now_is_received_at_once(aiohttp_client: ClientFactory) -> None:
    client = await start_simulator(aiohttp_client)
    await advance(client, by="1m")
    await inject(client, at=format_instant(START + MINUTE))
    [result] = (await inbox(client))["results"]
    assert result["receivedAt"] == format_instant(START + MINUTE)


# -- the MO webhook ---------------------------------------------------------------------------
async def test_an_injected_message_is_pushed_in_the_mo_json_2_shape(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new()
    client = await start_simulator(aiohttp_client, default_inbound_url=receiver.url("/mo"))
    injected = await inject(client, messageId="mo-push")
    await advance(client, by="0s")

    [receipt] = receiver.receipts
    assert receipt.path == "/mo"
    assert receipt.content_type == "application/json"
    check_webhook(receipt.body, INBOUND)
    assert receipt.body == {
        "results": [{k: v for k, v in injected.items() if k != "account"}],
        "messageCount": 1,
        "pendingMessageCount": 0,
    }
    [push] = await webhooks(client)
    assert push["kind"] == "inbound"
    assert push["state"] == "delivered"
    assert push["messageIds"] == ["mo-push"]
    assert push["createdAt"] == format_instant(START)
    assert (await inbox(client))["messageCount"] == 1, "pushed and queued for pulling"

    await advance(client, by="1d")
    assert receiver.per_message() == {"mo-push": 1}


async def test_future_messages_due_together_are_pushed_together(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new()
    client = await start_simulator(aiohttp_client, default_inbound_url=receiver.url())
    at = format_instant(START + 5 * MINUTE)
    ids = [
        (await inject(client, at=at, messageId=f"mo-{n}", text=f"VOTE {n}"))["messageId"]
        for n in range(130)
    ]
    await inject(client, at=format_instant(START + 6 * MINUTE), messageId="alone")

    await advance(client, by="299999ms")
    assert receiver.receipts == []
    await advance(client, by="1ms")
    assert sorted(len(body["results"]) for body in receiver.bodies()) == [30, 100]
    assert sorted(body["messageCount"] for body in receiver.bodies()) == [30, 100]
    assert [r["messageId"] for r in receiver.results()] == ids
    assert {r["receivedAt"] for r in receiver.results()} == {at}
    for body in receiver.bodies():
        check_webhook(body, INBOUND)
        assert body["results"][0]["keyword"] == "VOTE"

    await advance(client, by="1m")
    assert receiver.receipts[-1].message_ids == ["alone"]
    assert receiver.per_message() == {**dict.fromkeys(ids, 1), "alone": 1}


async def test_a_failing_inbound_receiver_is_retried_on_the_schedule(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new(500, 502)
    client = await start_simulator(aiohttp_client, default_inbound_url=receiver.url())
    await inject(client, messageId="mo-retry")
    await advance(client, by="1h")
    [push] = await webhooks(client, kind="inbound")
    assert push["state"] == "delivered"
    assert attempt_instants(push) == expected_instants(START, 2)
    assert [a["httpStatus"] for a in push["attempts"]] == [500, 502, 200]
    assert receiver.accepted_per_message() == {"mo-retry": 1}


async def test_without_an_inbound_url_nothing_is_pushed(aiohttp_client: ClientFactory) -> None:
    client = await start_simulator(aiohttp_client)
    await inject(client)
    await advance(client, by="1h")
    assert await webhooks(client) == []
    assert (await inbox(client))["messageCount"] == 1


# -- bad input --------------------------------------------------------------------------------
VALID: Final[JSON] = {"from": "385916242493", "to": NUMBER, "text": "hello"}
BAD_BODIES: Final[list[tuple[str, JSON, str]]] = [
    ("no from", {"to": NUMBER, "text": "hello"}, "from"),
    ("no to", {"from": "385916242493", "text": "hello"}, "to"),
    ("no text", {"from": "385916242493", "to": NUMBER}, "text"),
    ("from null", {**VALID, "from": None}, "from"),
    ("from a number", {**VALID, "from": 385916242493}, "from"),
    ("text a number", {**VALID, "text": 42}, "text"),
    ("text a list", {**VALID, "text": ["hello"]}, "text"),
    ("text empty", {**VALID, "text": ""}, "text"),
    ("text blank", {**VALID, "text": "   "}, "text"),
    ("text too long", {**VALID, "text": "x" * 4097}, "text"),
    ("at in the past", {**VALID, "at": format_instant(START - 1)}, "at"),
    ("at not an instant", {**VALID, "at": "tomorrow"}, "at"),
    ("at impossible", {**VALID, "at": "2026-02-30T09:00:00.000+0000"}, "at"),
    ("at a number", {**VALID, "at": START + SECOND}, "at"),
    ("messageId a number", {**VALID, "messageId": 7}, "messageId"),
]


async def assert_nothing_changed(client: Client, receivers: Receivers) -> None:
    assert await journal(client) == []
    assert await events(client) == []
    assert (await inbox(client))["messageCount"] == 0
    assert await webhooks(client) == []
    assert all(receiver.receipts == [] for receiver in receivers.started)
    clock = await get_json(client, "/__sim/clock")
    assert clock["now"] == format_instant(START)


@pytest.mark.parametrize(
    ("body", "field"), [case[1:] for case in BAD_BODIES], ids=[case[0] for case in BAD_BODIES]
)
async def test_bad_inbound_input_is_a_400_that_changes_nothing(
    aiohttp_client: ClientFactory, receivers: Receivers, body: JSON, field: str
) -> None:
    receiver = await receivers.new()
    client = await start_simulator(aiohttp_client, default_inbound_url=receiver.url())
    response = await client.post("/__sim/inbound", json=body)
    assert response.status == 400, await response.text()
    assert response.content_type == "application/json"
    answer = await response.json()
    assert set(answer) == {"error", "field"}
    assert answer["field"] == field
    assert isinstance(answer["error"], str)
    assert answer["error"]
    await advance(client, by="0s")
    await assert_nothing_changed(client, receivers)


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b'{"from": "1", "to": "2", "text": "x",}',
        b"not json",
        b"[]",
        b'"text"',
        b"42",
        b"null",
    ],
)
async def test_a_body_that_is_not_a_json_object_is_a_400(
    aiohttp_client: ClientFactory, receivers: Receivers, raw: bytes
) -> None:
    receiver = await receivers.new()
    client = await start_simulator(aiohttp_client, default_inbound_url=receiver.url())
    response = await client.post(
        "/__sim/inbound", data=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400, await response.text()
    answer = await response.json()
    assert set(answer) == {"error", "field"}
    assert answer["field"] == "body"
    await assert_nothing_changed(client, receivers)


async def test_an_empty_body_is_a_400_naming_the_first_missing_field(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    client = await start_simulator(aiohttp_client)
    response = await client.post("/__sim/inbound")
    assert response.status == 400
    assert (await response.json())["field"] == "from"
    await assert_nothing_changed(client, receivers)
