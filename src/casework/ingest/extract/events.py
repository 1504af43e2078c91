"""Dated events: every date an article gives for something that happened or will happen,
relative dates resolved against its publication date.

Rules (each one a decision a reader of the gold set can check):

- Absolute dates: "December 2", "Dec. 2, 2025", "2 December 2025", "2025-12-02" → day;
  "12/02/2025" only when the order is unambiguous (one part above 12, or both equal).
  A day or month without a year takes the year of a date with its year written earlier in
  the sentence ("from March 3, 2022 to April 5"), else of a weekday beside it ("Friday,
  December 26"), else the publication's year (news style), moved to the next year when
  its part of the sentence speaks of the future ("will", "is set for") and the date is
  already past, or to the previous year when it would fall over a month after publication.
- "in June 2022", "in May and August" → month; a month without a year needs a preposition
  ("in June", "last June") and the publication date.
- A bare year dates an event only after "in", "during", "throughout", "since", "early",
  "late", "mid-" or "(the end|start|…) of": "in 2024" counts (the sentence reports what
  happened in it: the casualty sentences of a report are events of that year), "passed in
  1798" too, "the 2024 report" does not, nor a year or month in a comparison ("up from
  1,500 in 2023", "than in 2023"), a range ("between 2019 and 2021") or after "by" or
  "until" (a deadline). "in 2002-2003" gives both years.
- "since" + a date is an event (the day, month or year something began: "on the throne
  since 1986", "detained since March 25") unless the sentence counts a figure over the
  period it opens ("killed at least 21 people since June 17", "the highest toll since
  2020"): then it is the figure's period. So is a range in a sentence that compares
  figures over it ("in the period from August 7 to August 25 … compared with"), and a
  year range with a figure ("17,000 casualties in 2019-2021").
- Weekdays ("on Friday", "Friday", "last Friday"): the most recent such day on or before the
  publication date (news usage: "on Tuesday" in a Tuesday's article is that day); the next
  one after "for" or when its part of the sentence speaks of the future and no reporting
  verb ("said Friday") sits beside it; "last Friday" is strictly before, "next Friday"
  strictly after. "Good Friday", "Sunday Times", "every Monday" are no dates.
- "yesterday", "tomorrow", "today", "this morning" (not a sentence-opening "Today,", nor
  "still in effect today": nowadays) → day. "last month", "earlier this month", "next
  month" → month; "last year", "this year", "early this year" → year, but not "this year"
  after an ordinal or a superlative ("the third death this year": a count's period); "N
  days/months/years ago" → day/month/year.
- A week is too vague for a day: "last week", "earlier this week", "over the weekend",
  "two weeks ago" give the month holding most of the days they can mean, precision month.
- "two years later", "a week later", "the next day" count from the last date given before
  them in the same paragraph, at the precision of their unit.
- A dateline ("GENEVA, March 4 (Reuters) -", "DONETSK, Ukraine, Sept 4 (Reuters) -",
  "MADRID, 1 Ene. (EUROPA PRESS) -", readers/header.py's `find_dateline`) dates the
  report, not an event.
- Without a publication date only absolute dates (and those counted from them) are given.
- Spanish and French articles (Article.language "es", "fr") are read with the same
  resolvers and their own words: "el 16 de marzo (de 2025)", "el pasado 10 de octubre",
  "este jueves", "el pasado martes", "ayer", "la semana pasada", "hace tres días", "desde
  diciembre de 2022 hasta principios de 2023"; "le 3 avril 2025", "lundi 15 février",
  "vendredi", "aujourd'hui", "hier", "la semaine dernière", "il y a deux jours", "en
  juillet et août 2024", "entre le 10 et le 30 juillet", "de la mi-juillet à la mi-août",
  "fin 2021". Their future ("se celebrará", "aura lieu") and "since" ("desde", "depuis")
  follow the English rules. The rules beat the `dateparser` library on the real-news set
  by far (F1 0.99 against 0.53, 2 ms an article against 48: benchmarks/dates_dateparser.py),
  so it is not used.

Each event's summary is the clause around the date (the sentence cut at ";", dashes, ": ",
", and", ", but"…), at most 200 characters; events are deduplicated on (date, precision,
sentence).
"""

from __future__ import annotations

import bisect
import calendar
import heapq
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from casework.ingest.article import Article, Span
from casework.ingest.calendar_words import (
    MONTHS,
    WEEKDAYS,
    alternation,
    month_number,
    weekday_number,
)
from casework.ingest.datelines import find_dateline
from casework.ingest.extract.budget import check_budget
from casework.ingest.extract.items import Event, Precision
from casework.ingest.extract.sentences import sentences

SUMMARY_LIMIT = 200
CLAUSE_WINDOW = 400  # characters either side of a date in which its clause is looked for

_SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

