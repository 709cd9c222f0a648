"""Bulk rescheduling, pausing, resuming and cancelling: the rules of Infobip's bulk API.

What Infobip documents: ``PENDING`` may become ``PAUSED`` or ``CANCELED``; ``PAUSED`` may
become ``PENDING`` or ``CANCELED``; back and forth any number of times until the send time has
come and the messages went out; a ``CANCELED`` bulk can never be rescheduled or given another
status; rescheduling and cancelling work only when the send request carried one message
object per bulk. What the simulator chose where Infobip is silent:

* Setting the status a bulk already has (``PAUSED`` on a paused bulk) is a no-op, not an error.
* ``PROCESSING``, ``FINISHED`` and ``FAILED`` cannot be set by a client: 400.
* A cancelled message ends ``UNDELIVERABLE_NOT_SENT`` with the user error ``EC_MESSAGE_CANCELED``
  (4100), and that final report is queued like any other.
* A paused bulk whose send time passes is not sent. When resumed, messages whose validity is
  still running are sent at once; the others expire (``EXPIRED_EXPIRED``,
  ``EC_VALIDITY_EXPIRED``) at the moment of the resume.
* Rescheduling moves the send time of every unsent message (keeping any ``sendingSpeedLimit``
  spacing) and so their validity, which counts from the send time. A paused bulk stays paused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator import status as st
from simulator.errors import BadRequest, NotFound
from simulator.models import Bulk, BulkStatus, Message
from simulator.timefmt import Millis, format_instant

if TYPE_CHECKING:
    from simulator.accounts import Account
    from simulator.gateway import Gateway

CLIENT_SETTABLE = (BulkStatus.PENDING, BulkStatus.PAUSED, BulkStatus.CANCELED)
_SENT = (BulkStatus.PROCESSING, BulkStatus.FINISHED, BulkStatus.FAILED)


def find_bulk(account: Account, bulk_id: str) -> Bulk:
    bulk = account.bulks.get(bulk_id)
    if bulk is None:
        raise NotFound("Bulk not found")
    return bulk


def check_changeable(bulk: Bulk, what: str) -> None:
    if bulk.status is BulkStatus.CANCELED:
        raise BadRequest(f"Bulk {bulk.bulk_id} is CANCELED: a canceled bulk cannot be {what}.")
    if bulk.status in _SENT:
        raise BadRequest(
            f"Bulk {bulk.bulk_id} is {bulk.status}: its messages have already been sent, "
            f"so it cannot be {what}; only PENDING or PAUSED bulks can."
        )
    if bulk.message_objects > 1:
        raise BadRequest(
            f"Bulk {bulk.bulk_id} was sent with {bulk.message_objects} message objects; "
            f"only a bulk sent with one message object can be {what}."
        )


def unsent_messages(bulk: Bulk) -> list[Message]:
    return [m for m in bulk.messages if not m.is_sent and not m.final]


def reschedule_bulk(gateway: Gateway, account: Account, bulk_id: str, send_at: Millis) -> Bulk:
    bulk = find_bulk(account, bulk_id)
    check_changeable(bulk, "rescheduled")
    now = gateway.clock.now()
    if send_at > now + gateway.config.max_schedule_ahead:
        raise BadRequest(
            violations=[
                ("sendAt", f"must be at most 180 days ahead of now ({format_instant(now)})")
            ]
        )
    shift = send_at - bulk.send_at
    bulk.send_at = send_at
    for message in unsent_messages(bulk):
        # A sendAt in the past sends at once, and validity counts from then, as on submit.
        message.send_at = max(message.send_at + shift, now)
        if bulk.status is BulkStatus.PENDING and message.event is not None:
            gateway.schedule.cancel(message.event)
            gateway.schedule_send(message)
    return bulk


def set_bulk_status(gateway: Gateway, account: Account, bulk_id: str, target: BulkStatus) -> Bulk:
    bulk = find_bulk(account, bulk_id)
    if target not in CLIENT_SETTABLE:
        raise BadRequest(
            f"Status {target} cannot be set by a client; a bulk's status can be changed "
            "only to PENDING, PAUSED or CANCELED."
        )
    if target is bulk.status:
        return bulk
    check_changeable(bulk, f"set to {target}")
    unsent = unsent_messages(bulk)
    if target is BulkStatus.PAUSED:
        for message in unsent:
            if message.event is not None:
                gateway.schedule.cancel(message.event)
                message.event = None
        bulk.status = BulkStatus.PAUSED
    elif target is BulkStatus.CANCELED:
        bulk.status = BulkStatus.CANCELED
        for message in unsent:
            bulk.unsent -= 1
            gateway.transition(message, st.UNDELIVERABLE_NOT_SENT, st.EC_MESSAGE_CANCELED, True)
    else:  # resume
        bulk.status = BulkStatus.PENDING
        now = gateway.clock.now()
        for message in unsent:
            if now >= message.expires_at:
                gateway.expire(message)
            else:
                gateway.schedule_send(message)
        gateway.refresh_bulk(bulk)
        if bulk.status is BulkStatus.PROCESSING and not bulk.ever_sent:
            bulk.status = BulkStatus.PENDING
    return bulk
