"""The gateway fixtures' helpers, run with pytester: clock control, ``wait_for``, inspection
records and filters, and the assertions' failure messages (nearest misses)."""

from __future__ import annotations

import sys
from typing import get_type_hints

import pytest
from pytester_support import prepare, run

from simulator.testing import (
    AsyncSmsGateway,
    MessageRecord,
    ScenarioFactory,
    SmsGateway,
    StatusChange,
)

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _inner(pytester: pytest.Pytester) -> None:
    prepare(pytester)


def test_clock_control(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from datetime import datetime, timezone
        from helpers import send
        from simulator.timefmt import parse_instant

        START = parse_instant("2026-01-01T09:00:00Z")

        def test_moves(sms_gateway):
            assert sms_gateway.now() == START
            assert sms_gateway.advance("90s") == 0
            assert sms_gateway.now() == START + 90_000
            sms_gateway.advance_to("2026-01-01T09:05:00Z")
            sms_gateway.advance_to(datetime(2026, 1, 1, 9, 6, tzinfo=timezone.utc))
            sms_gateway.advance_to(START + 7 * 60_000)
            assert sms_gateway.now_datetime().minute == 7
            assert sms_gateway.advance_to_next_event() is None
            send(sms_gateway)
            assert sms_gateway.next_event_at().second == 3
            assert sms_gateway.advance_to_next_event() == START + 7 * 60_000 + 3_000
            assert sms_gateway.message().status == "DELIVERED_TO_HANDSET"
            send(sms_gateway, to="41793026728")
            assert sms_gateway.run_until_idle() >= 1
            assert sms_gateway.message(to="41793026728").status == "DELIVERED_TO_HANDSET"
            assert sms_gateway.next_event_at() is None

        def test_never_backwards(sms_gateway):
            sms_gateway.advance("1h")
            sms_gateway.advance_to("2026-01-01T09:00:00Z")
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*ClockError: the clock cannot go backwards*"])


def test_wait_for_and_wait_until(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from helpers import send

        def test_waits_event_by_event(sms_gateway):
            send(sms_gateway)
            found = sms_gateway.wait_for(status="DELIVERED", to="41793026727")
            assert found.status == "DELIVERED_TO_HANDSET"
            assert sms_gateway.now_datetime().second == 3  # stopped at the event, not later
            assert sms_gateway.wait_for("PENDING_ENROUTE").to == "41793026727"  # in timeline

        def test_bulk_and_timeout(sms_gateway):
            bulk = send(sms_gateway)["bulkId"]
            assert sms_gateway.wait_for("DELIVERED", bulk_id=bulk, timeout="5s").bulk_id == bulk

        def test_wait_until(sms_gateway):
            send(sms_gateway)
            sms_gateway.wait_until(lambda: sms_gateway.pushed_reports(), what="a report")
            with pytest.raises(AssertionError, match="for nothing; it did not happen"):
                sms_gateway.wait_until(lambda: False, timeout="1m", what="nothing")
            assert sms_gateway.now_datetime().minute == 1

        @pytest.mark.sms_scenario("absent_subscriber")
        def test_gives_up_with_an_explanation(sms_gateway):
            send(sms_gateway)
            send(sms_gateway, to="41793026728")
            sms_gateway.wait_for(status="DELIVERED", to="41793026727", timeout="10m")

        def test_gives_up_at_the_deadline(sms_gateway):
            send(sms_gateway, to="41793026728")
            try:
                sms_gateway.wait_for(status="DELIVERED", to="41793026727", timeout="15m")
            finally:
                assert sms_gateway.now_datetime().minute == 15

        def test_unknown_status(sms_gateway):
            sms_gateway.wait_for(status="DELIVERD")
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=3, failed=3)
    result.stdout.fnmatch_lines(
        [
            "E * AssertionError: waited 10m of virtual time (until 2026-01-01T09:10:00.000+0000) "
            "for a message to 41793026727 to reach DELIVERED; it did not: saw 1 message",
            "E *   41793026727: PENDING_ACCEPTED → PENDING_ENROUTE → UNDELIVERABLE_NOT_DELIVERED "
            "(EC_ABSENT_SUBSCRIBER) (final)",
            "E *   nothing was left on the schedule: no event could have changed that",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "E *waited 15m of virtual time*for a message to 41793026727 to reach DELIVERED; it "
            "did not: no such message was sent",
            "E *DELIVERED was reached by other numbers: 41793026728",
        ]
    )
    result.stdout.fnmatch_lines(["E *ValueError: unknown SMS status or status group 'DELIVERD'*"])


def test_inspection_records_and_filters(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import dataclasses
        import pytest
        from datetime import timedelta
        from helpers import send
        from simulator.testing import MessageRecord, ReportRecord, WebhookRecord, InboundRecord

        def test_messages(sms_gateway):
            send(sms_gateway, text="one")
            send(sms_gateway, to="41793026728", text="two", sender="MyApp")
            sms_gateway.advance("5s")
            every = sms_gateway.messages()
            assert [m.text for m in every] == ["one", "two"]
            assert all(isinstance(m, MessageRecord) for m in every)
            with pytest.raises(dataclasses.FrozenInstanceError):
                every[0].status = "x"
            assert [m.text for m in sms_gateway.messages(to="41793026728")] == ["two"]
            assert [m.to for m in sms_gateway.messages(sender="MyApp")] == ["41793026728"]
            assert len(sms_gateway.messages(status="DELIVERED")) == 2
            assert sms_gateway.messages(status="PENDING") == []
            assert [m.text for m in sms_gateway.messages(contains="tw")] == ["two"]
            one = sms_gateway.message(text="one")
            assert one.statuses == ("PENDING_ACCEPTED", "PENDING_ENROUTE", "DELIVERED_TO_HANDSET")
            assert one.done_at - one.sent_at == timedelta(seconds=3)
            assert one.reached("PENDING") and not one.reached("EXPIRED")
            assert sms_gateway.messages(bulk_id=one.bulk_id) == [one]
            with pytest.raises(AssertionError, match="expected exactly one message .any.; saw 2"):
                sms_gateway.message()

        def test_reports_webhooks_and_attempts(sms_gateway):
            send(sms_gateway, webhooks={"delivery": {"url": "http://127.0.0.1:9/nobody"}})
            send(sms_gateway, to="41793026728")
            sms_gateway.advance("5s")
            (ours,) = sms_gateway.webhooks(url=sms_gateway.webhook_url)
            assert ours.state == "delivered" and ours.attempts[0].ok
            assert ours.kind == "delivery-report" and ours.results[0]["to"] == "41793026728"
            (failing,) = sms_gateway.webhooks(state="retrying")
            assert isinstance(failing, WebhookRecord)
            assert failing.attempts[0].http_status is None and failing.attempts[0].error
            assert failing.next_attempt_at is not None
            sms_gateway.advance("3m")  # the first retry comes 2 minutes after the failure
            (failing,) = sms_gateway.webhooks(message_id=failing.message_ids[0])
            assert [a.number for a in failing.attempts] == [1, 2]
            reports = sms_gateway.pushed_reports()
            assert {r.to for r in reports} == {"41793026727", "41793026728"}
            assert all(isinstance(r, ReportRecord) for r in reports)
            (report,) = sms_gateway.pushed_reports(to="41793026728", status="DELIVERED_TO_HANDSET")
            assert (report.price, report.currency, report.push_state) == (0.01, "EUR", "delivered")

        def test_inbound_and_requests(sms_gateway):
            found = sms_gateway.inject_inbound(sender="41793026727", text="STOP now")
            assert isinstance(found, InboundRecord) and found.keyword == "STOP"
            later = sms_gateway.inject_inbound(
                sender="41793026728", to="447860064555", text="HELP", at="2026-01-01T09:05:00Z"
            )
            assert [m.text for m in sms_gateway.inbound()] == ["STOP now"]
            sms_gateway.advance("5m")
            assert [m.sender for m in sms_gateway.inbound(keyword="help")] == ["41793026728"]
            assert sms_gateway.inbound(to="447860064555")[0].message_id == later.message_id
            pushed = sms_gateway.webhooks(kind="inbound", url=sms_gateway.inbound_webhook_url)
            assert [p.state for p in pushed] == ["delivered", "delivered"]
            assert len(sms_gateway.receiver.received("/inbound")) == 2
            send(sms_gateway)
            (request,) = sms_gateway.requests(method="post", path="/sms/3/messages")
            assert request.status == 200 and str(request).startswith("POST /sms/3/messages")
        """
    )
    run(pytester).assert_outcomes(passed=3)


def test_assertion_messages_show_the_nearest_misses(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        import requests
        from helpers import send

        EXPIRING = {"version": 1, "rules": [{"match": {"to": "41793026727"}, "never": True}]}

        @pytest.mark.sms_scenario(EXPIRING)
        def test_same_number_other_status(sms_gateway):
            send(sms_gateway, options={"validityPeriod": {"amount": 1, "timeUnit": "MINUTES"}},
                 webhooks={"delivery": {"intermediateReport": True}})
            sms_gateway.advance("2m")
            sms_gateway.assert_delivered_report_pushed(to="41793026727", status="DELIVERED")

        def test_same_status_other_number(sms_gateway):
            send(sms_gateway, to="41793026728")
            sms_gateway.advance("5s")
            sms_gateway.assert_delivered_report_pushed(to="41793026727", status="DELIVERED")

        def test_still_pending(sms_gateway):
            send(sms_gateway)
            sms_gateway.assert_delivered_report_pushed(to="41793026727")

        def test_no_report_url(sms_gateway):
            send(sms_gateway, webhooks={"delivery": {"notify": False}})
            sms_gateway.advance("5s")
            sms_gateway.assert_delivered_report_pushed(to="41793026727")

        def test_refused_requests(sms_gateway):
            requests.post(f"{sms_gateway.url}/sms/3/messages", json={}, timeout=10)
            sms_gateway.assert_delivered_report_pushed(to="41793026727")

        def test_same_text_other_number(sms_gateway):
            send(sms_gateway, text="Your code is 9999")
            send(sms_gateway, to="41793026728", text="Your code is 1234")
            sms_gateway.assert_message_sent(to="41793026727", text="Your code is 1234")

        def test_nothing_sent(sms_gateway):
            sms_gateway.assert_message_sent(to="41793026727", contains="code")

        def test_no_message(sms_gateway):
            send(sms_gateway, text="Hello")
            sms_gateway.assert_no_message_sent(to="41793026727")

        def test_no_report(sms_gateway):
            send(sms_gateway)
            sms_gateway.advance("5s")
            sms_gateway.assert_no_report_pushed(status="DELIVERED")

        def test_passing(sms_gateway):
            send(sms_gateway, text="Your code is 1234")
            sms_gateway.advance("5s")
            found = sms_gateway.assert_message_sent(to="41793026727", contains="1234",
                                                    status="DELIVERED")
            assert found.text == "Your code is 1234"
            report = sms_gateway.assert_delivered_report_pushed(
                to="41793026727", status="DELIVERED_TO_HANDSET", message_id=found.message_id)
            assert report.bulk_id == found.bulk_id
            sms_gateway.assert_no_message_sent(to="41793026728")
            sms_gateway.assert_no_report_pushed(status="UNDELIVERABLE")
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=1, failed=9)
    lines = [
        [
            "E *AssertionError: expected a DELIVERED report for 41793026727; saw 2 reports for "
            "that number: PENDING_ENROUTE, EXPIRED_EXPIRED",
            "E *  41793026727: PENDING_ENROUTE at 09:00:00, pushed to http://127.0.0.1:*/reports",
            "E *  41793026727: EXPIRED_EXPIRED (EC_VALIDITY_EXPIRED) at 09:01:00, pushed to *",
        ],
        [
            "E *AssertionError: expected a DELIVERED report for 41793026727; saw no report for "
            "that number; saw a DELIVERED report for another number: 41793026728",
            "E *  no message was sent to that number; messages went to 41793026728",
        ],
        [
            "E *expected a delivery report for 41793026727; saw no report at all",
            "E *  1 message to that number still pending: PENDING_ENROUTE (not final yet); "
            "advance the clock further?",
        ],
        [
            "E *expected a delivery report for 41793026727; saw no report at all",
            "E *  1 message to that number ended DELIVERED_TO_HANDSET but no report was pushed:*",
        ],
        [
            "E *expected a delivery report for 41793026727; saw no report at all",
            "E *  no message was sent at all",
            "E *  the simulator refused 1 request: POST /sms/3/messages -> 401",
        ],
        [
            "E *AssertionError: expected a message to 41793026727 with text 'Your code is 1234'; "
            "saw 1 message to that number: 'Your code is 9999' (PENDING_ENROUTE); saw that text "
            "sent to another number: 41793026728",
        ],
        ["E *expected a message to 41793026727 containing 'code'; no message was sent at all"],
        [
            "E *expected no message to 41793026727; saw 1 message: 'Hello' (PENDING_ENROUTE) to "
            "41793026727 at 09:00:00",
        ],
        [
            "E *expected no DELIVERED report; saw 1 report: DELIVERED_TO_HANDSET for 41793026727 "
            "at 09:00:03",
        ],
    ]
    for expected in lines:
        result.stdout.fnmatch_lines(expected)


def test_assertion_helpers_are_rewritten_and_hide_their_frames(pytester: pytest.Pytester) -> None:
    for name in ("simulator.testing.assertions", "simulator.testing.inspection"):
        assert "@py_builtins" in vars(sys.modules[name]), f"{name} was not assertion-rewritten"
    pytester.makepyfile(
        """
        def test_fails(sms_gateway):
            sms_gateway.assert_message_sent(to="41793026727")
        """
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    assert "assertions.py" not in result.stdout.str()  # __tracebackhide__: the test line shows
    assert "inspection.py" not in result.stdout.str()
    result.stdout.fnmatch_lines(['>       sms_gateway.assert_message_sent(to="41793026727")'])


def test_public_types_are_annotated() -> None:
    hints = get_type_hints(SmsGateway.wait_for)
    assert hints["return"] is MessageRecord
    assert get_type_hints(ScenarioFactory.__call__)["source"] is not None
    assert "advance" in vars(AsyncSmsGateway)
    assert get_type_hints(StatusChange)["status"] is str
