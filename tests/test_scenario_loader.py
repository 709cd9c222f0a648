"""Loading scenarios: the format, and every kind of mistake failing with a message that names
the file, line, key path and what would be valid."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest

from simulator import status as st
from simulator.config import Credential, SimulatorConfig
from simulator.models import Family, Rejection
from simulator.scenario import (
    Scenario,
    ScenarioError,
    list_scenarios,
    load_scenario,
    parse_scenario,
    scenario_from_dict,
)
from simulator.scenario_model import Match, TimelineSpec, TimeRef, Window
from simulator.timefmt import HOUR, MINUTE, SECOND, parse_instant


def parse(text: str) -> Scenario:
    return parse_scenario(textwrap.dedent(text), "test.yaml")


def fails(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        parse(text)
    return caught.value


def located(error: ScenarioError, line: int, path: str, *needles: str) -> None:
    """The (first) problem is at ``line`` of test.yaml, at ``path``, and says ``needles``."""
    message = str(error).splitlines()[0]
    assert message.startswith(f"test.yaml:{line}:"), message
    assert f": {path}: " in message, message
    assert error.source == "test.yaml"
    assert error.line == line
    assert error.path == path
    for needle in needles:
        assert needle in message, message


# -- the format ---------------------------------------------------------------------------------


FULL = """\
version: 1
name: full
description: |
  Everything at once.
start: 2026-01-01T09:00:00Z
seed: 42
credentials:
  - {scheme: App, key: secret-key, scopes: [sms:message:send]}
  - {scheme: basic, username: alice, password: wonderland, name: alice}
defaults:
  delivery_delay: 4s
  price: 0.05
  currency: CHF
  mcc_mnc: "22803"
  report_url: http://127.0.0.1:8080/reports
  inbound_url: https://example.test/inbound
  validity: 2h
rules:
  - name: swiss
    match: {prefix: "4179", api: [v2, v3]}
    timeline:
      - {after: 3s, status: DELIVERED_TO_OPERATOR}
      - {after: 10s, status: DELIVERED_TO_HANDSET}
  - match: {to: ["385911111111", "385922222222"]}
    reject: REJECTED_NOT_ENOUGH_CREDITS
  - match: {text: {contains: STOP}}
    outcomes:
      - {weight: 90%, deliver_after: 3s}
      - {weight: 10, never: true}
faults:
  - {endpoint: /sms/3/messages, every: 10, status: 429}
inbound:
  - {at: "+5m", from: "41793026727", to: InfoSMS, text: STOP}
