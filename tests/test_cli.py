"""``sms-sim``: the server as a real subprocess driven by the client commands, and the client's
pieces (formatting, exit codes, polling, the HTTP layer) in-process.

The subprocess tests share one server (module scope) and reset it first; one more server is
started for the SIGTERM test. Client commands run as ``python -m simulator ...`` (the same
entry point as ``sms-sim``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import io
import json
import logging
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Final

import pytest

from simulator import cli, cli_client
from simulator.cli_client import (
    EXIT_OK,
    EXIT_SERVER_ERROR,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    ControlClient,
    Reply,
    ServerError,
    Unreachable,
)
from simulator.clock import ClockMode

ROOT: Final = Path(__file__).resolve().parents[1]
START: Final = "2026-01-01T09:00:00.000+0000"
AUTH: Final = {"Authorization": "App cli-test-key"}
ENV: Final = {k: v for k, v in os.environ.items() if k != cli_client.URL_ENV}
JSON = Any
DIRECT: Final = urllib.request.build_opener(urllib.request.ProxyHandler({}))
"""Requests to the local server, never through ``$http_proxy``."""


# -- running things ----------------------------------------------------------------------------
def sms_sim(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A client command as a subprocess: ``sms-sim ARGS``."""
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env or ENV,
    )


def http_json(
    method: str, url: str, body: JSON = None, headers: dict[str, str] | None = None
) -> tuple[int, JSON]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with DIRECT.open(request, timeout=30) as response:
        status: int = response.status
        return status, json.loads(response.read())


def free_port() -> int:
    """A port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@dataclass
class Server:
    process: subprocess.Popen[str]
    stdout: queue.Queue[str | None]
    stderr_path: Path
    url: str = ""
    ready_line: str = ""

    def line(self, timeout: float = 20) -> str | None:
        return self.stdout.get(timeout=timeout)

    def stop(
        self, signum: int | None = signal.SIGTERM, timeout: float = 20
    ) -> tuple[int, list[str]]:
        """Send ``signum`` (None: it was sent already); the exit code and the rest of stdout."""
        if signum is not None and self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        rest: list[str] = []
        while (line := self.line(timeout=5)) is not None:
            rest.append(line)
        return code, rest

    def log_lines(self) -> list[JSON]:
        text = self.stderr_path.read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def _pump(stream: io.TextIOBase, lines: queue.Queue[str | None]) -> None:
    with stream:
        for line in stream:
            lines.put(line.rstrip("\n"))
    lines.put(None)


def start_server(stderr_path: Path, *extra: str) -> Server:
    command = [sys.executable, "-m", "simulator", "serve", "--port", "0", "--clock", "manual"]
    command += ["--start", "2026-01-01T09:00:00Z", *extra]
    with stderr_path.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=stderr, text=True, cwd=ROOT, env=ENV
        )
    assert process.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
    server = Server(process, lines, stderr_path)
    try:
        listening, ready = server.line(), server.line()
    except queue.Empty:
        server.stop(signal.SIGKILL)
        raise AssertionError(f"no readiness: {stderr_path.read_text()}") from None
    assert listening is not None, stderr_path.read_text()
    assert ready is not None, stderr_path.read_text()
    match = re.fullmatch(r"sms-sim listening on (http://127\.0\.0\.1:\d+)", listening)
    assert match is not None, listening
    server.url, server.ready_line = match[1], ready
    return server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("cli") / "stderr.log")
    yield running
    running.stop()


@pytest.fixture
def url(server: Server) -> str:
    """The shared server's URL, reset to its start."""
    assert sms_sim("reset", "--url", server.url).returncode == EXIT_OK
    return server.url


def send(url: str, to: str = "41793026727", **extra: JSON) -> JSON:
    message = {"sender": "InfoSMS", "destinations": [{"to": to}], "content": {"text": "Hi"}}
    status, body = http_json(
        "POST", f"{url}/sms/3/messages", {"messages": [{**message, **extra}]}, AUTH
    )
    assert status == 200
    return body


