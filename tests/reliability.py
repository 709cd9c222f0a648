"""The configuration of the reliability tests, in one place: how much each one tries, and
every documented exclusion with its reason.

The tests read their budgets from here, and ``tests/RELIABILITY.md`` is rendered from here
(:func:`render_figures`); ``tests/test_reliability_figures.py`` fails when the file and this
module disagree, so the figures cannot drift from what the suite really runs. Regenerate the
file with ``python tests/reliability.py``.

Budgets are what CI runs. ``SMS_SIM_FUZZ_EXAMPLES`` (examples per operation and mode),
``SMS_SIM_PROPERTY_EXAMPLES`` (state-machine runs) and ``SMS_SIM_SOAK_SECONDS`` raise them
for a longer local run; the figures always state the CI budgets.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from conformance import Exclusion

FIGURES_PATH = Path(__file__).parent / "RELIABILITY.md"


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


# -- conformance (schemathesis) ------------------------------------------------------------------
FUZZ_EXAMPLES = 25
"""Hypothesis examples per operation and generation mode in CI (derandomized: the same
requests on every run)."""
FUZZ_EXAMPLES_RUN = _env_int("SMS_SIM_FUZZ_EXAMPLES", FUZZ_EXAMPLES)
SEEDED_BULK_OPERATIONS = (
    ("GET", "/sms/1/bulks"),
    ("PUT", "/sms/1/bulks"),
    ("GET", "/sms/1/bulks/status"),
    ("PUT", "/sms/1/bulks/status"),
)
"""Fuzzed a second time with ``bulkId`` naming a freshly seeded pending bulk (a random
``bulkId`` only ever finds nothing: 404)."""

# -- model-based property tests (Hypothesis) ------------------------------------------------------
PROPERTY_EXAMPLES = 100
"""Runs of each state machine (and generated programs of the determinism property) in CI."""
PROPERTY_EXAMPLES_RUN = _env_int("SMS_SIM_PROPERTY_EXAMPLES", PROPERTY_EXAMPLES)
PROPERTY_STEPS = 30
"""Steps per state-machine run (and at most per program)."""

# -- load and faults ---------------------------------------------------------------------------
LOAD_CLIENTS = 8
"""Threads sending at once in the concurrency test."""
LOAD_REQUESTS_PER_CLIENT = 25
"""Send requests per client (one to three destinations each, v3 and v2 alternately)."""
LOAD_PULLERS = 2
"""Threads pulling reports meanwhile (one from /sms/3/reports, one from /sms/1/reports)."""
LOAD_ADVANCES = 20
"""Clock advances (1 s each) at least, from one more thread, while the clients send."""
LOAD_MESSAGES = LOAD_CLIENTS * sum(1 + r % 3 for r in range(LOAD_REQUESTS_PER_CLIENT))
SOAK_SECONDS = 5.0
"""Real seconds of soak in CI (after a warm-up); SMS_SIM_SOAK_SECONDS runs longer."""
SOAK_SECONDS_RUN = _env_float("SMS_SIM_SOAK_SECONDS", SOAK_SECONDS)
SOAK_MEMORY_SLACK_BYTES = 1_000_000
"""How much the traced memory may grow between the first and the last quarter of the soak."""
WEBHOOK_FAULTS = (
    "connection-reset",
    "not-http",
    "binary-garbage",
    "impossible-status",
    "bad-header",
    "slow-body",
    "truncated-body",
)
"""Receiver misbehaviours in tests/test_load_faults.py (tests/test_webhooks.py has hanging
receivers, 5xx and 404 answers, timeouts and refused connections)."""

# -- the bad-input sweep -------------------------------------------------------------------------
JSON_TYPE = "application/json"


def _v3(message: str) -> bytes:
    """A v3 send whose one message object is ``message`` (raw JSON text)."""
    return b'{"messages": [' + message.encode() + b"]}"


_LONG = "7" * 200_000
BAD_BODIES: tuple[tuple[str, str, str, str | None, bytes], ...] = (
    # (name, method, path, Content-Type, raw body)
    (
        "v3-lone-surrogate",
        "POST",
        "/sms/3/messages",
        JSON_TYPE,
        _v3('{"destinations": [{"to": "1"}], "content": {"text": "x\\ud800"}}'),
    ),
    (
        "v2-lone-surrogate-in-a-key",
        "POST",
        "/sms/2/text/advanced",
        JSON_TYPE,
        b'{"messages": [{"destinations": [{"to": "1"}], "text": "x", "\\udfff": 1}]}',
    ),
    ("preview-lone-surrogate", "POST", "/sms/1/preview", JSON_TYPE, b'{"text": "\\udbff"}'),
    (
        "control-inbound-lone-surrogate",
        "POST",
        "/__sim/inbound",
        JSON_TYPE,
        b'{"from": "1", "to": "2", "text": "\\ud800"}',
    ),
    (
        "v3-integer-of-5000-digits",
        "POST",
        "/sms/3/messages",
        JSON_TYPE,
        _v3(
            '{"destinations": [{"to": "1"}], "content": {"text": "x"}, '
            '"options": {"validityPeriod": {"amount": ' + "9" * 5000 + "}}}"
        ),
    ),
    (
        "v3-infinite-number-for-a-string",
        "POST",
        "/sms/3/messages",
        JSON_TYPE,
        _v3('{"destinations": [{"to": 1e999}], "content": {"text": "x"}}'),
    ),
    (
        "control-advance-by-1e306-seconds",
        "POST",
        "/__sim/clock/advance",
        JSON_TYPE,
        b'{"by": 1e306}',
    ),
    ("control-advance-by-infinity", "POST", "/__sim/clock/advance", JSON_TYPE, b'{"by": 1e999}'),
    (
        "control-advance-by-a-400-digit-integer",
        "POST",
        "/__sim/clock/advance",
        JSON_TYPE,
        b'{"by": 1' + b"0" * 400 + b"}",
    ),
    (
        "control-advance-by-a-huge-iso-duration",
        "POST",
        "/__sim/clock/advance",
        JSON_TYPE,
        b'{"by": "P' + b"9" * 400 + b'D"}',
    ),
    (
        "control-deeply-nested",
        "POST",
        "/__sim/clock/advance",
        JSON_TYPE,
        b"[" * 100_000 + b"]" * 100_000,
    ),
    ("control-not-utf8", "POST", "/__sim/inbound", JSON_TYPE, b'{"from": "\xff\xfe"}'),
    ("control-truncated-json", "POST", "/__sim/scenario", JSON_TYPE, b'{"yaml": "version: 1'),
    (
        "control-scenario-name-traversal",
        "POST",
        "/__sim/scenario",
        JSON_TYPE,
        b'{"name": "../../../../etc/passwd"}',
    ),
    (
        "control-scenario-absolute-path",
        "POST",
        "/__sim/scenario",
        JSON_TYPE,
        b'{"name": "/etc/passwd"}',
    ),
    ("control-state-garbage", "POST", "/__sim/state", JSON_TYPE, b'{"format": 1, "accounts": 7}'),
    (
        "v3-200k-character-destination",
        "POST",
        "/sms/3/messages",
        JSON_TYPE,
        _v3('{"destinations": [{"to": "' + _LONG + '"}], "content": {"text": "x"}}'),
    ),
    (
        "v2-200k-character-bulk-id",
        "POST",
        "/sms/2/text/advanced",
        JSON_TYPE,
        b'{"bulkId": "' + _LONG.encode() + b'", "messages": [{"destinations": [{"to": "1"}]}]}',
    ),
    (
        "control-200k-character-text",
        "POST",
        "/__sim/inbound",
        JSON_TYPE,
        b'{"from": "1", "to": "2", "text": "' + _LONG.encode() + b'"}',
    ),
    (
        "v3-form-encoded",
        "POST",
        "/sms/3/messages",
        "application/x-www-form-urlencoded",
        b"messages=1&to=41793026727",
    ),
    (
        "v2-multipart",
        "POST",
        "/sms/2/text/advanced",
        "multipart/form-data; boundary=x",
        b'--x\r\nContent-Disposition: form-data; name="to"\r\n\r\n1\r\n--x--\r\n',
    ),
    ("v3-no-content-type-binary", "POST", "/sms/3/messages", None, bytes(range(32))),
    (
        "v3-utf16-json",
        "POST",
        "/sms/3/messages",
        "application/json; charset=utf-16",
        '{"messages": []}'.encode("utf-16"),
    ),
    (
        "control-oversized-scenario",
        "POST",
        "/__sim/scenario",
        JSON_TYPE,
        b'{"yaml": "' + b"x" * 300_000 + b'"}',
    ),
    ("control-oversized-inbound", "POST", "/__sim/inbound", JSON_TYPE, b" " * 300_000),
)
"""Bodies refused in the sweep (the simulator under test there takes at most 256 KiB)."""

BAD_PATHS: tuple[tuple[str, str, str, int], ...] = (
    # (name, method, raw path and query, expected status)
    ("bulk-id-traversal", "GET", "/sms/1/bulks?bulkId=../../etc/passwd", 404),
    (
        "bulk-id-encoded-traversal",
        "GET",
        "/sms/1/bulks/status?bulkId=%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        404,
    ),
    ("control-bulk-traversal", "POST", "/__sim/bulks/..%2F..%2Fetc%2Fpasswd/status", 400),
    ("console-encoded-traversal", "GET", "/__sim/console/..%2F..%2Fpyproject.toml", 404),
    ("console-dot-segments", "GET", "/__sim/console/%2e%2e/%2e%2e/pyproject.toml", 404),
    ("console-source-file", "GET", "/__sim/console/..%2Froutes.py", 404),
    ("duplicate-limit-first-wins", "GET", "/sms/3/reports?limit=abc&limit=1", 400),
    ("duplicate-limit-control", "GET", "/__sim/messages?limit=x&limit=5", 400),
    ("duplicate-bulk-id-first-wins", "GET", "/sms/1/bulks?bulkId=NOPE&bulkId=SWEEP-BULK", 404),
    ("crlf-in-console-name", "GET", "/__sim/console/%0d%0aX-Injected:%201", 404),
    ("crlf-in-bulk-id", "GET", "/sms/1/bulks?bulkId=%0d%0aX-Injected:%201", 404),
    ("crlf-in-control-bulk-id", "POST", "/__sim/bulks/%0d%0aX-Injected:%201/status", 400),
    ("crlf-in-unknown-path", "GET", "/sms/3/%0d%0aX-Injected:%201", 404),
    ("null-byte-in-bulk-id", "GET", "/sms/1/bulks?bulkId=%00", 404),
)

_REQUEST = b"Host: sweep\r\nAuthorization: App sweep-key\r\n"
BAD_RAW_REQUESTS: tuple[tuple[str, bytes, bool], ...] = (
    # (name, the bytes sent, whether the client then closes its side)
    (
        "truncated-body",
        b"POST /sms/3/messages HTTP/1.1\r\n"
        + _REQUEST
        + b"Content-Type: application/json\r\nContent-Length: 500\r\n\r\n"
        + _v3("{"),
        True,
    ),
    (
        "cr-inside-a-header",
        b"GET /sms/3/logs HTTP/1.1\r\n" + _REQUEST + b"X-Trace: a\rX-Injected: 1\r\n\r\n",
        False,
    ),
    (
        "header-over-8190-bytes",
        b"GET /sms/3/logs HTTP/1.1\r\n" + _REQUEST + b"X-Pad: " + b"p" * 10_000 + b"\r\n\r\n",
        False,
    ),
    (
        "request-line-over-8190-bytes",
        b"GET /sms/3/logs?pad=" + b"p" * 10_000 + b" HTTP/1.1\r\n" + _REQUEST + b"\r\n",
        False,
    ),
    (
        "negative-content-length",
        b"POST /sms/3/messages HTTP/1.1\r\n" + _REQUEST + b"Content-Length: -5\r\n\r\n",
        False,
    ),
    (
        "two-content-lengths",
        b"POST /sms/3/messages HTTP/1.1\r\n"
        + _REQUEST
        + b"Content-Length: 2\r\nContent-Length: 20\r\n\r\n{}",
        False,
    ),
    (
        "chunked-and-content-length",
        b"POST /sms/3/messages HTTP/1.1\r\n"
        + _REQUEST
        + b"Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n0\r\n\r\n",
        False,
    ),
    (
        "bad-chunk-size",
        b"POST /sms/3/messages HTTP/1.1\r\n"
        + _REQUEST
        + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
        False,
    ),
    ("null-byte-in-the-path", b"GET /sms/3/logs\x00 HTTP/1.1\r\n" + _REQUEST + b"\r\n", False),
    (
        "tls-hello-on-plain-http",
        b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + b"\x00" * 40,
        False,
    ),
)


def _laughs(levels: int, width: int) -> str:
    """Billion laughs: each level a list of ``width`` aliases to the one below."""
    parts = [f"&l0 [{', '.join(['lol'] * width)}]"]
    parts += [f"&l{k} [{', '.join([f'*l{k - 1}'] * width)}]" for k in range(1, levels)]
    return "version: 1\nrules: [" + ", ".join(parts) + "]\n"


def _merges(levels: int, width: int) -> str:
    """The same through merge keys (<<), which the loader resolves itself."""
    mapping = "&m0 {report_url: 'http://127.0.0.1:1/x'}"
    for k in range(1, levels):
        mapping = f"&m{k} {{<<: [{mapping}" + f", *m{k - 1}" * (width - 1) + "]}"
    return f"version: 1\ndefaults: {{<<: [{mapping}]}}\n"


YAML_BOMBS: tuple[tuple[str, str], ...] = (
    ("billion-laughs", _laughs(9, 9)),
    ("merge-key-bomb", _merges(9, 9)),
    ("recursive-alias", "version: 1\nrules: &r [*r]\n"),
    ("deep-nesting", "version: 1\nrules: " + "[" * 5000 + "]" * 5000 + "\n"),
    ("lone-surrogate", 'version: 1\ndescription: "\\ud800"\n'),
    (
        "many-aliases",
        "version: 1\nrules: [&r {reject: REJECTED_NETWORK}" + ", *r" * 120_000 + "]\n",
    ),
    ("huge-scenario", "version: 1\ndescription: " + "x" * (4 * 1024 * 1024) + "\n"),
)
"""Scenario texts refused by POST /__sim/scenario and by the loader (text and file)."""

INFOBIP_NOT_SERVED = {
    "/ct/1/log/end/{messageId}": (
        "POST /ct/1/log/end/{messageId} (Confirm conversion) belongs to Infobip's conversion "
        "tracking product, not to sending or reading SMS; the simulator answers it 404 in the v1 "
        "envelope (checked in tests/test_openapi_examples.py)"
    )
}
INFOBIP_EXCLUSIONS = (
    Exclusion(
        "not-served",
        "POST /ct/1/log/end/{messageId} is not fuzzed",
        INFOBIP_NOT_SERVED["/ct/1/log/end/{messageId}"],
    ),
    Exclusion(
        "xml-bodies",
        "application/xml request bodies are not generated",
        "the simulator reads JSON only and answers XML 415 in the family envelope "
        "(tests/test_api_errors.py::test_xml_bodies_are_415)",
    ),
    Exclusion(
        "infobip-date-time",
        "date-time formats are checked by tests/schema_check.py, not by jsonschema",
        "Infobip writes yyyy-MM-dd'T'HH:mm:ss.SSS+0000, as the document's own examples do; an "
        "RFC 3339 checker refuses the +0000 offset of every Infobip date",
    ),
    Exclusion(
        "undocumented-400",
        "400 on GET /sms/3/reports and GET /sms/3/logs",
        "the document lists no 400 for them; the simulator refuses bad parameters (limit outside "
        "1..1000, mnc without mcc, an unknown cursor) with a 400 ApiError as on every other v3 "
        "endpoint; the body is checked against the ApiError schema",
    ),
    Exclusion(
        "query-credentials-401",
        "401 on GET /sms/1/text/query",
        "the document lists 200, 400 and 500 only; a blank username or password is refused 401 "
        "in the v1 envelope as on every other endpoint; the body is checked against the "
        "ApiException schema",
    ),
    Exclusion(
        "stricter",
        "a document-valid request refused 400 for a reason in INFOBIP_STRICTER",
        "the document states fewer constraints than Infobip's gateway enforces; every violation "
        "named in such a 400 must match one of the rules below, else the test fails",
    ),
    Exclusion(
        "lenient-empty-query",
        "a document-invalid request accepted because an empty query value is taken as absent",
        "as Spring, which Infobip's API runs on, binds an empty optional parameter to null",
    ),
    Exclusion(
        "lenient-coercion",
        "a document-invalid request accepted because a value is coerced",
        "as Jackson does: a number for a string, a numeric string for a number, 'true' for a "
        "boolean, one value for a list, null for an optional property left out; the request "
        "must validate once coerced, else the test fails",
    ),
    Exclusion(
        "ignored-options",
        "a document-invalid request accepted because the invalid value is in an option the "
        "simulator ignores",
        "regional options (indiaDlt*, turkeyIys*, southKorea*, regional), tracking (track, "
        "trackingType, trackingUrl, processKey, tracking, conversionTracking, urlOptions) change "
        "nothing a simulated message does, so their insides are not validated; the request must "
        "validate without them, else the test fails",
    ),
    Exclusion(
        "validity-capped",
        "a validityPeriod past its range is accepted",
        "the simulator sets any validity above 48 hours to 48 hours without error (README, "
        "'Validity'), however large the number (even past the int32 the document gives it); "
        "the request must validate once the number is moved into range",
    ),
    Exclusion(
        "request-line-limit",
        "a request line or header over 8190 bytes is refused before routing",
        "aiohttp's HTTP parser answers it 400 in plain text (no envelope can be given before "
        "the request is parsed); the server goes on serving",
    ),
)


INFOBIP_IGNORED = frozenset(
    {
        "indiaDltContentTemplateId",
        "indiaDltPrincipalEntityId",
        "indiaDltTelemarketerId",
        "turkeyIysBrandCode",
        "turkeyIysRecipientType",
        "southKoreaResellerCode",
        "southKoreaTitle",
        "regional",
        "track",
        "trackingType",
        "trackingUrl",
        "processKey",
        "tracking",
        "conversionTracking",
        "urlOptions",
    }
)
"""Options read for their type at most (an object must be an object), never for content."""


@dataclass(frozen=True, slots=True)
class Stricter:
    """A rule the simulator enforces that the document does not state: a 400 for a
    document-valid request is explained when each violation matches one such rule."""

    key: str
    property: str
    """A regular expression over the property path (indices dropped: ``messages[].to``)."""
    message: str
    """A regular expression the violation's message must start with."""
    reason: str

    def explains(self, prop: str, message: str) -> bool:
        return (
            re.fullmatch(self.property, prop) is not None
            and re.match(self.message, message) is not None
        )


