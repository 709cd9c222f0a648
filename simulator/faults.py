"""The interface between scripted faults and the HTTP layer.

A :class:`FaultPolicy` (built from a scenario's ``faults``) is asked before every Infobip
request whether to answer with an HTTP error instead, and how much real-time latency to add.
The middleware renders the error in the family's envelope. Latency is real time on purpose:
it exists to test a client's own timeouts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from simulator.errors import InfobipError, ServiceUnavailable, TooManyRequests
from simulator.timefmt import Millis


@dataclass(frozen=True, slots=True)
class FaultDecision:
    status: int | None = None
    """HTTP status to answer with instead of serving (429, 500, 503, ...), or None."""
    latency: float = 0.0
    """Real seconds to wait before answering."""
    retry_after: int | None = None
    """Seconds for a ``Retry-After`` header (429/503)."""


class FaultPolicy(Protocol):
    def decide(self, method: str, path: str, now: Millis) -> FaultDecision | None:
        """Called once per Infobip request, with the route's path (``/sms/3/messages``)."""
        ...

    def reset(self) -> None:
        """Forget counters and windows (the simulator was reset)."""
        ...


class _GenericError(InfobipError):
    pass


def error_for(decision: FaultDecision) -> InfobipError:
    headers = {} if decision.retry_after is None else {"Retry-After": str(decision.retry_after)}
    status = decision.status or 500
    if status == 429:
        return TooManyRequests(headers=headers)
    if status == 503:
        return ServiceUnavailable(headers=headers)
    error = _GenericError(headers=headers)
    error.http_status = status
    return error
