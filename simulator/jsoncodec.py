"""JSON in and out of the HTTP surface: orjson when it is installed, else the standard library.

orjson is an optional dependency (``pip install "infobip-sms-simulator[fast]"``); the standard
library path is always there and tested (``SMS_SIM_JSON=stdlib`` forces it, as does
:func:`use`). Both paths answer byte-identical bodies, with one documented exception:

* a float whose magnitude is below ``0.0001`` (other than zero) is written ``1e-05`` by the
  standard library and ``0.00001`` (or ``1e-7``) by orjson: the same number, spelled
  differently. The simulator emits such a float only when a scenario sets a price below
  0.0001 per SMS part.

Reading is identical on both paths: a body orjson refuses (invalid JSON, ``NaN``, a lone
surrogate, nesting past 1024 levels) is read again by the standard library, so the 400 says
what the standard library says; a body with a run of 20 or more digits (an integer orjson
would turn into a float) goes to the standard library directly.

>>> dumps({"a": [1, "é", None, True]})
b'{"a":[1,"\\xc3\\xa9",null,true]}'
>>> loads(b'{"n": 12345678901234567890123}')
{'n': 12345678901234567890123}
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

orjson: ModuleType | None
try:
    import orjson
except ImportError:  # pragma: no cover - exercised by the stdlib tests through use()
    orjson = None

_LONG_DIGITS = re.compile(rb"\d{20}")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def stdlib_dumps(body: object) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def stdlib_loads(raw: bytes) -> Any:
    """Strict JSON (``NaN`` and ``Infinity`` refused); UnicodeDecodeError for bad UTF-8."""
    return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)


def _orjson_dumps(body: object) -> bytes:
    assert orjson is not None
    try:
        encoded: bytes = orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS)
        return encoded
    except TypeError:  # an integer past 64 bits, a lone surrogate: the standard library decides
        return stdlib_dumps(body)


def _orjson_loads(raw: bytes) -> Any:
    assert orjson is not None
    if not _LONG_DIGITS.search(raw):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass  # the standard library words the error (or accepts what orjson would not)
    return stdlib_loads(raw)


dumps: Callable[[object], bytes] = stdlib_dumps
"""Compact JSON as UTF-8 bytes (``ensure_ascii=False``, no spaces)."""
loads: Callable[[bytes], Any] = stdlib_loads
"""A request body; raises ValueError (JSON), UnicodeDecodeError or RecursionError."""
BACKEND = "stdlib"


def use(backend: str) -> str:
    """Switch to ``"orjson"`` (when installed) or ``"stdlib"``; returns the backend in use.

    Modules that serialise call :func:`dumps` / :func:`loads` through this module, so a
    switch takes effect at once (tests use it to run both paths).
    """
    global dumps, loads, BACKEND
    if backend == "orjson" and orjson is not None:
        dumps, loads, BACKEND = _orjson_dumps, _orjson_loads, "orjson"
    elif backend in ("orjson", "stdlib"):
        dumps, loads, BACKEND = stdlib_dumps, stdlib_loads, "stdlib"
    else:
        raise ValueError(f"unknown JSON backend {backend!r} (orjson or stdlib)")
    return BACKEND


use("stdlib" if os.environ.get("SMS_SIM_JSON", "").lower() == "stdlib" else "orjson")