INFOBIP_STRICTER = (
    Stricter(
        "required",
        r".*",
        r"must not be (empty|blank|null)",
        "the document sets no minItems or minLength and marks few fields required; Infobip "
        "refuses empty lists, blank strings and missing content (bean validation @NotEmpty, "
        "@NotBlank, @NotNull)",
    ),
    Stricter(
        "enumerations",
        r".*",
        r"must be one of \[",
        "the query sends declare languageCode, transliteration and notifyContentType as free "
        "strings; the values accepted are the ones the document enumerates elsewhere",
    ),
    Stricter(
        "callable-urls",
        r".*([uU]rl)",
        r"must be an http:// or https:// URL",
        "a webhook URL the simulator could never call",
    ),
    Stricter(
        "bounds",
        r".*",
        r"must be (greater|less) than or equal to|must be between 1 and 1000|size must be between"
        r"|is out of range for a 64-bit integer",
        "limits the document states in descriptions (limit at most 1000, validityPeriod at "
        "least 1, dataCoding and esmClass are octets, text at most 4096) or Java's long range",
    ),
    Stricter(
        "hex",
        r".*hex",
        r"hex content|.*hexadecimal|.*not hex",
        "hex content must be hexadecimal octets",
    ),
    Stricter("mnc-needs-mcc", r"mnc", r"requires mcc", "a network code means nothing alone"),
    Stricter(
        "cursor",
        r"cursor",
        r"is not a cursor returned by a previous call",
        "cursors are opaque: only those the simulator handed out are understood",
    ),
    Stricter(
        "time-window",
        r".*deliveryTimeWindow.*",
        r"must be at least 1 hour after",
        "the document's description: the window must be at least one hour long",
    ),
    Stricter(
        "schedule-horizon",
        r".*sendAt",
        r"must (not be more than|be at most) 180 days",
        "the document's description: sendAt at most 180 days ahead",
    ),
    Stricter(
        "date-times",
        r".*(sendAt|sentSince|sentUntil)",
        r"must be a date-time such as",
        "years before 1 or after 9999 and offsets past 18 hours cannot be an instant",
    ),
    Stricter(
        "bulk-lifecycle",
        r"",
        r"Bulk \S+ (is|was)|Status \S+ cannot be set by a client",
        "the bulk rules (README, 'Bulks'): a cancelled or sent bulk cannot change; PROCESSING, "
        "FINISHED and FAILED are the simulator's to set",
    ),
)


