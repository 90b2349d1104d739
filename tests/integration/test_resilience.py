"""Faults behind the channel, with real processes: `make run`'s supervisor (harness/run_bot.py)
restarts a killed action server, the parent always gets an answer, and health probes tell.

One supervised stack (`python -m harness.run_bot`, as `make run` starts it) serves this module;
its action server is killed (SIGKILL of its process group) and frozen (SIGSTOP) for real.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from typing import Dict, Iterator, List

import pytest
import requests
import yaml

from actions.facts import load_facts
from harness.servers import LOOPBACK, PROJECT_ROOT, free_port
from tests.rasa_domain import domain_dict
from tests.servers import RestChat, socketio_conversation

pytestmark = pytest.mark.servers

ACTION_TIMEOUT_S = 2.0
MAX_TURNS = 12  # above patches.history_window.KEPT_TURNS: the count survives the compaction
SUMMARY = "kun je het samenvatten?"
TRIAGE = ["hallo", "Mijn kind zit thuis en gaat niet naar school", "basisschool", "6 weken"]


class SupervisedBot:
    """`python -m harness.run_bot` on free ports; its output lines are collected as they come."""

    def __init__(self, tmp: str) -> None:
        self.rasa_port, self.action_port, self.web_port = free_port(), free_port(), free_port()
        env = {
            **os.environ,
            "RASA_PORT": str(self.rasa_port),
            "ACTION_PORT": str(self.action_port),
            "WEB_PORT": str(self.web_port),
            "ADVIESLIJN_RUN_DIR": tmp,
            "ADVIESLIJN_ACTION_TIMEOUT_S": str(ACTION_TIMEOUT_S),
            "ADVIESLIJN_MAX_TURNS": str(MAX_TURNS),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "harness.run_bot"], cwd=PROJECT_ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        self.lines: "queue.Queue[str]" = queue.Queue()
        self.seen: List[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.pids: Dict[str, int] = {}

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout_s: float) -> re.Match:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            self.seen.append(line)
            found = re.search(pattern, line)
            if found:
                return found
        raise AssertionError(f"no line matching {pattern!r}; output so far:\n" + "\n".join(self.seen))

    @property
    def rasa_url(self) -> str:
        return f"http://{LOOPBACK}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{LOOPBACK}:{self.action_port}"

    def send(self, sender: str, text: str) -> List[str]:
        answer = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
        )
        assert answer.status_code == 200, answer.text
        texts = [m.get("text", "") for m in answer.json()]
        assert texts and all(texts), "an empty reply"
        return texts


@pytest.fixture(scope="module")
def bot(tmp_path_factory) -> Iterator[SupervisedBot]:
    bot = SupervisedBot(str(tmp_path_factory.mktemp("run")))
    try:
        for name in ("action server", "Rasa server"):
            bot.pids[name] = int(bot.wait_for(rf"run: {name} started \(pid (\d+)\)", 240).group(1))
        bot.wait_for(r"Stop with Ctrl\+C", 120)
        yield bot
    finally:
        if bot.process.poll() is None:
            os.killpg(bot.process.pid, signal.SIGTERM)
            bot.process.wait(timeout=60)


def _phone() -> str:
    return load_facts().text("advieslijn.phone")


def _is_service_message(texts: List[str]) -> bool:
    return len(texts) == 1 and _phone() in texts[0] and "contactformulier" in texts[0]


def _triage_until(bot: SupervisedBot, sender: str, steps: int) -> List[str]:
    texts: List[str] = []
    for text in TRIAGE[:steps]:
        texts = bot.send(sender, text)
        assert not _is_service_message(texts)
    return texts


def test_health_probes_of_the_rasa_server_and_the_action_server(bot: SupervisedBot) -> None:
    assert requests.get(f"{bot.rasa_url}/health/live", timeout=5).json() == {"status": "live"}
    ready = requests.get(f"{bot.rasa_url}/health/ready", timeout=5)
    assert ready.status_code == 200 and ready.json() == {"status": "ready", "action_server": "ok"}
    assert requests.get(f"{bot.action_url}/health/live", timeout=5).status_code == 200
    assert requests.get(f"{bot.action_url}/health/ready", timeout=5).json() == {"status": "ready"}


def test_a_killed_action_server_gives_the_service_message_and_after_its_restart_the_triage_goes_on(
    bot: SupervisedBot,
) -> None:
    reference = "reference-" + str(time.monotonic_ns())
    expected_next = _triage_until(bot, reference, 4)  # an undisturbed conversation, as a yardstick
    sender = "killed-" + str(time.monotonic_ns())
    _triage_until(bot, sender, 3)

    os.killpg(bot.pids["action server"], signal.SIGKILL)
    answer = bot.send(sender, TRIAGE[3])
    assert _is_service_message(answer), answer
    # The Rasa server stays ready: every replica shares the action server (channels/health.py).
    assert requests.get(f"{bot.rasa_url}/health/ready", timeout=5).status_code == 200

    bot.wait_for(r"supervisor: action server stopped \(exit code -9\); restarting in", 30)
    bot.pids["action server"] = int(bot.wait_for(r"supervisor: action server restarted \(pid (\d+)", 30).group(1))
    deadline = time.monotonic() + 60
    while requests.get(f"{bot.rasa_url}/health/ready", timeout=5).json().get("action_server") != "ok":
        assert time.monotonic() < deadline, "the restarted action server never answered"
        time.sleep(0.3)
    # The failed turn was not saved: the same answer now gets the next question, as in the reference.
    assert bot.send(sender, TRIAGE[3]) == expected_next


def test_a_frozen_action_server_times_out_into_the_service_message(bot: SupervisedBot) -> None:
    sender = "frozen-" + str(time.monotonic_ns())
    _triage_until(bot, sender, 2)
    os.killpg(bot.pids["action server"], signal.SIGSTOP)
    try:
        started = time.monotonic()
        assert _is_service_message(bot.send(sender, TRIAGE[2]))
        assert time.monotonic() - started < ACTION_TIMEOUT_S + 5
    finally:
        os.killpg(bot.pids["action server"], signal.SIGCONT)
    assert not _is_service_message(bot.send(sender, TRIAGE[2]))


def test_socketio_gets_the_service_message_when_the_action_server_is_down(bot: SupervisedBot) -> None:
    os.killpg(bot.pids["action server"], signal.SIGSTOP)
    try:
        replies = socketio_conversation(bot.rasa_url, TRIAGE[1], timeout=ACTION_TIMEOUT_S + 20)
    finally:
        os.killpg(bot.pids["action server"], signal.SIGCONT)
    assert _is_service_message([reply.get("text", "") for reply in replies])


def test_a_conversation_past_the_turn_cap_is_ended_politely_and_starts_fresh(bot: SupervisedBot) -> None:
    notice = domain_dict()["responses"]["utter_conversation_restarted"][0]["text"]
    sender = "long-" + str(time.monotonic_ns())
    _triage_until(bot, sender, 3)  # the school type is known now
    for _ in range(MAX_TURNS - 4):
        assert notice not in bot.send(sender, SUMMARY)
    assert "basisonderwijs" in "\n".join(bot.send(sender, SUMMARY))  # turn MAX_TURNS: still there
    after = bot.send(sender, SUMMARY)
    assert after[0] == notice
    assert "basisonderwijs" not in "\n".join(after), "the new conversation must start empty"
    assert notice not in bot.send(sender, SUMMARY)


def test_sigterm_stops_every_server_of_make_run(bot: SupervisedBot) -> None:
    children = [bot.pids["action server"], bot.pids["Rasa server"]]
    os.killpg(bot.process.pid, signal.SIGTERM)
    assert bot.process.wait(timeout=60) == 0
    for pid in children:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_an_exception_in_an_action_gives_the_service_message(bot_servers, tmp_path) -> None:
    # A real fault inside an action: the facts file lacks a section the answers need (the opening
    # schedule, checked at start-up, is intact, so the server starts).
    facts = yaml.safe_load((PROJECT_ROOT / "content" / "advieslijn.yml").read_text(encoding="utf-8"))
    del facts["onderwijsconsulenten"]
    broken = tmp_path / "advieslijn.yml"
    broken.write_text(yaml.safe_dump(facts), encoding="utf-8")
    bot_servers.restart_actions({"ADVIESLIJN_FACTS": str(broken)})
    try:
        not_ready = requests.get(f"{bot_servers.action_url}/health/ready", timeout=5)
        assert not_ready.status_code == 503 and "facts file" in not_ready.json()["reason"]
        chat = RestChat(bot_servers)
        texts = chat.texts("Wat is een onderwijsconsulent?")
        assert _is_service_message(texts), texts
    finally:
        bot_servers.restart_actions({"ADVIESLIJN_FACTS": None})
    assert not _is_service_message(chat.texts("Wat is een onderwijsconsulent?"))
