"""Every error path of the Infobip surface, each answered in its family's envelope (v3
``ApiError`` on ``/sms/3/*``, v1 ``requestError`` elsewhere), and never changing state: after
each bad request the server still serves and the logs show exactly the earlier messages."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from yarl import URL

from simulator.app import make_app
from simulator.config import Credential, SimulatorConfig
from simulator.core import Simulator
from simulator.timefmt import parse_instant

Client = TestClient[web.Request, web.Application]
ClientFactory = Callable[..., Awaitable[Client]]
JSON = dict[str, Any]

START = parse_instant("2026-01-01T09:00:00.000+0000")
GOOD_SEND = {
    "messages": [
        {"sender": "InfoSMS", "destinations": [{"to": "41793026727"}], "content": {"text": "Hi"}}
    ]
}
V3_401 = {
    "errorCode": "E401",
    "description": "The request lacks valid authentication credentials for the requested resource.",
    "action": "Check the resources and adjust authentication credentials.",
    "violations": [],
    "resources": [
        {
            "name": "API Authentication",
            "url": "https://www.infobip.com/docs/essentials/api-authentication",
        }
    ],
}
V3_403 = {
    "errorCode": "E403",
    "description": "Insufficient permissions to access the requested resource.",
    "action": "Repeat the request with new or different credentials.",
    "violations": [],
    "resources": [
        {
            "name": "API Scopes",
            "url": "https://www.infobip.com/docs/essentials/api-essentials/api-authorization#api-scopes",
        }
    ],
}
V1_401 = {
    "requestError": {
        "serviceException": {"messageId": "UNAUTHORIZED", "text": "Invalid login details"}
    }
}
V1_403 = {"requestError": {"serviceException": {"messageId": "FORBIDDEN", "text": "Forbidden"}}}


def basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


def assert_api_error(body: JSON, code: str) -> None:
    """A v3 ``ApiError``: all five fields, with the right types."""
    assert set(body) == {"errorCode", "description", "action", "violations", "resources"}, body
    assert body["errorCode"] == code
    assert isinstance(body["description"], str)
    assert body["description"]
    assert isinstance(body["action"], str)
    assert body["action"]
    assert isinstance(body["violations"], list)
    for violation in body["violations"]:
        assert set(violation) == {"property", "violation"}
        assert isinstance(violation["property"], str)
        assert isinstance(violation["violation"], str)
        assert violation["violation"]
    assert isinstance(body["resources"], list)
    for resource in body["resources"]:
        assert set(resource) == {"name", "url"}


def assert_request_error(body: JSON, message_id: str) -> JSON:
    """A v1 ``requestError``; returns its ``serviceException``."""
    assert list(body) == ["requestError"], body
    assert list(body["requestError"]) == ["serviceException"]
    exception: JSON = body["requestError"]["serviceException"]
    assert exception["messageId"] == message_id
    assert isinstance(exception["text"], str)
    assert exception["text"]
    assert set(exception) <= {"messageId", "text", "validationErrors"}
    return exception


def v3_properties(body: JSON) -> list[str]:
    assert_api_error(body, "E400")
    return [v["property"] for v in body["violations"]]


def v1_properties(body: JSON) -> list[str]:
    exception = assert_request_error(body, "BAD_REQUEST")
    return list(exception.get("validationErrors", {}))


class Baseline:
    """Two messages sent before the bad requests; they must be all the logs ever show."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.message_ids: list[str] = []

    async def seed(self) -> Baseline:
        for to in ("41793026701", "41793026702"):
            request = {"messages": [{"destinations": [{"to": to}], "content": {"text": "seed"}}]}
            response = await self.client.post("/sms/3/messages", json=request)
            assert response.status == 200, await response.text()
            self.message_ids.insert(0, (await response.json())["messages"][0]["messageId"])
        return self

    async def check(self) -> None:
        response = await self.client.get("/sms/3/logs")
        assert response.status == 200, await response.text()
        assert [r["messageId"] for r in (await response.json())["results"]] == self.message_ids
        journal = await self.client.get("/__sim/messages")
        assert len((await journal.json())["messages"]) == len(self.message_ids)
        bulks = await self.client.get("/sms/1/bulks", params={"bulkId": "NEVER-MADE"})
        assert bulks.status == 404


@pytest.fixture
async def baseline(client: Client) -> Baseline:
    return await Baseline(client).seed()


