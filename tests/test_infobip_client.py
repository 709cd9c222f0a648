"""The official ``infobip-api-python-client`` (6.0.0), unchanged, against the simulator.

The client is pointed at the simulator by its base URL alone. Every call goes through the
``*_with_http_info`` variant, so each answer is checked twice: the client's strict pydantic
models must accept it (a wrong type or enum value raises), and the parsed model must still hold
every field the simulator sent (the models ignore unknown keys, so a misspelt field would
otherwise vanish without a trace).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pytest
from infobip_api_client.api.sms_api import SmsApi
from infobip_api_client.api_client import ApiClient
from infobip_api_client.api_response import ApiResponse
from infobip_api_client.configuration import Configuration
from infobip_api_client.exceptions import (
    ApiException,
    BadRequestException,
    NotFoundException,
    UnauthorizedException,
)
from infobip_api_client.models.api_error import ApiError
from infobip_api_client.models.api_exception import ApiException as ApiExceptionBody
from infobip_api_client.models.api_request_error_details import ApiRequestErrorDetails
from infobip_api_client.models.message_error_group import MessageErrorGroup
from infobip_api_client.models.message_general_status import MessageGeneralStatus
from infobip_api_client.models.platform import Platform
from infobip_api_client.models.sms_binary_content import SmsBinaryContent
from infobip_api_client.models.sms_bulk_request import SmsBulkRequest
from infobip_api_client.models.sms_bulk_status import SmsBulkStatus
from infobip_api_client.models.sms_delivery_report import SmsDeliveryReport
from infobip_api_client.models.sms_destination import SmsDestination
from infobip_api_client.models.sms_language import SmsLanguage
from infobip_api_client.models.sms_language_code import SmsLanguageCode
from infobip_api_client.models.sms_log import SmsLog
from infobip_api_client.models.sms_message import SmsMessage
from infobip_api_client.models.sms_message_content import SmsMessageContent
from infobip_api_client.models.sms_message_error import SmsMessageError
from infobip_api_client.models.sms_message_options import SmsMessageOptions
from infobip_api_client.models.sms_message_request_options import SmsMessageRequestOptions
from infobip_api_client.models.sms_message_status import SmsMessageStatus
from infobip_api_client.models.sms_preview_request import SmsPreviewRequest
from infobip_api_client.models.sms_request import SmsRequest
from infobip_api_client.models.sms_request_scheduling_settings import (
    SmsRequestSchedulingSettings,
)
from infobip_api_client.models.sms_response import SmsResponse
from infobip_api_client.models.sms_text_content import SmsTextContent
from infobip_api_client.models.sms_update_status_request import SmsUpdateStatusRequest
from infobip_api_client.models.sms_webhooks import SmsWebhooks
from infobip_api_client.models.validity_period import ValidityPeriod
from infobip_api_client.models.validity_period_time_unit import ValidityPeriodTimeUnit

from simulator.testing import ThreadedSimulator
from simulator.timefmt import DAY, HOUR, MINUTE, Millis, from_datetime, parse_instant, to_datetime

T = TypeVar("T")

SPEC = Path(__file__).parent / "data" / "infobip-sms-openapi.json"
TURKISH = (
    "Artık Ulusal Dil Tanımlayıcısı ile Türkçe karakterli smslerinizi rahatlıkla iletebilirsiniz."
)


PENDING_ACCEPTED = SmsMessageStatus(
    groupId=1,
    groupName=MessageGeneralStatus.PENDING,
    id=26,
    name="PENDING_ACCEPTED",
    description="Message sent to next instance",
)
DELIVERED_TO_HANDSET = SmsMessageStatus(
    groupId=3,
    groupName=MessageGeneralStatus.DELIVERED,
    id=5,
    name="DELIVERED_TO_HANDSET",
    description="Message delivered to handset",
)
NO_ERROR = SmsMessageError(
    groupId=0,
    groupName=MessageErrorGroup.OK,
    id=0,
    name="NO_ERROR",
    description="No Error",
    permanent=False,
)


# -- helpers ----------------------------------------------------------------------------------
def the(value: T | None) -> T:
    """``value``, which the client's models type as optional, is present."""
    assert value is not None
    return value


