"""Send endpoints over HTTP: v3 (``/sms/3/messages``, ``/sms/3/text/query``), v2 advanced and
the legacy v1 family, each answered in its own exact shape."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from simulator.core import Simulator
from simulator.timefmt import DAY, HOUR, MINUTE, SECOND, format_instant, parse_instant

Client = TestClient[web.Request, web.Application]
JSON = dict[str, Any]

NOW = "2026-01-01T09:00:00.000+0000"
PENDING_ACCEPTED = {
    "groupId": 1,
    "groupName": "PENDING",
    "id": 26,
    "name": "PENDING_ACCEPTED",
    "description": "Message sent to next instance",
}
PENDING_ENROUTE = {
    "groupId": 1,
    "groupName": "PENDING",
    "id": 7,
    "name": "PENDING_ENROUTE",
    "description": "Message sent to next instance",
}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def v3_text(*destinations: str | JSON, text: str = "Hello", **extra: Any) -> JSON:
    return {
        "sender": "InfoSMS",
        "destinations": [{"to": d} if isinstance(d, str) else d for d in destinations],
        "content": {"text": text},
        **extra,
    }


async def post_ok(client: Client, path: str, body: object) -> JSON:
    response = await client.post(path, json=body)
    text = await response.text()
    assert response.status == 200, text
    assert response.content_type == "application/json"
    result: JSON = await response.json()
    return result


async def post_error(client: Client, path: str, body: object, status: int = 400) -> JSON:
    response = await client.post(path, json=body)
    text = await response.text()
    assert response.status == status, text
    result: JSON = await response.json()
    return result


async def get_json(client: Client, path: str, **params: Any) -> JSON:
    response = await client.get(path, params=params)
    text = await response.text()
    assert response.status == 200, text
    result: JSON = await response.json()
    return result


async def journal(client: Client, **params: str) -> list[JSON]:
    """The control plane's view of every message, newest first."""
    messages: list[JSON] = (await get_json(client, "/__sim/messages", **params))["messages"]
    return messages


async def advance(client: Client, by: str) -> None:
    response = await client.post("/__sim/clock/advance", json={"by": by})
    assert response.status == 200, await response.text()


def v3_violations(body: JSON) -> dict[str, str]:
    assert set(body) == {"errorCode", "description", "action", "violations", "resources"}
    assert body["errorCode"] == "E400"
    return {v["property"]: v["violation"] for v in body["violations"]}


def v1_validation(body: JSON) -> dict[str, list[str]]:
    exception = body["requestError"]["serviceException"]
    assert exception["messageId"] == "BAD_REQUEST"
    errors: dict[str, list[str]] = exception["validationErrors"]
    return errors


# -- POST /sms/3/messages ---------------------------------------------------------------------
async def test_v3_text_answer_has_the_exact_shape(client: Client) -> None:
    body = await post_ok(client, "/sms/3/messages", {"messages": [v3_text("41793026727")]})

    assert set(body) == {"bulkId", "messages"}
    assert re.fullmatch(r"\d{19}", body["bulkId"]), body["bulkId"]
    [message] = body["messages"]
    assert set(message) == {"messageId", "status", "destination", "details"}
    assert UUID.match(message["messageId"]), message["messageId"]
    assert message["status"] == PENDING_ACCEPTED
    assert message["destination"] == "41793026727"
    assert message["details"] == {"messageCount": 1}


async def test_v3_one_entry_per_destination_across_message_objects(client: Client) -> None:
    request = {
        "messages": [
            v3_text({"to": "41793026727", "messageId": "MSG-A"}, "41793026834"),
            v3_text({"to": "41793026700", "messageId": "MSG-C"}, text="Second"),
        ],
        "options": {"schedule": {"bulkId": "MY-BULK"}},
    }
    body = await post_ok(client, "/sms/3/messages", request)

    assert body["bulkId"] == "MY-BULK"
    assert [m["destination"] for m in body["messages"]] == [
        "41793026727",
        "41793026834",
        "41793026700",
    ]
    ids = [m["messageId"] for m in body["messages"]]
    assert ids[0] == "MSG-A"
    assert ids[2] == "MSG-C"
    assert UUID.match(ids[1])
    logged = await journal(client)
    assert sorted(m["messageId"] for m in logged) == sorted(ids)
    assert {m["bulkId"] for m in logged} == {"MY-BULK"}