async def make_client(
    aiohttp_client: ClientFactory, headers: dict[str, str] | None = None, **settings: Any
) -> Client:
    simulator = Simulator(SimulatorConfig(start=START, seed=7, **settings))
    return await aiohttp_client(make_app(simulator), headers=headers or {})


async def without_auth(aiohttp_client: ClientFactory, client: Client) -> Client:
    """A second client to the same server that sends no ``Authorization`` header."""
    return await aiohttp_client(client.server)


# -- authentication ---------------------------------------------------------------------------
V3_PATHS = [
    ("POST", "/sms/3/messages"),
    ("GET", "/sms/3/text/query"),
    ("GET", "/sms/3/reports"),
    ("GET", "/sms/3/logs"),
]
V1_PATHS = [
    ("POST", "/sms/2/text/advanced"),
    ("POST", "/sms/2/binary/advanced"),
    ("POST", "/sms/1/text/single"),
    ("POST", "/sms/1/text/multi"),
    ("POST", "/sms/1/text/advanced"),
    ("POST", "/sms/1/binary/single"),
    ("POST", "/sms/1/binary/multi"),
    ("POST", "/sms/1/binary/advanced"),
    ("POST", "/sms/1/preview"),
    ("GET", "/sms/1/bulks"),
    ("PUT", "/sms/1/bulks"),
    ("GET", "/sms/1/bulks/status"),
    ("PUT", "/sms/1/bulks/status"),
    ("GET", "/sms/1/reports"),
    ("GET", "/sms/1/logs"),
    ("GET", "/sms/1/inbox/reports"),
]
BAD_HEADERS = [
    None,
    "",
    "   ",
    "App",
    "App ",
    "Token abc",
    "Api test-api-key",  # the 2015 Java client's scheme is not one of today's four
    "Basic !!!not-base64!!!",
    "Basic " + base64.b64encode(b"no-colon").decode(),
    "Basic " + base64.b64encode(b"\xff\xfe:x").decode(),
    "Bearer",
    "IBSSO   ",
]


@pytest.mark.parametrize("header", BAD_HEADERS)
@pytest.mark.parametrize(("method", "path"), V3_PATHS)
async def test_v3_bad_authorization_is_401_api_error(
    aiohttp_client: ClientFactory,
    client: Client,
    baseline: Baseline,
    header: str | None,
    method: str,
    path: str,
) -> None:
    bare = await without_auth(aiohttp_client, client)
    headers = {} if header is None else {"Authorization": header}
    response = await bare.request(method, path, headers=headers, json=GOOD_SEND)
    assert response.status == 401
    assert response.content_type == "application/json"
    body = await response.json()
    assert_api_error(body, "E401")
    assert body == V3_401
    await baseline.check()


@pytest.mark.parametrize("header", BAD_HEADERS)
@pytest.mark.parametrize(("method", "path"), V1_PATHS)
async def test_v1_bad_authorization_is_401_request_error(
    aiohttp_client: ClientFactory,
    client: Client,
    baseline: Baseline,
    header: str | None,
    method: str,
    path: str,
) -> None:
    bare = await without_auth(aiohttp_client, client)
    headers = {} if header is None else {"Authorization": header}
    response = await bare.request(method, path, headers=headers, json={"text": "x"})
    assert response.status == 401
    assert await response.json() == V1_401
    await baseline.check()


@pytest.mark.parametrize(
    "header",
    [
        "App 003026bbc133714df1834b8638bb496e-8f4b3d9a-e931-478d-a994-28a725159ab9",
        "app lower-case-scheme",
        "Basic QWxhZGRpbjpvcGVuU2VzYW1l",
        basic("user:pa:ss:word"),
        "IBSSO 2f9b4d31-2d0d-49a8-85f0-9b862bdca394",
        "Bearer some-oauth2-access-token",
        "  App   padded-token  ",
    ],
)
async def test_every_scheme_is_accepted(
    aiohttp_client: ClientFactory, client: Client, header: str
) -> None:
    bare = await without_auth(aiohttp_client, client)
    response = await bare.post("/sms/3/messages", json=GOOD_SEND, headers={"Authorization": header})
    assert response.status == 200, await response.text()
    response = await bare.post(
        "/sms/1/preview", json={"text": "hi"}, headers={"Authorization": header}
    )
    assert response.status == 200, await response.text()


