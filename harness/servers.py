"""Start and stop the real action server and Rasa server on free loopback ports.

Used by `make run`, by the integration and browser tests and by the benchmarks, so that all of them
exercise the same processes a deployment runs. Each `BotServers` writes its own endpoints and
credentials files (with its ports and allowed origins) into a private work folder, logs each
server to a file there, and stops both process groups on `stop()`, also when a test fails.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Iterable, List, Optional

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
DEFAULT_MODEL = PROJECT_ROOT / "models" / "advieslijn.tar.gz"
LOOPBACK = "127.0.0.1"
# Rasa's command line with the project's patches (patches/__main__.py): the one way we start Rasa.
RASA_CLI = [str(VENV_BIN / "python"), "-m", "patches"]


class ServerError(RuntimeError):
    """A server did not start or stopped unexpectedly; the message names its log file."""


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def port_in_use(port: int, host: str = LOOPBACK) -> bool:
    """True when something already listens on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError):
        return False


def action_server_command(port: int) -> List[str]:
    """The command line of one action server (rasa-sdk with the project's actions and health
    probes, actions/server.py) on `port`."""
    return [str(VENV_BIN / "python"), "-m", "actions.server", "--actions", "actions", "-p", str(port)]


class ManagedProcess:
    """A server process in its own process group, logging to a file."""

    def __init__(self, name: str, command: List[str], env: Dict[str, str], log_path: Path) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.log_path = log_path
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> None:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            self.command,
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()

    @property
    def pid(self) -> Optional[int]:
        return self.process.pid if self.process else None

    @property
    def returncode(self) -> Optional[int]:
        """The exit code once the process has stopped (negative: killed by that signal)."""
        return self.process.poll() if self.process else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_until(self, url: str, timeout_s: float) -> float:
        """Wait until `url` answers 2xx; return the seconds it took."""
        started = time.monotonic()
        while time.monotonic() - started < timeout_s:
            if not self.running():
                raise ServerError(f"{self.name} exited during start-up; see {self.log_path}")
            if _http_ok(url):
                return time.monotonic() - started
            time.sleep(0.2)
        raise ServerError(f"{self.name} did not answer {url} within {timeout_s:.0f} s; see {self.log_path}")

    def stop(self, timeout_s: float = 15) -> None:
        if not self.process or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass


