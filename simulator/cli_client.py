"""``sms-sim`` client commands: the control plane (``/__sim/``) from a shell script.

For CI jobs in any language: every command talks to a running simulator over HTTP, prints
something readable by people, or with ``--json`` the server's JSON answer exactly (one
document), and ends with an exit code a script can trust:

====  ==========================================================================
code  meaning
====  ==========================================================================
0     success
1     the server answered an error: its ``error`` and ``field`` go to stderr (with
      ``--json`` the server's error document is printed on stdout as well)
2     usage error: unknown command or option, a missing or malformed argument
3     cannot connect, or no answer in time (``wait-ready``: not ready in time)
====  ==========================================================================

Options every command takes: ``--url`` (default: ``$SMS_SIM_URL``, else
``http://127.0.0.1:9000``), ``--json``, ``--api-key KEY`` (sent as ``Authorization: App KEY``,
which scopes the command to that key's tenant when the server isolates tenants),
``--control-token TOKEN`` (default ``$SMS_SIM_CONTROL_TOKEN``; sent as ``X-Sim-Token`` to a
server started with one) and ``--timeout SECONDS`` (how long to wait for the server;
default 60, for ``wait-ready`` 30).

Only the standard library is used (``urllib.request``), so a command costs no more than
starting Python. Durations and instants are passed to the server as given; the server
checks them (a bad one is exit code 1 with the server's message).

>>> print(table(["AT", "KIND"], [["09:00", "send"], ["09:00:03", "deliver"]]))
AT        KIND
09:00     send
09:00:03  deliver
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

EXIT_OK = 0
EXIT_SERVER_ERROR = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3

URL_ENV = "SMS_SIM_URL"
TOKEN_ENV = "SMS_SIM_CONTROL_TOKEN"
TOKEN_HEADER = "X-Sim-Token"
"""Where a protected server's control token goes (see :mod:`simulator.control_auth`)."""
DEFAULT_URL = "http://127.0.0.1:9000"
DEFAULT_TIMEOUT = 60.0
"""Seconds a command waits for the server's answer."""
READY_TIMEOUT = 30.0
"""Seconds ``wait-ready`` keeps polling by default."""
READY_POLL_INTERVAL = 0.1
"""Real seconds between two ``wait-ready`` polls."""
CLOCK_MODES = ("manual", "autojump", "realtime")
"""The server's clock modes (``simulator.clock.ClockMode``; not imported, it pulls asyncio)."""
WEBHOOK_STATES = ("pending", "retrying", "delivered", "failed")

JSON = Any
"""A parsed JSON document."""


# -- talking to the server -----------------------------------------------------------------------
class ServerError(Exception):
    """The server answered with an HTTP error status."""

    def __init__(self, status: int, message: str, field: str | None, text: str) -> None:
        super().__init__(message)
        self.status = status
        self.field = field
        self.text = text
        """The answer's body, as received."""


class Unreachable(Exception):
    """No answer: the connection failed or timed out."""


class UsageError(Exception):
    """Arguments that parse but do not make a request (exit code 2, like argparse's)."""


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    text: str
    """The body exactly as the server sent it."""
    body: JSON
    """The body parsed."""


def normalize_url(url: str) -> str:
    """The simulator's base URL: ``http://`` added when no scheme is given, no trailing ``/``.

    >>> normalize_url("127.0.0.1:9000/")
    'http://127.0.0.1:9000'
    """
    url = url.strip()
    if "://" not in url:
        url = f"http://{url}"
    return url.rstrip("/")


def error_of(status: int, text: str) -> tuple[str, str | None]:
    """The message and field of an error answer: the control plane's ``{"error", "field"}``,
    or the status and the start of the body for anything else.

    >>> error_of(400, '{"error":"must be true","field":"next"}')
    ('must be true', 'next')
    >>> error_of(502, "Bad Gateway")
    ('HTTP 502: Bad Gateway', None)
    """
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        field = body.get("field")
        return body["error"], field if isinstance(field, str) else None
    snippet = " ".join(text.split())[:200]
    return (f"HTTP {status}: {snippet}" if snippet else f"HTTP {status}"), None


