"""Feedback on the ending end to end (issue 11, part 5): real Rasa and action servers, the insight
broker in Rasa's endpoints and the action server on one SQLite store. A triage ends with "Heeft dit
je geholpen?" on its last message; "nee" by button asks why once; a reason button is counted as
its fixed name; a second click is not counted again; a typed reason is thanked for and kept
nowhere (not as a fallback message either, though keeping them is switched on here)."""

from __future__ import annotations

import tempfile
import time
import urllib.parse
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List

import pytest
import requests
from sqlalchemy import func, select

from harness.scaled import broker_endpoint
from harness.servers import BotServers
from store import insight
from store.schema import fallback_messages
from tests.conftest import MODEL
from tests.servers import RestChat
from tests.store.conftest import empty_store

pytestmark = pytest.mark.servers

TUESDAY_OPEN = "2026-12-01T10:30:00+01:00"
# A typed reason the NLU does not understand (nlu_fallback): the fallback would keep it for review.
TYPED_REASON = "xyzzy plof"


@pytest.fixture(scope="module")
def feedback_bot():
    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='advieslijn-feedback-')) / 'store.sqlite'}"
    engine = empty_store(url)
    servers = BotServers(MODEL, api_token="feedback-test-token", extra_env={
        "ADVIESLIJN_STORE_URL": url, "ADVIESLIJN_STORE_FALLBACKS": "1", "ADVIESLIJN_FIXED_NOW": TUESDAY_OPEN,
    }, endpoints_extra=broker_endpoint(url, flush_seconds=1))
    servers.start()
    try:
        yield servers, engine
    finally:
        servers.stop()
        engine.dispose()


def finish_triage(chat: RestChat) -> List[Dict[str, Any]]:
    chat.joined("mijn zoon zit al zes weken thuis, hij zit op de basisschool")
    chat.joined("nee")  # plain "nee" still answers the triage's questions
    chat.joined("nee helaas niet")
    return chat.send("nee, hij krijgt helemaal niks")


def button(message: Dict[str, Any], title: str) -> str:
    (payload,) = [b["payload"] for b in message.get("buttons", []) if b["title"] == title]
    return payload


def events_of(servers: BotServers, chat: RestChat) -> List[Dict[str, Any]]:
    sender = urllib.parse.quote(f"rest_{chat.sender}")
    response = requests.get(f"{servers.rasa_url}/conversations/{sender}/tracker",
                            params={"token": servers.api_token}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["events"]


def totals(engine) -> Dict[Any, int]:
    weeks = insight.weekly(engine, datetime.now(timezone.utc) - timedelta(days=8))
    return {key: value for counts in weeks.values() for key, value in counts.items()}


def test_nee_a_reason_and_a_second_click_are_counted_once(feedback_bot) -> None:
    servers, engine = feedback_bot
    chat = RestChat(servers)
    ending = finish_triage(chat)
    assert len(ending) == 3, [m.get("text") for m in ending]  # the ending stays at three messages
    assert ending[-1]["text"].endswith("Heeft dit je geholpen?")
    assert not any(message.get("buttons") for message in ending[:-1])

    why = chat.send(button(ending[-1], "Nee, dit hielp niet"))
    assert len(why) == 1 and "waarom" in why[0]["text"] and "Samenvatting" not in why[0]["text"]
    assert [b["title"] for b in why[0]["buttons"]] == [
        "Niet duidelijk", "Past niet bij mij", "Ik mis informatie", "Zeg ik liever niet"]
    thanks = chat.joined(button(why[0], "Ik mis informatie"))
    assert thanks.startswith("Dank je wel.") and "Samenvatting" not in thanks
    again = chat.joined(button(ending[-1], "Nee, dit hielp niet"))  # the old button, clicked again
    assert again == "Je antwoord had ik al. Dank je wel!"

    other = RestChat(servers)  # a second parent: plain "nee" right after the ending, a typed reason
    finish_triage(other)
    assert "waarom" in other.joined("nee")
    assert other.joined(TYPED_REASON).startswith("Dank je wel.")
    typed_turn = [e for e in events_of(servers, other) if e["event"] in ("user", "action")][-3:]
    assert typed_turn[0]["parse_data"]["intent"]["name"] == "nlu_fallback", typed_turn[0]["parse_data"]["intent"]
    assert [e.get("name") for e in typed_turn[1:]] == ["action_feedback_reason", "action_listen"]

    not_asked = RestChat(servers)  # feedback with no triage: an answer, nothing counted, no loop
    assert "Vertel in een paar zinnen" in not_asked.joined("ik heb hier niks aan")

    def counted() -> Dict[Any, int]:
        found = totals(engine)
        return found if found.get(("intent", "feedback_not_helped"), 0) >= 2 else {}

    deadline = time.monotonic() + 60
    found = counted()
    while not found and time.monotonic() < deadline:
        time.sleep(0.5)
        found = counted()
    assert found, totals(engine)
    assert found.get(("feedback", "no")) == 2 and found.get(("feedback", "yes"), 0) == 0
    assert found.get(("feedback_reason", "missing_information")) == 1
    assert sum(v for (kind, _), v in found.items() if kind == "feedback_reason") == 1
    assert found.get(("fallback", ""), 0) == 0
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(fallback_messages)).scalar() == 0
    assert not any(TYPED_REASON in name for _, name in found)
