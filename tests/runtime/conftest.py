"""Fixtures of the scaled topology's tests: a private Redis, and the whole topology behind nginx
(two Rasa replicas, two action servers, two staff apps, Redis, PostgreSQL), started once for the
package: test_scaled_staff.py and test_scaled_topology.py share it (the latter kills a replica in
its last test)."""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Iterator

import pytest
import requests

from actions.clock import FIXED_NOW_ENV
from harness.redis_server import RedisServer
from harness.scaled import ScaledTopology
from harness.servers import PROJECT_ROOT, free_port
from tests.store.conftest import empty_store

ENSURE_SERVICES = PROJECT_ROOT / "scripts" / "ensure_services.sh"
ENSURE_POSTGRES = PROJECT_ROOT / "scripts" / "ensure_postgres.sh"
TUESDAY_OPEN = "2026-12-01T10:30:00+01:00"
WEB_PORT = free_port()
WEB_ORIGIN = f"http://127.0.0.1:{WEB_PORT}"
# The topology's own database on the machine's PostgreSQL (not the storage tests' one).
RUNTIME_DB = "advieslijn_runtime"
RUNTIME_PG_URL = f"postgresql+psycopg2://{RUNTIME_DB}:{RUNTIME_DB}@127.0.0.1:5432/{RUNTIME_DB}"


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


@pytest.fixture(scope="package")
def runtime_store():
    """An empty, migrated store on PostgreSQL (started by the project's script when it is not running)."""
    subprocess.run([str(ENSURE_POSTGRES)], check=True, env={**os.environ, "ADVIESLIJN_PG_DB": RUNTIME_DB},
                   stdout=subprocess.DEVNULL)
    engine = empty_store(RUNTIME_PG_URL)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(scope="package")
def scaled_topology(services_installed, runtime_store) -> Iterator[ScaledTopology]:
    """The production topology, its clock fixed on a Tuesday when the line is open."""
    topology = ScaledTopology(replicas=2, action_servers=2, staff_servers=2, allowed_origins=[WEB_ORIGIN],
                              store_url=RUNTIME_PG_URL, broker_flush_seconds=1,
                              extra_env={FIXED_NOW_ENV: TUESDAY_OPEN})
    # The demo page's origin, the one socket.io accepts (read it here: conftest may be imported twice).
    topology.web_port, topology.web_origin = WEB_PORT, WEB_ORIGIN  # type: ignore[attr-defined]
    topology.start()
    try:
        for index in range(len(topology.replicas)):  # first turns load lazy code paths: not measured
            reply = requests.post(topology.replica_rest_url(index), headers=topology.rest_headers, timeout=90,
                                  json={"sender": f"warm-{uuid.uuid4().hex}", "message": "hallo"})
            assert reply.status_code == 200, topology.logs()
        yield topology
    finally:
        topology.stop()
