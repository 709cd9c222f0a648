"""The objects the gateway fixtures give a test: :class:`SmsGateway` (synchronous) and
:class:`AsyncSmsGateway` (awaitable clock moves, for tests in their own event loop).

Both have the same inspection and assertion methods (synchronous in both: they only read,
see :class:`simulator.testing.inspection.GatewayBase`), the same attributes (``url``,
``api_key``, ``webhook_url``, ...) and the same clock control; only clock moves, resets,
scenario loading and inbound injection are awaitable on the async one. Every clock move waits
for the webhook pushes it causes before it returns.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from simulator.core import ScenarioHook
from simulator.testing.backends import AsyncControl, SyncControl
from simulator.testing.inspection import (
    DEFAULT_TIMEOUT,
    Duration,
    GatewayBase,
    Instant,
    to_millis,
)
from simulator.testing.records import InboundRecord, MessageRecord, check_status
from simulator.testing.scenarios import ScenarioSource
from simulator.timefmt import Millis, format_duration, format_instant, parse_duration

T = TypeVar("T")


class SmsGateway(GatewayBase):
    """The ``sms_gateway`` fixture: a simulator for synchronous tests."""

    def __init__(self, *, control: SyncControl, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._control = control

    # -- clock -------------------------------------------------------------------------------
    def advance(self, by: Duration) -> int:
        """Advance virtual time (``"10m"``, ``"PT1H"``, seconds) and fire everything that falls
        due, webhook pushes included; returns how many events fired."""
        fired = self._control.advance(parse_duration(by))
        self._moved()
        return fired

    def advance_to(self, instant: Instant) -> int:
        fired = self._control.advance_to(to_millis(instant))
        self._moved()
        return fired

    def advance_to_next_event(self) -> Millis | None:
        """Jump to the next scheduled event and fire it; None when nothing is scheduled."""
        moved = self._control.advance_to_next()
        self._moved()
        return moved

    def run_until_idle(self) -> int:
        """Fire events until none is left (validity periods included: up to 48 h ahead)."""
        fired = self._control.run_until_idle()
        self._moved()
        return fired

    def _wait(self, check: Callable[[], T | None], deadline: Millis) -> tuple[T | None, bool]:
        while True:
            found = check()
            if found is not None:
                return found, False
            state = self._inspector.clock()
            if state.next_event is None or state.next_event > deadline:
                if state.now < deadline:
                    self.advance_to(deadline)
                return check(), state.next_event is None
            self.advance_to(max(state.next_event, state.now))

    def wait_for(
        self,
        status: str | None = None,
        *,
        to: str | None = None,
        bulk_id: str | None = None,
        message_id: str | None = None,
        timeout: Duration = DEFAULT_TIMEOUT,
    ) -> MessageRecord:
        """Advance virtual time event by event until a message matching ``to`` / ``bulk_id``
        / ``message_id`` has reached ``status`` (a name or a group, anywhere in its timeline),
        and return it; fail with an explanation once ``timeout`` of virtual time has passed
        (the clock is then at the deadline)."""
        __tracebackhide__ = True
        if status is not None:
            status = check_status(status)
        span = parse_duration(timeout)
        deadline = self.now() + span
        check = self._message_check(status, to, bulk_id, message_id)
        found, idle = self._wait(check, deadline)
        if found is None:
            raise self._wait_failed(status, to, bulk_id, message_id, span, deadline, idle)
        return found

    def wait_until(
        self,
        condition: Callable[[], object],
        *,
        timeout: Duration = DEFAULT_TIMEOUT,
        what: str = "the condition",
    ) -> None:
        """Advance event by event until ``condition()`` is truthy, or fail at the deadline."""
        __tracebackhide__ = True
        span = parse_duration(timeout)
        deadline = self.now() + span
        found, _ = self._wait(lambda: True if condition() else None, deadline)
        if found is None:
            raise AssertionError(
                f"waited {format_duration(span)} of virtual time (until "
                f"{format_instant(deadline)}) for {what}; it did not happen"
            )

    # -- state -------------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to this test's start: clock, messages, journals (the scenario stays)."""
        self._control.reset()
        self.receiver.clear()
        self._moved()

    def load_scenario(self, source: ScenarioSource, **overrides: Any) -> ScenarioHook | None:
        """Load a scenario (a name, a path, YAML text or a mapping; None: the built-in
        behaviour), with ``overrides`` of its top-level keys; everything resets."""
        plan = self._plan_for(source, overrides)
        self._control.load(plan)
        self.scenario = plan.local()
        self.receiver.clear()
        self._moved()
        return self.scenario

    def inject_inbound(
        self,
        *,
        sender: str,
        text: str,
        to: str = "InfoSMS",
        at: Instant | None = None,
        message_id: str | None = None,
    ) -> InboundRecord:
        """An inbound (MO) message from ``sender``, now or at a future ``at``; pushed to the
        default inbound URL (the built-in receiver) when it arrives."""
        body = inbound_body(sender, text, to, at, message_id)
        return InboundRecord.from_json(self._control.inject_inbound(body))


