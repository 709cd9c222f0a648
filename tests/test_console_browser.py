"""The web console in a real browser: Playwright driving Debian's Chromium, headless.

The simulator runs in a background thread with a manual clock; messages go in through the
Infobip API (``requests``), the clock moves only through the console's buttons, and each test
checks what the page shows. Any uncaught page error or console error fails the test (network
refusals a test provokes on purpose are declared with ``allow``). Screenshots of the main
views go to ``$SMS_SIM_SCREENSHOTS`` when set (``docs/screenshots`` for the README), else to
a temporary folder.

Playwright's own browser download is not used: the tests need ``/usr/bin/chromium``
(``apt-get install chromium``) and the ``playwright`` Python package. Without them they are
skipped, except in CI (``CI=true``), where they must run.
"""

from __future__ import annotations

import importlib.util
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI") == "true"
_MISSING = [
    what
    for what, absent in (
        (str(CHROMIUM), not CHROMIUM.exists()),
        ("the playwright package", importlib.util.find_spec("playwright") is None),
    )
    if absent
]
if _MISSING and not IN_CI:
    pytest.skip(
        f"browser tests need {' and '.join(_MISSING)} (apt-get install chromium; "
        "pip install playwright); they never skip in CI",
        allow_module_level=True,
    )

from playwright.sync_api import (  # noqa: E402  (after the skip: the package may be absent)
    Browser,
    ConsoleMessage,
    Locator,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from simulator.config import SimulatorConfig  # noqa: E402
from simulator.testing import ThreadedSimulator  # noqa: E402
from simulator.timefmt import parse_instant  # noqa: E402

JSON = dict[str, Any]
START = parse_instant("2026-01-01T09:00:00.000+0000")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 820}


# -- a webhook receiver (stdlib, in a thread) ----------------------------------------------------
class _Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        failing = self.path.startswith("/fail")
        body = b'{"error":"receiver down"}' if failing else b'{"ok":true}'
        self.send_response(500 if failing else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet


@pytest.fixture(scope="module")
def receiver() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


# -- the simulator and the browser -----------------------------------------------------------------
@pytest.fixture(scope="module")
def server(receiver: str) -> Iterator[ThreadedSimulator]:
    config = SimulatorConfig(start=START, seed=7, default_inbound_url=f"{receiver}/inbound")
    with ThreadedSimulator(config) as running:
        yield running


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.headers["Authorization"] = "App test-api-key"
        yield session


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("SMS_SIM_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class Console:
    """The console open in a page, with what went wrong in it."""

    page: Page
    url: str
    shots: Path
    problems: list[str] = field(default_factory=list)
    allowed: list[tuple[int, str]] = field(default_factory=list)

    def allow(self, status: int, path: str) -> None:
        """A refusal the test provokes: Chromium logs it as a console error."""
        self.allowed.append((status, path))

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type not in ("error", "warning"):
            return
        text = message.text
        found = re.match(
            r"Failed to load resource: the server responded with a status of (\d+)", text
        )
        url = message.location.get("url", "")
        if found and any(int(found[1]) == status and path in url for status, path in self.allowed):
            return
        self.problems.append(f"console {message.type}: {text} ({url})")

    def tab(self, name: str) -> None:
        self.page.click(f"#tab-button-{name}")
        expect(self.page.locator(f"#tab-{name}")).to_be_visible()

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.shots / f"{name}.png"))

    def badges(self) -> Locator:
        """The status badge of each message row."""
        return self.page.locator("#message-list .message > summary .badge")


@pytest.fixture
def console(server: ThreadedSimulator, browser: Browser, shots: Path) -> Iterator[Console]:
    server.call(lambda: server.simulator.load(None))  # the built-in default, reset
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    page = context.new_page()
    console = Console(page, server.url, shots)
    page.on("console", console.on_console)
    page.on("pageerror", lambda error: console.problems.append(f"page error: {error}"))
    page.goto(server.url + "/")
    expect(page.locator("#live")).to_have_text("live")
    expect(page.locator("#clock-now")).to_have_text("2026-01-01 09:00:00.000")
    page.evaluate("window.__sameDocument = true")  # gone if the page ever reloads
    yield console
    assert page.evaluate("window.__sameDocument") is True, "the page reloaded"
    context.close()
    assert console.problems == []


