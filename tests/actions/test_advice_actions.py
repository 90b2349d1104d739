"""Tests for actions/advice_actions.py: the advice for each outcome and the triage summary.

Facts are read from content/advieslijn.yml through actions.facts.load_facts, never typed here.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

import pytest

from rasa_sdk.executor import CollectingDispatcher

from actions.advice_actions import ActionFinishTriage, ActionTriageSummary, give_advice
from actions.facts import Facts
from tests.actions.conftest import response_text
from tests.rasa_domain import domain_dict

DOMAIN = domain_dict()

ENGAGE_CASES = {
    "contacts_made": {"situation": "opp_problem", "school_type": "po", "contacted_swv": True, "contacted_board": True},
    "mbo_board_contacted": {"situation": "school_conflict", "school_type": "mbo", "contacted_board": True},
    "home_without_education": {
        "situation": "child_at_home",
        "school_type": "vo",
        "weeks_at_home": 8.0,
        "prospect_of_return": False,
        "alternative_school_found": False,
        "receives_education": False,
    },
}
# A number of weeks, months or days: a waiting time must never be promised.
DURATION = re.compile(r"\d+\s*(?:weken|week|maanden|maand|dagen)\b", re.IGNORECASE)


def text_of(key: str) -> str:
    """The text of response utter_<key> as the parent sees it: filled with the fact values."""
    return response_text(f"utter_{key}")


def run_advice(slots: Dict[str, Any], make_tracker: Any, run_action: Any) -> Any:
    tracker = make_tracker(slots=slots, text="nee", intent="deny", active_loop=None, latest_action_name="triage_form")
    dispatcher = CollectingDispatcher()
    return dispatcher, give_advice(dispatcher, DOMAIN, tracker.slots)


def outcome_of(events: List[Dict[str, Any]], h: Any) -> Any:
    sets = h.slot_sets(events)
    assert len(sets) == 1 and sets[0][0] == "advice_outcome", sets
    return sets[0][1]


# --- Engage a consultant ------------------------------------------------------------------------


@pytest.mark.parametrize("reason", sorted(ENGAGE_CASES))
def test_engage_consultant(reason: str, make_tracker: Any, run_action: Any, h: Any, facts: Facts) -> None:
    dispatcher, events = run_advice(ENGAGE_CASES[reason], make_tracker, run_action)
    assert outcome_of(events, h) == "engage_consultant"
    texts = h.texts_of(dispatcher)
    assert texts[0] == text_of("outcome_engage_consultant")
    assert texts[1] == text_of(f"reason_{reason}")
    assert len(texts) == 4
    everything = "\n".join(texts)
    # How to register: the website and the phone number of Onderwijsconsulenten, from the facts.
    assert facts.text("onderwijsconsulenten.website") in texts[2]
    assert facts.text("onderwijsconsulenten.phone") in texts[2]
    assert facts.text("onderwijsconsulenten.phone_hours") in texts[2]
    # Consent advice: no blanket consent, with the do's and don'ts link from the facts.
    assert "carte blanche" in texts[3]
    assert "toestemming" in texts[3]
    assert facts.text("links.dos_and_donts_information_exchange") in texts[3]
    # No waiting time promised in the registration or consent part.
    assert not DURATION.search(texts[2] + texts[3]), texts[2:]
    assert "{" not in everything and "}" not in everything


def test_engage_after_contacts_promises_no_duration_at_all(make_tracker: Any, run_action: Any, h: Any) -> None:
    dispatcher, _ = run_advice(ENGAGE_CASES["contacts_made"], make_tracker, run_action)
    assert not DURATION.search("\n".join(h.texts_of(dispatcher)))


def test_engage_without_education_mentions_only_the_four_week_rule(make_tracker: Any, run_action: Any, h: Any) -> None:
    """The only duration in the text is the rule (longer than 4 weeks), not a waiting time."""
    dispatcher, _ = run_advice(ENGAGE_CASES["home_without_education"], make_tracker, run_action)
    everything = "\n".join(h.texts_of(dispatcher))
    assert DURATION.findall(everything) == ["4 weken"]
    assert "langer dan 4 weken" in everything


def test_engage_without_education_says_contacts_are_not_needed(make_tracker: Any, run_action: Any, h: Any) -> None:
    dispatcher, _ = run_advice(ENGAGE_CASES["home_without_education"], make_tracker, run_action)
    reason = h.texts_of(dispatcher)[1]
    assert "hoef je niet" in reason
    assert "samenwerkingsverband" in reason


# --- Contact the SWV and the board first --------------------------------------------------------


@pytest.mark.parametrize(
    ("slots", "first", "names", "not_named"),
    [
        (
            {"situation": "opp_problem", "school_type": "po", "contacted_swv": False, "contacted_board": False},
            "outcome_contact_first_both",
            ["samenwerkingsverband", "bestuur"],
            [],
        ),
        (
            {"situation": "no_school_place", "school_type": "vo", "contacted_swv": False, "contacted_board": True},
            "outcome_contact_first_swv",
            ["samenwerkingsverband"],
            ["bestuur"],
        ),
        (
            {"situation": "school_conflict", "school_type": "so", "contacted_swv": True, "contacted_board": False},
            "outcome_contact_first_board",
            ["bestuur"],
            ["samenwerkingsverband"],
        ),
        (
            {"situation": "opp_problem", "school_type": "mbo", "contacted_board": False},
            "outcome_contact_first_board",
            ["bestuur"],
            ["samenwerkingsverband"],
        ),
    ],
)
def test_contact_first_names_the_missing_contacts(
    slots: Dict[str, Any], first: str, names: List[str], not_named: List[str], make_tracker: Any, run_action: Any, h: Any, facts: Facts
) -> None:
    dispatcher, events = run_advice(slots, make_tracker, run_action)
    assert outcome_of(events, h) == "contact_swv_and_board_first"
    texts = h.texts_of(dispatcher)
    assert texts[0] == text_of(first)
    for name in names:
        assert name in texts[0], name
    for name in not_named:
        assert name not in texts[0], name
    assert len(texts) == 3
    assert texts[1] == text_of("reason_precondition")
    assert texts[2].startswith(DOMAIN["responses"]["utter_tips_page"][0]["text"].split("{")[0])
    # The tips page: there is no URL in the facts, so the organisation's website is named.
    assert facts.text("advieslijn.organisation") in texts[2]
    # Not told to register with a consultant yet.
    assert facts.text("onderwijsconsulenten.website") not in "\n".join(texts)


@pytest.mark.parametrize("weeks", [0.0, 3.0, 4.0])
def test_short_stay_at_home_contacts_first(weeks: float, make_tracker: Any, run_action: Any, h: Any) -> None:
    slots = {"situation": "child_at_home", "school_type": "po", "weeks_at_home": weeks}
    dispatcher, events = run_advice(slots, make_tracker, run_action)
    assert outcome_of(events, h) == "contact_swv_and_board_first"
    texts = h.texts_of(dispatcher)
    assert texts[0] == text_of("outcome_contact_first_short_home")
    assert "samenwerkingsverband" in texts[0] and "bestuur" in texts[0]
    assert len(texts) == 2
    assert texts[1].startswith(DOMAIN["responses"]["utter_tips_page"][0]["text"].split("{")[0])


# --- Not for a consultant, call the advice line -------------------------------------------------


@pytest.mark.parametrize("situation", ["no_school_place", "opp_problem", "child_at_home", "school_conflict"])
def test_higher_education_is_not_for_a_consultant(situation: str, make_tracker: Any, run_action: Any, h: Any) -> None:
    dispatcher, events = run_advice({"situation": situation, "school_type": "ho"}, make_tracker, run_action)
    assert outcome_of(events, h) == "not_for_consultant"
    assert h.texts_of(dispatcher) == [text_of("outcome_not_for_consultant")]
    assert "hbo" in h.texts_of(dispatcher)[0]


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ({"prospect_of_return": True}, "outcome_call_advieslijn_prospect"),
        ({"prospect_of_return": False, "alternative_school_found": True}, "outcome_call_advieslijn_alternative"),
    ],
)
def test_home_with_a_school_in_sight_calls_the_advieslijn(extra: Dict[str, Any], key: str, make_tracker: Any, run_action: Any, h: Any) -> None:
    slots = {"situation": "child_at_home", "school_type": "po", "weeks_at_home": 4.1, **extra}
    dispatcher, events = run_advice(slots, make_tracker, run_action)
    assert outcome_of(events, h) == "call_advieslijn"
    assert h.texts_of(dispatcher) == [text_of(key)]


# --- Slots are checked again --------------------------------------------------------------------


@pytest.mark.parametrize(
    "slots",
    [
        {},
        {"situation": "child_at_home", "school_type": "po", "weeks_at_home": "10", "prospect_of_return": False,
         "alternative_school_found": False, "receives_education": False},
        {"situation": "opp_problem", "school_type": "po", "contacted_swv": "true", "contacted_board": True},
        {"situation": "opp_problem", "school_type": "universiteit", "contacted_swv": True, "contacted_board": True},
        {"situation": "thuiszitter", "school_type": "ho"},
        {"situation": "child_at_home", "school_type": "po", "weeks_at_home": -3.0},
    ],
)
def test_invalid_or_missing_answers_give_no_advice(slots: Dict[str, Any], make_tracker: Any, run_action: Any, h: Any) -> None:
    dispatcher, events = run_advice(slots, make_tracker, run_action)
    assert outcome_of(events, h) == "call_advieslijn"
    assert h.texts_of(dispatcher) == [text_of("outcome_unknown")]


def test_advice_names_are_in_the_domain(domain: Dict[str, Any]) -> None:
    assert ActionFinishTriage().name() in domain["actions"]
    assert ActionTriageSummary().name() in domain["actions"]


# --- The summary --------------------------------------------------------------------------------


def run_summary(slots: Dict[str, Any], text: str, make_tracker: Any, run_action: Any) -> Any:
    tracker = make_tracker(slots=slots, text=text, intent="ask_summary", active_loop=None)
    return run_action(ActionTriageSummary(), tracker)


def test_summary_holds_the_labels_and_the_outcome(make_tracker: Any, run_action: Any, h: Any) -> None:
    slots = {**ENGAGE_CASES["home_without_education"], "advice_outcome": "engage_consultant"}
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
        "- Advies van de assistent: een onderwijsconsulent inschakelen",
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
    assert "- Contact met het schoolbestuur: ja" in text
    assert "nog niet bekend" in text  # the invalid answers do not count
    for personal in ("Jan", "Vries", "@", "06-", "Ligthart"):
        assert personal not in text, personal


def test_summary_of_nothing_says_so(make_tracker: Any, run_action: Any, h: Any) -> None:
    dispatcher, events = run_summary({}, "Ik ben Jan, wat moet ik zeggen als ik bel?", make_tracker, run_action)
    assert events == []
    assert h.texts_of(dispatcher) == [text_of("summary_empty")]


def test_finish_triage_gives_advice_then_summary_then_hand_off(make_tracker: Any, run_action: Any, h: Any, facts: Facts) -> None:
    from datetime import datetime, timezone

    from actions.clock import fixed_clock

    slots = {"situation": "no_school_place", "school_type": "vo", "contacted_swv": True, "contacted_board": False}
    tracker = make_tracker(slots=slots, text="nee", intent="deny", active_loop=None, latest_action_name="triage_form")
    closed = fixed_clock(datetime(2026, 12, 5, 11, 0, tzinfo=timezone.utc))  # a Saturday
    dispatcher, events = run_action(ActionFinishTriage(clock=closed), tracker)
    texts = h.texts_of(dispatcher)
    assert outcome_of(events, h) == "contact_swv_and_board_first"
    assert texts[0] == text_of("outcome_contact_first_board")
    summary = next(i for i, t in enumerate(texts) if t.startswith("Samenvatting"))
    assert "eerst contact opnemen met het schoolbestuur" in texts[summary]
    assert "gesloten" in texts[summary + 1] and facts.text("advieslijn.phone") in texts[summary + 1]
    assert summary + 2 == len(texts)
