"""Send requests of every family, parsed into :class:`~simulator.gateway.SubmitRequest`.

* v3: ``POST /sms/3/messages`` (``sender``, ``content``, ``options``, ``webhooks``) and
  ``GET /sms/3/text/query``.
* v2: ``POST /sms/2/text/advanced`` and ``/sms/2/binary/advanced`` (``from``, ``notifyUrl``...).
* v1: ``POST /sms/1/text|binary/single|multi|advanced`` and ``GET /sms/1/text/query``.

Every problem in a body is collected and reported at once, each with its property path.
Limits are Infobip's: ``to`` ≤ 64, ``messageId`` ≤ 200 (v2/v1 clip it), ``bulkId`` ≤ 100,
``callbackData`` ≤ 4000, ``campaignReferenceId`` ≤ 255, ``sendAt`` ≤ 180 days ahead (a past
``sendAt`` sends at once), ``validityPeriod`` above 48 hours is set to 48 hours.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from simulator.api.validation import Obj, Problems
from simulator.config import SimulatorConfig
from simulator.encoding import LANGUAGE_CODES, TRANSLITERATIONS, segment_binary, segment_text
from simulator.gateway import MessageRequest, SubmitRequest
from simulator.models import Family, Template, TimeWindow
from simulator.timefmt import DAY, HOUR, MINUTE, SECOND, Millis

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
CONTENT_TYPES = ("application/json", "application/xml")
SPEED_UNITS = {"MINUTE": MINUTE, "HOUR": HOUR, "DAY": DAY}
VALIDITY_UNITS = {"SECONDS": SECOND, "MINUTES": MINUTE, "HOURS": HOUR}
MAX_TEXT = 4096


@dataclass(slots=True)
class Context:
    """What parsing needs besides the body: the time and the limits."""

    now: Millis
    config: SimulatorConfig
    endpoint: str
    family: Family


# -- shared pieces ----------------------------------------------------------------------------
def _send_at(obj: Obj, key: str, ctx: Context) -> Millis | None:
    send_at = obj.instant(key)
    if send_at is not None and send_at > ctx.now + ctx.config.max_schedule_ahead:
        obj.problems.add(obj.at(key), "must not be more than 180 days in the future")
    return send_at


def _validity(amount: int | None, unit: Millis, ctx: Context) -> Millis:
    if amount is None:
        return ctx.config.default_validity
    return min(amount * unit, ctx.config.max_validity)


def _time_window(obj: Obj | None) -> TimeWindow | None:
    if obj is None:
        return None
    days: set[int] = set()
    for path, day in obj.items("days", required=True):
        if isinstance(day, str) and day in DAYS:
            days.add(DAYS.index(day))
        else:
            obj.problems.add(path, f"must be one of [{', '.join(DAYS)}]")
    bounds: list[int | None] = []
    for key in ("from", "to"):
        moment = obj.obj(key)
        if moment is None:
            bounds.append(None)
            continue
        hour = moment.integer("hour", required=True, minimum=0, maximum=23)
        minute = moment.integer("minute", required=True, minimum=0, maximum=59)
        bounds.append(None if hour is None or minute is None else hour * 60 + minute)
    start, end = bounds
    if start is not None and end is not None and end - start < 60:
        obj.problems.add(obj.at("to"), "must be at least 1 hour after deliveryTimeWindow.from")
    return TimeWindow(frozenset(days), start, end)


def _speed_limit(obj: Obj | None) -> tuple[int, Millis] | None:
    if obj is None:
        return None
    amount = obj.integer("amount", required=True, minimum=1)
    unit = obj.enum("timeUnit", SPEED_UNITS) or "MINUTE"
    return None if amount is None else (amount, SPEED_UNITS[unit])


def _destinations(obj: Obj, clip_ids: bool) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for item in obj.objects("destinations", required=True):
        to = item.string("to", required=True, max_len=64)
        if clip_ids:
            message_id = item.string("messageId", clip=200)
        else:
            message_id = item.string("messageId", max_len=200)
        item.integer("networkId")
        if to is not None:
            found.append((to.strip(), message_id or None))
    return found


def _count_text(obj: Obj, key: str, template: Template) -> None:
    text = template.text or ""
    if len(text) > MAX_TEXT:
        obj.problems.add(obj.at(key), f"size must be between 0 and {MAX_TEXT}")
        return
    template.sms_count = _sms_count(text, template.language_code, template.transliteration)


@lru_cache(maxsize=4096)
def _sms_count(text: str, language_code: str | None, transliteration: str | None) -> int:
    """Parts of a text message; cached, since load tests (and OTP flows) repeat texts."""
    return segment_text(
        text, language_code=language_code, transliteration=transliteration
    ).message_count


def _binary(obj: Obj | None, template: Template) -> None:
    if obj is None:
        return
    template.hex = obj.string("hex", required=True)
    template.data_coding = obj.integer("dataCoding", minimum=0, maximum=255) or 0
    template.esm_class = obj.integer("esmClass", minimum=0, maximum=255) or 0
    if template.hex is not None:
        try:
            template.sms_count = segment_binary(template.hex, template.data_coding).message_count
        except ValueError as exc:
            obj.problems.add(obj.at("hex"), str(exc))


def _check_url(obj: Obj, key: str) -> str | None:
    url = obj.string(key, max_len=2048)
    if url and not url.lower().startswith(("http://", "https://")):
        obj.problems.add(obj.at(key), "must be an http:// or https:// URL")
    return url or None


# -- v3 -------------------------------------------------------------------------------------
def parse_v3(body: Obj, ctx: Context) -> tuple[SubmitRequest, bool]:
    """``POST /sms/3/messages``; returns the request and ``includeSmsCountInResponse``."""
    options = body.obj("options")
    schedule = options.obj("schedule") if options else None
    bulk_id = schedule.string("bulkId", max_len=100) if schedule else None
    send_at = _send_at(schedule, "sendAt", ctx) if schedule else None
    speed = _speed_limit(schedule.obj("sendingSpeedLimit")) if schedule else None
    include = bool(options and options.boolean("includeSmsCountInResponse", default=False))
    if options:
        options.obj("tracking")
        options.obj("conversionTracking")
    messages: list[MessageRequest] = []
    for index, item in enumerate(body.objects("messages", required=True)):
        template = Template(Family.V3, ctx.endpoint, item.string("sender", max_len=64), index=index)
        destinations = _destinations(item, clip_ids=False)
        content = item.obj("content", required=True)
        if content is not None:
            if content.has("hex"):
                _binary(content, template)
            elif "text" in content.data:
                template.text = content.string("text", required=True)
                template.transliteration = content.enum("transliteration", TRANSLITERATIONS)
                language = content.obj("language")
                if language is not None:
                    template.language_code = language.enum("languageCode", LANGUAGE_CODES)
                    language.boolean("singleShift")
                    language.boolean("lockingShift")
                _count_text(content, "text", template)
            else:
                content.problems.add(content.path, "must have either text or hex")
        message_options = item.obj("options")
        validity: Millis | None = None
        if message_options is not None:
            platform = message_options.obj("platform")
            if platform is not None:
                template.entity_id = platform.string("entityId", max_len=255)
                template.application_id = platform.string("applicationId", max_len=255)
            period = message_options.obj("validityPeriod")
            if period is not None:
                amount = period.integer("amount", required=True, minimum=1)
                unit = period.enum("timeUnit", VALIDITY_UNITS) or "MINUTES"
                validity = _validity(amount, VALIDITY_UNITS[unit], ctx)
            template.time_window = _time_window(message_options.obj("deliveryTimeWindow"))
            template.campaign_reference_id = message_options.string(
                "campaignReferenceId", max_len=255
            )
            template.flash = bool(message_options.boolean("flash", default=False))
            message_options.obj("regional")
        template.validity = validity if validity is not None else ctx.config.default_validity
        webhooks = item.obj("webhooks")
        if webhooks is not None:
            delivery = webhooks.obj("delivery")
            if delivery is not None:
                template.notify_url = _check_url(delivery, "url")
                template.intermediate_report = bool(
                    delivery.boolean("intermediateReport", default=False)
                )
                template.notify = bool(delivery.boolean("notify", default=True))
            template.notify_content_type = webhooks.enum("contentType", CONTENT_TYPES)
            template.callback_data = webhooks.string("callbackData", max_len=4000)
        messages.append(MessageRequest(template, destinations, send_at))
    return SubmitRequest(Family.V3, messages, bulk_id, speed), include


# -- fast paths -------------------------------------------------------------------------------
# The shape nearly every send has (a sender, destinations with only ``to``, a text) is read
# here without the validating wrappers. Anything else, and anything that would be a problem,
# answers None: the full parser then reads the body and stays the single source of errors.
# tests/test_perf_http_fastpath.py checks both give equal requests on many bodies.
_V3_MESSAGE_KEYS = frozenset({"sender", "destinations", "content"})
_V2_MESSAGE_KEYS = frozenset({"from", "destinations", "text"})


def _fast_destinations(value: object) -> list[tuple[str, str | None]] | None:
    if type(value) is not list or not value:
        return None
    found: list[tuple[str, str | None]] = []
    for item in value:
        if type(item) is not dict or len(item) != 1:
            return None
        to = item.get("to")
        if type(to) is not str or len(to) > 64:
            return None
        stripped = to.strip()
        if not stripped:
            return None
        found.append((stripped, None))
    return found


def _fast_sender(item: dict[str, object], key: str) -> tuple[bool, str | None]:
    sender = item.get(key)
    if sender is None:
        return True, None
    if type(sender) is not str or len(sender) > 64:
        return False, None
    return True, sender


def _fast_messages(
    value: object,
    ctx: Context,
    family: Family,
    keys: frozenset[str],
    sender_key: str,
    text_of: Callable[[dict[str, object]], str | None],
) -> tuple[SubmitRequest, bool] | None:
    """The plain body both fast paths read: ``{"messages": [...]}`` of objects with only
    ``keys``, a sender under ``sender_key``, destinations with only ``to``, and the text
    ``text_of`` finds (None: not plain). None when the full parser must read it."""
    if type(value) is not dict or len(value) != 1:
        return None
    items = value.get("messages")
    if type(items) is not list or not items:
        return None
    messages: list[MessageRequest] = []
    for index, item in enumerate(items):
        if type(item) is not dict or not item.keys() <= keys:
            return None
        ok, sender = _fast_sender(item, sender_key)
        if not ok:
            return None
        destinations = _fast_destinations(item.get("destinations"))
        if destinations is None:
            return None
        text = text_of(item)
        if text is None:
            return None
        template = Template(family, ctx.endpoint, sender, index=index)
        template.text = text
        template.sms_count = _sms_count(text, None, None)
        template.validity = ctx.config.default_validity
        messages.append(MessageRequest(template, destinations, None))
    return SubmitRequest(family, messages, None, None), False


def _v3_text(item: dict[str, object]) -> str | None:
    content = item.get("content")
    if type(content) is not dict or len(content) != 1:
        return None
    text = content.get("text")
    if type(text) is not str or len(text) > MAX_TEXT or not text.strip():
        return None
    return text


def _advanced_text(item: dict[str, object]) -> str | None:
    text = item.get("text")
    if type(text) is not str or len(text) > MAX_TEXT:
        return None
    return text


def fast_v3(value: object, ctx: Context) -> tuple[SubmitRequest, bool] | None:
    """:func:`parse_v3` of a plain body (``messages`` of ``sender``, ``destinations`` with only
    ``to``, ``content`` with only ``text``), or None when the full parser must read it."""
    return _fast_messages(value, ctx, Family.V3, _V3_MESSAGE_KEYS, "sender", _v3_text)


def fast_advanced(value: object, ctx: Context) -> tuple[SubmitRequest, bool] | None:
    """:func:`parse_advanced` (text) of a plain body (``messages`` of ``from``,
    ``destinations`` with only ``to``, ``text``), or None when the full parser must read it."""
    return _fast_messages(value, ctx, ctx.family, _V2_MESSAGE_KEYS, "from", _advanced_text)


# -- v2 and v1 advanced -------------------------------------------------------------------
def _legacy_message(item: Obj, index: int, ctx: Context, binary: bool) -> MessageRequest:
    """One message object of ``/sms/2/*/advanced`` or ``/sms/1/*/advanced``."""
    template = Template(ctx.family, ctx.endpoint, item.string("from", max_len=64), index=index)
    destinations = _destinations(item, clip_ids=True)
    id_limit = 66 if binary else 50
    if binary:
        _binary(item.obj("binary", required=True), template)
    else:
        template.text = item.string("text", blank_ok=True) or ""
        template.transliteration = item.enum("transliteration", TRANSLITERATIONS)
        language = item.obj("language")
        template.language_code = (
            language.enum("languageCode", LANGUAGE_CODES)
            if language is not None
            else item.enum("languageCode", LANGUAGE_CODES)
        )
        _count_text(item, "text", template)
    template.flash = bool(item.boolean("flash", default=False))
    template.intermediate_report = bool(item.boolean("intermediateReport", default=False))
    template.notify_url = _check_url(item, "notifyUrl")
    template.notify_content_type = item.enum("notifyContentType", CONTENT_TYPES)
    template.callback_data = item.string("callbackData", max_len=4000)
    minutes = item.integer("validityPeriod", minimum=1)
    template.validity = _validity(minutes, MINUTE, ctx)
    template.time_window = _time_window(item.obj("deliveryTimeWindow"))
    template.entity_id = item.string("entityId", max_len=id_limit)
    template.application_id = item.string("applicationId", max_len=id_limit)
    template.campaign_reference_id = item.string("campaignReferenceId", max_len=255)
    item.obj("regional")
    return MessageRequest(template, destinations, _send_at(item, "sendAt", ctx))


def parse_advanced(body: Obj, ctx: Context, *, binary: bool) -> tuple[SubmitRequest, bool]:
    bulk_id = body.string("bulkId", max_len=100)
    messages = [
        _legacy_message(item, index, ctx, binary)
        for index, item in enumerate(body.objects("messages", required=True))
    ]
    speed = _speed_limit(body.obj("sendingSpeedLimit"))
    include = bool(body.boolean("includeSmsCountInResponse", default=False))
    body.obj("urlOptions")
    body.obj("tracking")
    return SubmitRequest(ctx.family, messages, bulk_id, speed), include


# -- v1 single and multi ---------------------------------------------------------------------
def _recipients(obj: Obj) -> list[tuple[str, str | None]]:
    value = obj.data.get("to")
    if isinstance(value, str):
        values: list[object] = [value]
        paths = [obj.at("to")]
    elif isinstance(value, list) and value:
        values = list(value)
        paths = [f"{obj.at('to')}[{i}]" for i in range(len(value))]
    else:
        obj.problems.add(obj.at("to"), "must not be empty")
        return []
    found: list[tuple[str, str | None]] = []
    for path, to in zip(paths, values, strict=True):
        if not isinstance(to, str) or not to.strip():
            obj.problems.add(path, "must not be blank")
        elif len(to) > 64:
            obj.problems.add(path, "size must be between 0 and 64")
        else:
            found.append((to.strip(), None))
    return found


def _simple_message(item: Obj, index: int, ctx: Context, binary: bool) -> MessageRequest:
    template = Template(ctx.family, ctx.endpoint, item.string("from", max_len=64), index=index)
    destinations = _recipients(item)
    if binary:
        _binary(item.obj("binary", required=True), template)
    else:
        template.text = item.string("text", blank_ok=True) or ""
        template.transliteration = item.enum("transliteration", TRANSLITERATIONS)
        template.language_code = item.enum("languageCode", LANGUAGE_CODES)
        _count_text(item, "text", template)
    template.validity = ctx.config.default_validity
    return MessageRequest(template, destinations)


def parse_single(body: Obj, ctx: Context, *, binary: bool) -> tuple[SubmitRequest, bool]:
    return SubmitRequest(ctx.family, [_simple_message(body, 0, ctx, binary)]), True


def parse_multi(body: Obj, ctx: Context, *, binary: bool) -> tuple[SubmitRequest, bool]:
    bulk_id = body.string("bulkId", max_len=100)
    messages = [
        _simple_message(item, index, ctx, binary)
        for index, item in enumerate(body.objects("messages", required=True))
    ]
    return SubmitRequest(ctx.family, messages, bulk_id), True


# -- query-string sends ------------------------------------------------------------------------
def parse_query(
    params: dict[str, object], ctx: Context, problems: Problems
) -> tuple[SubmitRequest, bool]:
    """``GET /sms/3/text/query`` and ``GET /sms/1/text/query``: one message object."""
    obj = Obj(params, "", problems)
    raw_to = params.get("to")
    recipients = raw_to if isinstance(raw_to, list) else []
    if not recipients:
        problems.add("to", "must not be empty")
    params["destinations"] = [{"to": to} for to in recipients]
    v1 = ctx.family is Family.V1
    bulk_id = obj.string("bulkId", clip=100) if v1 else obj.string("bulkId", max_len=100)
    if not v1 and "text" not in params:
        problems.add("text", "must not be null")
    message = _legacy_message(obj, 0, ctx, binary=False)
    include = bool(obj.boolean("includeSmsCountInResponse", default=False)) or v1
    return SubmitRequest(ctx.family, [message], bulk_id), include


Parser = Callable[[Obj, Context], tuple[SubmitRequest, bool]]
FastParser = Callable[[object, Context], tuple[SubmitRequest, bool] | None]
