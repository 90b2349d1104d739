"""Property-based fuzzing of the socket.io channel against the real Rasa server (hypothesis).

Random events and payloads from one client, while another client's triage is under way: no
traceback in the server's log, the fuzzing client never reaches the other conversation, and that
conversation goes on where it was.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.security.fuzz_strategies import fuzz_settings, json_values
from tests.servers import SocketChat

pytestmark = pytest.mark.servers

payloads = st.fixed_dictionaries(
    {},
    optional={
        "message": st.one_of(st.text(max_size=200), json_values),
        "session_id": st.one_of(st.text(max_size=40), json_values),
        "session_token": st.one_of(st.text(max_size=120), json_values),
        "metadata": json_values,
    },
) | json_values
events = st.sampled_from(["user_uttered", "session_request", "bot_uttered", "session_confirm", "x"])


@pytest.fixture(scope="module")
def victim(bot_servers: Any) -> Any:
    chat = SocketChat(bot_servers.rasa_url)
    assert chat.request_session()
    chat.say("We hebben problemen met het OPP")
    assert chat.wait_replies(2)
    time.sleep(2)
    chat.settled = len(chat.replies)  # type: ignore[attr-defined]  # replies before the fuzzing
    yield chat
    chat.close()


class Fuzzer:
    """The fuzzing client; the server may close its connection (too many packets at once, say):
    then a new one is opened, as an attacker would."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.chat = SocketChat(url)
        self.reconnects = 0

    def emit(self, event: str, payload: Any) -> None:
        if not self.chat.client.connected:
            self.chat.close()
            self.chat = SocketChat(self.url)
            self.reconnects += 1
        self.chat.client.emit(event, payload)


@pytest.fixture(scope="module")
def fuzzer(bot_servers: Any) -> Any:
    client = Fuzzer(bot_servers.rasa_url)
    yield client
    client.chat.close()


@pytest.fixture(scope="module")
def log_start(bot_servers: Any) -> int:
    return bot_servers.rasa_server.log_path.stat().st_size


@fuzz_settings(400)
@given(event=events, payload=payloads)
def test_random_packets(victim: Any, fuzzer: Any, log_start: int, event: str, payload: Any) -> None:
    if isinstance(payload, dict) and "session_id" in payload and isinstance(payload["session_id"], str):
        payload = {**payload, "session_id": victim.session_id}  # aim at the other conversation
    fuzzer.emit(event, payload)


def test_after_the_fuzzing_no_traceback_and_the_other_conversation_is_intact(
    bot_servers: Any, victim: Any, fuzzer: Any, log_start: int
) -> None:
    time.sleep(3)  # let the last packets be handled
    assert len(victim.replies) == victim.settled, victim.replies[victim.settled:]  # nothing reached it
    victim.say("basisschool")
    assert len(victim.wait_replies(victim.settled + 1)) > victim.settled, "the conversation must go on"
    with open(bot_servers.rasa_server.log_path, "rb") as log:
        log.seek(log_start)
        written = log.read().decode(errors="replace")
    assert "Traceback" not in written and "Task exception" not in written, written[-3000:]
