"""Error bodies in the two envelopes Infobip uses.

* ``/sms/3/*``: ``{errorCode, description, action, violations, resources}``, all five always
  present (the official client's ``ApiError`` requires them).
* ``/sms/1/*``, ``/sms/2/*`` and everything else: ``{"requestError": {"serviceException":
  {"messageId", "text", "validationErrors"?}}}``, ``validationErrors`` mapping a property path
  to a list of messages.
"""

from __future__ import annotations

from typing import Any

from simulator import jsoncodec
from simulator.errors import InfobipError

V3_TEXTS: dict[int, tuple[str, str]] = {
    400: ("Request cannot be processed.", "Check the syntax, violations and adjust the request."),
    401: (
        "The request lacks valid authentication credentials for the requested resource.",
        "Check the resources and adjust authentication credentials.",
    ),
    403: (
        "Insufficient permissions to access the requested resource.",
        "Repeat the request with new or different credentials.",
    ),
    404: ("Requested resource not found.", "Check the request URL and the resource identifiers."),
    405: ("Request method not supported.", "Use a method the endpoint documentation lists."),
    413: ("Request body too large.", "Send a smaller request."),
    415: ("Unsupported media type.", "Send the request body as application/json."),
    429: (
        "Too many requests sent.",
        "Check request rate limit specified in the API endpoint documentation resource.",
    ),
    500: ("Something went wrong.", "Contact the support."),
    503: ("Service unavailable.", "Retry the request later."),
}

V3_RESOURCES: dict[int, list[dict[str, str]]] = {
    401: [
        {
            "name": "API Authentication",
            "url": "https://www.infobip.com/docs/essentials/api-authentication",
        }
    ],
    403: [
        {
            "name": "API Scopes",
            "url": "https://www.infobip.com/docs/essentials/api-essentials/api-authorization#api-scopes",
        }
    ],
    429: [
        {
            "name": "Throttling handling errors",
            "url": "https://www.infobip.com/docs/essentials/integration-best-practices#throttling-handling-errors",
        }
    ],
}


def is_v3(path: str) -> bool:
    return path.lstrip("/").startswith("sms/3/")


def v3_body(error: InfobipError) -> dict[str, Any]:
    description, action = V3_TEXTS.get(error.http_status, V3_TEXTS[500])
    violations = [{"property": p, "violation": v} for p, v in error.violations]
    if not violations and error.text != error.default_text:
        # A problem with no single property (e.g. an illegal transition) still says what.
        violations = [{"property": "", "violation": error.text}]
    return {
        "errorCode": f"E{error.http_status}",
        "description": description,
        "action": action,
        "violations": violations,
        "resources": V3_RESOURCES.get(error.http_status, []),
    }


def v1_body(error: InfobipError) -> dict[str, Any]:
    exception: dict[str, Any] = {"messageId": error.message_id, "text": error.text}
    if error.violations:
        grouped: dict[str, list[str]] = {}
        for path, problem in error.violations:
            grouped.setdefault(path, []).append(problem)
        exception["validationErrors"] = grouped
    return {"requestError": {"serviceException": exception}}


def error_body(error: InfobipError, path: str) -> bytes:
    body = v3_body(error) if is_v3(path) else v1_body(error)
    return jsoncodec.dumps(body)
