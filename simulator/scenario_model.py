"""A scenario's parts as frozen dataclasses: what the loader builds and the runtime reads.

Nothing here knows YAML. Conditions know how to match a message (:meth:`Match.matches`) and
whether one condition set covers another (:meth:`Match.covers`, used to refuse rules that can
never match); outcome specs know how to become a :class:`~simulator.models.Timeline`.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field, fields

from simulator.models import Family, Message, Rejection, Step, Timeline
from simulator.status import ErrorCode, StatusCode
from simulator.timefmt import Millis, format_duration, format_instant

# -- time ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimeRef:
    """An instant on the virtual clock: absolute, or an offset from the clock's start
    (written ``"+5m"``)."""

    millis: Millis
    relative: bool = False

    def resolve(self, origin: Millis) -> Millis:
        return origin + self.millis if self.relative else self.millis

    def __str__(self) -> str:
        return f"+{format_duration(self.millis)}" if self.relative else format_instant(self.millis)


@dataclass(frozen=True, slots=True)
class Window:
    """``{from, until}`` on the virtual clock: ``from`` included, ``until`` excluded; either
    may be left open."""

    start: TimeRef | None = None
    until: TimeRef | None = None

    def contains(self, instant: Millis, origin: Millis) -> bool:
        if self.start is not None and instant < self.start.resolve(origin):
            return False
        return self.until is None or instant < self.until.resolve(origin)

    def end(self, origin: Millis) -> Millis | None:
        return None if self.until is None else self.until.resolve(origin)

    def within(self, other: Window) -> bool:
        """True when this window surely lies inside ``other`` (bounds of different kinds,
        absolute and relative, are not compared: the answer is then False)."""
        return _bound_le(other.start, self.start, open_is_low=True) and _bound_le(
            self.until, other.until, open_is_low=False
        )


def _bound_le(low: TimeRef | None, high: TimeRef | None, *, open_is_low: bool) -> bool:
    if open_is_low:  # start bounds: None is minus infinity
        if low is None:
            return True
        if high is None:
            return False
    else:  # until bounds: None is plus infinity
        if high is None:
            return True
        if low is None:
            return False
    return low.relative == high.relative and low.millis <= high.millis


# -- rules --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    """The conditions of a rule; all that are given must hold. None means "not given"."""

    to: frozenset[str] | None = None
    prefixes: tuple[str, ...] | None = None
    suffixes: tuple[str, ...] | None = None
    regex: re.Pattern[str] | None = None
    """Searched in the destination (anchor it with ``^`` / ``$``)."""
    senders: frozenset[str] | None = None
    text_contains: str | None = None
    text_regex: re.Pattern[str] | None = None
    apis: frozenset[Family] | None = None
    during: Window | None = None
    """The message's send time (now, or its ``sendAt``) falls in this window."""

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    def matches(self, message: Message, origin: Millis) -> bool:
        to = message.to
        if self.to is not None and to not in self.to:
            return False
        if self.prefixes is not None and not to.startswith(self.prefixes):
            return False
        if self.suffixes is not None and not to.endswith(self.suffixes):
            return False
        if self.regex is not None and self.regex.search(to) is None:
            return False
        template = message.template
        if self.senders is not None and template.sender not in self.senders:
            return False
        if self.text_contains is not None or self.text_regex is not None:
            text = template.text
            if text is None:  # binary content has no text to match
                return False
            if self.text_contains is not None and self.text_contains not in text:
                return False
            if self.text_regex is not None and self.text_regex.search(text) is None:
                return False
        if self.apis is not None and template.family not in self.apis:
            return False
        return self.during is None or self.during.contains(message.send_at, origin)

    def covers(self, other: Match) -> bool:
        """True when every message ``other`` matches surely matches this too (so a rule with
        ``other`` placed after a rule with this can never match). Conservative: only the
        obvious cases are recognised, and False means "not provably"."""
        return all(check(self, other) for check in _IMPLIED)

    def describe(self) -> str:
        parts = []
        for f in fields(self):
            name, value = f.name, getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, re.Pattern):
                value = value.pattern
            elif isinstance(value, frozenset | tuple):
                value = ", ".join(sorted(str(v) for v in value))
            elif isinstance(value, Window):
                value = f"{value.start or '...'} to {value.until or '...'}"
            parts.append(f"{_YAML_NAMES.get(name, name)} {value}")
        return "; ".join(parts) or "no conditions"


_YAML_NAMES = {
    "prefixes": "prefix",
    "suffixes": "suffix",
    "senders": "sender",
    "apis": "api",
    "text_contains": "text contains",
    "text_regex": "text regex",
}


def _to_implies(outer: Match, inner: Match) -> bool:
    return outer.to is None or (inner.to is not None and inner.to <= outer.to)


def _prefix_implies(outer: Match, inner: Match) -> bool:
    if outer.prefixes is None:
        return True
    wanted = outer.prefixes
    return (inner.to is not None and all(t.startswith(wanted) for t in inner.to)) or (
        inner.prefixes is not None and all(p.startswith(wanted) for p in inner.prefixes)
    )


def _suffix_implies(outer: Match, inner: Match) -> bool:
    if outer.suffixes is None:
        return True
    wanted = outer.suffixes
    return (inner.to is not None and all(t.endswith(wanted) for t in inner.to)) or (
        inner.suffixes is not None and all(s.endswith(wanted) for s in inner.suffixes)
    )


def _regex_implies(outer: Match, inner: Match) -> bool:
    if outer.regex is None:
        return True
    pattern = outer.regex
    return (inner.regex is not None and inner.regex == pattern) or (
        inner.to is not None and all(pattern.search(t) is not None for t in inner.to)
    )


