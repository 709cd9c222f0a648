"""Scenario rules at work in the gateway (no HTTP): every condition, every outcome, weighted
draws, and the first-match-wins order."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from scenario_helpers import START, TO, final, history, one, run_all, scenario_sim, send

from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.models import Family
from simulator.scenario import parse_scenario
from simulator.scenario_runtime import ScenarioPolicy
from simulator.timefmt import HOUR, MINUTE, SECOND

DELIVERED = [(0, "PENDING_ACCEPTED", "NO_ERROR"), (0, "PENDING_ENROUTE", "NO_ERROR")]
DELIVERED += [(3 * SECOND, "DELIVERED_TO_HANDSET", "NO_ERROR")]
NEVER = "never: true"


def rule_sim(match: str, outcome: str = NEVER, *, seed: int = 7) -> Simulator:
    """A scenario with one rule: ``match`` (a flow mapping), then ``outcome``."""
    return scenario_sim(f"version: 1\nrules:\n  - match: {match}\n    {outcome}\n", seed=seed)


def matched(sim: Simulator, to: str = TO, **options: Any) -> bool:
    """Did the one rule (``never``) match a message sent with these options?"""
    message = one(sim, to, **options)
    run_all(sim)
    return message.status.name == "EXPIRED_EXPIRED"


# -- no rule, no change -------------------------------------------------------------------------


def test_unmatched_messages_get_the_core_default_timeline() -> None:
    plain = Simulator(SimulatorConfig(start=START, seed=7))
    with_rules = rule_sim('{prefix: "385"}')
    for sim in (plain, with_rules):
        message = one(sim)
        run_all(sim)
        assert history(message) == DELIVERED


def test_defaults_change_the_default_timeline_price_and_network() -> None:
    sim = scenario_sim(
        "version: 1\ndefaults: {delivery_delay: 7s, price: 0.05, currency: CHF, mcc_mnc: '22803'}\n"
    )
    message = one(sim)
    run_all(sim)
    assert history(message)[-1] == (7 * SECOND, "DELIVERED_TO_HANDSET", "NO_ERROR")
    assert (message.price, message.currency, message.mcc_mnc) == (0.05, "CHF", "22803")


# -- conditions ---------------------------------------------------------------------------------


def test_exact_destination_and_list() -> None:
    assert matched(rule_sim('{to: "41793026727"}'))
    assert not matched(rule_sim('{to: "41793026727"}'), "41793026728")
    sim = rule_sim('{to: ["41793026727", "385911111111"]}')
    assert matched(sim, "385911111111")
    assert not matched(sim, "3859111111112")


def test_prefix_suffix_and_regex() -> None:
    assert matched(rule_sim('{prefix: "4179"}'))
    assert not matched(rule_sim('{prefix: "4179"}'), "4176000000")
    assert matched(rule_sim('{prefix: ["385", "4179"]}'))
    assert matched(rule_sim('{suffix: "6727"}'))
    assert not matched(rule_sim('{suffix: "6727"}'), "41793026728")
    assert matched(rule_sim(r'{regex: "^41\\d{9}$"}'))
    assert not matched(rule_sim(r'{regex: "^41\\d{9}$"}'), "417930267270")
    assert matched(rule_sim('{regex: "302"}'))  # searched, not anchored


def test_sender() -> None:
    assert matched(rule_sim("{sender: InfoSMS}"))
    assert not matched(rule_sim("{sender: InfoSMS}"), sender="Other")
    assert not matched(rule_sim("{sender: InfoSMS}"), sender=None)
    assert matched(rule_sim("{sender: [A, InfoSMS]}"))


def test_text_contains_and_regex() -> None:
    assert matched(rule_sim("{text: {contains: code}}"), text="Your code is 1234")
    assert matched(rule_sim("{text: code}"), text="Your code is 1234")
    assert not matched(rule_sim("{text: {contains: code}}"), text="Your Code is 1234")
    assert matched(rule_sim(r'{text: {regex: "(?i)^your code is \\d+$"}}'), text="YOUR code is 9")
    assert not matched(rule_sim("{text: {contains: code}}"), text=None)  # binary content


@pytest.mark.parametrize("family", list(Family))
def test_api_family(family: Family) -> None:
    assert matched(rule_sim(f"{{api: {family.value}}}"), family=family)
    others = [f.value for f in Family if f is not family]
    assert not matched(rule_sim(f"{{api: [{', '.join(others)}]}}"), family=family)


def test_combined_conditions_must_all_hold() -> None:
    def sim() -> Simulator:
        return rule_sim('{prefix: "4179", sender: Bank, text: code, api: v3}')

    assert matched(sim(), sender="Bank", text="code 1")
    assert not matched(sim(), sender="Shop", text="code 1")
    assert not matched(sim(), sender="Bank", text="hello")
    assert not matched(sim(), "385911111111", sender="Bank", text="code 1")
    assert not matched(sim(), sender="Bank", text="code 1", family=Family.V2)


def test_during_looks_at_the_send_time_with_offsets_from_the_start() -> None:
    match = '{during: {from: "+10m", until: "+20m"}}'
    assert not matched(rule_sim(match))
    assert matched(rule_sim(match), send_at=START + 10 * MINUTE)
    assert matched(rule_sim(match), send_at=START + 19 * MINUTE)
    assert not matched(rule_sim(match), send_at=START + 20 * MINUTE)
    sim = rule_sim(match)
    sim.engine.advance(15 * MINUTE)
    assert matched(sim)


def test_during_with_absolute_instants() -> None:
    match = "{during: {from: 2026-01-01T09:05:00Z}}"
    assert not matched(rule_sim(match))
    assert matched(rule_sim(match), send_at=START + 5 * MINUTE)


def test_first_matching_rule_wins() -> None:
    sim = scenario_sim(
        """\