async def test_v3_generated_bulk_ids_differ_between_requests(client: Client) -> None:
    first = await post_ok(client, "/sms/3/messages", {"messages": [v3_text("41793026727")]})
    second = await post_ok(client, "/sms/3/messages", {"messages": [v3_text("41793026727")]})
    assert first["bulkId"] != second["bulkId"]
    assert first["messages"][0]["messageId"] != second["messages"][0]["messageId"]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("ж" * 70, 1),
        ("ж" * 71, 2),
        ("€" * 80, 1),  # a GSM-7 extension character costs two septets
        ("€" * 81, 2),
    ],
)
async def test_v3_message_count_follows_segmentation(client: Client, text: str, parts: int) -> None:
    body = await post_ok(
        client, "/sms/3/messages", {"messages": [v3_text("41793026727", text=text)]}
    )
    assert body["messages"][0]["details"] == {"messageCount": parts}


@pytest.mark.parametrize("include", [True, False])
async def test_v3_message_count_is_always_in_details(client: Client, include: bool) -> None:
    request = {
        "messages": [v3_text("41793026727", text="x" * 200)],
        "options": {"includeSmsCountInResponse": include},
    }
    body = await post_ok(client, "/sms/3/messages", request)
    assert body["messages"][0]["details"] == {"messageCount": 2}


async def test_v3_binary_content(client: Client) -> None:
    message = {
        "sender": "InfoSMS",
        "destinations": [{"to": "41793026727"}],
        "content": {"hex": "54 65 73 74", "dataCoding": 0, "esmClass": 0},
    }
    body = await post_ok(client, "/sms/3/messages", {"messages": [message]})
    assert body["messages"][0]["status"] == PENDING_ACCEPTED
    assert body["messages"][0]["details"] == {"messageCount": 1}

    logs = await get_json(client, "/sms/3/logs")
    assert logs["results"][0]["content"] == {"hex": "54 65 73 74", "dataCoding": 0, "esmClass": 0}


async def test_v3_unicode_binary_content_counts_octets(client: Client) -> None:
    hex_140_octets = " ".join(["0041"] * 70)
    hex_141_octets = hex_140_octets + " 00"
    for hex_string, parts in ((hex_140_octets, 1), (hex_141_octets, 2)):
        message = {
            "destinations": [{"to": "41793026727"}],
            "content": {"hex": hex_string, "dataCoding": 8},
        }
        body = await post_ok(client, "/sms/3/messages", {"messages": [message]})
        assert body["messages"][0]["details"]["messageCount"] == parts, hex_string


async def test_v3_binary_content_defaults_data_coding_and_esm_class(client: Client) -> None:
    message = {"destinations": [{"to": "41793026727"}], "content": {"hex": "48 69"}}
    await post_ok(client, "/sms/3/messages", {"messages": [message]})
    logs = await get_json(client, "/sms/3/logs")
    assert logs["results"][0]["content"] == {"hex": "48 69", "dataCoding": 0, "esmClass": 0}


async def test_v3_text_content_with_language_and_transliteration_is_logged(
    client: Client,
) -> None:
    content = {
        "text": "Artık Ulusal Dil",
        "transliteration": "TURKISH",
        "language": {"languageCode": "TR", "singleShift": False, "lockingShift": False},
    }
    message = {"destinations": [{"to": "41793026727"}], "content": content}
    await post_ok(client, "/sms/3/messages", {"messages": [message]})
    logs = await get_json(client, "/sms/3/logs")
    assert logs["results"][0]["content"] == {
        "text": "Artık Ulusal Dil",
        "transliteration": "TURKISH",
        "language": {"languageCode": "TR"},
    }


