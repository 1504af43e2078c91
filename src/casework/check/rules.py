"""The check rules about references, vocabularies, dates, sources, derived fields and keys.

One small function per rule; each takes a `Corpus` and yields `Problem`s (record, field,
message). Field paths are camelCase and dotted (`timeline.2.date`). Rules never read the
clock: "today" is `corpus.today`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

from casework.check.corpus import Corpus
from casework.check.findings import Level
from casework.check.registry import Problem, rule
from casework.model import Record, Status, derived_mismatches

# Python field name → camelCase key, for naming fields in findings.
ALIAS: dict[str, str] = {name: field.alias or name for name, field in Record.model_fields.items()}


# --- records and references ---------------------------------------------------------------


@rule("slug-duplicate", Level.error, "Two records share a slug; a slug is a record's identity.")
def slug_duplicate(corpus: Corpus) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for position, record in enumerate(corpus.records, start=1):
        first = seen.setdefault(record.slug, position)
        if first != position:
            yield Problem(
                record.slug,
                "slug",
                f"record {position} has the same slug as record {first}",
            )


@rule("related-missing", Level.error, "A related incident names no record in the tracker.")
def related_missing(corpus: Corpus) -> Iterator[Problem]:
    for record in corpus.records:
        for i, slug in enumerate(record.related_incidents):
            if slug not in corpus.by_slug:
                yield Problem(record.slug, f"relatedIncidents.{i}", f"no record with slug {slug!r}")


@rule("related-self", Level.warning, "A record lists itself as a related incident.")
def related_self(corpus: Corpus) -> Iterator[Problem]:
    for record in corpus.records:
        for i, slug in enumerate(record.related_incidents):
            if slug == record.slug:
                yield Problem(record.slug, f"relatedIncidents.{i}", "the record lists itself")


@rule(
    "related-one-way",
    Level.warning,
    "A record lists another as related but that record does not list it back.",
)
def related_one_way(corpus: Corpus) -> Iterator[Problem]:
    listed = {slug: set(record.related_incidents) for slug, record in corpus.by_slug.items()}
    for record in corpus.records:
        for i, slug in enumerate(record.related_incidents):
            if slug != record.slug and slug in listed and record.slug not in listed[slug]:
                yield Problem(
                    record.slug,
                    f"relatedIncidents.{i}",
                    f"{slug!r} does not list this record back",
                )


@rule(
    "related-unpublished",
    Level.warning,
    "A published record links to a related record readers cannot see (draft or in review).",
)
def related_unpublished(corpus: Corpus) -> Iterator[Problem]:
    for record, status in corpus.items():
        if status is not Status.published:
            continue
        for i, slug in enumerate(record.related_incidents):
            other = corpus.status_by_slug.get(slug)
            if other is not None and other is not Status.published:
                yield Problem(
                    record.slug,
                    f"relatedIncidents.{i}",
                    f"{slug!r} is {other.value}, not published: the public link would be broken",
                )


# --- vocabularies ---------------------------------------------------------------------------


@rule(
    "vocabulary-unknown",
    Level.error,
    "A category, severity, posture or classification key is not in the site's vocabulary.",
)
def vocabulary_unknown(corpus: Corpus) -> Iterator[Problem]:
    vocabularies = corpus.site.vocabularies
    for record in corpus.records:
        for name, vocabulary_name in Record.VOCABULARY_FIELDS.items():
            key = getattr(record, name)
            vocabulary = vocabularies.get(vocabulary_name)
            if key not in vocabulary:
                yield Problem(
                    record.slug,
                    ALIAS[name],
                    f"{key!r} is not a {vocabulary_name} key of the site; keys: "
                    + ", ".join(vocabulary),
                )


# --- dates ----------------------------------------------------------------------------------


def _dated_fields(record: Record) -> Iterator[tuple[str, date]]:
    yield "date", record.date
    yield "lastUpdated", record.last_updated
    for i, entry in enumerate(record.timeline):
        yield f"timeline.{i}.date", entry.date
    for i, document in enumerate(record.documents):
        if document.date is not None:
            yield f"documents.{i}.date", document.date
    for i, update in enumerate(record.update_log):
        yield f"updateLog.{i}.date", update.date


@rule("date-future", Level.warning, "A date (of the record, an event, a document) is after today.")
def date_future(corpus: Corpus) -> Iterator[Problem]:
    today = corpus.today
    for record in corpus.records:
        for field, value in _dated_fields(record):
            if value > today:
                yield Problem(
                    record.slug, field, f"{value.isoformat()} is after today ({today.isoformat()})"
                )


@rule(
    "last-updated-before-date",
    Level.warning,
    "A record was last updated before the incident it documents happened.",
)
def last_updated_before_date(corpus: Corpus) -> Iterator[Problem]:
    for record in corpus.records:
        if record.last_updated < record.date:
            yield Problem(
                record.slug,
                "lastUpdated",
                f"{record.last_updated.isoformat()} is before the record's date "
                f"{record.date.isoformat()}",
            )


@rule("timeline-order", Level.warning, "Timeline entries are not in date order.")
def timeline_order(corpus: Corpus) -> Iterator[Problem]:
    for record in corpus.records:
        latest = None
        for i, entry in enumerate(record.timeline):
            if latest is not None and entry.date < latest[1]:
                yield Problem(
                    record.slug,
                    f"timeline.{i}.date",
                    f"{entry.date.isoformat()} comes after timeline.{latest[0]} "
                    f"({latest[1].isoformat()}): the timeline is ordered by date",
                )
            else:
                latest = (i, entry.date)


# --- sources --------------------------------------------------------------------------------


@rule("source-missing", Level.error, "A published record cites no source.")
def source_missing(corpus: Corpus) -> Iterator[Problem]:
    for record, status in corpus.items():
        if status is Status.published and not record.sources:
            yield Problem(record.slug, "sources", "a published record needs at least one source")


def _same_page(url: str) -> tuple[str, str]:
    """What makes two URLs the same page for this rule: the scheme, `www.`, the case of the
    host, a trailing slash and the fragment do not count."""
    # Plain string work, not urlsplit: this runs on every source of every record.
    rest = url.partition("://")[2]
    host, slash, path = rest.partition("/")
    return host.lower().removeprefix("www."), (slash + path).partition("#")[0].rstrip("/")


@rule(
    "source-duplicate",
    Level.warning,
    "The same URL is listed twice among a record's sources (or among its documents).",
)
def source_duplicate(corpus: Corpus) -> Iterator[Problem]:
    # A URL that is both a source and a legal analysis is fine; twice in one list is not.
    for record in corpus.records:
        for key, urls in (
            ("sources", [source.url for source in record.sources]),
            ("documents", [document.url for document in record.documents]),
        ):
            first: dict[tuple[str, str], int] = {}
            for i, url in enumerate(urls):
                earlier = first.setdefault(_same_page(url), i)
                if earlier != i:
                    same = "the same URL" if urls[earlier] == url else "the same page"
                    yield Problem(record.slug, f"{key}.{i}.url", f"{same} as {key}.{earlier}")


# --- imported data ------------------------------------------------------------------------


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@rule(
    "derived-mismatch",
    Level.warning,
    "A derived field in imported data differs from what casework computes.",
)
def derived_mismatch(corpus: Corpus) -> Iterator[Problem]:
    for record in corpus.records:
        if not record.given_derived:
            continue
        for key, (given, computed) in derived_mismatches(record, corpus.site).items():
            if key == "contentHtml":
                message = "the imported HTML differs from the stored (sanitized) HTML of the body"
            else:
                message = f"imported {_short(given)}, casework computes {_short(computed)}"
            yield Problem(record.slug, key, message)


@rule(
    "unknown-key",
    Level.warning,
    "A key casework does not know was kept from import (written back, never used).",
)
def unknown_key(corpus: Corpus) -> Iterator[Problem]:
    for record in corpus.records:
        for field in record.unknown_key_paths():
            key = field.rpartition(".")[2]
            yield Problem(
                record.slug, field, f"unknown key {key!r}: kept and written back, but not used"
            )


# --- content --------------------------------------------------------------------------------


@rule("summary-empty", Level.warning, "A record has no summary.")
def summary_empty(corpus: Corpus) -> Iterator[Problem]:
    for record in corpus.records:
        if not record.summary.strip():
            yield Problem(record.slug, "summary", "the summary is empty")


def _tag_key(tag: str) -> str:
    return " ".join(tag.casefold().split())


@rule(
    "tag-variant",
    Level.warning,
    "A tag is written in more than one way (case, spacing), which splits its tag page.",
)
def tag_variant(corpus: Corpus) -> Iterator[Problem]:
    spellings: dict[str, Counter[str]] = {}
    for record in corpus.records:
        for tag in set(record.tags):
            spellings.setdefault(_tag_key(tag), Counter())[tag] += 1
    # The most used spelling is the one to keep (ties: the first seen).
    usual = {key: counts.most_common(1)[0][0] for key, counts in spellings.items()}
    for record in corpus.records:
        first: dict[str, int] = {}
        for i, tag in enumerate(record.tags):
            key = _tag_key(tag)
            earlier = first.setdefault(key, i)
            if earlier != i:
                yield Problem(record.slug, f"tags.{i}", f"{tag!r} repeats tags.{earlier}")
            elif tag != usual[key]:
                n = spellings[key][usual[key]]
                yield Problem(
                    record.slug,
                    f"tags.{i}",
                    f"{tag!r} is written {usual[key]!r} in {n} record{'s' if n != 1 else ''}",
                )
