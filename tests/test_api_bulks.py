"""Scheduled bulks over HTTP: ``GET``/``PUT /sms/1/bulks`` and ``/sms/1/bulks/status``.

The walkthrough follows the product brief (Infobip's 2017 page on rescheduling, pausing and
cancelling): schedule with ``sendAt``, reschedule, pause, let the send time pass, resume,
cancel, and a cancelled bulk refusing every further change.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from simulator.timefmt import DAY, HOUR, format_instant, parse_instant

Client = TestClient[web.Request, web.Application]
JSON = dict[str, Any]

BULK = "a6e6bf50-ade1-4dd5-8900-d5b3bb18c0cc"  # the brief's bulkId
NOW = "2026-01-01T09:00:00.000+0000"
NOT_FOUND = {
    "requestError": {"serviceException": {"messageId": "NOT_FOUND", "text": "Bulk not found"}}
}
SEED_BASIC_AUTH = {"Authorization": "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="}


async def schedule_v1(
    client: Client, bulk_id: str, send_at: str, *destinations: str, validity: int | None = None
) -> JSON:
    """``POST /sms/1/text/advanced`` with one message object and a ``sendAt``."""
    message: JSON = {
        "from": "InfoSMS",
        "destinations": [{"to": d} for d in destinations or ("41793026727",)],
        "text": "Scheduled",
        "sendAt": send_at,
    }
    if validity is not None:
        message["validityPeriod"] = validity
    response = await client.post(
        "/sms/1/text/advanced",
        json={"bulkId": bulk_id, "messages": [message]},
        headers=SEED_BASIC_AUTH,
    )
    assert response.status == 200, await response.text()
    body: JSON = await response.json()
    return body


async def schedule_v3(client: Client, bulk_id: str, send_at: str, messages: int = 1) -> JSON:
    request = {
        "messages": [
            {"destinations": [{"to": f"4179302672{n}"}], "content": {"text": f"Message {n}"}}
            for n in range(messages)
        ],
        "options": {"schedule": {"bulkId": bulk_id, "sendAt": send_at}},
    }
    response = await client.post("/sms/3/messages", json=request)
    assert response.status == 200, await response.text()
    body: JSON = await response.json()
    return body


async def call(
    client: Client, method: str, path: str, bulk_id: str | None, body: object = None
) -> tuple[int, JSON]:
    params = {} if bulk_id is None else {"bulkId": bulk_id}
    kwargs: dict[str, Any] = {"params": params, "headers": SEED_BASIC_AUTH}
    if body is not None:
        kwargs["json"] = body
    response = await client.request(method, path, **kwargs)
    assert response.content_type == "application/json"
    result: JSON = await response.json()
    return response.status, result


async def ok(client: Client, method: str, path: str, bulk_id: str, body: object = None) -> JSON:
    status, result = await call(client, method, path, bulk_id, body)
    assert status == 200, result
    return result


async def get_schedule(client: Client, bulk_id: str) -> JSON:
    return await ok(client, "GET", "/sms/1/bulks", bulk_id)


async def get_status(client: Client, bulk_id: str) -> str:
    body = await ok(client, "GET", "/sms/1/bulks/status", bulk_id)
    assert set(body) == {"bulkId", "status"}
    assert body["bulkId"] == bulk_id
    status: str = body["status"]
    return status


async def set_status(client: Client, bulk_id: str, status: str) -> tuple[int, JSON]:
    return await call(client, "PUT", "/sms/1/bulks/status", bulk_id, {"status": status})


async def reschedule(client: Client, bulk_id: str, send_at: str) -> tuple[int, JSON]:
    return await call(client, "PUT", "/sms/1/bulks", bulk_id, {"sendAt": send_at})


async def advance_to(client: Client, instant: str) -> None:
    response = await client.post("/__sim/clock/advance", json={"to": instant})
    assert response.status == 200, await response.text()


async def advance(client: Client, by: str) -> None:
    response = await client.post("/__sim/clock/advance", json={"by": by})
    assert response.status == 200, await response.text()


async def logs(client: Client, bulk_id: str) -> list[JSON]:
    response = await client.get("/sms/3/logs", params={"bulkId": bulk_id})
    assert response.status == 200
    found: list[JSON] = (await response.json())["results"]
    return found


async def journal(client: Client, bulk_id: str) -> list[JSON]:
    response = await client.get("/__sim/messages", params={"bulkId": bulk_id})
    found: list[JSON] = (await response.json())["messages"]
    return found


async def reports(client: Client, bulk_id: str) -> list[JSON]:
    response = await client.get("/sms/3/reports", params={"bulkId": bulk_id})
    found: list[JSON] = (await response.json())["results"]
    return found


def bad_request_text(status: int, body: JSON) -> str:
    """The text of a v1 400 that names no property (the bulk as a whole is the problem)."""
    assert status == 400, body
    assert list(body) == ["requestError"]
    exception = body["requestError"]["serviceException"]
    assert set(exception) == {"messageId", "text"}
    assert exception["messageId"] == "BAD_REQUEST"
    text: str = exception["text"]
    return text


def validation_errors(status: int, body: JSON) -> dict[str, list[str]]:
    assert status == 400, body
    exception = body["requestError"]["serviceException"]
    assert exception["messageId"] == "BAD_REQUEST"
    errors: dict[str, list[str]] = exception["validationErrors"]
    for messages in errors.values():
        assert messages
        assert all(isinstance(m, str) and m for m in messages)
    return errors


# -- the brief's walkthrough -----------------------------------------------------------------
async def test_seed_walkthrough_reschedule_pause_resume(client: Client) -> None:
    sent = await schedule_v1(client, BULK, "2026-01-01T12:00:00.000+01:00")
    assert sent["bulkId"] == BULK
    assert await get_schedule(client, BULK) == {
        "bulkId": BULK,
        "sendAt": "2026-01-01T11:00:00.000+0000",
    }
    assert await get_status(client, BULK) == "PENDING"

    # Reschedule: the answer carries the sendAt that was asked for.
    moved = await ok(
        client, "PUT", "/sms/1/bulks", BULK, {"sendAt": "2026-01-01T14:00:00.000+01:00"}
    )
    assert moved == {"bulkId": BULK, "sendAt": "2026-01-01T13:00:00.000+0000"}
    assert await get_schedule(client, BULK) == moved

    # Pause.
    assert await ok(client, "PUT", "/sms/1/bulks/status", BULK, {"status": "PAUSED"}) == {
        "bulkId": BULK,
        "status": "PAUSED",
    }
    assert await get_status(client, BULK) == "PAUSED"

    # The send time passes while paused: nothing goes out.
    await advance_to(client, "2026-01-01T15:00:00.000+0000")
    [log] = await logs(client, BULK)
    assert log["status"]["groupName"] == "PENDING"
    assert "doneAt" not in log
    assert [m["sentAt"] for m in await journal(client, BULK)] == [None]
    assert await reports(client, BULK) == []
    assert await get_status(client, BULK) == "PAUSED"

    # Resume: sent at once.
    status, body = await set_status(client, BULK, "PENDING")
    assert (status, body) == (200, {"bulkId": BULK, "status": "PENDING"})
    assert [m["sentAt"] for m in await journal(client, BULK)] == ["2026-01-01T15:00:00.000+0000"]
    await advance(client, "3s")
    [log] = await logs(client, BULK)
    assert log["status"]["name"] == "DELIVERED_TO_HANDSET"
    assert log["sentAt"] == "2026-01-01T15:00:00.000+0000"
    [report] = await reports(client, BULK)
    assert report["status"]["groupName"] == "DELIVERED"
    assert await get_status(client, BULK) == "FINISHED"
    # The schedule is still readable after sending.
    assert (await get_schedule(client, BULK))["sendAt"] == "2026-01-01T13:00:00.000+0000"


async def test_seed_walkthrough_cancel(client: Client) -> None:
    await schedule_v1(client, BULK, "2026-01-01T12:00:00.000+01:00", "41793026727", "41793026731")
    assert await ok(client, "PUT", "/sms/1/bulks/status", BULK, {"status": "CANCELED"}) == {
        "bulkId": BULK,
        "status": "CANCELED",
    }
    assert await get_status(client, BULK) == "CANCELED"

    # Its messages stay undelivered, each with a final report.
    cancelled = await reports(client, BULK)
    assert [r["status"]["name"] for r in cancelled] == ["UNDELIVERABLE_NOT_SENT"] * 2
    assert {r["error"]["name"] for r in cancelled} == {"EC_MESSAGE_CANCELED"}
    await advance(client, "1d")
    assert [m["sentAt"] for m in await journal(client, BULK)] == [None, None]
    assert {log["status"]["groupName"] for log in await logs(client, BULK)} == {"UNDELIVERABLE"}

    # It refuses to be rescheduled...
    text = bad_request_text(*await reschedule(client, BULK, "2026-01-03T12:00:00.000+0000"))
    assert "CANCELED" in text
    assert "rescheduled" in text
    # ...and refuses any other status.
    for target in ("PENDING", "PAUSED"):
        text = bad_request_text(*await set_status(client, BULK, target))
        assert "CANCELED" in text, text
        assert target in text, text
    assert await get_status(client, BULK) == "CANCELED"
    assert (await get_schedule(client, BULK))["sendAt"] == "2026-01-01T11:00:00.000+0000"
    assert await reports(client, BULK) == []


async def test_pending_and_paused_alternate_any_number_of_times(client: Client) -> None:
    await schedule_v3(client, "FLIP", "2026-01-01T10:00:00.000+0000")
    for _ in range(5):
        assert (await set_status(client, "FLIP", "PAUSED"))[1]["status"] == "PAUSED"
        assert (await set_status(client, "FLIP", "PENDING"))[1]["status"] == "PENDING"
    assert await get_status(client, "FLIP") == "PENDING"
    await advance_to(client, "2026-01-01T09:59:59.999+0000")
    assert [m["sentAt"] for m in await journal(client, "FLIP")] == [None]
    await advance(client, "1ms")
    assert [m["sentAt"] for m in await journal(client, "FLIP")] == ["2026-01-01T10:00:00.000+0000"]


async def test_setting_the_current_status_again_is_a_no_op(client: Client) -> None:
    await schedule_v3(client, "SAME", "2026-01-01T10:00:00.000+0000")
    assert await set_status(client, "SAME", "PENDING") == (
        200,
        {"bulkId": "SAME", "status": "PENDING"},
    )
    await set_status(client, "SAME", "PAUSED")
    assert await set_status(client, "SAME", "PAUSED") == (
        200,
        {"bulkId": "SAME", "status": "PAUSED"},
    )


async def test_v3_scheduled_bulk_can_be_rescheduled_and_paused(client: Client) -> None:
    await schedule_v3(client, "V3-BULK", "2026-01-02T09:00:00.000+0000")
    assert await get_schedule(client, "V3-BULK") == {
        "bulkId": "V3-BULK",
        "sendAt": "2026-01-02T09:00:00.000+0000",
    }
    status, body = await reschedule(client, "V3-BULK", "2026-01-01T09:30:00.000+0000")
    assert (status, body) == (200, {"bulkId": "V3-BULK", "sendAt": "2026-01-01T09:30:00.000+0000"})
    await advance_to(client, "2026-01-01T09:30:00.000+0000")
    assert [m["sentAt"] for m in await journal(client, "V3-BULK")] == [
        "2026-01-01T09:30:00.000+0000"
    ]


async def test_reschedule_moves_the_validity_with_the_send_time(client: Client) -> None:
    await schedule_v1(client, "VALID", "2026-01-01T10:00:00.000+0000", validity=60)
    [before] = await journal(client, "VALID")
    assert before["expiresAt"] == "2026-01-01T11:00:00.000+0000"
    await reschedule(client, "VALID", "2026-01-01T20:00:00.000+0000")
    [after] = await journal(client, "VALID")
    assert after["sendAt"] == "2026-01-01T20:00:00.000+0000"
    assert after["expiresAt"] == "2026-01-01T21:00:00.000+0000"


async def test_reschedule_of_a_paused_bulk_keeps_it_paused(client: Client) -> None:
    await schedule_v3(client, "PZ", "2026-01-01T10:00:00.000+0000")
    await set_status(client, "PZ", "PAUSED")
    status, _ = await reschedule(client, "PZ", "2026-01-01T11:00:00.000+0000")
    assert status == 200
    assert await get_status(client, "PZ") == "PAUSED"
    await advance_to(client, "2026-01-01T12:00:00.000+0000")
    assert [m["sentAt"] for m in await journal(client, "PZ")] == [None]
    await set_status(client, "PZ", "PENDING")
    assert [m["sentAt"] for m in await journal(client, "PZ")] == ["2026-01-01T12:00:00.000+0000"]


async def test_resume_after_the_validity_ended_expires_the_messages(client: Client) -> None:
    await schedule_v1(client, "LATE", "2026-01-01T10:00:00.000+0000", validity=30)
    await set_status(client, "LATE", "PAUSED")
    await advance_to(client, "2026-01-01T11:00:00.000+0000")
    await set_status(client, "LATE", "PENDING")
    [report] = await reports(client, "LATE")
    assert report["status"]["name"] == "EXPIRED_EXPIRED"
    assert [m["sentAt"] for m in await journal(client, "LATE")] == [None]


async def test_a_sent_bulk_cannot_be_changed(client: Client) -> None:
    await schedule_v3(client, "DONE", "2026-01-01T09:10:00.000+0000")
    await advance(client, "11m")
    assert await get_status(client, "DONE") == "FINISHED"
    for result in (
        await set_status(client, "DONE", "PAUSED"),
        await set_status(client, "DONE", "CANCELED"),
        await reschedule(client, "DONE", "2026-01-02T00:00:00.000+0000"),
    ):
        text = bad_request_text(*result)
        assert "FINISHED" in text
        assert "already been sent" in text
    assert await get_status(client, "DONE") == "FINISHED"


async def test_a_bulk_of_several_message_objects_cannot_be_changed(client: Client) -> None:
    await schedule_v3(client, "MULTI", "2026-01-02T00:00:00.000+0000", messages=2)
    text = bad_request_text(*await reschedule(client, "MULTI", "2026-01-03T00:00:00.000+0000"))
    assert "2 message objects" in text
    text = bad_request_text(*await set_status(client, "MULTI", "PAUSED"))
    assert "one message object" in text
    assert await get_status(client, "MULTI") == "PENDING"


@pytest.mark.parametrize("target", ["PROCESSING", "FINISHED", "FAILED"])
async def test_statuses_a_client_cannot_set(client: Client, target: str) -> None:
    await schedule_v3(client, "B", "2026-01-02T00:00:00.000+0000")
    text = bad_request_text(*await set_status(client, "B", target))
    assert target in text
    assert "PENDING, PAUSED or CANCELED" in text
    assert await get_status(client, "B") == "PENDING"


# -- errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/sms/1/bulks", None),
        ("PUT", "/sms/1/bulks", {"sendAt": "2026-01-02T00:00:00.000+0000"}),
        ("GET", "/sms/1/bulks/status", None),
        ("PUT", "/sms/1/bulks/status", {"status": "PAUSED"}),
    ],
)
async def test_unknown_bulk_is_404(client: Client, method: str, path: str, body: object) -> None:
    await schedule_v3(client, "KNOWN", "2026-01-02T00:00:00.000+0000")
    status, result = await call(client, method, path, "UNKNOWN", body)
    assert status == 404
    assert result == NOT_FOUND


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/sms/1/bulks", None),
        ("PUT", "/sms/1/bulks", {"sendAt": "2026-01-02T00:00:00.000+0000"}),
        ("GET", "/sms/1/bulks/status", None),
        ("PUT", "/sms/1/bulks/status", {"status": "PAUSED"}),
    ],
)
@pytest.mark.parametrize("bulk_id", [None, "", "   "])
async def test_missing_bulk_id_is_400(
    client: Client, method: str, path: str, body: object, bulk_id: str | None
) -> None:
    errors = validation_errors(*await call(client, method, path, bulk_id, body))
    assert list(errors) == ["bulkId"]


@pytest.mark.parametrize(
    "status",
    ["STOPPED", "paused", "Paused", "", 5, True, ["PAUSED"], {"value": "PAUSED"}],
)
async def test_invalid_status_value(client: Client, status: object) -> None:
    await schedule_v3(client, "B", "2026-01-02T00:00:00.000+0000")
    errors = validation_errors(
        *await call(client, "PUT", "/sms/1/bulks/status", "B", {"status": status})
    )
    assert list(errors) == ["status"]
    assert await get_status(client, "B") == "PENDING"


async def test_invalid_status_lists_the_allowed_values(client: Client) -> None:
    await schedule_v3(client, "B", "2026-01-02T00:00:00.000+0000")
    errors = validation_errors(*await set_status(client, "B", "STOPPED"))
    assert errors["status"] == [
        "must be one of [PENDING, PAUSED, PROCESSING, CANCELED, FINISHED, FAILED]"
    ]


@pytest.mark.parametrize("body", [{}, {"status": None}, {"other": "PAUSED"}])
async def test_missing_status(client: Client, body: JSON) -> None:
    await schedule_v3(client, "B", "2026-01-02T00:00:00.000+0000")
    errors = validation_errors(*await call(client, "PUT", "/sms/1/bulks/status", "B", body))
    assert errors == {"status": ["must not be null"]}


@pytest.mark.parametrize("body", [{}, {"sendAt": None}, {"send_at": "2026-01-02T00:00:00Z"}])
async def test_missing_send_at(client: Client, body: JSON) -> None:
    await schedule_v3(client, "B", "2026-01-02T00:00:00.000+0000")
    errors = validation_errors(*await call(client, "PUT", "/sms/1/bulks", "B", body))
    assert errors == {"sendAt": ["must not be null"]}
    assert (await get_schedule(client, "B"))["sendAt"] == "2026-01-02T00:00:00.000+0000"


@pytest.mark.parametrize("send_at", ["next tuesday", "2026-02-30T00:00:00Z", 1767225600000])
async def test_bad_send_at(client: Client, send_at: object) -> None:
    await schedule_v3(client, "B", "2026-01-02T00:00:00.000+0000")
    errors = validation_errors(*await call(client, "PUT", "/sms/1/bulks", "B", {"sendAt": send_at}))
    assert list(errors) == ["sendAt"]
    assert (await get_schedule(client, "B"))["sendAt"] == "2026-01-02T00:00:00.000+0000"


async def test_reschedule_beyond_180_days(client: Client) -> None:
    await schedule_v3(client, "B", "2026-01-02T00:00:00.000+0000")
    limit = parse_instant(NOW) + 180 * DAY
    errors = validation_errors(*await reschedule(client, "B", format_instant(limit + HOUR)))
    assert list(errors) == ["sendAt"]
    assert "180 days" in errors["sendAt"][0]
    status, body = await reschedule(client, "B", format_instant(limit))
    assert (status, body["sendAt"]) == (200, format_instant(limit))


@pytest.mark.parametrize("body", [b"{not json", b"[]", b""])
async def test_malformed_bodies(client: Client, body: bytes) -> None:
    await schedule_v3(client, "B", "2026-01-02T00:00:00.000+0000")
    for path in ("/sms/1/bulks", "/sms/1/bulks/status"):
        response = await client.put(
            path,
            params={"bulkId": "B"},
            data=body,
            headers={"Content-Type": "application/json"},
        )
        assert response.status == 400
        errors = validation_errors(response.status, await response.json())
        assert list(errors) == ["body"]
    assert await get_status(client, "B") == "PENDING"


async def test_reschedule_into_the_past_does_not_silently_expire(client: Client) -> None:
    await schedule_v3(client, "PAST", "2026-01-02T00:00:00.000+0000")
    status, body = await reschedule(client, "PAST", "2020-01-01T00:00:00.000+0000")
    if status == 400:  # refusing a past sendAt would be fine too
        assert list(validation_errors(status, body)) == ["sendAt"]
        return
    await advance(client, "3s")
    [log] = await logs(client, "PAST")
    assert log["status"]["name"] == "DELIVERED_TO_HANDSET"