class AsyncSmsGateway(GatewayBase):
    """The ``sms_gateway_async`` fixture: a simulator in the test's own event loop. Clock
    moves, resets, scenario loading and injection are awaitable; reading is not."""

    def __init__(self, *, control: AsyncControl, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._control = control

    async def _after(self, move: Awaitable[T]) -> T:
        result = await move
        self._moved()
        return result

    async def advance(self, by: Duration) -> int:
        return await self._after(self._control.advance(parse_duration(by)))

    async def advance_to(self, instant: Instant) -> int:
        return await self._after(self._control.advance_to(to_millis(instant)))

    async def advance_to_next_event(self) -> Millis | None:
        return await self._after(self._control.advance_to_next())

    async def run_until_idle(self) -> int:
        return await self._after(self._control.run_until_idle())

    async def _wait(self, check: Callable[[], T | None], deadline: Millis) -> tuple[T | None, bool]:
        while True:
            found = check()
            if found is not None:
                return found, False
            state = self._inspector.clock()
            if state.next_event is None or state.next_event > deadline:
                if state.now < deadline:
                    await self.advance_to(deadline)
                return check(), state.next_event is None
            await self.advance_to(max(state.next_event, state.now))

    async def wait_for(
        self,
        status: str | None = None,
        *,
        to: str | None = None,
        bulk_id: str | None = None,
        message_id: str | None = None,
        timeout: Duration = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - virtual time, not real time
    ) -> MessageRecord:
        """As :meth:`SmsGateway.wait_for`."""
        __tracebackhide__ = True
        if status is not None:
            status = check_status(status)
        span = parse_duration(timeout)
        deadline = self.now() + span
        check = self._message_check(status, to, bulk_id, message_id)
        found, idle = await self._wait(check, deadline)
        if found is None:
            raise self._wait_failed(status, to, bulk_id, message_id, span, deadline, idle)
        return found

    async def wait_until(
        self,
        condition: Callable[[], object],
        *,
        timeout: Duration = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - virtual time, not real time
        what: str = "the condition",
    ) -> None:
        __tracebackhide__ = True
        span = parse_duration(timeout)
        deadline = self.now() + span
        found, _ = await self._wait(lambda: True if condition() else None, deadline)
        if found is None:
            raise AssertionError(
                f"waited {format_duration(span)} of virtual time (until "
                f"{format_instant(deadline)}) for {what}; it did not happen"
            )

    async def reset(self) -> None:
        await self._control.reset()
        self.receiver.clear()
        self._moved()

    async def load_scenario(self, source: ScenarioSource, **overrides: Any) -> ScenarioHook | None:
        plan = self._plan_for(source, overrides)
        await self._control.load(plan)
        self.scenario = plan.local()
        self.receiver.clear()
        self._moved()
        return self.scenario

    async def inject_inbound(
        self,
        *,
        sender: str,
        text: str,
        to: str = "InfoSMS",
        at: Instant | None = None,
        message_id: str | None = None,
    ) -> InboundRecord:
        body = inbound_body(sender, text, to, at, message_id)
        return InboundRecord.from_json(await self._control.inject_inbound(body))


def inbound_body(
    sender: str, text: str, to: str, at: Instant | None, message_id: str | None
) -> dict[str, Any]:
    body: dict[str, Any] = {"from": sender, "to": to, "text": text}
    if at is not None:
        body["at"] = format_instant(to_millis(at))
    if message_id is not None:
        body["messageId"] = message_id
    return body


AnyGateway = SmsGateway | AsyncSmsGateway