class BotServers:
    """The action server and the Rasa server (REST and socket.io channels) for one model."""

    def __init__(
        self,
        model: Path = DEFAULT_MODEL,
        *,
        allowed_origins: Iterable[str] = ("http://127.0.0.1:8080", "http://localhost:8080"),
        extra_env: Optional[Dict[str, str]] = None,
        rasa_port: Optional[int] = None,
        action_port: Optional[int] = None,
        workdir: Optional[Path] = None,
        startup_timeout_s: float = 180,
        rasa_command: Optional[List[str]] = None,
        api_token: Optional[str] = None,
        endpoints_extra: Optional[Dict[str, object]] = None,
    ) -> None:
        self.model = Path(model)
        # With a token, Rasa's HTTP API (/conversations/<id>/tracker, ...) is on, for that token only.
        self.api_token = api_token
        if not self.model.exists():
            raise ServerError(f"no trained model at {self.model}; run `make train` first")
        self.allowed_origins = list(allowed_origins)
        self.rasa_port = rasa_port or free_port()
        self.action_port = action_port or free_port()
        for port in (self.rasa_port, self.action_port):
            if port_in_use(port):
                raise ServerError(f"port {port} on {LOOPBACK} is already in use; stop that process or choose another port")
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="advieslijn-servers-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.startup_timeout_s = startup_timeout_s
        # Entries added to (or replacing) the endpoints file, e.g. tracker_store and lock_store.
        self.endpoints_extra = dict(endpoints_extra or {})
        # How Rasa is started: with our patches, or `.venv/bin/rasa` for a stock baseline.
        self.rasa_command = list(rasa_command or RASA_CLI)
        self.env = {
            # One secret for the servers' lifetime, so a restarted Rasa server still accepts the
            # widget's token (channels/session_binding.py); a set one from the environment wins.
            "ADVIESLIJN_SESSION_SECRET": secrets.token_hex(32),
            # The shared secret on every call from Rasa to the action server (actions/server.py).
            "ADVIESLIJN_ACTION_TOKEN": secrets.token_hex(32),
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "SANIC_HOST": LOOPBACK,
            "PYTHONDONTWRITEBYTECODE": "1",
            **(extra_env or {}),
        }
        self._write_config()
        self.action_server = ManagedProcess(
            "action server",
            action_server_command(self.action_port),
            self.env,
            self.workdir / "action-server.log",
        )
        self.rasa_server = self._rasa_process()
        self.startup_seconds: Dict[str, float] = {}

    @property
    def rasa_url(self) -> str:
        return f"http://{LOOPBACK}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{LOOPBACK}:{self.action_port}"

    @property
    def rest_url(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"

    def _write_config(self) -> None:
        endpoints = {
            "action_endpoint": {
                "url": f"http://{LOOPBACK}:{self.action_port}/webhook",
                "headers": {"Authorization": f"Bearer {self.env['ADVIESLIJN_ACTION_TOKEN']}"},
            },
            **self.endpoints_extra,
        }
        credentials = yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text(encoding="utf-8"))
        credentials["channels.socketio.SafeSocketIOInput"]["allowed_origins"] = self.allowed_origins
        self.endpoints_path = self.workdir / "endpoints.yml"
        self.credentials_path = self.workdir / "credentials.yml"
        self.endpoints_path.write_text(yaml.safe_dump(endpoints), encoding="utf-8")
        self.endpoints_path.chmod(0o600)  # it holds the action server's token
        self.credentials_path.write_text(yaml.safe_dump(credentials), encoding="utf-8")

    def _rasa_process(self) -> ManagedProcess:
        command = [
            *self.rasa_command, "run",
            "--model", str(self.model),
            "--endpoints", str(self.endpoints_path),
            "--credentials", str(self.credentials_path),
            "--interface", LOOPBACK,
            "--port", str(self.rasa_port),
            "--quiet",
        ]
        if self.api_token:
            command += ["--enable-api", "--auth-token", self.api_token]
        return ManagedProcess("Rasa server", command, self.env, self.workdir / "rasa-server.log")

    def start_actions(self) -> None:
        self.action_server.start()
        self.startup_seconds["action_server"] = self.action_server.wait_until(
            f"{self.action_url}/health", self.startup_timeout_s
        )

    def restart_actions(self, extra_env: Optional[Dict[str, str]] = None) -> None:
        """Restart only the action server (same port) with changed environment, e.g. a fixed
        clock (ADVIESLIJN_FIXED_NOW); the Rasa server keeps running. None values unset a variable."""
        self.action_server.stop()
        for key, value in (extra_env or {}).items():
            if value is None:
                self.env.pop(key, None)
            else:
                self.env[key] = value
        self.action_server = ManagedProcess(
            "action server", self.action_server.command, dict(self.env), self.action_server.log_path
        )
        self.start_actions()

    def start_rasa(self) -> None:
        if self.rasa_server.running():
            return
        self.rasa_server = self._rasa_process()
        self.rasa_server.start()
        self.startup_seconds["rasa_server"] = self.rasa_server.wait_until(
            f"{self.rasa_url}/webhooks/rest/", self.startup_timeout_s
        )

    def stop_rasa(self) -> None:
        self.rasa_server.stop()

    def start(self) -> "BotServers":
        try:
            self.start_actions()
            self.start_rasa()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        self.rasa_server.stop()
        self.action_server.stop()

    def __enter__(self) -> "BotServers":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def logs(self) -> str:
        """Both logs, for a failing test's report."""
        parts = []
        for process in (self.action_server, self.rasa_server):
            if process.log_path.exists():
                parts.append(f"--- {process.log_path} ---\n" + process.log_path.read_text(errors="replace")[-5000:])
        return "\n".join(parts)
