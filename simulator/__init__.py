"""A faithful, deterministic local simulator of the Infobip SMS HTTP API.

The public entry points are :func:`simulator.app.make_app` (an aiohttp application),
:class:`simulator.config.SimulatorConfig` and the ``sms-sim`` command line.
"""

__version__ = "0.1.0"
