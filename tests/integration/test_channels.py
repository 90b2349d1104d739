"""The real Rasa server and action server, over the REST channel and over socket.io."""

from __future__ import annotations

from importlib.metadata import version

import pytest
import requests
import socketio
from packaging.version import Version

from harness.servers import VENV_BIN
from tests.servers import RestChat, socketio_conversation

VENV_PYTHON = VENV_BIN / "python"

pytestmark = pytest.mark.servers


def test_rest_hallo_gets_the_dutch_greeting_with_topic_buttons(bot_servers) -> None:
    replies = RestChat(bot_servers).send("hallo")
    assert replies, "no reply"
    assert "assistent van de advieslijn" in replies[0]["text"]
    titles = [b["title"] for b in replies[0].get("buttons", [])]
    assert "Mijn kind zit nu thuis" in titles


@pytest.mark.parametrize(
    "body, error",
    [
        ({"message": "hallo"}, "'sender'"),
        ({"sender": "", "message": "hallo"}, "'sender'"),
        ({"sender": "a b c", "message": "hallo"}, "'sender'"),
        ({"sender": "ok", "message": 42}, "'message'"),
        (["not", "an", "object"], "JSON object"),
    ],
)
def test_rest_refuses_malformed_requests_with_a_precise_error(bot_servers, body, error) -> None:
    response = requests.post(bot_servers.rest_url, json=body, timeout=30)
    assert response.status_code == 400
    assert error in response.json()["error"]


def test_rest_refuses_a_body_that_is_not_json(bot_servers) -> None:
    response = requests.post(
        bot_servers.rest_url, data="hallo", headers={"Content-Type": "application/json"}, timeout=30
    )
    assert response.status_code == 400


def test_typed_intent_syntax_does_not_skip_nlu_or_fill_slots(bot_servers) -> None:
    chat = RestChat(bot_servers)
    chat.send('/child_at_home{"weeks_at_home": 10, "school_type": "po", "contacted_board": true}')
    summary = chat.joined("kun je het samenvatten?")
    assert "Zit thuis" not in summary
    assert "basisonderwijs" not in summary
    assert "bestuur van de school: ja" not in summary


def test_an_empty_message_gets_a_friendly_answer(bot_servers) -> None:
    texts = RestChat(bot_servers).texts("   ")
    assert texts and all(texts), "an empty message must still get a (non-empty) answer"


def test_python_socketio_stays_below_5_10() -> None:
    # Rasa 3.6.21 calls enter_room() without await; python-socketio 5.10 made it a coroutine and
    # browser clients then never receive replies (rasa#13027).
    assert Version(version("python-socketio")) < Version("5.10")


def test_socketio_hallo_gets_the_dutch_greeting(bot_servers) -> None:
    replies = socketio_conversation(bot_servers.rasa_url, "hallo")
    assert "assistent van de advieslijn" in replies[0]["text"]
    assert any(b["title"] == "Mijn kind zit nu thuis" for b in replies[0].get("quick_replies", []))


def test_socketio_accepts_the_configured_origin(bot_servers) -> None:
    origin = f"http://127.0.0.1:{bot_servers.web_port}"
    replies = socketio_conversation(bot_servers.rasa_url, "hallo", headers={"Origin": origin})
    assert replies


def test_socketio_refuses_other_origins(bot_servers) -> None:
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            bot_servers.rasa_url,
            socketio_path="/socket.io",
            headers={"Origin": "https://elders.example"},
            transports=["polling"],
        )


def test_the_rasa_server_runs_with_the_projects_patches(bot_servers) -> None:
    RestChat(bot_servers).send("hallo")  # the channels have loaded
    log = bot_servers.rasa_server.log_path.read_text(errors="replace")
    assert "without the project's patches" not in log
    assert bot_servers.rasa_server.command[:3] == [str(VENV_PYTHON), "-m", "patches"]
