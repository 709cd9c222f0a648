"""The control-plane endpoints behind the web console, over HTTP: the console's files and the
root redirect, ``/__sim/bulks`` (list, status, reschedule: the Infobip API's rules and words)
and the paged ``/__sim/browse/*`` views."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from simulator.app import make_app
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.timefmt import DAY, format_instant, parse_instant

Client = TestClient[web.Request, web.Application]
JSON = dict[str, Any]

NOW = "2026-01-01T09:00:00.000+0000"
LATER = "2026-01-01T10:00:00.000+0000"


async def send(
    client: Client,
    *numbers: str,
    text: str = "Hello",
    bulk_id: str | None = None,
    send_at: str | None = None,
    objects: int = 1,
    webhook: str | None = None,
) -> JSON:
    message: JSON = {
        "sender": "InfoSMS",
        "destinations": [{"to": n} for n in numbers or ("41793026727",)],
        "content": {"text": text},
    }
    if webhook is not None:
        message["webhooks"] = {"delivery": {"url": webhook}}
    request: JSON = {"messages": [message] * objects}
    schedule = {k: v for k, v in (("bulkId", bulk_id), ("sendAt", send_at)) if v is not None}
    if schedule:
        request["options"] = {"schedule": schedule}
    response = await client.post("/sms/3/messages", json=request)
    assert response.status == 200, await response.text()
    body: JSON = await response.json()
    return body


async def get(client: Client, path: str, expect: int = 200, /, **params: Any) -> JSON:
    response = await client.get(path, params={k: str(v) for k, v in params.items()})
    body: JSON = await response.json()
    assert response.status == expect, body
    return body


async def post(client: Client, path: str, body: object, status: int = 200) -> JSON:
    response = await client.post(path, json=body)
    result: JSON = await response.json()
    assert response.status == status, result
    return result


async def advance(client: Client, by: str) -> JSON:
    return await post(client, "/__sim/clock/advance", {"by": by})


# -- the page ----------------------------------------------------------------------------------
async def test_root_redirects_to_the_console(client: Client) -> None:
    for path in ("/", "/__sim/console"):
        response = await client.get(path, allow_redirects=False)
        assert response.status == 302
        assert response.headers["Location"] == "/__sim/console/"
    page = await client.get("/")
    assert page.status == 200
    assert page.url.path == "/__sim/console/"


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("/__sim/console/", "text/html"),
        ("/__sim/console/index.html", "text/html"),
        ("/__sim/console/console.js", "text/javascript"),
        ("/__sim/console/console.css", "text/css"),
        ("/__sim/console/favicon.svg", "image/svg+xml"),
        ("/favicon.ico", "image/svg+xml"),
    ],
)
async def test_console_files_are_served_from_the_package(
    client: Client, path: str, media: str
) -> None:
    response = await client.get(path)
    assert response.status == 200
    assert response.content_type == media
    assert response.headers["Cache-Control"] == "no-cache"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy


async def test_the_page_loads_nothing_from_elsewhere(client: Client) -> None:
    for name in ("index.html", "console.js", "console.css"):
        text = await (await client.get(f"/__sim/console/{name}")).text()
        assert "http://" not in text
        assert "https://" not in text
        assert "<script>" not in text  # no inline script: the CSP forbids it


@pytest.mark.parametrize("name", ["secrets.txt", "__init__.py", "routes.py", "..%2Froutes.py"])
async def test_only_the_console_files_are_served(client: Client, name: str) -> None:
    response = await client.get(f"/__sim/console/{name}")
    assert response.status == 404
    assert (await response.json())["field"] is None


# -- GET /__sim/bulks --------------------------------------------------------------------------
async def test_bulks_list_newest_first_with_status_and_send_time(client: Client) -> None:
    assert await get(client, "/__sim/bulks") == {"bulks": [], "total": 0, "offset": 0, "limit": 100}
    await send(client, "41793026727", "41793026728", bulk_id="now")
    await advance(client, "1s")
    await send(client, "41793026729", bulk_id="later", send_at=LATER)
    body = await get(client, "/__sim/bulks")
    assert [b["bulkId"] for b in body["bulks"]] == ["later", "now"]
    later, now = body["bulks"]
    assert later == {
        "bulkId": "later",
        "account": "default",
        "status": "PENDING",
        "sendAt": LATER,
        "createdAt": "2026-01-01T09:00:01.000+0000",
        "messageCount": 1,
        "unsent": 1,
        "messageObjects": 1,
        "statuses": {"PENDING": 1},
    }
    assert now["status"] == "FINISHED"
    assert now["statuses"] == {"PENDING": 2}  # PENDING_ENROUTE until delivered
    await advance(client, "3s")
    assert (await get(client, "/__sim/bulks", q="no"))["bulks"][0]["statuses"] == {"DELIVERED": 2}


async def test_bulks_filter_and_page(client: Client) -> None:
    for n in range(5):
        await send(client, bulk_id=f"bulk-{n}", send_at=LATER)
    await post(client, "/__sim/bulks/bulk-1/status", {"status": "PAUSED"})
    paused = await get(client, "/__sim/bulks", status="paused")
    assert [b["bulkId"] for b in paused["bulks"]] == ["bulk-1"]
    assert paused["total"] == 1
    assert (await get(client, "/__sim/bulks", q="BULK-3"))["bulks"][0]["bulkId"] == "bulk-3"
    page = await get(client, "/__sim/bulks", offset=1, limit=2)
    assert [b["bulkId"] for b in page["bulks"]] == ["bulk-3", "bulk-2"]
    assert (page["total"], page["offset"], page["limit"]) == (5, 1, 2)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "x"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "one"}, "offset"),
        ({"status": "SENT"}, "status"),
    ],
)
async def test_bulks_list_bad_query(client: Client, params: dict[str, str], field: str) -> None:
    body = await get(client, "/__sim/bulks", 400, **params)
    assert body["field"] == field


# -- POST /__sim/bulks/{bulkId}/status and /reschedule ---------------------------------------
async def test_pause_resume_cancel(client: Client, simulator: Simulator) -> None:
    await send(client, "41793026727", "41793026728", bulk_id="sale", send_at=LATER)
    paused = await post(client, "/__sim/bulks/sale/status", {"status": "PAUSED"})
    assert paused["status"] == "PAUSED"
    assert (await get(client, "/__sim/events"))["total"] == 0  # the sends are off the schedule
    resumed = await post(client, "/__sim/bulks/sale/status", {"status": "pending"})
    assert resumed["status"] == "PENDING"
    assert (await get(client, "/__sim/events"))["total"] == 2
    canceled = await post(client, "/__sim/bulks/sale/status", {"status": "CANCELED"})
    assert canceled["status"] == "CANCELED"
    assert canceled["statuses"] == {"UNDELIVERABLE": 2}
    messages = (await get(client, "/__sim/messages", bulkId="sale"))["messages"]
    assert {m["status"]["name"] for m in messages} == {"UNDELIVERABLE_NOT_SENT"}
    assert {m["error"]["name"] for m in messages} == {"EC_MESSAGE_CANCELED"}


async def test_resume_after_the_send_time_sends_at_once(client: Client) -> None:
    await send(client, bulk_id="held", send_at=LATER)
    await post(client, "/__sim/bulks/held/status", {"status": "PAUSED"})
    await advance(client, "2h")
    bulk = await post(client, "/__sim/bulks/held/status", {"status": "PENDING"})
    assert bulk["status"] == "FINISHED"  # sent during the request, as the API would
    (message,) = (await get(client, "/__sim/messages", bulkId="held"))["messages"]
    assert message["sentAt"] == "2026-01-01T11:00:00.000+0000"


async def test_reschedule_moves_the_send_time(client: Client) -> None:
    await send(client, bulk_id="sale", send_at=LATER)
    moved = await post(client, "/__sim/bulks/sale/reschedule", {"sendAt": "2026-01-02T08:30:00Z"})
    assert moved["sendAt"] == "2026-01-02T08:30:00.000+0000"
    (event,) = (await get(client, "/__sim/events"))["events"]
    assert (event["at"], event["kind"]) == ("2026-01-02T08:30:00.000+0000", "send")


async def api_refusal(client: Client, path: str, body: JSON, bulk_id: str) -> tuple[int, str]:
    """What Infobip's own bulk endpoint answers for the same change: status and text."""
    response = await client.put(path, params={"bulkId": bulk_id}, json=body)
    error: JSON = await response.json()
    exception = error["requestError"]["serviceException"]
    violations = exception.get("validationErrors") or {}
    text = next(iter(violations.values()))[0] if violations else exception["text"]
    return response.status, text


