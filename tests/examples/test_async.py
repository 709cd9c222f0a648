import aiohttp

from simulator.testing import AsyncSmsGateway


async def test_async_client(sms_gateway_async: AsyncSmsGateway) -> None:
    headers = {"Authorization": f"App {sms_gateway_async.api_key}"}
    body = {"messages": [{"destinations": [{"to": "41793026727"}], "content": {"text": "Hi"}}]}
    async with aiohttp.ClientSession(headers=headers) as http:
        await http.post(f"{sms_gateway_async.url}/sms/3/messages", json=body)
    await sms_gateway_async.advance("10s")  # awaitable: the server runs in this loop
    sms_gateway_async.assert_delivered_report_pushed(to="41793026727", status="DELIVERED")
