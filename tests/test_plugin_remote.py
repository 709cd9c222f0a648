"""``--sms-sim-url``: the same tests, run against a standalone simulator (``sms-sim serve``,
started here) through its control plane, pass as they do in-process."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator

import pytest
from pytester_support import prepare, run

pytest_plugins = ["pytester"]

PORTABLE = """
import aiohttp
import pytest
from helpers import send
from simulator.testing import SmsGateway

SEEN = []


@pytest.mark.parametrize("round", [1, 2])
def test_isolated(sms_gateway, round):
    SEEN.append(sms_gateway.url)
    assert sms_gateway.messages() == [] and sms_gateway.webhooks() == []
    assert sms_gateway.now_datetime().isoformat() == "2026-01-01T09:00:00+00:00"
    assert send(sms_gateway)["messages"][0]["messageId"]
    sms_gateway.advance("10s")
    sms_gateway.assert_delivered_report_pushed(to="41793026727", status="DELIVERED_TO_HANDSET")
    assert len(sms_gateway.receiver.received("/reports")) == 1


def test_clock_and_inspection(sms_gateway):
    send(sms_gateway)
    assert sms_gateway.advance_to_next_event() is not None
    assert sms_gateway.wait_for("DELIVERED", to="41793026727").final
    assert sms_gateway.advance_to_next_event() is None
    send(sms_gateway, to="41793026728", webhooks={"delivery": {"url": "http://127.0.0.1:9/x"}})
    assert sms_gateway.run_until_idle() > 0  # retries until the push is given up
    (failed,) = sms_gateway.webhooks(state="failed")
    assert len(failed.attempts) == 9
    found = sms_gateway.inject_inbound(sender="41793026727", text="STOP")
    assert sms_gateway.inbound()[0].message_id == found.message_id
    assert sms_gateway.webhooks(kind="inbound")[0].state == "delivered"
    assert [r.path for r in sms_gateway.requests()] == ["/sms/3/messages"] * 2
    sms_gateway.advance_to("2026-01-05T00:00:00Z")


@pytest.mark.sms_scenario("absent_subscriber", seed=3)
def test_marker(sms_gateway):
    send(sms_gateway)
    sms_gateway.advance("10m")
    sms_gateway.assert_delivered_report_pushed(status="UNDELIVERABLE_NOT_DELIVERED")


def test_factory(sms_gateway, sms_scenario):
    sms_scenario({"version": 1, "rules": [{"reject": "REJECTED_NOT_ENOUGH_CREDITS"}]})
    send(sms_gateway)
    assert sms_gateway.message().status == "REJECTED_NOT_ENOUGH_CREDITS"


def test_frozen(sms_gateway, sms_frozen_time):
    from datetime import UTC, datetime
    sms_gateway.advance("1h")
    assert datetime.now(UTC) == sms_gateway.now_datetime()


@pytest.mark.sms_scenario("absent_subscriber")
async def test_async(sms_gateway_async):
    headers = {"Authorization": f"App {sms_gateway_async.api_key}"}
    body = {"messages": [{"destinations": [{"to": "41793026727"}], "content": {"text": "Hi"}}]}
    async with aiohttp.ClientSession(headers=headers) as http:
        async with http.post(f"{sms_gateway_async.url}/sms/3/messages", json=body) as response:
            assert response.status == 200
    await sms_gateway_async.advance("1m")
    sms_gateway_async.assert_delivered_report_pushed(status="UNDELIVERABLE")
    assert await sms_gateway_async.run_until_idle() == 0


def test_failure_message(sms_gateway):
    send(sms_gateway, to="41793026728")
    sms_gateway.advance("5s")
    sms_gateway.assert_delivered_report_pushed(to="41793026727", status="DELIVERED")


def test_mode(sms_gateway):
    print("REMOTE" if sms_gateway.remote else "LOCAL", len(set(SEEN)))
"""


@pytest.fixture(scope="module")
def standalone() -> Iterator[str]:
    """``python -m simulator serve --port 0 --clock manual``; its URL from the first line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--port", "0", "--clock", "manual"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("sms-sim listening on "), first
        yield first.split()[-1]
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        finally:
            if process.poll() is None:
                process.kill()
            if process.stdout is not None:
                process.stdout.close()


@pytest.fixture(autouse=True)
def _inner(pytester: pytest.Pytester) -> None:
    prepare(pytester)


def _scenario_of(url: str) -> object:
    with urllib.request.urlopen(f"{url}/__sim/scenario", timeout=10) as response:
        return json.load(response)["scenario"]


def _expect(result: pytest.RunResult, mode: str) -> None:
    result.assert_outcomes(passed=8, failed=1)
    result.stdout.fnmatch_lines(
        [
            "E *AssertionError: expected a DELIVERED report for 41793026727; saw no report for "
            "that number; saw a DELIVERED report for another number: 41793026728",
        ]
    )
    result.stdout.fnmatch_lines([f"*::test_mode {mode} 1*"])


def test_the_same_tests_pass_in_process_and_remote(
    pytester: pytest.Pytester, standalone: str
) -> None:
    pytester.makepyfile(PORTABLE)
    _expect(run(pytester, "-s"), "LOCAL")
    _expect(run(pytester, "-s", f"--sms-sim-url={standalone}"), "REMOTE")
    assert _scenario_of(standalone) is None  # left as it was found


def test_remote_from_the_ini_and_its_limits(pytester: pytest.Pytester, standalone: str) -> None:
    pytester.makeini(f"{prepare_ini()}sms_sim_url = {standalone}\nsms_start = 2030-01-01T00:00Z\n")
    pytester.makepyfile(
        """
        import pytest
        from simulator.testing import GatewayError

        def test_remote(sms_gateway):
            assert sms_gateway.remote
            assert sms_gateway.now_datetime().year == 2030
            with pytest.raises(RuntimeError, match="runs in another process"):
                sms_gateway.simulator
            with pytest.raises(GatewayError, match="cannot go backwards"):
                sms_gateway.advance_to("2029-01-01T00:00:00Z")
        """
    )
    run(pytester).assert_outcomes(passed=1)


def test_unreachable_server_is_explained(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_one(sms_gateway): pass\ndef test_two(sms_gateway): pass")
    result = run(pytester, "--sms-sim-url=http://127.0.0.1:9")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        ["*sms simulator: cannot reach the simulator at http://127.0.0.1:9*"]
    )


def prepare_ini() -> str:
    from pytester_support import INI

    return INI
