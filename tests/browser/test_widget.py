"""The chat widget in headless Chromium against the real bot: a conversation by keyboard, with a
button and a reload, as Rasa recorded it; and markup that must stay text.

The fixtures (conftest.py) build the widget for the test Rasa server, serve it and open each
test's page in a fresh browser profile.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any, Dict, List

import pytest
import requests

from store import fallbacks
from tests.browser.widget_page import bot_count

pytestmark = pytest.mark.browser

SERVER_ISSUED_ID = re.compile(r"sio_[0-9a-f]{32}")  # channels/session_binding.py
# Words that nearly every Dutch reply contains one of, and English ones do not.
DUTCH_WORDS = {
    "de", "het", "een", "en", "je", "u", "uw", "ik", "van", "wat", "hoe", "kan", "kunt",
    "over", "met", "voor", "niet", "welkom", "hallo", "dag", "goedendag", "waar", "wilt", "zijn",
}


def tracker_events(bot_servers, session_id: str) -> List[Dict[str, Any]]:
    """Events of one conversation, from Rasa's HTTP API (on in the test servers, behind a token)."""
    url = f"{bot_servers.rasa_url}/conversations/{urllib.parse.quote(session_id)}/tracker"
    response = requests.get(url, params={"token": bot_servers.api_token}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["events"]


def bot_texts(events: List[Dict[str, Any]]) -> List[str]:
    # The socket.io channel sends each paragraph ("\n\n") of a bot text as its own message.
    texts: List[str] = []
    for event in events:
        if event.get("event") == "bot" and event.get("text"):
            texts.extend(event["text"].strip().split("\n\n"))
    return texts


def looks_dutch(text: str) -> bool:
    return bool(set(re.findall(r"[a-zà-ÿ]+", text.lower())) & DUTCH_WORDS)


def texts(messages: List[Dict[str, Any]], who: str) -> List[str]:
    return [m["text"] for m in messages if m["from"] == who]


def test_conversation_keyboard_buttons_and_reload(open_widget, bot_servers):
    widget = open_widget()
    page = widget.page
    widget.load()
    before = widget.state()
    assert (before["panelOpen"], before["launcherVisible"], before["lang"]) == (False, True, "nl")

    # Keyboard: the launcher is reached with Tab, shows a visible focus ring, opens with Enter.
    keyboard = widget.open_by_keyboard()
    assert keyboard["tabs"] <= 10
    focus = keyboard["focusStyle"]
    assert focus["matchesFocusVisible"] and focus["outlineStyle"] == "solid"
    assert float(focus["outlineWidth"].rstrip("px")) >= 2
    opened = widget.wait_for(lambda s: s["panelOpen"], "panel open after Enter on launcher", 5)
    assert opened["launcherExpanded"] == "true"
    assert opened["activeElement"]["id"] == "alw-input", "focus must move to the input on open"
    assert opened["inputLabel"] == "Je bericht"
    assert (opened["logRole"], opened["logLive"]) == ("log", "polite")
    assert "persoonlijke gegevens" in opened["privacyNote"]
    # The note says that not-understood messages are kept only when the servers keep them (the
    # test servers do not: tests/conftest.py); tests/integration/test_widget_build.py has the days.
    assert ("dagen zonder namen" in opened["privacyNote"]) == fallbacks.enabled()

    # "hallo" -> a Dutch reply with answer buttons, after a typing indicator. The bot may answer
    # within milliseconds, so a DOM observer notes the indicator rather than a poll.
    page.evaluate(
        """() => {
          const root = document.getElementById("advieslijn-chat-widget").shadowRoot;
          const typing = root.querySelector(".alw-typing");
          const logEl = root.querySelector(".alw-log");
          window.__typingBeforeReply = null;
          new MutationObserver(() => {
            if (!typing.hidden && window.__typingBeforeReply === null && !logEl.querySelector(".alw-msg--bot")) {
              window.__typingBeforeReply = true;
            }
          }).observe(typing, { attributes: true, attributeFilter: ["hidden"] });
        }"""
    )
    hallo = widget.say_hallo()
    assert page.evaluate("window.__typingBeforeReply") is True
    session_id = hallo["sessionId"]
    assert SERVER_ISSUED_ID.fullmatch(session_id), session_id
    assert texts(hallo["messages"], "user") == ["hallo"]
    bot = texts(hallo["messages"], "bot")
    assert bot and all(t.strip() for t in bot)
    assert any(looks_dutch(t) for t in bot), bot
    assert any(m["buttons"] for m in hallo["messages"] if m["from"] == "bot"), "greeting must offer buttons"
    assert hallo["inputValue"] == ""

    # The shown transcript is what the bot said in this conversation (Rasa's own record).
    events = tracker_events(bot_servers, session_id)
    assert [e["text"] for e in events if e.get("event") == "user"] == ["hallo"]
    assert bot_texts(events) == bot

    # A button: its title is shown as the user's message and the bot answers; focus stays in the input.
    title = [m for m in hallo["messages"] if m["from"] == "bot" and m["buttons"]][-1]["buttons"][0]
    page.locator("button.alw-reply").first.click()
    clicked = widget.wait_for(lambda s: bot_count(s) > bot_count(hallo), "bot reply after button click")
    assert clicked["activeElement"]["id"] == "alw-input"
    after_click = widget.settle()
    assert texts(after_click["messages"], "user") == ["hallo", title]
    new_bot = texts(after_click["messages"][len(hallo["messages"]):], "bot")
    assert new_bot and all(t.strip() for t in new_bot)

    # Reload: same session id, same transcript, panel still open, and the conversation goes on.
    stored = after_click["storage"]
    assert stored["sessionId"] == session_id == after_click["sessionId"]
    page.reload(wait_until="load")
    reloaded = widget.wait_for(
        lambda s: s["mounted"] and s["panelOpen"] and len(s["messages"]) >= len(after_click["messages"]),
        "transcript after reload",
        10,
    )
    assert reloaded["sessionId"] == session_id
    shown = [(m["from"], m["text"]) for m in reloaded["messages"]]
    assert shown == [(m["from"], m["text"]) for m in after_click["messages"]]
    widget.send("hallo")
    widget.wait_for(lambda s: bot_count(s) > bot_count(reloaded), "bot reply after reload")
    continued = widget.settle()
    assert continued["sessionId"] == session_id
    new_messages = continued["messages"][len(reloaded["messages"]):]
    assert texts(new_messages, "user") == ["hallo"]
    assert texts(new_messages, "bot"), "a message after the reload must be answered"
    user_events = [e for e in tracker_events(bot_servers, session_id) if e.get("event") == "user"]
    assert len(user_events) == 3, "all three messages must be in one Rasa conversation"
    assert user_events[0]["text"] == "hallo" and user_events[2]["text"] == "hallo"

    # On the wire: every message carried this one session id, also after the reload; after the first
    # session request the widget asks for its conversation back with the server's token, not the id.
    wire = widget.wire
    assert {w["session_id"] for w in wire if w["event"] == "user_uttered"} == {session_id}, wire
    requests_sent = [w for w in wire if w["event"] == "session_request"]
    assert len(requests_sent) >= 2, wire  # before and after the reload
    assert requests_sent[0]["token"] is None and all(w["session_id"] is None for w in requests_sent)
    assert all(w["token"] and w["token"].startswith(session_id + ".") for w in requests_sent[1:]), wire
    sent_events = [w["event"] for w in wire]
    sent = [w["message"] for w in wire if w["event"] == "user_uttered"]
    assert len(sent) == 3 and sent[0] == sent[2] == "hallo" and sent[1], sent
    last_request = max(i for i, e in enumerate(sent_events) if e == "session_request")
    last_message = max(i for i, e in enumerate(sent_events) if e == "user_uttered")
    assert last_request < last_message, "after the reload the session is requested before sending"

    # Escape closes and returns focus to the launcher; Enter opens again with focus in the input.
    page.locator("#alw-input").focus()
    page.keyboard.press("Escape")
    closed = widget.wait_for(lambda s: not s["panelOpen"], "panel closed by Escape", 3)
    assert closed["activeElement"]["className"] == "alw-launcher"
    assert closed["launcherExpanded"] == "false"
    page.keyboard.press("Enter")
    reopened = widget.wait_for(lambda s: s["panelOpen"], "panel reopened by Enter", 3)
    assert reopened["activeElement"]["id"] == "alw-input"

    # Privacy: sessionStorage only; no cookies, no localStorage, no request to another site.
    assert continued["localStorageKeys"] == [] and continued["cookies"] == ""
    assert widget.context.cookies() == []
    assert len(continued["storage"]["messages"]) >= 6
    assert widget.requests and widget.foreign_requests() == []
    assert widget.console_errors == []


def test_injected_markup_is_text(open_widget):
    widget = open_widget()
    # Keep the socket on WebSocket frames that pass through here, to inject one hostile bot message.
    routes = []

    def pass_through(ws):
        server = ws.connect_to_server()
        ws.on_message(server.send)
        server.on_message(ws.send)
        routes.append(ws)

    widget.page.route_web_socket(re.compile(r"/socket\.io/"), pass_through)
    widget.load()
    widget.open_panel()

    evil = "<img src=x onerror=window.__xss=1>"
    widget.send(evil)
    shown = widget.wait_for(lambda s: bot_count(s) >= 1, "bot reply to the injected text")
    assert texts(shown["messages"], "user") == [evil], "the user's text must be shown literally"
    assert shown["imgInWidget"] == 0 and shown["imgInDocument"] == 0
    assert shown["xssFlag"] is None

    # A bot message with markup, a javascript: link, a markdown link and a bare URL.
    widget.wait_for(lambda s: bool(routes), "socket.io upgraded to WebSocket", 15)
    hostile = {
        "text": 'Lees <b>dit</b> <img src=x onerror=window.__xss=2> en [klik](javascript:window.__xss=3) '
        "of [de uitleg](https://example.org/uitleg) of https://example.org/pagina.",
        "quick_replies": [{"content_type": "text", "title": "<i>Ja</i>", "payload": "/affirm"}],
    }
    routes[-1].send("42" + json.dumps(["bot_uttered", hostile]))
    after = widget.wait_for(lambda s: bot_count(s) > bot_count(shown), "injected bot message shown", 5)
    last = [m for m in after["messages"] if m["from"] == "bot"][-1]
    assert "<img src=x onerror=window.__xss=2>" in last["text"] and "<b>dit</b>" in last["text"]
    assert after["imgInWidget"] == 0 and after["xssFlag"] is None
    # Only the http(s) links became links; the javascript: one stayed text.
    assert [link["href"] for link in last["links"]] == ["https://example.org/uitleg", "https://example.org/pagina"]
    for link in last["links"]:
        assert link["target"] == "_blank" and link["rel"] == "noopener noreferrer"
    assert "klik" in last["text"] and "javascript:" not in last["text"]
    assert last["buttons"] == ["<i>Ja</i>"]
    assert widget.foreign_requests() == []
    assert widget.console_errors == []