def api_for(
    gateway: ThreadedSimulator, *, host: str | None = None, key: str | None = None
) -> SmsApi:
    configuration = Configuration(
        host=gateway.url if host is None else host,
        api_key=gateway.api_key if key is None else key,
    )
    return SmsApi(ApiClient(configuration))


@pytest.fixture
def api(sms_gateway: ThreadedSimulator) -> SmsApi:
    return api_for(sms_gateway)


def virtual_now(gateway: ThreadedSimulator) -> datetime:
    """The simulator's virtual now as an aware datetime (the wall clock is irrelevant)."""
    return to_datetime(gateway.now())


def assert_kept(raw: object, parsed: object, path: str = "$") -> None:
    """Every key and value the simulator sent survived the client's parsing."""
    if isinstance(raw, dict):
        assert isinstance(parsed, dict), f"{path}: parsed as {parsed!r}"
        for key, value in raw.items():
            assert key in parsed, f"{path}.{key} was dropped by the client's model"
            assert_kept(value, parsed[key], f"{path}.{key}")
    elif isinstance(raw, list):
        assert isinstance(parsed, list), f"{path}: parsed as {parsed!r}"
        assert len(parsed) == len(raw), path
        for index, (item, parsed_item) in enumerate(zip(raw, parsed, strict=True)):
            assert_kept(item, parsed_item, f"{path}[{index}]")
    elif isinstance(parsed, datetime):
        assert isinstance(raw, str), path
        assert parsed.tzinfo is not None, f"{path}: {raw!r} parsed as a naive datetime"
        assert from_datetime(parsed) == parse_instant(raw), path
    else:
        assert parsed == raw, f"{path}: sent {raw!r}, parsed {parsed!r}"
        assert isinstance(raw, bool) == isinstance(parsed, bool), path


def ok(response: ApiResponse[T]) -> T:
    """The parsed body of a 200 JSON answer that the client's models fully represent."""
    assert response.status_code == 200
    headers = {k.lower(): v for k, v in (response.headers or {}).items()}
    assert headers["content-type"].startswith("application/json")
    data = response.data
    assert data is not None
    assert_kept(json.loads(response.raw_data), data.to_dict())  # type: ignore[attr-defined]
    return data


def failure(exc: ApiException, model: type[T]) -> T:
    """The parsed error body of a raised client exception, checked like :func:`ok`."""
    assert exc.body is not None
    assert isinstance(exc.data, model), f"error body not parsed: {exc.body}"
    assert_kept(json.loads(exc.body), exc.data.to_dict())  # type: ignore[attr-defined]
    return exc.data


def v1_failure(exc: ApiException) -> ApiRequestErrorDetails:
    """``requestError.serviceException`` of a v1-family error body."""
    return the(the(failure(exc, ApiExceptionBody).request_error).service_exception)


def raises(exc_type: type[ApiException], call: Callable[[], object]) -> ApiException:
    with pytest.raises(exc_type) as info:
        call()
    return info.value


def scheduled_request(
    bulk_id: str | None,
    send_at: datetime,
    destinations: list[str],
    text: str = "Scheduled hello",
) -> SmsRequest:
    return SmsRequest(
        messages=[
            SmsMessage(
                sender="InfoSMS",
                destinations=[SmsDestination(to=to) for to in destinations],
                content=SmsMessageContent(SmsTextContent(text=text)),
            )
        ],
        options=SmsMessageRequestOptions(
            schedule=SmsRequestSchedulingSettings(bulkId=bulk_id, sendAt=send_at)
        ),
    )


def immediate_request(bulk_id: str, destinations: list[str], *, binary: bool = False) -> SmsRequest:
    content = SmsMessageContent(
        SmsBinaryContent(hex="54 65 73 74", dataCoding=0, esmClass=0)
        if binary
        else SmsTextContent(text="Immediate hello")
    )
    return SmsRequest(
        messages=[
            SmsMessage(
                sender="InfoSMS",
                destinations=[SmsDestination(to=to) for to in destinations],
                content=content,
            )
        ],
        options=SmsMessageRequestOptions(schedule=SmsRequestSchedulingSettings(bulkId=bulk_id)),
    )


