"""Send throughput and latency: the simulator, a bare aiohttp app and WireMock, side by side.

For ``POST /sms/3/messages`` and ``POST /sms/2/text/advanced``, with 1 and 10 destinations,
at 32 and 128 keep-alive connections, each server pinned to core 0 and ``wrk`` (one thread,
a Lua script setting the body) pinned to core 1:

* the simulator: ``sms-sim serve --clock manual --scenario default`` (reset before each run,
  so every run starts from an empty simulator);
* the bare aiohttp app of :mod:`benchmarks.bare_app` (parses the body, answers the same
  shape; the same JSON library and event loop), the ceiling of the stack;
* WireMock standalone (the npm package ``wiremock``'s jar, ``java -jar``) serving a static
  stub of the same response, warmed up first.

Requests per second and the p50/p99 of wrk's latency distribution; ratios are the
simulator's figure divided by the peer's. Without wrk (outside CI) a Python load generator
(aiohttp, in this process) stands in; WireMock is left out when Java or the jar is missing.

    python -m benchmarks.bench_send --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import aiohttp

from benchmarks.common import (
    LOAD_CORE,
    SERVER_CORE,
    WrkResult,
    cpu_seconds,
    free_port,
    java_path,
    parse_wrk,
    pinned,
    process,
    python_server,
    ratio,
    table,
    wiremock_jar,
    wrk_path,
)

ENDPOINTS = ("/sms/3/messages", "/sms/2/text/advanced")
PENDING = {
    "groupId": 1,
    "groupName": "PENDING",
    "id": 26,
    "name": "PENDING_ACCEPTED",
    "description": "Message sent to next instance",
}
HEADERS = {"Authorization": "App bench", "Content-Type": "application/json"}
DESTINATIONS_HEADER = "X-Bench-Destinations"
"""Sent with every request; WireMock's stubs match on it (the others ignore it)."""


def numbers(destinations: int) -> list[str]:
    return [f"4179302{index:04d}" for index in range(1, destinations + 1)]


def body(endpoint: str, destinations: int) -> bytes:
    to = [{"to": number} for number in numbers(destinations)]
    if endpoint == "/sms/3/messages":
        message: dict[str, object] = {
            "sender": "InfoSMS",
            "destinations": to,
            "content": {"text": "Benchmark message"},
        }
    else:
        message = {"from": "InfoSMS", "destinations": to, "text": "Benchmark message"}
    return json.dumps({"messages": [message]}, separators=(",", ":")).encode()


def stub_answer(endpoint: str, destinations: int) -> str:
    """The static answer WireMock gives: the simulator's shape, fixed ids."""
    entries: list[dict[str, object]] = []
    for index, number in enumerate(numbers(destinations)):
        message_id = f"{index:08x}-6baa-4455-83e7-0682c2094cac"
        if endpoint == "/sms/3/messages":
            entries.append(
                {
                    "messageId": message_id,
                    "status": PENDING,
                    "destination": number,
                    "details": {"messageCount": 1},
                }
            )
        else:
            entries.append({"messageId": message_id, "status": PENDING, "to": number})
    return json.dumps({"bulkId": "1000000000000000000", "messages": entries}, separators=(",", ":"))


def lua_script(payload: bytes, destinations: int) -> str:
    headers = {**HEADERS, DESTINATIONS_HEADER: str(destinations)}
    lines = ['wrk.method = "POST"', f"wrk.body = [[{payload.decode()}]]"]
    lines += [f'wrk.headers["{name}"] = "{value}"' for name, value in headers.items()]
    return "\n".join(lines) + "\n"


# -- load generators -------------------------------------------------------------------------
def run_wrk(url: str, script: str, connections: int, seconds: float) -> WrkResult:
    wrk = wrk_path()
    assert wrk is not None
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = pinned(
            LOAD_CORE,
            [
                wrk,
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                handle.name,
                url,
            ],
        )
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 60, check=True
        )
    finally:
        os.unlink(handle.name)
    return parse_wrk(done.stdout)


