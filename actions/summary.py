"""The triage summary a parent can read out on the phone or paste into the contact form.

It names the situation, the school type, the weeks at home, the contacts made and the outcome,
and never holds names or other personal details: it is built only from the triage slots.
"""

from __future__ import annotations

from typing import List, Optional

from actions.decision import Advice, Outcome, TriageAnswers
from actions.durations import format_weeks

SITUATION_LABELS = {
    "no_school_place": "geen (passende) school voor mijn kind",
    "opp_problem": "problemen met het ontwikkelingsperspectief (OPP)",
    "child_at_home": "mijn kind zit thuis",
    "school_conflict": "een conflict met school over de ondersteuning",
}
SCHOOL_LABELS = {
    "po": "basisonderwijs",
    "vo": "voortgezet onderwijs (middelbare school)",
    "so": "(voortgezet) speciaal onderwijs",
    "mbo": "mbo",
    "ho": "hbo of universiteit",
}
YES_NO_LABELS = (
    ("prospect_of_return", "Uitzicht op terugkeer naar de eigen school"),
    ("alternative_school_found", "Andere school gevonden"),
    ("receives_education", "Krijgt nu onderwijs"),
    ("cluster_1_or_2", "School van cluster 1 of 2"),
    ("contacted_swv", "Contact met het samenwerkingsverband (SWV)"),
    ("contacted_board", "Contact met het bestuur van de school"),
)
CONTACT_LABELS = {"swv": "het samenwerkingsverband (SWV) van de school", "board": "het bestuur van de school"}
EXCLUSION_LABELS = {
    "legal_procedure": "een rechtszaak of advocaat",
    "motivation": "geen zin in school",
    "repeat_or_level": "zittenblijven of het niveau",
}
OUTCOME_TITLE = "Uitkomst (eerste inschatting)"
OUTCOME_LABELS = {
    Outcome.ENGAGE_CONSULTANT: "een onderwijsconsulent inschakelen",
    Outcome.CONTACT_SWV_AND_BOARD_FIRST: "eerst contact opnemen met {contacts}",
    Outcome.NOT_FOR_CONSULTANT: "niet iets voor een onderwijsconsulent",
    Outcome.CALL_ADVIESLIJN: "bespreken met de advieslijn",
}


def _yes_no(value: Optional[bool]) -> str:
    return "ja" if value else "nee"


def outcome_label(advice: Advice) -> str:
    """The outcome in words; for 'contact first' it names the contacts still to make."""
    contacts = " en ".join(CONTACT_LABELS[c] for c in advice.missing_contacts) or "de school"
    return OUTCOME_LABELS[advice.outcome].format(contacts=contacts)


def summary_lines(answers: TriageAnswers, advice: Optional[Advice]) -> List[str]:
    """The lines of the summary, only for what is known."""
    lines: List[str] = []
    if answers.situation:
        lines.append(f"- Situatie: {SITUATION_LABELS[answers.situation]}")
    if answers.school_type:
        lines.append(f"- School: {SCHOOL_LABELS[answers.school_type]}")
    if answers.weeks_at_home is not None:
        lines.append(f"- Zit thuis: {format_weeks(answers.weeks_at_home)}")
    for slot, label in YES_NO_LABELS:
        value = getattr(answers, slot)
        if value is not None:
            lines.append(f"- {label}: {_yes_no(value)}")
        elif slot in answers.unknown:
            lines.append(f"- {label}: weet ik niet")
    if answers.exclusion:
        lines.append(f"- Genoemd: {EXCLUSION_LABELS[answers.exclusion]}")
    if advice is not None:
        lines.append(f"- {OUTCOME_TITLE}: {outcome_label(advice)}")
    elif lines:
        lines.append(f"- {OUTCOME_TITLE}: nog niet bekend (de vragen zijn niet afgerond)")
    return lines


def summary_text(answers: TriageAnswers, advice: Optional[Advice]) -> str:
    """The summary as text, or '' when nothing is known yet."""
    return "\n".join(summary_lines(answers, advice))
