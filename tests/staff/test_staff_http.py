"""The staff page over HTTP against the real app: log-in, look-up, lockout, CSRF, log-out, no page
without log-in, the audit log, the security headers, closing the line and labelling messages."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import requests
from sqlalchemy import select

from staff.app import LOGIN_FAILED
from staff.routes_review import domain_intents
from store import closures, fallbacks
from store.audit import entries
from store.schema import fallback_messages
from store.staff_users import MAX_FAILED
from store.triage_records import save_triage
from tests.staff_server import PASSWORD

ANSWERS = {"situation": "child_at_home", "school_type": "vo", "weeks_at_home": 6.0, "contacted_swv": True,
           "contacted_board": True, "prospect_of_return": False, "alternative_school_found": False,
           "receives_education": False}


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


def logged_in(server, username: str = "anna") -> requests.Session:
    browser = requests.Session()
    token = csrf_of(browser.get(server.page("/inloggen")).text)
    reply = browser.post(server.page("/inloggen"), data={
        "csrf": token, "gebruikersnaam": username, "wachtwoord": PASSWORD}, allow_redirects=False)
    assert reply.status_code == 303, reply.text
    return browser


def test_login_lookup_and_audit(staff_server) -> None:
    code = save_triage(staff_server.engine, ANSWERS, "engage_consultant", "contacts_made", datetime.now(timezone.utc))
    browser = logged_in(staff_server)
    home = browser.get(staff_server.page("/"))
    assert home.status_code == 200 and "Ingelogd als anna" in home.text
    shown = f"{code[:3]}-{code[3:]}"
    reply = browser.post(staff_server.page("/opzoeken"), data={"csrf": csrf_of(home.text), "code": shown.lower()})
    assert reply.status_code == 200
    assert f"Code {shown}" in reply.text and "voortgezet onderwijs" in reply.text
    assert "een onderwijsconsulent inschakelen" in reply.text
    assert "er is al contact met het samenwerkingsverband en het schoolbestuur" in reply.text
    logged = [(user, action, subject) for _, user, action, subject in entries(staff_server.engine)]
    assert ("anna", "lookup", code) in logged and ("anna", "login", "") in logged
    for _, _, _, subject in entries(staff_server.engine):
        assert "vo" != subject and "engage" not in subject  # no triage data in the audit log


def test_unknown_and_malformed_codes_look_the_same(staff_server) -> None:
    browser = logged_in(staff_server)
    token = csrf_of(browser.get(staff_server.page("/")).text)
    pages = [browser.post(staff_server.page("/opzoeken"), data={"csrf": token, "code": typed})
             for typed in ("K7F-3QX", "nonsense")]
    assert [p.status_code for p in pages] == [404, 404]
    texts = [re.sub(r'value="[^"]*"', "", p.text) for p in pages]
    assert texts[0] == texts[1] and "Deze code kennen we niet" in texts[0]


def test_no_page_or_form_without_login(staff_server) -> None:
    for path in ["/", "/lijn", "/overzicht", "/berichten", "/nope"]:
        reply = requests.get(staff_server.page(path), allow_redirects=False)
        assert reply.status_code == 303 and reply.headers["Location"] == "/medewerkers/inloggen", path
    for path in ["/opzoeken", "/lijn/sluiten", "/lijn/openen", "/berichten/label", "/uitloggen"]:
        reply = requests.post(staff_server.page(path), data={"code": "K7F3QX"}, allow_redirects=False)
        assert reply.status_code == 403, path
    assert requests.get(f"{staff_server.url}/", allow_redirects=False).status_code == 403


def test_wrong_password_then_lockout(staff_server) -> None:
    browser = requests.Session()
    token = csrf_of(browser.get(staff_server.page("/inloggen")).text)
    statuses = []
    for attempt in range(MAX_FAILED):
        reply = browser.post(staff_server.page("/inloggen"), data={
            "csrf": token, "gebruikersnaam": "bert", "wachtwoord": f"fout {attempt}"}, allow_redirects=False)
        statuses.append(reply.status_code)
    assert statuses == [401] * MAX_FAILED
    assert LOGIN_FAILED in reply.text  # it names the lockout rule, as for every failed log-in
    reply = browser.post(staff_server.page("/inloggen"), data={
        "csrf": token, "gebruikersnaam": "bert", "wachtwoord": PASSWORD}, allow_redirects=False)
    assert reply.status_code == 401 and LOGIN_FAILED in reply.text  # the right password does not open it
    assert ("bert", "login_failed", "") in [(u, a, s) for _, u, a, s in entries(staff_server.engine)]


def test_csrf_is_required_on_every_form(staff_server) -> None:
    browser = logged_in(staff_server)
    for path, data in [("/opzoeken", {"code": "K7F3QX"}), ("/lijn/sluiten", {"soort": "vandaag"}),
                       ("/uitloggen", {}), ("/berichten/label", {"bericht": "1", "intent": "greet"})]:
        for token in (None, "wrong-token"):
            sent = dict(data, **({"csrf": token} if token else {}))
            assert browser.post(staff_server.page(path), data=sent, allow_redirects=False).status_code == 403
    login = requests.post(staff_server.page("/inloggen"), data={"gebruikersnaam": "anna", "wachtwoord": PASSWORD},
                          allow_redirects=False)
    assert login.status_code == 403
    assert browser.get(staff_server.page("/")).status_code == 200  # still logged in: nothing happened


def test_logout_ends_the_session(staff_server) -> None:
    browser = logged_in(staff_server)
    cookie = dict(browser.cookies)
    token = csrf_of(browser.get(staff_server.page("/")).text)
    assert browser.post(staff_server.page("/uitloggen"), data={"csrf": token}, allow_redirects=False).status_code == 303
    replay = requests.get(staff_server.page("/"), cookies=cookie, allow_redirects=False)
    assert replay.status_code == 303 and replay.headers["Location"].endswith("/inloggen")


def test_cookie_and_security_headers(staff_server) -> None:
    reply = requests.get(staff_server.page("/inloggen"))
    cookie = reply.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/medewerkers" in cookie
    csp = reply.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp and "script-src" not in csp
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Referrer-Policy"] == "no-referrer"
    assert "Server" not in reply.headers and "sanic" not in reply.text.lower()


def test_close_the_line_for_today_and_reopen(staff_server) -> None:
    browser = logged_in(staff_server, "carla")
    token = csrf_of(browser.get(staff_server.page("/lijn")).text)
    reply = browser.post(staff_server.page("/lijn/sluiten"), data={
        "csrf": token, "soort": "vandaag", "reden": "een trainingsdag"})
    assert reply.status_code == 200 and "De lijn is gesloten" in reply.text and "een trainingsdag" in reply.text
    open_closures = closures.current_and_future(staff_server.engine, datetime.now(timezone.utc).date())
    assert [c.reason for c in open_closures] == ["een trainingsdag"]
    assert any(u == "carla" and a == "close_line" for _, u, a, _ in entries(staff_server.engine))
    bad = browser.post(staff_server.page("/lijn/sluiten"), data={"csrf": token, "soort": "periode", "van": "x"})
    assert bad.status_code == 400 and "begindatum" in bad.text
    reply = browser.post(staff_server.page("/lijn/openen"), data={"csrf": token, "sluiting": open_closures[0].id})
    assert "De sluiting is opgeheven" in reply.text
    assert closures.current_and_future(staff_server.engine, datetime.now(timezone.utc).date()) == []


def test_label_a_fallback_message(staff_server, monkeypatch) -> None:
    monkeypatch.setattr(fallbacks, "redact", lambda text: text)  # redaction has its own tests
    message_id = fallbacks.store_fallback(staff_server.engine, "mag mijn kind thuis blijven", datetime.now(timezone.utc))
    browser = logged_in(staff_server)
    page = browser.get(staff_server.page("/berichten"))
    assert "mag mijn kind thuis blijven" in page.text
    intents = re.findall(r'<option value="([^"]+)"', page.text)
    assert intents == domain_intents() and "greet" in intents
    for intent in ("no_such_intent", "greet"):
        reply = browser.post(staff_server.page("/berichten/label"), data={
            "csrf": csrf_of(page.text), "bericht": message_id, "intent": intent})
        assert reply.status_code == 200
        with staff_server.engine.connect() as connection:
            label = connection.execute(select(fallback_messages.c.label)).scalar_one()
        assert label == (None if intent == "no_such_intent" else "greet")
