"""REST channel (``POST /webhooks/rest/webhook``) with input checks and cleaned user text.

Differences from Rasa's own REST channel, which stays available to Rasa's tooling:
- a request without a ``sender`` is refused (Rasa would file it under the shared id "default",
  mixing the conversations of different parents);
- a malformed body gets a 400 with a precise error instead of a stack trace;
- the text is cleaned (see :mod:`channels.sanitize`), so ``/intent{...}`` cannot skip the NLU;
- never a 5xx or an empty reply when a part behind the channel fails: the parent gets the
  service message instead (see :mod:`channels.service`), without the failed turn's partial replies.
"""

from __future__ import annotations

import re
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.sanitize import clean_user_text
from channels.service import handle_or_apologise
from patches import action_session

SENDER_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")


def check_body(body: Any) -> str:
    """Return '' if the body is a valid message, else a precise error for the client."""
    if not isinstance(body, dict):
        return "body must be a JSON object with 'sender' and 'message'"
    sender = body.get("sender")
    if not isinstance(sender, str) or not SENDER_PATTERN.match(sender):
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
        # The kept-open connections to the action server (patches.action_session) close on stop.
        webhook.listener("after_server_stop")(action_session.close_sessions)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body: Any = request.json
            except Exception:  # sanic raises its own error type for invalid JSON
                body = None
            error = check_body(body)
            if error:
                return response.json({"error": error}, status=400)
            collector = CollectingOutputChannel()
            message = UserMessage(
                clean_user_text(body["message"]),
                collector,
                body["sender"],
                input_channel=self.name(),
                metadata={},
            )
            await handle_or_apologise(
                on_new_message, message, getattr(request.app.ctx, "agent", None), collector.messages.clear
            )
            return response.json(collector.messages)

        return webhook
