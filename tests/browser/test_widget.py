"""End-to-end tests of the chat widget in headless Chromium against the real bot.

Each test builds nothing by hand: the module fixture installs what is missing
(tests/browser/ensure_browser.sh: Debian's chromium, npm ci in web/), builds the widget into a
temporary folder with the test Rasa server's URL, serves it with scripts/serve_web.py on a free
loopback port and runs one scenario of tests/browser/e2e.mjs in a fresh browser profile. The Node
side waits and records what the page shows; the assertions are here.

The offline scenario stops the Rasa server and starts it again (bot_servers.stop_rasa() and
start_rasa()); it runs last in this module and always leaves the server running.
"""

from __future__ import annotations

import json
import os
import queue
import re
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Dict, List

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
E2E = HERE / "e2e.mjs"
SCREENSHOTS = REPO / "docs" / "screenshots"
ARTIFACTS = HERE / "artifacts"
SCENARIO_TIMEOUT = 300  # seconds, per scenario (includes a Rasa restart in the offline one)

UUID_V4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
# Words that nearly every Dutch reply contains one of, and English ones do not.
DUTCH_WORDS = {
    "de", "het", "een", "en", "je", "u", "uw", "ik", "van", "wat", "hoe", "kan", "kunt",
    "over", "met", "voor", "niet", "welkom", "hallo", "dag", "goedendag", "waar", "wilt", "zijn",
}

pytestmark = pytest.mark.browser


def _facts() -> Dict[str, Any]:
    doc = yaml.safe_load((REPO / "content" / "advieslijn.yml").read_text(encoding="utf-8"))
    return doc["advieslijn"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="module")
