"""Load and faults: many clients at once, a bounded soak with retention on, and webhook
receivers that misbehave at the HTTP level.

* **Concurrency**: ``LOAD_CLIENTS`` threads send at once (v3 and v2, one to three
  destinations each) while another thread advances the clock and others pull reports from
  both report endpoints (one queue). Afterwards every accepted message is in the journal
  exactly once, delivered, and its final report was pulled exactly once: nothing lost,
  nothing duplicated, no error answer.
* **Soak**: ``SOAK_SECONDS`` (seconds in CI; ``SMS_SIM_SOAK_SECONDS`` for longer) of steady
  sends, clock advances, report pulls and log reads with message retention on; the memory
  traced by ``tracemalloc`` once warmed up stays flat and every answer is a 200.
* **Webhook receivers** that reset the connection, answer something that is not HTTP, an
  impossible status, a truncated body, or a body so slow it times out: every attempt is
  recorded with what went wrong, retried on Infobip's schedule, and the API keeps answering
  at its normal latency meanwhile. (Hanging receivers, 5xx, timeouts and refused
  connections are in ``tests/test_webhooks.py``.)
"""

from __future__ import annotations

import asyncio
import gc
import socket
import struct
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

import pytest
import requests
from aiohttp import web
from aiohttp.test_utils import TestClient
from reliability import (
    LOAD_ADVANCES,
    LOAD_CLIENTS,
    LOAD_PULLERS,
    LOAD_REQUESTS_PER_CLIENT,
    SOAK_MEMORY_SLACK_BYTES,
    SOAK_SECONDS_RUN,
    WEBHOOK_FAULTS,
)

from simulator.app import make_app
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.testing.server import ThreadedSimulator
from simulator.timefmt import HOUR, MINUTE, parse_instant

Client = TestClient[web.Request, web.Application]
ClientFactory = Callable[..., Awaitable[Client]]
JSON = dict[str, Any]

START: Final = parse_instant("2026-01-01T09:00:00.000+0000")
AUTH: Final = {"Authorization": "App load-key"}


def session() -> requests.Session:
    http = requests.Session()
    http.trust_env = False  # loopback only
    http.headers.update(AUTH)
    return http


# -- concurrency -------------------------------------------------------------------------------
def test_concurrent_clients_lose_and_duplicate_nothing() -> None:
    config = SimulatorConfig(start=START, seed=21, journal_limit=100_000)
    with ThreadedSimulator(config) as gateway:
        url = gateway.url
        errors: list[str] = []
        sending = threading.Event()

        def client(number: int) -> list[str]:
            accepted: list[str] = []
            with session() as http:
                for request in range(LOAD_REQUESTS_PER_CLIENT):
                    destinations = [
                        f"417{number:02d}{request:04d}{d}" for d in range(1 + request % 3)
                    ]
                    if request % 2:
                        path = "/sms/3/messages"
                        body: JSON = {
                            "messages": [
                                {
                                    "destinations": [{"to": t} for t in destinations],
                                    "content": {"text": "Hi"},
                                }
                            ]
                        }
                    else:
                        path = "/sms/2/text/advanced"
                        body = {
                            "messages": [
                                {"destinations": [{"to": t} for t in destinations], "text": "Hi"}
                            ]
                        }
                    response = http.post(url + path, json=body, timeout=30)
                    if response.status_code != 200:
                        errors.append(f"{path}: {response.status_code} {response.text[:200]}")
                        continue
                    accepted.extend(m["messageId"] for m in response.json()["messages"])
            return accepted

        def advancer() -> int:
            moves = 0
            with session() as http:
                while sending.is_set() or moves < LOAD_ADVANCES:
                    response = http.post(
                        url + "/__sim/clock/advance", json={"by": "1s"}, timeout=30
                    )
                    if response.status_code != 200:
                        errors.append(f"advance: {response.status_code} {response.text[:200]}")
                    moves += 1
            return moves

        def puller(path: str) -> list[tuple[str, str]]:
            pulled: list[tuple[str, str]] = []
            with session() as http:
                while sending.is_set() or not pulled:
                    response = http.get(url + path, params={"limit": "100"}, timeout=30)
                    if response.status_code != 200:
                        errors.append(f"{path}: {response.status_code} {response.text[:200]}")
                        continue
                    pulled.extend(
                        (r["messageId"], r["status"]["name"]) for r in response.json()["results"]
                    )
                    if not sending.is_set():
                        break
            return pulled

        sending.set()
        paths = ["/sms/3/reports", "/sms/1/reports"]
        with ThreadPoolExecutor(max_workers=LOAD_CLIENTS + 1 + LOAD_PULLERS) as pool:
            clients = [pool.submit(client, n) for n in range(LOAD_CLIENTS)]
            moving = pool.submit(advancer)
            pullers = [pool.submit(puller, paths[n % 2]) for n in range(LOAD_PULLERS)]
            accepted = [mid for future in clients for mid in future.result(timeout=300)]
            sending.clear()
            assert moving.result(timeout=300) >= LOAD_ADVANCES
            pulled = [item for future in pullers for item in future.result(timeout=300)]
        gateway.advance("1h")  # everything due is delivered
        with session() as http:
            while True:
                page = http.get(url + "/sms/3/reports", params={"limit": "1000"}, timeout=30).json()
                if not page["results"]:
                    break
                pulled.extend((r["messageId"], r["status"]["name"]) for r in page["results"])
            journal = http.get(
                url + "/__sim/messages", params={"limit": "100000"}, timeout=30
            ).json()
    expected = LOAD_CLIENTS * sum(1 + r % 3 for r in range(LOAD_REQUESTS_PER_CLIENT))
    assert errors == []
    assert len(accepted) == len(set(accepted)) == expected, "each accepted once, with its own id"
    in_journal = Counter(m["messageId"] for m in journal["messages"])
    assert in_journal == Counter(dict.fromkeys(accepted, 1)), "every message kept exactly once"
    assert {m["status"]["name"] for m in journal["messages"]} == {"DELIVERED_TO_HANDSET"}
    assert Counter(pulled) == Counter({(mid, "DELIVERED_TO_HANDSET"): 1 for mid in accepted}), (
        "every final report pulled exactly once"
    )


