"""The control plane under ``/__sim/``: what tests and CI scripts use to drive the simulator.

Stable for scripts: ``GET /__sim/clock`` answers ``{"now": "<instant>", ...}``;
``POST /__sim/clock/advance`` takes ``{"by": "15m"}``, ``{"to": "<instant>"}`` or
``{"next": true}`` and answers the new ``now``; ``POST /__sim/reset``.
Errors here are plain ``{"error": "...", "field": "..."}`` with HTTP 400, never Infobip's
envelopes, so they cannot be mistaken for gateway answers.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from simulator import control_journal, control_openapi, state
from simulator import scenario as scenario_library
from simulator.api.common import DRIVER, WAKE, sim
from simulator.api.render import dumps, error_json, status_json
from simulator.api.validation import UNPAIRED_SURROGATE, unpaired_surrogate
from simulator.clock import ClockError, ClockMode
from simulator.models import Message
from simulator.queries import MessageFilter, newest_first, take
from simulator.scenario import ScenarioError, list_scenarios, parse_scenario
from simulator.timefmt import (
    DurationFormatError,
    InstantFormatError,
    format_instant,
    parse_duration,
    parse_instant,
)

__all__ = ["WAKE", "ControlError", "add_control_routes", "control_errors"]


class ControlError(Exception):
    def __init__(self, message: str, field: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.field = field
        self.status = status


def _json(body: object, status: int = 200) -> web.Response:
    return web.Response(body=dumps(body), status=status, content_type="application/json")


@web.middleware
async def control_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith("/__sim"):
        return await handler(request)
    try:
        return await handler(request)
    except ControlError as exc:
        return _json({"error": str(exc), "field": exc.field}, exc.status)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return _json({"error": exc.reason, "field": None}, exc.status)


async def read_object(request: web.Request) -> dict[str, Any]:
    """The body as a JSON object (an empty body is ``{}``), or a 400 naming ``body``."""
    try:
        raw = await request.read()
    except ConnectionError:  # the client went away before the whole body arrived
        raise ControlError("the body is truncated: the connection closed", "body") from None
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ControlError(f"the body is not valid JSON: {exc}", "body") from None
    bad_text = unpaired_surrogate(raw, value)
    if bad_text is not None:
        raise ControlError(f"{bad_text} {UNPAIRED_SURROGATE}", "body")
    if not isinstance(value, dict):
        raise ControlError("the body must be a JSON object", "body")
    return value


def _wake(request: web.Request) -> None:
    wake = request.app.get(WAKE)
    if wake is not None:
        wake.set()


def clock_state(request: web.Request) -> dict[str, Any]:
    simulator = sim(request)
    clock, schedule = simulator.clock, simulator.schedule
    next_due = schedule.next_due()
    return {
        "now": format_instant(clock.now()),
        "mode": clock.mode.value,
        "rate": clock.rate,
        "start": format_instant(clock.start),
        "pendingEvents": len(schedule),
        "nextEventAt": None if next_due is None else format_instant(next_due),
    }


async def get_clock(request: web.Request) -> web.Response:
    sim(request).engine.run_due()
    return _json(clock_state(request))


async def advance_clock(request: web.Request) -> web.Response:
    body = await read_object(request)
    driver = request.app[DRIVER]
    engine = sim(request).engine
    await driver.run_due()
    # "is not": a bare 0 ("by": 0, zero seconds) equals False but is a real duration.
    given = [key for key in ("by", "to", "next") if body.get(key) is not None]
    given = [key for key in given if body[key] is not False]
    if len(given) != 1:
        raise ControlError(
            'give exactly one of "by" (e.g. "15m"), "to" (an instant) or "next": true'
        )
    before = engine.fired
    try:
        if "by" in given:
            await driver.advance(parse_duration(body["by"]))
        elif "to" in given:
            if not isinstance(body["to"], str):
                raise ControlError("must be an instant such as 2026-01-01T09:00:00.000+0000", "to")
            await driver.advance_to(parse_instant(body["to"]))
        else:
            if body["next"] is not True:
                raise ControlError("must be true", "next")
            await driver.advance_to_next()
    except DurationFormatError as exc:
        raise ControlError(str(exc), "by") from None
    except InstantFormatError as exc:
        raise ControlError(str(exc), "to") from None
    except ClockError as exc:
        raise ControlError(str(exc), given[0]) from None
    _wake(request)
    return _json({**clock_state(request), "fired": engine.fired - before})


async def set_clock_mode(request: web.Request) -> web.Response:
    body = await read_object(request)
    try:
        mode = ClockMode(str(body.get("mode")))
    except ValueError:
        raise ControlError("must be one of manual, autojump, realtime", "mode") from None
    rate = body.get("rate")
    if rate is not None and (isinstance(rate, bool) or not isinstance(rate, int | float)):
        raise ControlError("must be a positive number", "rate")
    try:
        sim(request).clock.set_mode(mode, rate)
    except ClockError as exc:
        raise ControlError(str(exc), "rate") from None
    _wake(request)
    return _json(clock_state(request))


async def upcoming_events(request: web.Request) -> web.Response:
    simulator = sim(request)
    try:
        limit = max(1, min(int(request.query.get("limit", "100")), 10_000))
    except ValueError:
        raise ControlError("must be an integer", "limit") from None
    events: list[dict[str, Any]] = []
    for event in simulator.schedule:
        if len(events) >= limit:
            break
        payload = event.payload
        events.append(
            {
                "at": format_instant(event.due),
                "kind": event.kind,
                "messageId": payload.message_id if isinstance(payload, Message) else None,
                "to": payload.to if isinstance(payload, Message) else None,
            }
        )
    return _json({"events": events, "total": len(simulator.schedule)})


async def reset(request: web.Request) -> web.Response:
    """Everything back to the start. With tenant isolation on and an ``Authorization``
    header, only that tenant's state is forgotten: the clock is shared and keeps its time."""
    try:
        only = control_journal.scope(request)
    except control_journal.JournalError as exc:
        raise ControlError(str(exc), exc.field) from None
    if only is None:
        sim(request).reset()
    else:
        sim(request).gateway.forget_account(only)
        request.app[DRIVER].dispatcher.forget_account(only)
    _wake(request)
    return _json(clock_state(request))