CREDENTIALS = (
    Credential("App", "full-key"),
    Credential("App", "sender-key", frozenset({"message:send"})),
    Credential("App", "logs-key", frozenset({"sms:logs:read"})),
    Credential("Basic", "Aladdin:openSesame"),
    Credential("Bearer", "token", frozenset({"sms:manage"})),
)


@pytest.mark.parametrize(
    "header",
    [
        "App unknown-key",
        "App Full-Key",  # tokens are case-sensitive
        "Bearer full-key",  # right token, wrong scheme
        basic("Aladdin:wrong"),
        basic("aladdin:openSesame"),
        "IBSSO full-key",
    ],
)
async def test_configured_credentials_reject_unknown_keys(
    aiohttp_client: ClientFactory, header: str
) -> None:
    client = await make_client(aiohttp_client, credentials=CREDENTIALS)
    response = await client.post(
        "/sms/3/messages", json=GOOD_SEND, headers={"Authorization": header}
    )
    assert response.status == 401
    assert await response.json() == V3_401
    response = await client.get("/sms/1/logs", headers={"Authorization": header})
    assert response.status == 401
    assert await response.json() == V1_401
    check = await client.get("/__sim/messages")
    assert (await check.json())["messages"] == []


@pytest.mark.parametrize(
    "header", ["App full-key", "Basic QWxhZGRpbjpvcGVuU2VzYW1l", "Bearer token"]
)
async def test_configured_credentials_accept_known_keys(
    aiohttp_client: ClientFactory, header: str
) -> None:
    client = await make_client(aiohttp_client, credentials=CREDENTIALS)
    response = await client.post(
        "/sms/3/messages", json=GOOD_SEND, headers={"Authorization": header}
    )
    assert response.status == 200, await response.text()


@pytest.mark.parametrize(
    ("key", "method", "path", "allowed"),
    [
        ("sender-key", "POST", "/sms/3/messages", True),
        ("sender-key", "GET", "/sms/3/reports", True),
        ("sender-key", "GET", "/sms/1/reports", True),
        ("sender-key", "GET", "/sms/3/logs", False),
        ("sender-key", "GET", "/sms/1/logs", False),
        ("sender-key", "POST", "/sms/1/preview", False),
        ("sender-key", "PUT", "/sms/1/bulks/status", False),
        ("sender-key", "GET", "/sms/1/inbox/reports", False),
        ("logs-key", "GET", "/sms/3/logs", True),
        ("logs-key", "GET", "/sms/1/logs", True),
        ("logs-key", "POST", "/sms/3/messages", False),
        ("logs-key", "POST", "/sms/2/text/advanced", False),
        ("logs-key", "GET", "/sms/3/reports", False),
        ("logs-key", "GET", "/sms/1/bulks", False),
    ],
)
async def test_missing_scope_is_403(
    aiohttp_client: ClientFactory, key: str, method: str, path: str, allowed: bool
) -> None:
    client = await make_client(aiohttp_client, credentials=CREDENTIALS)
    response = await client.request(
        method,
        path,
        json=GOOD_SEND,
        params={"bulkId": "B"},
        headers={"Authorization": f"App {key}"},
    )
    if allowed:
        assert response.status == 200, await response.text()
        return
    assert response.status == 403
    expected = V3_403 if path.startswith("/sms/3/") else V1_403
    assert await response.json() == expected
    check = await client.get("/__sim/messages")
    assert (await check.json())["messages"] == []


async def test_manage_scope_reaches_bulks_and_preview(aiohttp_client: ClientFactory) -> None:
    client = await make_client(aiohttp_client, credentials=CREDENTIALS)
    auth = {"Authorization": "Bearer token"}
    response = await client.post("/sms/1/preview", json={"text": "x"}, headers=auth)
    assert response.status == 200
    response = await client.get("/sms/1/bulks", params={"bulkId": "nope"}, headers=auth)
    assert response.status == 404  # allowed; the bulk simply does not exist
    response = await client.get("/sms/1/inbox/reports", headers=auth)
    assert response.status == 200


