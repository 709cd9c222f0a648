"""One simulator instance: configuration, clock, schedule, engine and gateway, wired together.

The HTTP app, the control plane, the pytest plugin and the benchmarks all hold one of these.
A scenario (see :class:`ScenarioHook`) may be loaded at start or later; loading one resets
everything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from simulator.clock import VirtualClock, WallClock
from simulator.config import SimulatorConfig
from simulator.engine import Engine
from simulator.faults import FaultPolicy
from simulator.gateway import Gateway, OutcomePolicy
from simulator.journal import RequestJournal
from simulator.schedule import Schedule


class ScenarioHook(Protocol):
    """What a loaded scenario contributes to a simulator."""

    @property
    def name(self) -> str:
        """Read-only, so frozen dataclasses (``simulator.scenario.Scenario``) qualify."""
        ...

    def apply(self, config: SimulatorConfig) -> SimulatorConfig:
        """The configuration with the scenario's start, seed, credentials and defaults."""
        ...

    def policy(self, config: SimulatorConfig) -> OutcomePolicy:
        """What becomes of each message (rules, timelines, weighted outcomes)."""
        ...

    def faults(self) -> FaultPolicy | None: ...

    def on_reset(self, simulator: Simulator) -> None:
        """Called after every reset (and after loading): schedule scripted inbound messages."""
        ...


class Simulator:
    def __init__(
        self,
        config: SimulatorConfig | None = None,
        *,
        wall: WallClock | None = None,
        policy: OutcomePolicy | None = None,
        scenario: ScenarioHook | None = None,
    ) -> None:
        self.base_config = config or SimulatorConfig()
        self.scenario = scenario
        self.config = scenario.apply(self.base_config) if scenario else self.base_config
        self.clock = VirtualClock(
            self.config.start, mode=self.config.clock_mode, rate=self.config.rate, wall=wall
        )
        self.schedule = Schedule()
        self.engine = Engine(self.clock, self.schedule)
        if policy is None and scenario is not None:
            policy = scenario.policy(self.config)
        self.gateway = Gateway(self.config, self.engine, policy)
        self.faults: FaultPolicy | None = scenario.faults() if scenario else None
        self.requests = RequestJournal(self.config.journal_limit)
        self.reset_hooks: list[Callable[[], None]] = [self.requests.clear]
        """Called on every reset (the webhook dispatcher clears its journal)."""
        if scenario is not None:
            scenario.on_reset(self)

    def reset(self) -> None:
        """Everything back to the start: clock at its start instant, no messages, seed anew."""
        self.schedule.clear()
        self.clock.reset()
        self.clock.set_mode(self.config.clock_mode, self.config.rate)
        self.engine.failures.clear()
        self.gateway.reset()
        if self.faults is not None:
            self.faults.reset()
        for hook in self.reset_hooks:
            hook()
        if self.scenario is not None:
            self.scenario.on_reset(self)

    def load(self, scenario: ScenarioHook | None) -> None:
        """Switch to another scenario (None: the built-in default); everything resets."""
        self.scenario = scenario
        self.config = scenario.apply(self.base_config) if scenario else self.base_config
        self.gateway.config = self.config
        self.gateway.policy = (
            scenario.policy(self.config) if scenario else OutcomePolicy(self.config)
        )
        self.faults = scenario.faults() if scenario else None
        if self.config.start is not None:
            self.clock.start = self.config.start
        self.reset()