@pytest.mark.parametrize(
    ("period", "validity"),
    [
        ({"amount": 30, "timeUnit": "SECONDS"}, 30 * SECOND),
        ({"amount": 90, "timeUnit": "MINUTES"}, 90 * MINUTE),
        ({"amount": 90}, 90 * MINUTE),  # timeUnit defaults to MINUTES
        ({"amount": 5, "timeUnit": "HOURS"}, 5 * HOUR),
        ({"amount": 48, "timeUnit": "HOURS"}, 48 * HOUR),
        ({"amount": 49, "timeUnit": "HOURS"}, 48 * HOUR),  # > 48 h is set to 48 h
        ({"amount": 720, "timeUnit": "HOURS"}, 48 * HOUR),
        ({"amount": 2881, "timeUnit": "MINUTES"}, 48 * HOUR),
        ({"amount": 200000, "timeUnit": "SECONDS"}, 48 * HOUR),
    ],
)
async def test_v3_validity_period_and_its_48_hour_clamp(
    client: Client, period: JSON, validity: int
) -> None:
    message = v3_text("41793026727", options={"validityPeriod": period})
    await post_ok(client, "/sms/3/messages", {"messages": [message]})
    [logged] = await journal(client)
    expires = parse_instant(logged["expiresAt"]) - parse_instant(logged["sendAt"])
    assert expires == validity


async def test_v3_validity_period_defaults_to_48_hours(client: Client) -> None:
    await post_ok(client, "/sms/3/messages", {"messages": [v3_text("41793026727")]})
    [logged] = await journal(client)
    assert parse_instant(logged["expiresAt"]) - parse_instant(logged["sendAt"]) == 48 * HOUR


async def test_v3_short_validity_expires_before_delivery(client: Client) -> None:
    # The default timeline delivers 3 s after sending; a 2 s validity ends first.
    message = v3_text(
        "41793026727", options={"validityPeriod": {"amount": 2, "timeUnit": "SECONDS"}}
    )
    await post_ok(client, "/sms/3/messages", {"messages": [message]})
    await advance(client, "10s")
    [log] = (await get_json(client, "/sms/3/logs"))["results"]
    assert log["status"]["groupName"] == "EXPIRED"
    assert log["status"]["name"] == "EXPIRED_EXPIRED"


async def test_v3_scheduled_send_waits_for_send_at(client: Client) -> None:
    request = {
        "messages": [v3_text("41793026727")],
        "options": {"schedule": {"bulkId": "LATER", "sendAt": "2026-01-01T10:00:00.000+0000"}},
    }
    body = await post_ok(client, "/sms/3/messages", request)
    assert body["bulkId"] == "LATER"
    assert body["messages"][0]["status"] == PENDING_ACCEPTED

    bulk = await get_json(client, "/sms/1/bulks", bulkId="LATER")
    assert bulk == {"bulkId": "LATER", "sendAt": "2026-01-01T10:00:00.000+0000"}
    await advance(client, "59m")
    [logged] = await journal(client)
    assert logged["sentAt"] is None
    assert (await get_json(client, "/sms/3/reports"))["results"] == []

    await advance(client, "1m3s")
    [logged] = await journal(client)
    assert logged["sentAt"] == "2026-01-01T10:00:00.000+0000"
    [report] = (await get_json(client, "/sms/3/reports"))["results"]
    assert report["status"]["name"] == "DELIVERED_TO_HANDSET"
    assert report["bulkId"] == "LATER"


async def test_v3_send_at_in_the_past_sends_at_once(client: Client) -> None:
    request = {
        "messages": [v3_text("41793026727")],
        "options": {"schedule": {"sendAt": "2021-08-24T15:00:00.000+0000"}},
    }
    await post_ok(client, "/sms/3/messages", request)
    [logged] = await journal(client)
    assert logged["sentAt"] == NOW
    await advance(client, "3s")
    [report] = (await get_json(client, "/sms/3/reports"))["results"]
    assert report["status"]["name"] == "DELIVERED_TO_HANDSET"


async def test_v3_send_at_exactly_180_days_ahead_is_accepted(client: Client) -> None:
    send_at = format_instant(parse_instant(NOW) + 180 * DAY)
    request = {"messages": [v3_text("41793026727")], "options": {"schedule": {"sendAt": send_at}}}
    await post_ok(client, "/sms/3/messages", request)


async def test_v3_send_at_beyond_180_days_is_rejected(client: Client) -> None:
    send_at = format_instant(parse_instant(NOW) + 180 * DAY + SECOND)
    request = {"messages": [v3_text("41793026727")], "options": {"schedule": {"sendAt": send_at}}}
    body = await post_error(client, "/sms/3/messages", request)
    violations = v3_violations(body)
    assert list(violations) == ["options.schedule.sendAt"]
    assert "180 days" in violations["options.schedule.sendAt"]
    assert await journal(client) == []


