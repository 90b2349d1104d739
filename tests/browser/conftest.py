"""Fixtures for the browser tests: the widget built and served for the test Rasa server, Chromium
pages in fresh profiles (a screenshot of each into artifacts/ when a test fails), and the README's
screenshots, written only under `--screenshots-dir` (make screenshots)."""

from __future__ import annotations

import struct
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, Iterator, List, Tuple

import pytest
from playwright.sync_api import Playwright, sync_playwright

from tests.browser.widget_page import DESKTOP, REPO, WidgetPage

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE / "artifacts"


def _wait_http(url: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout_s:.0f} s")


@pytest.fixture(scope="session")
def web_site(bot_servers, tmp_path_factory) -> Iterator[SimpleNamespace]:
    """The widget built for the test Rasa server, served on the port its socket.io origin allows."""
    subprocess.run(["bash", str(HERE / "ensure_browser.sh")], cwd=REPO, check=True)
    out = tmp_path_factory.mktemp("web-dist")
    rasa_url = bot_servers.rasa_url.rstrip("/")
    subprocess.run(
        ["node", str(REPO / "web" / "scripts" / "build.mjs"), "--out", str(out), "--server-url", rasa_url],
        cwd=REPO,
        check=True,
    )
    port = bot_servers.web_port
    server = subprocess.Popen(
        [sys.executable, str(REPO / "scripts" / "serve_web.py"), str(port), "--dir", str(out)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page_url = f"http://127.0.0.1:{port}/"
        _wait_http(page_url)
        yield SimpleNamespace(url=page_url, rasa_url=rasa_url)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def open_widget(playwright, web_site, request) -> Iterator[Callable[..., WidgetPage]]:
    """open_widget(viewport=(w, h)) -> a WidgetPage on the demo page, in its own fresh profile."""
    pages: List[WidgetPage] = []

    def launch(viewport: Tuple[int, int] = DESKTOP) -> WidgetPage:
        widget = WidgetPage(playwright, web_site.url, web_site.rasa_url, viewport)
        pages.append(widget)
        return widget

    yield launch
    report = getattr(request.node, "report_call", None)
    failed = report is None or report.failed
    for number, widget in enumerate(pages):
        try:
            if failed:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                widget.screenshot(ARTIFACTS / f"{request.node.name}-{number}.png")
        except Exception as exc:  # the page may be gone; the test's own failure is what matters
            print(f"no failure screenshot of {request.node.name}: {exc!r}")
        finally:
            widget.close()


def png_size(png: bytes) -> Tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.fixture
def readme_screenshot(request) -> Callable[[WidgetPage, str, Tuple[int, int]], None]:
    """readme_screenshot(widget, "widget-phone.png", (w, h)): take it and check its size; write it to
    --screenshots-dir when given (make screenshots), else nowhere: test runs leave docs/ alone."""
    folder = request.config.getoption("--screenshots-dir")

    def shoot(widget: WidgetPage, name: str, size: Tuple[int, int]) -> None:
        png = widget.screenshot()
        assert png_size(png) == size, name
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            (Path(folder) / name).write_bytes(png)

    return shoot
