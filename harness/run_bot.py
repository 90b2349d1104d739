"""`make run`: start the action server, the Rasa server and the demo page; stop all on Ctrl+C.

Ports (loopback only) can be changed with RASA_PORT, ACTION_PORT and WEB_PORT. A port that is
already taken ends the start with one line saying which and what to do.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from harness.servers import LOOPBACK, PROJECT_ROOT, BotServers, ServerError, port_in_use

WEB_DIST = PROJECT_ROOT / "web" / "dist"
RUN_WEB = PROJECT_ROOT / "build" / "run" / "web"


def _port(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise SystemExit(f"run: {name}={value!r} is not a port number (1-65535)")
    return int(value)


def main() -> int:
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
    servers = BotServers(
        rasa_port=rasa_port,
        action_port=action_port,
        allowed_origins=origins,
        workdir=PROJECT_ROOT / "build" / "run",
    )
    web = None
    print("run: starting the action server and the Rasa server (about 20 s)...", flush=True)
    try:
        servers.start()
        if (WEB_DIST / "index.html").exists():
            # Build the demo page for this Rasa port (the widget's server URL is set at build time).
            subprocess.run(
                ["node", str(PROJECT_ROOT / "web" / "scripts" / "build.mjs"),
                 "--server-url", servers.rasa_url, "--out", str(RUN_WEB)],
                cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL,
            )
            web = subprocess.Popen(
                [sys.executable, str(PROJECT_ROOT / "scripts" / "serve_web.py"), str(web_port), "--dir", str(RUN_WEB)],
                cwd=PROJECT_ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        print(
            f"\nThe bot is running (logs in build/run/).\n"
            f"  Chat widget demo page: http://{LOOPBACK}:{web_port}/\n" if web else "\nThe bot is running.\n",
            end="",
        )
        print(
            f"  REST: curl -s {servers.rest_url} -H 'Content-Type: application/json' "
            f"-d '{{\"sender\": \"test\", \"message\": \"hallo\"}}'\n"
            f"  Terminal chat: make shell (in another terminal: it talks to this server)\n"
            f"Stop with Ctrl+C.",
            flush=True,
        )
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        while servers.rasa_server.running() and servers.action_server.running():
            time.sleep(1)
        print("run: a server stopped unexpectedly; see the logs in build/run/", file=sys.stderr)
        return 1
    except ServerError as error:
        print(f"run: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nrun: stopping.")
        return 0
    finally:
        if web:
            web.terminate()
        servers.stop()


if __name__ == "__main__":
    sys.exit(main())