async def test_query_send_credentials_checked_against_configured_ones(
    aiohttp_client: ClientFactory,
) -> None:
    client = await make_client(aiohttp_client, credentials=CREDENTIALS)
    params = {"to": "41793026727", "text": "x", "username": "Aladdin", "password": "openSesame"}
    response = await client.get("/sms/1/text/query", params=params)
    assert response.status == 200, await response.text()
    response = await client.get("/sms/1/text/query", params={**params, "password": "nope"})
    assert response.status == 401
    assert await response.json() == V1_401
    # A valid header does not stand in for the query credentials.
    del params["password"]
    response = await client.get(
        "/sms/1/text/query", params=params, headers={"Authorization": "App full-key"}
    )
    assert response.status == 401


async def test_auth_is_checked_before_the_body(
    aiohttp_client: ClientFactory, client: Client, baseline: Baseline
) -> None:
    bare = await without_auth(aiohttp_client, client)
    response = await bare.post(
        "/sms/3/messages", data=b"{broken", headers={"Content-Type": "application/json"}
    )
    assert response.status == 401
    await baseline.check()


# -- bodies -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b'{"messages": [}',
        b'{"messages": []',
        b"'single quotes'",
        b'{"messages": NaN}',
        b'{"messages": [{"destinations": [{"to": "1"}], "content": {"text": Infinity}}]}',
        b'{"a": -Infinity}',
        b"\xff\xfe\x00{",
        b"\xc3\x28",  # invalid UTF-8 sequence
        b"",
        b"   \n",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    ],
)
@pytest.mark.parametrize("path", ["/sms/3/messages", "/sms/2/text/advanced", "/sms/1/preview"])
async def test_unreadable_bodies_are_400_naming_the_body(
    client: Client, baseline: Baseline, raw: bytes, path: str
) -> None:
    response = await client.post(path, data=raw, headers={"Content-Type": "application/json"})
    assert response.status == 400, await response.text()
    body = await response.json()
    properties = v3_properties(body) if path.startswith("/sms/3") else v1_properties(body)
    assert properties == ["body"]
    await baseline.check()


@pytest.mark.parametrize("value", [[], [GOOD_SEND], "text", 42, None, True])
@pytest.mark.parametrize("path", ["/sms/3/messages", "/sms/1/text/single", "/sms/1/preview"])
async def test_a_body_that_is_not_an_object_is_400(
    client: Client, baseline: Baseline, value: object, path: str
) -> None:
    response = await client.post(path, json=value)
    assert response.status == 400
    body = await response.json()
    properties = v3_properties(body) if path.startswith("/sms/3") else v1_properties(body)
    assert properties == ["body"]
    await baseline.check()


def v3_message(**overrides: Any) -> JSON:
    message: JSON = {
        "sender": "InfoSMS",
        "destinations": [{"to": "41793026727"}],
        "content": {"text": "x"},
    }
    message.update(overrides)
    return message


