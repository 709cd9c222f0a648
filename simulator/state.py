"""Saving and restoring the whole simulator state as JSON (``GET``/``POST /__sim/state``).

A QA session or a failed CI run can be saved and loaded again later: the clock, every account
with its messages (timelines, outcomes, pending events), bulks, report and inbound queues,
the schedule, the id generator, and the webhook journal with its pending retries.

Simulator choices: a scenario's own random generator (weighted outcomes, fault
probabilities) restarts from its seed on restore; webhook pushes that were in flight at save
time are restored as due for retry at their next attempt time.
"""

from __future__ import annotations

import json
from typing import Any

from simulator import status as st
from simulator.accounts import Account
from simulator.core import Simulator
from simulator.dispatch import Attempt, Dispatcher, Push
from simulator.gateway import report_of
from simulator.models import (
    TEMPLATE_FIELDS,
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

FORMAT = 1
_TEMPLATE_FIELDS = [name for name in TEMPLATE_FIELDS if name not in ("family", "time_window")]
_INBOUND_FIELDS = list(InboundMessage.__dataclass_fields__)


class StateError(ValueError):
    """A saved state that cannot be restored (wrong format or inconsistent)."""


def _outcome(outcome: Timeline | Rejection) -> dict[str, Any]:
    if isinstance(outcome, Rejection):
        return {"reject": outcome.status.name, "error": outcome.error.name}
    return {"steps": [[s.after, s.status.name, s.error.name] for s in outcome.steps]}


def _load_outcome(data: dict[str, Any]) -> Timeline | Rejection:
    if "reject" in data:
        return Rejection(st.status(data["reject"]), st.error(data["error"]))
    return Timeline(tuple(Step(a, st.status(s), st.error(e)) for a, s, e in data["steps"]))


def _template(template: Template) -> dict[str, Any]:
    data = {name: getattr(template, name) for name in _TEMPLATE_FIELDS}
    data["family"] = template.family.value
    window = template.time_window
    data["time_window"] = (
        None if window is None else [sorted(window.days), window.start_minute, window.end_minute]
    )
    return data


def _load_template(data: dict[str, Any]) -> Template:
    window = data.get("time_window")
    fields = {name: data[name] for name in _TEMPLATE_FIELDS}
    return Template(
        family=Family(data["family"]),
        time_window=None if window is None else TimeWindow(frozenset(window[0]), *window[1:]),
        **fields,
    )


def export_state(simulator: Simulator, dispatcher: Dispatcher | None = None) -> dict[str, Any]:
    gateway = simulator.gateway
    templates: dict[int, int] = {}
    template_list: list[dict[str, Any]] = []
    accounts = []
    for account in gateway.accounts.values():
        messages = []
        for m in account.messages:
            key = id(m.template)
            if key not in templates:
                templates[key] = len(template_list)
                template_list.append(_template(m.template))
            messages.append(
                {
                    "seq": m.seq,
                    "messageId": m.message_id,
                    "bulkId": m.bulk_id,
                    "to": m.to,
                    "template": templates[key],
                    "submittedAt": m.submitted_at,
                    "sendAt": m.send_at,
                    "status": m.status.name,
                    "error": m.error.name,
                    "price": m.price,
                    "currency": m.currency,
                    "mccMnc": m.mcc_mnc,
                    "outcome": _outcome(m.outcome),
                    "sentAt": m.sent_at,
                    "doneAt": m.done_at,
                    "final": m.final,
                    "step": m.step,
                    "history": [[at, s.name, e.name] for at, s, e in m.history],
                }
            )
        accounts.append(
            {
                "key": account.key,
                "messages": messages,
                "bulks": [
                    {
                        "bulkId": b.bulk_id,
                        "createdAt": b.created_at,
                        "sendAt": b.send_at,
                        "status": b.status.value,
                        "messages": [m.seq for m in b.messages],
                        "messageObjects": b.message_objects,
                        "unsent": b.unsent,
                        "everSent": b.ever_sent,
                    }
                    for b in account.bulks.values()
                ],
                "reports": [
                    [r.seq, r.message.seq, r.status.name, r.error.name, r.at]
                    for r in map(report_of, account.reports, account.reports.values())
                ],
                "inbound": [{f: getattr(i, f) for f in _INBOUND_FIELDS} for i in account.inbound],
                "inbox": [i.seq for i in account.inbox],
            }
        )
    events = []
    for event in simulator.schedule:
        payload = event.payload
        if event.kind in ("send", "step", "expire"):
            events.append([event.due, event.kind, payload.account, payload.seq])
        elif event.kind == "inbound":  # not received yet: the message travels with its event
            fields = {f: getattr(payload, f) for f in _INBOUND_FIELDS}
            events.append([event.due, event.kind, payload.account, payload.seq, fields])
    rng_version, rng_internal, rng_gauss = gateway.rng.getstate()
    state: dict[str, Any] = {
        "format": FORMAT,
        "clock": {
            "now": simulator.clock.now(),
            "start": simulator.clock.start,
            "mode": simulator.clock.mode.value,
            "rate": simulator.clock.rate,
        },
        "scenario": None if simulator.scenario is None else simulator.scenario.name,
        "ids": {"seq": gateway._seq, "reportSeq": gateway._report_seq},
        "rng": [rng_version, list(rng_internal), rng_gauss],
        "templates": template_list,
        "accounts": accounts,
        "events": events,
    }
    if dispatcher is not None:
        state["webhooks"] = [
            {
                "id": p.id,
                "kind": p.kind,
                "account": p.account,
                "url": p.url,
                "body": p.body.decode(),
                "messageIds": p.message_ids,
                "createdAt": p.created_at,
                "state": p.state,
                "nextAttemptAt": p.next_attempt_at,
                "attempts": [
                    [a.number, a.at, a.status, a.error, a.latency_ms, a.response_body]
                    for a in p.attempts
                ],
            }
            for p in dispatcher.pushes
        ]
    return state


def import_state(
    simulator: Simulator, state: dict[str, Any], dispatcher: Dispatcher | None = None
) -> None:
    """Replace the simulator's state with a saved one. On any error nothing is changed."""
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise StateError(f"not a saved simulator state (expected format {FORMAT})")
    try:
        rebuilt = _rebuild(simulator, state)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise StateError(f"the saved state is inconsistent: {exc!r}") from None
    accounts, by_seq, inbound_by_seq = rebuilt
    gateway = simulator.gateway
    simulator.reset()
    clock = state["clock"]
    simulator.clock.reset(clock["start"])
    simulator.clock.set_to(clock["now"])
    simulator.clock.set_mode(clock["mode"], clock["rate"])
    gateway.accounts = accounts
    gateway.rebuild_retention()
    gateway._seq = state["ids"]["seq"]
    gateway._report_seq = state["ids"]["reportSeq"]
    version, internal, gauss = state["rng"]
    gateway.rng.setstate((version, tuple(internal), gauss))
    for due, kind, account_key, seq, *_ in state["events"]:
        action = gateway.event_action(kind)
        if kind == "inbound":
            simulator.schedule.add(due, action, inbound_by_seq[(account_key, seq)], kind)
        else:
            message = by_seq[(account_key, seq)]
            message.event = simulator.schedule.add(due, action, message, kind)
    if dispatcher is not None:
        _restore_webhooks(simulator, dispatcher, state.get("webhooks", []))


def _rebuild(
    simulator: Simulator, state: dict[str, Any]
) -> tuple[
    dict[str, Account], dict[tuple[str, int], Message], dict[tuple[str, int], InboundMessage]
]:
    templates = [_load_template(t) for t in state["templates"]]
    accounts: dict[str, Account] = {}
    by_seq: dict[tuple[str, int], Message] = {}
    inbound_by_seq: dict[tuple[str, int], InboundMessage] = {}
    for data in state["accounts"]:
        account = Account(data["key"])
        for m in data["messages"]:
            message = Message(
                seq=m["seq"],
                account=account.key,
                message_id=m["messageId"],
                bulk_id=m["bulkId"],
                to=m["to"],
                template=templates[m["template"]],
                submitted_at=m["submittedAt"],
                send_at=m["sendAt"],
                status=st.status(m["status"]),
                error=st.error(m["error"]),
                tariff=tariff(m["price"], m["currency"], m["mccMnc"]),
                outcome=_load_outcome(m["outcome"]),
                sent_at=m["sentAt"],
                done_at=m["doneAt"],
                final=m["final"],
                step=m["step"],
                changes=tuple(
                    item
                    for at, s, e in m["history"]
                    for item in (at, change_code(st.status(s), st.error(e)))
                ),
            )
            account.messages.append(message)
            account.by_id[message.message_id] = message
            by_seq[(account.key, message.seq)] = message
        for b in data["bulks"]:
            bulk = Bulk(
                b["bulkId"], account.key, b["createdAt"], b["sendAt"], BulkStatus(b["status"])
            )
            bulk.messages = [by_seq[(account.key, seq)] for seq in b["messages"]]
            bulk.message_objects = b["messageObjects"]
            bulk.unsent = b["unsent"]
            bulk.ever_sent = b["everSent"]
            account.bulks[bulk.bulk_id] = bulk
        for seq, message_seq, status, error, at in data["reports"]:
            reported = by_seq[(account.key, message_seq)]
            report = Report(seq, reported, st.status(status), st.error(error), at)
            as_now = (reported.status, reported.error, reported.done_at) == (
                report.status,
                report.error,
                at,
            )
            if reported.final and as_now and reported not in account.reports:
                account.reports[reported] = seq  # as the gateway queues a final report
            else:
                account.reports[report] = seq
        for i in data["inbound"]:
            received = InboundMessage(**{f: i[f] for f in _INBOUND_FIELDS})
            account.inbound.append(received)
            inbound_by_seq[(account.key, received.seq)] = received
        account.inbox.extend(inbound_by_seq[(account.key, seq)] for seq in data["inbox"])
        accounts[account.key] = account
    for due, kind, account_key, seq, *inline in state["events"]:
        simulator.gateway.event_action(kind)  # unknown kinds fail before anything changes
        if kind == "inbound" and inline:
            inbound_by_seq[(account_key, seq)] = InboundMessage(
                **{f: inline[0][f] for f in _INBOUND_FIELDS}
            )
        table = inbound_by_seq if kind == "inbound" else by_seq
        if (account_key, seq) not in table:
            raise ValueError(f"event {kind} at {due} refers to unknown item {seq}")
    return accounts, by_seq, inbound_by_seq


def _restore_webhooks(
    simulator: Simulator, dispatcher: Dispatcher, pushes: list[dict[str, Any]]
) -> None:
    now = simulator.clock.now()
    for p in pushes:
        push = Push(
            p["id"],
            p["kind"],
            p["account"],
            p["url"],
            p["body"].encode(),
            p["messageIds"],
            p["createdAt"],
            p["state"],
            [Attempt(*a) for a in p["attempts"]],
            p["nextAttemptAt"],
        )
        dispatcher.pushes.append(push)
        dispatcher._next_id = max(dispatcher._next_id, push.id)
        if push.state in ("pending", "retrying"):
            due = max(push.next_attempt_at or now, now)
            push.state = "retrying"
            push.next_attempt_at = due
            simulator.schedule.add(due, dispatcher.retry_action(push), None, "webhook-retry")


def dumps(state: dict[str, Any]) -> bytes:
    return json.dumps(state, separators=(",", ":")).encode()
