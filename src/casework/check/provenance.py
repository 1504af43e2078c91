"""The check rules about `provenance` (docs/format.md): claims that cite nothing, citations of
URLs the record does not list, citations of claims that do not exist.

Import and the API take `provenance` as sent (its shape is validated, what it points at is
not), so these rules are where a citation that no longer holds is reported: an editor removed
the cited source through the API, or a key point an imported file cited.
"""

from __future__ import annotations

from collections.abc import Iterator

from casework.check.corpus import Corpus
from casework.check.findings import Level
from casework.check.registry import Problem, rule
from casework.model import Record
from casework.model.provenance import cited_urls, claim_lengths


def _field(i: int, rest: str = "") -> str:
    return f"provenance.{i}{rest}"


@rule(
    "claim-uncited",
    Level.warning,
    "A key point or timeline entry cites no source (a record that cites nothing: one finding).",
)
def claim_uncited(corpus: Corpus) -> Iterator[Problem]:
    # A warning, not an error: records made before provenance existed, and every record of
    # the seed tracker's format, cite nothing, and are not wrong for it. A record that cites
    # nothing at all gets one finding (not one per claim), so an old tracker's check lists
    # each record once; a record that cites some claims gets one per claim it left out.
    for record in corpus.records:
        claims = _claims(record)
        cited = {citation.claim for citation in record.provenance}
        uncited = [(path, field) for path, field in claims if path not in cited]
        if not uncited:
            continue
        if not record.provenance:
            points, entries = len(record.key_points), len(record.timeline)
            yield Problem(
                record.slug,
                "provenance",
                f"none of its {_count(points, 'key point')} and "
                f"{_count(entries, 'timeline entry', 'timeline entries')} cites a source",
            )
            continue
        for path, field in uncited:
            yield Problem(record.slug, field, f"{path} cites no source")


@rule(
    "citation-unknown-source",
    Level.error,
    "A claim cites a URL that is not among the record's sources or documents.",
)
def citation_unknown_source(corpus: Corpus) -> Iterator[Problem]:
    for record in corpus.records:
        if not record.provenance:
            continue
        listed = set(cited_urls(record))
        for i, citation in enumerate(record.provenance):
            for j, url in enumerate(citation.sources):
                if url not in listed:
                    yield Problem(
                        record.slug,
                        _field(i, f".sources.{j}"),
                        f"{citation.claim} cites {url!r}, which is not one of the record's "
                        "sources or documents",
                    )


@rule(
    "citation-dangling",
    Level.error,
    "A citation names a key point or timeline entry the record does not have.",
)
def citation_dangling(corpus: Corpus) -> Iterator[Problem]:
    for record in corpus.records:
        if not record.provenance:
            continue
        lengths = claim_lengths(record)
        for i, citation in enumerate(record.provenance):
            if citation.index >= lengths[citation.kind]:
                have = lengths[citation.kind]
                yield Problem(
                    record.slug,
                    _field(i, ".claim"),
                    f"{citation.claim} does not exist: the record has "
                    + (
                        _count(have, "key point")
                        if citation.kind == "keyPoints"
                        else _count(have, "timeline entry", "timeline entries")
                    ),
                )


def _claims(record: Record) -> list[tuple[str, str]]:
    """(claim path, field path) of every claim the record makes."""
    return [(f"keyPoints/{i}", f"keyPoints.{i}") for i in range(len(record.key_points))] + [
        (f"timeline/{i}", f"timeline.{i}") for i in range(len(record.timeline))
    ]


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
