"""The production topology on one machine: nginx in front of several Rasa replicas, two or more
action servers, Redis as tracker store and lock store, the advice line's store (PostgreSQL in
`make run-scaled`) and the staff app under /medewerkers/ (`make run-scaled`, tests/runtime).

    clients ──> nginx :RASA_PORT ──> Rasa replica 1..REPLICAS ──> Redis (trackers, locks)
      │                                   ├──> nginx :ACTION_PORT ──> action server 1..N ──┐
      │                                   └──> insight event broker ───────────────────────┤
      └── /medewerkers/ ──> staff app 1..N ─────────────────────────────────> store (ADVIESLIJN_STORE_URL)

Every Rasa replica reads and writes conversations in Redis (stores/redis_tracker_store.py; record
expiry = the domain's session expiry, so they vanish by themselves) and takes a conversation's turn
through our atomic lock store (stores/redis_lock_store.py), so any replica can answer any message. Every
process gets the same ADVIESLIJN_STORE_URL, so a line closure set on the staff page is read by the
next hand-off of every replica, and staff sessions are shared by the staff processes. nginx's
template is deploy/nginx.conf (with deploy/staff_proxy.conf); this module fills it in and starts
everything on loopback.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import tempfile
import time
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple
from urllib.parse import urlparse

import yaml

from harness.redis_server import RedisServer
from harness.servers import (
    DEFAULT_MODEL, LOOPBACK, PROJECT_ROOT, BotServers, ManagedProcess, ServerError,
    _http_ok, action_server_command, free_port, port_in_use,
)
from store.db import open_store

NGINX = "/usr/sbin/nginx"
NGINX_TEMPLATE = PROJECT_ROOT / "deploy" / "nginx.conf"
STAFF_PROXY_CONF = PROJECT_ROOT / "deploy" / "staff_proxy.conf"
BROKER_TYPE = "insight.broker.InsightEventBroker"
STAFF_READY_PATH = "/medewerkers/static/staff.css"  # public and creates no session
SESSION_DOMAIN_FILE = PROJECT_ROOT / "domain" / "conversation.yml"
LOCK_STORE_TYPE = "stores.redis_lock_store.AtomicRedisLockStore"
TRACKER_STORE_TYPE = "stores.redis_tracker_store.ReconnectingRedisTrackerStore"
SHARED_SECRETS = ("ADVIESLIJN_ACTION_TOKEN", "ADVIESLIJN_SESSION_SECRET", "ADVIESLIJN_REST_TOKEN")


def session_expiry_seconds() -> int:
    """The domain's session expiry (minutes) in seconds: the tracker store's record expiry."""
    domain = yaml.safe_load(SESSION_DOMAIN_FILE.read_text(encoding="utf-8"))
    return int(domain["session_config"]["session_expiration_time"]) * 60


def store_endpoints(redis_url: str, rasa_lock_store: bool = False) -> Dict[str, object]:
    """tracker_store and lock_store entries for Rasa's endpoints file, both on `redis_url`.
    `rasa_lock_store`: Rasa's own RedisLockStore instead of ours (only to compare them)."""
    parsed = urlparse(redis_url)
    db = int(parsed.path.strip("/") or 0)
    tracker = {
        "type": TRACKER_STORE_TYPE, "url": parsed.hostname or LOOPBACK, "port": parsed.port or 6379,
        "db": db, "record_exp": session_expiry_seconds(),
    }
    if parsed.password:
        tracker["password"] = parsed.password
    lock_store = {"type": LOCK_STORE_TYPE, "url": redis_url}
    if rasa_lock_store:
        lock_store = {"type": "redis", "url": tracker["url"], "port": tracker["port"], "db": db}
    return {"tracker_store": tracker, "lock_store": lock_store}


def slow_down_body() -> str:
    """nginx's answer over a rate limit: the domain's utter_slow_down, as the REST channel answers."""
    responses = yaml.safe_load((PROJECT_ROOT / "domain" / "service.yml").read_text(encoding="utf-8"))["responses"]
    body = json.dumps([{"text": responses["utter_slow_down"][0]["text"]}], ensure_ascii=False)
    return body.replace("\\", "\\\\").replace("'", "\\'")  # inside nginx's single quotes


def broker_endpoint(store_url: str, flush_seconds: float = 10) -> Dict[str, object]:
    """The event_broker entry of every replica's endpoints: anonymous counts into the store."""
    return {"event_broker": {"type": BROKER_TYPE, "url": store_url, "flush_seconds": flush_seconds}}


