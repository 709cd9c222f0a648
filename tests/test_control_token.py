"""Security: the control plane's token, ``serve`` refusing to expose an unprotected control
plane, and the Infobip endpoints' scopes checked on every operation of the route table.

* With ``control_token`` set, every ``/__sim/`` route (each one the router has) answers
  ``401 {"error", "field": "X-Sim-Token"}`` without the token, and serves with it, given as
  the ``X-Sim-Token`` header or as the console's cookie, which opening
  ``/__sim/console/?token=TOKEN`` sets. The Infobip surface is not affected.
* ``sms-sim serve --host 0.0.0.0`` without a token exits 2 with the reason, before binding;
  the client commands pass the token with ``--control-token`` or ``SMS_SIM_CONTROL_TOKEN``.
* A key whose scopes miss an operation's gets 403 in that operation's envelope, for every row
  of ``simulator.api.routes.ENDPOINTS``, and a key holding any one of its scopes does not.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, Final

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from simulator import cli, cli_client
from simulator.api.envelopes import error_body
from simulator.api.routes import ENDPOINTS, Endpoint
from simulator.app import make_app
from simulator.config import Credential, SimulatorConfig
from simulator.control_auth import COOKIE, HEADER
from simulator.core import Simulator
from simulator.errors import Forbidden
from simulator.timefmt import parse_instant

Client = TestClient[web.Request, web.Application]
ClientFactory = Callable[..., Awaitable[Client]]
JSON = dict[str, Any]

START: Final = parse_instant("2026-01-01T09:00:00.000+0000")
TOKEN: Final = "s3cret-Token_42"
ROOT: Final = Path(__file__).resolve().parents[1]


async def protected(aiohttp_client: ClientFactory, **settings: Any) -> Client:
    simulator = Simulator(SimulatorConfig(start=START, control_token=TOKEN, **settings))
    return await aiohttp_client(make_app(simulator))


def control_routes() -> list[tuple[str, str]]:
    """Every (method, concrete path) the router has under /__sim (placeholders filled)."""
    app = make_app(Simulator(SimulatorConfig(start=START)))
    found: set[tuple[str, str]] = set()
    for route in app.router.routes():
        path = route.resource.canonical if route.resource is not None else ""
        if path.startswith("/__sim") and route.method != "HEAD":
            found.add(
                (route.method, path.replace("{bulkId}", "B1").replace("{name}", "console.js"))
            )
    return sorted(found)


CONTROL_ROUTES: Final = control_routes()


def test_the_sweep_covers_the_whole_control_plane() -> None:
    assert len(CONTROL_ROUTES) >= 28
    assert ("GET", "/__sim/stream") in CONTROL_ROUTES


@pytest.mark.parametrize(
    ("method", "path"), CONTROL_ROUTES, ids=[f"{m} {p}" for m, p in CONTROL_ROUTES]
)
async def test_every_control_route_needs_the_token(
    aiohttp_client: ClientFactory, method: str, path: str
) -> None:
    client = await protected(aiohttp_client)
    for headers in (
        {},
        {HEADER: "wrong-token"},
        {HEADER: TOKEN + "x"},
        {"Authorization": f"Bearer {TOKEN}"},  # not this header: it scopes tenants here
        {"Cookie": f"{COOKIE}=nope"},
    ):
        response = await client.request(method, path, headers=headers, json={})
        assert response.status == 401, (headers, await response.text())
        body = await response.json()
        assert set(body) == {"error", "field"}
        assert body["field"] == HEADER
        assert "control token" in body["error"]
    response = await client.request(method, path, headers={HEADER: TOKEN}, json={})
    assert response.status != 401, await response.text()
    response.close()
    check = await client.get("/__sim/messages", headers={HEADER: TOKEN})
    assert (await check.json())["messages"] == []


async def test_without_a_token_configured_nothing_changes(aiohttp_client: ClientFactory) -> None:
    client = await aiohttp_client(make_app(Simulator(SimulatorConfig(start=START))))
    assert (await client.get("/__sim/clock")).status == 200
    assert (await client.get("/__sim/clock", headers={HEADER: "anything"})).status == 200


async def test_the_console_gets_a_cookie_from_its_address(aiohttp_client: ClientFactory) -> None:
    client = await protected(aiohttp_client)
    assert (await client.get("/__sim/console/")).status == 401
    wrong = await client.get("/__sim/console/", params={"token": "nope"}, allow_redirects=False)
    assert wrong.status == 401
    opened = await client.get("/__sim/console/", params={"token": TOKEN}, allow_redirects=False)
    assert opened.status == 303
    assert opened.headers["Location"] == "/__sim/console/"
    cookie = opened.cookies[COOKIE]
    assert cookie.value == TOKEN
    assert cookie["httponly"]
    assert cookie["path"] == "/__sim"
    assert cookie["samesite"] == "Strict"
    # The client's cookie jar now sends it: the page, its files, its API and its stream work.
    page = await client.get("/__sim/console/")
    assert page.status == 200
    assert "<html" in (await page.text()).lower()
    assert (await client.get("/__sim/console/console.js")).status == 200
    assert (await client.get("/__sim/clock")).status == 200
    stream = await client.get("/__sim/stream")
    assert stream.status == 200
    stream.close()
    assert (await client.get("/", allow_redirects=False)).status == 302  # still to the console


async def test_the_infobip_surface_ignores_the_control_token(aiohttp_client: ClientFactory) -> None:
    client = await protected(aiohttp_client)
    body = {"messages": [{"destinations": [{"to": "41793026727"}], "content": {"text": "Hi"}}]}
    response = await client.post("/sms/3/messages", json=body, headers={"Authorization": "App k"})
    assert response.status == 200
    response = await client.get("/sms/3/logs", headers={"Authorization": "App k"})
    assert len((await response.json())["results"]) == 1


# -- serve --------------------------------------------------------------------------------------
def test_serve_refuses_a_non_loopback_address_without_a_token(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SMS_SIM_CONTROL_TOKEN", raising=False)
    for host in ("0.0.0.0", "::", "192.0.2.10"):
        assert cli.main(["serve", "--host", host, "--port", "0"]) == 2
        error = capsys.readouterr().err
        assert f"refusing to listen on {host} without a control token" in error
        assert "--control-token" in error
    assert cli.exposure_warning("0.0.0.0", TOKEN) is None
    assert cli.exposure_warning("127.0.0.1") is None
    assert cli.exposure_warning("localhost") is None


def test_the_token_comes_from_the_option_or_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parser = cli.build_parser()
    monkeypatch.delenv("SMS_SIM_CONTROL_TOKEN", raising=False)
    assert cli.config_from_args(parser.parse_args(["serve"])).control_token is None
    args = parser.parse_args(["serve", "--control-token", TOKEN])
    assert cli.config_from_args(args).control_token == TOKEN
    monkeypatch.setenv("SMS_SIM_CONTROL_TOKEN", "from-env")
    assert cli.config_from_args(parser.parse_args(["serve"])).control_token == "from-env"
    assert cli.config_from_args(args).control_token == TOKEN  # the option wins
    for bad in ("has space", "semi;colon", "x" * 257):
        with pytest.raises(cli_client.UsageError):
            cli.config_from_args(parser.parse_args(["serve", "--control-token", bad]))


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMS_SIM_")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "serve",
            "--port",
            "0",
            "--clock",
            "manual",
            "--control-token",
            TOKEN,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("sms-sim listening on "), line
        yield line.split()[-1]
    finally:
        process.terminate()
        process.communicate(timeout=30)  # reaps it and closes its pipes


def sms_sim(*args: str, token: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMS_SIM_")}
    if token is not None:
        env["SMS_SIM_CONTROL_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
    )


def test_the_client_commands_pass_the_token(served: str) -> None:
    refused = sms_sim("clock", "--url", served, "--json")
    assert refused.returncode == 1
    assert "control token" in refused.stderr
    assert "HTTP 401" in refused.stderr
    assert json.loads(refused.stdout)["field"] == HEADER
    by_option = sms_sim("clock", "--url", served, "--json", "--control-token", TOKEN)
    assert by_option.returncode == 0, by_option.stderr
    assert json.loads(by_option.stdout)["mode"] == "manual"
    by_env = sms_sim("clock", "advance", "15m", "--url", served, "--json", token=TOKEN)
    assert by_env.returncode == 0, by_env.stderr
    assert "fired" in json.loads(by_env.stdout)


# -- scopes on every Infobip operation -------------------------------------------------------------
def basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


SCOPED: Final = (
    Credential("App", "unrelated-key", frozenset({"whatsapp:message:send"})),
    Credential("Basic", "unrelated:pw", frozenset({"whatsapp:message:send"})),
    *(
        Credential("App", f"key-{scope}", frozenset({scope}))
        for scope in sorted({s for e in ENDPOINTS for s in e.scopes})
    ),
    *(
        Credential("Basic", f"user-{scope}:pw", frozenset({scope}))
        for scope in sorted({s for e in ENDPOINTS for s in e.scopes})
    ),
)


async def call(client: Client, endpoint: Endpoint, key: str) -> Any:
    """One request to ``endpoint`` as ``key`` (``name`` or ``user:password`` for query auth)."""
    params: dict[str, str] = {"bulkId": "NO-SUCH-BULK"}
    headers: dict[str, str] = {}
    if endpoint.query_auth:
        username, _, password = key.partition(":")
        params.update(username=username, password=password, to="41793026727", text="x")
    else:
        headers["Authorization"] = f"App {key}"
    body = {"messages": [{"destinations": [{"to": "1"}], "content": {"text": "x"}}], "text": "x"}
    return await client.request(
        endpoint.method, endpoint.path, params=params, headers=headers, json=body
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[f"{e.method} {e.path}" for e in ENDPOINTS])
async def test_a_key_without_the_operations_scope_gets_403_in_its_envelope(
    aiohttp_client: ClientFactory, endpoint: Endpoint
) -> None:
    simulator = Simulator(SimulatorConfig(start=START, credentials=SCOPED))
    client = await aiohttp_client(make_app(simulator))
    key = "unrelated:pw" if endpoint.query_auth else "unrelated-key"
    response = await call(client, endpoint, key)
    assert response.status == 403, await response.text()
    assert await response.json() == json.loads(error_body(Forbidden(), endpoint.path))
    for scope in endpoint.scopes:
        allowed = f"user-{scope}:pw" if endpoint.query_auth else f"key-{scope}"
        response = await call(client, endpoint, allowed)
        assert response.status not in (401, 403), (scope, await response.text())
