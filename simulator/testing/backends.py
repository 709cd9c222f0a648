"""How the gateway fixtures reach a simulator: in-process (a background thread, or the
test's own event loop) or remote (a standalone server's control plane over HTTP).

Each backend offers the same two things: *inspection* (the control plane's JSON journal
shapes, read synchronously) and *control* (clock moves, reset, scenario loading, inbound
injection; synchronous or awaitable). Clock moves always wait for the webhook pushes they
cause, so a test can assert straight after one.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import aiohttp

from simulator.api.render import inbound as inbound_json
from simulator.cli_client import TOKEN_ENV, TOKEN_HEADER
from simulator.control import message_journal
from simulator.core import ScenarioHook, Simulator
from simulator.dispatch import Dispatcher, Driver
from simulator.testing.scenarios import Injected
from simulator.testing.server import ThreadedSimulator
from simulator.timefmt import Millis, format_instant, parse_instant

JSON = dict[str, Any]
T = TypeVar("T")
JOURNAL_LIMIT = 100_000
MAX_STEPS = 1_000_000
"""``run_until_idle`` against a remote server stops after this many clock moves."""


class GatewayError(RuntimeError):
    """The simulator refused a control request (or could not be reached)."""


@dataclass(frozen=True, slots=True)
class ClockState:
    now: Millis
    next_event: Millis | None
    pending: int

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> ClockState:
        next_at = body.get("nextEventAt")
        return cls(
            parse_instant(body["now"]),
            None if next_at is None else parse_instant(next_at),
            int(body.get("pendingEvents", 0)),
        )


class Loadable(Protocol):
    """A scenario to load (or the built-in behaviour), in the form each backend needs."""

    def local(self) -> ScenarioHook | None:
        """For an in-process simulator (None: no scenario, the built-in behaviour)."""
        ...

    def remote_yaml(self, given: Injected) -> str:
        """For ``POST /__sim/scenario``: the document with ``given`` filled in where unset."""
        ...


class Inspector(Protocol):
    """The journal, oldest first, in the control plane's JSON shapes."""

    def messages(self) -> list[JSON]: ...
    def webhooks(self) -> list[JSON]: ...
    def inbound(self) -> list[JSON]: ...
    def requests(self) -> list[JSON]: ...
    def clock(self) -> ClockState: ...


class SyncControl(Protocol):
    def advance(self, delta: Millis) -> int: ...
    def advance_to(self, target: Millis) -> int: ...
    def advance_to_next(self) -> Millis | None: ...
    def run_until_idle(self) -> int: ...
    def reset(self) -> None: ...
    def load(self, scenario: Loadable) -> None: ...
    def inject_inbound(self, body: JSON) -> JSON: ...


class AsyncControl(Protocol):
    async def advance(self, delta: Millis) -> int: ...
    async def advance_to(self, target: Millis) -> int: ...
    async def advance_to_next(self) -> Millis | None: ...
    async def run_until_idle(self) -> int: ...
    async def reset(self) -> None: ...
    async def load(self, scenario: Loadable) -> None: ...
    async def inject_inbound(self, body: JSON) -> JSON: ...


# -- in-process ---------------------------------------------------------------------------------
class LocalInspector:
    """Reads an in-process simulator; ``run`` puts each read on the simulator's loop."""

    def __init__(
        self,
        simulator: Simulator,
        dispatcher: Callable[[], Dispatcher],
        run: Callable[[Callable[[], Any]], Any] | None = None,
    ) -> None:
        self.simulator = simulator
        self._dispatcher = dispatcher
        self._run = run or (lambda function: function())

    def _on_loop(self, function: Callable[[], T]) -> T:
        result: T = self._run(function)
        return result

    def messages(self) -> list[JSON]:
        def read() -> list[JSON]:
            accounts = self.simulator.gateway.accounts.values()
            every = sorted((m for a in accounts for m in a.messages), key=lambda m: m.seq)
            return [message_journal(m) for m in every]

        return self._on_loop(read)

    def webhooks(self) -> list[JSON]:
        return self._on_loop(lambda: [p.to_json() for p in self._dispatcher().pushes])

    def inbound(self) -> list[JSON]:
        def read() -> list[JSON]:
            accounts = self.simulator.gateway.accounts.values()
            every = sorted((m for a in accounts for m in a.inbound), key=lambda m: m.seq)
            return [{**inbound_json(m), "account": m.account} for m in every]

        return self._on_loop(read)

    def requests(self) -> list[JSON]:
        return self._on_loop(lambda: [r.to_json() for r in self.simulator.requests.records])

    def clock(self) -> ClockState:
        def read() -> ClockState:
            simulator = self.simulator
            return ClockState(
                simulator.clock.now(), simulator.schedule.next_due(), len(simulator.schedule)
            )

        return self._on_loop(read)


