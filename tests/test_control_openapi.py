"""The control plane's OpenAPI document (``GET /__sim/openapi.json``) against the real thing.

* Every route under ``/__sim/`` in ``make_app``'s router is documented, and every documented
  operation is routed.
* The document looks like OpenAPI 3.1: ``openapi``, ``info``, ``paths`` whose operations have
  responses, unique operation ids, ``$ref``s that resolve.
* Real answers validate against their documented schemas: every documented ``GET`` (found in
  the document, so a new one is checked without editing this file) after a session that
  fills every journal, the ``POST``s, and the ``{"error", "field"}`` body of bad input.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, Final

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from schema_check import SchemaChecker

from simulator.app import make_app
from simulator.config import SimulatorConfig
from simulator.control_openapi import DOCUMENT
from simulator.core import Simulator
from simulator.timefmt import parse_instant

Client = TestClient[web.Request, web.Application]
ClientFactory = Callable[..., Awaitable[Client]]
ServerFactory = Callable[..., Awaitable[TestServer]]
JSON = dict[str, Any]

START: Final = parse_instant("2026-01-01T09:00:00.000+0000")
AUTH: Final = {"Authorization": "App test-api-key"}
METHODS: Final = ("get", "post", "put", "patch", "delete")
CHECKER: Final = SchemaChecker(DOCUMENT)


def documented() -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in DOCUMENT["paths"].items()
        for method in item
        if method in METHODS
    }


def routed() -> set[tuple[str, str]]:
    app = make_app(Simulator(SimulatorConfig(start=START)))
    found: set[tuple[str, str]] = set()
    for route in app.router.routes():
        path = route.resource.canonical if route.resource is not None else ""
        if path.startswith("/__sim") and route.method != "HEAD":
            found.add((route.method, path))
    return found


def test_every_control_route_is_documented_and_every_documented_route_exists() -> None:
    routes, docs = routed(), documented()
    assert routes - docs == set(), "routed under /__sim/ but not in control_openapi.py"
    assert docs - routes == set(), "in control_openapi.py but not routed"


def _walk(node: object) -> Iterator[object]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_the_document_is_valid_looking_openapi_3_1() -> None:
    assert DOCUMENT["openapi"].startswith("3.1.")
    assert DOCUMENT["info"]["title"]
    assert DOCUMENT["info"]["version"]
    tags = {tag["name"] for tag in DOCUMENT["tags"]}
    operation_ids: list[str] = []
    for path, item in DOCUMENT["paths"].items():
        assert path.startswith("/__sim/")
        for method, operation in item.items():
            assert method in METHODS, (path, method)
            operation_ids.append(operation["operationId"])
            assert operation["summary"]
            assert set(operation["tags"]) <= tags
            responses = operation["responses"]
            assert any(status[0] in "23" for status in responses), (path, method)
            for status, response in responses.items():
                assert status.isdigit(), (path, method, status)
                assert response["description"], (path, method, status)
                assert "content" in response or status.startswith("3"), (path, method, status)
                for media in response.get("content", {}).values():
                    assert "schema" in media, (path, method, status)
            parameters = operation.get("parameters", [])
            for parameter in parameters:
                assert parameter["in"] in ("query", "header", "path")
                assert {"name", "schema"} <= set(parameter)
            in_path = {p["name"] for p in parameters if p["in"] == "path" and p["required"]}
            assert in_path == set(re.findall(r"{(\w+)}", path)), (path, method)
            if "requestBody" in operation:
                assert "schema" in operation["requestBody"]["content"]["application/json"]
    assert len(operation_ids) == len(set(operation_ids)), "operationIds must be unique"
    for node in _walk(DOCUMENT):
        if isinstance(node, dict) and "$ref" in node:
            CHECKER.resolve(node)  # raises when it does not resolve
    used = {
        n["$ref"].rsplit("/", 1)[1] for n in _walk(DOCUMENT) if isinstance(n, dict) and "$ref" in n
    }
    assert set(DOCUMENT["components"]["schemas"]) - used == set(), "unused schemas"


async def test_the_document_is_served(aiohttp_client: ClientFactory) -> None:
    client = await aiohttp_client(make_app(Simulator(SimulatorConfig(start=START))))
    response = await client.get("/__sim/openapi.json")
    assert response.status == 200
    assert response.content_type == "application/json"
    assert await response.json() == DOCUMENT


# -- real answers ----------------------------------------------------------------------------
def check(body: object, path: str, method: str, status: int = 200) -> None:
    schema = CHECKER.response_schema(path, method, str(status))
    CHECKER.check(body, schema, f"{method} {path} {status}")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
async def session(aiohttp_client: ClientFactory, aiohttp_server: ServerFactory) -> Client:
    """A simulator whose journals all have something in them: messages (text and binary,
    delivered and still pending), requests, webhook pushes (delivered and retrying), inbound
    messages (received and scheduled), and future events."""

    async def receive(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(text="thanks")

    receiver_app = web.Application()
    receiver_app.router.add_post("/reports", receive)
    receiver = await aiohttp_server(receiver_app)
    config = SimulatorConfig(
        start=START, seed=5, default_inbound_url=str(receiver.make_url("/reports"))
    )
    client = await aiohttp_client(make_app(Simulator(config)), headers=AUTH)
    good, bad = str(receiver.make_url("/reports")), f"http://127.0.0.1:{closed_port()}/x"
    sent = await client.post(
        "/sms/3/messages",
        json={
            "messages": [
                {
                    "sender": "InfoSMS",
                    "destinations": [{"to": "41793026727"}],
                    "content": {"text": "Hello"},
                    "webhooks": {"delivery": {"url": good}, "callbackData": "cb"},
                },
                {
                    "destinations": [{"to": "41793026728"}],
                    "content": {"text": "Hi"},
                    "webhooks": {"delivery": {"url": bad}},
                },
            ]
        },
    )
    assert sent.status == 200, await sent.text()
    binary = await client.post(
        "/sms/2/binary/advanced",
        json={
            "messages": [
                {
                    "from": "InfoSMS",
                    "destinations": [{"to": "41793026729"}],
                    "binary": {"hex": "48 65 6c 6c 6f", "dataCoding": 0, "esmClass": 0},
                    "sendAt": "2026-01-01T12:00:00.000+0000",
                }
            ]
        },
    )
    assert binary.status == 200, await binary.text()
    for body in (
        {"from": "385911", "to": "41", "text": "STOP now"},
        {"from": "385912", "to": "41", "text": "later", "at": "2026-01-01T10:00:00Z"},
    ):
        injected = await client.post("/__sim/inbound", json=body)
        assert injected.status == 200, await injected.text()
        check(await injected.json(), "/__sim/inbound", "post")
    advanced = await client.post("/__sim/clock/advance", json={"by": "10s"})
    assert advanced.status == 200
    check(await advanced.json(), "/__sim/clock/advance", "post")
    return client


def fill(path: str, operation: JSON) -> str:
    """``path`` with each path parameter replaced by its documented ``example``."""
    for parameter in operation.get("parameters", ()):
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", str(parameter["example"]))
    return path


async def test_every_documented_get_answers_what_it_documents(session: Client) -> None:
    webhooks = await (await session.get("/__sim/webhooks")).json()
    assert {p["state"] for p in webhooks["webhooks"]} >= {"delivered", "retrying"}
    messages = await (await session.get("/__sim/messages")).json()
    assert {m["hex"] is None for m in messages["messages"]} == {True, False}
    checked = 0
    for path, item in sorted(DOCUMENT["paths"].items()):
        if "get" not in item:
            continue
        operation = item["get"]
        url = fill(path, operation)
        (status, answer), *_ = operation["responses"].items()
        async with session.get(url, allow_redirects=False) as response:
            assert response.status == int(status), (path, await response.text())
            media = answer.get("content", {})
            if "application/json" in media:
                check(await response.json(), path, "get")
                checked += 1
            elif media:  # a page, a file, or an endless event stream: its type only
                assert response.content_type in media, (path, response.content_type)
            else:
                assert response.headers["Location"], path
    assert checked >= 15


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/__sim/messages", {"status": "DELIVERED", "limit": "1"}),
        ("/__sim/messages", {"status": "PENDING_ENROUTE", "bulkId": "none"}),
        ("/__sim/events", {"limit": "1"}),
        ("/__sim/webhooks", {"state": "retrying", "kind": "delivery-report"}),
        ("/__sim/requests", {"path": "/sms/3/messages"}),
        ("/__sim/inbound", {"limit": "1"}),
        ("/__sim/bulks", {"status": "PENDING", "q": "", "offset": "0", "limit": "5"}),
        ("/__sim/browse/messages", {"q": "4179", "status": "DELIVERED", "limit": "1"}),
        ("/__sim/browse/events", {"offset": "1", "limit": "2"}),
        ("/__sim/browse/webhooks", {"state": "retrying", "q": "127.0.0.1"}),
    ],
)
async def test_filtered_answers_match_too(
    session: Client, path: str, query: dict[str, str]
) -> None:
    response = await session.get(path, params=query)
    assert response.status == 200
    check(await response.json(), path, "get")


async def test_posts_answer_what_they_document(session: Client) -> None:
    mode = await session.post("/__sim/clock/mode", json={"mode": "realtime", "rate": 60})
    check(await mode.json(), "/__sim/clock/mode", "post")
    await session.post("/__sim/clock/mode", json={"mode": "manual"})
    for body in ({"to": "2026-01-01T09:30:00Z"}, {"next": True}):
        advanced = await session.post("/__sim/clock/advance", json=body)
        assert advanced.status == 200
        check(await advanced.json(), "/__sim/clock/advance", "post")
    saved = await (await session.get("/__sim/state")).json()
    loaded = await session.post("/__sim/state", json=saved)
    assert loaded.status == 200, await loaded.text()
    check(await loaded.json(), "/__sim/state", "post")
    (bulk,) = (await (await session.get("/__sim/bulks", params={"status": "PENDING"})).json())[
        "bulks"
    ]
    for status in ("PAUSED", "PENDING"):
        changed = await session.post(
            f"/__sim/bulks/{bulk['bulkId']}/status", json={"status": status}
        )
        assert changed.status == 200, await changed.text()
        check(await changed.json(), "/__sim/bulks/{bulkId}/status", "post")
    moved = await session.post(
        f"/__sim/bulks/{bulk['bulkId']}/reschedule", json={"sendAt": "2026-01-02T09:00:00Z"}
    )
    assert moved.status == 200, await moved.text()
    check(await moved.json(), "/__sim/bulks/{bulkId}/reschedule", "post")
    missing = await session.post("/__sim/bulks/nope/status", json={"status": "PAUSED"})
    assert missing.status == 404
    check(await missing.json(), "/__sim/bulks/{bulkId}/status", "post", 404)
    scenario = await session.post("/__sim/scenario", json={"name": None})
    assert scenario.status == 200, await scenario.text()
    check(await scenario.json(), "/__sim/scenario", "post")
    reset = await session.post("/__sim/reset")
    check(await reset.json(), "/__sim/reset", "post")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/__sim/clock/advance", {"by": "banana"}),
        ("/__sim/clock/advance", {"by": "1s", "next": True}),
        ("/__sim/clock/advance", {"to": "2020-01-01T00:00:00Z"}),
        ("/__sim/clock/mode", {"mode": "warp"}),
        ("/__sim/inbound", {"from": "385911", "to": "41"}),
        ("/__sim/state", {"format": 99}),
        ("/__sim/scenario", {"name": "no-such-scenario"}),
        ("/__sim/bulks/{bulkId}/status", {"status": "FINISHED"}),
        ("/__sim/bulks/{bulkId}/reschedule", {"sendAt": "tomorrow"}),
    ],
)
async def test_bad_input_answers_the_documented_error(
    session: Client, path: str, body: JSON
) -> None:
    bulks = (await (await session.get("/__sim/bulks")).json())["bulks"]
    url = path.replace("{bulkId}", bulks[0]["bulkId"])
    response = await session.post(url, json=body)
    assert response.status == 400
    error = await response.json()
    check(error, path, "post", 400)
    assert error["error"]


async def test_malformed_json_and_unknown_paths_answer_the_error_body(session: Client) -> None:
    response = await session.post("/__sim/clock/advance", data=b"{not json")
    assert response.status == 400
    CHECKER.check(await response.json(), DOCUMENT["components"]["schemas"]["Error"])
    missing = await session.get("/__sim/no-such-thing")
    assert missing.status == 404
    CHECKER.check(await missing.json(), DOCUMENT["components"]["schemas"]["Error"])
