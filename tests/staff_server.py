"""The real staff app as a process on loopback, on its own SQLite store with three accounts (anna
is an admin: she may read the audit log).

A fixture shared by tests/staff (HTTP) and tests/browser (Chromium): each conftest imports it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, List, Optional

import pytest
import requests
from sqlalchemy.engine import Engine

from harness.servers import free_port
from store.db import open_store
from store.staff_users import create_user

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "een lang wachtwoord"
ADMIN = "anna"


@dataclass
class StaffServer:
    url: str
    engine: Engine
    log: Path
    command: List[str] = field(default_factory=list)
    env: dict = field(default_factory=dict)
    process: Optional[subprocess.Popen] = None

    def page(self, path: str) -> str:
        return f"{self.url}/medewerkers{path}"

    def start(self) -> None:
        with open(self.log, "a") as out:
            self.process = subprocess.Popen(self.command, cwd=PROJECT_ROOT, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(self.page("/inloggen"), timeout=2)
                return
            except requests.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"staff app did not start:\n{self.log.read_text()}")
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def serving(folder: Path, store_url: str, engine: Engine) -> Iterator[StaffServer]:
    """The staff app on `store_url` (with `engine` on it), started, then stopped and the engine closed."""
    port = free_port()
    env = {**os.environ, "ADVIESLIJN_STORE_URL": store_url, "PYTHONPATH": str(PROJECT_ROOT)}
    server = StaffServer(f"http://127.0.0.1:{port}", engine, folder / "staff.log",
                         [sys.executable, "-m", "staff", "serve", "--port", str(port), "--dev"], env)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        engine.dispose()


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffServer]:
    folder = tmp_path_factory.mktemp("staff")
    store_url = f"sqlite:///{folder / 'store.sqlite'}"
    engine = open_store(store_url)
    for name in ("anna", "bert", "carla"):
        create_user(engine, name, PASSWORD, admin=name == ADMIN)
    yield from serving(folder, store_url, engine)
