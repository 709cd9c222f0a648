"""Model-based property tests of the gateway, without HTTP.

A Hypothesis state machine drives one in-process :class:`~simulator.core.Simulator` through
random interleavings of sends (with and without ``sendAt``, short and long validity, new and
reused bulk ids, one or two message objects), reschedules, pauses, resumes and cancels,
clock advances and report pulls, and checks it against a small reference model after every
step:

* every message ends in exactly one final status (once paused bulks are resumed and the
  schedule has run dry), and nothing happens to it after that;
* no report is returned twice by a pull, and every final status is reported exactly once;
* a bulk cancelled while messages were unsent never delivers them: they end
  ``UNDELIVERABLE_NOT_SENT`` / ``EC_MESSAGE_CANCELED``; a paused bulk sends nothing;
* nothing is delivered after its validity ends;
* events fire in time order (the engine is hooked) and the clock never goes back;
* a refused bulk change is refused for a documented reason (cancelled, already sent, or sent
  with several message objects).

A second property replays random programs on two fresh simulators with the same seed and
compares everything they did: the same seed reproduces the same run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from reliability import PROPERTY_EXAMPLES_RUN, PROPERTY_STEPS

from simulator import status as st_codes
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.errors import BadRequest, NotFound
from simulator.gateway import MessageRequest, SubmitRequest
from simulator.models import BulkStatus, Family, Message, Template
from simulator.schedule import Event
from simulator.timefmt import HOUR, MINUTE, SECOND, Millis, parse_instant

START: Final = parse_instant("2026-01-01T09:00:00.000+0000")
BULKS: Final = ("B1", "B2", "B3")
FAMILIES: Final = {Family.V3: "sms/3/messages", Family.V2: "sms/2/text/advanced"}
SENT_STATES: Final = (BulkStatus.PROCESSING, BulkStatus.FINISHED, BulkStatus.FAILED)


def new_simulator(seed: int = 5) -> Simulator:
    # Reports kept far longer than any run, so "every final status reported once" holds.
    config = SimulatorConfig(start=START, seed=seed, report_retention=10_000 * 24 * HOUR)
    return Simulator(config)


@dataclass(frozen=True, slots=True)
class Send:
    bulk: str | None
    destinations: int
    message_objects: int
    send_in: Millis | None
    """sendAt relative to now (negative: in the past), or None: now."""
    validity: Millis
    family: Family


sends = st.builds(
    Send,
    bulk=st.one_of(st.none(), st.sampled_from(BULKS)),
    destinations=st.integers(1, 3),
    message_objects=st.integers(1, 2),
    send_in=st.one_of(st.none(), st.sampled_from([-MINUTE, 0, 2 * SECOND, MINUTE, HOUR])),
    validity=st.sampled_from([SECOND, 2 * SECOND, 4 * SECOND, MINUTE, 48 * HOUR]),
    family=st.sampled_from(list(FAMILIES)),
)
advances = st.sampled_from([0, 500, SECOND, 3 * SECOND, MINUTE, HOUR, 2 * HOUR])


def submit(simulator: Simulator, send: Send, counter: int) -> list[Message]:
    """One send through the gateway, as a parsed request would be."""
    now = simulator.clock.now()
    requests: list[MessageRequest] = []
    for index in range(send.message_objects):
        template = Template(send.family, FAMILIES[send.family], "InfoSMS", text="Hi", index=index)
        template.validity = send.validity
        destinations: list[tuple[str, str | None]] = [
            (f"4179{counter:04d}{index}{d}", None) for d in range(send.destinations)
        ]
        send_at = None if send.send_in is None else max(0, now + send.send_in)
        requests.append(MessageRequest(template, destinations, send_at))
    gateway = simulator.gateway
    submission = gateway.submit(gateway.account(), SubmitRequest(send.family, requests, send.bulk))
    return submission.messages


def hook_events(simulator: Simulator, seen: list[Millis]) -> None:
    """Record the due time of every event the engine fires, checking they come in order."""
    engine = simulator.engine
    fire = engine._fire

    def recording(event: Event) -> None:
        assert not seen or event.due >= seen[-1], "an event fired before an earlier one"
        seen.append(event.due)
        fire(event)
        assert simulator.clock.now() >= event.due

    engine._fire = recording  # type: ignore[method-assign]


def finals(message: Message) -> list[str]:
    return [status.name for _, status, _ in message.history if not status.is_pending]


@dataclass
class Model:
    """What the reference model expects, besides what every message must satisfy."""

    cancelled: set[str] = field(default_factory=set)
    """Messages that were unsent when their bulk was cancelled: never delivered."""
    held: dict[str, set[str]] = field(default_factory=dict)
    """Paused bulk -> the messages unsent when it was paused: nothing sends them."""
    reported: dict[int, tuple[str, str]] = field(default_factory=dict)
    """Report seq -> (messageId, status), every report pulled so far."""


class GatewayMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.simulator = new_simulator()
        self.gateway = self.simulator.gateway
        self.account = self.gateway.account()
        self.model = Model()
        self.fired: list[Millis] = []
        hook_events(self.simulator, self.fired)
        self.sends = 0
        self.last_now = self.simulator.clock.now()

    # -- rules -------------------------------------------------------------------------------
    @rule(send=sends)
    def send(self, send: Send) -> None:
        self.sends += 1
        bulk = self.account.bulks.get(send.bulk) if send.bulk else None
        try:
            submit(self.simulator, send, self.sends)
        except BadRequest:
            assert bulk is not None
            assert bulk.status in (BulkStatus.PAUSED, BulkStatus.CANCELED)
            return
        assert bulk is None or bulk.status not in (BulkStatus.CANCELED,)
        self.simulator.engine.run_due()

    @rule(by=advances)
    def advance(self, by: Millis) -> None:
        self.simulator.engine.advance(by)

    @rule()
    def next_event(self) -> None:
        self.simulator.engine.advance_to_next()

    @rule(limit=st.integers(1, 20))
    def pull(self, limit: int) -> None:
        self.simulator.engine.run_due()
        for report in self.gateway.pull_reports(self.account, limit):
            assert report.seq not in self.model.reported, "a report was returned twice"
            assert not report.status.is_pending
            self.model.reported[report.seq] = (report.message.message_id, report.status.name)

    def _change(self, bulk_id: str, change: Callable[[], Any]) -> bool:
        bulk = self.account.bulks.get(bulk_id)
        before = None if bulk is None else bulk.status
        try:
            change()
        except NotFound:
            assert bulk is None
            return False
        except BadRequest:
            assert bulk is not None
            assert (
                before is BulkStatus.CANCELED or before in SENT_STATES or bulk.message_objects > 1
            )
            return False
        assert bulk is not None
        return True

    @rule(bulk_id=st.sampled_from(BULKS))
    def pause(self, bulk_id: str) -> None:
        if self._change(
            bulk_id, lambda: self.gateway.set_bulk_status(self.account, bulk_id, BulkStatus.PAUSED)
        ):
            bulk = self.account.bulks[bulk_id]
            unsent = {m.message_id for m in bulk.messages if not m.is_sent and not m.final}
            self.model.held.setdefault(bulk_id, set()).update(unsent)

    @rule(bulk_id=st.sampled_from(BULKS))
    def resume(self, bulk_id: str) -> None:
        if self._change(
            bulk_id, lambda: self.gateway.set_bulk_status(self.account, bulk_id, BulkStatus.PENDING)
        ):
            self.model.held.pop(bulk_id, None)
            self.simulator.engine.run_due()

    @rule(bulk_id=st.sampled_from(BULKS))
    def cancel(self, bulk_id: str) -> None:
        bulk = self.account.bulks.get(bulk_id)
        unsent = (
            set()
            if bulk is None
            else {m.message_id for m in bulk.messages if not m.is_sent and not m.final}
        )
        if self._change(
            bulk_id,
            lambda: self.gateway.set_bulk_status(self.account, bulk_id, BulkStatus.CANCELED),
        ):
            self.model.cancelled.update(unsent)
            self.model.held.pop(bulk_id, None)

    @rule(bulk_id=st.sampled_from(BULKS), at=st.sampled_from([-MINUTE, 0, SECOND, HOUR]))
    def reschedule(self, bulk_id: str, at: Millis) -> None:
        send_at = max(0, self.simulator.clock.now() + at)
        if self._change(
            bulk_id, lambda: self.gateway.reschedule_bulk(self.account, bulk_id, send_at)
        ):
            bulk = self.account.bulks[bulk_id]
            assert bulk.send_at == send_at
            now = self.simulator.clock.now()
            assert all(m.send_at >= now for m in bulk.messages if not m.is_sent and not m.final)

    # -- what must always hold -------------------------------------------------------------------
    @invariant()
    def clock_never_goes_back(self) -> None:
        now = self.simulator.clock.now()
        assert now >= self.last_now
        self.last_now = now

    @invariant()
    def messages_keep_the_rules(self) -> None:
        for message in self.account.messages:
            done = finals(message)
            assert len(done) <= 1, f"{message.message_id} reached {done}"
            if message.final:
                assert len(done) == 1
                assert not message.history[-1][1].is_pending
                assert message.event is None
            if message.status is st_codes.DELIVERED_TO_HANDSET:
                assert message.done_at is not None
                assert message.done_at < message.expires_at
            if message.message_id in self.model.cancelled:
                assert message.status is not st_codes.DELIVERED_TO_HANDSET
                if message.final:
                    assert message.status is st_codes.UNDELIVERABLE_NOT_SENT
                    assert message.error is st_codes.EC_MESSAGE_CANCELED
        for bulk_id, held in self.model.held.items():
            for message in self.account.bulks[bulk_id].messages:
                if message.message_id in held:
                    assert not message.is_sent, f"paused bulk {bulk_id} sent a message"

    def teardown(self) -> None:
        """Resume what is paused, run everything out, and pull every report left."""
        for bulk_id in list(self.model.held):
            self.gateway.set_bulk_status(self.account, bulk_id, BulkStatus.PENDING)
        self.model.held.clear()
        self.simulator.engine.run_until_idle()
        assert len(self.simulator.schedule) == 0
        self.pull(limit=10**6)
        self.messages_keep_the_rules()
        reported = sorted(self.model.reported.values())
        expected = sorted(
            (m.message_id, status.name)
            for m in self.account.messages
            for _, status, _ in m.history
            if not status.is_pending
        )
        assert reported == expected, "every final status is reported exactly once"
        for message in self.account.messages:
            assert message.final, f"{message.message_id} never reached a final status"


GatewayMachine.TestCase.settings = settings(
    max_examples=PROPERTY_EXAMPLES_RUN,
    stateful_step_count=PROPERTY_STEPS,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestGatewayModel = GatewayMachine.TestCase


# -- the same seed, the same run -------------------------------------------------------------
programs = st.lists(
    st.one_of(
        st.tuples(st.just("send"), sends),
        st.tuples(st.just("advance"), advances),
        st.tuples(st.just("pull"), st.integers(1, 5)),
        st.tuples(st.sampled_from(["pause", "resume", "cancel"]), st.sampled_from(BULKS)),
    ),
    max_size=PROPERTY_STEPS,
)


def replay(program: list[tuple[str, Any]], seed: int) -> list[object]:
    """Everything one run did, as plain data."""
    simulator = new_simulator(seed)
    gateway = simulator.gateway
    account = gateway.account()
    trace: list[object] = []
    targets = {"pause": BulkStatus.PAUSED, "resume": BulkStatus.PENDING}
    for counter, (action, argument) in enumerate(program):
        try:
            if action == "send":
                trace.append([m.message_id for m in submit(simulator, argument, counter)])
            elif action == "advance":
                trace.append(simulator.engine.advance(argument))
            elif action == "pull":
                trace.append(
                    [(r.seq, r.message.message_id) for r in gateway.pull_reports(account, argument)]
                )
            else:
                target = targets.get(action, BulkStatus.CANCELED)
                trace.append(gateway.set_bulk_status(account, argument, target).status.value)
        except (BadRequest, NotFound) as exc:
            trace.append(repr(exc))
    simulator.engine.run_until_idle()
    for message in account.messages:
        trace.append(
            (
                message.message_id,
                message.bulk_id,
                message.to,
                tuple((at, status.name, error.name) for at, status, error in message.history),
            )
        )
    trace.append(sorted(account.bulks))
    return trace


@settings(
    max_examples=PROPERTY_EXAMPLES_RUN // 2,
    derandomize=True,
    database=None,
    deadline=None,
)
@given(program=programs, seed=st.integers(0, 2**32))
def test_the_same_seed_reproduces_the_same_run(program: list[tuple[str, Any]], seed: int) -> None:
    assert replay(program, seed) == replay(program, seed)


def test_another_seed_changes_the_ids() -> None:
    program: list[tuple[str, Any]] = [("send", Send(None, 2, 1, None, MINUTE, Family.V3))]
    assert replay(program, 1) != replay(program, 2)


def test_a_program_of_every_step_kind_keeps_the_rules() -> None:
    """One fixed interleaving, to show the machine's checks fire on real transitions."""
    machine = GatewayMachine()
    machine.send(Send("B1", 2, 1, HOUR, 48 * HOUR, Family.V3))
    machine.send(Send("B2", 1, 1, 2 * SECOND, SECOND, Family.V2))
    machine.pause("B1")
    machine.advance(2 * HOUR)
    machine.messages_keep_the_rules()
    machine.resume("B1")
    machine.cancel("B1")
    machine.send(Send("B3", 1, 2, None, MINUTE, Family.V3))
    machine.cancel("B3")  # two message objects: refused
    machine.advance(MINUTE)
    machine.pull(limit=3)
    machine.teardown()
    statuses = {m.to[-3:]: m.status.name for m in machine.account.messages}
    assert "EXPIRED_EXPIRED" in statuses.values()  # B2: 1 s validity, 3 s to deliver
    assert "DELIVERED_TO_HANDSET" in statuses.values()
