"""The action server: rasa-sdk's own server (`python -m rasa_sdk`) plus health probes.

Run it as ``python -m actions.server --actions actions -p 5055`` (rasa-sdk's arguments).

- ``GET /health/live``: 200 while the server answers (rasa-sdk's ``/health`` says the same).
- ``GET /health/ready``: 200 when the facts file (content/advieslijn.yml) loads and its opening
  schedule is valid, so the actions can answer; else 503 with the reason. A server that is not
  ready gets no traffic from nginx or an orchestrator; Rasa then answers with the service message.

Locked down (issue 10), since rasa-sdk's server runs any action for any crafted tracker:

- Every call but the health probes needs ``Authorization: Bearer <ADVIESLIJN_ACTION_TOKEN>``, the
  shared secret Rasa sends with each call (the harness writes it into the action endpoint's
  headers). Without the variable the server warns at start and takes every call (development).
- It listens on loopback unless ``SANIC_HOST`` says otherwise (rasa-sdk's default is every
  interface).
- No ``Content-Encoding`` (rasa-sdk inflates a deflated body: 195 KB became 200 MB), and bodies up
  to ``MAX_BODY_BYTES``.
- Errors answer ``{"error": ...}`` without the request (rasa-sdk echoes the whole request body).

The routes are added to the app rasa-sdk creates (``rasa_sdk.endpoint.create_app``, which
``rasa_sdk.endpoint.run`` looks up when it starts); everything else is rasa-sdk's.
"""

from __future__ import annotations

import hmac
import logging
import os
from typing import Any, Optional

import rasa_sdk.__main__
import rasa_sdk.endpoint
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.facts import UNUSABLE_FACTS, load_facts
from actions.messages import common_values
from actions.opening_settings import schedule_from_facts
from store import known_settings
from store.known_settings import ACTION_TOKEN
from store.settings import refuse_bad_settings

_rasa_sdk_create_app = rasa_sdk.endpoint.create_app
logger = logging.getLogger(__name__)
TOKEN_ENV = ACTION_TOKEN.name
MAX_BODY_BYTES = 2 * 1024 * 1024  # a tracker of up to 200 turns with the domain
OPEN_PATHS = ("/health", "/health/live", "/health/ready")


def readiness() -> str:
    """'' when the actions can answer, else the reason (no personal data)."""
    try:
        facts = load_facts()
        schedule_from_facts(facts)
        common_values(facts)
    except UNUSABLE_FACTS as error:
        return f"the facts file cannot be used: {error}"
    return ""


def add_health_routes(app: Sanic) -> Sanic:
    @app.get("/health/live")
    async def live(_: Request) -> HTTPResponse:
        return response.json({"status": "live"})

    @app.get("/health/ready")
    async def ready(_: Request) -> HTTPResponse:
        reason = readiness()
        if reason:
            return response.json({"status": "not ready", "reason": reason}, status=503)
        return response.json({"status": "ready"})

    return app


def refusal(request: Request, token: Optional[str]) -> Optional[HTTPResponse]:
    """The answer to a call the action server does not take, else None."""
    if request.path in OPEN_PATHS:
        return None
    if token:
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return response.json({"error": "not authorised"}, status=401)
    if request.headers.get("Content-Encoding"):
        return response.json({"error": "Content-Encoding is not accepted"}, status=415)
    return None


def lock_down(app: Sanic, token: Optional[str]) -> Sanic:
    """The shared secret, the body limit and errors that echo nothing."""
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    if not token:
        logger.warning(f"{TOKEN_ENV} is not set: the action server takes calls from anyone who reaches it")

    @app.middleware("request")
    async def check(request: Request) -> Optional[HTTPResponse]:
        return refusal(request, token)

    async def failed(request: Request, exception: Exception) -> HTTPResponse:
        status = getattr(exception, "status_code", 500)
        if status >= 500:  # the type only: a message could quote the parent's words
            logger.error(f"action server: {request.path} failed with {type(exception).__name__}")
        return response.json({"error": "the action server could not handle this call"}, status=status)

    app.error_handler.add(Exception, failed)
    return app


def create_app(*args: Any, **kwargs: Any) -> Sanic:
    """rasa-sdk's app with the health routes, locked down."""
    return lock_down(add_health_routes(_rasa_sdk_create_app(*args, **kwargs)), ACTION_TOKEN.value())


def main() -> None:
    refuse_bad_settings("action server", known_settings.ACTION_SERVER)
    os.environ.setdefault("SANIC_HOST", "127.0.0.1")
    rasa_sdk.endpoint.create_app = create_app
    rasa_sdk.__main__.main()


if __name__ == "__main__":
    main()
