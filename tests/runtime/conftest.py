"""Fixtures of the scaled topology's tests: a private Redis, and the whole topology behind nginx."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from harness.redis_server import RedisServer
from harness.servers import PROJECT_ROOT

ENSURE_SERVICES = PROJECT_ROOT / "scripts" / "ensure_services.sh"


@pytest.fixture(scope="session")
def services_installed() -> None:
    """nginx and redis-server from Debian, installed on first use (as root; CI is a fresh machine)."""
    subprocess.run([str(ENSURE_SERVICES)], check=True)


@pytest.fixture(scope="session")
def redis_server(services_installed) -> Iterator[RedisServer]:
    server = RedisServer(Path(tempfile.mkdtemp(prefix="advieslijn-redis-"))).start()
    try:
        yield server
    finally:
        server.stop()
