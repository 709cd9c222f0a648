"""A sweep of hostile input over HTTP, both surfaces, and through the scenario loader: each
input gets a clear error (a 4xx in the surface's own error body, or a refusal before the
request is parsed) and leaves the simulator exactly as it was: ``GET /__sim/state`` before and
after are identical, and the server goes on serving.

``tests/test_api_errors.py`` covers the Infobip surface's malformed JSON, non-objects,
validation paths, 413, 415, 404 and 405; this sweep adds what it does not: lone UTF-16
surrogates, truncated bodies, huge numbers in both surfaces, the control plane's bodies,
wrong content types, duplicate query parameters, path traversal in ids and console names,
CR/LF injection, oversized control-plane bodies, and YAML bombs and huge scenarios.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import socket
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Final

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from reliability import BAD_BODIES, BAD_PATHS, BAD_RAW_REQUESTS, YAML_BOMBS
from yarl import URL

from simulator.app import make_app
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.scenario import ScenarioError, load_scenario, parse_scenario
from simulator.scenario_yaml import MAX_TEXT_CHARS
from simulator.testing.server import ThreadedSimulator
from simulator.timefmt import parse_instant

Client = TestClient[web.Request, web.Application]
ClientFactory = Callable[..., Awaitable[Client]]
JSON = dict[str, Any]

START: Final = parse_instant("2026-01-01T09:00:00.000+0000")
AUTH: Final = {"Authorization": "App sweep-key"}
SEED: Final = {"messages": [{"destinations": [{"to": "41793026727"}], "content": {"text": "x"}}]}
SECRETS: Final = ("root:", "[project]", "import ", "hatchling")
"""Text from files a traversal might reach (/etc/passwd, pyproject.toml, Python source)."""


@pytest.fixture
async def client(aiohttp_client: ClientFactory) -> Client:
    simulator = Simulator(SimulatorConfig(start=START, seed=31, max_body_bytes=256 * 1024))
    made = await aiohttp_client(make_app(simulator), headers=AUTH)
    response = await made.post("/sms/3/messages", json=SEED)
    assert response.status == 200
    response = await made.post(
        "/sms/3/messages",
        json={
            **SEED,
            "options": {"schedule": {"bulkId": "SWEEP-BULK", "sendAt": "2026-01-02T09:00:00Z"}},
        },
    )
    assert response.status == 200
    return made


async def state(client: Client) -> bytes:
    response = await client.get("/__sim/state")
    assert response.status == 200
    return await response.read()


def assert_error_body(path: str, body: Any) -> None:
    """The error body of the surface that answered: control plane, v3 or v1 envelope."""
    if path.startswith("/__sim"):
        assert set(body) == {"error", "field"}, body
        assert body["error"], body
    elif path.lstrip("/").startswith("sms/3/"):
        assert body["errorCode"].startswith("E4"), body
    else:
        assert body["requestError"]["serviceException"]["messageId"], body


@pytest.mark.parametrize(
    ("name", "method", "path", "content_type", "raw"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES]
)
async def test_a_bad_body_is_a_clear_error_and_changes_nothing(
    client: Client, name: str, method: str, path: str, content_type: str | None, raw: bytes
) -> None:
    before = await state(client)
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = await client.request(method, path, data=raw, headers=headers)
    text = await response.text()
    assert 400 <= response.status < 500, f"{name}: {response.status} {text[:300]}"
    assert response.content_type == "application/json", text[:300]
    assert_error_body(path, json.loads(text))
    for secret in SECRETS:
        assert secret not in text, f"{name} leaked {secret!r}"
    assert await state(client) == before, name
    assert (await client.post("/sms/3/messages", json=SEED)).status == 200


@pytest.mark.parametrize(
    ("name", "method", "path", "status"), BAD_PATHS, ids=[p[0] for p in BAD_PATHS]
)
async def test_traversal_duplicates_and_injection_in_urls_change_nothing(
    client: Client, name: str, method: str, path: str, status: int
) -> None:
    before = await state(client)
    root = str(client.server.make_url("/")).rstrip("/")
    response = await client.session.request(method, URL(root + path, encoded=True), headers=AUTH)
    text = await response.text()
    assert response.status == status, f"{name}: {response.status} {text[:300]}"
    assert_error_body(path, json.loads(text))
    for secret in SECRETS:
        assert secret not in text, f"{name} leaked {secret!r}"
    for header, value in response.headers.items():
        assert "injected" not in f"{header}: {value}".lower(), f"{name} reflected into a header"
    assert await state(client) == before, name


async def raw_exchange(client: Client, request: bytes, *, half_close: bool) -> bytes:
    """Send bytes as they are; read the answer (or nothing) until the server closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", client.server.port)
    writer.write(request)
    await writer.drain()
    if half_close:
        writer.write_eof()
    try:
        return await asyncio.wait_for(reader.read(), timeout=5)
    except (ConnectionError, TimeoutError):
        return b""
    finally:
        writer.close()


