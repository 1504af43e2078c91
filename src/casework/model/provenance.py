"""Claim-level provenance: which of a record's sources support a key point or a timeline entry,
and the sentence that does (docs/format.md, "Keys of casework's own": `provenance`).

A claim is named by its place: `keyPoints/2` is the third key point, `timeline/0` the first
timeline entry. A place, not a copy of the claim's text, so that fixing a typo in a key point
does not orphan its citation; whatever moves claims (the editor form, ingest inserting a
timeline entry in date order) moves their citations with them (`moved`). At most one entry per
claim: its `sources` list every source that supports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from casework.model.record import (
    CLAIM_LISTS,
    CLAIM_PATTERN,
    MAX_SENTENCE_CHARS,
    Citation,
    ClaimList,
    Record,
    parse_claim,
)


def claim_path(kind: str, index: int) -> str:
    """`keyPoints/2` for the third key point."""
    return f"{kind}/{index}"


def citations_of(record: Record) -> dict[str, Citation]:
    """The record's citations by claim path."""
    return {citation.claim: citation for citation in record.provenance}


def cited_urls(record: Record) -> list[str]:
    """The URLs a record lists, numbered as its page numbers them: sources, then documents
    (URL `cited_urls(r)[n - 1]` is footnote n, `#source-n`)."""
    return [source.url for source in record.sources] + [doc.url for doc in record.documents]


@dataclass(frozen=True)
class Footnote:
    """What a record's page shows beside a claim: the numbers of the sources it cites (1-based
    into sources then documents, as `#source-N`), with their URLs, and the sentence."""

    numbers: tuple[int, ...]
    urls: tuple[str, ...]
    sentence: str | None


def footnotes(record: Record) -> dict[str, Footnote]:
    """Claim path → its Footnote, for the claims that cite at least one URL the record lists
    (a citation of an unlisted URL, or of a claim the record lacks, shows nothing: `check`
    reports it)."""
    number: dict[str, int] = {}
    listed = cited_urls(record)  # once, not again for each citation
    for n, url in enumerate(listed, start=1):
        number.setdefault(url, n)  # a URL listed twice: its first place
    lengths = claim_lengths(record)
    notes: dict[str, Footnote] = {}
    for citation in record.provenance:
        if citation.index >= lengths[citation.kind]:
            continue
        known = sorted({number[url] for url in citation.sources if url in number})
        if known:
            urls = tuple(listed[n - 1] for n in known)
            notes[citation.claim] = Footnote(tuple(known), urls, citation.sentence)
    return notes


def claim_lengths(record: Record) -> dict[ClaimList, int]:
    """How many claims of each kind the record makes (a citation's index must be below)."""
    return {"keyPoints": len(record.key_points), "timeline": len(record.timeline)}


def moved(
    citations: Sequence[Citation], kind: ClaimList, origins: Sequence[int | None]
) -> list[Citation]:
    """`citations` after the `kind` list was rearranged: `origins[i]` is the old index of the
    item now at i (None: a new item). Citations of items no longer there are dropped; the
    other list's citations are kept as they are. Ordered by list, then index."""
    new_index = {old: new for new, old in enumerate(origins) if old is not None}
    out: list[Citation] = []
    for citation in citations:
        claim_kind, index = parse_claim(citation.claim)
        if claim_kind != kind:
            out.append(citation)
        elif index in new_index:
            claim = claim_path(kind, new_index[index])
            out.append(citation.model_copy(update={"claim": claim}))
    return ordered(out)


def ordered(citations: Sequence[Citation]) -> list[Citation]:
    """Citations in a stable order: key points, then timeline, each by index."""
    return sorted(citations, key=lambda c: (CLAIM_LISTS.index(c.kind), c.index))


__all__ = [
    "CLAIM_LISTS",
    "CLAIM_PATTERN",
    "MAX_SENTENCE_CHARS",
    "Citation",
    "ClaimList",
    "Footnote",
    "citations_of",
    "cited_urls",
    "claim_lengths",
    "claim_path",
    "footnotes",
    "moved",
    "ordered",
    "parse_claim",
]
