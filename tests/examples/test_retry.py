# mypy: allow-untyped-defs
# ruff: noqa: E501
# fmt: off
import pytest


@pytest.mark.sms_scenario("absent_subscriber")
def test_retry_after_failed_delivery(sms_gateway, my_app):
    my_app.configure(infobip_base_url=sms_gateway.url, api_key=sms_gateway.api_key)
    my_app.send_otp("41793026727")
    sms_gateway.advance("10m")
    sms_gateway.assert_delivered_report_pushed(to="41793026727", status="UNDELIVERABLE_NOT_DELIVERED")