"""


def test_a_full_scenario_becomes_frozen_dataclasses() -> None:
    scenario = parse(FULL)
    assert scenario.name == "full"
    assert scenario.description == "Everything at once."
    assert scenario.source == "test.yaml"
    assert scenario.start == parse_instant("2026-01-01T09:00:00Z")
    assert scenario.seed == 42
    assert scenario.credentials == (
        Credential("App", "secret-key", frozenset({"sms:message:send"})),
        Credential("Basic", "alice:wonderland", frozenset(), "alice"),
    )
    d = scenario.defaults
    assert (d.delivery_delay, d.price, d.currency, d.mcc_mnc) == (4 * SECOND, 0.05, "CHF", "22803")
    assert (d.report_url, d.inbound_url) == (
        "http://127.0.0.1:8080/reports",
        "https://example.test/inbound",
    )
    assert d.validity == 2 * HOUR
    swiss, credits, stop = scenario.rules
    assert swiss.name == "swiss"
    assert swiss.match == Match(prefixes=("4179",), apis=frozenset({Family.V2, Family.V3}))
    assert isinstance(swiss.outcome, TimelineSpec)
    assert swiss.outcome.fixed is not None
    assert [(s.after, s.status.name) for s in swiss.outcome.fixed.steps] == [
        (0, "PENDING_ENROUTE"),  # added: at its send time a message is en route
        (3 * SECOND, "DELIVERED_TO_OPERATOR"),
        (10 * SECOND, "DELIVERED_TO_HANDSET"),
    ]
    assert credits.outcome == Rejection(st.REJECTED_NOT_ENOUGH_CREDITS, st.NO_ERROR)
    assert credits.match.to == frozenset({"385911111111", "385922222222"})
    assert [c.weight for c in stop.choices] == [90, 10]
    assert stop.match.text_contains == "STOP"
    (fault,) = scenario.fault_rules
    assert (fault.endpoints, fault.every, fault.status) == (("/sms/3/messages",), 10, 429)
    (script,) = scenario.inbound
    assert script.at == TimeRef(5 * MINUTE, relative=True)
    assert (script.sender, script.to) == ("41793026727", "InfoSMS")
    with pytest.raises(dataclasses.FrozenInstanceError):
        scenario.name = "other"  # type: ignore[misc]


def test_apply_replaces_only_what_the_scenario_gives() -> None:
    base = SimulatorConfig(seed=3, rate=2.0)
    config = parse(FULL).apply(base)
    assert config.start == parse_instant("2026-01-01T09:00:00Z")
    assert config.seed == 42
    assert config.rate == 2.0
    assert config.delivery_delay == 4 * SECOND
    assert config.price_per_sms == 0.05
    assert config.currency == "CHF"
    assert config.mcc_mnc == "22803"
    assert config.default_validity == 2 * HOUR
    assert config.default_report_url == "http://127.0.0.1:8080/reports"
    assert config.default_inbound_url == "https://example.test/inbound"
    assert len(config.credentials) == 2
    assert parse("version: 1\n").apply(base) == base


def test_empty_credentials_list_means_any_key_and_absent_keeps_the_configured_ones() -> None:
    configured = SimulatorConfig(credentials=(Credential("App", "k"),))
    assert parse("version: 1\ncredentials: []\n").apply(configured).credentials == ()
    assert parse("version: 1\n").apply(configured).credentials == configured.credentials


def test_name_defaults_to_the_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "my_network.yaml"
    path.write_text("version: 1\n")
    assert load_scenario(path).name == "my_network"
    assert load_scenario(str(path)).source == str(path)
    assert parse_scenario("version: 1\n").name == "scenario"


def test_anchors_and_merge_keys_are_supported() -> None:
    scenario = parse(
        """\
        version: 1
        rules:
          - &absent
            match: {prefix: "1"}
            timeline:
              - {after: 5s, status: UNDELIVERABLE_NOT_DELIVERED, error: EC_ABSENT_SUBSCRIBER}
          - <<: *absent
            match: {prefix: "2"}
        """
    )
    first, second = scenario.rules
    assert first.outcome == second.outcome
    assert second.match.prefixes == ("2",)


def test_empty_sections_are_allowed() -> None:
    scenario = parse("version: 1\nrules:\nfaults:\ninbound:\ndefaults:\n")
    assert scenario.rules == ()
    assert scenario.fault_rules == ()
    assert scenario.inbound == ()


def test_numbers_and_yaml_booleans_are_read_as_written() -> None:
    scenario = parse(
        """\
        version: 1
        rules:
          - match: {to: +41793026727, text: YES}
            never: true
          - match: {prefix: 385}
            never: true
        """
    )
    assert scenario.rules[0].match.to == frozenset({"+41793026727"})
    assert scenario.rules[0].match.text_contains == "YES"
    assert scenario.rules[1].match.prefixes == ("385",)


def test_windows_take_instants_and_offsets() -> None:
    scenario = parse(
        """\
        version: 1
        rules:
          - match: {during: {from: "+5m", until: 2026-01-01T10:00:00Z}}
            never: true
        """
    )
    assert scenario.rules[0].match.during == Window(
        TimeRef(5 * MINUTE, relative=True), TimeRef(parse_instant("2026-01-01T10:00:00Z"))
    )


def test_scenario_from_dict() -> None:
    scenario = scenario_from_dict(
        {
            "version": 1,
            "rules": [{"match": {"prefix": ("4179",)}, "deliver_after": "1m"}],
            "faults": [{"rate_limit": "5/s"}],
        }
    )
    assert scenario.rules[0].match.prefixes == ("4179",)
    assert scenario.fault_rules[0].status == 429
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict({"version": 1, "rules": [{"match": {"prefx": "4"}, "never": True}]})
    assert str(caught.value).startswith("<dict>: rules[0].match.prefx: unknown key 'prefx'")
    assert caught.value.line is None


def test_scenario_from_dict_refuses_objects() -> None:
    with pytest.raises(ScenarioError, match="cannot read this data"):
        scenario_from_dict({"version": 1, "seed": object()})


# -- mistakes -----------------------------------------------------------------------------------


def test_invalid_yaml_names_the_line() -> None:
    error = fails("version: 1\nrules: [\n  {a: 1\n")
    assert str(error).startswith("test.yaml:4:")
    assert "not valid YAML" in str(error)


def test_unsafe_tags_are_refused() -> None:
    located(fails("version: 1\nname: !!python/object:os.system ls\n"), 2, "name", "is not allowed")
    located(fails("version: 1\nrules: !custom []\n"), 2, "rules", "plain YAML")


def test_version_is_required() -> None:
    located(fails("name: x\n"), 1, "version", "required key 'version' is missing")
    located(fails("version: 2\n"), 1, "version", "unsupported version '2'", "'version: 1'")
    located(fails("version: one\n"), 1, "version", "unsupported version 'one'")


def test_empty_document() -> None:
    assert "the scenario is empty" in str(fails("# nothing\n"))


def test_unknown_top_level_key_suggests_and_lists_the_valid_ones() -> None:
    located(
        fails("version: 1\nrule: []\n"),
        2,
        "rule",
        "unknown key 'rule'",
        "did you mean 'rules'?",
        "valid here: credentials, defaults, description, faults, inbound, name, rules, seed, "
        "start, version",
    )


def test_unknown_nested_key_names_the_key_path() -> None:
    error = fails(
        """\
        version: 1
        rules:
          - match: {prefix: "41"}
            never: true
          - match:
              prefx: "4179"
            never: true
        """
    )
    located(error, 6, "rules[1].match.prefx", "did you mean 'prefix'?")


def test_duplicate_keys_are_refused() -> None:
    located(fails("version: 1\nseed: 1\nseed: 2\n"), 3, "seed", "given twice")


@pytest.mark.parametrize(
    ("text", "path", "needle"),
    [
        ("seed: seven", "seed", "expected an integer, got 'seven'"),
        ("seed: true", "seed", "expected an integer"),
        ("rules: {a: 1}", "rules", "expected a list, got a mapping"),
        ("start: tomorrow", "start", "'tomorrow' is not a date-time"),
        ("defaults: {delivery_delay: soon}", "defaults.delivery_delay", "not a duration"),
        ("defaults: {price: cheap}", "defaults.price", "expected a number"),
        ("defaults: {price: -1}", "defaults.price", "at least 0"),
        ("defaults: {currency: euro}", "defaults.currency", "three-letter"),
        ("defaults: {mcc_mnc: 228}", "defaults.mcc_mnc", "5 or 6 digits"),
        ("defaults: {report_url: ftp://x}", "defaults.report_url", "http://"),
        ("defaults: {validity: 3d}", "defaults.validity", "at most 48h"),
        ("rules: [{never: yes please}]", "rules[0].never", "true or false"),
        ("rules: [{never: false}]", "rules[0].never", "means nothing"),
        ("rules: [{match: {api: v4}, never: true}]", "rules[0].match.api", "v1, v2, v3"),
        ("rules: [{match: {to: []}, never: true}]", "rules[0].match.to", "at least one"),
        ("rules: [{match: {text: {}}, never: true}]", "rules[0].match.text", "'contains' or"),
        ("faults: [{status: 429, every: x}]", "faults[0].every", "expected an integer"),
        ("faults: [{status: 429, every: 0}]", "faults[0].every", "at least 1"),
        ("faults: [{status: 418}]", "faults[0].status", "429, 500, 502, 503, 504"),
        ("faults: [{probability: 2, status: 500}]", "faults[0].probability", "at most 1"),
        ("faults: [{latency: fast}]", "faults[0].latency", "not a duration"),
    ],
)
def test_wrong_types_and_values(text: str, path: str, needle: str) -> None:
    located(fails(f"version: 1\n{text}\n"), 2, path, needle)


def test_unknown_status_and_error_names_come_with_suggestions() -> None:
    error = fails(
        """\
        version: 1
        rules:
          - timeline:
              - {after: 3s, status: DELIVERED_TO_HANDST}
        """
    )
    located(
        error,
        4,
        "rules[0].timeline[0].status",
        "unknown SMS status 'DELIVERED_TO_HANDST'",
        "did you mean DELIVERED_TO_HANDSET",
    )
    error = fails(
        """\
        version: 1
        rules:
          - timeline:
              - {after: 3s, status: UNDELIVERABLE_NOT_DELIVERED, error: EC_ABSENT_SUBSCRIBR}
        """
    )
    located(error, 4, "rules[0].timeline[0].error", "did you mean EC_ABSENT_SUBSCRIBER")
    error = fails("version: 1\nrules: [{reject: NOPE}]\n")
    located(error, 2, "rules[0].reject", "unknown SMS status 'NOPE'", "statuses: ")


def test_reject_needs_a_rejected_status() -> None:
    error = fails("version: 1\nrules: [{reject: DELIVERED_TO_HANDSET}]\n")
    located(error, 2, "rules[0].reject", "not a REJECTED status", "REJECTED_NOT_ENOUGH_CREDITS")


def test_a_rejection_in_a_timeline_is_refused() -> None:
    error = fails("version: 1\nrules: [{timeline: [{after: 1s, status: REJECTED_NETWORK}]}]\n")
    located(error, 2, "rules[0].timeline[0].status", "write 'reject: REJECTED_NETWORK'")


def test_invalid_regexes() -> None:
    error = fails("version: 1\nrules:\n  - match: {regex: '^41(79'}\n    never: true\n")
    located(error, 3, "rules[0].match.regex", "invalid regular expression", "missing )")
    error = fails("version: 1\nrules:\n  - match: {text: {regex: '[a-'}}\n    never: true\n")
    located(error, 3, "rules[0].match.text.regex", "invalid regular expression")


def test_weights_must_add_up_to_100_percent() -> None:
    error = fails(
        """\
        version: 1
        rules:
          - outcomes:
              - {weight: 90%, deliver_after: 3s}
              - {weight: 5%, never: true}
        """
    )
    located(error, 4, "rules[0].outcomes", "add up to 95%", "must add up to 100%")
    error = fails(
        "version: 1\nrules:\n  - outcomes: [{weight: ninety, never: true}, {weight: 1, never: 1}]\n"
    )
    located(error, 3, "rules[0].outcomes[0].weight", "percentage such as '90%'")
    error = fails("version: 1\nrules:\n  - outcomes: [{weight: 100%, never: true}]\n")
    located(error, 3, "rules[0].outcomes", "at least two")
    error = fails("version: 1\nrules:\n  - outcomes: [{weight: 50%}, {weight: 50%, never: true}]\n")
    located(error, 3, "rules[0].outcomes[0]", "expected an outcome")


def test_a_rule_needs_exactly_one_outcome() -> None:
    located(fails("version: 1\nrules: [{match: {to: '1'}}]\n"), 2, "rules[0]", "needs an outcome")
    error = fails("version: 1\nrules: [{never: true, deliver_after: 3s}]\n")
    located(error, 2, "rules[0].never", "give one outcome, not both 'deliver_after' and 'never'")
    error = fails("version: 1\nrules: [{never: true, error: EC_ABSENT_SUBSCRIBER}]\n")
    located(error, 2, "rules[0].error", "'error' goes with 'reject'")


def test_timeline_steps_must_be_in_time_order_and_end_at_a_final_status() -> None:
    error = fails(
        """\
        version: 1
        rules:
          - timeline:
              - {after: 10s, status: DELIVERED_TO_OPERATOR}
              - {after: 3s, status: DELIVERED_TO_HANDSET}
        """
    )
    located(error, 5, "rules[0].timeline[1]", "steps must be in time order")
    error = fails(
        """\
        version: 1
        rules:
          - timeline:
              - {after: 3s, status: DELIVERED_TO_HANDSET}
              - {after: 5s, status: DELIVERED_TO_OPERATOR}
        """
    )
    located(error, 5, "rules[0].timeline[1]", "DELIVERED_TO_HANDSET is final")
    located(
        fails("version: 1\nrules: [{timeline: [{status: DELIVERED_TO_HANDSET}]}]\n"),
        2,
        "rules[0].timeline[0].after",
        "needs 'after'",
    )
    located(fails("version: 1\nrules: [{timeline: []}]\n"), 2, "rules[0].timeline", "at least one")


def test_after_window_needs_a_during_window() -> None:
    error = fails(
        "version: 1\nrules:\n  - timeline: [{after_window: 5s, status: DELIVERED_TO_HANDSET}]\n"
    )
    located(error, 3, "rules[0].timeline[0].after_window", "match.during.until")


def test_a_window_must_end_after_it_starts() -> None:
    error = fails(
        "version: 1\nrules:\n  - match: {during: {from: '+10m', until: '+5m'}}\n    never: true\n"
    )
    located(error, 3, "rules[0].match.during.until", "must be after 'from'")


# -- rules that can never match -----------------------------------------------------------------


def test_a_catch_all_before_other_rules_shadows_them() -> None:
    error = fails(
        """\
        version: 1
        rules:
          - deliver_after: 3s
          - match: {prefix: "4179"}
            never: true
        """
    )
    located(
        error,
        4,
        "rules[1]",
        "this rule can never match",
        "rules[0] has no conditions",
        "catch-all rule must be the last one",
    )


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ('{prefix: "41"}', '{prefix: "4179"}'),
        ('{prefix: "41"}', '{to: "41793026727"}'),
        ('{prefix: ["41", "385"]}', '{prefix: "3859"}'),
        ('{to: ["1", "2", "3"]}', '{to: ["2", "3"]}'),
        ('{suffix: "01"}', '{suffix: "0001"}'),
        ('{regex: "^41"}', '{regex: "^41"}'),
        ('{regex: "^41"}', '{to: "41793026727"}'),
        ("{sender: [A, B]}", '{sender: A, prefix: "4"}'),
        ("{text: STOP}", '{text: "STOP NOW"}'),
        ("{api: [v1, v2]}", "{api: v1}"),
        ('{prefix: "41", api: v3}', '{prefix: "4179", api: v3, sender: X}'),
        ('{during: {from: "+1m", until: "+1h"}}', '{during: {from: "+5m", until: "+10m"}}'),
    ],
)
def test_an_earlier_rule_with_the_same_or_wider_condition_shadows(earlier: str, later: str) -> None:
    error = fails(
        f"version: 1\nrules:\n  - match: {earlier}\n    never: true\n"
        f"  - name: later\n    match: {later}\n    never: true\n"
    )
    located(error, 5, "rules[1]", "can never match", "rules[0] (", "more specific rule first")


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ('{prefix: "4179"}', '{prefix: "41"}'),  # the specific one first: fine
        ('{prefix: "41", api: v3}', '{prefix: "41"}'),
        ('{prefix: "41"}', '{regex: "^41"}'),  # not provable from the patterns
        ('{to: "1"}', '{to: ["1", "2"]}'),
        ('{text: "STOP NOW"}', "{text: STOP}"),
        ('{prefix: "4176", during: {from: "+10m", until: "+40m"}}', '{prefix: "4176"}'),
        ('{during: {from: "+5m", until: "+10m"}}', '{during: {from: "+1m", until: "+1h"}}'),
    ],
)
def test_rules_that_can_still_match_are_accepted(earlier: str, later: str) -> None:
    parse(
        f"version: 1\nrules:\n  - match: {earlier}\n    never: true\n"
        f"  - match: {later}\n    never: true\n"
    )


# -- faults, inbound, credentials ---------------------------------------------------------------


def test_fault_mistakes() -> None:
    error = fails("version: 1\nfaults:\n  - {endpoint: /sms/3/mesages, status: 500}\n")
    located(
        error,
        3,
        "faults[0].endpoint",
        "no Infobip endpoint matches '/sms/3/mesages'",
        "did you mean '/sms/3/messages'?",
        "'/sms/1/*'",
    )
    error = fails("version: 1\nfaults:\n  - {endpoint: /sms/1/preview, method: GET, status: 500}\n")
    located(error, 3, "faults[0].endpoint", "no Infobip endpoint for GET matches")
    error = fails("version: 1\nfaults:\n  - {every: 2, probability: 0.5, status: 500}\n")
    located(error, 3, "faults[0].probability", "not both 'every' and 'probability'")
    located(fails("version: 1\nfaults: [{every: 2}]\n"), 2, "faults[0]", "needs 'status'")
    error = fails("version: 1\nfaults: [{rate_limit: lots}]\n")
    located(error, 2, "faults[0].rate_limit", "'100/min'")
    error = fails("version: 1\nfaults: [{method: PATCH, status: 500}]\n")
    located(error, 2, "faults[0].method", "GET, POST, PUT")


def test_inbound_mistakes() -> None:
    error = fails("version: 1\ninbound:\n  - {from: '1', to: '2', text: hi}\n")
    located(error, 3, "inbound[0]", "exactly one of 'at'")
    error = fails("version: 1\ninbound:\n  - {at: '+1m', to: '2', text: hi}\n")
    located(error, 3, "inbound[0].from", "needs 'from'")
    error = fails(
        "version: 1\ninbound:\n  - {at: '+1m', from: '1', to: '2', text: '{faker.nme}'}\n"
    )
    located(error, 3, "inbound[0].text", "faker has no provider 'nme'", "did you mean 'name'?")
    error = fails("version: 1\ninbound:\n  - {at: '+1m', from: '1', to: '2', text: 'Hi {name}'}\n")
    located(error, 3, "inbound[0].text", "'{name}' in the text is not a faker call")
    error = fails(
        "version: 1\ninbound:\n  - {at: '+1m', from: '1', to: '2', text: '{faker.enum}'}\n"
    )
    located(error, 3, "inbound[0].text", "needs arguments")
    error = fails(
        "version: 1\ninbound:\n  - {at: '+1m', from: '1', to: '2', text: '{faker.seed_instance}'}\n"
    )
    located(error, 3, "inbound[0].text", "faker has no provider 'seed_instance'")
    error = fails("version: 1\ninbound:\n  - {after_delivery: {to: '1'}, text: hi}\n")
    located(error, 3, "inbound[0].after_delivery.delay", "required key 'delay'")
    error = fails("version: 1\ninbound:\n  - {at: 'soon', from: '1', to: '2', text: hi}\n")
    located(error, 3, "inbound[0].at", "not a date-time")


def test_credential_mistakes() -> None:
    error = fails("version: 1\ncredentials:\n  - {scheme: Basic, username: u}\n")
    located(error, 3, "credentials[0].password", "needs 'username' and 'password'")
    error = fails(
        "version: 1\ncredentials:\n  - {scheme: Basic, key: k, username: u, password: p}\n"
    )
    located(error, 3, "credentials[0].key", "not 'key'")
    error = fails("version: 1\ncredentials:\n  - {scheme: App}\n")
    located(error, 3, "credentials[0].key", "needs 'key'")
    error = fails("version: 1\ncredentials:\n  - {scheme: Token, key: k}\n")
    located(error, 3, "credentials[0].scheme", "App, Basic, Bearer, IBSSO")
    error = fails(
        "version: 1\ncredentials:\n  - {scheme: App, key: k, scopes: [sms:mesage:send]}\n"
    )
    located(error, 3, "credentials[0].scopes[0]", "did you mean 'sms:message:send'?")
    error = fails(
        "version: 1\ncredentials:\n  - {scheme: App, key: k}\n  - {scheme: app, key: k}\n"
    )
    located(error, 4, "credentials[1]", "listed twice")


def test_unusual_but_well_formed_scopes_are_accepted() -> None:
    scenario = parse(
        "version: 1\ncredentials:\n  - {scheme: App, key: k, scopes: [whatsapp:manage]}\n"
    )
    assert scenario.credentials == (Credential("App", "k", frozenset({"whatsapp:manage"})),)


def test_every_problem_is_reported_at_once_in_file_order() -> None:
    error = fails(
        """\
        version: 1
        seed: x
        rules:
          - match: {prefx: "1"}
            never: true
          - reject: DELIVERED
        faults:
          - {status: 999}
        """
    )
    lines = str(error).splitlines()
    assert [problem.line for problem in error.problems] == [2, 4, 6, 8]
    assert [problem.path for problem in error.problems] == [
        "seed",
        "rules[0].match.prefx",
        "rules[1].reject",
        "faults[0].status",
    ]
    assert len(lines) == 4
    assert all(line.startswith("test.yaml:") for line in lines)


# -- finding scenarios --------------------------------------------------------------------------


def test_list_scenarios_names_the_shipped_library() -> None:
    names = list_scenarios()
    assert names == sorted(names)
    assert {
        "default",
        "happy_path",
        "slow_network",
        "absent_subscriber",
        "expiry",
        "rejected_no_credit",
        "rate_limited",
        "carrier_outage",
        "mixed_traffic",
        "inbound_replies",
    } <= set(names)


def test_load_by_name_and_by_path(tmp_path: Path) -> None:
    scenario = load_scenario("happy_path")
    assert scenario.name == "happy_path"
    assert scenario.source.endswith("happy_path.yaml")
    copy = tmp_path / "copy.yml"
    copy.write_text(Path(scenario.source).read_text())
    assert load_scenario(copy).rules == scenario.rules


def test_unknown_names_and_missing_files() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario("happy_pth")
    message = str(caught.value)
    assert "no shipped scenario called 'happy_pth'" in message
    assert "did you mean 'happy_path'?" in message
    assert "absent_subscriber" in message
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load_scenario("./nowhere/happy_path.yaml")
    with pytest.raises(ScenarioError, match="loaded by name: 'expiry'"):
        load_scenario("expiry.yaml")


def test_a_file_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("version: 1\nrules:\n  - reject: NOPE\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value).startswith(f"{path}:3:")


def test_scenario_error_is_a_value_error() -> None:
    assert issubclass(ScenarioError, ValueError)
