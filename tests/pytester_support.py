"""Shared by the plugin's pytester tests: the inner runs' configuration and a runner."""

from __future__ import annotations

# Imported once here, so in-process runs share these modules (pytester drops what a run
# imported when it ends; importing them anew every run is slow and splits class identities).
import aiohttp  # noqa: F401
import infobip_api_client.api.sms_api  # noqa: F401
import infobip_api_client.models  # noqa: F401
import pytest
import requests  # noqa: F401

import simulator.scenario  # noqa: F401

INI = """
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
filterwarnings = error
addopts = -p no:cacheprovider
"""
"""Inner runs are as strict as this suite: any warning the plugin causes fails them."""

SEND = '''
import requests


def send(gateway, to="41793026727", text="Hi", **extra):
    """POST /sms/3/messages with one destination; returns the JSON answer."""
    message = {"destinations": [{"to": to}], "content": {"text": text}, **extra}
    response = requests.post(
        f"{gateway.url}/sms/3/messages",
        headers={"Authorization": f"App {gateway.api_key}"},
        json={"messages": [message]},
        timeout=10,
    )
    return response.json()
'''
"""A helper module (``helpers.py``) for the inner tests."""


def prepare(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(helpers=SEND)


UNRELATED = ("-p", "no:hypothesispytest", "-p", "no:benchmark", "-p", "no:faker")
"""Plugins the inner runs do not need (hypothesis alone costs a second to import each run)."""


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """An in-process run (fast), verbose so outcomes are easy to match."""
    return pytester.runpytest_inprocess("-v", *UNRELATED, *args)