def send(
    http: requests.Session,
    server: ThreadedSimulator,
    *numbers: str,
    text: str = "Your code is 1234",
    bulk_id: str | None = None,
    send_at: str | None = None,
    webhook: str | None = None,
) -> JSON:
    message: JSON = {
        "sender": "InfoSMS",
        "destinations": [{"to": n} for n in numbers],
        "content": {"text": text},
    }
    if webhook is not None:
        message["webhooks"] = {"delivery": {"url": webhook}}
    body: JSON = {"messages": [message]}
    schedule = {k: v for k, v in (("bulkId", bulk_id), ("sendAt", send_at)) if v}
    if schedule:
        body["options"] = {"schedule": schedule}
    response = http.post(f"{server.url}/sms/3/messages", json=body)
    assert response.status_code == 200, response.text
    answer: JSON = response.json()
    return answer


# -- the tests -----------------------------------------------------------------------------------
def test_messages_go_from_pending_to_delivered_live(
    console: Console, server: ThreadedSimulator, http: requests.Session
) -> None:
    page = console.page
    expect(page.locator("#message-list .empty")).to_contain_text("No messages yet")
    expect(page.locator("#schedule-list")).to_have_text("Nothing scheduled.")
    send(http, server, "41793026727", "41793026728")
    send(
        http,
        server,
        "447900123456",
        text="Spring sale starts at 10",
        bulk_id="spring-sale",
        send_at="2026-01-01T10:00:00Z",
    )
    rows = page.locator("#message-list .message")
    expect(rows).to_have_count(3)  # arrived live: no reload
    expect(rows.first.locator(".to")).to_have_text("447900123456")  # newest first
    expect(console.badges()).to_have_text(
        ["PENDING_ACCEPTED", "PENDING_ENROUTE", "PENDING_ENROUTE"]
    )
    schedule = page.locator("#schedule-list .event")
    expect(schedule).to_have_count(3)
    expect(schedule.first).to_contain_text("41793026727 → DELIVERED_TO_HANDSET")
    expect(schedule.first).to_contain_text("in 3 s")
    expect(page.locator("#advance-next small")).to_have_text("in 3 s")

    page.click("#advance-1m")
    expect(page.locator("#clock-now")).to_have_text("2026-01-01 09:01:00.000")
    expect(rows.locator(".badge", has_text="DELIVERED_TO_HANDSET")).to_have_count(2)
    expect(schedule).to_have_count(1)
    expect(schedule.first).to_contain_text("send to 447900123456")

    delivered = page.locator('.message[data-group="DELIVERED"]').first
    delivered.locator("summary").click()
    lifecycle = delivered.locator(".lifecycle .entry")
    expect(lifecycle).to_have_count(4)
    expect(lifecycle.nth(0)).to_contain_text("submitted via sms/3/messages")
    expect(lifecycle.nth(1)).to_contain_text("left for the operator")
    expect(lifecycle.nth(3)).to_contain_text("DELIVERED_TO_HANDSET")
    scheduled = rows.first
    scheduled.locator("summary").click()
    expect(scheduled.locator(".entry.future")).to_have_count(2)  # the send, and the expiry
    console.shot("messages")

    page.click("#advance-next")
    expect(page.locator("#clock-now")).to_have_text("2026-01-01 10:00:00.000")
    page.click("#advance-1m")
    expect(page.locator("#schedule-list")).to_have_text("Nothing scheduled.")
    expect(console.badges()).to_have_text(["DELIVERED_TO_HANDSET"] * 3)
    expect(scheduled.locator(".entry.kind-report")).to_contain_text("DELIVERED_TO_HANDSET")
    expect(page.locator("#advance-next")).to_be_disabled()


