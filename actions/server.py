"""The action server: rasa-sdk's own server (`python -m rasa_sdk`) plus health probes.

Run it as ``python -m actions.server --actions actions -p 5055`` (rasa-sdk's arguments).

- ``GET /health/live``: 200 while the server answers (rasa-sdk's ``/health`` says the same).
- ``GET /health/ready``: 200 when the facts file (content/advieslijn.yml) loads and its opening
  schedule is valid, so the actions can answer; else 503 with the reason. A server that is not
  ready gets no traffic from nginx or an orchestrator; Rasa then answers with the service message.

The routes are added to the app rasa-sdk creates (``rasa_sdk.endpoint.create_app``, which
``rasa_sdk.endpoint.run`` looks up when it starts); everything else is rasa-sdk's.
"""

from __future__ import annotations

from typing import Any

import rasa_sdk.__main__
import rasa_sdk.endpoint
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.facts import FactsError, load_facts
from actions.messages import common_values
from actions.schedule import schedule_from_facts

_rasa_sdk_create_app = rasa_sdk.endpoint.create_app


def readiness() -> str:
    """'' when the actions can answer, else the reason (no personal data)."""
    try:
        facts = load_facts()
        schedule_from_facts(facts)
        common_values(facts)
    except (FactsError, ValueError, KeyError, TypeError) as error:
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


def create_app(*args: Any, **kwargs: Any) -> Sanic:
    """rasa-sdk's app with the health routes."""
    return add_health_routes(_rasa_sdk_create_app(*args, **kwargs))


def main() -> None:
    rasa_sdk.endpoint.create_app = create_app
    rasa_sdk.__main__.main()


if __name__ == "__main__":
    main()
