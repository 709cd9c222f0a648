"""One simulator instance: configuration, clock, schedule, engine and gateway, wired together.

The HTTP app, the control plane, the pytest plugin and the benchmarks all hold one of these.
"""

from __future__ import annotations

from simulator.clock import VirtualClock, WallClock
from simulator.config import SimulatorConfig
from simulator.engine import Engine
from simulator.gateway import Gateway, OutcomePolicy
from simulator.schedule import Schedule


class Simulator:
    def __init__(
        self,
        config: SimulatorConfig | None = None,
        *,
        wall: WallClock | None = None,
        policy: OutcomePolicy | None = None,
    ) -> None:
        self.config = config or SimulatorConfig()
        self.clock = VirtualClock(
            self.config.start, mode=self.config.clock_mode, rate=self.config.rate, wall=wall
        )
        self.schedule = Schedule()
        self.engine = Engine(self.clock, self.schedule)
        self.gateway = Gateway(self.config, self.engine, policy)

    def reset(self) -> None:
        """Everything back to the start: clock at its start instant, no messages, seed anew."""
        self.schedule.clear()
        self.clock.reset()
        self.clock.set_mode(self.config.clock_mode, self.config.rate)
        self.engine.failures.clear()
        self.gateway.reset()
