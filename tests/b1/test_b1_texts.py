"""B1 check of every bot text, as the parent reads it (filled with the facts), in `make test`.

Fails on a text that scores below `min_score` (Flesch-Douma), a sentence longer than
`max_sentence_words`, a jargon word the same message does not explain, or a banned name
(content/b1.yml). Writes reports/b1_report.md with every text and its score, each run.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import yaml

from actions.advice_actions import UNKNOWN_TOPICS, contacts_phrase
from actions.facts import load_facts
from actions.messages import common_values
from actions.responses import render
from tests.actions.conftest import rendered
from tests.b1.readability import Verdict, check
from tests.rasa_domain import domain_dict

ROOT = Path(__file__).resolve().parents[2]
RULES = yaml.safe_load((ROOT / "content" / "b1.yml").read_text(encoding="utf-8"))
DOMAIN = domain_dict()
REPORT = ROOT / "reports" / "b1_report.md"

SUMMARY = "- Situatie: mijn kind zit thuis\n- School: basisonderwijs\n- Zit thuis: 6 weken"
HANDOFF_VALUES = {
    "hours": "op werkdagen van 10 tot 13 uur",
    "closes_at": "13 uur",
    "next_opening": "morgen om 10 uur",
    "closed_reason": ", want het is Eerste Kerstdag",
}
# Values actions fill in besides the facts; each alternative is checked.
ALTERNATIVES: Dict[str, List[str]] = {
    "contacts": [contacts_phrase(missing) for missing in (("swv", "board"), ("swv",), ("board",))],
    "unknown_topic": sorted(UNKNOWN_TOPICS.values()),
    "summary": [SUMMARY],
    "handoff": [],  # filled below from the hand-off responses
    **{key: [value] for key, value in HANDOFF_VALUES.items()},
}


def _values() -> Dict[str, Any]:
    return {**common_values(load_facts()), **HANDOFF_VALUES}


ALTERNATIVES["handoff"] = [
    render(DOMAIN, name, _values())
    for name in ("utter_handoff_open", "utter_handoff_closing_soon", "utter_handoff_closed", "utter_handoff_closed_today")
]


def texts() -> Iterator[Tuple[str, str, str]]:
    """(label, text, button titles) for every variant of every response, with every alternative."""
    for name in sorted(DOMAIN["responses"]):
        for index, variant in enumerate(DOMAIN["responses"][name]):
            keys = sorted(key for key in ALTERNATIVES if "{" + key + "}" in (variant.get("text") or ""))
            choices = list(itertools.product(*(ALTERNATIVES[key] for key in keys)))
            for number, choice in enumerate(choices, start=1):
                message = rendered({"response": name, **_values(), **dict(zip(keys, choice))})
                titles = " ".join(button.get("title", "") for button in message.get("buttons") or [])
                label = f"{name}[{index}]" + (f" #{number}" if len(choices) > 1 else "")
                yield label, message.get("text") or "", titles


TEXTS = list(texts())
VERDICTS: Dict[str, Verdict] = {label: check(text, titles, RULES) for label, text, titles in TEXTS}


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    """reports/b1_report.md: every text with its score, worst first."""
    yield
    REPORT.parent.mkdir(exist_ok=True)
    lines = [
        "# B1 report",
        "",
        f"Flesch-Douma (pyphen nl_NL) per bot text; fails below {RULES['min_score']}, on a sentence over "
        f"{RULES['max_sentence_words']} words, unexplained jargon or a banned name (content/b1.yml).",
        "",
        "| response | score | longest sentence | problems | text |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    for label, text, _ in sorted(TEXTS, key=lambda item: VERDICTS[item[0]].score):
        verdict = VERDICTS[label]
        shown = text.replace("\n", " / ").replace("|", "\\|")
        lines.append(
            f"| {label} | {verdict.score:.0f} | {verdict.longest_sentence} | {'; '.join(verdict.problems) or 'ok'} | {shown} |"
        )
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_every_response_is_checked() -> None:
    assert {label.split("[")[0] for label, _, _ in TEXTS} == set(DOMAIN["responses"])


@pytest.mark.parametrize("label", sorted(VERDICTS))
def test_text_is_plain_dutch_b1(label: str) -> None:
    assert not VERDICTS[label].problems, VERDICTS[label].problems
