"""A few seconds of each benchmark, so they cannot rot (figures are not checked here)."""

from __future__ import annotations

import asyncio

from benchmarks import bench_clock, bench_send


def test_clock_benchmark_runs() -> None:
    result = bench_clock.run(500)
    assert result["events"] == 1000  # a send and a delivery per message


def test_send_benchmark_runs() -> None:
    with bench_send.server() as url:
        result = asyncio.run(bench_send.load(url, seconds=0.5, connections=4))
    assert result["requests"] > 0
    assert result["errors"] == 0
