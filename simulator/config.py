"""Simulator settings: one frozen object handed to every part at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.clock import ClockMode
from simulator.timefmt import HOUR, SECOND, Millis

DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Credential:
    """An accepted ``Authorization`` value: scheme (``App``, ``Basic``, ``IBSSO``, ``Bearer``)
    and the token after it. ``scopes`` empty means every scope."""

    scheme: str
    token: str
    scopes: frozenset[str] = frozenset()
    name: str | None = None


@dataclass(frozen=True, slots=True)
class SimulatorConfig:
    start: Millis | None = None
    """The clock's first instant; None means the wall-clock time at start-up."""
    seed: int = 0
    clock_mode: ClockMode = ClockMode.MANUAL
    rate: float = 1.0
    delivery_delay: Millis = 3 * SECOND
    """Default time from ``PENDING_ENROUTE`` to ``DELIVERED_TO_HANDSET``."""
    price_per_sms: float = 0.01
    """Price of one SMS part; a report's ``pricePerMessage`` is this times the part count."""
    currency: str = "EUR"
    mcc_mnc: str | None = "22801"
    default_validity: Millis = 48 * HOUR
    max_validity: Millis = 48 * HOUR
    max_schedule_ahead: Millis = 180 * 24 * HOUR
    report_retention: Millis = 48 * HOUR
    """Reports and logs older than this are no longer returned (Infobip keeps 48 h)."""
    credentials: tuple[Credential, ...] = ()
    """Empty: any well-formed ``Authorization`` header is accepted."""
    isolate_tenants: bool = False
    """Keep messages, bulks and report queues apart per API key."""
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
