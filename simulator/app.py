"""``make_app``: the aiohttp application serving the Infobip surface and the control plane."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from aiohttp import web

from simulator.api.common import SIMULATOR
from simulator.api.middleware import infobip_middleware
from simulator.api.routes import add_routes
from simulator.clock import ClockMode, yield_to_loop
from simulator.config import SimulatorConfig
from simulator.control import WAKE, add_control_routes, control_errors
from simulator.core import Simulator


async def run_pump(simulator: Simulator, wake: asyncio.Event) -> None:
    """Fire events as virtual time reaches them by itself (realtime), or jump to them when
    idle (autojump). In manual mode it only waits to be woken."""
    clock, engine, schedule = simulator.clock, simulator.engine, simulator.schedule
    while True:
        engine.run_due()
        if clock.mode is ClockMode.AUTOJUMP and schedule.next_due() is not None:
            wake.clear()
            for _ in range(3):  # idle means no request arrived for a few loop turns
                await yield_to_loop()
            if not wake.is_set():
                engine.advance_to_next()
            continue
        wake.clear()
        await clock.wait(wake, schedule.next_due())


def make_app(simulator: Simulator | SimulatorConfig | None = None) -> web.Application:
    if not isinstance(simulator, Simulator):
        simulator = Simulator(simulator)
    app = web.Application(
        client_max_size=simulator.config.max_body_bytes,
        middlewares=[control_errors, infobip_middleware],
    )
    app[SIMULATOR] = simulator
    add_routes(app)
    add_control_routes(app)

    async def pump_context(app: web.Application) -> AsyncIterator[None]:
        wake = asyncio.Event()
        app[WAKE] = wake
        task = asyncio.create_task(run_pump(simulator, wake))
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    app.cleanup_ctx.append(pump_context)
    return app
