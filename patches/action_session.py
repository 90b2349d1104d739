"""Keep the HTTP connection to the action server open between calls.

Rasa 3.6.21's ``EndpointConfig.request`` opens a new ``aiohttp.ClientSession`` (and so a new TCP
connection) for every call to the action server, and closes it afterwards. Under 10 concurrent
conversations that set-up was about 9% of the Rasa server's CPU (py-spy, `make bench`). Here each
endpoint keeps one session per event loop, with keep-alive connections, and sends the same request
(same URL, headers, parameters, auth, timeout, compression, SSL context) through it.

Connections idle longer than ``KEEPALIVE_S`` are closed by us, before the action server's own
keep-alive timeout (Sanic: 5 s) can close them under a request. If the server closes a connection
anyway (a restart), the request is sent once more on a new connection: our custom actions only
compute an answer and change nothing outside the conversation, so a repeat is harmless.

The request body (the whole conversation, 20-30 KB) is written with ujson, a dependency of Rasa,
where it can (4x faster than the standard library here; the same JSON value), and with the
standard library otherwise (NaN, or a value ujson does not know).

``close_sessions`` closes them when the server stops (registered by our input channels).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import ssl
from typing import Any, Dict, Optional, Text

import aiohttp
import ujson
from aiohttp import ContentTypeError
from rasa.shared.exceptions import FileNotFoundException
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, ClientResponseError, EndpointConfig, concat_url

from patches import install

logger = logging.getLogger(__name__)
KEEPALIVE_S = 2.0
_original = EndpointConfig.request
_SESSION_ATTRIBUTE = "_advieslijn_session"  # (event loop, session) stored on the EndpointConfig
_open: Dict[int, aiohttp.ClientSession] = {}  # every session we opened, to close them on stop


def dumps(value: Any) -> str:
    """JSON text of `value`: ujson's where it can write it, else the standard library's."""
    try:
        return ujson.dumps(value, escape_forward_slashes=False)
    except (TypeError, OverflowError, ValueError):
        return json.dumps(value)


def _session_for(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """The endpoint's shared session for the running event loop (created on first use)."""
    loop = asyncio.get_running_loop()
    held = getattr(endpoint, _SESSION_ATTRIBUTE, None)
    if held is not None and held[0] is loop and not held[1].closed:
        return held[1]
    # The settings of Rasa's EndpointConfig.session(): headers, basic auth, timeout.
    auth = None
    if endpoint.basic_auth:
        auth = aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
    session = aiohttp.ClientSession(
        headers=endpoint.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_S),
        json_serialize=dumps,
    )
    setattr(endpoint, _SESSION_ATTRIBUTE, (loop, session))
    _open[id(session)] = session
    return session


async def request(
    self: EndpointConfig,
    method: Text = "post",
    subpath: Optional[Text] = None,
    content_type: Optional[Text] = "application/json",
    compress: bool = False,
    **kwargs: Any,
) -> Optional[Any]:
    """Drop-in for `EndpointConfig.request` (Rasa 3.6.21) that reuses the endpoint's session."""
    headers = {}
    if content_type:
        headers["Content-Type"] = content_type
    if "headers" in kwargs:
        headers.update(kwargs.pop("headers"))
    if self.headers:
        headers.update(self.headers)
    url = concat_url(self.url, subpath)
    sslcontext = None
    if self.cafile:
        try:
            sslcontext = ssl.create_default_context(cafile=self.cafile)
        except FileNotFoundError as e:
            raise FileNotFoundException(
                f"Failed to find certificate file, '{os.path.abspath(self.cafile)}' does not exist."
            ) from e
    params = self.combine_parameters(kwargs)

    async def send() -> Optional[Any]:
        session = _session_for(self)
        async with session.request(
            method, url, headers=headers, params=params, compress=compress, ssl=sslcontext, **kwargs
        ) as response:
            if response.status >= 400:
                raise ClientResponseError(response.status, response.reason, await response.content.read())
            try:
                return await response.json()
            except ContentTypeError:
                return None

    try:
        return await send()
    except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as error:
        logger.debug(f"Connection to {url} was closed ({type(error).__name__}); sending once more.")
        return await send()


async def close_sessions(*_: Any) -> None:
    """Close every shared session (a Sanic `after_server_stop` listener; safe to call twice)."""
    for key, session in list(_open.items()):
        del _open[key]
        if not session.closed:
            await session.close()


def apply() -> None:
    """Install the shared-session request (idempotent; only on the Rasa version the patches target)."""
    install(EndpointConfig, "request", request, __name__)


def is_applied() -> bool:
    return EndpointConfig.request is request
