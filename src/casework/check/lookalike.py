"""Rules about identifiers that are not what they look like.

Record slugs are checked by the model's pattern when a record is validated, but records can
reach a check by other ways (an old store, a record built in code), and a slug can be plain
ASCII and still be mistaken for another (`case-10` and `case-1o`). Look-alike letters from
another script pasted into a tag or a name split its page and its search results; a source URL
whose host holds such a letter may not be the site it seems to be.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from urllib.parse import urlsplit

from casework.check.corpus import Corpus
from casework.check.findings import Level
from casework.check.registry import Problem, rule
from casework.model import SLUG_PATTERN, Record

# Pairs that read alike in most fonts; folding them finds slugs a reader could confuse.
_LOOKALIKES = (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"))
# Scripts whose letters pass for Latin ones (Cyrillic а, Greek ο, ...).
_LOOKALIKE_SCRIPTS = frozenset({"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC"})


def describe_characters(text: str) -> str:
    """The non-ASCII characters of `text`, each with its code point and Unicode name."""
    seen: list[str] = []
    for ch in text:
        if not ch.isascii() and ch not in seen:
            seen.append(ch)
    return ", ".join(f"{ch!r} U+{ord(ch):04X} {unicodedata.name(ch, '?')}" for ch in seen)


def _slug_problem(value: str) -> str | None:
    if SLUG_PATTERN.match(value):
        return None
    if not value.isascii():
        return f"{value!r} is not plain ASCII ({describe_characters(value)})"
    return f"{value!r} is not a slug: lower-case ASCII letters and digits joined by single hyphens"


def _slugs(record: Record) -> Iterator[tuple[str, str]]:
    """Every slug a record holds, with its field path."""
    yield "slug", record.slug
    for i, slug in enumerate(record.related_incidents):
        yield f"relatedIncidents.{i}", slug
    for key, parties in (
        ("structuredVictims", record.structured_victims),
        ("structuredPerpetrators", record.structured_perpetrators),
    ):
        for i, party in enumerate(parties):
            if party.entity is not None:
                yield f"{key}.{i}.entity", party.entity


@rule(
    "slug-not-ascii",
    Level.error,
    "A record, related-incident or entity slug is not plain ASCII letters, digits and hyphens.",
)
def slug_not_ascii(corpus: Corpus) -> Iterator[Problem]:
    for record in corpus.records:
        for field, value in _slugs(record):
            problem = _slug_problem(value)
            if problem is not None:
                yield Problem(record.slug, field, problem)


def fold_lookalikes(slug: str) -> str:
    """`slug` with look-alike characters made one (`rn`→`m`, `0`→`o`, `1`→`l`)."""
    for pair, one in _LOOKALIKES:
        slug = slug.replace(pair, one)
    return slug


@rule(
    "slug-confusable",
    Level.warning,
    "Two record slugs (or two entity slugs) differ only by look-alike characters (0/o, 1/l, rn/m).",
)
def slug_confusable(corpus: Corpus) -> Iterator[Problem]:
    records: dict[str, set[str]] = {}
    for slug in corpus.by_slug:
        records.setdefault(fold_lookalikes(slug), set()).add(slug)
    for slug in corpus.by_slug:
        others = sorted(records[fold_lookalikes(slug)] - {slug})
        if others:
            yield Problem(slug, "slug", f"looks like the record slug {others[0]!r}")

    entities: dict[str, set[str]] = {}
    for record in corpus.records:
        for field, value in _slugs(record):
            if field.endswith(".entity"):
                entities.setdefault(fold_lookalikes(value), set()).add(value)
    for record in corpus.records:
        for field, value in _slugs(record):
            if field.endswith(".entity"):
                others = sorted(entities[fold_lookalikes(value)] - {value})
                if others:
                    yield Problem(record.slug, field, f"looks like the entity slug {others[0]!r}")


def _script(ch: str) -> str:
    if ch.isascii():
        return "LATIN"
    return unicodedata.name(ch, "?").split(" ", 1)[0]


def mixed_script_word(text: str) -> str | None:
    """The first word of `text` that mixes Latin letters with look-alike letters of another
    script (`Trеaty` with a Cyrillic е), or None."""
    if text.isascii():
        return None
    for word in text.split():
        letters = {_script(ch) for ch in word if ch.isalpha()}
        if "LATIN" in letters and letters & _LOOKALIKE_SCRIPTS:
            return word
    return None


def _names(record: Record) -> Iterator[tuple[str, str]]:
    yield "title", record.title
    for i, tag in enumerate(record.tags):
        yield f"tags.{i}", tag
    for key, parties in (
        ("structuredVictims", record.structured_victims),
        ("structuredPerpetrators", record.structured_perpetrators),
    ):
        for i, party in enumerate(parties):
            yield f"{key}.{i}.name", party.name


@rule(
    "text-mixed-script",
    Level.warning,
    "A word in a title, tag or party name mixes Latin letters with look-alikes of another script.",
)
def text_mixed_script(corpus: Corpus) -> Iterator[Problem]:
    for record in corpus.records:
        for field, text in _names(record):
            word = mixed_script_word(text)
            if word is not None:
                yield Problem(
                    record.slug,
                    field,
                    f"{word!r} mixes scripts ({describe_characters(word)}): a look-alike letter?",
                )


def _urls(record: Record) -> Iterator[tuple[str, str]]:
    for key, urls in (
        ("sources", [source.url for source in record.sources]),
        ("documents", [document.url for document in record.documents]),
        ("legalAnalyses", [analysis.url for analysis in record.legal_analyses]),
    ):
        for i, url in enumerate(urls):
            yield f"{key}.{i}.url", url


@rule(
    "url-host-not-ascii",
    Level.warning,
    "A source, document or analysis URL has a host with non-ASCII characters (a look-alike site?).",
)
def url_host_not_ascii(corpus: Corpus) -> Iterator[Problem]:
    for record in corpus.records:
        for field, url in _urls(record):
            if url.isascii():
                continue
            host = urlsplit(url).hostname or ""
            if host.isascii():
                continue
            try:
                ascii_form = f" (its ASCII form is {host.encode('idna').decode('ascii')})"
            except UnicodeError:
                ascii_form = ""
            yield Problem(
                record.slug,
                field,
                f"the host {host!r} is not plain ASCII{ascii_form}: {describe_characters(host)}",
            )
