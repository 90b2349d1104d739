"""patches.turn_failure: an action server or tracker store failure fails the turn, loudly.

Against a real loopback HTTP server standing in for the action server (500 = an exception in an
action, 400 = a rejection) and a Redis tracker store on a port where nothing listens.
"""

from __future__ import annotations

import asyncio
from typing import Any, List

import pytest
from aiohttp import web
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.tracker_store import FailSafeTrackerStore, RedisTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

import patches
from harness.servers import free_port
from patches import turn_failure
from patches.turn_failure import TurnFailed, _current_turn, _Turn

patches.apply_all()


class ActionServer:
    """Answers every call with the given HTTP status and counts the calls."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.calls = 0

    async def handle(self, request: web.Request) -> web.Response:
        self.calls += 1
        if self.status == 400:
            return web.json_response({"action_name": "action_x", "error": "declined"}, status=400)
        if self.status != 200:
            return web.json_response({"error": "boom"}, status=self.status)
        return web.json_response({"events": [], "responses": []})


def _scenario(status: int, calls: int) -> tuple:
    """Run `calls` RemoteAction calls inside one turn record; returns (errors, turn, server)."""

    async def run() -> tuple:
        server = ActionServer(status)
        app = web.Application()
        app.router.add_post("/webhook", server.handle)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        action = RemoteAction("action_x", EndpointConfig(f"http://127.0.0.1:{port}/webhook"))
        turn = _Turn()
        token = _current_turn.set(turn)
        errors: List[Any] = []
        try:
            for _ in range(calls):
                try:
                    await action.run(
                        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}),
                        DialogueStateTracker("s", []), Domain.empty(),
                    )
                    errors.append(None)
                except Exception as error:  # noqa: BLE001 - the test inspects it
                    errors.append(error)
        finally:
            _current_turn.reset(token)
            await runner.cleanup()
        return errors, turn, server

    return asyncio.run(run())


def test_the_patch_is_applied_by_apply_all() -> None:
    assert turn_failure.is_applied()


def test_an_exception_in_an_action_is_noted_and_later_calls_of_the_turn_are_not_sent() -> None:
    errors, turn, server = _scenario(500, 3)
    assert all(isinstance(error, RasaException) for error in errors)
    assert turn.failure == "the action server failed running 'action_x' (RasaException)"
    assert server.calls == 1, "a failed turn must not call the action server again"


def test_a_rejection_is_rasas_normal_signal_and_not_a_failure() -> None:
    errors, turn, server = _scenario(400, 2)
    assert all(isinstance(error, ActionExecutionRejection) for error in errors)
    assert turn.failure is None and server.calls == 2


def test_a_working_action_server_leaves_the_turn_alone() -> None:
    errors, turn, server = _scenario(200, 2)
    assert errors == [None, None] and turn.failure is None and server.calls == 2


def test_outside_a_turn_rasas_behaviour_is_unchanged() -> None:
    async def run() -> None:
        action = RemoteAction("action_x", EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook"))
        for _ in range(2):  # nothing remembered between calls: each one tries the server
            with pytest.raises(RasaException, match="Couldn't connect"):
                await action.run(
                    CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}),
                    DialogueStateTracker("s", []), Domain.empty(),
                )

    asyncio.run(run())


def test_a_tracker_store_that_is_down_fails_the_turn_instead_of_forgetting_the_conversation() -> None:
    store = FailSafeTrackerStore(RedisTrackerStore(Domain.empty(), host="127.0.0.1", port=free_port()))

    async def run() -> None:
        with pytest.raises(TurnFailed, match=r"tracker store \(RedisTrackerStore\) failed"):
            await store.retrieve("someone")
        with pytest.raises(TurnFailed):
            await store.save(DialogueStateTracker("someone", []))
        assert store._fallback_tracker_store is None, "no in-memory fallback of this one process"

    asyncio.run(run())
