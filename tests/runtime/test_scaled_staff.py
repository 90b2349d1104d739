"""The advice line's side in the production topology: the staff page behind nginx (log-in with
CSRF, the Secure cookie, nothing cached, a stricter limit on the log-in POST), a session shared by
two staff processes, and a volunteer who closes the line for today through nginx, after which the
next hand-off of EVERY Rasa replica (each addressed directly) no longer offers the phone and shows
the reason. All on PostgreSQL, with the insight event broker in every replica."""

from __future__ import annotations

import re
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

from actions.facts import load_facts
from harness.scaled import ScaledTopology
from store import insight
from store.audit import entries
from store.staff_users import create_user

pytestmark = pytest.mark.runtime

PASSWORD = "een lang wachtwoord"
OPEN_NOW = "De advieslijn is nu open"  # utter_handoff_open: "... Bel de advieslijn: {phone}. ..."
REASON = "een trainingsdag"
PHONE = load_facts().text("advieslijn.phone")


@pytest.fixture(scope="module")
def scaled(scaled_topology, runtime_store) -> ScaledTopology:
    create_user(runtime_store, "vera", PASSWORD)
    return scaled_topology


class LoopbackBrowser(requests.Session):
    """A client that, like Chromium and Firefox, sends a Secure cookie back to http://127.0.0.1
    (loopback counts as a secure origin); Python's cookie jar would send it over https only."""

    def request(self, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        for cookie in self.cookies:
            cookie.secure = False
        return super().request(*args, **kwargs)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


def log_in(base: str) -> requests.Session:
    browser = LoopbackBrowser()
    form = browser.get(f"{base}/inloggen")
    reply = browser.post(f"{base}/inloggen", allow_redirects=False, data={
        "csrf": csrf_of(form.text), "gebruikersnaam": "vera", "wachtwoord": PASSWORD})
    assert reply.status_code == 303, reply.text
    return browser


def handoff(scaled: ScaledTopology, index: int) -> str:
    """A new conversation on replica `index` (addressed directly) that asks how to reach the line."""
    reply = requests.post(scaled.replica_rest_url(index), headers=scaled.rest_headers, timeout=90,
                          json={"sender": f"handoff-{uuid.uuid4().hex}", "message": "hoe kan ik jullie bereiken"})
    assert reply.status_code == 200, scaled.logs()
    return "\n".join(m.get("text", "") for m in reply.json())


def test_staff_page_and_login_through_nginx(scaled, runtime_store) -> None:
    entry = requests.get(f"{scaled.url}/medewerkers", allow_redirects=False)
    assert entry.status_code == 301 and entry.headers["Location"].endswith("/medewerkers/")
    anonymous = requests.get(f"{scaled.staff_url}/", allow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["Location"] == "/medewerkers/inloggen"
    form = requests.get(f"{scaled.staff_url}/inloggen")
    cookie = form.headers["Set-Cookie"]
    assert all(flag in cookie for flag in ("Secure", "HttpOnly", "SameSite=Strict", "Path=/medewerkers"))
    browser = log_in(scaled.staff_url)
    home = browser.get(f"{scaled.staff_url}/")
    assert home.status_code == 200 and "Ingelogd als vera" in home.text
    for page in (form, home):
        assert page.headers["Cache-Control"] == "no-store" and page.headers["Pragma"] == "no-cache"
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert ("vera", "login", "") in [(u, a, s) for _, u, a, s in entries(runtime_store, 20)]


@pytest.mark.browser
def test_chromium_keeps_the_secure_cookie_on_plain_http_loopback(scaled) -> None:
    """What the README promises for `make run-scaled` locally: log-in through nginx over plain
    http://127.0.0.1 works in a real browser although the cookie is Secure."""
    from playwright.sync_api import sync_playwright

    from tests.browser.widget_page import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            tempfile.mkdtemp(prefix="staff-nginx-profile-"), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, locale="nl-NL", timeout=60_000)
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.goto(f"{scaled.staff_url}/")
            assert page.url.endswith("/medewerkers/inloggen")
            page.get_by_label("Gebruikersnaam").fill("vera")
            page.get_by_label("Wachtwoord").fill(PASSWORD)
            page.get_by_role("button", name="Inloggen").click()
            page.get_by_text("Ingelogd als vera").wait_for(timeout=15_000)
            cookies = [c for c in context.cookies() if c["name"] == "medewerkers_sessie"]
            assert cookies and all(c["secure"] and c["httpOnly"] and c["sameSite"] == "Strict" for c in cookies)
        finally:
            context.close()


def test_one_session_on_both_staff_processes(scaled) -> None:
    browser = log_in(scaled.staff_url)
    cookie = {c.name: c.value for c in browser.cookies}
    tokens = []
    for index in range(len(scaled.staff_ports)):  # each staff process directly, same cookie
        page = requests.get(f"{scaled.staff_direct_url(index)}/", cookies=cookie, allow_redirects=False)
        assert page.status_code == 200 and "Ingelogd als vera" in page.text, index
        tokens.append(csrf_of(page.text))
    assert len(set(tokens)) == 1
    out = requests.post(f"{scaled.staff_direct_url(1)}/uitloggen", cookies=cookie, data={"csrf": tokens[0]},
                        allow_redirects=False)
    assert out.status_code == 303
    assert requests.get(f"{scaled.staff_direct_url(0)}/", cookies=cookie, allow_redirects=False).status_code == 303


def test_closing_the_line_reaches_the_next_handoff_on_every_replica(scaled, runtime_store) -> None:
    replicas = range(len(scaled.replicas))
    for index in replicas:
        assert OPEN_NOW in handoff(scaled, index), f"replica {index + 1} should offer the phone while open"
    browser = log_in(scaled.staff_url)
    token = csrf_of(browser.get(f"{scaled.staff_url}/lijn").text)
    closed = browser.post(f"{scaled.staff_url}/lijn/sluiten", data={"csrf": token, "soort": "vandaag", "reden": REASON})
    assert closed.status_code == 200 and "De lijn is gesloten" in closed.text, closed.text
    try:
        for index in replicas:
            text = handoff(scaled, index)
            assert OPEN_NOW not in text and PHONE not in text, f"replica {index + 1}: {text}"
            assert f"gesloten, want het is een extra sluitingsdag ({REASON})" in text, f"replica {index + 1}: {text}"
        served = (scaled.workdir / "nginx-access.log").read_text()
        assert all(f":{port}" in served for port in scaled.action_ports)  # both action servers read the store
    finally:
        page = browser.get(f"{scaled.staff_url}/lijn").text
        for closure in re.findall(r'name="sluiting" value="(\d+)"', page):
            browser.post(f"{scaled.staff_url}/lijn/openen", data={"csrf": token, "sluiting": closure})
    assert OPEN_NOW in handoff(scaled, 0) and OPEN_NOW in handoff(scaled, 1)
    actions = [a for _, u, a, _ in entries(runtime_store, 20) if u == "vera"]
    assert "close_line" in actions and "reopen_line" in actions


def test_the_broker_of_every_replica_counts_into_postgresql(scaled, runtime_store) -> None:
    deadline = time.monotonic() + 30
    since = datetime.now(timezone.utc) - timedelta(days=8)
    while True:
        weeks = insight.weekly(runtime_store, since)
        totals = {key: value for counts in weeks.values() for key, value in counts.items()}
        if totals.get(("handoff", "closed"), 0) >= 2 and totals.get(("handoff", "open"), 0) >= 4:
            break
        assert time.monotonic() < deadline, totals
        time.sleep(0.5)
    assert totals.get(("conversation", ""), 0) >= 8


def test_the_login_post_has_its_own_stricter_limit(scaled) -> None:
    """From 127.0.0.3 (loopback's own address is exempt): quick log-in POSTs get a Dutch 429 page."""
    from requests_toolbelt.adapters.source import SourceAddressAdapter

    client = requests.Session()
    client.mount("http://", SourceAddressAdapter("127.0.0.3"))
    statuses = [client.post(f"{scaled.staff_url}/inloggen", data={"gebruikersnaam": "x"}).status_code
                for _ in range(8)]
    assert statuses[0] == 403 and 429 in statuses, statuses  # no CSRF token: refused by the app, then by nginx
    limited = client.post(f"{scaled.staff_url}/inloggen", data={"gebruikersnaam": "x"})
    assert limited.status_code == 429 and "Even wachten" in limited.text
    assert limited.headers["Cache-Control"] == "no-store"
    assert client.get(f"{scaled.staff_url}/inloggen").status_code == 200  # the form itself is not limited by it