async def python_load(
    url: str, payload: bytes, destinations: int, connections: int, seconds: float
) -> WrkResult:
    """A stand-in for wrk (smoke runs without it): keep-alive workers posting ``payload``."""
    latencies: list[float] = []
    errors = 0
    headers = {**HEADERS, DESTINATIONS_HEADER: str(destinations)}
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                async with session.post(url, data=payload, headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        errors += 1
                latencies.append(time.perf_counter() - started)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    return WrkResult(len(latencies) / elapsed, pct(0.5), pct(0.99), len(latencies), errors)


def measure(
    base: str, endpoint: str, destinations: int, connections: int, seconds: float, tool: str
) -> WrkResult:
    payload = body(endpoint, destinations)
    if tool == "wrk":
        return run_wrk(base + endpoint, lua_script(payload, destinations), connections, seconds)
    return asyncio.run(python_load(base + endpoint, payload, destinations, connections, seconds))


# -- the servers -------------------------------------------------------------------------------
@dataclass
class Target:
    name: str
    base: str
    reset: str | None = None
    """A URL to POST before each run (the simulator's ``/__sim/reset``)."""
    warmup: float = 1.0
    pid: int | None = None
    """The server process, whose CPU time per request is measured."""


def post(url: str, data: bytes = b"{}") -> bytes:
    request = urllib.request.Request(url, data=data, method="POST")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=60) as response:
        answer: bytes = response.read()
        return answer


@contextlib.contextmanager
def simulator_server(loop: str = "auto") -> Iterator[Target]:
    port = free_port()
    command = python_server(
        "simulator",
        "serve",
        "--port",
        str(port),
        "--clock",
        "manual",
        "--start",
        "2026-01-01T00:00:00Z",
        "--scenario",
        "default",
        "--loop",
        loop,
    )
    os.environ.pop("SMS_SIM_CONTROL_TOKEN", None)
    with process(pinned(SERVER_CORE, command), port) as child:
        base = f"http://127.0.0.1:{port}"
        yield Target("simulator", base, reset=f"{base}/__sim/reset", pid=child.pid)


@contextlib.contextmanager
def bare_server(loop: str = "auto") -> Iterator[Target]:
    port = free_port()
    command = python_server("benchmarks.bare_app", "--port", str(port), "--loop", loop)
    with process(pinned(SERVER_CORE, command), port) as child:
        yield Target("bare aiohttp", f"http://127.0.0.1:{port}", pid=child.pid)


@contextlib.contextmanager
def wiremock_server(warmup: float = 5.0) -> Iterator[Target]:
    jar, java = wiremock_jar(), java_path()
    if jar is None or java is None:
        raise RuntimeError("WireMock needs java and the wiremock npm package's jar")
    port = free_port()
    with tempfile.TemporaryDirectory() as root:
        mappings = Path(root) / "mappings"
        mappings.mkdir()
        for endpoint in ENDPOINTS:
            for destinations in (1, 10):
                stub = {
                    "request": {
                        "method": "POST",
                        "urlPath": endpoint,
                        "headers": {DESTINATIONS_HEADER: {"equalTo": str(destinations)}},
                    },
                    "response": {
                        "status": 200,
                        "headers": {"Content-Type": "application/json"},
                        "body": stub_answer(endpoint, destinations),
                    },
                }
                name = f"{endpoint.strip('/').replace('/', '_')}_{destinations}.json"
                (mappings / name).write_text(json.dumps(stub))
        command = [
            java,
            "-Xms512m",
            "-Xmx1g",
            "-jar",
            jar,
            "--port",
            str(port),
            "--bind-address",
            "127.0.0.1",
            "--root-dir",
            root,
            "--disable-banner",
            "--no-request-journal",
            "--disable-request-logging",
        ]
        with process(pinned(SERVER_CORE, command), port, timeout=120) as child:
            yield Target("WireMock", f"http://127.0.0.1:{port}", warmup=warmup, pid=child.pid)


# -- the benchmark -----------------------------------------------------------------------------
@dataclass
class Case:
    endpoint: str
    destinations: int
    connections: int
    results: dict[str, WrkResult] = field(default_factory=dict)


