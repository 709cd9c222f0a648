"""The simulator's domain objects: plain slotted dataclasses, no HTTP.

A send request becomes one :class:`Template` per message object (what all its destinations
share: sender, content, options, webhooks) and one :class:`Message` per destination. Every
send belongs to a :class:`Bulk`. A :class:`Report` is a snapshot of a message at a status
change, queued for the pull endpoints (each returned once).

Every message is kept for the retention window, so what it holds is compact: rarely set
template fields live in a shared default :class:`TemplateOptions`, the history is one flat
tuple, price, currency and network are one shared :data:`Tariff` tuple, and a bulk of one
message holds the message itself rather than a list.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar, overload

from simulator.timefmt import Millis

T = TypeVar("T")

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
    change: int = field(init=False, repr=False, compare=False)
    """:func:`change_code` of its status and error (looked up once, here)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "change", change_code(self.status, self.error))


_CHANGES: list[tuple[StatusCode, ErrorCode]] = []
"""Every (status, error) pair a history has recorded, indexed by its change code."""
_CHANGE_CODES: dict[tuple[int, int], int] = {}


def change_code(status: StatusCode, error: ErrorCode) -> int:
    """The small integer standing for a change to ``status`` with ``error`` in histories.

    Histories hold these rather than objects so that their tuples hold nothing but integers,
    which the garbage collector stops tracking (fewer objects for every full collection to
    scan). Keyed by identity (the registry keeps the codes alive): cheaper than hashing them.
    """
    key = (id(status), id(error))
    code = _CHANGE_CODES.get(key)
    if code is None:
        code = _CHANGE_CODES[key] = len(_CHANGES)
        _CHANGES.append((status, error))
    return code


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
    steps: ClassVar[tuple[Step, ...]] = ()
    """None: a rejected message is never sent (lets the hot paths read ``outcome.steps``)."""


Outcome = Timeline | Rejection


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """``deliveryTimeWindow``: sending only on ``days`` (0 = Monday), between UTC minutes."""

    days: frozenset[int]
    start_minute: int | None
    end_minute: int | None


@dataclass(slots=True)
class TemplateOptions:
    """The :class:`Template` fields most sends leave at their defaults.

    Kept apart so that a template with none of them set shares one default object (memory:
    every retained message keeps its template)."""

    hex: str | None = None
    data_coding: int = 0
    esm_class: int = 0
    transliteration: str | None = None
    language_code: str | None = None
    flash: bool = False
    notify_url: str | None = None
    notify_content_type: str | None = None
    notify: bool = True
    intermediate_report: bool = False
    callback_data: str | None = None
    entity_id: str | None = None
    application_id: str | None = None
    campaign_reference_id: str | None = None
    time_window: TimeWindow | None = None


_DEFAULT_OPTIONS = TemplateOptions()
"""Shared by every template that sets no option; never mutated (see ``_own_options``)."""

TEMPLATE_FIELDS = (
    "family",
    "endpoint",
    "sender",
    "text",
    "hex",
    "data_coding",
    "esm_class",
    "transliteration",
    "language_code",
    "flash",
    "validity",
    "notify_url",
    "notify_content_type",
    "notify",
    "intermediate_report",
    "callback_data",
    "entity_id",
    "application_id",
    "campaign_reference_id",
    "time_window",
    "sms_count",
    "index",
)
"""Every field of a :class:`Template`, in constructor order."""


class _Option(Generic[T]):
    """A :class:`Template` field kept in its :class:`TemplateOptions`: read from the options
    object, and written to the template's own copy (made on the first non-default write)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, template: None, owner: type) -> _Option[T]: ...

    @overload
    def __get__(self, template: Template, owner: type) -> T: ...

    def __get__(self, template: Template | None, owner: type) -> _Option[T] | T:
        if template is None:
            return self
        value: T = getattr(template._options, self.name)
        return value

    def __set__(self, template: Template, value: T) -> None:
        if value != getattr(template._options, self.name):
            setattr(template._own_options(), self.name, value)


class Template:
    """What every destination of one message object shares.

    The fields read on every send stay in slots; the rarely set ones (see
    :class:`TemplateOptions`) are read through a shared default options object that is
    copied on the first write of a non-default value, so a plain template stays small.
    """

    __slots__ = (
        "_options",
        "endpoint",
        "family",
        "index",
        "sender",
        "sms_count",
        "text",
        "validity",
    )

    def __init__(
        self,
        family: Family,
        endpoint: str,
        sender: str | None,
        text: str | None = None,
        hex: str | None = None,
        data_coding: int = 0,
        esm_class: int = 0,
        transliteration: str | None = None,
        language_code: str | None = None,
        flash: bool = False,
        validity: Millis = 48 * 3_600_000,
        notify_url: str | None = None,
        notify_content_type: str | None = None,
        notify: bool = True,
        intermediate_report: bool = False,
        callback_data: str | None = None,
        entity_id: str | None = None,
        application_id: str | None = None,
        campaign_reference_id: str | None = None,
        time_window: TimeWindow | None = None,
        sms_count: int = 1,
        index: int = 0,
    ) -> None:
        self.family = family
        self.endpoint = endpoint
        self.sender = sender
        self.text = text
        self.validity = validity
        self.sms_count = sms_count
        self.index = index
        """Position of the message object in its request."""
        if (
            hex is None
            and not data_coding
            and not esm_class
            and transliteration is None
            and language_code is None
            and not flash
            and notify_url is None
            and notify_content_type is None
            and notify
            and not intermediate_report
            and callback_data is None
            and entity_id is None
            and application_id is None
            and campaign_reference_id is None
            and time_window is None
        ):
            self._options = _DEFAULT_OPTIONS
        else:
            self._options = TemplateOptions(
                hex,
                data_coding,
                esm_class,
                transliteration,
                language_code,
                flash,
                notify_url,
                notify_content_type,
                notify,
                intermediate_report,
                callback_data,
                entity_id,
                application_id,
                campaign_reference_id,
                time_window,
            )

    def _own_options(self) -> TemplateOptions:
        """This template's own options object (a copy of the shared default on first write)."""
        options = self._options
        if options is _DEFAULT_OPTIONS:
            options = self._options = replace(options)
        return options

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in TEMPLATE_FIELDS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Template):
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it replaced

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{n}={v!r}" for n, v in zip(TEMPLATE_FIELDS, self._values(), strict=True)
        )
        return f"Template({fields})"

    hex: _Option[str | None] = _Option()
    data_coding: _Option[int] = _Option()
    esm_class: _Option[int] = _Option()
    transliteration: _Option[str | None] = _Option()
    language_code: _Option[str | None] = _Option()
    flash: _Option[bool] = _Option()
    notify_url: _Option[str | None] = _Option()
    notify_content_type: _Option[str | None] = _Option()
    notify: _Option[bool] = _Option()
    intermediate_report: _Option[bool] = _Option()
    callback_data: _Option[str | None] = _Option()
    entity_id: _Option[str | None] = _Option()
    application_id: _Option[str | None] = _Option()
    campaign_reference_id: _Option[str | None] = _Option()
    time_window: _Option[TimeWindow | None] = _Option()


