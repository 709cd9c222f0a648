"""The simulated gateway: domain state and rules, with no HTTP in sight.

A request changes state *now* and puts future events on the schedule; the engine fires them
as the clock advances. Per message the events are: the send (at ``sendAt``, or now), then one
event per step of its delivery timeline, or an expiry when the timeline outlasts the
message's validity. Every non-pending status change makes a :class:`~simulator.models.Report`
that is queued for the pull endpoints and handed to the report listeners (webhooks); a final
one is queued as the message itself (a final message never changes again) and made into a
Report when pulled, so a retained, unpulled message costs no report object.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from typing import Any

from simulator import bulkops
from simulator import status as st
from simulator.accounts import DEFAULT_ACCOUNT, Account
from simulator.config import SimulatorConfig
from simulator.engine import Engine
from simulator.errors import BadRequest
from simulator.models import (
    Bulk,
    BulkStatus,
    Family,
    InboundMessage,
    Message,
    Rejection,
    Report,
    Step,
    Template,
    Timeline,
    TimeWindow,
    change_code,
    tariff,
)
from simulator.timefmt import DAY, MINUTE, Millis, to_datetime

ReportListener = Callable[[Report], None]
"""Hears every report queued for the pull endpoints (non-pending status changes)."""
StatusListener = Callable[[Message, bool], None]
"""Hears every status change of a message, pending ones included, and whether it is final."""
InboundListener = Callable[[InboundMessage], None]
_UNDECIDED = Timeline(())


@dataclass(slots=True)
class MessageRequest:
    """One message object of a send request, parsed and validated."""

    template: Template
    destinations: list[tuple[str, str | None]]
    """(to, client messageId or None)."""
    send_at: Millis | None = None


@dataclass(slots=True)
class SubmitRequest:
    family: Family
    messages: list[MessageRequest]
    bulk_id: str | None = None
    speed_limit: tuple[int, Millis] | None = None
    """At most ``amount`` messages per ``unit`` milliseconds (``sendingSpeedLimit``)."""


@dataclass(slots=True)
class Submission:
    bulk: Bulk
    messages: list[Message] = field(default_factory=list)


class OutcomePolicy:
    """Decides what becomes of a message at submit time. The default delivers everything.

    Scenarios replace this with rules; ``outcome`` is called once per destination, in request
    order, so seeded random draws stay deterministic.
    """

    def __init__(self, config: SimulatorConfig) -> None:
        self.default = Timeline(
            (
                Step(0, st.PENDING_ENROUTE, st.NO_ERROR),
                Step(config.delivery_delay, st.DELIVERED_TO_HANDSET, st.NO_ERROR),
            )
        )

    def outcome(self, message: Message) -> Timeline | Rejection:
        return self.default

    def forget(self, messages: Iterable[Message]) -> None:
        """The retention sweep dropped these messages: let go of anything kept about them."""


class Gateway:
    def __init__(
        self,
        config: SimulatorConfig,
        engine: Engine,
        policy: OutcomePolicy | None = None,
    ) -> None:
        self.config = config
        self.engine = engine
        self.clock = engine.clock
        self.schedule = engine.schedule
        self.policy = policy or OutcomePolicy(config)
        self.report_listeners: list[ReportListener] = []
        self.status_listeners: list[StatusListener] = []
        self.inbound_listeners: list[InboundListener] = []
        self.reset()
        engine.after_move.append(self.maybe_sweep)

    # -- state -------------------------------------------------------------------------------
    def reset(self, seed: int | None = None) -> None:
        """Forget everything; the random generator starts over from the seed."""
        self.rng = random.Random(self.config.seed if seed is None else seed)
        self.accounts: dict[str, Account] = {}
        self._seq = 0
        self._report_seq = 0
        self._retired: deque[Message] = deque()
        """Final messages in the order they became final (``done_at``: the instant they did;
        no (instant, message) pair per message: memory)."""
        self._next_sweep: Millis = 0

    def account(self, key: str | None = None) -> Account:
        name = key if (key and self.config.isolate_tenants) else DEFAULT_ACCOUNT
        account = self.accounts.get(name)
        if account is None:
            account = self.accounts[name] = Account(name)
        return account

    def new_message_id(self) -> str:
        bits = self.rng.getrandbits(128)
        h = f"{bits:032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[bits & 3]}{h[17:20]}-{h[20:]}"

    def new_bulk_id(self) -> str:
        return str(self.rng.randrange(10**18, 10**19))

    # -- submit ------------------------------------------------------------------------------
    def submit(self, account: Account, request: SubmitRequest) -> Submission:
        """Accept a send: one message per destination, each answered at once and scheduled."""
        self.maybe_sweep()
        now = self.clock.now()
        bulk_id = request.bulk_id or self.new_bulk_id()
        bulk = account.bulks.get(bulk_id)
        if bulk is not None and bulk.status in (BulkStatus.PAUSED, BulkStatus.CANCELED):
            # Adding to a bulk that is held or dead would send messages it should not.
            raise BadRequest(
                violations=[
                    (
                        "bulkId",
                        f"bulk {bulk_id} is {bulk.status}; send with a new bulkId "
                        "(or resume the bulk first)",
                    )
                ]
            )
        index = 0
        # index: position among the bulk's sendable messages, for sendingSpeedLimit spacing
        if bulk is None:
            if len(request.messages) == 1:  # the usual request: no generator for min()
                asked = request.messages[0].send_at
                earliest = now if asked is None else max(asked, now)
            else:
                earliest = min(
                    (now if m.send_at is None else max(m.send_at, now) for m in request.messages),
                    default=now,
                )
            bulk = account.bulks[bulk_id] = Bulk(
                bulk_id, account.key, now, earliest, BulkStatus.FINISHED
            )
        else:
            index = sum(1 for m in bulk.messages if not isinstance(m.outcome, Rejection))
        bulk.message_objects += len(request.messages)
        submission = Submission(bulk)
        initial = st.PENDING_ENROUTE if request.family is Family.V1 else st.PENDING_ACCEPTED
        first = (now, change_code(initial, st.NO_ERROR))  # every message starts from the one
        config = self.config
        key = account.key
        outcome_of = self.policy.outcome
        new_id = self.new_message_id
        by_id = account.by_id
        keep = account.messages.append
        answer = submission.messages.append
        add_to_bulk = bulk.add
        speed_limit = request.speed_limit
        for spec in request.messages:
            template = spec.template
            base = now if spec.send_at is None else max(spec.send_at, now)
            charge = tariff(
                _price(config.price_per_sms, template.sms_count), config.currency, config.mcc_mnc
            )
            for to, message_id in spec.destinations:
                self._seq += 1
                message = Message(
                    self._seq,
                    key,
                    message_id or new_id(),
                    bulk_id,
                    to,
                    template,
                    now,
                    base,
                    initial,
                    st.NO_ERROR,
                    charge,
                    _UNDECIDED,
                    changes=first,
                )
                outcome = message.outcome = outcome_of(message)
                keep(message)
                by_id[message.message_id] = message
                add_to_bulk(message)
                answer(message)
                if type(outcome) is Rejection:
                    message.price = 0.0
                    self.transition(message, outcome.status, outcome.error, True)
                    continue
                if speed_limit is not None:
                    offset = self._speed_offset(speed_limit, index)
                    if offset:  # (base + 0 would be one more integer object per message)
                        message.send_at = base + offset
                index += 1
                bulk.unsent += 1
                self.schedule_send(message)
        self.refresh_bulk(bulk)
        return submission

    @staticmethod
    def _speed_offset(limit: tuple[int, Millis] | None, index: int) -> Millis:
        if limit is None:
            return 0
        amount, unit = limit
        return (index // amount) * unit

    def schedule_send(self, message: Message) -> None:
        now = self.clock.now()
        due = message.send_at
        if due < now:
            due = now
        window = message.template.time_window
        if window is not None:
            due = next_in_window(due, window)
        expires = message.send_at + message.template.validity
        if due >= expires:
            # The window opens only after validity ends: the message expires then, unsent.
            message.event = self.schedule.add(max(expires, now), self._on_expire, message, "expire")
            return
        message.event = self.schedule.add(due, self._on_send, message, "send")

    # -- lifecycle events ---------------------------------------------------------------------
    # The three handlers below run once per message and step: kept flat (no helper calls for
    # bulk_of, expires_at or refresh_bulk), as the clock benchmark measures.
    def _on_send(self, message: Message) -> None:
        message.event = None
        now = self.clock.now()
        bulk = self.accounts[message.account].bulks[message.bulk_id]
        if now >= message.send_at + message.template.validity:
            self.expire(message)
            return
        message.sent_at = now
        bulk.unsent -= 1
        bulk.ever_sent = True
        steps = message.outcome.steps
        if steps and steps[0].after <= 0:
            self._run_step(message)
        else:
            # A first step after the send time (or no step at all) waits for its due time.
            self._schedule_step(message)
        # refresh_bulk, for a bulk that has sent
        if bulk.status is not BulkStatus.PAUSED and bulk.status is not BulkStatus.CANCELED:
            bulk.status = BulkStatus.PROCESSING if bulk.unsent > 0 else BulkStatus.FINISHED

    def _run_step(self, message: Message) -> None:
        """Apply the current timeline step and schedule the next (or the expiry)."""
        message.event = None
        steps = message.outcome.steps
        index = message.step
        step = steps[index]
        message.step = index = index + 1
        # A timeline that ends pending ("never") is not final: it waits for its validity.
        final = index >= len(steps) and not step.status.is_pending
        self.transition(message, step.status, step.error, final, step)
        if not message.final:
            self._schedule_step(message)

    def _schedule_step(self, message: Message) -> None:
        """Schedule the current timeline step, or the expiry when validity ends first."""
        steps = message.outcome.steps
        sent_at = message.sent_at
        assert sent_at is not None
        expires = message.send_at + message.template.validity
        due = expires
        if message.step < len(steps):
            due = sent_at + steps[message.step].after
            now = self.clock.now()
            if due < now:
                due = now
        if due >= expires:
            message.event = self.schedule.add(expires, self._on_expire, message, "expire")
        else:
            message.event = self.schedule.add(due, self._run_step, message, "step")

    def _on_expire(self, message: Message) -> None:
        message.event = None
        self.expire(message)

    def forget_account(self, key: str) -> None:
        """Drop one account's state and its scheduled events (a tenant-scoped reset)."""
        account = self.accounts.pop(key, None)
        if account is None:
            return
        doomed = [
            event
            for event in self.schedule
            if isinstance(event.payload, Message | InboundMessage) and event.payload.account == key
        ]
        for event in doomed:
            self.schedule.cancel(event)

    def event_action(self, kind: str) -> Callable[[Any], None]:
        """The handler behind a scheduled event kind (for restoring a saved state)."""
        actions: dict[str, Callable[[Any], None]] = {
            "send": self._on_send,
            "step": self._run_step,
            "expire": self._on_expire,
            "inbound": self._deliver_inbound,
        }
        return actions[kind]

    def expire(self, message: Message) -> None:
        if not message.is_sent:
            bulk = self.bulk_of(message)
            bulk.unsent -= 1
            self.refresh_bulk(bulk)
        self.transition(message, st.EXPIRED_EXPIRED, st.EC_VALIDITY_EXPIRED, True)

    def transition(
        self,
        message: Message,
        status: st.StatusCode,
        error: st.ErrorCode,
        final: bool,
        step: Step | None = None,
    ) -> None:
        """Move ``message`` to ``status``; ``step``, when given, is the timeline step doing it
        (its status and error are these), whose change code saves looking one up.

        Never called again for a final message: its queued final report is the message."""
        now = self.clock.now()
        message.status = status
        message.error = error
        message.changes += (now, change_code(status, error) if step is None else step.change)
        if final:
            message.final = True
            if self.config.message_retention is not None:
                self._retired.append(message)
            if message.event is not None:
                self.schedule.cancel(message.event)
                message.event = None
        for hears in self.status_listeners:
            hears(message, final)
        if not final and status.is_pending:
            return
        message.done_at = now
        self._report_seq += 1
        seq = self._report_seq
        queue = self.accounts[message.account].reports
        listeners = self.report_listeners
        if final:  # a final status never changes: the message itself stands for its report
            queue[message] = seq
            if listeners:
                report = Report(seq, message, status, error, now)
                for listener in listeners:
                    listener(report)
            return
        report = Report(seq, message, status, error, now)
        queue[report] = seq
        for listener in listeners:
            listener(report)

    # -- inbound (MO) -------------------------------------------------------------------------
    def receive_inbound(
        self,
        account: Account,
        sender: str,
        to: str,
        text: str,
        *,
        at: Millis | None = None,
        message_id: str | None = None,
        callback_data: str | None = None,
    ) -> InboundMessage:
        """An inbound message from ``sender`` to ``to``, received at ``at`` (default now).

        A future ``at`` is put on the schedule; when it arrives the message is queued for
        ``GET /sms/1/inbox/reports`` and handed to the inbound listeners (the MO webhook).
        The keyword is the first word of the text, upper-cased; ``cleanText`` is the rest.
        """
        now = self.clock.now()
        words = text.strip().split(maxsplit=1)
        self._seq += 1
        message = InboundMessage(
            seq=self._seq,
            account=account.key,
            message_id=message_id or self.new_message_id(),
            sender=sender,
            to=to,
            text=text,
            keyword=words[0].upper() if words else None,
            clean_text=words[1] if len(words) > 1 else "",
            received_at=now if at is None else max(at, now),
            callback_data=callback_data,
        )
        if message.received_at > now:
            self.schedule.add(message.received_at, self._deliver_inbound, message, "inbound")
        else:
            self._deliver_inbound(message)
        return message

    def _deliver_inbound(self, message: InboundMessage) -> None:
        account = self.accounts.setdefault(message.account, Account(message.account))
        account.inbox.append(message)
        account.inbound.append(message)
        for hears in self.inbound_listeners:
            hears(message)

    def bulk_of(self, message: Message) -> Bulk:
        return self.accounts[message.account].bulks[message.bulk_id]

    def refresh_bulk(self, bulk: Bulk) -> None:
        if bulk.status in (BulkStatus.PAUSED, BulkStatus.CANCELED):
            return
        if bulk.unsent > 0:
            bulk.status = BulkStatus.PROCESSING if bulk.ever_sent else BulkStatus.PENDING
            if bulk.status is BulkStatus.PENDING and bulk.send_at <= self.clock.now():
                bulk.status = BulkStatus.PROCESSING
        else:
            bulk.status = BulkStatus.FINISHED if bulk.ever_sent else BulkStatus.FAILED

    # -- bulks (rules in simulator.bulkops) -----------------------------------------------------
    def find_bulk(self, account: Account, bulk_id: str) -> Bulk:
        return bulkops.find_bulk(account, bulk_id)

    def reschedule_bulk(self, account: Account, bulk_id: str, send_at: Millis) -> Bulk:
        return bulkops.reschedule_bulk(self, account, bulk_id, send_at)

    def set_bulk_status(self, account: Account, bulk_id: str, target: BulkStatus) -> Bulk:
        return bulkops.set_bulk_status(self, account, bulk_id, target)

    # -- reports ----------------------------------------------------------------------------
    def pull_reports(
        self,
        account: Account,
        limit: int,
        *,
        bulk_id: str | None = None,
        message_id: str | None = None,
        entity_id: str | None = None,
        application_id: str | None = None,
        campaign_reference_id: str | None = None,
    ) -> list[Report]:
        """Take up to ``limit`` matching reports off the queue: each is returned only once."""
        oldest = self.clock.now() - self.config.report_retention
        taken: list[Report] = []
        queue = account.reports
        gone: list[Message | Report] = []
        for entry, seq in queue.items():
            if len(taken) >= limit:
                break
            report = report_of(entry, seq)
            if report.at < oldest:
                gone.append(entry)
                continue
            message = report.message
            template = message.template
            if (
                (bulk_id is not None and message.bulk_id != bulk_id)
                or (message_id is not None and message.message_id != message_id)
                or (entity_id is not None and template.entity_id != entity_id)
                or (application_id is not None and template.application_id != application_id)
                or (
                    campaign_reference_id is not None
                    and template.campaign_reference_id != campaign_reference_id
                )
            ):
                continue
            gone.append(entry)
            taken.append(report)
        for entry in gone:
            del queue[entry]
        return taken

    # -- retention --------------------------------------------------------------------------
    def maybe_sweep(self) -> int:
        """Run the retention sweep if ``retention_sweep_every`` of virtual time has passed."""
        now = self.clock.now()
        if now < self._next_sweep:
            return 0
        self._next_sweep = now + max(1, self.config.retention_sweep_every)
        return self.sweep(now)

    def sweep(self, now: Millis | None = None) -> int:
        """Drop what the retention windows no longer cover; returns the messages dropped.

        Messages final for longer than ``message_retention`` leave their account (list and
        id index) and their bulk, and a bulk left empty with nothing unsent goes too; so do
        unpulled reports and inbound messages (journal and inbox) older than that (reports
        past ``report_retention`` cannot be pulled any more anyway). Cost: proportional to
        what is dropped, plus one pass over an account's message list when what is dropped
        is not at its front.
        """
        retention = self.config.message_retention
        if retention is None:
            return 0
        now = self.clock.now() if now is None else now
        cutoff = now - retention
        retired = self._retired
        doomed: dict[str, list[Message]] = {}
        while retired and _final_at(retired[0]) < cutoff:
            message = retired.popleft()
            doomed.setdefault(message.account, []).append(message)
        dropped = 0
        for key, messages in doomed.items():
            owner = self.accounts.get(key)
            if owner is not None:
                dropped += self._drop(owner, messages)
        for account in self.accounts.values():
            _drop_old_reports(account, cutoff)
            _drop_old_inbound(account, cutoff)
        return dropped

    def _drop(self, account: Account, messages: list[Message]) -> int:
        _remove(account.messages, messages)
        by_bulk: dict[str, list[Message]] = {}
        for message in messages:
            if account.by_id.get(message.message_id) is message:
                del account.by_id[message.message_id]
            by_bulk.setdefault(message.bulk_id, []).append(message)
        for bulk_id, gone in by_bulk.items():
            bulk = account.bulks.get(bulk_id)
            if bulk is None:
                continue
            bulk.messages = _without(bulk.messages, gone)
            if bulk.members is None and bulk.unsent <= 0:
                del account.bulks[bulk_id]
        self.policy.forget(messages)
        return len(messages)

    def rebuild_retention(self) -> None:
        """Queue every final message for the sweep again (after a saved state is loaded)."""
        finals = [m for account in self.accounts.values() for m in account.messages if m.final]
        finals.sort(key=lambda m: (_final_at(m), m.seq))
        self._retired = deque(finals)
        self._next_sweep = 0

    def iter_messages(self, account: Account | None = None) -> Iterable[Message]:
        accounts = [account] if account is not None else list(self.accounts.values())
        for each in accounts:
            yield from each.messages


