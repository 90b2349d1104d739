"""The real staff app as a process on loopback, on its own SQLite store with three accounts.

A fixture shared by tests/staff (HTTP) and tests/browser (Chromium): each conftest imports it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
import requests
from sqlalchemy.engine import Engine

from harness.servers import free_port
from store.db import open_store
from store.staff_users import create_user

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "een lang wachtwoord"


@dataclass
class StaffServer:
    url: str
    engine: Engine
    log: Path

    def page(self, path: str) -> str:
        return f"{self.url}/medewerkers{path}"


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffServer]:
    folder = tmp_path_factory.mktemp("staff")
    store_url = f"sqlite:///{folder / 'store.sqlite'}"
    engine = open_store(store_url)
    for name in ("anna", "bert", "carla"):
        create_user(engine, name, PASSWORD)
    port = free_port()
    log = folder / "staff.log"
    env = {**os.environ, "ADVIESLIJN_STORE_URL": store_url, "PYTHONPATH": str(PROJECT_ROOT)}
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "staff", "serve", "--port", str(port), "--dev"],
                                   cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = StaffServer(f"http://127.0.0.1:{port}", engine, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(server.page("/inloggen"), timeout=2)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"staff app did not start:\n{log.read_text()}")
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)
        engine.dispose()