CONTROL_NOT_FUZZED = {
    "/__sim/stream": (
        "GET /__sim/stream is a server-sent event stream that never ends; it is tested in "
        "tests/test_console_stream.py"
    )
}
CONTROL_EXCLUSIONS: tuple[Exclusion, ...] = (
    Exclusion(
        "not-fuzzed-stream",
        "GET /__sim/stream is not fuzzed",
        CONTROL_NOT_FUZZED["/__sim/stream"],
    ),
    Exclusion(
        "infobip-date-time",
        "date-time formats are checked by tests/schema_check.py, not by jsonschema",
        "the control plane writes instants as Infobip does (yyyy-MM-dd'T'HH:mm:ss.SSS+0000, the "
        "document's Instant says so); an RFC 3339 checker refuses the +0000 offset",
    ),
    Exclusion(
        "stricter",
        "a document-valid request refused 400 for a reason in CONTROL_STRICTER",
        "the document's schemas do not state every rule (what a duration, a YAML scenario or a "
        "saved state must hold); every such 400 must match one of the rules below",
    ),
    Exclusion(
        "lenient-coercion",
        "a document-invalid request accepted because a value is coerced",
        "as on the Infobip surface; the request must validate once coerced",
    ),
    Exclusion(
        "lenient-empty-query",
        "a document-invalid request accepted because an empty query value is taken as absent",
        "as on the Infobip surface",
    ),
)
CONTROL_EXCLUSIONS += (
    Exclusion(
        "clamped-limit",
        "a limit outside its range is clamped, not refused, on /__sim/events, /__sim/messages, "
        "/__sim/requests, /__sim/webhooks and /__sim/inbound",
        "these journal reads predate the paged /__sim/browse/* views (which refuse it); scripts "
        "rely on limit=0 and huge limits working; the request must validate once clamped",
    ),
    Exclusion(
        "unknown-filter-values",
        "a state or kind filter outside its enumeration matches nothing instead of being refused",
        "an empty answer for a filter, as for a URL or message id that matches nothing; the "
        "request must validate without it",
    ),
)
CONTROL_STRICTER = (
    Stricter(
        "durations",
        r"\S+ by",
        r"empty duration|.* is not (a|an ISO 8601) duration|.*too long a duration"
        r"|a duration (cannot be negative|must be)",
        "Duration is documented as a string such as 15m or a number of seconds; a schema cannot "
        "state the grammar of the string",
    ),
    Stricter(
        "clock-never-backwards",
        r"\S+ (to|at|by|sendAt)",
        r"the clock cannot go (backwards|past)|must not be in the past",
        "the clock never goes backwards (README, 'The control plane') and cannot pass "
        "9999-12-31T23:59:59.999Z, the last instant Infobip's date format can write",
    ),
    Stricter(
        "scenario-content",
        r"/__sim/scenario (yaml|name)",
        r".",
        "a scenario is YAML with a schema of its own, checked by the scenario loader (file, "
        "line, key path in the message); the document can only say it is a string",
    ),
    Stricter(
        "saved-state",
        r"/__sim/state body",
        r"the saved state",
        "the saved state is opaque on purpose (only what GET /__sim/state wrote loads back); "
        "the document states only its format number",
    ),
    Stricter(
        "bulk-lifecycle",
        r"/__sim/bulks/\{bulkId\}/\w+ (status|sendAt|body|)",
        r"Bulk \S+ (is|was)|.*cannot be set by a client|.*180 days",
        "the same bulk rules as PUT /sms/1/bulks/status and PUT /sms/1/bulks",
    ),
)


