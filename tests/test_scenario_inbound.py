"""Scripted inbound messages: at fixed virtual times, after deliveries, with seeded faker text."""

from __future__ import annotations

from scenario_helpers import START, TO, one, run_all, scenario_sim, send

from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.models import InboundMessage
from simulator.scenario import parse_scenario
from simulator.scenario_runtime import InboundDriver
from simulator.timefmt import MINUTE, SECOND, parse_instant

ABSOLUTE = """\
version: 1
inbound:
  - {at: "+5m", from: "41793026727", to: InfoSMS, text: STOP}
  - {at: 2026-01-01T09:01:00Z, from: "385911111111", to: "447000000000", text: "hello there"}
"""
REPLIES = """\
version: 1
inbound:
  - after_delivery: {to: "41793026727", delay: 2m}
    text: STOP
  - after_delivery: {text: {contains: Reply YES}, delay: 30s}
    from: "999"
    to: Shop
    text: "YES"
"""
FAKER = """\
version: 1
inbound:
  - {at: "+1m", from: "41793026727", to: InfoSMS, text: "HELP {faker.sentence}"}
  - {at: "+2m", from: "41793026727", to: InfoSMS, text: "I am {faker.name}, {faker.random_int}"}
  - after_delivery: {prefix: "41", delay: 1m}
    text: "{faker.word} {{literal}}"
"""


def inbox(sim: Simulator) -> list[InboundMessage]:
    return list(sim.gateway.account().inbound)


def summary(sim: Simulator) -> list[tuple[int, str, str, str]]:
    return [(m.received_at - START, m.sender, m.to, m.text) for m in inbox(sim)]


def test_inbound_at_fixed_times() -> None:
    sim = scenario_sim(ABSOLUTE)
    assert inbox(sim) == []
    sim.engine.advance(MINUTE)
    assert summary(sim) == [(MINUTE, "385911111111", "447000000000", "hello there")]
    sim.engine.advance(4 * MINUTE)
    assert summary(sim)[1] == (5 * MINUTE, "41793026727", "InfoSMS", "STOP")
    stop = inbox(sim)[1]
    assert (stop.keyword, stop.clean_text) == ("STOP", "")
    assert len(sim.gateway.account().inbox) == 2  # queued for GET /sms/1/inbox/reports


def test_inbound_is_scheduled_again_after_a_reset() -> None:
    sim = scenario_sim(ABSOLUTE)
    run_all(sim)
    first = summary(sim)
    ids = [m.message_id for m in inbox(sim)]
    sim.reset()
    assert inbox(sim) == []
    run_all(sim)
    assert summary(sim) == first
    assert [m.message_id for m in inbox(sim)] == ids


def test_a_reply_comes_after_the_delivery() -> None:
    sim = scenario_sim(REPLIES)
    one(sim)
    one(sim, "41793026728")  # no script for this number
    sim.engine.advance(3 * SECOND)  # delivered
    assert inbox(sim) == []
    sim.engine.advance(2 * MINUTE - 1)
    assert inbox(sim) == []
    sim.engine.advance(1)
    assert summary(sim) == [(2 * MINUTE + 3 * SECOND, TO, "InfoSMS", "STOP")]
    run_all(sim)
    assert len(inbox(sim)) == 1


def test_replies_match_on_text_and_take_the_script_numbers() -> None:
    sim = scenario_sim(REPLIES)
    one(sim, "385911111111", text="Your order shipped. Reply YES to confirm")
    run_all(sim)
    assert summary(sim) == [(33 * SECOND, "999", "Shop", "YES")]


def test_a_reply_goes_to_the_outbound_sender_or_infosms() -> None:
    sim = scenario_sim(REPLIES)
    one(sim, sender="MyBank")
    one(sim, sender=None)
    run_all(sim)
    assert [m.to for m in inbox(sim)] == ["MyBank", "InfoSMS"]


def test_no_reply_without_a_delivery() -> None:
    scenario = REPLIES.replace("version: 1\n", "version: 1\nrules: [{never: true}]\n")
    sim = scenario_sim(scenario)
    one(sim)
    run_all(sim)
    assert inbox(sim) == []


def test_one_reply_per_message_even_with_two_delivered_statuses() -> None:
    scenario = REPLIES.replace(
        "version: 1\n",
        "version: 1\nrules:\n  - timeline:\n"
        "      - {after: 1s, status: DELIVERED_TO_OPERATOR}\n"
        "      - {after: 5s, status: DELIVERED_TO_HANDSET}\n",
    )
    sim = scenario_sim(scenario)
    one(sim)
    one(sim)
    run_all(sim)
    assert [at for at, *_ in summary(sim)] == [2 * MINUTE + SECOND] * 2


def test_replies_follow_every_delivery_and_their_account() -> None:
    sim = scenario_sim(REPLIES)
    send(sim, TO, TO, TO)
    run_all(sim)
    assert len(inbox(sim)) == 3


def test_faker_text_is_deterministic_per_seed() -> None:
    def texts(seed: int) -> list[str]:
        sim = scenario_sim(FAKER, seed=seed)
        send(sim, "41791111111", "41792222222")
        run_all(sim)
        return [m.text for m in inbox(sim)]

    first = texts(1)
    assert first == texts(1)
    assert first != texts(2)
    assert first[0].startswith("HELP ")
    assert len(first[0]) > len("HELP ")
    # in arrival order: HELP at +1m, the two replies at +1m03s, "I am" at +2m
    assert [text.endswith(" {literal}") for text in first] == [False, True, True, False]
    assert first[3].startswith("I am ")
    assert first[3].rsplit(", ", 1)[1].isdigit()


def test_faker_text_repeats_after_a_reset() -> None:
    sim = scenario_sim(FAKER, seed=3)
    run_all(sim)
    before = [m.text for m in inbox(sim)]
    sim.reset()
    run_all(sim)
    assert [m.text for m in inbox(sim)] == before


def test_the_driver_is_replaced_on_reset_and_silent_after_another_load() -> None:
    sim = scenario_sim(REPLIES)
    listeners = sim.gateway.status_listeners
    assert sum(isinstance(hears, InboundDriver) for hears in listeners) == 1
    sim.reset()
    assert sum(isinstance(hears, InboundDriver) for hears in listeners) == 1
    sim.load(None)
    one(sim)
    run_all(sim)
    assert inbox(sim) == []
    sim.load(parse_scenario(REPLIES))
    assert sum(isinstance(hears, InboundDriver) for hears in listeners) == 1
    one(sim)
    run_all(sim)
    assert len(inbox(sim)) == 1


def test_offsets_count_from_the_clock_start() -> None:
    later = parse_instant("2026-06-01T12:00:00Z")
    sim = Simulator(SimulatorConfig(start=later), scenario=parse_scenario(ABSOLUTE))
    run_all(sim)
    stop = next(m for m in inbox(sim) if m.text == "STOP")
    assert stop.received_at == later + 5 * MINUTE
    past = next(m for m in inbox(sim) if m.text == "hello there")
    assert past.received_at == later  # an instant already past arrives at once
