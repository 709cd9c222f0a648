"""Control plane: paged, searchable views for people (the web console) and scripts.

* ``GET /__sim/browse/messages?q=&status=&bulkId=&offset=&limit=``: messages newest first.
  ``q`` matches part of the number, sender, text, bulk id, message id or status name (any
  case); ``status`` is a status name (``DELIVERED_TO_HANDSET``) or group (``DELIVERED``).
  Each message is the journal entry of ``GET /__sim/messages`` plus ``lifecycle``: submitted,
  scheduled send, sent, every status change and report, every webhook attempt with its
  response code, and the validity end, in time order; future entries say so.
* ``GET /__sim/browse/events?offset=&limit=``: the schedule of future events, each with a
  line saying what it will do (``→ DELIVERED_TO_HANDSET``).
* ``GET /__sim/browse/webhooks?state=&kind=&q=&offset=&limit=``: webhook pushes newest
  first, with request body and every attempt's response.

Every answer carries ``total`` (matches before paging), ``offset`` and ``limit``.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from typing import Any

from aiohttp import web

from simulator.accounts import Account
from simulator.api.common import DRIVER, sim
from simulator.api.render import dumps
from simulator.control import message_journal
from simulator.control_bulks import account_scope, page_bounds, scoped_accounts
from simulator.dispatch import Push
from simulator.models import InboundMessage, Message
from simulator.status import NO_ERROR
from simulator.timefmt import Millis, format_instant

JSON = dict[str, Any]

_ORDER = {"submitted": 0, "scheduled": 1, "sent": 2, "status": 3, "report": 3, "webhook": 4}


def _json(body: object) -> web.Response:
    return web.Response(body=dumps(body), content_type="application/json")


def _newest_first(accounts: list[Account]) -> Iterator[Message]:
    if len(accounts) == 1:
        return reversed(accounts[0].messages)
    return heapq.merge(*(reversed(a.messages) for a in accounts), key=lambda m: -m.seq)


def _matches(message: Message, needle: str, status: str | None, bulk_id: str | None) -> bool:
    if bulk_id is not None and message.bulk_id != bulk_id:
        return False
    if status is not None and status not in (message.status.name, message.status.group_name):
        return False
    if not needle:
        return True
    template = message.template
    return any(
        needle in value.lower()
        for value in (
            message.to,
            template.sender or "",
            template.text or "",
            message.bulk_id,
            message.message_id,
            message.status.name,
        )
    )


def lifecycle(message: Message, pushes: Iterable[Push], now: Millis) -> list[JSON]:
    """Everything that happened to ``message``, and what is still to come, in time order."""
    entries: list[tuple[Millis, int, int, JSON]] = []

    def add(at: Millis, kind: str, label: str, *, coming: bool = True, **extra: Any) -> None:
        entry = {
            "at": format_instant(at),
            "kind": kind,
            "label": label,
            "future": coming and at > now,
        }
        entries.append((at, _ORDER.get(kind, 5), len(entries), {**entry, **extra}))

    submitted, *changes = message.history
    add(submitted[0], "submitted", f"submitted via {message.template.endpoint}")
    if message.send_at > message.submitted_at:
        if message.is_sent:
            add(message.send_at, "scheduled", "sent as scheduled")
        elif message.final:
            add(message.send_at, "scheduled", "was scheduled to send (never sent)", coming=False)
        else:
            add(message.send_at, "scheduled", "scheduled to send")
    if message.sent_at is not None:
        add(message.sent_at, "sent", "left for the operator")
    for at, status, error in changes:
        kind = "status" if status.is_pending else "report"
        extra: JSON = {"status": status.name, "group": status.group_name}
        if error is not NO_ERROR:
            extra["error"] = error.name
        add(at, kind, status.name, **extra)
    for push in pushes:
        for attempt in push.attempts:
            if attempt.status is not None:
                outcome = f"HTTP {attempt.status}"
            else:
                outcome = attempt.error or "in flight"
            add(
                attempt.at,
                "webhook",
                f"webhook attempt {attempt.number} → {outcome}",
                url=push.url,
                pushId=push.id,
                httpStatus=attempt.status,
            )
        if push.next_attempt_at is not None:
            add(push.next_attempt_at, "webhook", "webhook retry", url=push.url, pushId=push.id)
    if not message.final:
        add(message.expires_at, "expiry", "validity ends (expires unless delivered)")
    entries.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in entries]


def _pushes_by_message(pushes: Iterable[Push], wanted: set[str]) -> dict[str, list[Push]]:
    found: dict[str, list[Push]] = {}
    for push in pushes:
        for message_id in push.message_ids:
            if message_id in wanted:
                found.setdefault(message_id, []).append(push)
    return found


async def browse_messages(request: web.Request) -> web.Response:
    q = request.query
    offset, limit = page_bounds(request)
    needle = (q.get("q") or "").strip().lower()
    status = (q.get("status") or "").strip().upper() or None
    bulk_id = (q.get("bulkId") or "").strip() or None
    accounts = scoped_accounts(request, q.get("account") or None)
    page: list[Message] = []
    total = 0
    for message in _newest_first(accounts):
        if _matches(message, needle, status, bulk_id):
            if offset <= total < offset + limit:
                page.append(message)
            total += 1
    dispatcher = request.app[DRIVER].dispatcher
    pushes = _pushes_by_message(dispatcher.pushes, {m.message_id for m in page})
    now = sim(request).clock.now()
    return _json(
        {
            "messages": [
                {
                    **message_journal(m),
                    "lifecycle": lifecycle(m, pushes.get(m.message_id, ()), now),
                }
                for m in page
            ],
            "total": total,
            "offset": offset,
            "limit": limit,
        }
    )


def event_detail(kind: str, payload: object) -> str:
    """One line saying what a scheduled event will do."""
    if isinstance(payload, Message):
        if kind == "send":
            return f"send to {payload.to}"
        if kind == "expire":
            return f"{payload.to}: validity ends → EXPIRED_EXPIRED"
        if kind == "step":
            steps = getattr(payload.outcome, "steps", ())
            if payload.step < len(steps):
                return f"{payload.to} → {steps[payload.step].status.name}"
        return payload.to
    if isinstance(payload, InboundMessage):
        return f"inbound from {payload.sender} to {payload.to}"
    if kind == "webhook-batch":
        return "push webhooks"
    if kind == "webhook-retry":
        return "retry a webhook push"
    return kind


async def browse_events(request: web.Request) -> web.Response:
    offset, limit = page_bounds(request)
    schedule = sim(request).schedule
    events: list[JSON] = []
    for index, event in enumerate(schedule):
        if index >= offset + limit:
            break
        if index < offset:
            continue
        payload = event.payload
        message = payload if isinstance(payload, Message) else None
        events.append(
            {
                "at": format_instant(event.due),
                "kind": event.kind,
                "detail": event_detail(event.kind, payload),
                "messageId": None if message is None else message.message_id,
                "bulkId": None if message is None else message.bulk_id,
                "to": None if message is None else message.to,
            }
        )
    return _json({"events": events, "total": len(schedule), "offset": offset, "limit": limit})


def _push_matches(push: Push, state: str | None, kind: str | None, needle: str) -> bool:
    return (
        (state is None or push.state == state)
        and (kind is None or push.kind == kind)
        and (not needle or needle in push.url.lower() or any(needle in m for m in push.message_ids))
    )


async def browse_webhooks(request: web.Request) -> web.Response:
    q = request.query
    offset, limit = page_bounds(request, default_limit=50)
    state = (q.get("state") or "").strip() or None
    kind = (q.get("kind") or "").strip() or None
    needle = (q.get("q") or "").strip().lower()
    only = account_scope(request, q.get("account") or None)
    found = [
        push
        for push in reversed(request.app[DRIVER].dispatcher.pushes)
        if (only is None or push.account == only) and _push_matches(push, state, kind, needle)
    ]
    return _json(
        {
            "webhooks": [push.to_json() for push in found[offset : offset + limit]],
            "total": len(found),
            "offset": offset,
            "limit": limit,
        }
    )


def add_browse_routes(app: web.Application) -> None:
    app.router.add_get("/__sim/browse/messages", browse_messages)
    app.router.add_get("/__sim/browse/events", browse_events)
    app.router.add_get("/__sim/browse/webhooks", browse_webhooks)
