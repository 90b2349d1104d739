"""Unit tests for actions/parsing.py and actions/durations.py (parents' free-text answers in Dutch)."""

from __future__ import annotations

from datetime import date
import pytest

from actions.durations import format_weeks, parse_weeks
from actions.parsing import (
    SCHOOL_TYPES,
    is_unknown_answer,
    normalize,
    parse_school_type,
    parse_yes_no,
)

TODAY = date(2026, 11, 29)  # a Sunday


# --- normalize ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Ja  HOOR ", "ja hoor"),
        ("Eén week", "een week"),
        ("ib\u2019er", "ib'er"),
        ("2 à 3\nweken", "2 a 3 weken"),
        ("", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


# --- parse_yes_no -------------------------------------------------------------------------------

YES = [
    "ja", "Ja", "JA!", "jaa", "ja.", "ja hoor", "jazeker", "Jazeker!", "jawel", "klopt",
    "dat klopt", "zeker", "ja, met de ib'er", "ja, met de ib\u2019er", "yes", "jep",
    "ja dat hebben we gedaan", "al gedaan", "heb ik gedaan", "hebben we al gehad", "inderdaad",
    "ja we hebben contact gehad met het swv", "wel contact gehad", "ja ja",
]
NO = [
    "nee", "Nee.", "NEE", "neee", "nee nog niet", "nog niet", "neen", "nope", "niet",
    "helaas niet", "nooit", "nee hoor", "nee, nog geen contact", "zeker niet", "klopt niet",
    "nog geen contact gehad", "heb ik niet gedaan", "nee, wel met de school", "no",
]
UNCLEAR = [
    "misschien", "hoe bedoel je", "wat is een swv?", "", "   ", "weet ik niet", "geen idee",
    "ja?", "ik denk het wel", "niet zeker", "ja maar niet met het bestuur", "soms",
    "wat bedoelen jullie met bestuur", "de school heeft gebeld", "hallo", "?",
]


@pytest.mark.parametrize("text", YES)
def test_yes(text: str) -> None:
    assert parse_yes_no(text) is True


@pytest.mark.parametrize("text", NO)
def test_no(text: str) -> None:
    assert parse_yes_no(text) is False


@pytest.mark.parametrize("text", UNCLEAR)
def test_unclear_yes_no(text: str) -> None:
    assert parse_yes_no(text) is None


# --- is_unknown_answer --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "weet ik niet", "geen idee", "weet niet", "ik weet het niet", "onbekend",
        "Weet ik echt niet", "dat weet ik eigenlijk niet", "geen flauw idee", "weet ik nie",
        "Geen idee eigenlijk.", "idk", "weetikniet", "ik weet het niet meer",
    ],
)
def test_unknown_answer(text: str) -> None:
    assert is_unknown_answer(text)


@pytest.mark.parametrize(
    "text",
    [
        "ja", "nee", "nog niet", "6 weken", "basisschool", "",
        "ik weet dat het niet werkt", "weet ik wel",
    ],
)
def test_not_unknown_answer(text: str) -> None:
    assert not is_unknown_answer(text)


