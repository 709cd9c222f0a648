"""Per-account state: messages, bulks, report and inbound queues.

With tenant isolation off (the default) every caller shares one account, ``"default"``.
With it on, each API key has its own, as separate Infobip accounts would.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from simulator.models import Bulk, InboundMessage, Message, Report

DEFAULT_ACCOUNT = "default"


@dataclass(slots=True, eq=False)
class Account:
    key: str
    messages: list[Message] = field(default_factory=list)
    """In submission order (logs read it newest first)."""
    by_id: dict[str, Message] = field(default_factory=dict)
    bulks: dict[str, Bulk] = field(default_factory=dict)
    reports: dict[Message | Report, int] = field(default_factory=dict)
    """Reports not yet pulled, in the order they were made, each with its seq. A final report
    is queued as the message itself (its final status never changes; memory), any other as
    a Report."""
    inbox: deque[InboundMessage] = field(default_factory=deque)
    """Inbound messages not yet pulled."""
    inbound: list[InboundMessage] = field(default_factory=list)
    """Every inbound message received (the journal)."""
