"""Simulator settings: one frozen object handed to every part at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.clock import ClockMode
from simulator.timefmt import DAY, HOUR, SECOND, Millis

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
    message_retention: Millis | None = 7 * DAY
    """How long a message (with its timeline and reports), an emptied bulk and an inbound
    message are kept after the message's final status (the inbound message's arrival): a
    sweep on the virtual clock drops older ones from accounts, bulks and indexes, so a
    long-running simulator's memory stays flat. A week by default: well past Infobip's 48 h
    of logs and reports (the Infobip API shows nothing older anyway), so the control plane
    and test inspection still see a test's earlier messages after a multi-day advance.
    ``None`` keeps everything."""
    retention_sweep_every: Millis = HOUR
    """Virtual time between two retention sweeps (each is cheap: it looks only at what
    became old since the previous one)."""
    credentials: tuple[Credential, ...] = ()
    """Empty: any well-formed ``Authorization`` header is accepted."""
    isolate_tenants: bool = False
    """Keep messages, bulks and report queues apart per API key."""
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    default_report_url: str | None = None
    """Where delivery reports go when a message names no URL (the account's subscription)."""
    default_inbound_url: str | None = None
    """Where inbound (MO) messages are pushed, in the ``MO_JSON_2`` shape."""
    webhook_timeout: float = 5.0
    """Real seconds a receiver has to answer a push before the attempt counts as timed out."""
    webhook_max_retries: int = 8
    """Retries after a failed push (1 min + 1 min x n² apart), then the push is marked failed."""
    webhook_batch_size: int = 100
    """Reports per POST when several fall due together (Infobip's default bucket size)."""
    journal_limit: int = 10_000
    """How many requests and webhook attempts the control-plane journal keeps."""
    control_token: str | None = None
    """When set, every ``/__sim/`` request must carry it (``X-Sim-Token`` header, or the
    console's cookie); see :mod:`simulator.control_auth`."""
