"""The static site's search index: what each record contributes (`search_document`, run in
the build's workers) and the files `search.js` reads (`write_search_index`).

Files written into the index directory:

- `meta.json`: `{version, shardCount, shards, labels, records}`. `records` holds one array
  `[slug, title, date, category, severity, tags, summary, countries]` per record, newest
  first (date descending, then slug), so a record's position is also its rank among equal
  scores. `countries` are the ISO 3166 codes of the record's public locations.
  `shards` holds the first term of each shard file.
- `terms-{n}.json`: `{term: [posting, ...]}` for a contiguous range of terms. The vocabulary
  is sorted (by UTF-16 code units, the order of JavaScript's `<`) and cut into ranges of
  about `SHARD_BYTES`: a word is found with one binary search over `shards` and one fetch,
  and every term sharing a prefix sits in one or two neighbouring shards, so the client can
  complete the word being typed without a second kind of file.
- A posting packs `(record index − previous record index) << WEIGHT_BITS | weight`, the
  first one counting from −1: record indices rise along a list, so the deltas are small and
  a posting is usually two or three digits.

Terms are search keys (`casework.search_words`: Snowball-stemmed, as the live engines index
them), minus stopwords and one-letter words. `render/static/search.js` makes a query's keys
with `snowball.js`, a translation of the same stemmers; the tests run both on the same strings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import numpy as np
import orjson

from casework.model import Record, Site
from casework.model.places import place_text
from casework.render.html import body_text, excerpt
from casework.search_words import keys, language

INDEX_VERSION = 2  # 2: terms are stemmed search keys; records carry posture and ongoing
LABELLED = ("category", "severity", "posture")  # the vocabularies meta.json labels
TITLE_WEIGHT = 5
TAG_WEIGHT = 3
SUMMARY_WEIGHT = 3
assert TAG_WEIGHT == SUMMARY_WEIGHT  # term_weights counts tags and summary in one pass
# Every other field counts 1 per occurrence, but at most TEXT_WEIGHT_CAP in all: a word
# repeated through a long body should not outrank the same word in a title.
TEXT_WEIGHT_CAP = 8
WEIGHT_CAP = 20
WEIGHT_BITS = 5  # WEIGHT_CAP < 2**WEIGHT_BITS
SUMMARY_CHARS = 200
SHARD_BYTES = 128 * 1024

# Same list in search.js. Short on purpose: words such as "not" or "against" carry meaning
# in this domain.
STOPWORDS = frozenset(
    "an and are as at be but by for from had has have in into is it its of on or that the "
    "their there these they this to was were which with".split()
)

# ASCII words `keep` drops: stopwords and single letters or digits.
_ASCII_DROPPED = STOPWORDS | {chr(b) for b in range(128) if chr(b).isalnum()}


def words(text: str) -> list[str]:
    """Every search key of `text` (`casework.search_words.keys`: cut, stemmed, folded), in
    order, unfiltered: the static index and the live engines share one semantics."""
    return keys(text)


def keep(term: str) -> bool:
    return len(term) > 1 and term not in STOPWORDS


def tokenize(text: str) -> list[str]:
    """The terms of `text` as the index stores them and the client looks them up."""
    return [term for term in words(text) if keep(term)]


def term_counts(text: str) -> dict[str, int]:
    """term → occurrences in `text` (terms as `tokenize` gives them)."""
    counts = Counter(words(text))
    for word in _ASCII_DROPPED.intersection(counts):
        del counts[word]
    if not all(map(str.isascii, counts)):
        for word in [word for word in counts if not keep(word)]:
            del counts[word]
    return dict(counts)


class TermWeights(Mapping[str, int]):
    """term → weight, held as one string and one bytes object: a worker sends thousands
    of these back to the build, and two flat objects pickle at memcpy speed where a dict of
    hundreds of small strings does not."""

    __slots__ = ("_terms", "_weights")

    def __init__(self, terms: str, weights: bytes) -> None:
        self._terms = terms  # space-separated: a term never holds a space
        self._weights = weights

    @classmethod
    def from_dict(cls, weights: Mapping[str, int]) -> TermWeights:
        return cls(" ".join(weights), bytes(weights.values()))

    def packed(self) -> tuple[list[str], bytes]:
        return (self._terms.split(" ") if self._terms else []), self._weights

    def packed_text(self) -> tuple[str, bytes]:
        """The terms space-separated, and their weights in the same order."""
        return self._terms, self._weights

    def _dict(self) -> dict[str, int]:
        terms, weights = self.packed()
        return dict(zip(terms, weights, strict=True))

    def __getitem__(self, term: str) -> int:
        return self._dict()[term]

    def __iter__(self) -> Iterator[str]:
        return iter(self.packed()[0])

    def __len__(self) -> int:
        return len(self._weights)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._dict() == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._dict().items()))

    def __reduce__(self) -> tuple[type[TermWeights], tuple[str, bytes]]:
        return TermWeights, (self._terms, self._weights)

    def __repr__(self) -> str:
        return f"TermWeights({self._dict()!r})"


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """What one record gives the search index."""

    slug: str
    title: str
    date: str
    category: str
    severity: str
    tags: tuple[str, ...]
    summary: str
    terms: TermWeights
    # ISO 3166 alpha-2 codes of its locations, sorted: the search page's country filter.
    countries: tuple[str, ...] = ()
    # What the listings' card shows besides (search.js draws the same card).
    posture: str = ""
    ongoing: bool = False


def search_document(record: Record, site: Site) -> SearchDoc:
    """The search index's view of `record`: display fields and weighted terms."""
    del site  # Labels come once for the whole index (`write_search_index`).
    return SearchDoc(
        slug=record.slug,
        title=record.title,
        date=record.date.isoformat(),
        category=record.category,
        severity=record.severity,
        tags=tuple(record.tags),
        summary=excerpt(record.summary, SUMMARY_CHARS),
        terms=TermWeights.from_dict(term_weights(record)),
        # The record given is its public form (publish/public_view.py), as for place_text.
        countries=tuple(sorted({location.country for location in record.locations})),
        posture=record.posture,
        ongoing=record.ongoing,
    )


