"""The simulator's domain objects: plain slotted dataclasses, no HTTP.

A send request becomes one :class:`Template` per message object (what all its destinations
share: sender, content, options, webhooks) and one :class:`Message` per destination. Every
send belongs to a :class:`Bulk`. A :class:`Report` is a snapshot of a message at a status
change, queued for the pull endpoints (each returned once).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from simulator.timefmt import Millis

if TYPE_CHECKING:
    from simulator.schedule import Event
    from simulator.status import ErrorCode, StatusCode


class Family(StrEnum):
    """The API generation a message came through; it picks report and webhook shapes."""

    V1 = "v1"
    V2 = "v2"
    V3 = "v3"


class BulkStatus(StrEnum):
    PENDING = "PENDING"
    PAUSED = "PAUSED"
    PROCESSING = "PROCESSING"
    CANCELED = "CANCELED"
    FINISHED = "FINISHED"
    FAILED = "FAILED"


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a delivery timeline: ``after`` ms past the send time, move to ``status``."""

    after: Millis
    status: StatusCode
    error: ErrorCode


@dataclass(frozen=True, slots=True)
class Timeline:
    """What happens to a message once it is sent. An empty ``steps`` after the first never
    reaches a final status by itself: the message expires when its validity ends."""

    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Rejection:
    """A message refused at submit time: the REJECTED status comes back inside the HTTP 200."""

    status: StatusCode
    error: ErrorCode


Outcome = Timeline | Rejection


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """``deliveryTimeWindow``: sending only on ``days`` (0 = Monday), between UTC minutes."""

    days: frozenset[int]
    start_minute: int | None
    end_minute: int | None


@dataclass(slots=True)
class Template:
    """What every destination of one message object shares."""

    family: Family
    endpoint: str
    sender: str | None
    text: str | None = None
    hex: str | None = None
    data_coding: int = 0
    esm_class: int = 0
    transliteration: str | None = None
    language_code: str | None = None
    flash: bool = False
    validity: Millis = 48 * 3_600_000
    notify_url: str | None = None
    notify_content_type: str | None = None
    notify: bool = True
    intermediate_report: bool = False
    callback_data: str | None = None
    entity_id: str | None = None
    application_id: str | None = None
    campaign_reference_id: str | None = None
    time_window: TimeWindow | None = None
    sms_count: int = 1
    index: int = 0
    """Position of the message object in its request."""


@dataclass(slots=True, eq=False)
class Message:
    seq: int
    account: str
    message_id: str
    bulk_id: str
    to: str
    template: Template
    submitted_at: Millis
    send_at: Millis
    """When it is (or was) due to leave; validity counts from here."""
    status: StatusCode
    error: ErrorCode
    price: float
    currency: str
    mcc_mnc: str | None
    outcome: Outcome
    sent_at: Millis | None = None
    done_at: Millis | None = None
    """When the latest report-worthy (non-pending) status was reached."""
    final: bool = False
    step: int = 0
    event: Event | None = None
    history: list[tuple[Millis, StatusCode, ErrorCode]] = field(default_factory=list)

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    @property
    def logged_at(self) -> Millis:
        """The ``sentAt`` logs and reports show: when it left, or (unsent) when submitted."""
        return self.sent_at if self.sent_at is not None else self.submitted_at

    @property
    def expires_at(self) -> Millis:
        return self.send_at + self.template.validity


@dataclass(slots=True, eq=False)
class Bulk:
    bulk_id: str
    account: str
    created_at: Millis
    send_at: Millis
    status: BulkStatus
    messages: list[Message] = field(default_factory=list)
    message_objects: int = 0
    unsent: int = 0
    """Messages neither sent nor finished yet (the bulk is PENDING or PROCESSING while > 0)."""
    ever_sent: bool = False


@dataclass(slots=True, eq=False)
class Report:
    """A message as it was at one status change (pull endpoints return each once)."""

    seq: int
    message: Message
    status: StatusCode
    error: ErrorCode
    at: Millis


@dataclass(slots=True, eq=False)
class InboundMessage:
    seq: int
    account: str
    message_id: str
    sender: str
    to: str
    text: str
    keyword: str | None
    clean_text: str
    received_at: Millis
    sms_count: int = 1
    price: float = 0.0
    currency: str = "EUR"
    callback_data: str | None = None
    entity_id: str | None = None
    application_id: str | None = None
    campaign_reference_id: str | None = None
