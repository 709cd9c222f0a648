"""Webhooks: the simulator calling the system under test.

Delivery reports go to the message's own URL (``notifyUrl`` on v1/v2, ``webhooks.delivery.url``
on v3) or to the account-wide default, in the body shape of the message's family: v3
``DeliveryReports`` for ``/sms/3/*`` sends, v1 ``SMSReportResponse`` otherwise. Final reports
are always pushed; intermediate ones only when ``intermediateReport`` asked for them; none when
v3 ``notify`` is false. Reports falling due together for one URL are batched, up to
``webhook_batch_size`` (100) per POST. Inbound messages go to the default inbound URL in the
``MO_JSON_2`` shape.

A push that answers non-2xx, times out or cannot connect is retried on the virtual clock,
``1 min + 1 min × n²`` after the n-th failure (Infobip's schedule), up to
``webhook_max_retries`` times; then it is marked failed. Every attempt is recorded.

Pushes run as their own tasks, so a slow receiver never stalls the API. The :class:`Driver`
advances the clock event by event and waits for each push to be attempted before going on,
so when an advance returns, every push that fell due in it has been tried.

Simulator choice: bodies are always JSON (``application/json``), even when
``notifyContentType`` asks for XML.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from simulator.api import render
from simulator.clock import check_instant
from simulator.core import Simulator
from simulator.models import Family, InboundMessage, Message, Report
from simulator.timefmt import MINUTE, Millis, format_instant

log = logging.getLogger("simulator.webhooks")

DELIVERY_REPORT = "delivery-report"
INBOUND = "inbound"
"""The last instant the date-time format can write: advancing past it would break every read."""


def retry_delay(retry: int) -> Millis:
    """Infobip's schedule: the n-th retry comes ``1 min + 1 min × n²`` after the failure.

    >>> [retry_delay(n) // 60000 for n in (1, 2, 3)]
    [2, 5, 10]
    """
    return MINUTE + MINUTE * retry * retry


@dataclass(slots=True)
class Attempt:
    number: int
    at: Millis
    status: int | None = None
    error: str | None = None
    latency_ms: float = 0.0
    response_body: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "at": format_instant(self.at),
            "httpStatus": self.status,
            "error": self.error,
            "latencyMs": round(self.latency_ms, 3),
            "responseBody": self.response_body,
        }


@dataclass(slots=True, eq=False)
class Push:
    """One POST body to one URL, with its attempts."""

    id: int
    kind: str
    account: str
    url: str
    body: bytes
    message_ids: list[str]
    created_at: Millis
    state: str = "pending"
    """pending, retrying, delivered or failed."""
    attempts: list[Attempt] = field(default_factory=list)
    next_attempt_at: Millis | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "account": self.account,
            "url": self.url,
            "state": self.state,
            "messageIds": self.message_ids,
            "createdAt": format_instant(self.created_at),
            "nextAttemptAt": None
            if self.next_attempt_at is None
            else format_instant(self.next_attempt_at),
            "body": json.loads(self.body),
            "attempts": [attempt.to_json() for attempt in self.attempts],
        }


class Dispatcher:
    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator
        self.session: aiohttp.ClientSession | None = None
        self.inflight: set[asyncio.Task[None]] = set()
        self.reset()
        simulator.reset_hooks.append(self.reset)
        simulator.gateway.status_listeners.append(self._on_status)
        simulator.gateway.inbound_listeners.append(self._on_inbound)

    def reset(self) -> None:
        for task in list(getattr(self, "inflight", ())):
            task.cancel()
        self.pushes: deque[Push] = deque(maxlen=self.simulator.config.journal_limit)
        self._next_id = 0
        self._buffers: dict[tuple[str, str, str, Family | None], list[Any]] = {}

    def forget_account(self, key: str) -> None:
        """Forget one tenant's pushes; their pending retries become no-ops."""
        for push in self.pushes:
            if push.account == key and push.state in ("pending", "retrying"):
                push.state = "forgotten"
        self.pushes = deque((p for p in self.pushes if p.account != key), maxlen=self.pushes.maxlen)

    # -- collecting --------------------------------------------------------------------------
    def _on_status(self, message: Message, final: bool) -> None:
        template = message.template
        if not template.notify or not (final or template.intermediate_report):
            return
        url = template.notify_url or self.simulator.config.default_report_url
        if not url:
            return
        report = Report(0, message, message.status, message.error, self.simulator.clock.now())
        self._buffer((DELIVERY_REPORT, message.account, url, template.family), report)

    def _on_inbound(self, message: InboundMessage) -> None:
        url = self.simulator.config.default_inbound_url
        if url:
            self._buffer((INBOUND, message.account, url, None), message)

    def _buffer(self, key: tuple[str, str, str, Family | None], item: object) -> None:
        """Collect what falls due at this instant; one event at the same instant sends it."""
        buffer = self._buffers.get(key)
        if buffer is None:
            buffer = self._buffers[key] = []
            self.simulator.schedule.add(
                self.simulator.clock.now(), self._flush, key, "webhook-batch"
            )
        buffer.append(item)

    def _flush(self, key: tuple[str, str, str, Family | None]) -> None:
        items = self._buffers.pop(key, [])
        kind, account, url, family = key
        size = max(1, self.simulator.config.webhook_batch_size)
        for start in range(0, len(items), size):
            chunk = items[start : start + size]
            if kind == INBOUND:
                body: dict[str, Any] = {
                    "results": [render.inbound(m) for m in chunk],
                    "messageCount": len(chunk),
                    "pendingMessageCount": 0,
                }
                ids = [m.message_id for m in chunk]
            else:
                shape = render.v3_report if family is Family.V3 else render.v1_report
                body = {"results": [shape(r) for r in chunk]}
                ids = [r.message.message_id for r in chunk]
            self._next_id += 1
            push = Push(self._next_id, kind, account, url, render.dumps(body), ids, self._now())
            self.pushes.append(push)
            self._attempt(push)

    def _now(self) -> Millis:
        return self.simulator.clock.now()

    # -- sending -----------------------------------------------------------------------------
    def _attempt(self, push: Push, _payload: object = None) -> None:
        if push.state == "forgotten":  # its tenant was reset
            return
        attempt = Attempt(len(push.attempts) + 1, self._now())
        push.attempts.append(attempt)
        push.next_attempt_at = None
        try:
            task = asyncio.get_running_loop().create_task(self._post(push, attempt))
        except RuntimeError:  # no loop (pure in-process use): the push cannot be made
            self._settle(push, attempt, None, "no event loop to send from")
            return
        self.inflight.add(task)
        task.add_done_callback(self.inflight.discard)

    async def _post(self, push: Push, attempt: Attempt) -> None:
        if self.session is None:
            self._settle(push, attempt, None, "the dispatcher is not running")
            return
        timeout = aiohttp.ClientTimeout(total=self.simulator.config.webhook_timeout)
        started = time.perf_counter()  # real latency, recorded only
        status: int | None = None
        error: str | None = None
        try:
            async with self.session.post(
                push.url,
                data=push.body,
                headers={"Content-Type": "application/json"},
                timeout=timeout,
            ) as response:
                status = response.status
                text = await response.text(errors="replace")
                attempt.response_body = text[:2000]
        except TimeoutError:
            error = "timeout"
        except aiohttp.ClientError as exc:
            error = f"{type(exc).__name__}: {exc}"
        except ValueError as exc:  # e.g. an invalid URL
            error = f"invalid URL: {exc}"
        attempt.latency_ms = (time.perf_counter() - started) * 1000
        self._settle(push, attempt, status, error)

    def _settle(self, push: Push, attempt: Attempt, status: int | None, error: str | None) -> None:
        attempt.status = status
        attempt.error = error
        log.info(
            "push",
            extra={
                "fields": {
                    "push": push.id,
                    "kind": push.kind,
                    "account": push.account,
                    "url": push.url,
                    "attempt": attempt.number,
                    "at": format_instant(attempt.at),
                    "httpStatus": status,
                    "error": error,
                    "latencyMs": round(attempt.latency_ms, 3),
                    "messageIds": push.message_ids,
                }
            },
        )
        if status is not None and 200 <= status < 300:
            push.state = "delivered"
            return
        retries_done = len(push.attempts) - 1
        if retries_done >= self.simulator.config.webhook_max_retries:
            push.state = "failed"
            log.warning("push %s to %s failed after %d attempts", push.id, push.url, attempt.number)
            return
        push.state = "retrying"
        push.next_attempt_at = attempt.at + retry_delay(retries_done + 1)
        self.simulator.schedule.add(
            push.next_attempt_at, self.retry_action(push), None, "webhook-retry"
        )

    def retry_action(self, push: Push) -> Callable[[object], None]:
        """The scheduled action for the next attempt of ``push``."""
        return lambda _: self._attempt(push)

    async def drain(self) -> None:
        """Wait until every push in flight has been attempted."""
        while self.inflight:
            await asyncio.gather(*list(self.inflight), return_exceptions=True)

    async def start(self) -> None:
        self.session = aiohttp.ClientSession()

    async def stop(self) -> None:
        for task in list(self.inflight):
            task.cancel()
        await asyncio.gather(*list(self.inflight), return_exceptions=True)
        if self.session is not None:
            await self.session.close()
            self.session = None


class Driver:
    """Advances the clock and waits for webhook pushes as they fall due."""

    def __init__(self, simulator: Simulator, dispatcher: Dispatcher) -> None:
        self.simulator = simulator
        self.dispatcher = dispatcher

    def _busy(self) -> bool:
        return bool(self.dispatcher.inflight)

    async def _settle(self, target: Millis) -> int:
        engine = self.simulator.engine
        fired = 0
        while True:
            count, paused = engine.step_until(target, self._busy)
            fired += count
            if self._busy():
                await self.dispatcher.drain()
                continue
            if not paused:
                return fired

    async def run_due(self) -> int:
        return await self._settle(self.simulator.clock.now())

    async def advance_to(self, target: Millis) -> int:
        engine = self.simulator.engine
        check_instant(target)
        fired = await self.run_due()
        if target < engine.now():
            engine.advance_to(target)  # raises ClockError
        fired += await self._settle(target)
        return fired + engine.advance_to(target)

    async def advance(self, delta: Millis) -> int:
        engine = self.simulator.engine
        if delta < 0:
            engine.advance(delta)  # raises ClockError
        return await self.advance_to(engine.now() + delta)

    async def advance_to_next(self) -> Millis | None:
        await self.run_due()
        due = self.simulator.schedule.next_due()
        if due is None:
            return None
        await self.advance_to(max(due, self.simulator.clock.now()))
        return self.simulator.clock.now()

    async def run_until_idle(self, max_events: int = 10_000_000) -> int:
        fired = await self.run_due()
        while fired < max_events and (due := self.simulator.schedule.next_due()) is not None:
            fired += await self.advance_to(max(due, self.simulator.clock.now()))
        return fired
