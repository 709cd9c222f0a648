"""What both gateways share: attributes, time reading, inspection, assertions and the
explanations of a failed wait. See :mod:`simulator.testing.gateway` for the gateways."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from simulator.core import ScenarioHook, Simulator
from simulator.testing import assertions
from simulator.testing.backends import Inspector
from simulator.testing.frozen import FrozenTime
from simulator.testing.receiver import WebhookReceiver
from simulator.testing.records import (
    ApiRequest,
    InboundRecord,
    MessageRecord,
    ReportRecord,
    WebhookRecord,
    check_status,
    reports_in,
)
from simulator.testing.scenarios import ScenarioPlan, ScenarioResolver, ScenarioSource
from simulator.timefmt import (
    Millis,
    format_duration,
    format_instant,
    from_datetime,
    parse_instant,
    to_datetime,
)

T = TypeVar("T")
Instant = str | datetime | int
"""An instant: ISO 8601 text, a datetime (naive means UTC) or epoch milliseconds."""
Duration = str | int | float
"""A duration: ``"10m"``, ``"1h30m"``, ``"PT15M"``, or seconds."""
DEFAULT_TIMEOUT = "10m"


def to_millis(instant: Instant) -> Millis:
    if isinstance(instant, datetime):
        return from_datetime(instant)
    if isinstance(instant, str):
        return parse_instant(instant)
    return instant


class Runner(Protocol):
    def __call__(self, function: Callable[[], T], /) -> T: ...


def _direct(function: Callable[[], T], /) -> T:
    return function()


class GatewayBase:
    """What both gateways share: attributes, inspection, assertions."""

    def __init__(
        self,
        *,
        url: str,
        api_key: str,
        inspector: Inspector,
        receiver: WebhookReceiver,
        resolver: ScenarioResolver,
        simulator: Simulator | None = None,
        run: Runner = _direct,
        near: Path | None = None,
    ) -> None:
        self.url = url
        """The base URL to give the system under test (no trailing slash)."""
        self.api_key = api_key
        """An API key the simulator accepts (``Authorization: App <key>``)."""
        self.receiver = receiver
        """The built-in webhook receiver (what it got: ``receiver.received()``)."""
        self.scenario: ScenarioHook | None = None
        """The scenario loaded for this test (None: the built-in behaviour)."""
        self._inspector = inspector
        self._resolver = resolver
        self._simulator = simulator
        self._run = run
        self._near = near
        self._frozen: FrozenTime | None = None

    def __repr__(self) -> str:
        name = "built-in" if self.scenario is None else self.scenario.name
        return f"<{type(self).__name__} {self.url} scenario={name}>"

    @property
    def webhook_url(self) -> str:
        """The built-in receiver's delivery-report URL: the default report URL, so reports
        are pushed there unless a send names its own ``notifyUrl`` / ``webhooks.delivery.url``
        (or the scenario sets ``defaults.report_url``)."""
        return self.receiver.report_url

    @property
    def inbound_webhook_url(self) -> str:
        """The built-in receiver's URL for inbound (MO) messages: the default inbound URL."""
        return self.receiver.inbound_url

    @property
    def remote(self) -> bool:
        """True when running against a standalone simulator (``--sms-sim-url``)."""
        return self._simulator is None

    @property
    def simulator(self) -> Simulator:
        """The in-process simulator (not available against a remote one)."""
        if self._simulator is None:
            raise RuntimeError(
                "the simulator runs in another process (--sms-sim-url): there is no in-process "
                "state; use messages(), pushed_reports(), webhooks() and inbound() instead"
            )
        return self._simulator

    def call(self, function: Callable[[], T]) -> T:
        """Run ``function`` where the in-process simulator lives (its event loop's thread),
        for reading or changing :attr:`simulator` state safely; not available remotely."""
        self.simulator  # noqa: B018 - raises in remote mode
        return self._run(function)

    # -- time -------------------------------------------------------------------------------
    def now(self) -> Millis:
        """The virtual now, in milliseconds since the epoch."""
        return self._inspector.clock().now

    def now_datetime(self) -> datetime:
        """The virtual now as an aware UTC datetime."""
        return to_datetime(self.now())

    def next_event_at(self) -> datetime | None:
        """When the next scheduled event falls due (None: nothing is scheduled)."""
        due = self._inspector.clock().next_event
        return None if due is None else to_datetime(due)

    def freeze_time(self) -> FrozenTime:
        """Make the test process's ``datetime.now()`` / ``time.time()`` follow the virtual
        clock from now on (freezegun; see :mod:`simulator.testing.frozen`). Stop it with
        ``.stop()`` or use it as a context manager; the ``sms_frozen_time`` fixture does both."""
        if self._frozen is None or not self._frozen.active:
            self._frozen = FrozenTime(self.now)
        return self._frozen.start()

    def unfreeze_time(self) -> None:
        """Stop :meth:`freeze_time` (the fixtures do at teardown)."""
        if self._frozen is not None:
            self._frozen.stop()

    def _moved(self) -> None:
        if self._frozen is not None:
            self._frozen.sync()

    def _plan_for(self, source: ScenarioSource, overrides: dict[str, Any]) -> ScenarioPlan:
        return self._resolver.plan(source, overrides, near=self._near)

    # -- inspection --------------------------------------------------------------------------
    def messages(
        self,
        *,
        to: str | None = None,
        status: str | None = None,
        text: str | None = None,
        contains: str | None = None,
        sender: str | None = None,
        bulk_id: str | None = None,
        message_id: str | None = None,
    ) -> list[MessageRecord]:
        """Messages the simulator accepted, oldest first. ``status`` is a status name
        (``DELIVERED_TO_HANDSET``) or group (``DELIVERED``) matched against the current one."""
        if status is not None:
            status = check_status(status)
        every = [MessageRecord.from_json(m) for m in self._inspector.messages()]
        return assertions.select_messages(
            every,
            to=to,
            text=text,
            contains=contains,
            status=status,
            sender=sender,
            bulk_id=bulk_id,
            message_id=message_id,
        )

    def message(self, **criteria: str | None) -> MessageRecord:
        """The one message matching ``criteria`` (as :meth:`messages`); fails otherwise."""
        __tracebackhide__ = True
        found = self.messages(**criteria)
        if len(found) != 1:
            given = ", ".join(f"{k}={v!r}" for k, v in criteria.items() if v is not None)
            seen = assertions.listing([f"{m.to}: {m.status}" for m in found])
            raise AssertionError(
                f"expected exactly one message ({given or 'any'}); saw {len(found)}"
                + (f": {seen}" if found else "")
            )
        return found[0]

    def webhooks(
        self,
        *,
        kind: str | None = None,
        state: str | None = None,
        url: str | None = None,
        message_id: str | None = None,
    ) -> list[WebhookRecord]:
        """Webhook pushes with every attempt, oldest first. ``kind``: ``delivery-report`` or
        ``inbound``; ``state``: ``pending``, ``retrying``, ``delivered`` or ``failed``."""
        pushes = [WebhookRecord.from_json(p) for p in self._inspector.webhooks()]
        return [
            p
            for p in pushes
            if (kind is None or p.kind == kind)
            and (state is None or p.state == state)
            and (url is None or p.url == url)
            and (message_id is None or message_id in p.message_ids)
        ]

    def pushed_reports(
        self,
        *,
        to: str | None = None,
        status: str | None = None,
        message_id: str | None = None,
        bulk_id: str | None = None,
    ) -> list[ReportRecord]:
        """Delivery reports the simulator pushed to webhooks (to any URL), oldest first."""
        if status is not None:
            status = check_status(status)
        every = reports_in(self.webhooks(kind="delivery-report"))
        return assertions.select_reports(
            every, to=to, status=status, message_id=message_id, bulk_id=bulk_id
        )

    def inbound(
        self, *, sender: str | None = None, to: str | None = None, keyword: str | None = None
    ) -> list[InboundRecord]:
        """Inbound (MO) messages received, oldest first."""
        every = [InboundRecord.from_json(m) for m in self._inspector.inbound()]
        return [
            m
            for m in every
            if (sender is None or m.sender == sender)
            and (to is None or m.to == to)
            and (keyword is None or (m.keyword or "").upper() == keyword.upper())
        ]

    def requests(
        self, *, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> list[ApiRequest]:
        """Requests the Infobip surface answered, oldest first."""
        every = [ApiRequest.from_json(r) for r in self._inspector.requests()]
        return [
            r
            for r in every
            if (method is None or r.method == method.upper())
            and (path is None or r.path == path)
            and (status is None or r.status == status)
        ]

    # -- assertions --------------------------------------------------------------------------
    def assert_delivered_report_pushed(
        self,
        *,
        to: str | None = None,
        status: str | None = None,
        message_id: str | None = None,
        bulk_id: str | None = None,
    ) -> ReportRecord:
        """A delivery report matching every given criterion was pushed to a webhook (at least
        attempted); ``status`` is a status name or a group name. Returns the newest such."""
        __tracebackhide__ = True
        return assertions.assert_report_pushed(
            self.pushed_reports(),
            self.messages(),
            self.requests(),
            to=to,
            status=status,
            message_id=message_id,
            bulk_id=bulk_id,
        )

    def assert_no_report_pushed(self, *, to: str | None = None, status: str | None = None) -> None:
        __tracebackhide__ = True
        assertions.assert_no_report_pushed(self.pushed_reports(), to=to, status=status)

    def assert_message_sent(
        self,
        *,
        to: str | None = None,
        text: str | None = None,
        contains: str | None = None,
        status: str | None = None,
        sender: str | None = None,
    ) -> MessageRecord:
        """A message matching every given criterion was accepted; returns the newest such."""
        __tracebackhide__ = True
        return assertions.assert_message_sent(
            self.messages(),
            self.requests(),
            to=to,
            text=text,
            contains=contains,
            status=status,
            sender=sender,
        )

    def assert_no_message_sent(
        self, *, to: str | None = None, text: str | None = None, contains: str | None = None
    ) -> None:
        __tracebackhide__ = True
        assertions.assert_no_message_sent(self.messages(), to=to, text=text, contains=contains)

    # -- waiting (shared parts) --------------------------------------------------------------
    def _message_check(
        self,
        status: str | None,
        to: str | None,
        bulk_id: str | None,
        message_id: str | None,
    ) -> Callable[[], MessageRecord | None]:
        def check() -> MessageRecord | None:
            found = self.messages(to=to, bulk_id=bulk_id, message_id=message_id)
            reached = [m for m in found if status is None or m.reached(status)]
            return reached[-1] if reached else None

        return check

    def _wait_failed(
        self,
        status: str | None,
        to: str | None,
        bulk_id: str | None,
        message_id: str | None,
        timeout: Millis,
        deadline: Millis,
        idle: bool,
    ) -> AssertionError:
        return AssertionError(
            assertions.explain_wait(
                self.messages(),
                status=status,
                to=to,
                bulk_id=bulk_id,
                message_id=message_id,
                waited=format_duration(timeout),
                deadline=format_instant(deadline),
                idle=idle,
            )
        )
