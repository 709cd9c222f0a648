"""pytest fixtures for testing a system that talks to Infobip's SMS API.

* ``sms_gateway``: a simulator started once per session in a background thread and reset
  before each test (:class:`simulator.testing.SmsGateway`);
* ``sms_gateway_async``: one in the test's own event loop, through pytest-aiohttp
  (:class:`simulator.testing.AsyncSmsGateway`);
* ``@pytest.mark.sms_scenario(source, **overrides)`` and the ``sms_scenario`` factory
  (:class:`simulator.testing.ScenarioFactory`) to load scenarios;
* ``sms_frozen_time``: the test process's clock follows the virtual one (freezegun).

Options: ``--sms-sim-url``, ``--sms-scenario``, ``--sms-scenario-dir``, ``--sms-seed``,
``--sms-start``, ``--sms-api-key``, ``--sms-receiver-host``, ``--sms-frozen-time`` and
the ini settings of the same names (``sms_sim_url`` ...). Disable the plugin with
``-p no:sms_simulator``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import Any, TypeVar

import pytest

from conftest_plugin.options import PluginSettings, add_options, read_settings
from simulator.testing import AnyGateway, AsyncSmsGateway, FrozenTime, ScenarioFactory, SmsGateway
from simulator.testing.backends import GatewayError
from simulator.testing.scenarios import ScenarioResolver, ScenarioSource
from simulator.testing.sessions import LocalSession, RemoteSession, TestScenario, loop_gateway

SETTINGS = pytest.StashKey[PluginSettings]()
RESOLVER = pytest.StashKey[ScenarioResolver]()
MARKER = "sms_scenario"
T = TypeVar("T")


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(source, **overrides): the simulator scenario for this test's SMS gateway "
        "fixture: a name, a path, YAML text or a mapping (None: the built-in behaviour); "
        "overrides replace top-level keys",
    )
    settings = read_settings(config)
    config.stash[SETTINGS] = settings
    config.stash[RESOLVER] = settings.gateway.resolver()


def pytest_report_header(config: pytest.Config) -> str | None:
    settings = config.stash.get(SETTINGS, None)
    if settings is None or settings.sim_url is None:
        return None
    return f"sms-simulator: remote at {settings.sim_url}"


# -- what a test asked for ------------------------------------------------------------------------
def _wanted(request: pytest.FixtureRequest) -> TestScenario:
    settings = request.config.stash[SETTINGS]
    near = request.path.parent
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:  # the --sms-scenario / sms_scenario default: paths from the rootdir
        return TestScenario(settings.scenario, {}, None)
    if len(marker.args) != 1:
        pytest.fail(
            f"@pytest.mark.{MARKER} takes one scenario (a name, a path, YAML text, a mapping "
            f"or None) and keyword overrides; got {len(marker.args)} positional arguments",
            pytrace=False,
        )
    source = marker.args[0]
    if source is not None and not isinstance(source, str | os.PathLike | Mapping):
        pytest.fail(
            f"@pytest.mark.{MARKER}: a scenario is a name, a path, YAML text or a mapping, "
            f"not {type(source).__name__}",
            pytrace=False,
        )
    return TestScenario(source, dict(marker.kwargs), near)


def _explained(call: Callable[[], T]) -> T:
    """``call()``; scenario and connection problems fail the test with their message alone."""
    from simulator.scenario import ScenarioError

    try:
        return call()
    except ScenarioError as exc:
        problem = f"sms_scenario: {exc}"
    except GatewayError as exc:
        problem = f"sms simulator: {exc}"
    pytest.fail(problem, pytrace=False)  # outside the handler: no "during handling" chain


async def _explained_async(call: Awaitable[T]) -> T:
    from simulator.scenario import ScenarioError

    try:
        return await call
    except ScenarioError as exc:
        problem = f"sms_scenario: {exc}"
    except GatewayError as exc:
        problem = f"sms simulator: {exc}"
    pytest.fail(problem, pytrace=False)


def _freezing(
    request: pytest.FixtureRequest, gateway: AnyGateway
) -> contextlib.AbstractContextManager[object]:
    if request.config.stash[SETTINGS].frozen_time:
        return gateway.freeze_time()
    return contextlib.nullcontext()


# -- sessions -------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def _sms_remote(pytestconfig: pytest.Config) -> Iterator[RemoteSession | None]:
    settings = pytestconfig.stash[SETTINGS]
    url = settings.sim_url
    if url is None:
        yield None
        return
    session = _explained(lambda: RemoteSession(url, settings.gateway))
    yield session
    session.close()


@pytest.fixture(scope="session")
def _sms_session(
    pytestconfig: pytest.Config, _sms_remote: RemoteSession | None
) -> Iterator[LocalSession | RemoteSession]:
    if _sms_remote is not None:
        yield _sms_remote
        return
    session = LocalSession(pytestconfig.stash[SETTINGS].gateway)
    yield session
    session.close()


# -- fixtures -------------------------------------------------------------------------------------
@pytest.fixture
def sms_gateway(
    request: pytest.FixtureRequest, _sms_session: LocalSession | RemoteSession
) -> Iterator[SmsGateway]:
    """A simulator for this test, reset to its scenario (state never leaks between tests):
    ``.url``, ``.api_key``, ``.webhook_url``, clock control, ``wait_for``, inspection and
    assertions. Session-scoped underneath: one server, a fast reset per test."""
    wanted = _wanted(request)
    gateway = _explained(lambda: _sms_session.gateway(wanted))
    try:
        with _freezing(request, gateway):
            yield gateway
    finally:
        gateway.unfreeze_time()


@pytest.fixture
def sms_scenario(sms_gateway: SmsGateway) -> ScenarioFactory:
    """Load a scenario into ``sms_gateway`` inline: ``sms_scenario({...})``,
    ``sms_scenario(\"\"\"version: 1 ...\"\"\")`` or ``sms_scenario("name", seed=3)``."""

    def load(source: ScenarioSource, /, **overrides: Any) -> Any:
        __tracebackhide__ = True
        return _explained(lambda: sms_gateway.load_scenario(source, **overrides))

    return load


@pytest.fixture
def sms_frozen_time(request: pytest.FixtureRequest) -> Iterator[FrozenTime]:
    """freezegun at the simulator's virtual now for this test, moved on every advance, so
    ``datetime.now()`` / ``time.time()`` in the system under test agree with the simulator.
    Uses ``sms_gateway_async`` when the test does, else ``sms_gateway``."""
    name = "sms_gateway_async" if "sms_gateway_async" in request.fixturenames else "sms_gateway"
    gateway: AnyGateway = request.getfixturevalue(name)
    frozen = gateway.freeze_time()
    try:
        yield frozen
    finally:
        frozen.stop()


try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - pytest-aiohttp (and so pytest-asyncio) not installed
    pass
else:

    @pytest_asyncio.fixture
    async def sms_gateway_async(
        request: pytest.FixtureRequest,
        aiohttp_server: Any,
        _sms_remote: RemoteSession | None,
    ) -> AsyncIterator[AsyncSmsGateway]:
        """A simulator served in the test's own event loop (pytest-aiohttp's
        ``aiohttp_server``), fresh for each test; clock moves are awaitable."""
        wanted = _wanted(request)
        if _sms_remote is not None:
            opened = _sms_remote.async_gateway(wanted)
        else:
            settings = request.config.stash[SETTINGS].gateway
            opened = loop_gateway(settings, request.config.stash[RESOLVER], aiohttp_server, wanted)
        gateway = await _explained_async(opened.__aenter__())
        try:
            with _freezing(request, gateway):
                yield gateway
        finally:
            gateway.unfreeze_time()
            await opened.__aexit__(None, None, None)
