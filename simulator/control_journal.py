"""Control plane: what happened. Requests received, webhook pushes with every attempt,
inbound messages (and injecting them).

With tenant isolation on, a control-plane request that carries an Infobip ``Authorization``
header sees (and injects into) only that key's account.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from simulator.api.auth import parse_authorization
from simulator.api.common import DRIVER, sim
from simulator.api.render import dumps, inbound
from simulator.errors import Unauthorized
from simulator.timefmt import InstantFormatError, parse_instant


class JournalError(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _json(body: object, status: int = 200) -> web.Response:
    return web.Response(body=dumps(body), status=status, content_type="application/json")


def scope(request: web.Request) -> str | None:
    """The account a control request is limited to, or None for all of them."""
    simulator = sim(request)
    header = request.headers.get("Authorization")
    if not simulator.config.isolate_tenants or not header:
        return None
    try:
        identity = parse_authorization(header)
    except Unauthorized:
        raise JournalError("the Authorization header is malformed", "Authorization") from None
    return simulator.gateway.account(identity.account_key).key


def _limit(request: web.Request, default: int = 1000) -> int:
    try:
        return max(1, min(int(request.query.get("limit", str(default))), 100_000))
    except ValueError:
        raise JournalError("must be an integer", "limit") from None


async def list_requests(request: web.Request) -> web.Response:
    account = scope(request)
    path = request.query.get("path")
    records = [
        r
        for r in reversed(sim(request).requests.records)
        if (account is None or r.account == account) and (path is None or r.path == path)
    ][: _limit(request)]
    return _json({"requests": [r.to_json() for r in records]})


async def list_webhooks(request: web.Request) -> web.Response:
    account = scope(request)
    dispatcher = request.app[DRIVER].dispatcher
    q = request.query
    pushes = [
        p
        for p in reversed(dispatcher.pushes)
        if (account is None or p.account == account)
        and (not q.get("state") or p.state == q["state"])
        and (not q.get("url") or p.url == q["url"])
        and (not q.get("kind") or p.kind == q["kind"])
        and (not q.get("messageId") or q["messageId"] in p.message_ids)
    ][: _limit(request)]
    return _json({"webhooks": [p.to_json() for p in pushes]})


async def list_inbound(request: web.Request) -> web.Response:
    account = scope(request)
    simulator = sim(request)
    found: list[dict[str, Any]] = []
    for key, each in simulator.gateway.accounts.items():
        if account is None or key == account:
            found.extend({**inbound(m), "account": key} for m in each.inbound)
    return _json({"inbound": found[-_limit(request) :]})


def _optional_text(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    return None if value is None else _text(body, key)


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise JournalError("must be a non-empty string", key)
    if len(value) > 4096:
        raise JournalError("must be at most 4096 characters", key)
    return value


async def inject_inbound(request: web.Request, body: dict[str, Any]) -> web.Response:
    """``POST /__sim/inbound``: ``{"from", "to", "text", "at"?, "messageId"?, "account"?}``."""
    sender, to, text = _text(body, "from"), _text(body, "to"), _text(body, "text")
    at_raw = _optional_text(body, "at")
    message_id = _optional_text(body, "messageId")
    simulator = sim(request)
    at = None
    if at_raw is not None:
        try:
            at = parse_instant(at_raw)
        except InstantFormatError as exc:
            raise JournalError(str(exc), "at") from None
        if at < simulator.clock.now():
            raise JournalError("must not be in the past (the clock never goes back)", "at")
    account_key = scope(request) or _optional_text(body, "account")
    account = simulator.gateway.account(account_key)
    message = simulator.gateway.receive_inbound(
        account, sender, to, text, at=at, message_id=message_id
    )
    await request.app[DRIVER].run_due()
    return _json({**inbound(message), "account": account.key})
