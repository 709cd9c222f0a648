"""Finding messages: the filters behind the logs endpoints and the control-plane journal."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from simulator.models import Message
from simulator.timefmt import Millis


@dataclass(frozen=True, slots=True)
class MessageFilter:
    """Every given criterion must hold; list criteria match any of their values."""

    sender: str | None = None
    destination: str | None = None
    bulk_ids: frozenset[str] = frozenset()
    message_ids: frozenset[str] = frozenset()
    general_status: str | None = None
    status: str | None = None
    sent_since: Millis | None = None
    sent_until: Millis | None = None
    mcc: str | None = None
    mnc: str | None = None
    entity_id: str | None = None
    application_id: str | None = None
    campaign_reference_ids: frozenset[str] = frozenset()
    before_seq: int | None = None
    """Only messages older than this one (cursor paging)."""

    def matches(self, message: Message) -> bool:
        template = message.template
        sent = message.logged_at
        mcc_mnc = (message.mcc_mnc or "") if self.mcc is not None or self.mnc is not None else ""
        return not (
            (self.before_seq is not None and message.seq >= self.before_seq)
            or (self.sender is not None and template.sender != self.sender)
            or (self.destination is not None and message.to != self.destination)
            or (self.bulk_ids and message.bulk_id not in self.bulk_ids)
            or (self.message_ids and message.message_id not in self.message_ids)
            or (
                self.general_status is not None and message.status.group_name != self.general_status
            )
            or (self.status is not None and message.status.name != self.status)
            or (self.sent_since is not None and sent < self.sent_since)
            or (self.sent_until is not None and sent > self.sent_until)
            or (self.mcc is not None and mcc_mnc[:3] != self.mcc)
            or (self.mnc is not None and mcc_mnc[3:] != self.mnc)
            or (self.entity_id is not None and template.entity_id != self.entity_id)
            or (self.application_id is not None and template.application_id != self.application_id)
            or (
                self.campaign_reference_ids
                and template.campaign_reference_id not in self.campaign_reference_ids
            )
        )


def newest_first(
    messages: list[Message], criteria: MessageFilter, *, since: Millis | None = None
) -> Iterator[Message]:
    """Matching messages, newest first; ``since`` drops those sent (or, unsent, submitted)
    earlier."""
    for message in reversed(messages):
        if since is not None and message.logged_at < since:
            continue
        if criteria.matches(message):
            yield message


def take(messages: Iterable[Message], limit: int) -> tuple[list[Message], bool]:
    """Up to ``limit`` messages, and whether more were left."""
    page: list[Message] = []
    for message in messages:
        if len(page) == limit:
            return page, True
        page.append(message)
    return page, False
