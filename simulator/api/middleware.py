"""One middleware for the Infobip surface: authentication, errors in the family envelope,
and keeping the schedule current around every request.

Before a request, every event already due is fired (in realtime mode time moves by itself);
after it, events it made due now (an immediate send) are fired too.
"""

from __future__ import annotations

import logging
import time

from aiohttp import web
from aiohttp.typedefs import Handler

from simulator.api.auth import authenticate, parse_authorization, query_identity
from simulator.api.common import ACCOUNT_KEY, sim, wake
from simulator.api.envelopes import error_body
from simulator.api.routes import endpoint_for
from simulator.clock import ClockMode, real_delay
from simulator.core import Simulator
from simulator.errors import (
    BadRequest,
    InfobipError,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from simulator.faults import error_for

log = logging.getLogger("simulator.api")

CONTROL_PREFIX = "/__sim"
_BY_STATUS: dict[int, type[InfobipError]] = {
    400: BadRequest,
    404: NotFound,
    405: MethodNotAllowed,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
}


def render_error(error: InfobipError, path: str) -> web.Response:
    return web.Response(
        body=error_body(error, path),
        status=error.http_status,
        content_type="application/json",
        headers=error.headers,
    )


def is_control(path: str) -> bool:
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")


@web.middleware
async def infobip_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if is_control(request.path) or request.path in ("/", "/favicon.ico"):
        return await handler(request)
    simulator = sim(request)
    at = simulator.clock.now()
    started = time.perf_counter()  # recorded latency only
    response = await _serve(request, handler, simulator)
    account = request.get(ACCOUNT_KEY)
    simulator.requests.record(
        at,
        None if account is None else account.key,
        request.method,
        request.path,
        request.query_string,
        response.status,
        getattr(request, "_read_bytes", None) or b"",
        (time.perf_counter() - started) * 1000,
    )
    return response


async def _serve(
    request: web.Request, handler: Handler, simulator: Simulator
) -> web.StreamResponse:
    try:
        endpoint = endpoint_for(request)
        if endpoint is None:
            exc = request.match_info.http_exception
            if isinstance(exc, web.HTTPMethodNotAllowed):
                allowed = ", ".join(sorted(exc.allowed_methods))
                raise MethodNotAllowed(
                    f"Method {request.method} is not allowed here; use {allowed}.",
                    headers={"Allow": allowed},  # RFC 9110: a 405 must list them
                )
            raise NotFound(f"No Infobip SMS endpoint at {request.method} {request.path}")
        if endpoint.query_auth:
            identity = query_identity(request.query)
        else:
            identity = parse_authorization(request.headers.get("Authorization"))
        identity = authenticate(identity, simulator.config.credentials, endpoint.scopes)
        request[ACCOUNT_KEY] = simulator.gateway.account(identity.account_key)
        if simulator.faults is not None:
            decision = simulator.faults.decide(request.method, endpoint.path, simulator.clock.now())
            if decision is not None:
                if decision.latency > 0:
                    await real_delay(decision.latency)
                if decision.status is not None:
                    raise error_for(decision)
        simulator.engine.run_due()
        response = await handler(request)
        simulator.engine.run_due()
        if simulator.clock.mode is not ClockMode.MANUAL:
            wake(request)  # the pump (realtime, autojump) must see what this request scheduled
        return response
    except InfobipError as error:
        return render_error(error, request.path)
    except web.HTTPException as exc:
        kind = _BY_STATUS.get(exc.status, BadRequest)
        return render_error(kind(exc.reason if exc.status != 413 else None), request.path)
    except Exception:
        log.exception("internal error serving %s %s", request.method, request.path)
        return render_error(InfobipError(), request.path)
