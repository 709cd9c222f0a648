"""freezegun integration, run with pytester: the test process's clock follows the virtual
one in sync and async tests (fixture and flag), the simulator's own time stays real, and
nothing stays frozen after the test."""

from __future__ import annotations

import pytest
from pytester_support import INI, prepare, run

pytest_plugins = ["pytester"]

FROZEN = """
import asyncio
import datetime as dt
import time

import pytest
import requests
from datetime import UTC, datetime, timedelta


def schedule_reminder(gateway, number, after):
    # The system under test: it computes sendAt from its own clock.
    send_at = datetime.now(UTC) + after
    body = {"messages": [{"destinations": [{"to": number}], "text": "Reminder",
                          "sendAt": send_at.isoformat()}]}
    headers = {"Authorization": f"App {gateway.api_key}"}
    response = requests.post(f"{gateway.url}/sms/2/text/advanced", json=body, headers=headers)
    assert response.status_code == 200, response.text


def test_sync(sms_gateway, sms_frozen_time):
    assert datetime.now(UTC) == sms_gateway.now_datetime() == sms_frozen_time.now()
    assert time.time() == sms_gateway.now() / 1000
    schedule_reminder(sms_gateway, "41793026727", timedelta(hours=1))
    sms_gateway.advance("1h")
    assert datetime.now(UTC) == sms_gateway.now_datetime()
    assert datetime.now(UTC).hour == 10
    sms_gateway.wait_for("DELIVERED", to="41793026727", timeout="1m")
    assert abs(time.time() - sms_gateway.now() / 1000) < 0.001


def test_simulator_keeps_real_time_in_realtime_mode(sms_gateway, sms_frozen_time):
    sms_gateway.call(lambda: sms_gateway.simulator.clock.set_mode("realtime", 1000))
    before = sms_gateway.now()
    time.sleep(0.05)  # real time passes; frozen time in the test does not
    assert sms_gateway.now() - before >= 40_000


def test_not_frozen_afterwards():
    assert dt.datetime.__module__ == "datetime"
    assert datetime.now().year >= 2025


async def test_async(sms_gateway_async, sms_frozen_time):
    assert datetime.now(UTC) == sms_gateway_async.now_datetime()
    await sms_gateway_async.advance("2h")
    await asyncio.sleep(0.01)  # the loop keeps real monotonic time
    assert datetime.now(UTC).hour == 11
    assert time.time() == sms_gateway_async.now() / 1000


def test_by_hand(sms_gateway):
    with sms_gateway.freeze_time():
        assert datetime.now(UTC).year == 2026
    assert datetime.now(UTC) != sms_gateway.now_datetime()
    frozen = sms_gateway.freeze_time()  # left running: the fixture stops it
    assert frozen.active


def test_after_by_hand():
    assert dt.datetime.__module__ == "datetime"
"""


@pytest.fixture(autouse=True)
def _inner(pytester: pytest.Pytester) -> None:
    prepare(pytester)


def test_frozen_time_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(FROZEN)
    run(pytester).assert_outcomes(passed=6)


def test_frozen_time_flag(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from datetime import UTC, datetime

        def test_sync(sms_gateway):
            sms_gateway.advance("1h")
            assert datetime.now(UTC) == sms_gateway.now_datetime()

        async def test_async(sms_gateway_async):
            await sms_gateway_async.advance("1h")
            assert datetime.now(UTC) == sms_gateway_async.now_datetime()

        def test_plain():
            assert datetime.now(UTC).year >= 2025 and datetime.__module__ == "datetime"
        """
    )
    run(pytester, "--sms-frozen-time").assert_outcomes(passed=3)
    pytester.makeini(INI + "sms_frozen_time = true\n")
    run(pytester).assert_outcomes(passed=3)
    pytester.makeini(INI)
    run(pytester).assert_outcomes(passed=1, failed=2)
