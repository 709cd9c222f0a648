"""An optional token guarding the control plane (``/__sim/``).

With :attr:`SimulatorConfig.control_token` set (``sms-sim serve --control-token TOKEN`` or
``SMS_SIM_CONTROL_TOKEN``), every request under ``/__sim/`` must carry the token, either

* in the header ``X-Sim-Token: TOKEN`` (scripts, the ``sms-sim`` client commands), or
* in the cookie ``sms_sim_token``, which the web console gets by being opened once as
  ``/__sim/console/?token=TOKEN``: that answer sets the cookie (``HttpOnly``,
  ``SameSite=Strict``, path ``/__sim``) and redirects to ``/__sim/console/``, so the page's
  own requests and its event stream carry it from then on.

Anything else is answered ``401 {"error": "...", "field": "X-Sim-Token"}``. The
``Authorization`` header is not used for this: on the control plane it names the Infobip
account a request is scoped to (tenant isolation). The Infobip endpoints are not affected.

>>> valid_token("s3cret-token"), valid_token("has space"), valid_token("")
(True, False, False)
"""

from __future__ import annotations

import hmac
import re

from aiohttp import web
from aiohttp.typedefs import Handler

from simulator.api.common import SIMULATOR
from simulator.api.render import dumps

HEADER = "X-Sim-Token"
COOKIE = "sms_sim_token"
QUERY = "token"
ENV = "SMS_SIM_CONTROL_TOKEN"
CONSOLE = "/__sim/console/"
_TOKEN = re.compile(r"[A-Za-z0-9._~+/=-]{1,256}")
"""What a token may be made of: it travels in a header and a cookie, unquoted."""


def valid_token(token: str) -> bool:
    return _TOKEN.fullmatch(token) is not None


def _matches(given: str | None, token: str) -> bool:
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


def _refuse(message: str) -> web.Response:
    return web.Response(
        body=dumps({"error": message, "field": HEADER}),
        status=401,
        content_type="application/json",
        headers={"WWW-Authenticate": f'{HEADER} realm="sms-sim control plane"'},
    )


@web.middleware
async def control_token_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    path = request.path
    if not (path == "/__sim" or path.startswith("/__sim/")):
        return await handler(request)
    token = request.app[SIMULATOR].config.control_token
    if not token:
        return await handler(request)
    if _matches(request.headers.get(HEADER), token) or _matches(request.cookies.get(COOKIE), token):
        return await handler(request)
    if path in (CONSOLE, CONSOLE.rstrip("/")) and QUERY in request.query:
        if _matches(request.query[QUERY], token):
            answer = web.Response(status=303, headers={"Location": CONSOLE})
            answer.set_cookie(COOKIE, token, path="/__sim", httponly=True, samesite="Strict")
            return answer
        return _refuse(f"the {QUERY} in the console's address is not the control token")
    if request.headers.get(HEADER) is not None:
        return _refuse(f"the {HEADER} header does not match the control token")
    return _refuse(
        f"the control plane needs the control token: send the header '{HEADER}: <token>' "
        f"(the web console: open {CONSOLE}?{QUERY}=<token> once)"
    )
