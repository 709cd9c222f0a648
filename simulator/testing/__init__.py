"""Testing a system that talks to Infobip's SMS API against the simulator.

The pytest plugin (``conftest_plugin``) is a thin layer over what is here, which works
without pytest too:

* :class:`ThreadedSimulator`: a simulator in a background thread (blocking clients work);
* :class:`SmsGateway` / :class:`AsyncSmsGateway`: what the ``sms_gateway`` and
  ``sms_gateway_async`` fixtures are: clock control, ``wait_for``, inspection, assertions;
* records (:class:`MessageRecord`, :class:`ReportRecord`, :class:`WebhookRecord`,
  :class:`AttemptRecord`, :class:`InboundRecord`, :class:`ApiRequest`): frozen dataclasses;
* :class:`WebhookReceiver`: the built-in receiver reports are pushed to by default;
* :class:`FrozenTime`: freezegun kept at the virtual now;
* :class:`ScenarioFactory`: the ``sms_scenario`` fixture's type.
"""

from simulator.testing.backends import GatewayError
from simulator.testing.frozen import FrozenTime
from simulator.testing.gateway import AnyGateway, AsyncSmsGateway, SmsGateway
from simulator.testing.inspection import Duration, Instant
from simulator.testing.protocols import ScenarioFactory
from simulator.testing.receiver import ReceivedWebhook, WebhookReceiver
from simulator.testing.records import (
    ApiRequest,
    AttemptRecord,
    InboundRecord,
    MessageRecord,
    ReportRecord,
    StatusChange,
    WebhookRecord,
)
from simulator.testing.scenarios import ScenarioSource
from simulator.testing.server import ThreadedSimulator
from simulator.testing.sessions import DEFAULT_API_KEY, DEFAULT_START, GatewaySettings

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_START",
    "AnyGateway",
    "ApiRequest",
    "AsyncSmsGateway",
    "AttemptRecord",
    "Duration",
    "FrozenTime",
    "GatewayError",
    "GatewaySettings",
    "InboundRecord",
    "Instant",
    "MessageRecord",
    "ReceivedWebhook",
    "ReportRecord",
    "ScenarioFactory",
    "ScenarioSource",
    "SmsGateway",
    "StatusChange",
    "ThreadedSimulator",
    "WebhookReceiver",
    "WebhookRecord",
]
