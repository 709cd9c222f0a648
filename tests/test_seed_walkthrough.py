"""The product brief's walkthrough (Infobip, 2017: "control and time your SMS campaigns"), end
to end over raw HTTP with ``requests``, as a hand-written client following that page would do it.

The page's requests are used as printed, with the page's ``Authorization: Basic`` header; the
send gets a ``bulkId`` and a future ``sendAt`` (in the page's date format) so that it can be
rescheduled, paused, resumed and cancelled. The virtual clock starts at
2026-01-01T09:00:00.000+0000 and moves only when the test says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from simulator.testing import ThreadedSimulator
from simulator.timefmt import MINUTE, parse_instant

AUTHORIZATION = "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="  # Aladdin:open sesame, as on the page
SEED_TEXT = (
    "The time-traveling is just too dangerous. Better that I devote myself to study the other "
    "great mystery of the universe: women!"
)
DESTINATIONS = ["41793026727", "41793026731"]
PENDING_ENROUTE = {
    "groupId": 1,
    "groupName": "PENDING",
    "id": 7,
    "name": "PENDING_ENROUTE",
    "description": "Message sent to next instance",
}
SEND_AT = "2026-01-01T11:00:00.000+01:00"  # the page's format; 10:00 UTC, an hour from the start
SEND_AT_UTC = "2026-01-01T10:00:00.000+0000"

JSON = Any


class Http:
    """A hand-written client: a ``requests`` session against the simulator's base URL."""

    def __init__(self, base_url: str, session: requests.Session) -> None:
        self.base_url = base_url
        self.session = session

    def call(
        self,
        method: str,
        path: str,
        *,
        body: JSON = None,
        params: dict[str, str] | None = None,
        status: int = 200,
    ) -> JSON:
        response = self.session.request(method, self.base_url + path, json=body, params=params)
        assert response.status_code == status, response.text
        assert response.headers["Content-Type"].startswith("application/json")
        return response.json()

    def send(
        self,
        bulk_id: str | None,
        send_at: str | None = SEND_AT,
        validity: int = 1440,
    ) -> JSON:
        """The page's advanced send, plus ``bulkId`` and ``sendAt`` when given."""
        message: dict[str, Any] = {
            "from": "InfoSMS",
            "destinations": [{"to": to} for to in DESTINATIONS],
            "text": SEED_TEXT,
            "validityPeriod": validity,
        }
        if send_at is not None:
            message["sendAt"] = send_at
        body: dict[str, Any] = {"messages": [message]}
        if bulk_id is not None:
            body["bulkId"] = bulk_id
        return self.call("POST", "/sms/1/text/advanced", body=body)

    def bulk(self, bulk_id: str) -> JSON:
        return self.call("GET", "/sms/1/bulks", params={"bulkId": bulk_id})

    def reschedule(self, bulk_id: str, send_at: str, status: int = 200) -> JSON:
        return self.call(
            "PUT",
            "/sms/1/bulks",
            params={"bulkId": bulk_id},
            body={"sendAt": send_at},
            status=status,
        )

    def status(self, bulk_id: str) -> JSON:
        return self.call("GET", "/sms/1/bulks/status", params={"bulkId": bulk_id})

    def set_status(self, bulk_id: str, status: str, http_status: int = 200) -> JSON:
        return self.call(
            "PUT",
            "/sms/1/bulks/status",
            params={"bulkId": bulk_id},
            body={"status": status},
            status=http_status,
        )

    def reports(self, bulk_id: str | None = None) -> list[JSON]:
        params = {} if bulk_id is None else {"bulkId": bulk_id}
        results: list[JSON] = self.call("GET", "/sms/1/reports", params=params)["results"]
        return results

    def logs(self, bulk_id: str) -> list[JSON]:
        results: list[JSON] = self.call("GET", "/sms/1/logs", params={"bulkId": bulk_id})["results"]
        return results

    def journal(self, bulk_id: str) -> list[JSON]:
        """The simulator's own record of each message (control plane, no auth)."""
        response = requests.get(f"{self.base_url}/__sim/messages", params={"bulkId": bulk_id})
        assert response.status_code == 200, response.text
        messages: list[JSON] = response.json()["messages"]
        return messages


