"""Delivery-report webhooks against real local receivers: body shapes per family, batching,
intermediate reports, the retry timeline on the virtual clock, and pushes never blocking the API.

Every receiver is a real aiohttp server on 127.0.0.1; the simulator runs in the test's loop
behind ``aiohttp_client``. Time moves only through ``POST /__sim/clock/advance``, which returns
after every push that fell due has been attempted, so each test asserts right after it.
"""

from __future__ import annotations

import asyncio
import socket
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final, Literal

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from schema_check import SchemaChecker, load_openapi

from simulator.app import make_app
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.dispatch import retry_delay
from simulator.timefmt import DAY, MINUTE, SECOND, Millis, format_instant, parse_instant

Client = TestClient[web.Request, web.Application]
ClientFactory = Callable[..., Awaitable[Client]]
JSON = dict[str, Any]

START: Final = parse_instant("2026-01-01T09:00:00.000+0000")
DELIVERED_AT: Final = START + 3 * SECOND
"""The default timeline: PENDING_ENROUTE at the send, DELIVERED_TO_HANDSET 3 s later."""
AUTH: Final = {"Authorization": "App test-api-key"}

CHECKER: Final = SchemaChecker()
V3_REPORTS: Final = "receive-outbound-sms-message-reports-v3"
V1_REPORTS: Final = "receive-outbound-sms-message-reports"
INBOUND: Final = "receive-inbound-sms-messages"


def webhook_schema(name: str) -> JSON:
    """The request-body schema of one of the OpenAPI document's ``webhooks``."""
    operation = load_openapi()["webhooks"][name]["post"]
    schema: JSON = operation["requestBody"]["content"]["application/json"]["schema"]
    return schema


def check_webhook(body: object, name: str) -> None:
    CHECKER.check(body, webhook_schema(name), f"{name} body")


def webhook_kind(body: JSON) -> str:
    """Which webhook a pushed body is, by its shape (MO, v3 or v1 delivery reports)."""
    if "pendingMessageCount" in body:
        return INBOUND
    results = body.get("results") or [{}]
    return V1_REPORTS if "smsCount" in results[0] else V3_REPORTS


# -- receivers --------------------------------------------------------------------------------
HANG: Final = "hang"
Answer = int | Literal["hang"]
"""What a receiver does with one request: answer that HTTP status, or hang until released."""


@dataclass
class Receipt:
    path: str
    content_type: str
    body: JSON
    answered: int | None = None
    """The status the receiver answered; None while it hangs."""

    @property
    def message_ids(self) -> list[str]:
        return [result["messageId"] for result in self.body["results"]]


class Receiver:
    """A webhook endpoint on 127.0.0.1 that records every POST and answers from a script.

    ``script`` is consumed one answer per request, then ``default`` answers the rest. A hanging
    request waits until :attr:`release` is set (the test, or the fixture at teardown).
    ``delay`` makes the receiver slow: it records and answers only after that many real seconds.
    """

    def __init__(self, *script: Answer, default: Answer = 200, delay: float = 0.0) -> None:
        self.script: deque[Answer] = deque(script)
        self.default: Answer = default
        self.delay = delay
        self.release = asyncio.Event()
        self.receipts: list[Receipt] = []
        app = web.Application()
        app.router.add_post("/{path:.*}", self._handle)
        self.server = TestServer(app, host="127.0.0.1")

    async def _handle(self, request: web.Request) -> web.Response:
        if self.delay:
            await asyncio.sleep(self.delay)  # a slow receiver, not a wait for an event
        body: JSON = await request.json()
        receipt = Receipt(request.path, request.content_type, body)
        self.receipts.append(receipt)
        answer = self.script.popleft() if self.script else self.default
        if answer == HANG:
            await self.release.wait()
            answer = 200
        assert isinstance(answer, int)
        receipt.answered = answer
        return web.json_response({"received": len(body.get("results", []))}, status=answer)

    def check_bodies(self) -> None:
        """Every body received conforms to the OpenAPI webhook schema of its kind."""
        for receipt in self.receipts:
            check_webhook(receipt.body, webhook_kind(receipt.body))

    def url(self, path: str = "/dlr") -> str:
        return str(self.server.make_url(path))

    def bodies(self) -> list[JSON]:
        return [receipt.body for receipt in self.receipts]

    def results(self) -> list[JSON]:
        return [result for receipt in self.receipts for result in receipt.body["results"]]

    def per_message(self) -> Counter[str]:
        """How many times each messageId arrived (every attempt counts)."""
        return Counter(mid for receipt in self.receipts for mid in receipt.message_ids)

    def accepted_per_message(self) -> Counter[str]:
        """How many times each messageId arrived in a push the receiver answered 2xx."""
        return Counter(
            mid
            for receipt in self.receipts
            if receipt.answered is not None and 200 <= receipt.answered < 300
            for mid in receipt.message_ids
        )