@lru_cache(maxsize=256)
def _price(per_sms: float, parts: int) -> float:
    """One float object per (price, part count): messages share it instead of each its own."""
    return round(per_sms * parts, 6)


def report_of(entry: Message | Report, seq: int) -> Report:
    """The report a queue entry stands for (a final one is queued as the message itself)."""
    if isinstance(entry, Report):
        return entry
    return Report(seq, entry, entry.status, entry.error, _final_at(entry))


def _final_at(message: Message) -> Millis:
    """When a final message became final (``done_at``, set on every final transition)."""
    return message.done_at if message.done_at is not None else message.submitted_at


def _remove(items: list[Message], gone: list[Message]) -> None:
    """Remove ``gone`` from ``items`` in place (usually a prefix: a cheap slice delete)."""
    doomed = {id(m) for m in gone}
    prefix = 0
    while prefix < len(items) and id(items[prefix]) in doomed:
        prefix += 1
    if prefix == len(doomed):
        del items[:prefix]
    else:
        items[:] = [m for m in items if id(m) not in doomed]


def _without(items: list[Message], gone: list[Message]) -> list[Message]:
    """``items`` less ``gone`` (the list itself, changed in place, when it is one to keep)."""
    if len(gone) >= len(items):
        doomed = {id(m) for m in gone}
        return [m for m in items if id(m) not in doomed]
    _remove(items, gone)
    return items


