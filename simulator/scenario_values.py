"""Scenario values that mean something to the simulator: status and error names checked
against the catalogue, instants and ``"+5m"`` offsets, windows, percentages, URLs, MCC+MNC
codes. Each reader takes a :class:`~simulator.scenario_yaml.Node` and fails with a located
:class:`~simulator.scenario_yaml.ScenarioError`.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlsplit

from simulator import status as st
from simulator.scenario_model import TimeRef, Window
from simulator.scenario_yaml import Node, one_of
from simulator.status import ErrorCode, StatusCode, UnknownCodeError
from simulator.timefmt import HOUR, Millis, parse_duration

WINDOW_KEYS = {"from", "until"}
MAX_VALIDITY = 48 * HOUR


# -- catalogue look-ups -----------------------------------------------------------------------


def status_of(node: Node) -> StatusCode:
    try:
        return st.status(node.string())
    except UnknownCodeError as exc:
        valid = "" if "did you mean" in str(exc) else f" (statuses: {one_of(st.STATUSES)})"
        raise node.error(f"{exc}{valid}") from None


def error_of(node: Node) -> ErrorCode:
    try:
        return st.error(node.string())
    except UnknownCodeError as exc:
        valid = ""
        if "did you mean" not in str(exc):
            valid = " (errors are Infobip's names, e.g. EC_ABSENT_SUBSCRIBER, EC_UNKNOWN_SUBSCRIBER"
            valid += "; all are in simulator/status.py)"
        raise node.error(f"{exc}{valid}") from None


def default_error(code: StatusCode) -> ErrorCode:
    """The error a step gets when none is written: EC_VALIDITY_EXPIRED for EXPIRED,
    EC_UNKNOWN_ERROR for UNDELIVERABLE, NO_ERROR otherwise."""
    if code.group_name == "EXPIRED":
        return st.EC_VALIDITY_EXPIRED
    if code.group_name == "UNDELIVERABLE":
        return st.EC_UNKNOWN_ERROR
    return st.NO_ERROR


def rejected_names() -> list[str]:
    return sorted(name for name, code in st.STATUSES.items() if code.group_name == "REJECTED")


# -- small readers ----------------------------------------------------------------------------


def time_ref(node: Node) -> TimeRef:
    """An absolute instant, or ``"+5m"``: an offset from the clock's start."""
    if node.tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int"):
        raw = node.string().strip()
        if raw.startswith("+"):
            try:
                return TimeRef(parse_duration(raw[1:]), relative=True)
            except ValueError as exc:
                raise node.error(f"{exc} (an offset from the start is written '+5m')") from None
    return TimeRef(node.instant())


def window(node: Node) -> Window:
    entries = node.mapping(WINDOW_KEYS)
    if not entries:
        raise node.error("a window needs 'from', 'until' or both")
    start = time_ref(entries["from"]) if "from" in entries else None
    until = time_ref(entries["until"]) if "until" in entries else None
    if (
        start is not None
        and until is not None
        and start.relative == until.relative
        and until.millis <= start.millis
    ):
        raise entries["until"].error(f"'until' ({until}) must be after 'from' ({start})")
    return Window(start, until)


def strings(node: Node) -> tuple[str, ...]:
    items = node.one_or_many()
    if not items:
        raise node.error("expected at least one value")
    return tuple(item.string() for item in items)


def weight(node: Node) -> float:
    """``90%`` or ``90`` (percent)."""
    if node.tag == "tag:yaml.org,2002:str":
        raw = node.string().strip()
        if not raw.endswith("%"):
            raise node.error(f"expected a percentage such as '90%', got {raw!r}")
        try:
            value = float(raw[:-1])
        except ValueError:
            raise node.error(f"expected a percentage such as '90%', got {raw!r}") from None
    else:
        value = node.number()
    if not 0 < value <= 100 or not math.isfinite(value):
        raise node.error(f"a weight must be more than 0% and at most 100%, got {value:g}%")
    return value


def url(node: Node) -> str:
    value = node.string()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise node.error(f"expected an http:// or https:// URL, got {value!r}")
    return value


def price(node: Node) -> float:
    return node.number(minimum=0)


def currency(node: Node) -> str:
    value = node.string()
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise node.error(f"expected a three-letter currency code such as 'EUR', got {value!r}")
    return value


def mcc_mnc(node: Node) -> str:
    value = node.string()
    if not re.fullmatch(r"\d{5,6}", value):
        raise node.error(f"expected an MCC+MNC of 5 or 6 digits such as '22801', got {value!r}")
    return value


def validity(node: Node) -> Millis:
    value = node.duration()
    if not 0 < value <= MAX_VALIDITY:
        raise node.error("a validity must be more than 0 and at most 48h (Infobip's maximum)")
    return value
