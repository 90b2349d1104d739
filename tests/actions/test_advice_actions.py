"""Tests for actions/advice_actions.py: the ending of the triage and the summary.

The ending (issue 12): at most three messages after the last answer: (a) the outcome as a first
estimate with one reason, (b) what to do now with one phone number at most, (c) the summary with
the hand-off and a "Meer uitleg" button. More explanation only on request. Facts are read from
content/advieslijn.yml through actions.facts.load_facts, never typed here.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Dict, List

import pytest

from actions.advice_actions import ActionExplainOutcome, ActionFinishTriage, ActionTriageSummary
from actions.clock import fixed_clock
from actions.facts import Facts
from tests.actions.conftest import response_text
from tests.rasa_domain import domain_dict

DOMAIN = domain_dict()
TUESDAY_OPEN = fixed_clock(datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc))
SATURDAY = fixed_clock(datetime(2026, 12, 5, 11, 0, tzinfo=timezone.utc))

HOME_LONG = {
    "situation": "child_at_home",
    "school_type": "vo",
    "weeks_at_home": 8.0,
    "prospect_of_return": False,
    "alternative_school_found": False,
}
CASES: Dict[str, Dict[str, Any]] = {
    "engage_contacts_made": {"situation": "opp_problem", "school_type": "po", "contacted_swv": True, "contacted_board": True},
    "engage_mbo": {"situation": "school_conflict", "school_type": "mbo", "contacted_board": True},
    "engage_cluster": {"situation": "no_school_place", "school_type": "so", "cluster_1_or_2": True, "contacted_board": True},
    "engage_home_without_education": {**HOME_LONG, "receives_education": False},
    "contact_first": {"situation": "no_school_place", "school_type": "vo", "contacted_swv": True, "contacted_board": False},
    "contact_first_short_home": {"situation": "child_at_home", "school_type": "po", "weeks_at_home": 2.0},
    "higher_education": {"situation": "no_school_place", "school_type": "ho"},
    "exclusion_repeat_or_level": {"situation": "school_conflict", "exclusion": "repeat_or_level"},
    "call_advieslijn_prospect": {**HOME_LONG, "prospect_of_return": True},
    "unknown": {**HOME_LONG, "alternative_school_found": None, "unknown_answers": ["alternative_school_found"]},
}
OUTCOMES = {
    "engage": "engage_consultant",
    "contact": "contact_swv_and_board_first",
    "higher": "not_for_consultant",
    "exclusion": "not_for_consultant",
    "call": "call_advieslijn",
    "unknown": "call_advieslijn",
}
PHONE = re.compile(r"\b0\d{2,3}-\d{3} ?\d{2} ?\d{2}\b|\b0\d{2}-\d{7}\b")
# A number of weeks, months or days: a waiting time must never be promised.
DURATION = re.compile(r"\d+\s*(?:weken|week|maanden|maand|dagen)\b", re.IGNORECASE)


def text_of(key: str, **values: Any) -> str:
    """The text of response utter_<key> as the parent sees it: filled with the fact values."""
    return response_text(f"utter_{key}", **values)


def finish(slots: Dict[str, Any], make_tracker: Any, run_action: Any, clock: Any = TUESDAY_OPEN) -> Any:
    tracker = make_tracker(slots=slots, text="nee", intent="deny", active_loop=None, latest_action_name="triage_form")
    return run_action(ActionFinishTriage(clock=clock), tracker)


def outcome_of(events: List[Dict[str, Any]], h: Any) -> Any:
    sets = h.slot_sets(events)
    assert len(sets) == 1 and sets[0][0] == "advice_outcome", sets
    return sets[0][1]


# --- The shape of every ending --------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_ending_is_at_most_three_messages_with_one_phone_number_each(
    case: str, make_tracker: Any, run_action: Any, h: Any
) -> None:
    dispatcher, events = finish(CASES[case], make_tracker, run_action)
    assert outcome_of(events, h) == OUTCOMES[case.split("_")[0]]
    texts = h.texts_of(dispatcher)
    assert 2 <= len(texts) <= 3, texts
    assert dispatcher.messages[0]["response"] == f"utter_outcome_{case}"
    for text in texts:
        assert len(set(PHONE.findall(text))) <= 1, text  # which number is for what is never ambiguous
        assert "{" not in text and "}" not in text
        assert "dvies van de assistent" not in text and "een advies" not in text.lower()
    # (c): the summary (with the triage code: the tests' store is a temporary SQLite database), the
    # hand-off, the button for more explanation and "Heeft dit je geholpen?" (issue 11, part 5).
    last = h.rendered(dispatcher.messages[-1])
    assert dispatcher.messages[-1]["response"] == "utter_summary_handoff_with_code"
    assert "Je code is" in last["text"]
    assert "Samenvatting" in last["text"] and "Uitkomst (eerste inschatting)" in last["text"]
    assert "De advieslijn is nu open" in last["text"]
    assert last["text"].endswith("Heeft dit je geholpen?")
    assert [button["title"] for button in last["buttons"]] == ["Ja, dit hielp", "Nee, dit hielp niet", "Meer uitleg"]


@pytest.mark.parametrize("case", [case for case in CASES if case.startswith("engage")])
def test_engaging_is_a_first_estimate_with_the_exclusions_said_plainly(
    case: str, make_tracker: Any, run_action: Any, h: Any, facts: Facts
) -> None:
    dispatcher, _ = finish(CASES[case], make_tracker, run_action)
    outcome, register, _ = h.texts_of(dispatcher)
    assert outcome.startswith("Waarschijnlijk kun je een onderwijsconsulent inschakelen.")
    assert "kijkt zelf of hij kan helpen" in outcome
    assert facts.text("onderwijsconsulenten.not_for") in outcome
    # (b): how to register, with the one number of Onderwijsconsulenten; no waiting time.
    assert facts.text("onderwijsconsulenten.website") in register
    assert facts.text("onderwijsconsulenten.phone") in register
    assert facts.text("advieslijn.phone") not in register
    assert not DURATION.search(register)
    # The consent advice is not sent by default.
    assert "toestemming" not in " ".join(h.texts_of(dispatcher))


def test_engaging_without_education_says_contacts_are_not_needed(make_tracker: Any, run_action: Any, h: Any) -> None:
    dispatcher, _ = finish(CASES["engage_home_without_education"], make_tracker, run_action)
    outcome = h.texts_of(dispatcher)[0]
    assert "langer dan 4 weken" in outcome and "niet eerst naar het samenwerkingsverband" in outcome


def test_contact_first_names_the_missing_contact_and_the_next_step(make_tracker: Any, run_action: Any, h: Any) -> None:
    dispatcher, _ = finish(CASES["contact_first"], make_tracker, run_action)
    outcome, step, summary = h.texts_of(dispatcher)
    assert outcome == text_of("outcome_contact_first", contacts="het bestuur van de school")
    assert step == text_of("next_contacts")
    assert "eerst contact opnemen met het bestuur van de school" in summary


def test_short_stay_at_home_names_both_contacts(make_tracker: Any, run_action: Any, h: Any) -> None:
    dispatcher, _ = finish(CASES["contact_first_short_home"], make_tracker, run_action)
    outcome = h.texts_of(dispatcher)[0]
    assert "nog geen 4 weken" in outcome
    assert "het samenwerkingsverband (SWV) van de school en het bestuur van de school" in outcome


def test_dont_know_gives_call_the_advieslijn_with_why(make_tracker: Any, run_action: Any, h: Any) -> None:
    dispatcher, _ = finish(CASES["unknown"], make_tracker, run_action)
    outcome, summary = h.texts_of(dispatcher)
    assert "of er een andere school is gevonden" in outcome
    assert "- Andere school gevonden: weet ik niet" in summary


def test_no_answers_at_all_give_call_the_advieslijn(make_tracker: Any, run_action: Any, h: Any) -> None:
    dispatcher, events = finish({}, make_tracker, run_action)
    assert outcome_of(events, h) == "call_advieslijn"
    assert dispatcher.messages[0]["response"] == "utter_outcome_unknown"


def test_the_hand_off_follows_the_clock(make_tracker: Any, run_action: Any, h: Any, facts: Facts) -> None:
    dispatcher, _ = finish(CASES["contact_first"], make_tracker, run_action, clock=SATURDAY)
    summary = h.texts_of(dispatcher)[-1]
    assert "gesloten" in summary and "maandag om 10 uur" in summary
    assert facts.text("advieslijn.phone") in summary


# --- More explanation on request ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "responses"),
    [
        ("engage_contacts_made", ["utter_details_register", "utter_consent_advice"]),
        ("contact_first", ["utter_details_contacts"]),
        ("higher_education", ["utter_details_other_routes"]),
        ("unknown", ["utter_details_other_routes"]),
    ],
)
def test_details_on_request(case: str, responses: List[str], make_tracker: Any, run_action: Any, h: Any, facts: Facts) -> None:
    _, events = finish(CASES[case], make_tracker, run_action)
    slots = {**CASES[case], "advice_outcome": h.slot_sets(events)[0][1]}
    tracker = make_tracker(slots=slots, text="Meer uitleg over de uitkomst", intent="ask_details", active_loop=None)
    dispatcher, result = run_action(ActionExplainOutcome(), tracker)
    assert result == []
    assert [message["response"] for message in dispatcher.messages] == responses
    if case.startswith("engage"):
        register, consent = h.texts_of(dispatcher)
        assert "quickscan" in register and not DURATION.search(register)
        assert "toestemming" in consent and facts.text("links.dos_and_donts_information_exchange") in consent


def test_details_before_any_outcome(make_tracker: Any, run_action: Any, h: Any) -> None:
    tracker = make_tracker(slots={"situation": "opp_problem"}, text="meer uitleg", intent="ask_details", active_loop=None)
    dispatcher, _ = run_action(ActionExplainOutcome(), tracker)
    assert h.texts_of(dispatcher) == [text_of("details_none")]


# --- The summary --------------------------------------------------------------------------------


def run_summary(slots: Dict[str, Any], text: str, make_tracker: Any, run_action: Any) -> Any:
    tracker = make_tracker(slots=slots, text=text, intent="ask_summary", active_loop=None)
    return run_action(ActionTriageSummary(), tracker)


def test_summary_holds_the_labels_and_the_outcome(make_tracker: Any, run_action: Any, h: Any) -> None:
    slots = {**CASES["engage_home_without_education"], "advice_outcome": "engage_consultant"}
    dispatcher, events = run_summary(slots, "kun je het samenvatten", make_tracker, run_action)
    assert events == []
    (text,) = h.texts_of(dispatcher)
    assert text.startswith(DOMAIN["responses"]["utter_summary"][0]["text"].split("{summary}")[0])
    for line in [
        "- Situatie: mijn kind zit thuis",
        "- School: voortgezet onderwijs (middelbare school)",
        "- Zit thuis: 8 weken",
        "- Uitzicht op terugkeer naar de eigen school: nee",
        "- Andere school gevonden: nee",
        "- Krijgt nu onderwijs: nee",
        "- Uitkomst (eerste inschatting): een onderwijsconsulent inschakelen",
    ]:
        assert line in text, line
    assert "Contact met" not in text  # not asked on this path


def test_summary_never_holds_what_the_parent_typed(make_tracker: Any, run_action: Any, h: Any) -> None:
    slots = {
        "situation": "opp_problem",
        "school_type": "Jan Ligthartschool",  # free text in a slot: not a valid value
        "weeks_at_home": "Jan",
        "contacted_swv": "Jan belde",
        "contacted_board": True,
    }
    typed = "Mijn zoon Jan de Vries (jan@example.nl, 06-12345678) heeft problemen met zijn OPP"
    dispatcher, _ = run_summary(slots, typed, make_tracker, run_action)
    (text,) = h.texts_of(dispatcher)
    assert "- Situatie: problemen met het ontwikkelingsperspectief (OPP)" in text
    assert "- Contact met het bestuur van de school: ja" in text
    assert "nog niet bekend" in text  # the invalid answers do not count
    for personal in ("Jan", "Vries", "@", "06-", "Ligthart"):
        assert personal not in text, personal


def test_summary_of_nothing_says_so(make_tracker: Any, run_action: Any, h: Any) -> None:
    dispatcher, events = run_summary({}, "Ik ben Jan, wat moet ik zeggen als ik bel?", make_tracker, run_action)
    assert events == []
    assert h.texts_of(dispatcher) == [text_of("summary_empty")]


