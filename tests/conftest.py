"""Shared fixtures: an in-process app for aiohttp's test client, and auth headers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from simulator.app import make_app
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.timefmt import parse_instant

START = parse_instant("2026-01-01T09:00:00.000+0000")
AUTH = {"Authorization": "App test-api-key"}

ClientFactory = Callable[..., Awaitable[TestClient[web.Request, web.Application]]]


@pytest.fixture
def config() -> SimulatorConfig:
    return SimulatorConfig(start=START, seed=7)


@pytest.fixture
def simulator(config: SimulatorConfig) -> Simulator:
    return Simulator(config)


@pytest.fixture
async def client(
    aiohttp_client: ClientFactory, simulator: Simulator
) -> TestClient[web.Request, web.Application]:
    return await aiohttp_client(make_app(simulator), headers=AUTH)
