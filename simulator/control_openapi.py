"""The control plane's OpenAPI 3.1 document, served at ``GET /__sim/openapi.json``.

:data:`DOCUMENT` is built once at import, as a plain dict; :func:`openapi` answers it. Every
route under ``/__sim/`` is described (``tests/test_control_openapi.py`` checks the document
against the router both ways, and real answers against the response schemas), so a new
control route needs its entry here.

Response objects are documented strictly (``additionalProperties: false``): a field added to
an answer must be added here too. The saved-state document is opaque on purpose.

>>> DOCUMENT["openapi"], "/__sim/clock" in DOCUMENT["paths"]
('3.1.0', True)
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from simulator import __version__

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: Schema) -> Schema:
    """``schema`` or null (OpenAPI 3.1: a type list, or ``anyOf`` around a ``$ref``)."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    kind = schema["type"]
    return {**schema, "type": [kind, "null"]}


def _object(
    properties: dict[str, Schema], *, optional: tuple[str, ...] = (), description: str = ""
) -> Schema:
    """A closed object whose properties are all required except ``optional``."""
    schema: Schema = {
        "type": "object",
        "required": [name for name in properties if name not in optional],
        "properties": properties,
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer", "format": "int64"}
NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}
INSTANT = _ref("Instant")

PUSH_STATE: Schema = {"type": "string", "enum": ["pending", "retrying", "delivered", "failed"]}
PUSH_KIND: Schema = {"type": "string", "enum": ["delivery-report", "inbound"]}
BULK_STATUS: Schema = {
    "type": "string",
    "enum": ["PENDING", "PAUSED", "PROCESSING", "CANCELED", "FINISHED", "FAILED"],
}
CLOCK_PROPERTIES: dict[str, Schema] = {
    "now": {**INSTANT, "description": "the virtual clock's current instant"},
    "mode": _ref("ClockMode"),
    "rate": {**NUMBER, "description": "virtual seconds per real second (realtime mode)"},
    "start": {**INSTANT, "description": "the instant a reset goes back to"},
    "pendingEvents": {**INTEGER, "minimum": 0, "description": "events scheduled"},
    "nextEventAt": {**_nullable(INSTANT), "description": "when the next event is due"},
}
MESSAGE_PROPERTIES: dict[str, Schema] = {
    "messageId": STRING,
    "bulkId": STRING,
    "account": STRING,
    "api": {**STRING, "description": "the endpoint it was sent through"},
    "from": _nullable(STRING),
    "to": STRING,
    "text": _nullable(STRING),
    "hex": _nullable(STRING),
    "smsCount": INTEGER,
    "submittedAt": INSTANT,
    "sendAt": INSTANT,
    "sentAt": _nullable(INSTANT),
    "doneAt": _nullable(INSTANT),
    "expiresAt": INSTANT,
    "final": BOOLEAN,
    "status": _ref("Status"),
    "error": _ref("ErrorCode"),
    "timeline": {"type": "array", "items": _ref("TimelineStep")},
}
PAGE_PROPERTIES: dict[str, Schema] = {
    "total": {**INTEGER, "minimum": 0, "description": "matches before paging"},
    "offset": {**INTEGER, "minimum": 0},
    "limit": {**INTEGER, "minimum": 1},
}
SCENARIO_PROPERTIES: dict[str, Schema] = {
    "scenario": {**_nullable(STRING), "description": "the loaded scenario; null: the default"},
    "description": _nullable(STRING),
}