class Receivers:
    """Starts receivers on demand; on exit releases every hanging request and stops them."""

    def __init__(self) -> None:
        self.started: list[Receiver] = []

    async def new(self, *script: Answer, default: Answer = 200, delay: float = 0.0) -> Receiver:
        receiver = Receiver(*script, default=default, delay=delay)
        await receiver.server.start_server()
        self.started.append(receiver)
        return receiver

    async def __aenter__(self) -> Receivers:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for receiver in self.started:
            receiver.release.set()
        for receiver in self.started:
            await receiver.server.close()
        if kind is None:
            for receiver in self.started:
                receiver.check_bodies()


@pytest.fixture
async def receivers() -> AsyncIterator[Receivers]:
    async with Receivers() as made:
        yield made


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A URL on 127.0.0.1 whose port is bound but not listening: connections are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/dlr"


# -- the simulator ----------------------------------------------------------------------------
async def start_simulator(aiohttp_client: ClientFactory, **settings: Any) -> Client:
    simulator = Simulator(SimulatorConfig(start=START, seed=7, **settings))
    return await aiohttp_client(make_app(simulator), headers=AUTH)


async def post_json(client: Client, path: str, body: object) -> JSON:
    response = await client.post(path, json=body)
    assert response.status == 200, await response.text()
    result: JSON = await response.json()
    return result


async def get_json(client: Client, path: str, params: Any = None) -> JSON:
    response = await client.get(path, params=params)
    assert response.status == 200, await response.text()
    result: JSON = await response.json()
    return result


async def advance(client: Client, **body: Any) -> JSON:
    """``POST /__sim/clock/advance`` with ``by``, ``to`` or ``next``."""
    return await post_json(client, "/__sim/clock/advance", body)


async def advance_to(client: Client, instant: Millis) -> JSON:
    return await advance(client, to=format_instant(instant))


async def webhooks(client: Client, **params: str) -> list[JSON]:
    """The push journal, newest first."""
    found: list[JSON] = (await get_json(client, "/__sim/webhooks", params))["webhooks"]
    return found


def destination(index: int) -> str:
    return f"4179{index:07d}"


async def send_v3(
    client: Client,
    *destinations: str,
    webhooks: JSON | None = None,
    bulk_id: str | None = None,
    sender: str = "InfoSMS",
    **message_extra: Any,
) -> JSON:
    message: JSON = {
        "sender": sender,
        "destinations": [{"to": d} for d in destinations],
        "content": {"text": "Hello"},
        **message_extra,
    }
    if webhooks is not None:
        message["webhooks"] = webhooks
    request: JSON = {"messages": [message]}
    if bulk_id is not None:
        request["options"] = {"schedule": {"bulkId": bulk_id}}
    return await post_json(client, "/sms/3/messages", request)


async def send_v2(client: Client, *destinations: str, **message_extra: Any) -> JSON:
    message = {"from": "V2Sender", "destinations": [{"to": d} for d in destinations]}
    request = {"messages": [{**message, "text": "Hi", **message_extra}]}
    return await post_json(client, "/sms/2/text/advanced", request)


def message_ids(answer: JSON) -> list[str]:
    return [m["messageId"] for m in answer["messages"]]


def delivery(url: str, **extra: Any) -> JSON:
    """A v3 ``webhooks`` object pushing delivery reports to ``url``."""
    return {"delivery": {"url": url, **extra}}


def attempt_instants(push: JSON) -> list[Millis]:
    return [parse_instant(a["at"]) for a in push["attempts"]]


def expected_instants(first: Millis, retries: int) -> list[Millis]:
    """The first attempt, then each retry ``1 min + 1 min × n²`` after the previous failure."""
    instants = [first]
    for n in range(1, retries + 1):
        instants.append(instants[-1] + MINUTE + MINUTE * n * n)
    return instants


