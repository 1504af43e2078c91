"""The calendar words of the languages ingest reads (English, Spanish, French): month and
weekday names and their usual abbreviations, lowercased, with and without accents (scraped
copies drop them: "fevrier", "miercoles"). Shared by the readers (publication dates in date
lines, datelines and URLs) and the events extractor."""

from __future__ import annotations

import unicodedata

MONTHS: dict[str, dict[str, int]] = {
    "en": {
        "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
        "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
        "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
        "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    },
    "es": {
        "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
        "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
        "diciembre": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12,
    },
    "fr": {
        "janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
        "juillet": 7, "août": 8, "septembre": 9, "octobre": 10, "novembre": 11,
        "décembre": 12, "janv": 1, "févr": 2, "fév": 2, "avr": 4, "juil": 7, "déc": 12,
    },
}  # fmt: skip
WEEKDAYS: dict[str, tuple[str, ...]] = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
}


def strip_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


def _folded(table: dict[str, int]) -> dict[str, int]:
    return table | {strip_accents(name): number for name, number in table.items()}


# Every language's month names (no two languages give one word two months).
ALL_MONTHS: dict[str, int] = {}
for _table in MONTHS.values():
    ALL_MONTHS |= _folded(_table)
ALL_WEEKDAYS: dict[str, int] = {}
for _names in WEEKDAYS.values():
    ALL_WEEKDAYS |= _folded({name: number for number, name in enumerate(_names)})


def alternation(words: list[str] | dict[str, int] | tuple[str, ...]) -> str:
    """A regex alternation of `words` and their accent-free spellings, longest first (so that
    "septiembre" is tried before "sep")."""
    spelled = {*words, *(strip_accents(w) for w in words)}
    return "|".join(sorted(spelled, key=lambda w: (-len(w), w)))


def month_number(word: str) -> int | None:
    """The month a month name or abbreviation ("Sept.", "Février", "ene") names, or None."""
    return ALL_MONTHS.get(word.rstrip(".").lower())


def weekday_number(word: str) -> int | None:
    """Monday = 0 … Sunday = 6 for a weekday name in any of the languages, or None."""
    return ALL_WEEKDAYS.get(word.lower())