def set_status(api: SmsApi, bulk_id: str, status: SmsBulkStatus) -> SmsBulkStatus:
    answer = ok(
        api.update_scheduled_sms_messages_status_with_http_info(
            bulk_id, SmsUpdateStatusRequest(status=status)
        )
    )
    assert answer.bulk_id == bulk_id
    return the(answer.status)


def bulk_status(api: SmsApi, bulk_id: str) -> SmsBulkStatus:
    answer = ok(api.get_scheduled_sms_messages_status_with_http_info(bulk_id))
    assert answer.bulk_id == bulk_id
    return the(answer.status)


def pull_reports(api: SmsApi, **filters: Any) -> list[SmsDeliveryReport]:
    results = ok(api.get_outbound_sms_message_delivery_reports_with_http_info(**filters)).results
    return the(results)


def logs(api: SmsApi, **filters: Any) -> list[SmsLog]:
    return the(ok(api.get_outbound_sms_message_logs_with_http_info(**filters)).results)


def validity_of(gateway: ThreadedSimulator) -> dict[str, Millis]:
    """Each message's validity as the simulator keeps it (expiry minus send time)."""

    def read() -> dict[str, Millis]:
        return {
            m.message_id: m.expires_at - m.send_at
            for m in gateway.simulator.gateway.iter_messages()
        }

    return gateway.call(read)