@pytest.mark.parametrize(
    ("setup", "change"),
    [
        ("CANCELED", {"status": "PAUSED"}),
        ("CANCELED", {"status": "PENDING"}),
        ("CANCELED", {"sendAt": LATER}),
        ("SENT", {"status": "PAUSED"}),
        ("SENT", {"status": "CANCELED"}),
        ("SENT", {"sendAt": LATER}),
        ("PENDING", {"status": "PROCESSING"}),
        ("PENDING", {"status": "FINISHED"}),
        ("PENDING", {"sendAt": format_instant(parse_instant(NOW) + 181 * DAY)}),
        ("OBJECTS", {"status": "PAUSED"}),
        ("OBJECTS", {"sendAt": LATER}),
    ],
)
async def test_refusals_match_the_infobip_api(client: Client, setup: str, change: JSON) -> None:
    if setup == "SENT":
        await send(client, bulk_id="b")
        await advance(client, "1m")
    elif setup == "OBJECTS":
        await send(client, bulk_id="b", send_at=LATER, objects=2)
    else:
        await send(client, bulk_id="b", send_at=LATER)
    if setup == "CANCELED":
        await post(client, "/__sim/bulks/b/status", {"status": "CANCELED"})
    before = await get(client, "/__sim/bulks")
    kind = "status" if "status" in change else "reschedule"
    api_path = "/sms/1/bulks/status" if kind == "status" else "/sms/1/bulks"
    api_status, api_text = await api_refusal(client, api_path, change, "b")
    assert api_status == 400
    refused = await post(client, f"/__sim/bulks/b/{kind}", change, 400)
    assert refused["error"] == api_text
    if "sendAt" in change and setup == "PENDING":
        assert refused["field"] == "sendAt"
    assert await get(client, "/__sim/bulks") == before  # nothing changed