def run(
    *,
    seconds: float = 10.0,
    endpoints: Sequence[str] = ENDPOINTS,
    destinations: Sequence[int] = (1, 10),
    connections: Sequence[int] = (32, 128),
    peers: Sequence[str] = ("bare", "wiremock"),
    tool: str | None = None,
    loop: str = "auto",
) -> tuple[list[Case], dict[str, str]]:
    """Every case against every target; returns the cases and notes (tool, skipped peers)."""
    tool = tool or ("wrk" if wrk_path() else "python")
    notes = {"tool": tool, "loop": loop}
    cases = [Case(e, d, c) for e in endpoints for d in destinations for c in connections]
    starters: list[tuple[str, contextlib.AbstractContextManager[Target]]] = [
        ("simulator", simulator_server(loop))
    ]
    if "bare" in peers:
        starters.append(("bare", bare_server(loop)))
    if "wiremock" in peers:
        if wiremock_jar() and java_path():
            starters.append(("wiremock", wiremock_server(warmup=max(2.0, seconds / 2))))
        else:
            notes["wiremock"] = "skipped: java or the wiremock npm package's jar is missing"
    for _, starter in starters:
        with starter as target:
            warmed: set[tuple[str, int]] = set()
            for case in cases:
                if (case.endpoint, case.destinations) not in warmed:
                    warmed.add((case.endpoint, case.destinations))
                    measure(target.base, case.endpoint, case.destinations, 32, target.warmup, tool)
                if target.reset:
                    post(target.reset)
                case.results[target.name] = measured(target, case, seconds, tool)
    return cases, notes


def measured(target: Target, case: Case, seconds: float, tool: str) -> WrkResult:
    """One run of ``case`` against ``target``, with the server's CPU time per request."""
    before = None if target.pid is None else cpu_seconds(target.pid)
    result = measure(target.base, case.endpoint, case.destinations, case.connections, seconds, tool)
    after = None if target.pid is None else cpu_seconds(target.pid)
    if before is None or after is None or not result.requests:
        return result
    return replace(result, cpu_us=(after - before) / result.requests * 1e6)


HEADERS_ROW = (
    "endpoint",
    "dest.",
    "conns",
    "simulator req/s",
    "p50 ms",
    "p99 ms",
    "bare aiohttp req/s",
    "bare p99 ms",
    "WireMock req/s",
    "WireMock p99 ms",
    "sim ÷ bare",
    "sim ÷ WireMock",
    "CPU µs/req: sim / bare / WireMock",
)


def _cpu(result: WrkResult | None) -> str:
    return "-" if result is None or result.cpu_us is None else f"{result.cpu_us:.0f}"


def rows(cases: Sequence[Case]) -> list[list[object]]:
    found: list[list[object]] = []
    for case in cases:
        sim = case.results["simulator"]
        bare = case.results.get("bare aiohttp")
        mock = case.results.get("WireMock")
        found.append(
            [
                f"POST {case.endpoint}",
                case.destinations,
                case.connections,
                f"{sim.rps:,.0f}",
                f"{sim.p50_ms:.2f}",
                f"{sim.p99_ms:.2f}",
                f"{bare.rps:,.0f}" if bare else "-",
                f"{bare.p99_ms:.2f}" if bare else "-",
                f"{mock.rps:,.0f}" if mock else "-",
                f"{mock.p99_ms:.2f}" if mock else "-",
                ratio(sim.rps, bare.rps) if bare else "-",
                ratio(sim.rps, mock.rps) if mock else "-",
                f"{_cpu(sim)} / {_cpu(bare)} / {_cpu(mock)}",
            ]
        )
    return found


def errors(cases: Sequence[Case]) -> list[str]:
    return [
        f"{name} {case.endpoint} x{case.destinations} @{case.connections}: {result.errors} errors"
        for case in cases
        for name, result in case.results.items()
        if result.errors
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, nargs="+", default=[32, 128])
    parser.add_argument("--destinations", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--endpoint", nargs="+", default=list(ENDPOINTS))
    parser.add_argument("--peers", nargs="*", default=["bare", "wiremock"])
    parser.add_argument("--tool", choices=("wrk", "python"))
    parser.add_argument("--loop", choices=("auto", "asyncio", "uvloop"), default="auto")
    args = parser.parse_args()
    cases, notes = run(
        seconds=args.seconds,
        endpoints=args.endpoint,
        destinations=args.destinations,
        connections=args.connections,
        peers=args.peers,
        tool=args.tool,
        loop=args.loop,
    )
    print(table(HEADERS_ROW, rows(cases)))
    for key, value in notes.items():
        print(f"{key}: {value}")
    for line in errors(cases):
        print(f"errors: {line}")


if __name__ == "__main__":
    main()