def date_time_forms() -> list[tuple[str, str]]:
    """2026-01-02T10:00:00.<fraction> UTC written with 0 to 9 fraction digits and every offset
    form: ``Z``, ``+hh:mm``, ``+hhmm`` (positive and negative) and none (taken as UTC)."""
    offsets = [
        ("Z", "10:00"),
        ("+00:00", "10:00"),
        ("+0000", "10:00"),
        ("+01:00", "11:00"),
        ("+0100", "11:00"),
        ("-05:30", "04:30"),
        ("-0530", "04:30"),
        ("", "10:00"),
    ]
    forms = []
    for digits in range(10):
        fraction = "." + "123456789"[:digits] if digits else ""
        millis = ("123456789"[:digits] + "000")[:3]
        for offset, local in offsets:
            given = f"2026-01-02T{local}:00{fraction}{offset}"
            forms.append((given, f"2026-01-02T10:00:00.{millis}+0000"))
    return forms


@pytest.mark.parametrize(("given", "expected"), date_time_forms())
async def test_v3_send_at_accepts_every_date_time_form(
    client: Client, given: str, expected: str
) -> None:
    request = {
        "messages": [v3_text("41793026727")],
        "options": {"schedule": {"bulkId": "B", "sendAt": given}},
    }
    await post_ok(client, "/sms/3/messages", request)
    assert await get_json(client, "/sms/1/bulks", bulkId="B") == {"bulkId": "B", "sendAt": expected}


@pytest.mark.parametrize(
    "given",
    ["tomorrow", "2026-13-01T00:00:00Z", "2026-01-02T25:00:00Z", "2026-01-02T10:00:00+2500"],
)
async def test_v3_send_at_that_is_not_a_date_time_is_rejected(client: Client, given: str) -> None:
    request = {"messages": [v3_text("41793026727")], "options": {"schedule": {"sendAt": given}}}
    body = await post_error(client, "/sms/3/messages", request)
    assert list(v3_violations(body)) == ["options.schedule.sendAt"]


async def test_v3_sending_speed_limit_spaces_the_messages(client: Client) -> None:
    request = {
        "messages": [v3_text("41793026727", "41793026728", "41793026729")],
        "options": {"schedule": {"sendingSpeedLimit": {"amount": 2, "timeUnit": "MINUTE"}}},
    }
    await post_ok(client, "/sms/3/messages", request)
    send_times = sorted(m["sendAt"] for m in await journal(client))
    assert send_times == [NOW, NOW, "2026-01-01T09:01:00.000+0000"]


async def test_v3_webhooks_are_accepted_and_callback_data_is_echoed(client: Client) -> None:
    message = v3_text(
        "41793026727",
        webhooks={
            "delivery": {
                "url": "https://www.example.com/sms/advanced",
                "intermediateReport": True,
                "notify": True,
            },
            "contentType": "application/json",
            "callbackData": "DLR callback data",
        },
    )
    await post_ok(client, "/sms/3/messages", {"messages": [message]})
    await advance(client, "5s")
    [report] = (await get_json(client, "/sms/3/reports"))["results"]
    assert report["callbackData"] == "DLR callback data"


@pytest.mark.parametrize(
    ("webhooks", "path"),
    [
        ({"contentType": "text/plain"}, "messages[0].webhooks.contentType"),
        ({"delivery": {"url": "ftp://example.com"}}, "messages[0].webhooks.delivery.url"),
        (
            {"delivery": {"intermediateReport": "maybe"}},
            "messages[0].webhooks.delivery.intermediateReport",
        ),
        ({"callbackData": "x" * 4001}, "messages[0].webhooks.callbackData"),
    ],
)
async def test_v3_bad_webhooks_are_rejected(client: Client, webhooks: JSON, path: str) -> None:
    body = await post_error(
        client, "/sms/3/messages", {"messages": [v3_text("41793026727", webhooks=webhooks)]}
    )
    assert list(v3_violations(body)) == [path]