# -- send, deliver, report ----------------------------------------------------------------------
def test_scheduled_text_and_binary_send_is_delivered_and_reported_once(
    sms_gateway: ThreadedSimulator, api: SmsApi
) -> None:
    start = virtual_now(sms_gateway)
    send_at = start + timedelta(minutes=10)
    request = SmsRequest(
        messages=[
            SmsMessage(
                sender="InfoSMS",
                destinations=[
                    SmsDestination(to="41793026727", messageId="MESSAGE-ID-123-xyz"),
                    SmsDestination(to="41793026834"),
                ],
                content=SmsMessageContent(
                    SmsTextContent(
                        text=TURKISH, language=SmsLanguage(languageCode=SmsLanguageCode.TR)
                    )
                ),
                options=SmsMessageOptions(
                    validityPeriod=ValidityPeriod(amount=2, timeUnit=ValidityPeriodTimeUnit.HOURS),
                    platform=Platform(
                        entityId="promotional-traffic-entity",
                        applicationId="marketing-automation-application",
                    ),
                    campaignReferenceId="summersale",
                ),
                webhooks=SmsWebhooks(callbackData="text callback"),
            ),
            SmsMessage(
                sender="41793026700",
                destinations=[SmsDestination(to="41793026700")],
                content=SmsMessageContent(SmsBinaryContent(hex="54 65 73 74", dataCoding=0)),
                options=SmsMessageOptions(validityPeriod=ValidityPeriod(amount=30)),
                webhooks=SmsWebhooks(callbackData="binary callback"),
            ),
        ],
        options=SmsMessageRequestOptions(
            schedule=SmsRequestSchedulingSettings(bulkId="BULK-ID-123-xyz", sendAt=send_at)
        ),
    )
    sent: SmsResponse = ok(api.send_sms_messages_with_http_info(request))

    assert sent.bulk_id == "BULK-ID-123-xyz"
    assert [m.destination for m in sent.messages] == ["41793026727", "41793026834", "41793026700"]
    assert sent.messages[0].message_id == "MESSAGE-ID-123-xyz"
    ids = [m.message_id for m in sent.messages]
    assert len(set(ids)) == 3
    assert all(ids)
    assert [m.status for m in sent.messages] == [PENDING_ACCEPTED] * 3
    # The part count the send reports agrees with what the preview says for the same text.
    preview = ok(
        api.preview_sms_message_with_http_info(SmsPreviewRequest(text=TURKISH, languageCode="TR"))
    )
    turkish_parts = the(preview.previews)[1].message_count
    assert [the(m.details).message_count for m in sent.messages] == [
        turkish_parts,
        turkish_parts,
        1,
    ]
    # validityPeriod as the simulator took it: 2 hours and 30 minutes.
    assert validity_of(sms_gateway) == {ids[0]: 2 * HOUR, ids[1]: 2 * HOUR, ids[2]: 30 * MINUTE}

    scheduled = ok(api.get_scheduled_sms_messages_with_http_info("BULK-ID-123-xyz"))
    assert scheduled.bulk_id == "BULK-ID-123-xyz"
    assert scheduled.send_at == send_at
    assert bulk_status(api, "BULK-ID-123-xyz") is SmsBulkStatus.PENDING

    sms_gateway.advance("9m59s")
    assert pull_reports(api) == []
    sms_gateway.advance("10m")

    delay = sms_gateway.simulator.config.delivery_delay
    price = sms_gateway.simulator.config.price_per_sms
    first = pull_reports(api, bulk_id="BULK-ID-123-xyz", limit=2)
    rest = pull_reports(api, bulk_id="BULK-ID-123-xyz")
    assert (len(first), len(rest)) == (2, 1)
    assert pull_reports(api) == [], "each report is returned only once"

    reports = {r.message_id: r for r in first + rest}
    assert set(reports) == set(ids)
    for report in reports.values():
        assert report.bulk_id == "BULK-ID-123-xyz"
        assert report.status == DELIVERED_TO_HANDSET
        assert report.error == NO_ERROR
        assert report.sent_at == send_at
        assert report.done_at == send_at + timedelta(milliseconds=delay)
        assert report.message_count == 1
        assert report.price is not None
        assert report.price.currency == "EUR"
        assert report.price.price_per_message == pytest.approx(price)
    text_report, binary_report = reports[ids[0]], reports[ids[2]]
    assert (text_report.to, text_report.sender) == ("41793026727", "InfoSMS")
    assert text_report.callback_data == "text callback"
    assert text_report.campaign_reference_id == "summersale"
    assert text_report.platform is not None
    assert text_report.platform.entity_id == "promotional-traffic-entity"
    assert text_report.platform.application_id == "marketing-automation-application"
    assert (binary_report.to, binary_report.sender) == ("41793026700", "41793026700")
    assert binary_report.callback_data == "binary callback"
    assert binary_report.platform is None

    contents = {
        entry.message_id: the(entry.content).actual_instance
        for entry in logs(api, bulk_id=["BULK-ID-123-xyz"])
    }
    assert set(contents) == set(ids)
    text_content, binary_content = contents[ids[0]], contents[ids[2]]
    assert isinstance(text_content, SmsTextContent)
    assert text_content.text == TURKISH
    assert the(text_content.language).language_code is SmsLanguageCode.TR
    assert isinstance(binary_content, SmsBinaryContent)
    assert binary_content.hex == "54 65 73 74"

    assert bulk_status(api, "BULK-ID-123-xyz") is SmsBulkStatus.FINISHED
    sms_gateway.run_until_idle()
    assert pull_reports(api) == [], "a delivered message makes no further reports"