def test_search_and_pages_through_thousands(
    console: Console, server: ThreadedSimulator, http: requests.Session
) -> None:
    page = console.page
    for batch in range(5):
        numbers = [f"4179{batch}{n:06d}" for n in range(500)]
        send(http, server, *numbers, text=f"Batch {batch}", bulk_id=f"batch-{batch}")
    pager = page.locator('[data-pager="messages"] .range')
    expect(pager).to_have_text("1–100 of 2,500")
    expect(page.locator('[data-count="messages"]')).to_have_text("2,500")
    rows = page.locator("#message-list .message")
    expect(rows).to_have_count(100)
    page.click('[data-pager="messages"] [data-step="1"]')
    expect(pager).to_have_text("101–200 of 2,500")
    expect(rows.first.locator(".to")).to_have_text("41794000399")

    started = time.monotonic()
    page.fill("#message-q", "41792000123")
    expect(rows).to_have_count(1)
    assert time.monotonic() - started < 3
    expect(rows.first.locator(".text")).to_have_text("Batch 2")
    expect(pager).to_be_hidden()  # one page only
    page.fill("#message-q", "batch 3")
    expect(pager).to_have_text("1–100 of 500")
    page.fill("#message-q", "")
    page.select_option("#message-status", "DELIVERED")
    expect(page.locator("#message-list .empty")).to_have_text("No message matches.")
    page.click("#advance-1m")
    expect(pager).to_have_text("1–100 of 2,500")
    page.select_option("#message-status", "")
    rows.first.locator("button.bulk").click()
    expect(page.locator("#message-bulk")).to_have_text("bulk batch-4 ×")
    expect(pager).to_have_text("1–100 of 500")
    page.click("#message-bulk")
    expect(pager).to_have_text("1–100 of 2,500")


def test_clock_controls(
    console: Console, server: ThreadedSimulator, http: requests.Session
) -> None:
    page = console.page
    now = page.locator("#clock-now")
    page.click("#advance-1h")
    expect(now).to_have_text("2026-01-01 10:00:00.000")
    page.fill("#advance-to", "2026-01-02T08:30:00Z")
    page.click("#advance-to-form button")
    expect(now).to_have_text("2026-01-02 08:30:00.000")
    expect(page.locator("#advance-to")).to_have_value("2026-01-02T08:30:00.000+0000")

    console.allow(400, "/__sim/clock/advance")
    page.fill("#advance-to", "2026-01-01T09:00:00Z")
    page.click("#advance-to-form button")
    expect(page.locator("#notice")).to_have_class(re.compile("error"))
    expect(page.locator("#notice-text")).to_contain_text("the clock cannot go backwards")
    page.click("#notice-close")
    expect(page.locator("#notice")).to_be_hidden()
    expect(now).to_have_text("2026-01-02 08:30:00.000")

    send(http, server, "41793026727", send_at="2026-01-02T09:00:00Z")
    expect(page.locator("#advance-next small")).to_have_text("in 30 min")
    page.click("#advance-next")
    expect(now).to_have_text("2026-01-02 09:00:00.000")

    page.fill("#rate", "3600")
    page.click("#play")
    expect(page.locator("#clock-mode")).to_have_text("realtime ×3600")
    expect(page.locator("#play")).to_have_text("⏸ Pause")
    expect(page.locator("#message-list .badge")).to_have_text("DELIVERED_TO_HANDSET")
    expect(now).not_to_have_text(re.compile(r"^2026-01-02 09:00"))  # an hour per second
    page.fill("#rate", "60")
    page.press("#rate", "Enter")  # a new rate applies at once while playing
    expect(page.locator("#clock-mode")).to_have_text("realtime ×60")
    page.click("#play")
    expect(page.locator("#clock-mode")).to_have_text("manual")
    stopped = now.inner_text()
    page.wait_for_timeout(400)
    assert now.inner_text() == stopped
    clock = server.call(lambda: server.simulator.clock.mode.value)
    assert clock == "manual"


