"""The plugin's command-line flags and ini settings, read into :class:`PluginSettings`.

A flag wins over the ini setting of the same meaning; both are optional.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from simulator.testing.sessions import DEFAULT_API_KEY, DEFAULT_START, GatewaySettings
from simulator.timefmt import InstantFormatError, parse_instant

#: (flag, ini name, help, ini type, default)
OPTIONS: tuple[tuple[str, str, str, str, object], ...] = (
    (
        "--sms-sim-url",
        "sms_sim_url",
        "run the SMS gateway fixtures against this running simulator (sms-sim serve) "
        "through its control plane, instead of starting one in-process",
        "string",
        None,
    ),
    (
        "--sms-scenario",
        "sms_scenario",
        "scenario (a name or a path) for tests without an sms_scenario marker",
        "string",
        None,
    ),
    (
        "--sms-seed",
        "sms_seed",
        "seed for ids and random outcomes (default 0)",
        "string",
        None,
    ),
    (
        "--sms-start",
        "sms_start",
        f"the virtual clock's first instant (default {DEFAULT_START})",
        "string",
        None,
    ),
    (
        "--sms-api-key",
        "sms_api_key",
        f"the API key the fixtures hand out (default {DEFAULT_API_KEY})",
        "string",
        None,
    ),
    (
        "--sms-receiver-host",
        "sms_receiver_host",
        "address the built-in webhook receiver listens on (default 127.0.0.1; a remote "
        "simulator must be able to reach it)",
        "string",
        None,
    ),
)


@dataclass(frozen=True, slots=True)
class PluginSettings:
    gateway: GatewaySettings
    sim_url: str | None = None
    scenario: str | None = None
    frozen_time: bool = False


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("sms_simulator", "Infobip SMS simulator")
    for flag, ini, text, kind, default in OPTIONS:
        group.addoption(flag, dest=ini, default=None, help=text)
        parser.addini(ini, text, type=kind, default=default)  # type: ignore[arg-type]
    group.addoption(
        "--sms-scenario-dir",
        dest="sms_scenario_dirs",
        action="append",
        default=[],
        metavar="DIR",
        help="look scenario names up in DIR (before the shipped library); repeatable",
    )
    parser.addini(
        "sms_scenario_dirs",
        "folders to look scenario names up in (before the shipped library)",
        type="paths",
        default=[],
    )
    group.addoption(
        "--sms-frozen-time",
        dest="sms_frozen_time",
        action="store_true",
        default=None,
        help="freeze the test process's time at the simulator's virtual now in every test "
        "using a gateway fixture (freezegun)",
    )
    parser.addini(
        "sms_frozen_time",
        "as --sms-frozen-time",
        type="bool",
        default=False,
    )


def _value(config: pytest.Config, name: str) -> str | None:
    given = config.getoption(name)
    if given is None:
        given = config.getini(name)
    if given is None or given == "":
        return None
    return str(given)


def read_settings(config: pytest.Config) -> PluginSettings:
    """The settings, or a :class:`pytest.UsageError` naming the bad one."""
    seed_text = _value(config, "sms_seed")
    try:
        seed = 0 if seed_text is None else int(seed_text)
    except ValueError:
        raise pytest.UsageError(f"--sms-seed / sms_seed: not an integer: {seed_text!r}") from None
    start_text = _value(config, "sms_start") or DEFAULT_START
    try:
        start = parse_instant(start_text)
    except InstantFormatError as exc:
        raise pytest.UsageError(f"--sms-start / sms_start: {exc}") from None
    given_dirs = [Path(d).resolve() for d in config.getoption("sms_scenario_dirs")]
    ini_dirs = [Path(d) for d in config.getini("sms_scenario_dirs")]
    frozen = config.getoption("sms_frozen_time")
    url = _value(config, "sms_sim_url")
    if url is not None and not url.startswith(("http://", "https://")):
        raise pytest.UsageError(f"--sms-sim-url / sms_sim_url: not an http(s) URL: {url!r}")
    return PluginSettings(
        gateway=GatewaySettings(
            start=start,
            seed=seed,
            api_key=_value(config, "sms_api_key") or DEFAULT_API_KEY,
            receiver_host=_value(config, "sms_receiver_host") or "127.0.0.1",
            scenario_dirs=(*given_dirs, *ini_dirs),
            roots=(config.rootpath,),
        ),
        sim_url=url,
        scenario=_value(config, "sms_scenario"),
        frozen_time=bool(config.getini("sms_frozen_time")) if frozen is None else True,
    )
