"""Datelines: the place and date a wire or press-release copy opens with ("WASHINGTON,
March 16 (Reuters) -"). Read by the readers (a dateline with its year dates the article) and
by the events extractor (a dateline's date is when the report was filed, not an event); kept
out of the readers package so that the extractors import nothing a reader needs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from casework.ingest.calendar_words import ALL_MONTHS, alternation, month_number

_MONTH = rf"(?:{alternation(list(ALL_MONTHS))})"
_YEAR4 = r"(?:1[6-9]|20)\d{2}"

# A dateline at the head of a paragraph: "WASHINGTON, March 16 (Reuters) -", "DONETSK,
# Ukraine, Sept 4 (Reuters) -", "MADRID, 1 Ene. (EUROPA PRESS) -", "GENÈVE, 3 avril (AFP) -",
# "St. Louis, March 12 (RHC)--", "News Americas, New York, NY, May 1, 2025:", "(Harwick,
# 20 March 2026) –": places, a date (its year optional), an agency, a dash or colon.
_PLACE = r"(?-i:[A-ZÀ-Ý][\w.'’-]*(?:\s+[A-ZÀ-Ý][\w.'’-]*){0,4})"
_DATELINE = re.compile(
    rf"\W{{0,3}}(?P<open>\()?{_PLACE}(?:,\s*{_PLACE}){{0,3}},\s+"
    rf"(?:(?P<mm>{_MONTH})\.?\s+(?P<md>\d{{1,2}})|(?P<dd>\d{{1,2}})(?:er|º)?\s+(?:de\s+)?"
    rf"(?P<dm>{_MONTH})\.?)(?:,?\s+(?:de\s+)?(?P<year>{_YEAR4}))?"
    r"(?(open)\)\s*[-–—]+|\s*(?:\([^()\n]{1,30}\)\s*)?(?:[-–—]+|:))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Dateline:
    """A dateline's date (`year` None when it gives none) and where it ends in the text."""

    year: int | None
    month: int
    day: int
    end: int

    def date_in(self, year: int) -> date | None:
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None


def find_dateline(text: str, start: int = 0) -> Dateline | None:
    """The dateline opening `text` at `start`, or None."""
    match = _DATELINE.match(text, start)
    if match is None:
        return None
    month = month_number(match["mm"] or match["dm"])
    day = int(match["md"] or match["dd"])
    if month is None or not 1 <= day <= 31:
        return None
    year = int(match["year"]) if match["year"] else None
    return Dateline(year, month, day, match.end())
