"""Infobip SMS message status and error catalogues, as data.

Every message the simulator reports carries a *status* object
``{groupId, groupName, id, name, description, action?}`` and an *error* object
``{groupId, groupName, id, name, description, permanent}``.  This module holds both
catalogues for the SMS channel, built at import time from the compact tables below.

Sources (see ``shared/reference/infobip-sms-api.md`` section 6):

* Status ids, groups, names and *short* descriptions (the texts the API really puts in
  ``status.description``) come from the legacy status table and the OpenAPI examples.
  The long explanations of the current docs page are documentation only; they are
  never emitted.  Rows marked ``# ours`` have no published short text: we wrote one in
  the same style.  Voice-only statuses (NO_ANSWER, BUSY, CANCELLED, REJECTED, ...) are
  left out.
* Error ids, groups and ``permanent`` flags follow the current docs (CODES).  Two codes
  that only the legacy table has are added: 72 EC_USSD_BUSY and 511
  EC_INITIATING_RELEASE (legacy ``permanent`` flags; their group is our choice,
  HANDSET_ERRORS, next to their MAP neighbours).
* Error descriptions: Infobip publishes short Title Case texts for only a few codes
  ("No Error", "Unknown Subscriber", "Absent Subscriber").  All others are **derived by
  us from the name**: drop ``EC_``, split on ``_`` and on camel-case humps of the legacy
  spelling, capitalise each word and keep acronyms (SM, MT, SMS, SC, MSC, PDU, SMPP,
  ...) upper case, e.g. ``EC_ABSENT_SUBSCRIBER_SM`` gives "Absent Subscriber SM" and
  ``EC_SM_DF_memoryCapacityExceeded`` gives "SM DF Memory Capacity Exceeded".

Canonical-name choices (one name per id; the other spelling is an alias of
:func:`status` / :func:`error`):

* id 14 is ``REJECTED_DESTINATION_BLOCKLISTED`` (current docs).  The legacy table
  calls it ``REJECTED_DESTINATION``, but that name belongs to id 52 in the current
  docs, so it cannot also be an alias of 14: ``status("REJECTED_DESTINATION")`` is 52.
  Id 14 keeps the legacy short text "By Destination" and its action.
* id 52 is ``REJECTED_DESTINATION`` (current docs); ``REJECTED_INVALID_DESTINATION``
  (third-party SDK enums) is an alias.
* id 87 ``SIGNALS_BLOCKED`` is listed under both EXPIRED and REJECTED in the docs; we
  put it in REJECTED (5).  Use ``dataclasses.replace`` for an EXPIRED variant.
* error 4102 ``EC_NOTSUBMITTEDTOSMPPCHANNEL`` is listed under both USER_ERRORS and
  OPERATOR_ERRORS; we keep USER_ERRORS (2).
* legacy error spellings ``EC_Cancelled``, ``EC_ValidityExpired`` and
  ``EC_invalidPduFurmat`` are aliases of 4100, 4101 and 4096; other legacy mixed-case
  names match the canonical ones case-insensitively.

Canonical names are upper case and looked up case-sensitively in the mappings;
:func:`status` and :func:`error` also accept any case and the aliases.

>>> status("pending_enroute").to_json()["id"]
7
>>> error("EC_Cancelled").name
'EC_MESSAGE_CANCELED'
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, TypeVar


@dataclass(frozen=True, slots=True)
class StatusCode:
    """One SMS message status, as the API reports it."""

    id: int
    group_id: int
    group_name: str
    name: str
    description: str
    action: str | None = None

    @property
    def is_pending(self) -> bool:
        """True for non-final statuses (group PENDING, or the v1 ACCEPTED group 0)."""
        return self.group_id in (0, 1)

    def to_json(self) -> dict[str, object]:
        """The wire object, keys in Infobip's order; ``action`` only when set."""
        out: dict[str, object] = {
            "groupId": self.group_id,
            "groupName": self.group_name,
            "id": self.id,
            "name": self.name,
            "description": self.description,
        }
        if self.action is not None:
            out["action"] = self.action
        return out