def term_weights(record: Record) -> dict[str, int]:
    """term → weight: title, tags and summary weigh more; every other text field counts
    once per occurrence, up to TEXT_WEIGHT_CAP; no term exceeds WEIGHT_CAP."""
    heavy: dict[str, int] = {}
    for text, weight in (
        (record.title, TITLE_WEIGHT),
        ("\n".join((*record.tags, record.summary)), TAG_WEIGHT),
    ):
        for term, n in term_counts(text).items():
            heavy[term] = heavy.get(term, 0) + n * weight
    # Only heavy terms can pass WEIGHT_CAP (light ones stop at TEXT_WEIGHT_CAP); few terms
    # pass either cap, so most need no min() (a third of this function's time when all did).
    out = term_counts("\n".join(_text_fields(record)))
    for term in [term for term, n in out.items() if n > TEXT_WEIGHT_CAP]:
        out[term] = TEXT_WEIGHT_CAP
    for term, weight in heavy.items():
        out[term] = min(WEIGHT_CAP, out.get(term, 0) + weight)
    return out


def _text_fields(record: Record) -> Iterator[str]:
    yield from record.key_points
    yield record.victims
    yield record.perpetrators
    for party in (*record.structured_victims, *record.structured_perpetrators):
        yield party.name
        if party.role:
            yield party.role
    yield record.legal_basis
    for provision in record.international_law:
        yield provision.statute
        if provision.article:
            yield provision.article
        yield provision.provision
    for analysis in record.legal_analyses:
        yield analysis.title
        yield analysis.organization
    yield record.description
    if record.locations:  # public form already (publish/public_view.py)
        yield place_text([loc.to_wire() for loc in record.locations])
    for source in record.sources:
        yield source.title
        yield source.publisher
    for document in record.documents:
        yield document.title
    for entry in record.timeline:
        yield entry.title
        yield entry.summary
    for update in record.update_log:
        yield update.summary
    yield body_text(record)


def write_search_index(
    docs: Sequence[SearchDoc], directory: Path, labels: dict[str, dict[str, str]]
) -> list[Path]:
    """Write `meta.json` and the term shards for `docs` into `directory` (which exists).
    `labels`: vocabulary name (category, severity) → key → label. The same docs, in any
    order, give the same bytes. Returns the files written."""
    ordered = sorted(docs, key=_newest_first)
    terms, lists = _postings(ordered)
    shards = _shards(terms, lists)
    paths = []
    for n, (_first, shard) in enumerate(shards):
        path = directory / f"terms-{n}.json"
        path.write_bytes(b"{" + b",".join(shard) + b"}")
        paths.append(path)
    meta = {
        "version": INDEX_VERSION,
        "shardCount": len(shards),
        "shards": [first for first, _shard in shards],
        "labels": labels,
        # The Snowball stemmer search.js stems a query with (snowball.js), as the index was.
        "language": language(),
        "records": [
            [
                d.slug,
                d.title,
                d.date,
                d.category,
                d.severity,
                list(d.tags),
                d.summary,
                countries,
                d.posture,
                d.ongoing,
            ]
            for d in ordered
            for countries in [list(d.countries)]
        ],
    }
    meta_path = directory / "meta.json"
    meta_path.write_bytes(orjson.dumps(meta))
    return [meta_path, *paths]


