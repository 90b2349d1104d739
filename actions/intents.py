"""The intents the actions and the rules treat as a group: one list per group, kept only here.

Rasa needs the same names in the domain and in the rules (YAML); tests/unit/test_intent_groups.py
checks that domain/, data/rules/ and the responses agree with these lists.

- SITUATIONS start the triage (data/rules/triage.yml) and are the values of the slot `situation`.
- ANSWERED_QUESTIONS get the response `utter_answer_<intent>` from action_answer_question, outside
  the triage (data/rules/questions.yml) and during it (data/rules/triage.yml).
- TRIAGE_DIGRESSIONS: during the triage a rule answers them, then the form goes on.
- LEAVING_INTENTS end the triage (data/rules/triage.yml).
"""

from __future__ import annotations

SITUATIONS = ("no_school_place", "opp_problem", "child_at_home", "school_conflict")
ANSWERED_QUESTIONS = (
    "ask_consultant",
    "ask_care_consultant",
    "ask_how_to_engage",
    "ask_consent_privacy",
    "school_proposes_consultant",
)
TRIAGE_DIGRESSIONS = ANSWERED_QUESTIONS + ("ask_contact", "ask_summary", "bot_challenge")
LEAVING_INTENTS = ("urgent_help", "stop", "goodbye")


def answer_response(intent: str) -> str:
    """The response that answers a question intent."""
    return f"utter_answer_{intent}"
