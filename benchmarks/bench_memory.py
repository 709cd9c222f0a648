"""Memory: bytes retained per delivered message, and a soak that must stay flat.

* **Per message**: N messages (one request, one destination each, as clients send them) go
  through submit, send and delivery; afterwards everything the simulator keeps about them
  (message, template, bulk, timeline, the unpulled delivery report, indexes) is measured
  with ``tracemalloc`` and divided by N.
* **Soak**: a steady send rate on the virtual clock for several retention windows, through
  the gateway, the engine and the request journal (``journal_limit``) with the default
  retention (``message_retention``, a week), sampling the memory traced at every virtual
  hour. Memory must be flat once the first window has filled: the peak of the last window
  is compared with the peak of the one before.

    python -m benchmarks.bench_memory --messages 1000000 --soak-days 21
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from dataclasses import replace

from benchmarks.common import table
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.gateway import MessageRequest, SubmitRequest
from simulator.models import Family, Template
from simulator.timefmt import DAY, MINUTE, Millis, parse_instant

START = parse_instant("2026-01-01T00:00:00Z")
BODY = (
    b'{"messages":[{"sender":"InfoSMS","destinations":[{"to":"41793026727"}],'
    b'"content":{"text":"Hello"}}]}'
)


def _send(sim: Simulator, index: int, destinations: int = 1) -> None:
    """One request as the HTTP surface makes it: a template, ``destinations`` numbers."""
    account = sim.gateway.account()
    template = Template(Family.V3, "sms/3/messages", "InfoSMS", text="Hello")
    template.validity = sim.config.default_validity
    to: list[tuple[str, str | None]] = [(f"4179{index + n:07d}", None) for n in range(destinations)]
    request = SubmitRequest(Family.V3, [MessageRequest(template, to)])
    sim.gateway.submit(account, request)
    sim.requests.record(sim.clock.now(), account.key, "POST", "/sms/3/messages", "", 200, BODY, 1.0)


def per_message(messages: int, destinations: int = 1) -> dict[str, float]:
    sim = Simulator(SimulatorConfig(start=START, seed=1))
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        started = time.perf_counter()
        for index in range(0, messages, destinations):
            _send(sim, index, destinations)
            if index % 1000 >= 1000 - destinations:
                sim.engine.run_until_idle()
        sim.engine.run_until_idle()
        sim.requests.clear()  # the journal is capped, not per message: leave it out
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
        elapsed = time.perf_counter() - started
    finally:
        tracemalloc.stop()
    account = sim.gateway.account()
    delivered = sum(1 for m in account.messages if m.final)
    return {
        "messages": messages,
        "destinations": destinations,
        "delivered": delivered,
        "reports": len(account.reports),
        "bytes_per_message": (after - before) / messages,
        "seconds": elapsed,
    }


def soak(days: float, per_minute: int, retention: Millis | None = None) -> dict[str, object]:
    """``per_minute`` sends every virtual minute for ``days``; memory sampled hourly."""
    config = SimulatorConfig(start=START, seed=1)
    if retention is not None:
        config = replace(config, message_retention=retention)
    sim = Simulator(config)
    window = config.message_retention or 7 * DAY
    minutes = int(days * DAY // MINUTE)
    samples: list[tuple[Millis, int]] = []
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    index = 0
    try:
        base = tracemalloc.get_traced_memory()[0]
        for minute in range(minutes):
            for _ in range(per_minute):
                _send(sim, index)
                index += 1
            sim.engine.advance(MINUTE)
            if minute % 60 == 59:
                gc.collect()
                samples.append((sim.clock.now() - START, tracemalloc.get_traced_memory()[0] - base))
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    last = [m for t, m in samples if t > days * DAY - window]
    previous = [m for t, m in samples if days * DAY - 2 * window < t <= days * DAY - window]
    growth = (max(last) / max(previous) - 1) if previous and last else float("nan")
    return {
        "days": days,
        "per_minute": per_minute,
        "messages": index,
        "retained": len(sim.gateway.account().messages),
        "window_days": window / DAY,
        "peak_previous": max(previous) if previous else 0,
        "peak_last": max(last) if last else 0,
        "growth": growth,
        "flat": bool(previous) and growth <= 0.05,
        "seconds": elapsed,
        "samples": samples,
    }


def report(memories: list[dict[str, float]], soaked: dict[str, object]) -> str:
    growth = soaked["growth"]
    assert isinstance(growth, float)
    rows: list[tuple[str, str]] = []
    for memory in memories:
        shape = f"{memory['destinations']:.0f} destination(s) per request"
        rows += [
            (f"messages delivered and retained ({shape})", f"{memory['delivered']:,.0f}"),
            (f"unpulled reports retained ({shape})", f"{memory['reports']:,.0f}"),
            (f"bytes per retained message ({shape})", f"{memory['bytes_per_message']:,.0f}"),
        ]
    rows += [
        (
            "soak",
            f"{soaked['days']} virtual days at {soaked['per_minute']}/min "
            f"({soaked['messages']:,} messages), retention {soaked['window_days']:g} days",
        ),
        ("messages retained at the end", f"{soaked['retained']:,}"),
        ("peak traced memory, window before last (MiB)", _mib(soaked["peak_previous"])),
        ("peak traced memory, last window (MiB)", _mib(soaked["peak_last"])),
        ("growth from one window to the next", f"{growth * 100:+.1f}%"),
        ("flat (growth at most 5%)", "yes" if soaked["flat"] else "no"),
    ]
    return table(("figure", "value"), rows)


def _mib(value: object) -> str:
    assert isinstance(value, int | float)
    return f"{value / 1024 / 1024:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--soak-days", type=float, default=21.0)
    parser.add_argument("--soak-per-minute", type=int, default=2)
    args = parser.parse_args()
    memories = [per_message(args.messages, 1), per_message(args.messages, 10)]
    print(report(memories, soak(args.soak_days, args.soak_per_minute)))


if __name__ == "__main__":
    main()
