"""Test access to the real servers (see harness/servers.py) and a small REST client."""

from __future__ import annotations

import contextlib
import threading
import uuid
from typing import Any, Dict, Iterator, List, Optional

import requests
import socketio

from harness.servers import BotServers, ServerError, free_port  # noqa: F401  (re-exported)
from actions.clock import FIXED_NOW_ENV


class RestChat:
    """One conversation over the REST channel, with a fresh unguessable sender id."""

    def __init__(self, servers: BotServers, sender: Optional[str] = None) -> None:
        self.servers = servers
        self.sender = sender or f"test-{uuid.uuid4().hex}"

    def send(self, text: str) -> List[Dict[str, Any]]:
        response = requests.post(
            self.servers.rest_url, json={"sender": self.sender, "message": text}, timeout=60
        )
        assert response.status_code == 200, response.text
        return response.json()

    def texts(self, text: str) -> List[str]:
        """Send `text`; return the bot's reply texts."""
        return [m.get("text", "") for m in self.send(text)]

    def joined(self, text: str) -> str:
        return "\n".join(self.texts(text))


@contextlib.contextmanager
def fixed_clock(servers: BotServers, iso_moment: str) -> Iterator[None]:
    """Run the action server with its clock fixed at `iso_moment`, then restore the real clock."""
    servers.restart_actions({FIXED_NOW_ENV: iso_moment})
    try:
        yield
    finally:
        servers.restart_actions({FIXED_NOW_ENV: None})


def socketio_conversation(url: str, text: str, headers=None, timeout: float = 60):
    """Send `text` over socket.io in a new session; return the first replies (bot_uttered)."""
    client = socketio.Client(reconnection=False)
    session_id = uuid.uuid4().hex
    confirmed, answered = threading.Event(), threading.Event()
    replies = []

    @client.on("session_confirm")
    def on_confirm(data):  # noqa: ANN001
        confirmed.set()

    @client.on("bot_uttered")
    def on_reply(data):  # noqa: ANN001
        replies.append(data)
        answered.set()

    client.connect(url, socketio_path="/socket.io", headers=headers or {}, transports=["polling", "websocket"])
    try:
        client.emit("session_request", {"session_id": session_id})
        assert confirmed.wait(20), "no session_confirm"
        client.emit("user_uttered", {"message": text, "session_id": session_id})
        assert answered.wait(timeout), "no bot_uttered reply over socket.io (python-socketio pin?)"
        return replies
    finally:
        client.disconnect()
