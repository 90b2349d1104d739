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

# Feedback on the ending's "Heeft dit je geholpen?" (domain/feedback.yml, data/rules/feedback.yml):
# the intents that answer it, with the name counted (kind "feedback", store/insight.py). Plain
# "ja" and "nee" answer it only right after the ending; elsewhere they stay triage answers.
FEEDBACK_ANSWERS = {"feedback_helped": "yes", "feedback_not_helped": "no"}
FEEDBACK_YES_NO = {"affirm": "yes", "deny": "no"}
# The message right after "Wil je ook zeggen waarom?" goes to action_feedback_reason when it has
# one of these intents: a reason button, or words typed instead (thanked for, never stored, and
# so never kept as a fallback message). Questions, situations and crisis keep their own rules.
REASON_ANSWERS = ("feedback_reason", "inform", "affirm", "deny", "out_of_scope", "nlu_fallback")
