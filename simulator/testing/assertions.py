"""Assertions over what the simulator saw, with failures that explain the nearest misses:
the same number with another status, the same status or text for another number, and why
nothing may have arrived (still pending, no report URL, requests the simulator refused).

Registered for pytest's assertion rewriting by the plugin. Each function takes the records
(see :mod:`simulator.testing.records`) and returns the one that matched.

>>> assert_report_pushed([], [], [], to="41793026727", status="DELIVERED")
Traceback (most recent call last):
...
AssertionError: expected a DELIVERED report for 41793026727; saw no report at all
  no message was sent at all
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from datetime import datetime

from simulator.testing.records import (
    ApiRequest,
    MessageRecord,
    ReportRecord,
    check_status,
    matches_status,
)

SHOWN = 5
"""How many near misses a failure lists."""


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def quote(text: str | None, limit: int = 60) -> str:
    if text is None:
        return "(binary)"
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def nearest(numbers: Iterable[str], to: str) -> list[str]:
    """Distinct numbers, the most like ``to`` first (at most :data:`SHOWN`)."""
    unique = list(dict.fromkeys(numbers))
    unique.sort(key=lambda n: -difflib.SequenceMatcher(None, n, to).ratio())
    return unique[:SHOWN]


def listing(items: Sequence[str]) -> str:
    shown = ", ".join(items[:SHOWN])
    return shown + (f", … ({len(items) - SHOWN} more)" if len(items) > SHOWN else "")


def refused(requests: Sequence[ApiRequest]) -> str | None:
    bad = [r for r in requests if r.status >= 400]
    if not bad:
        return None
    return f"the simulator refused {plural(len(bad), 'request')}: {listing([str(r) for r in bad])}"


def _status_of(message: MessageRecord) -> str:
    state = "final" if message.final else "not final yet"
    return f"{message.status} ({state})"


def timeline(message: MessageRecord) -> str:
    return " → ".join(str(change) for change in message.timeline)


# -- reports ------------------------------------------------------------------------------------
def select_reports(
    reports: Iterable[ReportRecord],
    *,
    to: str | None = None,
    status: str | None = None,
    message_id: str | None = None,
    bulk_id: str | None = None,
) -> list[ReportRecord]:
    return [
        r
        for r in reports
        if (to is None or r.to == to)
        and (status is None or matches_status(r.status, r.group, status))
        and (message_id is None or r.message_id == message_id)
        and (bulk_id is None or r.bulk_id == bulk_id)
    ]


def describe_report(
    status: str | None, to: str | None, message_id: str | None, bulk_id: str | None
) -> str:
    what = f"a {status} report" if status else "a delivery report"
    if to is not None:
        what += f" for {to}"
    if message_id is not None:
        what += f" (message {message_id})"
    if bulk_id is not None:
        what += f" in bulk {bulk_id}"
    return what


def report_line(report: ReportRecord) -> str:
    """``41793026727: EXPIRED_EXPIRED (EC_VALIDITY_EXPIRED) at 09:00:30, pushed to URL``."""
    done = f" at {_clock(report.done_at)}" if report.done_at is not None else ""
    state = "" if report.push_state == "delivered" else f" (push {report.push_state})"
    return f"{report.to}: {report}{done}, pushed to {report.url}{state}"


def _why_no_report(
    messages: Sequence[MessageRecord], requests: Sequence[ApiRequest], to: str | None
) -> list[str]:
    """Hints for a number that got no report at all."""
    mine = [m for m in messages if to is None or m.to == to]
    if not messages:
        return ["no message was sent at all", *filter(None, [refused(requests)])]
    if not mine:
        others = nearest((m.to for m in messages), to or "")
        return [f"no message was sent to that number; messages went to {listing(others)}"]
    pending = [m for m in mine if not m.final]
    final = [m for m in mine if m.final]
    hints = []
    if pending:
        hints.append(
            f"{plural(len(pending), 'message')} to that number still pending: "
            f"{listing([_status_of(m) for m in pending])}; advance the clock further?"
        )
    if final:
        hints.append(
            f"{plural(len(final), 'message')} to that number ended "
            f"{listing([m.status for m in final])} but no report was pushed: the send gave "
            "no notifyUrl / webhooks.delivery.url and no default report URL is set, or it "
            "asked for none (notify: false)"
        )
    return hints


def assert_report_pushed(
    reports: Sequence[ReportRecord],
    messages: Sequence[MessageRecord],
    requests: Sequence[ApiRequest],
    *,
    to: str | None = None,
    status: str | None = None,
    message_id: str | None = None,
    bulk_id: str | None = None,
) -> ReportRecord:
    """The newest pushed report matching every given criterion, or an explaining failure."""
    __tracebackhide__ = True
    if status is not None:
        status = check_status(status)
    found = select_reports(reports, to=to, status=status, message_id=message_id, bulk_id=bulk_id)
    if found:
        return found[-1]
    head = f"expected {describe_report(status, to, message_id, bulk_id)}"
    lines: list[str] = []
    if not reports:
        head += "; saw no report at all"
        lines += _why_no_report(messages, requests, to)
    elif to is not None:
        same = select_reports(reports, to=to, message_id=message_id, bulk_id=bulk_id)
        if same:
            head += (
                f"; saw {plural(len(same), 'report')} for that number: "
                f"{listing([r.status for r in same])}"
            )
            lines += [report_line(r) for r in same[:SHOWN]]
        else:
            head += "; saw no report for that number"
        others = [r for r in select_reports(reports, status=status) if r.to != to]
        if others:
            numbers = nearest((r.to for r in others), to)
            kind = f"{status} " if status else ""
            head += (
                f"; saw {kind}reports for other numbers: {listing(numbers)}"
                if len(numbers) > 1
                else f"; saw a {kind}report for another number: {numbers[0]}"
            )
        if not same:
            lines += _why_no_report(messages, requests, to)
    else:
        head += f"; saw {plural(len(reports), 'report')}: " + listing(
            [f"{r.status} for {r.to}" for r in reports]
        )
        lines += [report_line(r) for r in reports[:SHOWN]]
    raise AssertionError("\n  ".join([head, *lines]))


def assert_no_report_pushed(
    reports: Sequence[ReportRecord], *, to: str | None = None, status: str | None = None
) -> None:
    __tracebackhide__ = True
    if status is not None:
        status = check_status(status)
    found = select_reports(reports, to=to, status=status)
    if found:
        what = describe_report(status, to, None, None).replace("a ", "no ", 1)
        raise AssertionError(
            f"expected {what}; saw {plural(len(found), 'report')}: "
            + listing([f"{r} for {r.to} at {_clock(r.pushed_at)}" for r in found])
        )


# -- messages -----------------------------------------------------------------------------------
def select_messages(
    messages: Iterable[MessageRecord],
    *,
    to: str | None = None,
    text: str | None = None,
    contains: str | None = None,
    status: str | None = None,
    sender: str | None = None,
    bulk_id: str | None = None,
    message_id: str | None = None,
) -> list[MessageRecord]:
    return [
        m
        for m in messages
        if (to is None or m.to == to)
        and (text is None or m.text == text)
        and (contains is None or (m.text is not None and contains in m.text))
        and (status is None or matches_status(m.status, m.group, status))
        and (sender is None or m.sender == sender)
        and (bulk_id is None or m.bulk_id == bulk_id)
        and (message_id is None or m.message_id == message_id)
    ]


def describe_message(
    to: str | None, text: str | None, contains: str | None, status: str | None, sender: str | None
) -> str:
    what = "a message"
    if to is not None:
        what += f" to {to}"
    if sender is not None:
        what += f" from {sender}"
    if text is not None:
        what += f" with text {quote(text)}"
    if contains is not None:
        what += f" containing {quote(contains)}"
    if status is not None:
        what += f" in status {status}"
    return what


def _message_line(message: MessageRecord) -> str:
    return f"{quote(message.text)} ({message.status})"


def assert_message_sent(
    messages: Sequence[MessageRecord],
    requests: Sequence[ApiRequest],
    *,
    to: str | None = None,
    text: str | None = None,
    contains: str | None = None,
    status: str | None = None,
    sender: str | None = None,
) -> MessageRecord:
    """The newest message matching every given criterion, or an explaining failure."""
    __tracebackhide__ = True
    if status is not None:
        status = check_status(status)
    criteria = {"text": text, "contains": contains, "status": status, "sender": sender}
    found = select_messages(messages, to=to, **criteria)
    if found:
        return found[-1]
    head = f"expected {describe_message(to, text, contains, status, sender)}"
    lines: list[str] = []
    if not messages:
        head += "; no message was sent at all"
        lines += filter(None, [refused(requests)])
    elif to is not None:
        same = select_messages(messages, to=to)
        if same:
            head += (
                f"; saw {plural(len(same), 'message')} to that number: "
                f"{listing([_message_line(m) for m in same])}"
            )
        else:
            head += "; saw no message to that number"
        content = {"text": text, "contains": contains}
        if text is not None or contains is not None:
            others = [m for m in select_messages(messages, **content) if m.to != to]
            if others:
                numbers = nearest((m.to for m in others), to)
                head += (
                    f"; saw that text sent to other numbers: {listing(numbers)}"
                    if len(numbers) > 1
                    else f"; saw that text sent to another number: {numbers[0]}"
                )
        if not same:
            lines += filter(None, [refused(requests)])
    else:
        head += f"; saw {plural(len(messages), 'message')}: " + listing(
            [f"{_message_line(m)} to {m.to}" for m in messages]
        )
    raise AssertionError("\n  ".join([head, *lines]))


def assert_no_message_sent(
    messages: Sequence[MessageRecord],
    *,
    to: str | None = None,
    text: str | None = None,
    contains: str | None = None,
) -> None:
    __tracebackhide__ = True
    found = select_messages(messages, to=to, text=text, contains=contains)
    if found:
        what = describe_message(to, text, contains, None, None).replace("a message", "no message")
        raise AssertionError(
            f"expected {what}; saw {plural(len(found), 'message')}: "
            + listing([f"{_message_line(m)} to {m.to} at {_clock(m.submitted_at)}" for m in found])
        )


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M:%S")


# -- waiting ------------------------------------------------------------------------------------
def explain_wait(
    messages: Sequence[MessageRecord],
    *,
    status: str | None,
    to: str | None,
    bulk_id: str | None,
    message_id: str | None,
    waited: str,
    deadline: str,
    idle: bool,
) -> str:
    """Why ``wait_for`` gave up: what the messages it watched did instead."""
    what = describe_message(to, None, None, None, None)
    if bulk_id is not None:
        what += f" in bulk {bulk_id}"
    if message_id is not None:
        what += f" (message {message_id})"
    goal = f"to reach {status}" if status else "to be sent"
    head = f"waited {waited} of virtual time (until {deadline}) for {what} {goal}; it did not"
    watched = select_messages(messages, to=to, bulk_id=bulk_id, message_id=message_id)
    lines: list[str] = []
    if watched:
        head += f": saw {plural(len(watched), 'message')}"
        lines += [f"{m.to}: {timeline(m)}{' (final)' if m.final else ''}" for m in watched[:SHOWN]]
    elif messages:
        head += ": no such message was sent"
    else:
        head += ": no message was sent at all"
    if status is not None and to is not None:
        others = [m for m in messages if m.to != to and m.reached(status)]
        if others:
            numbers = nearest((m.to for m in others), to)
            lines.append(f"{status} was reached by other numbers: {listing(numbers)}")
    if idle:
        lines.append("nothing was left on the schedule: no event could have changed that")
    return "\n  ".join([head, *lines])
