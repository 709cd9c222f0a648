"""Every benchmark in one run, each table printed, and ``benchmarks/RESULTS.md`` regenerated
with the date, the machine, the figures, the ratios and the targets.

    python -m benchmarks.run                 # the full run (about 15 minutes on 2 cores)
    python -m benchmarks.run --quick         # a few seconds each, nothing written

Needs ``wrk`` (Debian package) for the send benchmark, and Java plus the npm package
``wiremock`` (its standalone jar) for the WireMock column; without them that part is
measured with the Python load generator, or left out, and RESULTS.md says so.
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from benchmarks import bench_clock, bench_memory, bench_send, bench_webhooks
from benchmarks.common import WrkResult, machine, table
from simulator import jsoncodec

RESULTS = Path(__file__).with_name("RESULTS.md")


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, RESULTS.md untouched")
    parser.add_argument("--seconds", type=float, default=10.0, help="per send measurement")
    parser.add_argument("--messages", type=int, default=1_000_000, help="clock and memory")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    quick = args.quick
    seconds = 1.0 if quick else args.seconds
    messages = 2_000 if quick else args.messages

    started = datetime.datetime.now(datetime.UTC)
    cases, notes = bench_send.run(seconds=seconds)
    send_table = table(bench_send.HEADERS_ROW, bench_send.rows(cases))
    print(send_table, flush=True)
    clock = bench_clock.run(messages)
    clock_table = bench_clock.report(clock)
    print(clock_table, flush=True)
    memories = [bench_memory.per_message(messages, 1), bench_memory.per_message(messages, 10)]
    soak_days, per_minute = (1.0, 1) if quick else (21.0, 2)
    soaked = bench_memory.soak(soak_days, per_minute)
    memory_table = bench_memory.report(memories, soaked)
    print(memory_table, flush=True)
    hooks = bench_webhooks.run(500 if quick else 20_000)
    hooks_table = bench_webhooks.report(hooks)
    print(hooks_table, flush=True)
    if quick:
        return

    def sim(case: bench_send.Case) -> WrkResult:
        return case.results["simulator"]

    bare_ratios = [
        sim(c).rps / c.results["bare aiohttp"].rps for c in cases if "bare aiohttp" in c.results
    ]
    mock_ratios = [sim(c).rps / c.results["WireMock"].rps for c in cases if "WireMock" in c.results]
    p99_128 = [sim(c).p99_ms for c in cases if c.connections == 128]
    per_message = memories[0]["bytes_per_message"]
    hook_ratio = min(float(h["simulator_rps"]) / float(h["bare_rps"]) for h in hooks)
    hook_single = float(hooks[0]["simulator_rps"]) / float(hooks[0]["bare_rps"])
    hook_batched = float(hooks[-1]["simulator_rps"]) / float(hooks[-1]["bare_rps"])
    targets = [
        (
            "send ≥ 0.8 × bare aiohttp req/s",
            f"{min(bare_ratios):.2f}–{max(bare_ratios):.2f}" if bare_ratios else "n/a",
            verdict(bool(bare_ratios) and min(bare_ratios) >= 0.8),
        ),
        (
            "send ≥ 1.0 × WireMock req/s",
            f"{min(mock_ratios):.2f}–{max(mock_ratios):.2f}" if mock_ratios else "not measured",
            verdict(bool(mock_ratios) and min(mock_ratios) >= 1.0),
        ),
        (
            "p99 < 20 ms at 128 connections",
            f"{min(p99_128):.1f}–{max(p99_128):.1f} ms",
            verdict(max(p99_128) < 20),
        ),
        (
            "clock ≥ 0.3 × bare heapq events/s",
            f"{clock['ratio']:.2f}",
            verdict(clock["ratio"] >= 0.3),
        ),
        (
            "≤ 1 KiB per retained message (1 destination per request)",
            f"{per_message:,.0f} B ({memories[1]['bytes_per_message']:,.0f} B at 10 per request)",
            verdict(per_message <= 1024),
        ),
        (
            "flat soak memory",
            f"{float(soaked['growth']) * 100:+.1f}% window to window",  # type: ignore[arg-type]
            verdict(bool(soaked["flat"])),
        ),
        (
            "webhooks ≥ 0.7 × bare client",
            f"{hook_single:.2f} one per push, {hook_batched:.2f} batched",
            verdict(hook_ratio >= 0.7),
        ),
    ]
    target_table = table(("target", "measured", ""), targets)
    print(target_table)
    note_lines = [f"- {key}: {value}" for key, value in notes.items()]
    note_lines.append(f"- JSON: {jsoncodec.BACKEND}")
    note_lines += [f"- errors: {line}" for line in bench_send.errors(cases)]
    text = TEMPLATE.format(
        date=started.strftime("%Y-%m-%d %H:%M UTC"),
        machine=machine(),
        notes="\n".join(note_lines),
        targets=target_table,
        send=send_table,
        seconds=seconds,
        clock=clock_table,
        messages=f"{messages:,}",
        memory=memory_table,
        hooks=hooks_table,
        limits=LIMITS,
    )
    args.output.write_text(text)
    print(f"wrote {args.output}")


TEMPLATE = """# Benchmark results

