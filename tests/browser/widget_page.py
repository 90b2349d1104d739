"""One chat widget page in headless Debian Chromium, driven by Playwright for Python.

`WidgetPage` starts Chromium (/usr/bin/chromium via `executable_path`; Playwright never downloads
a browser here) with a fresh profile, records what the page requests, the socket.io events it
sends and its console errors, and reads everything the widget shows from its open shadow root.
The tests in this folder wait for states and assert on them.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import urlsplit

from playwright.sync_api import Playwright

from tests.browser.widget_state import STATE_JS

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # the tests run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# axe-core from the widget's npm packages (web/package-lock.json pins it); it runs in the page.
AXE_JS = REPO / "web" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = (1280, 800)
SOCKETIO_EVENT = re.compile(r"^42(\[.*\])$", re.S)

State = Dict[str, Any]


def bot_count(state: State) -> int:
    return sum(1 for m in state.get("messages", []) if m["from"] == "bot")


def socketio_events(payload: str) -> List[Dict[str, Any]]:
    """Our two client events in a socket.io payload (polling bodies hold several packets, split by \\x1e)."""
    events = []
    for packet in payload.split("\x1e"):
        match = SOCKETIO_EVENT.match(packet)
        if not match:
            continue
        try:
            event, data = json.loads(match.group(1))[:2]
        except (ValueError, TypeError):
            continue  # not JSON: not ours
        if event in ("session_request", "user_uttered") and isinstance(data, dict):
            events.append({
                "event": event,
                "session_id": data.get("session_id"),
                "token": data.get("session_token"),
                "message": data.get("message"),
            })
    return events


class WidgetPage:
    """The demo page in its own browser profile; close() removes the profile."""

    def __init__(self, playwright: Playwright, page_url: str, rasa_url: str, viewport: Tuple[int, int] = DESKTOP) -> None:
        self.page_url = page_url
        self.allowed_origins = {_origin(page_url), _origin(rasa_url)}
        self.profile = tempfile.mkdtemp(prefix="widget-e2e-profile-")
        # Playwright passes --user-data-dir=<profile> itself (it refuses the flag in args).
        self.context = playwright.chromium.launch_persistent_context(
            self.profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": viewport[0], "height": viewport[1]},
            locale="nl-NL",
            timeout=60_000,
        )
        self.page = self.context.pages[0] if self.context.pages else self.context.new_page()
        self.requests: List[str] = []
        self.console_errors: List[str] = []
        self.wire: List[Dict[str, Any]] = []  # socket.io events the page sent
        self.context.on("request", self._on_request)
        self.page.on("websocket", lambda ws: ws.on("framesent", self._on_frame))
        self.page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        self.page.on("pageerror", lambda err: self.console_errors.append(str(err)))
        self.page.on("dialog", self._on_dialog)

    def _on_request(self, request: Any) -> None:
        self.requests.append(request.url)
        if request.method == "POST" and "/socket.io/" in request.url:
            self.wire.extend(socketio_events(request.post_data or ""))

    def _on_frame(self, payload: Any) -> None:
        self.wire.extend(socketio_events(payload if isinstance(payload, str) else payload.decode("utf-8", "replace")))

    def _on_dialog(self, dialog: Any) -> None:
        self.console_errors.append(f"dialog opened: {dialog.message}")
        dialog.dismiss()

    def close(self) -> None:
        try:
            self.context.close()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    # ---- reading and waiting ----

    def state(self) -> State:
        return self.page.evaluate(STATE_JS)

    def wait_for(self, predicate: Callable[[State], bool], what: str, timeout_s: float = 30) -> State:
        deadline = time.monotonic() + timeout_s
        state = self.state()
        while not predicate(state):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for: {what}\nlast state: {state}")
            self.page.wait_for_timeout(150)
            state = self.state()
        return state

    def settle(self, ms: int = 700) -> State:
        """The state after multi-part replies had time to arrive."""
        self.page.wait_for_timeout(ms)
        return self.state()

    def foreign_requests(self) -> List[str]:
        """Requests to any origin but the page's and the Rasa server's (http or ws)."""
        return [
            url for url in self.requests
            if not url.startswith(("data:", "blob:")) and _origin(url) not in self.allowed_origins
        ]

    # ---- acting ----

    def load(self) -> None:
        self.page.goto(self.page_url, wait_until="load")
        self.page.wait_for_selector(".alw-launcher")

    def open_panel(self) -> State:
        self.page.locator(".alw-launcher").click()
        return self.wait_for(lambda s: s["panelOpen"], "panel open", 5)

    def open_by_keyboard(self) -> Dict[str, Any]:
        """Tab from the top of the page to the launcher, note its focus style, press Enter."""
        self.page.locator("body").focus()
        tabs = 0
        while tabs < 20:
            tabs += 1
            self.page.keyboard.press("Tab")
            active = self.state()["activeElement"]
            if active and "alw-launcher" in str(active["className"]):
                break
        focus_style = self.page.evaluate(
            """() => {
              const el = document.getElementById("advieslijn-chat-widget").shadowRoot.activeElement;
              if (!el) return null;
              const cs = getComputedStyle(el);
              return { outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth,
                       matchesFocusVisible: el.matches(":focus-visible") };
            }"""
        )
        self.page.keyboard.press("Enter")
        return {"tabs": tabs, "focusStyle": focus_style}

    def send(self, text: str) -> None:
        box = self.page.locator("#alw-input")
        box.fill("")
        box.press_sequentially(text, delay=5)
        self.page.keyboard.press("Enter")

    def say_hallo(self) -> State:
        """Send "hallo" in an open panel; the state once the greeting is complete."""
        self.send("hallo")
        self.wait_for(lambda s: bot_count(s) >= 1 and not s["typingVisible"], "bot reply to hallo")
        return self.settle()

    def resize(self, width: int, height: int) -> None:
        self.page.set_viewport_size({"width": width, "height": height})
        self.page.wait_for_timeout(200)

    # ---- checks that run in the page ----

    def axe_scan(self) -> Dict[str, Any]:
        # evaluate, not a <script>: the demo page's CSP stays strict
        self.page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        return self.page.evaluate(
            """async () => {
              const result = await window.axe.run(document, { resultTypes: ["violations"] });
              return {
                violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })) })),
                passes: result.passes.length,
              };
            }"""
        )

    def layout(self) -> Dict[str, Any]:
        return self.page.evaluate(
            """() => {
              const root = document.getElementById("advieslijn-chat-widget").shadowRoot;
              const box = (sel) => {
                const r = root.querySelector(sel).getBoundingClientRect();
                return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
              };
              const panel = root.querySelector(".alw-panel");
              const doc = document.documentElement;
              return {
                viewport: { width: window.innerWidth, height: window.innerHeight },
                panel: box(".alw-panel"), input: box("#alw-input"), send: box(".alw-send"), close: box(".alw-close"),
                panelHorizontalOverflow: panel.scrollWidth - panel.clientWidth,
                documentHorizontalOverflow: doc.scrollWidth - doc.clientWidth,
              };
            }"""
        )

    def screenshot(self, path: Optional[Path] = None) -> bytes:
        return self.page.screenshot(path=str(path) if path else None)


def _origin(url: str) -> str:
    """scheme://host:port with ws(s) counted as http(s), so the socket counts as its server's origin."""
    parts = urlsplit(url)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    return f"{scheme}://{parts.netloc}"
