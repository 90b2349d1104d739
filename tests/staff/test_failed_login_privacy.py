"""What a failed log-in leaves behind. A user name typed at a failed log-in may be a password in the
wrong field or another person's name: for an unknown name the audit log writes a fixed marker, never
what was typed; a known account keeps its name. Neither name reaches a log line of the staff page,
and the page answers an unknown name exactly as a wrong password (it does not tell which names exist).

Both against the real app on a real store: the staff process of tests/staff_server.py (its output
file), and the same app served in this process with Sanic's debug and access logs on (caplog)."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import List

import pytest
import requests
from sqlalchemy import MetaData, select
from sqlalchemy.engine import Engine

from harness.servers import free_port
from staff.app import LOGIN_FAILED, create_app
from store.audit import UNKNOWN_USER, entries
from store.db import open_store
from store.staff_users import create_user
from tests.staff.test_staff_http import csrf_of
from tests.staff_server import PASSWORD

TYPED_PASSWORD = "Zomer2026!geheim"  # a password typed into the user name field
KNOWN = "bert"


def failed_logins(login_page: str) -> List[requests.Response]:
    """One browser: a password in the user name field, then a known account with a wrong password."""
    browser = requests.Session()
    token = csrf_of(browser.get(login_page).text)
    return [browser.post(login_page, allow_redirects=False, data={
        "csrf": token, "gebruikersnaam": typed, "wachtwoord": password})
        for typed, password in ((TYPED_PASSWORD, PASSWORD), (KNOWN, "een fout wachtwoord"))]


def everything_stored(engine: Engine) -> str:
    """Every row of every table of the store, as text."""
    tables = MetaData()
    tables.reflect(bind=engine)
    with engine.connect() as connection:
        return "\n".join(repr(row) for table in tables.sorted_tables for row in connection.execute(select(table)))


def test_an_unknown_name_is_audited_without_what_was_typed(staff_server) -> None:
    unknown, known = failed_logins(staff_server.page("/inloggen"))
    assert unknown.status_code == known.status_code == 401
    assert LOGIN_FAILED in unknown.text and LOGIN_FAILED in known.text
    assert re.sub(r'value="[^"]*"', "", unknown.text) == re.sub(r'value="[^"]*"', "", known.text)
    failed = [user for _, user, action, _ in entries(staff_server.engine) if action == "login_failed"]
    assert failed == [KNOWN, UNKNOWN_USER]  # newest first
    assert TYPED_PASSWORD not in everything_stored(staff_server.engine)
    output = Path(staff_server.log).read_text()
    assert "staff: http://127.0.0.1" in output  # the process's own output is in this file
    assert TYPED_PASSWORD not in output and KNOWN not in output


def test_no_log_line_of_the_app_names_a_failed_login(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    create_user(engine, KNOWN, PASSWORD)
    app = create_app(engine, lambda: datetime.now(timezone.utc), secure_cookie=False,
                     name="advieslijn_staff_log_check")
    port = free_port()

    async def serve_and_fail() -> List[requests.Response]:
        server = await app.create_server(host="127.0.0.1", port=port, debug=True, access_log=True,
                                         return_asyncio_server=True)
        assert server is not None
        await server.startup()
        try:
            return await asyncio.get_running_loop().run_in_executor(
                None, failed_logins, f"http://127.0.0.1:{port}/medewerkers/inloggen")
        finally:
            await server.close()

    with caplog.at_level(logging.DEBUG):
        replies = asyncio.run(serve_and_fail())
    assert [reply.status_code for reply in replies] == [401, 401]
    assert any(record.name == "sanic.access" for record in caplog.records)  # the app's log lines were caught
    for record in caplog.records:
        line = f"{record.getMessage()} {vars(record)}"
        assert TYPED_PASSWORD not in line and KNOWN not in line, line
    assert [user for _, user, _, _ in entries(engine)] == [KNOWN, UNKNOWN_USER]
    engine.dispose()
