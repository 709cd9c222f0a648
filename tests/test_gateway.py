"""Tests for simulator.gateway without HTTP: submit, lifecycle, validity, reports, ids, windows."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from simulator import status as st
from simulator.accounts import Account
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.errors import BadRequest
from simulator.gateway import (
    MessageRequest,
    OutcomePolicy,
    Submission,
    SubmitRequest,
    next_in_window,
)
from simulator.models import (
    BulkStatus,
    Family,
    Message,
    Rejection,
    Report,
    Step,
    Template,
    Timeline,
    TimeWindow,
)
from simulator.timefmt import DAY, HOUR, MINUTE, SECOND, Millis, parse_instant

START = parse_instant("2026-01-05T09:00:00.000+0000")
"""A Monday."""
MONDAY, TUESDAY, WEDNESDAY, FRIDAY, SATURDAY = 0, 1, 2, 4, 5
TO = "41793026727"
MESSAGE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
ENDPOINTS = {Family.V1: "/sms/1/text/advanced", Family.V2: "/sms/2/text/advanced"}


# -- helpers ------------------------------------------------------------------------------------


class FixedPolicy(OutcomePolicy):
    """Gives every message the same outcome."""

    def __init__(self, config: SimulatorConfig, outcome: Timeline | Rejection) -> None:
        super().__init__(config)
        self.fixed = outcome

    def outcome(self, message: Message) -> Timeline | Rejection:
        return self.fixed


class RejectSome(OutcomePolicy):
    """Rejects the numbers given, delivers the others."""

    def __init__(self, config: SimulatorConfig, rejected: set[str]) -> None:
        super().__init__(config)
        self.rejected = rejected

    def outcome(self, message: Message) -> Timeline | Rejection:
        if message.to in self.rejected:
            return Rejection(st.REJECTED_DESTINATION_BLOCKLISTED, st.EC_DEST_ADDRESS_BLACKLISTED)
        return self.default


def make_sim(
    *,
    seed: int = 7,
    outcome: Timeline | Rejection | None = None,
    delivery_delay: Millis = 3 * SECOND,
) -> Simulator:
    config = SimulatorConfig(start=START, seed=seed, delivery_delay=delivery_delay)
    policy = None if outcome is None else FixedPolicy(config, outcome)
    return Simulator(config, policy=policy)


def template(
    family: Family = Family.V3,
    *,
    validity: Millis = 48 * HOUR,
    window: TimeWindow | None = None,
    entity_id: str | None = None,
) -> Template:
    return Template(
        family,
        ENDPOINTS.get(family, "/sms/3/messages"),
        "InfoSMS",
        text="Hello",
        validity=validity,
        time_window=window,
        entity_id=entity_id,
    )


def send(
    sim: Simulator,
    *to: str,
    family: Family = Family.V3,
    send_at: Millis | None = None,
    bulk_id: str | None = None,
    message_ids: Sequence[str | None] = (),
    speed_limit: tuple[int, Millis] | None = None,
    tpl: Template | None = None,
) -> Submission:
    """One message object to the given numbers (default: one number)."""
    numbers = to or (TO,)
    ids = list(message_ids) or [None] * len(numbers)
    request = MessageRequest(tpl or template(family), list(zip(numbers, ids, strict=True)), send_at)
    return sim.gateway.submit(account(sim), SubmitRequest(family, [request], bulk_id, speed_limit))


def account(sim: Simulator) -> Account:
    return sim.gateway.account()


def history(message: Message) -> list[tuple[Millis, str]]:
    """(ms after START, status name) for each status the message went through."""
    return [(at - START, status.name) for at, status, _ in message.history]


def only(submission: Submission) -> Message:
    (message,) = submission.messages
    return message


def pull(sim: Simulator, limit: int = 1000, **filters: str) -> list[Report]:
    return sim.gateway.pull_reports(account(sim), limit, **filters)


# -- submit -------------------------------------------------------------------------------------


@pytest.mark.parametrize("family", [Family.V2, Family.V3])
def test_v2_and_v3_start_pending_accepted(family: Family) -> None:
    sim = make_sim()
    message = only(send(sim, family=family))
    assert message.status is st.PENDING_ACCEPTED
    assert message.status.id == 26
    assert message.status.group_name == "PENDING"
    assert message.error is st.NO_ERROR
    assert message.history == [(START, st.PENDING_ACCEPTED, st.NO_ERROR)]
    assert message.sent_at is None
    assert message.done_at is None
    assert not message.final


def test_v1_starts_pending_enroute() -> None:
    sim = make_sim()
    message = only(send(sim, family=Family.V1))
    assert message.status is st.PENDING_ENROUTE
    assert message.status.id == 7
    assert message.status.description == "Message sent to next instance"
    assert message.history == [(START, st.PENDING_ENROUTE, st.NO_ERROR)]


def test_every_message_is_answered_and_scheduled() -> None:
    sim = make_sim()
    submission = send(sim, "41793026727", "41793026731", "41793026732")
    assert [m.to for m in submission.messages] == ["41793026727", "41793026731", "41793026732"]
    events = list(sim.schedule)
    assert len(events) == 3
    assert [e.kind for e in events] == ["send"] * 3
    assert [e.payload for e in events] == submission.messages
    assert all(e.due == START for e in events)
    assert all(m.event is e for m, e in zip(submission.messages, events, strict=True))
    bulk = submission.bulk
    assert bulk.messages == submission.messages
    assert bulk.unsent == 3
    assert bulk.message_objects == 1
    assert account(sim).messages == submission.messages
    assert all(account(sim).by_id[m.message_id] is m for m in submission.messages)
    assert pull(sim) == []  # pending statuses make no report


def test_nothing_happens_before_the_clock_moves() -> None:
    sim = make_sim()
    message = only(send(sim))
    assert message.status is st.PENDING_ACCEPTED
    assert sim.engine.fired == 0


def test_price_follows_parts() -> None:
    sim = make_sim()
    tpl = template()
    tpl.sms_count = 3
    message = only(send(sim, tpl=tpl))
    assert message.price == pytest.approx(0.03)
    assert message.currency == "EUR"
    assert message.mcc_mnc == "22801"


# -- lifecycle ----------------------------------------------------------------------------------


def test_default_lifecycle_is_exact() -> None:
    sim = make_sim()
    delay = sim.config.delivery_delay
    message = only(send(sim))
    sim.engine.advance(0)
    assert message.status is st.PENDING_ENROUTE
    assert message.sent_at == START
    assert message.done_at is None
    assert pull(sim) == []
    sim.engine.advance(delay - 1)
    assert message.status is st.PENDING_ENROUTE
    sim.engine.advance(1)
    assert message.status is st.DELIVERED_TO_HANDSET
    assert message.error is st.NO_ERROR
    assert message.done_at == START + delay
    assert message.final
    assert message.event is None
    assert history(message) == [
        (0, "PENDING_ACCEPTED"),
        (0, "PENDING_ENROUTE"),
        (delay, "DELIVERED_TO_HANDSET"),
    ]
    (report,) = pull(sim)
    assert report.message is message
    assert report.status is st.DELIVERED_TO_HANDSET
    assert report.at == START + delay
    assert len(sim.schedule) == 0


def test_delivery_delay_comes_from_the_config() -> None:
    sim = make_sim(delivery_delay=10 * SECOND)
    message = only(send(sim))
    sim.engine.advance(10 * SECOND - 1)
    assert message.status is st.PENDING_ENROUTE
    sim.engine.advance(1)
    assert message.status is st.DELIVERED_TO_HANDSET
    assert message.done_at == START + 10 * SECOND


def test_bulk_status_follows_its_messages() -> None:
    sim = make_sim()
    submission = send(sim, "1", "2", send_at=START + MINUTE)
    bulk = submission.bulk
    assert bulk.status is BulkStatus.PENDING
    assert bulk.send_at == START + MINUTE
    sim.engine.advance(MINUTE)
    assert (
        account(sim).bulks[bulk.bulk_id].status is BulkStatus.FINISHED
    )  # both sent: nothing left to send
    assert bulk.unsent == 0
    assert bulk.ever_sent


def test_send_at_in_the_future_sends_then() -> None:
    sim = make_sim()
    send_at = START + 2 * HOUR
    message = only(send(sim, send_at=send_at))
    assert message.send_at == send_at
    assert message.event is not None
    assert message.event.due == send_at
    sim.engine.advance(2 * HOUR - 1)
    assert message.status is st.PENDING_ACCEPTED
    assert message.sent_at is None
    sim.engine.advance(1)
    assert message.sent_at == send_at
    assert message.status is st.PENDING_ENROUTE
    sim.engine.advance(HOUR)
    assert message.done_at == send_at + sim.config.delivery_delay
    assert history(message) == [
        (0, "PENDING_ACCEPTED"),
        (2 * HOUR, "PENDING_ENROUTE"),
        (2 * HOUR + sim.config.delivery_delay, "DELIVERED_TO_HANDSET"),
    ]


def test_send_at_in_the_past_sends_at_once() -> None:
    sim = make_sim()
    message = only(send(sim, send_at=START - DAY))
    assert message.send_at == START
    assert message.event is not None
    assert message.event.due == START
    sim.engine.advance(0)
    assert message.sent_at == START
    assert message.status is st.PENDING_ENROUTE


def test_bulk_send_at_counts_message_objects_without_send_at() -> None:
    sim = make_sim()
    later = MessageRequest(template(), [("2", None)], START + HOUR)
    now = MessageRequest(template(), [("1", None)])
    submission = sim.gateway.submit(account(sim), SubmitRequest(Family.V3, [later, now]))
    assert submission.bulk.send_at == START
    assert submission.bulk.message_objects == 2
    sim.engine.advance(0)
    assert submission.messages[1].sent_at == START
    assert submission.messages[0].sent_at is None


# -- validity -----------------------------------------------------------------------------------


def slow(delivery_after: Millis) -> Timeline:
    return Timeline(
        (
            Step(0, st.PENDING_ENROUTE, st.NO_ERROR),
            Step(delivery_after, st.DELIVERED_TO_HANDSET, st.NO_ERROR),
        )
    )


NEVER = Timeline((Step(0, st.PENDING_ENROUTE, st.NO_ERROR),))


def assert_expired_at(sim: Simulator, message: Message, at: Millis) -> None:
    assert message.status is st.EXPIRED_EXPIRED
    assert message.error is st.EC_VALIDITY_EXPIRED
    assert message.final
    assert message.done_at == at
    assert message.history[-1] == (at, st.EXPIRED_EXPIRED, st.EC_VALIDITY_EXPIRED)
    reports = [r for r in pull(sim) if r.message is message]
    assert [(r.status, r.error, r.at) for r in reports] == [
        (st.EXPIRED_EXPIRED, st.EC_VALIDITY_EXPIRED, at)
    ]


def test_delivery_after_validity_expires_at_send_plus_validity() -> None:
    sim = make_sim(outcome=slow(HOUR))
    message = only(send(sim, tpl=template(validity=10 * MINUTE)))
    sim.engine.advance(10 * MINUTE - 1)
    assert message.status is st.PENDING_ENROUTE
    sim.engine.advance(1)
    assert_expired_at(sim, message, START + 10 * MINUTE)
    sim.engine.advance(DAY)
    assert message.status is st.EXPIRED_EXPIRED
    assert all(status is not st.DELIVERED_TO_HANDSET for _, status, _ in message.history)
    assert len(sim.schedule) == 0
    assert pull(sim) == []


def test_delivery_exactly_at_validity_end_loses() -> None:
    sim = make_sim(outcome=slow(10 * MINUTE))
    message = only(send(sim, tpl=template(validity=10 * MINUTE)))
    sim.engine.advance(HOUR)
    assert_expired_at(sim, message, START + 10 * MINUTE)


def test_delivery_just_inside_validity_is_delivered() -> None:
    sim = make_sim(outcome=slow(10 * MINUTE - 1))
    message = only(send(sim, tpl=template(validity=10 * MINUTE)))
    sim.engine.advance(HOUR)
    assert message.status is st.DELIVERED_TO_HANDSET
    assert message.done_at == START + 10 * MINUTE - 1


def test_a_timeline_that_never_ends_expires_when_validity_ends() -> None:
    sim = make_sim(outcome=NEVER)
    message = only(send(sim, tpl=template(validity=30 * MINUTE)))
    sim.engine.advance(0)
    assert message.status is st.PENDING_ENROUTE
    assert not message.final
    assert message.event is not None
    assert message.event.kind == "expire"
    assert pull(sim) == []  # still pending: nothing to report yet
    sim.engine.advance(30 * MINUTE - 1)
    assert message.status is st.PENDING_ENROUTE
    sim.engine.advance(1)
    assert_expired_at(sim, message, START + 30 * MINUTE)
    assert history(message) == [
        (0, "PENDING_ACCEPTED"),
        (0, "PENDING_ENROUTE"),
        (30 * MINUTE, "EXPIRED_EXPIRED"),
    ]
    sim.engine.advance(DAY)
    assert message.status is st.EXPIRED_EXPIRED


def test_validity_counts_from_send_at() -> None:
    sim = make_sim(outcome=NEVER)
    message = only(send(sim, send_at=START + HOUR, tpl=template(validity=15 * MINUTE)))
    assert message.expires_at == START + HOUR + 15 * MINUTE
    sim.engine.run_until_idle()
    assert_expired_at(sim, message, START + HOUR + 15 * MINUTE)
    assert message.sent_at == START + HOUR


def test_an_empty_timeline_also_waits_for_validity() -> None:
    sim = make_sim(outcome=Timeline(()))
    message = only(send(sim, tpl=template(validity=5 * MINUTE)))
    sim.engine.run_until_idle()
    assert sim.engine.failures == []
    assert message.sent_at == START
    assert_expired_at(sim, message, START + 5 * MINUTE)


def test_a_first_step_after_the_send_time_waits_for_its_due_time() -> None:
    timeline = Timeline(
        (
            Step(2 * SECOND, st.PENDING_ENROUTE, st.NO_ERROR),
            Step(5 * SECOND, st.DELIVERED_TO_HANDSET, st.NO_ERROR),
        )
    )
    sim = make_sim(outcome=timeline)
    message = only(send(sim))
    sim.engine.run_until_idle()
    assert message.sent_at == START
    assert history(message) == [
        (0, "PENDING_ACCEPTED"),
        (2 * SECOND, "PENDING_ENROUTE"),
        (5 * SECOND, "DELIVERED_TO_HANDSET"),
    ]


def test_an_undeliverable_timeline_is_final_and_reported() -> None:
    timeline = Timeline(
        (
            Step(0, st.PENDING_ENROUTE, st.NO_ERROR),
            Step(4 * SECOND, st.UNDELIVERABLE_NOT_DELIVERED, st.EC_ABSENT_SUBSCRIBER),
        )
    )
    sim = make_sim(outcome=timeline)
    message = only(send(sim))
    sim.engine.run_until_idle()
    assert message.status is st.UNDELIVERABLE_NOT_DELIVERED
    assert message.error is st.EC_ABSENT_SUBSCRIBER
    assert message.done_at == START + 4 * SECOND
    (report,) = pull(sim)
    assert report.error is st.EC_ABSENT_SUBSCRIBER


# -- rejections ---------------------------------------------------------------------------------


def test_rejection_is_final_at_submit_and_queues_a_report() -> None:
    rejection = Rejection(st.REJECTED_NOT_ENOUGH_CREDITS, st.EC_UNKNOWN_ERROR)
    sim = make_sim(outcome=rejection)
    submission = send(sim)
    message = only(submission)
    assert message.status is st.REJECTED_NOT_ENOUGH_CREDITS
    assert message.error is st.EC_UNKNOWN_ERROR
    assert message.final
    assert message.price == 0.0
    assert message.done_at == START
    assert message.event is None
    assert history(message) == [(0, "PENDING_ACCEPTED"), (0, "REJECTED_NOT_ENOUGH_CREDITS")]
    assert len(sim.schedule) == 0
    assert submission.bulk.status is BulkStatus.FAILED
    sim.engine.advance(DAY)
    assert message.status is st.REJECTED_NOT_ENOUGH_CREDITS
    assert message.sent_at is None
    (report,) = pull(sim)
    assert (report.status, report.at) == (st.REJECTED_NOT_ENOUGH_CREDITS, START)


def test_rejected_and_accepted_destinations_in_one_request() -> None:
    config = SimulatorConfig(start=START, seed=7)
    sim = Simulator(config, policy=RejectSome(config, {"2"}))
    submission = send(sim, "1", "2", "3")
    assert [m.status.name for m in submission.messages] == [
        "PENDING_ACCEPTED",
        "REJECTED_DESTINATION_BLOCKLISTED",
        "PENDING_ACCEPTED",
    ]
    assert submission.bulk.unsent == 2
    assert len(sim.schedule) == 2
    assert [r.message.to for r in pull(sim)] == ["2"]
    sim.engine.run_until_idle()
    assert [m.status.name for m in submission.messages] == [
        "DELIVERED_TO_HANDSET",
        "REJECTED_DESTINATION_BLOCKLISTED",
        "DELIVERED_TO_HANDSET",
    ]
    assert submission.bulk.status is BulkStatus.FINISHED


# -- reports ------------------------------------------------------------------------------------


def test_each_report_is_returned_once() -> None:
    sim = make_sim()
    submission = send(sim, "1", "2", "3")
    sim.engine.run_until_idle()
    first = pull(sim)
    assert [r.message.to for r in first] == ["1", "2", "3"]
    assert [r.seq for r in first] == sorted(r.seq for r in first)
    assert pull(sim) == []
    assert [r.message for r in first] == submission.messages


def test_pull_respects_limit_in_order() -> None:
    sim = make_sim()
    send(sim, *[str(n) for n in range(7)])
    sim.engine.run_until_idle()
    assert [r.message.to for r in pull(sim, 3)] == ["0", "1", "2"]
    assert [r.message.to for r in pull(sim, 3)] == ["3", "4", "5"]
    assert [r.message.to for r in pull(sim, 3)] == ["6"]
    assert pull(sim, 3) == []


def test_pull_with_limit_zero_takes_nothing() -> None:
    sim = make_sim()
    send(sim)
    sim.engine.run_until_idle()
    assert pull(sim, 0) == []
    assert len(pull(sim)) == 1


def test_pull_filters_by_bulk_and_message_id() -> None:
    sim = make_sim()
    first = send(sim, "1", "2", bulk_id="BULK-A")
    second = send(sim, "3", bulk_id="BULK-B", message_ids=["MSG-3"])
    sim.engine.run_until_idle()
    assert [r.message.to for r in pull(sim, bulk_id="BULK-B")] == ["3"]
    assert pull(sim, bulk_id="BULK-B") == []
    target = first.messages[1].message_id
    assert [r.message.to for r in pull(sim, message_id=target)] == ["2"]
    assert pull(sim, message_id="MSG-3") == []  # already taken with its bulk
    assert pull(sim, bulk_id="nope") == []
    assert [r.message.to for r in pull(sim)] == ["1"]
    assert second.messages[0].message_id == "MSG-3"


def test_pull_filters_by_platform_fields() -> None:
    sim = make_sim()
    send(sim, "1", tpl=template(entity_id="ent-1"))
    send(sim, "2", tpl=template(entity_id="ent-2"))
    sim.engine.run_until_idle()
    assert [r.message.to for r in pull(sim, entity_id="ent-2")] == ["2"]
    assert [r.message.to for r in pull(sim, application_id="none")] == []
    assert [r.message.to for r in pull(sim)] == ["1"]


def test_reports_older_than_48_hours_are_dropped() -> None:
    sim = make_sim()
    send(sim, "old")
    sim.engine.run_until_idle()
    delivered_at = START + sim.config.delivery_delay
    send(sim, "new")
    sim.engine.run_until_idle()
    sim.engine.advance_to(delivered_at + 48 * HOUR)
    assert [r.message.to for r in pull(sim, 1)] == ["old"]  # exactly 48 h: still there
    sim.engine.advance(1)
    assert [r.message.to for r in pull(sim)] == ["new"]
    send(sim, "stale")
    sim.engine.run_until_idle()
    sim.engine.advance(48 * HOUR + 1)
    assert pull(sim) == []
    assert account(sim).reports == {}


def test_report_listeners_hear_every_report() -> None:
    sim = make_sim()
    heard: list[Report] = []
    sim.gateway.report_listeners.append(heard.append)
    send(sim, "1", "2")
    sim.engine.run_until_idle()
    assert [(r.message.to, r.status.name) for r in heard] == [
        ("1", "DELIVERED_TO_HANDSET"),
        ("2", "DELIVERED_TO_HANDSET"),
    ]


# -- ids and determinism ------------------------------------------------------------------------


def test_generated_ids() -> None:
    sim = make_sim()
    submissions = [send(sim, "1", "2", "3") for _ in range(20)]
    bulk_ids = [s.bulk.bulk_id for s in submissions]
    assert all(re.fullmatch(r"[1-9]\d{18}", bulk_id) for bulk_id in bulk_ids)
    assert len(set(bulk_ids)) == 20
    message_ids = [m.message_id for s in submissions for m in s.messages]
    assert all(MESSAGE_ID.match(message_id) for message_id in message_ids)
    assert len(set(message_ids)) == 60
    assert all(m.bulk_id == s.bulk.bulk_id for s in submissions for m in s.messages)
    assert set(account(sim).bulks) == set(bulk_ids)


def test_client_ids_are_kept() -> None:
    sim = make_sim()
    submission = send(sim, "1", "2", bulk_id="BULK-ID-123-xyz", message_ids=["MY-1", None])
    assert submission.bulk.bulk_id == "BULK-ID-123-xyz"
    first, second = submission.messages
    assert first.message_id == "MY-1"
    assert MESSAGE_ID.match(second.message_id)
    assert account(sim).by_id["MY-1"] is first
    assert sim.gateway.find_bulk(account(sim), "BULK-ID-123-xyz") is submission.bulk


def ids(sim: Simulator) -> list[str]:
    out: list[str] = []
    for _ in range(3):
        submission = send(sim, "1", "2")
        out.append(submission.bulk.bulk_id)
        out.extend(m.message_id for m in submission.messages)
    return out


def test_same_seed_same_ids() -> None:
    assert ids(make_sim(seed=42)) == ids(make_sim(seed=42))
    assert ids(make_sim(seed=42)) != ids(make_sim(seed=43))


def test_reset_starts_the_ids_over() -> None:
    sim = make_sim(seed=5)
    before = ids(sim)
    sim.engine.run_until_idle()
    sim.reset()
    assert sim.clock.now() == START
    assert account(sim).messages == []
    assert ids(sim) == before


# -- sendingSpeedLimit ----------------------------------------------------------------------------


def test_speed_limit_spaces_the_sends() -> None:
    sim = make_sim()
    submission = send(sim, *"abcde", speed_limit=(2, MINUTE))
    offsets = [m.send_at - START for m in submission.messages]
    assert offsets == [0, 0, MINUTE, MINUTE, 2 * MINUTE]
    sim.engine.run_until_idle()
    assert [m.sent_at for m in submission.messages] == [START + o for o in offsets]
    assert [m.done_at for m in submission.messages] == [
        START + o + sim.config.delivery_delay for o in offsets
    ]


def test_speed_limit_runs_across_message_objects_and_from_send_at() -> None:
    sim = make_sim()
    send_at = START + HOUR
    requests = [
        MessageRequest(template(), [("1", None), ("2", None)], send_at),
        MessageRequest(template(), [("3", None)], send_at),
    ]
    submission = sim.gateway.submit(
        account(sim), SubmitRequest(Family.V3, requests, None, (1, HOUR))
    )
    assert [m.send_at - send_at for m in submission.messages] == [0, HOUR, 2 * HOUR]
    sim.engine.advance(HOUR)
    assert submission.bulk.status is BulkStatus.PROCESSING


def test_rejected_destinations_take_no_speed_limit_slot() -> None:
    config = SimulatorConfig(start=START, seed=7)
    sim = Simulator(config, policy=RejectSome(config, {"b"}))
    submission = send(sim, "a", "b", "c", speed_limit=(1, MINUTE))
    a, b, c = submission.messages
    assert b.status.group_name == "REJECTED"
    assert (a.send_at - START, c.send_at - START) == (0, MINUTE)


@pytest.mark.parametrize("held", [BulkStatus.PAUSED, BulkStatus.CANCELED])
def test_a_send_cannot_join_a_paused_or_cancelled_bulk(held: BulkStatus) -> None:
    sim = make_sim()
    first = send(sim, bulk_id="B1", send_at=START + HOUR)
    sim.gateway.set_bulk_status(account(sim), "B1", held)
    before = len(account(sim).messages)
    with pytest.raises(BadRequest) as raised:
        send(sim, bulk_id="B1")
    assert raised.value.violations == [
        ("bulkId", f"bulk B1 is {held}; send with a new bulkId (or resume the bulk first)")
    ]
    assert len(account(sim).messages) == before
    assert first.bulk.status is held
    sim.engine.run_until_idle()
    assert all(m.status.name != "DELIVERED_TO_HANDSET" for m in account(sim).messages)


# -- deliveryTimeWindow -----------------------------------------------------------------------


def window(days: set[int], start: int | None, end: int | None) -> TimeWindow:
    return TimeWindow(frozenset(days), start, end)


WORKDAYS = window({0, 1, 2, 3, 4}, 10 * 60, 18 * 60)
"""Monday to Friday, 10:00 to 18:00 UTC."""


def at(text: str) -> Millis:
    return parse_instant(text)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # Monday before opening: the same day at 10:00.
        ("2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z"),
        # Inside the window: unchanged, to the millisecond.
        ("2026-01-05T12:34:56.789Z", "2026-01-05T12:34:56.789Z"),
        ("2026-01-05T10:00:00Z", "2026-01-05T10:00:00Z"),
        ("2026-01-05T17:59:59.999Z", "2026-01-05T17:59:59.999Z"),
        # At or after closing: the next day's opening.
        ("2026-01-05T18:00:00Z", "2026-01-06T10:00:00Z"),
        ("2026-01-05T23:59:59Z", "2026-01-06T10:00:00Z"),
        # Friday evening and the weekend: Monday's opening.
        ("2026-01-09T19:00:00Z", "2026-01-12T10:00:00Z"),
        ("2026-01-10T11:00:00Z", "2026-01-12T10:00:00Z"),
        ("2026-01-11T23:00:00Z", "2026-01-12T10:00:00Z"),
    ],
)
def test_next_in_window_workdays(instant: str, expected: str) -> None:
    assert next_in_window(at(instant), WORKDAYS) == at(expected)


def test_next_in_window_on_one_weekday() -> None:
    wednesdays = window({WEDNESDAY}, 8 * 60, 9 * 60 + 30)
    assert next_in_window(at("2026-01-05T09:00:00Z"), wednesdays) == at("2026-01-07T08:00:00Z")
    assert next_in_window(at("2026-01-07T09:30:00Z"), wednesdays) == at("2026-01-14T08:00:00Z")
    assert next_in_window(at("2026-01-07T09:29:00Z"), wednesdays) == at("2026-01-07T09:29:00Z")


def test_next_in_window_without_hours_means_the_whole_day() -> None:
    saturdays = window({SATURDAY}, None, None)
    assert next_in_window(at("2026-01-05T09:00:00Z"), saturdays) == at("2026-01-10T00:00:00Z")
    assert next_in_window(at("2026-01-10T22:00:00Z"), saturdays) == at("2026-01-10T22:00:00Z")
    until_noon = window({MONDAY}, None, 12 * 60)
    assert next_in_window(at("2026-01-05T11:59:00Z"), until_noon) == at("2026-01-05T11:59:00Z")
    assert next_in_window(at("2026-01-05T12:00:00Z"), until_noon) == at("2026-01-12T00:00:00Z")
    from_noon = window({FRIDAY}, 12 * 60, None)
    assert next_in_window(at("2026-01-09T23:59:00Z"), from_noon) == at("2026-01-09T23:59:00Z")


def test_time_window_defers_the_send_to_the_right_weekday() -> None:
    sim = make_sim()
    message = only(send(sim, tpl=template(window=window({TUESDAY}, 14 * 60, 16 * 60))))
    assert message.event is not None
    assert message.event.due == at("2026-01-06T14:00:00Z")
    sim.engine.advance(DAY)
    assert message.sent_at is None
    assert message.status is st.PENDING_ACCEPTED
    sim.engine.run_until_idle()
    assert message.sent_at == at("2026-01-06T14:00:00Z")
    assert message.status is st.DELIVERED_TO_HANDSET


def test_time_window_applies_after_send_at() -> None:
    sim = make_sim()
    send_at = at("2026-01-08T17:30:00Z")  # Thursday, inside the window
    inside = only(send(sim, send_at=send_at, tpl=template(window=WORKDAYS)))
    late = only(send(sim, send_at=at("2026-01-08T18:30:00Z"), tpl=template(window=WORKDAYS)))
    sim.engine.run_until_idle()
    assert inside.sent_at == send_at
    assert late.sent_at == at("2026-01-09T10:00:00Z")


def test_a_window_opening_after_validity_expires_the_message_when_validity_ends() -> None:
    """Validity counts from the send time, not from the window's opening."""
    sim = make_sim()
    message = only(send(sim, tpl=template(validity=HOUR, window=window({SATURDAY}, None, None))))
    assert message.event is not None
    assert message.event.kind == "expire"
    sim.engine.run_until_idle()
    assert message.sent_at is None
    assert_expired_at(sim, message, START + HOUR)
    friday_evening = at("2026-01-16T18:30:00Z")  # Monday 10:00 is more than 48 hours away
    weekend = only(send(sim, send_at=friday_evening, tpl=template(window=WORKDAYS)))
    sim.engine.run_until_idle()
    assert weekend.sent_at is None
    assert_expired_at(sim, weekend, friday_evening + 48 * HOUR)
    assert weekend.bulk_id in account(sim).bulks
    assert account(sim).bulks[weekend.bulk_id].status is BulkStatus.FAILED
