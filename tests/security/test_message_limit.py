"""The per-conversation message limit in both channels, against the real Rasa and action servers
(channels/conversation_limit.py). The servers run with a burst of 3 and one message a minute, so
the fourth message of a conversation inside this test is always over the limit."""

from __future__ import annotations

import uuid
from typing import Iterator

import pytest
import requests

from channels.conversation_limit import BURST_ENV, RATE_ENV
from harness.servers import BotServers
from tests.conftest import MODEL
from tests.rasa_domain import domain_dict
from tests.servers import RestChat, SocketChat

pytestmark = pytest.mark.servers

SLOW_DOWN = domain_dict()["responses"]["utter_slow_down"][0]["text"]


@pytest.fixture(scope="module")
def limited() -> Iterator[BotServers]:
    with BotServers(MODEL, extra_env={RATE_ENV: "1", BURST_ENV: "3"}) as servers:
        yield servers


def test_rest_a_fourth_message_at_once_gets_429_and_the_slow_down_text(limited: BotServers) -> None:
    sender = f"limit-{uuid.uuid4().hex}"
    chat = RestChat(limited, sender)
    for _ in range(3):
        assert SLOW_DOWN not in chat.joined("hallo")
    over = requests.post(limited.rest_url, json={"sender": sender, "message": "hallo"}, timeout=60)
    assert over.status_code == 429
    assert over.json() == [{"recipient_id": sender, "text": SLOW_DOWN}]
    assert SLOW_DOWN not in RestChat(limited).joined("hallo"), "another parent is not limited"
    log = limited.rasa_server.log_path.read_text(errors="replace")
    assert "went over its message limit" in log and sender not in log


def test_socketio_a_fourth_message_gets_the_slow_down_text_and_the_socket_stays(limited: BotServers) -> None:
    per_hallo = len(RestChat(limited).texts("hallo"))  # how many replies one "hallo" gets
    chat = SocketChat(limited.rasa_url)
    other = SocketChat(limited.rasa_url)
    try:
        assert chat.request_session() and other.request_session()
        for count in range(1, 4):
            chat.say("hallo")
            assert len(chat.wait_replies(per_hallo * count)) == per_hallo * count
        assert SLOW_DOWN not in [reply.get("text") for reply in chat.replies]
        chat.say("hallo")
        replies = chat.wait_replies(per_hallo * 3 + 1)
        assert [reply.get("text") for reply in replies[per_hallo * 3:]] == [SLOW_DOWN]
        assert chat.client.connected
        other.say("hallo")
        assert SLOW_DOWN not in [reply.get("text") for reply in other.wait_replies(per_hallo)]
    finally:
        chat.close()
        other.close()
