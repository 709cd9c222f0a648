"""What a test inspects: messages, pushed reports, webhook pushes, inbound messages and API
requests as frozen dataclasses, read from the control plane's JSON journal shapes.

The same parsers serve the in-process simulator and a remote one (``--sms-sim-url``): both
produce the JSON of ``GET /__sim/messages``, ``/__sim/webhooks``, ``/__sim/inbound`` and
``/__sim/requests``. Instants are aware UTC datetimes.

>>> matches_status("DELIVERED_TO_HANDSET", "DELIVERED", "delivered")
True
>>> check_status("DELIVERD")
Traceback (most recent call last):
...
ValueError: unknown SMS status or status group 'DELIVERD'; did you mean DELIVERED, UNDELIVERABLE?
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simulator.status import STATUS_GROUPS, STATUSES
from simulator.timefmt import parse_instant, to_datetime

JSON = dict[str, Any]

GROUPS = frozenset(STATUS_GROUPS.values())
"""Status group names: ACCEPTED, PENDING, UNDELIVERABLE, DELIVERED, EXPIRED, REJECTED."""


def check_status(wanted: str) -> str:
    """``wanted`` upper-cased, if it is a status name or a status group name."""
    key = wanted.strip().upper()
    if key in STATUSES or key in GROUPS:
        return key
    close = difflib.get_close_matches(key, [*GROUPS, *STATUSES], n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise ValueError(f"unknown SMS status or status group {wanted!r}{hint}")


def matches_status(name: str, group: str, wanted: str) -> bool:
    """True when ``wanted`` is the status ``name`` or its ``group`` (any case)."""
    key = wanted.strip().upper()
    return key in (name, group)


def group_of(status: str) -> str:
    found = STATUSES.get(status)
    return found.group_name if found is not None else ""


def instant(text: str) -> datetime:
    return to_datetime(parse_instant(text))


def _maybe_instant(text: str | None) -> datetime | None:
    return None if text is None else instant(text)


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One step of a message's timeline."""

    at: datetime
    status: str
    group: str
    error: str

    def __str__(self) -> str:
        return self.status if self.error == "NO_ERROR" else f"{self.status} ({self.error})"


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """A message the simulator accepted, with its whole status timeline."""

    message_id: str
    bulk_id: str
    to: str
    sender: str | None
    text: str | None
    hex: str | None
    api: str
    """The endpoint it came through, e.g. ``/sms/3/messages``."""
    sms_count: int
    status: str
    group: str
    error: str
    final: bool
    submitted_at: datetime
    send_at: datetime
    sent_at: datetime | None
    done_at: datetime | None
    expires_at: datetime
    timeline: tuple[StatusChange, ...]
    account: str

    def reached(self, status: str) -> bool:
        """True when the timeline has ``status`` (a status name or a group name)."""
        return any(matches_status(c.status, c.group, status) for c in self.timeline)

    @property
    def statuses(self) -> tuple[str, ...]:
        return tuple(change.status for change in self.timeline)

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> MessageRecord:
        status, error = body["status"], body["error"]
        return cls(
            message_id=body["messageId"],
            bulk_id=body["bulkId"],
            to=body["to"],
            sender=body.get("from"),
            text=body.get("text"),
            hex=body.get("hex"),
            api=body.get("api", ""),
            sms_count=int(body.get("smsCount", 1)),
            status=status["name"],
            group=status["groupName"],
            error=error["name"],
            final=bool(body["final"]),
            submitted_at=instant(body["submittedAt"]),
            send_at=instant(body["sendAt"]),
            sent_at=_maybe_instant(body.get("sentAt")),
            done_at=_maybe_instant(body.get("doneAt")),
            expires_at=instant(body["expiresAt"]),
            timeline=tuple(
                StatusChange(instant(c["at"]), c["status"], group_of(c["status"]), c["error"])
                for c in body.get("timeline", ())
            ),
            account=body.get("account", "default"),
        )


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    """One try at delivering a webhook push."""

    number: int
    at: datetime
    http_status: int | None
    error: str | None
    """``"timeout"``, a connection error, or None when the receiver answered."""
    latency_ms: float
    response_body: str | None

    @property
    def ok(self) -> bool:
        return self.http_status is not None and 200 <= self.http_status < 300

    def __str__(self) -> str:
        outcome = f"HTTP {self.http_status}" if self.http_status is not None else self.error
        return f"attempt {self.number}: {outcome}"

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> AttemptRecord:
        return cls(
            number=int(body["number"]),
            at=instant(body["at"]),
            http_status=body.get("httpStatus"),
            error=body.get("error"),
            latency_ms=float(body.get("latencyMs") or 0.0),
            response_body=body.get("responseBody"),
        )