BUGS_FIXED = (
    (
        "simulator/api/common.py, simulator/control.py, simulator/api/validation.py",
        "a JSON string holding an unpaired UTF-16 surrogate (\\ud800) was accepted and stored; "
        "every later answer showing it (logs, reports, journals, the console) failed with a 500",
        "such bodies are refused 400 naming the property",
    ),
    (
        "simulator/timefmt.py",
        "a duration of 1e306 seconds (or a 400-digit number, or P999...D) overflowed: "
        "POST /__sim/clock/advance answered 500",
        "too long a duration is a 400; an integer of any size reaches the clock's own limit",
    ),
    (
        "simulator/timefmt.py",
        "instants before the year 1000 were written with fewer than four year digits "
        "(PUT /sms/1/bulks echoed sendAt 209-12-16T...), which no client (nor the simulator) "
        "parses back",
        "the year is always four digits",
    ),
    (
        "simulator/scenario_yaml.py, simulator/scenario.py",
        "a 300-byte scenario of nested merge keys (<<) took exponential time on the event loop "
        "(a denial of service through POST /__sim/scenario); deeply nested YAML and recursive "
        "aliases crashed the loader with RecursionError (500); a lone surrogate in a scenario "
        "poisoned GET /__sim/scenario",
        "alias expansion is counted in linear time and capped (100 000 values), nesting, loops, "
        "surrogates and texts over 4 MiB are refused with the file and line",
    ),
    (
        "simulator/api/common.py, simulator/control.py",
        "a client closing the connection in the middle of its body was logged as an internal "
        "error and journaled as a 500",
        "it is a 400 (the body is truncated), journaled as such",
    ),
    (
        "simulator/api/validation.py",
        "1e999 given for a string property (a destination) was accepted as the text 'inf'",
        "refused 400: a number out of range",
    ),
    (
        "simulator/api/reports.py",
        "GET /sms/3/logs?useCursor=yes (anything but true) silently meant no cursor",
        "useCursor must be true or false (400 otherwise)",
    ),
    (
        "simulator/control_bulks.py",
        "an offset past the 64-bit range on /__sim/browse/* was answered back, breaking the "
        "documented int64",
        "refused 400",
    ),
    (
        "simulator/control_openapi.py",
        "the control plane's document did not say that rate is at most 1e9, that a scenario "
        "request needs name or yaml, or that messageId and account must not be empty",
        "the document says what the server enforces",
    ),
)


