"""``/sms/1/bulks`` and ``/sms/1/bulks/status``: read, reschedule, pause, resume, cancel."""

from __future__ import annotations

from aiohttp import web

from simulator.api.common import account, answer, read_json, sim
from simulator.errors import BadRequest
from simulator.models import Bulk, BulkStatus
from simulator.timefmt import format_instant


def _bulk_id(request: web.Request) -> str:
    bulk_id = request.query.get("bulkId", "").strip()
    if not bulk_id:
        raise BadRequest(violations=[("bulkId", "must not be blank")])
    return bulk_id


def _schedule_body(bulk: Bulk) -> dict[str, str]:
    return {"bulkId": bulk.bulk_id, "sendAt": format_instant(bulk.send_at)}


def _status_body(bulk: Bulk) -> dict[str, str]:
    return {"bulkId": bulk.bulk_id, "status": bulk.status.value}


async def get_bulk(request: web.Request) -> web.Response:
    gateway = sim(request).gateway
    return answer(_schedule_body(gateway.find_bulk(account(request), _bulk_id(request))))


async def reschedule_bulk(request: web.Request) -> web.Response:
    bulk_id = _bulk_id(request)
    body = await read_json(request)
    send_at = body.instant("sendAt", required=True)
    body.problems.raise_if_any()
    assert send_at is not None
    bulk = sim(request).gateway.reschedule_bulk(account(request), bulk_id, send_at)
    return answer(_schedule_body(bulk))


async def get_bulk_status(request: web.Request) -> web.Response:
    gateway = sim(request).gateway
    return answer(_status_body(gateway.find_bulk(account(request), _bulk_id(request))))


async def update_bulk_status(request: web.Request) -> web.Response:
    bulk_id = _bulk_id(request)
    body = await read_json(request)
    target = body.enum("status", [s.value for s in BulkStatus], required=True)
    body.problems.raise_if_any()
    assert target is not None
    bulk = sim(request).gateway.set_bulk_status(account(request), bulk_id, BulkStatus(target))
    return answer(_status_body(bulk))