def _sender_implies(outer: Match, inner: Match) -> bool:
    return outer.senders is None or (inner.senders is not None and inner.senders <= outer.senders)


def _text_implies(outer: Match, inner: Match) -> bool:
    if outer.text_contains is not None and (
        inner.text_contains is None or outer.text_contains not in inner.text_contains
    ):
        return False
    return outer.text_regex is None or inner.text_regex == outer.text_regex


def _api_implies(outer: Match, inner: Match) -> bool:
    return outer.apis is None or (inner.apis is not None and inner.apis <= outer.apis)


def _during_implies(outer: Match, inner: Match) -> bool:
    return outer.during is None or (inner.during is not None and inner.during.within(outer.during))


_IMPLIED = (
    _to_implies,
    _prefix_implies,
    _suffix_implies,
    _regex_implies,
    _sender_implies,
    _text_implies,
    _api_implies,
    _during_implies,
)


# -- outcomes -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepSpec:
    """A timeline step as written: ``after`` past the send time, or, with ``after_window``,
    past the end of the rule's ``during`` window (a carrier outage draining)."""

    after: Millis
    status: StatusCode
    error: ErrorCode
    after_window: bool = False


@dataclass(frozen=True, slots=True)
class TimelineSpec:
    """A delivery timeline. Without window-relative steps it is one fixed
    :class:`~simulator.models.Timeline`, built once."""

    steps: tuple[StepSpec, ...]
    fixed: Timeline | None

    @classmethod
    def of(cls, steps: tuple[StepSpec, ...]) -> TimelineSpec:
        if any(step.after_window for step in steps):
            return cls(steps, None)
        return cls(steps, Timeline(tuple(Step(s.after, s.status, s.error) for s in steps)))

    def resolve(self, send_at: Millis, window_end: Millis | None) -> Timeline:
        if self.fixed is not None:
            return self.fixed
        out: list[Step] = []
        floor = 0
        for spec in self.steps:
            after = spec.after
            if spec.after_window and window_end is not None:
                after += max(window_end - send_at, 0)
            floor = max(floor, after)
            out.append(Step(floor, spec.status, spec.error))
        return Timeline(tuple(out))


OutcomeSpec = TimelineSpec | Rejection


@dataclass(frozen=True, slots=True)
class Choice:
    """One branch of weighted ``outcomes``; ``weight`` in percent."""

    weight: float
    outcome: OutcomeSpec


@dataclass(frozen=True, slots=True)
class Rule:
    index: int
    """Position in ``rules`` (0-based), for messages."""
    match: Match
    outcome: OutcomeSpec | None
    """None: the default delivery (a rule that only sets ``mcc_mnc`` or ``price``), or
    weighted (see ``choices``)."""
    choices: tuple[Choice, ...] = ()
    name: str | None = None
    mcc_mnc: str | None = None
    price: float | None = None
    """Per SMS part, replacing the default price for matching messages."""
    line: int | None = field(default=None, compare=False)
    """Where the rule is written (None when it came from a dict); not part of equality."""

    @property
    def label(self) -> str:
        return f"rules[{self.index}]" + (f" ({self.name})" if self.name else "")


# -- faults -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RateLimit:
    amount: int
    per: Millis

    def __str__(self) -> str:
        return f"{self.amount}/{format_duration(self.per)}"


@dataclass(frozen=True, slots=True)
class FaultRule:
    """One entry of ``faults``: which requests (endpoint globs, methods), when (the
    patterns, all given must hold), and what (an HTTP error and/or real-time latency)."""

    index: int
    endpoints: tuple[str, ...] = ("*",)
    methods: frozenset[str] | None = None
    status: int | None = None
    every: int | None = None
    window: Window | None = None
    rate_limit: RateLimit | None = None
    probability: float | None = None
    latency: float = 0.0
    """Real seconds."""
    retry_after: int | None = None
    """Seconds for ``Retry-After``; None: worked out (429 always carries one)."""

    def selects(self, method: str, path: str) -> bool:
        verb = method.upper()
        if verb == "HEAD":  # served by the GET route
            verb = "GET"
        if self.methods is not None and verb not in self.methods:
            return False
        return any(fnmatch.fnmatchcase(path, pattern) for pattern in self.endpoints)


# -- inbound ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextTemplate:
    """Inbound text: literal parts and ``{faker.<provider>}`` calls (names of providers)."""

    parts: tuple[tuple[str, bool], ...]
    """(literal text, False) or (provider name, True)."""

    @property
    def uses_faker(self) -> bool:
        return any(is_call for _, is_call in self.parts)

    def render(self, faker: object | None) -> str:
        out = []
        for value, is_call in self.parts:
            if is_call:
                assert faker is not None
                out.append(str(getattr(faker, value)()))
            else:
                out.append(value)
        return "".join(out)


@dataclass(frozen=True, slots=True)
class AfterDelivery:
    """Reply ``delay`` after a matching outbound message first reaches a DELIVERED status."""

    match: Match
    delay: Millis


@dataclass(frozen=True, slots=True)
class InboundScript:
    index: int
    text: TextTemplate
    at: TimeRef | None = None
    after_delivery: AfterDelivery | None = None
    sender: str | None = None
    """``from``; for replies it defaults to the outbound message's destination."""
    to: str | None = None
    """For replies it defaults to the outbound message's sender (``InfoSMS`` when none)."""
    account: str | None = None
    """The API key whose inbox receives it (only matters with tenant isolation)."""


# -- defaults -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Defaults:
    """``defaults``: each given value replaces the simulator's configuration."""

    delivery_delay: Millis | None = None
    price: float | None = None
    currency: str | None = None
    mcc_mnc: str | None = None
    report_url: str | None = None
    inbound_url: str | None = None
    validity: Millis | None = None