def check_inbound(simulator: Simulator, body: JSON) -> tuple[str, str, str, Millis | None]:
    sender, to, text = body["from"], body["to"], body["text"]
    at = None if body.get("at") is None else parse_instant(body["at"])
    if at is not None and at < simulator.clock.now():
        raise GatewayError(
            "an inbound message cannot arrive in the past (the clock never goes back)"
        )
    return sender, to, text, at


async def inject_local(simulator: Simulator, driver: Driver, body: JSON) -> JSON:
    sender, to, text, at = check_inbound(simulator, body)
    account = simulator.gateway.account(None)
    message = simulator.gateway.receive_inbound(
        account, sender, to, text, at=at, message_id=body.get("messageId")
    )
    await driver.run_due()
    return {**inbound_json(message), "account": account.key}


class ThreadedControl:
    """Drives a :class:`ThreadedSimulator` on its own loop."""

    def __init__(self, server: ThreadedSimulator) -> None:
        self.server = server

    def advance(self, delta: Millis) -> int:
        return self.server._drive(lambda driver: driver.advance(delta))

    def advance_to(self, target: Millis) -> int:
        return self.server._drive(lambda driver: driver.advance_to(target))

    def advance_to_next(self) -> Millis | None:
        return self.server._drive(lambda driver: driver.advance_to_next())

    def run_until_idle(self) -> int:
        return self.server._drive(lambda driver: driver.run_until_idle())

    def reset(self) -> None:
        self.server.call(self.server.simulator.reset)

    def load(self, scenario: Loadable) -> None:
        simulator, hook = self.server.simulator, scenario.local()
        self.server.call(lambda: simulator.load(hook))

    def inject_inbound(self, body: JSON) -> JSON:
        simulator = self.server.simulator
        return self.server._drive(lambda driver: inject_local(simulator, driver, body))


class LoopControl:
    """Drives an in-process simulator served in the test's own event loop."""

    def __init__(self, simulator: Simulator, driver: Driver, wake: Callable[[], None]) -> None:
        self.simulator = simulator
        self.driver = driver
        self._wake = wake

    async def advance(self, delta: Millis) -> int:
        fired = await self.driver.advance(delta)
        self._wake()
        return fired

    async def advance_to(self, target: Millis) -> int:
        fired = await self.driver.advance_to(target)
        self._wake()
        return fired

    async def advance_to_next(self) -> Millis | None:
        moved = await self.driver.advance_to_next()
        self._wake()
        return moved

    async def run_until_idle(self) -> int:
        fired = await self.driver.run_until_idle()
        self._wake()
        return fired

    async def reset(self) -> None:
        self.simulator.reset()
        self._wake()

    async def load(self, scenario: Loadable) -> None:
        self.simulator.load(scenario.local())
        self._wake()

    async def inject_inbound(self, body: JSON) -> JSON:
        found = await inject_local(self.simulator, self.driver, body)
        self._wake()
        return found


# -- remote -------------------------------------------------------------------------------------
def _error(status: int, raw: bytes, what: str) -> GatewayError:
    try:
        body = json.loads(raw)
        message = body.get("error") or raw.decode(errors="replace")
        field = body.get("field")
    except (ValueError, AttributeError):
        message, field = raw.decode(errors="replace")[:500], None
    where = f" ({field})" if field else ""
    return GatewayError(f"{what} answered HTTP {status}{where}: {message}")


