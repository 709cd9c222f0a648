"""Tests for simulator.clock: the virtual clock in its manual, autojump and realtime modes."""

from __future__ import annotations

import asyncio

import pytest

from simulator.clock import ClockError, ClockMode, FakeWallClock, VirtualClock
from simulator.timefmt import MINUTE, SECOND, parse_instant

START = parse_instant("2026-01-01T09:00:00.000+0000")


def mode_of(clock: VirtualClock) -> ClockMode:
    """The clock's mode, read afresh (so a type checker does not carry an earlier narrowing)."""
    return clock.mode


def make_clock(
    mode: ClockMode = ClockMode.MANUAL, rate: float = 1.0, start: int = START
) -> tuple[VirtualClock, FakeWallClock]:
    wall = FakeWallClock(epoch_millis=1_000_000)
    return VirtualClock(start, mode=mode, rate=rate, wall=wall), wall


# -- manual mode --------------------------------------------------------------------------------


def test_manual_clock_starts_at_start_and_ignores_real_time() -> None:
    clock, wall = make_clock()
    assert clock.mode is ClockMode.MANUAL
    assert clock.start == START
    assert clock.now() == START
    wall.tick(3600)
    assert clock.now() == START


def test_only_set_to_moves_a_manual_clock() -> None:
    clock, wall = make_clock()
    clock.set_to(START + 5 * SECOND)
    assert clock.now() == START + 5 * SECOND
    wall.tick(10)
    assert clock.now() == START + 5 * SECOND
    clock.set_to(START + 5 * SECOND)  # staying put is not going backwards
    assert clock.now() == START + 5 * SECOND


def test_manual_clock_refuses_to_go_backwards() -> None:
    clock, _ = make_clock()
    clock.set_to(START + MINUTE)
    with pytest.raises(ClockError, match="cannot go backwards") as caught:
        clock.set_to(START + MINUTE - 1)
    assert "2026-01-01T09:00:59.999+0000" in str(caught.value)
    assert "2026-01-01T09:01:00.000+0000" in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert clock.now() == START + MINUTE


def test_default_start_is_the_wall_clock_time() -> None:
    wall = FakeWallClock(epoch_millis=1_700_000_000_123)
    clock = VirtualClock(wall=wall)
    assert clock.start == 1_700_000_000_123
    assert clock.now() == 1_700_000_000_123


def test_autojump_mode_does_not_run_by_itself() -> None:
    clock, wall = make_clock(ClockMode.AUTOJUMP)
    assert clock.mode is ClockMode.AUTOJUMP
    wall.tick(60)
    assert clock.now() == START
    assert clock.real_seconds_until(START + MINUTE) is None
    clock.set_to(START + MINUTE)
    assert clock.now() == START + MINUTE


def test_repr_shows_time_mode_and_rate() -> None:
    clock, _ = make_clock(ClockMode.REALTIME, rate=60)
    text = repr(clock)
    assert "2026-01-01T09:00:00.000+0000" in text
    assert "realtime" in text
    assert "60" in text


# -- realtime mode ------------------------------------------------------------------------------


def test_realtime_runs_at_rate_one() -> None:
    clock, wall = make_clock(ClockMode.REALTIME)
    assert clock.now() == START
    wall.tick(2.5)
    assert clock.now() == START + 2500
    wall.tick(0.0004)  # less than a virtual millisecond: truncated
    assert clock.now() == START + 2500


def test_realtime_at_rate_sixty_makes_a_minute_pass_each_second() -> None:
    clock, wall = make_clock(ClockMode.REALTIME, rate=60)
    assert clock.rate == 60.0
    wall.tick(1)
    assert clock.now() == START + MINUTE
    wall.tick(0.5)
    assert clock.now() == START + 90 * SECOND


def test_explicit_moves_work_on_top_of_realtime() -> None:
    clock, wall = make_clock(ClockMode.REALTIME)
    wall.tick(1)
    clock.set_to(START + 10 * SECOND)
    assert clock.now() == START + 10 * SECOND
    wall.tick(1)
    assert clock.now() == START + 11 * SECOND
    with pytest.raises(ClockError, match="cannot go backwards"):
        clock.set_to(START + 10 * SECOND)
    assert clock.now() == START + 11 * SECOND


def test_switching_modes_keeps_now_continuous() -> None:
    clock, wall = make_clock(ClockMode.REALTIME)
    wall.tick(3)
    clock.set_mode(ClockMode.MANUAL)
    assert clock.mode is ClockMode.MANUAL
    assert clock.now() == START + 3 * SECOND
    wall.tick(100)
    assert clock.now() == START + 3 * SECOND
    clock.set_mode("realtime", 60)
    assert mode_of(clock) is ClockMode.REALTIME
    assert clock.now() == START + 3 * SECOND  # the 100 idle seconds do not count
    wall.tick(1)
    assert clock.now() == START + 3 * SECOND + MINUTE
    clock.set_mode(ClockMode.REALTIME, 1)  # a rate change also keeps now
    assert clock.now() == START + 3 * SECOND + MINUTE
    wall.tick(1)
    assert clock.now() == START + 4 * SECOND + MINUTE


