"""The compact structures behind the per-message memory budget (issue #7).

What a retained message keeps is small on purpose: a template shares one default options
object, a message's history is one flat tuple, a single-message bulk holds the message
itself, a final report is queued as the message, and messages alike share one tariff tuple.
These tests pin that the compact forms read exactly as the plain ones did.
"""

from __future__ import annotations

import json
from dataclasses import replace

from simulator import status as st
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.gateway import MessageRequest, SubmitRequest
from simulator.models import (
    TEMPLATE_FIELDS,
    Bulk,
    BulkStatus,
    Family,
    Message,
    Report,
    Template,
    TimeWindow,
)
from simulator.state import dumps, export_state, import_state
from simulator.timefmt import DAY, SECOND, parse_instant

START = parse_instant("2026-01-05T09:00:00.000+0000")


def make_sim(**changes: object) -> Simulator:
    return Simulator(replace(SimulatorConfig(start=START, seed=3), **changes))  # type: ignore[arg-type]


def send(sim: Simulator, *to: str, bulk_id: str | None = None) -> list[Message]:
    template = Template(Family.V3, "sms/3/messages", "InfoSMS", text="Hi")
    destinations: list[tuple[str, str | None]] = [(n, None) for n in to or ("41793026727",)]
    request = SubmitRequest(Family.V3, [MessageRequest(template, destinations)], bulk_id)
    return sim.gateway.submit(sim.gateway.account(), request).messages


# -- templates ----------------------------------------------------------------------------------


def test_plain_templates_share_their_default_options() -> None:
    a = Template(Family.V3, "sms/3/messages", "InfoSMS", text="Hi")
    b = Template(Family.V2, "sms/2/text/advanced", None, text="Yo")
    assert a._options is b._options
    a.entity_id = "e1"
    assert a.entity_id == "e1"
    assert b.entity_id is None, "a write must not reach the shared default"
    assert a._options is not b._options
    b.entity_id = None  # the default again: no copy needed
    assert b._options is Template(Family.V3, "x", None)._options


def test_every_template_keyword_reads_back() -> None:
    window = TimeWindow(frozenset({0, 1}), 60, 120)
    values: dict[str, object] = {
        "family": Family.V1,
        "endpoint": "sms/1/text/advanced",
        "sender": "Me",
        "text": "Hello",
        "hex": "48",
        "data_coding": 8,
        "esm_class": 64,
        "transliteration": "GREEK",
        "language_code": "TR",
        "flash": True,
        "validity": 60_000,
        "notify_url": "http://hook",
        "notify_content_type": "application/json",
        "notify": False,
        "intermediate_report": True,
        "callback_data": "cb",
        "entity_id": "ent",
        "application_id": "app",
        "campaign_reference_id": "camp",
        "time_window": window,
        "sms_count": 3,
        "index": 2,
    }
    assert list(values) == list(TEMPLATE_FIELDS)
    by_keyword = Template(**values)  # type: ignore[arg-type]
    positional = Template(*values.values())  # type: ignore[arg-type]
    assert {name: getattr(by_keyword, name) for name in TEMPLATE_FIELDS} == values
    assert positional == by_keyword
    assert by_keyword != Template(Family.V1, "sms/1/text/advanced", "Me")
    copy = Template(Family.V1, "sms/1/text/advanced", "Me")
    for name, value in values.items():
        setattr(copy, name, value)
    assert copy == by_keyword
    assert "campaign_reference_id='camp'" in repr(copy)


# -- messages, bulks and reports ----------------------------------------------------------------


def test_history_reads_as_tuples_from_one_flat_tuple() -> None:
    sim = make_sim(delivery_delay=3 * SECOND)
    (message,) = send(sim)
    sim.engine.run_until_idle()
    assert message.history == [
        (START, st.PENDING_ACCEPTED, st.NO_ERROR),
        (START, st.PENDING_ENROUTE, st.NO_ERROR),
        (START + 3 * SECOND, st.DELIVERED_TO_HANDSET, st.NO_ERROR),
    ]
    assert isinstance(message.changes, tuple)
    assert len(message.changes) == 6
    assert message.first_status is message.history[0][1] is st.PENDING_ACCEPTED
    message.record(START + 4 * SECOND, st.EXPIRED_EXPIRED, st.EC_VALIDITY_EXPIRED)
    assert message.history[-1] == (START + 4 * SECOND, st.EXPIRED_EXPIRED, st.EC_VALIDITY_EXPIRED)


def test_messages_alike_share_one_tariff_and_a_change_makes_another() -> None:
    sim = make_sim()
    a, b = send(sim, "1", "2")
    assert a.tariff is b.tariff
    b.price = 0.5
    b.mcc_mnc = "22802"
    assert (a.price, a.mcc_mnc) == (sim.config.price_per_sms, sim.config.mcc_mnc)
    assert (b.price, b.currency, b.mcc_mnc) == (0.5, sim.config.currency, "22802")


def test_a_bulk_keeps_one_message_bare_and_more_in_a_list() -> None:
    bulk = Bulk("b", "default", 0, 0, BulkStatus.PENDING)
    assert bulk.messages == []
    sim = make_sim()
    one, two, three = send(sim, "1", "2", "3")
    bulk.add(one)
    assert bulk.members is one
    assert bulk.messages == [one]
    bulk.add(two)
    bulk.add(three)
    assert bulk.messages == [one, two, three]
    bulk.messages = [three]
    assert bulk.members is three
    bulk.messages = []
    assert bulk.members is None


def test_final_reports_are_queued_as_their_messages_and_pulled_as_reports() -> None:
    sim = make_sim()
    heard: list[Report] = []
    sim.gateway.report_listeners.append(heard.append)
    messages = send(sim, "1", "2")
    sim.engine.run_until_idle()
    queue = sim.gateway.account().reports
    assert list(queue) == messages
    pulled = sim.gateway.pull_reports(sim.gateway.account(), 10)
    assert [(r.seq, r.message, r.status, r.at) for r in pulled] == [
        (r.seq, r.message, r.status, r.at) for r in heard
    ]
    assert [r.at for r in pulled] == [m.done_at for m in messages]
    assert queue == {}


def test_queued_reports_keep_their_seq_through_a_saved_state() -> None:
    sim = make_sim()
    send(sim, "1", "2", "3")
    sim.engine.run_until_idle()
    sim.gateway.pull_reports(sim.gateway.account(), 1)
    saved = export_state(sim)
    restored = make_sim()
    import_state(restored, json.loads(dumps(saved)))
    assert dumps(export_state(restored)) == dumps(saved)
    original = [(r.seq, r.message.to) for r in sim.gateway.pull_reports(sim.gateway.account(), 9)]
    again = restored.gateway.pull_reports(restored.gateway.account(), 9)
    assert [(r.seq, r.message.to) for r in again] == original == [(2, "2"), (3, "3")]
    assert list(restored.gateway.account().reports) == []


def test_the_sweep_reads_finalisation_instants_from_the_messages() -> None:
    sim = make_sim(message_retention=DAY, retention_sweep_every=SECOND)
    send(sim, "1")
    sim.engine.advance(DAY // 2)
    send(sim, "2")
    sim.engine.run_until_idle()
    assert [m.to for m in sim.gateway._retired] == ["1", "2"]
    sim.engine.advance(DAY // 2 + 10 * SECOND)
    assert [m.to for m in sim.gateway.account().messages] == ["2"]
    assert [m.to for m in sim.gateway._retired] == ["2"]
