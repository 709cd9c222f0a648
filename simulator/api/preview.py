"""``POST /sms/1/preview``: how many parts a text takes, and how many characters remain."""

from __future__ import annotations

from aiohttp import web

from simulator.api.common import answer, read_json
from simulator.encoding import LANGUAGE_CODES, TRANSLITERATIONS, preview

PREVIEW_LANGUAGE_CODES = LANGUAGE_CODES - {"NONE"}
"""The spec's ``PreviewRequest.languageCode`` pattern is ``^(TR|ES|PT|AUTODETECT)$``."""


async def preview_sms(request: web.Request) -> web.Response:
    body = await read_json(request)
    text = body.string("text", required=True, max_len=4096, blank_ok=True)
    language = body.enum("languageCode", PREVIEW_LANGUAGE_CODES)
    transliteration = body.enum("transliteration", TRANSLITERATIONS)
    body.problems.raise_if_any()
    assert text is not None
    previews = [
        {
            "textPreview": segmentation.text,
            "messageCount": segmentation.message_count,
            "charactersRemaining": segmentation.characters_remaining,
            "configuration": configuration,
        }
        for configuration, segmentation in preview(
            text, language_code=language, transliteration=transliteration
        )
    ]
    return answer({"originalText": text, "previews": previews})