# -- the subprocess server ---------------------------------------------------------------------
def test_serve_prints_its_url_then_a_readiness_line(server: Server) -> None:
    assert server.ready_line == "sms-sim ready (clock manual, rate 1, seed 0, scenario none)"
    status, body = http_json("GET", f"{server.url}/__sim/ready")
    assert (status, body) == (200, {"ready": True})


def test_a_ci_script_session_through_the_client_commands(url: str) -> None:
    sent = send(url)
    (message,) = sent["messages"]

    advanced = sms_sim("clock", "advance", "10s", "--url", url)
    assert advanced.returncode == EXIT_OK, advanced.stderr
    assert "now      2026-01-01T09:00:10.000+0000" in advanced.stdout
    assert "fired    1 event\n" in advanced.stdout

    listed = sms_sim("messages", "--url", url, "--json")
    assert listed.returncode == EXIT_OK
    document = json.loads(listed.stdout)  # exactly one JSON document
    (journal,) = document["messages"]
    assert journal["messageId"] == message["messageId"]
    assert journal["status"]["name"] == "DELIVERED_TO_HANDSET"
    assert (
        listed.stdout
        == json.dumps(http_json("GET", f"{url}/__sim/messages")[1], separators=(",", ":")) + "\n"
    )

    table = sms_sim("messages", "--url", url, "--to", "41793026727", "--timeline")
    assert table.returncode == EXIT_OK
    header, row, *timeline = table.stdout.splitlines()
    assert header.split() == ["TIME", "MESSAGE", "ID", "TO", "STATUS"]
    assert row.split() == [START, message["messageId"], "41793026727", "DELIVERED_TO_HANDSET"]
    assert [step.split()[1] for step in timeline] == [
        "PENDING_ACCEPTED",
        "PENDING_ENROUTE",
        "DELIVERED_TO_HANDSET",
    ]

    inbound = sms_sim(
        "inbound", "--from", "385911234567", "--to", "41793026727", "--text", "STOP", "--url", url
    )
    assert inbound.returncode == EXIT_OK, inbound.stderr
    assert inbound.stdout.startswith("inbound ")
    assert "from 385911234567" in inbound.stdout
    _, inbox = http_json("GET", f"{url}/sms/1/inbox/reports", headers=AUTH)
    assert [(m["from"], m["text"], m["keyword"]) for m in inbox["results"]] == [
        ("385911234567", "STOP", "STOP")
    ]

    requests = sms_sim("requests", "--url", url, "--json")
    assert [r["path"] for r in json.loads(requests.stdout)["requests"]] == [
        "/sms/1/inbox/reports",
        "/sms/3/messages",
    ]

    reset = sms_sim("reset", "--url", url)
    assert reset.returncode == EXIT_OK
    clock = sms_sim("clock", "--url", url, "--json")
    assert json.loads(clock.stdout)["now"] == START
    assert json.loads(sms_sim("messages", "--url", url, "--json").stdout)["messages"] == []


def test_the_url_comes_from_the_environment(url: str) -> None:
    shown = sms_sim("clock", "--json", env={**ENV, cli_client.URL_ENV: url})
    assert shown.returncode == EXIT_OK
    assert json.loads(shown.stdout)["now"] == START