def _drop_old_reports(account: Account, oldest: Millis) -> None:
    reports = account.reports
    old = []
    for entry in reports:
        if (entry.at if isinstance(entry, Report) else _final_at(entry)) >= oldest:
            break
        old.append(entry)
    for entry in old:
        del reports[entry]


def _drop_old_inbound(account: Account, cutoff: Millis) -> None:
    inbound = account.inbound
    old = 0
    while old < len(inbound) and inbound[old].received_at < cutoff:
        old += 1
    if old:
        del inbound[:old]
    inbox = account.inbox
    while inbox and inbox[0].received_at < cutoff:
        inbox.popleft()


def next_in_window(instant: Millis, window: TimeWindow) -> Millis:
    """The first moment at or after ``instant`` inside a ``deliveryTimeWindow`` (UTC)."""
    moment = to_datetime(instant)
    midnight = instant - (moment.hour * 60 + moment.minute) * MINUTE - moment.second * 1000
    midnight -= moment.microsecond // 1000
    start = window.start_minute or 0
    end = window.end_minute if window.end_minute is not None else 24 * 60
    for offset in range(8):
        day = midnight + offset * DAY
        weekday = (moment + timedelta(days=offset)).weekday()
        if weekday not in window.days:
            continue
        opens, closes = day + start * MINUTE, day + end * MINUTE
        if instant < opens:
            return opens
        if instant < closes:
            return instant
    return instant