SCHEMAS: dict[str, Schema] = {
    "Instant": {
        "type": "string",
        "format": "date-time",
        "description": "answered as yyyy-MM-dd'T'HH:mm:ss.SSS+0000 (UTC); accepted as any "
        "ISO 8601 date-time with 0 to 9 fraction digits and an offset Z, +hh:mm, +hhmm or none",
        "examples": ["2026-01-01T09:00:00.000+0000"],
    },
    "Duration": {
        "description": '"90s", "15m", "2h", "1h30m", "500ms", ISO 8601 "PT15M", or a number '
        "of seconds; never negative",
        "anyOf": [{"type": "string", "examples": ["15m"]}, {"type": "number", "minimum": 0}],
    },
    "ClockMode": {"type": "string", "enum": ["manual", "autojump", "realtime"]},
    "Error": _object(
        {
            "error": {**STRING, "description": "what is wrong, for people"},
            "field": {
                **_nullable(STRING),
                "description": "the body field or query parameter at fault, when there is one",
            },
        },
        description="Every control-plane error (HTTP 400, 404, 405, 503...). Bad input "
        "changes nothing.",
    ),
    "Clock": _object(CLOCK_PROPERTIES),
    "AdvanceRequest": {
        "type": "object",
        "description": "exactly one of by, to, next",
        "properties": {
            "by": _ref("Duration"),
            "to": {**INSTANT, "description": "must not be before now"},
            "next": {"const": True, "description": "jump to the next scheduled event"},
        },
        "oneOf": [{"required": ["by"]}, {"required": ["to"]}, {"required": ["next"]}],
    },
    "AdvanceResult": _object(
        {
            **CLOCK_PROPERTIES,
            "fired": {**INTEGER, "minimum": 0, "description": "events fired by this advance"},
        }
    ),
    "ClockModeRequest": {
        "type": "object",
        "required": ["mode"],
        "properties": {
            "mode": _ref("ClockMode"),
            "rate": {
                "type": ["number", "null"],
                "exclusiveMinimum": 0,
                "maximum": 1e9,
                "description": "virtual seconds per real second (realtime); default: unchanged",
            },
        },
    },
    "Event": _object(
        {
            "at": INSTANT,
            "kind": {**STRING, "examples": ["send", "step", "expire", "webhook-retry"]},
            "messageId": _nullable(STRING),
            "to": _nullable(STRING),
        }
    ),
    "Events": _object(
        {
            "events": {"type": "array", "items": _ref("Event")},
            "total": {**INTEGER, "minimum": 0, "description": "all events scheduled"},
        }
    ),
    "Status": _object(
        {
            "groupId": INTEGER,
            "groupName": STRING,
            "id": INTEGER,
            "name": STRING,
            "description": STRING,
            "action": STRING,
        },
        optional=("action",),
        description="Infobip's status object",
    ),
    "ErrorCode": _object(
        {
            "groupId": INTEGER,
            "groupName": STRING,
            "id": INTEGER,
            "name": STRING,
            "description": STRING,
            "permanent": BOOLEAN,
        },
        description="Infobip's error object",
    ),
    "TimelineStep": _object({"at": INSTANT, "status": STRING, "error": STRING}),
    "Message": _object(
        MESSAGE_PROPERTIES,
        description="A message with its full status timeline",
    ),
    "Messages": _object(
        {
            "messages": {"type": "array", "items": _ref("Message")},
            "more": {**BOOLEAN, "description": "more messages matched than limit"},
        }
    ),
    "RequestRecord": _object(
        {
            "seq": INTEGER,
            "at": {**INSTANT, "description": "virtual time when it arrived"},
            "account": _nullable(STRING),
            "method": STRING,
            "path": STRING,
            "query": STRING,
            "status": INTEGER,
            "body": {**STRING, "description": "the request body (first 64 KiB)"},
            "latencyMs": NUMBER,
        },
        description="An Infobip API request received",
    ),
    "Requests": _object({"requests": {"type": "array", "items": _ref("RequestRecord")}}),
    "Attempt": _object(
        {
            "number": INTEGER,
            "at": INSTANT,
            "httpStatus": _nullable(INTEGER),
            "error": {
                **_nullable(STRING),
                "description": "timeout, or why the connection failed",
            },
            "latencyMs": NUMBER,
            "responseBody": _nullable(STRING),
        }
    ),
    "Push": _object(
        {
            "id": INTEGER,
            "kind": PUSH_KIND,
            "account": STRING,
            "url": STRING,
            "state": PUSH_STATE,
            "messageIds": {"type": "array", "items": STRING},
            "createdAt": INSTANT,
            "nextAttemptAt": _nullable(INSTANT),
            "body": {"type": "object", "description": "the JSON body pushed"},
            "attempts": {"type": "array", "items": _ref("Attempt")},
        },
        description="One webhook POST body to one URL, with every attempt",
    ),
    "Webhooks": _object({"webhooks": {"type": "array", "items": _ref("Push")}}),
    "InboundMessage": _object(
        {
            "messageId": STRING,
            "from": STRING,
            "to": STRING,
            "text": STRING,
            "cleanText": STRING,
            "keyword": STRING,
            "receivedAt": INSTANT,
            "smsCount": INTEGER,
            "price": _object({"pricePerMessage": NUMBER, "currency": STRING}),
            "callbackData": STRING,
            "applicationId": STRING,
            "entityId": STRING,
            "campaignReferenceId": STRING,
            "account": STRING,
        },
        optional=("keyword", "callbackData", "applicationId", "entityId", "campaignReferenceId"),
        description="An inbound (MO) message, as GET /sms/1/inbox/reports renders it",
    ),
    "InboundList": _object({"inbound": {"type": "array", "items": _ref("InboundMessage")}}),
    "InboundRequest": {
        "type": "object",
        "required": ["from", "to", "text"],
        "properties": {
            "from": {**STRING, "minLength": 1, "maxLength": 4096},
            "to": {**STRING, "minLength": 1, "maxLength": 4096},
            "text": {**STRING, "minLength": 1, "maxLength": 4096},
            "at": {**INSTANT, "description": "when it arrives; default now; not in the past"},
            "messageId": {**STRING, "minLength": 1},
            "account": {
                **STRING,
                "minLength": 1,
                "description": "ignored when the request is tenant-scoped",
            },
        },
    },
    "Health": _object({"status": {"const": "ok"}}),
    "Ready": _object({"ready": BOOLEAN}),
    "Scenario": _object(SCENARIO_PROPERTIES),
    "ScenarioLoaded": _object({**SCENARIO_PROPERTIES, **CLOCK_PROPERTIES}),
    "ScenarioRequest": {
        "type": "object",
        "description": 'a library scenario by "name" (null: the built-in default), or a '
        'YAML document inline as "yaml"; loading resets everything',
        "properties": {"name": _nullable(STRING), "yaml": STRING},
        "anyOf": [{"required": ["name"]}, {"required": ["yaml"]}],
    },
    "Scenarios": _object({"scenarios": {"type": "array", "items": STRING}}),
    "Bulk": _object(
        {
            "bulkId": STRING,
            "account": STRING,
            "status": BULK_STATUS,
            "sendAt": INSTANT,
            "createdAt": INSTANT,
            "messageCount": INTEGER,
            "unsent": {**INTEGER, "description": "messages neither sent nor finished yet"},
            "messageObjects": {**INTEGER, "description": "message objects sent into it"},
            "statuses": {
                "type": "object",
                "additionalProperties": INTEGER,
                "description": "how many of its messages are in each status group",
            },
        }
    ),
    "Bulks": _object({"bulks": {"type": "array", "items": _ref("Bulk")}, **PAGE_PROPERTIES}),
    "BulkStatusRequest": {
        "type": "object",
        "required": ["status"],
        "properties": {
            "status": {
                "type": "string",
                "enum": ["PENDING", "PAUSED", "CANCELED"],
                "description": "PENDING resumes, PAUSED pauses, CANCELED cancels; the rules "
                "are those of PUT /sms/1/bulks/status",
            },
            "account": {**STRING, "description": "the account holding the bulk"},
        },
    },
    "BulkRescheduleRequest": {
        "type": "object",
        "required": ["sendAt"],
        "properties": {
            "sendAt": INSTANT,
            "account": {**STRING, "description": "the account holding the bulk"},
        },
    },
    "LifecycleEntry": _object(
        {
            "at": INSTANT,
            "kind": {
                "type": "string",
                "enum": [
                    "submitted",
                    "scheduled",
                    "sent",
                    "status",
                    "report",
                    "webhook",
                    "expiry",
                ],
            },
            "label": {**STRING, "description": "what happened (or will), for people"},
            "future": {**BOOLEAN, "description": "still to come"},
            "status": STRING,
            "group": STRING,
            "error": STRING,
            "url": STRING,
            "pushId": INTEGER,
            "httpStatus": _nullable(INTEGER),
        },
        optional=("status", "group", "error", "url", "pushId", "httpStatus"),
    ),
    "BrowsedMessage": _object(
        {
            **MESSAGE_PROPERTIES,
            "lifecycle": {"type": "array", "items": _ref("LifecycleEntry")},
        },
        description="A journal message with everything that happened to it, and is to come",
    ),
    "BrowsedMessages": _object(
        {"messages": {"type": "array", "items": _ref("BrowsedMessage")}, **PAGE_PROPERTIES}
    ),
    "BrowsedEvent": _object(
        {
            "at": INSTANT,
            "kind": STRING,
            "detail": {**STRING, "description": "what it will do, for people"},
            "messageId": _nullable(STRING),
            "bulkId": _nullable(STRING),
            "to": _nullable(STRING),
        }
    ),
    "BrowsedEvents": _object(
        {"events": {"type": "array", "items": _ref("BrowsedEvent")}, **PAGE_PROPERTIES}
    ),
    "BrowsedWebhooks": _object(
        {"webhooks": {"type": "array", "items": _ref("Push")}, **PAGE_PROPERTIES}
    ),
    "State": {
        "type": "object",
        "required": ["format"],
        "properties": {"format": {"const": 1}},
        "description": "The whole simulator state, opaque: save it, and load it back as is",
    },
}

