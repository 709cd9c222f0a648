"""Schemathesis against a running simulator, with documented exclusions.

:func:`fuzz` runs one operation of an OpenAPI document in one generation mode (positive:
requests the document calls valid; negative: requests it calls invalid) for a bounded,
derandomized number of Hypothesis examples, and hands each answer to a *judge*. A judge runs
schemathesis' own checks (:func:`schemathesis_failures`: no 5xx, documented status codes and
content types, the response schema; in negative mode, that invalid data is refused) and then
decides, rule by rule, which failures are the simulator *knowingly* differing from the
document. Every such rule is an :class:`Exclusion` with a reason; :class:`Tally` counts how
often each one applied, and anything no rule explains is a problem that fails the test.

Response schemas are checked twice: by schemathesis (``jsonschema``, formats off) and by the
project's own :class:`schema_check.SchemaChecker`, which checks ``date-time`` the way
Infobip writes it (``2026-01-01T09:00:00.000+0000``, as in the document's own examples),
where an RFC 3339 format checker would refuse every Infobip date.
"""

from __future__ import annotations

import copy
import json
import re
import unittest
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schema_check import INT_RANGES, Schema, SchemaChecker
from schemathesis import Case as _Case
from schemathesis import GenerationMode, Response
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.result import Err
from schemathesis.schemas import APIOperation as _APIOperation
from schemathesis.schemas import BaseSchema
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

JSON = dict[str, Any]
Case = _Case[Any]
APIOperation = _APIOperation[Any, Any, Any, Any]
METHODS = ("get", "post", "put", "patch", "delete")
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass(frozen=True, slots=True)
class Exclusion:
    """One documented way the simulator knowingly differs from (or is stricter than) the
    document: ``key`` names it in tallies and in ``tests/RELIABILITY.md``."""

    key: str
    what: str
    reason: str


# -- loading ----------------------------------------------------------------------------------
def fuzzable(
    document: Mapping[str, Any], *, drop_paths: set[str], drop_media: set[str]
) -> dict[str, Any]:
    """A copy of ``document`` without the paths and request media types left out on purpose."""
    copied: dict[str, Any] = copy.deepcopy(dict(document))
    for path in drop_paths:
        copied["paths"].pop(path, None)
    for item in copied["paths"].values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            content = operation.get("requestBody", {}).get("content", {})
            for media in drop_media:
                content.pop(media, None)
    return copied


def load(document: Mapping[str, Any]) -> BaseSchema:
    """The document as schemathesis reads it; response formats are left to SchemaChecker."""
    config = SchemathesisConfig.from_dict(
        {"checks": {"response_schema_conformance": {"validate-formats": False}}}
    )
    return schemathesis.openapi.from_dict(dict(document), config=config)


def operations(schema: BaseSchema) -> list[APIOperation]:
    found: list[APIOperation] = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()
        found.append(result.ok())
    return found


def operation_count(document: Mapping[str, Any]) -> int:
    return sum(1 for item in document["paths"].values() for method in item if method in METHODS)


