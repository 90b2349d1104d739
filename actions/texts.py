"""The bot texts sent by custom actions (`content/texts.yml`), rendered with fact values.

A text may hold {placeholders}; `render` fills them from the values an action passes (see
actions/messages.py) and refuses to send a text with a placeholder it has no value for.
"""

from __future__ import annotations

import functools
import string
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

import yaml
from rasa_sdk.executor import CollectingDispatcher

TEXTS_PATH = Path(__file__).resolve().parent.parent / "content" / "texts.yml"


class TextError(KeyError):
    """A text key or a placeholder value is missing."""


@functools.lru_cache(maxsize=1)
def load_texts(path: str = str(TEXTS_PATH)) -> Dict[str, Dict[str, Any]]:
    """All texts by key: {"text": str, "buttons": [{"title", "payload"}]?}."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TextError(f"{path} must hold a mapping of text keys")
    return data


def placeholders(template: str) -> List[str]:
    """The names of the {placeholders} in a text."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def render(key: str, values: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """The message for text `key`: its text with placeholders filled, and its buttons."""
    texts = load_texts()
    if key not in texts:
        raise TextError(f"no text '{key}' in {TEXTS_PATH.name}")
    entry = texts[key]
    values = values or {}
    missing = [name for name in placeholders(entry["text"]) if name not in values]
    if missing:
        raise TextError(f"text '{key}' needs values for {missing}")
    message: Dict[str, Any] = {"text": entry["text"].format(**values)}
    if entry.get("buttons"):
        message["buttons"] = [dict(button) for button in entry["buttons"]]
    return message


def say(dispatcher: CollectingDispatcher, key: str, values: Optional[Mapping[str, Any]] = None) -> None:
    """Send text `key` to the parent."""
    message = render(key, values)
    dispatcher.utter_message(text=message["text"], buttons=message.get("buttons", []))
