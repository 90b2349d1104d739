"""Look-up by code: the only way to see a triage. There is no list of codes."""

from __future__ import annotations

from typing import Any, Dict, List, Optional
from zoneinfo import ZoneInfo

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.decision import answers_from_slots, decide
from actions.summary import summary_lines
from store import codes
from store.retention import retention_days
from store.triage_records import TriageRecord, find_triage

LOCAL = ZoneInfo("Europe/Amsterdam")
REASON_LABELS = {
    "higher_education": "het gaat om hbo of universiteit",
    "home_four_weeks_or_less": "het kind zit vier weken of korter thuis",
    "prospect_of_return": "er is uitzicht op terugkeer naar de eigen school",
    "alternative_school": "er is een andere school gevonden",
    "home_without_education": "het kind zit thuis zonder onderwijs",
    "contacts_made": "er is al contact met het samenwerkingsverband en het schoolbestuur",
    "mbo_board_contacted": "er is al contact met het schoolbestuur (mbo)",
    "contacts_missing": "er is nog geen contact met het samenwerkingsverband of het schoolbestuur",
}


def triage_view(record: TriageRecord) -> Dict[str, Any]:
    """What the result page shows: the summary lines (the parent saw the same), reason and hour."""
    answers = answers_from_slots(record.answers)
    lines: List[str] = [line.lstrip("- ") for line in summary_lines(answers, decide(answers))]
    local = record.created_hour.astimezone(LOCAL)
    return {
        "code": codes.display(record.code),
        "lines": lines,
        "reason": REASON_LABELS.get(record.reason, ""),
        "when": f"{local:%d-%m-%Y}, tussen {local:%H}:00 en {(local.hour + 1) % 24:02d}:00",
    }


def register(app: Sanic, context: Any) -> None:
    from staff.app import BASE, render

    @app.get(f"{BASE}/", strict_slashes=False)
    async def home(request: Request) -> HTTPResponse:
        return render(request, "lookup.html")

    @app.post(f"{BASE}/opzoeken")
    async def lookup(request: Request) -> HTTPResponse:
        typed = (request.form.get("code") or "")[:20]
        normalized: Optional[str] = codes.normalize(typed)
        record = await context.blocking(find_triage, context.engine, typed, context.clock())
        await context.audit(request.ctx.session.username, "lookup", normalized or "(ongeldig)")
        if record is None:
            return render(request, "lookup.html", status=404, typed=typed,
                          error="Deze code kennen we niet. Controleer de code met de ouder. "
                                f"Een code blijft {retention_days()} dagen geldig.")
        return render(request, "lookup.html", triage=triage_view(record))
