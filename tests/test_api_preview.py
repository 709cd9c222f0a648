"""``POST /sms/1/preview`` against the three examples in Infobip's OpenAPI document."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from schema_check import SchemaChecker

Client = TestClient[web.Request, web.Application]
JSON = dict[str, Any]

CHECKER = SchemaChecker()
PATH = "/sms/1/preview"
REQUESTS = CHECKER.request_examples(PATH, "post")
RESPONSES = CHECKER.response_examples(PATH, "post")
PAIRS = {
    "Preview message count and remaining characters": "Preview response",
    "Preview with message language": "Preview response for request with message language",
    "Preview with transliteration": "Preview response for request with transliteration",
}


def test_the_document_has_the_three_examples() -> None:
    assert set(REQUESTS) == set(PAIRS)
    assert set(RESPONSES) == set(PAIRS.values())


def expected_response(request_name: str) -> JSON:
    """The spec's example answer, with ``originalText`` echoing the request.

    The Greek example's ``originalText`` ends with a stray ``.`` that the request's text (and
    the example's own first ``textPreview``) lack: a typo in the document, so the request's
    text is what an echo must give back.
    """
    expected: JSON = copy.deepcopy(RESPONSES[PAIRS[request_name]])
    request_text = REQUESTS[request_name]["text"]
    if expected["originalText"] != request_text:
        assert request_name == "Preview with transliteration"
        assert expected["originalText"] == request_text + "."
        expected["originalText"] = request_text
    return expected


async def preview(client: Client, body: object) -> JSON:
    response = await client.post(PATH, json=body)
    assert response.status == 200, await response.text()
    assert response.content_type == "application/json"
    result: JSON = await response.json()
    return result


@pytest.mark.parametrize("name", list(PAIRS))
async def test_preview_matches_the_spec_example(client: Client, name: str) -> None:
    body = await preview(client, REQUESTS[name])
    assert body == expected_response(name)
    CHECKER.check(body, CHECKER.response_schema(PATH, "post"), f"preview of {name!r}")


async def test_preview_segmentation_rules(client: Client) -> None:
    cases = [
        ("a" * 160, 1, 0),
        ("a" * 161, 2, 306 - 161),
        ("ж" * 70, 1, 0),
        ("ж" * 71, 2, 134 - 71),
        ("", 1, 160),
    ]
    for text, count, remaining in cases:
        [first] = (await preview(client, {"text": text}))["previews"]
        assert (first["messageCount"], first["charactersRemaining"]) == (count, remaining), text
        assert first["configuration"] == {}
        assert first["textPreview"] == text


async def test_preview_with_both_language_and_transliteration(client: Client) -> None:
    body = await preview(
        client, {"text": "Şşİı", "languageCode": "TR", "transliteration": "TURKISH"}
    )
    configurations = [p["configuration"] for p in body["previews"]]
    assert configurations[0] == {}
    assert len(configurations) >= 2
    assert all(p["messageCount"] >= 1 for p in body["previews"])
    CHECKER.check(body, CHECKER.response_schema(PATH, "post"))


@pytest.mark.parametrize(
    ("request_body", "field"),
    [
        ({"text": "x", "languageCode": "XX"}, "languageCode"),
        ({"text": "x", "languageCode": "tr"}, "languageCode"),
        ({"text": "x", "languageCode": 1}, "languageCode"),
        ({"text": "x", "languageCode": "NONE"}, "languageCode"),  # not in the spec's pattern
        ({"text": "x", "transliteration": "KLINGON"}, "transliteration"),
        ({"text": "x", "transliteration": "greek"}, "transliteration"),
        ({"text": "x", "transliteration": ["GREEK"]}, "transliteration"),
        ({"languageCode": "TR"}, "text"),
        ({"text": None}, "text"),
        ({"text": 5}, None),  # coerced to "5": accepted
        ({"text": "x" * 4097}, "text"),
    ],
)
async def test_preview_rejects_bad_options(
    client: Client, request_body: JSON, field: str | None
) -> None:
    response = await client.post(PATH, json=request_body)
    if field is None:
        assert response.status == 200
        return
    assert response.status == 400, await response.text()
    body = await response.json()
    exception = body["requestError"]["serviceException"]
    assert exception["messageId"] == "BAD_REQUEST"
    assert list(exception["validationErrors"]) == [field]


async def test_preview_accepts_every_documented_option(client: Client) -> None:
    languages = ["TR", "ES", "PT", "AUTODETECT"]
    transliterations = [
        "TURKISH",
        "GREEK",
        "CYRILLIC",
        "SERBIAN_CYRILLIC",
        "BULGARIAN_CYRILLIC",
        "CENTRAL_EUROPEAN",
        "BALTIC",
        "PORTUGUESE",
        "COLOMBIAN",
        "NON_UNICODE",
        "NONE",
        "ALL",
    ]
    schema = CHECKER.response_schema(PATH, "post")
    for language in languages:
        body = await preview(client, {"text": "Ça va? ñ", "languageCode": language})
        CHECKER.check(body, schema, language)
    for transliteration in transliterations:
        body = await preview(client, {"text": "Привет Ως", "transliteration": transliteration})
        CHECKER.check(body, schema, transliteration)


async def test_preview_error_lists_the_allowed_values_in_a_stable_order(client: Client) -> None:
    response = await client.post(PATH, json={"text": "x", "languageCode": "XX"})
    exception = (await response.json())["requestError"]["serviceException"]
    assert exception["validationErrors"] == {
        "languageCode": ["must be one of [AUTODETECT, ES, PT, TR]"]
    }
    response = await client.post(PATH, json={"text": "x", "transliteration": "XX"})
    exception = (await response.json())["requestError"]["serviceException"]
    listed = exception["validationErrors"]["transliteration"][0]
    names = listed.removeprefix("must be one of [").removesuffix("]").split(", ")
    assert names == sorted(names)
    assert len(names) == 12