def test_set_mode_without_rate_keeps_the_rate() -> None:
    clock, wall = make_clock(ClockMode.REALTIME, rate=10)
    clock.set_mode(ClockMode.MANUAL)
    clock.set_mode(ClockMode.REALTIME)
    assert clock.rate == 10.0
    wall.tick(1)
    assert clock.now() == START + 10 * SECOND


def test_real_seconds_until() -> None:
    clock, wall = make_clock(ClockMode.REALTIME, rate=60)
    assert clock.real_seconds_until(START + MINUTE) == pytest.approx(1.0)
    assert clock.real_seconds_until(START + 30 * MINUTE) == pytest.approx(30.0)
    wall.tick(2)
    assert clock.real_seconds_until(START + MINUTE) == 0.0
    manual, _ = make_clock()
    assert manual.real_seconds_until(START + MINUTE) is None


# -- pin / unpin --------------------------------------------------------------------------------


def test_pin_holds_now_even_while_real_time_runs() -> None:
    clock, wall = make_clock(ClockMode.REALTIME)
    wall.tick(5)
    clock.pin(START + 2 * SECOND)
    assert clock.now() == START + 2 * SECOND
    wall.tick(5)
    assert clock.now() == START + 2 * SECOND
    clock.unpin()
    assert clock.now() == START + 10 * SECOND


def test_pin_in_manual_mode() -> None:
    clock, _ = make_clock()
    clock.set_to(START + MINUTE)
    clock.pin(START + MINUTE + 1)
    assert clock.now() == START + MINUTE + 1
    clock.unpin()
    assert clock.now() == START + MINUTE
    clock.unpin()  # unpinning twice is harmless
    assert clock.now() == START + MINUTE


# -- reset --------------------------------------------------------------------------------------


def test_reset_goes_back_to_start() -> None:
    clock, _ = make_clock()
    clock.set_to(START + 5 * MINUTE)
    clock.pin(START + 6 * MINUTE)
    clock.reset()
    assert clock.now() == START
    assert clock.start == START
    clock.set_to(START + 1)  # and moves on normally afterwards
    assert clock.now() == START + 1


def test_reset_to_a_new_start_replaces_the_start() -> None:
    clock, _ = make_clock()
    clock.set_to(START + 5 * MINUTE)
    clock.reset(START - MINUTE)
    assert clock.now() == START - MINUTE
    assert clock.start == START - MINUTE
    clock.set_to(START)
    clock.reset()
    assert clock.now() == START - MINUTE


def test_reset_in_realtime_runs_on_from_the_start() -> None:
    clock, wall = make_clock(ClockMode.REALTIME)
    wall.tick(30)
    clock.reset()
    assert clock.now() == START
    assert clock.mode is ClockMode.REALTIME
    wall.tick(2)
    assert clock.now() == START + 2 * SECOND


# -- bad rates and modes ------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [0, -1, -0.5, float("nan"), float("inf"), 1e9 + 1, 1e12])
def test_bad_rates_are_refused(rate: float) -> None:
    with pytest.raises(ClockError, match="rate must be a positive number"):
        make_clock(ClockMode.REALTIME, rate=rate)
    clock, wall = make_clock(ClockMode.REALTIME, rate=2)
    with pytest.raises(ClockError, match="rate must be a positive number"):
        clock.set_mode(ClockMode.REALTIME, rate)
    assert clock.rate == 2.0  # unchanged
    wall.tick(1)
    assert clock.now() == START + 2 * SECOND


def test_largest_rate_is_accepted() -> None:
    clock, wall = make_clock(ClockMode.REALTIME, rate=1e9)
    wall.tick(0.001)
    assert clock.now() == START + 1_000_000_000


def test_unknown_mode_is_refused() -> None:
    clock, _ = make_clock()
    with pytest.raises(ValueError, match="warp"):
        clock.set_mode("warp")
    assert clock.mode is ClockMode.MANUAL


# -- waiting ------------------------------------------------------------------------------------


def test_wait_returns_when_woken() -> None:
    clock, _ = make_clock()

    async def scenario() -> None:
        wake = asyncio.Event()
        wake.set()
        await clock.wait(wake, None)
        await clock.wait(wake, START + MINUTE)

    asyncio.run(scenario())


def test_wait_returns_when_realtime_reaches_the_instant() -> None:
    clock, wall = make_clock(ClockMode.REALTIME, rate=60)
    wall.tick(120)

    async def scenario() -> None:
        await clock.wait(asyncio.Event(), START + MINUTE)  # already due: no real wait

    asyncio.run(scenario())
