"""Tests for the bulk rules without HTTP: reschedule, pause, resume and cancel."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from simulator import status as st
from simulator.accounts import Account
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.errors import BadRequest, NotFound
from simulator.gateway import MessageRequest, OutcomePolicy, SubmitRequest
from simulator.models import (
    Bulk,
    BulkStatus,
    Family,
    Message,
    Rejection,
    Step,
    Template,
    Timeline,
)
from simulator.timefmt import DAY, HOUR, MINUTE, SECOND, Millis, parse_instant

START = parse_instant("2026-01-05T09:00:00.000+0000")
SEND_AT = START + HOUR
BULK = "BULK-ID-123-xyz"
NUMBERS = ("41793026727", "41793026731")
NEVER = Timeline((Step(0, st.PENDING_ENROUTE, st.NO_ERROR),))

PENDING, PAUSED, CANCELED = BulkStatus.PENDING, BulkStatus.PAUSED, BulkStatus.CANCELED


# -- helpers ------------------------------------------------------------------------------------


class NeverPolicy(OutcomePolicy):
    """Messages are sent but never reach a final status by themselves."""

    def outcome(self, message: Message) -> Timeline | Rejection:
        return NEVER


def make_sim(*, never: bool = False) -> Simulator:
    config = SimulatorConfig(start=START, seed=11)
    return Simulator(config, policy=NeverPolicy(config) if never else None)


def account(sim: Simulator) -> Account:
    return sim.gateway.account()


def template(validity: Millis = 48 * HOUR) -> Template:
    return Template(Family.V2, "/sms/2/text/advanced", "InfoSMS", text="Hi", validity=validity)


def schedule_bulk(
    sim: Simulator,
    *,
    send_at: Millis | None = SEND_AT,
    numbers: tuple[str, ...] = NUMBERS,
    validity: Millis = 48 * HOUR,
    bulk_id: str | None = BULK,
    speed_limit: tuple[int, Millis] | None = None,
    objects: int = 1,
) -> Bulk:
    """A bulk of ``objects`` message objects, each to every one of ``numbers``."""
    requests = [
        MessageRequest(template(validity), [(to, None) for to in numbers], send_at)
        for _ in range(objects)
    ]
    request = SubmitRequest(Family.V2, requests, bulk_id, speed_limit)
    return sim.gateway.submit(account(sim), request).bulk


def set_status(sim: Simulator, target: BulkStatus, bulk_id: str = BULK) -> Bulk:
    return sim.gateway.set_bulk_status(account(sim), bulk_id, target)


def reschedule(sim: Simulator, send_at: Millis, bulk_id: str = BULK) -> Bulk:
    return sim.gateway.reschedule_bulk(account(sim), bulk_id, send_at)


def send_events(sim: Simulator) -> list[tuple[Millis, str]]:
    """(due, destination) of every scheduled send."""
    return [(e.due, e.payload.to) for e in sim.schedule if e.kind == "send"]


def status_of(bulk: Bulk) -> BulkStatus:
    """The bulk's status, read afresh (so a type checker does not carry an earlier narrowing)."""
    return bulk.status


def statuses(bulk: Bulk) -> list[str]:
    return [m.status.name for m in bulk.messages]


# -- the state machine --------------------------------------------------------------------------


def test_a_scheduled_bulk_is_pending() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    assert bulk.status is PENDING
    assert bulk.send_at == SEND_AT
    assert sim.gateway.find_bulk(account(sim), BULK) is bulk


def test_pending_paused_pending_paused_canceled() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    for target in (PAUSED, PENDING, PAUSED, CANCELED):
        assert set_status(sim, target) is bulk
        assert bulk.status is target
        assert sim.gateway.find_bulk(account(sim), BULK).status is target


def test_pending_can_be_canceled_directly() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    set_status(sim, CANCELED)
    assert bulk.status is CANCELED


