"""Dated events: the hand-written rules (casework.ingest.extract.events) against the
`dateparser` library (search_dates, each find's period from DateDataParser), on the real-news
development set (tests/fixtures/realnews/dev/), by language: precision, recall, F1 and
milliseconds per article. Both get the same publication date (the reader's) and the same
sentences; the figure periods are dropped from both, as the pipeline does.

    .venv/bin/python benchmarks/dates_dateparser.py [--split dev]

dateparser is imported here only (it is not a dependency of casework's extractors); its
first call loads its language data, which is timed apart ("warm-up").
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from casework.ingest.article import Span
from casework.ingest.extract.events import extract_events
from casework.ingest.extract.figures import extract_figures
from casework.ingest.extract.items import Event
from casework.ingest.extract.registry import without_figure_periods
from casework.ingest.extract.sentences import sentences
from casework.ingest.readers import read_path

LANGS = ["en", "es", "fr"]
REAL = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "realnews"


def _gold(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for expected in sorted(folder.glob("*.expected.json")):
        name = expected.name.removesuffix(".expected.json")
        path = next(p for p in folder.glob(name + ".*") if p.suffix in (".md", ".html"))
        found.append((path, json.loads(expected.read_text(encoding="utf-8"))))
    return found


def _month_of_week(day: date) -> date:
    monday = day - timedelta(days=day.weekday())
    counts: dict[date, int] = {}
    for offset in range(7):
        d = monday + timedelta(days=offset)
        counts[date(d.year, d.month, 1)] = counts.get(date(d.year, d.month, 1), 0) + 1
    return max(counts, key=lambda first: (counts[first], -first.toordinal()))


def dateparser_events(article: Any) -> list[Event]:
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    language = article.language or "en"
    if article.published is None:
        return []
    settings: Any = {
        "RELATIVE_BASE": datetime.combine(article.published, datetime.min.time()),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    periods = DateDataParser(languages=[language], settings=settings)
    events = []
    for span in sentences(article.text):
        sentence = article.text[span.start : span.end]
        for text, _when in search_dates(sentence, languages=[language], settings=settings) or []:
            data = periods.get_date_data(text)
            if data.date_obj is None:
                continue
            day = data.date_obj.date()
            if data.period == "year":
                found, precision = date(day.year, 1, 1), "year"
            elif data.period == "month":
                found, precision = date(day.year, day.month, 1), "month"
            elif data.period == "week":
                found, precision = _month_of_week(day), "month"
            else:
                found, precision = day, "day"
            events.append(
                Event(found, precision, text, text, Span(span.start, span.end, sentence))  # type: ignore[arg-type]
            )
    return events


# The date lines of the development set, as the pages print them, and their dates.
DATE_LINES = {
    "Published: March 12, 2024, 7:46am": date(2024, 3, 12),
    "Sep. 2, 2025": date(2025, 9, 2),
    "Wednesday، 17 May 2017 07:01 PM": date(2017, 5, 17),
    "Human Rights Watch - Friday, July 26, 2024": date(2024, 7, 26),
    "Human Rights Watch - Thursday, July 18, 2024": date(2024, 7, 18),
    "July 2, 2011": date(2011, 7, 2),
    "2025-05-31 02:16:12": date(2025, 5, 31),
    "May 9, 2025, 1:18 p.m. ET": date(2025, 5, 9),
    "2015-03-12 15:27:44": date(2015, 3, 12),
    "November 9, 2012 / 10:26 AM / 5 years ago": date(2012, 11, 9),
    "May 13, 2017 / 7:07 PM / 3 months ago": date(2017, 5, 13),
    "September 4, 2014 / 4:11 PM / 3 years ago": date(2014, 9, 4),
    "Date: 2023-01-18 14:46:13+01:00": date(2023, 1, 18),
    "July 9, 2019": date(2019, 7, 9),
    "12:3529/05/2025, Thursday": date(2025, 5, 29),
    "01 Jul 2019": date(2019, 7, 1),
    "16 Février 2020    Lu: 788": date(2020, 2, 16),
    "18.11.2025 à 16:14": date(2025, 11, 18),
    "20.08.2025 à 06:00": date(2025, 8, 20),
}


def date_lines() -> None:
    """The publication date lines: header.parse_date_line against dateparser.parse."""
    import dateparser

    from casework.ingest.readers.header import parse_date_line

    for name, parse in (
        ("rules", parse_date_line),
        (
            "dateparser",
            lambda line: d.date() if (d := dateparser.parse(line, languages=LANGS)) else None,
        ),
    ):
        begun = time.perf_counter()
        right = sum(parse(line) == want for line, want in DATE_LINES.items())
        spent = (time.perf_counter() - begun) / len(DATE_LINES)
        print(f"date lines, {name}: {right}/{len(DATE_LINES)} right, {spent * 1000:.2f} ms a line")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev", choices=("dev",))
    args = parser.parse_args()
    gold = _gold(REAL / args.split)
    started = time.perf_counter()
    import dateparser.search  # noqa: F401 — the import, timed apart

    dateparser_events(read_path(gold[0][0]))
    warm_up = time.perf_counter() - started
    print(f"dateparser import and first article (warm-up): {warm_up * 1000:.0f} ms")
    rows: dict[tuple[str, str], list[float]] = {}
    for path, want in gold:
        article = read_path(path)
        figures = extract_figures(article)
        expected = {(e["date"], e["precision"]) for e in want.get("events", [])}
        language = want.get("language", "en")
        for method, extract in (("rules", extract_events), ("dateparser", dateparser_events)):
            begun = time.perf_counter()
            events = without_figure_periods(extract(article), figures)
            spent = time.perf_counter() - begun
            got = {(e.date.isoformat(), e.precision) for e in events}
            for key in ((method, language), (method, "all")):
                row = rows.setdefault(key, [0, 0, 0, 0.0, 0])
                row[0] += len(got & expected)
                row[1] += len(got - expected)
                row[2] += len(expected - got)
                row[3] += spent
                row[4] += 1
    print(f"{'method':<11}{'lang':<5}{'P':>6}{'R':>6}{'F1':>6}{'ms/article':>12}")
    for (method, language), (tp, fp, fn, spent, count) in sorted(rows.items()):
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{method:<11}{language:<5}{p:6.2f}{r:6.2f}{f1:6.2f}{spent / count * 1000:12.1f}")
    date_lines()


if __name__ == "__main__":
    main()
