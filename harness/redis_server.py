"""A private Redis server for the scaled topology and its tests: loopback only, no disk.

Started from Debian's `redis-server` (scripts/ensure_services.sh installs it) on its own port with
`--save '' --appendonly no`: conversations live in memory only and expire by themselves (the
tracker store's record expiry), so nothing a parent wrote is ever written to disk.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Optional

import redis

from harness.servers import LOOPBACK, ManagedProcess, ServerError, free_port, port_in_use

REDIS_SERVER = "/usr/bin/redis-server"


class RedisServer:
    def __init__(self, workdir: Path, port: Optional[int] = None) -> None:
        binary = shutil.which("redis-server") or REDIS_SERVER
        if not Path(binary).exists():
            raise ServerError("redis-server is missing; run scripts/ensure_services.sh (apt-get install redis-server)")
        self.port = port or free_port()
        if port_in_use(self.port):
            raise ServerError(f"port {self.port} on {LOOPBACK} is already in use (REDIS_URL); choose another port")
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        command = [
            binary, "--bind", LOOPBACK, "--port", str(self.port),
            "--save", "", "--appendonly", "no", "--dir", str(self.workdir),
            "--protected-mode", "yes", "--loglevel", "warning",
        ]
        self.process = ManagedProcess("redis", command, {}, self.workdir / "redis.log")

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host=LOOPBACK, port=self.port, db=0, decode_responses=True)

    def start(self, timeout_s: float = 15) -> "RedisServer":
        if self.process.running():
            return self
        self.process = ManagedProcess("redis", self.process.command, {}, self.process.log_path)
        self.process.start()
        started = time.monotonic()
        while time.monotonic() - started < timeout_s:
            if not self.process.running():
                raise ServerError(f"redis exited during start-up; see {self.process.log_path}")
            try:
                if self.client().ping():
                    return self
            except redis.RedisError:
                time.sleep(0.05)
        raise ServerError(f"redis did not answer within {timeout_s:.0f} s; see {self.process.log_path}")

    def stop(self) -> None:
        self.process.stop(timeout_s=5)
