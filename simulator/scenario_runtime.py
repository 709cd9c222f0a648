"""A loaded scenario at work inside one simulator: outcome rules, faults, inbound scripts.

Each simulator gets its own objects (made by :class:`~simulator.scenario.Scenario`'s hook
methods), so one scenario can serve several simulators. Every random draw comes from a
generator seeded from the simulator's seed and kept apart from the gateway's id generator:
outcomes, faults and ids are each deterministic on their own, and adding a request to one
does not shift the others.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from typing import TYPE_CHECKING

from simulator.config import SimulatorConfig
from simulator.faults import FaultDecision
from simulator.gateway import OutcomePolicy
from simulator.models import Message, Rejection, Timeline
from simulator.scenario_model import FaultRule, InboundScript, OutcomeSpec, Rule, TimelineSpec
from simulator.timefmt import SECOND, Millis

if TYPE_CHECKING:
    from simulator.core import Simulator

DEFAULT_REPLY_TO = "InfoSMS"
"""Where a scripted reply goes when the outbound message had no sender."""


def seeded(purpose: str, seed: int) -> random.Random:
    """A generator for one purpose (string seeds are hashed with SHA-512: stable across runs
    and independent of ``PYTHONHASHSEED``)."""
    return random.Random(f"sms-sim {purpose} {seed}")


class ScenarioPolicy(OutcomePolicy):
    """The scenario's ``rules``, in order: the first that matches decides. Messages no rule
    matches get the default timeline (``PENDING_ENROUTE``, then ``DELIVERED_TO_HANDSET``
    after ``delivery_delay``)."""

    def __init__(self, config: SimulatorConfig, rules: tuple[Rule, ...]) -> None:
        super().__init__(config)
        self.rules = rules
        self.seed = config.seed
        self.origin: Millis = config.start or 0
        """The clock's start: ``"+5m"`` in a ``during`` window counts from here."""
        self.rng = seeded("outcomes", self.seed)
        self.matched: dict[int, int] = {}
        """Message seq -> index of the rule that decided it (for inspection)."""

    def reset(self, origin: Millis, seed: int | None = None) -> None:
        self.origin = origin
        if seed is not None:
            self.seed = seed
        self.rng = seeded("outcomes", self.seed)
        self.matched.clear()

    def forget(self, messages: Iterable[Message]) -> None:
        for message in messages:
            self.matched.pop(message.seq, None)

    def rule_for(self, message: Message) -> Rule | None:
        for rule in self.rules:
            if rule.match.matches(message, self.origin):
                return rule
        return None

    def outcome(self, message: Message) -> Timeline | Rejection:
        rule = self.rule_for(message)
        if rule is None:
            return self.default
        self.matched[message.seq] = rule.index
        if rule.mcc_mnc is not None:
            message.mcc_mnc = rule.mcc_mnc
        if rule.price is not None:
            message.price = round(rule.price * message.template.sms_count, 6)
        spec = rule.outcome
        if rule.choices:
            spec = self._draw(rule)
        if spec is None:
            return self.default
        return self._resolve(rule, spec, message)

    def _draw(self, rule: Rule) -> OutcomeSpec:
        point = self.rng.random() * 100
        for choice in rule.choices:
            point -= choice.weight
            if point < 0:
                return choice.outcome
        return rule.choices[-1].outcome  # rounding: the weights add up to 100

    def _resolve(self, rule: Rule, spec: OutcomeSpec, message: Message) -> Timeline | Rejection:
        if isinstance(spec, Rejection):
            return spec
        assert isinstance(spec, TimelineSpec)
        during = rule.match.during
        end = None if during is None else during.end(self.origin)
        return spec.resolve(message.send_at, end)


