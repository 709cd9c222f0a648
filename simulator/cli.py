"""``sms-sim``: the command line.

``sms-sim serve`` starts the simulator: it prints ``sms-sim listening on http://HOST:PORT``,
then a readiness line ``sms-sim ready (...)``, both on stdout, and on SIGTERM or Ctrl-C stops
accepting connections, lets in-flight requests finish (up to ``--shutdown-timeout`` seconds),
stops webhook pushes, prints ``sms-sim stopped`` and exits 0 (1 when it cannot listen). It
binds 127.0.0.1 by default; any other address (``--host 0.0.0.0``) is refused (exit 2) unless
the control plane is protected by a token (``--control-token``, see
:mod:`simulator.control_auth`).

The other commands (``clock``, ``events``, ``messages``, ``requests``, ``webhooks``,
``inbound``, ``reset``, ``health``, ``wait-ready``) drive a running simulator over HTTP; see
:mod:`simulator.cli_client`, which documents their exit codes. This module imports aiohttp
and the simulator only when serving, so the client commands start fast.

Logs go to stderr as JSON lines, one object per line, quiet by default (``--log-level
WARNING``); ``--log-level INFO`` adds one line per HTTP request (Infobip API and control
plane alike) and one per webhook push attempt. Every line has ``time`` (real, UTC),
``level``, ``logger`` and ``message``; request lines (logger ``simulator.access``, message
``request``) add ``method``, ``path``, ``query``, ``status``, ``latencyMs`` (real), ``at``
(the virtual clock when answered) and ``account`` (Infobip requests); push lines (logger
``simulator.webhooks``, message ``push``) add ``push``, ``kind``, ``account``, ``url``,
``attempt``, ``at`` (virtual), ``httpStatus``, ``error``, ``latencyMs`` and ``messageIds``.

>>> record = logging.LogRecord("x", logging.INFO, "", 0, "request", None, None)
>>> record.created, record.fields = 0.0, {"status": 200}
>>> print(JsonLinesFormatter().format(record))
{"time":"1970-01-01T00:00:00.000Z","level":"INFO","logger":"x","message":"request","status":200}
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from simulator import __version__, cli_client

if TYPE_CHECKING:
    import asyncio

    from aiohttp.abc import AbstractAccessLogger

    from simulator.config import SimulatorConfig

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_SHUTDOWN_TIMEOUT = 10.0


# -- the parser ----------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sms-sim", description="A local, deterministic simulator of the Infobip SMS API."
    )
    parser.add_argument("--version", action="version", version=f"sms-sim {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # Local commands, one add_*_command(commands) function each (``validate`` goes here).
    # Each sets ``run`` (Namespace -> exit code) with ``set_defaults``; main() calls it.
    add_serve_command(commands)
    add_validate_command(commands)
    # The control-plane client commands (clock, messages, inbound, reset, ...).
    cli_client.add_client_commands(commands)
    return parser


def add_serve_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    serve = commands.add_parser("serve", help="start the simulator")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=9000, help="port (default 9000; 0 = any free)")
    serve.add_argument("--seed", type=int, default=0, help="seed for ids and random outcomes")
    serve.add_argument(
        "--start", help="the clock's first instant, e.g. 2026-01-01T09:00:00Z (default: now)"
    )
    serve.add_argument(
        "--clock",
        choices=cli_client.CLOCK_MODES,
        default="realtime",
        help="realtime (default: time runs by itself), manual (only advances move it), "
        "autojump (jump to the next event whenever idle)",
    )
    serve.add_argument(
        "--rate", type=float, default=1.0, help="virtual seconds per real second in realtime"
    )
    serve.add_argument(
        "--scenario",
        metavar="NAME_OR_PATH",
        help="a scenario from the shipped library (e.g. absent_subscriber) or a YAML file",
    )
    serve.add_argument(
        "--report-url", help="default delivery-report URL (the account's subscription)"
    )
    serve.add_argument("--inbound-url", help="URL inbound (MO) messages are pushed to")
    serve.add_argument(
        "--control-token",
        metavar="TOKEN",
        help="require this token on every /__sim/ request (header X-Sim-Token; the console: "
        "open /__sim/console/?token=TOKEN); default $SMS_SIM_CONTROL_TOKEN; needed to bind "
        "an address other than loopback",
    )
    serve.add_argument(
        "--isolate-tenants",
        action="store_true",
        help="keep state apart per API key (a CI server shared by parallel jobs)",
    )
    serve.add_argument(
        "--webhook-timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="real seconds a webhook receiver has to answer (default 5)",
    )
    serve.add_argument(
        "--log-level",
        type=str.upper,
        choices=LOG_LEVELS,
        default="WARNING",
        help="WARNING (default) is quiet; INFO logs every request and webhook push",
    )
    serve.add_argument(
        "--loop",
        choices=("auto", "asyncio", "uvloop"),
        default="auto",
        help="event loop: auto (default) takes uvloop when it is installed, else asyncio's",
    )
    serve.add_argument(
        "--shutdown-timeout",
        type=float,
        default=DEFAULT_SHUTDOWN_TIMEOUT,
        metavar="SECONDS",
        help="how long in-flight requests may take to finish on SIGTERM (default 10)",
    )
    serve.set_defaults(run=run_serve, command_parser=serve)
    return serve


# -- logging -------------------------------------------------------------------------------------
class JsonLinesFormatter(logging.Formatter):
    """One JSON object per record: ``time``, ``level``, ``logger``, ``message``, then the
    record's ``fields`` (``extra={"fields": {...}}``, or a callable returning them, called
    only when the line is written), then ``exception`` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        line: dict[str, Any] = {
            "time": f"{seconds}.{int(record.created % 1 * 1000):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if callable(fields):
            fields = fields()
        if isinstance(fields, dict):
            for key, value in fields.items():
                line.setdefault(key, value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"), default=str)


def configure_logging(level: str, stream: Any = None) -> None:
    handler = logging.StreamHandler(sys.stderr if stream is None else stream)
    handler.setFormatter(JsonLinesFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)


def _request_log_class() -> type[AbstractAccessLogger]:
    """aiohttp's access-log hook, writing the ``request`` line (imported only when serving)."""
    from aiohttp import web
    from aiohttp.abc import AbstractAccessLogger

    from simulator.api.common import ACCOUNT_KEY, SIMULATOR
    from simulator.timefmt import format_instant

    class RequestLog(AbstractAccessLogger):
        @property
        def enabled(self) -> bool:
            return self.logger.isEnabledFor(logging.INFO)

        def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
            fields: dict[str, Any] = {
                "method": request.method,
                "path": request.path,
                "query": request.query_string,
                "status": response.status,
                "latencyMs": round(time * 1000, 3),
            }
            if isinstance(request, web.Request) and SIMULATOR in request.app:
                fields["at"] = format_instant(request.app[SIMULATOR].clock.now())
            account = request.get(ACCOUNT_KEY)
            fields["account"] = None if account is None else account.key
            self.logger.info("request", extra={"fields": fields})

    return RequestLog


# -- serving -------------------------------------------------------------------------------------
def config_from_args(args: argparse.Namespace) -> SimulatorConfig:
    """The simulator's settings; :class:`cli_client.UsageError` for a bad option value."""
    from simulator.clock import ClockMode
    from simulator.config import SimulatorConfig
    from simulator.timefmt import InstantFormatError, parse_instant

    start = None
    if args.start:
        try:
            start = parse_instant(args.start)
        except InstantFormatError as exc:
            raise cli_client.UsageError(f"--start: {exc}") from None
    if not args.rate > 0:
        raise cli_client.UsageError("--rate must be a positive number")
    if not args.shutdown_timeout >= 0:
        raise cli_client.UsageError("--shutdown-timeout must not be negative")
    if not args.webhook_timeout > 0:
        raise cli_client.UsageError("--webhook-timeout must be a positive number")
    return SimulatorConfig(
        start=start,
        seed=args.seed,
        clock_mode=ClockMode(args.clock),
        rate=args.rate,
        default_report_url=args.report_url,
        default_inbound_url=args.inbound_url,
        isolate_tenants=args.isolate_tenants,
        webhook_timeout=args.webhook_timeout,
        control_token=control_token(args),
    )


def add_validate_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    validate = commands.add_parser(
        "validate", help="check scenario files; exit 1 with the problems if any is invalid"
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or names")
    validate.set_defaults(run=run_validate, command_parser=validate)
    return validate


def run_validate(args: argparse.Namespace) -> int:
    from simulator.scenario import ScenarioError, load_scenario

    failed = 0
    for path in args.paths:
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            failed += 1
            print(str(exc), file=sys.stderr)
        except OSError as exc:
            failed += 1
            print(f"{path}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        else:
            print(f"{path}: ok ({scenario.name})")
    return 1 if failed else 0


def exposed(host: str) -> bool:
    """Whether binding ``host`` makes the server reachable from other machines.

    >>> [exposed(h) for h in ("127.0.0.1", "::1", "localhost", "0.0.0.0", "::", "10.0.0.5")]
    [False, False, False, True, True, True]
    """
    if host.lower() == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name other than localhost
        return True


def control_token(args: argparse.Namespace) -> str | None:
    """``--control-token``, else ``$SMS_SIM_CONTROL_TOKEN``; a usage error when malformed."""
    from simulator.control_auth import ENV, valid_token

    token: str | None = args.control_token
    if token is None:
        token = os.environ.get(ENV) or None
    if token is not None and not valid_token(token):
        raise cli_client.UsageError(
            "--control-token: use 1 to 256 letters, digits and . _ ~ + / = - (no spaces)"
        )
    return token


def exposure_warning(host: str, token: str | None = None) -> str | None:
    """Why ``serve`` refuses to bind ``host`` (reachable from other machines) without a
    control token; None when it may (a loopback address, or a token is set)."""
    if not exposed(host) or token:
        return None
    return (
        f"sms-sim: refusing to listen on {host} without a control token: the control plane "
        "(/__sim/: clock, reset, state, journals) would be open to the network. Give "
        "--control-token TOKEN (or set SMS_SIM_CONTROL_TOKEN), or bind 127.0.0.1"
    )


async def serve(args: argparse.Namespace, config: SimulatorConfig) -> int:
    import asyncio

    from aiohttp import web

    from simulator.app import LISTEN_BACKLOG, make_app
    from simulator.core import Simulator

    scenario = None
    if args.scenario:
        from simulator.scenario import ScenarioError, load_scenario

        try:
            scenario = load_scenario(args.scenario)
        except (ScenarioError, OSError) as exc:
            print(f"sms-sim: --scenario: {exc}", file=sys.stderr)
            return 2
    simulator = Simulator(config, scenario=scenario)
    runner = web.AppRunner(
        make_app(simulator),
        access_log=logging.getLogger("simulator.access"),
        access_log_class=_request_log_class(),
        shutdown_timeout=args.shutdown_timeout,
    )
    await runner.setup()
    from simulator.gctune import GcTuner

    tuner = GcTuner()  # keeps full GC pauses from growing with the retained messages
    simulator.reset_hooks.append(tuner.full_collect)
    site = web.TCPSite(runner, args.host, args.port, backlog=LISTEN_BACKLOG)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        print(f"sms-sim: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    port = sockets[0].getsockname()[1] if sockets else args.port
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"sms-sim listening on http://{host}:{port}", flush=True)
    tuner.start()
    print(
        f"sms-sim ready (clock {simulator.clock.mode.value}, rate {simulator.clock.rate:g}, "
        f"seed {simulator.config.seed}, scenario {scenario.name if scenario else 'none'})",
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        # Stops listening, waits up to shutdown_timeout for in-flight requests, then runs
        # the app's cleanup (the clock pump and the webhook dispatcher stop).
        await runner.cleanup()
        tuner.stop()
        print("sms-sim stopped", flush=True)
    return 0


def loop_factory(choice: str) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """The event loop ``--loop`` asks for: uvloop's (``auto`` takes it when installed), or
    None for asyncio's own. :class:`cli_client.UsageError` when uvloop is asked for but is
    not installed."""
    if choice == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:
        if choice == "uvloop":
            raise cli_client.UsageError(
                "--loop uvloop: uvloop is not installed (pip install uvloop)"
            ) from None
        return None
    factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    return factory


def run_serve(args: argparse.Namespace) -> int:
    import asyncio

    parser: argparse.ArgumentParser = args.command_parser
    try:
        config = config_from_args(args)
        factory = loop_factory(getattr(args, "loop", "auto"))
    except cli_client.UsageError as exc:
        parser.error(str(exc))  # exit code 2
    refusal = exposure_warning(args.host, config.control_token)
    if refusal is not None:
        print(refusal, file=sys.stderr, flush=True)
        return 2
    configure_logging(args.log_level)
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(serve(args, config))


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    return run(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