@pytest.fixture
def http(sms_gateway: ThreadedSimulator) -> Iterator[Http]:
    with requests.Session() as session:
        session.headers["Authorization"] = AUTHORIZATION
        yield Http(sms_gateway.url, session)


def assert_seed_answer(answer: JSON, bulk_id: str | None) -> list[str]:
    """The page's send answer: a bulkId, one PENDING_ENROUTE entry per destination."""
    assert isinstance(answer["bulkId"], str)
    assert answer["bulkId"]
    if bulk_id is not None:
        assert answer["bulkId"] == bulk_id
    assert set(answer) == {"bulkId", "messages"}
    messages = answer["messages"]
    assert [{k: v for k, v in m.items() if k != "messageId"} for m in messages] == [
        {"to": to, "status": PENDING_ENROUTE, "smsCount": 1} for to in DESTINATIONS
    ]
    ids = [m["messageId"] for m in messages]
    assert all(isinstance(i, str) and i for i in ids)
    assert len(set(ids)) == len(ids)
    return ids


def assert_v1_bad_request(body: JSON) -> str:
    assert set(body) == {"requestError"}
    exception = body["requestError"]["serviceException"]
    assert exception["messageId"] == "BAD_REQUEST"
    assert set(exception) <= {"messageId", "text", "validationErrors"}
    text: str = exception["text"]
    return text


def minutes_between(later: str, earlier: str) -> float:
    return (parse_instant(later) - parse_instant(earlier)) / MINUTE


# -- the send ---------------------------------------------------------------------------------
def test_the_page_send_is_answered_as_on_the_page(
    sms_gateway: ThreadedSimulator, http: Http
) -> None:
    """Exactly the page's request (no bulkId, no sendAt): a bulkId is made and returned, and
    it fetches the delivery reports afterwards."""
    answer = http.send(bulk_id=None, send_at=None)
    ids = assert_seed_answer(answer, None)
    bulk_id = answer["bulkId"]

    sms_gateway.advance("1m")
    reports = http.reports(bulk_id)
    assert sorted(r["messageId"] for r in reports) == sorted(ids)
    for report in reports:
        assert report["bulkId"] == bulk_id
        assert report["from"] == "InfoSMS"
        assert report["status"]["name"] == "DELIVERED_TO_HANDSET"
        assert report["error"]["name"] == "NO_ERROR"
        assert report["error"]["groupName"] == "OK"
    assert http.reports() == []


