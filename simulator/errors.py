"""Infobip errors as classes, raised anywhere and rendered once by the API middleware.

Each class carries the HTTP status and the v1 ``messageId`` code; the middleware renders it in
the envelope of the API family the request came through (see :mod:`simulator.api.envelopes`).
``violations`` name the offending property paths.
"""

from __future__ import annotations

from collections.abc import Iterable

Violation = tuple[str, str]
"""(property path, what is wrong).

For example ``("messages[0].destinations[0].to", "must not be blank")``.
"""


class InfobipError(Exception):
    http_status = 500
    message_id = "GENERAL_ERROR"
    default_text = "Something went wrong. Please contact support."

    def __init__(
        self,
        text: str | None = None,
        violations: Iterable[Violation] = (),
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.text = text or self.default_text
        self.violations: list[Violation] = list(violations)
        self.headers = headers or {}
        super().__init__(self.text)


class BadRequest(InfobipError):
    http_status = 400
    message_id = "BAD_REQUEST"
    default_text = "Bad request"


class Unauthorized(InfobipError):
    http_status = 401
    message_id = "UNAUTHORIZED"
    default_text = "Invalid login details"


class Forbidden(InfobipError):
    http_status = 403
    message_id = "FORBIDDEN"
    default_text = "Forbidden"


class NotFound(InfobipError):
    http_status = 404
    message_id = "NOT_FOUND"
    default_text = "Not found"


class MethodNotAllowed(InfobipError):
    http_status = 405
    message_id = "METHOD_NOT_ALLOWED"
    default_text = "Method not allowed"


class PayloadTooLarge(InfobipError):
    http_status = 413
    message_id = "PAYLOAD_TOO_LARGE"
    default_text = "Request body too large"


class UnsupportedMediaType(InfobipError):
    http_status = 415
    message_id = "UNSUPPORTED_MEDIA_TYPE"
    default_text = "Unsupported media type"


class TooManyRequests(InfobipError):
    http_status = 429
    message_id = "TOO_MANY_REQUESTS"
    default_text = "Too many requests"


class ServiceUnavailable(InfobipError):
    http_status = 503
    message_id = "SERVICE_UNAVAILABLE"
    default_text = "Service unavailable"


def bad_request(path: str, problem: str) -> BadRequest:
    """A 400 naming one property."""
    return BadRequest(violations=[(path, problem)])
