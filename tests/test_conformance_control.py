"""The control plane's own OpenAPI document (``GET /__sim/openapi.json``), fuzzed with
schemathesis against a simulator on a loopback port, the same way as Infobip's document
(``tests/test_conformance_infobip.py``): every operation, positive and negative, no 5xx,
documented status codes, content types and bodies, invalid input refused with the
``{"error", "field"}`` body; exclusions in ``tests/reliability.py``.

The simulator is reset (and given a message, a bulk, an inbound message and a webhook push to
find) before each operation is fuzzed: fuzzing ``/__sim/reset``, ``/__sim/state`` or the clock
changes everything, by design.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import pytest
import requests
from conformance import (
    MODES,
    Case,
    Verdict,
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
)
from reliability import (
    CONTROL_EXCLUSIONS,
    CONTROL_NOT_FUZZED,
    CONTROL_STRICTER,
    FUZZ_EXAMPLES_RUN,
)
from schema_check import SchemaChecker
from schemathesis import GenerationMode, Response

from simulator.config import SimulatorConfig
from simulator.control_openapi import DOCUMENT
from simulator.testing.server import ThreadedSimulator
from simulator.timefmt import parse_instant

FUZZED: Final = fuzzable(DOCUMENT, drop_paths=set(CONTROL_NOT_FUZZED), drop_media=set())
SCHEMA: Final = load(FUZZED)
OPERATIONS: Final = {operation.label: operation for operation in operations(SCHEMA)}
CHECKER: Final = SchemaChecker(DOCUMENT)
START: Final = parse_instant("2026-01-01T09:00:00.000+0000")
AUTH: Final = {"Authorization": "App fuzz-key"}
EXCLUDED: Final = {exclusion.key for exclusion in CONTROL_EXCLUSIONS}
ALLOWED_POSITIVE: Final = {
    ("GET", "/__sim/console", 302),
    ("GET", "/__sim/console/{name}", 404),
    ("POST", "/__sim/bulks/{bulkId}/status", 404),
    ("POST", "/__sim/bulks/{bulkId}/reschedule", 404),
    ("GET", "/__sim/ready", 503),
}
"""Documented answers other than 200 that a document-valid request may get: a random console
file or bulk id names nothing."""


def test_every_operation_of_the_document_is_fuzzed_but_the_stream() -> None:
    assert len(OPERATIONS) == operation_count(DOCUMENT) - len(CONTROL_NOT_FUZZED)
    assert {op.path for op in OPERATIONS.values()}.isdisjoint(CONTROL_NOT_FUZZED)


@pytest.fixture(scope="module")
def gateway() -> Iterator[ThreadedSimulator]:
    with ThreadedSimulator(SimulatorConfig(start=START, seed=12)) as running:
        yield running


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.trust_env = False
        yield session


def seed(gateway: ThreadedSimulator, http: requests.Session) -> None:
    gateway.reset()
    for body in (
        {"messages": [{"destinations": [{"to": "41793026727"}], "content": {"text": "Hi"}}]},
        {
            "messages": [{"destinations": [{"to": "41793026700"}], "content": {"text": "Later"}}],
            "options": {"schedule": {"bulkId": "FUZZ-BULK", "sendAt": "2026-01-02T09:00:00Z"}},
        },
    ):
        response = http.post(gateway.url + "/sms/3/messages", json=body, headers=AUTH, timeout=10)
        assert response.status_code == 200, response.text
    response = http.post(
        gateway.url + "/__sim/inbound",
        json={"from": "385916242493", "to": "41793026727", "text": "STOP"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    gateway.advance("5s")


CLAMPED: Final = {"/__sim/events", "/__sim/messages", "/__sim/requests", "/__sim/webhooks"}
CLAMPED_TOO: Final = {"/__sim/inbound"}
FILTERS: Final = frozenset({"state", "kind"})


def lenient(case: Case) -> str | None:
    """Which documented leniency makes a document-invalid request acceptable, if any."""
    if leniently_valid(case, CHECKER):
        return "lenient-coercion"
    if leniently_valid(case, CHECKER, drop_empty=True):
        return "lenient-empty-query"
    path = case.operation.path
    clamped = path in CLAMPED or (path in CLAMPED_TOO and case.method.upper() == "GET")
    if clamped and leniently_valid(case, CHECKER, drop_empty=True, clamped=True):
        return "clamped-limit"
    for drop_empty in (False, True):
        if leniently_valid(case, CHECKER, drop_empty=drop_empty, clamped=clamped, ignored=FILTERS):
            return "unknown-filter-values"
    return None


def judge(case: Case, response: Response, mode: GenerationMode) -> Verdict:
    verdict = Verdict()
    method, path, status = case.method.upper(), case.operation.path, response.status_code
    for failure in schemathesis_failures(case, response, mode):
        name = type(failure).__name__
        if name == "AcceptedNegativeData" and (key := lenient(case)) is not None:
            verdict.excused.append(key)
        else:
            message = " ".join(failure.message.split())[:400]
            verdict.problems.append(f"{name}: {failure.title}: {message}")
    verdict.problems.extend(
        iter_schema_problems(CHECKER, case, response, documented_schema(CHECKER, case, status))
    )
    if mode is GenerationMode.POSITIVE and status != 200:
        if status == 400:
            body = json_body(response)
            field = (body or {}).get("field") or ""
            error = (body or {}).get("error") or ""
            rule = next((r for r in CONTROL_STRICTER if r.explains(f"{path} {field}", error)), None)
            if rule is None:
                verdict.problems.append(
                    f"a document-valid request refused, no documented rule explains "
                    f"field {field!r}: {error!r}"
                )
            else:
                verdict.excused.extend(("stricter", f"stricter:{rule.key}"))
        elif (method, path, status) not in ALLOWED_POSITIVE:
            verdict.problems.append(f"a document-valid request answered {status}")
    return verdict


@pytest.mark.parametrize(
    ("label", "mode"),
    [
        pytest.param(label, mode, id=f"{label} {mode.value}")
        for label in OPERATIONS
        for mode in MODES
    ],
)
def test_fuzz(
    gateway: ThreadedSimulator, http: requests.Session, label: str, mode: GenerationMode
) -> None:
    seed(gateway, http)
    tally = fuzz(
        OPERATIONS[label],
        mode,
        max_examples=FUZZ_EXAMPLES_RUN,
        call=lambda case: case.call(base_url=gateway.url, session=http, timeout=30),
        judge=judge,
    )
    assert not tally.problems, tally.report()
    assert set(tally.excused) <= EXCLUDED | {f"stricter:{r.key}" for r in CONTROL_STRICTER}
    assert 500 not in tally.statuses
    if tally.skipped is None:
        assert tally.cases >= 1
    else:
        assert mode is GenerationMode.NEGATIVE, tally.skipped  # nothing there to make invalid
    gateway.call(lambda: gateway.simulator.clock.set_mode("manual"))