def test_logs_filter_by_bulk_status_time_limit_and_cursor(
    sms_gateway: ThreadedSimulator, api: SmsApi
) -> None:
    start = virtual_now(sms_gateway)
    a = ok(
        api.send_sms_messages_with_http_info(immediate_request("logs-a", ["4100001", "4100002"]))
    )
    sms_gateway.advance("1h")
    b = ok(
        api.send_sms_messages_with_http_info(immediate_request("logs-b", ["4100003"], binary=True))
    )
    c = ok(
        api.send_sms_messages_with_http_info(
            scheduled_request("logs-c", start + timedelta(days=1), ["4100004"])
        )
    )
    sms_gateway.advance("1m")
    a_ids = {m.message_id for m in a.messages}
    b_ids = {m.message_id for m in b.messages}
    c_ids = {m.message_id for m in c.messages}
    everything = ["logs-a", "logs-b", "logs-c"]

    both = logs(api, bulk_id=["logs-a", "logs-b"])
    assert {entry.message_id for entry in both} == a_ids | b_ids
    for entry in both:
        assert entry.status == DELIVERED_TO_HANDSET
        assert entry.error == NO_ERROR
        content = the(entry.content).actual_instance
        if entry.bulk_id == "logs-a":
            assert isinstance(content, SmsTextContent)
            assert content.text == "Immediate hello"
        else:
            assert isinstance(content, SmsBinaryContent)
            assert (content.hex, content.data_coding, content.esm_class) == ("54 65 73 74", 0, 0)

    delivered = logs(api, bulk_id=everything, general_status=MessageGeneralStatus.DELIVERED)
    assert {entry.message_id for entry in delivered} == a_ids | b_ids
    pending = logs(api, bulk_id=everything, general_status=MessageGeneralStatus.PENDING)
    assert {entry.message_id for entry in pending} == c_ids
    assert logs(api, bulk_id=everything, general_status=MessageGeneralStatus.EXPIRED) == []

    since = logs(api, bulk_id=["logs-a", "logs-b"], sent_since=start + timedelta(minutes=30))
    assert {entry.message_id for entry in since} == b_ids
    assert len(logs(api, bulk_id=everything, limit=2)) == 2

    seen: list[str | None] = []
    cursor: str | None = None
    for _ in range(10):
        page = ok(
            api.get_outbound_sms_message_logs_with_http_info(
                bulk_id=everything, limit=1, use_cursor=True, cursor=cursor
            )
        )
        assert page.cursor is not None
        assert page.cursor.limit == 1
        (entry,) = the(page.results)
        seen.append(entry.message_id)
        cursor = page.cursor.next_cursor
        if cursor is None:
            break
    assert len(seen) == 4
    assert set(seen) == a_ids | b_ids | c_ids, "each message on exactly one page"


def test_inbound_messages_empty(api: SmsApi) -> None:
    inbound = ok(api.get_inbound_sms_messages_with_http_info(limit=10))
    assert inbound.results == []
    assert (inbound.message_count, inbound.pending_message_count) == (0, 0)


