"""YAML scenarios: per-number outcomes and timelines, faults, credentials, inbound scripts.

A scenario is read with a *safe* YAML loader into frozen dataclasses (nothing downstream
sees raw dicts) and checked completely at load time; a mistake is a :class:`ScenarioError`
naming the file, line, key path and what would be valid. A loaded :class:`Scenario` is a
:class:`simulator.core.ScenarioHook`: give it to ``Simulator(config, scenario=...)`` or
``Simulator.load(...)``.

>>> scenario = parse_scenario('''
... version: 1
... rules:
...   - match: {prefix: "385"}
...     reject: REJECTED_NOT_ENOUGH_CREDITS
... ''')
>>> scenario.rules[0].outcome.status.name
'REJECTED_NOT_ENOUGH_CREDITS'
>>> parse_scenario("version: 1\\nrules: [{match: {prefx: '4'}, never: true}]")
Traceback (most recent call last):
...
simulator.scenario_yaml.ScenarioError: <string>:2:18: rules[0].match.prefx: unknown key \
'prefx'; did you mean 'prefix'? (valid here: api, during, prefix, regex, sender, suffix, text, to)

The format, the magic numbers of ``default`` and the shipped library are documented in the
README's "Scenarios" section. Shipped scenarios live in ``scenarios/`` in a checkout and in
``simulator/scenarios`` inside the installed package; :func:`load_scenario` finds both.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.resources
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from simulator import scenario_loader as section
from simulator import scenario_rules
from simulator.config import Credential, SimulatorConfig
from simulator.faults import FaultPolicy
from simulator.gateway import OutcomePolicy
from simulator.scenario_model import Defaults, FaultRule, InboundScript, Rule
from simulator.scenario_runtime import InboundDriver, ScenarioFaults, ScenarioPolicy
from simulator.scenario_yaml import Node, ScenarioError, node_from_data, read_yaml, suggest
from simulator.timefmt import Millis

if TYPE_CHECKING:
    from simulator.core import Simulator

__all__ = [
    "Scenario",
    "ScenarioError",
    "library_files",
    "list_scenarios",
    "load_scenario",
    "parse_scenario",
    "scenario_from_dict",
]

T = TypeVar("T")
VERSION = 1
LIST_SECTIONS = ("defaults", "rules", "faults", "inbound")
"""Sections that may be left empty (``rules:`` with nothing after it)."""
TOP_KEYS = {
    "version",
    "name",
    "description",
    "start",
    "seed",
    "credentials",
    "defaults",
    "rules",
    "faults",
    "inbound",
}
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Scenario:
    """A loaded scenario (immutable; one can serve several simulators at once)."""

    name: str
    description: str = ""
    source: str = "<string>"
    start: Millis | None = None
    seed: int | None = None
    credentials: tuple[Credential, ...] | None = None
    """None: keep the configured credentials; empty: accept any well-formed header."""
    defaults: Defaults = Defaults()
    rules: tuple[Rule, ...] = ()
    fault_rules: tuple[FaultRule, ...] = ()
    inbound: tuple[InboundScript, ...] = ()

    # -- simulator.core.ScenarioHook -----------------------------------------------------------
    def apply(self, config: SimulatorConfig) -> SimulatorConfig:
        """``config`` with this scenario's start, seed, credentials and defaults."""
        d = self.defaults
        changes: dict[str, object] = {
            "start": self.start,
            "seed": self.seed,
            "credentials": self.credentials,
            "delivery_delay": d.delivery_delay,
            "price_per_sms": d.price,
            "currency": d.currency,
            "mcc_mnc": d.mcc_mnc,
            "default_validity": d.validity,
            "default_report_url": d.report_url,
            "default_inbound_url": d.inbound_url,
        }
        given = {key: value for key, value in changes.items() if value is not None}
        return dataclasses.replace(config, **given)  # type: ignore[arg-type]

    def policy(self, config: SimulatorConfig) -> OutcomePolicy:
        return ScenarioPolicy(config, self.rules)

    def faults(self) -> FaultPolicy | None:
        if not self.fault_rules:
            return None
        return ScenarioFaults(self.fault_rules, self.seed or 0, self.start or 0)

    def on_reset(self, simulator: Simulator) -> None:
        """Reseed the outcome and fault generators, bind ``"+5m"`` offsets to the clock's
        start, and schedule the scripted inbound messages (replacing any earlier driver)."""
        origin, seed = simulator.clock.start, simulator.config.seed
        policy = simulator.gateway.policy
        if isinstance(policy, ScenarioPolicy):
            policy.reset(origin, seed)
        if isinstance(simulator.faults, ScenarioFaults):
            simulator.faults.bind(origin, seed)
        listeners = simulator.gateway.status_listeners
        listeners[:] = [hears for hears in listeners if not isinstance(hears, InboundDriver)]
        if self.inbound:
            driver = InboundDriver(self.inbound, simulator, self)
            driver.start()
            if driver.replies:
                listeners.append(driver)