async def test_unknown_bulk_is_404_like_the_api(client: Client) -> None:
    refused = await post(client, "/__sim/bulks/nope/status", {"status": "PAUSED"}, 404)
    assert refused == {"error": "Bulk not found", "field": None}
    await post(client, "/__sim/bulks/nope/reschedule", {"sendAt": LATER}, 404)


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("status", {}, "status"),
        ("status", {"status": "SLEEPING"}, "status"),
        ("status", {"status": 3}, "status"),
        ("reschedule", {}, "sendAt"),
        ("reschedule", {"sendAt": "tomorrow"}, "sendAt"),
        ("reschedule", {"sendAt": 5}, "sendAt"),
        ("status", {"status": "PAUSED", "account": 7}, "account"),
    ],
)
async def test_bad_bulk_change_bodies(client: Client, kind: str, body: JSON, field: str) -> None:
    await send(client, bulk_id="b", send_at=LATER)
    refused = await post(client, f"/__sim/bulks/b/{kind}", body, 400)
    assert refused["field"] == field


async def test_body_must_be_a_json_object(client: Client) -> None:
    await send(client, bulk_id="b", send_at=LATER)
    for raw in (b"[1]", b"{"):
        response = await client.post("/__sim/bulks/b/status", data=raw)
        assert response.status == 400
        assert (await response.json())["field"] == "body"