def test_pause_and_resume_any_number_of_times_before_the_send_time() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    for step in range(20):
        sim.engine.advance(MINUTE)
        set_status(sim, PAUSED)
        assert send_events(sim) == []
        assert bulk.status is PAUSED
        set_status(sim, PENDING)
        assert bulk.status is PENDING, step
        assert send_events(sim) == [(SEND_AT, to) for to in NUMBERS]  # no duplicates
    sim.engine.advance_to(SEND_AT)
    assert [m.sent_at for m in bulk.messages] == [SEND_AT, SEND_AT]
    sim.engine.run_until_idle()
    assert statuses(bulk) == ["DELIVERED_TO_HANDSET"] * 2
    assert bulk.status is BulkStatus.FINISHED


def test_same_status_is_a_no_op() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    events = [m.event for m in bulk.messages]
    version = sim.schedule.version
    assert set_status(sim, PENDING) is bulk
    assert bulk.status is PENDING
    assert [m.event for m in bulk.messages] == events
    assert sim.schedule.version == version
    set_status(sim, PAUSED)
    version = sim.schedule.version
    set_status(sim, PAUSED)
    assert bulk.status is PAUSED
    assert sim.schedule.version == version
    set_status(sim, CANCELED)
    reports = dict(account(sim).reports)
    set_status(sim, CANCELED)
    assert bulk.status is CANCELED
    assert account(sim).reports == reports


# -- illegal moves ------------------------------------------------------------------------------


@pytest.mark.parametrize("target", [PENDING, PAUSED])
def test_canceled_bulk_cannot_get_another_status(target: BulkStatus) -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    set_status(sim, CANCELED)
    with pytest.raises(BadRequest, match="is CANCELED: a canceled bulk cannot be set to") as err:
        set_status(sim, target)
    assert BULK in err.value.text
    assert err.value.http_status == 400
    assert err.value.message_id == "BAD_REQUEST"
    assert bulk.status is CANCELED


def test_canceled_bulk_cannot_be_rescheduled() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    set_status(sim, CANCELED)
    with pytest.raises(BadRequest, match="a canceled bulk cannot be rescheduled"):
        reschedule(sim, SEND_AT + HOUR)
    assert bulk.send_at == SEND_AT
    sim.engine.advance(DAY)
    assert statuses(bulk) == ["UNDELIVERABLE_NOT_SENT"] * 2


@pytest.mark.parametrize("target", [BulkStatus.PROCESSING, BulkStatus.FINISHED, BulkStatus.FAILED])
def test_server_side_statuses_cannot_be_set(target: BulkStatus) -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    with pytest.raises(BadRequest, match=f"Status {target} cannot be set by a client") as err:
        set_status(sim, target)
    assert "only to PENDING, PAUSED or CANCELED" in err.value.text
    assert bulk.status is PENDING


def test_no_changes_once_the_messages_went_out() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    sim.engine.advance_to(SEND_AT)
    assert bulk.status is BulkStatus.FINISHED
    for target in (PAUSED, CANCELED):
        with pytest.raises(BadRequest, match="have already been sent") as err:
            set_status(sim, target)
        assert f"is {BulkStatus.FINISHED}" in err.value.text
    with pytest.raises(BadRequest, match="so it cannot be rescheduled"):
        reschedule(sim, SEND_AT + HOUR)
    sim.engine.run_until_idle()
    assert statuses(bulk) == ["DELIVERED_TO_HANDSET"] * 2


def test_no_pause_while_processing() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim, speed_limit=(1, MINUTE))
    sim.engine.advance_to(SEND_AT)
    assert bulk.status is BulkStatus.PROCESSING
    with pytest.raises(BadRequest, match="is PROCESSING: its messages have already been sent"):
        set_status(sim, PAUSED)
    sim.engine.run_until_idle()
    assert status_of(bulk) is BulkStatus.FINISHED


def test_a_bulk_sent_without_send_at_is_already_processing() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim, send_at=None)
    assert bulk.status is BulkStatus.PROCESSING
    with pytest.raises(BadRequest, match="already been sent"):
        set_status(sim, PAUSED)