@pytest.mark.parametrize(
    ("request_body", "properties"),
    [
        ({}, ["messages"]),
        ({"messages": None}, ["messages"]),
        ({"messages": []}, ["messages"]),
        ({"messages": {"sender": "x"}}, ["messages"]),
        ({"messages": ["x"]}, ["messages[0]"]),
        ({"messages": [{"content": {"text": "x"}}]}, ["messages[0].destinations"]),
        ({"messages": [v3_message(destinations=[])]}, ["messages[0].destinations"]),
        ({"messages": [v3_message(destinations="41793026727")]}, ["messages[0].destinations"]),
        ({"messages": [v3_message(destinations=[{}])]}, ["messages[0].destinations[0].to"]),
        ({"messages": [v3_message(destinations=[{"to": ""}])]}, ["messages[0].destinations[0].to"]),
        (
            {"messages": [v3_message(destinations=[{"to": {"n": 1}}])]},
            ["messages[0].destinations[0].to"],
        ),
        (
            {"messages": [v3_message(destinations=[{"to": "9" * 65}])]},
            ["messages[0].destinations[0].to"],
        ),
        (
            {"messages": [v3_message(destinations=[{"to": "1", "messageId": "m" * 201}])]},
            ["messages[0].destinations[0].messageId"],
        ),
        (
            {"messages": [v3_message(destinations=[{"to": "1", "networkId": "abc"}])]},
            ["messages[0].destinations[0].networkId"],
        ),
        ({"messages": [v3_message(content=None)]}, ["messages[0].content"]),
        ({"messages": [v3_message(content={})]}, ["messages[0].content"]),
        ({"messages": [v3_message(content="text")]}, ["messages[0].content"]),
        ({"messages": [v3_message(content={"text": {"body": "x"}})]}, ["messages[0].content.text"]),
        ({"messages": [v3_message(content={"text": ["x"]})]}, ["messages[0].content.text"]),
        ({"messages": [v3_message(content={"text": "x" * 4097})]}, ["messages[0].content.text"]),
        (
            {"messages": [v3_message(content={"text": "x", "transliteration": "KLINGON"})]},
            ["messages[0].content.transliteration"],
        ),
        (
            {"messages": [v3_message(content={"text": "x", "language": {"languageCode": "XX"}})]},
            ["messages[0].content.language.languageCode"],
        ),
        ({"messages": [v3_message(content={"hex": "zz"})]}, ["messages[0].content.hex"]),
        (
            {"messages": [v3_message(content={"hex": "41", "dataCoding": 256})]},
            ["messages[0].content.dataCoding"],
        ),
        ({"messages": [v3_message(sender=["InfoSMS"])]}, ["messages[0].sender"]),
        (
            {"messages": [v3_message(options={"validityPeriod": {"timeUnit": "HOURS"}})]},
            ["messages[0].options.validityPeriod.amount"],
        ),
        (
            {
                "messages": [
                    v3_message(options={"validityPeriod": {"amount": 1, "timeUnit": "DAYS"}})
                ]
            },
            ["messages[0].options.validityPeriod.timeUnit"],
        ),
        (
            {"messages": [v3_message(options={"validityPeriod": {"amount": 0}})]},
            ["messages[0].options.validityPeriod.amount"],
        ),
        (
            {"messages": [v3_message(options={"validityPeriod": {"amount": 1.5}})]},
            ["messages[0].options.validityPeriod.amount"],
        ),
        (
            {"messages": [v3_message(options={"campaignReferenceId": "c" * 256})]},
            ["messages[0].options.campaignReferenceId"],
        ),
        (
            {"messages": [v3_message(options={"platform": {"entityId": "e" * 256}})]},
            ["messages[0].options.platform.entityId"],
        ),
        (
            {"messages": [v3_message(options={"flash": "sometimes"})]},
            ["messages[0].options.flash"],
        ),
        (
            {
                "messages": [
                    v3_message(
                        options={
                            "deliveryTimeWindow": {"days": [], "from": {"hour": 1, "minute": 0}}
                        }
                    )
                ]
            },
            ["messages[0].options.deliveryTimeWindow.days"],
        ),
        (
            {
                "messages": [
                    v3_message(
                        options={
                            "deliveryTimeWindow": {
                                "days": ["MONDAY", "FUNDAY"],
                                "from": {"hour": 24, "minute": 0},
                                "to": {"hour": 1, "minute": 60},
                            }
                        }
                    )
                ]
            },
            [
                "messages[0].options.deliveryTimeWindow.days[1]",
                "messages[0].options.deliveryTimeWindow.from.hour",
                "messages[0].options.deliveryTimeWindow.to.minute",
            ],
        ),
        (
            {"messages": [v3_message(webhooks={"callbackData": "c" * 4001})]},
            ["messages[0].webhooks.callbackData"],
        ),
        (
            {"messages": [v3_message()], "options": {"schedule": {"bulkId": "b" * 101}}},
            ["options.schedule.bulkId"],
        ),
        (
            {"messages": [v3_message()], "options": {"schedule": {"sendAt": 1767225600}}},
            ["options.schedule.sendAt"],
        ),
        (
            {
                "messages": [v3_message()],
                "options": {"schedule": {"sendingSpeedLimit": {"amount": 0}}},
            },
            ["options.schedule.sendingSpeedLimit.amount"],
        ),
        (
            {"messages": [v3_message()], "options": {"includeSmsCountInResponse": "yes"}},
            ["options.includeSmsCountInResponse"],
        ),
        ({"messages": [v3_message()], "options": []}, ["options"]),
        (
            {
                "messages": [
                    v3_message(destinations=[{"to": ""}, {"to": "1", "messageId": "m" * 201}]),
                    v3_message(content={}),
                ]
            },
            [
                "messages[0].destinations[0].to",
                "messages[0].destinations[1].messageId",
                "messages[1].content",
            ],
        ),
    ],
)
async def test_v3_send_validation_names_every_bad_property(
    client: Client, baseline: Baseline, request_body: JSON, properties: list[str]
) -> None:
    response = await client.post("/sms/3/messages", json=request_body)
    assert response.status == 400, await response.text()
    assert v3_properties(await response.json()) == properties
    await baseline.check()


