"""Helpers shared by the endpoint modules: reading bodies, answering JSON, the caller."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from simulator import jsoncodec
from simulator.accounts import Account
from simulator.api.render import dumps
from simulator.api.validation import UNPAIRED_SURROGATE, Obj, Problems, unpaired_surrogate
from simulator.core import Simulator
from simulator.dispatch import Driver
from simulator.errors import BadRequest, UnsupportedMediaType

SIMULATOR: web.AppKey[Simulator] = web.AppKey("simulator", Simulator)
DRIVER: web.AppKey[Driver] = web.AppKey("driver", Driver)
WAKE: web.AppKey[asyncio.Event] = web.AppKey("wake", asyncio.Event)
"""Set whenever the schedule may have changed, so the background pump looks again."""


def wake(request: web.Request) -> None:
    event = request.app.get(WAKE)
    if event is not None:
        event.set()


try:
    ACCOUNT_KEY: Any = web.RequestKey("sms_sim.account", Account)
except AttributeError:  # aiohttp < 3.14 has no RequestKey; a str key only warns there
    ACCOUNT_KEY = "sms_sim.account"


def sim(request: web.Request) -> Simulator:
    return request.app[SIMULATOR]


def account(request: web.Request) -> Account:
    found: Account = request[ACCOUNT_KEY]
    return found


def answer(body: object, *, headers: dict[str, str] | None = None) -> web.Response:
    """HTTP 200 with a compact JSON body (Infobip answers 200 on every success)."""
    return web.Response(
        body=dumps(body), status=200, content_type="application/json", headers=headers
    )


async def read_json(request: web.Request) -> Obj:
    """The body as a JSON object, or a 400/413/415 naming what is wrong."""
    return Obj.root(await read_value(request), Problems())


async def read_value(request: web.Request) -> object:
    """The body as parsed JSON (any value), or a 400/413/415 naming what is wrong."""
    header = request.headers.get("Content-Type")
    # The media type is the header's start, lower-cased: no "xml" in the header, none in it.
    if header is not None and "xml" in header.lower() and "xml" in request.content_type:
        raise UnsupportedMediaType(
            "XML request bodies are not supported by the simulator; send application/json."
        )
    try:
        raw = await request.read()  # aiohttp raises 413 past client_max_size
    except ConnectionError:  # the client went away before the whole body arrived
        raise BadRequest(violations=[("body", "is truncated: the connection closed")]) from None
    if not raw or raw.isspace():
        raise BadRequest(violations=[("body", "must not be empty: a JSON object is required")])
    try:
        value = jsoncodec.loads(raw)
    except UnicodeDecodeError:
        raise BadRequest(violations=[("body", "is not valid UTF-8")]) from None
    except RecursionError:
        raise BadRequest(violations=[("body", "is nested too deeply")]) from None
    except ValueError as exc:
        raise BadRequest(violations=[("body", f"is not valid JSON: {exc}")]) from None
    bad_text = unpaired_surrogate(raw, value)
    if bad_text is not None:
        raise BadRequest(violations=[(bad_text, UNPAIRED_SURROGATE)])
    return value


def query_limit(request: web.Request, problems: Problems, default: int = 50) -> int:
    raw = request.query.get("limit")
    if raw is None or raw == "":
        return default
    try:
        limit = int(raw)
    except ValueError:
        problems.add("limit", "must be an integer")
        return default
    if not 1 <= limit <= 1000:
        problems.add("limit", "must be between 1 and 1000")
        return default
    return limit


def query_list(request: web.Request, name: str) -> list[str]:
    """A list parameter given repeated (``a=1&a=2``), comma-separated (``a=1,2``) or both."""
    values: list[str] = []
    for raw in request.query.getall(name, []):
        values.extend(part.strip() for part in raw.split(",") if part.strip())
    return values
