"""REST channel (``POST /webhooks/rest/webhook``) with input checks and cleaned user text.

Differences from Rasa's own REST channel, which stays available to Rasa's tooling:
- a request without a ``sender`` is refused (Rasa would file it under the shared id "default",
  mixing the conversations of different parents);
- a malformed body gets a 400 with a precise error instead of a stack trace;
- the text is cleaned (see :mod:`channels.sanitize`), so ``/intent{...}`` cannot skip the NLU;
- never a 5xx or an empty reply when a part behind the channel fails: the parent gets the
  service message instead (see :mod:`channels.service`), without the failed turn's partial replies;
- for trusted callers only (issue 10): only ``application/json``; with ``ADVIESLIJN_REST_TOKEN``
  set, only with ``Authorization: Bearer <token>`` (the scaled topology sets one); and a sender
  is filed under ``rest_<sender>`` inside Rasa, so REST never reaches a widget's conversation;
- a message over ``MAX_MESSAGE_CHARS`` is not read; the answer asks for a shorter one;
- a sender over its message limit (channels/conversation_limit.py) gets a 429 with
  ``utter_slow_down``, as nginx answers a client over its request limit.
"""

from __future__ import annotations

import hmac
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.conversation_limit import SLOW_DOWN_RESPONSE, limiter_from_env
from channels.sanitize import MAX_MESSAGE_CHARS, clean_user_text
from channels.service import handle_or_apologise, render_response
from channels.session_binding import rest_sender
from patches import action_session
from store.known_settings import REST_TOKEN

logger = logging.getLogger(__name__)
SENDER_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
TOKEN_ENV = REST_TOKEN.name
TOO_LONG_RESPONSE = "utter_message_too_long"


def refusal(request: Request, token: Optional[str]) -> Optional[HTTPResponse]:
    """A 401 or 415 for a request the channel does not take, else None."""
    if token:
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return response.json({"error": "this endpoint needs 'Authorization: Bearer <token>'"}, status=401)
    if request.headers.get("Content-Type", "").split(";")[0].strip().lower() != "application/json":
        return response.json({"error": "the body must be JSON, with 'Content-Type: application/json'"}, status=415)
    return None


def as_sent_to(sender: str, messages: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The replies with the caller's own sender id (Rasa saw it with the REST prefix)."""
    return [{**message, "recipient_id": sender} if "recipient_id" in message else message for message in messages]


def check_body(body: Any) -> str:
    """Return '' if the body is a valid message, else a precise error for the client."""
    if not isinstance(body, dict):
        return "body must be a JSON object with 'sender' and 'message'"
    sender = body.get("sender")
    if not isinstance(sender, str) or not SENDER_PATTERN.fullmatch(sender):
        return "'sender' must be a string of 1-128 letters, digits or _.:-"
    if not isinstance(body.get("message"), str):
        return "'message' must be a string"
    return ""


class SafeRestInput(InputChannel):
    """Synchronous REST channel: one request, the bot's replies in the response."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        limiter = limiter_from_env()
        token = REST_TOKEN.value()
        # The kept-open connections to the action server (patches.action_session) close on stop.
        webhook.listener("after_server_stop")(action_session.close_sessions)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refused = refusal(request, token)
            if refused is not None:
                return refused
            try:
                body: Any = request.json
            except Exception:  # sanic raises its own error type for invalid JSON
                body = None
            error = check_body(body)
            if error:
                return response.json({"error": error}, status=400)
            agent = getattr(request.app.ctx, "agent", None)
            sender = body["sender"]
            if len(body["message"]) > MAX_MESSAGE_CHARS:
                text = render_response(agent, TOO_LONG_RESPONSE, self.name())
                return response.json([{"recipient_id": sender, "text": text}])
            if limiter is not None and not limiter.allow(rest_sender(sender)):
                if limiter.log_due():
                    logger.warning("rest: a sender went over its message limit (logged once a minute)")
                text = render_response(agent, SLOW_DOWN_RESPONSE, self.name())
                return response.json([{"recipient_id": sender, "text": text}], status=429)
            collector = CollectingOutputChannel()
            message = UserMessage(
                clean_user_text(body["message"]),
                collector,
                rest_sender(sender),
                input_channel=self.name(),
                metadata={},
            )
            await handle_or_apologise(on_new_message, message, agent, collector.messages.clear)
            return response.json(as_sent_to(sender, collector.messages))

        return webhook
