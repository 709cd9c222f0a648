"""Scenarios for the gateway fixtures: what ``@pytest.mark.sms_scenario(...)``, the
``sms_scenario`` factory and ``load_scenario()`` accept, resolved into what a backend loads.

A source is one of:

* ``None``: no scenario, the simulator's built-in behaviour;
* a name (``"absent_subscriber"``): a file ``<name>.yaml`` in a configured scenario
  directory, else the shipped library;
* a path (a ``PathLike``, or a string with a directory part or a ``.yaml`` / ``.yml``
  suffix): relative paths are tried next to the test file, then from the rootdir;
* YAML text (a string with a line break, or one starting with ``{``);
* a mapping, as ``yaml.safe_load`` would give.

``overrides`` replace top-level keys of the document (``seed=3``, ``rules=[...]``); mappings
such as ``defaults`` are merged key by key. For a remote simulator the document is sent as
YAML with the fixtures' start, seed and webhook receiver URLs filled in where the scenario
does not set them (in-process, the same values come from the simulator's configuration).
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from simulator.core import ScenarioHook
from simulator.timefmt import Millis, format_instant

if TYPE_CHECKING:
    from simulator.scenario import Scenario

ScenarioSource = str | os.PathLike[str] | Mapping[str, Any] | None
SUFFIXES = (".yaml", ".yml")
NONE_DOCUMENT: dict[str, Any] = {
    "version": 1,
    "name": "built-in",
    "description": "no scenario: the simulator's built-in behaviour",
}


@dataclass(frozen=True, slots=True)
class Injected:
    """What the fixtures fill into a scenario the scenario does not set (remote mode)."""

    start: Millis | None = None
    seed: int | None = None
    report_url: str | None = None
    inbound_url: str | None = None


def merge(base: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``overrides``: mappings merged key by key, anything else replaced.

    >>> merge({"seed": 1, "defaults": {"price": 0.1}}, {"defaults": {"currency": "USD"}})
    {'seed': 1, 'defaults': {'price': 0.1, 'currency': 'USD'}}
    """
    out = dict(base)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(dict(out[key]), value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def is_yaml_text(source: str) -> bool:
    return "\n" in source or source.lstrip().startswith("{")


class ScenarioPlan:
    """One scenario to load (a :class:`simulator.testing.backends.Loadable`); parsed once."""

    def __init__(
        self,
        kind: str,
        value: Any,
        overrides: Mapping[str, Any],
        label: str,
    ) -> None:
        self.kind = kind
        """``none``, ``library``, ``file``, ``yaml`` or ``dict``."""
        self.value = value
        self.overrides = dict(overrides)
        self.label = label
        self._local: tuple[Scenario | None] | None = None

    def __repr__(self) -> str:
        extra = f", overrides={self.overrides!r}" if self.overrides else ""
        return f"ScenarioPlan({self.label}{extra})"

    def _plain(self) -> Scenario | None:
        from simulator.scenario import load_scenario, parse_scenario, scenario_from_dict

        if self.kind == "none":
            return None
        if self.kind == "library":
            return load_scenario(self.value)
        if self.kind == "file":
            return load_scenario(Path(self.value))
        if self.kind == "yaml":
            return parse_scenario(self.value, source="<inline scenario>")
        return scenario_from_dict(self.value, source="<inline scenario>")

    def local(self) -> ScenarioHook | None:
        """The loaded scenario; a :class:`simulator.scenario.ScenarioError` if it is wrong."""
        if self._local is None:
            from simulator.scenario import scenario_from_dict

            scenario = self._plain()  # file errors keep their line numbers
            if self.overrides:
                source = f"{self.label} with overrides {self.overrides!r}"
                scenario = scenario_from_dict(self.document(), source=source)
            self._local = (scenario,)
        return self._local[0]

    def document(self) -> dict[str, Any]:
        """The scenario as data, overrides applied."""
        if self.kind == "none":
            base = dict(NONE_DOCUMENT)
        elif self.kind == "dict":
            base = copy.deepcopy(dict(self.value))
        else:
            loaded = yaml.safe_load(self._text())
            if not isinstance(loaded, Mapping):  # parsing it has said so already
                raise TypeError(f"{self.label}: a scenario is a mapping")
            base = dict(loaded)
        if not self.overrides:
            return base
        if self.kind != "none" and "name" not in base:
            base["name"] = Path(self.label).stem if self.kind == "file" else "inline"
        return merge(base, self.overrides)

    def _text(self) -> str:
        if self.kind == "yaml":
            text: str = self.value
            return text
        if self.kind == "file":
            return Path(self.value).read_text(encoding="utf-8")
        from simulator.scenario import library_files

        return library_files()[self.value].read_text(encoding="utf-8")

    def remote_yaml(self, given: Injected) -> str:
        """The document for ``POST /__sim/scenario``, with ``given`` filled in where unset."""
        self.local()  # checked here first, so mistakes read as they do in-process
        document = self.document()
        if given.start is not None:
            document.setdefault("start", format_instant(given.start))
        if given.seed is not None:
            document.setdefault("seed", given.seed)
        defaults = dict(document.get("defaults") or {})
        if given.report_url is not None:
            defaults.setdefault("report_url", given.report_url)
        if given.inbound_url is not None:
            defaults.setdefault("inbound_url", given.inbound_url)
        if defaults:
            document["defaults"] = defaults
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


class ScenarioResolver:
    """Turns sources into plans, looking names up in ``directories`` before the library."""

    def __init__(
        self,
        directories: Sequence[Path] = (),
        roots: Sequence[Path] = (),
    ) -> None:
        self.directories = tuple(directories)
        self.roots = tuple(roots)
        self._cache: dict[str, ScenarioPlan] = {}

    def plan(
        self,
        source: ScenarioSource,
        overrides: Mapping[str, Any] | None = None,
        *,
        near: Path | None = None,
    ) -> ScenarioPlan:
        """A plan for ``source`` (see the module docstring); cached per source and overrides."""
        overrides = dict(overrides or {})
        kind, value, label = self._classify(source, near)
        key = json.dumps([kind, value, overrides], sort_keys=True, default=repr)
        plan = self._cache.get(key)
        if plan is None:
            if kind == "none" and overrides:
                kind, value = "dict", {"version": 1}
            plan = self._cache[key] = ScenarioPlan(kind, value, overrides, label)
        return plan

    def _classify(self, source: ScenarioSource, near: Path | None) -> tuple[str, Any, str]:
        if source is None:
            return "none", None, "no scenario"
        if isinstance(source, Mapping):
            return "dict", copy.deepcopy(dict(source)), "<inline scenario>"
        if isinstance(source, str) and is_yaml_text(source):
            return "yaml", source, "<inline scenario>"
        if not isinstance(source, str | os.PathLike):
            raise TypeError(
                f"a scenario is a name, a path, YAML text or a mapping, not {type(source).__name__}"
            )
        raw = os.fspath(source)
        as_path = Path(raw)
        if isinstance(source, os.PathLike) or as_path.suffix in SUFFIXES or len(as_path.parts) > 1:
            found = self._find_file(as_path, near)
            return "file", str(found), str(found)
        for folder in self.directories:
            for suffix in SUFFIXES:
                candidate = folder / f"{raw}{suffix}"
                if candidate.is_file():
                    return "file", str(candidate), str(candidate)
        self._check_library(raw)
        return "library", raw, raw

    def _find_file(self, path: Path, near: Path | None) -> Path:
        if path.is_absolute():
            return path
        bases = [near] if near is not None else []
        for base in [*bases, *self.roots]:
            if (base / path).is_file():
                return base / path
        return path  # load_scenario says it does not exist

    def _check_library(self, name: str) -> None:
        from simulator.scenario import ScenarioError, library_files, load_scenario

        if name in library_files():
            return
        try:
            load_scenario(name)  # raises, listing the shipped scenarios
        except ScenarioError as exc:
            if not self.directories:
                raise
            folders = ", ".join(str(d) for d in self.directories)
            raise ScenarioError.single(
                name,
                f"{exc.first.message}; no {name}.yaml in the scenario directories either "
                f"({folders})",
            ) from None
