"""Closing the line: for the rest of today, for one day, or for a period; and opening it again."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional, Tuple
from zoneinfo import ZoneInfo

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from store import closures

LOCAL = ZoneInfo("Europe/Amsterdam")


def _parse_day(value: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def closure_days(form: Any, today: date) -> Tuple[Optional[date], Optional[date], str]:
    """(first, last, error) from the form: 'vandaag', 'dag' with a date, or 'periode' from-to."""
    kind = form.get("soort")
    if kind == "vandaag":
        return today, today, ""
    if kind == "dag":
        day = _parse_day(form.get("dag"))
        if day is None:
            return None, None, "Kies een datum."
        return day, day, "" if day >= today else "Deze datum is al voorbij."
    if kind == "periode":
        first, last = _parse_day(form.get("van")), _parse_day(form.get("tot"))
        if first is None or last is None:
            return None, None, "Kies een begindatum en een einddatum."
        if last < first:
            return None, None, "De einddatum ligt voor de begindatum."
        return first, last, "" if last >= today else "Deze periode is al voorbij."
    return None, None, "Kies: vandaag, een dag of een periode."


def local_today(now: datetime) -> date:
    return now.astimezone(LOCAL).date()


def register(app: Sanic, context: Any) -> None:
    from staff.app import BASE, redirect, render

    async def page(request: Request, status: int = 200, error: str = "") -> HTTPResponse:
        today = local_today(context.clock())
        current = await context.blocking(closures.current_and_future, context.engine, today)
        return render(request, "line.html", status=status, closures=current, today=today.isoformat(),
                      error=error, max_reason=closures.MAX_REASON)

    @app.get(f"{BASE}/lijn")
    async def line(request: Request) -> HTTPResponse:
        return await page(request)

    @app.post(f"{BASE}/lijn/sluiten")
    async def close(request: Request) -> HTTPResponse:
        first, last, error = closure_days(request.form, local_today(context.clock()))
        if error or first is None or last is None:
            return await page(request, status=400, error=error)
        reason = (request.form.get("reden") or "")[: closures.MAX_REASON]
        username = request.ctx.session.username
        try:
            closure_id = await context.blocking(closures.close_line, context.engine, first, last, reason, username)
        except ValueError as problem:
            return await page(request, status=400, error=str(problem).capitalize() + ".")
        await context.audit(username, "close_line", f"{closure_id}: {first.isoformat()}..{last.isoformat()}")
        await context.flash(request, "De lijn is gesloten. De assistent verwijst ouders nu niet naar de telefoon.")
        return redirect("/lijn")

    @app.post(f"{BASE}/lijn/openen")
    async def reopen(request: Request) -> HTTPResponse:
        try:
            closure_id = int(request.form.get("sluiting") or "")
        except ValueError:
            return await page(request, status=400, error="Deze sluiting bestaat niet.")
        if await context.blocking(closures.reopen, context.engine, closure_id):
            await context.audit(request.ctx.session.username, "reopen_line", str(closure_id))
            await context.flash(request, "De sluiting is opgeheven.")
        return redirect("/lijn")