# -- soak -------------------------------------------------------------------------------------
def test_soak_with_retention_keeps_memory_flat_and_answers_every_request() -> None:
    config = SimulatorConfig(
        start=START,
        seed=22,
        message_retention=HOUR,
        retention_sweep_every=10 * MINUTE,
        report_retention=HOUR,
        journal_limit=500,
    )
    samples: list[int] = []
    statuses: Counter[int] = Counter()
    iterations = 0
    with ThreadedSimulator(config) as gateway, session() as http:
        url = gateway.url
        batch = {
            "messages": [
                {
                    "destinations": [{"to": f"4179302{n:04d}"} for n in range(20)],
                    "content": {"text": "Soak"},
                }
            ]
        }
        tracemalloc.start()
        try:
            deadline = time.monotonic() + SOAK_SECONDS_RUN
            warm = 40  # a few hours of virtual time: the retention windows fill up first
            while iterations < warm or time.monotonic() < deadline:
                iterations += 1
                answers = [
                    http.post(url + "/sms/3/messages", json=batch, timeout=30),
                    http.post(url + "/__sim/clock/advance", json={"by": "5m"}, timeout=30),
                    http.get(url + "/sms/3/reports", params={"limit": "1000"}, timeout=30),
                ]
                if iterations % 5 == 0:
                    answers.append(
                        http.get(url + "/sms/3/logs", params={"limit": "100"}, timeout=30)
                    )
                    answers.append(
                        http.get(url + "/__sim/messages", params={"limit": "10"}, timeout=30)
                    )
                statuses.update(a.status_code for a in answers)
                if iterations >= warm and iterations % 5 == 0:
                    gc.collect()
                    samples.append(tracemalloc.get_traced_memory()[0])
        finally:
            tracemalloc.stop()
        kept = gateway.call(lambda: len(gateway.simulator.gateway.account().messages))
    assert set(statuses) == {200}, statuses
    assert len(samples) >= 4, f"only {iterations} iterations"
    quarter = max(1, len(samples) // 4)
    early = sum(samples[:quarter]) / quarter
    late = sum(samples[-quarter:]) / quarter
    assert late - early < SOAK_MEMORY_SLACK_BYTES, (
        f"traced memory grew from {early / 1e6:.2f} MB to {late / 1e6:.2f} MB over "
        f"{iterations} iterations ({len(samples)} samples)"
    )
    # One hour of retention at 20 messages per 5 virtual minutes: about 12 batches kept.
    assert kept <= 20 * 20, kept


# -- misbehaving webhook receivers ---------------------------------------------------------------
Behaviour = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _read_request(reader: asyncio.StreamReader) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)


async def reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Close with RST (SO_LINGER 0) as soon as the request arrived."""
    await _read_request(reader)
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def answer(raw: bytes) -> Behaviour:
    async def behave(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(raw)
        await writer.drain()
        writer.close()

    return behave


async def slow_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Headers at once, then the body a byte at a time, far slower than the timeout."""
    await _read_request(reader)
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 50\r\n\r\n")
    await writer.drain()
    for _ in range(50):
        await asyncio.sleep(0.1)
        writer.write(b"x")
        await writer.drain()
    writer.close()


BEHAVIOURS: Final[dict[str, tuple[Behaviour, str]]] = {
    # name: (what the receiver does, what each attempt must record)
    "connection-reset": (reset, "error"),
    "not-http": (answer(b"this is not HTTP at all\r\n\r\n"), "error"),
    "binary-garbage": (answer(bytes(range(256)) * 4), "error"),
    "impossible-status": (answer(b"HTTP/1.1 999 Nope\r\nContent-Length: 0\r\n\r\n"), "status"),
    "bad-header": (answer(b"HTTP/1.1 200 OK\r\nContent-Length: banana\r\n\r\n"), "error"),
}
SAID_200: Final[dict[str, bytes | None]] = {
    "truncated-body": b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial",
    "slow-body": None,
}
"""Receivers that answered 200 and then broke their own body: the report arrived (delivered,
one attempt), and the attempt records what broke."""
assert set(BEHAVIOURS) | set(SAID_200) == set(WEBHOOK_FAULTS)


