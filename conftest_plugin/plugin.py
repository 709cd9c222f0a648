"""pytest fixtures for testing a system that talks to Infobip's SMS API.

``sms_gateway``: a simulator started once per session in a background thread, reset before
each test. It has ``.url``, ``.api_key``, ``.advance("10m")``, ``.advance_to(...)``,
``.advance_to_next_event()``, ``.run_until_idle()`` and ``.simulator`` for inspection.
Disable the plugin with ``-p no:sms_simulator``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.config import SimulatorConfig
from simulator.testing import ThreadedSimulator
from simulator.timefmt import parse_instant

DEFAULT_START = "2026-01-01T09:00:00.000+0000"


@pytest.fixture(scope="session")
def _sms_gateway_server() -> Iterator[ThreadedSimulator]:
    config = SimulatorConfig(start=parse_instant(DEFAULT_START))
    with ThreadedSimulator(config) as server:
        yield server


@pytest.fixture
def sms_gateway(_sms_gateway_server: ThreadedSimulator) -> ThreadedSimulator:
    """The simulator, fresh for this test (state from other tests never leaks in)."""
    _sms_gateway_server.reset()
    return _sms_gateway_server
