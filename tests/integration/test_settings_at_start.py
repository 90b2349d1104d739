"""Every process checks the ADVIESLIJN_* settings it reads when it starts (store/known_settings.py):
a bad value stops it at once with exit code 2 and one operator error per bad setting (the name, what
is wrong, what is allowed; a secret's value never), before it serves anyone or opens the store. With
good values (none of them the defaults) each starts and serves. All real processes: the staff app,
the action server, the Rasa server through `python -m patches`, the staff command and `make run`'s
harness."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest
import requests

from harness.servers import RASA_CLI, BotServers, ManagedProcess, action_server_command, free_port, port_in_use
from store import known_settings as known
from store.db import open_store
from store.settings import BAD_SETTINGS_EXIT
from store.staff_users import create_user
from tests.conftest import MODEL
from tests.staff.test_staff_http import logged_in
from tests.staff_server import PASSWORD, StaffServer

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SECRET = "geheim-wachtwoord-van-de-database"
TEST_CALENDAR = PROJECT_ROOT / "tests" / "integration" / "data" / "schoolvakanties.yml"


def environment(tmp_path: Path, settings: Dict[str, str]) -> Dict[str, str]:
    """This environment without any ADVIESLIJN_* setting, a store of its own, then `settings`."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("ADVIESLIJN_")}
    return {**clean, "PYTHONPATH": str(PROJECT_ROOT), known.STORE_URL.name: f"sqlite:///{tmp_path / 'store.sqlite'}",
            **settings}


def refused(command: List[str], env: Dict[str, str]) -> List[str]:
    """Run `command` until it stops (it must, by itself) and return its error lines."""
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == BAD_SETTINGS_EXIT, done.stderr
    return [line for line in done.stderr.splitlines() if "Warning" not in line and "LooseVersion" not in line]


def expected(process: str, settings: Dict[str, known.Setting], values: Dict[str, str]) -> List[str]:
    """The error `process` must give for `values` of `settings` (in the order the process checks)."""
    lines = []
    for setting in settings.values():
        with pytest.raises(ValueError) as problem:
            setting.value({setting.name: values[setting.name]})
        lines.append(f"  {problem.value}")
    count = f"{len(lines)} settings have values" if len(lines) > 1 else "a setting has a value"
    return [f"{process}: refusing to start: {count} it does not take", *lines]


def in_order(process: tuple, values: Dict[str, str]) -> Dict[str, known.Setting]:
    return {setting.name: setting for setting in process if setting.name in values}


STAFF_BAD = {known.STORE_FALLBACKS.name: "misschien", known.RETENTION_DAYS.name: "dertig",
             known.STAFF_IDLE_MINUTES.name: "0"}


def test_the_staff_app_refuses_to_start_with_bad_settings(tmp_path: Path) -> None:
    port = free_port()
    env = environment(tmp_path, STAFF_BAD)
    errors = refused([sys.executable, "-m", "staff", "serve", "--port", str(port), "--dev"], env)
    assert errors == expected("staff app", in_order(known.STAFF_APP, STAFF_BAD), STAFF_BAD)
    assert not port_in_use(port) and not (tmp_path / "store.sqlite").exists()  # stopped before the store


def test_the_staff_app_starts_and_serves_with_good_settings(tmp_path: Path) -> None:
    env = environment(tmp_path, {known.STORE_FALLBACKS.name: "nee", known.RETENTION_DAYS.name: "14",
                                 known.AUDIT_RETENTION_DAYS.name: "400", known.STAFF_IDLE_MINUTES.name: "5",
                                 known.STAFF_MAX_HOURS.name: "2", known.FIXED_NOW.name: "2026-12-01T10:30:00+01:00",
                                 known.STAFF_PORT.name: str(free_port())})
    engine = open_store(env[known.STORE_URL.name])
    create_user(engine, "anna", PASSWORD)
    server = StaffServer(f"http://127.0.0.1:{env[known.STAFF_PORT.name]}", engine, tmp_path / "staff.log",
                         [sys.executable, "-m", "staff", "serve", "--dev"], env)  # the port from the setting
    server.start()
    try:
        page = logged_in(server).get(server.page("/berichten"))  # read the two settings at request time
        assert page.status_code == 200
        assert "na 14 dagen verwijderd" in page.text and "Het bewaren van deze berichten staat uit." in page.text
    finally:
        server.stop()
        engine.dispose()


def test_the_staff_command_never_shows_the_store_password(tmp_path: Path) -> None:
    env = environment(tmp_path, {known.STORE_URL.name: f"mysql://advieslijn:{SECRET}@127.0.0.1/advieslijn",
                                 "ADVIESLIJN_STAFF_PASSWORD": PASSWORD})
    errors = refused([sys.executable, "-m", "staff", "user", "anna"], env)
    assert errors == ["staff user: refusing to start: a setting has a value it does not take",
                      f"  ADVIESLIJN_STORE_URL (value not shown): the database 'mysql' is not supported; "
                      f"allowed: {known.STORE_URL.allowed}"]


ACTIONS_BAD = {known.FIXED_NOW.name: "2026-12-01T10:30:00", known.SCHOOL_CALENDAR.name: "/geen/kalender.yml",
               known.ACTION_TOKEN.name: f"{SECRET}\n", known.AUDIT_RETENTION_DAYS.name: "een jaar",
               known.STORE_FALLBACKS.name: "soms"}


