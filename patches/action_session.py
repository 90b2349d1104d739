"""Keep the HTTP connection to the action server open between calls (the action endpoint only).

Rasa 3.6.21's ``EndpointConfig.request`` opens a new ``aiohttp.ClientSession`` (and so a new TCP
connection) for every call and closes it afterwards
(https://github.com/RasaHQ/rasa/blob/3.6.21/rasa/utils/endpoints.py, ``session`` and ``request``).
Under 10 concurrent conversations that set-up was about 9% of the Rasa server's CPU (py-spy,
`make bench`).

Here only the **action endpoint** changes: `AvailableEndpoints.read_endpoints` (rasa/core/utils.py)
returns an `ActionEndpointConfig` for it, whose ``session()`` hands Rasa's own ``request`` one
kept-open session per event loop instead of a new one. Rasa's ``request`` body runs unchanged, so
URL, headers, parameters, auth, timeout, compression and SSL are exactly Rasa's. Every other
endpoint (models, NLG, tracker store, ...) stays Rasa's.

A request is never sent twice: a call that fails fails as in Rasa. Connections idle longer than
``KEEPALIVE_S`` are closed by us, before the action server's own keep-alive timeout (Sanic: 5 s)
can close them under a request; a connection the server closed (a restart) is dropped from the
pool when the close arrives.

The request body (the whole conversation, 20-30 KB) is written with ujson, a dependency of Rasa,
where it can (4x faster than the standard library here; the same JSON value), and with the
standard library otherwise (NaN, or a value ujson does not know).

``close_sessions`` closes the sessions when the server stops (registered by our input channels).

A call to the action server may take at most ``ADVIESLIJN_ACTION_TIMEOUT_S`` seconds (default 10):
Rasa's ``RemoteAction.run`` (rasa/core/actions/action.py) passes
``timeout=DEFAULT_REQUEST_TIMEOUT`` (300 s) to ``request``, far too long for a parent waiting in a
chat. ``request`` here replaces that timeout; a call that takes longer raises
``asyncio.TimeoutError`` in Rasa's ``RemoteAction.run``, which patches.turn_failure turns into
the service message (see there).
"""

from __future__ import annotations

import asyncio
import json
import logging
from types import TracebackType
from typing import Any, Dict, Optional, Type

import aiohttp
import ujson
from rasa.core.utils import AvailableEndpoints
from rasa.utils.endpoints import EndpointConfig

from patches import install
from store.known_settings import ACTION_TIMEOUT_S

KEEPALIVE_S = 2.0
ACTION_TIMEOUT_ENV = ACTION_TIMEOUT_S.name
DEFAULT_ACTION_TIMEOUT_S = ACTION_TIMEOUT_S.default
logger = logging.getLogger(__name__)
_original_read_endpoints = AvailableEndpoints.read_endpoints.__func__  # type: ignore[attr-defined]
_open: Dict[int, aiohttp.ClientSession] = {}  # every session we opened, to close them on stop


def dumps(value: Any) -> str:
    """JSON text of `value`: ujson's where it can write it, else the standard library's."""
    try:
        return ujson.dumps(value, escape_forward_slashes=False)
    except (TypeError, OverflowError, ValueError):
        return json.dumps(value)


def action_timeout_s() -> float:
    """The longest wait for one action server call: $ADVIESLIJN_ACTION_TIMEOUT_S, else 10 s. A bad
    value stops `python -m patches` at start (store/known_settings.py)."""
    return float(ACTION_TIMEOUT_S.value())


class _Borrowed:
    """`async with` over a shared session that leaves it open (Rasa's `request` closes its own)."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(
        self, kind: Optional[Type[BaseException]], error: Optional[BaseException], trace: Optional[TracebackType]
    ) -> None:
        return None


class ActionEndpointConfig(EndpointConfig):
    """The action server's endpoint: Rasa's `EndpointConfig` with one kept-open session per loop."""

    _held: Optional[tuple] = None  # (event loop, session)

    @classmethod
    def of(cls, endpoint: EndpointConfig) -> "ActionEndpointConfig":
        """The same endpoint settings as `endpoint`, as an ActionEndpointConfig."""
        kept = cls(
            endpoint.url, endpoint.params, endpoint.headers, endpoint.basic_auth,
            endpoint.token, endpoint.token_name, endpoint.cafile, **endpoint.kwargs,
        )
        kept.type = endpoint.type
        return kept

    def shared_session(self) -> aiohttp.ClientSession:
        """This endpoint's session for the running event loop (created on first use)."""
        loop = asyncio.get_running_loop()
        if self._held is not None and self._held[0] is loop and not self._held[1].closed:
            return self._held[1]
        # The settings of Rasa's EndpointConfig.session(): headers, basic auth, timeout.
        auth = None
        if self.basic_auth:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
        session = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=action_timeout_s()),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_S),
            json_serialize=dumps,
        )
        self._held = (loop, session)
        _open[id(session)] = session
        return session

    def session(self) -> Any:  # Rasa's `request` uses it as `async with self.session() as s`
        return _Borrowed(self.shared_session())

    async def request(
        self, method: str = "post", subpath: Optional[str] = None,
        content_type: Optional[str] = "application/json", compress: bool = False, **kwargs: Any,
    ) -> Optional[Any]:
        """Rasa's `EndpointConfig.request` with the chat's timeout instead of the caller's."""
        kwargs["timeout"] = aiohttp.ClientTimeout(total=action_timeout_s())
        return await super().request(method, subpath, content_type, compress, **kwargs)

    def copy(self) -> "ActionEndpointConfig":
        return ActionEndpointConfig.of(self)


def read_endpoints(cls: Type[AvailableEndpoints], endpoint_file: str) -> AvailableEndpoints:
    """Rasa's `AvailableEndpoints.read_endpoints`, with the action endpoint kept open."""
    endpoints = _original_read_endpoints(cls, endpoint_file)
    if endpoints.action is not None and not isinstance(endpoints.action, ActionEndpointConfig):
        endpoints.action = ActionEndpointConfig.of(endpoints.action)
    return endpoints


async def close_sessions(*_: Any) -> None:
    """Close every shared session (a Sanic `after_server_stop` listener; safe to call twice)."""
    for key, session in list(_open.items()):
        del _open[key]
        if not session.closed:
            await session.close()


def apply() -> None:
    """Make the action endpoint keep its connection (idempotent; only on the targeted Rasa)."""
    install(AvailableEndpoints, "read_endpoints", classmethod(read_endpoints), __name__)


def is_applied() -> bool:
    return AvailableEndpoints.read_endpoints.__func__ is read_endpoints  # type: ignore[attr-defined]