# Month names are matched capitalised only: "may" and "march" are also ordinary words.
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?(?=[\s,]))"
)
_FULL_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October"
    r"|November|December)"
)
_FULL_MONTH_NAME = _FULL_MONTH.replace("?P<month>", "?:")
_ANY_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2})(?![\d,]\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY_RANGE = r"(?:\s*[-–]\s*[0-3]?\d(?:st|nd|rd|th)?)?"  # "2-4 December": the first day
_NUMBER_WORD = r"\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_TIME_UNIT = r"(?P<unit>day|week|month|year)s?"
_QUALIFY = r"(?i:early|late|mid-?)\s*"  # "late 2023", "mid-June": the same month or year

_ISO = re.compile(
    r"\b(?P<year>(?:19|20)\d{2})-(?P<mo>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])\b"
)
_SLASHED = re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>(?:19|20)\d{2})\b")
_DAY_MONTH = re.compile(
    rf"(?:\b(?P<prep>(?i:on|since|from|until|by))\s+)?(?<![\d,.])\b{_DAY}{_DAY_RANGE}\s+"
    rf"(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?(?![\w])"
)
_MONTH_DAY = re.compile(
    # "_Oct. 9, Judge …": AP's underscore for a dash opening a list item
    rf"(?:\b(?P<prep>(?i:on|since|from|until|by))\s+)?(?:\b|(?<=_)){_MONTH}\s+{_DAY}{_DAY_RANGE}"
    r"(?![\d:])"
    rf"(?:,?\s+{_YEAR})?(?![\w])"
)
_MONTH_YEAR = re.compile(
    rf"\b(?P<prep>(?i:in|since|during|throughout|from|as of|(?:the\s+)?(?:end|start|beginning"
    rf"|middle|first half|second half) of))\s+(?:{_QUALIFY})?{_MONTH}(?:\s+of)?,?\s+{_YEAR}"
)
_MONTH_ONLY = re.compile(
    rf"\b(?P<prep>(?i:in|since|during|throughout|from|last|this|next|(?:the\s+)?(?:end|start"
    # "a November massacre", "a bloody November massacre": the month of the past, named
    rf"|beginning|middle) of)|an?(?:\s+[a-z]+)?(?=\s+{_FULL_MONTH_NAME}\s+[a-z]))\s+"
    rf"(?:{_QUALIFY})?"
    rf"{_FULL_MONTH}\b"
    r"(?![\s,]+(?:[0-3]?\d|(?:19|20)\d\d)\b)"
)
_SHIFTS = ("this", "last", "next")  # "last June": not moved to the sentence's own year
_RANGE_END = re.compile(  # "to August 2024", ", June and October 2023": the year of the list
    r"(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:to|and|or|through|until)\s+|\s*[-–]\s*)"
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    rf"|December))+,?\s+{_YEAR}"
)  # "to August 2024"
# "passed in 1798", "Established in 1863": a year long past is a date after a preposition.
_OLD_YEAR = r"(?P<year>(?:1[5-9]|20)\d{2})(?![\d,]\d)"
_YEAR_ONLY = re.compile(
    rf"\b(?:(?P<prep>(?i:in|during|throughout|since|until))\s+(?:{_QUALIFY})?|{_QUALIFY}|(?i:(?:the\s+)?"
    rf"(?:end|start|beginning|middle|first half|second half|first quarter|summer|spring|autumn"
    rf"|fall|winter)\s+of)\s+){_OLD_YEAR}(?!['’]s|\s*[-–/]\s*\d|\s+(?:to|through|until)\s+\d|\w)"
)
# A month or year after "and", "or" or a comma; _LIST_OPENED, before it, the preposition
# that opened the list.
_LISTED = re.compile(
    rf"(?:(?<=\band )|(?<=\bor )|(?<=, ))(?:{_FULL_MONTH}\b|{_YEAR}(?!['’]s|\s*[-–/]\s*\d|\w))"
)
# "acts committed in 2002-2003": both years, when no figure is counted over them.
_YEAR_RANGE = re.compile(
    rf"\b(?P<prep>(?i:in|during|throughout))\s+{_YEAR}(?=\s*[-–]\s*(?:19|20)\d{{2}}\b(?![-–/]\d))"
)
_YEAR_RANGE_END = re.compile(r"(?<=\d{4}[-–])(?P<year>(?:19|20)\d{2})\b(?![-–/]\d)")
_RANGE_OPENED = re.compile(r"\b(?i:in|during|throughout)\s+\d{4}\s*[-–]$")
_LIST_ITEM = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:19|20)\d\d)"
)
_LIST_OPENED = re.compile(
    rf"\b(?P<prep>(?i:in|during|since|throughout))\s+{_LIST_ITEM}"
    rf"(?:(?:\s*,\s*|\s+(?:and|or)\s+){_LIST_ITEM})*(?:\s*,\s*|\s+(?:and|or)\s+|,\s+(?:and|or)\s+)$"
)
# Before "this year": an ordinal or superlative makes it the period of a count.
_RANKED = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th)"
    r"|highest|lowest|most|fewest|worst|largest|deadliest|so\s+far|to\s+date)\b[^,;]*$",
    re.IGNORECASE,
)
_COMPARISON = re.compile(
    r"(?:\bthan|\b(?:compared\s+(?:with|to)|(?:up|down|rise|increase|drop|fall|decrease|decline)"
    r"\s+from)\s+(?:[^,;]|,(?=\d)){0,40}?)\s*$",
    re.IGNORECASE,
)
_AGO = re.compile(rf"\b(?P<n>{_NUMBER_WORD})\s+{_TIME_UNIT}\s+ago\b", re.IGNORECASE)
# (commas allowed, for a relative clause inside it: "Since the militia, which …, began …";
# no number before the date, or the clause has its count already)
_SINCE_CLAUSE = re.compile(r"\W*(?:(?:[Ee]ver\s+)?[Ss]ince|[Dd]esde|[Dd]epuis)\b[^;\d]{0,200}$")
_APPROXIMATE = re.compile(
    r"\b(?:just\s+)?(?:over|under|more\s+than|less\s+than|almost|nearly|about|around"
    r"|roughly|some)\s+$",
    re.IGNORECASE,
)
_LATER = re.compile(
    rf"\b(?:(?P<n>{_NUMBER_WORD})\s+{_TIME_UNIT}\s+(?P<dir>later|earlier)"
    r"|the\s+(?:following|next)\s+(?P<unit2>day|week|month|year))\b",
    re.IGNORECASE,
)
# "last week's report" dates the report; "last year's" mostly compares a figure ("up from
# last year's 1,200"), so it is left out. "continued into this week" is a stretch of time.
# "since October last year": the month's year, read with the month (_month_only).
_NOT_AFTER_MONTH = "".join(
    rf"(?<!{month} )" for month in _FULL_MONTH_NAME.removeprefix("(?:").removesuffix(")").split("|")
)
_RELATIVE = re.compile(
    r"(?<!\binto )(?<!\bthrough )(?<!\bthroughout )"
    + _NOT_AFTER_MONTH
    + r"\b(?P<which>last|this|next|earlier this|later this|early this|late this|early last"
    r"|late last|earlier last|this past|this coming|(?:at|over) the)\s+"
    r"(?P<unit>week|weekend|month|year)\b(?!['’]s(?<=year['’]s))",
    re.IGNORECASE,
)
_TODAY_STATE = re.compile(
    r"\s*:|\s+(?:is|are|has|have|holds|houses|hosts|remains|remain|stands|lives|live|employs"
    r"|numbers|counts|contains|serves)\b"
)
_YEAR_NAMED = re.compile(r",?\s+(?P<which>(?i:last|this))\s+year\b")
_DAY_WORD = re.compile(
    r"\b(?P<word>yesterday|today|tonight|tomorrow|this\s+(?:morning|afternoon|evening))\b",
    re.IGNORECASE,
)
# "still in effect today", "remains in force today", "to this day": nowadays, not a day.
_NOWADAYS = re.compile(
    r"\b(?:still|remains?|remained|continues?|persists?|even|as\s+of|until|up\s+to)\b"
    r"[^.;,]{0,40}$",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"(?<!Good )(?<!Black )(?<!Bloody )(?<!Easter )(?<!Palm )(?<!Ash )(?<!Holy )(?<!Super )"
    r"(?<!Cyber )(?<!every )(?<!Every )"
    r"(?:\b(?P<which>(?i:on|last|next|this past|this coming|this|late|early|since|until|by|for))"
    r"\s+)?"
    r"\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:['’]s)?\b"
    r"(?!\s+(?:Times|Telegraph|Mail|Mirror|Express|Post|Herald|Tribune|Agreement|Accords?"
    r"|Prayers?|Sermon|Massacre|Observer|Independent)\b"
    rf"|,?\s+(?:{_ANY_MONTH}\s+\d|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_ANY_MONTH}))"
)
# A weekday right before a date without its year tells the year.
_WEEKDAY_BESIDE = re.compile(
    r"\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+(?:on\s+)?$"
)

