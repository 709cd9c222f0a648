"""Control plane: bulks. List them, and pause, resume, cancel or reschedule one.

``GET /__sim/bulks`` lists every bulk, newest first, with its status and send time;
``status`` (``PENDING``, ``PAUSED``, ...) and ``q`` (part of a bulk id) filter it, ``offset``
and ``limit`` page it. ``POST /__sim/bulks/{bulkId}/status`` takes ``{"status": "PAUSED"}``
(``PENDING`` resumes, ``CANCELED`` cancels) and ``POST /__sim/bulks/{bulkId}/reschedule`` takes
``{"sendAt": "<instant>"}``. Both go through the gateway, so the rules are exactly those of
Infobip's ``PUT /sms/1/bulks/status`` and ``PUT /sms/1/bulks`` (:mod:`simulator.bulkops`);
a refusal is answered with the same text and HTTP status, in the control plane's
``{"error", "field"}`` shape.

With tenant isolation on, bulks live per account: a request may name one with ``account``
(query or body) or an Infobip ``Authorization`` header; without either, a bulk id is looked
up in every account.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from aiohttp import web

from simulator import control_journal
from simulator.accounts import Account
from simulator.api.common import DRIVER, sim
from simulator.api.render import dumps
from simulator.control import WAKE, ControlError, read_object
from simulator.errors import InfobipError
from simulator.models import Bulk, BulkStatus
from simulator.timefmt import InstantFormatError, format_instant, parse_instant


def _json(body: object, status: int = 200) -> web.Response:
    return web.Response(body=dumps(body), status=status, content_type="application/json")


def page_bounds(request: web.Request, default_limit: int = 100) -> tuple[int, int]:
    """``offset`` (0 or more) and ``limit`` (1 to 1000) from the query string."""
    q = request.query
    try:
        offset = int(q.get("offset") or 0)
    except ValueError:
        raise ControlError("must be an integer", "offset") from None
    try:
        limit = int(q.get("limit") or default_limit)
    except ValueError:
        raise ControlError("must be an integer", "limit") from None
    if offset < 0:
        raise ControlError("must be 0 or more", "offset")
    if offset >= 2**63:  # answered back as an int64
        raise ControlError("is out of range for a 64-bit integer", "offset")
    if not 1 <= limit <= 1000:
        raise ControlError("must be between 1 and 1000", "limit")
    return offset, limit


def account_scope(request: web.Request, name: str | None = None) -> str | None:
    """The account a control request is limited to (its Authorization header, else the one
    it names), or None for all of them."""
    try:
        return control_journal.scope(request) or name
    except control_journal.JournalError as exc:
        raise ControlError(str(exc), exc.field) from None


def scoped_accounts(request: web.Request, name: str | None = None) -> list[Account]:
    """The accounts a control request may see (see :func:`account_scope`)."""
    only = account_scope(request, name)
    accounts = sim(request).gateway.accounts
    if only is None:
        return list(accounts.values())
    return [accounts[only]] if only in accounts else []


def bulk_json(bulk: Bulk) -> dict[str, Any]:
    groups = Counter(message.status.group_name for message in bulk.messages)
    return {
        "bulkId": bulk.bulk_id,
        "account": bulk.account,
        "status": bulk.status.value,
        "sendAt": format_instant(bulk.send_at),
        "createdAt": format_instant(bulk.created_at),
        "messageCount": len(bulk.messages),
        "unsent": bulk.unsent,
        "messageObjects": bulk.message_objects,
        "statuses": dict(sorted(groups.items())),
    }


def _newest_first(accounts: list[Account]) -> Iterator[Bulk]:
    bulks = [bulk for account in accounts for bulk in account.bulks.values()]
    # Stable: bulks created at the same instant keep their reverse creation order.
    bulks.reverse()
    bulks.sort(key=lambda bulk: bulk.created_at, reverse=True)
    return iter(bulks)


async def list_bulks(request: web.Request) -> web.Response:
    q = request.query
    offset, limit = page_bounds(request)
    status = (q.get("status") or "").strip().upper() or None
    if status is not None and status not in BulkStatus.__members__:
        raise ControlError(f"must be one of {', '.join(BulkStatus)}", "status")
    needle = (q.get("q") or "").strip().lower()
    found = [
        bulk
        for bulk in _newest_first(scoped_accounts(request, q.get("account") or None))
        if (status is None or bulk.status.value == status) and needle in bulk.bulk_id.lower()
    ]
    return _json(
        {
            "bulks": [bulk_json(bulk) for bulk in found[offset : offset + limit]],
            "total": len(found),
            "offset": offset,
            "limit": limit,
        }
    )


def _owner(request: web.Request, bulk_id: str, account: object) -> Account:
    """The account holding ``bulk_id``; a 404 as Infobip's when none does."""
    if account is not None and not isinstance(account, str):
        raise ControlError("must be a string", "account")
    holders = [a for a in scoped_accounts(request, account) if bulk_id in a.bulks]
    if not holders:
        raise ControlError("Bulk not found", None, 404)
    if len(holders) > 1:
        raise ControlError(
            f'bulk {bulk_id} exists in several accounts; name one with "account"', "account"
        )
    return holders[0]


def _refusal(exc: InfobipError) -> ControlError:
    """An Infobip refusal in the control plane's shape, same text and HTTP status."""
    if exc.violations:
        field, problem = exc.violations[0]
        return ControlError(problem, field, exc.http_status)
    return ControlError(exc.text, None, exc.http_status)


async def _settle(request: web.Request) -> None:
    """Fire what the change made due now (a resume sends at once) and wake the pump."""
    await request.app[DRIVER].run_due()
    wake = request.app.get(WAKE)
    if wake is not None:
        wake.set()


async def set_status(request: web.Request) -> web.Response:
    bulk_id = request.match_info["bulkId"]
    body = await read_object(request)
    raw = body.get("status")
    if not isinstance(raw, str) or raw.strip().upper() not in BulkStatus.__members__:
        raise ControlError("must be one of PENDING (resume), PAUSED or CANCELED", "status")
    await request.app[DRIVER].run_due()
    account = _owner(request, bulk_id, body.get("account"))
    try:
        bulk = sim(request).gateway.set_bulk_status(
            account, bulk_id, BulkStatus(raw.strip().upper())
        )
    except InfobipError as exc:
        raise _refusal(exc) from None
    await _settle(request)
    return _json(bulk_json(bulk))


async def reschedule(request: web.Request) -> web.Response:
    bulk_id = request.match_info["bulkId"]
    body = await read_object(request)
    raw = body.get("sendAt")
    if not isinstance(raw, str) or not raw.strip():
        raise ControlError("must be a date-time such as 2026-01-01T10:00:00.000+0000", "sendAt")
    try:
        send_at = parse_instant(raw)
    except InstantFormatError as exc:
        raise ControlError(str(exc), "sendAt") from None
    await request.app[DRIVER].run_due()
    account = _owner(request, bulk_id, body.get("account"))
    try:
        bulk = sim(request).gateway.reschedule_bulk(account, bulk_id, send_at)
    except InfobipError as exc:
        raise _refusal(exc) from None
    await _settle(request)
    return _json(bulk_json(bulk))


def add_bulk_routes(app: web.Application) -> None:
    app.router.add_get("/__sim/bulks", list_bulks)
    app.router.add_post("/__sim/bulks/{bulkId}/status", set_status)
    app.router.add_post("/__sim/bulks/{bulkId}/reschedule", reschedule)
