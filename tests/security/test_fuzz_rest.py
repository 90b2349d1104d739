"""Property-based fuzzing of the REST channel against the real Rasa server (hypothesis).

Hundreds of random bodies, content types and raw bytes: never a 5xx, never a traceback in the
server's log, and a conversation that was under way before the fuzzing is intact afterwards.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from tests.security.fuzz_strategies import fuzz_settings, json_values
from tests.servers import RestChat

pytestmark = pytest.mark.servers

EXAMPLES = 300  # per test; three tests, so about a thousand requests in all
FUZZ = fuzz_settings(EXAMPLES)
SESSION = requests.Session()

message_bodies = st.fixed_dictionaries(
    {},
    optional={
        "sender": st.one_of(st.text(max_size=140), json_values),
        "message": st.one_of(st.text(max_size=300), json_values),
        "metadata": json_values,
    },
)


def post(bot_servers: Any, data: bytes, content_type: str = "application/json") -> requests.Response:
    return SESSION.post(bot_servers.rest_url, data=data, headers={"Content-Type": content_type}, timeout=60)


@pytest.fixture(scope="module")
def conversation(bot_servers: Any) -> RestChat:
    """A triage under way before the fuzzing; checked again after it."""
    chat = RestChat(bot_servers)
    assert "soort school" in chat.joined("We hebben problemen met het OPP")
    return chat


@pytest.fixture(scope="module")
def log_start(bot_servers: Any) -> int:
    return bot_servers.rasa_server.log_path.stat().st_size


def assert_answered(answer: requests.Response) -> None:
    assert answer.status_code < 500, answer.text[:500]
    if answer.status_code == 200:
        assert isinstance(answer.json(), list)
    else:
        assert "error" in answer.json()


@FUZZ
@given(body=message_bodies)
def test_random_json_bodies(bot_servers: Any, conversation: RestChat, log_start: int, body: Any) -> None:
    assert_answered(post(bot_servers, json.dumps(body).encode()))


@FUZZ
@given(body=json_values)
def test_random_json_values(bot_servers: Any, conversation: RestChat, log_start: int, body: Any) -> None:
    assert_answered(post(bot_servers, json.dumps(body).encode()))


@FUZZ
@given(data=st.binary(max_size=300), content_type=st.sampled_from(["application/json", "text/plain", "", "x/y"]))
def test_random_bytes_and_content_types(
    bot_servers: Any, conversation: RestChat, log_start: int, data: bytes, content_type: str
) -> None:
    answer = post(bot_servers, data, content_type)
    assert answer.status_code < 500, answer.text[:500]


def test_after_the_fuzzing_no_traceback_and_the_conversation_goes_on(
    bot_servers: Any, conversation: RestChat, log_start: int
) -> None:
    assert "samenwerkingsverband" in conversation.joined("basisschool")  # the next question: the SWV
    with open(bot_servers.rasa_server.log_path, "rb") as log:
        log.seek(log_start)
        written = log.read().decode(errors="replace")
    assert "Traceback" not in written, written[-3000:]
