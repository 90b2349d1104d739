"""Socket.io channel for the website widget: Rasa's channel plus input cleaning and an origin list.

Rasa 3.6's channel creates its socket.io server with ``cors_allowed_origins=[]``, which turns the
origin check off, so any website could talk to the bot. Here the allowed origins come from
``credentials.yml`` (``allowed_origins``); ``"*"`` is accepted only when explicitly configured.
When a part behind the channel fails, the parent gets the service message (channels/service.py);
replies the failed turn already sent stay on screen (socket.io sends each reply as it comes).
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput

from channels.sanitize import clean_user_text
from channels.service import handle_or_apologise
from patches import action_session

DEFAULT_ALLOWED_ORIGINS = ["http://127.0.0.1:8080", "http://localhost:8080"]


def parse_origins(value: Any) -> List[Text]:
    """Accept a list or a comma-separated string of origins; raise ValueError on anything else."""
    if value is None:
        return list(DEFAULT_ALLOWED_ORIGINS)
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(
            "credentials.yml: 'allowed_origins' of the socket.io channel must be a list of "
            "origins such as 'https://www.example.nl'"
        )
    origins = [v.rstrip("/") for v in value if v]
    if not origins:
        raise ValueError("credentials.yml: 'allowed_origins' of the socket.io channel is empty")
    return origins


class SafeSocketIOInput(SocketIOInput):
    """Rasa's socket.io input with cleaned user text and a configured origin list."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = dict(credentials or {})
        origins = parse_origins(credentials.pop("allowed_origins", None))
        channel = super().from_credentials(credentials)
        assert isinstance(channel, SafeSocketIOInput)
        channel.allowed_origins = origins
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_origins: List[Text] = list(DEFAULT_ALLOWED_ORIGINS)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> SocketBlueprint:
        server: Dict[str, Any] = {}  # the Sanic app, kept at start: Rasa's agent lives on it

        async def on_clean_message(message: UserMessage) -> None:
            message.text = clean_user_text(message.text)
            agent = getattr(getattr(server.get("app"), "ctx", None), "agent", None)
            await handle_or_apologise(on_new_message, message, agent)

        blueprint = super().blueprint(on_clean_message)

        @blueprint.listener("before_server_start")
        async def keep_app(app: Any, _: Any) -> None:
            server["app"] = app

        origins: Any = "*" if self.allowed_origins == ["*"] else self.allowed_origins
        blueprint.ctx.sio.eio.cors_allowed_origins = origins
        # The kept-open connections to the action server (patches.action_session) close on stop.
        blueprint.listener("after_server_stop")(action_session.close_sessions)
        return blueprint
