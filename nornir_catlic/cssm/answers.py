"""Cisco's words from an HTTP answer: the JSON ``message``/``error_description``/``error``, else the text."""

from __future__ import annotations

import json

import httpx

_WORD_KEYS = ("message", "error_description", "statusMessage", "status_message", "error", "detail")
_MAX_TEXT = 300


def cisco_words(response: httpx.Response) -> str:
    """What Cisco said in ``response``, short; the reason phrase when it said nothing."""
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in _WORD_KEYS:
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    text = response.text.strip()
    return text[:_MAX_TEXT] if text else response.reason_phrase