class ScenarioFaults:
    """The scenario's ``faults`` (a :class:`simulator.faults.FaultPolicy`).

    Every fault whose endpoint, method and window select a request is evaluated, in order,
    each keeping its own counter: the first that fires with a ``status`` answers the request,
    and the latencies of all that fire add up. ``every: N`` fires on the Nth, 2Nth, ...
    request it selects; ``rate_limit`` lets ``amount`` requests through per fixed period
    (counted from the clock's start) and fires on the rest; ``probability`` draws from a
    seeded generator.
    """

    def __init__(self, rules: tuple[FaultRule, ...], seed: int = 0, origin: Millis = 0) -> None:
        self.rules = rules
        self.seed = seed
        self.origin = origin
        self.reset()

    def bind(self, origin: Millis, seed: int) -> None:
        """Take the simulator's start and seed (called on every reset), then reset."""
        self.origin = origin
        self.seed = seed
        self.reset()

    def reset(self) -> None:
        self.rng = seeded("faults", self.seed)
        self.counts = [0] * len(self.rules)
        self.periods: list[int | None] = [None] * len(self.rules)
        self.fired = [0] * len(self.rules)

    def decide(self, method: str, path: str, now: Millis) -> FaultDecision | None:
        status: int | None = None
        retry_after: int | None = None
        latency = 0.0
        for position, rule in enumerate(self.rules):
            if not rule.selects(method, path):
                continue
            if rule.window is not None and not rule.window.contains(now, self.origin):
                continue
            wait = self._fires(position, rule, now)
            if wait is None:
                continue
            self.fired[position] += 1
            latency += rule.latency
            if status is None and rule.status is not None:
                status = rule.status
                retry_after = rule.retry_after
                if retry_after is None and status == 429:
                    retry_after = wait
        if status is None and latency == 0:
            return None
        return FaultDecision(status=status, latency=latency, retry_after=retry_after)

    def _fires(self, position: int, rule: FaultRule, now: Millis) -> int | None:
        """None when the rule does not fire for this request, else the seconds a client
        should wait before retrying (for ``Retry-After``)."""
        if rule.every is not None:
            self.counts[position] += 1
            if self.counts[position] % rule.every:
                return None
        elif rule.rate_limit is not None:
            limit = rule.rate_limit
            period = (now - self.origin) // limit.per
            if self.periods[position] != period:
                self.periods[position] = period
                self.counts[position] = 0
            if self.counts[position] < limit.amount:
                self.counts[position] += 1
                return None
            next_period = self.origin + (period + 1) * limit.per
            return max(1, math.ceil((next_period - now) / SECOND))
        elif rule.probability is not None and self.rng.random() >= rule.probability:
            return None
        if rule.window is not None and (end := rule.window.end(self.origin)) is not None:
            return max(1, math.ceil((end - now) / SECOND))
        return 1


class InboundDriver:
    """Schedules a scenario's scripted inbound messages in one simulator, and hears its status
    changes for replies ``after_delivery`` (a ``gateway.status_listeners`` entry)."""

    def __init__(
        self, scripts: tuple[InboundScript, ...], simulator: Simulator, owner: object
    ) -> None:
        self.scripts = scripts
        self.simulator = simulator
        self.owner = owner
        """The scenario that made this driver; it falls silent once another is loaded."""
        self.replied: set[tuple[int, int]] = set()
        self.faker: object | None = None
        if any(script.text.uses_faker for script in scripts):
            import faker  # only for scenarios that use it

            fake = faker.Faker()
            fake.seed_instance(simulator.config.seed)
            self.faker = fake

    @property
    def replies(self) -> tuple[InboundScript, ...]:
        return tuple(s for s in self.scripts if s.after_delivery is not None)

    def start(self) -> None:
        """Schedule the messages at fixed times (texts rendered now, in script order)."""
        simulator = self.simulator
        origin = simulator.clock.start
        for script in self.scripts:
            if script.at is None:
                continue
            assert script.sender is not None
            assert script.to is not None
            simulator.gateway.receive_inbound(
                simulator.gateway.account(script.account),
                script.sender,
                script.to,
                script.text.render(self.faker),
                at=script.at.resolve(origin),
            )

    def __call__(self, message: Message, final: bool) -> None:
        simulator = self.simulator
        if simulator.scenario is not self.owner or message.status.group_name != "DELIVERED":
            return
        gateway = simulator.gateway
        for script in self.scripts:
            reply = script.after_delivery
            if reply is None or (script.index, message.seq) in self.replied:
                continue
            if not reply.match.matches(message, simulator.clock.start):
                continue
            self.replied.add((script.index, message.seq))
            account = gateway.account(script.account) if script.account else None
            if account is None:
                account = gateway.accounts[message.account]
            gateway.receive_inbound(
                account,
                script.sender or message.to,
                script.to or message.template.sender or DEFAULT_REPLY_TO,
                script.text.render(self.faker),
                at=simulator.clock.now() + reply.delay,
            )
