"""patches.action_session: the action endpoint keeps one connection; nothing else changes.

Against a real loopback HTTP server: what is sent is what Rasa's own `EndpointConfig.request`
sends, one connection serves many calls, a failed call is never sent twice, and only the action
endpoint of an endpoints file is changed.
"""

from __future__ import annotations

import asyncio
import json
import math
from pathlib import Path
from typing import Any, Dict, List, Tuple

import numpy as np
import pytest
from aiohttp import ServerDisconnectedError, web
from rasa.core.utils import AvailableEndpoints
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

import patches
from patches import action_session
from patches.action_session import ActionEndpointConfig

patches.apply_all()


class EchoServer:
    """A loopback HTTP server that records each request and the client port it came from."""

    def __init__(self) -> None:
        self.seen: List[Tuple[int, str, Dict[str, Any], Dict[str, str], Dict[str, Any]]] = []
        self.runner: Any = None
        self.port = 0
        self.delay_s = 0.0  # an answer this late makes a slow action server

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        peer_port = request.transport.get_extra_info("peername")[1]
        headers = {k: v for k, v in request.headers.items() if k.lower() in ("authorization", "x-extra", "content-type")}
        self.seen.append((peer_port, request.path, dict(request.query), headers, body))
        await asyncio.sleep(self.delay_s)
        if body.get("fail"):
            return web.json_response({"error": "no"}, status=400)
        if body.get("hang_up"):
            request.transport.close()  # the connection drops before any answer
            raise ConnectionResetError
        return web.json_response({"echo": body})

    async def start(self, port: int = 0) -> None:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        await self.runner.cleanup()

    async def restart(self) -> None:
        """Stop (dropping every open connection) and listen again on the same port."""
        await self.stop()
        await self.start(self.port)


def with_echo_server(scenario: Any, **endpoint_settings: Any) -> None:
    """Run `scenario(server, rasas, ours)` against a fresh EchoServer, with Rasa's EndpointConfig
    and our ActionEndpointConfig for it; close the sessions and the server afterwards."""

    async def run() -> None:
        server = EchoServer()
        await server.start()
        rasas = EndpointConfig(f"http://127.0.0.1:{server.port}/webhook", **endpoint_settings)
        try:
            await scenario(server, rasas, ActionEndpointConfig.of(rasas))
        finally:
            await action_session.close_sessions()
            await server.stop()

    asyncio.run(run())


def test_the_patch_is_applied_by_apply_all() -> None:
    assert action_session.is_applied()


def test_requests_reuse_one_connection_and_send_what_rasa_sent() -> None:
    async def scenario(server: EchoServer, rasas: EndpointConfig, ours: EndpointConfig) -> None:
        assert await rasas.request(json={"n": 0}, method="post") == {"echo": {"n": 0}}
        for n in (1, 2, 3):
            assert await ours.request(json={"n": n}, method="post") == {"echo": {"n": n}}
        body = {"tracker": {"events": [{"confidence": np.float64(0.1234567890123456), "text": "a/b é"}]}}
        await rasas.request(json=body, method="post")
        await ours.request(json=body, method="post")
        assert server.seen[-1][4] == server.seen[-2][4] == json.loads(json.dumps(body))
        del server.seen[-2:]
        original, *patched = server.seen
        assert all(item[1:3] == original[1:3] for item in patched)  # path and query (token)
        assert all(item[3] == original[3] for item in patched)  # auth, content type, extra header
        assert len({item[0] for item in patched}) == 1  # one kept-open connection for three calls

    with_echo_server(scenario, params={"a": "1"}, headers={"X-Extra": "yes"}, token="secret",
                     basic_auth={"username": "u", "password": "p"})


def test_rasas_endpoint_still_opens_a_connection_per_call() -> None:
    async def scenario(server: EchoServer, rasas: EndpointConfig, ours: EndpointConfig) -> None:
        for n in (1, 2):
            await rasas.request(json={"n": n}, method="post")
        assert len({item[0] for item in server.seen}) == 2

    with_echo_server(scenario)


def test_an_error_status_raises_as_in_rasa() -> None:
    async def scenario(server: EchoServer, rasas: EndpointConfig, ours: EndpointConfig) -> None:
        with pytest.raises(ClientResponseError) as error:
            await ours.request(json={"fail": True}, method="post")
        assert error.value.status == 400

    with_echo_server(scenario)