def test_the_page_body_verbatim_is_refused_for_its_trailing_comma(
    sms_gateway: ThreadedSimulator, http: Http
) -> None:
    """The page prints ``{"to":"41793026727",}``: not JSON. A 400, in the v1 envelope."""
    verbatim = (
        '{"messages":[{"from":"InfoSMS","destinations":[{"to":"41793026727",},'
        '{"to":"41793026731"}],"text":"' + SEED_TEXT + '","validityPeriod": 1440}]}'
    )
    response = http.session.post(
        sms_gateway.url + "/sms/1/text/advanced",
        data=verbatim.encode(),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert_v1_bad_request(response.json())
    assert requests.get(sms_gateway.url + "/__sim/messages").json()["messages"] == []


# -- reschedule, pause, resume --------------------------------------------------------------------
def test_reschedule_pause_and_resume(sms_gateway: ThreadedSimulator, http: Http) -> None:
    ids = assert_seed_answer(http.send("seed-bulk"), "seed-bulk")
    assert http.bulk("seed-bulk") == {"bulkId": "seed-bulk", "sendAt": SEND_AT_UTC}
    assert http.status("seed-bulk") == {"bulkId": "seed-bulk", "status": "PENDING"}

    # The page's reschedule, to a time after the virtual now: the answer carries the
    # requested sendAt (the page's own answer shows another date, a typo).
    new_time = "2026-01-01T16:00:00.000+0000"
    assert http.reschedule("seed-bulk", new_time) == {"bulkId": "seed-bulk", "sendAt": new_time}
    assert http.bulk("seed-bulk") == {"bulkId": "seed-bulk", "sendAt": new_time}

    # The page's status update.
    assert http.set_status("seed-bulk", "PAUSED") == {"bulkId": "seed-bulk", "status": "PAUSED"}
    assert http.status("seed-bulk") == {"bulkId": "seed-bulk", "status": "PAUSED"}

    sms_gateway.advance_to("2026-01-01T16:30:00.000+0000")  # past the send time
    assert http.status("seed-bulk")["status"] == "PAUSED"
    pending = http.logs("seed-bulk")
    assert sorted(entry["messageId"] for entry in pending) == sorted(ids)
    assert {entry["status"]["groupName"] for entry in pending} == {"PENDING"}
    assert http.reports() == []
    assert [m["sentAt"] for m in http.journal("seed-bulk")] == [None, None]

    # Resumed after its send time: it goes out at once, and is delivered.
    assert http.set_status("seed-bulk", "PENDING") == {"bulkId": "seed-bulk", "status": "PENDING"}
    journal = http.journal("seed-bulk")
    assert [m["sentAt"] for m in journal] == ["2026-01-01T16:30:00.000+0000"] * 2
    assert {entry["status"]["name"] for entry in http.logs("seed-bulk")} == {"PENDING_ENROUTE"}
    assert http.reports() == []

    sms_gateway.advance("1m")
    reports = http.reports("seed-bulk")
    assert sorted(r["messageId"] for r in reports) == sorted(ids)
    for report in reports:
        assert report["status"]["name"] == "DELIVERED_TO_HANDSET"
        assert report["status"]["groupName"] == "DELIVERED"
        assert report["error"] == {
            "groupId": 0,
            "groupName": "OK",
            "id": 0,
            "name": "NO_ERROR",
            "description": "No Error",
            "permanent": False,
        }
        assert report["sentAt"] == "2026-01-01T16:30:00.000+0000"
    assert http.reports() == [], "each report is returned once"
    assert http.status("seed-bulk") == {"bulkId": "seed-bulk", "status": "FINISHED"}

    # Validity (1440 minutes) counts from the send time as rescheduled.
    for message in http.journal("seed-bulk"):
        assert message["sendAt"] == new_time
        assert minutes_between(message["expiresAt"], message["sendAt"]) == 1440

    # Once the messages went out, the bulk can no longer be paused or moved.
    assert "FINISHED" in assert_v1_bad_request(http.set_status("seed-bulk", "PAUSED", 400))
    assert_v1_bad_request(http.reschedule("seed-bulk", "2026-01-02T09:00:00.000+0000", 400))


def test_pending_and_paused_alternate_any_number_of_times(
    sms_gateway: ThreadedSimulator, http: Http
) -> None:
    http.send("seesaw")
    for _ in range(3):
        assert http.set_status("seesaw", "PAUSED")["status"] == "PAUSED"
        assert http.set_status("seesaw", "PENDING")["status"] == "PENDING"
    sms_gateway.advance_to("2026-01-01T10:00:00.000+0000")
    sms_gateway.advance("1m")
    reports = http.reports("seesaw")
    assert [r["status"]["name"] for r in reports] == ["DELIVERED_TO_HANDSET"] * 2
    assert [r["sentAt"] for r in reports] == [SEND_AT_UTC] * 2, "sent at the original time"


# -- cancel ---------------------------------------------------------------------------------
def test_a_cancelled_bulk_is_final_and_never_delivered(
    sms_gateway: ThreadedSimulator, http: Http
) -> None:
    http.send("seed-bulk")
    ids = assert_seed_answer(http.send("seed-bulk-2"), "seed-bulk-2")
    assert http.set_status("seed-bulk-2", "CANCELED") == {
        "bulkId": "seed-bulk-2",
        "status": "CANCELED",
    }

    text = assert_v1_bad_request(
        http.reschedule("seed-bulk-2", "2026-01-01T12:00:00.000+0000", 400)
    )
    assert "canceled" in text.lower()
    for status in ("PENDING", "PAUSED"):
        refused = assert_v1_bad_request(http.set_status("seed-bulk-2", status, 400))
        assert "canceled" in refused.lower()
    assert http.status("seed-bulk-2") == {"bulkId": "seed-bulk-2", "status": "CANCELED"}
    assert http.bulk("seed-bulk-2") == {"bulkId": "seed-bulk-2", "sendAt": SEND_AT_UTC}

    # Not even a new send under the cancelled bulkId gets anything delivered in that bulk
    # (the simulator refuses it; whatever it answers, nothing may go out under it).
    again = {"bulkId": "seed-bulk-2", "messages": [{"destinations": [{"to": "4179"}], "text": "x"}]}
    http.session.post(sms_gateway.url + "/sms/1/text/advanced", json=again)

    sms_gateway.advance("1d")  # far past the send time and the validity
    sms_gateway.run_until_idle()
    reports = http.reports("seed-bulk-2")
    assert sorted(r["messageId"] for r in reports) == sorted(ids)
    for entry in [*reports, *http.logs("seed-bulk-2")]:
        assert entry["status"]["groupName"] == "UNDELIVERABLE"
        assert entry["status"]["name"] == "UNDELIVERABLE_NOT_SENT"
        assert entry["error"]["name"] == "EC_MESSAGE_CANCELED"
    assert http.reports("seed-bulk-2") == []
    statuses = {entry["status"]["groupName"] for entry in http.logs("seed-bulk-2")}
    assert statuses == {"UNDELIVERABLE"}
    assert all(m["sentAt"] is None for m in http.journal("seed-bulk-2"))
    assert all(
        [step["status"] for step in m["timeline"]] == ["PENDING_ENROUTE", "UNDELIVERABLE_NOT_SENT"]
        for m in http.journal("seed-bulk-2")
    )
    # The other bulk was untouched by the cancellation.
    assert {r["status"]["name"] for r in http.reports("seed-bulk")} == {"DELIVERED_TO_HANDSET"}


# -- validity ---------------------------------------------------------------------------------
def test_a_validity_period_of_3000_minutes_becomes_2880(
    sms_gateway: ThreadedSimulator, http: Http
) -> None:
    http.send("long-a", validity=3000)
    http.send("long-b", validity=3000)
    for bulk_id in ("long-a", "long-b"):
        for message in http.journal(bulk_id):
            assert minutes_between(message["expiresAt"], message["sendAt"]) == 2880

    # The same, seen from outside: both bulks are held past their send time, then resumed.
    http.set_status("long-a", "PAUSED")
    http.set_status("long-b", "PAUSED")
    sms_gateway.advance_to("2026-01-03T09:59:00.000+0000")  # 47 h 59 min after the send time
    http.set_status("long-a", "PENDING")
    sms_gateway.advance("1m")  # exactly 48 h after the send time
    http.set_status("long-b", "PENDING")
    sms_gateway.advance("1m")

    assert {r["status"]["name"] for r in http.reports("long-a")} == {"DELIVERED_TO_HANDSET"}
    expired = http.reports("long-b")
    assert len(expired) == 2
    for report in expired:
        assert report["status"]["groupName"] == "EXPIRED"
        assert report["status"]["name"] == "EXPIRED_EXPIRED"
        assert report["error"]["name"] == "EC_VALIDITY_EXPIRED"
        assert report["doneAt"] == "2026-01-03T10:00:00.000+0000"


def test_a_validity_period_within_48_hours_is_kept(http: Http) -> None:
    http.send("short", validity=90)
    for message in http.journal("short"):
        assert minutes_between(message["expiresAt"], message["sendAt"]) == 90


# -- the page's date format -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "as_utc"),
    [
        ("2026-01-02T17:00:00.000+01:00", "2026-01-02T16:00:00.000+0000"),
        ("2026-01-02T17:00:00.000+0100", "2026-01-02T16:00:00.000+0000"),
        ("2026-01-02T16:00:00.000Z", "2026-01-02T16:00:00.000+0000"),
        ("2026-01-02T10:30:00.000-05:30", "2026-01-02T16:00:00.000+0000"),
    ],
)
def test_the_date_format_is_accepted_for_send_and_reschedule(
    http: Http, given: str, as_utc: str
) -> None:
    http.send("dated", send_at=given)
    assert http.bulk("dated") == {"bulkId": "dated", "sendAt": as_utc}
    later = given.replace("2026-01-02", "2026-01-03")
    assert http.reschedule("dated", later) == {
        "bulkId": "dated",
        "sendAt": as_utc.replace("2026-01-02", "2026-01-03"),
    }


def test_the_page_example_instant_itself_is_accepted(
    sms_gateway: ThreadedSimulator, http: Http
) -> None:
    """``2015-07-07T17:00:00.000+01:00`` lies before the virtual now: sent at once."""
    assert_seed_answer(http.send("past", send_at="2015-07-07T17:00:00.000+01:00"), "past")
    assert [m["sentAt"] for m in http.journal("past")] == ["2026-01-01T09:00:00.000+0000"] * 2