# -- loading ----------------------------------------------------------------------------------


MAX_FILE_BYTES = 4 * 1024 * 1024
"""The largest scenario file read (a real one is a few kilobytes)."""


def parse_scenario(text: str, source: str = "<string>", name: str | None = None) -> Scenario:
    """A scenario from YAML text; ``source`` names it in error messages."""
    root = read_yaml(text, source)
    try:
        return _build(root, source, name)
    except RecursionError:  # e.g. a chain of thousands of merge keys (<<: *previous)
        raise ScenarioError.single(source, "the scenario is nested too deeply") from None


def scenario_from_dict(data: object, source: str = "<dict>") -> Scenario:
    """A scenario from already-parsed data (as ``yaml.safe_load`` or ``json.load`` give);
    errors name the key path (there are no lines)."""
    return _build(node_from_data(data, source), source, None)


def load_scenario(name_or_path: str | PathLike[str]) -> Scenario:
    """A shipped scenario by name (``"absent_subscriber"``), or a YAML file by path (anything
    with a directory part or a ``.yaml`` / ``.yml`` suffix)."""
    raw = str(name_or_path)
    as_path = Path(raw)
    if isinstance(name_or_path, PathLike) or as_path.suffix in SUFFIXES or len(as_path.parts) > 1:
        if not as_path.is_file():
            hint = ""
            if as_path.stem in library_files():
                hint = f" (the shipped scenario is loaded by name: {as_path.stem!r})"
            raise ScenarioError.single(raw, f"no such scenario file{hint}")
        try:
            size = as_path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise ScenarioError.single(
                    raw, f"the file is {size} bytes; a scenario may be at most {MAX_FILE_BYTES}"
                )
            text = as_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ScenarioError.single(raw, f"cannot read the file: {exc}") from None
        return parse_scenario(text, raw, as_path.stem)
    files = library_files()
    found = files.get(raw)
    if found is None:
        raise ScenarioError.single(
            raw,
            f"no shipped scenario called {raw!r}{suggest(raw, files)}; shipped: "
            f"{', '.join(sorted(files))} (a file is named by its path, e.g. ./{raw}.yaml)",
        )
    return parse_scenario(found.read_text(encoding="utf-8"), str(found), raw)


def list_scenarios() -> list[str]:
    """The names of the shipped scenarios, sorted."""
    return sorted(library_files())


def library_files() -> dict[str, Traversable]:
    """The shipped scenarios by name: ``simulator/scenarios`` inside an installed package
    (through importlib.resources), else ``scenarios/`` beside the package in a checkout."""
    for folder in _library_folders():
        try:
            if not folder.is_dir():
                continue
            found = {
                entry.name.rsplit(".", 1)[0]: entry
                for entry in folder.iterdir()
                if entry.is_file() and entry.name.endswith(SUFFIXES)
            }
        except OSError:
            continue
        if found:
            return found
    return {}


def _library_folders() -> list[Traversable]:
    folders: list[Traversable] = []
    with contextlib.suppress(ModuleNotFoundError, TypeError):  # not importable as a package
        folders.append(importlib.resources.files("simulator").joinpath("scenarios"))
    folders.append(Path(__file__).resolve().parent.parent / "scenarios")
    return folders


def _build(root: Node, source: str, name: str | None) -> Scenario:
    ctx = root.ctx
    entries = root.mapping(TOP_KEYS, required=("version",))
    version = entries["version"]
    if version.tag != "tag:yaml.org,2002:int" or version.integer() != VERSION:
        written = (
            repr(version.node.value) if not (version.is_mapping or version.is_sequence) else "that"
        )
        raise version.error(
            f"unsupported version {written}; this simulator reads 'version: {VERSION}'"
        )

    def read(key: str, reader: Callable[[Node], T]) -> T | None:
        node = entries.get(key)
        if node is None or (node.is_null and key in LIST_SECTIONS):
            return None
        return ctx.attempt(lambda: reader(node))

    scenario = Scenario(
        name=read("name", Node.string) or name or _stem(source),
        description=(read("description", Node.text) or "").strip(),
        source=source,
        start=read("start", Node.instant),
        seed=read("seed", Node.integer),
        credentials=read("credentials", section.credentials),
        defaults=read("defaults", section.defaults) or Defaults(),
        rules=read("rules", scenario_rules.rules) or (),
        fault_rules=read("faults", section.faults) or (),
        inbound=read("inbound", section.inbound) or (),
    )
    ctx.check()
    return scenario


def _stem(source: str) -> str:
    stem = Path(source).stem
    return stem if stem and not source.startswith("<") else "scenario"
