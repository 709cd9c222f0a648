from datetime import UTC, datetime, timedelta

import requests

from simulator.testing import FrozenTime, SmsGateway


def schedule_reminder(base_url: str, api_key: str, to: str) -> None:
    """Application code: text a reminder in one hour, by its own clock."""
    send_at = datetime.now(UTC) + timedelta(hours=1)
    message = {"destinations": [{"to": to}], "text": "See you", "sendAt": send_at.isoformat()}
    requests.post(
        f"{base_url}/sms/2/text/advanced",
        headers={"Authorization": f"App {api_key}"},
        json={"messages": [message]},
        timeout=10,
    ).raise_for_status()


def test_reminder_goes_out_an_hour_later(
    sms_gateway: SmsGateway, sms_frozen_time: FrozenTime
) -> None:
    assert datetime.now(UTC) == sms_gateway.now_datetime()  # 2026-01-01 09:00 UTC, for both
    schedule_reminder(sms_gateway.url, sms_gateway.api_key, "41793026727")
    sms_gateway.advance("59m")
    assert sms_gateway.message(to="41793026727").status == "PENDING_ACCEPTED"
    sms_gateway.advance("1m")
    assert datetime.now(UTC).hour == 10  # the test process moved with the virtual clock
    sms_gateway.wait_for(status="DELIVERED", to="41793026727", timeout="1m")