def test_bulk_buttons_follow_the_api_rules(
    console: Console, server: ThreadedSimulator, http: requests.Session
) -> None:
    page = console.page
    send(
        http,
        server,
        "41793026727",
        "41793026728",
        text="Spring sale!",
        bulk_id="spring-sale",
        send_at="2026-01-01T10:00:00Z",
    )
    send(http, server, "41793026729", bulk_id="otp")
    console.tab("bulks")
    row = page.locator('#bulk-list tr[data-bulk-id="spring-sale"]')
    status = row.locator(".status")
    expect(status).to_have_text("PENDING")
    expect(row).to_contain_text("10:00:00.000")
    expect(row).to_contain_text("in 1 h")
    expect(page.locator("#schedule-list .event.send")).to_have_count(2)

    row.locator('[data-action="pause"]').click()
    expect(status).to_have_text("PAUSED")
    expect(page.locator("#notice-text")).to_have_text("Bulk spring-sale is PAUSED.")
    expect(page.locator("#schedule-list .event.send")).to_have_count(0)
    row.locator('[data-action="resume"]').click()
    expect(status).to_have_text("PENDING")
    expect(page.locator("#schedule-list .event.send")).to_have_count(2)

    row.locator('[data-action="reschedule"]').click()
    expect(page.locator("#reschedule-at")).to_have_value("2026-01-01T10:00:00.000+0000")
    page.fill("#reschedule-at", "2026-01-01T11:30:00Z")
    page.click("#reschedule-form button[type=submit]")
    expect(page.locator("#reschedule-form")).to_be_hidden()
    expect(row).to_contain_text("11:30:00.000")
    expect(page.locator("#schedule-list .event.send").first).to_contain_text("11:30:00.000")
    console.shot("bulks")

    console.allow(400, "/__sim/bulks/")
    otp = page.locator('#bulk-list tr[data-bulk-id="otp"]')
    otp.locator('[data-action="pause"]').click()  # already sent: the API refuses
    expect(page.locator("#notice-text")).to_have_text(
        "Bulk otp is FINISHED: its messages have already been sent, so it cannot be set to "
        "PAUSED; only PENDING or PAUSED bulks can."
    )
    row.locator('[data-action="cancel"]').click()
    expect(status).to_have_text("CANCELED")
    expect(row).to_contain_text("2 undeliverable")
    row.locator('[data-action="resume"]').click()
    expect(page.locator("#notice")).to_have_class(re.compile("error"))
    expect(page.locator("#notice-text")).to_have_text(
        "Bulk spring-sale is CANCELED: a canceled bulk cannot be set to PENDING."
    )
    expect(status).to_have_text("CANCELED")

    row.locator("td button.link").click()  # its messages
    expect(page.locator("#tab-messages")).to_be_visible()
    expect(console.badges()).to_have_text(["UNDELIVERABLE_NOT_SENT"] * 2)


def test_webhook_log_shows_requests_and_responses(
    console: Console, server: ThreadedSimulator, http: requests.Session, receiver: str
) -> None:
    page = console.page
    ok = send(http, server, "41793026727", webhook=f"{receiver}/reports")
    failing = send(http, server, "41793026728", webhook=f"{receiver}/fail")
    page.click("#advance-1m")
    console.tab("webhooks")
    pushes = page.locator("#webhook-list .push")
    expect(pushes).to_have_count(2)
    expect(page.locator('[data-count="webhooks"]')).to_have_text("2")
    down = pushes.filter(has_text="/fail")
    expect(down.locator(".badge")).to_have_text("retrying")
    expect(down.locator(".tries")).to_have_text("1 attempt · last HTTP 500")
    up = pushes.filter(has_text="/reports")
    expect(up.locator(".badge")).to_have_text("delivered")

    down.locator("summary").click()
    request_body = down.locator("pre.request")
    expect(request_body).to_contain_text(failing["messages"][0]["messageId"])
    expect(request_body).to_contain_text('"DELIVERED_TO_HANDSET"')
    expect(down.locator("pre.response")).to_have_text('{"error":"receiver down"}')
    expect(down.locator(".detail")).to_contain_text("Next attempt 09:02:03.000")
    console.shot("webhooks")

    page.click("#advance-1h")  # retries 2, 5, 10, 17 and 26 minutes after each failure
    expect(down.locator(".tries")).to_have_text("6 attempts · last HTTP 500")
    expect(down.locator("tbody tr")).to_have_count(6)  # still open after the refresh
    page.select_option("#webhook-state", "delivered")
    expect(pushes).to_have_count(1)
    expect(pushes.first).to_contain_text("/reports")

    console.tab("messages")
    message = page.locator(f'.message[data-message-id="{ok["messages"][0]["messageId"]}"]')
    message.locator("summary").click()
    expect(message.locator(".entry.kind-webhook")).to_contain_text("webhook attempt 1 → HTTP 200")