@dataclass(frozen=True, slots=True)
class WebhookRecord:
    """One POST body the simulator pushed (or is pushing) to a URL, with every attempt."""

    id: int
    kind: str
    """``delivery-report`` or ``inbound``."""
    url: str
    state: str
    """``pending``, ``retrying``, ``delivered`` (a 2xx answer) or ``failed`` (retries ran out)."""
    message_ids: tuple[str, ...]
    created_at: datetime
    next_attempt_at: datetime | None
    attempts: tuple[AttemptRecord, ...]
    body: Mapping[str, Any] = field(compare=False, hash=False, repr=False)

    @property
    def results(self) -> list[Mapping[str, Any]]:
        found: list[Mapping[str, Any]] = self.body.get("results", [])
        return found

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> WebhookRecord:
        return cls(
            id=int(body["id"]),
            kind=body["kind"],
            url=body["url"],
            state=body["state"],
            message_ids=tuple(body.get("messageIds", ())),
            created_at=instant(body["createdAt"]),
            next_attempt_at=_maybe_instant(body.get("nextAttemptAt")),
            attempts=tuple(AttemptRecord.from_json(a) for a in body.get("attempts", ())),
            body=body.get("body", {}),
        )


@dataclass(frozen=True, slots=True)
class ReportRecord:
    """One delivery report inside a webhook push (v3 or v1 shape, read alike)."""

    message_id: str
    bulk_id: str | None
    to: str
    sender: str | None
    status: str
    group: str
    error: str
    sent_at: datetime | None
    done_at: datetime | None
    sms_count: int
    price: float | None
    currency: str | None
    callback_data: str | None
    url: str
    push_id: int
    push_state: str
    """The state of the push that carried it (``delivered`` once the receiver said 2xx)."""
    pushed_at: datetime

    def __str__(self) -> str:
        return self.status if self.error == "NO_ERROR" else f"{self.status} ({self.error})"

    @classmethod
    def from_result(cls, push: WebhookRecord, body: Mapping[str, Any]) -> ReportRecord:
        status, error = body.get("status", {}), body.get("error", {})
        price = body.get("price") or {}
        return cls(
            message_id=body.get("messageId", ""),
            bulk_id=body.get("bulkId"),
            to=body.get("to", ""),
            sender=body.get("sender", body.get("from")),
            status=status.get("name", ""),
            group=status.get("groupName", ""),
            error=error.get("name", ""),
            sent_at=_maybe_instant(body.get("sentAt")),
            done_at=_maybe_instant(body.get("doneAt")),
            sms_count=int(body.get("messageCount", body.get("smsCount", 1))),
            price=price.get("pricePerMessage"),
            currency=price.get("currency"),
            callback_data=body.get("callbackData"),
            url=push.url,
            push_id=push.id,
            push_state=push.state,
            pushed_at=push.created_at,
        )


@dataclass(frozen=True, slots=True)
class InboundRecord:
    """An inbound (MO) message the simulator received for the account."""

    message_id: str
    sender: str
    to: str
    text: str
    clean_text: str
    keyword: str | None
    received_at: datetime
    sms_count: int
    account: str

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> InboundRecord:
        return cls(
            message_id=body["messageId"],
            sender=body["from"],
            to=body["to"],
            text=body["text"],
            clean_text=body.get("cleanText", ""),
            keyword=body.get("keyword"),
            received_at=instant(body["receivedAt"]),
            sms_count=int(body.get("smsCount", 1)),
            account=body.get("account", "default"),
        )


@dataclass(frozen=True, slots=True)
class ApiRequest:
    """One request the simulator's Infobip surface answered."""

    seq: int
    at: datetime
    method: str
    path: str
    query: str
    status: int
    body: str
    account: str | None

    def __str__(self) -> str:
        query = f"?{self.query}" if self.query else ""
        return f"{self.method} {self.path}{query} -> {self.status}"

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> ApiRequest:
        return cls(
            seq=int(body["seq"]),
            at=instant(body["at"]),
            method=body["method"],
            path=body["path"],
            query=body.get("query", ""),
            status=int(body["status"]),
            body=body.get("body", ""),
            account=body.get("account"),
        )


def reports_in(pushes: list[WebhookRecord]) -> list[ReportRecord]:
    """Every delivery report carried by ``pushes`` (oldest first)."""
    return [
        ReportRecord.from_result(push, result)
        for push in pushes
        if push.kind == "delivery-report"
        for result in push.results
    ]
