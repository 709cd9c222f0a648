"""A built-in webhook receiver: where the test fixtures point delivery reports and inbound
messages by default, so a pushed report has somewhere to go without any set-up.

It answers every ``POST`` with ``200 {"ok": true}`` and remembers what it got. The socket is
bound when the receiver is made, so its URL is known before a simulator is configured with
it; it is served by whichever event loop calls :meth:`WebhookReceiver.start`.
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

REPORTS_PATH = "/reports"
INBOUND_PATH = "/inbound"


@dataclass(frozen=True, slots=True)
class ReceivedWebhook:
    """One POST the receiver got."""

    path: str
    body: Any = field(compare=False, hash=False)
    """The JSON body (None when it was not JSON)."""
    headers: dict[str, str] = field(compare=False, hash=False, repr=False)


class WebhookReceiver:
    def __init__(self, host: str = "127.0.0.1") -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._socket = socket.create_server((host, 0), family=family)
        self.host = host
        self.port: int = self._socket.getsockname()[1]
        self._lock = threading.Lock()
        self._received: list[ReceivedWebhook] = []
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def report_url(self) -> str:
        """Where delivery reports go (the default report URL of the fixtures)."""
        return self.url + REPORTS_PATH

    @property
    def inbound_url(self) -> str:
        """Where inbound messages go (the default inbound URL of the fixtures)."""
        return self.url + INBOUND_PATH

    # -- serving ---------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = None
        with self._lock:
            self._received.append(ReceivedWebhook(request.path, body, dict(request.headers)))
        return web.json_response({"ok": True})

    async def start(self) -> None:
        """Serve on the running event loop."""
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.SockSite(self._runner, self._socket).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._socket.close()

    # -- reading -----------------------------------------------------------------------------
    def received(self, path: str | None = None) -> list[ReceivedWebhook]:
        """What was posted (oldest first), optionally only to ``path`` (e.g. ``/reports``)."""
        with self._lock:
            return [r for r in self._received if path is None or r.path == path]

    def clear(self) -> None:
        with self._lock:
            self._received.clear()
