"""The audit log on the staff page (Logboek): who did what when, newest first, a page at a time.
Only accounts with the admin flag (make staff-user NAME=x ADMIN=1) see it; anyone else gets a
friendly 403 page. Reading the log (and being refused) is itself written in the log."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from store import audit

LOCAL = ZoneInfo("Europe/Amsterdam")
PAGE_SIZE = 50
MAX_PAGE = 10_000
ACTION_LABELS = {
    "login": "ingelogd",
    "login_failed": "inloggen mislukt: naam of wachtwoord klopt niet",
    "login_locked": "inloggen geweigerd: tijdelijk geblokkeerd",
    "login_failed_or_locked": "inloggen mislukt of geweigerd (oude regel: toen niet apart bijgehouden)",
    "logout": "uitgelogd",
    "lookup": "code opgezocht",
    "close_line": "lijn gesloten",
    "reopen_line": "sluiting opgeheven",
    "label": "bericht gelabeld",
    "view_audit": "logboek bekeken",
    "audit_refused": "logboek geweigerd",
}


def page_number(value: Any) -> int:
    try:
        return min(max(int(value or 1), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def register(app: Sanic, context: Any) -> None:
    from staff.app import BASE, render

    @app.get(f"{BASE}/logboek")
    async def audit_log(request: Request) -> HTTPResponse:
        session = request.ctx.session
        if not session.is_admin:
            await context.audit(session.username, "audit_refused")
            return render(request, "forbidden.html", status=403)
        number = page_number(request.args.get("pagina"))
        await context.audit(session.username, "view_audit", f"pagina {number}")
        rows = await context.blocking(audit.entries, context.engine, PAGE_SIZE + 1, (number - 1) * PAGE_SIZE)
        shown = [(at.astimezone(LOCAL).strftime("%d-%m-%Y %H:%M:%S"), user, ACTION_LABELS.get(action, action), subject)
                 for at, user, action, subject in rows[:PAGE_SIZE]]
        return render(request, "audit.html", rows=shown, number=number, has_next=len(rows) > PAGE_SIZE)
