"""The whole Infobip SMS surface the simulator serves, in one table.

Each row: method, path, handler, the Infobip scopes that allow it (``x-scopes`` in the spec)
and how the caller authenticates (the ``Authorization`` header, or ``username``/``password``
in the query string for the deprecated ``GET /sms/1/text/query``).
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from aiohttp.typedefs import Handler

from simulator.api import bulks, messages, preview, reports

SEND = ("message:send", "sms:message:send", "sms:manage")
MANAGE = ("sms:manage",)
READ_BULKS = ("sms:message:send", "sms:manage")
LOGS = ("sms:manage", "sms:logs:read")
INBOX = ("inbound-message:read", "sms:inbound-message:read", "sms:manage")


@dataclass(frozen=True, slots=True)
class Endpoint:
    method: str
    path: str
    handler: Handler
    scopes: tuple[str, ...]
    query_auth: bool = False


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("POST", "/sms/3/messages", messages.send_v3, SEND),
    Endpoint("GET", "/sms/3/text/query", messages.query_v3, SEND),
    Endpoint("POST", "/sms/2/text/advanced", messages.send_v2_text, SEND),
    Endpoint("POST", "/sms/2/binary/advanced", messages.send_v2_binary, SEND),
    Endpoint("POST", "/sms/1/text/single", messages.v1_handler("single", False), SEND),
    Endpoint("POST", "/sms/1/text/multi", messages.v1_handler("multi", False), SEND),
    Endpoint("POST", "/sms/1/text/advanced", messages.v1_handler("advanced", False), SEND),
    Endpoint("POST", "/sms/1/binary/single", messages.v1_handler("single", True), SEND),
    Endpoint("POST", "/sms/1/binary/multi", messages.v1_handler("multi", True), SEND),
    Endpoint("POST", "/sms/1/binary/advanced", messages.v1_handler("advanced", True), SEND),
    Endpoint("GET", "/sms/1/text/query", messages.query_v1, SEND, query_auth=True),
    Endpoint("POST", "/sms/1/preview", preview.preview_sms, MANAGE),
    Endpoint("GET", "/sms/1/bulks", bulks.get_bulk, READ_BULKS),
    Endpoint("PUT", "/sms/1/bulks", bulks.reschedule_bulk, MANAGE),
    Endpoint("GET", "/sms/1/bulks/status", bulks.get_bulk_status, READ_BULKS),
    Endpoint("PUT", "/sms/1/bulks/status", bulks.update_bulk_status, MANAGE),
    Endpoint("GET", "/sms/3/reports", reports.reports_v3, SEND),
    Endpoint("GET", "/sms/1/reports", reports.reports_v1, SEND),
    Endpoint("GET", "/sms/3/logs", reports.logs_v3, LOGS),
    Endpoint("GET", "/sms/1/logs", reports.logs_v1, LOGS),
    Endpoint("GET", "/sms/1/inbox/reports", reports.inbox, INBOX),
)


def add_routes(app: web.Application) -> None:
    """Register every endpoint, also under a doubled leading slash (``//sms/...``), which the
    official client sends when its base URL ends with ``/``. Each handler is registered
    wrapped in what every Infobip request gets (``middleware.infobip_handler``)."""
    from simulator.api.middleware import infobip_handler  # it reads this table: import late

    for endpoint in ENDPOINTS:
        handler = infobip_handler(endpoint)
        for path in (endpoint.path, "/" + endpoint.path):
            app.router.add_route(endpoint.method, path, handler)