@pytest.mark.parametrize(
    ("length", "field", "status"),
    [
        (64, "to", 200),
        (65, "to", 400),
        (200, "messageId", 200),
        (201, "messageId", 400),
    ],
)
async def test_v3_destination_limits(client: Client, length: int, field: str, status: int) -> None:
    destination = {"to": "1", field: "7" * length}
    response = await client.post(
        "/sms/3/messages", json={"messages": [v3_message(destinations=[destination])]}
    )
    assert response.status == status, await response.text()


@pytest.mark.parametrize(
    ("options", "status"),
    [
        ({"schedule": {"bulkId": "b" * 100}}, 200),
        ({"schedule": {"bulkId": "b" * 101}}, 400),
    ],
)
async def test_v3_bulk_id_limit(client: Client, options: JSON, status: int) -> None:
    response = await client.post(
        "/sms/3/messages", json={"messages": [v3_message()], "options": options}
    )
    assert response.status == status


async def test_v3_callback_data_and_campaign_limits_at_the_edge(client: Client) -> None:
    message = v3_message(
        webhooks={"callbackData": "c" * 4000}, options={"campaignReferenceId": "r" * 255}
    )
    response = await client.post("/sms/3/messages", json={"messages": [message]})
    assert response.status == 200, await response.text()


async def test_out_of_range_number_is_400(client: Client, baseline: Baseline) -> None:
    # 1e999 parses as infinity: not an integer (json.dumps would write Infinity, so raw bytes).
    raw = (
        b'{"messages": [{"destinations": [{"to": "1"}], "content": {"text": "x"},'
        b' "options": {"validityPeriod": {"amount": 1e999}}}]}'
    )
    response = await client.post(
        "/sms/3/messages", data=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert v3_properties(await response.json()) == ["messages[0].options.validityPeriod.amount"]
    huge = raw.replace(b"1e999", b"9" * 30)
    response = await client.post(
        "/sms/3/messages", data=huge, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert v3_properties(await response.json()) == ["messages[0].options.validityPeriod.amount"]
    await baseline.check()


async def test_numbers_given_for_strings_are_coerced(client: Client) -> None:
    message = v3_message(destinations=[{"to": 41793026727, "messageId": 12345}])
    response = await client.post("/sms/3/messages", json={"messages": [message]})
    assert response.status == 200, await response.text()
    [sent] = (await response.json())["messages"]
    assert sent["destination"] == "41793026727"
    assert sent["messageId"] == "12345"


async def test_unknown_fields_are_ignored(client: Client) -> None:
    message = v3_message(futureField={"x": 1})
    response = await client.post("/sms/3/messages", json={"messages": [message], "other": True})
    assert response.status == 200, await response.text()


@pytest.mark.parametrize(
    ("path", "request_body", "properties"),
    [
        ("/sms/2/text/advanced", {}, ["messages"]),
        (
            "/sms/2/text/advanced",
            {"bulkId": "b" * 101, "messages": [{"destinations": [{"to": "1"}]}]},
            ["bulkId"],
        ),
        (
            "/sms/2/text/advanced",
            {"messages": [{"destinations": [{"to": "1"}], "text": {"t": 1}}]},
            ["messages[0].text"],
        ),
        (
            "/sms/2/text/advanced",
            {"messages": [{"destinations": [{"to": "1"}], "callbackData": "c" * 4001}]},
            ["messages[0].callbackData"],
        ),
        (
            "/sms/2/text/advanced",
            {"messages": [{"destinations": [{"to": "1"}], "entityId": "e" * 51}]},
            ["messages[0].entityId"],
        ),
        (
            "/sms/2/text/advanced",
            {"messages": [{"destinations": [{"to": "1"}], "notifyContentType": "text/html"}]},
            ["messages[0].notifyContentType"],
        ),
        (
            "/sms/2/text/advanced",
            {"messages": [{"destinations": [{"to": "1"}], "validityPeriod": "long"}]},
            ["messages[0].validityPeriod"],
        ),
        (
            "/sms/2/text/advanced",
            {
                "messages": [
                    {
                        "destinations": [{"to": "1"}],
                        "deliveryTimeWindow": {
                            "days": ["MONDAY"],
                            "from": {"hour": 10, "minute": 0},
                            "to": {"hour": 10, "minute": 30},
                        },
                    }
                ]
            },
            ["messages[0].deliveryTimeWindow.to"],
        ),
        (
            "/sms/2/binary/advanced",
            {"messages": [{"destinations": [{"to": "1"}], "binary": {"dataCoding": 0}}]},
            ["messages[0].binary.hex"],
        ),
        ("/sms/1/text/multi", {"messages": [{"to": 5, "text": "x"}]}, ["messages[0].to"]),
        ("/sms/1/binary/multi", {"messages": [{"to": "1"}]}, ["messages[0].binary"]),
        ("/sms/1/preview", {}, ["text"]),
        ("/sms/1/preview", {"text": {"a": 1}}, ["text"]),
    ],
)
async def test_v1_family_validation_names_every_bad_property(
    client: Client, baseline: Baseline, path: str, request_body: JSON, properties: list[str]
) -> None:
    response = await client.post(path, json=request_body)
    assert response.status == 400, await response.text()
    assert v1_properties(await response.json()) == properties
    await baseline.check()


# -- size, media type, routing -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "family"),
    [("/sms/3/messages", "v3"), ("/sms/2/text/advanced", "v1"), ("/sms/1/preview", "v1")],
)
async def test_oversized_body_is_413(aiohttp_client: ClientFactory, path: str, family: str) -> None:
    client = await make_client(
        aiohttp_client, headers={"Authorization": "App k"}, max_body_bytes=4096
    )
    small = json.dumps({"text": "x" * 3000, **GOOD_SEND}).encode()
    assert len(small) < 4096
    response = await client.post(path, data=small, headers={"Content-Type": "application/json"})
    assert response.status != 413
    big = json.dumps({"text": "x" * 5000, **GOOD_SEND}).encode()
    response = await client.post(path, data=big, headers={"Content-Type": "application/json"})
    assert response.status == 413
    body = await response.json()
    if family == "v3":
        assert_api_error(body, "E413")
    else:
        assert_request_error(body, "PAYLOAD_TOO_LARGE")
    # The server goes on serving.
    response = await client.post("/sms/3/messages", json=GOOD_SEND)
    assert response.status == 200


async def test_default_body_limit_is_the_config_value(
    client: Client, config: SimulatorConfig, baseline: Baseline
) -> None:
    big = b'{"pad": "' + b"x" * config.max_body_bytes + b'"}'
    response = await client.post(
        "/sms/3/messages", data=io.BytesIO(big), headers={"Content-Type": "application/json"}
    )
    assert response.status == 413
    assert_api_error(await response.json(), "E413")
    await baseline.check()


@pytest.mark.parametrize("media", ["application/xml", "text/xml", "application/xml; charset=utf-8"])
@pytest.mark.parametrize(
    ("path", "family"), [("/sms/3/messages", "v3"), ("/sms/2/text/advanced", "v1")]
)
async def test_xml_bodies_are_415(
    client: Client, baseline: Baseline, media: str, path: str, family: str
) -> None:
    xml = b"<request><messages><destinations><to>1</to></destinations></messages></request>"
    response = await client.post(path, data=xml, headers={"Content-Type": media})
    assert response.status == 415
    body = await response.json()
    if family == "v3":
        assert_api_error(body, "E415")
    else:
        assert_request_error(body, "UNSUPPORTED_MEDIA_TYPE")
    await baseline.check()


@pytest.mark.parametrize(
    ("method", "path", "family"),
    [
        ("GET", "/sms/3/nothing-here", "v3"),
        ("POST", "/sms/3/message", "v3"),
        ("GET", "/sms/3/", "v3"),
        ("GET", "/sms/1/nothing-here", "v1"),
        ("GET", "/sms/2/logs", "v1"),
        ("GET", "/sms/4/messages", "v1"),
        ("POST", "/ct/1/log/end/MSG-1", "v1"),
        ("GET", "/whatever", "v1"),
        ("GET", "/sms/1/bulks/status/extra", "v1"),
    ],
)
async def test_unknown_paths_are_404_in_the_family_envelope(
    client: Client, baseline: Baseline, method: str, path: str, family: str
) -> None:
    response = await client.request(method, path, json=GOOD_SEND)
    assert response.status == 404
    body = await response.json()
    if family == "v3":
        assert_api_error(body, "E404")
    else:
        assert_request_error(body, "NOT_FOUND")
    await baseline.check()


@pytest.mark.parametrize(
    ("method", "path", "allow", "family"),
    [
        ("GET", "/sms/3/messages", "POST", "v3"),
        ("DELETE", "/sms/3/messages", "POST", "v3"),
        ("POST", "/sms/3/logs", "GET", "v3"),
        ("PUT", "/sms/3/reports", "GET", "v3"),
        ("GET", "/sms/1/preview", "POST", "v1"),
        ("DELETE", "/sms/1/bulks", "GET, PUT", "v1"),
        ("POST", "/sms/1/bulks/status", "GET, PUT", "v1"),
        ("GET", "/sms/2/text/advanced", "POST", "v1"),
        ("PATCH", "/sms/1/inbox/reports", "GET", "v1"),
    ],
)
async def test_wrong_method_is_405(
    client: Client, baseline: Baseline, method: str, path: str, allow: str, family: str
) -> None:
    response = await client.request(method, path, json=GOOD_SEND, params={"bulkId": "B"})
    assert response.status == 405
    assert response.headers["Allow"] == allow
    body = await response.json()
    if family == "v3":
        assert_api_error(body, "E405")
    else:
        assert_request_error(body, "METHOD_NOT_ALLOWED")
    await baseline.check()


def raw_url(client: Client, path: str) -> URL:
    """An absolute URL whose path is sent exactly as given (``//sms/...`` included)."""
    root = str(client.server.make_url("/")).rstrip("/")
    return URL(root + path, encoded=True)


async def test_doubled_leading_slash_is_served(client: Client) -> None:
    response = await client.session.post(raw_url(client, "//sms/3/messages"), json=GOOD_SEND)
    assert response.status == 200, await response.text()
    bulk_id = (await response.json())["bulkId"]
    response = await client.session.get(raw_url(client, f"//sms/1/bulks/status?bulkId={bulk_id}"))
    assert response.status == 200
    assert await response.json() == {"bulkId": bulk_id, "status": "FINISHED"}
    response = await client.session.get(raw_url(client, "//sms/3/logs"))
    assert len((await response.json())["results"]) == 1
    # Errors under a doubled slash keep the family envelope.
    response = await client.session.post(raw_url(client, "//sms/3/messages"), json={})
    assert response.status == 400
    assert_api_error(await response.json(), "E400")
    response = await client.session.post(raw_url(client, "//sms/1/preview"), json={})
    assert response.status == 400
    assert_request_error(await response.json(), "BAD_REQUEST")


async def test_bad_query_send_changes_nothing(client: Client, baseline: Baseline) -> None:
    response = await client.get(
        "/sms/3/text/query", params={"to": "1", "text": "x", "validityPeriod": "abc"}
    )
    assert response.status == 400
    assert v3_properties(await response.json()) == ["validityPeriod"]
    await baseline.check()


async def test_good_requests_still_work_after_many_bad_ones(
    client: Client, baseline: Baseline
) -> None:
    for raw in (b"{", b"[]", b"\xff", b"[" * 10_000):
        response = await client.post(
            "/sms/3/messages", data=raw, headers={"Content-Type": "application/json"}
        )
        assert response.status == 400
    await baseline.check()
    response = await client.post("/sms/3/messages", json=GOOD_SEND)
    assert response.status == 200
    logs = await client.get("/sms/3/logs")
    assert len((await logs.json())["results"]) == 3


# -- the control plane answers in its own shape ------------------------------------------------
async def test_control_plane_advance_by_zero_seconds(client: Client) -> None:
    response = await client.post("/__sim/clock/advance", json={"by": 0})
    assert response.status == 200, await response.text()
    assert (await response.json())["now"] == "2026-01-01T09:00:00.000+0000"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"by": "soon"}, "by"),
        ({"by": -5}, "by"),
        ({"to": "2025-01-01T00:00:00Z"}, "to"),
        ({"to": 5}, "to"),
        ({}, None),
        ({"by": "1s", "to": "2026-01-02T00:00:00Z"}, None),
    ],
)
async def test_control_plane_errors_are_not_infobip_envelopes(
    client: Client, baseline: Baseline, body: JSON, field: str | None
) -> None:
    response = await client.post("/__sim/clock/advance", json=body)
    assert response.status == 400
    answer = await response.json()
    assert set(answer) == {"error", "field"}
    assert answer["field"] == field
    await baseline.check()
