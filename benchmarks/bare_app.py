"""The ceiling of the stack: a bare aiohttp app that only parses the body and answers the
same response shape as the simulator (one entry per destination), on the same JSON library
and event loop as ``sms-sim serve``. No validation, no state, no clock. ``POST /reports``
answers 200 to anything: the webhook benchmark's receiver.

    python -m benchmarks.bare_app --port 9100 [--loop auto|asyncio|uvloop]
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from aiohttp import web

from simulator import jsoncodec
from simulator.app import LISTEN_BACKLOG
from simulator.cli import loop_factory

PENDING = {
    "groupId": 1,
    "groupName": "PENDING",
    "id": 26,
    "name": "PENDING_ACCEPTED",
    "description": "Message sent to next instance",
}


def make_app() -> web.Application:
    counter = [0]

    def next_id() -> str:
        counter[0] += 1
        return f"{counter[0]:08x}-0000-4000-8000-000000000000"

    async def v3(request: web.Request) -> web.Response:
        body: dict[str, Any] = jsoncodec.loads(await request.read())
        messages = [
            {
                "messageId": next_id(),
                "status": PENDING,
                "destination": destination["to"],
                "details": {"messageCount": 1},
            }
            for message in body["messages"]
            for destination in message["destinations"]
        ]
        answer = {"bulkId": "1000000000000000000", "messages": messages}
        return web.Response(body=jsoncodec.dumps(answer), content_type="application/json")

    async def v2(request: web.Request) -> web.Response:
        body: dict[str, Any] = jsoncodec.loads(await request.read())
        messages = [
            {"messageId": next_id(), "status": PENDING, "to": destination["to"]}
            for message in body["messages"]
            for destination in message["destinations"]
        ]
        answer = {"bulkId": "1000000000000000000", "messages": messages}
        return web.Response(body=jsoncodec.dumps(answer), content_type="application/json")

    async def receive(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/reports", receive)  # a webhook receiver (the webhook benchmark)
    app.router.add_post("/sms/3/messages", v3)
    app.router.add_post("/sms/2/text/advanced", v2)
    return app


async def serve(port: int, seconds: float) -> None:
    runner = web.AppRunner(make_app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port, backlog=LISTEN_BACKLOG).start()
    try:
        await asyncio.sleep(seconds)  # bounded: the benchmark stops it long before
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--loop", choices=("auto", "asyncio", "uvloop"), default="auto")
    parser.add_argument("--max-seconds", type=float, default=3600.0)
    args = parser.parse_args()
    with asyncio.Runner(loop_factory=loop_factory(args.loop)) as runner:
        runner.run(serve(args.port, args.max_seconds))


if __name__ == "__main__":
    main()
