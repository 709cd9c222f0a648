"""Pull endpoints over HTTP: delivery reports (each returned once), logs (filters, cursor
paging) and the inbound queue, in the v3 and v1 shapes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from simulator.core import Simulator
from simulator.models import InboundMessage
from simulator.timefmt import parse_instant

Client = TestClient[web.Request, web.Application]
JSON = dict[str, Any]

INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$")
DELIVERED = {
    "groupId": 3,
    "groupName": "DELIVERED",
    "id": 5,
    "name": "DELIVERED_TO_HANDSET",
    "description": "Message delivered to handset",
}
NO_ERROR = {
    "groupId": 0,
    "groupName": "OK",
    "id": 0,
    "name": "NO_ERROR",
    "description": "No Error",
    "permanent": False,
}


async def send(
    client: Client,
    *destinations: str,
    sender: str = "InfoSMS",
    text: str = "Hello",
    bulk_id: str | None = None,
    send_at: str | None = None,
    **message_extra: Any,
) -> JSON:
    """A v3 send of one message object; returns the answer."""
    request: JSON = {
        "messages": [
            {
                "sender": sender,
                "destinations": [{"to": d} for d in destinations],
                "content": {"text": text},
                **message_extra,
            }
        ]
    }
    schedule: JSON = {}
    if bulk_id is not None:
        schedule["bulkId"] = bulk_id
    if send_at is not None:
        schedule["sendAt"] = send_at
    if schedule:
        request["options"] = {"schedule": schedule}
    response = await client.post("/sms/3/messages", json=request)
    assert response.status == 200, await response.text()
    body: JSON = await response.json()
    return body


async def send_v2(client: Client, to: str, sender: str = "V2Sender", **extra: Any) -> JSON:
    request = {"messages": [{"from": sender, "destinations": [{"to": to}], "text": "Hi", **extra}]}
    response = await client.post("/sms/2/text/advanced", json=request)
    assert response.status == 200, await response.text()
    body: JSON = await response.json()
    return body


async def advance(client: Client, by: str) -> None:
    response = await client.post("/__sim/clock/advance", json={"by": by})
    assert response.status == 200, await response.text()


async def get(client: Client, path: str, params: Any = None) -> JSON:
    response = await client.get(path, params=params)
    assert response.status == 200, await response.text()
    assert response.content_type == "application/json"
    body: JSON = await response.json()
    return body


async def results(client: Client, path: str, params: Any = None) -> list[JSON]:
    found: list[JSON] = (await get(client, path, params))["results"]
    return found


async def ids(client: Client, path: str, params: Any = None) -> list[str]:
    return [r["messageId"] for r in await results(client, path, params)]


async def get_400(client: Client, path: str, params: Any = None) -> JSON:
    response = await client.get(path, params=params)
    assert response.status == 400, await response.text()
    body: JSON = await response.json()
    return body


def v3_properties(body: JSON) -> list[str]:
    assert set(body) == {"errorCode", "description", "action", "violations", "resources"}
    assert body["errorCode"] == "E400"
    return [v["property"] for v in body["violations"]]


def v1_properties(body: JSON) -> list[str]:
    exception = body["requestError"]["serviceException"]
    assert exception["messageId"] == "BAD_REQUEST"
    return list(exception["validationErrors"])


# -- GET /sms/3/reports ---------------------------------------------------------------------
async def test_v3_report_shape(client: Client) -> None:
    sent = await send(
        client,
        "41793026727",
        bulk_id="BULK-1",
        webhooks={"callbackData": "cb"},
        options={
            "platform": {"entityId": "ent", "applicationId": "app"},
            "campaignReferenceId": "summersale",
        },
    )
    await advance(client, "3s")
    [report] = await results(client, "/sms/3/reports")

    assert set(report) == {
        "bulkId",
        "price",
        "status",
        "error",
        "messageId",
        "to",
        "sender",
        "sentAt",
        "doneAt",
        "messageCount",
        "mccMnc",
        "callbackData",
        "platform",
        "campaignReferenceId",
    }
    assert report["bulkId"] == "BULK-1"
    assert report["messageId"] == sent["messages"][0]["messageId"]
    assert report["to"] == "41793026727"
    assert report["sender"] == "InfoSMS"
    assert report["messageCount"] == 1
    assert report["status"] == DELIVERED
    assert report["error"] == NO_ERROR
    assert report["error"]["groupName"] == "OK"  # upper case, never the v1 example's "Ok"
    assert report["price"] == {"pricePerMessage": 0.01, "currency": "EUR"}
    assert isinstance(report["price"]["pricePerMessage"], float)
    assert report["sentAt"] == "2026-01-01T09:00:00.000+0000"
    assert report["doneAt"] == "2026-01-01T09:00:03.000+0000"
    assert report["mccMnc"] == "22801"
    assert report["callbackData"] == "cb"
    assert report["platform"] == {"entityId": "ent", "applicationId": "app"}
    assert report["campaignReferenceId"] == "summersale"


async def test_v3_report_leaves_out_what_was_not_given(client: Client) -> None:
    await send(client, "41793026727")
    await advance(client, "3s")
    [report] = await results(client, "/sms/3/reports")
    assert "callbackData" not in report
    assert "platform" not in report
    assert "campaignReferenceId" not in report
    assert INSTANT.match(report["sentAt"])
    assert INSTANT.match(report["doneAt"])


async def test_reports_are_returned_once(client: Client) -> None:
    await send(client, "41793026727", "41793026728", "41793026729")
    assert await results(client, "/sms/3/reports") == []  # nothing final yet
    await advance(client, "3s")
    first = await results(client, "/sms/3/reports")
    assert [r["to"] for r in first] == ["41793026727", "41793026728", "41793026729"]
    assert await results(client, "/sms/3/reports") == []
    assert await results(client, "/sms/1/reports") == []


async def test_report_queue_is_shared_by_v1_and_v3_pulls(client: Client) -> None:
    await send(client, "41793026727")
    await send_v2(client, "41793026728")
    await advance(client, "3s")
    [v1] = await results(client, "/sms/1/reports", {"limit": "1"})
    assert v1["to"] == "41793026727"
    [v3] = await results(client, "/sms/3/reports")
    assert v3["to"] == "41793026728"


async def test_reports_limit_defaults_to_50(client: Client) -> None:
    await send(client, *[f"4179300{n:04d}" for n in range(60)])
    await advance(client, "3s")
    assert len(await results(client, "/sms/3/reports")) == 50
    assert len(await results(client, "/sms/3/reports")) == 10
    assert await results(client, "/sms/3/reports") == []


async def test_reports_limit_maximum_is_1000(client: Client) -> None:
    await send(client, *[f"417{n:07d}" for n in range(1001)])
    await advance(client, "3s")
    assert len(await results(client, "/sms/3/reports", {"limit": "1000"})) == 1000
    assert len(await results(client, "/sms/1/reports", {"limit": "1000"})) == 1


async def test_reports_limit_smaller_than_queue(client: Client) -> None:
    await send(client, "1", "2", "3")
    await advance(client, "3s")
    assert [r["to"] for r in await results(client, "/sms/3/reports", {"limit": "2"})] == ["1", "2"]
    assert [r["to"] for r in await results(client, "/sms/3/reports", {"limit": "2"})] == ["3"]


@pytest.mark.parametrize("limit", ["0", "1001", "abc", "-1", "2.5"])
async def test_v3_reports_bad_limit(client: Client, limit: str) -> None:
    await send(client, "41793026727")
    await advance(client, "3s")
    body = await get_400(client, "/sms/3/reports", {"limit": limit})
    assert v3_properties(body) == ["limit"]
    assert len(await results(client, "/sms/3/reports")) == 1  # the queue was not touched


@pytest.mark.parametrize("limit", ["0", "1001", "abc"])
async def test_v1_reports_bad_limit(client: Client, limit: str) -> None:
    await send(client, "41793026727")
    await advance(client, "3s")
    body = await get_400(client, "/sms/1/reports", {"limit": limit})
    assert v1_properties(body) == ["limit"]
    assert len(await results(client, "/sms/1/reports")) == 1


async def test_reports_filter_by_bulk_id(client: Client) -> None:
    await send(client, "1", bulk_id="A")
    await send(client, "2", bulk_id="B")
    await send(client, "3", bulk_id="A")
    await advance(client, "3s")
    assert [r["to"] for r in await results(client, "/sms/3/reports", {"bulkId": "A"})] == ["1", "3"]
    assert await results(client, "/sms/3/reports", {"bulkId": "A"}) == []
    assert [r["to"] for r in await results(client, "/sms/3/reports")] == ["2"]


async def test_reports_filter_by_message_id(client: Client) -> None:
    answer = await send(client, "1", "2", "3")
    wanted = answer["messages"][1]["messageId"]
    await advance(client, "3s")
    assert await ids(client, "/sms/1/reports", {"messageId": wanted}) == [wanted]
    assert await ids(client, "/sms/1/reports", {"messageId": wanted}) == []
    assert len(await results(client, "/sms/1/reports")) == 2


async def test_reports_filter_by_platform_and_campaign(client: Client) -> None:
    await send(client, "1", options={"platform": {"entityId": "E1", "applicationId": "A1"}})
    await send(client, "2", options={"campaignReferenceId": "C1"})
    await advance(client, "3s")
    assert [r["to"] for r in await results(client, "/sms/3/reports", {"entityId": "E1"})] == ["1"]
    found = await results(client, "/sms/3/reports", {"campaignReferenceId": "C1"})
    assert [r["to"] for r in found] == ["2"]


async def test_v1_report_shape(client: Client) -> None:
    await send_v2(
        client,
        "41793026727",
        entityId="ent",
        applicationId="app",
        callbackData="cb",
        campaignReferenceId="camp",
    )
    await advance(client, "3s")
    [report] = await results(client, "/sms/1/reports")
    assert set(report) == {
        "bulkId",
        "messageId",
        "to",
        "from",
        "sentAt",
        "doneAt",
        "smsCount",
        "mccMnc",
        "callbackData",
        "price",
        "status",
        "error",
        "entityId",
        "applicationId",
        "campaignReferenceId",
    }
    assert report["from"] == "V2Sender"
    assert report["smsCount"] == 1
    assert report["status"] == DELIVERED
    assert report["error"] == NO_ERROR
    assert report["error"]["groupName"] == "OK"
    assert report["entityId"] == "ent"
    assert report["applicationId"] == "app"
    assert report["price"] == {"pricePerMessage": 0.01, "currency": "EUR"}
    assert INSTANT.match(report["sentAt"])
    assert INSTANT.match(report["doneAt"])


async def test_expired_message_reports_expired(client: Client) -> None:
    await send(client, "1", options={"validityPeriod": {"amount": 1, "timeUnit": "SECONDS"}})
    await advance(client, "1m")
    [report] = await results(client, "/sms/3/reports")
    assert report["status"]["groupName"] == "EXPIRED"
    assert report["error"]["groupName"] in {
        "OK",
        "HANDSET_ERRORS",
        "USER_ERRORS",
        "OPERATOR_ERRORS",
    }


async def test_reports_older_than_48_hours_are_gone(client: Client) -> None:
    await send(client, "1")
    await advance(client, "3s")
    await advance(client, "48h1s")
    assert await results(client, "/sms/3/reports") == []


# -- GET /sms/3/logs ------------------------------------------------------------------------
async def test_v3_log_shape_for_delivered_and_pending(client: Client) -> None:
    answer = await send(client, "41793026727", bulk_id="LOG-B")
    await advance(client, "3s")
    await send(client, "41793026728", send_at="2026-01-02T00:00:00.000+0000")
    delivered, pending = reversed(await results(client, "/sms/3/logs"))

    assert set(delivered) == {
        "sender",
        "destination",
        "bulkId",
        "messageId",
        "sentAt",
        "doneAt",
        "messageCount",
        "price",
        "status",
        "error",
        "content",
        "mccMnc",
    }
    assert delivered["destination"] == "41793026727"
    assert delivered["messageId"] == answer["messages"][0]["messageId"]
    assert delivered["bulkId"] == "LOG-B"
    assert delivered["status"] == DELIVERED
    assert delivered["error"] == NO_ERROR
    assert delivered["content"] == {"text": "Hello"}
    assert delivered["messageCount"] == 1
    assert delivered["doneAt"] == "2026-01-01T09:00:03.000+0000"

    assert pending["destination"] == "41793026728"
    assert pending["status"]["groupName"] == "PENDING"
    assert "doneAt" not in pending


async def test_logs_are_newest_first_and_can_be_read_again(client: Client) -> None:
    for to in ("1", "2", "3"):
        await send(client, to)
        await advance(client, "1s")
    first = [r["destination"] for r in await results(client, "/sms/3/logs")]
    assert first == ["3", "2", "1"]
    assert [r["destination"] for r in await results(client, "/sms/3/logs")] == first
    assert [r["to"] for r in await results(client, "/sms/1/logs")] == first


async def test_v3_logs_filter_by_sender_and_destination(client: Client) -> None:
    await send(client, "1", "2", sender="Alpha")
    await send(client, "1", sender="Beta")
    found = await results(client, "/sms/3/logs", {"sender": "Alpha"})
    assert sorted(r["destination"] for r in found) == ["1", "2"]
    found = await results(client, "/sms/3/logs", {"destination": "1"})
    assert sorted(r["sender"] for r in found) == ["Alpha", "Beta"]
    found = await results(client, "/sms/3/logs", {"sender": "Beta", "destination": "2"})
    assert found == []


async def test_v1_logs_filter_by_from_and_to(client: Client) -> None:
    await send(client, "1", "2", sender="Alpha")
    await send(client, "1", sender="Beta")
    found = await results(client, "/sms/1/logs", {"from": "Alpha"})
    assert sorted(r["to"] for r in found) == ["1", "2"]
    found = await results(client, "/sms/1/logs", {"to": "1", "from": "Beta"})
    assert [(r["from"], r["to"]) for r in found] == [("Beta", "1")]
    # The v3 names do not filter v1 logs.
    assert len(await results(client, "/sms/1/logs", {"sender": "Beta"})) == 3


@pytest.mark.parametrize("path", ["/sms/3/logs", "/sms/1/logs"])
async def test_logs_filter_by_bulk_ids_repeated_and_comma_separated(
    client: Client, path: str
) -> None:
    for bulk in ("A", "B", "C", "D"):
        await send(client, bulk, bulk_id=bulk)

    def bulks(found: list[JSON]) -> list[str]:
        return sorted(r["bulkId"] for r in found)

    assert bulks(await results(client, path, [("bulkId", "A")])) == ["A"]
    assert bulks(await results(client, path, [("bulkId", "A"), ("bulkId", "C")])) == ["A", "C"]
    assert bulks(await results(client, path, [("bulkId", "A,C")])) == ["A", "C"]
    found = await results(client, path, [("bulkId", "A,B"), ("bulkId", "D")])
    assert bulks(found) == ["A", "B", "D"]
    assert await results(client, path, [("bulkId", "Z")]) == []


@pytest.mark.parametrize("path", ["/sms/3/logs", "/sms/1/logs"])
async def test_logs_filter_by_message_ids_repeated_and_comma_separated(
    client: Client, path: str
) -> None:
    answer = await send(client, "1", "2", "3", "4")
    m1, m2, m3, m4 = (m["messageId"] for m in answer["messages"])
    assert sorted(await ids(client, path, [("messageId", m1)])) == [m1]
    found = await ids(client, path, [("messageId", f"{m1},{m3}"), ("messageId", m4)])
    assert sorted(found) == sorted([m1, m3, m4])
    assert sorted(await ids(client, path, [("messageId", m2), ("messageId", m3)])) == sorted(
        [m2, m3]
    )


@pytest.mark.parametrize("path", ["/sms/3/logs", "/sms/1/logs"])
async def test_logs_filter_by_general_status(client: Client, path: str) -> None:
    await send(client, "delivered")
    await advance(client, "3s")
    await send(client, "pending", send_at="2026-01-05T00:00:00.000+0000")

    def tos(found: list[JSON]) -> list[str]:
        return [str(r.get("destination", r.get("to"))) for r in found]

    assert tos(await results(client, path, {"generalStatus": "DELIVERED"})) == ["delivered"]
    assert tos(await results(client, path, {"generalStatus": "PENDING"})) == ["pending"]
    assert await results(client, path, {"generalStatus": "REJECTED"}) == []


async def test_v3_logs_invalid_general_status(client: Client) -> None:
    await send(client, "1")
    for status in ("NOPE", "delivered", "DELIVERED_TO_HANDSET"):
        body = await get_400(client, "/sms/3/logs", {"generalStatus": status})
        assert v3_properties(body) == ["generalStatus"]


async def test_v1_logs_invalid_general_status(client: Client) -> None:
    body = await get_400(client, "/sms/1/logs", {"generalStatus": "NOPE"})
    assert v1_properties(body) == ["generalStatus"]


async def three_sends_an_hour_apart(client: Client) -> None:
    for to in ("09", "10", "11"):  # sent at 09:00, 10:00 and 11:00 UTC
        await send(client, to)
        await advance(client, "1h")


async def test_v3_logs_sent_since_and_until_with_encoded_offsets(client: Client) -> None:
    await three_sends_an_hour_apart(client)

    async def tos(query: str) -> list[str]:
        return [r["destination"] for r in await results(client, f"/sms/3/logs?{query}")]

    # 11:00+01:00 is 10:00 UTC: both bounds are inclusive.
    assert await tos("sentSince=2026-01-01T11:00:00.000%2B01:00") == ["11", "10"]
    assert await tos("sentUntil=2026-01-01T11:00:00.000%2B01:00") == ["10", "09"]
    assert await tos("sentSince=2026-01-01T10:00:00.000%2B0000&sentUntil=2026-01-01T10:00:00Z") == [
        "10"
    ]
    assert await tos("sentSince=2026-01-01T03:30:00.000-05:00") == ["11", "10", "09"]
    assert await tos("sentSince=2026-01-01T04:30:00.000-05:00") == ["11", "10"]
    assert await tos("sentSince=2026-01-01T10:00:00.000000%2B0000") == ["11", "10"]  # Python SDK
    # A raw "+" in a query string arrives as a space: still understood.
    assert await tos("sentSince=2026-01-01T11:30:00.000+01:00") == ["11"]
    assert await tos("sentUntil=2020-02-23T17:42:05.390%2B01:00") == []


async def test_v1_logs_sent_since_with_colonless_offset(client: Client) -> None:
    await three_sends_an_hour_apart(client)
    found = await results(client, "/sms/1/logs?sentSince=2026-01-01T12:00:00.000%2B0100")
    assert [r["to"] for r in found] == ["11"]


@pytest.mark.parametrize("path", ["/sms/3/logs", "/sms/1/logs"])
async def test_logs_bad_sent_since(client: Client, path: str) -> None:
    body = await get_400(client, path, {"sentSince": "yesterday", "sentUntil": "2026-99-01"})
    properties = v3_properties(body) if path.startswith("/sms/3") else v1_properties(body)
    assert properties == ["sentSince", "sentUntil"]


async def test_logs_limit(client: Client) -> None:
    await send(client, *[str(n) for n in range(60)])
    assert len(await results(client, "/sms/3/logs")) == 50
    assert len(await results(client, "/sms/3/logs", {"limit": "7"})) == 7
    assert len(await results(client, "/sms/1/logs", {"limit": "1000"})) == 60
    assert v3_properties(await get_400(client, "/sms/3/logs", {"limit": "1001"})) == ["limit"]
    assert v1_properties(await get_400(client, "/sms/1/logs", {"limit": "0"})) == ["limit"]


async def test_logs_forget_messages_older_than_48_hours(client: Client) -> None:
    await send(client, "old")
    await advance(client, "47h")
    await send(client, "new")
    assert [r["destination"] for r in await results(client, "/sms/3/logs")] == ["new", "old"]
    await advance(client, "1h1s")
    assert [r["destination"] for r in await results(client, "/sms/3/logs")] == ["new"]


async def test_logs_mnc_needs_mcc(client: Client) -> None:
    await send(client, "1")
    assert v3_properties(await get_400(client, "/sms/3/logs", {"mnc": "01"})) == ["mnc"]
    assert len(await results(client, "/sms/3/logs", {"mcc": "228", "mnc": "01"})) == 1
    assert await results(client, "/sms/3/logs", {"mcc": "229"}) == []


async def test_v1_log_shape(client: Client) -> None:
    await send_v2(client, "41793026727", entityId="ent")
    await advance(client, "3s")
    [log] = await results(client, "/sms/1/logs")
    assert set(log) == {
        "bulkId",
        "messageId",
        "to",
        "from",
        "text",
        "sentAt",
        "doneAt",
        "smsCount",
        "mccMnc",
        "price",
        "status",
        "error",
        "entityId",
    }
    assert log["text"] == "Hi"
    assert log["from"] == "V2Sender"
    assert log["error"]["groupName"] == "OK"


async def test_v1_logs_answer_with_a_deprecation_header(client: Client) -> None:
    response = await client.get("/sms/1/logs", params={"useCursor": "true", "limit": "1"})
    assert response.status == 200
    assert response.headers["Deprecation"] == "@1715860800"  # 2024-05-16T12:00:00Z
    assert "cursor" not in await response.json()
    v3 = await client.get("/sms/3/logs")
    assert "Deprecation" not in v3.headers


# -- cursor paging (v3 logs) ------------------------------------------------------------------
async def page_through(
    client: Client, limit: int, extra: dict[str, str] | None = None
) -> list[str]:
    """Follow ``nextCursor`` to the end; returns every destination seen, in order."""
    seen: list[str] = []
    params = {"useCursor": "true", "limit": str(limit), **(extra or {})}
    for _ in range(100):
        body = await get(client, "/sms/3/logs", params)
        assert body["cursor"]["limit"] == limit
        assert len(body["results"]) <= limit
        seen.extend(r["destination"] for r in body["results"])
        next_cursor = body["cursor"].get("nextCursor")
        if next_cursor is None:
            return seen
        assert isinstance(next_cursor, str)
        assert next_cursor
        params = {"useCursor": "true", "limit": str(limit), "cursor": next_cursor, **(extra or {})}
    raise AssertionError("the cursor never ended")


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 8, 50])
async def test_cursor_paging_visits_every_message_once(client: Client, limit: int) -> None:
    destinations = [f"dest{n}" for n in range(7)]
    for to in destinations:
        await send(client, to)
    seen = await page_through(client, limit)
    assert seen == list(reversed(destinations))


async def test_cursor_paging_is_stable_while_new_messages_arrive(client: Client) -> None:
    for n in range(5):
        await send(client, f"old{n}")
    first = await get(client, "/sms/3/logs", {"useCursor": "true", "limit": "2"})
    seen = [r["destination"] for r in first["results"]]
    cursor = first["cursor"]["nextCursor"]
    await send(client, "newcomer")
    while cursor is not None:
        body = await get(
            client, "/sms/3/logs", {"useCursor": "true", "limit": "2", "cursor": cursor}
        )
        seen.extend(r["destination"] for r in body["results"])
        cursor = body["cursor"].get("nextCursor")
    assert seen == ["old4", "old3", "old2", "old1", "old0"]


async def test_cursor_paging_with_a_filter(client: Client) -> None:
    for n in range(6):
        await send(client, f"d{n}", sender="Even" if n % 2 == 0 else "Odd")
    assert await page_through(client, 1, {"sender": "Even"}) == ["d4", "d2", "d0"]


async def test_without_use_cursor_there_is_no_cursor(client: Client) -> None:
    await send(client, "1", "2")
    body = await get(client, "/sms/3/logs", {"limit": "1"})
    assert set(body) == {"results"}
    body = await get(client, "/sms/3/logs", {"limit": "1", "useCursor": "false"})
    assert set(body) == {"results"}


async def test_last_page_has_no_next_cursor(client: Client) -> None:
    await send(client, "1", "2")
    body = await get(client, "/sms/3/logs", {"useCursor": "true", "limit": "2"})
    assert body["cursor"] == {"limit": 2}


@pytest.mark.parametrize("cursor", ["not a cursor!", "Zm9v", "c2VxOmFiYw", "%%%"])
async def test_bad_cursor(client: Client, cursor: str) -> None:
    await send(client, "1")
    body = await get_400(client, "/sms/3/logs", {"useCursor": "true", "cursor": cursor})
    assert v3_properties(body) == ["cursor"]


# -- GET /sms/1/inbox/reports -----------------------------------------------------------------
async def test_inbox_empty(client: Client) -> None:
    body = await get(client, "/sms/1/inbox/reports")
    assert body == {"results": [], "messageCount": 0, "pendingMessageCount": 0}


def inbound(simulator: Simulator, n: int) -> None:
    """Queue ``n`` inbound messages straight into the default account (no HTTP hook exists)."""
    account = simulator.gateway.account()
    now = simulator.clock.now()
    for seq in range(n):
        message = InboundMessage(
            seq=seq,
            account=account.key,
            message_id=f"MO-{seq}",
            sender="385916242493",
            to="385921004026",
            text=f"QUIZ answer {seq}",
            keyword="QUIZ",
            clean_text=f"answer {seq}",
            received_at=now,
        )
        account.inbox.append(message)
        account.inbound.append(message)


async def test_inbox_drains_once_with_limit_and_pending_count(
    client: Client, simulator: Simulator
) -> None:
    inbound(simulator, 3)
    body = await get(client, "/sms/1/inbox/reports", {"limit": "2"})
    assert body["messageCount"] == 2
    assert body["pendingMessageCount"] == 1
    first = body["results"][0]
    assert first["messageId"] == "MO-0"
    assert first["from"] == "385916242493"
    assert first["to"] == "385921004026"
    assert first["keyword"] == "QUIZ"
    assert first["cleanText"] == "answer 0"
    assert parse_instant(first["receivedAt"]) == simulator.clock.now()
    body = await get(client, "/sms/1/inbox/reports")
    assert [r["messageId"] for r in body["results"]] == ["MO-2"]
    assert (body["messageCount"], body["pendingMessageCount"]) == (1, 0)
    assert await get(client, "/sms/1/inbox/reports") == {
        "results": [],
        "messageCount": 0,
        "pendingMessageCount": 0,
    }


@pytest.mark.parametrize("limit", ["0", "1001", "x"])
async def test_inbox_bad_limit(client: Client, simulator: Simulator, limit: str) -> None:
    inbound(simulator, 1)
    assert v1_properties(await get_400(client, "/sms/1/inbox/reports", {"limit": limit})) == [
        "limit"
    ]
    assert (await get(client, "/sms/1/inbox/reports"))["messageCount"] == 1


async def test_a_message_scheduled_far_ahead_is_in_the_logs_once_sent(client: Client) -> None:
    await send(client, "1", bulk_id="FAR", send_at="2026-01-04T09:00:00.000+0000")
    await advance(client, "72h3s")
    [report] = await results(client, "/sms/3/reports")
    assert report["status"]["name"] == "DELIVERED_TO_HANDSET"
    [log] = await results(client, "/sms/3/logs", {"bulkId": "FAR"})
    assert log["status"]["name"] == "DELIVERED_TO_HANDSET"
    assert log["sentAt"] == "2026-01-04T09:00:00.000+0000"
