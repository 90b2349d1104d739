"""The advice line's side end to end, with the real Rasa and action servers on a PostgreSQL store:
a triage ends with a code a volunteer can look up; a closure for today changes the next hand-off;
the insight broker counts the conversation; a fallback message full of personal data is stored
redacted, and no table, log or export holds any of that data."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests
from sqlalchemy import MetaData, select

from harness.scaled import broker_endpoint
from harness.servers import BotServers, PROJECT_ROOT
from store import closures, codes, fallbacks, insight
from store.schema import fallback_messages
from store.triage_records import find_triage
from tests.conftest import MODEL
from tests.rasa_domain import domain_dict
from tests.servers import RestChat
from tests.store.conftest import PG_URL, _postgres_engine, empty_store
from tests.store.test_redaction import PERSONAL

pytestmark = pytest.mark.servers

TUESDAY_OPEN = "2026-12-01T10:30:00+01:00"
NOW = datetime.fromisoformat(TUESDAY_OPEN)
CODE = re.compile(r"Je code is ([%s]{3}-[%s]{3})\." % (codes.ALPHABET, codes.ALPHABET))
PERSONAL_MESSAGE = ("Qwerty zxcv Fatima el Amrani, tel +31 6 1234 5678 of 0612345678, fatima.elamrani@gmail.com, "
                    "Kerkstraat 12, 3811 AB Amersfoort, BSN 123456782, xyzzy plof")


@pytest.fixture(scope="module")
def staff_bot():
    engine = empty_store(_postgres_engine())
    servers = BotServers(MODEL, extra_env={
        "ADVIESLIJN_STORE_URL": PG_URL, "ADVIESLIJN_STORE_FALLBACKS": "1", "ADVIESLIJN_FIXED_NOW": TUESDAY_OPEN,
    }, endpoints_extra=broker_endpoint(PG_URL, flush_seconds=1))
    servers.start()
    try:
        yield servers, engine
    finally:
        servers.stop()
        engine.dispose()


def wait_for(check, timeout_s: float = 120):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"waited {timeout_s} s in vain")


def test_triage_code_closure_insight_and_redaction(staff_bot) -> None:
    servers, engine = staff_bot
    chat = RestChat(servers)
    chat.joined("mijn zoon zit al zes weken thuis, hij zit op de basisschool")
    chat.joined("nee")
    chat.joined("nee helaas niet")
    end = chat.joined("nee, hij krijgt helemaal niks")
    shown = CODE.search(end)
    assert shown, end
    record = find_triage(engine, shown.group(1), NOW)
    assert record is not None and record.outcome == "engage_consultant"
    assert record.answers["school_type"] == "po" and record.answers["weeks_at_home"] == 6.0
    assert "nu open" in end  # the line is open at this moment...

    closures.close_line(engine, NOW.date(), NOW.date(), "ziekte", "anna")  # ...until a volunteer closes it
    handoff = RestChat(servers).joined("hoe kan ik jullie bereiken")
    assert "gesloten" in handoff and "een extra sluitingsdag (ziekte)" in handoff and "nu open" not in handoff

    assert RestChat(servers).joined(PERSONAL_MESSAGE)  # a parent types it all in a conversation...
    # ...and the fallback action gets it: the classifier reads this text as `inform`, so the action
    # server's webhook is called as Rasa calls it after an nlu_fallback, with the same text.
    reply = requests.post(f"{servers.action_url}/webhook", json=_fallback_call(PERSONAL_MESSAGE), timeout=60,
                          headers={"Authorization": f"Bearer {servers.env['ADVIESLIJN_ACTION_TOKEN']}"})
    assert reply.status_code == 200, reply.text
    stored = wait_for(lambda: _fallback_texts(engine))
    assert "xyzzy plof" in stored[0] and "[PERSOON" in stored[0]

    def counted() -> dict:
        weeks = insight.weekly(engine, datetime.now(timezone.utc) - timedelta(days=8))
        found = {key: value for counts in weeks.values() for key, value in counts.items()}
        return found if found.get(("conversation", ""), 0) >= 3 else {}

    # The broker writes its counts every second: wait until all three conversations are in.
    totals = wait_for(counted, 60)
    assert totals.get(("outcome", "engage_consultant")) == 1
    assert totals.get(("handoff", "closed"), 0) >= 1 and totals.get(("situation", "child_at_home")) == 1

    message_id = _first_fallback_id(engine)
    fallbacks.set_label(engine, message_id, "greet", "anna")
    export = subprocess.run([sys.executable, "-m", "insight.export_nlu"], cwd=PROJECT_ROOT, capture_output=True,
                            text=True, env={"ADVIESLIJN_STORE_URL": PG_URL, "PATH": "/usr/bin:/bin"}, check=True)
    exported = (PROJECT_ROOT / "reports" / "review" / "nlu_review.yml").read_text(encoding="utf-8")
    assert "xyzzy plof" in exported, export.stdout

    everything = [_dump_all_tables(engine), exported,
                  (servers.workdir / "rasa-server.log").read_text(errors="replace"),
                  (servers.workdir / "action-server.log").read_text(errors="replace")]
    for where, text in zip(["tables", "export", "rasa log", "action log"], everything):
        leaked = [word for word in PERSONAL if _holds(text, word) and word not in ("Regenboog", "03-04-2016")]
        assert leaked == [], f"{where} holds {leaked}"


def _holds(text: str, word: str) -> bool:
    """Whether `text` holds `word`, a number only as a whole number: the postcode's "3811" is a leak
    in "3811AB", not in a log line's port 33811 (a random port failed this test once in CI)."""
    return re.search(rf"(?<![0-9]){re.escape(word)}(?![0-9])", text, re.IGNORECASE) is not None


def _fallback_call(text: str) -> dict:
    return {"next_action": "action_fallback", "sender_id": "t", "version": "3.6.21", "domain": domain_dict(),
            "tracker": {"sender_id": "t", "slots": {}, "latest_message": {
                "text": text, "intent": {"name": "nlu_fallback", "confidence": 0.3}, "entities": []},
                "events": [{"event": "action", "name": "action_listen"},
                           {"event": "user", "text": text, "parse_data": {"intent": {"name": "nlu_fallback"}}}],
                "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"}}


def _fallback_texts(engine):
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(select(fallback_messages.c.redacted_text))]


def _first_fallback_id(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(fallback_messages.c.id)).scalars().first()


def _dump_all_tables(engine) -> str:
    tables = MetaData()
    tables.reflect(bind=engine)
    with engine.connect() as connection:
        return "\n".join(repr(row) for table in tables.sorted_tables for row in connection.execute(table.select()))