Regenerated by `python -m benchmarks.run` on {date}.

Machine: {machine}. Servers pinned to core 0, load generator (wrk) and webhook receiver to
core 1, with `taskset`; all traffic on 127.0.0.1.

{notes}

## Targets

Ratios from this run: the simulator's figure divided by the peer's.

{targets}

## Send: `wrk`, keep-alive, {seconds:g} s per cell

The simulator runs `sms-sim serve --clock manual --scenario default` and is reset before
each cell; the bare aiohttp app (`benchmarks/bare_app.py`) only parses the body and answers
the same shape; WireMock standalone serves a static stub of the same answer, warmed up
first.

{send}

## Clock: {messages} messages, send + delivery events

{clock}

## Memory

{memory}

## Webhooks: reports pushed to a local aiohttp receiver

{hooks}

{limits}
"""

LIMITS = """## What limits the figures

- **Send.** The bare app is aiohttp's own floor on one core: it parses the body and
  answers, nothing else, and the CPU column shows what that costs per request (about 50 µs
  here, most of it aiohttp's Python request/response machinery and the two socket
  syscalls). The simulator pays the same floor plus its work: authentication, the fault
  check, parsing (a fast path for plain bodies, the full validator otherwise), ids, the
  scenario's rules, a message with its template, bulk and timeline, the send event fired
  at once and the delivery scheduled, the request journal and the response. Measured
  in-process with hot caches that work is about 27 µs for one destination and 130 µs for
  ten; inside the server, between aiohttp's calls, it costs about twice that. So 0.8 × the
  bare app would leave the simulator about 12 µs per request on top of the floor, less
  than its work takes even in-process: the target is out of reach on this stack without
  doing less than a faithful gateway must. At 128 connections latency is queueing: p99 is
  roughly 128 ÷ req/s plus scheduling jitter, so p99 under 20 ms needs well over 6,400
  req/s on one core (the bare app itself misses it at 10 destinations in some runs).
  WireMock's figures swing widely from run to run (JIT and its garbage collector share the
  pinned core), which is why its ratio has such a range.
- **Clock.** Each simulator event is a domain transition (history entry, report, listeners,
  the next event); the heapq loop fires a no-op. The schedule keeps one sorted entry per
  due instant and the engine fires a whole instant at once, so a bulk due together costs
  little more than the transitions themselves.
- **Memory.** A message's rare options live in a template options object shared by plain
  templates, its timeline is one flat tuple of integers, and an unpulled report is queued
  as the message itself; with ten destinations per request the template and bulk are
  shared as well.
- **Webhooks.** One report per push: both sides wait on the receiver for every POST, so
  the HTTP round trip dominates and the ratio is close to 1. Batched (100 reports per POST):
  the HTTP cost per report is small, so the simulator's time is mostly firing each delivery
  (its transition and listeners) and rendering its report, which the bare client is handed
  ready-made; 0.7 × the bare client would leave about 3 µs per report for all of that.
"""


if __name__ == "__main__":
    main()