async def test_v3_platform_and_campaign_show_in_reports(client: Client) -> None:
    message = v3_text(
        "41793026727",
        options={
            "platform": {"entityId": "ent", "applicationId": "app"},
            "campaignReferenceId": "summersale",
        },
    )
    await post_ok(client, "/sms/3/messages", {"messages": [message]})
    await advance(client, "5s")
    [report] = (await get_json(client, "/sms/3/reports"))["results"]
    assert report["platform"] == {"entityId": "ent", "applicationId": "app"}
    assert report["campaignReferenceId"] == "summersale"


# -- GET /sms/3/text/query ------------------------------------------------------------------
async def test_v3_query_send_with_comma_separated_and_repeated_to(client: Client) -> None:
    params = [
        ("to", "41793026727,41793026834"),
        ("to", "41793026700"),
        ("text", "Message text"),
        ("from", "InfoSMS"),
        ("bulkId", "Q-BULK"),
    ]
    response = await client.get("/sms/3/text/query", params=params)
    assert response.status == 200, await response.text()
    body = await response.json()
    assert body["bulkId"] == "Q-BULK"
    assert [m["destination"] for m in body["messages"]] == [
        "41793026727",
        "41793026834",
        "41793026700",
    ]
    for message in body["messages"]:
        assert set(message) == {"messageId", "status", "destination", "details"}
        assert message["status"] == PENDING_ACCEPTED
        assert message["details"] == {"messageCount": 1}
    assert {m["from"] for m in await journal(client)} == {"InfoSMS"}


@pytest.mark.parametrize(
    "query",
    [
        "sendAt=2026-01-02T11:00:00.000%2B01:00",
        "sendAt=2026-01-02T11:00:00.000%2B0100",
        "sendAt=2026-01-02T11:00:00.000+0100",  # a raw "+" arrives as a space
        "sendAt=2026-01-02T10:00:00Z",
    ],
)
async def test_v3_query_send_at(client: Client, query: str) -> None:
    response = await client.get(f"/sms/3/text/query?to=41793026727&text=x&bulkId=QS&{query}")
    assert response.status == 200, await response.text()
    bulk = await get_json(client, "/sms/1/bulks", bulkId="QS")
    assert bulk["sendAt"] == "2026-01-02T10:00:00.000+0000"


async def test_v3_query_send_validity_period_is_minutes_clamped(client: Client) -> None:
    params = {"to": "41793026727", "text": "x", "validityPeriod": "5000"}
    response = await client.get("/sms/3/text/query", params=params)
    assert response.status == 200, await response.text()
    [logged] = await journal(client)
    assert parse_instant(logged["expiresAt"]) - parse_instant(logged["sendAt"]) == 48 * HOUR


async def test_v3_query_send_without_to_is_a_v3_error(client: Client) -> None:
    response = await client.get("/sms/3/text/query", params={"text": "hi"})
    assert response.status == 400
    assert "to" in v3_violations(await response.json())
    assert await journal(client) == []


async def test_v3_query_send_without_text_is_a_v3_error(client: Client) -> None:
    response = await client.get("/sms/3/text/query", params={"to": "41793026727"})
    assert response.status == 400
    assert "text" in v3_violations(await response.json())


async def test_v3_query_send_rejects_bulk_id_over_100(client: Client) -> None:
    params = {"to": "41793026727", "text": "x", "bulkId": "b" * 101}
    response = await client.get("/sms/3/text/query", params=params)
    assert response.status == 400
    assert list(v3_violations(await response.json())) == ["bulkId"]


# -- POST /sms/2/text/advanced and /sms/2/binary/advanced ---------------------------------------
async def test_v2_text_answer_shape_without_sms_count(client: Client) -> None:
    request = {
        "messages": [{"from": "InfoSMS", "destinations": [{"to": "41793026727"}], "text": "Hi"}]
    }
    body = await post_ok(client, "/sms/2/text/advanced", request)
    assert set(body) == {"bulkId", "messages"}
    [message] = body["messages"]
    assert set(message) == {"messageId", "status", "to"}
    assert message["status"] == PENDING_ACCEPTED
    assert message["to"] == "41793026727"
    assert UUID.match(message["messageId"])


