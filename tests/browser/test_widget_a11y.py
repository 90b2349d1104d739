"""Accessibility and layout of the chat widget: zero axe-core violations closed, open on a
desktop, at 200 % zoom and on a phone; the panel fits at each size and reflows at 320 CSS px.

The README's desktop and phone screenshots are taken here (written by `make screenshots` only).
"""

from __future__ import annotations

import json
from typing import Any, Dict

import pytest

pytestmark = pytest.mark.browser


def assert_no_violations(scan: Dict[str, Any], where: str) -> None:
    assert scan["passes"] > 10, where
    assert scan["violations"] == [], f"{where}: {json.dumps(scan['violations'], indent=1)}"


def assert_fits(layout: Dict[str, Any]) -> None:
    vw, vh = layout["viewport"]["width"], layout["viewport"]["height"]
    panel = layout["panel"]
    assert panel["left"] >= -0.5 and panel["right"] <= vw + 0.5, layout
    assert panel["top"] >= -0.5 and panel["bottom"] <= vh + 0.5, layout
    for name in ("input", "send", "close"):
        box = layout[name]
        assert box["width"] > 0 and box["left"] >= -0.5 and box["right"] <= vw + 0.5, (name, layout)
        assert box["height"] >= 24, (name, layout)  # target size
    assert layout["panelHorizontalOverflow"] <= 0 and layout["documentHorizontalOverflow"] <= 0, layout


def test_accessibility_and_layout(open_widget, readme_screenshot):
    widget = open_widget()
    widget.load()
    assert_no_violations(widget.axe_scan(), "closed")
    widget.open_panel()
    conversation = widget.say_hallo()
    assert [m for m in conversation["messages"] if m["from"] == "bot"], "the scan must run with a conversation on screen"
    # Focus somewhere neutral so the screenshot shows the conversation, not a focus ring.
    widget.page.locator("#alw-input").focus()
    assert_no_violations(widget.axe_scan(), "open, desktop")
    assert_fits(widget.layout())
    readme_screenshot(widget, "widget-desktop.png", (1280, 800))

    # 200 % zoom of a 1280x800 window = a 640x400 CSS-pixel viewport at device scale 2.
    widget.resize(640, 400)
    assert_fits(widget.layout())
    assert_no_violations(widget.axe_scan(), "200 % zoom")

    widget.resize(360, 740)
    phone = widget.layout()
    assert_fits(phone)
    assert phone["panel"]["width"] == 360  # full width on a phone
    assert_no_violations(widget.axe_scan(), "open, phone")
    readme_screenshot(widget, "widget-phone.png", (360, 740))

    # WCAG 1.4.10 reflow: 320 CSS px wide (1280 px at 400 %).
    widget.resize(320, 480)
    assert_fits(widget.layout())
    assert widget.foreign_requests() == []
    assert widget.console_errors == []
