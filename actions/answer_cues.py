"""What a parent's words say beyond the question asked (pure; no Rasa objects).

Parents tell more than was asked: "nee, ze krijgt helemaal geen les meer" answers whether the
child gets education, "hij zit nu thuis" says the child is at home now, "we hebben een advocaat"
says a legal procedure runs. These readers look for phrases that can only mean one thing, and
return None (or False) when the text does not say it plainly. Texts are normalised first
(actions.parsing.normalize).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Optional

from actions.durations import parse_weeks
from actions.parsing import normalize
from actions.school_calendar import SchoolCalendar, WeeksRange, named_holiday, weeks_since_holiday

# --- Education now ------------------------------------------------------------------------------

_NO_EDUCATION = re.compile(
    r"\b(?:krijgt|krijgen|krijg|heeft|hebben|is\s+er)\s+(?:nu\s+|nog\s+|dus\s+|helemaal\s+|eigenlijk\s+|al\s+)*"
    r"(?:geen|nul|niks\s+aan)\s+(?:les|lessen|onderwijs|thuisonderwijs|school|lesstof)\b"
    r"|\bgeen\s+(?:les|lessen|onderwijs)\s+(?:meer|op\s+dit\s+moment|nu)\b"
    r"|\bzonder\s+(?:les|lessen|onderwijs)\b"
)
_SOME_EDUCATION = re.compile(
    r"\b(?:krijgt|krijgen|krijg|heeft|hebben)\s+(?:nu\s+|wel\s+|nog\s+|af\s+en\s+toe\s+)*"
    r"(?:een\s+beetje\s+|wat\s+|soms\s+)?(?:les|lessen|onderwijs|thuisonderwijs|huiswerk\s+van\s+school)\b"
    r"|\b(?:paar|enkele|\d+)\s+uur\s+(?:per\s+week\s+|in\s+de\s+week\s+)?(?:les|onderwijs|naar\s+school|op\s+school)\b"
)


def parse_receives_education(text: str) -> Optional[bool]:
    """False for "krijgt geen les (meer)", True for "krijgt wel wat les"; None when not said."""
    clean = normalize(text)
    if _NO_EDUCATION.search(clean):
        return False
    if _SOME_EDUCATION.search(clean):
        return True
    return None


# --- At home now --------------------------------------------------------------------------------

_AT_HOME_NOW = re.compile(
    r"\b(?:zit|zitten|is|blijft|zat)\s+(?:nu\s+|al\s+|sinds\s+\S+(?:\s+\S+)?\s+|alweer\s+|gewoon\s+|dus\s+)*thuis\b"
    r"|\bthuiszit\w*|\bthuis\s*zitter\w*"
    r"|\b(?:gaat|gaan|mag|kan)\s+(?:al\s+\S+\s+|nu\s+|sinds\s+\S+(?:\s+\S+)?\s+)*niet\s+(?:meer\s+)?naar\s+school\b"
    r"|\b(?:geschorst|verwijderd|uitgeschreven)\b"
)
_NOT_AT_HOME = re.compile(r"\b(?:zit|is)\s+(?:niet|nooit)\s+thuis\b|\bniet\s+thuis\s*zit")


def says_at_home_now(text: str) -> bool:
    """True when the words say the child is at home now, not at school."""
    clean = normalize(text)
    return bool(_AT_HOME_NOW.search(clean)) and not _NOT_AT_HOME.search(clean)


# --- Exclusions (feiten.md §2) ------------------------------------------------------------------

EXCLUSIONS = ("legal_procedure", "motivation", "repeat_or_level")
_EXCLUSION_PATTERNS = (
    ("legal_procedure", re.compile(
        r"\b(?:rechtszaak|rechter|advocaat|procedure\s+(?:loopt|bij)|bezwaar\s*procedure|kort\s+geding"
        r"|bij\s+de\s+rechter)\b")),
    ("motivation", re.compile(
        r"\b(?:geen\s+zin\s+(?:meer\s+)?in\s+school|niet\s+gemotiveerd|geen\s+motivatie|ongemotiveerd"
        r"|spijbel\w*|wil\s+(?:gewoon\s+)?niet\s+(?:meer\s+)?naar\s+school\s+omdat\s+(?:hij|ze|zij)\s+geen\s+zin)\b")),
    ("repeat_or_level", re.compile(
        r"\b(?:blijven\s+zitten|blijft\s+zitten|zitten\s*blijven|zittenblijven|doubl\w*"
        r"|moet\s+(?:het\s+jaar\s+)?over\s*doen|niveau\s*bepaling|(?:naar|op)\s+een\s+(?:lager|hoger)\s+niveau"
        r"|schooladvies|(?:vmbo|havo|vwo)[\s-]*advies)\b")),
)


def named_exclusion(text: str) -> Optional[str]:
    """Which exclusion the words name, if any: a legal procedure, lack of motivation, or a dispute
    about repeating a year or the level (a consultant does not take those cases)."""
    clean = normalize(text)
    for name, regex in _EXCLUSION_PATTERNS:
        if regex.search(clean):
            return name
    return None


# --- Cluster 1 and 2 special schools (feiten.md §4) -----------------------------------------------

_CLUSTER_1_2 = re.compile(
    r"\bcluster\s*-?\s*(?:1|2|een|twee)\b|\b(?:visio|bartimeus|kentalis|auris|royal\s+dutch\s+visio)\b"
    r"|\b(?:slechtziend\w*|slechthorend\w*|blind\w*|doof|dove|doven)\b"
)
_CLUSTER_3_4 = re.compile(r"\bcluster\s*-?\s*(?:3|4|drie|vier)\b")


def parse_cluster_1_or_2(text: str) -> Optional[bool]:
    """True for a cluster 1 or 2 school (seeing, hearing or speech), False for cluster 3 or 4."""
    clean = normalize(text)
    if _CLUSTER_1_2.search(clean):
        return True
    if _CLUSTER_3_4.search(clean):
        return False
    return None


# --- Weeks, also from holidays and comparisons --------------------------------------------------

_COMPARED = re.compile(r"\b(?P<side>langer|meer|korter|minder)\s+dan\s+(?P<num>\d+)\s+we+ken\b")


def read_weeks(text: str, today: date, calendar: SchoolCalendar) -> Optional[WeeksRange]:
    """Weeks at home as a range: from a holiday ("sinds de herfstvakantie"), a comparison ("langer
    dan 4 weken", the button), or a duration or date (actions.durations.parse_weeks)."""
    clean = normalize(text)
    compared = _COMPARED.search(clean)
    if compared:
        bound = float(compared.group("num")) + (0.5 if compared.group("side") in ("langer", "meer") else -0.5)
        return WeeksRange(max(0.0, bound), max(0.0, bound))
    holiday = named_holiday(clean)
    if holiday:
        return weeks_since_holiday(holiday, today, calendar)
    weeks = parse_weeks(clean, today)
    return None if weeks is None else WeeksRange(weeks, weeks)
