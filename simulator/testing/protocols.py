"""Protocol types for the plugin's factory fixtures, so editors complete them.

>>> def test_inline(sms_scenario: ScenarioFactory) -> None: ...
"""

from __future__ import annotations

from typing import Any, Protocol

from simulator.core import ScenarioHook
from simulator.testing.scenarios import ScenarioSource


class ScenarioFactory(Protocol):
    """The ``sms_scenario`` fixture: load a scenario into ``sms_gateway`` for this test.

    ``source`` is a name, a path, YAML text or a mapping (None: the built-in behaviour);
    ``overrides`` replace its top-level keys (mappings merge). Everything resets. Returns the
    loaded scenario.
    """

    def __call__(self, source: ScenarioSource, /, **overrides: Any) -> ScenarioHook | None: ...
