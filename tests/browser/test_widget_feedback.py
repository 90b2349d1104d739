"""Feedback in the widget (issue 11, part 5): after a triage, "Heeft dit je geholpen?" with its
buttons is the last thing on screen; clicking "Nee" shows the fixed reasons, clicking one thanks
the parent; older buttons are retired; axe-core finds no violation with the buttons on screen."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from tests.browser.test_widget import tracker_events
from tests.browser.test_widget_a11y import assert_no_violations
from tests.browser.widget_page import WidgetPage, bot_count

pytestmark = pytest.mark.browser

TRIAGE = ["mijn zoon zit al zes weken thuis, hij zit op de basisschool", "nee", "nee helaas niet",
          "nee, hij krijgt helemaal niks"]


def bots(state: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [m for m in state["messages"] if m["from"] == "bot"]


def answered(widget: WidgetPage, send: Any, what: str) -> Dict[str, Any]:
    """Do `send`, wait for the bot's reply to be complete; the state then."""
    before = bot_count(widget.state())
    send()
    widget.wait_for(lambda s: bot_count(s) > before and not s["typingVisible"], what)
    return widget.settle()


def click(widget: WidgetPage, title: str) -> Dict[str, Any]:
    return answered(widget, lambda: widget.page.locator("button.alw-reply", has_text=title).click(),
                    f"reply to the button {title!r}")


def test_feedback_buttons_on_the_endings_last_message(open_widget, bot_servers) -> None:
    widget = open_widget()
    widget.load()
    widget.open_panel()
    for text in TRIAGE:
        state = answered(widget, lambda: widget.send(text), f"reply to {text!r}")
    last = bots(state)[-1]
    # socket.io sends each paragraph as its own message: the question comes last, with the buttons.
    assert last["text"] == "Heeft dit je geholpen?", bots(state)[-3:]
    assert last["buttons"] == ["Ja, dit hielp", "Nee, dit hielp niet", "Meer uitleg"]
    assert [m for m in bots(state) if m["buttons"]] == [last]
    widget.page.locator("#alw-input").focus()
    assert_no_violations(widget.axe_scan(), "feedback buttons on screen")

    why = click(widget, "Nee, dit hielp niet")
    assert [m["text"] for m in why["messages"] if m["from"] == "user"][-1] == "Nee, dit hielp niet"
    (asking,) = [m for m in bots(why) if m["buttons"]]  # the ending's buttons are retired
    assert "waarom" in asking["text"] and asking == bots(why)[-1]
    assert asking["buttons"] == ["Niet duidelijk", "Past niet bij mij", "Ik mis informatie", "Zeg ik liever niet"]
    assert why["activeElement"]["id"] == "alw-input"
    assert_no_violations(widget.axe_scan(), "reason buttons on screen")

    thanked = click(widget, "Ik mis informatie")
    assert bots(thanked)[-1]["text"] == "Dank je wel. Zo kunnen we de assistent beter maken."
    assert not any(m["buttons"] for m in thanked["messages"])
    assert not any("Samenvatting" in m["text"] for m in bots(thanked)[len(bots(why)):])  # no repeated ending

    events = tracker_events(bot_servers, thanked["sessionId"])
    intents = [e["parse_data"]["intent"]["name"] for e in events if e.get("event") == "user"]
    assert intents[-2:] == ["feedback_not_helped", "feedback_reason"]
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["feedback"] == "no" and slots["feedback_reason_asked"] is False
    assert widget.foreign_requests() == [] and widget.console_errors == []