# --- parse_school_type --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # po
        ("basisschool", "po"),
        ("Basisschool", "po"),
        ("basischool", "po"),
        ("bassisschool", "po"),
        ("basis school", "po"),
        ("hij zit op de basisschool", "po"),
        ("basisonderwijs", "po"),
        ("groep 6", "po"),
        ("ze zit in groep 1/2", "po"),
        ("groep acht", "po"),
        ("sbo", "po"),
        ("SBO school", "po"),
        ("speciaal basisonderwijs", "po"),
        ("po", "po"),
        ("PO", "po"),
        ("primair onderwijs", "po"),
        ("kleuterklas", "po"),
        # vo
        ("middelbare school", "vo"),
        ("middelbare", "vo"),
        ("midelbare school", "vo"),
        ("voortgezet onderwijs", "vo"),
        ("brugklas", "vo"),
        ("hij zit in de brugklas van het lyceum", "vo"),
        ("vmbo", "vo"),
        ("vmbo-t", "vo"),
        ("vmbo kader", "vo"),
        ("havo", "vo"),
        ("HAVO 3", "vo"),
        ("vwo", "vo"),
        ("havo/vwo", "vo"),
        ("gymnasium", "vo"),
        ("atheneum", "vo"),
        ("praktijkonderwijs", "vo"),
        ("pro", "vo"),
        ("vo", "vo"),
        ("2e klas middelbare", "vo"),
        ("tweede klas van de middelbare school", "vo"),
        ("mavo", "vo"),
        # so
        ("speciaal onderwijs", "so"),
        ("so", "so"),
        ("SO", "so"),
        ("vso", "so"),
        ("(v)so", "so"),
        ("cluster 4 school", "so"),
        ("cluster 3", "so"),
        ("cluster-2", "so"),
        ("speciaal voortgezet onderwijs", "so"),
        ("een speciale school", "so"),
        # mbo
        ("mbo", "mbo"),
        ("Mbo", "mbo"),
        ("roc", "mbo"),
        ("ROC van Amsterdam", "mbo"),
        ("mbo 2", "mbo"),
        ("mbo-2 opleiding", "mbo"),
        ("entreeopleiding", "mbo"),
        ("middelbaar beroepsonderwijs", "mbo"),
        # ho
        ("hbo", "ho"),
        ("hogeschool", "ho"),
        ("hoge school", "ho"),
        ("universiteit", "ho"),
        ("de uni", "ho"),
        ("wo", "ho"),
        ("hoger onderwijs", "ho"),
        ("hbo-opleiding", "ho"),
        ("ho", "ho"),
    ],
)
def test_school_type(text: str, expected: str) -> None:
    assert expected in SCHOOL_TYPES
    assert parse_school_type(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "weet ik niet",
        "klas 2",  # primary and secondary both have classes
        "2e klas",
        "een school in utrecht",
        "van de basisschool naar het vo",  # two types named: ambiguous
        "groep 8 en volgend jaar havo",
        "eerst so, nu vmbo",
        "mbo of hbo",
        "ho ho, wacht even",  # the interjection, not higher education
        "sommige scholen",  # "so" only as a whole word
        "hij programmeert graag",  # "pro" only as a whole word
        "vmbo-leerling die naar het mbo wil",
    ],
)
def test_school_type_none(text: str) -> None:
    assert parse_school_type(text) is None


