"""A simulator running in a background thread, for synchronous tests and clients.

The server has its own event loop in a daemon thread, so blocking clients (``requests``,
urllib3, the official Infobip client) can call it from the test's thread. Clock control is
marshalled onto the server's loop, so it never races a request being served, and each move
waits for the webhook pushes it causes (through :class:`simulator.dispatch.Driver`).

>>> with ThreadedSimulator() as gateway:
...     gateway.advance("10s")  # events fired: none, nothing was sent
0
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from aiohttp import web

from simulator.api.common import DRIVER
from simulator.app import LISTEN_BACKLOG, make_app
from simulator.config import SimulatorConfig
from simulator.control import WAKE
from simulator.core import Simulator
from simulator.dispatch import Dispatcher, Driver
from simulator.testing.receiver import WebhookReceiver
from simulator.timefmt import Millis, parse_duration, parse_instant

T = TypeVar("T")


class LoopThread:
    """An asyncio event loop running forever in a daemon thread."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self.loop = loop
            ready.set()
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, name=self.name, daemon=True)
        self._thread.start()
        ready.wait()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 300) -> T:
        """Run ``coro`` on the loop and wait for its result."""
        if self.loop is None:
            coro.close()
            raise RuntimeError(f"{self.name}: the loop is not running")
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=timeout)

    def stop(self) -> None:
        if self.loop is not None and self._thread is not None:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=10)
            self.loop = None


class ThreadedSimulator:
    def __init__(
        self,
        config: SimulatorConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str = "test-api-key",
        receiver: WebhookReceiver | None = None,
    ) -> None:
        self.simulator = Simulator(config or SimulatorConfig())
        self.host = host
        self.port = port
        self.api_key = api_key
        self.receiver = receiver
        """Served on the same loop (give it the simulator's default report URL)."""
        self._thread = LoopThread("sms-sim")
        self._runner: web.AppRunner | None = None
        self._app: web.Application | None = None

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> ThreadedSimulator:
        self._thread.start()
        try:
            self._thread.run(self._start_server(), timeout=60)
        except BaseException:
            self._thread.stop()
            raise
        return self

    async def _start_server(self) -> None:
        if self.receiver is not None:
            await self.receiver.start()
        self._app = make_app(self.simulator)
        self._runner = web.AppRunner(self._app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, backlog=LISTEN_BACKLOG)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1]

    async def _stop_server(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.receiver is not None:
            await self.receiver.stop()

    def stop(self) -> None:
        if self._thread.loop is not None:
            self._thread.run(self._stop_server(), timeout=30)
        self._thread.stop()

    def __enter__(self) -> ThreadedSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- access -----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host  # an IPv6 literal
        return f"http://{host}:{self.port}"

    @property
    def dispatcher(self) -> Dispatcher:
        """The webhook dispatcher (its ``pushes`` journal); read it through :meth:`call`."""
        if self._app is None:
            raise RuntimeError("the simulator is not running")
        return self._app[DRIVER].dispatcher

    def _drive(self, step: Callable[[Driver], Awaitable[T]]) -> T:
        """Run a clock move on the server's loop, waiting for the webhook pushes it makes."""
        if self._app is None:
            raise RuntimeError("the simulator is not running")
        app = self._app

        async def wrapper() -> T:
            result = await step(app[DRIVER])
            if WAKE in app:
                app[WAKE].set()
            return result

        return self._thread.run(wrapper())

    def call(self, function: Callable[[], T]) -> T:
        """Run ``function`` on the server's loop and wait for its result."""

        async def wrapper() -> T:
            result = function()
            if self._app is not None and WAKE in self._app:
                self._app[WAKE].set()
            return result

        return self._thread.run(wrapper(), timeout=60)

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