def test_a_dropped_call_fails_and_is_not_sent_again() -> None:
    async def scenario(server: EchoServer, rasas: EndpointConfig, ours: EndpointConfig) -> None:
        assert await ours.request(json={"n": 1}, method="post") == {"echo": {"n": 1}}
        with pytest.raises(ServerDisconnectedError):
            await ours.request(json={"hang_up": True}, method="post")
        assert [item[4] for item in server.seen].count({"hang_up": True}) == 1
        assert await ours.request(json={"n": 2}, method="post") == {"echo": {"n": 2}}

    with_echo_server(scenario)


def test_a_restarted_action_server_is_reached_on_a_new_connection() -> None:
    async def scenario(server: EchoServer, rasas: EndpointConfig, ours: EndpointConfig) -> None:
        assert await ours.request(json={"n": 1}, method="post") == {"echo": {"n": 1}}
        await server.restart()  # closes the kept-open connection from the server's side
        await asyncio.sleep(0.05)  # the close reaches the client, as during a real restart
        assert await ours.request(json={"n": 2}, method="post") == {"echo": {"n": 2}}

    with_echo_server(scenario)


def test_closing_the_sessions_on_server_stop() -> None:
    async def scenario(server: EchoServer, rasas: EndpointConfig, ours: ActionEndpointConfig) -> None:
        await ours.request(json={}, method="post")
        session = ours.shared_session()
        await action_session.close_sessions()
        await action_session.close_sessions()  # twice is fine
        assert session.closed
        assert await ours.request(json={"n": 1}, method="post") == {"echo": {"n": 1}}  # reopens

    with_echo_server(scenario)


def test_only_the_action_endpoint_is_changed(tmp_path: Path) -> None:
    endpoints_file = tmp_path / "endpoints.yml"
    endpoints_file.write_text(
        "action_endpoint:\n  url: http://127.0.0.1:5055/webhook\n  token: t\n"
        "models:\n  url: http://127.0.0.1:9/models\n",
        encoding="utf-8",
    )
    endpoints = AvailableEndpoints.read_endpoints(str(endpoints_file))
    assert isinstance(endpoints.action, ActionEndpointConfig)
    assert endpoints.action == EndpointConfig("http://127.0.0.1:5055/webhook", token="t")
    assert type(endpoints.model) is EndpointConfig
    assert type(endpoints.action.copy()) is ActionEndpointConfig


@pytest.mark.parametrize("value", [
    {"a": [1, 2.5, None, True, "x/y", "é", {"b": np.float64(1 / 3)}]},
    {"nan": float("nan")},
    {"big": 10 ** 30},
    {"obj": object()},
])
def test_request_bodies_are_the_json_the_standard_library_writes(value: Any) -> None:
    try:
        expected = json.loads(json.dumps(value))
    except TypeError:
        with pytest.raises(TypeError):
            action_session.dumps(value)
        return
    got = json.loads(action_session.dumps(value))
    if "nan" in value:
        assert math.isnan(got["nan"])
    else:
        assert got == expected


def test_a_slow_action_server_call_ends_after_the_configured_timeout(monkeypatch) -> None:
    monkeypatch.setenv(action_session.ACTION_TIMEOUT_ENV, "0.3")

    async def scenario(server: EchoServer, rasas: EndpointConfig, ours: EndpointConfig) -> None:
        server.delay_s = 1.0
        started = asyncio.get_running_loop().time()
        with pytest.raises(asyncio.TimeoutError):
            # Rasa's RemoteAction passes its own 300 s timeout; the endpoint's wins.
            await ours.request(json={"n": 1}, method="post", timeout=300)
        assert asyncio.get_running_loop().time() - started < 0.9
        server.delay_s = 0.0
        assert await ours.request(json={"n": 2}, method="post", timeout=300) == {"echo": {"n": 2}}

    with_echo_server(scenario)


@pytest.mark.parametrize("value, seconds", [("", 10.0), ("2.5", 2.5), ("300", 300.0)])
def test_the_action_timeout_comes_from_the_environment(monkeypatch, value: str, seconds: float) -> None:
    monkeypatch.setenv(action_session.ACTION_TIMEOUT_ENV, value)
    assert action_session.action_timeout_s() == seconds


@pytest.mark.parametrize("value, problem", [("0", "not above 0"), ("soon", "not a number"), ("301", "more than 300"),
                                            ("nan", "not above 0")])
def test_a_bad_action_timeout_is_refused_not_guessed(monkeypatch, value: str, problem: str) -> None:
    # `python -m patches` refuses to start with it (tests/integration/test_settings_at_start.py).
    monkeypatch.setenv(action_session.ACTION_TIMEOUT_ENV, value)
    with pytest.raises(ValueError, match=f"^ADVIESLIJN_ACTION_TIMEOUT_S='{value}': {problem}; allowed: "):
        action_session.action_timeout_s()