def test_inbound_composer(console: Console, receiver: str) -> None:
    page = console.page
    console.tab("inbound")
    expect(page.locator("#inbound-list")).to_have_text("No inbound messages yet.")
    page.fill("#inbound-from", "41793026727")
    page.fill("#inbound-to", "InfoSMS")
    page.fill("#inbound-text", "STOP all messages")
    page.click("#inbound-form button[type=submit]")
    row = page.locator("#inbound-list tr").first
    expect(row).to_contain_text("41793026727")
    expect(row).to_contain_text("STOP")
    expect(row.locator(".text")).to_have_text("STOP all messages")
    expect(page.locator("#inbound-text")).to_have_value("")
    expect(page.locator('[data-count="inbound"]')).to_have_text("1")
    console.shot("inbound")
    console.tab("webhooks")
    push = page.locator("#webhook-list .push")
    expect(push.locator(".kind")).to_have_text("inbound")
    expect(push.locator(".badge")).to_have_text("delivered")


def test_scenario_picker_and_reset(
    console: Console, server: ThreadedSimulator, http: requests.Session
) -> None:
    page = console.page
    library = http.get(f"{server.url}/__sim/scenarios")
    form = page.locator("#scenario-form")
    if library.status_code == 404:
        expect(form).to_be_hidden()
    else:
        expect(form).to_be_visible()
        names: list[str] = library.json()["scenarios"]
        options = page.locator("#scenario-select option")
        expect(options).to_have_count(len(names) + 2)  # "load another…", the default
        page.click("#scenario-form button")
        expect(page.locator("#notice-text")).to_have_text("Choose a scenario to load first.")
        if names:
            page.select_option("#scenario-select", names[0])
            page.click("#scenario-form button")
            expect(page.locator("#scenario-name")).to_have_text(names[0])
        page.select_option("#scenario-select", label="built-in default")
        page.click("#scenario-form button")
        expect(page.locator("#notice-text")).to_contain_text("everything was reset")
        expect(page.locator("#scenario-name")).to_have_text("built-in default")

    send(http, server, "41793026727")
    page.click("#advance-1h")
    expect(page.locator("#message-list .message")).to_have_count(1)
    page.click("#reset")
    expect(page.locator("#message-list .message")).to_have_count(0)
    expect(page.locator("#clock-now")).to_have_text("2026-01-01 09:00:00.000")
    expect(page.locator("#notice-text")).to_contain_text("Reset")


def test_scenario_picker_is_hidden_without_the_endpoint(
    server: ThreadedSimulator, browser: Browser
) -> None:
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/__sim/scenario*", lambda route: route.fulfill(status=404, body="{}"))
    page.goto(server.url + "/")
    expect(page.locator("#live")).to_have_text("live")
    expect(page.locator("#message-list .empty")).to_be_visible()
    expect(page.locator("#scenario-form")).to_be_hidden()
    expect(page.locator("#notice")).to_be_hidden()
    expect(page.locator("#scenario-name")).to_have_text("built-in default")
    context.close()
    assert errors == []


def test_moves_made_in_process_show_up(
    console: Console, server: ThreadedSimulator, http: requests.Session
) -> None:
    """A test advancing the clock from Python (the pytest plugin) is seen live too."""
    page = console.page
    send(http, server, "41793026727")
    expect(page.locator("#message-list .badge")).to_have_text("PENDING_ENROUTE")
    server.advance("5m")
    expect(page.locator("#message-list .badge")).to_have_text("DELIVERED_TO_HANDSET")
    expect(page.locator("#clock-now")).to_have_text("2026-01-01 09:05:00.000")
