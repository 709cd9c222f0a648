"""What every request goes through: authentication, errors in the family envelope, and
keeping the schedule current around every Infobip request; the control-plane guards.

Before an Infobip request, every event already due is fired (in realtime mode time moves by
itself); after it, events it made due now (an immediate send) are fired too.

Each Infobip endpoint's handler is wrapped with all of that once, when it is registered
(:func:`infobip_handler`), so a request to it pays for no lookup and no extra middleware
layer. The application's one middleware (:func:`surface_middleware`) lets those straight
through; it guards the control plane (the control token, then the control-plane error
bodies) and answers, in the Infobip envelope, what matched no endpoint (404, 405).
"""

from __future__ import annotations

import logging
import time

from aiohttp import web
from aiohttp.typedefs import Handler

from simulator.api.auth import authenticate, parse_authorization, query_identity
from simulator.api.common import ACCOUNT_KEY, SIMULATOR, wake
from simulator.api.envelopes import error_body
from simulator.api.routes import Endpoint
from simulator.clock import ClockMode, real_delay
from simulator.control import control_errors
from simulator.control_auth import control_token_middleware
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
_MARK = "__sms_sim_infobip__"
"""Set on the handlers :func:`infobip_handler` made: the middleware passes them straight on
(an attribute, not a registry: apps made and dropped by the thousand in tests leak nothing)."""


def render_error(error: InfobipError, path: str) -> web.Response:
    return web.Response(
        body=error_body(error, path),
        status=error.http_status,
        content_type="application/json",
        headers=error.headers,
    )


def is_control(path: str) -> bool:
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")


def _record(
    simulator: Simulator,
    request: web.Request,
    at: int,
    status: int,
    started: float,
) -> None:
    account = request.get(ACCOUNT_KEY)
    simulator.requests.record(
        at,
        None if account is None else account.key,
        request.method,
        request.path,
        request.query_string,
        status,
        getattr(request, "_read_bytes", None) or b"",
        (time.perf_counter() - started) * 1000,  # recorded latency only
    )


def infobip_handler(endpoint: Endpoint) -> Handler:
    """``endpoint``'s handler with authentication, faults, the schedule kept current, errors
    in the family envelope and the request journal."""
    handler = endpoint.handler
    scopes = endpoint.scopes
    query_auth = endpoint.query_auth
    fault_path = endpoint.path

    async def serve(request: web.Request) -> web.StreamResponse:
        simulator = request.app[SIMULATOR]
        clock = simulator.clock
        at = clock.now()
        started = time.perf_counter()  # recorded latency only
        try:
            if query_auth:
                identity = query_identity(request.query)
            else:
                identity = parse_authorization(request.headers.get("Authorization"))
            credentials = simulator.config.credentials
            if credentials:
                identity = authenticate(identity, credentials, scopes)
            account = simulator.gateway.account(identity.account_key)
            request[ACCOUNT_KEY] = account
            if simulator.faults is not None:
                decision = simulator.faults.decide(request.method, fault_path, clock.now())
                if decision is not None:
                    if decision.latency > 0:
                        await real_delay(decision.latency)
                    if decision.status is not None:
                        raise error_for(decision)
            engine = simulator.engine
            engine.run_due()
            response = await handler(request)
            engine.run_due()
            if clock.mode is not ClockMode.MANUAL:
                wake(request)  # the pump (realtime, autojump) must see what this request scheduled
        except Exception as exc:
            response = _error_response(request, exc)
        _record(simulator, request, at, response.status, started)
        return response

    serve.__name__ = serve.__qualname__ = getattr(handler, "__name__", "serve")
    serve.__doc__ = handler.__doc__
    serve.__dict__[_MARK] = True
    return serve


def _error_response(request: web.Request, exc: Exception) -> web.Response:
    if isinstance(exc, InfobipError):
        return render_error(exc, request.path)
    if isinstance(exc, web.HTTPException):
        kind = _BY_STATUS.get(exc.status, BadRequest)
        return render_error(kind(exc.reason if exc.status != 413 else None), request.path)
    log.exception("internal error serving %s %s", request.method, request.path, exc_info=exc)
    return render_error(InfobipError(), request.path)


@web.middleware
async def surface_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if getattr(handler, _MARK, False):
        return await handler(request)
    if is_control(request.path):

        async def guarded(request: web.Request) -> web.StreamResponse:
            return await control_errors(request, handler)

        return await control_token_middleware(request, guarded)
    return await infobip_middleware(request, handler)


async def infobip_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A request outside the control plane that no wrapped handler took: the console's ``/``
    and ``/favicon.ico`` pass; anything else (no route, a wrong method) is answered in the
    Infobip envelope and journaled."""
    path = request.path
    if path in ("/", "/favicon.ico"):
        return await handler(request)
    simulator = request.app[SIMULATOR]
    at = simulator.clock.now()
    started = time.perf_counter()  # recorded latency only
    exc = request.match_info.http_exception
    error: InfobipError
    if isinstance(exc, web.HTTPMethodNotAllowed):
        allowed = ", ".join(sorted(exc.allowed_methods))
        error = MethodNotAllowed(
            f"Method {request.method} is not allowed here; use {allowed}.",
            headers={"Allow": allowed},  # RFC 9110: a 405 must list them
        )
    else:
        error = NotFound(f"No Infobip SMS endpoint at {request.method} {path}")
    response = render_error(error, path)
    _record(simulator, request, at, response.status, started)
    return response