@pytest.mark.parametrize(
    ("name", "raw", "half_close"), BAD_RAW_REQUESTS, ids=[r[0] for r in BAD_RAW_REQUESTS]
)
async def test_broken_http_is_refused_and_changes_nothing(
    client: Client, name: str, raw: bytes, half_close: bool
) -> None:
    before = await state(client)
    answer = await raw_exchange(client, raw, half_close=half_close)
    if answer:
        status = int(answer.split(b" ", 2)[1])
        assert 400 <= status < 500, f"{name}: {answer[:300]!r}"
        head = answer.split(b"\r\n\r\n", 1)[0].lower()
        assert b"injected" not in head, f"{name} reflected into a header"
    await asyncio.sleep(0.05)  # let the server finish with the connection
    assert await state(client) == before, name
    assert (await client.post("/sms/3/messages", json=SEED)).status == 200


def test_a_truncated_body_is_recorded_as_a_400_not_a_server_error() -> None:
    """The client went away mid-body: no answer can reach it, but the journal says 400 (the
    server as ``sms-sim serve`` runs it, where a lost client does not cancel its handler)."""
    raw = (
        b"POST /sms/3/messages HTTP/1.1\r\nHost: x\r\nAuthorization: App k\r\n"
        b"Content-Type: application/json\r\nContent-Length: 500\r\n\r\n" + json.dumps(SEED).encode()
    )
    with ThreadedSimulator(SimulatorConfig(start=START)) as gateway:
        for close in (socket.SHUT_WR, socket.SHUT_RDWR):
            with socket.create_connection(("127.0.0.1", gateway.port), timeout=5) as sock:
                sock.sendall(raw)
                sock.shutdown(close)
                with contextlib.suppress(OSError):
                    sock.recv(1000)
        deadline = time.monotonic() + 5
        while True:
            records = gateway.call(lambda: list(gateway.simulator.requests.records))
            if len(records) == 2 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert [(r.path, r.status) for r in records] == [("/sms/3/messages", 400)] * 2
        assert gateway.call(lambda: gateway.simulator.gateway.account().messages) == []


# -- scenarios: through the control plane and the loader -------------------------------------------
@pytest.mark.parametrize(("name", "text"), YAML_BOMBS, ids=[b[0] for b in YAML_BOMBS])
async def test_yaml_bombs_and_huge_scenarios_are_refused_by_the_control_plane(
    client: Client, name: str, text: str
) -> None:
    before = await state(client)
    loop = asyncio.get_running_loop()
    started = loop.time()
    raw = io.BytesIO(json.dumps({"yaml": text}).encode())  # a large body is streamed
    response = await client.post(
        "/__sim/scenario", data=raw, headers={"Content-Type": "application/json"}
    )
    assert loop.time() - started < 5, f"{name} took {loop.time() - started:.1f}s"
    body = await response.json()
    assert response.status in (400, 413), body
    assert set(body) == {"error", "field"}
    assert await state(client) == before
    assert (await client.get("/__sim/scenario")).status == 200


@pytest.mark.parametrize(("name", "text"), YAML_BOMBS, ids=[b[0] for b in YAML_BOMBS])
def test_yaml_bombs_and_huge_scenarios_are_refused_by_the_loader(
    tmp_path: Path, name: str, text: str
) -> None:
    with pytest.raises(ScenarioError) as refused:
        parse_scenario(text, f"{name}.yaml")
    assert str(refused.value).startswith(f"{name}.yaml"), str(refused.value)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError):
        load_scenario(path)


def test_a_scenario_file_past_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("version: 1\n" + "# padding\n" * (MAX_TEXT_CHARS // 10 + 1), encoding="utf-8")
    with pytest.raises(ScenarioError, match="at most"):
        load_scenario(path)
