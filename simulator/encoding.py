"""SMS text encoding, transliteration and segmentation (GSM 03.38 / 3GPP TS 23.038).

This module answers the question "how would Infobip send this text?": which data coding
(GSM-7 or UCS-2), how many septets / code units it takes, how many SMS parts it needs and how
many characters are still free in the last part.  It is used by ``POST /sms/1/preview`` and by
the send endpoints (``smsCount`` / ``messageCount``).

Segmentation rules (the user data of one SMS is 140 octets = 160 septets):

* GSM-7, default alphabet: 160 septets in a single part, 153 per part when concatenated (the
  6-octet concatenation header costs 7 septets).  Extension-table characters
  (``^ { } \\ [ ~ ] | €`` and form feed) are an escape pair and count 2 septets; a pair is never
  split across two parts, so parts are counted by walking the text.
* National language tables (``languageCode`` TR / ES / PT): every shift-table information
  element adds 3 octets to the user data header: 155 septets in one part, 149 per part with one
  table; 152 / 146 with both a locking and a single shift table.
* UCS-2: 70 UTF-16 code units in one part, 67 per part; surrogate pairs are never split.
* Binary: 140 octets in one part, 134 per part.

Infobip does not say which national shift mechanism it applies for a ``languageCode``.  Its
Turkish preview example (98 characters including ğ, ç and ı, ``languageCode TR`` -> 1 part,
57 remaining) only works out if every Turkish letter costs one septet behind a 3-octet header,
i.e. the Turkish *locking* shift table.  The encoder therefore tries the language's single shift
table, its locking shift table (TR and PT; Spanish has none) and both together, and keeps the
cheapest encoding, like handset encoders do.

>>> segment_text("Let's see how many characters remain unused in this message.")
Segmentation(encoding='GSM7', characters=60, message_count=1, characters_remaining=100, \
text="Let's see how many characters remain unused in this message.")
>>> segment_text("€" * 80).characters, segment_text("€" * 81).message_count
(160, 2)
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "LANGUAGE_CODES",
    "TRANSLITERATIONS",
    "Segmentation",
    "is_gsm7",
    "preview",
    "segment_binary",
    "segment_text",
    "transliterate",
]

# fmt: off
TRANSLITERATIONS: frozenset[str] = frozenset(
    {
        "NONE", "TURKISH", "GREEK", "CYRILLIC", "SERBIAN_CYRILLIC", "CENTRAL_EUROPEAN",
        "BALTIC", "NON_UNICODE", "PORTUGUESE", "COLOMBIAN", "BULGARIAN_CYRILLIC", "ALL",
    }
)
LANGUAGE_CODES: frozenset[str] = frozenset({"NONE", "TR", "ES", "PT", "AUTODETECT"})
# fmt: on


@dataclass(frozen=True, slots=True)
class Segmentation:
    """How a message is encoded and split into SMS parts."""

    encoding: str  # "GSM7", "UCS2" or "BINARY"
    characters: int  # septets (GSM7), UTF-16 code units (UCS2) or octets (BINARY)
    message_count: int  # number of SMS parts, >= 1 (an empty text is one part)
    characters_remaining: int  # free septets / code units / octets in the last part
    text: str  # the text as it would be sent (after transliteration); normalized hex for binary


# --------------------------------------------------------------------------- character tables
# Only the *sets* of characters matter for counting, not their code points.  The default basic
# table is printable ASCII without ` [ \ ] ^ { | } ~ plus CR, LF and 39 other characters.
_ASCII = string.digits + string.ascii_letters + string.punctuation + " \n\r"
_BASIC = frozenset(_ASCII).difference("`[\\]^{|}~") | frozenset(
    "£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà"
)
_EXTENSION = frozenset("\f^{}\\[~]|€")

# National locking shift tables (TS 23.038 A.3).  Turkish differs from the default table in
# eight positions; the Portuguese table keeps ASCII except [ ] { } and replaces most letters.
_LOCKING: dict[str, frozenset[str]] = {
    "TR": _BASIC.difference("èìØøÆæ¡¿") | frozenset("€ıĞğŞşİç"),
    "PT": frozenset(_ASCII).difference("[]{}") | frozenset("£¥êéúíóçÔôÁáΔªÇÀ∞€ÓÂâÊÉºÍÃÕÚÜ§ãõüà"),
}
# National single shift tables (TS 23.038 A.2): the default extension characters plus these.
_SINGLE: dict[str, frozenset[str]] = {
    "TR": _EXTENSION | frozenset("ĞİŞçğış"),
    "ES": _EXTENSION | frozenset("çÁÍÓÚáíóú"),
    "PT": _EXTENSION | frozenset("êçÔôÁáΦΓΩΠΨΣΘÊÀÍÓÚÃÕÂíóúãõâ"),
}
_GSM_ALL = _BASIC | _EXTENSION


def is_gsm7(text: str) -> bool:
    """True if *text* is encodable in the GSM 03.38 default alphabet (basic + extension).

    >>> is_gsm7("Hello {world} €5"), is_gsm7("Привет")
    (True, False)
    """
    return _GSM_ALL.issuperset(text)


# --------------------------------------------------------------------------- segmentation
def _septet_capacity(header_ie_octets: int) -> int:
    """Septets left in one SMS when the UDH carries information elements of that many octets."""
    if header_ie_octets == 0:
        return 160
    header_bits = (header_ie_octets + 1) * 8  # +1 for the UDH length octet
    return 160 - -(-header_bits // 7)  # the header is padded to a septet boundary


def _octet_capacity(header_ie_octets: int) -> int:
    return 140 if header_ie_octets == 0 else 140 - header_ie_octets - 1


_CONCAT_IE = 5  # IEI 0x00 (8-bit reference): IEI, length, reference, total, sequence number
_SHIFT_IE = 3  # IEI 0x24 / 0x25: IEI, length, language identifier


def _split(costs: Iterable[int], single: int, multi: int) -> tuple[int, int, int]:
    """Return (total units, parts, units remaining in the last part); a unit group never splits."""
    units = list(costs)
    total = sum(units)
    if total <= single:
        return total, 1, single - total
    parts, used = 1, 0
    for cost in units:
        if used + cost > multi:
            parts, used = parts + 1, 0
        used += cost
    return total, parts, multi - used


def _gsm_costs(text: str, basic: frozenset[str], shift: frozenset[str]) -> list[int] | None:
    costs: list[int] = []
    for char in text:
        if char in basic:
            costs.append(1)
        elif char in shift:
            costs.append(2)
        else:
            return None
    return costs


def _gsm_candidates(language: str) -> list[tuple[frozenset[str], frozenset[str], int]]:
    """(basic table, shift table, number of shift IEs) combinations for a national language."""
    single = _SINGLE[language]
    result = [(_BASIC, single, 1)]
    if language in _LOCKING:
        locking = _LOCKING[language]
        result += [(locking, _EXTENSION, 1), (locking, single, 2)]
    return result


def _segment_gsm(text: str, language_code: str | None) -> Segmentation | None:
    if language_code is None or language_code == "NONE":
        candidates = [(_BASIC, _EXTENSION, 0)]
    elif language_code == "AUTODETECT":
        candidates = [(_BASIC, _EXTENSION, 0)]
        for language in ("TR", "ES", "PT"):
            candidates += _gsm_candidates(language)
    else:
        candidates = _gsm_candidates(language_code)
    best: Segmentation | None = None
    for basic, shift, tables in candidates:
        costs = _gsm_costs(text, basic, shift)
        if costs is None:
            continue
        ies = tables * _SHIFT_IE
        total, parts, left = _split(
            costs, _septet_capacity(ies), _septet_capacity(ies + _CONCAT_IE)
        )
        if best is None or (parts, -left) < (best.message_count, -best.characters_remaining):
            best = Segmentation("GSM7", total, parts, left, text)
    return best


def segment_text(
    text: str, *, language_code: str | None = None, transliteration: str | None = None
) -> Segmentation:
    """Transliterate *text*, choose GSM-7 (optionally with national tables) or UCS-2, and split.

    ``language_code`` is one of :data:`LANGUAGE_CODES` (``None``/``"NONE"``: default alphabet
    only; ``"AUTODETECT"``: the cheapest of default, TR, ES and PT).  When the text cannot be
    written in GSM-7 even with the national tables, UCS-2 is used without a national header.

    >>> s = segment_text("Ağrı Dağı", language_code="TR")
    >>> s.encoding, s.characters, s.characters_remaining
    ('GSM7', 9, 146)
    >>> segment_text("Привет 😀")
    Segmentation(encoding='UCS2', characters=9, message_count=1, characters_remaining=61, \
text='Привет 😀')
    """
    if language_code is not None and language_code not in LANGUAGE_CODES:
        raise ValueError(
            f"unknown languageCode {language_code!r}; expected one of {sorted(LANGUAGE_CODES)}"
        )
    if transliteration is not None:
        text = transliterate(text, transliteration)
    gsm = _segment_gsm(text, language_code)
    if gsm is not None:
        return gsm
    costs = (2 if ord(char) > 0xFFFF else 1 for char in text)
    total, parts, left = _split(costs, _octet_capacity(0) // 2, _octet_capacity(_CONCAT_IE) // 2)
    return Segmentation("UCS2", total, parts, left, text)


def segment_binary(hex_string: str, data_coding: int = 0) -> Segmentation:
    """Segment binary content given as hex (``"54 65 73 74"``, ``"0048 0065"``; blanks ignored).

    ``characters`` and ``characters_remaining`` are octets; ``text`` is the normalized hex.
    ``data_coding`` (the SMPP data_coding octet: 0 GSM-7, 8 UCS-2, ...) does not change the
    octet arithmetic and is only range-checked.

    >>> segment_binary("0048 0065")
    Segmentation(encoding='BINARY', characters=4, message_count=1, characters_remaining=136, \
text='00 48 00 65')
    >>> segment_binary("4")
    Traceback (most recent call last):
    ...
    ValueError: hex content must have an even number of hex digits, got 1
    """
    if not 0 <= data_coding <= 255:
        raise ValueError(f"dataCoding must be between 0 and 255, got {data_coding}")
    digits = "".join(hex_string.split())
    for position, char in enumerate(digits):
        if char not in string.hexdigits:
            raise ValueError(f"hex content contains a non-hex character {char!r} at {position}")
    if len(digits) % 2:
        raise ValueError(f"hex content must have an even number of hex digits, got {len(digits)}")
    data = bytes.fromhex(digits)
    total, parts, left = _split((1 for _ in data), _octet_capacity(0), _octet_capacity(_CONCAT_IE))
    return Segmentation("BINARY", total, parts, left, " ".join(f"{b:02X}" for b in data))


# --------------------------------------------------------------------------- transliteration
# Infobip does not publish its transliteration tables.  The tables below are plausible
# approximations; only the GREEK behaviour is pinned down by the OpenAPI preview example.
_GREEK_TO_LATIN = dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True))

# fmt: off
# Latin letters without a canonical/compatibility decomposition.
_LATIN_EXTRA = {
    "ı": "i", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ħ": "h",
    "Ħ": "H", "ŧ": "t", "Ŧ": "T", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ĸ": "k",
    "ŋ": "n", "Ŋ": "N", "ſ": "s", "ƒ": "f", "ǥ": "g", "Ǥ": "G", "ɨ": "i", "Ɨ": "I",
}
# Typographic punctuation (NON_UNICODE and ALL only); NFKD already handles … and NBSP.
_PUNCTUATION = {
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'", "‹": "'",
    "›": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "•": "*",
    "·": ".", "¢": "c", "©": "(c)", "®": "(R)", "™": "TM", "×": "x", "÷": "/",
}

_CYRILLIC_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґўѓќѕ"
_CYRILLIC_LATIN = [
    "a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
    "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "-", "y", "-", "e", "yu", "ya",
    "ye", "i", "yi", "g", "u", "gj", "kj", "dz",
]
# fmt: on
_CYRILLIC = dict(zip(_CYRILLIC_LETTERS, _CYRILLIC_LATIN, strict=True))
_CYRILLIC |= {"ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz"}
# Serbian (Gaj's Latin without the diacritics GSM-7 lacks: ž->z, č/ć->c, š->s, đ->dj).
# fmt: off
_SERBIAN = _CYRILLIC | {
    "ж": "z", "х": "h", "ц": "c", "ч": "c", "ш": "s", "й": "j", "ђ": "dj", "џ": "dz",
}
# fmt: on
# Bulgarian streamlined system (2009).
_BULGARIAN = _CYRILLIC | {"х": "h", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya"}


def _with_capitals(table: dict[str, str]) -> dict[str, str]:
    result = {key: ("" if value == "-" else value) for key, value in table.items()}
    result |= {key.upper(): value.capitalize() for key, value in result.items()}
    return result


_CYRILLIC_TABLES = {
    "CYRILLIC": _with_capitals(_CYRILLIC),
    "SERBIAN_CYRILLIC": _with_capitals(_SERBIAN),
    "BULGARIAN_CYRILLIC": _with_capitals(_BULGARIAN),
}
_LATIN_FAMILIES = frozenset(
    {"TURKISH", "CENTRAL_EUROPEAN", "BALTIC", "NON_UNICODE", "PORTUGUESE", "COLOMBIAN"}
)


def _strip_marks(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))


def _greek(char: str) -> str:
    if not ("\u0370" <= char <= "\u03ff" or "\u1f00" <= char <= "\u1fff"):
        return char
    plain = _strip_marks(char).upper()  # the upper case of final sigma is Σ
    return "".join(_GREEK_TO_LATIN.get(c, c) for c in plain)


def _latin(char: str, punctuation: bool) -> str:
    if char in _GSM_ALL:
        return char
    if unicodedata.combining(char):
        return ""  # a mark that did not compose with its base letter
    if char in _LATIN_EXTRA:
        return _LATIN_EXTRA[char]
    if punctuation and char in _PUNCTUATION:
        return _PUNCTUATION[char]
    folded = "".join(_LATIN_EXTRA.get(c, c) for c in _strip_marks(char))
    return folded if folded and is_gsm7(folded) else char


def transliterate(text: str, transliteration: str) -> str:
    """Replace characters according to an Infobip ``transliteration`` code.

    Infobip does not publish its tables, so these are plausible approximations except where the
    spec's examples pin them (GREEK).  GREEK upper-cases Greek letters, drops accents and maps
    letters to the Latin look-alikes or the Greek capitals of the GSM alphabet.  The Latin
    families (TURKISH, CENTRAL_EUROPEAN, BALTIC, PORTUGUESE, COLOMBIAN, NON_UNICODE) keep GSM-7
    characters and strip other diacritics (NON_UNICODE also folds typographic punctuation).
    CYRILLIC, SERBIAN_CYRILLIC and BULGARIAN_CYRILLIC romanize.  ALL applies GREEK, CYRILLIC and
    NON_UNICODE in that order.

    >>> transliterate("Καλημέρα ς", "GREEK")
    'KAΛHMEPA Σ'
    >>> transliterate("Łódź, Ağrı, Đakovo", "CENTRAL_EUROPEAN")
    'Lodz, Agri, Dakovo'
    >>> transliterate("Ђорђе Жујовић", "SERBIAN_CYRILLIC")
    'Djordje Zujovic'
    """
    if transliteration not in TRANSLITERATIONS:
        raise ValueError(
            f"unknown transliteration {transliteration!r}; "
            f"expected one of {sorted(TRANSLITERATIONS)}"
        )
    if transliteration == "NONE":
        return text
    text = unicodedata.normalize("NFC", text)
    if transliteration in _CYRILLIC_TABLES:
        table = _CYRILLIC_TABLES[transliteration]
        return "".join(table.get(c, c) for c in text)
    if transliteration in _LATIN_FAMILIES:
        punctuation = transliteration == "NON_UNICODE"
        return "".join(_latin(c, punctuation) for c in text)
    text = "".join(_greek(c) for c in text)
    if transliteration == "GREEK":
        return text
    table = _CYRILLIC_TABLES["CYRILLIC"]  # ALL
    return "".join(_latin(c, True) for c in "".join(table.get(c, c) for c in text))


# --------------------------------------------------------------------------- preview
def preview(
    text: str, *, language_code: str | None, transliteration: str | None
) -> list[tuple[dict[str, object], Segmentation]]:
    """Previews for ``POST /sms/1/preview``: the plain configuration first, then the requested one.

    The second entry combines the requested options; its configuration has the keys
    ``language`` (``{"languageCode": ...}``) and/or ``transliteration``, echoing the request
    (``"AUTODETECT"`` and ``"NONE"`` are echoed as given; only ``None`` means "not requested").

    >>> [(c, s.message_count, s.characters_remaining) for c, s in
    ...  preview("Ağrı", language_code="TR", transliteration=None)]
    [({}, 1, 66), ({'language': {'languageCode': 'TR'}}, 1, 151)]
    """
    previews: list[tuple[dict[str, object], Segmentation]] = [({}, segment_text(text))]
    configuration: dict[str, object] = {}
    if language_code is not None:
        configuration["language"] = {"languageCode": language_code}
    if transliteration is not None:
        configuration["transliteration"] = transliteration
    if configuration:
        segmentation = segment_text(
            text, language_code=language_code, transliteration=transliteration
        )
        previews.append((configuration, segmentation))
    return previews
