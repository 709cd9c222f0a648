"""Tests for simulator.encoding: segmentation, national tables, transliteration, preview."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from simulator import encoding
from simulator.encoding import (
    LANGUAGE_CODES,
    TRANSLITERATIONS,
    Segmentation,
    is_gsm7,
    preview,
    segment_binary,
    segment_text,
    transliterate,
)

SPEC = Path(__file__).parent / "data" / "infobip-sms-openapi.json"

ENGLISH = "Let's see how many characters remain unused in this message."
TURKISH = (
    "Mesaj gönderimi yapmadan önce önizleme seçeneğini kullanmanız doğru karar vermenize "
    "yardımcı olur."
)
GREEK = (
    "Ως Μεγαρικό ψήφισμα είναι γνωστή η απόφαση της Εκκλησίας του δήμου των Αθηναίων "
    "(πιθανόν γύρω στο 433/2 π.Χ.) να επιβάλει αυστηρό και καθολικό εμπάργκο στα"
)
GREEK_PREVIEW = (
    "ΩΣ MEΓAPIKO ΨHΦIΣMA EINAI ΓNΩΣTH H AΠOΦAΣH THΣ EKKΛHΣIAΣ TOY ΔHMOY TΩN AΘHNAIΩN "
    "(ΠIΘANON ΓYPΩ ΣTO 433/2 Π.X.) NA EΠIBAΛEI AYΣTHPO KAI KAΘOΛIKO EMΠAPΓKO ΣTA"
)


def as_json(previews: list[tuple[dict[str, object], Segmentation]]) -> list[dict[str, object]]:
    return [
        {
            "textPreview": seg.text,
            "messageCount": seg.message_count,
            "charactersRemaining": seg.characters_remaining,
            "configuration": config,
        }
        for config, seg in previews
    ]


def counts(seg: Segmentation) -> tuple[str, int, int, int]:
    return seg.encoding, seg.characters, seg.message_count, seg.characters_remaining


# --------------------------------------------------------------------------- spec examples
def test_spec_example_plain() -> None:
    assert as_json(preview(ENGLISH, language_code=None, transliteration=None)) == [
        {"textPreview": ENGLISH, "messageCount": 1, "charactersRemaining": 100, "configuration": {}}
    ]


def test_spec_example_language() -> None:
    assert as_json(preview(TURKISH, language_code="TR", transliteration=None)) == [
        {"textPreview": TURKISH, "messageCount": 2, "charactersRemaining": 36, "configuration": {}},
        {
            "textPreview": TURKISH,
            "messageCount": 1,
            "charactersRemaining": 57,
            "configuration": {"language": {"languageCode": "TR"}},
        },
    ]


def test_spec_example_transliteration() -> None:
    assert as_json(preview(GREEK, language_code=None, transliteration="GREEK")) == [
        {"textPreview": GREEK, "messageCount": 3, "charactersRemaining": 46, "configuration": {}},
        {
            "textPreview": GREEK_PREVIEW,
            "messageCount": 1,
            "charactersRemaining": 5,
            "configuration": {"transliteration": "GREEK"},
        },
    ]


def _spec_pairs() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    if not SPEC.exists():
        return []
    operation = json.loads(SPEC.read_text(encoding="utf-8"))["paths"]["/sms/1/preview"]["post"]
    requests = operation["requestBody"]["content"]["application/json"]["examples"]
    responses = operation["responses"]["200"]["content"]["application/json"]["examples"]
    by_text = {r["value"]["previews"][0]["textPreview"]: r["value"] for r in responses.values()}
    return [(r["value"], by_text[r["value"]["text"]]) for r in requests.values()]


def test_spec_examples_from_openapi_document() -> None:
    pairs = _spec_pairs()
    assert len(pairs) == 3
    for request, response in pairs:
        result = preview(
            request["text"],
            language_code=request.get("languageCode"),
            transliteration=request.get("transliteration"),
        )
        assert as_json(result) == response["previews"]


# --------------------------------------------------------------------------- GSM-7
@pytest.mark.parametrize(
    ("length", "parts", "remaining"),
    [(0, 1, 160), (1, 1, 159), (160, 1, 0), (161, 2, 145), (306, 2, 0), (307, 3, 152)],
)
def test_gsm7_boundaries(length: int, parts: int, remaining: int) -> None:
    assert counts(segment_text("a" * length)) == ("GSM7", length, parts, remaining)


def test_extension_characters_count_two() -> None:
    assert counts(segment_text("€" * 80)) == ("GSM7", 160, 1, 0)
    assert counts(segment_text("a" * 159 + "€")) == ("GSM7", 161, 2, 145)
    for char in "^{}\\[~]|€\f":
        assert segment_text(char).characters == 2


def test_escape_pair_is_not_split_across_parts() -> None:
    # The euro sign is the 153rd character: only one septet is left in part 1, so it moves.
    seg = segment_text("a" * 152 + "€" + "a" * 10)
    assert counts(seg) == ("GSM7", 164, 2, 153 - 12)
    # 306 septets would fit two parts by division, but the split escape forces a third part.
    assert counts(segment_text("a" * 152 + "€" + "a" * 152)) == ("GSM7", 306, 3, 152)
    assert counts(segment_text("a" * 151 + "€" + "a" * 153)) == ("GSM7", 306, 2, 0)


def test_empty_text() -> None:
    assert segment_text("") == Segmentation("GSM7", 0, 1, 160, "")
    assert segment_text("", language_code="TR") == Segmentation("GSM7", 0, 1, 155, "")
    assert segment_text("", transliteration="ALL").message_count == 1


def test_is_gsm7() -> None:
    assert is_gsm7("")
    assert is_gsm7("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà{}[]~|^\\€\f")
    assert not is_gsm7("ç")  # only the capital Ç is in the default alphabet
    assert not is_gsm7("`")
    assert not is_gsm7("😀")


def test_table_sizes() -> None:
    # 128 code points minus the escape code.
    assert len(encoding._BASIC) == 127
    assert all(len(table) == 127 for table in encoding._LOCKING.values())
    assert len(encoding._EXTENSION) == 10


# --------------------------------------------------------------------------- UCS-2
@pytest.mark.parametrize(
    ("length", "parts", "remaining"),
    [(1, 1, 69), (70, 1, 0), (71, 2, 63), (134, 2, 0), (135, 3, 66)],
)
def test_ucs2_boundaries(length: int, parts: int, remaining: int) -> None:
    assert counts(segment_text("Ж" * length)) == ("UCS2", length, parts, remaining)


def test_one_non_gsm_character_switches_to_ucs2() -> None:
    assert counts(segment_text("a" * 69 + "ç")) == ("UCS2", 70, 1, 0)


def test_emoji_counts_two_code_units() -> None:
    assert counts(segment_text("😀" * 35)) == ("UCS2", 70, 1, 0)
    # 67 is odd, so part 1 holds 33 emoji (66 units) and part 2 the other 3.
    assert counts(segment_text("😀" * 36)) == ("UCS2", 72, 2, 61)


def test_surrogate_pair_is_not_split() -> None:
    # 66 + 2 > 67: the emoji moves to part 2 (division alone would say 62 remaining).
    assert counts(segment_text("Ж" * 66 + "😀" * 3)) == ("UCS2", 72, 2, 67 - 6)


# --------------------------------------------------------------------------- national tables
@pytest.mark.parametrize("language", ["TR", "ES", "PT"])
@pytest.mark.parametrize(
    ("length", "parts", "remaining"), [(155, 1, 0), (156, 2, 142), (298, 2, 0), (299, 3, 148)]
)
def test_national_boundaries(language: str, length: int, parts: int, remaining: int) -> None:
    seg = segment_text("a" * length, language_code=language)
    assert counts(seg) == ("GSM7", length, parts, remaining)


def test_turkish_uses_cheapest_table_combination() -> None:
    # Locking shift table: ğ and ı are one septet each.
    assert counts(segment_text("Ağrı", language_code="TR")) == ("GSM7", 4, 1, 151)
    # è is not in the Turkish locking table: the single shift table (ğ = 2 septets) is used.
    assert counts(segment_text("èğ", language_code="TR")) == ("GSM7", 3, 1, 152)
    assert counts(segment_text("è" + "ğ" * 10, language_code="TR")) == ("GSM7", 21, 1, 134)
    # Extension characters keep costing two septets with the locking table.
    assert counts(segment_text("{" * 10 + "ğ", language_code="TR")) == ("GSM7", 21, 1, 134)


def test_portuguese_both_tables() -> None:
    # ã is cheap in the locking table, Ω only exists in the single shift table: both tables
    # (7-octet header, 152 septets) beat the single shift table alone (2 * 10 + 1 of 155).
    assert counts(segment_text("ã" * 10 + "Ω", language_code="PT")) == ("GSM7", 12, 1, 140)
    assert counts(segment_text("ã" * 151, language_code="PT")) == ("GSM7", 151, 1, 4)
    assert counts(segment_text("ã" * 150 + "Ω", language_code="PT")) == ("GSM7", 152, 1, 0)
    assert counts(segment_text("ã" * 151 + "Ω", language_code="PT")) == ("GSM7", 153, 2, 146 - 7)


def test_spanish_and_portuguese() -> None:
    assert counts(segment_text("Canción", language_code="ES")) == ("GSM7", 8, 1, 147)
    assert counts(segment_text("Ação", language_code="PT")) == ("GSM7", 4, 1, 151)
    assert counts(segment_text("Ação")) == ("UCS2", 4, 1, 66)


def test_language_falls_back_to_ucs2() -> None:
    assert counts(segment_text("Привет", language_code="TR")) == ("UCS2", 6, 1, 64)


def test_language_none_is_plain() -> None:
    assert segment_text("abc", language_code="NONE") == segment_text("abc")


def test_autodetect() -> None:
    assert counts(segment_text("plain text", language_code="AUTODETECT")) == ("GSM7", 10, 1, 150)
    assert counts(segment_text("Ağrı", language_code="AUTODETECT")) == ("GSM7", 4, 1, 151)
    # Portuguese locking table has ó as a single septet: better than the Spanish single shift.
    assert counts(segment_text("Canción", language_code="AUTODETECT")) == ("GSM7", 7, 1, 148)
    assert segment_text("Привет", language_code="AUTODETECT").encoding == "UCS2"


def test_invalid_options() -> None:
    with pytest.raises(ValueError, match="languageCode"):
        segment_text("x", language_code="DE")
    with pytest.raises(ValueError, match="transliteration"):
        segment_text("x", transliteration="KLINGON")
    with pytest.raises(ValueError, match="transliteration"):
        transliterate("x", "greek")


# --------------------------------------------------------------------------- binary
def test_binary_parsing() -> None:
    assert segment_binary("54 65 73 74") == Segmentation("BINARY", 4, 1, 136, "54 65 73 74")
    assert segment_binary("0048 0065", data_coding=8).characters == 4
    assert segment_binary("de\tad\nbe ef").text == "DE AD BE EF"
    assert segment_binary("") == Segmentation("BINARY", 0, 1, 140, "")


@pytest.mark.parametrize(
    ("octets", "parts", "remaining"), [(140, 1, 0), (141, 2, 127), (268, 2, 0), (269, 3, 133)]
)
def test_binary_boundaries(octets: int, parts: int, remaining: int) -> None:
    seg = segment_binary("ab" * octets)
    assert (seg.characters, seg.message_count, seg.characters_remaining) == (
        octets,
        parts,
        remaining,
    )


@pytest.mark.parametrize(
    ("hex_string", "message"),
    [
        ("123", "even number of hex digits, got 3"),
        ("54 6", "even number of hex digits, got 3"),
        ("zz", "non-hex character 'z' at 0"),
        ("0x41", "non-hex character 'x' at 1"),
    ],
)
def test_binary_errors(hex_string: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        segment_binary(hex_string)


def test_binary_data_coding_range() -> None:
    with pytest.raises(ValueError, match="dataCoding"):
        segment_binary("00", data_coding=256)


# --------------------------------------------------------------------------- transliteration
@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [
        ("NONE", "Ağrı Привет", "Ağrı Привет"),
        ("GREEK", GREEK, GREEK_PREVIEW),
        ("GREEK", "ΐ ϊ ά ς Ψ Latin ç", "I I A Σ Ψ Latin ç"),
        ("TURKISH", "Ağrı Dağı'nda şişe İzmir Çay", "Agri Dagi'nda sise Izmir Çay"),
        ("CENTRAL_EUROPEAN", "Łódź Žižkov Čech Győr Đurđevac", "Lodz Zizkov Cech Gyor Durdevac"),
        ("BALTIC", "Ąžuolas Šiauliai Ėglė Ūla Rīga", "Azuolas Siauliai Egle Ula Riga"),
        ("PORTUGUESE", "Ação São João à noite", "Acao Sao Joao à noite"),
        ("COLOMBIAN", "Bogotá, Medellín, año, Ñandú", "Bogota, Medellin, año, Ñandu"),
        ("NON_UNICODE", "“Hi” – it’s… ok", "\"Hi\" - it's... ok"),
        ("CYRILLIC", "Щука и ёж, Юрий ХАРЬКОВ", "Shchuka i yozh, Yuriy KhARKOV"),
        ("SERBIAN_CYRILLIC", "Ђорђе Жујовић, Љубљана, Џеп", "Djordje Zujovic, Ljubljana, Dzep"),
        ("BULGARIAN_CYRILLIC", "България, щастие, хляб", "Balgariya, shtastie, hlyab"),
        ("ALL", "Ωμέγα Привет Łódź “x”", "ΩMEΓA Privet Lodz \"x\""),
    ],
)  # fmt: skip
def test_transliteration_families(name: str, source: str, expected: str) -> None:
    assert transliterate(source, name) == expected


@pytest.mark.parametrize("name", sorted(TRANSLITERATIONS - {"GREEK", "NONE"}))
def test_latin_families_keep_gsm_characters(name: str) -> None:
    kept = "é è ù ì ò Ç Ø ø Å å Ä ä Ö ö Ñ ñ Ü ü ß É Æ æ {€} ΔΦΓΛΩΠΨΣΘΞ"
    assert transliterate(kept, name) == kept


def test_decomposed_input_is_composed_first() -> None:
    assert transliterate("Ag\u0306ri\u0301", "TURKISH") == "Agri"
    assert transliterate("\u03b1\u0301", "GREEK") == "A"


def test_transliteration_feeds_segmentation() -> None:
    seg = segment_text("Łódź" * 40, transliteration="CENTRAL_EUROPEAN")
    assert counts(seg) == ("GSM7", 160, 1, 0)
    assert seg.text == "Lodz" * 40
    seg = segment_text("Ağrı", language_code="TR", transliteration="TURKISH")
    assert counts(seg) == ("GSM7", 4, 1, 151)
    assert seg.text == "Agri"


def test_all_transliterations_are_handled() -> None:
    for name in TRANSLITERATIONS:
        assert isinstance(transliterate("Ab ç Ж Ω", name), str)
    assert {"TR", "ES", "PT", "AUTODETECT", "NONE"} == LANGUAGE_CODES


# --------------------------------------------------------------------------- preview
def test_preview_combined_entry() -> None:
    result = preview("Ağrı", language_code="TR", transliteration="TURKISH")
    assert [config for config, _ in result] == [
        {},
        {"language": {"languageCode": "TR"}, "transliteration": "TURKISH"},
    ]
    assert counts(result[0][1]) == ("UCS2", 4, 1, 66)
    assert result[1][1].text == "Agri"


def test_preview_without_options_has_one_entry() -> None:
    assert len(preview("x", language_code=None, transliteration=None)) == 1


def test_segmentation_is_frozen() -> None:
    seg = segment_text("x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        seg.message_count = 2  # type: ignore[misc]
