"""Webhook push throughput: delivery reports pushed to a local aiohttp receiver, beside a
bare aiohttp client posting the same bodies, in the same run.

The receiver (``POST /reports`` of :mod:`benchmarks.bare_app`, answering 200) runs pinned to
core 1; this process, pinned to core 0, runs the simulator's dispatcher (manual clock, every
message's report URL the receiver) and then the bare client. Two shapes:

* **one report per push**: messages delivered at distinct instants, so each delivery report
  is its own POST; the driver advances event by event and waits for each push, as an
  ``advance`` does;
* **batched**: messages delivered at one instant, 100 reports per POST (Infobip's bucket).
  They are all sent at one earlier instant, and the clock is moved past it before timing
  starts: what is timed is the delivery instant (firing the deliveries, rendering the
  reports, posting them), not the sends, which push nothing.

The bare client posts exactly the bodies the simulator pushed, the pushes of one instant
together (as the dispatcher sends them), one instant after another.

    python -m benchmarks.bench_webhooks --messages 20000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import time
from collections.abc import Iterator
from itertools import groupby

import aiohttp

from benchmarks.common import (
    LOAD_CORE,
    SERVER_CORE,
    cores,
    free_port,
    pinned,
    process,
    python_server,
    ratio,
    table,
)
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.dispatch import Dispatcher, Driver
from simulator.gateway import MessageRequest, SubmitRequest
from simulator.models import Family, Template
from simulator.timefmt import parse_instant


@contextlib.contextmanager
def receiver() -> Iterator[str]:
    port = free_port()
    with process(
        pinned(LOAD_CORE, python_server("benchmarks.bare_app", "--port", str(port))), port
    ):
        yield f"http://127.0.0.1:{port}/reports"


@contextlib.contextmanager
def on_core(core: int) -> Iterator[None]:
    """Pin this process to ``core`` for the block (when there are two cores)."""
    if cores() < 2 or not hasattr(os, "sched_setaffinity"):
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {core})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


async def simulator_pushes(
    url: str, messages: int, spaced: bool
) -> tuple[float, list[list[bytes]]]:
    """Seconds to push every report, and the bodies pushed, grouped by instant."""
    config = SimulatorConfig(
        start=parse_instant("2026-01-01T00:00:00Z"),
        seed=1,
        default_report_url=url,
        journal_limit=messages + 10,
    )
    sim = Simulator(config)
    dispatcher = Dispatcher(sim)
    driver = Driver(sim, dispatcher)
    await dispatcher.start()
    try:
        account = sim.gateway.account()
        start = sim.clock.now() + 1000
        for index in range(messages):
            template = Template(Family.V3, "sms/3/messages", "InfoSMS", text="Hello")
            send_at = start + (index if spaced else 0)
            request = SubmitRequest(
                Family.V3, [MessageRequest(template, [(f"4179{index:07d}", None)], send_at)]
            )
            sim.gateway.submit(account, request)
        if not spaced:
            await driver.advance_to(start)  # the sends (they push nothing), untimed
        began = time.perf_counter()
        await driver.run_until_idle()
        elapsed = time.perf_counter() - began
    finally:
        await dispatcher.stop()
    pushes = list(dispatcher.pushes)
    assert all(p.state == "delivered" for p in pushes), "a push was not answered 200"
    assert sum(len(p.message_ids) for p in pushes) == messages
    groups = [[p.body for p in group] for _, group in groupby(pushes, key=lambda p: p.created_at)]
    return elapsed, groups


async def bare_client(url: str, groups: list[list[bytes]]) -> float:
    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession() as session:

        async def post(data: bytes) -> None:
            async with session.post(url, data=data, headers=headers) as response:
                await response.text()
                assert response.status == 200

        began = time.perf_counter()
        for group in groups:
            await asyncio.gather(*(post(data) for data in group))
        return time.perf_counter() - began


def run(messages: int = 20_000) -> list[dict[str, float | str]]:
    results: list[dict[str, float | str]] = []
    with receiver() as url, on_core(SERVER_CORE):
        for shape, spaced in (("one report per push", True), ("batched, 100 per push", False)):
            sim_seconds, groups = asyncio.run(simulator_pushes(url, messages, spaced))
            bare_seconds = asyncio.run(bare_client(url, groups))
            results.append(
                {
                    "shape": shape,
                    "reports": messages,
                    "pushes": sum(len(g) for g in groups),
                    "simulator_rps": messages / sim_seconds,
                    "bare_rps": messages / bare_seconds,
                }
            )
    return results


def report(results: list[dict[str, float | str]]) -> str:
    rows = []
    for r in results:
        sim, bare = float(r["simulator_rps"]), float(r["bare_rps"])
        rows.append(
            (
                r["shape"],
                f"{r['reports']:,}",
                f"{r['pushes']:,}",
                f"{sim:,.0f}",
                f"{bare:,.0f}",
                ratio(sim, bare),
            )
        )
    return table(
        ("shape", "reports", "POSTs", "simulator reports/s", "bare client reports/s", "ratio"),
        rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=20_000)
    args = parser.parse_args()
    print(report(run(args.messages)))


if __name__ == "__main__":
    main()