def web_site(bot_servers, tmp_path_factory):
    """The widget built for the test Rasa server and served on a free loopback port."""
    subprocess.run(["bash", str(HERE / "ensure_browser.sh")], cwd=REPO, check=True)
    out = tmp_path_factory.mktemp("web-dist")
    rasa_url = bot_servers.rasa_url.rstrip("/")
    subprocess.run(
        ["node", str(REPO / "web" / "scripts" / "build.mjs"), "--out", str(out), "--server-url", rasa_url],
        cwd=REPO,
        check=True,
    )
    port = getattr(bot_servers, "web_port", None) or _free_port()
    server = subprocess.Popen(
        [sys.executable, str(REPO / "scripts" / "serve_web.py"), str(port), "--dir", str(out)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page_url = f"http://127.0.0.1:{port}/"
        _wait_http(page_url)
        yield SimpleNamespace(url=page_url, rasa_url=rasa_url, dir=out)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def run_scenario(name: str, web_site, bot_servers) -> Dict[str, Any]:
    """Run one scenario of e2e.mjs; answer its stop/start requests; return its observations."""
    config = {
        "scenario": name,
        "pageUrl": web_site.url,
        "rasaUrl": web_site.rasa_url,
        "screenshotsDir": str(SCREENSHOTS),
        "artifactsDir": str(ARTIFACTS),
    }
    env = dict(os.environ, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD="1")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stderr_path = ARTIFACTS / f"{name}.stderr.txt"
    with open(stderr_path, "w", encoding="utf-8") as stderr:
        proc = subprocess.Popen(
            ["node", str(E2E), json.dumps(config)],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        lines: "queue.Queue[str | None]" = queue.Queue()

        def pump() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        deadline = time.monotonic() + SCENARIO_TIMEOUT
        result = None
        try:
            while result is None:
                try:
                    line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
                except queue.Empty:
                    pytest.fail(f"scenario {name} took longer than {SCENARIO_TIMEOUT} s")
                if line is None:
                    break
                line = line.strip()
                if not line.startswith("{"):
                    continue
                message = json.loads(line)
                if message.get("type") == "request":
                    action = message["action"]
                    try:
                        getattr(bot_servers, action)()
                        answer = "done"
                    except Exception as exc:  # tell the browser side, then fail here
                        answer = f"error {exc!r}"
                    assert proc.stdin is not None
                    proc.stdin.write(answer + "\n")
                    proc.stdin.flush()
                elif message.get("type") == "result":
                    result = message
        finally:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    if result is None:
        pytest.fail(f"scenario {name} gave no result; see {stderr_path}:\n{stderr_path.read_text()[-3000:]}")
    assert result["errors"] == [], f"scenario {name}: {result['errors']}"
    return result["observations"]


def _tracker_events(rasa_url: str, session_id: str) -> List[Dict[str, Any]] | None:
    """Events of one conversation from Rasa's HTTP API, or None where the API is not open."""
    url = f"{rasa_url}/conversations/{urllib.parse.quote(session_id)}/tracker"
    token = os.environ.get("RASA_TOKEN")
    if token:
        url += "?token=" + urllib.parse.quote(token)
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response).get("events", [])
    except (urllib.error.HTTPError, urllib.error.URLError):
        return None


def _bot_texts(events: List[Dict[str, Any]]) -> List[str]:
    # The socket.io channel sends each paragraph ("\n\n") of a bot text as its own message.
    texts: List[str] = []
    for event in events:
        if event.get("event") == "bot" and event.get("text"):
            texts.extend(part for part in event["text"].strip().split("\n\n"))
    return texts


def _looks_dutch(text: str) -> bool:
    return bool(set(re.findall(r"[a-zà-ÿ]+", text.lower())) & DUTCH_WORDS)


def _texts(messages: List[Dict[str, Any]], who: str) -> List[str]:
    return [m["text"] for m in messages if m["from"] == who]


def test_conversation_keyboard_buttons_and_reload(web_site, bot_servers):
    obs = run_scenario("conversation", web_site, bot_servers)

    assert obs["initial"] == {"panelOpen": False, "launcherVisible": True, "lang": "nl"}
    # Keyboard: the launcher is reached with Tab, shows a visible focus ring, opens with Enter.
    assert obs["keyboard"]["tabs"] <= 10
    focus = obs["keyboard"]["focusStyle"]
    assert focus["matchesFocusVisible"] and focus["outlineStyle"] == "solid"
    assert float(focus["outlineWidth"].rstrip("px")) >= 2
    opened = obs["afterOpen"]
    assert opened["panelOpen"] and opened["launcherExpanded"] == "true"
    assert opened["activeElement"]["id"] == "alw-input", "focus must move to the input on open"
    assert opened["inputLabel"] == "Je bericht"
    assert (opened["logRole"], opened["logLive"]) == ("log", "polite")
    assert "persoonlijke gegevens" in opened["privacyNote"]

    # "hallo" -> a Dutch reply with answer buttons, after a typing indicator.
    assert obs["typingIndicatorSeen"] is True
    hallo = obs["afterHallo"]
    session_id = hallo["sessionId"]
    assert UUID_V4.match(session_id), session_id
    assert _texts(hallo["messages"], "user") == ["hallo"]
    bot = _texts(hallo["messages"], "bot")
    assert bot and all(t.strip() for t in bot)
    assert any(_looks_dutch(t) for t in bot), bot
    assert any(m["buttons"] for m in hallo["messages"] if m["from"] == "bot"), "greeting must offer buttons"
    assert hallo["inputValue"] == ""

    # The shown transcript is what the bot said in this conversation (Rasa's own record).
    events = _tracker_events(web_site.rasa_url, session_id)
    if events is not None:
        assert [e["text"] for e in events if e.get("event") == "user"][:1] == ["hallo"]
        assert _bot_texts(events)[: len(bot)] == bot

    # A button: its title is shown as the user's message and the bot answers.
    button = obs["button"]
    assert button["userMessages"] == ["hallo", button["clicked"]]
    assert button["newBotMessages"] and all(t.strip() for t in button["newBotMessages"])
    assert button["focusAfterClick"]["id"] == "alw-input"

    # Reload: same session id, same transcript, panel still open, and the conversation goes on.
    before, after = obs["beforeReload"], obs["afterReload"]
    assert before["storedSessionId"] == session_id == before["sessionId"] == after["sessionId"]
    assert [(m["from"], m["text"]) for m in after["messages"]] == [(m["from"], m["text"]) for m in before["messages"]]
    assert after["panelOpen"] is True
    cont = obs["afterReloadMessage"]
    assert cont["sessionId"] == session_id
    assert _texts(cont["newMessages"], "user") == ["hallo"]
    assert _texts(cont["newMessages"], "bot"), "a message after the reload must be answered"
    events = _tracker_events(web_site.rasa_url, session_id)
    if events is not None:
        user_events = [e for e in events if e.get("event") == "user"]
        assert len(user_events) == 3, "all three messages must be in one Rasa conversation"
        assert user_events[0]["text"] == "hallo" and user_events[2]["text"] == "hallo"

    # On the wire: every socket.io event carried this one session id, also after the reload.
    wire = obs["wire"]
    assert {w["session_id"] for w in wire} == {session_id}, wire
    events_sent = [w["event"] for w in wire]
    assert events_sent.count("session_request") >= 2, events_sent  # before and after the reload
    sent = [w["message"] for w in wire if w["event"] == "user_uttered"]
    assert len(sent) == 3 and sent[0] == sent[2] == "hallo" and sent[1], sent
    last_request = max(i for i, e in enumerate(events_sent) if e == "session_request")
    last_message = max(i for i, e in enumerate(events_sent) if e == "user_uttered")
    assert last_request < last_message, "after the reload the session is requested before sending"

    # Escape closes and returns focus to the launcher; Enter opens again with focus in the input.
    assert obs["escape"]["panelOpen"] is False
    assert obs["escape"]["activeElement"]["className"] == "alw-launcher"
    assert obs["escape"]["launcherExpanded"] == "false"
    assert obs["reopen"]["panelOpen"] is True and obs["reopen"]["activeElement"]["id"] == "alw-input"

    # Privacy: sessionStorage only; no cookies, no localStorage, no request to another site.
    storage = obs["storage"]
    assert storage["localStorageKeys"] == [] and storage["documentCookies"] == "" and storage["contextCookies"] == []
    assert storage["storedMessages"] >= 6
    assert obs["requests"]["total"] > 0 and obs["requests"]["foreign"] == []
    assert obs["consoleErrors"] == []


def test_injected_markup_is_text(web_site, bot_servers):
    obs = run_scenario("injection", web_site, bot_servers)

    user = obs["userInjection"]
    assert user["shown"] == [user["sent"]], "the user's text must be shown literally"
    assert user["imgInWidget"] == 0 and user["imgInDocument"] == 0
    assert user["xssFlag"] is None

    bot = obs["botInjection"]
    assert "<img src=x onerror=window.__xss=2>" in bot["text"] and "<b>dit</b>" in bot["text"]
    assert bot["imgInWidget"] == 0 and bot["xssFlag"] is None
    # Only the http(s) links became links; the javascript: one stayed text.
    assert [link["href"] for link in bot["links"]] == ["https://example.org/uitleg", "https://example.org/pagina"]
    for link in bot["links"]:
        assert link["target"] == "_blank" and link["rel"] == "noopener noreferrer"
    assert "klik" in bot["text"] and "javascript:" not in bot["text"]
    assert bot["buttons"] == ["<i>Ja</i>"]
    assert obs["requests"]["foreign"] == []
    assert obs["consoleErrors"] == []


def _png_size(path: Path) -> tuple:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def _assert_fits(layout: Dict[str, Any]) -> None:
    vw, vh = layout["viewport"]["width"], layout["viewport"]["height"]
    panel = layout["panel"]
    assert panel["left"] >= -0.5 and panel["right"] <= vw + 0.5, layout
    assert panel["top"] >= -0.5 and panel["bottom"] <= vh + 0.5, layout
    for name in ("input", "send", "close"):
        box = layout[name]
        assert box["width"] > 0 and box["left"] >= -0.5 and box["right"] <= vw + 0.5, (name, layout)
        assert box["height"] >= 24, (name, layout)  # target size
    assert layout["panelHorizontalOverflow"] <= 0 and layout["documentHorizontalOverflow"] <= 0, layout


def test_accessibility_and_screenshots(web_site, bot_servers):
    obs = run_scenario("a11y", web_site, bot_servers)

    assert _texts(obs["messages"], "bot"), "the scan must run with a conversation on screen"
    for key in ("axeClosed", "axeOpenDesktop", "axeZoom200", "axeOpenPhone"):
        scan = obs[key]
        assert scan["passes"] > 10, key
        assert scan["violations"] == [], f"{key}: {json.dumps(scan['violations'], indent=1)}"
    for key in ("layoutDesktop", "layoutZoom200", "layoutPhone", "layoutReflow320"):
        _assert_fits(obs[key])
    assert obs["layoutPhone"]["panel"]["width"] == 360  # full width on a phone

    desktop, phone = (Path(p) for p in obs["screenshots"])
    assert desktop == SCREENSHOTS / "widget-desktop.png" and phone == SCREENSHOTS / "widget-phone.png"
    assert _png_size(desktop) == (1280, 800)
    assert _png_size(phone) == (360, 740)
    assert obs["requests"]["foreign"] == []
    assert obs["consoleErrors"] == []


def test_offline_fallback_and_queue(web_site, bot_servers):
    phone = _facts()["phone"]
    try:
        obs = run_scenario("offline", web_site, bot_servers)
    finally:
        bot_servers.start_rasa()  # leave the server running for whatever follows

    assert obs["beforeStop"]["offlineNotice"] is False and obs["beforeStop"]["botMessages"] >= 1

    # The connection drops: a clear Dutch message with the advice line's number and the form.
    dropped = obs["dropped"]
    assert dropped["offlineNotice"] and dropped["statusRole"] == "status"
    assert "niet bereikbaar" in dropped["statusText"]
    assert phone in dropped["statusText"]
    assert "tel:" + re.sub(r"[^0-9+]", "", phone) in dropped["statusLinks"]
    assert "contactformulier" in dropped["statusText"]

    # Typed while offline: shown, marked as not sent yet, kept in sessionStorage.
    queued = obs["queued"]
    assert queued["message"] and queued["message"]["pending"] is True
    assert queued["inputValue"] == ""
    assert queued["storedPending"] == [queued["message"]["text"]]

    # Server unreachable from the start (reload while it is down): same message; queue kept.
    assert obs["unreachable"]["offlineNotice"] and phone in obs["unreachable"]["statusText"]
    assert obs["unreachable"]["pendingShown"] == [queued["message"]["text"]]

    # Server back: reconnects by itself, sends the queued message, gets an answer.
    back = obs["reconnected"]
    assert back["offlineNotice"] is False and back["pending"] == []
    assert back["newBotMessages"] and all(t.strip() for t in back["newBotMessages"])
    assert back["sessionIdSame"] is True
    # Sent exactly once, with the conversation's session id, after the server came back.
    text = queued["message"]["text"]
    sent = [w for w in obs["wire"] if w["event"] == "user_uttered" and w["message"] == text]
    assert len(sent) == 1, obs["wire"]
    assert {w["session_id"] for w in obs["wire"]} == {obs["sessionId"]}

    assert obs["axeOffline"]["violations"] == [], json.dumps(obs["axeOffline"]["violations"], indent=1)
    assert _png_size(SCREENSHOTS / "widget-offline.png")[0] == 1280
    assert obs["requests"]["foreign"] == []