def test_the_action_server_refuses_to_start_with_bad_settings(tmp_path: Path) -> None:
    port = free_port()
    errors = refused(action_server_command(port), environment(tmp_path, ACTIONS_BAD))
    assert errors == expected("action server", in_order(known.ACTION_SERVER, ACTIONS_BAD), ACTIONS_BAD)
    assert SECRET not in "\n".join(errors) and not port_in_use(port)


def test_the_action_server_refuses_a_facts_file_that_is_not_there(tmp_path: Path) -> None:
    errors = refused(action_server_command(free_port()), environment(tmp_path, {known.FACTS.name: "/geen/feiten.yml"}))
    assert errors == ["actions: refusing to start: a setting has a value it does not take",
                      f"  ADVIESLIJN_FACTS='/geen/feiten.yml': no such file; allowed: {known.FACTS.allowed}"]


@pytest.mark.parametrize("content, problem", [
    ("advieslijn:\n  phone: [030-2255050\n", "not valid YAML at line 3, column 1: expected ',' or ']'"),
    ("advieslijn:\n  phone: 030-2255050\n", "facts file has no value for 'opening_hours'"),
], ids=["not-yaml", "no-opening-hours"])
def test_the_action_server_refuses_a_broken_facts_file_in_one_line(tmp_path: Path, content: str, problem: str) -> None:
    broken = tmp_path / "advieslijn.yml"
    broken.write_text(content, encoding="utf-8")
    port = free_port()
    errors = refused(action_server_command(port), environment(tmp_path, {known.FACTS.name: str(broken)}))
    assert len(errors) == 1 and "Traceback" not in "\n".join(errors), errors
    assert errors[0].startswith(f"actions: refusing to start: the facts file {broken} cannot be used: {problem}")
    assert not port_in_use(port)


def test_the_action_server_starts_and_serves_with_good_settings(tmp_path: Path) -> None:
    port = free_port()
    token = "een-token-met-" + "x" * 20
    env = environment(tmp_path, {known.FIXED_NOW.name: "2026-12-01T10:30:00+01:00", known.ACTION_TOKEN.name: token,
                                 known.SCHOOL_CALENDAR.name: str(TEST_CALENDAR), known.STORE_FALLBACKS.name: "ja",
                                 known.RETENTION_DAYS.name: "7", known.FACTS.name: str(PROJECT_ROOT / "content" /
                                                                                       "advieslijn.yml")})
    server = ManagedProcess("action server", action_server_command(port), env, tmp_path / "actions.log")
    server.start()
    try:
        server.wait_until(f"http://127.0.0.1:{port}/health/ready", timeout_s=120)
        assert requests.get(f"http://127.0.0.1:{port}/health/ready", timeout=5).json() == {"status": "ready"}
        call = {"next_action": "action_session_start", "tracker": {"sender_id": "t", "events": [], "slots": {}}}
        refused_call = requests.post(f"http://127.0.0.1:{port}/webhook", json=call, timeout=10)
        assert refused_call.status_code == 401  # the token setting was read
    finally:
        server.stop()


RASA_BAD = {known.MAX_TURNS.name: "veel", known.ACTION_TIMEOUT_S.name: "600", known.MESSAGES_PER_MINUTE.name: "soms",
            known.SESSION_SECRET.name: "te-kort-" + SECRET[:10], known.E5_ENGINE.name: "gpu"}


def test_rasa_refuses_to_start_with_bad_settings(tmp_path: Path) -> None:
    port = free_port()
    errors = refused([*RASA_CLI, "run", "--model", str(MODEL), "--port", str(port)], environment(tmp_path, RASA_BAD))
    assert errors == expected("Rasa (python -m patches)", in_order(known.RASA_SERVER, RASA_BAD), RASA_BAD)
    assert SECRET[:10] not in "\n".join(errors) and not port_in_use(port)


def test_make_run_refuses_before_starting_any_server(tmp_path: Path) -> None:
    errors = refused([sys.executable, "-m", "harness.run_bot"],
                     environment(tmp_path, {known.MAX_TURNS.name: "veel", "ADVIESLIJN_RUN_DIR": str(tmp_path)}))
    assert errors[0] == "run: refusing to start: a setting has a value it does not take"
    assert not list(tmp_path.glob("*.log"))  # no server was started


def test_rasa_starts_and_answers_with_good_settings(tmp_path: Path) -> None:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does this)")
    good = {known.MAX_TURNS.name: "50", known.ACTION_TIMEOUT_S.name: "5.5", known.MESSAGES_PER_MINUTE.name: "off",
            known.MESSAGES_BURST.name: "5", known.SESSION_SECRET.name: "s" * 40,
            known.PREVIOUS_SESSION_SECRET.name: "p" * 40, known.REST_TOKEN.name: "rest-token-" + "r" * 20,
            known.E5_ENGINE.name: "onnx"}
    with BotServers(MODEL, extra_env=environment(tmp_path, good), workdir=tmp_path / "servers") as servers:
        reply = requests.post(servers.rest_url, json={"sender": "settings", "message": "hallo"}, timeout=60,
                              headers={"Authorization": f"Bearer {good[known.REST_TOKEN.name]}"})
        assert reply.status_code == 200 and reply.json() and reply.json()[0].get("text")
        unauthorised = requests.post(servers.rest_url, json={"sender": "settings", "message": "hallo"}, timeout=60)
        assert unauthorised.status_code == 401  # the REST token setting was read