def staff_command(port: int) -> List[str]:
    """One staff app process on `port` (loopback; its cookie is Secure: this is production)."""
    return [str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "staff", "serve", "--port", str(port)]


def render_nginx_conf(workdir: Path, rasa_port: int, action_port: int,
                      replica_ports: Iterable[int], action_ports: Iterable[int], staff_ports: Iterable[int]) -> Path:
    def servers(ports: Iterable[int]) -> str:
        return "\n".join(f"        server {LOOPBACK}:{p} max_fails=1 fail_timeout=5s;" for p in ports)

    text = NGINX_TEMPLATE.read_text(encoding="utf-8")
    for name, value in {
        "SLOW_DOWN_BODY": slow_down_body(),
        "WORKDIR": str(workdir), "LISTEN_HOST": LOOPBACK, "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port), "RASA_SERVERS": servers(replica_ports),
        "ACTION_SERVERS": servers(action_ports), "STAFF_SERVERS": servers(staff_ports),
    }.items():
        text = text.replace("{{" + name + "}}", value)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (workdir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    (workdir / "staff_proxy.conf").write_text(STAFF_PROXY_CONF.read_text(encoding="utf-8"), encoding="utf-8")
    path = workdir / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


class ScaledTopology:
    """nginx, REPLICAS Rasa servers, the action servers, the staff apps and (unless given a Redis
    URL) Redis. `store_url`: the advice line's store for every process (`make run-scaled` gives
    PostgreSQL); without one, a private SQLite file in the work folder, like the private Redis, so
    benchmarks never count into a real overview."""

    def __init__(
        self,
        model: Path = DEFAULT_MODEL,
        *,
        replicas: int = 2,
        action_servers: int = 2,
        rasa_port: Optional[int] = None,
        action_port: Optional[int] = None,
        replica_ports: Optional[List[int]] = None,
        action_ports: Optional[List[int]] = None,
        staff_servers: int = 1,
        staff_ports: Optional[List[int]] = None,
        store_url: Optional[str] = None,
        broker_flush_seconds: float = 10,
        redis_url: Optional[str] = None,
        own_redis_port: Optional[int] = None,
        rasa_lock_store: bool = False,
        allowed_origins: Iterable[str] = ("http://127.0.0.1:8080", "http://localhost:8080"),
        workdir: Optional[Path] = None,
        extra_env: Optional[Dict[str, str]] = None,
        startup_timeout_s: float = 240,
    ) -> None:
        if not Path(NGINX).exists():
            raise ServerError("nginx is missing; run scripts/ensure_services.sh (apt-get install nginx-light)")
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="advieslijn-scaled-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.rasa_port = rasa_port or free_port()
        self.action_port = action_port or free_port()
        self.replica_ports = replica_ports or [free_port() for _ in range(replicas)]
        self.action_ports = action_ports or [free_port() for _ in range(action_servers)]
        self.staff_ports = staff_ports or [free_port() for _ in range(staff_servers)]
        if not self.staff_ports:
            raise ServerError("the topology needs at least one staff app")
        ports = [self.rasa_port, self.action_port, *self.replica_ports, *self.action_ports, *self.staff_ports]
        taken = [p for p in ports if port_in_use(p)]
        if taken or len(set(ports)) != len(ports):
            raise ServerError(f"ports {taken or ports} are in use or repeated; choose others")
        self.startup_timeout_s = startup_timeout_s
        self.redis = None if redis_url else RedisServer(self.workdir / "redis", own_redis_port)
        self.redis_url = redis_url or self.redis.url
        # Secrets every process of the topology shares (issue 10): the action servers' token, the
        # socket.io session secret (a reloaded widget may reach any replica) and REST's token.
        shared = {name: os.environ.get(name) or secrets.token_hex(32) for name in SHARED_SECRETS}
        self.store_url = store_url or f"sqlite:///{self.workdir / 'store.sqlite'}"
        extra_env = {**shared, "ADVIESLIJN_STORE_URL": self.store_url, **(extra_env or {})}
        self.rest_headers = {"Authorization": f"Bearer {extra_env['ADVIESLIJN_REST_TOKEN']}"}
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONDONTWRITEBYTECODE": "1", **extra_env}
        self.action_servers = [
            ManagedProcess(f"action server {i + 1}", action_server_command(port), env,
                           self.workdir / f"action-server-{i + 1}.log")
            for i, port in enumerate(self.action_ports)
        ]
        self.staff_servers = [
            ManagedProcess(f"staff app {i + 1}", staff_command(port), env, self.workdir / f"staff-{i + 1}.log")
            for i, port in enumerate(self.staff_ports)
        ]
        # The replicas' action endpoint is nginx's action port (BotServers adds the token header).
        endpoints = {**store_endpoints(self.redis_url, rasa_lock_store),
                     **broker_endpoint(self.store_url, broker_flush_seconds)}
        self.replicas = [
            BotServers(model, allowed_origins=allowed_origins, rasa_port=port, action_port=self.action_port,
                       extra_env=extra_env,
                       workdir=self.workdir / f"replica-{i + 1}", startup_timeout_s=startup_timeout_s,
                       endpoints_extra=endpoints)
            for i, port in enumerate(self.replica_ports)
        ]
        for i, replica in enumerate(self.replicas):  # names for log lines (supervisor, errors)
            replica.rasa_server.name = f"Rasa replica {i + 1}"
        conf = render_nginx_conf(self.workdir, self.rasa_port, self.action_port, self.replica_ports,
                                 self.action_ports, self.staff_ports)
        self.nginx = ManagedProcess("nginx", [NGINX, "-c", str(conf), "-p", str(self.workdir), "-e",
                                              str(self.workdir / "nginx-error.log")], env, self.workdir / "nginx.log")

    @property
    def url(self) -> str:
        """nginx: where clients connect, as they would to `make run`'s single Rasa server."""
        return f"http://{LOOPBACK}:{self.rasa_port}"

    @property
    def rest_url(self) -> str:
        return f"{self.url}/webhooks/rest/webhook"

    def replica_rest_url(self, index: int) -> str:
        return self.replicas[index].rest_url

    @property
    def staff_url(self) -> str:
        """The staff page through nginx."""
        return f"{self.url}/medewerkers"

    def staff_direct_url(self, index: int) -> str:
        return f"http://{LOOPBACK}:{self.staff_ports[index]}/medewerkers"

    def start(self) -> "ScaledTopology":
        try:
            if self.redis:
                self.redis.start()
            open_store(self.store_url).dispose()  # migrate once, before the processes open it
            for server in self.action_servers:
                server.start()
            for server, port in zip(self.action_servers, self.action_ports):
                server.wait_until(f"http://{LOOPBACK}:{port}/health", self.startup_timeout_s)
            self.start_staff()
            self.start_nginx()
            for replica in self.replicas:  # load the models side by side, then wait for each
                replica.rasa_server.start()
            for replica in self.replicas:
                replica.rasa_server.wait_until(f"{replica.rasa_url}/webhooks/rest/", self.startup_timeout_s)
        except BaseException:
            self.stop()
            raise
        return self

    def start_staff(self) -> None:
        for server in self.staff_servers:
            if not server.running():
                server.start()
        for server, port in zip(self.staff_servers, self.staff_ports):
            server.wait_until(f"http://{LOOPBACK}:{port}{STAFF_READY_PATH}", self.startup_timeout_s)

    def start_nginx(self) -> None:
        self.nginx.start()
        started = time.monotonic()
        while not port_in_use(self.rasa_port):
            if not self.nginx.running() or time.monotonic() - started > 15:
                raise ServerError(f"nginx did not start; see {self.workdir / 'nginx-error.log'}")
            time.sleep(0.05)

    def kill_replica(self, index: int) -> None:
        """SIGKILL the replica's whole process group, as a crash or an OOM kill would."""
        process = self.replicas[index].rasa_server
        os.killpg(process.pid, signal.SIGKILL)
        process.process.wait(timeout=10)

    def restart_replica(self, index: int) -> None:
        self.replicas[index].start_rasa()

    def processes(self) -> List[Tuple[str, ManagedProcess]]:
        """Every process this topology started, with a name for log lines."""
        named = [(r.rasa_server.name, r.rasa_server) for r in self.replicas]
        named += [(p.name, p) for p in self.action_servers + self.staff_servers] + [("nginx", self.nginx)]
        return named + ([("redis", self.redis.process)] if self.redis else [])

    def ready(self) -> bool:
        return _http_ok(f"{self.url}/webhooks/rest/")

    def stop(self) -> None:
        self.nginx.stop(timeout_s=5)
        for replica in self.replicas:
            replica.stop()
        for server in self.action_servers + self.staff_servers:
            server.stop()
        if self.redis:
            self.redis.stop()

    def __enter__(self) -> "ScaledTopology":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def logs(self) -> str:
        """The tail of every log, for a failing test's report."""
        parts = []
        for path in sorted(self.workdir.rglob("*.log")):
            parts.append(f"--- {path} ---\n" + path.read_text(errors="replace")[-3000:])
        return "\n".join(parts)