# -- the schedule itself ------------------------------------------------------------------------
def test_retry_delays_follow_infobips_formula() -> None:
    assert [retry_delay(n) // MINUTE for n in range(1, 9)] == [2, 5, 10, 17, 26, 37, 50, 65]
    assert expected_instants(0, 3) == [0, 2 * MINUTE, 7 * MINUTE, 17 * MINUTE]


# -- a receiver that answers 200 --------------------------------------------------------------
async def test_v3_report_is_pushed_once_in_the_delivery_reports_shape(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new()
    client = await start_simulator(aiohttp_client)
    answer = await send_v3(
        client,
        "41793026727",
        webhooks={**delivery(receiver.url("/hooks/dlr")), "callbackData": "order-42"},
        bulk_id="BULK-7",
        sender="ShopCo",
    )
    [message_id] = message_ids(answer)

    clock = await advance(client, by="2999ms")
    assert receiver.receipts == [], "nothing is final before the delivery instant"
    assert clock["now"] == format_instant(DELIVERED_AT - 1)

    await advance(client, by="1ms")
    [receipt] = receiver.receipts
    assert receipt.path == "/hooks/dlr"
    assert receipt.content_type == "application/json"
    assert receipt.answered == 200
    check_webhook(receipt.body, V3_REPORTS)
    assert set(receipt.body) == {"results"}
    [result] = receipt.body["results"]
    assert result["messageId"] == message_id
    assert result["bulkId"] == "BULK-7"
    assert result["sender"] == "ShopCo"
    assert result["to"] == "41793026727"
    assert result["messageCount"] == 1
    assert result["callbackData"] == "order-42"
    assert result["status"]["name"] == "DELIVERED_TO_HANDSET"
    assert result["error"]["name"] == "NO_ERROR"
    assert result["sentAt"] == format_instant(START)
    assert result["doneAt"] == format_instant(DELIVERED_AT)
    assert "from" not in result, "the v1 name"
    assert "smsCount" not in result, "the v1 name"

    [push] = await webhooks(client)
    assert push["kind"] == "delivery-report"
    assert push["account"] == "default"
    assert push["url"] == receiver.url("/hooks/dlr")
    assert push["state"] == "delivered"
    assert push["messageIds"] == [message_id]
    assert push["createdAt"] == format_instant(DELIVERED_AT)
    assert push["nextAttemptAt"] is None
    assert push["body"] == receipt.body
    [attempt] = push["attempts"]
    assert attempt["number"] == 1
    assert attempt["at"] == format_instant(DELIVERED_AT)
    assert attempt["httpStatus"] == 200
    assert attempt["error"] is None
    assert isinstance(attempt["latencyMs"], int | float)
    assert attempt["latencyMs"] >= 0
    assert attempt["responseBody"] == '{"received": 1}'

    await advance(client, by="3d")
    assert receiver.per_message() == {message_id: 1}, "a delivered push is never repeated"


@pytest.mark.parametrize("path", ["/sms/2/text/advanced", "/sms/1/text/advanced"])
async def test_v1_and_v2_sends_get_the_sms_report_response_shape(
    aiohttp_client: ClientFactory, receivers: Receivers, path: str
) -> None:
    receiver = await receivers.new()
    client = await start_simulator(aiohttp_client)
    request = {
        "bulkId": "LEGACY-1",
        "messages": [
            {
                "from": "LegacySender",
                "destinations": [{"to": "41793026727", "messageId": "client-mid-1"}],
                "text": "Hi",
                "notifyUrl": receiver.url(),
                "notifyContentType": "application/json",
                "callbackData": "cb-legacy",
            }
        ],
    }
    answer = await post_json(client, path, request)
    assert answer["messages"][0]["messageId"] == "client-mid-1"

    await advance(client, by="3s")
    [receipt] = receiver.receipts
    check_webhook(receipt.body, V1_REPORTS)
    [result] = receipt.body["results"]
    assert result["messageId"] == "client-mid-1"
    assert result["bulkId"] == "LEGACY-1"
    assert result["from"] == "LegacySender"
    assert result["smsCount"] == 1
    assert result["callbackData"] == "cb-legacy"
    assert result["status"]["name"] == "DELIVERED_TO_HANDSET"
    assert result["doneAt"] == format_instant(DELIVERED_AT)
    assert "sender" not in result, "the v3 name"
    assert "messageCount" not in result, "the v3 name"


async def test_the_default_report_url_takes_messages_without_their_own(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    account_wide = await receivers.new()
    own = await receivers.new()
    client = await start_simulator(aiohttp_client, default_report_url=account_wide.url("/all"))
    [plain] = message_ids(await send_v3(client, "41793026727"))
    [directed] = message_ids(await send_v3(client, "41793026728", webhooks=delivery(own.url())))
    [legacy] = message_ids(
        await post_json(
            client, "/sms/1/text/single", {"from": "Old", "to": "41793026729", "text": "Hi"}
        )
    )

    await advance(client, by="3s")
    assert own.per_message() == {directed: 1}
    assert account_wide.per_message() == {plain: 1, legacy: 1}
    assert {receipt.path for receipt in account_wide.receipts} == {"/all"}
    # v3 and v1 messages falling due together still get separate bodies, each in its shape.
    shapes = {
        receipt.message_ids[0]: "sender" in receipt.body["results"][0]
        for receipt in account_wide.receipts
    }
    assert shapes == {plain: True, legacy: False}
    for receipt in account_wide.receipts:
        check_webhook(receipt.body, V3_REPORTS if receipt.message_ids == [plain] else V1_REPORTS)


async def test_without_any_url_nothing_is_pushed_and_reports_wait_to_be_pulled(
    aiohttp_client: ClientFactory,
) -> None:
    client = await start_simulator(aiohttp_client)
    [message_id] = message_ids(await send_v3(client, "41793026727"))
    await advance(client, by="1h")
    assert await webhooks(client) == []
    reports = await get_json(client, "/sms/3/reports")
    assert [r["messageId"] for r in reports["results"]] == [message_id]


# -- intermediate reports and notify=false ---------------------------------------------------
async def test_intermediate_report_comes_before_the_final_when_asked_for(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new()
    client = await start_simulator(aiohttp_client)
    [message_id] = message_ids(
        await send_v3(
            client, "41793026727", webhooks=delivery(receiver.url(), intermediateReport=True)
        )
    )
    await advance(client, by="0s")  # lets the push started by the send be attempted
    [intermediate] = receiver.results()
    assert intermediate["messageId"] == message_id
    assert intermediate["status"]["name"] == "PENDING_ENROUTE"
    assert intermediate["doneAt"] == format_instant(START)

    await advance(client, by="3s")
    statuses = [result["status"]["name"] for result in receiver.results()]
    assert statuses == ["PENDING_ENROUTE", "DELIVERED_TO_HANDSET"]
    for body in receiver.bodies():
        check_webhook(body, V3_REPORTS)
    pushes = await webhooks(client)
    assert [p["createdAt"] for p in reversed(pushes)] == [
        format_instant(START),
        format_instant(DELIVERED_AT),
    ]


async def test_v2_intermediate_report_flag_works_the_same(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new()
    client = await start_simulator(aiohttp_client)
    await send_v2(client, "41793026727", notifyUrl=receiver.url(), intermediateReport=True)
    await advance(client, by="3s")
    statuses = [result["status"]["name"] for result in receiver.results()]
    assert statuses == ["PENDING_ENROUTE", "DELIVERED_TO_HANDSET"]
    for body in receiver.bodies():
        check_webhook(body, V1_REPORTS)


async def test_without_intermediate_report_only_the_final_is_pushed(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new()
    client = await start_simulator(aiohttp_client)
    await send_v3(client, "41793026727", webhooks=delivery(receiver.url()))
    await send_v2(client, "41793026728", notifyUrl=receiver.url())
    await advance(client, by="0s")
    assert receiver.receipts == []
    await advance(client, by="1h")
    statuses = [result["status"]["name"] for result in receiver.results()]
    assert statuses == ["DELIVERED_TO_HANDSET", "DELIVERED_TO_HANDSET"]


@pytest.mark.parametrize("own_url", [True, False])
async def test_notify_false_pushes_nothing(
    aiohttp_client: ClientFactory, receivers: Receivers, own_url: bool
) -> None:
    receiver = await receivers.new()
    client = await start_simulator(aiohttp_client, default_report_url=receiver.url("/default"))
    hooks: JSON = {"url": receiver.url(), "notify": False} if own_url else {"notify": False}
    [message_id] = message_ids(
        await send_v3(
            client, "41793026727", webhooks={"delivery": {**hooks, "intermediateReport": True}}
        )
    )
    await advance(client, by="1d")
    assert receiver.receipts == []
    assert await webhooks(client) == []
    reports = await get_json(client, "/sms/3/reports")
    assert [r["messageId"] for r in reports["results"]] == [message_id], "still pullable"


# -- batching ---------------------------------------------------------------------------------
async def test_250_reports_due_together_go_in_posts_of_100_100_and_50(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new()
    client = await start_simulator(aiohttp_client)
    numbers = [destination(i) for i in range(250)]
    sent = message_ids(await send_v3(client, *numbers, webhooks=delivery(receiver.url())))
    assert len(set(sent)) == 250

    await advance(client, by="3s")
    assert sorted(len(body["results"]) for body in receiver.bodies()) == [50, 100, 100]
    assert receiver.per_message() == Counter(dict.fromkeys(sent, 1)), "each exactly once"
    for body in receiver.bodies():
        check_webhook(body, V3_REPORTS)
    pushes = await webhooks(client)
    assert [len(p["messageIds"]) for p in reversed(pushes)] == [100, 100, 50]
    assert [mid for p in reversed(pushes) for mid in p["messageIds"]] == sent, "in send order"
    assert {p["state"] for p in pushes} == {"delivered"}
    assert {p["createdAt"] for p in pushes} == {format_instant(DELIVERED_AT)}

    await advance(client, by="1d")
    assert len(receiver.receipts) == 3


async def test_batch_size_is_configurable(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new()
    client = await start_simulator(
        aiohttp_client, webhook_batch_size=10, default_report_url=receiver.url()
    )
    sent = message_ids(await send_v3(client, *(destination(i) for i in range(25))))
    await advance(client, by="3s")
    assert sorted(len(body["results"]) for body in receiver.bodies()) == [5, 10, 10]
    assert receiver.per_message() == Counter(dict.fromkeys(sent, 1))


async def test_batches_are_per_url_per_family_and_per_instant(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new()
    client = await start_simulator(aiohttp_client)
    a, b = receiver.url("/a"), receiver.url("/b")
    to_a = message_ids(await send_v3(client, destination(1), destination(2), webhooks=delivery(a)))
    to_b = message_ids(await send_v3(client, destination(3), webhooks=delivery(b)))
    legacy_a = message_ids(await send_v2(client, destination(4), notifyUrl=a))
    await advance(client, by="1s")
    later_a = message_ids(await send_v3(client, destination(5), webhooks=delivery(a)))

    await advance(client, by="3s")  # two instants: 09:00:03 and 09:00:04
    posts = sorted((r.path, tuple(r.message_ids)) for r in receiver.receipts)
    assert posts == sorted(
        [
            ("/a", tuple(to_a)),
            ("/b", tuple(to_b)),
            ("/a", tuple(legacy_a)),
            ("/a", tuple(later_a)),
        ]
    )
    created = {p["messageIds"][0]: p["createdAt"] for p in await webhooks(client)}
    assert created[later_a[0]] == format_instant(DELIVERED_AT + SECOND)
    assert created[to_a[0]] == created[to_b[0]] == format_instant(DELIVERED_AT)


# -- retries on the virtual clock --------------------------------------------------------------
async def test_500_then_200_is_retried_once_two_minutes_later(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new(500)
    client = await start_simulator(aiohttp_client, default_report_url=receiver.url())
    [message_id] = message_ids(await send_v3(client, "41793026727"))

    await advance(client, by="3s")
    [push] = await webhooks(client)
    assert push["state"] == "retrying"
    assert push["nextAttemptAt"] == format_instant(DELIVERED_AT + 2 * MINUTE)
    [failed] = push["attempts"]
    assert (failed["at"], failed["httpStatus"], failed["error"]) == (
        format_instant(DELIVERED_AT),
        500,
        None,
    )
    events = (await get_json(client, "/__sim/events"))["events"]
    assert [(e["at"], e["kind"]) for e in events] == [
        (format_instant(DELIVERED_AT + 2 * MINUTE), "webhook-retry")
    ]

    await advance_to(client, DELIVERED_AT + 2 * MINUTE - 1)
    assert len(receiver.receipts) == 1, "no retry before its instant"
    await advance(client, by="1ms")
    assert [r.answered for r in receiver.receipts] == [500, 200]
    assert receiver.receipts[0].body == receiver.receipts[1].body, "the same body again"
    [push] = await webhooks(client)
    assert push["state"] == "delivered"
    assert push["nextAttemptAt"] is None
    assert attempt_instants(push) == [DELIVERED_AT, DELIVERED_AT + 2 * MINUTE]
    assert [a["httpStatus"] for a in push["attempts"]] == [500, 200]
    assert [a["number"] for a in push["attempts"]] == [1, 2]

    await advance(client, by="1d")
    assert receiver.per_message() == {message_id: 2}
    assert receiver.accepted_per_message() == {message_id: 1}, "nothing twice after success"
    assert (await get_json(client, "/__sim/events"))["events"] == []


@pytest.mark.parametrize("max_retries", [0, 1, 3, 8])
async def test_always_500_is_retried_on_the_schedule_then_failed(
    aiohttp_client: ClientFactory, receivers: Receivers, max_retries: int
) -> None:
    receiver = await receivers.new(default=500)
    client = await start_simulator(
        aiohttp_client, default_report_url=receiver.url(), webhook_max_retries=max_retries
    )
    [message_id] = message_ids(await send_v3(client, "41793026727"))
    expected = expected_instants(DELIVERED_AT, max_retries)

    for number, instant in enumerate(expected, start=1):
        await advance_to(client, instant - 1)
        assert len(receiver.receipts) == number - 1, f"attempt {number} came early"
        await advance_to(client, instant)
        assert len(receiver.receipts) == number, f"attempt {number} is missing at its instant"
        [push] = await webhooks(client)
        assert attempt_instants(push) == expected[:number]
        if number <= max_retries:
            assert push["state"] == "retrying"
            assert push["nextAttemptAt"] == format_instant(expected[number])
        else:
            assert push["state"] == "failed"
            assert push["nextAttemptAt"] is None

    await advance(client, by="7d")
    assert len(receiver.receipts) == max_retries + 1, "no attempt after the push failed"
    assert receiver.per_message() == {message_id: max_retries + 1}
    assert all(body == receiver.bodies()[0] for body in receiver.bodies())
    [push] = await webhooks(client, state="failed")
    assert [a["number"] for a in push["attempts"]] == list(range(1, max_retries + 2))
    assert {(a["httpStatus"], a["error"]) for a in push["attempts"]} == {(500, None)}
    assert all(a["latencyMs"] >= 0 for a in push["attempts"])


async def test_default_limit_is_eight_retries_over_212_minutes(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new(default=503)
    client = await start_simulator(aiohttp_client, default_report_url=receiver.url())
    await send_v3(client, "41793026727")
    await advance(client, by="1d")
    [push] = await webhooks(client)
    assert push["state"] == "failed"
    assert attempt_instants(push) == expected_instants(DELIVERED_AT, 8)
    assert attempt_instants(push)[-1] - DELIVERED_AT == 212 * MINUTE
    assert len(receiver.receipts) == 9


async def test_a_receiver_that_times_out_is_retried_then_failed(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new(default=HANG)  # released only at teardown
    client = await start_simulator(
        aiohttp_client,
        default_report_url=receiver.url(),
        webhook_timeout=0.2,
        webhook_max_retries=2,
    )
    [message_id] = message_ids(await send_v3(client, "41793026727"))
    await advance(client, by="3s")
    [push] = await webhooks(client)
    assert push["state"] == "retrying"
    [attempt] = push["attempts"]
    assert (attempt["httpStatus"], attempt["error"]) == (None, "timeout")
    assert attempt["latencyMs"] >= 100, "the attempt waited for the (0.2 s) timeout"
    assert attempt["responseBody"] is None

    await advance(client, by="1h")
    [push] = await webhooks(client)
    assert push["state"] == "failed"
    assert attempt_instants(push) == expected_instants(DELIVERED_AT, 2)
    assert [a["error"] for a in push["attempts"]] == ["timeout"] * 3
    assert receiver.per_message() == {message_id: 3}, "each attempt reached the receiver"
    assert receiver.accepted_per_message() == {}


async def test_a_timeout_then_a_success_is_delivered_once(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new(HANG)
    client = await start_simulator(
        aiohttp_client, default_report_url=receiver.url(), webhook_timeout=0.2
    )
    [message_id] = message_ids(await send_v3(client, "41793026727"))
    await advance(client, by="1h")
    [push] = await webhooks(client)
    assert push["state"] == "delivered"
    assert attempt_instants(push) == [DELIVERED_AT, DELIVERED_AT + 2 * MINUTE]
    assert [(a["httpStatus"], a["error"]) for a in push["attempts"]] == [
        (None, "timeout"),
        (200, None),
    ]
    assert receiver.per_message() == {message_id: 2}
    assert receiver.accepted_per_message() == {message_id: 1}


async def test_a_refused_connection_is_retried_then_failed(
    aiohttp_client: ClientFactory, refused_url: str
) -> None:
    client = await start_simulator(
        aiohttp_client, default_report_url=refused_url, webhook_max_retries=3
    )
    await send_v3(client, "41793026727")
    await advance(client, by="3s")
    [push] = await webhooks(client)
    assert push["state"] == "retrying"
    assert push["url"] == refused_url
    await advance(client, by="1h")
    [push] = await webhooks(client)
    assert push["state"] == "failed"
    assert attempt_instants(push) == expected_instants(DELIVERED_AT, 3)
    for attempt in push["attempts"]:
        assert attempt["httpStatus"] is None
        assert attempt["error"].startswith("ClientConnectorError"), attempt["error"]
        assert attempt["responseBody"] is None


async def test_failures_of_every_kind_then_success_lose_nothing(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    """Many messages, a receiver failing in turn with 500, a timeout and 404: every report
    arrives exactly once with a 2xx, on the exact retry instants."""
    receiver = await receivers.new(500, HANG, 404)
    client = await start_simulator(
        aiohttp_client, default_report_url=receiver.url(), webhook_timeout=0.2
    )
    sent = message_ids(await send_v3(client, *(destination(i) for i in range(5))))
    await advance(client, by="1d")
    [push] = await webhooks(client)
    assert push["state"] == "delivered"
    assert attempt_instants(push) == expected_instants(DELIVERED_AT, 3)
    assert [(a["httpStatus"], a["error"]) for a in push["attempts"]] == [
        (500, None),
        (None, "timeout"),
        (404, None),
        (200, None),
    ]
    assert receiver.accepted_per_message() == Counter(dict.fromkeys(sent, 1))
    assert receiver.per_message() == Counter(dict.fromkeys(sent, 4))


async def test_each_batch_retries_on_its_own(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new(500)  # only the first POST to arrive fails
    client = await start_simulator(
        aiohttp_client, default_report_url=receiver.url(), webhook_batch_size=2
    )
    sent = message_ids(await send_v3(client, *(destination(i) for i in range(5))))
    await advance(client, by="3s")
    pushes = await webhooks(client)
    assert sorted(p["state"] for p in pushes) == ["delivered", "delivered", "retrying"]
    await advance(client, by="2m")
    assert {p["state"] for p in await webhooks(client)} == {"delivered"}
    assert receiver.accepted_per_message() == Counter(dict.fromkeys(sent, 1))
    [retried] = [p for p in await webhooks(client) if len(p["attempts"]) == 2]
    assert attempt_instants(retried) == [DELIVERED_AT, DELIVERED_AT + 2 * MINUTE]


async def test_reset_drops_pending_retries(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new(default=500)
    client = await start_simulator(aiohttp_client, default_report_url=receiver.url())
    await send_v3(client, "41793026727")
    await advance(client, by="3s")
    assert len(await webhooks(client)) == 1
    await post_json(client, "/__sim/reset", {})
    assert await webhooks(client) == []
    assert (await get_json(client, "/__sim/events"))["events"] == []
    await advance(client, by="1d")
    assert len(receiver.receipts) == 1


# -- the journal ------------------------------------------------------------------------------
async def test_webhook_journal_filters(
    aiohttp_client: ClientFactory, receivers: Receivers, refused_url: str
) -> None:
    good = await receivers.new()
    client = await start_simulator(aiohttp_client, webhook_max_retries=1)
    [ok] = message_ids(await send_v3(client, "41793026727", webhooks=delivery(good.url())))
    [bad] = message_ids(await send_v3(client, "41793026728", webhooks=delivery(refused_url)))
    await advance(client, by="1h")

    assert len(await webhooks(client)) == 2
    [delivered] = await webhooks(client, state="delivered")
    assert delivered["messageIds"] == [ok]
    [failed] = await webhooks(client, state="failed")
    assert failed["messageIds"] == [bad]
    assert len(failed["attempts"]) == 2
    assert [p["messageIds"] for p in await webhooks(client, url=refused_url)] == [[bad]]
    assert [p["messageIds"] for p in await webhooks(client, messageId=ok)] == [[ok]]
    assert len(await webhooks(client, kind="delivery-report")) == 2
    assert await webhooks(client, kind="inbound") == []
    assert len(await webhooks(client, limit="1")) == 1
    response = await client.get("/__sim/webhooks", params={"limit": "many"})
    assert response.status == 400
    assert await response.json() == {"error": "must be an integer", "field": "limit"}


# -- pushes never block the API -----------------------------------------------------------------
async def test_a_hanging_receiver_never_stalls_the_api(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new(default=HANG)
    client = await start_simulator(
        aiohttp_client, default_report_url=receiver.url(), webhook_timeout=60.0
    )
    # The intermediate report is pushed from inside the send request, and hangs there.
    [first] = message_ids(
        await send_v3(client, "41793026700", webhooks={"delivery": {"intermediateReport": True}})
    )
    sent = [first]
    for index in range(20):
        answer = await asyncio.wait_for(send_v3(client, destination(index)), timeout=5)
        sent.extend(message_ids(answer))
        logs = await asyncio.wait_for(get_json(client, "/sms/3/logs"), timeout=5)
        assert len(logs["results"]) == len(sent)
    [hanging] = await webhooks(client)
    assert hanging["messageIds"] == [first]
    assert hanging["state"] == "pending", "its only attempt is still waiting for an answer"
    assert [a["httpStatus"] for a in hanging["attempts"]] == [None]
    assert all(receipt.answered is None for receipt in receiver.receipts)

    # An advance waits for due pushes, so it waits for the hanging one; the API does not.
    advancing = asyncio.ensure_future(advance(client, by="3s"))
    for index in range(20, 30):
        answer = await asyncio.wait_for(send_v3(client, destination(index)), timeout=5)
        sent.extend(message_ids(answer))
        await asyncio.wait_for(get_json(client, "/sms/3/logs"), timeout=5)
        await asyncio.wait_for(get_json(client, "/__sim/clock"), timeout=5)
    assert not advancing.done(), "advance returns only once the due push was attempted"

    receiver.release.set()
    clock = await asyncio.wait_for(advancing, timeout=10)
    assert clock["now"] == format_instant(DELIVERED_AT)
    finals = Counter(
        result["messageId"]
        for result in receiver.results()
        if result["status"]["name"] == "DELIVERED_TO_HANDSET"
    )
    assert finals == Counter(dict.fromkeys(sent, 1)), "every final report, once"
    assert {p["state"] for p in await webhooks(client)} == {"delivered"}
    intermediate = [r for r in receiver.results() if r["status"]["name"] == "PENDING_ENROUTE"]
    assert [r["messageId"] for r in intermediate] == [first]


async def test_advance_returns_only_after_due_pushes_were_attempted(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    slow = await receivers.new(500, 500, delay=0.05)
    client = await start_simulator(aiohttp_client, default_report_url=slow.url())
    [message_id] = message_ids(await send_v3(client, "41793026727"))

    await advance(client, by="3s")
    assert slow.per_message() == {message_id: 1}, "recorded before advance returned"
    assert slow.receipts[0].answered == 500

    await advance(client, next=True)  # to the first retry
    assert slow.per_message() == {message_id: 2}
    await advance(client, by="10m")  # the second retry (5 min later) falls inside
    assert [r.answered for r in slow.receipts] == [500, 500, 200]
    [push] = await webhooks(client)
    assert push["state"] == "delivered"
    assert attempt_instants(push) == expected_instants(DELIVERED_AT, 2)


async def test_advance_by_a_long_span_attempts_every_push_in_it(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    slow = await receivers.new(delay=0.01)
    client = await start_simulator(aiohttp_client, default_report_url=slow.url())
    sent: list[str] = []
    for minute in range(5):
        sent.extend(message_ids(await send_v3(client, destination(minute))))
        await advance(client, by="1m")
    await advance(client, by="1h")
    assert slow.accepted_per_message() == Counter(dict.fromkeys(sent, 1))
    created = sorted(parse_instant(p["createdAt"]) for p in await webhooks(client))
    assert created == [DELIVERED_AT + n * MINUTE for n in range(5)]


async def test_long_runs_keep_every_report(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new()
    client = await start_simulator(aiohttp_client, default_report_url=receiver.url())
    sent: list[str] = []
    for batch in range(4):
        numbers = [destination(batch * 100 + i) for i in range(60)]
        sent.extend(message_ids(await send_v3(client, *numbers)))
        await advance(client, by="1s")
    await advance(client, by=DAY // SECOND)
    assert receiver.per_message() == Counter(dict.fromkeys(sent, 1))