class ControlClient:
    """A blocking client for the control plane."""

    def __init__(
        self,
        url: str,
        *,
        api_key: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        control_token: str | None = None,
    ) -> None:
        self.url = normalize_url(url)
        self.api_key = api_key
        self.control_token = control_token
        self.timeout = timeout
        host = urllib.parse.urlsplit(self.url).hostname or ""
        local = host == "localhost" or host.startswith("127.") or host == "::1"
        # A local simulator is never reached through $http_proxy (CI runners often set one).
        handlers = [urllib.request.ProxyHandler({})] if local else []
        self._opener = urllib.request.build_opener(*handlers)

    def call(
        self,
        method: str,
        path: str,
        *,
        query: Iterable[tuple[str, object]] = (),
        body: JSON = None,
        timeout: float | None = None,
    ) -> Reply:
        """One request; raises :class:`ServerError` on an HTTP error status and
        :class:`Unreachable` when there is no answer. ``None`` query values are left out."""
        pairs = [(key, str(value)) for key, value in query if value is not None]
        target = self.url + path + (f"?{urllib.parse.urlencode(pairs)}" if pairs else "")
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.api_key:
            headers["Authorization"] = f"App {self.api_key}"
        if self.control_token:
            headers[TOKEN_HEADER] = self.control_token
        request = urllib.request.Request(target, data=data, headers=headers, method=method)
        wait = self.timeout if timeout is None else timeout
        try:
            with self._opener.open(request, timeout=wait) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            with exc:
                text = exc.read().decode("utf-8", errors="replace")
            message, field = error_of(exc.code, text)
            raise ServerError(exc.code, message, field, text) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise Unreachable(f"no answer from {self.url} within {wait:g}s") from None
            raise Unreachable(f"cannot connect to {self.url}: {exc.reason}") from None
        except TimeoutError:
            raise Unreachable(f"no answer from {self.url} within {wait:g}s") from None
        except (OSError, http.client.HTTPException) as exc:
            raise Unreachable(f"cannot connect to {self.url}: {exc}") from None
        text = raw.decode("utf-8", errors="replace")
        try:
            parsed = json.loads(text) if text.strip() else None
        except ValueError:
            raise ServerError(
                status, f"the answer is not JSON: {text[:200]!r}", None, text
            ) from None
        return Reply(status, text, parsed)


def real_sleep(seconds: float) -> None:
    """The client's one real-time wait: between two ``wait-ready`` polls."""
    time.sleep(seconds)


def _real_seconds() -> float:
    """Real monotonic seconds, on purpose: ``wait-ready`` is a CI script waiting for a server
    process to come up, not simulator behaviour (which only ever reads the virtual clock)."""
    return time.monotonic()


def wait_ready(
    client: ControlClient,
    timeout: float = READY_TIMEOUT,
    *,
    interval: float = READY_POLL_INTERVAL,
    sleep: Callable[[float], None] = real_sleep,
) -> Reply:
    """Poll ``GET /__sim/ready`` until it answers 200: at most ``ceil(timeout / interval)``
    polls with one ``sleep(interval)`` between two of them, and never past ``timeout`` real
    seconds. Not listening yet and 5xx (503: starting) mean "poll again"; a 4xx is the
    server's error. Raises :class:`Unreachable` when the time is up."""
    polls = max(1, math.ceil(timeout / interval))
    deadline = _real_seconds() + timeout
    last = "no answer"
    for poll in range(polls):
        remaining = deadline - _real_seconds()
        try:
            return client.call("GET", "/__sim/ready", timeout=max(0.05, min(2.0, remaining)))
        except Unreachable as exc:
            last = str(exc)
        except ServerError as exc:
            if exc.status < 500:
                raise
            last = f"HTTP {exc.status}"
        if poll + 1 == polls or _real_seconds() + interval > deadline:
            break
        sleep(interval)
    raise Unreachable(f"{client.url} was not ready within {timeout:g}s (last: {last})")


