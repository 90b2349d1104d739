"""`make run`: start the action server, the Rasa server and the demo page; stop all on Ctrl+C.

The three servers are supervised (harness/supervisor.py): one that stops is restarted with
backoff and a log line, the others keep running. Ctrl+C or SIGTERM stops all of them.

The advice line's store is ADVIESLIJN_STORE_URL or the SQLite file var/advieslijn.sqlite (WAL, busy
timeout: store/db.py), shared with `make staff`; the insight event broker in the Rasa server's
endpoints counts into it, so the staff page's overview shows what this bot did.

Ports (loopback only) can be changed with RASA_PORT, ACTION_PORT and WEB_PORT. A port that is
already taken ends the start with one line saying which and what to do. Logs and generated files
go to ADVIESLIJN_RUN_DIR (default build/run).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from harness.scaled import broker_endpoint
from harness.servers import LOOPBACK, PROJECT_ROOT, BotServers, ManagedProcess, ServerError, port_in_use
from harness.supervisor import Supervisor
from store.db import open_store, store_url
from store.known_settings import EVERY_SETTING
from store.settings import refuse_bad_settings

WEB_DIST = PROJECT_ROOT / "web" / "dist"
RUN_DIR = Path(os.environ.get("ADVIESLIJN_RUN_DIR", PROJECT_ROOT / "build" / "run"))


def _port(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise SystemExit(f"run: {name}={value!r} is not a port number (1-65535)")
    return int(value)


def main() -> int:
    refuse_bad_settings("run", EVERY_SETTING)  # what its servers would refuse, before starting any
    rasa_port, action_port, web_port = _port("RASA_PORT", 5005), _port("ACTION_PORT", 5055), _port("WEB_PORT", 8080)
    for name, port in (("RASA_PORT", rasa_port), ("ACTION_PORT", action_port), ("WEB_PORT", web_port)):
        if port_in_use(port):
            print(
                f"run: port {port} ({name}) on {LOOPBACK} is already in use, probably by an earlier "
                f"`make run`. Stop that process, or choose another port: make run {name}={port + 1}",
                file=sys.stderr,
            )
            return 1
    origins = [f"http://{LOOPBACK}:{web_port}", f"http://localhost:{web_port}"]
    store = store_url()
    open_store(store).dispose()  # create or upgrade the schema once, before the servers open it
    servers = BotServers(
        rasa_port=rasa_port,
        action_port=action_port,
        allowed_origins=origins,
        workdir=RUN_DIR,
        extra_env={"ADVIESLIJN_STORE_URL": store},
        endpoints_extra=broker_endpoint(store),
    )
    web = None
    supervisor = None
    print("run: starting the action server and the Rasa server (about 20 s)...", flush=True)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        servers.start()
        processes = [servers.action_server, servers.rasa_server]
        if (WEB_DIST / "index.html").exists():
            # Build the demo page for this Rasa port (the widget's server URL is set at build time).
            subprocess.run(
                ["node", str(PROJECT_ROOT / "web" / "scripts" / "build.mjs"),
                 "--server-url", servers.rasa_url, "--out", str(RUN_DIR / "web")],
                cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL,
            )
            web = ManagedProcess(
                "demo page",
                [sys.executable, str(PROJECT_ROOT / "scripts" / "serve_web.py"), str(web_port), "--dir", str(RUN_DIR / "web")],
                dict(os.environ),
                servers.workdir / "web.log",
            )
            web.start()
            processes.append(web)
        for process in processes:
            print(f"run: {process.name} started (pid {process.pid})", flush=True)
        supervisor = Supervisor(processes, log=lambda line: print(line, flush=True))
        print(
            f"\nThe bot is running (logs in {RUN_DIR}).\n"
            f"  Chat widget demo page: http://{LOOPBACK}:{web_port}/\n" if web else "\nThe bot is running.\n",
            end="",
        )
        print(
            f"  REST: curl -s {servers.rest_url} -H 'Content-Type: application/json' "
            f"-d '{{\"sender\": \"test\", \"message\": \"hallo\"}}'\n"
            f"  Terminal chat: make shell (in another terminal: it talks to this server)\n"
            f"  Staff page: make staff (in another terminal; store {store.split('@')[-1]})\n"
            f"Stop with Ctrl+C.",
            flush=True,
        )
        supervisor.run()
        return 0
    except ServerError as error:
        print(f"run: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nrun: stopping.")
        return 0
    finally:
        if supervisor:
            supervisor.stop_all()
        else:
            if web:
                web.stop()
            servers.stop()


def _stop_on_sigterm(*_: object) -> None:
    raise KeyboardInterrupt  # the same clean stop as Ctrl+C


if __name__ == "__main__":
    sys.exit(main())
