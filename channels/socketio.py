"""Socket.io channel for the website widget: Rasa's channel, with conversations bound to sockets.

Modelled on Rasa 3.6's ``SocketIOInput.blueprint``
(https://github.com/RasaHQ/rasa/blob/3.6.21/rasa/core/channels/socketio.py): the same events
(``session_request``/``session_confirm``, ``user_uttered``/``bot_uttered``) and Rasa's output
channel, with these differences (issue 10):

- Origins: Rasa creates its server with ``cors_allowed_origins=[]``, which turns the origin check
  off. Here they come from ``credentials.yml`` (``allowed_origins``; ``"*"`` only when set).
- Binding: the server issues the conversation id and a signed token (channels/session_binding.py).
  A socket is bound to one conversation; a message's own ``session_id`` is never trusted (one that
  names another conversation is refused), and one socket cannot join a second conversation.
- Input: every payload is checked (an object, strings, lengths); a bad packet is dropped with a
  short log line, never a traceback. Client metadata is not stored. A message over
  ``MAX_MESSAGE_CHARS`` gets a friendly answer instead of being read. Engine.io takes at most
  ``MAX_PACKET_BYTES`` per HTTP request. A conversation over its message limit
  (channels/conversation_limit.py) gets ``utter_slow_down`` instead of an answer.
- Never silent: when a part behind the channel fails, the parent gets the service message
  (channels/service.py); replies the failed turn already sent stay on screen.

Logs name the event and what was wrong, never the text, the sender or the socket id.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels.conversation_limit import SLOW_DOWN_RESPONSE, limiter_from_env
from channels.sanitize import MAX_MESSAGE_CHARS, clean_user_text
from channels.service import handle_or_apologise, render_response
from channels.session_binding import SessionSigner
from patches import action_session

logger = logging.getLogger(__name__)

DEFAULT_ALLOWED_ORIGINS = ["http://127.0.0.1:8080", "http://localhost:8080"]
MAX_PACKET_BYTES = 64 * 1024
TOO_LONG_RESPONSE = "utter_message_too_long"


class OneLineErrors(logging.Filter):
    """engine.io and socket.io log a client's malformed request with a whole traceback; a line with
    the error's type says enough, and keeps the logs readable under abuse."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] is not None:
            record.msg = f"{record.getMessage()} ({record.exc_info[0].__name__})"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True


for _name in ("engineio.server", "socketio.server"):
    logging.getLogger(_name).addFilter(OneLineErrors())


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


def only_payload(args: tuple) -> Optional[Dict[str, Any]]:
    """The one object a client event must carry, or None for anything else."""
    return args[0] if len(args) == 1 and isinstance(args[0], dict) else None


class SafeSocketIOInput(SocketIOInput):
    """Rasa's socket.io input with bound conversations, checked input and an origin list."""

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
        self.signer = SessionSigner.from_env()
        self.bound: Dict[str, str] = {}  # socket id -> conversation id, for this process's sockets
        self.limiter = limiter_from_env()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> SocketBlueprint:
        origins: Any = "*" if self.allowed_origins == ["*"] else self.allowed_origins
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=origins, max_http_buffer_size=MAX_PACKET_BYTES)
        blueprint = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        server: Dict[str, Any] = {}  # the Sanic app, kept at start: Rasa's agent lives on it
        namespace = self.namespace

        def agent() -> Any:
            return getattr(getattr(server.get("app"), "ctx", None), "agent", None)

        @blueprint.listener("before_server_start")
        async def keep_app(app: Any, _: Any) -> None:
            server["app"] = app

        # The kept-open connections to the action server (patches.action_session) close on stop.
        blueprint.listener("after_server_stop")(action_session.close_sessions)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: Text, environ: Dict, auth: Any = None) -> bool:
            return True

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: Text) -> None:
            self.bound.pop(sid, None)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, *args: Any) -> None:
            data = only_payload(args) or {}
            claimed = self.signer.session_of(data.get("session_token"))
            current = self.bound.get(sid)
            if current and claimed and claimed != current:
                logger.warning("socketio: refused a second conversation on one socket")
                return
            session_id = current or claimed or self.signer.new_session_id()
            self.bound[sid] = session_id
            sio.enter_room(sid, session_id, namespace=namespace)
            await sio.emit("session_token", self.signer.token_for(session_id), room=sid, namespace=namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, *args: Any) -> None:
            session_id = self.bound.get(sid)
            data = only_payload(args)
            if session_id is None or data is None or not isinstance(data.get("message"), str):
                logger.info(f"socketio: dropped a malformed {self.user_message_evt} packet")
                return
            if data.get("session_id", session_id) != session_id:
                logger.warning(f"socketio: refused a {self.user_message_evt} for another conversation")
                return
            output = SocketIOOutput(sio, self.bot_message_evt)
            if len(data["message"]) > MAX_MESSAGE_CHARS:
                text = render_response(agent(), TOO_LONG_RESPONSE, self.name())
                await output.send_text_message(session_id, text)
                return
            if self.limiter is not None and not self.limiter.allow(session_id):
                if self.limiter.log_due():
                    logger.warning("socketio: a conversation went over its message limit (logged once a minute)")
                await output.send_text_message(session_id, render_response(agent(), SLOW_DOWN_RESPONSE, self.name()))
                return
            message = UserMessage(
                clean_user_text(data["message"]), output, session_id, input_channel=self.name(), metadata={}
            )
            await handle_or_apologise(on_new_message, message, agent())

        return blueprint
