"""The static site's search index: what each record contributes (`search_document`, run in
the build's workers) and the files `search.js` reads (`write_search_index`).

Files written into the index directory:

- `meta.json`: `{version, shardCount, shards, labels, language, bm25, records}`. `records`
  holds one array `[slug, title, date, category, severity, tags, summary, countries, posture,
  ongoing, length]` per record, newest first (date descending, then slug), so a record's
  position is also its rank among equal scores. `countries` are the ISO 3166 codes of the
  record's public locations; `length` is |D| of bm25, its short fields' length in keys.
  `shards` holds the first term of each shard file; `bm25` the fields, their weights, k1, b.
- `terms-{n}.json`: `{term: [posting, ...]}` for a contiguous range of terms. The vocabulary
  is sorted (by UTF-16 code units, the order of JavaScript's `<`) and cut into ranges of
  about `SHARD_BYTES`: a word is found with one binary search over `shards` and one fetch,
  and every term sharing a prefix sits in one or two neighbouring shards, so the client can
  complete the word being typed without a second kind of file.
- A posting is `(record index − previous record index) << KIND_BITS | kind`, the first one
  counting from −1 (record indices rise along a list, so the deltas are small), then what
  its kind says: nothing (kind 0: the term is only in the body or other text), or the
  term's occurrences in each short field (`search_rank.FIELDS`), as one number in base
  DIGIT (kind 1) or as five numbers (kind 2, a count of DIGIT or more). Those counts are
  what bm25 needs: search.js ranks with `search_rank`'s formula, weights and tiers, so that
  the static site gives the live engines' order.

Terms are every search key (`casework.search_words`: Snowball-stemmed, as the live engines
index them), stopwords too: the live engines match and rank them. The record's text is what
the store matches (`store.history.all_text`: the short fields and the body).
`render/static/search.js` makes a query's keys with `snowball.js`, a translation of the
same stemmers; the tests run both on the same strings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import numpy as np
import orjson

from casework.model import Record, Site
from casework.render.html import excerpt
from casework.search_rank import FIELD_WEIGHTS, FIELDS, K1, B
from casework.search_words import keys, language, record_key_texts
from casework.store.history import all_text, head_texts

INDEX_VERSION = 3  # 3: postings carry each record's counts per short field (bm25)
LABELLED = ("category", "severity", "posture")  # the vocabularies meta.json labels
KIND_BITS = 2  # a posting's low bits: what follows it (see the module docstring)
DIGIT = 8  # the base a kind-1 posting packs its five counts in
SUMMARY_CHARS = 200
SHARD_BYTES = 128 * 1024


def words(text: str) -> list[str]:
    """Every search key of `text` (`casework.search_words.keys`: cut, stemmed, folded), in
    order, unfiltered: the static index and the live engines share one semantics."""
    return keys(text)


def tokenize(text: str) -> list[str]:
    """The terms of `text` as the index stores them and the client looks them up: every key,
    stopwords too (the live engines match and rank them, so the static index does)."""
    return words(text)


class DocTerms:
    """A record's terms and their counts in its short fields, held as one string and one bytes
    object: a worker sends thousands of these back to the build, and two flat objects pickle
    at memcpy speed where a dict of hundreds of small strings does not.

    `terms`: every distinct key of the record's text (short fields and body: what the store's
    `search_all` matches), space-separated, those of the short fields first. `counts`: uint16s,
    |D| (the short fields' length in keys), then for each short-field term its occurrences in
    each of `search_rank.FIELDS`."""

    __slots__ = ("_counts", "_terms")

    def __init__(self, terms: str, counts: bytes) -> None:
        self._terms = terms  # a term never holds a space
        self._counts = counts

    @classmethod
    def of(cls, heads: Sequence[str], everything: str) -> DocTerms:
        # The store's own split (`record_key_texts`): the short fields' keys in order, and
        # every distinct key of all the text, those of the short fields first. Only the
        # distinct words of the text are looked up, not each of its words again.
        head_keys, every = record_key_texts(tuple(heads), everything)
        per_field = [Counter(text.split(" ") if text else ()) for text in head_keys]
        length = sum(sum(c.values()) for c in per_field)
        head_terms = list(dict.fromkeys(t for c in per_field for t in c))
        counts = np.array(
            [length, *(c.get(t, 0) for t in head_terms for c in per_field)], dtype=np.int64
        )
        return cls(every, np.minimum(counts, 0xFFFF).astype("<u2").tobytes())

    def packed_text(self) -> tuple[str, bytes]:
        return self._terms, self._counts

    @property
    def length(self) -> int:
        return int(np.frombuffer(self._counts[:2], dtype="<u2")[0])

    def head_counts(self) -> np.ndarray:
        """(short-field terms × FIELDS) occurrence counts."""
        return np.frombuffer(self._counts[2:], dtype="<u2").reshape(-1, len(FIELDS))

    def terms(self) -> list[str]:
        return self._terms.split(" ") if self._terms else []

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DocTerms):
            return (self._terms, self._counts) == (other._terms, other._counts)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self._terms, self._counts))

    def __reduce__(self) -> tuple[type[DocTerms], tuple[str, bytes]]:
        return DocTerms, (self._terms, self._counts)

    def __repr__(self) -> str:
        return f"DocTerms({self._terms!r}, {self._counts!r})"


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
    terms: DocTerms
    # ISO 3166 alpha-2 codes of its locations, sorted: the search page's country filter.
    countries: tuple[str, ...] = ()
    # What the listings' card shows besides (search.js draws the same card).
    posture: str = ""
    ongoing: bool = False


def search_document(record: Record, site: Site) -> SearchDoc:
    """The search index's view of `record`: display fields, terms and short-field counts."""
    del site  # Labels come once for the whole index (`write_search_index`).
    # The record given is its public form (publish/public_view.py): the short fields and the
    # text are what the store indexes (`store.history`), places in their public form.
    heads = head_texts(record)
    return SearchDoc(
        slug=record.slug,
        title=record.title,
        date=record.date.isoformat(),
        category=record.category,
        severity=record.severity,
        tags=tuple(record.tags),
        summary=excerpt(record.summary, SUMMARY_CHARS),
        terms=DocTerms.of(heads, all_text(record)),
        countries=tuple(sorted({location.country for location in record.locations})),
        posture=record.posture,
        ongoing=record.ongoing,
    )


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
        # search.js ranks as the live engines do (`search_rank`): FTS5's bm25, these constants.
        "bm25": {"fields": FIELDS, "weights": FIELD_WEIGHTS, "k1": K1, "b": B},
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
                d.terms.length,
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
    texts, heads = [], []
    lengths = np.zeros(len(docs), dtype=np.int64)
    for i, doc in enumerate(docs):
        found = doc.terms.terms()
        if found:
            texts.append(" ".join(found))
            lengths[i] = len(found)
            counts = np.zeros((len(found), len(FIELDS)), dtype=np.int64)
            head = doc.terms.head_counts()
            counts[: len(head)] = head
            heads.append(counts)
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
    field_counts = np.concatenate(heads) if heads else np.zeros((0, len(FIELDS)), np.int64)
    order = np.argsort(rank[term_id] * n + doc_of_pair, kind="stable")
    term, record, field_counts = rank[term_id][order], doc_of_pair[order], field_counts[order]
    starts = np.flatnonzero(np.r_[True, term[1:] != term[:-1]]) if len(term) else term
    previous = np.r_[-1, record[:-1]]
    previous[starts] = -1
    # Kind 0: in no short field; 1: the five counts follow as one number, base DIGIT (the
    # title's the highest digit); 2: they follow as five numbers (a count >= DIGIT).
    top = field_counts.max(axis=1) if len(field_counts) else np.zeros(0, np.int64)
    kind = np.where(top == 0, 0, np.where(top < DIGIT, 1, 2))
    size = 1 + (kind == 1) + len(FIELDS) * (kind == 2)
    at = (np.cumsum(size) - size).astype(np.int64)
    values = np.zeros(int(size.sum()), dtype=np.int64)
    values[at] = ((record - previous) << KIND_BITS) | kind
    ones, twos = kind == 1, kind == 2
    digits = DIGIT ** np.arange(len(FIELDS) - 1, -1, -1, dtype=np.int64)
    values[at[ones] + 1] = field_counts[ones] @ digits
    for field in range(len(FIELDS)):
        values[at[twos] + 1 + field] = field_counts[twos, field]
    return [vocabulary[i] for i in by_term], _json_slices(values, at[starts])


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