# -- formatting ----------------------------------------------------------------------------------
def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Left-aligned columns two spaces apart; ``None`` shows as ``-``."""
    cells = [list(headers)] + [["-" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    )


def _events(count: int, noun: str = "event") -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def format_clock(doc: JSON) -> str:
    """``GET /__sim/clock`` (and every answer with the clock's state) for people."""
    pending = _events(doc["pendingEvents"], "pending event")
    if doc.get("nextEventAt"):
        pending += f", next at {doc['nextEventAt']}"
    mode = doc["mode"] + (f" (rate {doc['rate']:g})" if doc["mode"] == "realtime" else "")
    return "\n".join(
        [
            f"now      {doc['now']}",
            f"mode     {mode}",
            f"start    {doc['start']}",
            f"events   {pending}",
        ]
    )


def format_advance(doc: JSON) -> str:
    return f"fired    {_events(doc['fired'])}\n{format_clock(doc)}"


def format_events(doc: JSON) -> str:
    events = doc["events"]
    if not events:
        return "no pending events"
    rows = [[e["at"], e["kind"], e.get("messageId"), e.get("to")] for e in events]
    out = table(["AT", "KIND", "MESSAGE ID", "TO"], rows)
    if doc["total"] > len(events):
        out += f"\n({len(events)} of {doc['total']} events shown; raise --limit)"
    return out


def _status(name: str, error: str | None) -> str:
    return name if error in (None, "NO_ERROR") else f"{name} ({error})"


def format_messages(doc: JSON, timeline: bool = False) -> str:
    """``GET /__sim/messages``: time (submitted), messageId, to, status; with ``timeline``
    every status change under its message."""
    messages = doc["messages"]
    if not messages:
        return "no messages"
    headers = ["TIME", "MESSAGE ID", "TO", "STATUS"]
    rows = [
        [m["submittedAt"], m["messageId"], m["to"], _status(m["status"]["name"], _error(m))]
        for m in messages
    ]
    if not timeline:
        out = table(headers, rows)
    else:
        lines = table(headers, rows).split("\n")
        out_lines = [lines[0]]
        for line, message in zip(lines[1:], messages, strict=True):
            out_lines.append(line)
            out_lines.extend(
                f"    {step['at']}  {_status(step['status'], step.get('error'))}"
                for step in message["timeline"]
            )
        out = "\n".join(out_lines)
    if doc.get("more"):
        out += "\n(more messages match; raise --limit)"
    return out


def _error(message: JSON) -> str | None:
    error = message.get("error")
    return error.get("name") if isinstance(error, dict) else None


def format_requests(doc: JSON) -> str:
    requests = doc["requests"]
    if not requests:
        return "no requests"
    rows = [
        [
            r["at"],
            r["method"],
            r["path"] + (f"?{r['query']}" if r.get("query") else ""),
            r["status"],
            r.get("account"),
        ]
        for r in requests
    ]
    return table(["TIME", "METHOD", "PATH", "STATUS", "ACCOUNT"], rows)


def _short(text: str, width: int = 40) -> str:
    """``text`` cut to ``width`` characters for a table cell.

    >>> _short("Cannot connect to host 127.0.0.1:1", 20)
    'Cannot connect to h…'
    """
    return text if len(text) <= width else text[: width - 1] + "…"


def _attempt_result(attempt: JSON) -> str:
    if attempt.get("httpStatus") is not None:
        return f"HTTP {attempt['httpStatus']}"
    return str(attempt.get("error") or "pending")


def format_webhooks(doc: JSON, attempts: bool = False) -> str:
    """``GET /__sim/webhooks``; with ``attempts`` every attempt under its push."""
    pushes = doc["webhooks"]
    if not pushes:
        return "no webhook pushes"
    headers = ["CREATED", "ID", "KIND", "STATE", "ATTEMPTS", "LAST", "URL"]
    rows = [
        [
            p["createdAt"],
            p["id"],
            p["kind"],
            p["state"] + (f" (next {p['nextAttemptAt']})" if p.get("nextAttemptAt") else ""),
            len(p["attempts"]),
            _short(_attempt_result(p["attempts"][-1])) if p["attempts"] else None,
            p["url"],
        ]
        for p in pushes
    ]
    lines = table(headers, rows).split("\n")
    if not attempts:
        return "\n".join(lines)
    out = [lines[0]]
    for line, push in zip(lines[1:], pushes, strict=True):
        out.append(line)
        out.extend(
            f"    #{a['number']}  {a['at']}  {_attempt_result(a)}  {a['latencyMs']:g} ms"
            for a in push["attempts"]
        )
    return "\n".join(out)


def format_inbound_list(doc: JSON) -> str:
    found = doc["inbound"]
    if not found:
        return "no inbound messages"
    rows = [[m["receivedAt"], m["messageId"], m["from"], m["to"], m["text"]] for m in found]
    return table(["RECEIVED", "MESSAGE ID", "FROM", "TO", "TEXT"], rows)


def format_inbound(doc: JSON) -> str:
    """The answer to an injected inbound message."""
    return (
        f"inbound {doc['messageId']} from {doc['from']} to {doc['to']} at {doc['receivedAt']} "
        f"(account {doc['account']})"
    )


def format_reset(doc: JSON) -> str:
    return f"reset\n{format_clock(doc)}"


def format_health(doc: JSON) -> str:
    return str(doc.get("status", doc))


def format_ready(doc: JSON) -> str:
    return "ready" if doc.get("ready") else "not ready"


# -- commands ------------------------------------------------------------------------------------
Action = Callable[[ControlClient, argparse.Namespace], Reply]
Render = Callable[[JSON, argparse.Namespace], str]


def _common_options(*, timeout: float = DEFAULT_TIMEOUT) -> argparse.ArgumentParser:
    """``--url``, ``--json``, ``--api-key``, ``--timeout``. Defaults are SUPPRESS (filled in
    by :func:`run`), so an option given before a nested subcommand is not overwritten."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("connection")
    group.add_argument(
        "--url",
        default=argparse.SUPPRESS,
        help=f"the simulator's base URL (default: ${URL_ENV}, else {DEFAULT_URL})",
    )
    group.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print the server's JSON answer exactly",
    )
    group.add_argument(
        "--api-key",
        default=argparse.SUPPRESS,
        metavar="KEY",
        help="send 'Authorization: App KEY' (scopes to that tenant when tenants are isolated)",
    )
    group.add_argument(
        "--control-token",
        default=argparse.SUPPRESS,
        metavar="TOKEN",
        help=f"the server's control token, sent as {TOKEN_HEADER} (default: ${TOKEN_ENV})",
    )
    group.add_argument(
        "--timeout",
        type=float,
        default=argparse.SUPPRESS,
        metavar="SECONDS",
        help=f"how long to wait for the server (default {timeout:g})",
    )
    return common


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help: str,
    action: Action,
    render: Render,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        name, help=help, description=help, parents=[_common_options(timeout=timeout)]
    )
    parser.set_defaults(
        run=run, action=action, render=render, command_parser=parser, default_timeout=timeout
    )
    return parser


def add_client_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register every client command on ``sms-sim``'s subcommands."""
    add_clock_commands(commands)
    for add in (
        add_events_command,
        add_messages_command,
        add_requests_command,
        add_webhooks_command,
        add_inbound_command,
        add_reset_command,
        add_health_command,
        add_wait_ready_command,
    ):
        add(commands)


def add_clock_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    clock = _command(
        commands,
        "clock",
        "show the virtual clock: now, mode, the next event",
        lambda client, args: client.call("GET", "/__sim/clock"),
        lambda doc, args: format_clock(doc),
    )
    sub = clock.add_subparsers(dest="clock_command", metavar="{advance,mode}")
    advance = _command(
        sub,
        "advance",
        "advance the clock by a duration, to an instant, or to the next event",
        _advance,
        lambda doc, args: format_advance(doc),
    )
    advance.add_argument("by", nargs="?", help="a duration: 90s, 15m, 2h, 1h30m, PT15M")
    advance.add_argument("--to", metavar="INSTANT", help="e.g. 2026-01-01T10:00:00Z")
    advance.add_argument("--next", action="store_true", help="jump to the next event")
    mode = _command(
        sub,
        "mode",
        "switch the clock mode",
        lambda client, args: client.call(
            "POST", "/__sim/clock/mode", body={"mode": args.mode, "rate": args.rate}
        ),
        lambda doc, args: format_clock(doc),
    )
    mode.add_argument("mode", choices=CLOCK_MODES)
    mode.add_argument("--rate", type=float, help="virtual seconds per real second (realtime mode)")


def _advance(client: ControlClient, args: argparse.Namespace) -> Reply:
    given = [
        (key, value)
        for key, value in (("by", args.by), ("to", args.to), ("next", args.next or None))
        if value is not None
    ]
    if len(given) != 1:
        raise UsageError("give exactly one of a duration (e.g. 15m), --to INSTANT or --next")
    return client.call("POST", "/__sim/clock/advance", body=dict(given))


def add_events_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    events = _command(
        commands,
        "events",
        "list the upcoming events, soonest first",
        lambda client, args: client.call("GET", "/__sim/events", query=[("limit", args.limit)]),
        lambda doc, args: format_events(doc),
    )
    events.add_argument("--limit", type=int, help="at most this many (default 100)")


def add_messages_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    messages = _command(
        commands,
        "messages",
        "list messages, newest first, with their status timelines",
        lambda client, args: client.call(
            "GET",
            "/__sim/messages",
            query=[
                ("to", args.to),
                ("from", args.sender),
                ("bulkId", args.bulk_id),
                ("messageId", args.message_id),
                ("status", args.status),
                ("limit", args.limit),
            ],
        ),
        lambda doc, args: format_messages(doc, timeline=args.timeline),
    )
    messages.add_argument("--to", metavar="NUMBER", help="only to this destination")
    messages.add_argument("--from", dest="sender", metavar="SENDER", help="only from this sender")
    messages.add_argument("--bulk-id", help="only this bulk")
    messages.add_argument("--message-id", help="only this message")
    messages.add_argument(
        "--status", help="a status (DELIVERED_TO_HANDSET) or a group (DELIVERED, PENDING)"
    )
    messages.add_argument("--limit", type=int, help="at most this many (default 1000)")
    messages.add_argument(
        "--timeline", action="store_true", help="show every status change under its message"
    )


def add_requests_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    requests = _command(
        commands,
        "requests",
        "list the Infobip API requests received, newest first",
        lambda client, args: client.call(
            "GET", "/__sim/requests", query=[("path", args.path), ("limit", args.limit)]
        ),
        lambda doc, args: format_requests(doc),
    )
    requests.add_argument("--path", help="only requests to this path, e.g. /sms/3/messages")
    requests.add_argument("--limit", type=int, help="at most this many (default 1000)")


def add_webhooks_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    webhooks = _command(
        commands,
        "webhooks",
        "list webhook pushes (delivery reports, inbound messages), newest first",
        lambda client, args: client.call(
            "GET",
            "/__sim/webhooks",
            query=[
                ("state", args.state),
                ("kind", args.kind),
                ("url", args.receiver),
                ("messageId", args.message_id),
                ("limit", args.limit),
            ],
        ),
        lambda doc, args: format_webhooks(doc, attempts=args.attempts),
    )
    webhooks.add_argument("--state", choices=WEBHOOK_STATES, help="only pushes in this state")
    webhooks.add_argument("--kind", choices=("delivery-report", "inbound"))
    webhooks.add_argument("--receiver", metavar="URL", help="only pushes to this URL")
    webhooks.add_argument("--message-id", help="only pushes carrying this message")
    webhooks.add_argument("--limit", type=int, help="at most this many (default 1000)")
    webhooks.add_argument("--attempts", action="store_true", help="show every attempt")


def add_inbound_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    inbound = _command(
        commands,
        "inbound",
        "inject an inbound (MO) message; without --from/--to/--text, list those received",
        _inbound,
        lambda doc, args: format_inbound_list(doc) if "inbound" in doc else format_inbound(doc),
    )
    inbound.add_argument("--from", dest="sender", metavar="NUMBER", help="the sender's number")
    inbound.add_argument("--to", metavar="NUMBER", help="your number it was sent to")
    inbound.add_argument("--text", help="the message text, e.g. STOP")
    inbound.add_argument("--at", metavar="INSTANT", help="when it arrives (default: now)")
    inbound.add_argument("--message-id", help="its id (default: generated)")
    inbound.add_argument("--account", help="the account it is for (tenant isolation)")


def _inbound(client: ControlClient, args: argparse.Namespace) -> Reply:
    parts = {"from": args.sender, "to": args.to, "text": args.text}
    if all(value is None for value in parts.values()):
        if args.at or args.message_id or args.account:
            raise UsageError("--at, --message-id and --account need --from, --to and --text")
        return client.call("GET", "/__sim/inbound")
    missing = [f"--{key}" for key, value in parts.items() if value is None]
    if missing:
        raise UsageError(f"an inbound message needs {', '.join(missing)} too")
    body = {
        **parts,
        "at": args.at,
        "messageId": args.message_id,
        "account": args.account,
    }
    return client.call(
        "POST", "/__sim/inbound", body={k: v for k, v in body.items() if v is not None}
    )


def add_reset_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _command(
        commands,
        "reset",
        "put everything back to the start: clock, messages, queues, journals",
        lambda client, args: client.call("POST", "/__sim/reset"),
        lambda doc, args: format_reset(doc),
    )


def add_health_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _command(
        commands,
        "health",
        "check that the simulator answers",
        lambda client, args: client.call("GET", "/__sim/health"),
        lambda doc, args: format_health(doc),
    )


def add_wait_ready_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    _command(
        commands,
        "wait-ready",
        "wait (real time) until the simulator is ready; exit 3 when it is not in time",
        lambda client, args: wait_ready(client, client.timeout),
        lambda doc, args: format_ready(doc),
        timeout=READY_TIMEOUT,
    )


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run a parsed client command; the exit code."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    as_json: bool = getattr(args, "json", False)
    url: str = getattr(args, "url", None) or os.environ.get(URL_ENV) or DEFAULT_URL
    timeout: float = getattr(args, "timeout", args.default_timeout)
    parser: argparse.ArgumentParser = args.command_parser
    if not timeout > 0:
        parser.error("--timeout must be a positive number")
    token = getattr(args, "control_token", None) or os.environ.get(TOKEN_ENV) or None
    client = ControlClient(
        url, api_key=getattr(args, "api_key", None), timeout=timeout, control_token=token
    )
    action: Action = args.action
    render: Render = args.render
    try:
        reply = action(client, args)
    except UsageError as exc:
        parser.error(str(exc))  # exits with EXIT_USAGE
    except ServerError as exc:
        if as_json and exc.text.strip():
            print(exc.text.rstrip("\n"), file=out)
        where = f"{exc.field}: " if exc.field else ""
        print(f"sms-sim: {where}{exc} (HTTP {exc.status})", file=err)
        return EXIT_SERVER_ERROR
    except Unreachable as exc:
        print(f"sms-sim: {exc}", file=err)
        return EXIT_UNREACHABLE
    try:
        print(reply.text.rstrip("\n") if as_json else render(reply.body, args), file=out)
        out.flush()
    except BrokenPipeError:  # `sms-sim messages | head`: the reader had enough
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
    return EXIT_OK
