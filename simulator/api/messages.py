"""Send endpoints: the handlers around :mod:`simulator.api.send`."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from simulator.api import render, send
from simulator.api.common import account, answer, read_value, sim
from simulator.api.validation import Obj, Problems
from simulator.gateway import SubmitRequest
from simulator.models import Family, Message

DEPRECATION = {
    "/sms/1/text/query": "@1728475200",  # 2024-10-09T12:00:00Z, from the spec
}


def _context(request: web.Request, family: Family, endpoint: str) -> send.Context:
    simulator = sim(request)
    return send.Context(simulator.clock.now(), simulator.config, endpoint, family)


def _payload(
    bulk_id: str, messages: list[Message], family: Family, include_count: bool
) -> dict[str, object]:
    if family is Family.V3:
        rendered = [
            {
                "messageId": m.message_id,
                "status": render.answered(m),
                "destination": m.to,
                "details": {"messageCount": m.template.sms_count},
            }
            for m in messages
        ]  # render.v3_sent, inlined: a send answers many of them
    elif family is Family.V2:
        rendered = [render.v2_sent(m, include_count) for m in messages]
    else:
        rendered = [render.v1_sent(m) for m in messages]
    return {"bulkId": bulk_id, "messages": rendered}


async def _submit(
    request: web.Request,
    parser: send.Parser,
    family: Family,
    endpoint: str,
    fast: send.FastParser | None = None,
) -> web.Response:
    value = await read_value(request)
    simulator = sim(request)
    ctx = send.Context(simulator.clock.now(), simulator.config, endpoint, family)
    parsed = None if fast is None else fast(value, ctx)
    if parsed is None:  # the full parser: the one source of every problem's wording
        body = Obj.root(value, Problems())
        parsed = parser(body, ctx)
        body.problems.raise_if_any()
    submit, include_count = parsed
    submission = simulator.gateway.submit(account(request), submit)
    return answer(_payload(submission.bulk.bulk_id, submission.messages, family, include_count))


async def send_v3(request: web.Request) -> web.Response:
    return await _submit(request, send.parse_v3, Family.V3, "sms/3/messages", send.fast_v3)


def _advanced_text(body: Obj, ctx: send.Context) -> tuple[SubmitRequest, bool]:
    return send.parse_advanced(body, ctx, binary=False)


def _advanced_binary(body: Obj, ctx: send.Context) -> tuple[SubmitRequest, bool]:
    return send.parse_advanced(body, ctx, binary=True)


async def send_v2_text(request: web.Request) -> web.Response:
    return await _submit(
        request, _advanced_text, Family.V2, "sms/2/text/advanced", send.fast_advanced
    )


async def send_v2_binary(request: web.Request) -> web.Response:
    return await _submit(request, _advanced_binary, Family.V2, "sms/2/binary/advanced")


def v1_handler(kind: str, binary: bool) -> Handler:
    """``/sms/1/{text|binary}/{single|multi|advanced}``."""
    parsers = {
        "single": send.parse_single,
        "multi": send.parse_multi,
        "advanced": send.parse_advanced,
    }
    parse = parsers[kind]
    endpoint = f"sms/1/{'binary' if binary else 'text'}/{kind}"
    plain = kind == "advanced" and not binary

    async def handler(request: web.Request) -> web.Response:
        fast = send.fast_advanced if plain else None
        return await _submit(
            request, lambda body, ctx: parse(body, ctx, binary=binary), Family.V1, endpoint, fast
        )

    return handler


def _query_params(request: web.Request) -> dict[str, object]:
    params: dict[str, object] = {}
    for key in request.query:
        if key in ("username", "password"):
            continue
        if key == "to":
            params["to"] = [
                part.strip()
                for raw in request.query.getall("to")
                for part in raw.split(",")
                if part.strip()
            ]
        else:
            params[key] = request.query.getall(key)[-1]
    return params


async def _query_send(request: web.Request, family: Family, endpoint: str) -> web.Response:
    problems = Problems()
    ctx = _context(request, family, endpoint)
    submit, include_count = send.parse_query(_query_params(request), ctx, problems)
    problems.raise_if_any()
    submission = sim(request).gateway.submit(account(request), submit)
    if family is Family.V3:
        messages: list[render.JSON] = [render.v3_sent(m) for m in submission.messages]
        return answer({"bulkId": submission.bulk.bulk_id, "messages": messages})
    messages = [render.v2_sent(m, include_count) for m in submission.messages]
    return answer(
        {"bulkId": submission.bulk.bulk_id, "messages": messages},
        headers={"Deprecation": DEPRECATION["/sms/1/text/query"]},
    )


async def query_v3(request: web.Request) -> web.Response:
    return await _query_send(request, Family.V3, "sms/3/text/query")


async def query_v1(request: web.Request) -> web.Response:
    return await _query_send(request, Family.V1, "sms/1/text/query")
