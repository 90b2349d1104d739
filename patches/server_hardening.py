"""The Rasa server's HTTP edge: small requests, short timeouts, security headers, no version banner.

Rasa 3.6.21 serves its channels from a Sanic app with Sanic's defaults: request bodies up to 100 MB
and 60 s to send one (a 90 MB message stalled every other parent for 12 s, issue 10). Its root
route answers "Hello from Rasa: 3.6.21", which tells an attacker the exact version
(``add_root_route`` in https://github.com/RasaHQ/rasa/blob/3.6.21/rasa/server.py; the app is made by
``configure_app`` in https://github.com/RasaHQ/rasa/blob/3.6.21/rasa/core/run.py).

Here ``configure_app`` makes Rasa's app as before and then sets Sanic's limits
(``REQUEST_MAX_SIZE`` 64 KiB: a message of 5,000 characters is 20 KiB of JSON at most; request and
response timeouts in seconds) and a response middleware that adds ``X-Content-Type-Options``,
``Referrer-Policy``, ``Cache-Control: no-store`` and a CSP that allows nothing to every answer; the
root route answers ``{"status": "ok"}``. nginx sets its own limits in front (scaled topology).
"""

from __future__ import annotations

from typing import Any

import rasa.core.run
import rasa.server
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from patches import install

_original_configure_app = rasa.core.run.configure_app
_original_add_root_route = rasa.server.add_root_route

REQUEST_MAX_SIZE = 64 * 1024
REQUEST_TIMEOUT_S = 10
RESPONSE_TIMEOUT_S = 30
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


def add_root_route(app: Sanic) -> None:
    """Rasa's '/' route without the version."""

    @app.get("/")
    async def hello(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})


async def add_security_headers(_: Request, answer: HTTPResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        answer.headers.setdefault(name, value)


def harden(app: Sanic) -> Sanic:
    """Sanic's limits and our headers on Rasa's app."""
    app.config.REQUEST_MAX_SIZE = REQUEST_MAX_SIZE
    app.config.REQUEST_TIMEOUT = REQUEST_TIMEOUT_S
    app.config.RESPONSE_TIMEOUT = RESPONSE_TIMEOUT_S
    app.register_middleware(add_security_headers, "response")
    return app


def configure_app(*args: Any, **kwargs: Any) -> Sanic:
    """Rasa's `configure_app`, then `harden`."""
    return harden(_original_configure_app(*args, **kwargs))


def apply() -> None:
    """Install the hardened app (idempotent; only on the Rasa version the patches target)."""
    install(rasa.core.run, "configure_app", configure_app, __name__)
    install(rasa.server, "add_root_route", add_root_route, __name__)


def is_applied() -> bool:
    return rasa.core.run.configure_app is configure_app and rasa.server.add_root_route is add_root_route
