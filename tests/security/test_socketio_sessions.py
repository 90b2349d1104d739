"""A conversation belongs to the browser that started it (issue 10), with real socket.io clients.

Reproduces each finding against the real Rasa server: a second client with the first one's id,
a third that sends into it without joining, REST with that id, one socket in two conversations,
malformed packets, over-long messages and client metadata.
"""

from __future__ import annotations

import time
from typing import Any, List

import pytest
import requests

from tests.servers import RestChat, SocketChat

pytestmark = pytest.mark.servers
QUIET_S = 3.0  # how long a client that must receive nothing is watched


@pytest.fixture
def chats(bot_servers: Any) -> Any:
    opened: List[SocketChat] = []

    def open_chat() -> SocketChat:
        chat = SocketChat(bot_servers.rasa_url)
        opened.append(chat)
        return chat

    yield open_chat
    for chat in opened:
        chat.close()


def started(open_chat: Any) -> SocketChat:
    """A client in a triage: it asked for a session and named its situation."""
    chat = open_chat()
    assert chat.request_session()
    chat.say("We hebben problemen met het OPP")
    assert chat.wait_replies(2)
    return chat


def test_the_server_issues_the_id_and_ignores_a_proposed_one(chats: Any) -> None:
    first, second = chats(), chats()
    first_id = first.request_session()
    assert first_id and first_id.startswith("sio_") and first.token.startswith(first_id + ".")
    assert second.request_session({"session_id": first_id}) not in (None, first_id)


def test_another_client_with_the_bare_id_reads_and_steers_nothing(chats: Any) -> None:
    victim = started(chats)
    seen = len(victim.wait_replies())
    intruder = chats()
    intruder.request_session({"session_id": victim.session_id})
    intruder.say("samenvatting", session_id=victim.session_id)  # refused: not its conversation
    outsider = chats()  # never asks for a session
    outsider.say("samenvatting", session_id=victim.session_id)
    time.sleep(QUIET_S)
    assert len(victim.replies) == seen, victim.replies[seen:]
    assert intruder.replies == [] and outsider.replies == []
    victim.say("basisschool")  # the victim's triage went on untouched: next, the SWV question
    assert "samenwerkingsverband" in victim.wait_replies(seen + 1)[-1]["text"]


def test_rest_cannot_reach_a_widget_conversation(chats: Any, bot_servers: Any) -> None:
    victim = started(chats)
    seen = len(victim.wait_replies())
    replies = RestChat(bot_servers, sender=victim.session_id).texts("samenvatting")
    assert not any("Situatie" in text for text in replies)  # a new, empty conversation
    time.sleep(QUIET_S)
    assert len(victim.replies) == seen


def test_the_token_resumes_the_conversation_after_a_reload(chats: Any) -> None:
    before = started(chats)
    reloaded = chats()
    assert reloaded.request_session({"session_token": before.token}) == before.session_id
    reloaded.say("basisschool")
    assert "samenwerkingsverband" in reloaded.wait_replies(1)[-1]["text"]


def test_a_forged_or_foreign_token_starts_a_new_conversation(chats: Any) -> None:
    victim = started(chats)
    other = chats()
    forged = victim.token[:-4] + ("0000" if not victim.token.endswith("0000") else "1111")
    assert other.request_session({"session_token": forged}) != victim.session_id


def test_one_socket_cannot_join_a_second_conversation(chats: Any) -> None:
    first, second = started(chats), started(chats)
    seen = len(second.wait_replies())
    assert first.request_session({"session_token": second.token}, timeout=QUIET_S) == first.session_id
    first.say("samenvatting", session_id=second.session_id)
    time.sleep(QUIET_S)
    assert len(second.replies) == seen


MALFORMED: List[Any] = [
    ("user_uttered", "hallo"),
    ("user_uttered", ["hallo"]),
    ("user_uttered", 42),
    ("user_uttered", None),
    ("user_uttered", {"message": ["hallo"]}),
    ("user_uttered", {"message": {"x": 1}}),
    ("user_uttered", {"session_id": ["a"], "message": "hallo"}),
    ("user_uttered", {"session_id": 12345, "message": "hallo"}),
    ("user_uttered", {"message": "hallo", "metadata": "not json"}),
    ("user_uttered", {"message": "hallo", "metadata": [1, 2]}),
    ("user_uttered", {"message": "hallo"}, "extra"),
    ("session_request", "x"),
    ("session_request", ["x"]),
    ("session_request", {"session_token": ["x"]}),
    ("session_request", {"session_token": "x" * 5000}),
    ("session_request", {"session_id": "a" * 40_000}),
    ("session_request", 1, 2),
    ("no_such_event", {"message": "hallo"}),
]


def test_malformed_packets_are_dropped_without_a_traceback(chats: Any, bot_servers: Any) -> None:
    log_start = bot_servers.rasa_server.log_path.stat().st_size
    chat = chats()
    for event, *payload in MALFORMED:
        chat.client.emit(event, tuple(payload) if len(payload) > 1 else (payload[0] if payload else None))
    fresh = chats()
    fresh.client.emit("user_uttered", {"message": "hallo"})  # never asked for a session
    time.sleep(QUIET_S)
    assert chat.request_session()
    chat.say("hallo")
    assert chat.wait_replies(1), "the server must still answer"
    with open(bot_servers.rasa_server.log_path, "rb") as log:
        log.seek(log_start)
        written = log.read().decode(errors="replace")
    assert "Traceback" not in written and "Task exception" not in written, written[-3000:]


def test_an_over_long_message_gets_a_friendly_answer_and_is_not_read(chats: Any) -> None:
    chat = chats()
    chat.request_session()
    chat.say("mijn kind zit thuis " * 400)  # 8,000 characters
    (reply,) = chat.wait_replies(1)
    assert "te lang" in reply["text"]


def test_client_metadata_is_not_stored(chats: Any, bot_servers: Any) -> None:
    chat = chats()
    chat.request_session()
    chat.say("hallo", customData={"blob": "x" * 20_000})
    assert chat.wait_replies(1)
    tracker = requests.get(
        f"{bot_servers.rasa_url}/conversations/{chat.session_id}/tracker",
        params={"token": bot_servers.api_token},
        timeout=30,
    ).json()
    users = [event for event in tracker["events"] if event["event"] == "user"]
    # Only what Rasa adds itself (assistant_id, model_id); nothing the client sent.
    assert users and all(set(event.get("metadata") or {}) <= {"assistant_id", "model_id"} for event in users)


def test_a_packet_over_64_kib_is_refused_and_others_go_on(bot_servers: Any) -> None:
    chat = SocketChat(bot_servers.rasa_url, transports=["polling"])
    try:
        assert chat.request_session({"session_id": "a" * 200_000}, timeout=QUIET_S) is None
    finally:
        chat.close()
    assert RestChat(bot_servers).texts("hallo")
