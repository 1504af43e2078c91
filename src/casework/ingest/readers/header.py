"""What sits above an article's text, read from the text itself: the title, the dek, the
byline ("By STEPHEN PRAGER | Dec 23, 2025", "By Jane Doe and Ali Khan, 3 March 2024",
"Published 2024-03-03 by Jane Doe") and a date line. Shared by the Markdown, plain-text and PDF
readers (whose sources have no meta tags), and by the HTML reader for the byline paragraphs a
page leaves inside its article text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from casework.ingest.calendar_words import ALL_MONTHS, alternation, month_number
from casework.ingest.datelines import Dateline, find_dateline

__all__ = ["Dateline", "find_dateline"]  # re-exported for the readers

_MONTH = rf"(?:{alternation(list(ALL_MONTHS))})"
_YEAR4 = r"(?:1[6-9]|20)\d{2}"
_DATE = re.compile(
    r"(?<![\w/.])(?:(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})"
    # "29/05/2025", "18.11.2025", and the same run into a clock: "12:3529/05/2025"
    rf"|(?:\d{{1,2}}:\d{{2}})?(?P<na>\d{{1,2}})(?P<sep>[/.])(?P<nb>\d{{1,2}})(?P=sep)(?P<ny>{_YEAR4})"
    rf"|(?P<mm>{_MONTH})\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>{_YEAR4})"
    rf"|(?P<dd>\d{{1,2}})(?:st|nd|rd|th|er|º|°)?\s+(?:de\s+)?(?P<dm>{_MONTH})\.?,?\s+"
    rf"(?:de\s+|del\s+)?(?P<dy>{_YEAR4}))(?![\w/])",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:(?:words|written|reporting)\s+)?by\s+(?P<rest>.+)$", re.IGNORECASE)
_PUBLISHED = re.compile(
    r"^(?:first\s+)?(?:published|posted|updated)\b[:\s]*(?P<rest>.*)$", re.IGNORECASE
)
_BY_IN_REST = re.compile(r"\bby\s+(?P<names>.+)$", re.IGNORECASE)
# What a date line may hold besides the date: labels, weekdays (English, Spanish, French), a
# time with its seconds and zone, "/ 5 years ago", a view counter ("Lu: 788").
_DATE_LINE_NOISE = re.compile(
    r"(?:\b(?:published|updated|posted|last|first|date|on|at|gmt|utc|[ecmp][sd]?t|cet|cest|bst"
    r"|(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?"
    r"|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo|publicado|actualizado|el|a las"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|publi[eé]|mis à jour|le|à|h"
    r"|(?:lu|vues|views|visto|lecturas)\s*:?\s*\d[\d,.\s]*"
    r"|\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago)\b\.?"
    r"|\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*(?:[+-]\d{2}:?\d{2}|z\b))?"
    r"|\b[ap]\.?m\.?|[\s,|:·•–—/()\u060c-])+",
    re.IGNORECASE,
)
# A source line: "Human Rights Watch - Friday, July 26, 2024" (a name, then the date line).
_SOURCE_PREFIX = re.compile(r"^[A-Z][\w&.'’]*(?:\s+[\w&.'’]+){0,5}\s+[-–—|]\s+")
_SEPARATORS = re.compile(r"\s*[|•·]\s*|\s+[–—-]\s+")
_NAME_JOINS = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", re.IGNORECASE)
_AFFILIATION = re.compile(r"\s+(?:for|in|at|of|from)\s+.*$")
_NAME_WORD = re.compile(r"(?:[A-Z][\w'’.-]*|de|da|del|der|van|von|la|le|al|bin|ibn|el)$")
# "By Friday" or "By March" opens a sentence, not a byline.
_CALENDAR_WORD = re.compile(
    rf"(?:{_MONTH}|(?:mon|tues|wednes|thurs|fri|satur|sun)day|the)\b", re.IGNORECASE
)
MAX_BYLINE_CHARS = 200
MAX_TITLE_CHARS = 200
MAX_DEK_CHARS = 400
# Without a byline after it, a paragraph below the title is taken for the dek only when short
# and not a finished sentence (a lede ends with a period).
MAX_BARE_DEK_CHARS = 200


def find_date(text: str) -> tuple[date, int, int] | None:
    """The first calendar date written out in `text` ("Dec 23, 2025", "3 March 2024",
    "2024-03-03", "16 Février 2020", "1 de julio de 2019", "18.11.2025", "29/05/2025"), with
    where it is; None when there is none (or only impossible ones)."""
    for match in _DATE.finditer(text):
        if match.group("iy"):
            year, month, day = int(match["iy"]), int(match["im"]), int(match["id"])
        elif match.group("ny"):
            year, first, second = int(match["ny"]), int(match["na"]), int(match["nb"])
            # Day first, as most of the world writes it, unless only the other order fits.
            day, month = (second, first) if second > 12 >= first else (first, second)
        elif match.group("mm"):
            year, day = int(match["my"]), int(match["md"])
            month = month_number(match["mm"]) or 0
        else:
            year, day = int(match["dy"]), int(match["dd"])
            month = month_number(match["dm"]) or 0
        try:
            return date(year, month, day), match.start(), match.end()
        except ValueError:
            continue
    return None


def parse_date(text: str) -> date | None:
    found = find_date(text)
    return found[0] if found else None


@dataclass(frozen=True)
class Byline:
    authors: tuple[str, ...]
    published: date | None


def parse_byline(line: str) -> Byline | None:
    """The authors and date of a byline, or None when `line` is not one."""
    line = line.strip().strip("*_").strip()
    if len(line) > MAX_BYLINE_CHARS or "\n" in line:
        return None
    found = find_date(line)
    published = found[0] if found else None
    without_date = line[: found[1]] + " | " + line[found[2] :] if found else line
    by = _BYLINE.match(without_date)
    if by:
        names = _SEPARATORS.split(by.group("rest"))[0]
        authors = _names(names)
        if not authors:
            return None
        return Byline(authors, published)
    published_line = _PUBLISHED.match(without_date)
    if published_line:
        rest = published_line.group("rest")
        by_in_rest = _BY_IN_REST.search(rest)
        authors = _names(_SEPARATORS.split(by_in_rest.group("names"))[0]) if by_in_rest else ()
        if published is None and not authors:
            return None
        return Byline(authors, published)
    return None


def parse_date_line(line: str) -> date | None:
    """The date of a line that holds only a date (and labels, a weekday, a time, "/ 3 years
    ago"), or a source's name and then one ("Human Rights Watch - Friday, July 26, 2024")."""
    line = line.strip().strip("*_").strip()
    if len(line) > 80:
        return None
    found = find_date(line)
    if found is None:
        return None
    rest = line[: found[1]] + " " + line[found[2] :]
    if _DATE_LINE_NOISE.fullmatch(rest):
        return found[0]
    source = _SOURCE_PREFIX.match(line)
    if source and source.end() <= found[1]:
        rest = line[source.end() : found[1]] + " " + line[found[2] :]
        if not rest.strip() or _DATE_LINE_NOISE.fullmatch(rest):
            return found[0]
    return None


# A date in a URL's path: /2025/05/01/, /2026-01-19/, -20191111-0014.html,
# noticia-…-20260101134804.html, /stories/201710110418.html (a day, then a time or a number),
# /news/20240729091340244/ (a day, then a time to the millisecond).
_URL_DATE = re.compile(
    r"(?<![\d])(?P<y>(?:19|20)\d{2})(?P<s>[/_-])(?P<m>[01]?\d)(?P=s)(?P<d>[0-3]?\d)(?![\d])"
    r"|(?<![\d])(?P<cy>(?:19|20)\d{2})(?P<cm>[01]\d)(?P<cd>[0-3]\d)(?:\d{4}|\d{6}|\d{9})?"
    r"(?![\d])"
)


def url_date(url: str) -> date | None:
    """The publication date a URL's path gives, or None (a site's own path names the day an
    article was filed: the surest date a rewritten or scraped copy keeps)."""
    path = urlsplit(url).path if "://" in url else url
    for match in _URL_DATE.finditer(path):
        if match["y"]:
            year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        else:
            year, month, day = int(match["cy"]), int(match["cm"]), int(match["cd"])
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None


def _names(text: str) -> tuple[str, ...]:
    names: list[str] = []
    for part in _NAME_JOINS.split(text.strip().rstrip(",.;")):
        name = _AFFILIATION.sub("", part.strip().strip(",.;"))
        if not name:
            continue
        words = name.split()
        if not 1 <= len(words) <= 5 or any(char.isdigit() for char in name):
            return ()
        if name.isupper():
            name = " ".join(_title_case(word) for word in words)
            words = name.split()
        if not all(_NAME_WORD.match(word) for word in words) or _CALENDAR_WORD.match(name):
            return ()
        names.append(name)
    return tuple(names)


def _title_case(word: str) -> str:
    # "PRAGER" → "Prager", "O'BRIEN" → "O'Brien", "AL-SAYED" → "Al-Sayed"
    return re.sub(r"[^\W\d_]+", lambda match: match.group().capitalize(), word)


@dataclass
class Header:
    """What `read_header` took from the top of an article; `consumed` units are not text."""

    title: str = ""
    dek: str = ""
    authors: tuple[str, ...] = ()
    published: date | None = None
    consumed: int = 0
    found: dict[str, str] = field(default_factory=dict)


def read_header(units: list[str], *, take_title: bool, take_dek: bool = True) -> Header:
    """Reads the title (the first unit, when asked for and short), then bylines, date lines
    and a dek among the units that follow, stopping at the first unit of body text."""
    header = Header()
    index = 0
    if take_title and units and len(units[0]) <= MAX_TITLE_CHARS and "\n" not in units[0]:
        header.title = units[0].strip()
        header.found["title"] = "page"
        index = 1
    after_title = index
    while index < len(units) and index < after_title + 4:
        unit = units[index].strip()
        byline = parse_byline(unit)
        if byline is not None:
            if byline.authors and not header.authors:
                header.authors = byline.authors
                header.found["authors"] = "byline"
            if byline.published and header.published is None:
                header.published = byline.published
                header.found["published"] = "byline"
            index += 1
            continue
        published = parse_date_line(unit)
        if published is not None:
            if header.published is None:
                header.published = published
                header.found["published"] = "byline"
            index += 1
            continue
        if take_dek and not header.dek and index == after_title and _is_dek(units, index):
            header.dek = unit
            header.found["dek"] = "page"
            index += 1
            continue
        break
    header.consumed = index
    return header


def _is_dek(units: list[str], index: int) -> bool:
    unit = units[index].strip()
    if "\n" in unit or len(unit) > MAX_DEK_CHARS or index + 1 >= len(units):
        return False
    following = units[index + 1]
    if parse_byline(following) is not None or parse_date_line(following) is not None:
        return True
    # A paragraph ending in a colon introduces what follows (a quote, a list): body text.
    return len(unit) <= MAX_BARE_DEK_CHARS and not unit.rstrip("\"'”’»)").endswith(
        (".", "!", "?", ":")
    )


def publisher_for(url: str, publishers: dict[str, str] | None) -> str:
    """The publisher the table gives for `url`'s host or a parent domain of it ("" if none):
    news.example.org falls back to example.org; "www." is ignored."""
    if not url or not publishers:
        return ""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    table = {
        domain.lower().strip(".").removeprefix("www."): name for domain, name in publishers.items()
    }
    host = host.removeprefix("www.")
    while host:
        if host in table:
            return table[host]
        _, _, host = host.partition(".")
    return ""