class RawReceiver:
    """A TCP server on 127.0.0.1 that does one misbehaviour to every connection."""

    def __init__(self, behave: Behaviour) -> None:
        self.behave = behave
        self.connections = 0
        self.server: asyncio.Server | None = None
        self.handling: set[asyncio.Task[Any]] = set()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        task = asyncio.current_task()
        if task is not None:
            self.handling.add(task)
        try:
            await self.behave(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            if task is not None:
                self.handling.discard(task)

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/dlr"

    async def stop(self) -> None:
        for task in list(self.handling):  # a slow receiver still trickling its body
            task.cancel()
        await asyncio.gather(*self.handling, return_exceptions=True)
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()


@pytest.fixture
async def raw_receivers() -> AsyncIterator[
    Callable[[Behaviour], Awaitable[tuple[RawReceiver, str]]]
]:
    started: list[RawReceiver] = []

    async def new(behave: Behaviour) -> tuple[RawReceiver, str]:
        receiver = RawReceiver(behave)
        started.append(receiver)
        return receiver, await receiver.start()

    yield new
    for receiver in started:
        await receiver.stop()


async def start_simulator(aiohttp_client: ClientFactory, **settings: Any) -> Client:
    simulator = Simulator(SimulatorConfig(start=START, seed=23, **settings))
    return await aiohttp_client(make_app(simulator), headers=AUTH)


async def timed(call: Awaitable[Any]) -> float:
    started = time.perf_counter()
    await call
    return time.perf_counter() - started


@pytest.mark.parametrize("name", sorted(BEHAVIOURS))
async def test_a_misbehaving_receiver_is_recorded_and_retried_and_the_api_keeps_serving(
    aiohttp_client: ClientFactory,
    raw_receivers: Callable[[Behaviour], Awaitable[tuple[RawReceiver, str]]],
    name: str,
) -> None:
    behave, recorded = BEHAVIOURS[name]
    receiver, url = await raw_receivers(behave)
    client = await start_simulator(
        aiohttp_client, default_report_url=url, webhook_timeout=0.5, webhook_max_retries=2
    )
    body = {"messages": [{"destinations": [{"to": "41793026727"}], "content": {"text": "Hi"}}]}
    response = await client.post("/sms/3/messages", json=body)
    assert response.status == 200
    # The advance attempts the push (and waits for it); the API answers meanwhile.
    advancing = asyncio.ensure_future(client.post("/__sim/clock/advance", json={"by": "1d"}))
    latencies = []
    for _ in range(10):
        latencies.append(await timed(client.post("/sms/3/messages", json=body)))
        latencies.append(await timed(client.get("/sms/3/logs")))
    advanced = await asyncio.wait_for(advancing, timeout=30)
    assert advanced.status == 200, await advanced.text()
    assert max(latencies) < 1.0, f"the API slowed down to {max(latencies):.2f}s"

    pushes = (await (await client.get("/__sim/webhooks")).json())["webhooks"]
    assert pushes, "no push recorded"
    for push in pushes:
        assert push["state"] == "failed", push
        assert len(push["attempts"]) == 3, "the first attempt and both retries, each recorded"
        for attempt in push["attempts"]:
            if recorded == "status":
                assert attempt["httpStatus"] == 999, attempt
                assert attempt["error"] is None, attempt
            elif recorded == "timeout":
                assert attempt["error"] == "timeout", attempt
            else:
                assert attempt["httpStatus"] is None, attempt
                assert attempt["error"], attempt
    assert receiver.connections >= 3
    logs = await (await client.get("/sms/3/logs")).json()
    assert len(logs["results"]) == 11


@pytest.mark.parametrize("name", sorted(SAID_200))
async def test_a_200_with_a_broken_body_counts_as_delivered_and_says_so(
    aiohttp_client: ClientFactory,
    raw_receivers: Callable[[Behaviour], Awaitable[tuple[RawReceiver, str]]],
    name: str,
) -> None:
    raw = SAID_200[name]
    _, url = await raw_receivers(slow_body if raw is None else answer(raw))
    client = await start_simulator(aiohttp_client, default_report_url=url, webhook_timeout=0.5)
    body = {"messages": [{"destinations": [{"to": "41793026727"}], "content": {"text": "Hi"}}]}
    assert (await client.post("/sms/3/messages", json=body)).status == 200
    advancing = asyncio.ensure_future(client.post("/__sim/clock/advance", json={"by": "1d"}))
    latency = await timed(client.get("/sms/3/logs"))
    assert (await asyncio.wait_for(advancing, timeout=30)).status == 200
    assert latency < 1.0
    [push] = (await (await client.get("/__sim/webhooks")).json())["webhooks"]
    assert push["state"] == "delivered"
    [attempt] = push["attempts"]
    assert attempt["httpStatus"] == 200
    assert attempt["error"] == ("timeout" if raw is None else attempt["error"])
    assert attempt["error"]