def test_failed_bulk_cannot_be_changed() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim, validity=MINUTE)
    set_status(sim, PAUSED)
    sim.engine.advance_to(SEND_AT + MINUTE)
    set_status(sim, PENDING)  # everything expired on resume
    assert bulk.status is BulkStatus.FAILED
    with pytest.raises(BadRequest, match="is FAILED"):
        set_status(sim, PAUSED)


def test_bulks_with_several_message_objects_cannot_be_changed() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim, objects=2)
    assert bulk.message_objects == 2
    assert bulk.status is PENDING
    expected = "was sent with 2 message objects; only a bulk sent with one message object"
    for target in (PAUSED, CANCELED):
        with pytest.raises(BadRequest, match=expected):
            set_status(sim, target)
    with pytest.raises(BadRequest, match=expected + " can be rescheduled"):
        reschedule(sim, SEND_AT + HOUR)
    sim.engine.run_until_idle()
    assert statuses(bulk) == ["DELIVERED_TO_HANDSET"] * 4


def test_unknown_bulk_is_not_found() -> None:
    sim = make_sim()
    schedule_bulk(sim)
    attempts: list[Callable[[], Bulk]] = [
        lambda: sim.gateway.find_bulk(account(sim), "nope"),
        lambda: set_status(sim, PAUSED, "nope"),
        lambda: reschedule(sim, SEND_AT, "nope"),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound) as err:
            attempt()
        assert err.value.text == "Bulk not found"
        assert err.value.http_status == 404
        assert err.value.message_id == "NOT_FOUND"


def test_unknown_target_status_is_checked_before_the_bulk_state() -> None:
    sim = make_sim()
    schedule_bulk(sim)
    set_status(sim, CANCELED)
    with pytest.raises(BadRequest, match="cannot be set by a client"):
        set_status(sim, BulkStatus.FINISHED)


# -- pause and resume ---------------------------------------------------------------------------


def test_a_paused_bulk_is_not_sent_and_resumes_at_once() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    sim.engine.advance(10 * MINUTE)
    set_status(sim, PAUSED)
    assert all(m.event is None for m in bulk.messages)
    sim.engine.advance_to(SEND_AT + 2 * HOUR)
    assert bulk.status is PAUSED
    assert statuses(bulk) == ["PENDING_ACCEPTED"] * 2
    assert all(m.sent_at is None for m in bulk.messages)
    assert account(sim).reports == {}
    resumed_at = sim.clock.now()
    set_status(sim, PENDING)
    assert bulk.status is PENDING
    assert send_events(sim) == [(resumed_at, to) for to in NUMBERS]
    sim.engine.advance(0)
    assert [m.sent_at for m in bulk.messages] == [resumed_at, resumed_at]
    sim.engine.run_until_idle()
    assert statuses(bulk) == ["DELIVERED_TO_HANDSET"] * 2
    assert [m.done_at for m in bulk.messages] == [resumed_at + sim.config.delivery_delay] * 2
    assert bulk.status is BulkStatus.FINISHED


def test_resumed_before_the_send_time_sends_at_the_send_time() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    set_status(sim, PAUSED)
    sim.engine.advance(30 * MINUTE)
    set_status(sim, PENDING)
    sim.engine.run_until_idle()
    assert [m.sent_at for m in bulk.messages] == [SEND_AT, SEND_AT]


def test_resumed_after_validity_expires_at_resume_time() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim, validity=30 * MINUTE)
    set_status(sim, PAUSED)
    sim.engine.advance_to(SEND_AT + 30 * MINUTE + 5 * SECOND)
    assert statuses(bulk) == ["PENDING_ACCEPTED"] * 2  # nothing expires while paused
    resumed_at = sim.clock.now()
    set_status(sim, PENDING)
    for message in bulk.messages:
        assert message.status is st.EXPIRED_EXPIRED
        assert message.error is st.EC_VALIDITY_EXPIRED
        assert message.done_at == resumed_at
        assert message.sent_at is None
        assert message.final
    reports = sim.gateway.pull_reports(account(sim), 100, bulk_id=BULK)
    assert [(r.message.to, r.status, r.at) for r in reports] == [
        (to, st.EXPIRED_EXPIRED, resumed_at) for to in NUMBERS
    ]
    assert bulk.status is BulkStatus.FAILED
    assert bulk.unsent == 0
    sim.engine.run_until_idle()
    assert statuses(bulk) == ["EXPIRED_EXPIRED"] * 2


