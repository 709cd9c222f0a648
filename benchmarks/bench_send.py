"""Requests per second for ``POST /sms/3/messages`` against a running simulator.

Starts ``sms-sim serve`` as a subprocess (manual clock, free port) unless ``--url`` is given,
then sends one-destination messages from ``--connections`` keep-alive connections for
``--seconds`` and prints requests per second and latency percentiles.

    python -m benchmarks.bench_send --seconds 10 --connections 32
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator

import aiohttp

BODY = json.dumps(
    {
        "messages": [
            {
                "sender": "InfoSMS",
                "destinations": [{"to": "41793026727"}],
                "content": {"text": "Benchmark message"},
            }
        ]
    }
).encode()
HEADERS = {"Authorization": "App bench", "Content-Type": "application/json"}


@contextlib.contextmanager
def server() -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--port", "0", "--clock", "manual"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"(http://\S+)", line)
        if match is None:
            raise RuntimeError(f"the simulator did not start: {line!r}")
        process.stdout.readline()  # the readiness line
        yield match.group(1)
    finally:
        process.terminate()
        process.communicate(timeout=10)


async def load(url: str, seconds: float, connections: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                async with session.post(f"{url}/sms/3/messages", data=BODY, headers=HEADERS) as r:
                    await r.read()
                    if r.status != 200:
                        errors += 1
                latencies.append(time.perf_counter() - started)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="an already running simulator")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        url = args.url or stack.enter_context(server())
        result = asyncio.run(load(url, args.seconds, args.connections))
    print("| endpoint | connections | requests | errors | req/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| POST /sms/3/messages | {args.connections} | {result['requests']:,.0f} | "
        f"{result['errors']:.0f} | {result['rps']:,.0f} | {result['p50_ms']:.2f} | "
        f"{result['p99_ms']:.2f} |"
    )


if __name__ == "__main__":
    main()
