"""Tenant isolation (``isolate_tenants=True``): each API key is its own account. Parallel
tenants never see each other's messages, reports, bulks, webhooks or inbound messages, and
the control plane is scoped by the same ``Authorization`` header (without one it sees all)."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from typing import Any, Final

import pytest
from test_webhooks import START, Client, ClientFactory, Receivers, destination

from simulator.app import make_app
from simulator.config import SimulatorConfig
from simulator.core import Simulator
from simulator.timefmt import MINUTE, format_instant

JSON = dict[str, Any]
Headers = dict[str, str]

ALICE: Final = "alice-key"
BOB: Final = "bob"
AS_ALICE: Final[Headers] = {"Authorization": f"App {ALICE}"}
AS_BOB: Final[Headers] = {"Authorization": "Basic " + base64.b64encode(b"bob:secret").decode()}
"""Basic authentication: the account is the username."""
TENANTS: Final = ((ALICE, AS_ALICE), (BOB, AS_BOB))
PER_TENANT: Final = 25


@pytest.fixture
async def receivers() -> AsyncIterator[Receivers]:
    async with Receivers() as made:
        yield made


class Tenants:
    """A simulator with tenant isolation and a client that sends no default header."""

    def __init__(self, client: Client) -> None:
        self.client = client

    async def call(
        self,
        method: str,
        path: str,
        headers: Headers | None = None,
        *,
        status: int = 200,
        **kwargs: Any,
    ) -> JSON:
        response = await self.client.request(method, path, headers=headers or {}, **kwargs)
        assert response.status == status, await response.text()
        body: JSON = await response.json()
        return body

    async def get(self, route: str, headers: Headers | None = None, /, **params: str) -> JSON:
        return await self.call("GET", route, headers, params=params)

    async def send(
        self, headers: Headers, to: str, bulk_id: str, send_at: str | None = None
    ) -> str:
        schedule = (
            {"bulkId": bulk_id} if send_at is None else {"bulkId": bulk_id, "sendAt": send_at}
        )
        request = {
            "messages": [
                {"sender": "Tenant", "destinations": [{"to": to}], "content": {"text": "hi"}}
            ],
            "options": {"schedule": schedule},
        }
        answer = await self.call("POST", "/sms/3/messages", headers, json=request)
        message_id: str = answer["messages"][0]["messageId"]
        return message_id

    async def advance(self, by: str) -> None:
        await self.call("POST", "/__sim/clock/advance", json={"by": by})


async def start(aiohttp_client: ClientFactory, **settings: Any) -> Tenants:
    config = SimulatorConfig(start=START, seed=7, isolate_tenants=True, **settings)
    client = await aiohttp_client(make_app(Simulator(config)))
    return Tenants(client)


async def send_in_parallel(tenants: Tenants, bulk_id: str = "SHARED-BULK") -> dict[str, set[str]]:
    """``PER_TENANT`` sends per tenant, interleaved and concurrent, all with the same bulkId."""
    jobs = [
        tenants.send(headers, destination(index), bulk_id)
        for index in range(PER_TENANT)
        for _, headers in TENANTS
    ]
    ids = await asyncio.gather(*jobs)
    sent: dict[str, set[str]] = {ALICE: set(), BOB: set()}
    for position, message_id in enumerate(ids):
        sent[TENANTS[position % 2][0]].add(message_id)
    assert len(sent[ALICE]) == len(sent[BOB]) == PER_TENANT
    assert not sent[ALICE] & sent[BOB]
    return sent


def ids_of(results: list[JSON]) -> set[str]:
    return {r["messageId"] for r in results}


# -- the Infobip surface ----------------------------------------------------------------------
async def test_parallel_tenants_see_only_their_own_messages(aiohttp_client: ClientFactory) -> None:
    tenants = await start(aiohttp_client)
    sent = await send_in_parallel(tenants)
    await tenants.advance("3s")

    for key, headers in TENANTS:
        logs = await tenants.get("/sms/3/logs", headers, limit="1000")
        assert ids_of(logs["results"]) == sent[key]
        legacy_logs = await tenants.get("/sms/1/logs", headers, limit="1000")
        assert ids_of(legacy_logs["results"]) == sent[key]
        reports = await tenants.get("/sms/3/reports", headers, limit="1000")
        assert ids_of(reports["results"]) == sent[key]
        assert len(reports["results"]) == PER_TENANT, "each report once"
        again = await tenants.get("/sms/3/reports", headers)
        assert again["results"] == []
        for log in logs["results"]:
            assert log["bulkId"] == "SHARED-BULK"
            assert log["status"]["name"] == "DELIVERED_TO_HANDSET"


async def test_reports_pulled_by_one_tenant_stay_queued_for_the_other(
    aiohttp_client: ClientFactory,
) -> None:
    tenants = await start(aiohttp_client)
    sent = await send_in_parallel(tenants)
    await tenants.advance("3s")
    alice = await tenants.get("/sms/1/reports", AS_ALICE, limit="1000")
    assert ids_of(alice["results"]) == sent[ALICE]
    bob = await tenants.get("/sms/1/reports", AS_BOB, limit="1000")
    assert ids_of(bob["results"]) == sent[BOB]


async def test_bulks_are_per_tenant(aiohttp_client: ClientFactory) -> None:
    tenants = await start(aiohttp_client)
    alice_id = await tenants.send(AS_ALICE, destination(1), "ALICE-ONLY")
    await tenants.send(AS_BOB, destination(2), "BOB-ONLY")
    later = format_instant(START + 60 * MINUTE)
    await tenants.send(AS_ALICE, destination(3), "BOTH", later)
    await tenants.send(AS_BOB, destination(4), "BOTH", later)

    for path in ("/sms/1/bulks", "/sms/1/bulks/status"):
        await tenants.get(path, AS_ALICE, bulkId="ALICE-ONLY")
        await tenants.call("GET", path, AS_BOB, status=404, params={"bulkId": "ALICE-ONLY"})
        await tenants.get(path, AS_BOB, bulkId="BOB-ONLY")
        await tenants.call("GET", path, AS_ALICE, status=404, params={"bulkId": "BOB-ONLY"})

    # Bob pausing his "BOTH" bulk leaves Alice's bulk of the same id alone.
    body = {"status": "PAUSED"}
    await tenants.call("PUT", "/sms/1/bulks/status", AS_BOB, params={"bulkId": "BOTH"}, json=body)
    assert (await tenants.get("/sms/1/bulks/status", AS_BOB, bulkId="BOTH"))["status"] == "PAUSED"
    alice_both = await tenants.get("/sms/1/bulks/status", AS_ALICE, bulkId="BOTH")
    assert alice_both["status"] == "PENDING"
    await tenants.advance("2h")
    [alice_late] = (await tenants.get("/sms/3/logs", AS_ALICE, bulkId="BOTH"))["results"]
    assert alice_late["status"]["name"] == "DELIVERED_TO_HANDSET"
    [bob_late] = (await tenants.get("/sms/3/logs", AS_BOB, bulkId="BOTH"))["results"]
    assert bob_late["status"]["groupName"] == "PENDING", "his bulk is paused"
    logs = await tenants.get("/sms/3/logs", AS_ALICE, bulkId="ALICE-ONLY")
    assert ids_of(logs["results"]) == {alice_id}
    assert (await tenants.get("/sms/3/logs", AS_BOB, bulkId="ALICE-ONLY"))["results"] == []


async def test_message_ids_chosen_by_clients_do_not_collide(
    aiohttp_client: ClientFactory,
) -> None:
    tenants = await start(aiohttp_client)
    for key, headers in TENANTS:
        request = {
            "messages": [
                {
                    "sender": key,
                    "destinations": [{"to": "41793026727", "messageId": "same-id"}],
                    "content": {"text": "hi"},
                }
            ]
        }
        await tenants.call("POST", "/sms/3/messages", headers, json=request)
    for key, headers in TENANTS:
        [log] = (await tenants.get("/sms/3/logs", headers, messageId="same-id"))["results"]
        assert log["sender"] == key


# -- the control plane, scoped by the same header -----------------------------------------------
async def test_the_message_journal_is_scoped(aiohttp_client: ClientFactory) -> None:
    tenants = await start(aiohttp_client)
    sent = await send_in_parallel(tenants)
    for key, headers in TENANTS:
        journal = await tenants.get("/__sim/messages", headers)
        assert {m["messageId"] for m in journal["messages"]} == sent[key]
        assert {m["account"] for m in journal["messages"]} == {key}
    everything = await tenants.get("/__sim/messages")
    assert {m["messageId"] for m in everything["messages"]} == sent[ALICE] | sent[BOB]


async def test_the_request_journal_is_scoped(aiohttp_client: ClientFactory) -> None:
    tenants = await start(aiohttp_client)
    await send_in_parallel(tenants)
    await tenants.get("/sms/3/logs", AS_ALICE)
    for key, headers in TENANTS:
        requests = (await tenants.get("/__sim/requests", headers))["requests"]
        assert {r["account"] for r in requests} == {key}
        expected = PER_TENANT + (1 if key == ALICE else 0)
        assert len(requests) == expected
    everything = (await tenants.get("/__sim/requests"))["requests"]
    assert len(everything) == 2 * PER_TENANT + 1
    sends = await tenants.get("/__sim/requests", AS_BOB, path="/sms/3/messages")
    assert len(sends["requests"]) == PER_TENANT
    assert (await tenants.get("/__sim/requests", AS_BOB, path="/sms/3/logs"))["requests"] == []


async def test_the_webhook_journal_is_scoped_and_batches_never_mix_tenants(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new()
    tenants = await start(aiohttp_client, default_report_url=receiver.url())
    sent = await send_in_parallel(tenants)
    await tenants.advance("3s")

    assert len(receiver.receipts) == 2, "one POST per tenant, though the URL and instant match"
    for receipt in receiver.receipts:
        ids = set(receipt.message_ids)
        assert ids in (sent[ALICE], sent[BOB])
    for key, headers in TENANTS:
        [push] = (await tenants.get("/__sim/webhooks", headers))["webhooks"]
        assert push["account"] == key
        assert set(push["messageIds"]) == sent[key]
    assert len((await tenants.get("/__sim/webhooks"))["webhooks"]) == 2


async def test_inbound_is_injected_into_and_read_from_the_callers_account(
    aiohttp_client: ClientFactory, receivers: Receivers
) -> None:
    receiver = await receivers.new()
    tenants = await start(aiohttp_client, default_inbound_url=receiver.url())
    message = {"from": "385916242493", "to": "385921004026", "text": "HELLO alice"}
    injected = await tenants.call("POST", "/__sim/inbound", AS_ALICE, json=message)
    assert injected["account"] == ALICE
    by_name = await tenants.call(
        "POST", "/__sim/inbound", json={**message, "text": "HELLO bob", "account": BOB}
    )
    assert by_name["account"] == BOB
    # A scoped caller cannot inject into another account by naming it.
    scoped = await tenants.call(
        "POST", "/__sim/inbound", AS_BOB, json={**message, "text": "HI", "account": ALICE}
    )
    assert scoped["account"] == BOB

    alice_inbound = (await tenants.get("/__sim/inbound", AS_ALICE))["inbound"]
    assert [m["messageId"] for m in alice_inbound] == [injected["messageId"]]
    bob_inbound = (await tenants.get("/__sim/inbound", AS_BOB))["inbound"]
    assert [m["messageId"] for m in bob_inbound] == [by_name["messageId"], scoped["messageId"]]
    assert len((await tenants.get("/__sim/inbound"))["inbound"]) == 3

    alice_inbox = await tenants.get("/sms/1/inbox/reports", AS_ALICE)
    assert [m["messageId"] for m in alice_inbox["results"]] == [injected["messageId"]]
    bob_inbox = await tenants.get("/sms/1/inbox/reports", AS_BOB)
    assert len(bob_inbox["results"]) == 2

    await tenants.advance("0s")
    pushes = {
        key: (await tenants.get("/__sim/webhooks", headers, kind="inbound"))["webhooks"]
        for key, headers in TENANTS
    }
    assert [p["messageIds"] for p in pushes[ALICE]] == [[injected["messageId"]]]
    assert len(pushes[BOB]) == 2
    assert all(p["account"] == BOB for p in pushes[BOB])
    assert len(receiver.receipts) == 3


async def test_a_future_inbound_message_goes_to_its_account(
    aiohttp_client: ClientFactory,
) -> None:
    tenants = await start(aiohttp_client)
    message = {
        "from": "385916242493",
        "to": "385921004026",
        "text": "later",
        "at": format_instant(START + MINUTE),
    }
    await tenants.call("POST", "/__sim/inbound", AS_ALICE, json=message)
    await tenants.advance("1m")
    assert len((await tenants.get("/sms/1/inbox/reports", AS_ALICE))["results"]) == 1
    assert (await tenants.get("/sms/1/inbox/reports", AS_BOB))["results"] == []


async def test_a_malformed_header_on_the_control_plane_is_a_400(
    aiohttp_client: ClientFactory,
) -> None:
    tenants = await start(aiohttp_client)
    for path in ("/__sim/messages", "/__sim/requests", "/__sim/webhooks", "/__sim/inbound"):
        body = await tenants.call("GET", path, {"Authorization": "Token nope"}, status=400)
        assert body == {"error": "the Authorization header is malformed", "field": "Authorization"}


# -- without isolation ------------------------------------------------------------------------
async def test_without_isolation_every_key_shares_one_account(
    aiohttp_client: ClientFactory,
) -> None:
    client = await aiohttp_client(make_app(Simulator(SimulatorConfig(start=START))))
    tenants = Tenants(client)
    sent = await send_in_parallel(tenants, bulk_id="ONE")
    everyone = sent[ALICE] | sent[BOB]
    for _, headers in TENANTS:
        logs = await tenants.get("/sms/3/logs", headers, limit="1000")
        assert ids_of(logs["results"]) == everyone
        journal = await tenants.get("/__sim/messages", headers)
        assert {m["messageId"] for m in journal["messages"]} == everyone
        assert {m["account"] for m in journal["messages"]} == {"default"}


async def test_a_tenant_scoped_reset_forgets_only_that_tenant(
    aiohttp_client: ClientFactory,
) -> None:
    simulator = Simulator(SimulatorConfig(start=START, isolate_tenants=True))
    client = await aiohttp_client(make_app(simulator))
    alice = {"Authorization": "App alice"}
    bob = {"Authorization": "App bob"}
    body = {
        "messages": [{"destinations": [{"to": "41793026727"}], "content": {"text": "x"}}],
        "options": {"schedule": {"bulkId": "B", "sendAt": "2026-01-01T10:00:00.000+0000"}},
    }
    for who in (alice, bob):
        assert (await client.post("/sms/3/messages", json=body, headers=who)).status == 200
    await client.post("/__sim/clock/advance", json={"by": "5m"})
    response = await client.post("/__sim/reset", headers=alice)
    assert (await response.json())["now"] == "2026-01-01T09:05:00.000+0000"
    assert (await client.get("/sms/1/bulks", params={"bulkId": "B"}, headers=alice)).status == 404
    await client.post("/__sim/clock/advance", json={"by": "2h"})
    alice_logs = await (await client.get("/sms/3/logs", headers=alice)).json()
    bob_logs = await (await client.get("/sms/3/logs", headers=bob)).json()
    assert alice_logs["results"] == []
    assert [log["status"]["name"] for log in bob_logs["results"]] == ["DELIVERED_TO_HANDSET"]
