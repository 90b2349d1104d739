"""The weekly overview's columns and rows: one source for the staff page and `make report`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Dict, List, Tuple

from actions.feedback_actions import REASONS
from actions.summary import SITUATION_LABELS

WEEKS_SHOWN = 8
Key = Tuple[str, str]
OUTCOME_COLUMNS = [
    ("engage_consultant", "advies: onderwijsconsulent"),
    ("contact_swv_and_board_first", "advies: eerst SWV/bestuur"),
    ("not_for_consultant", "advies: niet voor consulent"),
    ("call_advieslijn", "advies: bel de advieslijn"),
]
# Why it did not help: the reason buttons after "nee" (domain/feedback.yml), by fixed name.
REASON_LABELS = {
    "unclear": "niet duidelijk",
    "not_my_situation": "past niet bij situatie",
    "missing_information": "mist informatie",
    "rather_not_say": "zegt liever niet",
}
COLUMNS: List[Tuple[Key, str]] = (
    [(("conversation", ""), "gesprekken")]
    + [(("situation", key), f"situatie: {label}") for key, label in SITUATION_LABELS.items()]
    + [(("outcome", key), label) for key, label in OUTCOME_COLUMNS]
    + [
        (("handoff", "open"), "doorverwezen, lijn open"),
        (("handoff", "closed"), "doorverwezen, lijn dicht"),
        (("crisis", ""), "crisis-antwoorden"),
        (("fallback", ""), "niet begrepen"),
        (("feedback", "yes"), "geholpen: ja"),
        (("feedback", "no"), "geholpen: nee"),
    ]
    + [(("feedback_reason", name), f"nee, want: {REASON_LABELS[name]}") for name in REASONS]
)


def week_label(monday: date) -> str:
    sunday = monday + timedelta(days=6)
    return f"week {monday.isocalendar()[1]} ({monday:%d-%m} t/m {sunday:%d-%m-%Y})"


def overview_rows(weeks: Dict[date, Dict[Key, int]]) -> Tuple[List[str], List[Tuple[str, List[int]]]]:
    """(column labels, [(week label, counts in column order)]), newest week first."""
    labels = [label for _, label in COLUMNS]
    rows = [(week_label(monday), [counts.get(key, 0) for key, _ in COLUMNS])
            for monday, counts in sorted(weeks.items(), reverse=True)]
    return labels, rows
