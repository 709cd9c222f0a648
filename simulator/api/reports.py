"""Delivery reports, logs and inbound messages: the pull endpoints.

Reports and inbound messages are each returned once (a queue per account); logs can be read
any number of times. Only the last 48 hours are kept readable, as on the real gateway.
"""

from __future__ import annotations

import base64
import binascii

from aiohttp import web

from simulator.api import render
from simulator.api.common import account, answer, query_limit, query_list, sim
from simulator.api.validation import Problems
from simulator.models import Message, Report
from simulator.queries import MessageFilter, newest_first, take
from simulator.status import STATUS_GROUPS
from simulator.timefmt import InstantFormatError, Millis, parse_instant

GENERAL_STATUSES = tuple(STATUS_GROUPS.values())


def _pull(request: web.Request) -> list[Report]:
    problems = Problems()
    limit = query_limit(request, problems)
    problems.raise_if_any()
    q = request.query
    return sim(request).gateway.pull_reports(
        account(request),
        limit,
        bulk_id=q.get("bulkId") or None,
        message_id=q.get("messageId") or None,
        entity_id=q.get("entityId") or None,
        application_id=q.get("applicationId") or None,
        campaign_reference_id=q.get("campaignReferenceId") or None,
    )


async def reports_v3(request: web.Request) -> web.Response:
    return answer({"results": [render.v3_report(r) for r in _pull(request)]})


async def reports_v1(request: web.Request) -> web.Response:
    return answer({"results": [render.v1_report(r) for r in _pull(request)]})


def _instant(request: web.Request, name: str, problems: Problems) -> Millis | None:
    raw = request.query.get(name)
    if not raw:
        return None
    try:
        return parse_instant(raw)
    except InstantFormatError:
        problems.add(name, "must be a date-time such as 2020-02-22T17:42:05.390+01:00")
        return None


def _encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode().rstrip("=")


def _decode_cursor(raw: str, problems: Problems) -> int | None:
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        if text.startswith("seq:"):
            return int(text[4:])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    problems.add("cursor", "is not a cursor returned by a previous call")
    return None


def _log_filter(request: web.Request, problems: Problems, v3: bool) -> MessageFilter:
    q = request.query
    status = q.get("generalStatus") or None
    if status is not None and status not in GENERAL_STATUSES:
        problems.add("generalStatus", f"must be one of [{', '.join(GENERAL_STATUSES)}]")
    if q.get("mnc") and not q.get("mcc"):
        problems.add("mnc", "requires mcc")
    cursor = q.get("cursor")
    return MessageFilter(
        sender=(q.get("sender") if v3 else q.get("from")) or None,
        destination=(q.get("destination") if v3 else q.get("to")) or None,
        bulk_ids=frozenset(query_list(request, "bulkId")),
        message_ids=frozenset(query_list(request, "messageId")),
        general_status=status,
        sent_since=_instant(request, "sentSince", problems),
        sent_until=_instant(request, "sentUntil", problems),
        mcc=q.get("mcc") or None,
        mnc=q.get("mnc") or None,
        entity_id=q.get("entityId") or None,
        application_id=q.get("applicationId") or None,
        campaign_reference_ids=frozenset(query_list(request, "campaignReferenceId")),
        before_seq=_decode_cursor(cursor, problems) if (v3 and cursor) else None,
    )


def _logs(request: web.Request, v3: bool) -> tuple[list[Message], bool, int]:
    problems = Problems()
    limit = query_limit(request, problems)
    criteria = _log_filter(request, problems, v3)
    if v3 and request.query.get("useCursor", "").strip().lower() not in ("", "true", "false"):
        problems.add("useCursor", "must be a boolean")  # "yes" would silently mean no cursor
    problems.raise_if_any()
    simulator = sim(request)
    since = simulator.clock.now() - simulator.config.report_retention
    found = newest_first(account(request).messages, criteria, since=since)
    page, more = take(found, limit)
    return page, more, limit


async def logs_v3(request: web.Request) -> web.Response:
    page, more, limit = _logs(request, v3=True)
    body: dict[str, object] = {"results": [render.v3_log(m) for m in page]}
    if request.query.get("useCursor", "").lower() == "true" or request.query.get("cursor"):
        cursor: dict[str, object] = {"limit": limit}
        if more and page:
            cursor["nextCursor"] = _encode_cursor(page[-1].seq)
        body["cursor"] = cursor
    return answer(body)


async def logs_v1(request: web.Request) -> web.Response:
    """Deprecated since 2024-05-16T12:00:00Z (the spec's ``x-deprecationInformation``)."""
    page, _, _ = _logs(request, v3=False)
    return answer(
        {"results": [render.v1_log(m) for m in page]}, headers={"Deprecation": "@1715860800"}
    )


async def inbox(request: web.Request) -> web.Response:
    problems = Problems()
    limit = query_limit(request, problems)
    problems.raise_if_any()
    queue = account(request).inbox
    since = sim(request).clock.now() - sim(request).config.report_retention
    while queue and queue[0].received_at < since:
        queue.popleft()
    taken = [queue.popleft() for _ in range(min(limit, len(queue)))]
    return answer(
        {
            "results": [render.inbound(m) for m in taken],
            "messageCount": len(taken),
            "pendingMessageCount": len(queue),
        }
    )
