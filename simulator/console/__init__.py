"""The web console for manual QA: plain HTML, CSS and JavaScript served by the simulator.

Open the simulator's root URL (it redirects to ``/__sim/console/``). The page reads the
control plane's JSON endpoints and listens to ``GET /__sim/stream`` for live changes; there is
no build step and nothing is fetched from elsewhere, so it works offline.
"""

from simulator.console.routes import add_console_routes

__all__ = ["add_console_routes"]