version: 1
rules:
  - match: {prefix: "4179"}
    reject: REJECTED_NETWORK
  - match: {prefix: "41"}
    never: true
  - deliver_after: 1m
"""
    )
    a, b, c = send(sim, "41791234567", "41441234567", "385911111111").messages
    run_all(sim)
    assert final(a) == ("REJECTED_NETWORK", "NO_ERROR")
    assert final(b) == ("EXPIRED_EXPIRED", "EC_VALIDITY_EXPIRED")
    assert history(c)[-1] == (MINUTE, "DELIVERED_TO_HANDSET", "NO_ERROR")
    policy = sim.gateway.policy
    assert isinstance(policy, ScenarioPolicy)
    assert [policy.matched[m.seq] for m in (a, b, c)] == [0, 1, 2]


# -- outcomes -----------------------------------------------------------------------------------


def test_reject_is_immediate_final_and_free() -> None:
    sim = rule_sim("{}", "reject: REJECTED_NOT_ENOUGH_CREDITS")
    message = one(sim)
    assert history(message) == [
        (0, "PENDING_ACCEPTED", "NO_ERROR"),
        (0, "REJECTED_NOT_ENOUGH_CREDITS", "NO_ERROR"),
    ]
    assert message.final
    assert message.price == 0
    assert len(sim.gateway.account().reports) == 1
    assert sim.schedule.next_due() is None


def test_reject_with_an_error() -> None:
    sim = scenario_sim(
        "version: 1\nrules:\n  - reject: REJECTED_DESTINATION\n"
        "    error: EC_INVALID_DESTINATION_ADDRESS\n"
    )
    assert final(one(sim)) == ("REJECTED_DESTINATION", "EC_INVALID_DESTINATION_ADDRESS")


def test_timeline_operator_then_handset() -> None:
    sim = rule_sim(
        "{}",
        "timeline:\n"
        "      - {after: 3s, status: DELIVERED_TO_OPERATOR}\n"
        "      - {after: 10s, status: DELIVERED_TO_HANDSET}",
    )
    message = one(sim)
    run_all(sim)
    assert history(message) == [
        (0, "PENDING_ACCEPTED", "NO_ERROR"),
        (0, "PENDING_ENROUTE", "NO_ERROR"),
        (3 * SECOND, "DELIVERED_TO_OPERATOR", "NO_ERROR"),
        (10 * SECOND, "DELIVERED_TO_HANDSET", "NO_ERROR"),
    ]
    assert len(sim.gateway.account().reports) == 2


def test_timeline_undeliverable_end_and_default_errors() -> None:
    sim = rule_sim(
        "{}",
        "timeline: [{after: 5s, status: UNDELIVERABLE_NOT_DELIVERED, error: EC_ABSENT_SUBSCRIBER}]",
    )
    message = one(sim)
    run_all(sim)
    assert history(message)[-1] == (
        5 * SECOND,
        "UNDELIVERABLE_NOT_DELIVERED",
        "EC_ABSENT_SUBSCRIBER",
    )
    assert message.final
    sim = rule_sim("{}", "timeline: [{after: 5s, status: UNDELIVERABLE_NOT_DELIVERED}]")
    message = one(sim)
    run_all(sim)
    assert final(message) == ("UNDELIVERABLE_NOT_DELIVERED", "EC_UNKNOWN_ERROR")


def test_timeline_written_with_its_own_first_pending_step() -> None:
    sim = rule_sim(
        "{}",
        "timeline:\n"
        "      - {after: 0s, status: PENDING_WAITING_DELIVERY}\n"
        "      - {after: 4s, status: DELIVERED_TO_HANDSET}",
    )
    message = one(sim)
    run_all(sim)
    assert [name for _, name, _ in history(message)] == [
        "PENDING_ACCEPTED",
        "PENDING_WAITING_DELIVERY",
        "DELIVERED_TO_HANDSET",
    ]


def test_a_timeline_longer_than_the_validity_expires() -> None:
    sim = rule_sim("{}", "deliver_after: 2h")
    message = one(sim, validity=HOUR)
    run_all(sim)
    assert history(message)[-1] == (HOUR, "EXPIRED_EXPIRED", "EC_VALIDITY_EXPIRED")


def test_never_waits_for_the_validity_to_end() -> None:
    sim = rule_sim("{}")
    message = one(sim, validity=30 * MINUTE)
    sim.engine.advance(29 * MINUTE)
    assert message.status.name == "PENDING_ENROUTE"
    assert not message.final
    run_all(sim)
    assert history(message) == [
        (0, "PENDING_ACCEPTED", "NO_ERROR"),
        (0, "PENDING_ENROUTE", "NO_ERROR"),
        (30 * MINUTE, "EXPIRED_EXPIRED", "EC_VALIDITY_EXPIRED"),
    ]


def test_deliver_after_short_form() -> None:
    sim = rule_sim("{}", "deliver_after: 90s")
    message = one(sim)
    run_all(sim)
    assert history(message)[-1] == (90 * SECOND, "DELIVERED_TO_HANDSET", "NO_ERROR")


def test_timelines_count_from_the_send_time() -> None:
    sim = rule_sim("{}", "deliver_after: 5s")
    message = one(sim, send_at=START + HOUR)
    run_all(sim)
    assert history(message)[-1] == (HOUR + 5 * SECOND, "DELIVERED_TO_HANDSET", "NO_ERROR")


def test_a_rule_may_only_set_network_and_price() -> None:
    sim = scenario_sim(
        "version: 1\nrules:\n  - {match: {prefix: '4176'}, mcc_mnc: '22802', price: 0.2}\n"
    )
    a, b = send(sim, "41761234567", TO).messages
    run_all(sim)
    assert (a.mcc_mnc, a.price) == ("22802", 0.2)
    assert (b.mcc_mnc, b.price) == ("22801", 0.01)
    assert history(a) == DELIVERED


def test_after_window_drains_a_backlog_when_the_window_ends() -> None:
    sim = scenario_sim(
        """\
