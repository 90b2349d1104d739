"""`python -m staff serve [--port N] [--dev]` runs the staff app on loopback (make staff);
`python -m staff user NAME [--admin 1|0]` creates an account or sets a new password (make staff-user);
with --admin on an existing account it only gives or takes the admin flag (who may read the audit
log), without asking a password.

The password is asked twice on the terminal, or read from ADVIESLIJN_STAFF_PASSWORD when there is
no terminal (scripts and tests). --dev (local development over plain http) drops the cookie's
Secure flag; everywhere else the page sits behind https (nginx). Both commands first check the
settings they read (store/known_settings.py) and stop with exit code 2 on a bad one.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from typing import Optional

from actions.clock import clock_from_env
from store import known_settings, retention
from store.db import open_store, store_url
from store.known_settings import STAFF_PORT
from store.settings import refuse_bad_settings
from store.staff_users import create_user, set_admin, user_exists

PASSWORD_ENV = "ADVIESLIJN_STAFF_PASSWORD"


def serve(port: int, dev: bool) -> None:
    from staff.app import create_app

    engine = open_store()
    clock = clock_from_env()
    app = create_app(engine, clock, secure_cookie=not dev)

    @app.after_server_start
    async def start_retention(app, _loop) -> None:  # type: ignore[no-untyped-def]
        app.ctx.retention = asyncio.get_running_loop().create_task(retention.run_periodically(engine, clock))

    print(f"staff: http://127.0.0.1:{port}/medewerkers/ (store: {store_url().split('@')[-1]})", flush=True)
    app.run(host="127.0.0.1", port=port, access_log=False, debug=False, workers=1, motd=False)


def add_user(username: str, admin: Optional[bool] = None) -> int:
    engine = open_store()
    if admin is not None:
        with engine.connect() as connection:
            exists = user_exists(connection, username)
        if exists:
            set_admin(engine, username, admin)
            print(f"staff-user: account {username!r} is {'nu' if admin else 'geen'} beheerder")
            return 0
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            print(f"staff-user: no terminal; set {PASSWORD_ENV}", file=sys.stderr)
            return 2
        password = getpass.getpass("Wachtwoord (minstens 12 tekens): ")
        if getpass.getpass("Nog een keer: ") != password:
            print("staff-user: de wachtwoorden zijn niet gelijk", file=sys.stderr)
            return 1
    try:
        create_user(engine, username, password, admin)
    except ValueError as problem:
        print(f"staff-user: {problem}", file=sys.stderr)
        return 1
    print(f"staff-user: account {username!r} is klaar{' (beheerder)' if admin else ''}")
    return 0


def main(argv: list) -> int:
    parser = argparse.ArgumentParser(prog="python -m staff")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_args = commands.add_parser("serve")
    serve_args.add_argument("--port", type=int, help=f"default: {STAFF_PORT.name} or {STAFF_PORT.default}")
    serve_args.add_argument("--dev", action="store_true")
    user_args = commands.add_parser("user")
    user_args.add_argument("username")
    user_args.add_argument("--admin", choices=["0", "1"], help="1: may read the audit log; 0: may not")
    args = parser.parse_args(argv)
    if args.command == "serve":
        read = [setting for setting in known_settings.STAFF_APP if setting is not STAFF_PORT or args.port is None]
        refuse_bad_settings("staff app", read)
        serve(args.port or STAFF_PORT.value(), args.dev)
        return 0
    refuse_bad_settings("staff user", known_settings.STORE_COMMANDS)
    return add_user(args.username, None if args.admin is None else args.admin == "1")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