async def test_v2_text_sms_count_only_when_asked(client: Client) -> None:
    request = {
        "bulkId": "V2-BULK",
        "messages": [
            {
                "from": "InfoSMS",
                "destinations": [
                    {"to": "41793026727", "messageId": "V2-MSG"},
                    {"to": "41793026834"},
                ],
                "text": "y" * 161,
            }
        ],
        "includeSmsCountInResponse": True,
    }
    body = await post_ok(client, "/sms/2/text/advanced", request)
    assert body["bulkId"] == "V2-BULK"
    first, second = body["messages"]
    assert set(first) == {"messageId", "status", "to", "smsCount"}
    assert first["messageId"] == "V2-MSG"
    assert first["smsCount"] == second["smsCount"] == 2
    assert second["to"] == "41793026834"


async def test_v2_text_send_at_beyond_180_days_names_the_message(client: Client) -> None:
    send_at = format_instant(parse_instant(NOW) + 181 * DAY)
    request = {
        "messages": [
            {"destinations": [{"to": "41793026727"}], "text": "x", "sendAt": send_at},
        ]
    }
    body = await post_error(client, "/sms/2/text/advanced", request)
    errors = v1_validation(body)
    assert list(errors) == ["messages[0].sendAt"]
    assert "180 days" in errors["messages[0].sendAt"][0]


async def test_v2_text_send_at_in_the_future_is_scheduled(client: Client) -> None:
    request = {
        "bulkId": "V2-LATER",
        "messages": [
            {
                "destinations": [{"to": "41793026727"}],
                "text": "x",
                "sendAt": "2026-01-01T12:00:00.000+03:00",
            }
        ],
    }
    await post_ok(client, "/sms/2/text/advanced", request)
    bulk = await get_json(client, "/sms/1/bulks", bulkId="V2-LATER")
    assert bulk["sendAt"] == NOW  # 12:00+03:00 is 09:00 UTC, which is now
    [logged] = await journal(client)
    assert logged["sentAt"] == NOW


async def test_v2_text_validity_period_in_minutes_clamped_to_2880(client: Client) -> None:
    request = {
        "messages": [
            {"destinations": [{"to": "41793026727"}], "text": "a", "validityPeriod": 100},
            {"destinations": [{"to": "41793026728"}], "text": "b", "validityPeriod": 5000},
        ]
    }
    await post_ok(client, "/sms/2/text/advanced", request)
    periods = {
        m["to"]: parse_instant(m["expiresAt"]) - parse_instant(m["sendAt"])
        for m in await journal(client)
    }
    assert periods == {"41793026727": 100 * MINUTE, "41793026728": 2880 * MINUTE}


async def test_v2_text_clips_long_message_ids(client: Client) -> None:
    request = {"messages": [{"destinations": [{"to": "1", "messageId": "m" * 250}], "text": "x"}]}
    body = await post_ok(client, "/sms/2/text/advanced", request)
    assert body["messages"][0]["messageId"] == "m" * 200


async def test_v2_binary_answer_shape(client: Client) -> None:
    request = {
        "messages": [
            {
                "from": "InfoSMS",
                "destinations": [{"to": "41793026727"}],
                "binary": {"hex": "54 65 73 74", "dataCoding": 0, "esmClass": 0},
            }
        ]
    }
    body = await post_ok(client, "/sms/2/binary/advanced", request)
    [message] = body["messages"]
    assert set(message) == {"messageId", "status", "to"}
    assert message["status"] == PENDING_ACCEPTED
    logs = await get_json(client, "/sms/1/logs")
    assert "text" not in logs["results"][0]


async def test_v2_binary_without_binary_is_rejected(client: Client) -> None:
    request = {"messages": [{"destinations": [{"to": "41793026727"}]}]}
    body = await post_error(client, "/sms/2/binary/advanced", request)
    assert list(v1_validation(body)) == ["messages[0].binary"]


# -- v1 sends ----------------------------------------------------------------------------------
def assert_v1_entry(entry: JSON, to: str, sms_count: int = 1) -> None:
    assert list(entry) == ["to", "status", "smsCount", "messageId"]
    assert entry["to"] == to
    assert entry["status"] == PENDING_ENROUTE
    assert entry["smsCount"] == sms_count
    assert UUID.match(entry["messageId"])


async def test_v1_text_single_with_to_as_string(client: Client) -> None:
    body = await post_ok(
        client, "/sms/1/text/single", {"from": "InfoSMS", "to": "41793026727", "text": "Test SMS."}
    )
    [entry] = body["messages"]
    assert_v1_entry(entry, "41793026727")