# -- parameters and responses ----------------------------------------------------------------
AUTHORIZATION: Schema = {
    "name": "Authorization",
    "in": "header",
    "required": False,
    "description": "an Infobip Authorization header (App KEY...): with tenant isolation on, "
    "limits the answer (or the injected message) to that key's account",
    "schema": STRING,
}


def _query(name: str, description: str, schema: Schema | None = None) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or STRING,
    }


def _limit(default: int) -> Schema:
    return _query("limit", f"at most this many (default {default})", {**INTEGER, "minimum": 1})


def _json_body(schema_name: str, description: str = "") -> Schema:
    body: Schema = {
        "required": True,
        "content": {"application/json": {"schema": _ref(schema_name)}},
    }
    if description:
        body["description"] = description
    return body


def _answer(schema_name: str, description: str) -> Schema:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref(schema_name)}},
    }


BAD_REQUEST = _answer("Error", "bad input; nothing changed")
NOT_FOUND = _answer("Error", "no such thing")
PAGING: list[Schema] = [
    _query("offset", "skip this many (default 0)", {**INTEGER, "minimum": 0}),
    _query("limit", "at most this many (1 to 1000)", {**INTEGER, "minimum": 1, "maximum": 1000}),
]
BULK_ID: Schema = {"name": "bulkId", "in": "path", "required": True, "schema": STRING}


