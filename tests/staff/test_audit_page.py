"""The audit log page (admins only, paged, newest first, itself audited, no triage data), the admin
flag from the command line, and sessions that outlive a restart of the staff process."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import requests

from staff.routes_audit import PAGE_SIZE
from store import audit
from store.audit import entries
from store.schema import staff_users
from store.triage_records import save_triage
from tests.staff.test_staff_http import ANSWERS, csrf_of, logged_in
from tests.staff_server import PROJECT_ROOT


def test_an_admin_reads_the_log_newest_first_a_page_at_a_time(staff_server) -> None:
    code = save_triage(staff_server.engine, ANSWERS, "engage_consultant", "contacts_made", datetime.now(timezone.utc))
    browser = logged_in(staff_server, "anna")
    browser.post(staff_server.page("/opzoeken"), data={"csrf": csrf_of(browser.get(staff_server.page("/")).text),
                                                        "code": code})
    old = datetime.now(timezone.utc) - timedelta(days=2)
    for minute in range(PAGE_SIZE + 5):  # older entries than the look-up: they fill page 2
        audit.record(staff_server.engine, old + timedelta(minutes=minute), "dirk", "label", f"{minute}: greet")
    first = browser.get(staff_server.page("/logboek"))
    assert first.status_code == 200 and 'href="/medewerkers/logboek"' in first.text
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", first.text)
    assert len(rows) == PAGE_SIZE
    assert rows[0][1:] == ("anna", "logboek bekeken", "pagina 1")  # viewing is audited, and newest
    assert ("anna", "code opgezocht", code) in [r[1:] for r in rows]
    assert "voortgezet onderwijs" not in first.text and "engage" not in first.text  # no triage data
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    second = browser.get(staff_server.page("/logboek?pagina=2"))
    older = re.findall(r"<td>dirk</td><td>bericht gelabeld</td><td>(\d+): greet</td>", second.text)
    assert older and [int(n) for n in older] == sorted((int(n) for n in older), reverse=True)
    assert 'rel="prev"' in second.text
    assert entries(staff_server.engine, 1)[0][1:] == ("anna", "view_audit", "pagina 2")
    assert browser.get(staff_server.page("/logboek?pagina=nonsense")).status_code == 200


def test_a_volunteer_without_the_admin_flag_gets_a_friendly_403(staff_server) -> None:
    browser = logged_in(staff_server, "carla")
    home = browser.get(staff_server.page("/"))
    assert "/logboek" not in home.text
    refused = browser.get(staff_server.page("/logboek"))
    assert refused.status_code == 403 and "Geen toegang" in refused.text and "alleen voor de beheerder" in refused.text
    assert entries(staff_server.engine, 1)[0][1:] == ("carla", "audit_refused", "")
    assert requests.get(staff_server.page("/logboek"), allow_redirects=False).status_code == 303  # not logged in


def test_the_admin_flag_from_the_command_line(staff_server) -> None:
    env = {**staff_server.env, "ADVIESLIJN_STAFF_PASSWORD": ""}  # an existing account: no password asked

    def flag() -> bool:
        with staff_server.engine.connect() as connection:
            return connection.execute(staff_users.select().where(staff_users.c.username == "bert")).first().is_admin

    for value, expected in (("1", True), ("0", False)):
        done = subprocess.run([sys.executable, "-m", "staff", "user", "bert", "--admin", value], cwd=PROJECT_ROOT,
                              env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert flag() is expected


def test_a_session_outlives_a_restart_of_the_staff_process(staff_server) -> None:
    browser = logged_in(staff_server, "anna")
    token = csrf_of(browser.get(staff_server.page("/")).text)
    staff_server.stop()
    staff_server.start()
    page = browser.get(staff_server.page("/"), allow_redirects=False)
    assert page.status_code == 200 and "Ingelogd als anna" in page.text
    assert csrf_of(page.text) == token
    reply = browser.post(staff_server.page("/uitloggen"), data={"csrf": token}, allow_redirects=False)
    assert reply.status_code == 303
    assert browser.get(staff_server.page("/"), allow_redirects=False).status_code == 303
