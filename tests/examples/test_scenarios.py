# mypy: allow-untyped-defs
import pytest

SLOW_SWISS = """
version: 1
rules:
  - match: {prefix: "4179"}
    timeline:
      - {after: 2m, status: DELIVERED_TO_HANDSET}
"""


@pytest.mark.sms_scenario("absent_subscriber", start="2026-03-01T08:00:00Z")
def test_marker_with_overrides(sms_gateway, my_app):
    my_app.configure(infobip_base_url=sms_gateway.url, api_key=sms_gateway.api_key)
    my_app.send_otp("41793026727")
    message = sms_gateway.wait_for(status="UNDELIVERABLE", to="41793026727")
    assert message.error == "EC_ABSENT_SUBSCRIBER"
    assert message.done_at.isoformat() == "2026-03-01T08:00:30+00:00"


def test_inline_scenarios(sms_gateway, sms_scenario, my_app):
    my_app.configure(infobip_base_url=sms_gateway.url, api_key=sms_gateway.api_key)
    sms_scenario(SLOW_SWISS)  # YAML text; also a dict, a name or a path, with overrides
    my_app.send_otp("41793026727")
    sms_gateway.wait_for(status="DELIVERED", to="41793026727", timeout="5m")
    assert sms_gateway.now_datetime().minute == 2

    sms_scenario({"version": 1, "rules": [{"reject": "REJECTED_NOT_ENOUGH_CREDITS"}]})
    assert sms_gateway.messages() == []  # loading a scenario resets everything
    my_app.send_otp("41793026727")
    sms_gateway.assert_message_sent(to="41793026727", status="REJECTED_NOT_ENOUGH_CREDITS")