async def health(request: web.Request) -> web.Response:
    return _json({"status": "ok"})


def message_journal(message: Message) -> dict[str, Any]:
    template = message.template
    return {
        "messageId": message.message_id,
        "bulkId": message.bulk_id,
        "account": message.account,
        "api": template.endpoint,
        "from": template.sender,
        "to": message.to,
        "text": template.text,
        "hex": template.hex,
        "smsCount": template.sms_count,
        "submittedAt": format_instant(message.submitted_at),
        "sendAt": format_instant(message.send_at),
        "sentAt": None if message.sent_at is None else format_instant(message.sent_at),
        "doneAt": None if message.done_at is None else format_instant(message.done_at),
        "expiresAt": format_instant(message.expires_at),
        "final": message.final,
        "status": status_json(message.status),
        "error": error_json(message.error),
        "timeline": [
            {"at": format_instant(at), "status": status.name, "error": error.name}
            for at, status, error in message.history
        ],
    }


async def list_messages(request: web.Request) -> web.Response:
    q = request.query
    criteria = MessageFilter(
        destination=q.get("to") or None,
        sender=q.get("from") or None,
        bulk_ids=frozenset(filter(None, q.getall("bulkId", []))),
        message_ids=frozenset(filter(None, q.getall("messageId", []))),
        status=q.get("status") if q.get("status", "").count("_") else None,
        general_status=q.get("status") if q.get("status") and "_" not in q["status"] else None,
    )
    try:
        limit = max(1, min(int(q.get("limit", "1000")), 100_000))
    except ValueError:
        raise ControlError("must be an integer", "limit") from None
    simulator = sim(request)
    only = control_journal.scope(request)
    found = (
        message
        for key, account in simulator.gateway.accounts.items()
        if only is None or key == only
        for message in newest_first(account.messages, criteria)
    )
    page, more = take(found, limit)
    return _json({"messages": [message_journal(m) for m in page], "more": more})