async def test_bulks_per_account_with_isolated_tenants(aiohttp_client: Any) -> None:
    config = SimulatorConfig(start=parse_instant(NOW), seed=7, isolate_tenants=True)
    client: Client = await aiohttp_client(make_app(Simulator(config)))
    alice, bob = {"Authorization": "App alice"}, {"Authorization": "App bob"}
    for who in (alice, bob):
        response = await client.post(
            "/sms/3/messages",
            headers=who,
            json={
                "messages": [{"destinations": [{"to": "41793026727"}], "content": {"text": "x"}}],
                "options": {"schedule": {"bulkId": "shared", "sendAt": LATER}},
            },
        )
        assert response.status == 200
    listed = (await get(client, "/__sim/bulks"))["bulks"]
    assert sorted(b["account"] for b in listed) == ["alice", "bob"]
    ambiguous = await post(client, "/__sim/bulks/shared/status", {"status": "PAUSED"}, 400)
    assert ambiguous["field"] == "account"
    paused = await post(
        client, "/__sim/bulks/shared/status", {"status": "PAUSED", "account": "bob"}
    )
    assert (paused["account"], paused["status"]) == ("bob", "PAUSED")
    response = await client.get("/__sim/bulks", headers=alice)
    (only,) = (await response.json())["bulks"]
    assert (only["account"], only["status"]) == ("alice", "PENDING")


# -- GET /__sim/browse/messages -----------------------------------------------------------------
async def test_browse_messages_newest_first_and_paged(client: Client) -> None:
    await send(client, *(f"4179300{n:04d}" for n in range(250)))
    first = await get(client, "/__sim/browse/messages")
    assert (first["total"], first["offset"], first["limit"]) == (250, 0, 100)
    assert [m["to"] for m in first["messages"][:2]] == ["41793000249", "41793000248"]
    last = await get(client, "/__sim/browse/messages", offset=200)
    assert len(last["messages"]) == 50
    assert last["messages"][-1]["to"] == "41793000000"
    beyond = await get(client, "/__sim/browse/messages", offset=300)
    assert (beyond["messages"], beyond["total"]) == ([], 250)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "4179302"}, ["41793026728", "41793026727"]),
        ({"q": "SALE"}, ["4479001"]),
        ({"q": "spring"}, ["4479001"]),
        ({"q": "delivered"}, ["41793026728", "41793026727"]),
        ({"status": "DELIVERED"}, ["41793026728", "41793026727"]),
        ({"status": "pending_accepted"}, ["4479001"]),
        ({"bulkId": "spring"}, ["4479001"]),
        ({"bulkId": "sprin"}, []),
        ({"q": "nothing like it"}, []),
    ],
)
async def test_browse_messages_search(
    client: Client, params: dict[str, str], expected: list[str]
) -> None:
    await send(client, "41793026727", "41793026728", text="Your code is 1234")
    await advance(client, "5s")
    await send(client, "4479001", text="Big sale", bulk_id="spring", send_at=LATER)
    body = await get(client, "/__sim/browse/messages", **params)
    assert [m["to"] for m in body["messages"]] == expected
    assert body["total"] == len(expected)


async def test_lifecycle_of_a_delivered_message(client: Client) -> None:
    await send(client, "41793026727", send_at="2026-01-01T09:10:00.000+0000")
    await advance(client, "15m")
    (message,) = (await get(client, "/__sim/browse/messages"))["messages"]
    assert message["status"]["name"] == "DELIVERED_TO_HANDSET"
    assert [(e["kind"], e["label"], e["at"][11:19]) for e in message["lifecycle"]] == [
        ("submitted", "submitted via sms/3/messages", "09:00:00"),
        ("scheduled", "sent as scheduled", "09:10:00"),
        ("sent", "left for the operator", "09:10:00"),
        ("status", "PENDING_ENROUTE", "09:10:00"),
        ("report", "DELIVERED_TO_HANDSET", "09:10:03"),
    ]
    assert not any(e["future"] for e in message["lifecycle"])


async def test_lifecycle_shows_what_is_still_to_come(client: Client) -> None:
    await send(client, "41793026727", send_at=LATER)
    (message,) = (await get(client, "/__sim/browse/messages"))["messages"]
    assert [(e["kind"], e["future"]) for e in message["lifecycle"]] == [
        ("submitted", False),
        ("scheduled", True),
        ("expiry", True),
    ]
    assert message["lifecycle"][-1]["at"] == "2026-01-03T10:00:00.000+0000"


