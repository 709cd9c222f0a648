"""How fast the clock runs through scheduled messages.

Submits N messages (one destination each) straight to the gateway, then advances the clock
through every send, en-route and delivery event, and prints the time taken.

    python -m benchmarks.bench_clock --messages 100000
"""

from __future__ import annotations

import argparse
import time

from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.gateway import MessageRequest, SubmitRequest
from simulator.models import Family, Template
from simulator.timefmt import parse_instant


def run(messages: int) -> dict[str, float]:
    sim = Simulator(SimulatorConfig(start=parse_instant("2026-01-01T00:00:00Z"), seed=1))
    account = sim.gateway.account()
    send_at = sim.clock.now() + 60_000
    started = time.perf_counter()
    for index in range(messages):
        template = Template(Family.V3, "sms/3/messages", "InfoSMS", text="Hello")
        to = f"4179{index:07d}"
        sim.gateway.submit(
            account, SubmitRequest(Family.V3, [MessageRequest(template, [(to, None)], send_at)])
        )
    submitted = time.perf_counter()
    events_before = sim.engine.fired
    sim.engine.run_until_idle()
    finished = time.perf_counter()
    events = sim.engine.fired - events_before
    return {
        "messages": messages,
        "submit_seconds": submitted - started,
        "advance_seconds": finished - submitted,
        "events": events,
        "events_per_second": events / max(finished - submitted, 1e-9),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args()
    result = run(args.messages)
    print("| figure | value |")
    print("|---|---|")
    print(f"| messages scheduled | {result['messages']:,} |")
    print(f"| submit time (s) | {result['submit_seconds']:.2f} |")
    print(f"| events fired | {result['events']:,} |")
    print(f"| advance time through all (s) | {result['advance_seconds']:.2f} |")
    print(f"| events per second | {result['events_per_second']:,.0f} |")


if __name__ == "__main__":
    main()
