"""A simulator running in a background thread, for synchronous tests and clients.

The server has its own event loop in a daemon thread, so blocking clients (``requests``,
urllib3, the official Infobip client) can call it from the test's thread. Clock control is
marshalled onto the server's loop, so it never races a request being served.

>>> with ThreadedSimulator() as gateway:
...     gateway.advance("10s")  # events fired: none, nothing was sent
0
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiohttp import web

from simulator.api.common import DRIVER
from simulator.app import make_app
from simulator.config import SimulatorConfig
from simulator.control import WAKE
from simulator.core import Simulator
from simulator.dispatch import Driver
from simulator.timefmt import Millis, parse_duration, parse_instant

T = TypeVar("T")


class ThreadedSimulator:
    def __init__(
        self,
        config: SimulatorConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str = "test-api-key",
    ) -> None:
        self.simulator = Simulator(config or SimulatorConfig())
        self.host = host
        self.port = port
        self.api_key = api_key
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._app: web.Application | None = None

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> ThreadedSimulator:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._start_server())
            except BaseException as exc:  # reported to the starting thread
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._stop_server())
            loop.close()

        self._thread = threading.Thread(target=run, name="sms-sim", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]
        return self

    async def _start_server(self) -> None:
        self._app = make_app(self.simulator)
        self._runner = web.AppRunner(self._app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1]

    async def _stop_server(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._loop = None

    def __enter__(self) -> ThreadedSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- access -----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host  # an IPv6 literal
        return f"http://{host}:{self.port}"

    def _drive(self, step: Callable[[Driver], Awaitable[T]]) -> T:
        """Run a clock move on the server's loop, waiting for the webhook pushes it makes."""
        if self._loop is None or self._app is None:
            raise RuntimeError("the simulator is not running")
        app = self._app

        async def wrapper() -> T:
            result = await step(app[DRIVER])
            if WAKE in app:
                app[WAKE].set()
            return result

        return asyncio.run_coroutine_threadsafe(wrapper(), self._loop).result(timeout=300)

    def call(self, function: Callable[[], T]) -> T:
        """Run ``function`` on the server's loop and wait for its result."""
        assert self._loop is not None, "the simulator is not running"

        async def wrapper() -> T:
            result = function()
            if self._app is not None and WAKE in self._app:
                self._app[WAKE].set()
            return result

        return asyncio.run_coroutine_threadsafe(wrapper(), self._loop).result(timeout=60)

    def now(self) -> Millis:
        return self.call(self.simulator.clock.now)

    def advance(self, by: str | int | float) -> int:
        """Advance virtual time (``"15m"``, ``"PT1H"``, seconds) and fire what falls due."""
        delta = parse_duration(by)
        return self._drive(lambda driver: driver.advance(delta))

    def advance_to(self, instant: str | Millis) -> int:
        target = parse_instant(instant) if isinstance(instant, str) else instant
        return self._drive(lambda driver: driver.advance_to(target))

    def advance_to_next_event(self) -> Millis | None:
        return self._drive(lambda driver: driver.advance_to_next())

    def run_until_idle(self) -> int:
        return self._drive(lambda driver: driver.run_until_idle())

    def reset(self) -> None:
        self.call(self.simulator.reset)
