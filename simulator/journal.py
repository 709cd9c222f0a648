"""What the simulator received: a bounded journal of Infobip requests, for the control plane."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from simulator.timefmt import Millis, format_instant

BODY_LIMIT = 64 * 1024


@dataclass(slots=True)
class RequestRecord:
    seq: int
    at: Millis
    account: str | None
    method: str
    path: str
    query: str
    status: int
    raw: bytes
    """The body's first :data:`BODY_LIMIT` bytes, decoded only when read (:attr:`body`)."""
    latency_ms: float

    @property
    def body(self) -> str:
        return self.raw.decode("utf-8", errors="replace")

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": format_instant(self.at),
            "account": self.account,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "body": self.body,
            "latencyMs": round(self.latency_ms, 3),
        }


class RequestJournal:
    def __init__(self, limit: int) -> None:
        self.records: deque[RequestRecord] = deque(maxlen=max(1, limit))
        self._seq = 0

    def clear(self) -> None:
        self.records.clear()
        self._seq = 0

    def record(
        self,
        at: Millis,
        account: str | None,
        method: str,
        path: str,
        query: str,
        status: int,
        body: bytes,
        latency_ms: float,
    ) -> None:
        self._seq += 1
        self.records.append(
            RequestRecord(
                self._seq, at, account, method, path, query, status, body[:BODY_LIMIT], latency_ms
            )
        )
