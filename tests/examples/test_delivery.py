from datetime import timedelta

import requests

from simulator.testing import SmsGateway


def test_message_is_delivered(sms_gateway: SmsGateway) -> None:
    auth = {"Authorization": f"App {sms_gateway.api_key}"}
    requests.post(
        f"{sms_gateway.url}/sms/3/messages",
        headers=auth,
        json={"messages": [{"destinations": [{"to": "41793026727"}], "content": {"text": "Hi"}}]},
        timeout=10,
    )
    message = sms_gateway.wait_for(status="DELIVERED", to="41793026727")
    assert message.statuses == ("PENDING_ACCEPTED", "PENDING_ENROUTE", "DELIVERED_TO_HANDSET")
    assert message.sent_at == sms_gateway.now_datetime() - timedelta(seconds=3)
    reports = requests.get(f"{sms_gateway.url}/sms/3/reports", headers=auth, timeout=10).json()
    assert reports["results"][0]["status"]["name"] == "DELIVERED_TO_HANDSET"
    report = sms_gateway.assert_delivered_report_pushed(to="41793026727", status="DELIVERED")
    assert report.url == sms_gateway.webhook_url