@dataclass(frozen=True, slots=True)
class ErrorCode:
    """One message error code, as the API reports it."""

    id: int
    group_id: int
    group_name: str
    name: str
    description: str
    permanent: bool

    def to_json(self) -> dict[str, object]:
        """The wire object, keys in Infobip's order."""
        return {
            "groupId": self.group_id,
            "groupName": self.group_name,
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "permanent": self.permanent,
        }


class UnknownCodeError(KeyError):
    """Raised by :func:`status` / :func:`error` for a name not in the catalogue."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # KeyError would repr() the message
        return self.message


STATUS_GROUPS: Final[Mapping[int, str]] = MappingProxyType(
    {0: "ACCEPTED", 1: "PENDING", 2: "UNDELIVERABLE", 3: "DELIVERED", 4: "EXPIRED", 5: "REJECTED"}
)
ERROR_GROUPS: Final[Mapping[int, str]] = MappingProxyType(
    {0: "OK", 1: "HANDSET_ERRORS", 2: "USER_ERRORS", 3: "OPERATOR_ERRORS"}
)

# id | group | name | short description (as emitted) | action      (# comment)
_STATUS_TABLE = """
 0 | 0 | MESSAGE_ACCEPTED                    | Message accepted |
 1 | 1 | PENDING_TIME_VIOLATION              | Time window violation |
 3 | 1 | PENDING_WAITING_DELIVERY            | Message sent, waiting for delivery report |
 7 | 1 | PENDING_ENROUTE                     | Message sent to next instance |
26 | 1 | PENDING_ACCEPTED                    | Message sent to next instance |  # as SPEC examples
 4 | 2 | UNDELIVERABLE_REJECTED_OPERATOR     | Message rejected by operator |
 9 | 2 | UNDELIVERABLE_NOT_DELIVERED         | Message sent not delivered |
31 | 2 | UNDELIVERABLE_NOT_SENT              | Message not sent |  # ours
 2 | 3 | DELIVERED_TO_OPERATOR               | Message delivered to operator |
 5 | 3 | DELIVERED_TO_HANDSET                | Message delivered to handset |
15 | 4 | EXPIRED_EXPIRED                     | Message expired |
22 | 4 | EXPIRED_UNKNOWN                     | Unknown Reason |  # legacy only
29 | 4 | EXPIRED_DLR_UNKNOWN                 | Message expired, delivery status unknown |  # ours
 6 | 5 | REJECTED_NETWORK                    | Network is forbidden | Contact account manager
 8 | 5 | REJECTED_PREFIX_MISSING             | Number prefix missing |