async def test_v1_text_single_with_to_as_array(client: Client) -> None:
    request = {"from": "InfoSMS", "to": ["41793026727", "41793026834"], "text": "Test SMS."}
    body = await post_ok(client, "/sms/1/text/single", request)
    assert re.fullmatch(r"\d{19}", body["bulkId"])
    first, second = body["messages"]
    assert_v1_entry(first, "41793026727")
    assert_v1_entry(second, "41793026834")


@pytest.mark.parametrize(
    ("to", "path"),
    [(None, "to"), ([], "to"), ("", "to"), ([""], "to[0]"), (["1", 5], "to[1]"), ("9" * 65, "to")],
)
async def test_v1_text_single_bad_to(client: Client, to: object, path: str) -> None:
    body = await post_error(client, "/sms/1/text/single", {"to": to, "text": "x"})
    assert list(v1_validation(body)) == [path]
    assert await journal(client) == []


async def test_v1_text_multi(client: Client) -> None:
    request = {
        "bulkId": "MULTI",
        "messages": [
            {"from": "InfoSMS", "to": "41793026727", "text": "One"},
            {"from": "InfoSMS", "to": ["41793026834", "41793026700"], "text": "z" * 200},
        ],
    }
    body = await post_ok(client, "/sms/1/text/multi", request)
    assert body["bulkId"] == "MULTI"
    entries = body["messages"]
    assert_v1_entry(entries[0], "41793026727")
    assert_v1_entry(entries[1], "41793026834", sms_count=2)
    assert_v1_entry(entries[2], "41793026700", sms_count=2)


SEED_TEXT = (
    "The time-traveling is just too dangerous. Better that I devote myself to study the other "
    "great mystery of the universe: women!"
)


async def test_v1_text_advanced_seed_document_request(client: Client) -> None:
    """The product brief's validity-period example, answered as the page shows."""
    request = {
        "messages": [
            {
                "from": "InfoSMS",
                "destinations": [{"to": "41793026727"}, {"to": "41793026731"}],
                "text": SEED_TEXT,
                "validityPeriod": 1440,
            }
        ]
    }
    response = await client.post(
        "/sms/1/text/advanced",
        json=request,
        headers={"Authorization": "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="},
    )
    assert response.status == 200
    assert response.content_type == "application/json"
    body = await response.json()
    assert list(body) == ["bulkId", "messages"]
    assert isinstance(body["bulkId"], str)
    assert body["bulkId"]
    first, second = body["messages"]
    assert_v1_entry(first, "41793026727")
    assert_v1_entry(second, "41793026731")
    assert first["messageId"] != second["messageId"]

    for logged in await journal(client):
        assert parse_instant(logged["expiresAt"]) - parse_instant(logged["sendAt"]) == 1440 * MINUTE
        assert logged["bulkId"] == body["bulkId"]


async def test_v1_text_advanced_validity_over_48_hours_is_set_to_48(client: Client) -> None:
    request = {
        "messages": [{"destinations": [{"to": "41793026727"}], "text": "x", "validityPeriod": 4320}]
    }
    await post_ok(client, "/sms/1/text/advanced", request)
    [logged] = await journal(client)
    assert parse_instant(logged["expiresAt"]) - parse_instant(logged["sendAt"]) == 48 * HOUR


async def test_v1_text_advanced_send_at_per_message(client: Client) -> None:
    request = {
        "bulkId": "V1-SCHED",
        "messages": [
            {
                "from": "InfoSMS",
                "destinations": [{"to": "41793026727"}],
                "text": "later",
                "sendAt": "2015-07-07T17:00:00.000+01:00",  # the brief's format, in the past
            },
            {
                "destinations": [{"to": "41793026728"}],
                "text": "much later",
                "sendAt": "2026-01-02T17:00:00.000+01:00",
            },
        ],
    }
    await post_ok(client, "/sms/1/text/advanced", request)
    sent = {m["to"]: m["sentAt"] for m in await journal(client)}
    assert sent == {"41793026727": NOW, "41793026728": None}
    await advance(client, "1d6h59m")
    assert {m["to"]: m["sentAt"] for m in await journal(client)}["41793026728"] is None
    await advance(client, "1m")
    sent = {m["to"]: m["sentAt"] for m in await journal(client)}
    assert sent["41793026728"] == "2026-01-02T16:00:00.000+0000"