class ControlClient:
    """The control plane of a running simulator, over blocking HTTP (stdlib only)."""

    def __init__(self, base_url: str, timeout: float = 300) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def request(self, method: str, path: str, body: object = None, **query: object) -> JSON:
        url = self.base_url + path
        given = {k: v for k, v in query.items() if v is not None}
        if given:
            url += "?" + urllib.parse.urlencode(given)
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        token = os.environ.get(TOKEN_ENV)
        if token:  # a server started with --control-token
            req.add_header(TOKEN_HEADER, token)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:
                answer: JSON = json.loads(response.read() or b"{}")
                return answer
        except urllib.error.HTTPError as exc:
            raise _error(exc.code, exc.read(), f"{method} {path}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GatewayError(f"cannot reach the simulator at {self.base_url}: {reason}") from None

    def get(self, path: str, **query: object) -> JSON:
        return self.request("GET", path, **query)

    def post(self, path: str, body: object) -> JSON:
        return self.request("POST", path, body)


class RemoteInspector:
    def __init__(self, client: ControlClient) -> None:
        self.client = client

    def messages(self) -> list[JSON]:
        found: list[JSON] = self.client.get("/__sim/messages", limit=JOURNAL_LIMIT)["messages"]
        return found[::-1]

    def webhooks(self) -> list[JSON]:
        found: list[JSON] = self.client.get("/__sim/webhooks", limit=JOURNAL_LIMIT)["webhooks"]
        return found[::-1]

    def inbound(self) -> list[JSON]:
        found: list[JSON] = self.client.get("/__sim/inbound", limit=JOURNAL_LIMIT)["inbound"]
        return found

    def requests(self) -> list[JSON]:
        found: list[JSON] = self.client.get("/__sim/requests", limit=JOURNAL_LIMIT)["requests"]
        return found[::-1]

    def clock(self) -> ClockState:
        return ClockState.from_json(self.client.get("/__sim/clock"))


ADVANCE = "/__sim/clock/advance"


def by_body(delta: Millis) -> JSON:
    return {"by": f"{delta}ms"}


def to_body(target: Millis) -> JSON:
    return {"to": format_instant(target)}


MANUAL = {"mode": "manual"}
"""Every test starts with a manual clock, as in-process (the CI server may run realtime)."""


class RemoteControl:
    def __init__(self, client: ControlClient, injected: Injected) -> None:
        self.client = client
        self.injected = injected

    def _advance(self, body: JSON) -> JSON:
        return self.client.post(ADVANCE, body)

    def advance(self, delta: Millis) -> int:
        return int(self._advance(by_body(delta))["fired"])

    def advance_to(self, target: Millis) -> int:
        return int(self._advance(to_body(target))["fired"])

    def advance_to_next(self) -> Millis | None:
        if ClockState.from_json(self.client.get("/__sim/clock")).next_event is None:
            return None
        return parse_instant(self._advance({"next": True})["now"])

    def run_until_idle(self) -> int:
        fired = 0
        state = self.client.get("/__sim/clock")
        for _ in range(MAX_STEPS):
            if state.get("nextEventAt") is None:
                return fired
            state = self._advance({"next": True})
            fired += int(state["fired"])
        raise GatewayError(f"run_until_idle: events kept coming after {MAX_STEPS} moves")

    def reset(self) -> None:
        self.client.post("/__sim/reset", {})
        self.client.post("/__sim/clock/mode", MANUAL)

    def load(self, scenario: Loadable) -> None:
        self.client.post("/__sim/scenario", {"yaml": scenario.remote_yaml(self.injected)})
        self.client.post("/__sim/clock/mode", MANUAL)

    def inject_inbound(self, body: JSON) -> JSON:
        return self.client.post("/__sim/inbound", body)


class AsyncRemoteControl:
    """The control plane over aiohttp, for async tests against a remote simulator."""

    def __init__(self, base_url: str, session: aiohttp.ClientSession, injected: Injected) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.injected = injected

    async def _call(self, method: str, path: str, body: object = None) -> JSON:
        try:
            async with self.session.request(method, self.base_url + path, json=body) as response:
                raw = await response.read()
                if response.status >= 300:
                    raise _error(response.status, raw, f"{method} {path}")
                answer: JSON = json.loads(raw or b"{}")
                return answer
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise GatewayError(f"cannot reach the simulator at {self.base_url}: {exc}") from None

    async def advance(self, delta: Millis) -> int:
        return int((await self._call("POST", ADVANCE, by_body(delta)))["fired"])

    async def advance_to(self, target: Millis) -> int:
        return int((await self._call("POST", ADVANCE, to_body(target)))["fired"])

    async def advance_to_next(self) -> Millis | None:
        if (await self._call("GET", "/__sim/clock")).get("nextEventAt") is None:
            return None
        return parse_instant((await self._call("POST", ADVANCE, {"next": True}))["now"])

    async def run_until_idle(self) -> int:
        fired = 0
        state = await self._call("GET", "/__sim/clock")
        for _ in range(MAX_STEPS):
            if state.get("nextEventAt") is None:
                return fired
            state = await self._call("POST", ADVANCE, {"next": True})
            fired += int(state["fired"])
        raise GatewayError(f"run_until_idle: events kept coming after {MAX_STEPS} moves")

    async def reset(self) -> None:
        await self._call("POST", "/__sim/reset", {})
        await self._call("POST", "/__sim/clock/mode", MANUAL)

    async def load(self, scenario: Loadable) -> None:
        await self._call("POST", "/__sim/scenario", {"yaml": scenario.remote_yaml(self.injected)})
        await self._call("POST", "/__sim/clock/mode", MANUAL)

    async def inject_inbound(self, body: JSON) -> JSON:
        return await self._call("POST", "/__sim/inbound", body)
