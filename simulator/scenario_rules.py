"""Reading ``rules``: conditions, outcomes (timelines, rejections, ``never``, weighted
``outcomes``), and refusing a rule that an earlier rule makes unreachable."""

from __future__ import annotations

from functools import partial

from simulator import scenario_values as values
from simulator import status as st
from simulator.models import Family, Rejection
from simulator.scenario_model import (
    Choice,
    Match,
    OutcomeSpec,
    Rule,
    StepSpec,
    TimelineSpec,
)
from simulator.scenario_yaml import Node

OUTCOME_KEYS = ("deliver_after", "timeline", "never", "reject", "outcomes")
MATCH_KEYS = {"to", "prefix", "suffix", "regex", "sender", "text", "api", "during"}
RULE_KEYS = {"name", "match", "error", "mcc_mnc", "price", *OUTCOME_KEYS}
CHOICE_KEYS = {"weight", "error", *OUTCOME_KEYS} - {"outcomes"}
STEP_KEYS = {"after", "after_window", "status", "error"}


# -- rules ------------------------------------------------------------------------------------


def rules(node: Node) -> tuple[Rule, ...]:
    parsed: list[tuple[Rule, Node]] = []
    for index, item in enumerate(node.items()):
        rule = node.ctx.attempt(partial(rule_of, index, item))
        if rule is not None:
            parsed.append((rule, item))
    for position, (rule, item) in enumerate(parsed):
        for earlier, _ in parsed[:position]:
            if not earlier.match.covers(rule.match):
                continue
            if earlier.match.is_empty:
                why = (
                    f"{earlier.label} has no conditions, so it matches every message; "
                    "a catch-all rule must be the last one"
                )
            else:
                why = (
                    f"{earlier.label} ({earlier.match.describe()}) already matches every "
                    "message this rule would; put the more specific rule first"
                )
            node.ctx.problems.extend(item.error(f"this rule can never match: {why}").problems)
            break
    return tuple(rule for rule, _ in parsed)


def rule_of(index: int, node: Node) -> Rule:
    entries = node.mapping(RULE_KEYS)
    match = match_of(entries["match"], MATCH_KEYS) if "match" in entries else Match()
    has_window_end = match.during is not None and match.during.until is not None
    outcome: OutcomeSpec | None = None
    choices: tuple[Choice, ...] = ()
    given = [key for key in OUTCOME_KEYS if key in entries]
    if "outcomes" in entries:
        if len(given) > 1:
            raise entries[given[1]].error("a rule has weighted 'outcomes' or one outcome, not both")
        if "error" in entries:
            raise entries["error"].error("put 'error' inside the outcome it belongs to")
        choices = _choices(entries["outcomes"], has_window_end)
    elif given:
        outcome = outcome_of(node, entries, has_window_end)
    elif "mcc_mnc" not in entries and "price" not in entries:
        raise node.error(
            f"a rule needs an outcome: one of {', '.join(OUTCOME_KEYS)} "
            "(or only 'mcc_mnc' / 'price', to change those and deliver as by default)"
        )
    elif "error" in entries:
        raise entries["error"].error("'error' goes with 'reject'")
    return Rule(
        index=index,
        match=match,
        outcome=outcome,
        choices=choices,
        name=entries["name"].string() if "name" in entries else None,
        mcc_mnc=values.mcc_mnc(entries["mcc_mnc"]) if "mcc_mnc" in entries else None,
        price=values.price(entries["price"]) if "price" in entries else None,
        line=node.line,
    )


def match_of(node: Node, allowed: set[str]) -> Match:
    """Conditions on a message; keys in ``node`` outside ``MATCH_KEYS`` (such as an
    ``after_delivery``'s ``delay``) are left to the caller."""
    entries = node.mapping(allowed)
    text_contains = text_regex = None
    if "text" in entries:
        text = entries["text"]
        if text.is_mapping:
            parts = text.mapping({"contains", "regex"})
            if not parts:
                raise text.error("expected 'contains' or 'regex'")
            text_contains = parts["contains"].string() if "contains" in parts else None
            text_regex = parts["regex"].regex() if "regex" in parts else None
        else:
            text_contains = text.string("a string, or {contains: ...} / {regex: ...}")
    apis = None
    if "api" in entries:
        names = [item.choice([f.value for f in Family]) for item in entries["api"].one_or_many()]
        apis = frozenset(Family(name) for name in names)

    def many(key: str) -> tuple[str, ...] | None:
        return values.strings(entries[key]) if key in entries else None

    to, senders = many("to"), many("sender")
    return Match(
        to=None if to is None else frozenset(to),
        prefixes=many("prefix"),
        suffixes=many("suffix"),
        regex=entries["regex"].regex() if "regex" in entries else None,
        senders=None if senders is None else frozenset(senders),
        text_contains=text_contains,
        text_regex=text_regex,
        apis=apis,
        during=values.window(entries["during"]) if "during" in entries else None,
    )


