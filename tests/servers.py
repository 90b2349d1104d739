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


class SocketChat:
    """A socket.io client that speaks the widget's protocol: it asks for a conversation and keeps
    the id and token the server issues (channels/socketio.py); it records every reply."""

    def __init__(self, url: str, headers: Optional[Dict[str, str]] = None, transports: Any = ("polling", "websocket")) -> None:
        self.client = socketio.Client(reconnection=False)
        self.session_id: Optional[str] = None
        self.token: Optional[str] = None
        self.replies: List[Dict[str, Any]] = []
        self._changed = threading.Condition()

        @self.client.on("session_confirm")
        def on_confirm(data: Any) -> None:
            with self._changed:
                self.session_id = data
                self._changed.notify_all()

        @self.client.on("session_token")
        def on_token(data: Any) -> None:
            self.token = data

        @self.client.on("bot_uttered")
        def on_reply(data: Any) -> None:
            with self._changed:
                self.replies.append(data)
                self._changed.notify_all()

        self.client.connect(url, socketio_path="/socket.io", headers=headers or {}, transports=list(transports))

    def request_session(self, payload: Any = None, timeout: float = 20) -> Optional[str]:
        """Emit session_request (with `payload`, else {}); the confirmed id, or None if none came."""
        before = self.session_id
        with self._changed:
            self.session_id = None
        self.client.emit("session_request", {} if payload is None else payload)
        with self._changed:
            if not self._changed.wait_for(lambda: self.session_id is not None, timeout):
                self.session_id = before  # refused: the socket keeps what it had
        return self.session_id

    def say(self, text: str, **extra: Any) -> None:
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id, **extra})

    def wait_replies(self, count: int = 1, timeout: float = 60) -> List[Dict[str, Any]]:
        """Wait until at least `count` replies have come in; return all of them."""
        with self._changed:
            self._changed.wait_for(lambda: len(self.replies) >= count, timeout)
            return list(self.replies)

    def close(self) -> None:
        self.client.disconnect()


def socketio_conversation(url: str, text: str, headers: Optional[Dict[str, str]] = None, timeout: float = 60) -> List[Dict[str, Any]]:
    """Send `text` over socket.io in a new conversation; return the first replies (bot_uttered)."""
    chat = SocketChat(url, headers)
    try:
        assert chat.request_session(), "no session_confirm"
        chat.say(text)
        replies = chat.wait_replies(1, timeout)
        assert replies, "no bot_uttered reply over socket.io (python-socketio pin?)"
        return replies
    finally:
        chat.close()
