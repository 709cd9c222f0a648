"""``sms-sim``: the command line.

``sms-sim serve --host 127.0.0.1 --port 9000`` starts the simulator; it prints the URL it
listens on and then a readiness line, and shuts down cleanly on SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence

from aiohttp import web

from simulator import __version__
from simulator.app import make_app
from simulator.clock import ClockMode
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.timefmt import InstantFormatError, parse_instant


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sms-sim", description="A local, deterministic simulator of the Infobip SMS API."
    )
    parser.add_argument("--version", action="version", version=f"sms-sim {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="start the simulator")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=9000, help="port (default 9000; 0 = any free)")
    serve.add_argument("--seed", type=int, default=0, help="seed for ids and random outcomes")
    serve.add_argument(
        "--start", help="the clock's first instant, e.g. 2026-01-01T09:00:00Z (default: now)"
    )
    serve.add_argument(
        "--clock",
        choices=[mode.value for mode in ClockMode],
        default=ClockMode.REALTIME.value,
        help="realtime (default: time runs by itself), manual (only advances move it), "
        "autojump (jump to the next event whenever idle)",
    )
    serve.add_argument(
        "--rate", type=float, default=1.0, help="virtual seconds per real second in realtime"
    )
    serve.add_argument("--log-level", default="WARNING", help="logging level (default WARNING)")
    return parser


def config_from_args(args: argparse.Namespace) -> SimulatorConfig:
    start = None
    if args.start:
        try:
            start = parse_instant(args.start)
        except InstantFormatError as exc:
            raise SystemExit(f"sms-sim: --start: {exc}") from None
    if not args.rate > 0:
        raise SystemExit("sms-sim: --rate must be a positive number")
    return SimulatorConfig(
        start=start, seed=args.seed, clock_mode=ClockMode(args.clock), rate=args.rate
    )


async def serve(args: argparse.Namespace) -> None:
    simulator = Simulator(config_from_args(args))
    runner = web.AppRunner(make_app(simulator), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, args.host, args.port)
    await site.start()
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    port = sockets[0].getsockname()[1] if sockets else args.port
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"sms-sim listening on http://{host}:{port}", flush=True)
    print(
        f"sms-sim ready (clock {simulator.clock.mode.value}, rate {simulator.clock.rate:g}, "
        f"seed {simulator.config.seed})",
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
        await runner.cleanup()
        print("sms-sim stopped", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)
    if args.command == "serve":
        asyncio.run(serve(args))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
