"""The action server takes calls only from the Rasa servers (issue 10), tested on the real one."""

from __future__ import annotations

import zlib
from typing import Any, Dict

import psutil
import pytest
import requests

from tests.servers import RestChat

pytestmark = pytest.mark.servers


def auth(bot_servers: Any) -> Dict[str, str]:
    return {"Authorization": f"Bearer {bot_servers.env['ADVIESLIJN_ACTION_TOKEN']}"}


def call(bot_servers: Any, **kwargs: Any) -> requests.Response:
    return requests.post(f"{bot_servers.action_url}/webhook", timeout=30, **kwargs)


CRAFTED = {"next_action": "action_triage_summary", "sender_id": "x", "tracker": {"slots": {"situation": "opp_problem"}}}


def test_without_the_token_nothing_runs_and_nothing_is_listed(bot_servers: Any) -> None:
    assert call(bot_servers, json=CRAFTED).status_code == 401
    assert call(bot_servers, json=CRAFTED, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert requests.get(f"{bot_servers.action_url}/actions", timeout=30).status_code == 401
    assert requests.get(f"{bot_servers.action_url}/health", timeout=30).status_code == 200


def test_rasa_with_the_token_is_served(bot_servers: Any) -> None:
    assert "assistent" in RestChat(bot_servers).joined("hallo")
    listed = requests.get(f"{bot_servers.action_url}/actions", headers=auth(bot_servers), timeout=30)
    assert {"name": "action_handoff"} in listed.json()


def test_a_compressed_body_is_refused(bot_servers: Any) -> None:
    bomb = zlib.compress(b"{" + b" " * 5_000_000 + b"}")
    headers = {**auth(bot_servers), "Content-Encoding": "deflate", "Content-Type": "application/json"}
    assert call(bot_servers, data=bomb, headers=headers).status_code == 415


def test_a_large_body_is_refused(bot_servers: Any) -> None:
    try:
        answer = call(bot_servers, data=b"x" * (3 * 1024 * 1024), headers=auth(bot_servers))
        assert answer.status_code == 413
    except requests.ConnectionError:
        pass  # closed while sending: refused too


def test_an_error_does_not_echo_the_request(bot_servers: Any) -> None:
    marker = "geheim-kenmerk-van-een-ouder"
    answer = call(bot_servers, json={"next_action": 5, "tracker": marker, "domain": [marker]}, headers=auth(bot_servers))
    assert answer.status_code >= 400
    assert marker not in answer.text


def test_it_listens_on_loopback_only(bot_servers: Any) -> None:
    process = psutil.Process(bot_servers.action_server.pid)
    listening = [
        conn.laddr.ip
        for proc in [process, *process.children(recursive=True)]
        for conn in proc.net_connections(kind="tcp")
        if conn.status == psutil.CONN_LISTEN
    ]
    assert listening and set(listening) == {"127.0.0.1"}, listening
