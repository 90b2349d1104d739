"""`make report`: the weekly overview as HTML with PNG charts in reports/insight/ (matplotlib).

The same columns as the staff page's overview (insight/weekly.py), from the same anonymous counts.
"""

from __future__ import annotations

import html
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from insight.weekly import COLUMNS, Key, overview_rows, week_label  # noqa: E402
from store import insight  # noqa: E402
from store import known_settings  # noqa: E402
from store.db import open_store  # noqa: E402
from store.settings import refuse_bad_settings  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "reports" / "insight"
WEEKS = 12
CHARTS: List[Tuple[str, str, List[Key]]] = [
    ("gesprekken.png", "Gesprekken per week", [("conversation", "")]),
    ("situaties.png", "Situaties per week", [k for k, _ in COLUMNS if k[0] == "situation"]),
    ("adviezen.png", "Adviezen per week", [k for k, _ in COLUMNS if k[0] == "outcome"]),
    ("doorverwijzingen.png", "Doorverwijzingen, crisis, niet begrepen",
     [("handoff", "open"), ("handoff", "closed"), ("crisis", ""), ("fallback", "")]),
    ("feedback.png", "Heeft dit je geholpen?", [("feedback", "yes"), ("feedback", "no")]),
    ("feedback_redenen.png", "Waarom hielp het niet?", [k for k, _ in COLUMNS if k[0] == "feedback_reason"]),
]
LABELS = dict(COLUMNS)


def chart(path: Path, title: str, keys: List[Key], weeks: Dict[date, Dict[Key, int]]) -> None:
    mondays = sorted(weeks)
    figure, axes = plt.subplots(figsize=(8, 3.5), dpi=100)
    width = 0.8 / max(len(keys), 1)
    for index, key in enumerate(keys):
        xs = [i + index * width for i in range(len(mondays))]
        axes.bar(xs, [weeks[m].get(key, 0) for m in mondays], width=width, label=LABELS[key])
    axes.set_xticks([i + 0.4 - width / 2 for i in range(len(mondays))])
    axes.set_xticklabels([f"wk {m.isocalendar()[1]}" for m in mondays])
    axes.set_title(title)
    axes.yaxis.get_major_locator().set_params(integer=True)
    if len(keys) > 1:
        axes.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def write_report(weeks: Dict[date, Dict[Key, int]], out: Path = OUT, now: Optional[datetime] = None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    columns, rows = overview_rows(weeks)
    parts = ["<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>Advieslijn: overzicht per week</title>",
             "</head><body><h1>Advieslijn: overzicht per week</h1>",
             f"<p>Gemaakt op {(now or datetime.now(timezone.utc)):%d-%m-%Y %H:%M} UTC. Alleen aantallen, geen tekst.</p>"]
    if not rows:
        parts.append("<p>Er zijn nog geen gesprekken geteld.</p>")
    else:
        for filename, title, keys in CHARTS:
            chart(out / filename, title, keys, weeks)
            parts.append(f"<h2>{html.escape(title)}</h2><img src='{filename}' alt='{html.escape(title)}, "
                         f"zie de tabel hieronder voor de getallen' width='800' height='350'>")
        parts.append("<table><caption>Aantallen per week</caption><thead><tr><th scope='col'>Week</th>")
        parts += [f"<th scope='col'>{html.escape(c)}</th>" for c in columns]
        parts.append("</tr></thead><tbody>")
        for week, values in rows:
            parts.append(f"<tr><th scope='row'>{html.escape(week)}</th>" + "".join(f"<td>{v}</td>" for v in values)
                         + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    index = out / "index.html"
    index.write_text("\n".join(parts), encoding="utf-8")
    return index


def main() -> int:
    refuse_bad_settings("report", known_settings.STORE_COMMANDS)
    now = datetime.now(timezone.utc)
    weeks = insight.weekly(open_store(), now - timedelta(weeks=WEEKS))
    index = write_report(weeks, now=now)
    print(f"report: {index} ({len(weeks)} weeks{', ' + week_label(max(weeks)) if weeks else ''})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
