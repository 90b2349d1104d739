"""A log-in refused because the account is locked is its own event in the audit log ("inloggen
geweigerd: tijdelijk geblokkeerd"), apart from a wrong password, while the log-in form gives every
failed attempt the same page: a wrong password, the one that locks the account, every attempt during
the lockout (also with the right password) and an unknown name, so a stranger cannot tell which names
exist. The real staff app as a process, on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
import requests

from staff.app import LOCK_STARTED, LOGIN_FAILED
from store.audit import entries
from store.db import open_store
from store.staff_users import LOCK_MINUTES, MAX_FAILED, create_user
from tests.staff.test_staff_http import csrf_of, logged_in
from tests.staff_server import PASSWORD, PROJECT_ROOT, StaffServer, serving
from tests.store.conftest import PG_URL, _postgres_engine, empty_store

ROW = re.compile(r"<tr><td>[^<]+</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffServer]:
    folder = tmp_path_factory.mktemp(f"lockout-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'store.sqlite'}"
        engine = open_store(url)
    else:
        url = PG_URL
        engine = empty_store(_postgres_engine())
    create_user(engine, "anna", PASSWORD, admin=True)
    create_user(engine, "dora", PASSWORD)
    create_user(engine, "erik", PASSWORD)
    yield from serving(folder, url, engine)


def attempts(server: StaffServer, username: str, passwords: List[str]) -> List[Tuple[int, str]]:
    """One browser's log-in attempts: (status, page without its form values) for each."""
    browser = requests.Session()
    token = csrf_of(browser.get(server.page("/inloggen")).text)
    pages = [browser.post(server.page("/inloggen"), allow_redirects=False, data={
        "csrf": token, "gebruikersnaam": username, "wachtwoord": password}) for password in passwords]
    return [(page.status_code, re.sub(r'value="[^"]*"', "", page.text)) for page in pages]


def test_a_refusal_during_the_lockout_is_audited_apart_and_answered_alike(server: StaffServer) -> None:
    wrong = [f"fout wachtwoord {n}" for n in range(MAX_FAILED)]
    answers = attempts(server, "dora", [*wrong, PASSWORD, "nog een fout wachtwoord"])
    assert [status for status, _ in answers] == [401] * (MAX_FAILED + 2)
    assert LOGIN_FAILED in answers[0][1] and all(answer == answers[0] for answer in answers)  # nothing more told
    doras = [(action, subject) for _, user, action, subject in reversed(entries(server.engine)) if user == "dora"]
    assert doras == [("login_failed", "")] * (MAX_FAILED - 1) + [("login_failed", LOCK_STARTED),
                                                                 ("login_locked", ""), ("login_locked", "")]
    assert LOCK_STARTED == f"nu {LOCK_MINUTES} minuten geblokkeerd"

    shown = ROW.findall(logged_in(server, "anna").get(server.page("/logboek")).text)
    assert [(what, about) for who, what, about in shown if who == "dora"] == [
        ("inloggen geweigerd: tijdelijk geblokkeerd", "-"), ("inloggen geweigerd: tijdelijk geblokkeerd", "-"),
        ("inloggen mislukt: naam of wachtwoord klopt niet", LOCK_STARTED),
        *[("inloggen mislukt: naam of wachtwoord klopt niet", "-")] * (MAX_FAILED - 1)]


def test_an_unknown_name_is_never_locked_and_answered_as_a_real_one(server: StaffServer) -> None:
    passwords = [f"fout wachtwoord {n}" for n in range(MAX_FAILED)] + [PASSWORD]
    answers = attempts(server, "niemand", passwords)
    real = attempts(server, "erik", passwords)  # a real account: locked by the fifth, refused at the sixth
    assert all(status == 401 and LOGIN_FAILED in page for status, page in answers)
    assert len({page for _, page in answers}) == 1
    assert answers == real  # the pages (without the typed name) are the same: no name is confirmed
    assert [action for _, user, action, _ in entries(server.engine, 1)] == ["login_locked"]
    newest = [entry for entry in entries(server.engine, 2 * (MAX_FAILED + 1)) if entry[1] != "erik"]
    assert {(user, action) for _, user, action, _ in newest} == {("(onbekende gebruikersnaam)", "login_failed")}


def test_the_volunteer_guide_names_the_new_entry() -> None:
    readme = (Path(PROJECT_ROOT) / "README.md").read_text(encoding="utf-8").lower()
    assert "inloggen geweigerd: tijdelijk geblokkeerd" in readme
