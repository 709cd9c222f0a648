"""Where the gateway fixtures' simulators come from: one started in-process for the whole
session (a background thread), one per async test in the test's own loop, or a standalone
server reached through its control plane (``--sms-sim-url``). Each hands out a gateway
already reset to the test's scenario, with the built-in webhook receiver cleared.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from simulator.api.common import DRIVER
from simulator.app import make_app
from simulator.config import SimulatorConfig
from simulator.control import WAKE
from simulator.core import Simulator
from simulator.testing.backends import (
    AsyncRemoteControl,
    ControlClient,
    GatewayError,
    LocalInspector,
    LoopControl,
    RemoteControl,
    RemoteInspector,
    ThreadedControl,
)
from simulator.testing.gateway import AsyncSmsGateway, SmsGateway
from simulator.testing.receiver import WebhookReceiver
from simulator.testing.scenarios import Injected, ScenarioResolver, ScenarioSource
from simulator.testing.server import LoopThread, ThreadedSimulator
from simulator.timefmt import Millis, parse_instant

DEFAULT_START = "2026-01-01T09:00:00.000+0000"
DEFAULT_API_KEY = "test-api-key"

ServerFactory = Callable[[web.Application], Awaitable[Any]]
"""pytest-aiohttp's ``aiohttp_server``: starts a ``TestServer`` for an app."""


@dataclass(frozen=True, slots=True)
class GatewaySettings:
    """What the plugin's options configure."""

    start: Millis = parse_instant(DEFAULT_START)
    seed: int = 0
    api_key: str = DEFAULT_API_KEY
    receiver_host: str = "127.0.0.1"
    """Where the built-in webhook receiver listens (a remote simulator must reach it)."""
    scenario_dirs: tuple[Path, ...] = ()
    roots: tuple[Path, ...] = ()
    """Relative scenario paths are also tried from these (the rootdir)."""

    def resolver(self) -> ScenarioResolver:
        return ScenarioResolver(self.scenario_dirs, self.roots)

    def config(self, receiver: WebhookReceiver) -> SimulatorConfig:
        return SimulatorConfig(
            start=self.start,
            seed=self.seed,
            default_report_url=receiver.report_url,
            default_inbound_url=receiver.inbound_url,
        )


@dataclass(frozen=True, slots=True)
class TestScenario:
    """The scenario a test asked for (its marker, the default option, or none)."""

    __test__ = False  # not a pytest test class
    source: ScenarioSource = None
    overrides: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    near: Path | None = None
    """The test file's folder: relative scenario paths are tried from here first."""


class LocalSession:
    """A simulator started once in a background thread; a fast reset per test."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.resolver = settings.resolver()
        self.receiver = WebhookReceiver(settings.receiver_host)
        self.server = ThreadedSimulator(
            settings.config(self.receiver), api_key=settings.api_key, receiver=self.receiver
        )
        self.server.start()

    def gateway(self, wanted: TestScenario) -> SmsGateway:
        server = self.server
        gateway = SmsGateway(
            url=server.url,
            api_key=self.settings.api_key,
            control=ThreadedControl(server),
            inspector=LocalInspector(server.simulator, lambda: server.dispatcher, server.call),
            receiver=self.receiver,
            resolver=self.resolver,
            simulator=server.simulator,
            run=server.call,
            near=wanted.near,
        )
        gateway.load_scenario(wanted.source, **wanted.overrides)
        return gateway

    def close(self) -> None:
        self.server.stop()


class RemoteSession:
    """A standalone simulator (``sms-sim serve``) driven through its control plane; the
    built-in webhook receiver runs in a background thread of the test process."""

    def __init__(self, url: str, settings: GatewaySettings) -> None:
        self.url = url.rstrip("/")
        self.settings = settings
        self.resolver = settings.resolver()
        self.client = ControlClient(self.url)
        self.client.get("/__sim/health")  # GatewayError when nothing answers
        try:
            self.client.get("/__sim/scenarios")
        except GatewayError as exc:
            raise GatewayError(
                f"{self.url} has no POST /__sim/scenario, which the plugin needs to load each "
                f"test's scenario; is it an older sms-sim? ({exc})"
            ) from None
        self._found = self.client.get("/__sim/scenario").get("scenario")
        self.receiver = WebhookReceiver(settings.receiver_host)
        self._loop = LoopThread("sms-sim-receiver")
        self._loop.start()
        self._loop.run(self.receiver.start())
        self.injected = Injected(
            start=settings.start,
            seed=settings.seed,
            report_url=self.receiver.report_url,
            inbound_url=self.receiver.inbound_url,
        )

    def gateway(self, wanted: TestScenario) -> SmsGateway:
        gateway = SmsGateway(
            url=self.url,
            api_key=self.settings.api_key,
            control=RemoteControl(self.client, self.injected),
            inspector=RemoteInspector(self.client),
            receiver=self.receiver,
            resolver=self.resolver,
            near=wanted.near,
        )
        gateway.load_scenario(wanted.source, **wanted.overrides)
        return gateway

    @contextlib.asynccontextmanager
    async def async_gateway(self, wanted: TestScenario) -> AsyncIterator[AsyncSmsGateway]:
        async with aiohttp.ClientSession() as session:
            gateway = AsyncSmsGateway(
                url=self.url,
                api_key=self.settings.api_key,
                control=AsyncRemoteControl(self.url, session, self.injected),
                inspector=RemoteInspector(self.client),
                receiver=self.receiver,
                resolver=self.resolver,
                near=wanted.near,
            )
            await gateway.load_scenario(wanted.source, **wanted.overrides)
            yield gateway

    def close(self) -> None:
        with contextlib.suppress(GatewayError):  # leave the server as found, when possible
            library = self.client.get("/__sim/scenarios").get("scenarios", [])
            if self._found is None or self._found in library:
                self.client.post("/__sim/scenario", {"name": self._found})
            else:
                self.client.post("/__sim/reset", {})
        if self._loop.loop is not None:
            self._loop.run(self.receiver.stop(), timeout=30)
        self._loop.stop()


@contextlib.asynccontextmanager
async def loop_gateway(
    settings: GatewaySettings,
    resolver: ScenarioResolver,
    serve: ServerFactory,
    wanted: TestScenario,
) -> AsyncIterator[AsyncSmsGateway]:
    """A fresh simulator served in the running loop (by ``serve``, pytest-aiohttp's
    ``aiohttp_server``) with its own webhook receiver."""
    receiver = WebhookReceiver(settings.receiver_host)
    await receiver.start()
    try:
        simulator = Simulator(settings.config(receiver))
        app = make_app(simulator)
        server = await serve(app)
        driver = app[DRIVER]

        def wake() -> None:
            if WAKE in app:
                app[WAKE].set()

        gateway = AsyncSmsGateway(
            url=str(server.make_url("")).rstrip("/"),
            api_key=settings.api_key,
            control=LoopControl(simulator, driver, wake),
            inspector=LocalInspector(simulator, lambda: driver.dispatcher),
            receiver=receiver,
            resolver=resolver,
            simulator=simulator,
            near=wanted.near,
        )
        await gateway.load_scenario(wanted.source, **wanted.overrides)
        yield gateway
    finally:
        await receiver.stop()
