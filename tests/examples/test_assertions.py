# mypy: allow-untyped-defs
import pytest


def test_a_failure_names_the_nearest_misses(sms_gateway, my_app):
    my_app.configure(infobip_base_url=sms_gateway.url, api_key=sms_gateway.api_key)
    my_app.send_otp("41793026728")  # a typo in the number
    sms_gateway.advance("10s")
    with pytest.raises(AssertionError) as failure:
        sms_gateway.assert_delivered_report_pushed(to="41793026727", status="DELIVERED")
    assert str(failure.value).splitlines()[0] == (
        "expected a DELIVERED report for 41793026727; saw no report for that number; "
        "saw a DELIVERED report for another number: 41793026728"
    )