async def ready(request: web.Request) -> web.Response:
    driver = request.app.get(DRIVER)
    running = driver is not None and driver.dispatcher.session is not None
    return _json({"ready": running}, 200 if running else 503)


async def post_inbound(request: web.Request) -> web.Response:
    body = await read_object(request)
    try:
        response = await control_journal.inject_inbound(request, body)
    except control_journal.JournalError as exc:
        raise ControlError(str(exc), exc.field) from None
    _wake(request)
    return response


def _journal(handler: Handler) -> Handler:
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except control_journal.JournalError as exc:
            raise ControlError(str(exc), exc.field) from None

    return wrapped


async def get_state(request: web.Request) -> web.Response:
    """The whole state as JSON, to be saved and loaded again with ``POST /__sim/state``."""
    await request.app[DRIVER].run_due()
    body = state.export_state(sim(request), request.app[DRIVER].dispatcher)
    return web.Response(body=state.dumps(body), content_type="application/json")


async def put_state(request: web.Request) -> web.Response:
    body = await read_object(request)
    try:
        state.import_state(sim(request), body, request.app[DRIVER].dispatcher)
    except state.StateError as exc:
        raise ControlError(str(exc), "body") from None
    _wake(request)
    return _json(clock_state(request))


def _scenario_info(request: web.Request) -> dict[str, Any]:
    scenario = sim(request).scenario
    if scenario is None:
        return {"scenario": None, "description": "the built-in default behaviour"}
    return {"scenario": scenario.name, "description": getattr(scenario, "description", None)}


async def get_scenario(request: web.Request) -> web.Response:
    return _json(_scenario_info(request))


async def list_library(request: web.Request) -> web.Response:
    return _json({"scenarios": list(list_scenarios())})


async def load_scenario(request: web.Request) -> web.Response:
    """``{"name": "absent_subscriber"}`` (the shipped library), ``{"yaml": "..."}`` (inline),
    or ``{"name": null}`` (back to the built-in default). Loading resets everything.

    Paths on the server's disk are deliberately not accepted over HTTP; send the YAML inline.
    """
    body = await read_object(request)
    if "yaml" in body:
        if not isinstance(body["yaml"], str):
            raise ControlError("must be a YAML document as a string", "yaml")
        try:
            scenario = parse_scenario(body["yaml"], source="<control plane>")
        except ScenarioError as exc:
            raise ControlError(str(exc), "yaml") from None
    elif "name" in body:
        name = body["name"]
        if name is None:
            scenario = None
        elif not isinstance(name, str) or name not in list_scenarios():
            raise ControlError(
                f"no scenario named {name!r} in the library; choose one of "
                f'{", ".join(list_scenarios())}, or send the YAML inline as "yaml"',
                "name",
            )
        else:
            scenario = scenario_library.load_scenario(name)
    else:
        raise ControlError('give "name" (a library scenario, or null) or "yaml"', "body")
    sim(request).load(scenario)
    _wake(request)
    return _json({**_scenario_info(request), **clock_state(request)})


def add_control_routes(app: web.Application) -> None:
    app.router.add_get("/__sim/clock", get_clock)
    app.router.add_post("/__sim/clock/advance", advance_clock)
    app.router.add_post("/__sim/clock/mode", set_clock_mode)
    app.router.add_get("/__sim/events", upcoming_events)
    app.router.add_post("/__sim/reset", reset)
    app.router.add_get("/__sim/health", health)
    app.router.add_get("/__sim/messages", _journal(list_messages))
    app.router.add_get("/__sim/requests", _journal(control_journal.list_requests))
    app.router.add_get("/__sim/webhooks", _journal(control_journal.list_webhooks))
    app.router.add_get("/__sim/inbound", _journal(control_journal.list_inbound))
    app.router.add_post("/__sim/inbound", post_inbound)
    app.router.add_get("/__sim/ready", ready)
    app.router.add_get("/__sim/openapi.json", control_openapi.openapi)
    app.router.add_get("/__sim/scenario", get_scenario)
    app.router.add_post("/__sim/scenario", load_scenario)
    app.router.add_get("/__sim/scenarios", list_library)
    app.router.add_get("/__sim/state", get_state)
    app.router.add_post("/__sim/state", put_state)
