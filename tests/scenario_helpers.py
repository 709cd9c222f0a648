"""Helpers for the scenario tests: a simulator with a scenario, sends without HTTP, and
message histories as (offset from the start, status, error)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.test_utils import TestClient

from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.gateway import MessageRequest, Submission, SubmitRequest
from simulator.models import Family, Message, Template
from simulator.scenario import Scenario, load_scenario, parse_scenario
from simulator.timefmt import HOUR, Millis, parse_instant

START = parse_instant("2026-01-01T09:00:00.000+0000")
AUTH = {"Authorization": "App test-api-key"}
Client = TestClient[web.Request, web.Application]
ClientFactory = Callable[..., Awaitable[Client]]
"""The ``aiohttp_client`` fixture (pytest-aiohttp)."""
TO = "41793026727"
ENDPOINTS = {
    Family.V1: "/sms/1/text/advanced",
    Family.V2: "/sms/2/text/advanced",
    Family.V3: "/sms/3/messages",
}

History = list[tuple[Millis, str, str]]


def scenario_sim(
    scenario: Scenario | str, *, seed: int = 7, config: SimulatorConfig | None = None
) -> Simulator:
    """A simulator at START with ``scenario``: a Scenario, YAML text, or a shipped name."""
    if isinstance(scenario, str):
        scenario = parse_scenario(scenario) if "\n" in scenario else load_scenario(scenario)
    return Simulator(config or SimulatorConfig(start=START, seed=seed), scenario=scenario)


def send(
    sim: Simulator,
    *to: str,
    family: Family = Family.V3,
    sender: str | None = "InfoSMS",
    text: str | None = "Hello",
    send_at: Millis | None = None,
    validity: Millis | None = None,
) -> Submission:
    """One message object to the given numbers (default: TO)."""
    template = Template(
        family,
        ENDPOINTS[family],
        sender,
        text=text,
        hex=None if text is not None else "48656c6c6f",
        validity=sim.config.default_validity if validity is None else validity,
    )
    numbers = to or (TO,)
    request = MessageRequest(template, [(number, None) for number in numbers], send_at)
    return sim.gateway.submit(sim.gateway.account(), SubmitRequest(family, [request]))


def one(
    sim: Simulator,
    to: str = TO,
    *,
    family: Family = Family.V3,
    sender: str | None = "InfoSMS",
    text: str | None = "Hello",
    send_at: Millis | None = None,
    validity: Millis | None = None,
) -> Message:
    """Send one message and return it."""
    submission = send(
        sim, to, family=family, sender=sender, text=text, send_at=send_at, validity=validity
    )
    (message,) = submission.messages
    return message


def history(message: Message, start: Millis = START) -> History:
    """Every status the message went through: (ms after ``start``, status, error)."""
    return [(at - start, status.name, error.name) for at, status, error in message.history]


def final(message: Message) -> tuple[str, str]:
    return message.status.name, message.error.name


def run_all(sim: Simulator, horizon: Millis = 49 * HOUR) -> None:
    """Advance far enough for every timeline (and the 48 h validity) to play out."""
    sim.engine.advance(horizon)
