"""Clock throughput: how fast the engine runs through scheduled messages, beside bare heapq.

Submits N messages (one destination each, one request each, all due at the same instant a
minute ahead) straight to the gateway, then advances the clock through every event: the send
(which moves the message to ``PENDING_ENROUTE``) and the delivery (``DELIVERED_TO_HANDSET``,
with its report), two events per message. In the same run, a bare ``heapq`` loop pops the same
number of trivial events in the same pattern: N ``(due, seq, action)`` entries, each firing a
no-op that pushes one follow-up entry 3 s later, which fires a no-op too.

    python -m benchmarks.bench_clock --messages 1000000
"""

from __future__ import annotations

import argparse
import gc
import heapq
import time
from collections.abc import Callable
from itertools import count
from typing import Any

from benchmarks.common import ratio, table
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.gateway import MessageRequest, SubmitRequest
from simulator.models import Family, Template
from simulator.timefmt import parse_instant


def run_simulator(messages: int) -> dict[str, float]:
    sim = Simulator(SimulatorConfig(start=parse_instant("2026-01-01T00:00:00Z"), seed=1))
    account = sim.gateway.account()
    send_at = sim.clock.now() + 60_000
    gc.collect()
    gc.freeze()  # as sms-sim serve does (simulator.gctune): retained messages are not rescanned
    try:
        started = time.perf_counter()
        for index in range(messages):
            template = Template(Family.V3, "sms/3/messages", "InfoSMS", text="Hello")
            to = f"4179{index:07d}"
            sim.gateway.submit(
                account, SubmitRequest(Family.V3, [MessageRequest(template, [(to, None)], send_at)])
            )
            if index % 50_000 == 0:
                gc.freeze()
        submitted = time.perf_counter()
        events_before = sim.engine.fired
        sim.engine.run_until_idle()
        finished = time.perf_counter()
    finally:
        gc.unfreeze()
    events = sim.engine.fired - events_before
    delivered = sum(1 for m in account.messages if m.status.name == "DELIVERED_TO_HANDSET")
    return {
        "messages": messages,
        "delivered": delivered,
        "submit_seconds": submitted - started,
        "advance_seconds": finished - submitted,
        "events": events,
        "events_per_second": events / max(finished - submitted, 1e-9),
    }


def run_heapq(messages: int) -> dict[str, float]:
    """The same pattern with nothing but heapq: push N, pop each, each pushes one more."""
    heap: list[tuple[int, int, Callable[[Any], None], Any]] = []
    seq = count()
    fired = 0

    def deliver(_: Any) -> None:
        pass

    def send(due: Any) -> None:
        heapq.heappush(heap, (due + 3000, next(seq), deliver, None))

    due = 60_000
    started = time.perf_counter()
    for _ in range(messages):
        heapq.heappush(heap, (due, next(seq), send, due))
    pushed = time.perf_counter()
    pop = heapq.heappop
    while heap:
        _, _, action, payload = pop(heap)
        action(payload)
        fired += 1
    finished = time.perf_counter()
    return {
        "events": fired,
        "push_seconds": pushed - started,
        "advance_seconds": finished - pushed,
        "events_per_second": fired / max(finished - pushed, 1e-9),
    }


def run(messages: int) -> dict[str, float]:
    """Both, in one run; the figures of :func:`run_simulator` plus ``heapq_*`` and ``ratio``."""
    result = run_simulator(messages)
    bare = run_heapq(messages)
    result["heapq_events"] = bare["events"]
    result["heapq_events_per_second"] = bare["events_per_second"]
    result["ratio"] = result["events_per_second"] / bare["events_per_second"]
    return result


def report(result: dict[str, float]) -> str:
    return table(
        ("figure", "simulator", "bare heapq", "ratio"),
        [
            ("messages scheduled", f"{result['messages']:,.0f}", "-", "-"),
            ("submit time (s)", f"{result['submit_seconds']:.2f}", "-", "-"),
            ("events fired", f"{result['events']:,.0f}", f"{result['heapq_events']:,.0f}", "-"),
            ("advance time through all (s)", f"{result['advance_seconds']:.2f}", "-", "-"),
            (
                "events per second",
                f"{result['events_per_second']:,.0f}",
                f"{result['heapq_events_per_second']:,.0f}",
                ratio(result["events_per_second"], result["heapq_events_per_second"]),
            ),
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1_000_000)
    args = parser.parse_args()
    print(report(run(args.messages)))


if __name__ == "__main__":
    main()
