"""Messages the bot did not understand, kept (redacted) for review and labelled by reviewers.

`ADVIESLIJN_STORE_FALLBACKS` (an on/off switch, store/settings.py; default on, "0"/"off" switches it
off) decides whether the fallback action stores anything. Only `redact()`ed text reaches the table;
the original is never written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import List, Mapping, Optional

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from store.db import hour_of, utc
from store.redaction import redact
from store.schema import fallback_messages
from store.known_settings import STORE_FALLBACKS

ENABLED_ENV = STORE_FALLBACKS.name
MAX_TEXT = 1000


@dataclass(frozen=True)
class FallbackMessage:
    id: int
    created_hour: datetime
    redacted_text: str
    label: Optional[str]


def enabled(environ: Optional[Mapping[str, str]] = None) -> bool:
    """Whether fallback messages are kept; ValueError (naming the setting) for a value like "maybe"."""
    return bool(STORE_FALLBACKS.value(environ))


def store_fallback(engine: Engine, text: str, now: datetime) -> int:
    """Redact `text` and store the result; returns its id. Blocking (deduce): run in an executor."""
    redacted = redact(text[:MAX_TEXT])
    with engine.begin() as connection:
        result = connection.execute(insert(fallback_messages).values(
            created_hour=hour_of(now), redacted_text=redacted))
        return int(result.inserted_primary_key[0])


def for_review(engine: Engine, limit: int = 50) -> List[FallbackMessage]:
    """Unlabelled messages first, then the newest labelled ones."""
    with engine.connect() as connection:
        rows = connection.execute(select(fallback_messages).order_by(
            fallback_messages.c.label.is_not(None), fallback_messages.c.created_hour.desc(),
            fallback_messages.c.id.desc()).limit(limit)).all()
    return [FallbackMessage(r.id, utc(r.created_hour), r.redacted_text, r.label) for r in rows]


def set_label(engine: Engine, message_id: int, label: Optional[str], username: str) -> bool:
    """Label a message with an intent (None clears it); False if the message is gone."""
    with engine.begin() as connection:
        result = connection.execute(update(fallback_messages).where(fallback_messages.c.id == message_id)
                                    .values(label=label, labelled_by=username if label else None))
        return result.rowcount == 1


def labelled(engine: Engine) -> List[FallbackMessage]:
    with engine.connect() as connection:
        rows = connection.execute(select(fallback_messages).where(fallback_messages.c.label.is_not(None))
                                  .order_by(fallback_messages.c.label, fallback_messages.c.id)).all()
    return [FallbackMessage(r.id, utc(r.created_hour), r.redacted_text, r.label) for r in rows]