@pytest.mark.parametrize(
    ("request_example", "response_example"),
    [
        ("Preview with message language", "Preview response for request with message language"),
        ("Preview message count and remaining characters", "Preview response"),
    ],
)
def test_preview_answers_the_spec_examples(
    api: SmsApi, request_example: str, response_example: str
) -> None:
    operation = json.loads(SPEC.read_text(encoding="utf-8"))["paths"]["/sms/1/preview"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["examples"][request_example]
    expected = operation["responses"]["200"]["content"]["application/json"]["examples"][
        response_example
    ]["value"]
    response = api.preview_sms_message_with_http_info(
        the(SmsPreviewRequest.from_dict(body["value"]))
    )
    preview = ok(response)
    assert json.loads(response.raw_data) == expected
    assert preview.original_text == body["value"]["text"]


# -- bulks ----------------------------------------------------------------------------------
def test_reschedule_pause_resume_cancel_and_the_cancelled_never_deliver(
    sms_gateway: ThreadedSimulator, api: SmsApi
) -> None:
    start = virtual_now(sms_gateway)
    sent = ok(
        api.send_sms_messages_with_http_info(
            scheduled_request(
                "CAMPAIGN-1", start + timedelta(hours=1), ["41793026727", "41793026731"]
            )
        )
    )
    ids = {m.message_id for m in sent.messages}
    assert ok(api.get_scheduled_sms_messages_with_http_info("CAMPAIGN-1")).send_at == start + (
        timedelta(hours=1)
    )

    new_time = start + timedelta(hours=2)
    moved = ok(
        api.reschedule_sms_messages_with_http_info("CAMPAIGN-1", SmsBulkRequest(sendAt=new_time))
    )
    assert (moved.bulk_id, moved.send_at) == ("CAMPAIGN-1", new_time)
    assert ok(api.get_scheduled_sms_messages_with_http_info("CAMPAIGN-1")).send_at == new_time
    assert bulk_status(api, "CAMPAIGN-1") is SmsBulkStatus.PENDING

    assert set_status(api, "CAMPAIGN-1", SmsBulkStatus.PAUSED) is SmsBulkStatus.PAUSED
    assert bulk_status(api, "CAMPAIGN-1") is SmsBulkStatus.PAUSED
    sms_gateway.advance("90m")  # past the original send time: moved, and paused anyway
    assert pull_reports(api) == []
    assert set_status(api, "CAMPAIGN-1", SmsBulkStatus.PENDING) is SmsBulkStatus.PENDING
    assert bulk_status(api, "CAMPAIGN-1") is SmsBulkStatus.PENDING
    assert {the(e.status).group_name for e in logs(api, bulk_id=["CAMPAIGN-1"])} == {
        MessageGeneralStatus.PENDING
    }

    cancelled_at = virtual_now(sms_gateway)
    assert set_status(api, "CAMPAIGN-1", SmsBulkStatus.CANCELED) is SmsBulkStatus.CANCELED
    assert bulk_status(api, "CAMPAIGN-1") is SmsBulkStatus.CANCELED

    sms_gateway.advance("3h")  # well past the send time
    sms_gateway.run_until_idle()
    reports = pull_reports(api)
    assert len(reports) == 2
    assert {r.message_id for r in reports} == ids
    entries: list[SmsDeliveryReport | SmsLog] = [*reports, *logs(api, bulk_id=["CAMPAIGN-1"])]
    assert len(entries) == 4
    for entry in entries:
        status, error = the(entry.status), the(entry.error)
        assert (status.group_id, status.group_name) == (2, MessageGeneralStatus.UNDELIVERABLE)
        assert (status.id, status.name) == (31, "UNDELIVERABLE_NOT_SENT")
        assert (error.group_id, error.group_name) == (2, MessageErrorGroup.USER_ERRORS)
        assert (error.id, error.name, error.permanent) == (4100, "EC_MESSAGE_CANCELED", True)
        assert entry.done_at == cancelled_at
    assert pull_reports(api) == []
    assert logs(api, bulk_id=["CAMPAIGN-1"], general_status=MessageGeneralStatus.DELIVERED) == []
    assert bulk_status(api, "CAMPAIGN-1") is SmsBulkStatus.CANCELED

    # A cancelled bulk can never be rescheduled or given another status.
    for call in (
        lambda: api.reschedule_sms_messages("CAMPAIGN-1", SmsBulkRequest(sendAt=new_time)),
        lambda: set_status(api, "CAMPAIGN-1", SmsBulkStatus.PENDING),
        lambda: set_status(api, "CAMPAIGN-1", SmsBulkStatus.PAUSED),
    ):
        details = v1_failure(raises(BadRequestException, call))
        assert details.message_id == "BAD_REQUEST"
        assert "CANCELED" in the(details.text)


def test_generated_bulk_id_drives_the_bulk_methods(
    sms_gateway: ThreadedSimulator, api: SmsApi
) -> None:
    send_at = virtual_now(sms_gateway) + timedelta(minutes=5)
    sent = ok(api.send_sms_messages_with_http_info(scheduled_request(None, send_at, ["4179000"])))
    bulk_id = sent.bulk_id
    assert bulk_id
    assert ok(api.get_scheduled_sms_messages_with_http_info(bulk_id)).send_at == send_at
    assert set_status(api, bulk_id, SmsBulkStatus.PAUSED) is SmsBulkStatus.PAUSED
    sms_gateway.advance("10m")
    assert pull_reports(api, bulk_id=bulk_id) == []
    resumed_at = virtual_now(sms_gateway)
    assert set_status(api, bulk_id, SmsBulkStatus.PENDING) is SmsBulkStatus.PENDING
    sms_gateway.advance("1m")
    (report,) = pull_reports(api, bulk_id=bulk_id)
    assert report.status == DELIVERED_TO_HANDSET
    assert report.sent_at == resumed_at, "a resumed bulk past its send time goes out at once"


# -- errors as the client sees them -----------------------------------------------------------
def test_unknown_bulk_is_not_found_on_every_bulk_method(api: SmsApi) -> None:
    later = datetime(2026, 1, 2, 9, 0, tzinfo=UTC)
    calls: list[Callable[[], object]] = [
        lambda: api.get_scheduled_sms_messages("no-such-bulk"),
        lambda: api.reschedule_sms_messages("no-such-bulk", SmsBulkRequest(sendAt=later)),
        lambda: api.get_scheduled_sms_messages_status("no-such-bulk"),
        lambda: set_status(api, "no-such-bulk", SmsBulkStatus.PAUSED),
    ]
    for call in calls:
        exc = raises(NotFoundException, call)
        assert exc.status == 404
        details = v1_failure(exc)
        assert (details.message_id, details.text) == ("NOT_FOUND", "Bulk not found")


def test_reschedule_more_than_180_days_ahead_is_a_bad_request(
    sms_gateway: ThreadedSimulator, api: SmsApi
) -> None:
    start = virtual_now(sms_gateway)
    ok(
        api.send_sms_messages_with_http_info(
            scheduled_request("far", start + timedelta(hours=1), ["4179"])
        )
    )
    exc = raises(
        BadRequestException,
        lambda: api.reschedule_sms_messages(
            "far", SmsBulkRequest(sendAt=start + timedelta(days=180, minutes=1))
        ),
    )
    details = v1_failure(exc)
    assert details.message_id == "BAD_REQUEST"
    assert details.validation_errors is not None
    assert "sendAt" in details.validation_errors
    # The refused reschedule changed nothing; exactly 180 days ahead is still allowed.
    assert ok(api.get_scheduled_sms_messages_with_http_info("far")).send_at == start + timedelta(
        hours=1
    )
    limit = start + timedelta(milliseconds=180 * DAY)
    assert (
        ok(api.reschedule_sms_messages_with_http_info("far", SmsBulkRequest(sendAt=limit))).send_at
        == limit
    )


def test_send_scheduled_too_far_ahead_is_a_v3_bad_request(
    sms_gateway: ThreadedSimulator, api: SmsApi
) -> None:
    too_far = virtual_now(sms_gateway) + timedelta(days=181)
    exc = raises(
        BadRequestException,
        lambda: api.send_sms_messages(scheduled_request("too-far", too_far, ["4179"])),
    )
    error = failure(exc, ApiError)
    assert error.error_code == "E400"
    assert [v.var_property for v in error.violations] == ["options.schedule.sendAt"]
    raises(NotFoundException, lambda: api.get_scheduled_sms_messages("too-far"))


def test_a_bad_logs_request_is_a_v3_error_the_client_cannot_map(api: SmsApi) -> None:
    """The client maps no 400 for ``/sms/3/logs`` (only 401/403/429), so ``.data`` stays None;
    the body the simulator sent is still a complete v3 ``ApiError``."""
    exc = raises(BadRequestException, lambda: api.get_outbound_sms_message_logs(cursor="nonsense"))
    assert exc.data is None
    error = the(ApiError.from_json(the(exc.body)))
    assert error.error_code == "E400"
    assert [v.var_property for v in error.violations] == ["cursor"]


def test_illegal_status_transitions_are_bad_requests(
    sms_gateway: ThreadedSimulator, api: SmsApi
) -> None:
    start = virtual_now(sms_gateway)
    ok(api.send_sms_messages_with_http_info(immediate_request("done", ["4179"])))
    sms_gateway.advance("1m")
    assert bulk_status(api, "done") is SmsBulkStatus.FINISHED
    for target in (SmsBulkStatus.PAUSED, SmsBulkStatus.CANCELED):
        details = v1_failure(raises(BadRequestException, partial(set_status, api, "done", target)))
        assert details.message_id == "BAD_REQUEST"
        assert "FINISHED" in the(details.text)
    raises(
        BadRequestException,
        lambda: api.reschedule_sms_messages(
            "done", SmsBulkRequest(sendAt=start + timedelta(hours=1))
        ),
    )

    ok(
        api.send_sms_messages_with_http_info(
            scheduled_request("later", start + timedelta(hours=1), ["4179"])
        )
    )
    for target in (SmsBulkStatus.PROCESSING, SmsBulkStatus.FINISHED, SmsBulkStatus.FAILED):
        details = v1_failure(raises(BadRequestException, partial(set_status, api, "later", target)))
        assert details.message_id == "BAD_REQUEST"
        assert "cannot be set by a client" in the(details.text)
    assert bulk_status(api, "later") is SmsBulkStatus.PENDING


def test_missing_or_bad_credentials_are_unauthorized(sms_gateway: ThreadedSimulator) -> None:
    keyless = api_for(sms_gateway, key="")
    request = immediate_request("nope", ["4179"])

    error = failure(
        raises(UnauthorizedException, lambda: keyless.send_sms_messages(request)), ApiError
    )
    assert error.error_code == "E401"
    assert error.description.startswith("The request lacks valid authentication credentials")
    assert error.violations == []
    assert [r.name for r in error.resources] == ["API Authentication"]

    # v1 endpoints answer in their own envelope.
    details = v1_failure(
        raises(UnauthorizedException, lambda: keyless.get_scheduled_sms_messages("nope"))
    )
    assert details.message_id == "UNAUTHORIZED"

    # Without a configured key, _headers is how a caller sets Authorization itself.
    raises(
        UnauthorizedException,
        lambda: keyless.send_sms_messages(request, _headers={"Authorization": "App "}),
    )
    raises(
        UnauthorizedException,
        lambda: keyless.send_sms_messages(request, _headers={"Authorization": "Token abc"}),
    )
    assert (
        ok(
            keyless.send_sms_messages_with_http_info(
                request, _headers={"Authorization": f"App {sms_gateway.api_key}"}
            )
        ).bulk_id
        == "nope"
    )
    # With a key, _request_auth overrides it per call, in any of Infobip's schemes.
    keyed = api_for(sms_gateway)
    bogus: dict[str, Any] = {
        "in": "header",
        "type": "api_key",
        "key": "Authorization",
        "value": "Token abc",
    }
    raises(
        UnauthorizedException,
        lambda: keyed.get_outbound_sms_message_logs(_request_auth=bogus),
    )
    basic = {**bogus, "value": "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="}
    assert ok(keyed.get_outbound_sms_message_logs_with_http_info(_request_auth=basic)).results


def test_base_url_with_trailing_slash(sms_gateway: ThreadedSimulator) -> None:
    api = api_for(sms_gateway, host=sms_gateway.url + "/")
    send_at = virtual_now(sms_gateway) + timedelta(minutes=1)
    sent = ok(api.send_sms_messages_with_http_info(scheduled_request("slash", send_at, ["4179"])))
    assert sent.bulk_id == "slash"
    assert ok(api.get_scheduled_sms_messages_with_http_info("slash")).send_at == send_at
    assert bulk_status(api, "slash") is SmsBulkStatus.PENDING
    sms_gateway.advance("2m")
    (report,) = pull_reports(api)
    assert report.status == DELIVERED_TO_HANDSET
    assert [e.bulk_id for e in logs(api, bulk_id=["slash"])] == ["slash"]
    assert ok(api.get_inbound_sms_messages_with_http_info()).results == []
    preview = ok(api.preview_sms_message_with_http_info(SmsPreviewRequest(text="Hi")))
    assert the(preview.previews)[0].message_count == 1

    # Errors through //sms/... keep their family's envelope.
    not_found = v1_failure(
        raises(NotFoundException, lambda: api.get_scheduled_sms_messages("missing"))
    )
    assert not_found.message_id == "NOT_FOUND"
    keyless = api_for(sms_gateway, host=sms_gateway.url + "/", key="")
    unauthorized = failure(
        raises(
            UnauthorizedException, lambda: keyless.send_sms_messages(immediate_request("x", ["1"]))
        ),
        ApiError,
    )
    assert unauthorized.error_code == "E401"
