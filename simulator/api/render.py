"""Messages, reports and logs in each API family's JSON shape.

v3 (``/sms/3/*``) uses ``sender``, ``destination``/``to``, ``messageCount`` and a ``platform``
object; v1/v2 use ``from``, ``to``, ``smsCount`` and top-level ``entityId``/``applicationId``.
Optional fields are left out rather than sent as null. Instants are
``yyyy-MM-dd'T'HH:mm:ss.SSS+0000``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from simulator import jsoncodec
from simulator.models import InboundMessage, Message, Rejection, Report, Template
from simulator.status import ErrorCode, StatusCode
from simulator.timefmt import format_instant

JSON = dict[str, Any]


def dumps(body: object) -> bytes:
    """Compact UTF-8 JSON (orjson when installed; see :mod:`simulator.jsoncodec`)."""
    return jsoncodec.dumps(body)


@lru_cache(maxsize=512)
def status_json(status: StatusCode) -> JSON:
    return status.to_json()


@lru_cache(maxsize=1024)
def error_json(error: ErrorCode) -> JSON:
    return error.to_json()


def _price(message: Message) -> JSON:
    return {"pricePerMessage": message.price, "currency": message.currency}


def _platform(template: Template) -> JSON | None:
    entity_id, application_id = template.entity_id, template.application_id
    if entity_id is None and application_id is None:  # the usual case, on every report
        return None
    platform: JSON = {}
    _put(platform, "entityId", entity_id)
    _put(platform, "applicationId", application_id)
    return platform


def _put(body: JSON, key: str, value: object) -> None:
    if value is not None:
        body[key] = value


# -- send responses ---------------------------------------------------------------------------
def _answered(message: Message) -> JSON:
    """The status a send answers with: the initial pending one, or the REJECTED status of a
    message refused at submit (inside the HTTP 200, as the real gateway does)."""
    outcome = message.outcome
    if isinstance(outcome, Rejection):
        return status_json(outcome.status)
    return status_json(message.first_status)


answered = _answered
"""The status object a send answers for ``message`` (public: the send handler inlines
:func:`v3_sent`)."""


def v3_sent(message: Message) -> JSON:
    return {
        "messageId": message.message_id,
        "status": _answered(message),
        "destination": message.to,
        "details": {"messageCount": message.template.sms_count},
    }


def v2_sent(message: Message, include_sms_count: bool) -> JSON:
    body: JSON = {
        "messageId": message.message_id,
        "status": _answered(message),
        "to": message.to,
    }
    if include_sms_count:
        body["smsCount"] = message.template.sms_count
    return body


def v1_sent(message: Message) -> JSON:
    return {
        "to": message.to,
        "status": _answered(message),
        "smsCount": message.template.sms_count,
        "messageId": message.message_id,
    }


# -- delivery reports ------------------------------------------------------------------------
def _sent_at(message: Message) -> str:
    return format_instant(message.logged_at)


def v3_report(report: Report) -> JSON:
    message, template = report.message, report.message.template
    body: JSON = {"bulkId": message.bulk_id, "price": _price(message)}
    body["status"] = status_json(report.status)
    body["error"] = error_json(report.error)
    body["messageId"] = message.message_id
    body["to"] = message.to
    _put(body, "sender", template.sender)
    body["sentAt"] = _sent_at(message)
    body["doneAt"] = format_instant(report.at)
    body["messageCount"] = template.sms_count
    _put(body, "mccMnc", message.mcc_mnc)
    _put(body, "callbackData", template.callback_data)
    _put(body, "platform", _platform(template))
    _put(body, "campaignReferenceId", template.campaign_reference_id)
    return body


def v1_report(report: Report) -> JSON:
    message, template = report.message, report.message.template
    body: JSON = {"bulkId": message.bulk_id, "messageId": message.message_id, "to": message.to}
    _put(body, "from", template.sender)
    body["sentAt"] = _sent_at(message)
    body["doneAt"] = format_instant(report.at)
    body["smsCount"] = template.sms_count
    _put(body, "mccMnc", message.mcc_mnc)
    _put(body, "callbackData", template.callback_data)
    body["price"] = _price(message)
    body["status"] = status_json(report.status)
    body["error"] = error_json(report.error)
    _put(body, "entityId", template.entity_id)
    _put(body, "applicationId", template.application_id)
    _put(body, "campaignReferenceId", template.campaign_reference_id)
    return body


# -- logs ------------------------------------------------------------------------------------
def _content(template: Template) -> JSON:
    if template.hex is not None:
        return {
            "hex": template.hex,
            "dataCoding": template.data_coding,
            "esmClass": template.esm_class,
        }
    content: JSON = {"text": template.text or ""}
    _put(content, "transliteration", template.transliteration)
    if template.language_code is not None:
        content["language"] = {"languageCode": template.language_code}
    return content


def v3_log(message: Message) -> JSON:
    template = message.template
    body: JSON = {}
    _put(body, "sender", template.sender)
    body["destination"] = message.to
    body["bulkId"] = message.bulk_id
    body["messageId"] = message.message_id
    body["sentAt"] = _sent_at(message)
    _put(body, "doneAt", None if message.done_at is None else format_instant(message.done_at))
    body["messageCount"] = template.sms_count
    body["price"] = _price(message)
    body["status"] = status_json(message.status)
    body["error"] = error_json(message.error)
    _put(body, "platform", _platform(template))
    body["content"] = _content(template)
    _put(body, "mccMnc", message.mcc_mnc)
    _put(body, "campaignReferenceId", template.campaign_reference_id)
    return body


def v1_log(message: Message) -> JSON:
    template = message.template
    body: JSON = {"bulkId": message.bulk_id, "messageId": message.message_id, "to": message.to}
    _put(body, "from", template.sender)
    if template.hex is None:
        body["text"] = template.text or ""
    body["sentAt"] = _sent_at(message)
    _put(body, "doneAt", None if message.done_at is None else format_instant(message.done_at))
    body["smsCount"] = template.sms_count
    _put(body, "mccMnc", message.mcc_mnc)
    body["price"] = _price(message)
    body["status"] = status_json(message.status)
    body["error"] = error_json(message.error)
    _put(body, "entityId", template.entity_id)
    _put(body, "applicationId", template.application_id)
    _put(body, "campaignReferenceId", template.campaign_reference_id)
    return body


# -- inbound ---------------------------------------------------------------------------------
def inbound(message: InboundMessage) -> JSON:
    body: JSON = {
        "messageId": message.message_id,
        "from": message.sender,
        "to": message.to,
        "text": message.text,
        "cleanText": message.clean_text,
    }
    _put(body, "keyword", message.keyword)
    body["receivedAt"] = format_instant(message.received_at)
    body["smsCount"] = message.sms_count
    body["price"] = {"pricePerMessage": message.price, "currency": message.currency}
    _put(body, "callbackData", message.callback_data)
    _put(body, "applicationId", message.application_id)
    _put(body, "entityId", message.entity_id)
    _put(body, "campaignReferenceId", message.campaign_reference_id)
    return body
