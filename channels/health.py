"""Health probes of a Rasa server: ``GET /health/live`` and ``GET /health/ready``.

Listed in credentials.yml like a channel (it receives no messages): Rasa mounts a channel's routes
at ``/webhooks/<url_prefix>``, and an absolute prefix ("/health") puts these at the top level.

- ``/health/live``: 200 as soon as the server's event loop answers. For a liveness probe (an
  orchestrator restarts a server that stops answering); it checks nothing else on purpose, so a
  slow dependency never gets a healthy server killed.
- ``/health/ready``: 200 when the model is loaded and the server can take conversations, else
  503. For a readiness probe and for nginx health checks: a replica that is not ready gets no
  traffic. The body also reports whether the action server answers its own ``/health/live``
  (``"action_server": "ok" | "unreachable"``), for operators; that does **not** make the replica
  unready, because every replica shares the same action servers (and Redis): taking them all out
  of traffic would turn the parent's friendly service message (channels/service.py) into an
  error page of the proxy.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Optional, Text

import aiohttp
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

PROBE_TIMEOUT_S = 1.0


def action_server_health_url(webhook_url: Optional[str]) -> Optional[str]:
    """The action server's liveness URL for its webhook URL (".../webhook" -> ".../health/live")."""
    if not webhook_url:
        return None
    base = webhook_url.rstrip("/")
    if base.endswith("/webhook"):
        base = base[: -len("/webhook")]
    return f"{base}/health/live"


async def _answers(url: Optional[str]) -> str:
    if url is None:
        return "not configured"
    try:
        timeout = aiohttp.ClientTimeout(total=PROBE_TIMEOUT_S)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.get(url) as answer:
                return "ok" if answer.status == 200 else "unreachable"
    except Exception:  # refused, timed out, reset: all mean the same to an operator here
        return "unreachable"


class HealthProbes(InputChannel):
    """Liveness and readiness routes (no messages)."""

    @classmethod
    def name(cls) -> Text:
        return "health"

    def url_prefix(self) -> Text:
        return "/health"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        probes = Blueprint("advieslijn_health", __name__)

        @probes.route("/live", methods=["GET"])
        async def live(_: Request) -> HTTPResponse:
            return response.json({"status": "live"})

        @probes.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"status": "not ready", "reason": "no model loaded"}, status=503)
            endpoint = getattr(agent, "action_endpoint", None)
            action_server = await _answers(action_server_health_url(getattr(endpoint, "url", None)))
            return response.json({"status": "ready", "action_server": action_server})

        return probes
