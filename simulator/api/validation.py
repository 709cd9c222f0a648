"""Reading untrusted JSON with property paths, collecting every problem before failing.

Messages follow the Java bean-validation wording Infobip's gateway uses ("must not be null",
"size must be between 0 and 64"), with the offending property path
(``messages[0].destinations[1].to``) so that both error envelopes can name it.

>>> problems = Problems()
>>> body = Obj({"to": "", "limit": "seven"}, "", problems)
>>> body.string("to", required=True), body.integer("limit")
('', None)
>>> problems.items
[('to', 'must not be blank'), ('limit', 'must be an integer')]
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterator
from typing import Any

from simulator.errors import BadRequest, Violation
from simulator.timefmt import InstantFormatError, Millis, parse_instant

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")
UNPAIRED_SURROGATE = "contains an unpaired UTF-16 surrogate (a \\uD800-\\uDFFF escape): not text"


def unpaired_surrogate(raw: bytes, value: object) -> str | None:
    """The property path of the first string (or key) in parsed JSON ``value`` that holds an
    unpaired UTF-16 surrogate, or None. ``json.loads`` accepts ``"\\ud800"`` alone, but such
    a string cannot be written out as UTF-8 again: stored, it would break every later answer
    that shows it. Only bodies whose ``raw`` bytes hold a surrogate escape are walked.

    >>> unpaired_surrogate(b'{"a": ["x", "\\\\ud800"]}', {"a": ["x", "\\ud800"]})
    'a[1]'
    >>> unpaired_surrogate(b'{"a": "\\\\ud83d\\\\ude00"}', {"a": "\\U0001f600"}) is None
    True
    """
    if _SURROGATE_ESCAPE.search(raw) is None:
        return None
    pending: list[tuple[str, object]] = [("", value)]  # no recursion: any depth json allows
    while pending:
        path, item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return path or "body"
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                where = join(path, key)
                try:
                    key.encode("utf-8")
                except UnicodeEncodeError:  # named with the escape, so the answer can say it
                    return join(path, key.encode("utf-8", "backslashreplace").decode())
                pending.append((where, child))
        elif isinstance(item, list):
            pending.extend((join(path, i), child) for i, child in reversed(list(enumerate(item))))
    return None


class Problems:
    def __init__(self) -> None:
        self.items: list[Violation] = []

    def add(self, path: str, problem: str) -> None:
        self.items.append((path, problem))

    def raise_if_any(self) -> None:
        if self.items:
            raise BadRequest(violations=self.items)


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


class Obj:
    """A JSON object being read; every getter records a problem instead of raising."""

    def __init__(self, data: dict[str, Any], path: str, problems: Problems) -> None:
        self.data = data
        self.path = path
        self.problems = problems

    @classmethod
    def root(cls, value: object, problems: Problems) -> Obj:
        if not isinstance(value, dict):
            problems.add("body", f"must be a JSON object, not {type_name(value)}")
            problems.raise_if_any()
        assert isinstance(value, dict)
        return cls(value, "", problems)

    def at(self, key: str) -> str:
        return join(self.path, key)

    def _missing(self, key: str, required: bool) -> bool:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problems.add(self.at(key), "must not be null")
            return True
        return False

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def string(
        self,
        key: str,
        *,
        required: bool = False,
        max_len: int | None = None,
        min_len: int = 0,
        clip: int | None = None,
        blank_ok: bool = False,
    ) -> str | None:
        if self._missing(key, required):
            return None
        value = self.data[key]
        if isinstance(value, float) and not math.isfinite(value):  # 1e999 reads as infinity
            self.problems.add(self.at(key), "must be a string, not a number out of range")
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)  # Jackson coerces numbers into string fields
        if not isinstance(value, str):
            self.problems.add(self.at(key), f"must be a string, not {type_name(value)}")
            return None
        if required and not blank_ok and not value.strip():
            self.problems.add(self.at(key), "must not be blank")
            return value
        if clip is not None:
            value = value[:clip]
        if max_len is not None and not min_len <= len(value) <= max_len:
            self.problems.add(self.at(key), f"size must be between {min_len} and {max_len}")
        return value

    def integer(
        self,
        key: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        if self._missing(key, required):
            return None
        value = self.data[key]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            self.problems.add(self.at(key), "must be an integer")
            return None
        if not -(2**63) <= value < 2**63:
            self.problems.add(self.at(key), "is out of range for a 64-bit integer")
            return None
        if minimum is not None and value < minimum:
            self.problems.add(self.at(key), f"must be greater than or equal to {minimum}")
            return None
        if maximum is not None and value > maximum:
            self.problems.add(self.at(key), f"must be less than or equal to {maximum}")
            return None
        return value

    def boolean(self, key: str, *, default: bool | None = None) -> bool | None:
        if self._missing(key, False):
            return default
        value = self.data[key]
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if not isinstance(value, bool):
            self.problems.add(self.at(key), "must be a boolean")
            return default
        return value

    def enum(self, key: str, allowed: Collection[str], *, required: bool = False) -> str | None:
        value = self.string(key, required=required)
        if value is None:
            return None
        if value not in allowed:
            # A set has no stable order (string hashes vary per process): sort it.
            shown = allowed if isinstance(allowed, list | tuple | dict) else sorted(allowed)
            self.problems.add(self.at(key), f"must be one of [{', '.join(shown)}]")
            return None
        return value

    def instant(self, key: str, *, required: bool = False) -> Millis | None:
        value = self.string(key, required=required)
        if value is None or not value.strip():
            return None
        try:
            return parse_instant(value)
        except InstantFormatError:
            self.problems.add(
                self.at(key),
                "must be a date-time such as 2021-08-25T16:00:00.000+0000",
            )
            return None

    def obj(self, key: str, *, required: bool = False) -> Obj | None:
        if self._missing(key, required):
            return None
        value = self.data[key]
        if not isinstance(value, dict):
            self.problems.add(self.at(key), f"must be an object, not {type_name(value)}")
            return None
        return Obj(value, self.at(key), self.problems)

    def items(self, key: str, *, required: bool = False) -> Iterator[tuple[str, Any]]:
        """The elements of an array with their paths; a non-empty array when required."""
        if self._missing(key, required):
            return
        value = self.data[key]
        if not isinstance(value, list):
            self.problems.add(self.at(key), f"must be an array, not {type_name(value)}")
            return
        if required and not value:
            self.problems.add(self.at(key), "must not be empty")
            return
        for index, item in enumerate(value):
            yield join(self.at(key), index), item

    def objects(self, key: str, *, required: bool = False) -> Iterator[Obj]:
        for path, item in self.items(key, required=required):
            if not isinstance(item, dict):
                self.problems.add(path, f"must be an object, not {type_name(item)}")
                continue
            yield Obj(item, path, self.problems)
