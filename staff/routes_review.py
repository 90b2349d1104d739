"""The overview of anonymous counts per week, and the review of redacted fallback messages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any, List

import yaml
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from insight.weekly import WEEKS_SHOWN, overview_rows
from store import fallbacks, insight
from store.retention import retention_days

DOMAIN = Path(__file__).resolve().parent.parent / "domain"


def domain_intents() -> List[str]:
    """The intents of the domain folder: the labels a reviewer can choose."""
    intents = set()
    for path in sorted(DOMAIN.glob("*.yml")):
        for entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents", []) or []:
            intents.add(entry if isinstance(entry, str) else next(iter(entry)))
    return sorted(intents)


def register(app: Sanic, context: Any) -> None:
    from staff.app import BASE, redirect, render

    @app.get(f"{BASE}/overzicht")
    async def overview(request: Request) -> HTTPResponse:
        since = context.clock() - timedelta(weeks=WEEKS_SHOWN)
        weeks = await context.blocking(insight.weekly, context.engine, since)
        columns, rows = overview_rows(weeks)
        return render(request, "overview.html", columns=columns, rows=rows, weeks_shown=WEEKS_SHOWN)

    @app.get(f"{BASE}/berichten")
    async def review(request: Request) -> HTTPResponse:
        messages = await context.blocking(fallbacks.for_review, context.engine)
        return render(request, "review.html", messages=messages, intents=domain_intents(),
                      enabled=fallbacks.enabled(), days=retention_days())

    @app.post(f"{BASE}/berichten/label")
    async def label(request: Request) -> HTTPResponse:
        intent = request.form.get("intent") or ""
        try:
            message_id = int(request.form.get("bericht") or "")
        except ValueError:
            return redirect("/berichten")
        if intent and intent not in domain_intents():
            return redirect("/berichten")
        username = request.ctx.session.username
        if await context.blocking(fallbacks.set_label, context.engine, message_id, intent or None, username):
            await context.audit(username, "label", f"{message_id}: {intent or '-'}")
            await context.flash(request, "Het label is opgeslagen.")
        return redirect("/berichten")
