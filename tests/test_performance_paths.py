"""The fast paths and their plain standard-library twins: JSON backends, the event loop
choice, the GC tuner, and the retention sweep that keeps a long run's memory flat."""

from __future__ import annotations

import asyncio
import gc
import json
import sys
from collections.abc import Iterator
from dataclasses import replace

import pytest
from aiohttp.test_utils import TestClient, TestServer

from simulator import jsoncodec
from simulator.app import make_app
from simulator.cli import loop_factory
from simulator.cli_client import UsageError
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.gateway import MessageRequest, SubmitRequest
from simulator.gctune import GcTuner
from simulator.models import Family, Template
from simulator.schedule import Schedule
from simulator.state import export_state, import_state
from simulator.timefmt import DAY, HOUR, MINUTE, parse_instant

START = parse_instant("2026-01-01T09:00:00.000+0000")
AUTH = {"Authorization": "App perf-key"}

needs_orjson = pytest.mark.skipif(jsoncodec.orjson is None, reason="orjson is not installed")


@pytest.fixture
def backend() -> Iterator[None]:
    before = jsoncodec.BACKEND
    yield
    jsoncodec.use(before)


# -- JSON ---------------------------------------------------------------------------------------
BODIES: list[object] = [
    {"bulkId": "1234567890123456789", "messages": [{"messageId": "a", "status": {"id": 26}}]},
    {"price": {"pricePerMessage": 0.01, "currency": "EUR"}, "n": [0.5, 0.0, -0.0, 1e16, 1e20]},
    {"text": 'Grüße 😀 "quoted" \\ back\nslash\t\x00\x1f\x7f\u2028', "none": None, "t": True},
    {"big": 2**70, "neg": -(2**63), "keys": {1: "int key", "s": []}},
    [1, [2, [3, {}]], ()],
]


@needs_orjson
@pytest.mark.parametrize("body", BODIES)
def test_both_json_backends_write_the_same_bytes(body: object, backend: None) -> None:
    jsoncodec.use("orjson")
    fast = jsoncodec.dumps(body)
    jsoncodec.use("stdlib")
    assert fast == jsoncodec.dumps(body)
    assert json.loads(fast) == json.loads(json.dumps(body))


@needs_orjson
def test_tiny_floats_are_the_documented_difference(backend: None) -> None:
    jsoncodec.use("orjson")
    fast = jsoncodec.dumps({"p": 0.00005})
    jsoncodec.use("stdlib")
    slow = jsoncodec.dumps({"p": 0.00005})
    assert slow == b'{"p":5e-05}'
    assert fast != slow
    assert json.loads(fast) == json.loads(slow)  # the same number, spelled differently


@pytest.mark.parametrize("name", ["orjson", "stdlib"])
@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": 1, "a": 2, "b": [1.5, "x", null]}',
        b'{"n": 123456789012345678901234567890}',
        b'{"s": "\\ud800"}',
        b"[" * 200 + b"]" * 200,
        '{"t": "caf\u00e9"}'.encode(),
    ],
)
def test_both_json_backends_read_the_same_values(raw: bytes, name: str, backend: None) -> None:
    jsoncodec.use(name)
    assert jsoncodec.loads(raw) == json.loads(raw)


@pytest.mark.parametrize("name", ["orjson", "stdlib"])
@pytest.mark.parametrize("raw", [b'{"a": NaN}', b"{", b'{"a": 1,}', b"\xff", b"[Infinity]"])
def test_both_json_backends_refuse_alike(raw: bytes, name: str, backend: None) -> None:
    jsoncodec.use("stdlib")
    with pytest.raises((ValueError, UnicodeDecodeError)) as expected:
        jsoncodec.loads(raw)
    jsoncodec.use(name)
    with pytest.raises((ValueError, UnicodeDecodeError)) as got:
        jsoncodec.loads(raw)
    assert type(got.value) is type(expected.value)
    assert str(got.value) == str(expected.value)


def test_an_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown JSON backend"):
        jsoncodec.use("simdjson")


async def _session() -> list[tuple[int, bytes]]:
    config = SimulatorConfig(start=START, seed=11)
    server = TestServer(make_app(Simulator(config)))
    answers: list[tuple[int, bytes]] = []
    async with TestClient(server) as client:
        calls: list[tuple[str, str, object]] = [
            (
                "POST",
                "/sms/3/messages",
                {
                    "messages": [
                        {
                            "sender": "Grüße",
                            "destinations": [{"to": "41793026727"}, {"to": "41793026728"}],
                            "content": {"text": "Hello 😀"},
                        }
                    ]
                },
            ),
            (
                "POST",
                "/sms/2/text/advanced",
                {"messages": [{"destinations": [{"to": "385911111111"}], "text": "x"}]},
            ),
            ("POST", "/sms/3/messages", {"messages": [{"destinations": []}]}),
            ("POST", "/__sim/clock/advance", {"by": "10s"}),
            ("GET", "/sms/3/reports", None),
            ("GET", "/sms/1/logs", None),
            ("GET", "/sms/3/logs", None),
        ]
        for method, path, body in calls:
            response = await client.request(method, path, json=body, headers=AUTH)
            answers.append((response.status, await response.read()))
        bad = await client.post("/sms/3/messages", data=b"{nope", headers=AUTH)
        answers.append((bad.status, await bad.read()))
    return answers


