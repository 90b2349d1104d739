"""The chat widget when the bot cannot be reached: the real Rasa server is stopped mid-conversation
and started again. The widget shows the advice line's phone number and contact form, queues what
the parent types, reconnects by itself and sends the queued message exactly once.

The README's offline screenshot is taken here (written by `make screenshots` only). The test always
leaves the Rasa server running for whatever follows.
"""

from __future__ import annotations

import json
import re

import pytest

from actions.facts import load_facts
from tests.browser.widget_page import bot_count

pytestmark = pytest.mark.browser

QUEUED_TEXT = "Mijn kind krijgt geen extra ondersteuning"


def test_offline_fallback_and_queue(open_widget, bot_servers, readme_screenshot):
    phone = load_facts().text("advieslijn.phone")
    widget = open_widget()
    widget.load()
    widget.open_panel()
    widget.send("hallo")
    widget.wait_for(lambda s: bot_count(s) >= 1, "bot reply before the server stops")
    online = widget.settle(500)
    assert online["offlineNotice"] is False
    session_id = online["sessionId"]
    try:
        bot_servers.stop_rasa()
        # The connection drops: a clear Dutch message with the advice line's number and the form.
        dropped = widget.wait_for(lambda s: s["offlineNotice"], "offline notice after the connection dropped")
        assert dropped["statusRole"] == "status"
        assert "niet bereikbaar" in dropped["statusText"]
        assert phone in dropped["statusText"]
        assert "tel:" + re.sub(r"[^0-9+]", "", phone) in dropped["statusLinks"]
        assert "contactformulier" in dropped["statusText"]

        # Typed while offline: shown, marked as not sent yet, kept in sessionStorage.
        widget.send(QUEUED_TEXT)
        queued = widget.wait_for(
            lambda s: any(m["from"] == "user" and m["text"] == QUEUED_TEXT for m in s["messages"]),
            "queued message shown",
            5,
        )
        message = next(m for m in queued["messages"] if m["from"] == "user" and m["text"] == QUEUED_TEXT)
        assert message["pending"] is True
        assert queued["inputValue"] == ""
        assert [m["text"] for m in queued["storage"]["messages"] if m.get("pending")] == [QUEUED_TEXT]

        # The fallback must be accessible too; a picture of it for the docs.
        scan = widget.axe_scan()
        assert scan["violations"] == [], json.dumps(scan["violations"], indent=1)
        readme_screenshot(widget, "widget-offline.png", (1280, 800))

        # Server unreachable from the start (reload while it is down): same message; queue kept.
        widget.page.reload(wait_until="load")
        unreachable = widget.wait_for(
            lambda s: s["mounted"] and s["offlineNotice"], "offline notice after reload with the server down"
        )
        assert phone in unreachable["statusText"]
        assert [m["text"] for m in unreachable["messages"] if m["pending"]] == [QUEUED_TEXT]

        bot_servers.start_rasa()
        # Server back: reconnects by itself, sends the queued message, gets an answer.
        widget.wait_for(
            lambda s: not s["offlineNotice"] and bot_count(s) > bot_count(unreachable)
            and not any(m["pending"] for m in s["messages"]),
            "reconnect, queued message sent and answered",
            90,
        )
    finally:
        bot_servers.start_rasa()  # leave the server running for whatever follows
    back = widget.settle(500)
    assert back["offlineNotice"] is False
    assert [m["text"] for m in back["messages"] if m["pending"]] == []
    new_bot = [m["text"] for m in back["messages"][len(unreachable["messages"]):] if m["from"] == "bot"]
    assert new_bot and all(t.strip() for t in new_bot)
    assert back["sessionId"] == session_id
    # Sent exactly once, with the conversation's session id, after the server came back.
    sent = [w for w in widget.wire if w["event"] == "user_uttered" and w["message"] == QUEUED_TEXT]
    assert len(sent) == 1, widget.wire
    assert {w["session_id"] for w in widget.wire if w["event"] == "user_uttered"} == {session_id}
    assert widget.foreign_requests() == []
