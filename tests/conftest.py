"""Shared fixtures: the real action server and Rasa server, started once per test session."""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# The staff store (triage codes, closures, insight) of every test run is a fresh SQLite file, never
# var/ of the work tree; the servers the tests start inherit it. Fallback messages are kept only
# where a test switches it on (tests/integration/test_staff_flow.py): redaction loads deduce.
os.environ.setdefault("ADVIESLIJN_STORE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='advieslijn-store-')}/store.sqlite")
os.environ.setdefault("ADVIESLIJN_STORE_FALLBACKS", "0")

from harness.servers import DEFAULT_MODEL, BotServers, free_port  # noqa: E402

MODEL = Path(os.environ.get("ADVIESLIJN_MODEL", DEFAULT_MODEL))


@pytest.fixture(scope="session")
def bot_servers() -> Iterator[BotServers]:
    """The trained model served by a real action server and a real Rasa server on loopback.

    `web_port` is reserved for a static server of the widget's demo page: its origin is the one
    the socket.io channel accepts. Rasa's HTTP API is on, behind the random `api_token`, so tests can
    read a conversation's tracker. Both servers stop at the end, also when tests fail.
    """
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does this)")
    web_port = free_port()
    servers = BotServers(
        MODEL,
        allowed_origins=[f"http://127.0.0.1:{web_port}", f"http://localhost:{web_port}"],
        api_token=secrets.token_hex(16),
    )
    servers.web_port = web_port  # type: ignore[attr-defined]
    servers.start()
    try:
        yield servers
    finally:
        servers.stop()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots-dir",
        default=None,
        help="write the README's widget screenshots into this folder (make screenshots: docs/screenshots)",
    )