def outcome_of(node: Node, entries: dict[str, Node], has_window_end: bool) -> OutcomeSpec:
    """Exactly one of ``deliver_after``, ``timeline``, ``never``, ``reject`` (with its
    optional ``error``), from a rule's or a weighted choice's entries."""
    given = [key for key in OUTCOME_KEYS if key in entries]
    if len(given) > 1:
        raise entries[given[1]].error(f"give one outcome, not both {given[0]!r} and {given[1]!r}")
    if not given:
        raise node.error(f"expected an outcome: one of {', '.join(OUTCOME_KEYS[:-1])}")
    kind = given[0]
    value = entries[kind]
    if "error" in entries and kind != "reject":
        raise entries["error"].error(
            "'error' goes with 'reject'; in a timeline, give each step its own 'error'"
        )
    if kind == "reject":
        code = values.status_of(value)
        if code.group_name != "REJECTED":
            raise value.error(
                f"{code.name} is not a REJECTED status; a rejection is one of "
                f"{', '.join(values.rejected_names())}"
            )
        return Rejection(
            code, values.error_of(entries["error"]) if "error" in entries else st.NO_ERROR
        )
    if kind == "deliver_after":
        return TimelineSpec.of(
            (
                StepSpec(0, st.PENDING_ENROUTE, st.NO_ERROR),
                StepSpec(value.duration(), st.DELIVERED_TO_HANDSET, st.NO_ERROR),
            )
        )
    if kind == "never":
        if not value.boolean():
            raise value.error("'never: false' means nothing; remove it or give another outcome")
        return TimelineSpec.of((StepSpec(0, st.PENDING_ENROUTE, st.NO_ERROR),))
    return timeline(value, has_window_end)


def timeline(node: Node, has_window_end: bool) -> TimelineSpec:
    items = node.items()
    if not items:
        raise node.error("a timeline needs at least one step")
    steps: list[StepSpec] = []
    for item in items:
        entries = item.mapping(STEP_KEYS, required=("status",))
        code = values.status_of(entries["status"])
        if code.group_name == "REJECTED":
            raise entries["status"].error(
                f"{code.name} is a rejection at submit time; write 'reject: {code.name}' "
                "instead of a timeline"
            )
        if "after" in entries and "after_window" in entries:
            raise entries["after_window"].error("give 'after' or 'after_window', not both")
        if "after_window" in entries:
            if not has_window_end:
                raise entries["after_window"].error(
                    "'after_window' counts from the end of the rule's 'during' window; "
                    "this rule has no 'match.during.until'"
                )
            after, relative = entries["after_window"].duration(), True
        elif "after" in entries:
            after, relative = entries["after"].duration(), False
        else:
            raise item.error("a step needs 'after' (e.g. 3s)", item.child_path("after"))
        error = (
            values.error_of(entries["error"]) if "error" in entries else values.default_error(code)
        )
        if steps:
            previous = steps[-1]
            if previous.after_window and not relative:
                raise item.error("an 'after' step cannot follow an 'after_window' step")
            if previous.after_window == relative and after < previous.after:
                raise item.error(
                    "steps must be in time order: this one comes before the previous step"
                )
            if not (previous.status.is_pending or previous.status is st.DELIVERED_TO_OPERATOR):
                raise item.error(
                    f"{previous.status.name} is final: no step can follow it "
                    "(only pending statuses and DELIVERED_TO_OPERATOR can)"
                )
        steps.append(StepSpec(after, code, error, relative))
    first = steps[0]
    if not (first.status.is_pending and first.after == 0 and not first.after_window):
        # At its send time a message is PENDING_ENROUTE, as on the real gateway.
        steps.insert(0, StepSpec(0, st.PENDING_ENROUTE, st.NO_ERROR))
    return TimelineSpec.of(tuple(steps))


def _choices(node: Node, has_window_end: bool) -> tuple[Choice, ...]:
    items = node.items()
    if len(items) < 2:
        raise node.error("weighted 'outcomes' need at least two entries")
    out = []
    for item in items:
        entries = item.mapping(CHOICE_KEYS, required=("weight",))
        out.append(
            Choice(values.weight(entries["weight"]), outcome_of(item, entries, has_window_end))
        )
    total = sum(choice.weight for choice in out)
    if abs(total - 100) > 1e-6:
        raise node.error(f"the weights add up to {total:g}%; they must add up to 100%")
    return tuple(out)