def _op(
    operation_id: str,
    summary: str,
    result: str,
    *,
    description: str = "",
    tag: str,
    parameters: list[Schema] | None = None,
    body: Schema | None = None,
    errors: bool = True,
    extra: dict[str, Schema] | None = None,
) -> Schema:
    responses: dict[str, Schema] = {"200": _answer(result, "OK")}
    if errors:
        responses["400"] = BAD_REQUEST
    responses.update(extra or {})
    operation: Schema = {
        "operationId": operation_id,
        "summary": summary,
        "tags": [tag],
        "responses": responses,
    }
    if description:
        operation["description"] = description
    if parameters:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = body
    return operation


PATHS: dict[str, dict[str, Schema]] = {
    "/__sim/clock": {
        "get": _op(
            "getClock",
            "The virtual clock: now, mode, rate, the next event",
            "Clock",
            tag="clock",
            errors=False,
        )
    },
    "/__sim/clock/advance": {
        "post": _op(
            "advanceClock",
            "Advance virtual time, firing every event that falls due",
            "AdvanceResult",
            description="Answers once every event due in the span has fired and every "
            "webhook push it caused has been attempted. The clock never goes backwards.",
            tag="clock",
            body=_json_body("AdvanceRequest"),
        )
    },
    "/__sim/clock/mode": {
        "post": _op(
            "setClockMode",
            "Switch between manual, autojump and realtime (with a rate)",
            "Clock",
            tag="clock",
            body=_json_body("ClockModeRequest"),
        )
    },
    "/__sim/events": {
        "get": _op(
            "listEvents",
            "The schedule of future events, soonest first",
            "Events",
            tag="clock",
            parameters=[_limit(100)],
        )
    },
    "/__sim/reset": {
        "post": _op(
            "reset",
            "Everything back to the start: clock, messages, bulks, queues, journals, ids. "
            "With tenant isolation and an Authorization header: only that tenant's state "
            "(the shared clock keeps its time)",
            "Clock",
            tag="lifecycle",
            errors=False,
        )
    },
    "/__sim/health": {"get": _op("health", "Liveness", "Health", tag="lifecycle", errors=False)},
    "/__sim/ready": {
        "get": _op(
            "ready",
            "Readiness: 200 once the simulator serves and can push webhooks",
            "Ready",
            tag="lifecycle",
            errors=False,
            extra={"503": _answer("Ready", "not ready yet")},
        )
    },
    "/__sim/messages": {
        "get": _op(
            "listMessages",
            "Messages, newest first, each with its full status timeline",
            "Messages",
            tag="journal",
            parameters=[
                AUTHORIZATION,
                _query("to", "only messages to this number"),
                _query("from", "only messages from this sender"),
                _query(
                    "bulkId",
                    "only these bulks (repeatable)",
                    {"type": "array", "items": STRING},
                ),
                _query(
                    "messageId",
                    "only these messages (repeatable)",
                    {"type": "array", "items": STRING},
                ),
                _query(
                    "status",
                    "a status name (DELIVERED_TO_HANDSET) or a group name (DELIVERED)",
                ),
                _limit(1000),
            ],
        )
    },
    "/__sim/requests": {
        "get": _op(
            "listRequests",
            "Infobip API requests received, newest first",
            "Requests",
            tag="journal",
            parameters=[AUTHORIZATION, _query("path", "only requests to this path"), _limit(1000)],
        )
    },
    "/__sim/webhooks": {
        "get": _op(
            "listWebhooks",
            "Webhook pushes (delivery reports, inbound messages), newest first, with attempts",
            "Webhooks",
            tag="journal",
            parameters=[
                AUTHORIZATION,
                _query("state", "only pushes in this state", PUSH_STATE),
                _query("url", "only pushes to this URL"),
                _query("kind", "only this kind", PUSH_KIND),
                _query("messageId", "only pushes carrying this message"),
                _limit(1000),
            ],
        )
    },
    "/__sim/inbound": {
        "get": _op(
            "listInbound",
            "Inbound (MO) messages received, oldest first",
            "InboundList",
            tag="inbound",
            parameters=[AUTHORIZATION, _limit(1000)],
        ),
        "post": _op(
            "injectInbound",
            "Inject an inbound (MO) message",
            "InboundMessage",
            description="Queued for GET /sms/1/inbox/reports (each returned once) and pushed "
            "to the inbound URL in the MO_JSON_2 shape when it arrives (now, or at `at`).",
            tag="inbound",
            parameters=[AUTHORIZATION],
            body=_json_body("InboundRequest"),
        ),
    },
    "/__sim/scenario": {
        "get": _op("getScenario", "The loaded scenario", "Scenario", tag="scenario", errors=False),
        "post": _op(
            "loadScenario",
            "Load a scenario (everything resets)",
            "ScenarioLoaded",
            tag="scenario",
            body=_json_body("ScenarioRequest"),
        ),
    },
    "/__sim/scenarios": {
        "get": _op(
            "listScenarios",
            "The names of the shipped scenarios",
            "Scenarios",
            tag="scenario",
            errors=False,
        )
    },
    "/__sim/state": {
        "get": _op(
            "exportState",
            "The whole state as JSON, to be saved and loaded again",
            "State",
            tag="state",
            errors=False,
        ),
        "post": _op(
            "importState",
            "Load a saved state (a broken one is refused and changes nothing)",
            "Clock",
            tag="state",
            body=_json_body("State", "a document saved from GET /__sim/state"),
        ),
    },
    "/__sim/bulks": {
        "get": _op(
            "listBulks",
            "Bulks, newest first, with status, send time and status counts",
            "Bulks",
            tag="bulks",
            parameters=[
                AUTHORIZATION,
                _query("status", "only bulks in this status", BULK_STATUS),
                _query("q", "only bulks whose id contains this (any case)"),
                _query("account", "only this account's bulks"),
                *PAGING,
            ],
        )
    },
    "/__sim/bulks/{bulkId}/status": {
        "post": _op(
            "setBulkStatus",
            "Pause, resume or cancel a bulk",
            "Bulk",
            description="The rules and refusals of PUT /sms/1/bulks/status, in this API's "
            "error shape.",
            tag="bulks",
            parameters=[AUTHORIZATION, BULK_ID],
            body=_json_body("BulkStatusRequest"),
            extra={"404": NOT_FOUND},
        )
    },
    "/__sim/bulks/{bulkId}/reschedule": {
        "post": _op(
            "rescheduleBulk",
            "Move a bulk's send time",
            "Bulk",
            description="The rules and refusals of PUT /sms/1/bulks, in this API's error shape.",
            tag="bulks",
            parameters=[AUTHORIZATION, BULK_ID],
            body=_json_body("BulkRescheduleRequest"),
            extra={"404": NOT_FOUND},
        )
    },
    "/__sim/browse/messages": {
        "get": _op(
            "browseMessages",
            "Messages newest first, paged and searchable, each with its whole lifecycle",
            "BrowsedMessages",
            tag="browse",
            parameters=[
                AUTHORIZATION,
                _query("q", "part of the number, sender, text, bulk id, message id or status name"),
                _query("status", "a status name (DELIVERED_TO_HANDSET) or group (DELIVERED)"),
                _query("bulkId", "only this bulk"),
                _query("account", "only this account's messages"),
                *PAGING,
            ],
        )
    },
    "/__sim/browse/events": {
        "get": _op(
            "browseEvents",
            "The schedule of future events, paged, each saying what it will do",
            "BrowsedEvents",
            tag="browse",
            parameters=PAGING,
        )
    },
    "/__sim/browse/webhooks": {
        "get": _op(
            "browseWebhooks",
            "Webhook pushes newest first, paged and searchable",
            "BrowsedWebhooks",
            tag="browse",
            parameters=[
                AUTHORIZATION,
                _query("state", "only pushes in this state", PUSH_STATE),
                _query("kind", "only this kind", PUSH_KIND),
                _query("q", "part of the URL or of a message id"),
                _query("account", "only this account's pushes"),
                *PAGING,
            ],
        )
    },
    "/__sim/stream": {
        "get": {
            "operationId": "stream",
            "summary": "Live change notifications (server-sent events)",
            "description": "Says that something changed, never what it now is. Each `changed` "
            "event's data is a JSON object: `version`, `what` (the kinds of change since the "
            "last event: messages, inbound, webhooks, requests, reset, clock, events, or hello "
            "first), `clock` (the Clock object), `counts` (messages, bulks, inbound, webhooks) "
            "and `scenario`. Bursts are coalesced; a comment keeps an idle stream alive.",
            "tags": ["browse"],
            "responses": {
                "200": {
                    "description": "an endless text/event-stream",
                    "content": {"text/event-stream": {"schema": STRING}},
                }
            },
        }
    },
    "/__sim/console": {
        "get": {
            "operationId": "consoleRedirect",
            "summary": "Redirects to the web console, /__sim/console/",
            "tags": ["console"],
            "responses": {"302": {"description": "Location: /__sim/console/"}},
        }
    },
    "/__sim/console/": {
        "get": {
            "operationId": "console",
            "summary": "The web console for manual QA (an HTML page)",
            "tags": ["console"],
            "responses": {
                "200": {"description": "OK", "content": {"text/html": {"schema": STRING}}}
            },
        }
    },
    "/__sim/console/{name}": {
        "get": {
            "operationId": "consoleFile",
            "summary": "One of the console's files",
            "tags": ["console"],
            "parameters": [
                {
                    "name": "name",
                    "in": "path",
                    "required": True,
                    "schema": {
                        "type": "string",
                        "enum": ["index.html", "console.css", "console.js", "favicon.svg"],
                    },
                    "example": "index.html",
                }
            ],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        media: {"schema": STRING}
                        for media in ("text/html", "text/css", "text/javascript", "image/svg+xml")
                    },
                },
                "404": NOT_FOUND,
            },
        }
    },
    "/__sim/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document",
            "tags": ["lifecycle"],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Infobip SMS simulator: control plane",
        "version": __version__,
        "description": "Drive the simulator from tests and CI scripts: the virtual clock, "
        "the journals of what happened, inbound messages, reset. JSON over HTTP under "
        "/__sim/, no authentication. Stable for scripts: GET /__sim/clock, "
        "POST /__sim/clock/advance, POST /__sim/reset. Every error is "
        '{"error": "...", "field": "..."}, never an Infobip envelope.',
    },
    "tags": [
        {"name": name}
        for name in (
            "clock",
            "journal",
            "inbound",
            "lifecycle",
            "scenario",
            "state",
            "bulks",
            "browse",
            "console",
        )
    ],
    "paths": PATHS,
    "components": {"schemas": SCHEMAS},
}

_BODY = json.dumps(DOCUMENT, ensure_ascii=False, separators=(",", ":")).encode()


async def openapi(request: web.Request) -> web.Response:
    """``GET /__sim/openapi.json``."""
    return web.Response(body=_BODY, content_type="application/json")