def _newest_first(doc: SearchDoc) -> tuple[int, str, str]:
    # The date is ISO (YYYY-MM-DD): its ordinal sorts it, negated for newest first.
    year, month, day = (int(part) for part in doc.date.split("-"))
    return (-(year * 10000 + month * 100 + day), doc.slug, doc.title)


def _postings(docs: Sequence[SearchDoc]) -> tuple[list[str], list[bytes]]:
    """The sorted vocabulary and, for each term, the JSON array of its packed postings.

    Done in numpy over every (term, record) pair at once: a Python loop over them cost
    seconds for 10,000 records."""
    texts, weights = [], []
    lengths = np.zeros(len(docs), dtype=np.int64)
    for i, doc in enumerate(docs):
        doc_terms, doc_weights = doc.terms.packed_text()
        if doc_weights:
            texts.append(doc_terms)
            weights.append(doc_weights)
            lengths[i] = len(doc_weights)
    every_term = " ".join(texts).split(" ") if texts else []
    # A new term takes the counter's next number: lookups and new ids both stay in C.
    ids: defaultdict[str, int] = defaultdict(count().__next__)
    term_id = np.fromiter(map(ids.__getitem__, every_term), np.int64, len(every_term))
    vocabulary = list(ids)
    # JavaScript compares strings by UTF-16 code units; sort the same way.
    by_term = sorted(range(len(vocabulary)), key=lambda i: vocabulary[i].encode("utf-16-be"))
    rank = np.empty(len(vocabulary), dtype=np.int64)
    rank[by_term] = np.arange(len(vocabulary))
    n = max(len(docs), 1)
    doc_of_pair = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    weight = np.frombuffer(b"".join(weights), dtype=np.uint8)
    # One key per pair, sorted by value: several times faster than a stable argsort.
    key = np.sort(((rank[term_id] * n + doc_of_pair) << WEIGHT_BITS) | weight)
    term, record = np.divmod(key >> WEIGHT_BITS, n)
    starts = np.flatnonzero(np.r_[True, term[1:] != term[:-1]])
    previous = np.r_[-1, record[:-1]]
    previous[starts] = -1
    packed = ((record - previous) << WEIGHT_BITS) | (key & ((1 << WEIGHT_BITS) - 1))
    return [vocabulary[i] for i in by_term], _json_slices(packed, starts)


def _json_slices(values: np.ndarray, starts: np.ndarray) -> list[bytes]:
    """`values[starts[i]:starts[i + 1]]` as JSON arrays, cut from one encoding of all
    values rather than encoded one term at a time."""
    if not len(values):
        return []
    text = orjson.dumps(values, option=orjson.OPT_SERIALIZE_NUMPY)
    # Value i of `text` ("[v0,v1,…]") ends at comma i, the last one at the closing bracket.
    ends = np.r_[np.flatnonzero(np.frombuffer(text, dtype=np.uint8) == ord(",")), len(text) - 1]
    cut_from = np.r_[1, ends[starts[1:] - 1] + 1].tolist()
    cut_to = np.r_[ends[starts[1:] - 1], len(text) - 1].tolist()
    return [b"[" + text[a:b] + b"]" for a, b in zip(cut_from, cut_to, strict=True)]


def _shards(terms: list[str], lists: list[bytes]) -> list[tuple[str, list[bytes]]]:
    """(first term, `"term":[…]` entries) of runs of about SHARD_BYTES, in vocabulary order;
    an empty vocabulary still gets one (empty) shard."""
    shards: list[tuple[str, list[bytes]]] = []
    current: list[bytes] = []
    first = ""
    size = 0
    for term, postings in zip(terms, lists, strict=True):
        entry = orjson.dumps(term) + b":" + postings
        if current and size + len(entry) > SHARD_BYTES:
            shards.append((first, current))
            current, size = [], 0
        if not current:
            first = term
        current.append(entry)
        size += len(entry) + 1
    if current or not shards:
        shards.append((first, current))
    return shards
