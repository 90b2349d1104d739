#!/usr/bin/env python3
"""Serve the built chat widget (web/dist) on 127.0.0.1, with the Python standard library only.

Usage:
    python scripts/serve_web.py [PORT] [--dir DIR]

PORT defaults to 8080 (0 picks a free port; the chosen one is printed). DIR defaults to web/dist
next to this script's repository. Build first: npm --prefix web ci && npm --prefix web run build.
Only for local use (make run, tests): it listens on the loopback address and nowhere else.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import sys
from pathlib import Path
from typing import Dict

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DIR = REPO / "web" / "dist"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}


# Sent with every response; the build's security-headers.json (the page's CSP with frame-ancestors)
# adds to and overrides these.
BASE_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


def security_headers(directory: Path) -> Dict[str, str]:
    """The headers for every response: ours, then the build's security-headers.json."""
    headers = dict(BASE_HEADERS)
    built = directory / "security-headers.json"
    if built.exists():
        headers.update(json.loads(built.read_text(encoding="utf-8")))
    return headers


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}
    headers_to_send: Dict[str, str] = dict(BASE_HEADERS)
    server_version = "advieslijn"  # no software or version banner
    sys_version = ""

    def end_headers(self) -> None:
        for name, value in self.headers_to_send.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def list_directory(self, path):  # no directory listings
        self.send_error(404, "Not found")
        return None

    def log_message(self, format: str, *args) -> None:  # quieter: one short line per request
        sys.stderr.write("serve_web: %s %s\n" % (self.address_string(), format % args))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve web/dist on 127.0.0.1.")
    parser.add_argument("port", nargs="?", type=int, default=8080, help="port (default 8080; 0 = any free port)")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="folder to serve (default web/dist)")
    args = parser.parse_args(argv)

    directory = args.dir.resolve()
    if not (directory / "index.html").is_file():
        print(
            f"serve_web: {directory}/index.html not found; build first: "
            "npm --prefix web ci && npm --prefix web run build",
            file=sys.stderr,
        )
        return 1

    Handler.headers_to_send = security_headers(directory)
    handler = functools.partial(Handler, directory=str(directory))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        host, port = server.server_address[:2]
        print(f"serve_web: serving {directory} on http://{host}:{port}/", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
