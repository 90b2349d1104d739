"""`make run-scaled`: the production topology on this machine (see harness/scaled.py).

Settings (environment, with defaults):
  RASA_PORT=5005       nginx, where clients connect (the same port `make run`'s Rasa uses)
  ACTION_PORT=5055     nginx's balancer for the action servers (Rasa's action endpoint)
  REPLICAS=2           Rasa servers; REPLICA_PORTS (default RASA_PORT+1...) their ports
  ACTION_PORTS=5056,5057  one action server per port (at least two)
  REDIS_URL            an existing Redis (redis://host:port/db); unset: our own on 127.0.0.1:6380
  ADVIESLIJN_STORE_URL the advice line's PostgreSQL (postgresql+psycopg2://user:pw@host/db); unset:
                       the machine's PostgreSQL 15, started by scripts/ensure_postgres.sh with a
                       role and database `advieslijn` (password made once, URL in var/postgres.url)
  STAFF_PORTS=5058,5059  one staff app per port, behind nginx under /medewerkers/
  WEB_PORT=8080        the widget's demo page
Logs go to build/run-scaled/. A process that stops is restarted with backoff (harness/supervisor.py)
while nginx sends its traffic to the others. Stop everything with Ctrl+C.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

from harness.scaled import ScaledTopology
from harness.servers import LOOPBACK, PROJECT_ROOT, ServerError
from harness.supervisor import Supervisor
from store.known_settings import EVERY_SETTING, STORE_URL
from store.settings import refuse_bad_settings

WORKDIR = PROJECT_ROOT / "build" / "run-scaled"
OWN_REDIS_PORT = 6380
OWN_STORE_URL_FILE = PROJECT_ROOT / "var" / "postgres.url"
ENSURE_POSTGRES = PROJECT_ROOT / "scripts" / "ensure_postgres.sh"


def _ports(name: str, default: str) -> List[int]:
    value = os.environ.get(name, default)
    ports = [p.strip() for p in value.split(",") if p.strip()]
    if not ports or not all(p.isdigit() and 0 < int(p) < 65536 for p in ports):
        raise SystemExit(f"run-scaled: {name}={value!r} is not a (comma-separated list of) port number(s)")
    return [int(p) for p in ports]


def serve_demo_page(rasa_url: str, web_port: int, out: Path) -> Optional[subprocess.Popen]:
    """Build the widget for nginx's URL into `out` and serve it on loopback, as `make run` does for
    its Rasa server; None when the widget was never built (make web)."""
    if not (PROJECT_ROOT / "web" / "dist" / "index.html").exists():
        return None
    subprocess.run(["node", str(PROJECT_ROOT / "web" / "scripts" / "build.mjs"), "--server-url", rasa_url,
                    "--out", str(out)], cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL)
    return subprocess.Popen([sys.executable, str(PROJECT_ROOT / "scripts" / "serve_web.py"), str(web_port),
                             "--dir", str(out)], cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def postgres_store_url() -> str:
    """ADVIESLIJN_STORE_URL when set; else the machine's PostgreSQL with our own role and database,
    started and created (idempotently) by scripts/ensure_postgres.sh. The password is made once
    and kept with the URL in var/postgres.url (readable by its owner only)."""
    configured = STORE_URL.value() or ""
    if configured:
        if not configured.startswith("postgresql"):
            print("run-scaled: ADVIESLIJN_STORE_URL is not PostgreSQL; several processes share the store",
                  file=sys.stderr)
        return configured
    if not OWN_STORE_URL_FILE.exists():
        OWN_STORE_URL_FILE.parent.mkdir(parents=True, exist_ok=True)
        password = secrets.token_hex(24)
        OWN_STORE_URL_FILE.touch(mode=0o600)
        OWN_STORE_URL_FILE.write_text(
            f"postgresql+psycopg2://advieslijn:{password}@127.0.0.1:5432/advieslijn\n", encoding="utf-8")
    url = OWN_STORE_URL_FILE.read_text(encoding="utf-8").strip()
    password = url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
    env = {**os.environ, "ADVIESLIJN_PG_DB": "advieslijn", "ADVIESLIJN_PG_PASSWORD": password}
    if subprocess.run([str(ENSURE_POSTGRES)], env=env).returncode != 0:
        raise SystemExit("run-scaled: PostgreSQL could not be started (see above); or set ADVIESLIJN_STORE_URL")
    return url


def main() -> int:
    refuse_bad_settings("run-scaled", EVERY_SETTING)  # what its processes would refuse, before starting any
    (rasa_port,), (action_port,), (web_port,) = _ports("RASA_PORT", "5005"), _ports("ACTION_PORT", "5055"), _ports("WEB_PORT", "8080")
    replicas = int(os.environ.get("REPLICAS", "2"))
    if replicas < 1:
        raise SystemExit("run-scaled: REPLICAS must be 1 or more")
    replica_ports = _ports("REPLICA_PORTS", ",".join(str(rasa_port + 1 + i) for i in range(replicas)))
    action_ports = _ports("ACTION_PORTS", f"{action_port + 1},{action_port + 2}")
    staff_ports = _ports("STAFF_PORTS", f"{action_port + 3},{action_port + 4}")
    redis_url = os.environ.get("REDIS_URL")
    store_url = postgres_store_url()
    try:
        topology = ScaledTopology(
            replicas=len(replica_ports), rasa_port=rasa_port, action_port=action_port,
            replica_ports=replica_ports, action_ports=action_ports, redis_url=redis_url,
            staff_ports=staff_ports, store_url=store_url,
            allowed_origins=[f"http://{LOOPBACK}:{web_port}", f"http://localhost:{web_port}"],
            workdir=WORKDIR, own_redis_port=None if redis_url else OWN_REDIS_PORT,
        )
    except ServerError as error:
        print(f"run-scaled: {error}", file=sys.stderr)
        return 1
    web = None
    print(f"run-scaled: starting Redis, {len(action_ports)} action servers, {len(staff_ports)} staff apps, nginx "
          f"and {len(replica_ports)} Rasa replicas (about {20 * len(replica_ports)} s)...", flush=True)
    try:
        topology.start()
        web = serve_demo_page(topology.url, web_port, WORKDIR / "web")
        print(f"\nThe bot is running behind nginx at {topology.url} (logs in build/run-scaled/).")
        if web:
            print(f"  Chat widget demo page: http://{LOOPBACK}:{web_port}/")
        print(f"  REST (for trusted callers, behind a token): curl -s {topology.rest_url} "
              f"-H '{next(iter(topology.rest_headers))}: {next(iter(topology.rest_headers.values()))}' "
              f"-H 'Content-Type: application/json' "
              f"-d '{{\"sender\": \"test\", \"message\": \"hallo\"}}'\n"
              f"  Staff page: {topology.staff_url}/ (cookie Secure: browsers keep it on 127.0.0.1 and localhost;\n"
              f"    elsewhere put https in front). An account: ADVIESLIJN_STORE_URL=... make staff-user NAME=anna"
              f"{' (the URL is in var/postgres.url)' if store_url == _own_url() else ''}\n"
              f"  Redis: {topology.redis_url}; store: {store_url.split('@')[-1]}\nStop with Ctrl+C.", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        # A stopped process is restarted with backoff; meanwhile nginx sends its traffic to the others.
        Supervisor([process for _, process in topology.processes()],
                   log=lambda line: print(f"run-scaled: {line}", file=sys.stderr, flush=True)).run()
        return 0
    except ServerError as error:
        print(f"run-scaled: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nrun-scaled: stopping.")
        return 0
    finally:
        if web:
            web.terminate()
        topology.stop()


def _own_url() -> str:
    return OWN_STORE_URL_FILE.read_text(encoding="utf-8").strip() if OWN_STORE_URL_FILE.exists() else ""


if __name__ == "__main__":
    sys.exit(main())