_FUTURE = re.compile(
    r"\b(?:will|won['’]t|shall|(?:is|are|was|were)\s+(?:due|set|scheduled|expected|planned|"
    r"slated)\s+(?:to|for)|plans?\s+to|intends?\s+to|upcoming|scheduled\s+for|set\s+for)\b"
    r"|['’]ll\b",
    re.IGNORECASE,
)
# A reporting verb beside the date ("said on Friday", "on Friday announced") dates the
# saying, which is past even when what was said is about the future.
_REPORTED_BEFORE = re.compile(
    r"\b(?:said|announced|told|reported|stated|confirmed|added|wrote|declared|warned)\s*$",
    re.IGNORECASE,
)
_REPORTED_AFTER = re.compile(
    r"^[\s,]*(?:said|announced|told|reported|stated|confirmed|added|wrote|declared|warned)\b",
    re.IGNORECASE,
)
# Never tried from inside a run of spaces, only from its first (in a window cut from the
# sentence, whose start counts as one): from each space of a run, the run was read to its
# end again. A break found from inside would have been found from the first.
_CLAUSE_BREAK = re.compile(
    r"(?:(?<!\s)|(?!\s))\s*"
    r"(?:;|:\s|\s[—–]\s|—|\(|\)|,\s+(?=(?:and|but|while|whereas|which|although|though)\b))\s*"
)
# A dateline before a date: "GENEVA, ", "(Harwick, " at the start of a sentence. Matched once
# per sentence, each form on its own (a date is in a dateline's place when it comes after the
# comma and only spaces): matched again up to each date, a sentence opening with a long run of
# words in brackets cost the square of its length.
_DATELINES = (
    re.compile(r"\W*[A-Z][A-Z .'’-]{2,}(?P<comma>,)\s*"),
    re.compile(r"\W*\([A-Z][\w .'’-]*(?P<comma>,)\s*"),
)
_BOUNDS_FIGURES = re.compile(
    r"\b(?:in\s+the\s+period|(?:same|that|this)\s+period|compared\s+(?:with|to))\b", re.IGNORECASE
)
_DATE_SPAN = re.compile(
    r"\b(?:from|between)\s+[^,;.]{3,30}?\d\s+(?:to|and|until|through)\s+[^,;]{3,30}?\d(?!\d)",
    re.IGNORECASE,
)
_SEGMENT_BREAK = re.compile(r"[,;]\s*|\s[—–]\s|—|:\s")
_WORD = re.compile(r"\w+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class _Found:
    """A date expression found in a sentence, resolved."""

    start: int  # offsets in the sentence
    end: int
    date: date
    precision: Precision


@dataclass
class _Context:
    sentence: str
    published: date | None
    anchor: tuple[date, Precision] | None  # the last date given before, in the paragraph
    in_sentence: tuple[date, Precision] | None = None  # the last with its year, in this sentence
    language: str = "en"  # en | es | fr: which words say "will", "since", "last"
    dateline: int = 0  # the sentence opens with a dateline that ends here (0: none)
    # Where the sentence's future markers ("will", "is set to") are, found once: a run of
    # weekdays asked about each date's clause would otherwise scan the clause again each time.
    future_marks: list[tuple[int, int]] | None = None


_Resolver = Callable[[re.Match[str], _Context], tuple[date, Precision] | None]


def extract_events(article: Article) -> list[Event]:
    """Every dated event of the article's text, in reading order."""
    events: list[Event] = []
    seen: set[tuple[date, Precision, int]] = set()
    paragraph_starts = [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(article.text)]
    # "DONETSK, Ukraine, Sept 4 (Reuters) -": when the report was filed, not an event.
    dateline_ends = {}
    for start in paragraph_starts:
        check_budget()
        dateline = find_dateline(article.text, start)
        if dateline is not None:
            dateline_ends[start] = dateline.end
    language = article.language if article.language in _LANGUAGE_PATTERNS else "en"
    patterns = _LANGUAGE_PATTERNS[language]
    paragraph = -1
    anchor: tuple[date, Precision] | None = None
    for span in sentences(article.text):
        check_budget()
        in_paragraph = _paragraph_of(paragraph_starts, span.start)
        if in_paragraph != paragraph:  # "two years later" never reaches across paragraphs
            paragraph, anchor = in_paragraph, None
        sentence = article.text[span.start : span.end]
        dateline_end = dateline_ends.get(paragraph_starts[in_paragraph], 0) - span.start
        context = _Context(sentence, article.published, anchor, None, language, dateline_end)
        for found in _find(context, patterns):
            anchor = (found.date, found.precision)
            key = (found.date, found.precision, span.start)
            if key in seen:
                continue
            seen.add(key)
            events.append(
                Event(
                    date=found.date,
                    precision=found.precision,
                    summary=_summary(sentence, found.start, found.end),
                    expression=sentence[found.start : found.end],
                    span=Span(span.start, span.end, sentence),
                )
            )
    return events


def _paragraph_of(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset) - 1


def _find(context: _Context, patterns: _PatternSet) -> list[_Found]:
    """The sentence's date expressions, most specific first where two overlap, then in
    reading order; later ones are counted from the dates found before them."""
    taken: list[tuple[int, int]] = []  # sorted, never overlapping
    candidates: list[tuple[int, int, re.Match[str], _Resolver]] = []
    lowered = context.sentence.lower()
    if not patterns.any_trigger.search(lowered):
        return []
    datelines = _dateline_commas(context.sentence)
    if context.dateline > 0:
        datelines.append((-1, context.dateline))
    if _BOUNDS_FIGURES.search(context.sentence):
        # "In the period … from August 7 to August 25, violent crime fell by almost half
        # compared with …": the range bounds the figures, it dates nothing. Skipped as a
        # dateline's date is.
        datelines += [(m.start() - 1, m.end()) for m in _DATE_SPAN.finditer(context.sentence)]
    # Merged and sorted, they are looked up by bisection: a sentence may hold thousands.
    skipped: list[tuple[int, int]] = []
    for comma, spaces in sorted(datelines):
        if skipped and comma <= skipped[-1][1]:
            skipped[-1] = (skipped[-1][0], max(skipped[-1][1], spaces))
        else:
            skipped.append((comma, spaces))
    commas = [comma for comma, _spaces in skipped]
    for pattern, resolve, triggers in patterns.patterns:
        if not any(trigger in lowered for trigger in triggers):
            continue
        # A pattern's matches come in order and never overlap one another: each is checked
        # against the matches of the patterns before (one pass over them, not an insertion
        # into a sorted list per match), then all are merged in.
        accepted: list[tuple[int, int]] = []
        before = 0
        for match in pattern.finditer(context.sentence):
            start, end = match.span()
            where = bisect.bisect_left(commas, start) - 1  # the last one opening before start
            if where >= 0 and start <= skipped[where][1]:
                continue  # "KAMPALA, March 4 (Reuters) -": when the report was filed
            while before < len(taken) and taken[before][1] <= start:
                before += 1
            if before < len(taken) and taken[before][0] < end:
                continue
            accepted.append((start, end))
            candidates.append((start, end, match, resolve))
        taken = list(heapq.merge(taken, accepted))
    found: list[_Found] = []
    for start, end, match, resolve in sorted(candidates, key=lambda c: c[0]):
        check_budget()
        resolved = resolve(match, context)
        if resolved is None:
            continue
        found.append(_Found(start, end, resolved[0], resolved[1]))
        context.anchor = resolved
        if match.groupdict().get("year"):
            # only a date with its year written out leads the yearless ones after it:
            # "in April … up from 21% in February" are both of the publication's year
            context.in_sentence = resolved
    return found


def _dateline_commas(sentence: str) -> list[tuple[int, int]]:
    """Where a sentence's dateline ends, if it opens with one ("GENEVA, ", "(Harwick, "): its
    comma and the end of the spaces after it. A date right there is in the dateline's place."""
    found = []
    for pattern in _DATELINES:
        match = pattern.match(sentence)
        if match is not None:
            found.append((match.start("comma"), match.end()))
    return found


# -- resolvers: a match and its sentence → (date, precision), or None when it dates nothing


def _iso(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    return _day(int(match["year"]), int(match["mo"]), int(match["day"]))


def _slashed(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    a, b, year = int(match["a"]), int(match["b"]), int(match["year"])
    if a == b or (a > 12 and b <= 12):
        return _day(year, b, a)  # day/month, as most of the world writes it
    if b > 12 and a <= 12:
        return _day(year, a, b)  # month/day
    return None  # 12/02/2025: 12 February or 2 December, nobody can say


def _day_month(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    if _since(match) and _counted_before(context, match.start()):
        return None  # "killed at least 21 people … since June 17, 2011": a figure's period
    month = _month_number(match["month"])
    day = int(match["day"])
    if match["year"]:
        return _day(int(match["year"]), month, day)
    which = _which(match)
    if which and context.published is not None:  # "el pasado 10 de octubre"
        this_year = _day(context.published.year, month, day)
        if this_year is None:
            return None
        later = this_year[0] > context.published
        if which == "last":
            return _day(context.published.year - later, month, day)
        return _day(context.published.year + (not later), month, day)
    if context.in_sentence and context.in_sentence[1] != "year":
        # "from March 3, 2022 to April 5": the year of the date before it in the sentence
        anchor = context.in_sentence[0]
        return _day(anchor.year + ((month, day) < (anchor.month, anchor.day)), month, day)
    published = context.published
    if published is None:
        return None
    weekday = _WEEKDAY_BESIDE.search(context.sentence[max(0, match.start() - 16) : match.start()])
    if weekday:  # "Friday, December 26": the year in which that day is a Friday
        target = _weekday_number(weekday["weekday"])
        fitting = [
            found[0]
            for year in (published.year, published.year + 1, published.year - 1)
            if (found := _day(year, month, day)) and found[0].weekday() == target
        ]
        if fitting:
            return fitting[0], "day"
    year = _year_for(published, month, day, _speaks_of_future(context, *match.span()))
    return _day(year, month, day)


def _month_year(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    if _since(match) and _counted_before(context, match.start()):
        return None  # "54,249 killed since October 2023": where a figure's period starts
    year = match.groupdict().get("year") or match.groupdict().get("lyear")
    if year is None:
        return None
    return date(int(year), _month_number(match["month"]), 1), "month"


def _month_only(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    return _month_of_year(match["month"], match["prep"].lower(), match, context)


def _listed(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    """A month or year after "and", "or" or a comma, in a list a preposition opened ("in May
    and August", "in 2019 and 2021"): dated as if the preposition stood before it."""
    opened = _LIST_OPENED.search(context.sentence, max(0, match.start() - 80), match.start())
    if opened is None:
        return None
    prep = opened["prep"].lower()
    if match["month"]:
        return _month_of_year(match["month"], prep, match, context)
    if prep == "since":
        return None  # as for a single year: a period, not an event
    return date(int(match["year"]), 1, 1), "year"


def _month_of_year(
    name: str, prep: str, match: re.Match[str], context: _Context
) -> tuple[date, Precision] | None:
    month = _month_number(name)
    if (prep in _SINCE or _in_since_clause(context, match.start())) and _counted_before(
        context, match.start()
    ):
        # "displaced 180,000 people since October", "Since the militia began its revolt
        # last August, more than 3,000 people have been killed": a figure's period
        return None
    if _COMPARISON.search(context.sentence, max(0, match.start() - 60), match.start()):
        return None  # "up from 21% in February": a comparison
    later = _RANGE_END.match(context.sentence, match.end(), match.end() + 80)
    if later:  # "from June to August 2024": the year comes with the last month
        return date(int(later["year"]), month, 1), "month"
    if context.in_sentence and context.in_sentence[1] != "year" and prep not in _SHIFTS:
        # "arrived in June 2022 and left in March": the first March after that June
        anchor = context.in_sentence[0]
        return date(anchor.year + (month < anchor.month), month, 1), "month"
    published = context.published
    if published is None:
        return None
    after = _YEAR_NAMED.match(context.sentence, match.end())
    if after:  # "in October last year", "since March this year"
        return date(published.year - (after["which"].lower() == "last"), month, 1), "month"
    if prep == "this":
        return date(published.year, month, 1), "month"
    if prep == "last":  # the most recent one before the publication's month
        year = published.year if month < published.month else published.year - 1
        return date(year, month, 1), "month"
    if prep == "next":
        year = published.year if month > published.month else published.year + 1
        return date(year, month, 1), "month"
    future = _speaks_of_future(context, *match.span())
    return date(_year_for(published, month, 1, future), month, 1), "month"


def _year_only(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    before = context.sentence[max(0, match.start() - 60) : match.start()]
    if match["prep"] and _COMPARISON.search(before):
        return None  # "up from 1,500 in 2023": a comparison, not an event of 2023
    if _since(match) and _counted_before(context, match.start()):
        return None  # "23 journalists detained since 2020": the figure's period
    year = int(match["year"])
    if (match["prep"] or "").lower() == "until" and (
        context.published is None or year >= context.published.year
    ):
        return None  # "until 2030", "until this year": a term, not when something changed
    return date(year, 1, 1), "year"


def _year_range_end(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    """The second year of "in 2002-2003" (the first is a year of its own)."""
    before = context.sentence[max(0, match.start() - 30) : match.start()]
    if not _RANGE_OPENED.search(before):
        return None
    return _year_range(match, context)


def _year_range(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    if _counted_before(context, match.start()):
        return None  # "killed 500 people in 2019-2021": the figure's period
    return date(int(match["year"]), 1, 1), "year"


def _since(match: re.Match[str]) -> bool:
    prep = (match.groupdict().get("prep") or "").lower()
    return prep in _SINCE


def _in_since_clause(context: _Context, start: int) -> bool:
    """Whether `start` is in a clause opening the sentence with "Since" ("Since the militia
    began its revolt last August, …")."""
    return _SINCE_CLAUSE.match(context.sentence, 0, start) is not None


def _counted_before(context: _Context, start: int) -> bool:
    """Whether a number of something is stated around `start` in the sentence: "killed at
    least 21 people … since June 17" counts since then (a figure's period); "on the throne
    since 1986" dates the start of the reign."""
    if _RANKED.search(context.sentence, max(0, start - 80), start):
        return True  # "the highest toll since 2020": a comparison over the period
    sentence = context.sentence
    for number in _COUNTED.finditer(sentence, max(0, start - 200), min(len(sentence), start + 120)):
        digits = number["n"] or ""
        if digits and re.fullmatch(r"(?:1[5-9]|20)\d{2}", digits):
            continue  # a year, not a count
        if number.start() <= start < number.end() + 1 or start <= number.start() < start + 12:
            continue  # the date itself ("since 14 June")
        return True
    return False


def _ago(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    published = context.published
    if published is None:
        return None
    if _APPROXIMATE.search(context.sentence, max(0, match.start() - 24), match.start()):
        return None  # "just over a year ago", as "hace casi cuatro meses": no date written
    n = _count(match["n"])
    unit = _unit(match["unit"])
    if unit == "day":
        return published - timedelta(days=n), "day"
    if unit == "week":
        monday = published - timedelta(days=published.weekday() + 7 * n)
        return _month_of(monday, monday + timedelta(days=6)), "month"
    if unit == "month":
        return _add_months(date(published.year, published.month, 1), -n), "month"
    return date(published.year - n, 1, 1), "year"


def _later(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    if context.anchor is None:
        return None
    if _COMPARISON.search(context.sentence, max(0, match.start() - 60), match.start()):
        return None  # "5.4% a year earlier": the time of a comparison
    anchor, precision = context.anchor
    if match["unit2"]:
        n, unit, sign = 1, match["unit2"].lower(), 1
    else:
        n, unit = _count(match["n"]), match["unit"].lower()
        sign = 1 if match["dir"].lower() == "later" else -1
    if unit in ("day", "week"):
        if precision != "day":
            return None  # "a week later" than "in June": no day can be given
        return anchor + timedelta(days=sign * n * (7 if unit == "week" else 1)), "day"
    if unit == "month":
        if precision == "year":
            return None
        return _add_months(date(anchor.year, anchor.month, 1), sign * n), "month"
    return date(anchor.year + sign * n, 1, 1), "year"


# "the day before", "la veille", "le lendemain", "el día anterior": a day from the date the
# paragraph gave last (to the day), else from the publication's. Not "the day before the
# vote" (a day from an event with no date of its own).
_NEIGHBOUR_DAY = re.compile(
    r"\b(?:(?P<before>(?i:the\s+(?:day\s+before|previous\s+day|day\s+prior)|la\s+veille"
    r"|la\s+víspera|el\s+día\s+anterior))|(?P<after>(?i:le\s+lendemain|al\s+día\s+siguiente"
    r"|el\s+día\s+siguiente)))\b"
    r"(?!\s+(?:the|a|an|his|her|its|their|de|du|des|d['’]|del|la|el)\b)"
)


def _neighbour_day(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    shift = -1 if match["before"] else 1
    if context.anchor is not None and context.anchor[1] == "day":
        return context.anchor[0] + timedelta(days=shift), "day"
    if context.published is None:
        return None
    return context.published + timedelta(days=shift), "day"


def _relative(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    published = context.published
    if published is None:
        return None
    which = _which(match)
    unit = _unit(match["unit"])
    if not which:
        return None  # "la semana", "le mois": no telling which
    if context.sentence[match.end() :].strip() == ":" and len(context.sentence.split()) <= 5:
        return None  # "Trending this week:", "Most read this month:": a page's label
    if which in ("at the", "over the") and unit != "weekend":
        return None  # "over the year": a stretch of time, not a date
    if which == "this" and _RANKED.search(
        context.sentence, max(0, match.start() - 80), match.start()
    ):
        return None  # "the third death this year", "so far this year": a period, not a date
    shift = -1 if "last" in which else 1 if which in ("next", "this coming") else 0
    if unit == "year":
        return date(published.year + shift, 1, 1), "year"
    if unit == "month":
        return _add_months(date(published.year, published.month, 1), shift), "month"
    monday = published - timedelta(days=published.weekday())
    if unit == "weekend":
        if which in ("next", "this coming"):
            saturday = monday + timedelta(days=5 if published.weekday() < 5 else 12)
        elif which in ("this", "at the", "over the") and published.weekday() >= 5:
            saturday = monday + timedelta(days=5)
        else:  # "last weekend", "over the weekend" in a weekday's article: the one just gone
            saturday = monday - timedelta(days=2)
        return _month_of(saturday, saturday + timedelta(days=1)), "month"
    monday += timedelta(days=7 * shift)
    if which == "earlier this":
        return _month_of(monday, max(monday, published - timedelta(days=1))), "month"
    if which == "later this":
        return _month_of(published, monday + timedelta(days=6)), "month"
    return _month_of(monday, monday + timedelta(days=6)), "month"


def _day_word(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    published = context.published
    if published is None:
        return None
    word = " ".join(match["word"].lower().split())
    if word in _NOW_WORDS:
        if match.start() == 0 and not match["word"].islower():
            if re.match(r"\s*,", context.sentence[match.end() :]):
                return None  # "Today, 164 states are party…": nowadays, not a day
        if _NOWADAYS_FOR[context.language].search(
            context.sentence, max(0, match.start() - 50), match.start()
        ):
            return None  # "still in effect today": nowadays
        if _NOWADAYS_AFTER[context.language].match(context.sentence, match.end()):
            return None  # "hoy en día", "aujourd'hui encore"
        if context.language == "en" and _TODAY_STATE.match(context.sentence, match.end()):
            return None  # "the prison today holds 2,600", "Status today:": a state, not a day
    shift = _DAY_SHIFTS.get(word, 0)
    return published + timedelta(days=shift), "day"


def _weekday(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    published = context.published
    if published is None:
        return None
    which = _which(match)
    target = _weekday_number(match["weekday"])
    back = (published.weekday() - target) % 7  # days back to the most recent such day
    if which in ("last", "this past"):
        return published - timedelta(days=back or 7), "day"
    if which in ("next", "this coming"):
        return published + timedelta(days=(target - published.weekday()) % 7 or 7), "day"
    if which == "for" or _speaks_of_future(context, match.start(), match.end()):
        return published + timedelta(days=(target - published.weekday()) % 7), "day"
    return published - timedelta(days=back), "day"


# -- Spanish and French: the same resolvers, their own words

_SINCE = frozenset({"since", "desde", "depuis", "dès", "a partir de", "à partir du"})
_WHICH = {
    "pasado": "last", "pasada": "last", "el pasado": "last", "último": "last", "última": "last",
    "próximo": "next", "próxima": "next", "proximo": "next", "proxima": "next",
    "el próximo": "next", "el proximo": "next", "que viene": "next",
    "este": "this", "esta": "this",
    "dernier": "last", "dernière": "last", "derniere": "last", "passé": "last",
    "passée": "last", "passe": "last", "passee": "last",
    "prochain": "next", "prochaine": "next", "ce": "this", "cette": "this", "cet": "this",
}  # fmt: skip
_UNITS = {
    "día": "day", "días": "day", "dia": "day", "dias": "day", "semana": "week",
    "semanas": "week", "mes": "month", "meses": "month", "año": "year", "años": "year",
    "ano": "year", "anos": "year", "fin de semana": "weekend",
    "jour": "day", "jours": "day", "semaine": "week", "semaines": "week", "mois": "month",
    "an": "year", "ans": "year", "année": "year", "années": "year", "annee": "year",
    "week-end": "weekend", "weekend": "weekend",
}  # fmt: skip
_SMALL_NUMBERS |= {
    "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
    "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
}  # fmt: skip
_FR_SHORT = ("mars", "mai", "juin", "août")
_NOW_WORDS = frozenset({"today", "tonight", "hoy", "aujourd'hui", "aujourd’hui"})
_DAY_SHIFTS = {
    "yesterday": -1, "tomorrow": 1, "ayer": -1, "anoche": -1, "anteayer": -2, "mañana": 1,
    "manana": 1, "pasado mañana": 2, "hier": -1, "avant-hier": -2, "demain": 1,
    "après-demain": 2,
}  # fmt: skip
_ES_MONTH = rf"(?P<month>{alternation([m for m in MONTHS['es'] if len(m) > 3])})"
_FR_MONTH = rf"(?P<month>{alternation([m for m in MONTHS['fr'] if len(m) > 4 or m in _FR_SHORT])})"
_ES_WEEKDAY = rf"(?P<weekday>{alternation(WEEKDAYS['es'])})"
_FR_WEEKDAY = rf"(?P<weekday>{alternation(WEEKDAYS['fr'])})"
_ES_DAY = r"(?P<day>[0-3]?\d)(?:º|°)?"
_FR_DAY = r"(?P<day>[0-3]?\d)(?:er|e)?"
# Spanish and French write a number of something as in English; "1.153 heridos", "1 400 morts".
_COUNTED = re.compile(
    r"(?<![\w.,])(?P<n>\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+)(?:[.,]\d+)?"
    r"(?=\s*(?:%|per\s*cent|por\s+ciento|pour\s+cent)|\s+(?!(?:years?|months?|weeks?|days?|hours?"
    r"|minutes?|a\.?m|p\.?m|años|meses|semanas|días|horas|ans|mois|semaines|jours|heures|de|del"
    r"|of|et|y|and)\b)[^\W\d_])"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|hundreds"
    r"|thousands|millions|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|cientos|miles|deux"
    r"|trois|quatre|cinq|six|sept|huit|neuf|dix|centaines|milliers)\s+(?!years?\b|años\b|ans\b)"
    r"[^\W\d_]",
    re.IGNORECASE,
)

_ES_DAY_MONTH = re.compile(
    r"(?i:\b(?:(?P<prep>desde|hasta|a\s+partir\s+de)\s+)?(?:(?:el|del|al)\s+)?"
    r"(?:(?P<which>pasado|próximo|proximo)\s+)?"
    rf"(?:{alternation(WEEKDAYS['es'])}\s+)?)\b{_ES_DAY}\s+(?i:de)\s+(?i:{_ES_MONTH})"
    rf"(?:\s+(?i:de|del)\s+{_YEAR})?\b"
)
# "entre el 10 y el 30 de julio", "del 10 al 30 de julio": the first day, of the month after.
_ES_FIRST_DAY = re.compile(
    rf"(?i:\b(?:entre\s+el|del|desde\s+el)\s+){_ES_DAY}(?=\s+(?i:y|al|hasta\s+el)\s+(?:el\s+)?"
    rf"[0-3]?\d\s+(?i:de)\s+(?i:{_ES_MONTH})(?:\s+(?i:de|del)\s+{_YEAR})?\b)"
)
_ES_MONTH_YEAR = re.compile(
    r"(?i:\b(?:(?P<prep>en|durante|desde|hasta|de|a\s+(?:finales|principios|mediados|fines|"
    r"comienzos)\s+de|(?:finales|principios|mediados|fines|comienzos)\s+de)\s+)?)"
    rf"\b(?i:{_ES_MONTH})\s+(?i:de|del)\s+{_YEAR}\b"
)
_ES_MONTH_ONLY = re.compile(
    r"(?i:\b(?P<prep>en|durante|desde|hasta|el\s+pasado|el\s+próximo|pasado|próximo|este"
    r"|a\s+(?:finales|principios|mediados|fines|comienzos)\s+de)\s+(?:mes\s+de\s+)?)"
    rf"\b(?i:{_ES_MONTH})\b(?!\s+(?:de\s+)?\d)"
)
_ES_YEAR = re.compile(
    r"(?i:\b(?:(?P<prep>en|durante|desde)\s+(?:el\s+(?:año\s+)?)?|(?:a\s+)?(?:finales|principios"
    r"|mediados|fines|comienzos)\s+de(?:l\s+año)?\s+))"
    rf"{_OLD_YEAR}\b(?!\s*[-–/]\s*\d|\s+(?:y|a|al|hasta)\s+\d)"
)
_ES_WEEKDAY_RE = re.compile(
    r"(?<!\blos )(?<!\bcada )(?<!\bLos )"
    r"(?:\b(?P<which>(?i:este|el\s+pasado|el\s+próximo|el\s+proximo|pasado|próximo|proximo))\s+)?"
    rf"\b(?i:{_ES_WEEKDAY})(?:\s+(?P<which2>(?i:pasado|próximo|proximo|que\s+viene)))?\b"
    r"(?!\s+\d|\s+de\s+\w+\s+de)"
)
_ES_DAY_WORD = re.compile(
    r"\b(?P<word>(?i:hoy|ayer|anteayer|anoche|pasado\s+mañana|(?<!\bla )(?<!\bpor la )"
    r"(?<!\bde la )(?<!\buna )(?<!\bcada )(?<!\besta )mañana))\b"
    r"|\b(?i:esta\s+(?:mañana|tarde|noche))\b"
)
_ES_RELATIVE = re.compile(
    r"\b(?:(?P<which>(?i:este|esta|próxim[oa]|proxim[oa]|el\s+próximo|la\s+próxima|pasad[oa]))"
    r"\s+)?(?:(?i:el|la)\s+)?(?P<unit>(?i:fin\s+de\s+semana|semana|mes|año))"
    r"(?:\s+(?P<which2>(?i:pasad[oa]|que\s+viene|próxim[oa])))?\b"
    rf"(?!\s+(?i:de\s+{_ES_MONTH.replace('?P<month>', '?:')}))"
)
_ES_AGO = re.compile(
    r"\b(?i:hace)\s+(?P<n>\d+|(?i:un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez"
    r"|once|doce))\s+(?P<unit>(?i:días?|semanas?|mes(?:es)?|años?))\b"
)

_FR_DAY_MONTH = re.compile(
    r"(?i:\b(?:(?P<prep>depuis|dès|jusqu['’]au|à\s+partir\s+du)\s+)?(?:(?:le|du|au)\s+)?"
    rf"(?:{alternation(WEEKDAYS['fr'])}\s+)?)\b{_FR_DAY}\s+(?i:{_FR_MONTH})(?:\s+{_YEAR})?\b"
)
_FR_FIRST_DAY = re.compile(
    rf"(?i:\b(?:entre\s+le|du|depuis\s+le)\s+){_FR_DAY}(?=\s+(?i:et|au|à)\s+(?:le\s+)?"
    rf"[0-3]?\d(?:er)?\s+(?i:{_FR_MONTH})(?:\s+{_YEAR})?\b)"
)
_FR_MONTH_LIST = (
    r"(?:\s*,\s*|\s+(?:et|à|au|ou)\s+(?:la\s+)?(?:mi-)?)"
    rf"(?:{alternation([m for m in MONTHS['fr'] if len(m) > 4 or m in _FR_SHORT])})"
)
_FR_MONTH_YEAR = re.compile(
    r"(?i:\b(?:(?P<prep>en|depuis|dès|de|jusqu['’]en|fin|début|courant|à\s+la\s+fin|au\s+début"
    r"|à\s+la\s+mi-|de\s+la\s+mi-|mi-)\s*)?)"
    rf"\b(?i:{_FR_MONTH})(?:\s+{_YEAR}|(?=(?i:{_FR_MONTH_LIST})+\s+(?P<lyear>(?:19|20)\d{{2}})))\b"
)
_FR_MONTH_ONLY = re.compile(
    r"(?i:\b(?P<prep>en|depuis|dès|jusqu['’]en|fin|début|courant|mi-|au\s+mois\s+de|le\s+mois\s+de"
    r")\s*)"
    rf"\b(?i:{_FR_MONTH})\b(?!\s+\d)"
)
_FR_YEAR = re.compile(
    r"(?i:\b(?:(?P<prep>en|depuis|dès|durant|pendant)\s+|(?:fin|début|mi-|courant)\s*))"
    rf"{_OLD_YEAR}\b(?!\s*[-–/]\s*\d|\s+(?:et|à|au)\s+\d)"
)
_FR_WEEKDAY_RE = re.compile(
    r"(?<!\bchaque )(?<!\bChaque )(?<!\btous les )(?<!\bles )(?<!\bLes )"
    rf"\b(?i:{_FR_WEEKDAY})(?:\s+(?P<which>(?i:dernier|prochain|passé)))?\b(?!\s+\d)"
)
_FR_DAY_WORD = re.compile(
    r"\b(?P<word>(?i:aujourd['’]hui|avant-hier|après-demain|hier|demain))\b"
    r"|\b(?i:ce\s+(?:matin|soir)|cet\s+après-midi)\b"
)
_FR_RELATIVE = re.compile(
    r"\b(?:(?P<which>(?i:cette|ce|cet))\s+)?(?:(?i:la|le|l['’])\s*)?"
    r"(?P<unit>(?i:semaine|mois|année|an|week-end))(?:-ci)?"
    r"(?:\s+(?P<which2>(?i:dernière|dernier|passée|passé|prochaine|prochain)))?\b"
)
_FR_AGO = re.compile(
    r"\b(?i:il\s+y\s+a)\s+(?P<n>\d+|(?i:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix"
    r"|onze|douze))\s+(?P<unit>(?i:jours?|semaines?|mois|ans|années?))\b"
)


def _es_fr_day_word(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    if match["word"] is None:  # "esta mañana", "ce soir": the day of publication
        published = context.published
        return (published, "day") if published else None
    return _day_word(match, context)


def _es_fr_month_only(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    prep = " ".join(match["prep"].lower().split())
    which = {"el pasado": "last", "pasado": "last", "el próximo": "next", "próximo": "next",
             "este": "this"}.get(prep, "in")  # fmt: skip
    if prep in _SINCE:
        which = "since"
    return _month_of_year(match["month"], which, match, context)


def _es_fr_relative(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    return _relative(match, context)


_ES_FUTURE = re.compile(
    r"\b(?:ser[áa]n?|\w+(?:ar|er|ir)(?:á|án|emos)|va(?:n)?\s+a|prev[ée]n?|previst[oa]s?"
    r"|programad[oa]s?|está\s+previsto|tendr[áa]n?|habr[áa])\b",
    re.IGNORECASE,
)
_FR_FUTURE = re.compile(
    r"\b(?:sera|seront|aura|auront|va|vont|doit|doivent|devrait|devraient|prévue?s?"
    r"|\w+(?:era|eront|ira|iront))\b",
    re.IGNORECASE,
)
_ES_REPORTED = r"(?:dijo|anunció|informó|declaró|afirmó|indicó|señaló|aseguró|explicó|comunicó)"
_FR_REPORTED = r"(?:a\s+)?(?:dit|annoncé|déclaré|affirmé|indiqué|précisé|expliqué|assuré)"
_TENSE = {
    "en": (_REPORTED_BEFORE, _REPORTED_AFTER, _FUTURE),
    "es": (
        re.compile(rf"\b{_ES_REPORTED}\s*$", re.IGNORECASE),
        re.compile(rf"^[\s,]*{_ES_REPORTED}\b", re.IGNORECASE),
        _ES_FUTURE,
    ),
    "fr": (
        re.compile(rf"\b{_FR_REPORTED}\s*$", re.IGNORECASE),
        re.compile(rf"^[\s,]*{_FR_REPORTED}\b", re.IGNORECASE),
        _FR_FUTURE,
    ),
}
_NOWADAYS_FOR = {
    "en": _NOWADAYS,
    "es": re.compile(r"\b(?:aún|todavía|hasta|incluso|sigue|siguen)\b[^.;,]{0,40}$", re.I),
    "fr": re.compile(r"\b(?:encore|toujours|jusqu['’]à|reste|restent|d['’])\s*$", re.I),
}
_NOWADAYS_AFTER = {
    "en": re.compile(r"(?!)"),
    "es": re.compile(r"\s+en\s+día\b", re.I),
    "fr": re.compile(r"\s+encore\b", re.I),
}


@dataclass(frozen=True)
class _PatternSet:
    """A language's patterns, most specific first, each with the words one of which a
    sentence must hold (lowercased) for it to be tried; `any_trigger` finds any of them."""

    patterns: tuple[tuple[re.Pattern[str], _Resolver, tuple[str, ...]], ...]
    any_trigger: re.Pattern[str]

    @classmethod
    def of(cls, *patterns: tuple[re.Pattern[str], _Resolver, tuple[str, ...]]) -> _PatternSet:
        triggers = sorted({t for _p, _r, ts in patterns for t in ts})
        return cls(patterns, re.compile("|".join(re.escape(t) for t in triggers)))


# Most specific first: a full date is taken before the month-and-year or the year inside it.
# Each pattern has words one of which a sentence must hold (lowercased) for it to be tried:
# most sentences hold no date, and a substring test is far cheaper than a regex scan.
_MONTH_WORDS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NUMERIC = ((_ISO, _iso, ("-",)), (_SLASHED, _slashed, ("/",)))
_ES_MONTH_WORDS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                   "iembre", "octubre")  # fmt: skip
_FR_MONTH_WORDS = ("janv", "févr", "fevr", "mars", "avril", "mai", "juin", "juil", "août",
                   "aout", "sept", "octo", "nove", "déce", "dece")  # fmt: skip
_LANGUAGE_PATTERNS: dict[str, _PatternSet] = {
    "en": _PatternSet.of(
        *_NUMERIC,
        (_DAY_MONTH, _day_month, _MONTH_WORDS),
        (_MONTH_DAY, _day_month, _MONTH_WORDS),
        (_MONTH_YEAR, _month_year, _MONTH_WORDS),
        (_AGO, _ago, (" ago",)),
        (_LATER, _later, ("later", "earlier", "following", "next")),
        (_NEIGHBOUR_DAY, _neighbour_day, ("day before", "previous day", "day prior")),
        (_RELATIVE, _relative, ("week", "month", "year")),
        (_WEEKDAY, _weekday, ("day",)),
        (_DAY_WORD, _day_word, ("day", "tonight", "tomorrow", "this")),
        (_MONTH_ONLY, _month_only, _MONTH_WORDS),
        (_YEAR_RANGE, _year_range, ("-", "–")),
        (_YEAR_RANGE_END, _year_range_end, ("-", "–")),
        (_YEAR_ONLY, _year_only, ("15", "16", "17", "18", "19", "20")),
        (_LISTED, _listed, ("and ", "or ", ", ")),
    ),
    "es": _PatternSet.of(
        *_NUMERIC,
        (_ES_FIRST_DAY, _day_month, _ES_MONTH_WORDS),
        (_ES_DAY_MONTH, _day_month, _ES_MONTH_WORDS),
        (_ES_MONTH_YEAR, _month_year, _ES_MONTH_WORDS),
        (_ES_AGO, _ago, ("hace ",)),
        (_NEIGHBOUR_DAY, _neighbour_day, ("víspera", "día anterior", "día siguiente")),
        (_ES_RELATIVE, _es_fr_relative, ("semana", "mes", "año")),
        (
            _ES_WEEKDAY_RE,
            _weekday,
            ("lunes", "martes", "rcoles", "jueves", "viernes", "bado", "domingo"),
        ),
        (_ES_DAY_WORD, _es_fr_day_word, ("hoy", "ayer", "anoche", "mañana", "tarde", "noche")),
        (_ES_MONTH_ONLY, _es_fr_month_only, _ES_MONTH_WORDS),
        (_ES_YEAR, _year_only, ("19", "20")),
    ),
    "fr": _PatternSet.of(
        *_NUMERIC,
        (_FR_FIRST_DAY, _day_month, _FR_MONTH_WORDS),
        (_FR_DAY_MONTH, _day_month, _FR_MONTH_WORDS),
        (_FR_MONTH_YEAR, _month_year, _FR_MONTH_WORDS),
        (_FR_AGO, _ago, ("il y a ",)),
        (_NEIGHBOUR_DAY, _neighbour_day, ("veille", "lendemain")),
        (_FR_RELATIVE, _es_fr_relative, ("semaine", "mois", "an", "week-end")),
        (
            _FR_WEEKDAY_RE,
            _weekday,
            ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        ),
        (_FR_DAY_WORD, _es_fr_day_word, ("hui", "hier", "demain", "ce ", "cet ")),
        (_FR_MONTH_ONLY, _es_fr_month_only, _FR_MONTH_WORDS),
        (_FR_YEAR, _year_only, ("19", "20")),
    ),
}


# -- helpers


def _day(year: int, month: int, day: int) -> tuple[date, Precision] | None:
    try:
        return date(year, month, day), "day"
    except ValueError:  # "February 30": not a date, so not an event
        return None


def _month_number(word: str) -> int:
    number = month_number(word)
    assert number is not None, word  # the patterns match month names only
    return number


def _weekday_number(word: str) -> int:
    number = weekday_number(word)
    assert number is not None, word
    return number


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _SMALL_NUMBERS[word.lower()]


def _which(match: re.Match[str]) -> str:
    """Which one of a unit or weekday the words around it mean, in English terms ("last",
    "next", "this", "this past"…): "el pasado martes", "la semana pasada", "le mois dernier"
    → "last"."""
    groups = match.groupdict()
    words = [" ".join((groups.get(name) or "").lower().split()) for name in ("which", "which2")]
    for word in words:
        if word in _WHICH:
            return _WHICH[word]
    return words[0]


def _unit(word: str) -> str:
    word = " ".join(word.lower().split())
    return _UNITS.get(word, word)


def _year_for(published: date, month: int, day: int, future: bool) -> int:
    """The year of a date given without one. News style leaves the year out for dates of the
    publication's own year, so that year, except: a date of the future ("will meet on
    January 5") already past in that year is next year's; and a date more than a month
    after publication that is not said to be in the future is last year's ("on December
    28" in an article of January 5)."""
    day = min(day, calendar.monthrange(published.year, month)[1])
    candidate = date(published.year, month, day)
    if future:
        return published.year if candidate >= published else published.year + 1
    if candidate > published + timedelta(days=31):
        return published.year - 1
    return published.year


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_of(first: date, last: date) -> date:
    """The first day of the month holding most of the days first..last (the earlier one on
    a tie): a week or weekend is dated to the month it mostly belongs to."""
    if first.month == last.month and first.year == last.year:
        return date(first.year, first.month, 1)
    days_in_first = calendar.monthrange(first.year, first.month)[1] - first.day + 1
    if days_in_first >= last.day:
        return date(first.year, first.month, 1)
    return date(last.year, last.month, 1)


def _speaks_of_future(context: _Context, start: int, end: int) -> bool:
    """Whether the clause of a date speaks of the future, and no reporting verb sits beside
    the date itself ("said on Friday that it will…" dates the saying)."""
    sentence = context.sentence
    reported_before, reported_after, future = _TENSE[context.language]
    if reported_before.search(sentence[max(0, start - 20) : start]):
        return False
    if reported_after.search(sentence[end : end + 20]):
        return False
    if context.future_marks is None:
        context.future_marks = [m.span() for m in future.finditer(sentence)]
    low, high = _future_scope(sentence, start, end)
    marks = context.future_marks
    first = bisect.bisect_left(marks, (low, -1))
    return first < len(marks) and marks[first][1] <= high


def _future_scope(sentence: str, start: int, end: int) -> tuple[int, int]:
    """Where a future marker counts for a date: its comma-delimited part of the sentence, or
    that and the next when the part is little more than the date ("On Friday, the court
    will rule"); "On 9 June, a judge granted a hearing, set for 29 June" dates 9 June in
    the past and 29 June in the future."""
    low, high = _window(sentence, start, end)
    before = list(_SEGMENT_BREAK.finditer(sentence, low, start))
    scope_start = before[-1].end() if before else low
    after = _SEGMENT_BREAK.search(sentence, end, high)
    scope_end = after.start() if after else high
    rest = sentence[scope_start:start] + sentence[end:scope_end]
    if after and len(_WORD.findall(rest)) < 3:
        following = _SEGMENT_BREAK.search(sentence, after.end(), high)
        scope_end = following.start() if following else high
    return scope_start, scope_end


def _window(sentence: str, start: int, end: int) -> tuple[int, int]:
    """Where the clause of a date is looked for: the sentence, but at most CLAUSE_WINDOW
    characters either side (cut at a space), so that a run of text without a full stop
    costs no more than a sentence."""
    low, high = max(0, start - CLAUSE_WINDOW), min(len(sentence), end + CLAUSE_WINDOW)
    if low > 0:
        space = sentence.find(" ", low, start)
        low = space + 1 if space != -1 else low
    if high < len(sentence):
        space = sentence.rfind(" ", end, high)
        high = space if space != -1 else high
    return low, high


def _summary(sentence: str, start: int, end: int) -> str:
    """The clause that says what happened on the date: the sentence cut at its clause
    breaks; a clause that is little more than the date itself ("It began on Monday;")
    takes the next one."""
    low, high = _window(sentence, start, end)
    breaks = [
        (low + b.start(), low + b.end())
        for b in _CLAUSE_BREAK.finditer(sentence[low:high])
        if not (start < low + b.end() and low + b.start() < end)
    ]
    bounds: list[tuple[int, int]] = []
    position = low
    for brk_start, brk_end in breaks:
        bounds.append((position, brk_start))
        position = brk_end
    bounds.append((position, high))
    index = next(i for i, (s, e) in enumerate(bounds) if s <= start < max(e, s + 1))
    clause_start, clause_end = bounds[index]
    rest = sentence[clause_start:start] + sentence[end:clause_end]
    if len(_WORD.findall(rest)) < 3:
        if index + 1 < len(bounds):
            clause_end = bounds[index + 1][1]
        elif index > 0:
            clause_start = bounds[index - 1][0]
    text = " ".join(sentence[clause_start:clause_end].split())
    text = re.sub(r"^(?:and|but|while|whereas|which|although|though)\s+", "", text, flags=re.I)
    text = text.strip(" ,;:—–-").rstrip(".")
    if len(text) > SUMMARY_LIMIT:
        cut = text[: SUMMARY_LIMIT - 1].rsplit(" ", 1)[0]
        text = cut.rstrip(" ,;:") + "…"
    return text
