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
- A bare year dates an event only after "in", "during", "throughout", "early", "late",
  "mid-" or "(the end|start|…) of": "in 2024" counts (the sentence reports what happened in
  it: the casualty sentences of a report are events of that year), "the 2024 report" does
  not, nor a year or month in a comparison ("up from 1,500 in 2023", "than in 2023"), a
  range ("between 2019 and 2021", "2019-2021") or after "since", "by" or "until": a
  period's start or a deadline, which figures carry as their period. "since" + a day or a
  weekday is an event (the day something began).
- Weekdays ("on Friday", "Friday", "last Friday"): the most recent such day on or before the
  publication date (news usage: "on Tuesday" in a Tuesday's article is that day); the next
  one after "for" or when its part of the sentence speaks of the future and no reporting
  verb ("said Friday") sits beside it; "last Friday" is strictly before, "next Friday"
  strictly after. "Good Friday", "Sunday Times", "every Monday" are no dates.
- "yesterday", "tomorrow", "today" (not a sentence-opening "Today," which means nowadays)
  → day. "last month", "earlier this month", "next month" → month; "last year", "this
  year", "early this year" → year, but not "this year" after an ordinal or a superlative
  ("the third death this year": a count's period); "N days/months/years ago" →
  day/month/year.
- A week is too vague for a day: "last week", "earlier this week", "over the weekend",
  "two weeks ago" give the month holding most of the days they can mean, precision month.
- "two years later", "a week later", "the next day" count from the last date given before
  them in the same paragraph, at the precision of their unit.
- A dateline ("GENEVA, March 4 (Reuters) -") dates the report, not an event.
- Without a publication date only absolute dates (and those counted from them) are given.

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
from casework.ingest.extract.budget import check_budget
from casework.ingest.extract.items import Event, Precision
from casework.ingest.extract.sentences import sentences

SUMMARY_LIMIT = 200
CLAUSE_WINDOW = 400  # characters either side of a date in which its clause is looked for

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
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
    rf"(?:\b(?P<prep>(?i:on|since|from|until|by))\s+)?\b{_MONTH}\s+{_DAY}{_DAY_RANGE}(?![\d:])"
    rf"(?:,?\s+{_YEAR})?(?![\w])"
)
_MONTH_YEAR = re.compile(
    rf"\b(?P<prep>(?i:in|since|during|throughout|from|as of|(?:the\s+)?(?:end|start|beginning"
    rf"|middle|first half|second half) of))\s+(?:{_QUALIFY})?{_MONTH}(?:\s+of)?,?\s+{_YEAR}"
)
_MONTH_ONLY = re.compile(
    rf"\b(?P<prep>(?i:in|since|during|throughout|from|last|this|next|(?:the\s+)?(?:end|start"
    rf"|beginning|middle) of))\s+(?:{_QUALIFY})?{_FULL_MONTH}\b"
    r"(?![\s,]+(?:[0-3]?\d|(?:19|20)\d\d)\b)"
)
_SHIFTS = ("this", "last", "next")  # "last June": not moved to the sentence's own year
_RANGE_END = re.compile(  # "to August 2024", ", June and October 2023": the year of the list
    r"(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:to|and|or|through|until)\s+|\s*[-–]\s*)"
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    rf"|December))+,?\s+{_YEAR}"
)  # "to August 2024"
_YEAR_ONLY = re.compile(
    rf"\b(?:(?P<prep>(?i:in|during|throughout))\s+(?:{_QUALIFY})?|{_QUALIFY}|(?i:(?:the\s+)?"
    rf"(?:end|start|beginning|middle|first half|second half|first quarter|summer|spring|autumn"
    rf"|fall|winter)\s+of)\s+){_YEAR}(?!['’]s|\s*[-–/]\s*\d|\s+(?:to|through|until)\s+\d|\w)"
)
# A month or year after "and", "or" or a comma; _LIST_OPENED, before it, the preposition
# that opened the list.
_LISTED = re.compile(
    rf"(?:(?<=\band )|(?<=\bor )|(?<=, ))(?:{_FULL_MONTH}\b|{_YEAR}(?!['’]s|\s*[-–/]\s*\d|\w))"
)
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
_LATER = re.compile(
    rf"\b(?:(?P<n>{_NUMBER_WORD})\s+{_TIME_UNIT}\s+(?P<dir>later|earlier)"
    r"|the\s+(?:following|next)\s+(?P<unit2>day|week|month|year))\b",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b(?P<which>last|this|next|earlier this|later this|early this|late this|early last"
    r"|late last|earlier last|this past|this coming|(?:at|over) the)\s+"
    r"(?P<unit>week|weekend|month|year)\b(?!['’]s)",
    re.IGNORECASE,
)
_DAY_WORD = re.compile(r"\b(?P<word>yesterday|today|tonight|tomorrow)\b", re.IGNORECASE)
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


_Resolver = Callable[[re.Match[str], _Context], tuple[date, Precision] | None]


def extract_events(article: Article) -> list[Event]:
    """Every dated event of the article's text, in reading order."""
    events: list[Event] = []
    seen: set[tuple[date, Precision, int]] = set()
    paragraph_starts = [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(article.text)]
    paragraph = -1
    anchor: tuple[date, Precision] | None = None
    for span in sentences(article.text):
        check_budget()
        in_paragraph = _paragraph_of(paragraph_starts, span.start)
        if in_paragraph != paragraph:  # "two years later" never reaches across paragraphs
            paragraph, anchor = in_paragraph, None
        sentence = article.text[span.start : span.end]
        context = _Context(sentence, article.published, anchor)
        for found in _find(context):
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


def _find(context: _Context) -> list[_Found]:
    """The sentence's date expressions, most specific first where two overlap, then in
    reading order; later ones are counted from the dates found before them."""
    taken: list[tuple[int, int]] = []  # sorted, never overlapping
    candidates: list[tuple[int, int, re.Match[str], _Resolver]] = []
    lowered = context.sentence.lower()
    if not _ANY_TRIGGER.search(lowered):
        return []
    datelines = _dateline_commas(context.sentence)
    for pattern, resolve, triggers in _PATTERNS:
        if not any(trigger in lowered for trigger in triggers):
            continue
        # A pattern's matches come in order and never overlap one another: each is checked
        # against the matches of the patterns before (one pass over them, not an insertion
        # into a sorted list per match), then all are merged in.
        accepted: list[tuple[int, int]] = []
        before = 0
        for match in pattern.finditer(context.sentence):
            start, end = match.span()
            if any(comma < start <= spaces for comma, spaces in datelines):
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
    month = _MONTHS[match["month"].rstrip(".").lower()]
    day = int(match["day"])
    if match["year"]:
        return _day(int(match["year"]), month, day)
    if context.in_sentence and context.in_sentence[1] != "year":
        # "from March 3, 2022 to April 5": the year of the date before it in the sentence
        anchor = context.in_sentence[0]
        return _day(anchor.year + ((month, day) < (anchor.month, anchor.day)), month, day)
    published = context.published
    if published is None:
        return None
    weekday = _WEEKDAY_BESIDE.search(context.sentence[max(0, match.start() - 16) : match.start()])
    if weekday:  # "Friday, December 26": the year in which that day is a Friday
        target = _WEEKDAYS.index(weekday["weekday"].lower())
        fitting = [
            found[0]
            for year in (published.year, published.year + 1, published.year - 1)
            if (found := _day(year, month, day)) and found[0].weekday() == target
        ]
        if fitting:
            return fitting[0], "day"
    year = _year_for(published, month, day, _speaks_of_future(context.sentence, *match.span()))
    return _day(year, month, day)


def _month_year(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    if match["prep"].lower() == "since":
        return None  # "since March 2023": where a period starts, as for a year
    return date(int(match["year"]), _MONTHS[match["month"].rstrip(".").lower()], 1), "month"


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
    month = _MONTHS[name.lower()]
    if prep == "since":
        return None  # "since October": where a period starts, as for a year
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
    if prep == "this":
        return date(published.year, month, 1), "month"
    if prep == "last":  # the most recent one before the publication's month
        year = published.year if month < published.month else published.year - 1
        return date(year, month, 1), "month"
    if prep == "next":
        year = published.year if month > published.month else published.year + 1
        return date(year, month, 1), "month"
    future = _speaks_of_future(context.sentence, *match.span())
    return date(_year_for(published, month, 1, future), month, 1), "month"


def _year_only(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    before = context.sentence[max(0, match.start() - 60) : match.start()]
    if match["prep"] and _COMPARISON.search(before):
        return None  # "up from 1,500 in 2023": a comparison, not an event of 2023
    return date(int(match["year"]), 1, 1), "year"


def _ago(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    published = context.published
    if published is None:
        return None
    n = _count(match["n"])
    unit = match["unit"].lower()
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


def _relative(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    published = context.published
    if published is None:
        return None
    which = " ".join(match["which"].lower().split())
    unit = match["unit"].lower()
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
    word = match["word"].lower()
    if word in ("today", "tonight") and match.start() == 0 and not match["word"].islower():
        if re.match(r"\s*,", context.sentence[match.end() :]):
            return None  # "Today, 164 states are party…": nowadays, not a day
    shift = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
    return published + timedelta(days=shift), "day"


def _weekday(match: re.Match[str], context: _Context) -> tuple[date, Precision] | None:
    published = context.published
    if published is None:
        return None
    which = (match["which"] or "").lower()
    target = _WEEKDAYS.index(match["weekday"].lower())
    back = (published.weekday() - target) % 7  # days back to the most recent such day
    if which in ("last", "this past"):
        return published - timedelta(days=back or 7), "day"
    if which in ("next", "this coming"):
        return published + timedelta(days=(target - published.weekday()) % 7 or 7), "day"
    if which == "for" or _speaks_of_future(context.sentence, match.start(), match.end()):
        return published + timedelta(days=(target - published.weekday()) % 7), "day"
    return published - timedelta(days=back), "day"


# Most specific first: a full date is taken before the month-and-year or the year inside it.
# Each pattern has words one of which a sentence must hold (lowercased) for it to be tried:
# most sentences hold no date, and a substring test is far cheaper than a regex scan.
_MONTH_WORDS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_PATTERNS: tuple[tuple[re.Pattern[str], _Resolver, tuple[str, ...]], ...] = (
    (_ISO, _iso, ("-",)),
    (_SLASHED, _slashed, ("/",)),
    (_DAY_MONTH, _day_month, _MONTH_WORDS),
    (_MONTH_DAY, _day_month, _MONTH_WORDS),
    (_MONTH_YEAR, _month_year, _MONTH_WORDS),
    (_AGO, _ago, (" ago",)),
    (_LATER, _later, ("later", "earlier", "following", "next")),
    (_RELATIVE, _relative, ("week", "month", "year")),
    (_WEEKDAY, _weekday, ("day",)),
    (_DAY_WORD, _day_word, ("day", "tonight", "tomorrow")),
    (_MONTH_ONLY, _month_only, _MONTH_WORDS),
    (_YEAR_ONLY, _year_only, ("19", "20")),
    (_LISTED, _listed, ("and ", "or ", ", ")),
)
# Any pattern's trigger: a sentence without one holds no date (one search, not thirteen).
_ANY_TRIGGER = re.compile(
    "|".join(re.escape(t) for t in sorted({t for _p, _r, ts in _PATTERNS for t in ts}))
)


# -- helpers


def _day(year: int, month: int, day: int) -> tuple[date, Precision] | None:
    try:
        return date(year, month, day), "day"
    except ValueError:  # "February 30": not a date, so not an event
        return None


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _SMALL_NUMBERS[word.lower()]


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


def _speaks_of_future(sentence: str, start: int, end: int) -> bool:
    """Whether the clause of a date speaks of the future, and no reporting verb sits beside
    the date itself ("said on Friday that it will…" dates the saying)."""
    if _REPORTED_BEFORE.search(sentence[max(0, start - 20) : start]):
        return False
    if _REPORTED_AFTER.search(sentence[end : end + 20]):
        return False
    return _FUTURE.search(sentence, *_future_scope(sentence, start, end)) is not None


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
