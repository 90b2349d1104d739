"""The patch for Rasa's action response validation keeps Rasa's behaviour."""

from __future__ import annotations

from typing import Any, Dict

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import channels  # noqa: F401  (applies the patches, as in the Rasa server)
from patches import action_validation

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "situation", "value": "child_at_home"}], "responses": [{"text": "hoi"}]},
    {"events": [{"event": "active_loop", "name": None}, {"event": "slot", "name": "requested_slot", "value": None}]},
    {"responses": [{"text": "x", "buttons": [{"title": "Ja", "payload": "ja"}]}]},
]
INVALID = [
    {"events": [{"event": "slot", "name": 5}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": ["not an object"]},
]


def test_the_patch_is_applied_when_the_channels_load() -> None:
    assert action_validation.is_applied()


@pytest.mark.parametrize("payload", VALID)
def test_valid_responses_pass_as_before(payload: Dict[str, Any]) -> None:
    action = RemoteAction("action_x", None)
    assert action_validation._original(action, payload) is True
    assert action._validate_action_result(payload) is True


@pytest.mark.parametrize("payload", INVALID)
def test_invalid_responses_fail_as_before_with_rasas_message(payload: Dict[str, Any]) -> None:
    action = RemoteAction("action_x", None)
    with pytest.raises(ValidationError) as original:
        action_validation._original(action, payload)
    with pytest.raises(ValidationError) as patched:
        action._validate_action_result(payload)
    assert patched.value.message == original.value.message
    assert "Failed to validate Action server response" in patched.value.message


TRICKY = [
    {"events": [{"event": ["slot"], "name": "x"}]},
    {"events": [{"name": "x"}]},
    {"events": [None]},
    {"events": None},
    {"events": [{"event": "slot", "name": "x", "timestamp": "yesterday"}]},
    {"events": [{"event": "user", "text": "hoi", "parse_data": {"intent": {"name": 5}}}]},
    {"events": [{"event": "user", "text": "hoi", "parse_data": {"intent": {"name": "greet", "confidence": 0.9}}}]},
    {"events": [{"event": "bot", "text": "hoi", "metadata": "not an object"}]},
    {"events": [{"event": "action", "name": "action_listen", "policy": None, "confidence": None}]},
    {"responses": None},
    {"responses": [{"text": "x"}], "events": [{"event": "followup", "name": "action_x"}]},
    [],
]


def _outcome(check: Any, payload: Any) -> Any:
    try:
        return check(payload)
    except ValidationError as error:
        return ("error", error.message, list(error.path))


@pytest.mark.parametrize("payload", VALID + INVALID + TRICKY)
def test_the_fast_path_never_changes_the_outcome(payload: Any) -> None:
    action = RemoteAction("action_x", None)
    expected = _outcome(lambda p: action_validation._original(action, p), payload)
    assert _outcome(action._validate_action_result, payload) == expected
    if action_validation.is_valid_fast(payload):
        assert expected is True  # the fast path only ever says "valid" when Rasa agrees


def test_the_fast_path_accepts_every_event_rasa_can_send() -> None:
    """Each Rasa event, serialised as the action server sends it, passes without the full check."""
    from rasa.shared.core import events as ev

    samples = [
        ev.SlotSet("situation", "child_at_home"), ev.ActiveLoop("triage_form"), ev.ActiveLoop(None),
        ev.FollowupAction("action_handoff"), ev.AllSlotsReset(), ev.Restarted(), ev.UserUtteranceReverted(),
        ev.ActionReverted(), ev.ConversationPaused(), ev.ConversationResumed(), ev.LoopInterrupted(True),
        ev.ActionExecutionRejected("action_x"), ev.BotUttered("hoi", {"buttons": []}),
        ev.SessionStarted(), ev.ActionExecuted("action_listen"),
        ev.UserUttered("hoi", {"name": "greet", "confidence": 1.0}, []),
    ]
    payload = {"events": [event.as_dict() for event in samples], "responses": [{"text": "hoi"}]}
    assert action_validation.is_valid_fast(payload)
    assert action_validation._original(RemoteAction("action_x", None), payload) is True


# --- patches.event_lookup ---------------------------------------------------------------------

from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered  # noqa: E402

from patches import event_lookup  # noqa: E402


def test_the_event_lookup_patch_is_applied_when_the_channels_load() -> None:
    assert event_lookup.is_applied()


@pytest.mark.parametrize("name", ["slot", "user", "action", "bot", "active_loop", "session_started", "restart"])
def test_event_lookup_finds_the_same_class_as_rasa(name: str) -> None:
    assert Event.resolve_by_type(name) is event_lookup._original(name)


def test_event_lookup_keeps_rasas_edge_cases() -> None:
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_events_still_round_trip_through_json() -> None:
    events = [UserUttered("hallo", {"name": "greet", "confidence": 1.0}), ActionExecuted("utter_greet"), SlotSet("situation", "opp_problem")]
    assert [Event.from_parameters(e.as_dict()) for e in events] == events


# --- patches.action_session -------------------------------------------------------------------

import asyncio  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402

import numpy as np  # noqa: E402
from typing import List, Tuple  # noqa: E402

from aiohttp import web  # noqa: E402
from rasa.utils.endpoints import ClientResponseError, EndpointConfig  # noqa: E402

from patches import action_session  # noqa: E402


class EchoServer:
    """A loopback HTTP server that records each request and the client port it came from."""

    def __init__(self) -> None:
        self.seen: List[Tuple[int, str, Dict[str, Any], Dict[str, str], Dict[str, Any]]] = []
        self.runner: Any = None
        self.port = 0

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        peer_port = request.transport.get_extra_info("peername")[1]
        headers = {k: v for k, v in request.headers.items() if k.lower() in ("authorization", "x-extra", "content-type")}
        self.seen.append((peer_port, request.path, dict(request.query), headers, body))
        if body.get("fail"):
            return web.json_response({"error": "no"}, status=400)
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
    """Run `scenario(server, endpoint)` against a fresh EchoServer and an EndpointConfig for it;
    close the shared sessions and the server afterwards, also when the scenario fails."""

    async def run() -> None:
        server = EchoServer()
        await server.start()
        endpoint = EndpointConfig(f"http://127.0.0.1:{server.port}/webhook", **endpoint_settings)
        try:
            await scenario(server, endpoint)
        finally:
            await action_session.close_sessions()
            await server.stop()

    asyncio.run(run())


def test_the_action_session_patch_is_applied_when_the_channels_load() -> None:
    assert action_session.is_applied()


def test_requests_reuse_one_connection_and_send_what_rasa_sent() -> None:
    async def scenario(server: EchoServer, endpoint: EndpointConfig) -> None:
        assert await action_session._original(endpoint, json={"n": 0}, method="post") == {"echo": {"n": 0}}
        for n in (1, 2, 3):
            assert await endpoint.request(json={"n": n}, method="post") == {"echo": {"n": n}}
        body = {"tracker": {"events": [{"confidence": np.float64(0.1234567890123456), "text": "a/b é"}]}}
        await action_session._original(endpoint, json=body, method="post")
        await endpoint.request(json=body, method="post")
        assert server.seen[-1][4] == server.seen[-2][4] == json.loads(json.dumps(body))
        del server.seen[-2:]
        original, *patched = server.seen
        assert all(item[1:3] == original[1:3] for item in patched)  # path and query (token)
        assert all(item[3] == original[3] for item in patched)  # auth, content type, extra header
        assert len({item[0] for item in patched}) == 1  # one kept-open connection for three calls

    with_echo_server(scenario, params={"a": "1"}, headers={"X-Extra": "yes"}, token="secret",
                     basic_auth={"username": "u", "password": "p"})


def test_an_error_status_raises_as_in_rasa() -> None:
    async def scenario(server: EchoServer, endpoint: EndpointConfig) -> None:
        with pytest.raises(ClientResponseError) as error:
            await endpoint.request(json={"fail": True}, method="post")
        assert error.value.status == 400

    with_echo_server(scenario)


def test_a_restarted_action_server_is_reached_on_a_new_connection() -> None:
    async def scenario(server: EchoServer, endpoint: EndpointConfig) -> None:
        assert await endpoint.request(json={"n": 1}, method="post") == {"echo": {"n": 1}}
        await server.restart()  # drops the kept-open connection
        assert await endpoint.request(json={"n": 2}, method="post") == {"echo": {"n": 2}}

    with_echo_server(scenario)


def test_closing_the_sessions_on_server_stop() -> None:
    async def scenario(server: EchoServer, endpoint: EndpointConfig) -> None:
        await endpoint.request(json={}, method="post")
        session = getattr(endpoint, action_session._SESSION_ATTRIBUTE)[1]
        await action_session.close_sessions()
        await action_session.close_sessions()  # twice is fine
        assert session.closed
        assert await endpoint.request(json={"n": 1}, method="post") == {"echo": {"n": 1}}  # reopens

    with_echo_server(scenario)


# --- patches.domain_empty ---------------------------------------------------------------------

from rasa.shared.core.domain import Domain  # noqa: E402

from patches import domain_empty  # noqa: E402


def test_the_domain_empty_patch_is_applied_when_the_channels_load() -> None:
    assert domain_empty.is_applied()


def test_is_empty_answers_as_rasa_does() -> None:
    from tests.conftest import PROJECT_ROOT

    ours = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    for domain in (Domain.empty(), ours, Domain.from_dict({"intents": ["greet"]}), Domain.from_dict({})):
        assert domain.is_empty() == domain_empty._original(domain)
    assert Domain.empty().is_empty() and not ours.is_empty()
    ours.is_empty()
    assert Domain.empty().is_empty()  # the cached empty dict was not changed by a comparison


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


# --- patches.install: the version gate shared by every patch ----------------------------------

import patches  # noqa: E402


class _Owner:
    attribute = "rasa's"


def test_install_replaces_the_attribute_on_the_target_version() -> None:
    patches.install(_Owner, "attribute", "ours", "patches.example")
    assert _Owner.attribute == "ours"


def test_install_leaves_another_rasa_version_alone_and_says_so(monkeypatch: Any, caplog: Any) -> None:
    _Owner.attribute = "rasa's"
    monkeypatch.setattr(patches, "TARGET_RASA_VERSION", "0.0.0")
    with caplog.at_level("WARNING", logger="patches"):
        patches.install(_Owner, "attribute", "ours", "patches.example")
    assert _Owner.attribute == "rasa's"
    assert "patches.example targets Rasa 0.0.0" in caplog.text and "not applied" in caplog.text
