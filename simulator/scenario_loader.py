"""Reading the ``credentials``, ``defaults``, ``faults`` and ``inbound`` sections of a
scenario from YAML nodes into the frozen parts of :mod:`simulator.scenario_model` (``rules``
are read by :mod:`simulator.scenario_rules`).

Everything is checked at load time: key names, types, endpoints and scopes against the route
table, rate limits, faker provider names. Errors name the file, line, key path and what would
be valid.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from simulator import scenario_values as values
from simulator.config import Credential
from simulator.scenario_model import (
    AfterDelivery,
    Defaults,
    FaultRule,
    InboundScript,
    RateLimit,
    TextTemplate,
)
from simulator.scenario_rules import MATCH_KEYS, match_of
from simulator.scenario_yaml import Node, one_of, suggest
from simulator.timefmt import HOUR, MINUTE, SECOND, parse_duration

SCHEMES = ("App", "Basic", "IBSSO", "Bearer")
CREDENTIAL_KEYS = {"scheme", "key", "username", "password", "scopes", "name"}
DEFAULTS_KEYS = {
    "delivery_delay",
    "price",
    "currency",
    "mcc_mnc",
    "report_url",
    "inbound_url",
    "validity",
}
FAULT_KEYS = {
    "endpoint",
    "method",
    "status",
    "every",
    "window",
    "rate_limit",
    "probability",
    "latency",
    "retry_after",
}
FAULT_PATTERNS = ("every", "rate_limit", "probability")
FAULT_STATUSES = (429, 500, 502, 503, 504)
METHODS = ("GET", "POST", "PUT")
INBOUND_KEYS = {"at", "after_delivery", "from", "to", "text", "account"}
AFTER_DELIVERY_KEYS = (MATCH_KEYS - {"during"}) | {"delay"}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(.+?)\s*$")
_RATE_UNITS = {"s": SECOND, "sec": SECOND, "second": SECOND, "m": MINUTE, "min": MINUTE}
_RATE_UNITS |= {"minute": MINUTE, "h": HOUR, "hour": HOUR}
_FAKER_CALL = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_PROVIDER = re.compile(r"^faker\.([A-Za-z_][A-Za-z0-9_]*)$")
T = TypeVar("T")


# -- credentials and defaults -----------------------------------------------------------------


def credentials(node: Node) -> tuple[Credential, ...]:
    out: list[Credential] = []
    seen: set[tuple[str, str]] = set()
    for item in node.items():
        credential = node.ctx.attempt(partial(_credential, item))
        if credential is None:
            continue
        if (credential.scheme, credential.token) in seen:
            node.ctx.problems.extend(item.error("this credential is listed twice").problems)
            continue
        seen.add((credential.scheme, credential.token))
        out.append(credential)
    return tuple(out)


def _credential(node: Node) -> Credential:
    entries = node.mapping(CREDENTIAL_KEYS, required=("scheme",))
    scheme = entries["scheme"].choice(SCHEMES)
    if scheme == "Basic":
        for key in ("username", "password"):
            if key not in entries:
                raise node.error(
                    f"a Basic credential needs 'username' and 'password'; {key!r} is missing",
                    node.child_path(key),
                )
        if "key" in entries:
            raise entries["key"].error(
                "a Basic credential has 'username' and 'password', not 'key'"
            )
        username = entries["username"].string()
        if ":" in username:
            raise entries["username"].error("a Basic username cannot contain ':'")
        token = f"{username}:{entries['password'].string()}"
    else:
        if "key" not in entries:
            raise node.error(f"an {scheme} credential needs 'key'", node.child_path("key"))
        for key in ("username", "password"):
            if key in entries:
                raise entries[key].error(f"only Basic credentials have {key!r}; {scheme} has 'key'")
        token = entries["key"].string()
    scopes = (
        frozenset(scope(item) for item in entries["scopes"].items())
        if "scopes" in entries
        else frozenset()
    )
    name = entries["name"].string() if "name" in entries else None
    return Credential(scheme, token, scopes, name)


def known_scopes() -> frozenset[str]:
    from simulator.api.routes import ENDPOINTS  # the HTTP layer, only when a scenario asks

    return frozenset(s for endpoint in ENDPOINTS for s in endpoint.scopes)


def scope(node: Node) -> str:
    """Any well-formed Infobip scope; one that looks like a typo of a scope the simulator's
    endpoints use is an error (it would silently make every request a 403)."""
    value = node.string()
    if not re.fullmatch(r"[a-z0-9-]+(:[a-z0-9-]+)*", value):
        raise node.error(f"{value!r} is not a scope name such as 'sms:message:send'")
    known = known_scopes()
    hint = suggest(value, known, cutoff=0.85)
    if value not in known and hint:
        raise node.error(f"unknown scope {value!r}{hint} (scopes in use: {one_of(known)})")
    return value


def defaults(node: Node) -> Defaults:
    entries = node.mapping(DEFAULTS_KEYS)

    def get(key: str, reader: Callable[[Node], T]) -> T | None:
        return node.ctx.attempt(partial(reader, entries[key])) if key in entries else None

    return Defaults(
        delivery_delay=get("delivery_delay", Node.duration),
        price=get("price", values.price),
        currency=get("currency", values.currency),
        mcc_mnc=get("mcc_mnc", values.mcc_mnc),
        report_url=get("report_url", values.url),
        inbound_url=get("inbound_url", values.url),
        validity=get("validity", values.validity),
    )


# -- faults -----------------------------------------------------------------------------------


def faults(node: Node) -> tuple[FaultRule, ...]:
    out = []
    for index, item in enumerate(node.items()):
        rule = node.ctx.attempt(partial(fault, index, item))
        if rule is not None:
            out.append(rule)
    return tuple(out)


def fault(index: int, node: Node) -> FaultRule:
    from simulator.api.routes import ENDPOINTS  # the HTTP layer, only when a scenario asks

    entries = node.mapping(FAULT_KEYS)
    methods = None
    if "method" in entries:
        methods = frozenset(item.choice(METHODS) for item in entries["method"].one_or_many())
    endpoints: tuple[str, ...] = ("*",)
    if "endpoint" in entries:
        items = entries["endpoint"].one_or_many()
        endpoints = tuple(item.string() for item in items)
        served = {e.path for e in ENDPOINTS if methods is None or e.method in methods}
        for item, pattern in zip(items, endpoints, strict=True):
            probe = FaultRule(index, (pattern,), methods)
            if not any(probe.selects(e.method, e.path) for e in ENDPOINTS):
                verbs = "" if methods is None else " for " + one_of(methods)
                raise item.error(
                    f"no Infobip endpoint{verbs} matches {pattern!r}{suggest(pattern, served)} "
                    f"(valid: '*', a glob such as '/sms/1/*', or one of {one_of(served)})"
                )
    patterns = [key for key in FAULT_PATTERNS if key in entries]
    if len(patterns) > 1:
        raise entries[patterns[1]].error(
            f"give one of {', '.join(FAULT_PATTERNS)} per fault, not both {patterns[0]!r} and "
            f"{patterns[1]!r} (a 'window' may go with any of them); add another fault instead"
        )
    status = None
    if "status" in entries:
        status = entries["status"].integer()
        if status not in FAULT_STATUSES:
            raise entries["status"].error(
                f"a fault's status is one of {', '.join(map(str, FAULT_STATUSES))}, got {status}"
            )
    rate = _rate_limit(entries["rate_limit"]) if "rate_limit" in entries else None
    if rate is not None and status is None:
        status = 429
    latency = entries["latency"].duration() / SECOND if "latency" in entries else 0.0
    if status is None and latency == 0:
        raise node.error(
            "a fault needs 'status' (an HTTP error), 'rate_limit' or 'latency' "
            "(what should happen to the requests it selects?)"
        )
    retry_after = None
    if "retry_after" in entries:
        retry_after = math.ceil(entries["retry_after"].duration() / SECOND)
    return FaultRule(
        index=index,
        endpoints=endpoints,
        methods=methods,
        status=status,
        every=entries["every"].integer(minimum=1) if "every" in entries else None,
        window=values.window(entries["window"]) if "window" in entries else None,
        rate_limit=rate,
        probability=_probability(entries["probability"]) if "probability" in entries else None,
        latency=latency,
        retry_after=retry_after,
    )


def _rate_limit(node: Node) -> RateLimit:
    """``100/min``, ``10/s``, ``1000/h``, ``5/10s``."""
    raw = node.string()
    found = _RATE.match(raw)
    hint = "expected requests per time such as '100/min', '10/s' or '5/10s'"
    if found is None:
        raise node.error(f"{hint}, got {raw!r}")
    amount, unit = int(found[1]), found[2].lower()
    if amount < 1:
        raise node.error(f"a rate limit allows at least 1 request, got {raw!r}")
    per = _RATE_UNITS.get(unit)
    if per is None:
        try:
            per = parse_duration(unit)
        except ValueError:
            raise node.error(f"{hint}, got {raw!r}") from None
    if per <= 0:
        raise node.error(f"{hint}, got {raw!r}")
    return RateLimit(amount, per)


def _probability(node: Node) -> float:
    """``0.1`` or ``10%``."""
    if node.tag == "tag:yaml.org,2002:str" and node.string().strip().endswith("%"):
        return values.weight(node) / 100
    return node.number(minimum=0, maximum=1)


# -- inbound ----------------------------------------------------------------------------------


def inbound(node: Node) -> tuple[InboundScript, ...]:
    out = []
    for index, item in enumerate(node.items()):
        script = node.ctx.attempt(partial(inbound_script, index, item))
        if script is not None:
            out.append(script)
    return tuple(out)


def inbound_script(index: int, node: Node) -> InboundScript:
    entries = node.mapping(INBOUND_KEYS, required=("text",))
    if ("at" in entries) == ("after_delivery" in entries):
        raise node.error(
            "an inbound message needs exactly one of 'at' (an instant or '+5m') and "
            "'after_delivery' ({to: ..., delay: 2m})"
        )
    at = after = None
    if "at" in entries:
        at = values.time_ref(entries["at"])
        for key in ("from", "to"):
            if key not in entries:
                raise node.error(
                    f"an inbound message at a fixed time needs {key!r}", node.child_path(key)
                )
    else:
        spec = entries["after_delivery"]
        keys = spec.mapping(AFTER_DELIVERY_KEYS, required=("delay",))
        after = AfterDelivery(match_of(spec, AFTER_DELIVERY_KEYS), keys["delay"].duration())
    return InboundScript(
        index=index,
        text=text_template(entries["text"]),
        at=at,
        after_delivery=after,
        sender=entries["from"].string() if "from" in entries else None,
        to=entries["to"].string() if "to" in entries else None,
        account=entries["account"].string() if "account" in entries else None,
    )


def text_template(node: Node) -> TextTemplate:
    """Literal text with ``{faker.<provider>}`` calls; ``{{`` and ``}}`` are literal braces."""
    raw = node.text()
    parts: list[tuple[str, bool]] = []
    position = 0
    for found in _FAKER_CALL.finditer(raw):
        parts.append((raw[position : found.start()], False))
        position = found.end()
        token = found[0]
        if token in ("{{", "}}"):
            parts.append((token[0], False))
            continue
        call = _PROVIDER.match(found[1] or "")
        if call is None:
            raise node.error(
                f"{token!r} in the text is not a faker call; write {{faker.name}}, "
                "{faker.sentence}, {faker.random_int}, ... (and {{ or }} for a literal brace)"
            )
        provider = call[1]
        _check_provider(node, provider)
        parts.append((provider, True))
    parts.append((raw[position:], False))
    return TextTemplate(tuple((value, call) for value, call in parts if value or call))


@functools.cache
def _faker() -> tuple[object, frozenset[str]]:
    """A Faker for checking provider names, and the names that are Faker's own machinery
    (``seed_instance``, ``format``, ...) rather than providers."""
    import faker  # imported only for scenarios that use it (it takes a while)

    machinery = frozenset(dir(faker.Generator)) | frozenset(dir(faker.Faker))
    return faker.Faker(), machinery


def _check_provider(node: Node, provider: str) -> None:
    fake, machinery = _faker()
    if (
        provider.startswith("_")
        or provider in machinery
        or not callable(getattr(fake, provider, None))
    ):
        hint = suggest(provider, ["name", "sentence", "random_int", "word", "first_name"])
        raise node.error(f"faker has no provider {provider!r}{hint}")
    try:
        getattr(fake, provider)()
    except TypeError:
        raise node.error(
            f"faker.{provider} needs arguments; only providers callable without any are allowed"
        ) from None
    except Exception as exc:  # a provider that needs an optional library, say
        raise node.error(f"faker.{provider} fails without arguments: {exc!r}") from None
