"""Every example in Infobip's OpenAPI document, sent to the simulator, answered with HTTP 200 and
a body that validates against the operation's 200 response schema.

* POST/PUT operations: every ``application/json`` request example, verbatim.
* GET operations: one request built from the parameters' ``example`` values (plus the
  required parameters that have none), after seeding state those examples can find.

Not covered: ``POST /ct/1/log/end/{messageId}`` ("Confirm conversion", early access). It
belongs to Infobip's conversion-tracking product, not to sending or reading SMS, and the
simulator does not serve it (a 404 in the v1 envelope, checked below).

Each answer is validated twice: by tests/schema_check.py and by schemathesis' jsonschema
check (``conformance.jsonschema_problems``), which the fuzzing in
tests/test_conformance_infobip.py uses too.

The example ``sendAt`` values (2021) lie in the past of the simulator's clock (2026-01-01),
which sends such messages at once. The binary examples' second ``hex`` is truncated in the
document with a ``…``; the simulator rejects that as not hex, so those two examples are
checked for that 400 and then sent again with the ellipsis removed.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from conformance import fuzzable, jsonschema_problems, load, operations
from schema_check import SchemaChecker, load_openapi

from simulator.api.routes import ENDPOINTS
from simulator.core import Simulator
from simulator.models import InboundMessage

Client = TestClient[web.Request, web.Application]
JSON = dict[str, Any]

CHECKER = SchemaChecker()
DOCUMENT = load_openapi()
METHODS = ("get", "post", "put", "delete", "patch")
NOT_SERVED = {("POST", "/ct/1/log/end/{messageId}")}
SERVED = {(e.method, e.path) for e in ENDPOINTS}
SPEC_OPERATIONS = sorted(
    (method.upper(), path)
    for path, item in DOCUMENT["paths"].items()
    for method in item
    if method in METHODS
)
COVERED = [op for op in SPEC_OPERATIONS if op in SERVED]
BULK_ID = "BULK-ID-123-xyz"  # the bulkId the bulk examples use
ELLIPSIS = "\u2026"
JSONSCHEMA = {
    op.label: op
    for op in operations(
        load(fuzzable(DOCUMENT, drop_paths={p for _, p in NOT_SERVED}, drop_media=set()))
    )
}
"""The document as schemathesis reads it: every answer is validated by its jsonschema check
too (formats are left to tests/schema_check.py: Infobip's date-times are not RFC 3339)."""


def test_every_operation_but_conversion_tracking_is_served() -> None:
    assert set(SPEC_OPERATIONS) - SERVED == NOT_SERVED
    assert len(COVERED) == len(SPEC_OPERATIONS) - 1


async def test_conversion_tracking_is_not_served(client: Client) -> None:
    response = await client.post("/ct/1/log/end/MESSAGE-ID-123-xyz")
    assert response.status == 404
    body = await response.json()
    assert body["requestError"]["serviceException"]["messageId"] == "NOT_FOUND"


def test_the_checker_accepts_the_documents_own_examples() -> None:
    for method, path in SPEC_OPERATIONS:
        schema = CHECKER.response_schema(path, method)
        for name, example in CHECKER.response_examples(path, method).items():
            CHECKER.check(example, schema, f"{method} {path} response example {name!r}")
        body = CHECKER.operation(path, method).get("requestBody")
        if body is None:
            continue
        request_schema = CHECKER.resolve(body)["content"]["application/json"]["schema"]
        for name, example in CHECKER.request_examples(path, method).items():
            CHECKER.check(example, request_schema, f"{method} {path} request example {name!r}")


# -- seeding ----------------------------------------------------------------------------------
async def post_ok(client: Client, path: str, body: object) -> None:
    response = await client.post(path, json=body)
    assert response.status == 200, await response.text()


async def seed_scheduled_bulk(client: Client) -> None:
    """A pending bulk ``BULK-ID-123-xyz`` due tomorrow, which the bulk examples address."""
    await post_ok(
        client,
        "/sms/3/messages",
        {
            "messages": [{"destinations": [{"to": "41793026727"}], "content": {"text": "Later"}}],
            "options": {"schedule": {"bulkId": BULK_ID, "sendAt": "2026-01-02T09:00:00.000+0000"}},
        },
    )


async def seed_delivered(client: Client, simulator: Simulator) -> None:
    """Delivered v3 and v2 messages carrying the ids the GET examples filter on, and an MO."""
    await post_ok(
        client,
        "/sms/3/messages",
        {
            "messages": [
                {
                    "sender": "InfoSMS",
                    "destinations": [{"to": "41793026727", "messageId": "MESSAGE-ID-123-xyz"}],
                    "content": {"text": "This is a sample message"},
                    "options": {
                        "platform": {
                            "entityId": "promotional-traffic-entity",
                            "applicationId": "marketing-automation-application",
                        },
                        "campaignReferenceId": "summersale",
                    },
                    "webhooks": {"callbackData": "callbackData"},
                }
            ],
            "options": {"schedule": {"bulkId": BULK_ID}},
        },
    )
    await post_ok(
        client,
        "/sms/2/text/advanced",
        {
            "bulkId": BULK_ID,
            "messages": [
                {
                    "from": "InfoSMS",
                    "destinations": [{"to": "41793026834", "messageId": "MESSAGE-ID-124-xyz"}],
                    "text": "This is a sample message",
                    "entityId": "promotional-traffic-entity",
                    "applicationId": "marketing-automation-application",
                    "campaignReferenceId": "summersale",
                }
            ],
        },
    )
    response = await client.post("/__sim/clock/advance", json={"by": "5s"})
    assert response.status == 200
    account = simulator.gateway.account()
    inbound = InboundMessage(
        seq=1,
        account=account.key,
        message_id="817790313235066447",
        sender="385916242493",
        to="385921004026",
        text="QUIZ Correct answer is Paris",
        keyword="QUIZ",
        clean_text="Correct answer is Paris",
        received_at=simulator.clock.now(),
        callback_data="callbackData",
        entity_id="promotional-traffic-entity",
        application_id="marketing-automation-application",
        campaign_reference_id="summersale",
    )
    account.inbox.append(inbound)
    account.inbound.append(inbound)


# -- request examples (POST, PUT) -----------------------------------------------------------------
def body_examples() -> list[Any]:
    cases: list[Any] = []
    for method, path in COVERED:
        for name, example in CHECKER.request_examples(path, method).items():
            cases.append(pytest.param(method, path, name, example, id=f"{method} {path} {name}"))
    return cases


BODY_EXAMPLES = body_examples()


def test_there_are_request_examples_for_every_body_operation() -> None:
    with_body = {(m, p) for m, p in COVERED if CHECKER.operation(p, m).get("requestBody")}
    assert with_body == {
        ("POST", "/sms/3/messages"),
        ("POST", "/sms/2/text/advanced"),
        ("POST", "/sms/2/binary/advanced"),
        ("POST", "/sms/1/preview"),
        ("PUT", "/sms/1/bulks"),
        ("PUT", "/sms/1/bulks/status"),
    }
    assert {(p.values[0], p.values[1]) for p in BODY_EXAMPLES} == with_body
    assert len(BODY_EXAMPLES) == 23


def truncated_hex_paths(example: object, path: str = "") -> list[str]:
    """Property paths of ``hex`` strings the document shortened with an ellipsis."""
    found: list[str] = []
    if isinstance(example, dict):
        for key, value in example.items():
            where = f"{path}.{key}" if path else key
            if key == "hex" and isinstance(value, str) and ELLIPSIS in value:
                found.append(where)
            else:
                found.extend(truncated_hex_paths(value, where))
    elif isinstance(example, list):
        for index, value in enumerate(example):
            found.extend(truncated_hex_paths(value, f"{path}[{index}]"))
    return found


def without_ellipsis(example: Any) -> Any:
    repaired = copy.deepcopy(example)

    def fix(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: (v.replace(ELLIPSIS, " ").replace("  ", " ") if k == "hex" else fix(v))
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    return fix(repaired)


async def send_example(client: Client, method: str, path: str, example: Any) -> JSON:
    params = {"bulkId": BULK_ID} if path.startswith("/sms/1/bulks") else None
    response = await client.request(method, path, json=example, params=params)
    text = await response.text()
    assert response.status == 200, f"{method} {path}: {response.status} {text}"
    assert response.content_type == "application/json"
    body: JSON = json.loads(text)
    CHECKER.check(body, CHECKER.response_schema(path, method), f"{method} {path} answer")
    assert jsonschema_problems(JSONSCHEMA[f"{method} {path}"], 200, text.encode()) == []
    return body


@pytest.mark.parametrize(("method", "path", "name", "example"), BODY_EXAMPLES)
async def test_request_example(
    client: Client, method: str, path: str, name: str, example: Any
) -> None:
    if path.startswith("/sms/1/bulks"):
        await seed_scheduled_bulk(client)
    truncated = truncated_hex_paths(example)
    if truncated:
        response = await client.request(method, path, json=example)
        assert response.status == 400, await response.text()
        error = await response.json()
        if path.startswith("/sms/3/"):
            assert [v["property"] for v in error["violations"]] == truncated
        else:
            assert list(error["requestError"]["serviceException"]["validationErrors"]) == truncated
        example = without_ellipsis(example)
        assert truncated_hex_paths(example) == []
    body = await send_example(client, method, path, example)
    check_answer_matches_request(path, example, body)


def check_answer_matches_request(path: str, example: Any, body: JSON) -> None:
    """Beyond the schema: what each answer must say about the request it answers."""
    if path in ("/sms/3/messages", "/sms/2/text/advanced", "/sms/2/binary/advanced"):
        v3 = path.startswith("/sms/3/")
        destinations = [d for m in example["messages"] for d in m["destinations"]]
        assert [m["destination" if v3 else "to"] for m in body["messages"]] == [
            d["to"] for d in destinations
        ]
        for sent, destination in zip(body["messages"], destinations, strict=True):
            if "messageId" in destination:
                assert sent["messageId"] == destination["messageId"]
        given = example.get("options", {}).get("schedule", {}).get("bulkId") if v3 else None
        given = given or example.get("bulkId")
        if given:
            assert body["bulkId"] == given
    elif path == "/sms/1/bulks":
        assert body == {"bulkId": BULK_ID, "sendAt": example["sendAt"]}
    elif path == "/sms/1/bulks/status":
        assert body == {"bulkId": BULK_ID, "status": example["status"]}
    elif path == "/sms/1/preview":
        assert body["originalText"] == example["text"]


# -- parameter examples (GET) -------------------------------------------------------------------
REQUIRED_WITHOUT_EXAMPLE = {"username": "Aladdin", "password": "openSesame"}


def parameter_query(path: str, method: str) -> list[tuple[str, str]]:
    """The query string the operation's parameter examples spell out."""
    query: list[tuple[str, str]] = []
    for parameter in CHECKER.operation(path, method).get("parameters", []):
        parameter = CHECKER.resolve(parameter)
        assert parameter["in"] == "query", parameter
        name = parameter["name"]
        if "example" in parameter:
            value = parameter["example"]
        elif "example" in parameter.get("schema", {}):
            value = parameter["schema"]["example"]
        elif parameter.get("required"):
            value = REQUIRED_WITHOUT_EXAMPLE[name]
        else:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        query.append((name, str(value)))
    return query


GET_OPERATIONS = [op for op in COVERED if op[0] == "GET"]


def test_the_get_operations() -> None:
    assert {path for _, path in GET_OPERATIONS} == {
        "/sms/3/text/query",
        "/sms/1/text/query",
        "/sms/1/bulks",
        "/sms/1/bulks/status",
        "/sms/1/inbox/reports",
        "/sms/3/reports",
        "/sms/3/logs",
        "/sms/1/reports",
        "/sms/1/logs",
    }


# What a GET built from the examples must find, given the seeded state.
NON_EMPTY_RESULTS = {"/sms/1/inbox/reports", "/sms/3/reports", "/sms/1/reports"}
DATED_EXAMPLES = {"/sms/3/logs", "/sms/1/logs"}
"""Their sentSince/sentUntil examples are in 2015 and 2020: nothing is that old."""


@pytest.mark.parametrize(("method", "path"), GET_OPERATIONS, ids=[p for _, p in GET_OPERATIONS])
async def test_parameter_examples(
    client: Client, simulator: Simulator, method: str, path: str
) -> None:
    if path.startswith("/sms/1/bulks"):
        await seed_scheduled_bulk(client)
    else:
        await seed_delivered(client, simulator)
    query = parameter_query(path, method)
    assert query, path
    response = await client.get(path, params=query)
    text = await response.text()
    assert response.status == 200, f"GET {path}?{query}: {response.status} {text}"
    assert response.content_type == "application/json"
    body: JSON = json.loads(text)
    CHECKER.check(body, CHECKER.response_schema(path, method), f"GET {path} answer")
    assert jsonschema_problems(JSONSCHEMA[f"GET {path}"], 200, text.encode()) == []

    if path in NON_EMPTY_RESULTS:
        assert body["results"], body
    if path in DATED_EXAMPLES:
        assert body["results"] == []
        undated = [(k, v) for k, v in query if k not in ("sentSince", "sentUntil")]
        response = await client.get(path, params=undated)
        assert response.status == 200, await response.text()
        body = await response.json()
        CHECKER.check(body, CHECKER.response_schema(path, method), f"GET {path} undated answer")
        assert body["results"], body
    if path.endswith("/text/query"):
        destinations = [m.get("destination", m.get("to")) for m in body["messages"]]
        assert destinations == ["41793026727", "41793026834"]
    if path == "/sms/1/bulks":
        assert body == {"bulkId": BULK_ID, "sendAt": "2026-01-02T09:00:00.000+0000"}
    if path == "/sms/1/bulks/status":
        assert body == {"bulkId": BULK_ID, "status": "PENDING"}


async def test_v3_logs_with_cursor_validate(client: Client, simulator: Simulator) -> None:
    await seed_delivered(client, simulator)
    response = await client.get("/sms/3/logs", params={"useCursor": "true", "limit": "1"})
    body = await response.json()
    CHECKER.check(body, CHECKER.response_schema("/sms/3/logs", "GET"))
    assert body["cursor"]["limit"] == 1
    assert isinstance(body["cursor"]["nextCursor"], str)


async def test_binary_logs_validate_as_exactly_one_content_kind(client: Client) -> None:
    request = {
        "messages": [
            {"destinations": [{"to": "1"}], "content": {"hex": "48 69", "dataCoding": 0}},
            {"destinations": [{"to": "2"}], "content": {"text": "Hi"}},
        ]
    }
    await post_ok(client, "/sms/3/messages", request)
    response = await client.get("/sms/3/logs")
    body = await response.json()
    CHECKER.check(body, CHECKER.response_schema("/sms/3/logs", "GET"))
    assert [set(r["content"]) for r in body["results"]] == [
        {"text"},
        {"hex", "dataCoding", "esmClass"},
    ]


# -- the checker is not vacuous ------------------------------------------------------------------
async def test_the_checker_catches_what_strict_clients_reject(
    client: Client, simulator: Simulator
) -> None:
    await seed_delivered(client, simulator)
    response = await client.get("/sms/3/reports", params={"limit": "1"})
    report_body = await response.json()
    schema = CHECKER.response_schema("/sms/3/reports", "GET")
    CHECKER.check(report_body, schema)

    def broken(change: str) -> JSON:
        body: JSON = copy.deepcopy(report_body)
        report = body["results"][0]
        if change == "Ok":
            report["error"]["groupName"] = "Ok"
        elif change == "string id":
            report["status"]["groupId"] = "3"
        elif change == "bool count":
            report["messageCount"] = True
        elif change == "bad date":
            report["sentAt"] = "2019-11-09 16:00"
        elif change == "string price":
            report["price"]["pricePerMessage"] = "0.01"
        return body

    for change, where in [
        ("Ok", "$.results[0].error.groupName"),
        ("string id", "$.results[0].status.groupId"),
        ("bool count", "$.results[0].messageCount"),
        ("bad date", "$.results[0].sentAt"),
        ("string price", "$.results[0].price.pricePerMessage"),
    ]:
        problems = CHECKER.errors(broken(change), schema)
        assert len(problems) == 1, (change, problems)
        assert problems[0].startswith(where + ":"), problems

    send_schema = CHECKER.response_schema("/sms/3/messages", "POST")
    assert CHECKER.errors({"bulkId": "b"}, send_schema) == [
        "$: required property 'messages' is missing"
    ]
    logs_schema = CHECKER.response_schema("/sms/3/logs", "GET")
    both = {"results": [{"content": {"text": "x", "hex": "41"}}]}
    [problem] = CHECKER.errors(both, logs_schema)
    assert "matches 2 of the 2 oneOf schemas" in problem
