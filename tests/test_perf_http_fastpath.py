"""The send fast paths (``send.fast_v3``, ``send.fast_advanced``) against the full parsers.

A fast path either declines (None: the full parser reads the body) or gives exactly what the
full parser gives, with no problem recorded. Bodies near the accepted shape (every way one
field can be off) and hypothesis-generated ones are tried; and the HTTP answers and the
request journal are checked on both paths.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator import jsoncodec
from simulator.api import send
from simulator.api.validation import Obj, Problems
from simulator.config import SimulatorConfig
from simulator.gateway import SubmitRequest
from simulator.journal import BODY_LIMIT, RequestJournal
from simulator.models import Family

CONFIG = SimulatorConfig()


def _ctx(family: Family, endpoint: str) -> send.Context:
    return send.Context(1_767_225_600_000, CONFIG, endpoint, family)


def _full(value: object, v3: bool, family: Family) -> tuple[SubmitRequest, bool] | None:
    """The full parser's answer, or None when it records a problem (or the body is not an
    object)."""
    problems = Problems()
    if not isinstance(value, dict):
        return None
    body = Obj(value, "", problems)
    ctx = _ctx(family, "sms/3/messages" if v3 else "sms/2/text/advanced")
    parsed = send.parse_v3(body, ctx) if v3 else send.parse_advanced(body, ctx, binary=False)
    return None if problems.items else parsed


def check(value: object) -> None:
    """Each fast path declines or agrees with its full parser; and never accepts a body the
    full parser finds a problem in."""
    for v3, family in ((True, Family.V3), (False, Family.V2), (False, Family.V1)):
        endpoint = "sms/3/messages" if v3 else "sms/2/text/advanced"
        fast = send.fast_v3 if v3 else send.fast_advanced
        before = copy.deepcopy(value)
        got = fast(value, _ctx(family, endpoint))
        assert value == before  # the fast path does not touch the body
        if got is None:
            continue
        assert got == _full(value, v3, family), (value, family)


def v3_body(**message: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "sender": "InfoSMS",
        "destinations": [{"to": "41793026727"}],
        "content": {"text": "Hello"},
    }
    base.update(message)
    return {"messages": [{k: v for k, v in base.items() if v is not ...}]}


def v2_body(**message: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "from": "InfoSMS",
        "destinations": [{"to": "41793026727"}],
        "text": "Hello",
    }
    base.update(message)
    return {"messages": [{k: v for k, v in base.items() if v is not ...}]}


ODD_VALUES: list[Any] = [
    ...,  # left out
    None,
    "",
    " ",
    "x" * 64,
    "x" * 65,
    " 417 ",
    "ä€😀",
    4179,
    1.5,
    float("inf"),
    True,
    [],
    {},
    ["41793026727"],
    [{"to": "41793026727"}],
    [{"to": "41793026727", "messageId": "m1"}],
    [{"to": None}],
    [{"to": 41793026727}],
    [{"to": ""}],
    [{"to": "  "}],
    [{"to": "1" * 64}],
    [{"to": "1" * 65}],
    [{"to": " 1 "}, {"to": "2"}],
    [{"to": "1"}, "2"],
    {"text": "Hello"},
    {"text": ""},
    {"text": " "},
    {"text": None},
    {"text": 5},
    {"text": "x" * send.MAX_TEXT},
    {"text": "x" * (send.MAX_TEXT + 1)},
    {"text": "Hello", "transliteration": "GREEK"},
    {"hex": "0f"},
    {"text": "Hello", "hex": "0f"},
    "x" * send.MAX_TEXT,
    "x" * (send.MAX_TEXT + 1),
]
FIELDS_V3 = ("sender", "destinations", "content", "options", "webhooks")
FIELDS_V2 = ("from", "destinations", "text", "flash", "notifyUrl", "validityPeriod")


@pytest.mark.parametrize("field", FIELDS_V3)
def test_v3_one_field_off(field: str) -> None:
    for odd in ODD_VALUES:
        check(v3_body(**{field: odd}))


@pytest.mark.parametrize("field", FIELDS_V2)
def test_v2_one_field_off(field: str) -> None:
    for odd in ODD_VALUES:
        check(v2_body(**{field: odd}))


@pytest.mark.parametrize(
    "value",
    [
        None,
        [],
        "messages",
        {},
        {"messages": None},
        {"messages": []},
        {"messages": {}},
        {"messages": [None]},
        {"messages": ["x"]},
        {"messages": [{}]},
        {**v3_body(), "bulkId": "b1"},
        {**v3_body(), "options": {"includeSmsCountInResponse": True}},
        {**v2_body(), "bulkId": "b1"},
        {**v2_body(), "includeSmsCountInResponse": True},
        {"messages": v3_body()["messages"] * 3},
        {"messages": v2_body()["messages"] * 3},
        {"messages": v3_body()["messages"] + v2_body()["messages"]},
    ],
)
def test_shapes(value: object) -> None:
    check(value)


def test_the_plain_shapes_take_the_fast_path() -> None:
    assert send.fast_v3(v3_body(), _ctx(Family.V3, "sms/3/messages")) is not None
    assert send.fast_advanced(v2_body(), _ctx(Family.V2, "sms/2/text/advanced")) is not None
    many = v3_body(destinations=[{"to": f"4179302{i:04d}"} for i in range(10)])
    assert send.fast_v3(many, _ctx(Family.V3, "sms/3/messages")) is not None


json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from(["", " ", "InfoSMS", "41793026727", " 4179 ", "Hello", "x" * 65]),
    st.text(max_size=8),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)
destination = st.one_of(
    st.fixed_dictionaries({"to": json_leaf}),
    st.fixed_dictionaries({"to": json_leaf}, optional={"messageId": json_leaf}),
    json_value,
)
destinations = st.one_of(st.lists(destination, max_size=3), json_value)
v3_message = st.fixed_dictionaries(
    {},
    optional={
        "sender": json_leaf,
        "destinations": destinations,
        "content": st.one_of(
            st.fixed_dictionaries({"text": json_leaf}),
            st.fixed_dictionaries({}, optional={"text": json_leaf, "hex": json_leaf}),
            json_value,
        ),
        "options": json_value,
    },
)
v2_message = st.fixed_dictionaries(
    {},
    optional={
        "from": json_leaf,
        "destinations": destinations,
        "text": json_leaf,
        "flash": json_leaf,
    },
)
bodies = st.one_of(
    st.fixed_dictionaries({"messages": st.lists(v3_message | v2_message, max_size=3)}),
    st.fixed_dictionaries(
        {"messages": st.lists(v3_message | v2_message, max_size=2)},
        optional={"bulkId": json_leaf, "options": json_value},
    ),
    json_value,
)


@settings(max_examples=400, deadline=None)
@given(bodies)
def test_generated_bodies(value: object) -> None:
    check(value)


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({"messages": st.lists(v3_message | v2_message, max_size=3)}))
def test_generated_bodies_through_json(value: object) -> None:
    check(jsoncodec.loads(jsoncodec.dumps(value)))


# -- the request journal keeps bytes and decodes when read -------------------------------------
def test_journal_decodes_lazily_as_before() -> None:
    journal = RequestJournal(10)
    raw = "é".encode() * BODY_LIMIT  # two bytes each: the limit cuts one in half
    journal.record(0, "acct", "POST", "/sms/3/messages", "", 200, raw, 1.0)
    journal.record(0, None, "GET", "/sms/3/reports", "limit=1", 200, b"", 1.0)
    first, second = journal.records
    assert first.body == raw[:BODY_LIMIT].decode("utf-8", errors="replace")
    assert first.body.endswith("\ufffd") or len(first.body) == BODY_LIMIT // 2
    assert first.to_json()["body"] == first.body
    assert second.to_json()["body"] == ""
    journal.record(0, None, "POST", "/x", "", 400, b"\xff{", 1.0)
    assert journal.records[-1].body == "\ufffd{"


# -- over HTTP: the same bytes with the fast paths and without -------------------------------
SESSION: list[tuple[str, object]] = [
    ("/sms/3/messages", v3_body()),
    ("/sms/3/messages", v3_body(destinations=[{"to": f"4179302{i:04d}"} for i in range(10)])),
    ("/sms/3/messages", v3_body(content={"text": "Ω" * 80})),
    ("/sms/3/messages", v3_body(sender=...)),
    ("/sms/3/messages", {"messages": v3_body()["messages"] * 2}),
    ("/sms/3/messages", v3_body(destinations=[{"to": " 41793026727 "}])),
    ("/sms/3/messages", v3_body(destinations=[{"to": ""}])),
    ("/sms/3/messages", v3_body(content={"text": " "})),
    ("/sms/2/text/advanced", v2_body()),
    ("/sms/2/text/advanced", v2_body(text="")),
    ("/sms/2/text/advanced", v2_body(text="x" * 200)),
    ("/sms/2/text/advanced", v2_body(destinations=[{"to": f"4179302{i:04d}"} for i in range(10)])),
    ("/sms/2/text/advanced", v2_body(**{"from": 12345})),
    ("/sms/1/text/advanced", v2_body()),
    ("/sms/1/text/advanced", v2_body(destinations=[])),
]


async def _session(
    aiohttp_client: Any, backend: str, fast: bool, monkeypatch: pytest.MonkeyPatch
) -> list[bytes]:
    from simulator.app import make_app
    from simulator.core import Simulator
    from simulator.timefmt import parse_instant

    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(send, "fast_v3", lambda value, ctx: None)
            patch.setattr(send, "fast_advanced", lambda value, ctx: None)
        patch.setattr(jsoncodec, "dumps", jsoncodec.dumps)
        patch.setattr(jsoncodec, "loads", jsoncodec.loads)
        previous = jsoncodec.BACKEND
        jsoncodec.use(backend)
        try:
            config = SimulatorConfig(start=parse_instant("2026-01-01T09:00:00Z"), seed=3)
            app = make_app(Simulator(config))
            client = await aiohttp_client(app, headers={"Authorization": "App fast-key"})
            answers: list[bytes] = []
            for path, body in SESSION:
                response = await client.post(path, data=jsoncodec.dumps(body))
                answers.append(f"{response.status} ".encode() + await response.read())
            journal = await (await client.get("/__sim/requests")).json()
            for record in journal["requests"]:
                del record["latencyMs"]  # real time: differs between any two runs
            answers.append(jsoncodec.dumps(journal))
            return answers
        finally:
            jsoncodec.use(previous)


@pytest.mark.parametrize("backend", ["orjson", "stdlib"])
async def test_http_answers_are_the_same_bytes_either_way(
    aiohttp_client: Any, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_fast = await _session(aiohttp_client, backend, True, monkeypatch)
    without = await _session(aiohttp_client, backend, False, monkeypatch)
    assert with_fast == without
    assert with_fast[0].startswith(b"200 ")
    assert with_fast[6].startswith(b"400 ")  # a blank "to": the full parser words it
