"""Routes of the web console: the page and its files, ``/`` redirecting to it, and the
control-plane endpoints only the console needed (bulks, browsing, the change stream)."""

from __future__ import annotations

from importlib.resources import files

from aiohttp import web

from simulator.control_browse import add_browse_routes
from simulator.control_bulks import add_bulk_routes
from simulator.control_stream import add_stream_routes

CONSOLE = "/__sim/console/"
_TYPES = {
    "index.html": "text/html",
    "console.css": "text/css",
    "console.js": "text/javascript",
    "favicon.svg": "image/svg+xml",
}
_HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    # Everything comes from the simulator itself: no CDN, no inline script, works offline.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
}


def _load_static() -> dict[str, bytes]:
    folder = files("simulator.console") / "static"
    return {name: (folder / name).read_bytes() for name in _TYPES}


def add_console_routes(app: web.Application) -> None:
    """The console at ``/__sim/console/`` (``/`` redirects there) and its endpoints."""
    static = _load_static()  # read once: a handful of small files

    async def serve(request: web.Request) -> web.Response:
        if request.path == "/favicon.ico":
            name = "favicon.svg"
        else:
            name = request.match_info.get("name") or "index.html"
        if name not in static:
            raise web.HTTPNotFound(reason=f"no console file named {name!r}")
        return web.Response(
            body=static[name], content_type=_TYPES[name], charset="utf-8", headers=_HEADERS
        )

    async def to_console(request: web.Request) -> web.Response:
        raise web.HTTPFound(CONSOLE)

    app.router.add_get("/", to_console)
    app.router.add_get("/__sim/console", to_console)
    app.router.add_get(CONSOLE, serve)
    app.router.add_get(CONSOLE + "{name}", serve)
    app.router.add_get("/favicon.ico", serve)
    add_bulk_routes(app)
    add_browse_routes(app)
    add_stream_routes(app)