def _bullets(exclusions: Iterable[Exclusion]) -> Iterable[str]:
    for exclusion in exclusions:
        yield f"- **{exclusion.key}**: {exclusion.what}. {exclusion.reason}."


def figure_lines() -> Iterable[str]:
    """The figures, as Markdown lines (what tests/RELIABILITY.md must hold)."""
    from conformance import operation_count
    from schema_check import SchemaChecker, load_openapi

    from simulator.api.routes import ENDPOINTS
    from simulator.control_openapi import DOCUMENT as CONTROL

    infobip = load_openapi()
    checker = SchemaChecker(infobip)
    served = {(e.method, e.path) for e in ENDPOINTS}
    spec_ops = [
        (m.upper(), p) for p, item in infobip["paths"].items() for m in item if m in METHODS_
    ]
    examples = sum(len(checker.request_examples(p, m)) for m, p in spec_ops if (m, p) in served)
    gets = sum(1 for m, p in spec_ops if m == "GET" and (m, p) in served)
    infobip_ops = operation_count(infobip)
    infobip_fuzzed = infobip_ops - len(INFOBIP_NOT_SERVED)
    control_ops = operation_count(CONTROL)
    control_fuzzed = control_ops - len(CONTROL_NOT_FUZZED)
    seeded = len(SEEDED_BULK_OPERATIONS)
    infobip_cases = (infobip_fuzzed + seeded) * 2 * FUZZ_EXAMPLES
    control_cases = control_fuzzed * 2 * FUZZ_EXAMPLES
    machine_steps = PROPERTY_EXAMPLES * PROPERTY_STEPS
    bombs = len(YAML_BOMBS)
    swept = len(BAD_BODIES) + len(BAD_PATHS) + len(BAD_RAW_REQUESTS) + 2 * bombs + 2

    yield "# Reliability figures"
    yield ""
    yield (
        "Generated from `tests/reliability.py` by `python tests/reliability.py`; "
        "`tests/test_reliability_figures.py` fails when this file and the configuration "
        "disagree. Every count is what one CI run of `python -m pytest` tries (the runs are "
        "derandomized: the same requests every time); `SMS_SIM_FUZZ_EXAMPLES`, "
        "`SMS_SIM_PROPERTY_EXAMPLES` and `SMS_SIM_SOAK_SECONDS` make a longer run."
    )
    yield ""
    yield "| | |"
    yield "|---|---|"
    yield "| messages lost | **0** (asserted by every load, fault and property test) |"
    yield "| messages duplicated | **0** |"
    yield "| 5xx answers to fuzzed, swept or load requests | **0** |"
    yield (
        f"| operations fuzzed | {infobip_fuzzed} of Infobip's {infobip_ops}, {control_fuzzed} of "
        f"the control plane's {control_ops} |"
    )
    yield f"| fuzzed requests per run (at most) | {infobip_cases + control_cases} |"
    yield f"| state-machine steps per run (at most) | {2 * machine_steps} |"
    yield f"| bad inputs swept | {swept} |"
    yield f"| bugs found and fixed | {len(BUGS_FIXED)} |"
    yield ""
    yield "## Conformance: schemathesis against a loopback server"
    yield ""
    yield "`tests/test_conformance_infobip.py`, `tests/test_conformance_control.py`."
    yield ""
    yield "| | Infobip's document | the control plane's document |"
    yield "|---|---|---|"
    yield f"| operations in the document | {infobip_ops} | {control_ops} |"
    yield f"| operations fuzzed | {infobip_fuzzed} | {control_fuzzed} |"
    yield "| generation modes | positive, negative | positive, negative |"
    yield f"| examples per operation and mode | {FUZZ_EXAMPLES} | {FUZZ_EXAMPLES} |"
    yield f"| bulk operations fuzzed again against a seeded bulk | {seeded} | - |"
    yield f"| requests per run (at most) | {infobip_cases} | {control_cases} |"
    yield ""
    yield (
        "Checked on every answer: no 5xx; a documented status code and content type; the body "
        "against the documented schema, twice (schemathesis' jsonschema validation, and "
        "`tests/schema_check.py`); in negative mode, that the request is refused with a 4xx."
    )
    yield ""
    yield (
        f"Every example of Infobip's document is sent as well (`tests/test_openapi_examples.py`): "
        f"{examples} request bodies and {gets} GET operations built from the parameters' "
        "examples, each answer validated against the response schema."
    )
    yield ""
    yield "Exclusions, Infobip's document:"
    yield ""
    yield from _bullets(INFOBIP_EXCLUSIONS)
    yield ""
    yield "Rules the simulator enforces that Infobip's document does not state (`stricter`):"
    yield ""
    for rule in INFOBIP_STRICTER:
        yield f"- **{rule.key}**: {rule.reason}."
    yield ""
    yield "Exclusions, the control plane's document:"
    yield ""
    yield from _bullets(CONTROL_EXCLUSIONS)
    yield ""
    yield "Rules the control plane enforces that its document does not state:"
    yield ""
    for rule in CONTROL_STRICTER:
        yield f"- **{rule.key}**: {rule.reason}."
    yield ""
    yield "## Model-based property tests (Hypothesis)"
    yield ""
    yield (
        f"- The gateway without HTTP (`tests/test_gateway_stateful.py`): {PROPERTY_EXAMPLES} "
        f"runs of up to {PROPERTY_STEPS} steps ({machine_steps} steps) of sends (sendAt or not, "
        "short and long validity, new and reused bulk ids, one or two message objects), "
        "reschedules, pauses, resumes, cancels, clock advances and report pulls, checked "
        "against a reference model after every step: one final status per message, each "
        "report pulled once, cancelled bulks never deliver, paused bulks send nothing, nothing "
        "delivered after its validity, events in time order, the clock never back."
    )
    yield (
        f"- The same seed reproduces the same run: {PROPERTY_EXAMPLES // 2} random programs "
        f"of up to {PROPERTY_STEPS} steps, each run twice and compared."
    )
    yield (
        f"- The schedule against a sorted list (`tests/test_schedule_stateful.py`): "
        f"{PROPERTY_EXAMPLES} runs of up to {PROPERTY_STEPS} adds, cancels, reschedules and "
        "pops."
    )
    yield ""
    yield "## Load and faults (`tests/test_load_faults.py`)"
    yield ""
    yield (
        f"- Concurrency: {LOAD_CLIENTS} clients x {LOAD_REQUESTS_PER_CLIENT} send requests "
        f"({LOAD_MESSAGES} messages) at once, while one thread advances the clock (at least "
        f"{LOAD_ADVANCES} times) and {LOAD_PULLERS} pull reports: every accepted message "
        "journaled once, delivered, its report pulled once."
    )
    yield (
        f"- Soak: {SOAK_SECONDS:g} s of steady load after a warm-up, message retention on; "
        f"traced memory may grow at most {SOAK_MEMORY_SLACK_BYTES // 1000} kB; every answer "
        "a 200."
    )
    yield (
        f"- Webhook receivers that misbehave ({len(WEBHOOK_FAULTS)} kinds): "
        + ", ".join(WEBHOOK_FAULTS)
        + "; every attempt recorded, retried on Infobip's schedule, the API under 1 s "
        "meanwhile (hanging receivers, 5xx, timeouts and refused connections: "
        "`tests/test_webhooks.py`)."
    )
    yield ""
    yield "## Bad input (`tests/test_bad_input_sweep.py`, `tests/test_control_token.py`)"
    yield ""
    yield (
        f"- {len(BAD_BODIES)} bad bodies, {len(BAD_PATHS)} bad URLs (path traversal, duplicate "
        f"parameters, CR/LF), {len(BAD_RAW_REQUESTS)} broken HTTP requests, {bombs} YAML bombs "
        "and huge scenarios (each through POST /__sim/scenario and through the loader), a "
        "truncated body and an oversized scenario file: each a clear 4xx or refused, "
        "GET /__sim/state unchanged."
    )
    yield (
        f"- The control token on all {control_ops} control-plane operations (5 wrong "
        f"credentials each); 403 in the right envelope on all {len(ENDPOINTS)} Infobip "
        "operations of the route table for a key without their scopes."
    )
    yield ""
    yield "## Bugs found and fixed"
    yield ""
    for where, what, fix in BUGS_FIXED:
        yield f"- `{where}`: {what}. Now: {fix}."


METHODS_ = ("get", "post", "put", "patch", "delete")


def render_figures() -> str:
    return "\n".join(figure_lines()) + "\n"


if __name__ == "__main__":
    FIGURES_PATH.write_text(render_figures(), encoding="utf-8")
    print(f"wrote {FIGURES_PATH}", file=sys.stderr)