Tariff = tuple[float, str, str | None]
"""A message's price, currency and network (``mcc_mnc``)."""


@lru_cache(maxsize=1024, typed=True)
def tariff(price: float, currency: str, mcc_mnc: str | None) -> Tariff:
    """The one shared tuple for these values (messages alike share it: memory)."""
    return (price, currency, mcc_mnc)


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
    tariff: Tariff
    """``(price, currency, mcc_mnc)``, one tuple shared by every message alike (memory); read
    and set through :attr:`price`, :attr:`currency` and :attr:`mcc_mnc`."""
    outcome: Outcome
    sent_at: Millis | None = None
    done_at: Millis | None = None
    """When the latest report-worthy (non-pending) status was reached."""
    final: bool = False
    step: int = 0
    event: Event | None = None
    changes: tuple[int, ...] = ()
    """Every status change as flat ``at, code`` pairs (:func:`change_code`): one small tuple
    of integers per message, not a list of tuples, because every retained message keeps it.
    Read it through :attr:`history`."""

    @property
    def history(self) -> list[tuple[Millis, StatusCode, ErrorCode]]:
        """Every status change, oldest first, as ``(at, status, error)`` (a fresh list)."""
        flat = self.changes
        changes = _CHANGES
        return [(at, *changes[code]) for at, code in zip(flat[::2], flat[1::2], strict=True)]

    @property
    def first_status(self) -> StatusCode:
        """The status it was submitted with (``history[0][1]``, without building the list)."""
        return _CHANGES[self.changes[1]][0]

    def record(self, at: Millis, status: StatusCode, error: ErrorCode) -> None:
        """Append one status change to :attr:`history`."""
        self.changes += (at, change_code(status, error))

    @property
    def price(self) -> float:
        return self.tariff[0]

    @price.setter
    def price(self, price: float) -> None:
        self.tariff = tariff(price, self.tariff[1], self.tariff[2])

    @property
    def currency(self) -> str:
        return self.tariff[1]

    @currency.setter
    def currency(self, currency: str) -> None:
        self.tariff = tariff(self.tariff[0], currency, self.tariff[2])

    @property
    def mcc_mnc(self) -> str | None:
        return self.tariff[2]

    @mcc_mnc.setter
    def mcc_mnc(self, mcc_mnc: str | None) -> None:
        self.tariff = tariff(self.tariff[0], self.tariff[1], mcc_mnc)

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
    members: list[Message] | Message | None = None
    """The bulk's messages: None, the one message itself, or a list of two or more (most
    bulks hold one message, and a list for it would cost more than the bulk). Read them
    through :attr:`messages`; change them with :meth:`add` or by assigning ``messages``."""
    message_objects: int = 0
    unsent: int = 0
    """Messages neither sent nor finished yet (the bulk is PENDING or PROCESSING while > 0)."""
    ever_sent: bool = False

    @property
    def messages(self) -> list[Message]:
        """The bulk's messages in submission order (read only: a fresh list for one)."""
        members = self.members
        if members is None:
            return []
        if isinstance(members, Message):
            return [members]
        return members

    @messages.setter
    def messages(self, messages: list[Message]) -> None:
        count = len(messages)
        self.members = None if count == 0 else messages[0] if count == 1 else messages

    def add(self, message: Message) -> None:
        members = self.members
        if members is None:
            self.members = message
        elif isinstance(members, Message):
            self.members = [members, message]
        else:
            members.append(message)


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
