"""Tests for simulator.status: the SMS status and error catalogues."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator import status as st
from simulator.status import (
    DELIVERED_TO_HANDSET,
    EC_ABSENT_SUBSCRIBER,
    EC_MESSAGE_CANCELED,
    EC_UNKNOWN_SUBSCRIBER,
    EC_VALIDITY_EXPIRED,
    ERROR_GROUPS,
    ERRORS,
    ERRORS_BY_ID,
    MISSING_TO,
    NO_ERROR,
    PENDING_ACCEPTED,
    PENDING_ENROUTE,
    REJECTED_DESTINATION,
    REJECTED_DESTINATION_BLOCKLISTED,
    STATUS_GROUPS,
    STATUSES,
    STATUSES_BY_ID,
    ErrorCode,
    StatusCode,
    UnknownCodeError,
    error,
    status,
)

CODES_YML = Path(
    os.environ.get(
        "INFOBIP_ERROR_CODES_YML", str(Path(__file__).parent / "data" / "infobip-error-codes.yml")
    )
)

# Voice-only statuses that the yml lists in its *General* status family; SMS never emits them.
VOICE_ONLY = {"NO_ANSWER", "BUSY", "CANCELLED", "REJECTED"}


# --- catalogue shape ------------------------------------------------------------------------


def test_groups() -> None:
    assert dict(STATUS_GROUPS) == {
        0: "ACCEPTED",
        1: "PENDING",
        2: "UNDELIVERABLE",
        3: "DELIVERED",
        4: "EXPIRED",
        5: "REJECTED",
    }
    assert dict(ERROR_GROUPS) == {
        0: "OK",
        1: "HANDSET_ERRORS",
        2: "USER_ERRORS",
        3: "OPERATOR_ERRORS",
    }


def test_status_ids_unique_and_grouped() -> None:
    assert len(STATUSES) == len(STATUSES_BY_ID)
    for name, code in STATUSES.items():
        assert code.name == name
        assert STATUSES_BY_ID[code.id] is code
        assert STATUS_GROUPS[code.group_id] == code.group_name
        assert name == name.upper()
        assert name not in VOICE_ONLY


def test_error_ids_unique_and_grouped() -> None:
    assert len(ERRORS) == len(ERRORS_BY_ID)
    for name, code in ERRORS.items():
        assert code.name == name
        assert ERRORS_BY_ID[code.id] is code
        assert ERROR_GROUPS[code.group_id] == code.group_name
        assert code.group_name.isupper()  # "OK", never "Ok"
        assert name == name.upper()


def test_catalogues_are_immutable() -> None:
    with pytest.raises(TypeError):
        STATUSES["X"] = PENDING_ENROUTE  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        PENDING_ENROUTE.id = 1  # type: ignore[misc]


def test_every_status_has_a_constant() -> None:
    for name, code in STATUSES.items():
        assert getattr(st, name) is code


@pytest.mark.parametrize(
    "name",
    ["NO_ERROR", "EC_ABSENT_SUBSCRIBER", "EC_UNKNOWN_SUBSCRIBER", "EC_VALIDITY_EXPIRED"]
    + ["EC_MESSAGE_CANCELED", "EC_ABSENT_SUBSCRIBER_SM", "EC_VP_EXPIRED"],
)
def test_error_constants(name: str) -> None:
    assert getattr(st, name) is ERRORS[name]


# --- wire JSON ------------------------------------------------------------------------------


def test_pending_enroute_json() -> None:
    assert PENDING_ENROUTE.to_json() == {
        "groupId": 1,
        "groupName": "PENDING",
        "id": 7,
        "name": "PENDING_ENROUTE",
        "description": "Message sent to next instance",
    }


@pytest.mark.parametrize(
    ("code", "group_id", "code_id", "description"),
    [
        (st.PENDING_ENROUTE, 1, 7, "Message sent to next instance"),
        (st.PENDING_ACCEPTED, 1, 26, "Message sent to next instance"),
        (st.PENDING_WAITING_DELIVERY, 1, 3, "Message sent, waiting for delivery report"),
        (st.DELIVERED_TO_OPERATOR, 3, 2, "Message delivered to operator"),
        (st.DELIVERED_TO_HANDSET, 3, 5, "Message delivered to handset"),
        (st.UNDELIVERABLE_NOT_DELIVERED, 2, 9, "Message sent not delivered"),
        (st.UNDELIVERABLE_REJECTED_OPERATOR, 2, 4, "Message rejected by operator"),
        (st.EXPIRED_EXPIRED, 4, 15, "Message expired"),
        (st.REJECTED_NOT_ENOUGH_CREDITS, 5, 12, "Not enough credits"),
        (st.MESSAGE_ACCEPTED, 0, 0, "Message accepted"),
    ],
    ids=lambda v: v.name if isinstance(v, StatusCode) else "",
)
def test_status_json(code: StatusCode, group_id: int, code_id: int, description: str) -> None:
    got = code.to_json()
    assert got == {
        "groupId": group_id,
        "groupName": STATUS_GROUPS[group_id],
        "id": code_id,
        "name": code.name,
        "description": description,
    }
    assert list(got) == ["groupId", "groupName", "id", "name", "description"]


def test_status_json_with_action() -> None:
    got = st.REJECTED_NETWORK.to_json()
    assert list(got) == ["groupId", "groupName", "id", "name", "description", "action"]
    assert got["action"] == "Contact account manager"
    assert st.REJECTED_FLOODING_FILTER.action == "STOP SPAMMING"
    assert REJECTED_DESTINATION_BLOCKLISTED.to_json() == {
        "groupId": 5,
        "groupName": "REJECTED",
        "id": 14,
        "name": "REJECTED_DESTINATION_BLOCKLISTED",
        "description": "By Destination",
        "action": "Remove destination from blacklist",
    }


def test_no_error_json() -> None:
    got = NO_ERROR.to_json()
    assert got == {
        "groupId": 0,
        "groupName": "OK",
        "id": 0,
        "name": "NO_ERROR",
        "description": "No Error",
        "permanent": False,
    }
    assert list(got) == ["groupId", "groupName", "id", "name", "description", "permanent"]


def test_json_types_survive_serialisation() -> None:
    codes: list[StatusCode | ErrorCode] = [*STATUSES.values(), *ERRORS.values()]
    for code in codes:
        data: dict[str, Any] = json.loads(json.dumps(code.to_json()))
        assert type(data["id"]) is int
        assert type(data["groupId"]) is int
        assert type(data["name"]) is str
        assert type(data["description"]) is str
    for err in ERRORS.values():
        assert type(err.to_json()["permanent"]) is bool
    assert json.dumps(NO_ERROR.to_json()).endswith('"permanent": false}')


def test_published_error_texts() -> None:
    assert EC_ABSENT_SUBSCRIBER.id == 27
    assert EC_ABSENT_SUBSCRIBER.group_id == 1
    assert EC_ABSENT_SUBSCRIBER.group_name == "HANDSET_ERRORS"
    assert EC_ABSENT_SUBSCRIBER.permanent is False
    assert EC_ABSENT_SUBSCRIBER.description == "Absent Subscriber"
    assert EC_UNKNOWN_SUBSCRIBER.to_json() == {
        "groupId": 1,
        "groupName": "HANDSET_ERRORS",
        "id": 1,
        "name": "EC_UNKNOWN_SUBSCRIBER",
        "description": "Unknown Subscriber",
        "permanent": True,
    }
    assert (EC_MESSAGE_CANCELED.id, EC_MESSAGE_CANCELED.group_name) == (4100, "USER_ERRORS")
    assert (EC_VALIDITY_EXPIRED.id, EC_VALIDITY_EXPIRED.permanent) == (4101, True)


@pytest.mark.parametrize(
    ("name", "description"),
    [
        ("EC_ABSENT_SUBSCRIBER_SM", "Absent Subscriber SM"),
        ("EC_SUBSCRIBER_BUSY_FOR_MT_SMS", "Subscriber Busy For MT SMS"),
        ("EC_SM_DF_MEMORYCAPACITYEXCEEDED", "SM DF Memory Capacity Exceeded"),
        ("EC_SM_DF_SUBSCRIBERNOTSC_SUBSCRIBER", "SM DF Subscriber Not SC Subscriber"),
        ("EC_NOTSUBMITTEDTOSMPPCHANNEL", "Not Submitted To SMPP Channel"),
        ("EC_NOTSUBMITTEDTOGMSC", "Not Submitted To GMSC"),
        ("EC_INVALIDMSCADDRESS", "Invalid MSC Address"),
        ("EC_INVALID_PDU_FORMAT", "Invalid PDU Format"),
        ("EC_IMSI_BLACKLISTED", "IMSI Blacklisted"),
        ("EC_10DLC_LIMIT_REACHED", "10DLC Limit Reached"),
        ("EC_CAMPAIGNID_NOT_PROVISIONED", "Campaign ID Not Provisioned"),
        ("EC_DUPLICATED_INVOKE_ID", "Duplicated Invoke ID"),
        ("EC_VP_EXPIRED", "VP Expired"),
        ("EC_TF_NUMBER_NOT_VERIFIED", "TF Number Not Verified"),
        ("EC_USSD_BUSY", "USSD Busy"),
        ("EC_CUG_REJECT", "CUG Reject"),
        ("EC_SS_INCOMPATIBILITY", "SS Incompatibility"),
        ("EC_NNR_MTPFAILURE", "NNR MTP Failure"),
        ("EC_OR_NOREASONGIVEN", "OR No Reason Given"),
        ("EC_UA_RESOURCEUNAVAILABLE", "UA Resource Unavailable"),
        ("EC_NC_PROVIDEROUTOFINVOKE", "NC Provider Out Of Invoke"),
        # "Or" inside a word run is the conjunction, not the OR (open refuse) prefix.
        ("EC_PA_SUPPORTINGDIALOGORTRANSACTIONREALEASED",
         "PA Supporting Dialog Or Transaction Realeased"),
    ],
)  # fmt: skip
def test_derived_error_descriptions(name: str, description: str) -> None:
    assert ERRORS[name].description == description


def test_descriptions_are_short_texts() -> None:
    codes: list[StatusCode | ErrorCode] = [*STATUSES.values(), *ERRORS.values()]
    for code in codes:
        assert 0 < len(code.description) <= 60, code.name
        assert not code.description.endswith(".")


# --- lookup ---------------------------------------------------------------------------------


def test_pending() -> None:
    assert PENDING_ENROUTE.is_pending
    assert PENDING_ACCEPTED.is_pending
    assert st.MESSAGE_ACCEPTED.is_pending
    assert not DELIVERED_TO_HANDSET.is_pending
    assert not st.EXPIRED_EXPIRED.is_pending
    assert not MISSING_TO.is_pending
    assert {c.group_id for c in STATUSES.values() if c.is_pending} == {0, 1}


def test_lookup_by_name_any_case() -> None:
    assert status("PENDING_ENROUTE") is PENDING_ENROUTE
    assert status("pending_enroute") is PENDING_ENROUTE
    assert error("ec_absent_subscriber") is EC_ABSENT_SUBSCRIBER
    # the mappings themselves are keyed by canonical (upper-case) name only
    assert "pending_enroute" not in STATUSES


def test_status_aliases() -> None:
    assert status("REJECTED_INVALID_DESTINATION") is REJECTED_DESTINATION
    assert status("rejected_invalid_destination") is REJECTED_DESTINATION
    assert REJECTED_DESTINATION.id == 52
    assert REJECTED_DESTINATION.name == "REJECTED_DESTINATION"
    assert status("REJECTED_DESTINATION_BLOCKLISTED").id == 14
    assert MISSING_TO.id == 51


def test_error_legacy_aliases() -> None:
    assert error("EC_Cancelled") is EC_MESSAGE_CANCELED
    assert error("EC_ValidityExpired") is EC_VALIDITY_EXPIRED
    assert error("EC_invalidPduFurmat") is ERRORS_BY_ID[4096]
    # other legacy mixed-case spellings match case-insensitively
    assert error("EC_SM_DF_memoryCapacityExceeded").id == 256
    assert error("EC_NotSubmittedToSmppChannel").id == 4102
    assert error("EC_InvalidMscAddress").id == 2051


def test_unknown_status_suggests() -> None:
    with pytest.raises(UnknownCodeError, match="PENDING_ENROUTE") as info:
        status("PENDING_ENRUOTE")
    assert isinstance(info.value, KeyError)
    assert str(info.value).startswith("unknown SMS status 'PENDING_ENRUOTE'")
    with pytest.raises(KeyError, match="REJECTED_INVALID_DESTINATION"):
        status("REJECTED_INVALID_DESTINATON")


def test_unknown_error_suggests() -> None:
    with pytest.raises(UnknownCodeError, match="EC_ABSENT_SUBSCRIBER"):
        error("EC_ABSENT_SUBSCRIBR")
    with pytest.raises(UnknownCodeError, match="no close match"):
        error("TOTALLY_DIFFERENT_THING_XYZ")


def test_voice_only_status_is_explained() -> None:
    with pytest.raises(UnknownCodeError, match="voice-only"):
        status("NO_ANSWER")


# --- against the docs catalogue (yml) -------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue() -> dict[str, Any]:
    assert CODES_YML.is_file(), f"reference catalogue not found at {CODES_YML}"
    with CODES_YML.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def _family(catalogue: dict[str, Any], family: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    (fam,) = [f for f in catalogue["families"] if f["family"] == family]
    return [(group, code) for group in fam["groups"] for code in group["codes"]]


def test_yml_sms_statuses_present(catalogue: dict[str, Any]) -> None:
    seen = set()
    for group, code in _family(catalogue, "General status codes"):
        if code["name"] in VOICE_ONLY:
            continue  # voice calls only (no answer / busy / cancelled / declined)
        ours = STATUSES[code["name"]]
        seen.add(ours.name)
        assert ours.id == code["id"]
        assert ours.description != code["description"]  # never the long docs text
        if code["name"] == "SIGNALS_BLOCKED" and group["group_id"] == 4:
            continue  # listed under EXPIRED and REJECTED; our canonical group is REJECTED
        assert ours.group_id == group["group_id"], code["name"]
    # statuses only the legacy table has
    legacy_only = {"MESSAGE_ACCEPTED", "PENDING_TIME_VIOLATION", "EXPIRED_UNKNOWN"}
    legacy_only |= {"REJECTED_NOT_REACHABLE"}
    assert set(STATUSES) == seen | legacy_only
    assert st.SIGNALS_BLOCKED.group_name == "REJECTED"


def test_yml_sms_errors_present(catalogue: dict[str, Any]) -> None:
    seen = set()
    for group, code in _family(catalogue, "General error codes"):
        ours = ERRORS[code["name"]]
        seen.add(ours.name)
        assert ours.id == code["id"]
        assert ours.permanent is code["permanent"], code["name"]
        assert ours.description != code["description"]  # never the long docs text
        if code["name"] == "EC_NOTSUBMITTEDTOSMPPCHANNEL" and group["group_id"] == 3:
            continue  # listed under USER_ERRORS and OPERATOR_ERRORS; ours is USER_ERRORS
        assert ours.group_id == group["group_id"], code["name"]
    assert set(ERRORS) == seen | {"EC_USSD_BUSY", "EC_INITIATING_RELEASE"}
    assert ERRORS["EC_NOTSUBMITTEDTOSMPPCHANNEL"].group_name == "USER_ERRORS"


def test_legacy_only_errors() -> None:
    ussd, release = ERRORS_BY_ID[72], ERRORS_BY_ID[511]
    assert (ussd.name, ussd.permanent, ussd.description) == ("EC_USSD_BUSY", True, "USSD Busy")
    assert (release.name, release.permanent) == ("EC_INITIATING_RELEASE", False)
    assert isinstance(ussd, ErrorCode)
