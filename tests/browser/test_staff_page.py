"""The staff page in Chromium: log in, look up a code, a wrong password, lockout, a refused CSRF
token, log out, no page without log-in, and zero axe-core violations on every page. The README's
screenshot of the look-up is taken here (written by `make screenshots` only)."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timezone
from typing import Any, Dict

import pytest

from store.staff_users import MAX_FAILED
from store.triage_records import save_triage
from tests.browser.widget_page import AXE_JS, CHROMIUM, CHROMIUM_ARGS
from tests.staff_server import PASSWORD, staff_server  # noqa: F401

pytestmark = pytest.mark.browser
ANSWERS = {"situation": "child_at_home", "school_type": "po", "weeks_at_home": 6.0, "prospect_of_return": False,
           "alternative_school_found": False, "receives_education": False}


@pytest.fixture
def page(playwright):
    context = playwright.chromium.launch_persistent_context(
        tempfile.mkdtemp(prefix="staff-e2e-profile-"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 800}, locale="nl-NL", timeout=60_000)
    page = context.pages[0] if context.pages else context.new_page()
    errors: list = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def axe(page) -> Dict[str, Any]:
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))  # evaluate, not a <script>: the CSP stays strict
    scan = page.evaluate("""async () => {
      const r = await window.axe.run(document, { resultTypes: ["violations"] });
      return { violations: r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target) })),
               passes: r.passes.length };
    }""")
    assert scan["passes"] > 10
    assert scan["violations"] == [], json.dumps(scan["violations"], indent=1)
    return scan


def log_in(page, server, username: str = "anna", password: str = PASSWORD) -> None:
    page.goto(server.page("/inloggen"))
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_log_in_look_up_and_log_out(page, staff_server, readme_screenshot) -> None:  # noqa: F811
    code = save_triage(staff_server.engine, ANSWERS, "engage_consultant", "home_without_education",
                       datetime.now(timezone.utc))
    page.goto(staff_server.page("/"))
    assert page.url.endswith("/medewerkers/inloggen")
    axe(page)
    log_in(page, staff_server)
    assert page.get_by_text("Ingelogd als anna").is_visible()
    page.get_by_label("Code (bijvoorbeeld K7F-3QX)").fill(f"{code[:3]} {code[3:]}".lower())
    page.get_by_role("button", name="Opzoeken").click()
    heading = page.get_by_role("heading", name=f"Code {code[:3]}-{code[3:]}")
    assert heading.is_visible()
    assert page.get_by_text("een onderwijsconsulent inschakelen").is_visible()
    axe(page)
    readme_screenshot(page, "staff-lookup.png", (1280, 800))
    for link, title in [("Lijn sluiten", "Lijn sluiten"), ("Overzicht", "Overzicht per week"),
                        ("Niet begrepen", "Berichten die de assistent niet begreep"), ("Logboek", "Logboek")]:
        page.get_by_role("link", name=link).click()
        assert page.get_by_role("heading", level=1, name=title).is_visible()
        axe(page)
    page.get_by_role("button", name="Uitloggen").click()
    assert page.url.endswith("/medewerkers/inloggen")
    page.goto(staff_server.page("/lijn"))
    assert page.url.endswith("/medewerkers/inloggen")


def test_wrong_password_lockout_and_refused_csrf(page, staff_server) -> None:  # noqa: F811
    log_in(page, staff_server, "carla", "niet het goede wachtwoord")
    alert = page.get_by_role("alert")
    assert "niet gelukt" in alert.inner_text()
    axe(page)
    for _ in range(MAX_FAILED - 1):
        log_in(page, staff_server, "carla", "nog steeds niet goed")
    assert "niet gelukt" in page.get_by_role("alert").inner_text()
    log_in(page, staff_server, "carla", PASSWORD)  # locked: the right password does not open it
    assert "niet gelukt" in page.get_by_role("alert").inner_text()
    assert page.url.endswith("/medewerkers/inloggen")

    log_in(page, staff_server, "bert")
    page.evaluate("document.querySelectorAll('input[name=csrf]').forEach((i) => { i.value = 'vervalst'; })")
    page.get_by_label("Code (bijvoorbeeld K7F-3QX)").fill("K7F-3QX")
    page.get_by_role("button", name="Opzoeken").click()
    assert "Dit formulier is verlopen" in page.content()
    page.goto(staff_server.page("/logboek"))  # bert is no admin: a friendly page, checked like the others
    assert page.get_by_role("heading", level=1, name="Geen toegang").is_visible()
    axe(page)
