"""Server control for the load benchmark: the real action server and Rasa server for one model, how
each start of Rasa is configured (RasaMode, passed explicitly), and what their process trees use.

The Rasa server is started as benchmarks.rasa_code says: ours with the project's patches/, the
baseline as stock Rasa with Rasa's own REST channel (so none of our code runs in that server).
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import psutil
import requests
import yaml

from benchmarks import rasa_code
from benchmarks.common import BenchError
from harness.servers import BotServers, ManagedProcess

Pids = Dict[str, Callable[[], Optional[int]]]  # name -> the current pid of a server (None: not running)


@dataclass(frozen=True)
class RasaMode:
    """How one start of the Rasa server is configured; given to BenchServers.start_rasa each time."""

    api: bool = False  # Rasa's HTTP API (--enable-api), for /model/parse and /predict
    actions_via: Optional[str] = None  # the action endpoint URL (e.g. a recording proxy); None: the action server
    cprofile_to: Optional[Path] = None  # run the server under cProfile, writing this file


class BenchServers(BotServers):
    """BotServers for the benchmark: `stock_rasa` (fixed for the instance) serves the model with stock
    Rasa and Rasa's own REST channel instead of ours; each `start_rasa(mode)` says how that start of
    Rasa is configured."""

    def __init__(self, model: Path, *, stock_rasa: bool, **kwargs: Any) -> None:
        self.stock_rasa = stock_rasa
        self._mode = RasaMode()
        super().__init__(model, **kwargs)

    def _write_config(self) -> None:
        super()._write_config()
        if self.stock_rasa:  # Rasa's RestInput (same URL); our channels package is never imported
            self.credentials_path.write_text(yaml.safe_dump({"rest": None}), encoding="utf-8")

    def _rasa_process(self) -> ManagedProcess:
        process = super()._rasa_process()
        arguments = process.command[process.command.index("run"):]
        command = rasa_code.rasa_command(patched=not self.stock_rasa) + arguments
        if self._mode.api:
            command.append("--enable-api")
        if self._mode.cprofile_to:
            command = rasa_code.under_cprofile(command, self._mode.cprofile_to)
        process.command = command
        return process

    def start_rasa(self, mode: Optional[RasaMode] = None) -> None:
        """Start the Rasa server configured by `mode` (default: plain); the server must be stopped."""
        mode = mode or RasaMode()
        if self.rasa_server.running():
            raise BenchError("the Rasa server is running; stop it before starting it in another mode")
        endpoints = yaml.safe_load(self.endpoints_path.read_text(encoding="utf-8"))
        endpoints["action_endpoint"]["url"] = mode.actions_via or f"{self.action_url}/webhook"
        self.endpoints_path.write_text(yaml.safe_dump(endpoints), encoding="utf-8")
        self._mode = mode
        super().start_rasa()

    def action_headers(self) -> Dict[str, str]:
        """The headers Rasa sends with each action call (the action server's token), from the endpoints."""
        endpoints = yaml.safe_load(self.endpoints_path.read_text(encoding="utf-8"))
        return dict(endpoints["action_endpoint"].get("headers") or {})

    def pids(self) -> Pids:
        return {"rasa": lambda: self.rasa_server.pid, "actions": lambda: self.action_server.pid}


def first_reply(servers: BotServers, timeout_s: float = 120) -> None:
    """Wait until the Rasa server answers a message (its model is loaded)."""
    deadline = time.monotonic() + timeout_s
    sender = f"coldstart-{uuid.uuid4().hex}"
    while time.monotonic() < deadline:
        try:
            response = requests.post(servers.rest_url, json={"sender": sender, "message": "hallo"}, timeout=60)
            if response.status_code == 200 and response.json():
                return
        except (requests.RequestException, ValueError):
            pass
        time.sleep(0.1)
    raise BenchError(f"no reply from the Rasa server within {timeout_s:.0f} s; see {servers.workdir}")


# ---------------------------------------------------------------------------------------------
# What the servers' process trees use


def tree(pid: Optional[int]) -> List[psutil.Process]:
    """The process and all its children (empty if it is gone)."""
    if not pid:
        return []
    try:
        root = psutil.Process(pid)
        return [root] + root.children(recursive=True)
    except psutil.Error:
        return []


def tree_rss_mb(pid: Optional[int]) -> float:
    total = 0
    for process in tree(pid):
        try:
            total += process.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def tree_cpu_s(pid: Optional[int]) -> float:
    total = 0.0
    for process in tree(pid):
        try:
            times = process.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
        except psutil.Error:
            pass
    return total


class MemorySampler:
    """Samples the RSS of the server trees every 0.2 s in a thread; keeps the peaks."""

    def __init__(self, pids: Pids) -> None:
        self.pids = pids
        self.peak_mb: Dict[str, float] = {name: 0.0 for name in pids}
        self.peak_total_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            now = {name: tree_rss_mb(pid()) for name, pid in self.pids.items()}
            for name, mb in now.items():
                self.peak_mb[name] = max(self.peak_mb[name], mb)
            self.peak_total_mb = max(self.peak_total_mb, sum(now.values()))
            self._stop.wait(0.2)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