10 | 5 | REJECTED_DND                        | Destination on DND list |
11 | 5 | REJECTED_SOURCE                     | Invalid Source address |
12 | 5 | REJECTED_NOT_ENOUGH_CREDITS         | Not enough credits |
13 | 5 | REJECTED_SENDER                     | By Sender | Remove sender from blacklist
14 | 5 | REJECTED_DESTINATION_BLOCKLISTED    | By Destination | Remove destination from blacklist
16 | 5 | REJECTED_NOT_REACHABLE              | Network not reachable |  # legacy only
17 | 5 | REJECTED_PREPAID_PACKAGE_EXPIRED    | Prepaid package expired | \
Top-Up your account to extend the validty period
18 | 5 | REJECTED_DESTINATION_NOT_REGISTERED | Destination not registered |
19 | 5 | REJECTED_ROUTE_NOT_AVAILABLE        | Route not available | Contact account manager
20 | 5 | REJECTED_FLOODING_FILTER            | Rejected flooding | STOP SPAMMING
21 | 5 | REJECTED_SYSTEM_ERROR               | System error |
23 | 5 | REJECTED_DUPLICATE_MESSAGE_ID       | Rejected duplicate message ID |
24 | 5 | REJECTED_INVALID_UDH                | Rejected invalid UDH |
25 | 5 | REJECTED_MESSAGE_TOO_LONG           | Rejected message too long |
51 | 5 | MISSING_TO                          | Destination address missing |  # ours
52 | 5 | REJECTED_DESTINATION                | Destination address invalid |  # ours
87 | 5 | SIGNALS_BLOCKED                     | Rejected by anti-fraud mechanism |  # ours
100| 5 | UNDELIVERABLE_REJECTED_PLATFORM     | Message rejected by platform |  # ours
"""
# ("validty" in 17's action is Infobip's own typo, kept as the API emits it.)

_STATUS_ALIASES: Final[Mapping[str, str]] = MappingProxyType(
    {"REJECTED_INVALID_DESTINATION": "REJECTED_DESTINATION"}
)
_VOICE_ONLY_STATUSES: Final = frozenset({"NO_ANSWER", "BUSY", "CANCELLED", "REJECTED"})

# "[group]" starts a group; rows are "id permanent(T/F) spelling".  The spelling's
# upper case is the canonical name; its camel-case humps only feed _describe().
_ERROR_TABLE = """
[0]
0 F NO_ERROR
[1]
1 T EC_UNKNOWN_SUBSCRIBER
2 F EC_UNKNOWN_BASE_STATION
5 F EC_UNIDENTIFIED_SUBSCRIBER
6 F EC_ABSENT_SUBSCRIBER_SM
7 F EC_UNKNOWN_EQUIPMENT
8 F EC_ROAMING_NOT_ALLOWED
9 T EC_ILLEGAL_SUBSCRIBER
11 T EC_TELESERVICE_NOT_PROVISIONED
12 T EC_ILLEGAL_EQUIPMENT
13 F EC_CALL_BARRED
21 F EC_FACILITY_NOT_SUPPORTED
27 F EC_ABSENT_SUBSCRIBER
31 F EC_SUBSCRIBER_BUSY_FOR_MT_SMS
32 F EC_SM_DELIVERY_FAILURE
33 F EC_MESSAGE_WAITING_LIST_FULL
34 F EC_SYSTEM_FAILURE
35 F EC_DATA_MISSING
36 F EC_UNEXPECTED_DATA_VALUE
72 T EC_USSD_BUSY  # legacy only
255 F EC_UNKNOWN_ERROR
256 F EC_SM_DF_memoryCapacityExceeded
257 F EC_SM_DF_equipmentProtocolError
258 F EC_SM_DF_equipmentNotSM_Equipped
259 F EC_SM_DF_unknownServiceCentre
260 F EC_SM_DF_SC_Congestion
261 F EC_SM_DF_invalidSME_Address
262 F EC_SM_DF_subscriberNotSC_Subscriber
500 F EC_PROVIDER_GENERAL_ERROR
502 F EC_NO_RESPONSE
503 F EC_SERVICE_COMPLETION_FAILURE
504 F EC_UNEXPECTED_RESPONSE_FROM_PEER
507 F EC_MISTYPED_PARAMETER
508 F EC_NOT_SUPPORTED_SERVICE
509 F EC_DUPLICATED_INVOKE_ID
511 F EC_INITIATING_RELEASE  # legacy only
565 T EC_CANNOT_RECEIVE_SC
573 T EC_SC_BLOCKED_BY_END_USER
581 F EC_USER_OUT_OF_CREDIT
628 T EC_TEMPORARY_HANDSET_FAILURE
629 T EC_DEST_ADDRESS_UNABLE_TO_RECEIVE_SMS
1024 F EC_OR_appContextNotSupported
1025 F EC_OR_invalidDestinationReference
1026 F EC_OR_invalidOriginatingReference
1027 F EC_OR_encapsulatedAC_NotSupported
1028 F EC_OR_transportProtectionNotAdequate
1029 F EC_OR_noReasonGiven
1030 F EC_OR_potentialVersionIncompatibility
1031 F EC_OR_remoteNodeNotReachable
1152 F EC_NNR_noTranslationForAnAddressOfSuchNature
1153 F EC_NNR_noTranslationForThisSpecificAddress
1154 F EC_NNR_subsystemCongestion
1155 F EC_NNR_subsystemFailure
1156 F EC_NNR_unequippedUser
1157 F EC_NNR_MTPFailure
1158 F EC_NNR_networkCongestion
1159 F EC_NNR_unqualified
1160 F EC_NNR_errorInMessageTransportXUDT
1161 F EC_NNR_errorInLocalProcessingXUDT
1162 F EC_NNR_destinationCannotPerformReassemblyXUDT
1163 F EC_NNR_SCCPFailure
1164 F EC_NNR_hopCounterViolation
1165 F EC_NNR_segmentationNotSupported
1166 F EC_NNR_segmentationFailure
1281 F EC_UA_userSpecificReason
1282 F EC_UA_userResourceLimitation
1283 F EC_UA_resourceUnavailable
1284 F EC_UA_applicationProcedureCancellation
1536 F EC_PA_providerMalfunction
1537 F EC_PA_supportingDialogOrTransactionRealeased
1538 F EC_PA_ressourceLimitation
1539 F EC_PA_maintenanceActivity
1540 F EC_PA_versionIncompatibility
1541 F EC_PA_abnormalMAPDialog
1792 F EC_NC_abnormalEventDetectedByPeer
1793 F EC_NC_responseRejectedByPeer
1794 F EC_NC_abnormalEventReceivedFromPeer
1795 F EC_NC_messageCannotBeDeliveredToPeer
1796 F EC_NC_providerOutOfInvoke
[2]
323 T EC_INVALID_REQUEST_TYPE
351 F EC_INVALID_DESTINATION_ADDRESS
352 T EC_INVALID_REQUEST_DESTINATION
355 T EC_MSG_TEXT_TOO_LONG
368 T EC_INVALID_SOURCE_ADDRESS
433 T EC_ACCOUNT_ACCESS_DENIED
541 F EC_LIMIT_REACHED
542 F EC_QUOTA_REACHED
572 T EC_campaignID_NOT_PROVISIONED
577 T EC_ACC_NOT_PROVISIONED_TO_SMS_DEMO_SC
578 T EC_EXCEEDED_THE_TIME_LIMIT_OF_SMS_DEMO
579 T EC_DEST_ADDRESS_NOT_IN_SMS_DEMO
580 T EC_EXCEEDED_THE_MAX_NUMBER
594 T EC_INVALID_GLOBAL_CAMPAIGN_ID
597 T EC_ACC_HAS_NO_ADRESS_FOR_DESR
598 T EC_INTERACTION_NOT_SUPPORTED
601 T EC_ACC_NOT_2_WAY
603 T EC_CONTENT_BLOCKED
604 T EC_BLOCKED_BY_CAMPAIGN_BLACKLIST
607 T EC_REJECTED_SPAM_BY_OPERATOR
608 F EC_SIGNALS_BLOCKED
609 T EC_SIGNALS_HARD_LIMIT_REACHED
2049 T EC_IMSI_BLACKLISTED
2052 T EC_BLACKLISTED_destinationAddress
2053 T EC_BLACKLISTED_senderAddress
3041 T EC_DEACTIVATED_LIST
4096 T EC_INVALID_PDU_FORMAT
4099 T EC_MONTHLY_LIMIT_REACHED
4100 T EC_MESSAGE_CANCELED
4101 T EC_VALIDITY_EXPIRED
4102 T EC_notSubmittedToSMPPChannel  # also listed under OPERATOR_ERRORS
4103 T EC_DESTINATION_FLOODING
4104 T EC_DESTINATION_TXT_FLOODING
4202 T EC_10DLC_LIMIT_REACHED
[3]
10 T EC_BEARER_SERVICE_NOT_PROVISIONED
15 F EC_CUG_REJECT
20 F EC_SS_INCOMPATIBILITY
24 F EC_NO_RADIO_RESOURCE_AVAILABLE
51 T EC_RESOURCE_LIMITATION
71 F EC_UNKNOWN_ALPHABET
345 T EC_OPERATOR_NOT_FOUND
375 T EC_SOURCE_ADDRESS_IS_BLOCKED
488 T EC_TF_NUMBER_NOT_VERIFIED
501 F EC_INVALID_RESPONSE_RECEIVED
560 T EC_SC_BLOCKED_FOR_END_USER
561 T EC_CONTENT_BLOCKED_BY_OPERATOR
562 T EC_SC_NOT_PROVISIONED
563 T EC_SC_EXPIRED
564 T EC_SC_BLOCKED
566 T EC_DESTINATION_BLOCKED_BY_OPERATOR
568 T EC_DESTINATION_NOT_SMS_PROVISIONED
569 T EC_DEST_ADDRESS_SUSPENDED
571 F EC_CAMPAIGN_ID_REJECTED
574 T EC_BLOCKED_NEW_SUBSCRIPTIONS_FOR_SC
592 T EC_ACCOUNT_NOT_PROVISIONED_FOR_CHANNEL
630 T EC_DEST_OVERLOADED
631 T EC_MOBILE_OPERATOR_NETWORK_ERROR
632 T EC_SMS_REJECTED_BY_MOBILE_OPERATOR
633 T EC_UNKNOWN_MOBILE_OPERATOR
810 T EC_FAILED_MESSAGE_DELIVERY
811 T EC_MESSAGE_EXPIRED
815 T EC_MESSAGE_SUBMITTED_NOT_ACKED
2048 F EC_TIME_OUT
2050 T EC_DEST_ADDRESS_BLACKLISTED
2051 F EC_invalidMSCAddress
4097 F EC_notSubmittedToGMSC
4098 F EC_VP_EXPIRED
5492 T EC_DUPLICATE_MESSAGE
"""

_ERROR_ALIASES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "EC_CANCELLED": "EC_MESSAGE_CANCELED",  # legacy EC_Cancelled
        "EC_VALIDITYEXPIRED": "EC_VALIDITY_EXPIRED",  # legacy EC_ValidityExpired
        "EC_INVALIDPDUFURMAT": "EC_INVALID_PDU_FORMAT",  # legacy EC_invalidPduFurmat (sic)
    }
)

_Code = TypeVar("_Code", StatusCode, ErrorCode)

# Upper-case words kept upper case in derived descriptions.
# fmt: off
_ACRONYMS: Final = frozenset((
    "AC", "CUG", "DF", "DLC", "GMSC", "ID", "IMSI", "MAP", "MSC", "MT", "MTP", "NC", "NNR", "OR",
    "PA", "PDU", "SC", "SCCP", "SM", "SME", "SMPP", "SMS", "SS", "TF", "UA", "USSD", "VP", "XUDT",
))
# fmt: on
_WORD = re.compile(r"\d+[A-Z]*|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")


def _describe(spelling: str) -> str:
    """Title Case description derived from an error name (see module docstring).

    >>> _describe("EC_SM_DF_equipmentNotSM_Equipped")
    'SM DF Equipment Not SM Equipped'
    """
    words: list[str] = []
    for part in spelling.removeprefix("EC_").split("_"):
        for word in _WORD.findall(part):
            if any(c.isdigit() for c in word) or word in _ACRONYMS:
                words.append(word)
            else:
                words.append(word[0].upper() + word[1:].lower())
    return " ".join(words)


def _rows(table: str) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in table.splitlines())
    return [line for line in lines if line]


def _parse_statuses() -> list[StatusCode]:
    out = []
    for row in _rows(_STATUS_TABLE):
        sid, gid, name, desc, action = (cell.strip() for cell in row.split("|"))
        group = int(gid)
        out.append(StatusCode(int(sid), group, STATUS_GROUPS[group], name, desc, action or None))
    return out


def _parse_errors() -> list[ErrorCode]:
    out = []
    group = -1
    for row in _rows(_ERROR_TABLE):
        if row.startswith("["):
            group = int(row.strip("[]"))
            continue
        eid, perm, spelling = row.split()
        name, desc = spelling.upper(), _describe(spelling)
        out.append(ErrorCode(int(eid), group, ERROR_GROUPS[group], name, desc, perm == "T"))
    return out


def _index(items: list[_Code]) -> tuple[Mapping[str, _Code], Mapping[int, _Code]]:
    by_name = {item.name: item for item in items}
    by_id = {item.id: item for item in items}
    if not len(by_name) == len(by_id) == len(items):
        raise AssertionError("duplicate name or id in catalogue table")
    return MappingProxyType(by_name), MappingProxyType(by_id)


STATUSES, STATUSES_BY_ID = _index(_parse_statuses())
ERRORS, ERRORS_BY_ID = _index(_parse_errors())


def _lookup(name: str, kind: str, table: Mapping[str, _Code], aliases: Mapping[str, str]) -> _Code:
    if name in table:
        return table[name]
    key = name.strip().upper()
    key = aliases.get(key, key)
    if key in table:
        return table[key]
    note = ""
    if kind == "status" and key in _VOICE_ONLY_STATUSES:
        note = f" ({key} is a voice-only status)"
    matches = difflib.get_close_matches(key, [*table, *aliases], n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(matches)}?" if matches else "; no close match"
    raise UnknownCodeError(f"unknown SMS {kind} {name!r}{note}{hint}")


def status(name: str) -> StatusCode:
    """The status called ``name`` (any case, aliases accepted).

    >>> status("REJECTED_INVALID_DESTINATION").id
    52
    """
    return _lookup(name, "status", STATUSES, _STATUS_ALIASES)


def error(name: str) -> ErrorCode:
    """The error called ``name`` (any case, legacy aliases accepted)."""
    return _lookup(name, "error", ERRORS, _ERROR_ALIASES)


# Constants: every SMS status ...
MESSAGE_ACCEPTED: Final = STATUSES["MESSAGE_ACCEPTED"]
PENDING_TIME_VIOLATION: Final = STATUSES["PENDING_TIME_VIOLATION"]
PENDING_WAITING_DELIVERY: Final = STATUSES["PENDING_WAITING_DELIVERY"]
PENDING_ENROUTE: Final = STATUSES["PENDING_ENROUTE"]
PENDING_ACCEPTED: Final = STATUSES["PENDING_ACCEPTED"]
UNDELIVERABLE_REJECTED_OPERATOR: Final = STATUSES["UNDELIVERABLE_REJECTED_OPERATOR"]
UNDELIVERABLE_NOT_DELIVERED: Final = STATUSES["UNDELIVERABLE_NOT_DELIVERED"]
UNDELIVERABLE_NOT_SENT: Final = STATUSES["UNDELIVERABLE_NOT_SENT"]
DELIVERED_TO_OPERATOR: Final = STATUSES["DELIVERED_TO_OPERATOR"]
DELIVERED_TO_HANDSET: Final = STATUSES["DELIVERED_TO_HANDSET"]
EXPIRED_EXPIRED: Final = STATUSES["EXPIRED_EXPIRED"]
EXPIRED_UNKNOWN: Final = STATUSES["EXPIRED_UNKNOWN"]
EXPIRED_DLR_UNKNOWN: Final = STATUSES["EXPIRED_DLR_UNKNOWN"]
REJECTED_NETWORK: Final = STATUSES["REJECTED_NETWORK"]
REJECTED_PREFIX_MISSING: Final = STATUSES["REJECTED_PREFIX_MISSING"]
REJECTED_DND: Final = STATUSES["REJECTED_DND"]
REJECTED_SOURCE: Final = STATUSES["REJECTED_SOURCE"]
REJECTED_NOT_ENOUGH_CREDITS: Final = STATUSES["REJECTED_NOT_ENOUGH_CREDITS"]
REJECTED_SENDER: Final = STATUSES["REJECTED_SENDER"]
REJECTED_DESTINATION_BLOCKLISTED: Final = STATUSES["REJECTED_DESTINATION_BLOCKLISTED"]
REJECTED_NOT_REACHABLE: Final = STATUSES["REJECTED_NOT_REACHABLE"]
REJECTED_PREPAID_PACKAGE_EXPIRED: Final = STATUSES["REJECTED_PREPAID_PACKAGE_EXPIRED"]
REJECTED_DESTINATION_NOT_REGISTERED: Final = STATUSES["REJECTED_DESTINATION_NOT_REGISTERED"]
REJECTED_ROUTE_NOT_AVAILABLE: Final = STATUSES["REJECTED_ROUTE_NOT_AVAILABLE"]
REJECTED_FLOODING_FILTER: Final = STATUSES["REJECTED_FLOODING_FILTER"]
REJECTED_SYSTEM_ERROR: Final = STATUSES["REJECTED_SYSTEM_ERROR"]
REJECTED_DUPLICATE_MESSAGE_ID: Final = STATUSES["REJECTED_DUPLICATE_MESSAGE_ID"]
REJECTED_INVALID_UDH: Final = STATUSES["REJECTED_INVALID_UDH"]
REJECTED_MESSAGE_TOO_LONG: Final = STATUSES["REJECTED_MESSAGE_TOO_LONG"]
MISSING_TO: Final = STATUSES["MISSING_TO"]
REJECTED_DESTINATION: Final = STATUSES["REJECTED_DESTINATION"]
SIGNALS_BLOCKED: Final = STATUSES["SIGNALS_BLOCKED"]
UNDELIVERABLE_REJECTED_PLATFORM: Final = STATUSES["UNDELIVERABLE_REJECTED_PLATFORM"]

# ... and the common errors.
NO_ERROR: Final = ERRORS["NO_ERROR"]
EC_UNKNOWN_SUBSCRIBER: Final = ERRORS["EC_UNKNOWN_SUBSCRIBER"]
EC_ABSENT_SUBSCRIBER_SM: Final = ERRORS["EC_ABSENT_SUBSCRIBER_SM"]
EC_ABSENT_SUBSCRIBER: Final = ERRORS["EC_ABSENT_SUBSCRIBER"]
EC_CALL_BARRED: Final = ERRORS["EC_CALL_BARRED"]
EC_SYSTEM_FAILURE: Final = ERRORS["EC_SYSTEM_FAILURE"]
EC_UNKNOWN_ERROR: Final = ERRORS["EC_UNKNOWN_ERROR"]
EC_SM_DF_MEMORYCAPACITYEXCEEDED: Final = ERRORS["EC_SM_DF_MEMORYCAPACITYEXCEEDED"]
EC_INVALID_DESTINATION_ADDRESS: Final = ERRORS["EC_INVALID_DESTINATION_ADDRESS"]
EC_MESSAGE_CANCELED: Final = ERRORS["EC_MESSAGE_CANCELED"]
EC_VALIDITY_EXPIRED: Final = ERRORS["EC_VALIDITY_EXPIRED"]
EC_DEST_ADDRESS_BLACKLISTED: Final = ERRORS["EC_DEST_ADDRESS_BLACKLISTED"]
EC_NOTSUBMITTEDTOGMSC: Final = ERRORS["EC_NOTSUBMITTEDTOGMSC"]
EC_VP_EXPIRED: Final = ERRORS["EC_VP_EXPIRED"]
EC_MESSAGE_EXPIRED: Final = ERRORS["EC_MESSAGE_EXPIRED"]
