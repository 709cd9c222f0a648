"""A few seconds of each benchmark, so they cannot rot (figures are not checked here).

The send benchmark drives ``wrk`` against the simulator, the bare aiohttp app and WireMock.
Outside CI a missing wrk falls back to the Python load generator and a missing Java or
WireMock jar leaves WireMock out; in CI (``CI=true``) all of them must be there.
"""

from __future__ import annotations

import pytest

from benchmarks import bench_clock, bench_memory, bench_send, bench_webhooks
from benchmarks.common import in_ci, java_path, parse_wrk, wiremock_jar, wrk_path
from simulator.timefmt import HOUR

WRK_OUTPUT = """\
Running 1s test @ http://127.0.0.1:9000/sms/3/messages
  1 threads and 4 connections
  Latency Distribution
     50%  612.00us
     75%    1.20ms
     90%    2.00ms
     99%   14.31ms
  4212 requests in 1.00s, 1.71MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:   4205.93
"""


def test_wrk_output_is_parsed() -> None:
    result = parse_wrk(WRK_OUTPUT)
    assert (result.rps, result.p50_ms, result.p99_ms) == (4205.93, 0.612, 14.31)
    assert (result.requests, result.errors) == (4212, 7)


def test_clock_benchmark_runs() -> None:
    result = bench_clock.run(500)
    assert result["events"] == 1000  # a send and a delivery per message
    assert result["heapq_events"] == 1000
    assert result["delivered"] == 500


def test_memory_benchmark_runs() -> None:
    result = bench_memory.per_message(300, 10)
    assert result["delivered"] == 300
    assert result["bytes_per_message"] > 0
    soaked = bench_memory.soak(days=0.5, per_minute=1, retention=HOUR)
    assert soaked["messages"] == 720
    retained, growth = soaked["retained"], soaked["growth"]
    assert isinstance(retained, int)
    assert isinstance(growth, float)
    assert retained <= 2 * 60  # at most an hour's worth plus one sweep interval
    assert growth < 0.25


def test_webhook_benchmark_runs() -> None:
    results = bench_webhooks.run(60)
    assert [r["pushes"] for r in results] == [60, 1]


def test_send_benchmark_runs() -> None:
    tool = "wrk" if wrk_path() else "python"
    peers = ["bare", "wiremock"]
    if not (wiremock_jar() and java_path()):
        peers.remove("wiremock")
    if in_ci():
        assert tool == "wrk", "CI must install wrk (apt-get install wrk)"
        assert "wiremock" in peers, "CI must have java and the wiremock npm package"
    cases, notes = bench_send.run(
        seconds=1.0,
        destinations=(1,),
        connections=(8,),
        endpoints=("/sms/3/messages",),
        peers=peers,
        tool=tool,
    )
    assert notes["tool"] == tool
    [case] = cases
    assert set(case.results) == {"simulator", "bare aiohttp"} | (
        {"WireMock"} if "wiremock" in peers else set()
    )
    assert all(r.requests > 0 and r.errors == 0 for r in case.results.values())
    assert len(bench_send.rows(cases)) == 1


@pytest.mark.parametrize("endpoint", bench_send.ENDPOINTS)
def test_wiremock_stub_has_the_simulator_shape(endpoint: str) -> None:
    import json

    answer = json.loads(bench_send.stub_answer(endpoint, 10))
    assert len(answer["messages"]) == 10
    assert answer["messages"][0]["status"]["name"] == "PENDING_ACCEPTED"