@needs_orjson
async def test_the_app_answers_the_same_bytes_on_both_json_paths(backend: None) -> None:
    jsoncodec.use("stdlib")
    plain = await _session()
    jsoncodec.use("orjson")
    fast = await _session()
    assert fast == plain
    assert {status for status, _ in plain} == {200, 400}


async def test_the_standard_library_path_serves_a_whole_session(backend: None) -> None:
    jsoncodec.use("stdlib")
    assert jsoncodec.BACKEND == "stdlib"
    first, second = await _session(), await _session()
    assert first == second
    assert b"is not valid JSON" in first[-1][1]


# -- event loop and GC ---------------------------------------------------------------------------
def test_loop_choice() -> None:
    assert loop_factory("asyncio") is None
    try:
        import uvloop
    except ImportError:
        assert loop_factory("auto") is None
    else:
        assert loop_factory("uvloop") is uvloop.new_event_loop
        assert loop_factory("auto") is uvloop.new_event_loop


def test_asking_for_a_missing_uvloop_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop now fails
    assert loop_factory("auto") is None
    with pytest.raises(UsageError, match="uvloop is not installed"):
        loop_factory("uvloop")


async def test_the_gc_tuner_freezes_survivors_and_lets_go_on_stop() -> None:
    tuner = GcTuner(interval=0.01)
    try:
        tuner.start()
        assert gc.get_freeze_count() > 0
        await asyncio.sleep(0.05)
        assert tuner.ticks >= 1
        tuner.full_collect()
        assert gc.get_freeze_count() > 0
    finally:
        tuner.stop()
    assert gc.get_freeze_count() == 0


def test_an_event_keeps_the_due_instant_it_was_given() -> None:
    schedule = Schedule()
    due = START + 3_000
    event = schedule.add(due, lambda _: None)
    assert event.due is due
    schedule.reschedule(event, due + 1)
    assert event.due == due + 1
    assert schedule.pop_due(due + 1) is event


# -- retention ----------------------------------------------------------------------------------
def _send(sim: Simulator, to: str, bulk_id: str | None = None) -> None:
    template = Template(Family.V3, "sms/3/messages", "InfoSMS", text="Hi")
    request = SubmitRequest(Family.V3, [MessageRequest(template, [(to, None)])], bulk_id)
    sim.gateway.submit(sim.gateway.account(), request)


def test_messages_are_dropped_a_week_after_their_final_status() -> None:
    sim = Simulator(SimulatorConfig(start=START))
    assert sim.config.message_retention == 7 * DAY
    _send(sim, "41793026727")
    sim.engine.advance(10_000)  # delivered at +3 s
    sim.gateway.receive_inbound(sim.gateway.account(), "41793026727", "InfoSMS", "STOP")
    account = sim.gateway.account()
    message = account.messages[0]
    sim.engine.advance(7 * DAY - 10_000)  # a week after the delivery: not older than that yet
    assert account.messages == [message]
    assert message.message_id in account.by_id
    assert len(account.reports) == 1
    assert len(account.inbound) == 1
    _send(sim, "41793026728")  # a newer message stays
    sim.engine.advance(HOUR + 1)  # the next sweep
    assert [m.to for m in account.messages] == ["41793026728"]
    assert message.message_id not in account.by_id
    assert message.bulk_id not in account.bulks  # its bulk had nothing else
    assert len(account.reports) == 1  # the newer message's report only
    assert account.inbound == []
    assert len(account.inbox) == 0


def test_a_bulk_keeps_its_younger_messages() -> None:
    sim = Simulator(SimulatorConfig(start=START, message_retention=HOUR))
    _send(sim, "41793026727", bulk_id="b1")
    sim.engine.advance(30 * MINUTE)
    _send(sim, "41793026728", bulk_id="b1")
    sim.engine.advance(HOUR)
    bulk = sim.gateway.account().bulks["b1"]
    assert [m.to for m in bulk.messages] == ["41793026728"]
    sim.engine.advance(2 * HOUR)
    assert "b1" not in sim.gateway.account().bulks


def test_pending_messages_are_never_dropped() -> None:
    sim = Simulator(SimulatorConfig(start=START, message_retention=HOUR))
    template = Template(Family.V3, "sms/3/messages", "InfoSMS", text="Hi")
    later = START + 30 * DAY
    request = SubmitRequest(Family.V3, [MessageRequest(template, [("41793026727", None)], later)])
    sim.gateway.submit(sim.gateway.account(), request)
    sim.engine.advance(10 * DAY)
    assert len(sim.gateway.account().messages) == 1


def test_no_retention_keeps_everything() -> None:
    sim = Simulator(SimulatorConfig(start=START, message_retention=None))
    _send(sim, "41793026727")
    sim.engine.advance(30 * DAY)
    assert len(sim.gateway.account().messages) == 1
    assert len(sim.gateway.account().reports) == 1


def test_a_restored_state_is_swept_too() -> None:
    config = SimulatorConfig(start=START, message_retention=HOUR)
    sim = Simulator(config)
    _send(sim, "41793026727")
    sim.engine.advance(MINUTE)
    saved = json.loads(json.dumps(export_state(sim)))
    restored = Simulator(replace(config))
    import_state(restored, saved)
    assert len(restored.gateway.account().messages) == 1
    restored.engine.advance(2 * HOUR)
    assert restored.gateway.account().messages == []