def test_resumed_with_validity_left_is_sent() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim, validity=30 * MINUTE)
    set_status(sim, PAUSED)
    sim.engine.advance_to(SEND_AT + 30 * MINUTE - 1)
    set_status(sim, PENDING)
    sim.engine.advance(0)
    assert [m.sent_at for m in bulk.messages] == [sim.clock.now()] * 2


# -- cancel -------------------------------------------------------------------------------------


@pytest.mark.parametrize("pause_first", [False, True])
def test_cancel_ends_every_message_not_sent(pause_first: bool) -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    sim.engine.advance(MINUTE)
    if pause_first:
        set_status(sim, PAUSED)
    set_status(sim, CANCELED)
    canceled_at = START + MINUTE
    for message in bulk.messages:
        assert message.status is st.UNDELIVERABLE_NOT_SENT
        assert message.error is st.EC_MESSAGE_CANCELED
        assert message.error.id == 4100
        assert message.final
        assert message.event is None
        assert message.done_at == canceled_at
        assert message.history[-1] == (
            canceled_at,
            st.UNDELIVERABLE_NOT_SENT,
            st.EC_MESSAGE_CANCELED,
        )
    assert len(sim.schedule) == 0
    assert bulk.unsent == 0
    reports = sim.gateway.pull_reports(account(sim), 100)
    assert [(r.message.to, r.status, r.error, r.at) for r in reports] == [
        (to, st.UNDELIVERABLE_NOT_SENT, st.EC_MESSAGE_CANCELED, canceled_at) for to in NUMBERS
    ]
    sim.engine.advance(3 * DAY)
    assert statuses(bulk) == ["UNDELIVERABLE_NOT_SENT"] * 2
    assert all(m.sent_at is None for m in bulk.messages)
    assert bulk.status is CANCELED
    assert sim.gateway.pull_reports(account(sim), 100) == []


def test_cancel_leaves_other_bulks_alone() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    other = schedule_bulk(sim, bulk_id="OTHER")
    set_status(sim, CANCELED)
    sim.engine.run_until_idle()
    assert statuses(bulk) == ["UNDELIVERABLE_NOT_SENT"] * 2
    assert statuses(other) == ["DELIVERED_TO_HANDSET"] * 2


# -- reschedule ---------------------------------------------------------------------------------


def test_reschedule_moves_every_send_and_the_validity_end() -> None:
    sim = make_sim(never=True)
    bulk = schedule_bulk(sim, validity=20 * MINUTE)
    new = SEND_AT + 3 * HOUR
    assert reschedule(sim, new) is bulk
    assert bulk.send_at == new
    assert bulk.status is PENDING
    assert send_events(sim) == [(new, to) for to in NUMBERS]
    assert [m.send_at for m in bulk.messages] == [new, new]
    assert [m.expires_at for m in bulk.messages] == [new + 20 * MINUTE] * 2
    sim.engine.advance_to(SEND_AT + HOUR)
    assert all(m.sent_at is None for m in bulk.messages)
    sim.engine.run_until_idle()
    assert [m.sent_at for m in bulk.messages] == [new, new]
    assert [m.done_at for m in bulk.messages] == [new + 20 * MINUTE] * 2
    assert statuses(bulk) == ["EXPIRED_EXPIRED"] * 2


def test_reschedule_earlier() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    reschedule(sim, START + 10 * MINUTE)
    sim.engine.run_until_idle()
    assert [m.sent_at for m in bulk.messages] == [START + 10 * MINUTE] * 2