# --- parse_weeks --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zes weken", 6.0),
        ("6 weken", 6.0),
        ("6 Weken", 6.0),
        ("6weken", 6.0),
        ("6 wk", 6.0),
        ("6 wkn", 6.0),
        ("al 3 weken", 3.0),
        ("Al drie weken.", 3.0),
        ("zes weeken", 6.0),
        ("twee maanden", 8.7),
        ("2 maanden", 8.7),
        ("2 mnd", 8.7),
        ("1 maand", 4.3),
        ("anderhalve maand", 6.5),
        ("een half jaar", 26.0),
        ("half jaar", 26.0),
        ("een jaar", 52.0),
        ("anderhalf jaar", 78.0),
        ("10 dagen", 1.4),
        ("14 dagen", 2.0),
        ("een week", 1.0),
        ("één week", 1.0),
        ("een weekje", 1.0),
        ("anderhalve week", 1.5),
        ("twee en een halve week", 2.5),
        ("tweeënhalve week", 2.5),
        ("2,5 week", 2.5),
        ("2.5 weken", 2.5),
        ("2½ week", 2.5),
        ("twintig weken", 20.0),
        ("zeventien weken", 17.0),
        ("een week of zes", 6.0),
        ("5 à 6 weken", 6.0),  # a range: the last number
        ("5-6 weken", 6.0),
        ("ruim 4 weken", 4.0),
        ("bijna twee maanden", 8.7),
        ("sinds 3 weken", 3.0),
        ("hij zit al zes weken thuis omdat de school hem niet meer wil", 6.0),
        ("ze is al 8 weken thuis en daarvoor 2 maanden halve dagen", 8.0),
        ("mijn zoon is 12 jaar en zit al 6 weken thuis", 6.0),  # age skipped
        ("een jongen van 14 jaar, nu 3 weken thuis", 3.0),
        ("hij gaat 2 dagen per week naar school, sinds 1 oktober niet meer", 8.4),
        # plain number: read as weeks
        ("6", 6.0),
        (" 6. ", 6.0),
        ("zes", 6.0),
        ("al 7", 7.0),
        ("ongeveer 10", 10.0),
        ("0", 0.0),
    ],
)
def test_weeks_from_duration(text: str, expected: float) -> None:
    assert parse_weeks(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("sinds 1 oktober", date(2026, 11, 12), 6.0),
        ("sinds 1 okt", date(2026, 11, 12), 6.0),
        ("sinds 1 okt.", date(2026, 11, 12), 6.0),
        ("Sinds 1 Oktober", date(2026, 11, 12), 6.0),
        ("sinds 1 october", date(2026, 11, 12), 6.0),
        ("vanaf 15 september", date(2026, 11, 12), 8.3),
        ("vanaf 15 sept", date(2026, 11, 12), 8.3),
        ("sinds 01-10", date(2026, 11, 12), 6.0),
        ("sinds 1-10", date(2026, 11, 12), 6.0),
        ("sinds 1/10", date(2026, 11, 12), 6.0),
        ("sinds 1-10-2026", date(2026, 11, 12), 6.0),
        ("sinds 01-10-26", date(2026, 11, 12), 6.0),
        ("sinds 1 oktober 2025", date(2026, 11, 12), 58.1),
        ("sinds september", date(2026, 11, 12), 10.3),
        ("sinds begin oktober", date(2026, 11, 12), 6.0),
        ("sinds half oktober", date(2026, 11, 12), 4.0),
        ("sinds eind september", date(2026, 11, 12), 6.1),
        ("hij zit thuis sinds 1 oktober, de school doet niks", date(2026, 11, 12), 6.0),
        ("per 1 oktober", date(2026, 11, 12), 6.0),
        # most recent past occurrence
        ("sinds 1 december", date(2026, 11, 29), 51.9),
        ("sinds december", date(2026, 11, 29), 51.9),
        ("sinds 15 november", date(2026, 11, 29), 2.0),
        ("sinds 29 november", date(2026, 11, 29), 0.0),  # today
        ("sinds 1 september", date(2027, 1, 12), 19.0),  # over new year
        # leap years
        ("sinds 29 februari", date(2028, 3, 14), 2.0),
        ("sinds 29 februari", date(2026, 3, 10), 105.7),  # back to 29 Feb 2024
        ("sinds 29-02", date(2028, 3, 14), 2.0),
        ("sinds 1 maart", date(2028, 3, 14), 1.9),
        ("sinds 15 februari", date(2028, 3, 14), 4.0),  # 29 days in between
    ],
)
def test_weeks_since_date(text: str, today: date, expected: float) -> None:
    assert parse_weeks(text, today) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "sinds de zomervakantie",
        "een paar weken",
        "al een aantal weken",
        "enkele weken",
        "al maanden",
        "weet ik niet",
        "lang",
        "hij zit in groep 6",
        "klas 2",
        "-3 weken",
        "sinds 31 april",  # no such date
        "sinds 32-10",
        "sinds 1-13",
        "sinds 1 oktober 2027",  # in the future
        "sinds 1-1-2030",
        "een paar weken, denk ik 6 weken",  # the first duration is vague
    ],
)
def test_weeks_unknown(text: str) -> None:
    assert parse_weeks(text, TODAY) is None


def test_weeks_first_expression_wins() -> None:
    assert parse_weeks("3 weken geschorst en nu al 2 maanden thuis", TODAY) == 3.0
    assert parse_weeks("sinds 15 november, dus 2 weken", TODAY) == 2.0
    assert parse_weeks("sinds de zomervakantie, zo'n 6 weken", TODAY) == 6.0


def test_weeks_depends_only_on_injected_today() -> None:
    assert parse_weeks("sinds 1 oktober", date(2026, 10, 15)) == 2.0
    assert parse_weeks("sinds 1 oktober", date(2026, 10, 29)) == 4.0
    assert parse_weeks("sinds 1 oktober", date(2026, 9, 30)) == 52.0  # 1 Oct 2025, 364 days


# --- format_weeks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weeks", "expected"),
    [
        (6.0, "6 weken"),
        (1.0, "1 week"),
        (8.7, "ongeveer 9 weken"),
        (0.4, "minder dan een week"),
        (0.0, "minder dan een week"),
        (0.99, "minder dan een week"),
        (1.4, "ongeveer 1 week"),
        (1.5, "ongeveer 2 weken"),
        (2.5, "ongeveer 3 weken"),
        (51.9, "ongeveer 52 weken"),
        (52.0, "52 weken"),
        (4, "4 weken"),
    ],
)
def test_format_weeks(weeks: float, expected: str) -> None:
    assert format_weeks(weeks) == expected


def test_format_weeks_rejects_negative() -> None:
    with pytest.raises(ValueError):
        format_weeks(-1.0)


@pytest.mark.parametrize("text", ["zes weken", "twee maanden", "10 dagen", "een jaar"])
def test_parse_then_format_round_trip(text: str) -> None:
    weeks = parse_weeks(text, TODAY)
    assert weeks is not None
    assert "week" in format_weeks(weeks) or "weken" in format_weeks(weeks)