async def test_lifecycle_of_a_cancelled_message_has_no_expiry(client: Client) -> None:
    await send(client, bulk_id="b", send_at=LATER)
    await post(client, "/__sim/bulks/b/status", {"status": "CANCELED"})
    (message,) = (await get(client, "/__sim/browse/messages"))["messages"]
    kinds = [(e["kind"], e.get("status"), e.get("error")) for e in message["lifecycle"]]
    assert kinds == [
        ("submitted", None, None),
        ("report", "UNDELIVERABLE_NOT_SENT", "EC_MESSAGE_CANCELED"),
        ("scheduled", None, None),
    ]
    assert message["lifecycle"][2]["label"] == "was scheduled to send (never sent)"
    assert not any(e["future"] for e in message["lifecycle"])


async def test_lifecycle_includes_webhook_attempts(client: Client, aiohttp_server: Any) -> None:
    answers = iter([500, 200])

    async def receive(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(status=next(answers), text="thanks")

    receiver = web.Application()
    receiver.router.add_post("/hook", receive)
    server = await aiohttp_server(receiver)
    url = str(server.make_url("/hook"))
    await send(client, "41793026727", webhook=url)
    await advance(client, "3s")
    await advance(client, "2m")  # the first retry, 1 min + 1 min × 1² after the failure
    (message,) = (await get(client, "/__sim/browse/messages"))["messages"]
    hooks = [e for e in message["lifecycle"] if e["kind"] == "webhook"]
    assert [(e["label"], e["httpStatus"], e["url"]) for e in hooks] == [
        ("webhook attempt 1 → HTTP 500", 500, url),
        ("webhook attempt 2 → HTTP 200", 200, url),
    ]
    assert [e["at"][11:19] for e in hooks] == ["09:00:03", "09:02:03"]
    pushes = await get(client, "/__sim/browse/webhooks")
    (push,) = pushes["webhooks"]
    assert push["state"] == "delivered"
    assert [a["responseBody"] for a in push["attempts"]] == ["thanks", "thanks"]
    assert push["body"]["results"][0]["messageId"] == message["messageId"]


# -- GET /__sim/browse/events and /__sim/browse/webhooks -----------------------------------------
async def test_browse_events_say_what_will_happen(client: Client) -> None:
    await send(client, "41793026727")
    await send(client, "4479001", send_at=LATER)
    await post(
        client, "/__sim/inbound", {"from": "4479", "to": "InfoSMS", "text": "hi", "at": LATER}
    )
    body = await get(client, "/__sim/browse/events")
    assert [(e["at"][11:19], e["kind"], e["detail"]) for e in body["events"]] == [
        ("09:00:03", "step", "41793026727 → DELIVERED_TO_HANDSET"),
        ("10:00:00", "send", "send to 4479001"),
        ("10:00:00", "inbound", "inbound from 4479 to InfoSMS"),
    ]
    assert body["total"] == 3
    page = await get(client, "/__sim/browse/events", offset=1, limit=1)
    assert [e["kind"] for e in page["events"]] == ["send"]
    assert page["total"] == 3


async def test_browse_webhooks_filters_and_pages(client: Client, aiohttp_server: Any) -> None:
    async def receive(request: web.Request) -> web.Response:
        return web.Response(status=503 if request.path == "/down" else 200)

    receiver = web.Application()
    receiver.router.add_post("/{name}", receive)
    server = await aiohttp_server(receiver)
    for n in range(3):
        await send(client, f"4179302672{n}", webhook=str(server.make_url("/up")))
    await send(client, "41793026729", webhook=str(server.make_url("/down")))
    await advance(client, "3s")
    everything = await get(client, "/__sim/browse/webhooks")
    assert everything["total"] == 2  # one batch per URL
    failing = await get(client, "/__sim/browse/webhooks", state="retrying")
    (push,) = failing["webhooks"]
    assert push["url"].endswith("/down")
    assert push["attempts"][0]["httpStatus"] == 503
    assert push["nextAttemptAt"] == "2026-01-01T09:02:03.000+0000"
    assert (await get(client, "/__sim/browse/webhooks", q="/UP"))["total"] == 1
    by_message = await get(client, "/__sim/browse/webhooks", q=push["messageIds"][0])
    assert [p["id"] for p in by_message["webhooks"]] == [push["id"]]
    assert (await get(client, "/__sim/browse/webhooks", limit=1, offset=1))["total"] == 2
