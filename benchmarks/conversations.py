"""The scripted conversations the load benchmark sends: realistic Dutch turns, each with a text the
reply should contain (a sanity check that the load exercises the real dialogue)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Dict, List, Sequence, Tuple

import requests

# The action server's clock during the benchmark (actions.clock.FIXED_NOW_ENV), so the dialogue is
# deterministic: a Tuesday, 10:30, when the advice line is open.
FIXED_NOW = "2026-12-01T10:30:00+01:00"
REQUEST_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Script:
    name: str
    turns: Tuple[Tuple[str, str], ...]  # (parent's message, expected part of the reply, '' = any)


def scripts() -> List[Script]:
    from actions.facts import load_facts

    phone = load_facts().text("advieslijn.phone")
    return [
        Script("full triage: basisschool, six weeks at home", (
            ("mijn zoon zit al zes weken thuis, hij zit op de basisschool", "terug kan naar de school"),
            ("nee", "andere passende school"),
            ("nee helaas niet", "onderwijs"),
            ("nee, hij krijgt helemaal niks", "Waarschijnlijk kun je een onderwijsconsulent inschakelen."),
        )),
        Script("questions: greeting, consultant, phone number, thanks", (
            ("hallo", "assistent"),
            ("wat is een onderwijsconsulent?", "onafhankelijk"),
            ("wat is jullie telefoonnummer?", phone),
            ("dank je wel, doei", ""),
        )),
        Script("triage: no secondary school place", (
            ("geen enkele middelbare school wil mijn dochter aannemen", "samenwerkingsverband"),
            ("ja hoor, met het swv hebben we gebeld", "bestuur"),
            ("nee nog niet", "Neem eerst contact op met het bestuur van de school."),
        )),
        Script("question during a triage, then stop", (
            ("goedemorgen", ""),
            ("we hebben ruzie met school over het opp", ""),
            ("wat doet een onderwijsconsulent eigenlijk?", "onafhankelijk"),
            ("stop", "ik stop met de vragen"),
        )),
    ]


def reply_text(messages: Any) -> str:
    if not isinstance(messages, list):
        return ""
    return "\n".join(str(m.get("text", "")) for m in messages if isinstance(m, dict))


def sanity(rest_url: str, convs: Sequence[Script]) -> List[Dict[str, Any]]:
    """Each conversation once: the replies and whether the expected text is in them."""
    turns = []
    for script in convs:
        sender = f"sanity-{uuid.uuid4().hex}"
        for text, expected in script.turns:
            response = requests.post(rest_url, json={"sender": sender, "message": text}, timeout=REQUEST_TIMEOUT_S)
            reply = reply_text(response.json()) if response.status_code == 200 else f"HTTP {response.status_code}"
            turns.append({"script": script.name, "text": text, "reply": reply,
                          "expected": expected, "as_expected": expected.lower() in reply.lower()})
    return turns
