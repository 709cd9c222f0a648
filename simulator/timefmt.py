"""Instants, Infobip date-time strings and durations.

The simulator keeps every instant as an ``int`` of milliseconds since the Unix epoch (UTC):
Infobip's own resolution, cheap to compare and to store a million times.

Parsing accepts what real clients send: ISO 8601 date-times with 0 to 9 fraction digits and
an offset of ``Z``, ``+hh:mm``, ``+hhmm``, ``+hh`` or none (taken as UTC), and a ``+`` that a
query string turned into a space. Formatting always emits Infobip's
``yyyy-MM-dd'T'HH:mm:ss.SSS+0000``.

>>> parse_instant("2021-08-25T16:00:00.000+0000")
1629907200000
>>> format_instant(parse_instant("2015-07-07T17:00:00.000+01:00"))
'2015-07-07T16:00:00.000+0000'
>>> parse_duration("1h30m")
5400000
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache

Millis = int
"""Milliseconds since the Unix epoch, UTC."""

SECOND: Millis = 1000
MINUTE: Millis = 60 * SECOND
HOUR: Millis = 60 * MINUTE
DAY: Millis = 24 * HOUR

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_INSTANT = re.compile(
    r"""^\s*(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})
        (?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?
        (?P<tz>Z|z|[+\- ]\d{2}(?::?\d{2})?)?\s*$""",
    re.VERBOSE | re.ASCII,
)


class InstantFormatError(ValueError):
    """A date-time string that no Infobip client would send."""


def parse_instant(text: str) -> Millis:
    """Parse an ISO 8601 date-time the way Infobip accepts it; naive means UTC.

    >>> parse_instant("2030-01-02T03:04:05.123456789Z") - parse_instant("2030-01-02T03:04:05Z")
    123
    >>> parse_instant("2024-01-01T00:00:00.000000 0000") == parse_instant("2024-01-01T00:00:00Z")
    True
    """
    match = _INSTANT.match(text)
    if match is None:
        raise InstantFormatError(
            f"{text!r} is not a date-time; expected e.g. 2021-08-25T16:00:00.000+0000"
        )
    try:
        moment = datetime(
            int(match["y"]),
            int(match["mo"]),
            int(match["d"]),
            int(match["h"] or 0),
            int(match["mi"] or 0),
            int(match["s"] or 0),
            tzinfo=UTC,
        )
    except ValueError as exc:
        raise InstantFormatError(f"{text!r} is not a valid date-time: {exc}") from None
    millis = (moment - _EPOCH) // timedelta(milliseconds=1)
    fraction = match["f"]
    if fraction:
        millis += int(fraction[:3].ljust(3, "0"))
    tz = match["tz"]
    if tz and tz not in ("Z", "z"):
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        if hours > 23 or minutes > 59:
            raise InstantFormatError(f"{text!r} has an invalid UTC offset")
        millis -= sign * (hours * HOUR + minutes * MINUTE)
    return millis


@lru_cache(maxsize=4096)
def format_instant(millis: Millis) -> str:
    """Render an instant as Infobip does: ``yyyy-MM-dd'T'HH:mm:ss.SSS+0000`` (always UTC).

    Cached: a bulk's reports, logs and webhook bodies repeat the same few instants.

    >>> format_instant(0)
    '1970-01-01T00:00:00.000+0000'
    >>> format_instant(parse_instant("0209-12-16T14:45:11.510Z"))  # always four year digits
    '0209-12-16T14:45:11.510+0000'
    """
    moment = _EPOCH + timedelta(milliseconds=millis)
    return f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}.{millis % 1000:03d}+0000"


def to_datetime(millis: Millis) -> datetime:
    """An aware UTC ``datetime`` for an instant."""
    return _EPOCH + timedelta(milliseconds=millis)


def from_datetime(moment: datetime) -> Millis:
    """Milliseconds for a ``datetime``; a naive one is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(milliseconds=1)


_UNITS: dict[str, Millis] = {
    "ms": 1,
    "s": SECOND,
    "sec": SECOND,
    "m": MINUTE,
    "min": MINUTE,
    "h": HOUR,
    "d": DAY,
    "w": 7 * DAY,
}
_SIMPLE = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|sec|min|s|m|h|d|w)", re.IGNORECASE | re.ASCII)
_ISO = re.compile(
    r"^P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE | re.ASCII,
)


class DurationFormatError(ValueError):
    """A duration string the simulator cannot read."""


def parse_duration(text: str | int | float) -> Millis:
    """Read ``"90s"``, ``"15m"``, ``"2h"``, ``"1h30m"``, ``"500ms"``, ``"PT15M"``, ``"P1DT2H"``.

    A bare number is seconds. Negative durations are refused.

    >>> parse_duration("PT15M") == parse_duration("15m") == 900000
    True
    >>> parse_duration(1.5)
    1500
    """
    if isinstance(text, bool) or not isinstance(text, str | int | float):
        raise DurationFormatError(
            "a duration must be a string such as '15m' or a number of seconds"
        )
    if isinstance(text, int | float):
        if text < 0:
            raise DurationFormatError("a duration cannot be negative")
        if isinstance(text, int):  # any size: the clock refuses what it cannot reach
            return text * SECOND
        if not math.isfinite(text):
            raise DurationFormatError(f"a duration must be a finite number, not {text!r}")
        return _whole_millis(text * SECOND, text)
    raw = text.strip()
    if not raw:
        raise DurationFormatError("empty duration; expected e.g. '90s', '15m', '2h' or 'PT15M'")
    if raw[0] in "pP":
        iso = _ISO.match(raw)
        if iso is None or raw.upper() in ("P", "PT"):
            raise DurationFormatError(f"{text!r} is not an ISO 8601 duration such as 'PT15M'")
        total = 0.0
        for key, unit in (("w", 7 * DAY), ("d", DAY), ("h", HOUR), ("m", MINUTE), ("s", SECOND)):
            if iso[key]:
                total += float(iso[key]) * unit
        return _whole_millis(total, text)
    if raw.startswith("-"):
        raise DurationFormatError("a duration cannot be negative")
    try:
        return round(float(raw) * SECOND)
    except (ValueError, OverflowError):  # not a number, or "inf" / "nan"
        pass
    position, total = 0, 0.0
    for part in _SIMPLE.finditer(raw):
        if raw[position : part.start()].strip():
            break
        total += float(part[1]) * _UNITS[part[2].lower()]
        position = part.end()
    if position == 0 or raw[position:].strip():
        raise DurationFormatError(
            f"{text!r} is not a duration; expected e.g. '90s', '15m', '2h', '1h30m' or 'PT15M'"
        )
    return _whole_millis(total, text)


def _whole_millis(millis: float, text: object) -> Millis:
    """``millis`` rounded; a float past the largest one (``1e306`` seconds) is refused.

    >>> parse_duration(1e306)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    simulator.timefmt.DurationFormatError: 1e+306 is too long a duration
    """
    if not math.isfinite(millis):
        raise DurationFormatError(f"{text!r} is too long a duration")
    return round(millis)


def format_duration(millis: Millis) -> str:
    """A short human form: ``'1h30m'``, ``'90s'`` stays ``'1m30s'``, ``'250ms'``.

    >>> format_duration(5400000), format_duration(90000), format_duration(250)
    ('1h30m', '1m30s', '250ms')
    """
    if millis == 0:
        return "0s"
    parts = []
    for unit, size in (("d", DAY), ("h", HOUR), ("m", MINUTE), ("s", SECOND), ("ms", 1)):
        amount, millis = divmod(millis, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return "".join(parts)