version: 1
rules:
  - match: {during: {from: "+10m", until: "+40m"}}
    timeline: [{after_window: 5s, status: DELIVERED_TO_HANDSET}]
"""
    )
    sim.engine.advance(15 * MINUTE)
    message = one(sim)
    late = one(sim, send_at=START + 39 * MINUTE)
    run_all(sim)
    assert history(message)[-1] == (40 * MINUTE + 5 * SECOND, "DELIVERED_TO_HANDSET", "NO_ERROR")
    assert history(late)[-1] == (40 * MINUTE + 5 * SECOND, "DELIVERED_TO_HANDSET", "NO_ERROR")


# -- weighted outcomes --------------------------------------------------------------------------

WEIGHTED = """\
version: 1
rules:
  - outcomes:
      - {weight: 70%, deliver_after: 3s}
      - {weight: 20%, reject: REJECTED_NETWORK}
      - weight: 10%
        timeline: [{after: 5s, status: UNDELIVERABLE_NOT_DELIVERED, error: EC_ABSENT_SUBSCRIBER}]
"""
NUMBERS = [f"4179{n:07d}" for n in range(3000)]


def outcomes(seed: int, numbers: list[str] = NUMBERS) -> list[str]:
    sim = scenario_sim(WEIGHTED, seed=seed)
    messages = send(sim, *numbers).messages
    run_all(sim)
    return [m.status.name for m in messages]


def test_weighted_outcomes_are_deterministic_per_seed() -> None:
    assert outcomes(1) == outcomes(1)
    assert outcomes(1) != outcomes(2)


def test_weighted_outcomes_roughly_honour_the_weights() -> None:
    counts = Counter(outcomes(3))
    share = {name: count / len(NUMBERS) for name, count in counts.items()}
    assert share["DELIVERED_TO_HANDSET"] == pytest.approx(0.70, abs=0.03)
    assert share["REJECTED_NETWORK"] == pytest.approx(0.20, abs=0.03)
    assert share["UNDELIVERABLE_NOT_DELIVERED"] == pytest.approx(0.10, abs=0.03)


def test_outcome_draws_and_message_ids_are_independent() -> None:
    weighted = scenario_sim(WEIGHTED, seed=5)
    plain = Simulator(SimulatorConfig(start=START, seed=5))
    ids = [m.message_id for m in send(weighted, *NUMBERS[:50]).messages]
    assert ids == [m.message_id for m in send(plain, *NUMBERS[:50]).messages]


def test_draws_start_over_on_reset() -> None:
    sim = scenario_sim(WEIGHTED, seed=9)
    first = [m.outcome for m in send(sim, *NUMBERS[:200]).messages]
    sim.reset()
    assert [m.outcome for m in send(sim, *NUMBERS[:200]).messages] == first


def test_the_scenario_seed_wins_over_the_configured_one() -> None:
    scenario = parse_scenario(WEIGHTED + "seed: 11\n")
    a = Simulator(SimulatorConfig(start=START, seed=1), scenario=scenario)
    b = Simulator(SimulatorConfig(start=START, seed=2), scenario=scenario)
    assert a.config.seed == b.config.seed == 11
    assert [m.outcome for m in send(a, *NUMBERS[:100]).messages] == [
        m.outcome for m in send(b, *NUMBERS[:100]).messages
    ]


def test_one_scenario_serves_several_simulators_independently() -> None:
    scenario = parse_scenario(WEIGHTED)
    a = Simulator(SimulatorConfig(start=START, seed=4), scenario=scenario)
    b = Simulator(SimulatorConfig(start=START, seed=4), scenario=scenario)
    interleaved_a, interleaved_b = [], []
    for number in NUMBERS[:100]:
        interleaved_a.append(send(a, number).messages[0].outcome)
        interleaved_b.append(send(b, number).messages[0].outcome)
    assert interleaved_a == interleaved_b