async def test_v1_binary_single(client: Client) -> None:
    request = {
        "from": "InfoSMS",
        "to": ["41793026727"],
        "binary": {"hex": "48 69", "dataCoding": 0},
    }
    body = await post_ok(client, "/sms/1/binary/single", request)
    assert_v1_entry(body["messages"][0], "41793026727")


async def test_v1_binary_multi(client: Client) -> None:
    request = {
        "messages": [
            {"from": "A", "to": "41793026727", "binary": {"hex": "48 69"}},
            {"from": "B", "to": ["41793026728"], "binary": {"hex": "00 48 00 69", "dataCoding": 8}},
        ]
    }
    body = await post_ok(client, "/sms/1/binary/multi", request)
    assert [e["to"] for e in body["messages"]] == ["41793026727", "41793026728"]
    for entry in body["messages"]:
        assert_v1_entry(entry, entry["to"])


async def test_v1_binary_advanced(client: Client) -> None:
    request = {
        "bulkId": "BIN-ADV",
        "messages": [
            {
                "from": "InfoSMS",
                "destinations": [{"to": "41793026727", "messageId": "BIN-1"}],
                "binary": {"hex": "54 65 73 74", "dataCoding": 0, "esmClass": 0},
                "validityPeriod": 60,
            }
        ],
    }
    body = await post_ok(client, "/sms/1/binary/advanced", request)
    assert body["bulkId"] == "BIN-ADV"
    [entry] = body["messages"]
    assert entry["messageId"] == "BIN-1"
    assert entry["status"] == PENDING_ENROUTE
    assert entry["smsCount"] == 1


@pytest.mark.parametrize("hex_string", ["4", "zz", "48 6"])
async def test_v1_binary_with_bad_hex_is_rejected(client: Client, hex_string: str) -> None:
    body = await post_error(
        client, "/sms/1/binary/single", {"to": "41793026727", "binary": {"hex": hex_string}}
    )
    assert list(v1_validation(body)) == ["binary.hex"]


# -- GET /sms/1/text/query -------------------------------------------------------------------
async def test_v1_query_send_with_credentials_in_the_query(
    client: Client, aiohttp_client: Any
) -> None:
    bare: Client = await aiohttp_client(client.server)  # no Authorization header at all
    params = {
        "username": "Aladdin",
        "password": "openSesame",
        "to": "41793026727,41793026834",
        "text": "Message text",
        "from": "InfoSMS",
    }
    response = await bare.get("/sms/1/text/query", params=params)
    assert response.status == 200, await response.text()
    assert response.headers["Deprecation"] == "@1728475200"
    body = await response.json()
    assert set(body) == {"bulkId", "messages"}
    for entry, to in zip(body["messages"], ["41793026727", "41793026834"], strict=True):
        assert set(entry) == {"messageId", "status", "to", "smsCount"}
        assert entry["to"] == to
        assert entry["smsCount"] == 1
        assert entry["status"]["groupName"] == "PENDING"


async def test_v1_query_send_clips_bulk_id(client: Client) -> None:
    params = {"username": "u", "password": "p", "to": "1", "text": "x", "bulkId": "b" * 150}
    response = await client.get("/sms/1/text/query", params=params)
    assert response.status == 200, await response.text()
    assert (await response.json())["bulkId"] == "b" * 100


@pytest.mark.parametrize(
    "params",
    [
        {"to": "41793026727", "text": "x"},
        {"username": "u", "to": "41793026727", "text": "x"},
        {"password": "p", "to": "41793026727", "text": "x"},
    ],
)
async def test_v1_query_send_without_credentials_is_401(
    client: Client, simulator: Simulator, params: dict[str, str]
) -> None:
    # The Authorization header the client sends by default does not count here.
    response = await client.get("/sms/1/text/query", params=params)
    assert response.status == 401
    assert await response.json() == {
        "requestError": {
            "serviceException": {"messageId": "UNAUTHORIZED", "text": "Invalid login details"}
        }
    }
    assert list(simulator.gateway.iter_messages()) == []
