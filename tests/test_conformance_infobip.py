"""Infobip's own OpenAPI document (``tests/data/infobip-sms-openapi.json``), fuzzed with
schemathesis against a simulator on a loopback port.

Every operation the document describes (but the one the simulator does not serve) is run in
both generation modes for a bounded, derandomized budget (``tests/reliability.py``):

* **positive** (requests the document calls valid): no 5xx; a documented status code and
  content type; the body validates against the documented schema (schemathesis' jsonschema
  check, and tests/schema_check.py for Infobip's date-times); a 400 only for rules the
  document does not state but Infobip enforces, each violation matched to a documented rule
  (``INFOBIP_STRICTER``); a 404 only for a bulk that does not exist;
* **negative** (requests the document calls invalid): refused with a 4xx in the family's
  documented envelope, unless the request becomes valid once read as leniently as Infobip's
  Spring/Jackson stack reads it (empty optional parameters, numbers given as strings).

The bulk operations run a second time against a freshly seeded pending bulk, so that their
success paths are fuzzed too, not only "bulk not found". Every exclusion is listed, with its
reason, in ``tests/reliability.py`` and ``tests/RELIABILITY.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Final

import pytest
import requests
from conformance import (
    MODES,
    Case,
    Verdict,
    content_type,
    documented_schema,
    fuzz,
    fuzzable,
    iter_schema_problems,
    json_body,
    leniently_valid,
    load,
    operation_count,
    operations,
    schemathesis_failures,
    violations,
)
from reliability import (
    FUZZ_EXAMPLES_RUN,
    INFOBIP_EXCLUSIONS,
    INFOBIP_IGNORED,
    INFOBIP_NOT_SERVED,
    INFOBIP_STRICTER,
    SEEDED_BULK_OPERATIONS,
)
from schema_check import SchemaChecker, load_openapi
from schemathesis import GenerationMode, Response

from simulator.config import SimulatorConfig
from simulator.testing.server import ThreadedSimulator
from simulator.timefmt import parse_instant

DOCUMENT: Final = load_openapi()
FUZZED: Final = fuzzable(
    DOCUMENT, drop_paths=set(INFOBIP_NOT_SERVED), drop_media={"application/xml"}
)
SCHEMA: Final = load(FUZZED)
OPERATIONS: Final = {operation.label: operation for operation in operations(SCHEMA)}
CHECKER: Final = SchemaChecker(DOCUMENT)
START: Final = parse_instant("2026-01-01T09:00:00.000+0000")
AUTH: Final = {"Authorization": "App fuzz-key"}
SEEDED_BULK: Final = "FUZZ-SEEDED-BULK"
EXCLUDED: Final = {exclusion.key for exclusion in INFOBIP_EXCLUSIONS}

UNDOCUMENTED: Final = {
    ("GET", "/sms/3/reports", 400): ("undocumented-400", 401),
    ("GET", "/sms/3/logs", 400): ("undocumented-400", 401),
    ("GET", "/sms/1/text/query", 401): ("query-credentials-401", 400),
}
"""(method, path, status) -> (the exclusion, the documented status whose schema the body
must match instead: the family's error envelope)."""


def test_every_operation_of_the_document_is_fuzzed_but_the_one_not_served() -> None:
    assert len(OPERATIONS) == operation_count(DOCUMENT) - len(INFOBIP_NOT_SERVED) == 15
    assert all(path not in INFOBIP_NOT_SERVED for path in (op.path for op in OPERATIONS.values()))
    for path in INFOBIP_NOT_SERVED:
        assert path in DOCUMENT["paths"]
    assert all(
        "application/xml" not in op.get("requestBody", {}).get("content", {})
        for item in FUZZED["paths"].values()
        for op in item.values()
        if isinstance(op, dict)
    )


# -- the simulator under test -------------------------------------------------------------------
@pytest.fixture(scope="module")
def gateway() -> Iterator[ThreadedSimulator]:
    with ThreadedSimulator(SimulatorConfig(start=START, seed=11)) as running:
        yield running


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.trust_env = False  # loopback only, never through a proxy
        yield session


def post(http: requests.Session, gateway: ThreadedSimulator, path: str, body: object) -> None:
    response = http.post(gateway.url + path, json=body, headers=AUTH, timeout=10)
    assert response.status_code == 200, response.text


def seed(gateway: ThreadedSimulator, http: requests.Session) -> None:
    """Start over with something for every read to find: delivered v3 and v2 messages with
    the ids the document's examples use, a pending scheduled bulk, and an inbound message."""
    gateway.reset()
    post(
        http,
        gateway,
        "/sms/3/messages",
        {
            "messages": [
                {
                    "sender": "InfoSMS",
                    "destinations": [{"to": "41793026727", "messageId": "MESSAGE-ID-123-xyz"}],
                    "content": {"text": "This is a sample message"},
                    "options": {
                        "platform": {"entityId": "promotional-traffic-entity"},
                        "campaignReferenceId": "summersale",
                    },
                }
            ],
            "options": {"schedule": {"bulkId": "BULK-ID-123-xyz"}},
        },
    )
    post(
        http,
        gateway,
        "/sms/2/text/advanced",
        {"messages": [{"from": "InfoSMS", "destinations": [{"to": "41793026834"}], "text": "Hi"}]},
    )
    gateway.advance("5s")
    seed_bulk(gateway, http)
    simulator = gateway.simulator
    gateway.call(
        lambda: simulator.gateway.receive_inbound(
            simulator.gateway.account(), "385916242493", "385921004026", "QUIZ Paris"
        )
    )


def seed_bulk(gateway: ThreadedSimulator, http: requests.Session) -> None:
    post(
        http,
        gateway,
        "/sms/3/messages",
        {
            "messages": [{"destinations": [{"to": "41793026700"}], "content": {"text": "Later"}}],
            "options": {"schedule": {"bulkId": SEEDED_BULK, "sendAt": "2026-01-02T09:00:00Z"}},
        },
    )


def fresh_bulk(gateway: ThreadedSimulator, http: requests.Session) -> Callable[[], None]:
    """Before each case: everything reset, and a pending bulk ``SEEDED_BULK`` due tomorrow."""

    def before() -> None:
        gateway.reset()
        seed_bulk(gateway, http)

    return before


# -- judging --------------------------------------------------------------------------------
def is_parser_refusal(response: Response) -> bool:
    """aiohttp's own 400 for a request line or header past 8190 bytes (no envelope)."""
    return (
        response.status_code == 400
        and content_type(response).startswith("text/plain")
        and "Got more than 8190 bytes" in response.text
    )


def blank_credentials(case: Case) -> bool:
    query = case.query or {}
    return any(not str(query.get(name, "")).strip() for name in ("username", "password"))


def lenient(case: Case) -> str | None:
    """Which leniency makes a document-invalid request acceptable, if any."""
    if leniently_valid(case, CHECKER):
        return "lenient-coercion"
    if leniently_valid(case, CHECKER, drop_empty=True):
        return "lenient-empty-query"
    for drop_empty in (False, True):
        if leniently_valid(case, CHECKER, drop_empty=drop_empty, ignored=INFOBIP_IGNORED):
            return "ignored-options"
    if "validityPeriod" in json.dumps([case.query, case.body], default=str):
        for drop_empty in (False, True):
            if leniently_valid(
                case, CHECKER, drop_empty=drop_empty, ignored=INFOBIP_IGNORED, clamped=True
            ):
                return "validity-capped"
    return None


def judge(case: Case, response: Response, mode: GenerationMode) -> Verdict:
    verdict = Verdict()
    if is_parser_refusal(response):
        verdict.excused.append("request-line-limit")
        return verdict
    method, path, status = case.method.upper(), case.operation.path, response.status_code
    undocumented = UNDOCUMENTED.get((method, path, status))
    for failure in schemathesis_failures(case, response, mode):
        name = type(failure).__name__
        if name == "UndefinedStatusCode" and undocumented is not None:
            verdict.excused.append(undocumented[0])
        elif name == "AcceptedNegativeData" and (key := lenient(case)) is not None:
            verdict.excused.append(key)
        else:
            verdict.problems.append(
                f"{name}: {failure.title}: {' '.join(failure.message.split())[:400]}"
            )
    schema = documented_schema(CHECKER, case, status)
    if schema is None and undocumented is not None:
        schema = documented_schema(CHECKER, case, undocumented[1])
    verdict.problems.extend(iter_schema_problems(CHECKER, case, response, schema))
    if mode is GenerationMode.POSITIVE:
        judge_positive(case, response, verdict)
    return verdict


def judge_positive(case: Case, response: Response, verdict: Verdict) -> None:
    path, status = case.operation.path, response.status_code
    if status == 200:
        return
    if status == 404 and path.startswith("/sms/1/bulks"):
        return  # a random bulkId names no bulk: "Bulk not found", documented
    if status == 401 and path == "/sms/1/text/query" and blank_credentials(case):
        return  # counted as query-credentials-401 above
    if status != 400:
        verdict.problems.append(f"a document-valid request answered {status}")
        return
    for prop, message in violations(json_body(response)):
        rule = next((r for r in INFOBIP_STRICTER if r.explains(prop, message)), None)
        if rule is None:
            verdict.problems.append(
                f"a document-valid request refused, no documented rule explains {prop!r}: "
                f"{message!r}"
            )
        else:
            verdict.excused.extend(("stricter", f"stricter:{rule.key}"))


# -- the runs --------------------------------------------------------------------------------
def fuzz_cases() -> list[object]:
    cases: list[object] = []
    for label in OPERATIONS:
        for mode in MODES:
            cases.append(pytest.param(label, mode, False, id=f"{label} {mode.value}"))
    for method, path in SEEDED_BULK_OPERATIONS:
        for mode in MODES:
            label = f"{method} {path}"
            cases.append(pytest.param(label, mode, True, id=f"{label} seeded {mode.value}"))
    return cases


NOTHING_TO_NEGATE: Final = {("GET /sms/1/bulks", True), ("GET /sms/1/bulks/status", True)}
"""With bulkId fixed, these have no other input: no negative case exists."""


@pytest.mark.parametrize(("label", "mode", "seeded"), fuzz_cases())
def test_fuzz(
    gateway: ThreadedSimulator,
    http: requests.Session,
    label: str,
    mode: GenerationMode,
    seeded: bool,
) -> None:
    seed(gateway, http)
    tally = fuzz(
        OPERATIONS[label],
        mode,
        max_examples=FUZZ_EXAMPLES_RUN,
        call=lambda case: case.call(base_url=gateway.url, session=http, headers=AUTH, timeout=30),
        judge=judge,
        before=fresh_bulk(gateway, http) if seeded else None,
        query={"bulkId": SEEDED_BULK} if seeded else None,
    )
    assert not tally.problems, tally.report()
    assert set(tally.excused) <= EXCLUDED | {f"stricter:{r.key}" for r in INFOBIP_STRICTER}
    if mode is GenerationMode.NEGATIVE and (label, seeded) in NOTHING_TO_NEGATE:
        assert tally.skipped is not None
    else:
        assert tally.skipped is None, tally.skipped
        assert tally.cases >= min(FUZZ_EXAMPLES_RUN, 5), tally.report()
    if not seeded or mode is GenerationMode.POSITIVE:
        assert 500 not in tally.statuses