def test_exit_codes_scripts_can_trust(url: str) -> None:
    banana = sms_sim("clock", "advance", "banana", "--url", url)
    assert banana.returncode == EXIT_SERVER_ERROR
    assert banana.stdout == ""
    assert banana.stderr.startswith("sms-sim: by: 'banana' is not a duration")
    assert banana.stderr.rstrip().endswith("(HTTP 400)")

    as_json = sms_sim("clock", "advance", "banana", "--url", url, "--json")
    assert as_json.returncode == EXIT_SERVER_ERROR
    assert json.loads(as_json.stdout)["field"] == "by"

    nobody = sms_sim("clock", "--url", f"http://127.0.0.1:{free_port()}")
    assert nobody.returncode == EXIT_UNREACHABLE
    assert "cannot connect" in nobody.stderr

    for usage in (
        ["clock", "advance", "--url", url],  # neither a duration, --to nor --next
        ["clock", "advance", "1s", "--next", "--url", url],
        ["clock", "mode", "warp", "--url", url],
        ["messages", "--limit", "many", "--url", url],
        ["inbound", "--from", "385911", "--url", url],  # --to and --text missing
        ["no-such-command"],
        [],
    ):
        result = sms_sim(*usage)
        assert result.returncode == EXIT_USAGE, usage
        assert "usage:" in result.stderr
    assert sms_sim("clock", "--url", url).returncode == EXIT_OK  # nothing moved


def test_wait_ready_and_health(url: str) -> None:
    ready = sms_sim("wait-ready", "--url", url, "--timeout", "10")
    assert (ready.returncode, ready.stdout) == (EXIT_OK, "ready\n")
    health = sms_sim("health", "--url", url)
    assert (health.returncode, health.stdout) == (EXIT_OK, "ok\n")
    started = time.monotonic()
    nobody = sms_sim("wait-ready", "--url", f"http://127.0.0.1:{free_port()}", "--timeout", "0.5")
    assert nobody.returncode == EXIT_UNREACHABLE
    assert "was not ready within 0.5s" in nobody.stderr
    assert time.monotonic() - started < 10


def test_the_client_commands_do_not_import_the_server() -> None:
    code = "import sys, simulator.cli; print(sorted({'aiohttp', 'asyncio'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout == "[]\n"


