"""``make_app``: the aiohttp application serving the Infobip surface and the control plane."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from aiohttp import web

from simulator.api.common import DRIVER, SIMULATOR
from simulator.api.middleware import surface_middleware
from simulator.api.routes import add_routes
from simulator.clock import ClockMode, yield_to_loop
from simulator.config import SimulatorConfig
from simulator.console import add_console_routes
from simulator.control import WAKE, add_control_routes
from simulator.core import Simulator
from simulator.dispatch import Dispatcher, Driver

LISTEN_BACKLOG = 1024
"""The listen queue for ``sms-sim serve`` and the in-process servers. aiohttp's default (128)
overflows when a load test opens its connections while the server is busy answering, and the
kernel then drops connection attempts that the client retries only a second later: a
one-second p99 that no request deserved."""


async def run_pump(simulator: Simulator, driver: Driver, wake: asyncio.Event) -> None:
    """Fire events as virtual time reaches them by itself (realtime), or jump to them when
    idle (autojump). In manual mode it only waits to be woken."""
    clock, schedule = simulator.clock, simulator.schedule
    while True:
        await driver.run_due()
        if clock.mode is ClockMode.AUTOJUMP and schedule.next_due() is not None:
            wake.clear()
            for _ in range(3):  # idle means no request arrived for a few loop turns
                await yield_to_loop()
            if not wake.is_set():
                await driver.advance_to_next()
            continue
        wake.clear()
        await clock.wait(wake, schedule.next_due())


def make_app(simulator: Simulator | SimulatorConfig | None = None) -> web.Application:
    if not isinstance(simulator, Simulator):
        simulator = Simulator(simulator)
    app = web.Application(
        client_max_size=simulator.config.max_body_bytes,
        middlewares=[surface_middleware],
    )
    dispatcher = Dispatcher(simulator)
    driver = Driver(simulator, dispatcher)
    app[SIMULATOR] = simulator
    app[DRIVER] = driver
    add_routes(app)
    add_control_routes(app)
    add_console_routes(app)

    async def background(app: web.Application) -> AsyncIterator[None]:
        await dispatcher.start()
        wake = asyncio.Event()
        app[WAKE] = wake
        task = asyncio.create_task(run_pump(simulator, driver, wake))
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await dispatcher.stop()

    app.cleanup_ctx.append(background)
    return app
