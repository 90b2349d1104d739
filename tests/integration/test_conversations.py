"""Whole conversations over HTTP against the running servers, inside and outside opening hours.

The action server's clock is fixed per test (ADVIESLIJN_FIXED_NOW); facts are read from the facts
file, not typed into the tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.clock import FIXED_NOW_ENV
from actions.facts import load_facts
from actions.school_calendar import CALENDAR_PATH_ENV
from tests.servers import RestChat, fixed_clock

pytestmark = pytest.mark.servers

FACTS = load_facts()
PHONE = FACTS.text("advieslijn.phone")
OC_WEBSITE = FACTS.text("onderwijsconsulenten.website")

TUESDAY_OPEN = "2026-12-01T10:30:00+01:00"
TUESDAY_CLOSING_SOON = "2026-12-01T12:50:00+01:00"
FRIDAY_AFTERNOON = "2026-12-04T14:00:00+01:00"
CHRISTMAS = "2026-12-25T11:00:00+01:00"
MONDAY_AFTERNOON = "2026-11-30T15:00:00+01:00"
TEST_CALENDAR = Path(__file__).parent / "data" / "schoolvakanties.yml"


def test_full_triage_inside_opening_hours_engages_a_consultant(bot_servers) -> None:
    chat = RestChat(bot_servers)
    with fixed_clock(bot_servers, TUESDAY_OPEN):
        first = chat.joined("mijn zoon zit al zes weken thuis, hij zit op de basisschool")
        assert "terug kan naar de school" in first  # weeks and school type were filled from the story
        assert "Hoe lang" not in first
        assert "welk soort school" not in first
        assert "andere passende school" in chat.joined("nee")
        assert "onderwijs" in chat.joined("nee helaas niet")
        reply = chat.send("nee, hij krijgt helemaal niks")
        details = chat.joined("Meer uitleg over de uitkomst")
    end = "\n".join(message.get("text", "") for message in reply)
    assert len(reply) <= 3  # the ending: outcome, what to do now, summary with the hand-off
    assert "Waarschijnlijk kun je een onderwijsconsulent inschakelen." in end
    assert "zonder les" in end and "kijkt zelf of hij kan helpen" in end
    assert OC_WEBSITE in end
    assert "toestemming" not in end  # the consent advice comes on request
    assert "Samenvatting" in end and "6 weken" in end and "basisonderwijs" in end
    assert f"nu open. Bel de advieslijn: {PHONE}" in end
    assert "tot 13 uur" in end
    assert reply[-1]["text"].endswith("Heeft dit je geholpen?")
    assert [button["title"] for button in reply[-1].get("buttons", [])] == ["Ja, dit hielp", "Nee, dit hielp niet",
                                                                           "Meer uitleg"]
    assert "toestemming" in details and "voor alles" in details


def test_full_triage_outside_opening_hours_names_the_missing_contact(bot_servers) -> None:
    chat = RestChat(bot_servers)
    with fixed_clock(bot_servers, FRIDAY_AFTERNOON):
        first = chat.joined("geen enkele middelbare school wil mijn dochter aannemen")
        assert "samenwerkingsverband" in first
        assert "bestuur" in chat.joined("ja hoor, met het swv hebben we gebeld")
        end = chat.joined("nee nog niet")
    assert "Neem eerst contact op met het bestuur van de school." in end
    assert "Contact met het bestuur van de school: nee" in end
    assert "gesloten" in end
    assert "maandag om 10 uur" in end
    assert "bericht in" in end and "contactformulier" in end


def test_christmas_day_is_closed_with_the_reason_and_next_opening(bot_servers) -> None:
    chat = RestChat(bot_servers)
    with fixed_clock(bot_servers, CHRISTMAS):
        reply = chat.joined("wat is jullie telefoonnummer?")
    assert "Eerste Kerstdag" in reply
    assert "maandag om 10 uur" in reply  # 26 Dec is Saturday, so Monday 28 December
    assert PHONE in reply


def test_in_the_last_quarter_hour_the_contact_form_is_offered_too(bot_servers) -> None:
    chat = RestChat(bot_servers)
    with fixed_clock(bot_servers, TUESDAY_CLOSING_SOON):
        reply = chat.joined("hoe kan ik jullie bellen?")
    assert "nog open tot 13 uur" in reply
    assert "contactformulier" in reply


def test_since_a_date_is_counted_from_the_injected_clock(bot_servers) -> None:
    chat = RestChat(bot_servers)
    with fixed_clock(bot_servers, TUESDAY_OPEN):
        chat.send("onze dochter zit thuis, ze gaat niet meer naar school")
        chat.send("speciaal onderwijs")
        chat.send("sinds 1 oktober")
        summary = chat.joined("kun je een samenvatting geven?")
    assert "ongeveer 9 weken" in summary  # 61 days on 1 December


def test_a_question_in_the_middle_is_answered_and_the_triage_goes_on(bot_servers) -> None:
    chat = RestChat(bot_servers)
    chat.send("we hebben ruzie met school over het opp")
    reply = chat.joined("wat doet een onderwijsconsulent eigenlijk?")
    assert "onafhankelijk" in reply
    assert "welk soort school" in reply  # the triage question is asked again


def test_stop_leaves_the_triage(bot_servers) -> None:
    chat = RestChat(bot_servers)
    chat.send("de school wil mijn kind niet plaatsen")
    assert "ik stop met de vragen" in chat.joined("stop").lower()


def test_a_crisis_in_the_middle_gives_the_numbers_at_once(bot_servers) -> None:
    chat = RestChat(bot_servers)
    chat.send("mijn kind zit al weken thuis")
    reply = chat.joined("mijn zoon zegt dat hij niet meer wil leven")
    for key in ("emergency", "suicide_prevention_free", "veilig_thuis", "kindertelefoon"):
        assert FACTS.text(f"crisis.{key}") in reply
    assert "veiligheid gaat voor" in reply


def test_a_crisis_outside_the_triage_gives_the_numbers_and_the_way_back(bot_servers) -> None:
    chat = RestChat(bot_servers)
    reply = chat.joined("hij zegt dat hij niet meer wakker wil worden")
    assert FACTS.text("crisis.emergency") in reply and FACTS.text("crisis.suicide_prevention_free") in reply
    assert "verder praten over school" in reply
    # The parent can go on with the school question straight away.
    assert "terug kan naar de school" in chat.joined("mijn zoon zit al zes weken thuis, hij zit op de basisschool")


def test_two_fallbacks_in_a_row_hand_off(bot_servers) -> None:
    chat = RestChat(bot_servers)
    with fixed_clock(bot_servers, TUESDAY_OPEN):
        first = chat.send("qxz vlmpt grrk")
        second = chat.joined("brrp zzzt wqkk")
    assert "andere manier" in first[0]["text"]
    assert first[0].get("buttons"), "the first fallback offers the main topics as buttons"
    assert "advieslijn" in second and PHONE in second


def test_the_issue_conversation_ends_in_three_messages_without_a_loop(bot_servers) -> None:
    """Issue 12, as a parent wrote it (Monday afternoon, line closed): the holiday is understood,
    the region matters so the bot asks "langer dan 4 weken?", an answer to another question is
    kept, and the ending is at most three messages with a careful outcome."""
    chat = RestChat(bot_servers)
    bot_servers.restart_actions({FIXED_NOW_ENV: MONDAY_AFTERNOON, CALENDAR_PATH_ENV: str(TEST_CALENDAR)})
    try:
        first = chat.joined(
            "Hoi, mijn dochter van 14 zit al sinds de herfstvakantie thuis, school zegt dat ze haar niet kunnen helpen"
        )
        assert "soort school" in first
        assert "Is dat langer dan 4 weken?" in chat.joined("middelbare school")
        assert "terug kan naar de school" in chat.joined("ja")
        assert "andere passende school" in chat.joined("nee, ze krijgt helemaal geen les meer")
        reply = chat.send("nee")
    finally:
        bot_servers.restart_actions({FIXED_NOW_ENV: None, CALENDAR_PATH_ENV: None})
    texts = [message.get("text", "") for message in reply]
    assert len(texts) == 3, texts
    assert texts[0].startswith("Waarschijnlijk kun je een onderwijsconsulent inschakelen.")
    assert OC_WEBSITE in texts[1] and PHONE not in texts[1]
    assert "Samenvatting" in texts[2] and "gesloten" in texts[2] and PHONE in texts[2]
    assert "Krijgt nu onderwijs: nee" in texts[2]


def test_unreadable_answers_end_in_buttons_and_then_move_on(bot_servers) -> None:
    chat = RestChat(bot_servers)
    assert "Hoe lang" in chat.joined("onze zoon zit thuis, hij zit op de basisschool")
    first = chat.joined("pff dat is lastig")
    assert "geen tijd uit halen" in first and "Hoe lang" in first  # a hint, then the question
    second = chat.send("tja dat is een lang verhaal")
    titles = [button["title"] for message in second for button in message.get("buttons", [])]
    assert "Weet ik niet" in titles and "Langer dan 4 weken" in titles
    end = chat.send("Weet ik niet")  # no third time the same question: the outcome it can give
    texts = [message.get("text", "") for message in end]
    assert len(texts) == 2, texts
    assert "hoe lang je kind al thuis zit" in texts[0]
    assert "Samenvatting" in texts[1]