class SlowReceiver(ThreadingHTTPServer):
    """Answers each POST 200 after ``delay`` real seconds; ``got`` is set when one arrives."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.got = threading.Event()
        super().__init__(("127.0.0.1", 0), _SlowHandler)


class _SlowHandler(BaseHTTPRequestHandler):
    server: SlowReceiver

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.got.set()
        time.sleep(self.server.delay)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_sigterm_lets_the_request_in_flight_finish_then_stops(tmp_path: Path) -> None:
    receiver = SlowReceiver(delay=0.5)
    threading.Thread(target=receiver.serve_forever, args=(0.05,), daemon=True).start()
    running = start_server(tmp_path / "stderr.log", "--log-level", "INFO")
    try:
        hook = f"http://127.0.0.1:{receiver.server_address[1]}/reports"
        send(running.url, webhooks={"delivery": {"url": hook}})
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            advance = pool.submit(
                http_json, "POST", f"{running.url}/__sim/clock/advance", {"by": "10s"}
            )
            assert receiver.got.wait(10), "the delivery report was never pushed"
            running.process.send_signal(signal.SIGTERM)  # while the advance waits on the push
            status, body = advance.result(timeout=20)
        assert status == 200
        assert body["fired"] >= 1
        code, rest = running.stop(None)
    finally:
        receiver.shutdown()
        receiver.server_close()
        if running.process.poll() is None:
            running.stop(signal.SIGKILL)
    assert code == 0
    assert rest == ["sms-sim stopped"]

    logs = running.log_lines()
    requests = [(x["method"], x["path"], x["status"]) for x in logs if x["message"] == "request"]
    assert requests == [("POST", "/sms/3/messages", 200), ("POST", "/__sim/clock/advance", 200)]
    (sent,) = [x for x in logs if x["message"] == "request" and x["path"] == "/sms/3/messages"]
    assert sent["logger"] == "simulator.access"
    assert (sent["at"], sent["account"]) == (START, "default")
    (push,) = [x for x in logs if x["message"] == "push"]
    assert push["logger"] == "simulator.webhooks"
    assert (push["url"], push["httpStatus"], push["attempt"]) == (hook, 200, 1)
    assert push["at"] == "2026-01-01T09:00:03.000+0000"


def test_serve_is_quiet_by_default(server: Server) -> None:
    send(server.url)
    http_json("POST", f"{server.url}/__sim/clock/advance", {"by": "10s"})
    assert server.log_lines() == []


def test_serve_exits_1_when_it_cannot_listen() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = sms_sim("serve", "--port", str(taken.getsockname()[1]))
    assert result.returncode == 1
    assert result.stderr.startswith("sms-sim: cannot listen on 127.0.0.1:")
    assert result.stdout == ""


def test_bad_serve_options_are_usage_errors() -> None:
    bad = sms_sim("serve", "--start", "yesterday", "--port", "0")
    assert bad.returncode == EXIT_USAGE
    assert "--start" in bad.stderr


# -- in-process: the parser ----------------------------------------------------------------------
def parse(*argv: str) -> argparse.Namespace:
    return cli.build_parser().parse_args(argv)


def test_connection_options_work_before_or_after_a_nested_command() -> None:
    before = parse("clock", "--url", "http://a:1", "--json", "advance", "10s")
    after = parse("clock", "advance", "10s", "--url", "http://a:1", "--json")
    for args in (before, after):
        assert (args.url, args.json, args.by) == ("http://a:1", True, "10s")
    assert not hasattr(parse("clock"), "url")  # the default is resolved when running


def test_the_client_knows_the_servers_clock_modes() -> None:
    assert tuple(mode.value for mode in ClockMode) == cli_client.CLOCK_MODES


def test_exposed_hosts_get_a_warning() -> None:
    assert cli.exposure_warning("127.0.0.1") is None
    warning = cli.exposure_warning("0.0.0.0")
    assert warning is not None
    assert "control plane" in warning


# -- in-process: running a command ---------------------------------------------------------------
@dataclass
class Outcome:
    code: int
    out: str
    err: str
    client: ControlClient | None = None


def run_with(argv: list[str], action: Any) -> Outcome:
    args = parse(*argv)
    calls: list[ControlClient] = []

    def recording(client: ControlClient, parsed: argparse.Namespace) -> Reply:
        calls.append(client)
        result: Reply = action(client, parsed)
        return result

    args.action = recording
    out, err = io.StringIO(), io.StringIO()
    code = cli_client.run(args, out, err)
    return Outcome(code, out.getvalue(), err.getvalue(), calls[0] if calls else None)


CLOCK: Final = {
    "now": "2026-01-01T09:00:10.000+0000",
    "mode": "manual",
    "rate": 1.0,
    "start": START,
    "pendingEvents": 2,
    "nextEventAt": "2026-01-01T09:02:03.000+0000",
}


def reply(body: JSON) -> Reply:
    return Reply(200, json.dumps(body, separators=(",", ":")), body)


def test_run_prints_the_servers_json_exactly_or_a_readable_form() -> None:
    text = '{"now":"2026-01-01T09:00:10.000+0000", "mode":"manual","rate":1.0,"start":"x",' + (
        '"pendingEvents":0,"nextEventAt":null}'
    )
    raw = run_with(["clock", "--json"], lambda c, a: Reply(200, text, json.loads(text)))
    assert (raw.code, raw.out) == (EXIT_OK, text + "\n")
    readable = run_with(["clock"], lambda c, a: reply(CLOCK))
    assert readable.out == cli_client.format_clock(CLOCK) + "\n"


def test_run_maps_failures_to_exit_codes() -> None:
    def refused(client: ControlClient, args: argparse.Namespace) -> Reply:
        raise ServerError(400, "must be true", "next", '{"error":"must be true","field":"next"}')

    failed = run_with(["clock", "advance", "--next"], refused)
    assert (failed.code, failed.out) == (EXIT_SERVER_ERROR, "")
    assert failed.err == "sms-sim: next: must be true (HTTP 400)\n"
    as_json = run_with(["clock", "advance", "--next", "--json"], refused)
    assert as_json.out == '{"error":"must be true","field":"next"}\n'

    def unreachable(client: ControlClient, args: argparse.Namespace) -> Reply:
        raise Unreachable("cannot connect to http://x: refused")

    gone = run_with(["health"], unreachable)
    assert (gone.code, gone.err) == (
        EXIT_UNREACHABLE,
        "sms-sim: cannot connect to http://x: refused\n",
    )


def client_for(*argv: str) -> ControlClient:
    """The client a command would use (its action answers without a request)."""
    outcome = run_with(list(argv), lambda client, args: reply({"status": "ok"}))
    assert outcome.code == EXIT_OK
    assert outcome.client is not None
    return outcome.client


def test_run_resolves_url_key_and_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cli_client.URL_ENV, "http://from-env:1/")
    default = client_for("health")
    assert (default.url, default.api_key) == ("http://from-env:1", None)
    assert default.timeout == cli_client.DEFAULT_TIMEOUT
    given = client_for("health", "--url", "h:2", "--api-key", "K", "--timeout", "3")
    assert (given.url, given.api_key, given.timeout) == ("http://h:2", "K", 3)
    monkeypatch.delenv(cli_client.URL_ENV)
    assert client_for("health").url == cli_client.DEFAULT_URL
    assert client_for("wait-ready").timeout == cli_client.READY_TIMEOUT


# -- in-process: the HTTP layer against a stub server --------------------------------------------
@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Stub(ThreadingHTTPServer):
    """Answers every request with ``answer`` (status, content type, body) after ``delay``."""

    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        self.answer: tuple[int, str, bytes] = (200, "application/json", b"{}")
        self.delay = 0.0
        self.seen: list[Seen] = []
        super().__init__(("127.0.0.1", 0), _StubHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (the timeout test) is expected


class _StubHandler(BaseHTTPRequestHandler):
    server: Stub

    def _serve(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.seen.append(Seen(self.command, self.path, dict(self.headers), body))
        time.sleep(self.server.delay)
        status, content_type, payload = self.server.answer
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _serve  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def stub() -> Iterator[Stub]:
    server = Stub()
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_client_sends_key_query_and_body(stub: Stub) -> None:
    client = ControlClient(stub.url, api_key="tenant-a")
    answer = client.call(
        "POST", "/__sim/x", query=[("to", "+41 79"), ("limit", None), ("n", 3)], body={"a": 1}
    )
    assert (answer.status, answer.body, answer.text) == (200, {}, "{}")
    (seen,) = stub.seen
    assert (seen.method, seen.path, seen.body) == ("POST", "/__sim/x?to=%2B41+79&n=3", b'{"a": 1}')
    assert seen.headers["Authorization"] == "App tenant-a"
    assert seen.headers["Content-Type"] == "application/json"
    ControlClient(stub.url).call("GET", "/__sim/y")
    assert "Authorization" not in stub.seen[1].headers


def test_the_client_reports_server_errors(stub: Stub) -> None:
    stub.answer = (400, "application/json", b'{"error":"bad","field":"by"}')
    with pytest.raises(ServerError) as caught:
        ControlClient(stub.url).call("POST", "/__sim/clock/advance", body={})
    assert (caught.value.status, str(caught.value), caught.value.field) == (400, "bad", "by")
    assert caught.value.text == '{"error":"bad","field":"by"}'
    stub.answer = (502, "text/html", b"<h1>Bad   Gateway</h1>")
    with pytest.raises(ServerError, match=r"^HTTP 502: <h1>Bad Gateway</h1>$"):
        ControlClient(stub.url).call("GET", "/__sim/clock")
    stub.answer = (200, "text/plain", b"hello")
    with pytest.raises(ServerError, match="not JSON"):
        ControlClient(stub.url).call("GET", "/__sim/clock")


def test_the_client_gives_up_on_a_silent_server(stub: Stub) -> None:
    stub.delay = 1.0
    with pytest.raises(Unreachable, match="no answer .* within 0.2s"):
        ControlClient(stub.url, timeout=0.2).call("GET", "/__sim/clock")


def test_wait_ready_polls_a_bounded_number_of_times(stub: Stub) -> None:
    sleeps: list[float] = []
    nobody = ControlClient(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(Unreachable, match="not ready within 1s"):
        cli_client.wait_ready(nobody, 1.0, interval=0.25, sleep=sleeps.append)
    assert sleeps == [0.25, 0.25, 0.25]  # four polls, three waits between them

    stub.answer = (503, "application/json", b'{"ready":false}')
    with pytest.raises(Unreachable, match=r"last: HTTP 503"):
        cli_client.wait_ready(ControlClient(stub.url), 0.5, interval=0.25, sleep=lambda s: None)
    stub.answer = (200, "application/json", b'{"ready":true}')
    ready = cli_client.wait_ready(ControlClient(stub.url), 0.5, sleep=lambda s: None)
    assert ready.body == {"ready": True}
    stub.answer = (404, "application/json", b'{"error":"Not Found","field":null}')
    with pytest.raises(ServerError):  # not a simulator (or an old one): no point waiting
        cli_client.wait_ready(ControlClient(stub.url), 0.5, sleep=lambda s: None)


# -- in-process: formatting ----------------------------------------------------------------------
def test_format_clock_and_advance() -> None:
    assert cli_client.format_clock(CLOCK).splitlines() == [
        "now      2026-01-01T09:00:10.000+0000",
        "mode     manual",
        f"start    {START}",
        "events   2 pending events, next at 2026-01-01T09:02:03.000+0000",
    ]
    realtime = {**CLOCK, "mode": "realtime", "rate": 60.0, "pendingEvents": 0, "nextEventAt": None}
    assert cli_client.format_clock(realtime).splitlines()[1:] == [
        "mode     realtime (rate 60)",
        f"start    {START}",
        "events   0 pending events",
    ]
    assert cli_client.format_advance({**CLOCK, "fired": 1}).startswith("fired    1 event\nnow")


def test_format_events() -> None:
    assert cli_client.format_events({"events": [], "total": 0}) == "no pending events"
    doc = {
        "events": [{"at": START, "kind": "send", "messageId": "m1", "to": "41"}],
        "total": 3,
    }
    assert cli_client.format_events(doc).splitlines() == [
        "AT                            KIND  MESSAGE ID  TO",
        f"{START}  send  m1          41",
        "(1 of 3 events shown; raise --limit)",
    ]


def journal_message(message_id: str, status: str, error: str = "NO_ERROR") -> JSON:
    return {
        "messageId": message_id,
        "to": "41793026727",
        "submittedAt": START,
        "status": {"name": status},
        "error": {"name": error},
        "timeline": [
            {"at": START, "status": "PENDING_ENROUTE", "error": "NO_ERROR"},
            {"at": "2026-01-03T09:00:00.000+0000", "status": status, "error": error},
        ],
    }


def test_format_messages() -> None:
    assert cli_client.format_messages({"messages": [], "more": False}) == "no messages"
    doc = {
        "messages": [
            journal_message("m-expired", "EXPIRED_EXPIRED", "EC_VALIDITY_EXPIRED"),
            journal_message("m2", "DELIVERED_TO_HANDSET"),
        ],
        "more": True,
    }
    assert cli_client.format_messages(doc).splitlines() == [
        "TIME                          MESSAGE ID  TO           STATUS",
        f"{START}  m-expired   41793026727  EXPIRED_EXPIRED (EC_VALIDITY_EXPIRED)",
        f"{START}  m2          41793026727  DELIVERED_TO_HANDSET",
        "(more messages match; raise --limit)",
    ]
    with_timeline = cli_client.format_messages(doc, timeline=True).splitlines()
    assert with_timeline[1:4] == [
        f"{START}  m-expired   41793026727  EXPIRED_EXPIRED (EC_VALIDITY_EXPIRED)",
        f"    {START}  PENDING_ENROUTE",
        "    2026-01-03T09:00:00.000+0000  EXPIRED_EXPIRED (EC_VALIDITY_EXPIRED)",
    ]
    assert len(with_timeline) == 1 + 2 * 3 + 1


def test_format_requests_webhooks_and_inbound() -> None:
    assert cli_client.format_requests({"requests": []}) == "no requests"
    requests = {
        "requests": [
            {
                "at": START,
                "method": "GET",
                "path": "/sms/3/logs",
                "query": "limit=1",
                "status": 200,
                "account": None,
            }
        ]
    }
    assert cli_client.format_requests(requests).splitlines()[1].split() == [
        START,
        "GET",
        "/sms/3/logs?limit=1",
        "200",
        "-",
    ]
    attempt = {"number": 1, "at": START, "httpStatus": None, "error": "timeout", "latencyMs": 5.0}
    push = {
        "createdAt": START,
        "id": 7,
        "kind": "delivery-report",
        "state": "retrying",
        "nextAttemptAt": "2026-01-01T09:02:00.000+0000",
        "attempts": [attempt],
        "url": "http://hook",
    }
    assert cli_client.format_webhooks({"webhooks": []}) == "no webhook pushes"
    lines = cli_client.format_webhooks({"webhooks": [push]}, attempts=True).splitlines()
    assert lines[0].split() == ["CREATED", "ID", "KIND", "STATE", "ATTEMPTS", "LAST", "URL"]
    assert "retrying (next 2026-01-01T09:02:00.000+0000)" in lines[1]
    assert lines[1].endswith("timeout  http://hook")
    assert lines[2] == f"    #1  {START}  timeout  5 ms"
    inbound = {
        "messageId": "i1",
        "from": "385911",
        "to": "41",
        "text": "STOP",
        "receivedAt": START,
        "account": "default",
    }
    assert cli_client.format_inbound(inbound) == (
        f"inbound i1 from 385911 to 41 at {START} (account default)"
    )
    assert cli_client.format_inbound_list({"inbound": [inbound]}).splitlines()[1].split() == [
        START,
        "i1",
        "385911",
        "41",
        "STOP",
    ]
    assert cli_client.format_inbound_list({"inbound": []}) == "no inbound messages"


def test_long_cells_are_shortened_in_tables() -> None:
    long_error = "ClientConnectorError: " + "x" * 200
    attempt = {"number": 1, "at": START, "httpStatus": None, "error": long_error, "latencyMs": 1}
    push = {
        "createdAt": START,
        "id": 1,
        "kind": "inbound",
        "state": "failed",
        "attempts": [attempt],
        "url": "http://hook",
    }
    row = cli_client.format_webhooks({"webhooks": [push]}).splitlines()[1]
    assert len(row) < 150
    assert "…" in row
    detailed = cli_client.format_webhooks({"webhooks": [push]}, attempts=True)
    assert long_error in detailed  # the whole error under the row


# -- in-process: log lines -----------------------------------------------------------------------
def test_log_lines_are_json_objects() -> None:
    formatter = cli.JsonLinesFormatter()
    record = logging.LogRecord("simulator.access", logging.INFO, "", 0, "request", None, None)
    record.fields = lambda: {"path": "/x", "level": "not this one"}
    line = json.loads(formatter.format(record))
    assert (line["path"], line["level"], line["message"]) == ("/x", "INFO", "request")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])
    try:
        raise ValueError("boom")
    except ValueError:
        failed = logging.LogRecord("x", logging.ERROR, "", 0, "oops %s", ("!",), sys.exc_info())
    line = json.loads(formatter.format(failed))
    assert line["message"] == "oops !"
    assert "ValueError: boom" in line["exception"]
    assert "\n" not in formatter.format(failed)