def test_reschedule_to_the_past_sends_at_once() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    sim.engine.advance(MINUTE)
    reschedule(sim, START - HOUR)
    assert send_events(sim) == [(START + MINUTE, to) for to in NUMBERS]
    sim.engine.advance(0)
    assert [m.sent_at for m in bulk.messages] == [START + MINUTE] * 2


def test_reschedule_keeps_the_speed_limit_spacing() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim, numbers=("1", "2", "3"), speed_limit=(1, MINUTE))
    assert [m.send_at - SEND_AT for m in bulk.messages] == [0, MINUTE, 2 * MINUTE]
    new = SEND_AT + DAY
    reschedule(sim, new)
    assert send_events(sim) == [(new, "1"), (new + MINUTE, "2"), (new + 2 * MINUTE, "3")]
    sim.engine.run_until_idle()
    assert [m.sent_at for m in bulk.messages] == [new, new + MINUTE, new + 2 * MINUTE]


def test_reschedule_many_times() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    for hours in (5, 2, 7, 3):
        reschedule(sim, START + hours * HOUR)
        assert send_events(sim) == [(START + hours * HOUR, to) for to in NUMBERS]
    sim.engine.run_until_idle()
    assert [m.sent_at for m in bulk.messages] == [START + 3 * HOUR] * 2


def test_reschedule_a_paused_bulk_keeps_it_paused() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    set_status(sim, PAUSED)
    new = SEND_AT + 2 * HOUR
    reschedule(sim, new)
    assert bulk.status is PAUSED
    assert bulk.send_at == new
    assert send_events(sim) == []
    sim.engine.advance_to(new + HOUR)
    assert all(m.sent_at is None for m in bulk.messages)
    set_status(sim, PENDING)
    sim.engine.advance(0)
    assert [m.sent_at for m in bulk.messages] == [new + HOUR] * 2


def test_reschedule_a_paused_bulk_then_resume_before_the_new_time() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    set_status(sim, PAUSED)
    new = SEND_AT + 2 * HOUR
    reschedule(sim, new)
    set_status(sim, PENDING)
    assert send_events(sim) == [(new, to) for to in NUMBERS]
    sim.engine.run_until_idle()
    assert [m.sent_at for m in bulk.messages] == [new, new]


def test_reschedule_at_most_180_days_ahead() -> None:
    sim = make_sim()
    bulk = schedule_bulk(sim)
    sim.engine.advance(HOUR // 2)
    now = sim.clock.now()
    limit = now + 180 * DAY
    with pytest.raises(BadRequest) as err:
        reschedule(sim, limit + 1)
    ((path, problem),) = err.value.violations
    assert path == "sendAt"
    assert "at most 180 days ahead" in problem
    assert bulk.send_at == SEND_AT
    assert send_events(sim) == [(SEND_AT, to) for to in NUMBERS]
    reschedule(sim, limit)
    assert bulk.send_at == limit
    assert send_events(sim) == [(limit, to) for to in NUMBERS]


def test_reschedule_skips_messages_already_final() -> None:
    class RejectFirst(OutcomePolicy):
        def outcome(self, message: Message) -> Timeline | Rejection:
            if message.to == NUMBERS[0]:
                return Rejection(st.REJECTED_NOT_ENOUGH_CREDITS, st.EC_UNKNOWN_ERROR)
            return self.default

    config = SimulatorConfig(start=START, seed=11)
    sim = Simulator(config, policy=RejectFirst(config))
    bulk = schedule_bulk(sim)
    rejected, accepted = bulk.messages
    reschedule(sim, SEND_AT + HOUR)
    assert rejected.send_at == SEND_AT
    assert accepted.send_at == SEND_AT + HOUR
    set_status(sim, CANCELED)
    assert rejected.status is st.REJECTED_NOT_ENOUGH_CREDITS
    assert accepted.status is st.UNDELIVERABLE_NOT_SENT
