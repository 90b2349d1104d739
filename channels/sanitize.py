"""Clean a parent's message before Rasa sees it.

Rasa treats a message that starts with ``/`` as an intent with entities (``/greet{"x": 1}``) and
skips the NLU. Parents must never be able to steer the bot or fill slots that way, so every
channel we expose passes user text through :func:`clean_user_text` first.
"""

from __future__ import annotations

import unicodedata
from typing import Any

MAX_MESSAGE_CHARS = 5000


def clean_user_text(text: Any) -> str:
    """Return the message as plain text that Rasa will always run through the NLU.

    - anything that is not a string becomes an empty string;
    - control characters (except newlines and tabs) are removed;
    - leading slashes are removed, so ``/intent{...}`` is read as ordinary words;
    - the text is cut at :data:`MAX_MESSAGE_CHARS` characters.
    """
    if not isinstance(text, str):
        return ""
    text = text[: MAX_MESSAGE_CHARS * 2]  # cut first: never walk a huge text character by character
    printable = "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C"
    )
    cleaned = printable.strip()
    while cleaned.startswith("/"):
        cleaned = cleaned[1:].lstrip()
    return cleaned[:MAX_MESSAGE_CHARS]