# -- judging ----------------------------------------------------------------------------------
def schemathesis_failures(case: Case, response: Response, mode: GenerationMode) -> list[Failure]:
    checks = [*CHECKS, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS
    try:
        case.validate_response(response, checks=checks)
    except FailureGroup as group:
        return list(group.exceptions)
    except Failure as failure:
        return [failure]
    return []


def jsonschema_problems(operation: APIOperation, status: int, body: bytes) -> list[str]:
    """What schemathesis' own response-schema check (jsonschema, formats off) finds wrong with
    a JSON answer ``body`` of ``operation``: an independent second opinion next to
    tests/schema_check.py, for answers obtained another way (aiohttp's test client)."""
    request = requests.Request("GET", "http://simulator.invalid/").prepare()
    headers = {"content-type": ["application/json"]}
    response = Response(status, headers, body, request, 0.0, True)
    try:
        operation.Case().validate_response(response, checks=[response_schema_conformance])
    except FailureGroup as group:
        return [describe(failure) for failure in group.exceptions]
    except Failure as failure:
        return [describe(failure)]
    return []


def describe(failure: Failure) -> str:
    message = " ".join(failure.message.split())
    return f"{type(failure).__name__}: {failure.title}: {message[:400]}"


def content_type(response: Response) -> str:
    return (response.headers.get("content-type") or [""])[0]


def json_body(response: Response) -> Any:
    """The parsed body of a JSON answer, else None."""
    if not content_type(response).startswith("application/json"):
        return None
    try:
        return response.json()
    except ValueError:
        return None


def documented_schema(checker: SchemaChecker, case: Case, status: int) -> Schema | None:
    """The documented JSON schema of ``case``'s operation for ``status``, or None."""
    operation = checker.operation(case.operation.path, case.method)
    response = operation.get("responses", {}).get(str(status))
    if response is None:
        return None
    content = checker.resolve(response).get("content", {}).get("application/json")
    if content is None or "schema" not in content:
        return None
    schema: Schema = content["schema"]
    return schema


def parameter_schema(checker: SchemaChecker, case: Case, location: str) -> Schema:
    """The operation's parameters in ``location`` as one object schema."""
    operation = checker.operation(case.operation.path, case.method)
    properties: dict[str, Schema] = {}
    required: list[str] = []
    for raw in operation.get("parameters", []):
        parameter = checker.resolve(raw)
        if parameter.get("in") != location:
            continue
        properties[parameter["name"]] = parameter.get("schema", {})
        if parameter.get("required"):
            required.append(parameter["name"])
    return {"type": "object", "properties": properties, "required": required}


def body_schema(checker: SchemaChecker, case: Case) -> Schema | None:
    body = checker.operation(case.operation.path, case.method).get("requestBody")
    if body is None:
        return None
    content = checker.resolve(body).get("content", {}).get("application/json")
    return None if content is None else content.get("schema")


_INTEGER = re.compile(r"-?\d+")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def clamp(value: Any, schema: Schema, checker: SchemaChecker) -> Any:
    """``value`` with every number moved into its schema's ``minimum``..``maximum``."""
    schema = checker.resolve(schema)
    if isinstance(value, dict):
        properties: Mapping[str, Schema] = schema.get("properties", {})
        return {
            k: clamp(v, properties[k], checker) if k in properties else v for k, v in value.items()
        }
    if isinstance(value, list):
        items = schema.get("items")
        return [clamp(v, items, checker) for v in value] if isinstance(items, Mapping) else value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema:
            value = max(value, schema["minimum"])
        if "maximum" in schema:
            value = min(value, schema["maximum"])
        bounds = INT_RANGES.get(schema.get("format", ""))
        if bounds is not None:
            value = max(bounds[0], min(value, bounds[1]))
    return value


def wire_query(query: Mapping[str, Any]) -> JSON:
    """The query as it goes on the wire: an object value is exploded into its own
    ``key=value`` pairs (OpenAPI's default ``form`` style), so its name is not sent; objects
    inside a list are not sent at all."""
    flat: JSON = {}
    for name, value in query.items():
        if isinstance(value, dict):
            flat.update({str(k): v for k, v in value.items()})
        elif isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
            kept = [v for v in value if not isinstance(v, dict | list)]
            if kept:  # nested objects and lists have no query-string form: they are not sent
                flat[name] = kept
        else:
            flat[name] = value
    return flat


def coerce(value: Any, schema: Schema, checker: SchemaChecker) -> Any:
    """``value`` as a lenient reader (Jackson, Spring) takes it for ``schema``: numbers for
    strings, numeric strings for numbers, ``"true"`` for booleans, a single value for a list,
    ``null`` for an absent property."""
    schema = checker.resolve(schema)
    for part in schema.get("allOf", ()):
        value = coerce(value, part, checker)
    for key in ("oneOf", "anyOf"):
        for part in schema.get(key, ()):
            candidate = coerce(value, part, checker)
            if not checker.errors(candidate, part):
                return candidate
    declared = schema.get("type")
    kinds = [declared] if isinstance(declared, str) else list(declared or ())
    if "array" in kinds and not isinstance(value, list) and value is not None:
        value = [value]
    if isinstance(value, list):
        items = schema.get("items")
        return [coerce(v, items, checker) for v in value] if isinstance(items, Mapping) else value
    if isinstance(value, dict):
        properties: Mapping[str, Schema] = schema.get("properties", {})
        return {
            k: coerce(v, properties[k], checker) if k in properties else v
            for k, v in value.items()
            if v is not None  # null for an optional property is taken as absent
        }
    if isinstance(value, bool):
        return value
    if "string" in kinds and isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        text = value.strip()
        if "integer" in kinds and _INTEGER.fullmatch(text):
            return int(text)
        if "number" in kinds and _NUMBER.fullmatch(text):
            return float(text)
        if "boolean" in kinds and text.lower() in ("true", "false"):
            return text.lower() == "true"
    if "integer" in kinds and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def without(value: Any, names: frozenset[str]) -> Any:
    """``value`` without the object properties called one of ``names`` (at any depth)."""
    if isinstance(value, dict):
        return {k: without(v, names) for k, v in value.items() if k not in names}
    if isinstance(value, list):
        return [without(v, names) for v in value]
    return value


def leniently_valid(
    case: Case,
    checker: SchemaChecker,
    *,
    drop_empty: bool = False,
    ignored: frozenset[str] = frozenset(),
    clamped: bool = False,
) -> bool:
    """Whether ``case`` becomes valid once read leniently (see :func:`coerce`): with empty
    query values taken as absent when ``drop_empty``, without the ``ignored`` options, and
    with query numbers moved into their range when ``clamped``."""
    query: JSON = without(wire_query(case.query or {}), ignored)
    if drop_empty:
        query = {k: v for k, v in query.items() if v not in ("", [""], None)}
    query_schema = parameter_schema(checker, case, "query")
    query = coerce(query, query_schema, checker)
    if clamped:
        query = clamp(query, query_schema, checker)
    if checker.errors(query, query_schema):
        return False
    path_schema = parameter_schema(checker, case, "path")
    if checker.errors(coerce(dict(case.path_parameters or {}), path_schema, checker), path_schema):
        return False
    schema = body_schema(checker, case)
    if schema is not None and _has_body(case):
        body = coerce(without(case.body, ignored), schema, checker)
        if clamped:
            body = clamp(body, schema, checker)
        return not checker.errors(body, schema)
    return True


def _has_body(case: Case) -> bool:
    return type(case.body).__name__ != "NotSet"


def violations(body: Any) -> list[tuple[str, str]]:
    """(property, message) pairs of an Infobip 400: v3 ``violations`` or v1
    ``validationErrors``; a problem with no property is ``("", text)``. Indices are dropped:
    ``messages[0].to`` is ``messages[].to``."""
    found: list[tuple[str, str]] = []
    if isinstance(body, dict) and isinstance(body.get("violations"), list):
        found = [(v["property"], v["violation"]) for v in body["violations"]]
    elif isinstance(body, dict) and "requestError" in body:
        exception = body["requestError"]["serviceException"]
        errors = exception.get("validationErrors") or {}
        found = [(k, m) for k, messages in errors.items() for m in messages]
        if not found:
            found = [("", exception.get("text", ""))]
    return [(re.sub(r"\[\d+\]", "[]", p), m) for p, m in found]


@dataclass
class Verdict:
    """What a judge made of one answer."""

    problems: list[str] = field(default_factory=list)
    excused: list[str] = field(default_factory=list)
    """Keys of the exclusions that explained a difference."""


Judge = Callable[[Case, Response, GenerationMode], Verdict]


@dataclass
class Tally:
    label: str
    mode: str
    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    excused: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    skipped: str | None = None
    """Why no case could be generated (e.g. no negative case exists for an operation)."""

    def report(self) -> str:
        shown = "\n  ".join(self.problems[:15])
        more = f"\n  ... and {len(self.problems) - 15} more" if len(self.problems) > 15 else ""
        return (
            f"{self.label} ({self.mode}, {self.cases} cases, statuses {dict(self.statuses)}): "
            f"{len(self.problems)} problem(s):\n  {shown}{more}"
        )


def fuzz(
    operation: APIOperation,
    mode: GenerationMode,
    *,
    max_examples: int,
    call: Callable[[Case], Response],
    judge: Judge,
    before: Callable[[], None] | None = None,
    query: JSON | None = None,
) -> Tally:
    """Run ``max_examples`` derandomized examples of ``operation`` in ``mode``."""
    tally = Tally(operation.label, mode.value)
    strategy = operation.as_strategy(generation_mode=mode, query=query)

    @settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(strategy)
    def run(case: Case) -> None:
        if before is not None:
            before()
        response = call(case)
        tally.cases += 1
        tally.statuses[response.status_code] += 1
        verdict = judge(case, response, mode)
        tally.excused.update(verdict.excused)
        for problem in verdict.problems:
            detail = f"{problem}\n    request: {_request_summary(case)}"
            tally.problems.append(
                f"{detail}\n    answer: {response.status_code} {response.text[:300]}"
            )

    try:
        run()
    except (unittest.SkipTest, Unsatisfiable) as exc:
        tally.skipped = f"{type(exc).__name__}: {exc}"
    return tally


def _request_summary(case: Case) -> str:
    parts = [f"{case.method} {case.formatted_path}"]
    if case.query:
        parts.append(f"query={json.dumps(case.query, default=str)[:600]}")
    if _has_body(case):
        parts.append(f"body={json.dumps(case.body, default=str)[:600]}")
    return " ".join(parts)


def iter_schema_problems(
    checker: SchemaChecker, case: Case, response: Response, schema: Schema | None
) -> Iterator[str]:
    """SchemaChecker's problems with a JSON answer (Infobip-style date-times included)."""
    body = json_body(response)
    if schema is None:
        return
    if body is None:
        yield f"the {response.status_code} answer is not JSON"
        return
    for problem in checker.errors(body, schema):
        yield f"SchemaChecker: {problem}"
