"""A small JSON-schema checker for the OpenAPI document in ``tests/data``.

It covers the keywords Infobip's SMS document uses: ``$ref`` (into ``components.schemas``),
``type`` (one or a list), ``required``, ``enum``, ``const``, ``properties``,
``additionalProperties``, ``items``, ``oneOf`` (exactly one), ``anyOf``, ``allOf``,
``minLength``/``maxLength``, ``minimum``/``maximum`` (and the exclusive forms), ``pattern``
and the formats ``date-time``, ``int32``, ``int64`` and ``double``. Annotations
(``description``, ``example``, ``readOnly``, ``title``...) are ignored. Every problem is
collected with its JSON path, so a failure says everything that is wrong at once.

>>> doc = {"components": {"schemas": {"N": {"type": "integer", "format": "int32"}}}}
>>> checker = SchemaChecker(doc)
>>> checker.errors({"n": True}, {"properties": {"n": {"$ref": "#/components/schemas/N"}}})
['$.n: expected integer, got boolean true']
>>> checker.errors("2019-11-09T16:00:00.000+0100", {"type": "string", "format": "date-time"})
[]
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

OPENAPI_PATH = Path(__file__).parent / "data" / "infobip-sms-openapi.json"

Schema = Mapping[str, Any]

DATE_TIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})T(?P<time>\d{2}:\d{2}:\d{2})(?:\.(?P<fraction>\d{1,9}))?"
    r"(?P<offset>Z|[+-]\d{2}:?\d{2})?$"
)
"""ISO 8601 as Infobip writes it (``.SSS+0000``) and as RFC 3339 does (``+00:00``, ``Z``)."""

INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


@cache
def load_openapi() -> dict[str, Any]:
    """The Infobip SMS OpenAPI document (parsed once per test session)."""
    document: dict[str, Any] = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    return document


def json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _matches_type(value: object, expected: str) -> bool:
    actual = json_type(value)
    if expected == "number":
        return actual in ("integer", "number")
    return actual == expected


def is_date_time(value: str) -> bool:
    """Whether ``value`` is a date-time a strict client parses (a real calendar moment)."""
    match = DATE_TIME.match(value)
    if match is None:
        return False
    try:
        datetime.fromisoformat(f"{match['date']}T{match['time']}")
    except ValueError:
        return False
    offset = match["offset"]
    if offset and offset != "Z":
        digits = offset[1:].replace(":", "")
        if int(digits[:2]) > 23 or int(digits[2:]) > 59:
            return False
    return True


class SchemaChecker:
    """Checks JSON values against schemas of one OpenAPI document."""

    def __init__(self, document: Mapping[str, Any] | None = None) -> None:
        self.document: Mapping[str, Any] = document if document is not None else load_openapi()

    def resolve(self, schema: Schema) -> Schema:
        """Follow ``$ref`` chains (``#/components/schemas/Name`` or any JSON pointer)."""
        seen: set[str] = set()
        while "$ref" in schema:
            ref = schema["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
                raise ValueError(f"unresolvable $ref {ref!r}")
            seen.add(ref)
            target: Any = self.document
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            schema = target
        return schema

    def errors(self, value: object, schema: Schema, path: str = "$") -> list[str]:
        """Every way ``value`` breaks ``schema``; empty when it conforms."""
        schema = self.resolve(schema)
        problems: list[str] = []
        declared = schema.get("type")
        if declared is not None:
            allowed = [declared] if isinstance(declared, str) else list(declared)
            if not any(_matches_type(value, t) for t in allowed):
                shown = json.dumps(value, ensure_ascii=False)
                if len(shown) > 80:
                    shown = shown[:77] + "..."
                expected = " or ".join(allowed)
                return [f"{path}: expected {expected}, got {json_type(value)} {shown}"]
        if "enum" in schema and value not in schema["enum"]:
            problems.append(f"{path}: {value!r} is not one of {schema['enum']}")
        if "const" in schema and value != schema["const"]:
            problems.append(f"{path}: {value!r} is not {schema['const']!r}")
        problems.extend(self._combinators(value, schema, path))
        if isinstance(value, str):
            problems.extend(self._string(value, schema, path))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            problems.extend(self._number(value, schema, path))
        elif isinstance(value, list):
            items = schema.get("items")
            if isinstance(items, Mapping):
                for index, item in enumerate(value):
                    problems.extend(self.errors(item, items, f"{path}[{index}]"))
        elif isinstance(value, dict):
            problems.extend(self._object(value, schema, path))
        return problems

    def _combinators(self, value: object, schema: Schema, path: str) -> list[str]:
        problems: list[str] = []
        for part in schema.get("allOf", ()):
            problems.extend(self.errors(value, part, path))
        any_of = schema.get("anyOf")
        if any_of and all(self.errors(value, part, path) for part in any_of):
            problems.append(f"{path}: matches none of the anyOf schemas")
        one_of = schema.get("oneOf")
        if one_of:
            outcomes = [self.errors(value, part, path) for part in one_of]
            matched = sum(1 for found in outcomes if not found)
            if matched != 1:
                detail = "; ".join(" | ".join(found) for found in outcomes if found)
                problems.append(
                    f"{path}: matches {matched} of the {len(one_of)} oneOf schemas, "
                    f"exactly one is required" + (f" ({detail})" if detail else "")
                )
        return problems

    @staticmethod
    def _string(value: str, schema: Schema, path: str) -> list[str]:
        problems: list[str] = []
        if "minLength" in schema and len(value) < schema["minLength"]:
            problems.append(f"{path}: shorter than {schema['minLength']} characters")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            problems.append(f"{path}: longer than {schema['maxLength']} characters")
        if "pattern" in schema and re.search(schema["pattern"], value) is None:
            problems.append(f"{path}: {value!r} does not match {schema['pattern']}")
        if schema.get("format") == "date-time" and not is_date_time(value):
            problems.append(f"{path}: {value!r} is not a date-time")
        return problems

    @staticmethod
    def _number(value: float, schema: Schema, path: str) -> list[str]:
        problems: list[str] = []
        bounds = INT_RANGES.get(schema.get("format", ""))
        if bounds is not None and not bounds[0] <= value <= bounds[1]:
            problems.append(f"{path}: {value} is out of {schema['format']} range")
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(f"{path}: {value} is below the minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(f"{path}: {value} is above the maximum {schema['maximum']}")
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            problems.append(f"{path}: {value} is not above {schema['exclusiveMinimum']}")
        if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
            problems.append(f"{path}: {value} is not below {schema['exclusiveMaximum']}")
        return problems

    def _object(self, value: dict[str, Any], schema: Schema, path: str) -> list[str]:
        problems: list[str] = []
        for name in schema.get("required", ()):
            if name not in value:
                problems.append(f"{path}: required property {name!r} is missing")
        properties: Mapping[str, Schema] = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            where = f"{path}.{name}"
            if name in properties:
                problems.extend(self.errors(item, properties[name], where))
            elif extra is False:
                problems.append(f"{path}: unexpected property {name!r}")
            elif isinstance(extra, Mapping):
                problems.extend(self.errors(item, extra, where))
        return problems

    def check(self, value: object, schema: Schema, what: str = "value") -> None:
        """Raise ``AssertionError`` listing every problem when ``value`` does not conform."""
        problems = self.errors(value, schema)
        if problems:
            listing = "\n  ".join(problems)
            raise AssertionError(f"{what} does not match its schema:\n  {listing}")

    # -- the document's operations -----------------------------------------------------------
    def operation(self, path: str, method: str) -> Mapping[str, Any]:
        operation: Mapping[str, Any] = self.document["paths"][path][method.lower()]
        return operation

    def response_schema(self, path: str, method: str, status: str = "200") -> Schema:
        response = self.resolve(self.operation(path, method)["responses"][status])
        schema: Schema = response["content"]["application/json"]["schema"]
        return schema

    def request_examples(self, path: str, method: str) -> dict[str, Any]:
        """The ``application/json`` request examples by name (empty when there are none)."""
        body = self.operation(path, method).get("requestBody")
        if body is None:
            return {}
        content = self.resolve(body)["content"].get("application/json", {})
        examples: dict[str, Any] = {
            name: self.resolve(example)["value"]
            for name, example in content.get("examples", {}).items()
        }
        if "example" in content:
            examples["example"] = content["example"]
        return examples

    def response_examples(self, path: str, method: str, status: str = "200") -> dict[str, Any]:
        response = self.resolve(self.operation(path, method)["responses"][status])
        content = response["content"]["application/json"]
        return {
            name: self.resolve(example)["value"]
            for name, example in content.get("examples", {}).items()
        }
