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
  at most about `SHARD_BYTES`: a word is found with one binary search over `shards` and one
  fetch, and every term sharing a prefix sits in one or two neighbouring shards, so the
  client can complete the word being typed without a second kind of file. Where a range
  ends depends on the terms there (`_cut`), not on every byte before it.
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

A build after an edit does not make the index again (`updated_index_files`): from the changed
records' previous documents (the build state keeps them) it knows the terms whose postings
changed, reads back the shards holding them from the site, patches those postings, and cuts
the shards again from there until a boundary falls where it fell before, and changes the
changed records' rows of meta.json read back (no other record's document is read); the bytes
are those `index_files` gives. A change in the records' order (an insert or a removal) renumbers
postings everywhere, and the index is made whole (only the files whose bytes changed are
written either way: publish/build.py keys them by their bytes).
"""

from __future__ import annotations

import sys
import zlib
from array import array
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from itertools import chain, count, pairwise, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from casework.model import Record, Site
from casework.render.html import body_text, excerpt
from casework.search_rank import FIELD_WEIGHTS, FIELDS, K1, B
from casework.search_words import keys, language, record_key_texts
from casework.store.history import head_texts

# numpy makes a whole index (`_postings`); an edit's patch and its one document do without
# it (its import was a tenth of a second of every edit).
if TYPE_CHECKING:
    import numpy as np

INDEX_VERSION = 3  # 3: postings carry each record's counts per short field (bm25)
LABELLED = ("category", "severity", "posture")  # the vocabularies meta.json labels
KIND_BITS = 2  # a posting's low bits: what follows it (see the module docstring)
DIGIT = 8  # the base a kind-1 posting packs its five counts in
SUMMARY_CHARS = 200
SHARD_BYTES = 128 * 1024  # the most a shard holds (but for one term's postings)
# A shard ends, once it holds MIN_SHARD bytes, at about one term in CUT_EVERY (`_cut`).
MIN_SHARD = SHARD_BYTES // 2
CUT_EVERY = 16


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
    `search_postings` matches), space-separated, those of the short fields first. `counts`: uint16s,
    |D| (the short fields' length in keys), then for each short-field term its occurrences in
    each of `search_rank.FIELDS`."""

    __slots__ = ("_counts", "_terms")

    def __init__(self, terms: str, counts: bytes) -> None:
        self._terms = terms  # a term never holds a space
        self._counts = counts

    @classmethod
    def of(cls, heads: Sequence[str], body: str) -> DocTerms:
        # The store's own split (`record_key_texts`): the short fields' keys in order, and
        # every distinct key of all the text, those of the short fields first. Only the
        # distinct words of the text are looked up, not each of its words again. `body` may
        # be the record's body alone (as the store gives it) or all its text (`all_text`,
        # the short fields again, then the body): the short fields' words come first either
        # way, so their repeats add no key and move none.
        head_keys, every = record_key_texts(tuple(heads), body)
        split = [text.split(" ") if text else [] for text in head_keys]
        per_field = [Counter(keys) for keys in split]
        head_terms = list(dict.fromkeys(chain.from_iterable(per_field)))
        # Term by term, each field's count: the columns made by `map` and interleaved by
        # `zip` (in C), not a generator step per count (a tenth of a full build's search
        # documents, at ~450 counts a record).
        columns = [map(c.get, head_terms, repeat(0)) for c in per_field]
        counts = [sum(map(len, split)), *chain.from_iterable(zip(*columns, strict=True))]
        if max(counts) > 0xFFFF:
            counts = [min(c, 0xFFFF) for c in counts]
        return cls(every, _uint16s(counts))

    def packed_text(self) -> tuple[str, bytes]:
        return self._terms, self._counts

    @property
    def length(self) -> int:
        return int.from_bytes(self._counts[:2], "little")

    def head_counts(self) -> list[tuple[int, ...]]:
        """(short-field terms × FIELDS) occurrence counts."""
        values = array("H", self._counts[2:])
        if sys.byteorder == "big":
            values.byteswap()
        n = len(FIELDS)
        return [tuple(values[i : i + n]) for i in range(0, len(values), n)]

    def head_array(self) -> np.ndarray:
        """`head_counts` as a (terms × FIELDS) array."""
        import numpy as np

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
        # The body alone, not `all_text` (the short fields again, then the body): the short
        # fields' words were cut already, and their second cut added no key (DocTerms.of).
        terms=DocTerms.of(heads, body_text(record)),
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
    paths = []
    for name, body in index_files(docs, labels).items():
        assert body is not None
        path = directory / name
        path.write_bytes(body)
        paths.append(path)
    return paths


def _meta(rows: list[list[Any]], firsts: list[str], labels: dict[str, dict[str, str]]) -> bytes:
    """meta.json of the records' `rows` (`_row`, newest first) and shards starting at `firsts`."""
    meta = {
        "version": INDEX_VERSION,
        "shardCount": len(firsts),
        "shards": firsts,
        "labels": labels,
        # The Snowball stemmer search.js stems a query with (snowball.js), as the index was.
        "language": language(),
        # search.js ranks as the live engines do (`search_rank`): FTS5's bm25, these constants.
        "bm25": {"fields": FIELDS, "weights": FIELD_WEIGHTS, "k1": K1, "b": B},
        "records": rows,
    }
    return orjson.dumps(meta)


def _row(d: SearchDoc) -> list[Any]:
    """A record's row of meta.json's `records`."""
    return [
        d.slug,
        d.title,
        d.date,
        d.category,
        d.severity,
        list(d.tags),
        d.summary,
        list(d.countries),
        d.posture,
        d.ongoing,
        d.terms.length,
    ]


def _newest_first(doc: SearchDoc) -> tuple[int, str, str]:
    # The date is ISO (YYYY-MM-DD): its ordinal sorts it, negated for newest first.
    year, month, day = (int(part) for part in doc.date.split("-"))
    return (-(year * 10000 + month * 100 + day), doc.slug, doc.title)


def _newest_first_row(row: list[Any]) -> tuple[int, str, str]:
    """`_newest_first` of a meta.json row (`_row`)."""
    year, month, day = (int(part) for part in row[2].split("-"))
    return (-(year * 10000 + month * 100 + day), row[0], row[1])


def _postings(docs: Sequence[SearchDoc]) -> tuple[list[str], list[bytes]]:
    """The sorted vocabulary and, for each term, the JSON array of its packed postings.

    Done in numpy over every (term, record) pair at once: a Python loop over them cost
    seconds for 10,000 records. The pairs (2.6 million at 10,000 records) are int32 numbers,
    and counts are held for the short fields' terms only: with a string for each pair's term
    and five int64 counts for every pair, a full build's index took 770 MiB at its peak, the
    most of any step."""
    import numpy as np

    # A new term takes the counter's next number: lookups and new ids both stay in C.
    ids: defaultdict[str, int] = defaultdict(count().__next__)
    term_ids, heads, head_spans = [], [], []
    lengths = np.zeros(len(docs), dtype=np.int64)
    pairs = rows = 0
    for i, doc in enumerate(docs):
        found = doc.terms.terms()
        if found:
            term_ids.append(np.fromiter(map(ids.__getitem__, found), np.int32, len(found)))
            lengths[i] = len(found)
            head = doc.terms.head_array()  # the counts of its first len(head) terms
            heads.append(head)
            head_spans.append((pairs, rows, len(head)))
            pairs += len(found)
            rows += len(head)
    vocabulary = list(ids)
    term_id = np.concatenate(term_ids) if term_ids else np.zeros(0, np.int32)
    del term_ids
    # JavaScript compares strings by UTF-16 code units; sort the same way.
    by_term = sorted(range(len(vocabulary)), key=lambda i: vocabulary[i].encode("utf-16-be"))
    rank = np.empty(len(vocabulary), dtype=np.int32)
    rank[by_term] = np.arange(len(vocabulary), dtype=np.int32)
    counts = np.concatenate(heads) if heads else np.zeros((0, len(FIELDS)), "<u2")
    del heads
    row_of_pair = np.full(pairs, -1, dtype=np.int32)  # each pair's row of `counts`, or -1
    for at_pair, at_row, n in head_spans:
        row_of_pair[at_pair : at_pair + n] = np.arange(at_row, at_row + n, dtype=np.int32)
    # The pairs are in record order and a record holds a term once: a stable sort by term
    # alone puts each term's pairs in record order.
    term = rank[term_id]
    del term_id
    order = np.argsort(term, kind="stable")
    term = term[order]
    record = np.repeat(np.arange(len(docs), dtype=np.int32), lengths)[order]
    row = row_of_pair[order]
    del order, row_of_pair
    starts = np.flatnonzero(np.r_[True, term[1:] != term[:-1]]) if len(term) else term
    del term
    previous = np.r_[-1, record[:-1]]
    previous[starts] = -1
    # Kind 0: in no short field; 1: the five counts follow as one number, base DIGIT (the
    # title's the highest digit); 2: they follow as five numbers (a count >= DIGIT).
    counted = row >= 0
    top = np.zeros(len(row), dtype=np.int64)
    top[counted] = counts.max(axis=1)[row[counted]] if len(counts) else 0
    kind = np.where(top == 0, 0, np.where(top < DIGIT, 1, 2))
    del top, counted
    size = 1 + (kind == 1) + len(FIELDS) * (kind == 2)
    at = (np.cumsum(size) - size).astype(np.int64)
    values = np.zeros(int(size.sum()), dtype=np.int64)
    values[at] = ((record.astype(np.int64) - previous) << KIND_BITS) | kind
    del record, previous, size
    ones, twos = kind == 1, kind == 2
    digits = DIGIT ** np.arange(len(FIELDS) - 1, -1, -1, dtype=np.int64)
    values[at[ones] + 1] = counts[row[ones]].astype(np.int64) @ digits
    for field in range(len(FIELDS)):
        values[at[twos] + 1 + field] = counts[row[twos], field]
    return [vocabulary[i] for i in by_term], _json_slices(values, at[starts])


def _json_slices(values: np.ndarray, starts: np.ndarray) -> list[bytes]:
    """`values[starts[i]:starts[i + 1]]` as JSON arrays, cut from one encoding of all
    values rather than encoded one term at a time."""
    import numpy as np

    if not len(values):
        return []
    text = orjson.dumps(values, option=orjson.OPT_SERIALIZE_NUMPY)
    # Value i of `text` ("[v0,v1,…]") ends at comma i, the last one at the closing bracket.
    ends = np.r_[np.flatnonzero(np.frombuffer(text, dtype=np.uint8) == ord(",")), len(text) - 1]
    cut_from = np.r_[1, ends[starts[1:] - 1] + 1].tolist()
    cut_to = np.r_[ends[starts[1:] - 1], len(text) - 1].tolist()
    return [b"[" + text[a:b] + b"]" for a, b in zip(cut_from, cut_to, strict=True)]


def _shards(terms: list[str], lists: list[bytes]) -> list[tuple[str, list[bytes]]]:
    """(first term, `"term":[…]` entries) of runs of at most about SHARD_BYTES, in vocabulary
    order; an empty vocabulary still gets one (empty) shard. Where a run ends is `_cut`'s."""
    cutter = _Cutter()
    for term, postings in zip(terms, lists, strict=True):
        cutter.add(term, _entry(term, postings))
    if cutter.current or not cutter.made:
        cutter.made.append((cutter.first, cutter.current))
    return cutter.made


class _Cutter:
    """Shards made so far (`made`: first term, entries) and the one being filled."""

    def __init__(self) -> None:
        self.made: list[tuple[str, list[bytes]]] = []
        self.current: list[bytes] = []
        self.first = ""
        self.size = 0

    def add(self, term: str, entry: bytes) -> None:
        if self.current and _cut(term, self.size, entry):
            self.made.append((self.first, self.current))
            self.current, self.size = [], 0
        if not self.current:
            self.first = term
        self.current.append(entry)
        self.size += len(entry) + 1


def _entry(term: str, postings: bytes) -> bytes:
    return orjson.dumps(term) + b":" + postings


def _cut(term: str, size: int, entry: bytes) -> bool:
    """Whether a shard of `size` bytes ends before `term` (whose entry is `entry`): once it
    holds MIN_SHARD bytes, at a term whose hash says so, or before SHARD_BYTES overflow.
    Content-defined: a term's postings growing by a few bytes moves no boundary but (rarely)
    its own shard's, and the boundaries after it fall where they were within a shard or two,
    so an edit rewrites the shards holding the words it changed, not every one after them."""
    if size < MIN_SHARD:
        return False
    if size + len(entry) > SHARD_BYTES:
        return True
    return zlib.crc32(term.encode()) % CUT_EVERY == 0


# --- an edit: the shards holding the words it changed ---------------------------------
Files = dict[str, bytes | None]  # file name → its bytes, or None: as the previous build wrote


def index_files(docs: Sequence[SearchDoc], labels: dict[str, dict[str, str]]) -> Files:
    """Every file of the index of `docs` (see write_search_index), by name."""
    ordered = sorted(docs, key=_newest_first)
    terms, lists = _postings(ordered)
    shards = _shards(terms, lists)
    rows = [_row(d) for d in ordered]
    out: Files = {"meta.json": _meta(rows, [first for first, _ in shards], labels)}
    for n, (_first, shard) in enumerate(shards):
        out[f"terms-{n}.json"] = b"{" + b",".join(shard) + b"}"
    return out


def updated_index_files(
    changed: Sequence[SearchDoc],
    previous: Sequence[SearchDoc],
    published: Collection[str],
    labels: dict[str, dict[str, str]],
    read_old: Callable[[str], bytes | None],
) -> Files | None:
    """The index of the `published` records as a change of the one the previous build
    wrote (`read_old(name)`: its file's bytes, None when they cannot be trusted), where the
    records of `changed` (their documents now) had the documents `previous`, and every other
    record's is as it was: the same bytes `index_files` gives, computed from the terms the
    changed records gained, lost or count differently, and the shards holding them (read
    back, patched, cut again); meta.json's other rows are read back too, so that no other
    record's document is needed. Files left as they were are None. None when records were
    added or removed, or the records' order changed (a posting names a record by its
    position, so an insert or a removal before others renumbers them: every shard changes),
    or the previous index cannot be read or does not hold `previous`: then the index is
    made whole."""
    old_meta_bytes = read_old("meta.json")
    if old_meta_bytes is None:
        return None
    old_meta = orjson.loads(old_meta_bytes)
    firsts: list[str] = old_meta.get("shards", [])
    rows: list[list[Any]] = old_meta.get("records", [])
    if old_meta.get("version") != INDEX_VERSION or not firsts:
        return None
    position = {row[0]: i for i, row in enumerate(rows)}
    was = {d.slug: d for d in previous}
    if (
        len(position) != len(rows)
        or len(position) != len(published)
        or not all(slug in position for slug in published)
        or len(was) != len(changed)
        or not all(d.slug in was for d in changed)
    ):
        return None
    pairs = []  # (record index, old document, new one)
    for new in changed:
        i, old = position[new.slug], was[new.slug]
        if rows[i] != _row(old):  # not the index the state's documents describe
            return None
        rows[i] = _row(new)
        pairs.append((i, old, new))
    if any(old.date != new.date for _, old, new in pairs):
        order = [_newest_first_row(row) for row in rows]
        if any(a >= b for a, b in pairwise(order)):
            return None  # the records' order changed
    # term → record → its new counts (None: no longer in the record).
    changes: defaultdict[str, dict[int, tuple[int, ...] | None]] = defaultdict(dict)
    for i, old, new in sorted(pairs, key=lambda pair: pair[0]):
        if old.terms == new.terms:
            continue
        before, after = _counts_of(old.terms), _counts_of(new.terms)
        for term in before.keys() | after.keys():
            if before.get(term) != after.get(term):
                changes[term][i] = after.get(term)
    keys = [_utf16(first) for first in firsts]
    touched: defaultdict[int, list[str]] = defaultdict(list)
    for term in changes:
        touched[max(bisect_right(keys, _utf16(term)) - 1, 0)].append(term)
    shards: dict[int, dict[str, bytes]] = {}  # shard → term → its entry, as read or patched
    raw: dict[int, bytes] = {}  # shard → its file's bytes, as read

    def shard(n: int) -> dict[str, bytes] | None:
        if n not in shards:
            found = read_old(f"terms-{n}.json")
            if found is None:
                return None
            raw[n] = found
            shards[n] = {t: _entry(t, orjson.dumps(v)) for t, v in orjson.loads(found).items()}
        return shards[n]

    for n, terms in touched.items():
        entries = shard(n)
        if entries is None:
            return None
        for term in terms:
            was = orjson.loads(entries[term].split(b":", 1)[1]) if term in entries else []
            postings = _decode(was)
            for record, counts in changes[term].items():
                if counts is None:
                    postings.pop(record, None)
                else:
                    postings[record] = counts
            if postings:
                entries[term] = _entry(term, orjson.dumps(_encode(postings)))
            else:
                entries.pop(term, None)
    # Cut again from the first shard touched (or the one before it, when the term that
    # started it is gone) until a boundary falls where it fell before.
    start = min(touched, default=len(firsts))
    while 0 < start < len(firsts) and firsts[start] not in (shard(start) or {}):
        start -= 1
    last = max(touched, default=-1)
    cutter = _Cutter()
    n = start
    while n < len(firsts):
        entries = shard(n)
        if entries is None:
            return None
        for term in sorted(entries, key=_utf16):
            cutter.add(term, entries[term])
        n += 1
        if n > last and n < len(firsts):
            following = shard(n)
            if following is None:
                return None
            head = firsts[n]
            if cutter.current and _cut(head, cutter.size, following[head]):
                break  # the boundary before shard n is where it was: the rest are as they were
    made = cutter.made
    if cutter.current or (start == 0 and not made):  # no vocabulary at all: one empty shard
        made.append((cutter.first, cutter.current))
    out: Files = {}
    for m in range(start):
        out[f"terms-{m}.json"] = None
    for k, (_first, entries_) in enumerate(made):
        body = b"{" + b",".join(entries_) + b"}"
        # A shard cut again as it was (read to find where boundaries fall) is left alone.
        out[f"terms-{start + k}.json"] = None if raw.get(start + k) == body else body
    shift = start + len(made) - n
    for m in range(n, len(firsts)):
        if shift == 0:
            out[f"terms-{m}.json"] = None
        else:  # renumbered: the same bytes under another name
            moved = read_old(f"terms-{m}.json")
            if moved is None:
                return None
            out[f"terms-{m + shift}.json"] = moved
    new_firsts = firsts[:start] + [f for f, _ in made] + firsts[n:]
    out["meta.json"] = _meta(rows, new_firsts, labels)
    return out


def _uint16s(values: list[int]) -> bytes:
    """`values` (each < 2**16) as little-endian uint16s."""
    packed = array("H", values)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _utf16(term: str) -> bytes:
    # JavaScript compares strings by UTF-16 code units: terms sort (and shards are found) so.
    return term.encode("utf-16-be")


def _counts_of(terms: DocTerms) -> dict[str, tuple[int, ...]]:
    """A record's terms, each with its counts in the short fields (zeros past them)."""
    found = terms.terms()
    head = terms.head_counts()
    nowhere = (0,) * len(FIELDS)
    return {t: head[i] if i < len(head) else nowhere for i, t in enumerate(found)}


def _decode(values: list[int]) -> dict[int, tuple[int, ...]]:
    """A term's postings (see the module docstring) → record → its counts."""
    out: dict[int, tuple[int, ...]] = {}
    record, i = -1, 0
    nowhere = (0,) * len(FIELDS)
    while i < len(values):
        record += values[i] >> KIND_BITS
        kind = values[i] & ((1 << KIND_BITS) - 1)
        i += 1
        if kind == 0:
            out[record] = nowhere
        elif kind == 1:
            code = values[i]
            i += 1
            out[record] = tuple((code // DIGIT**f) % DIGIT for f in range(len(FIELDS) - 1, -1, -1))
        else:
            out[record] = tuple(values[i : i + len(FIELDS)])
            i += len(FIELDS)
    return out


def _encode(postings: dict[int, tuple[int, ...]]) -> list[int]:
    """`_decode`'s inverse: what `_postings` writes for these records."""
    out: list[int] = []
    previous = -1
    for record in sorted(postings):
        counts = postings[record]
        top = max(counts)
        kind = 0 if top == 0 else 1 if top < DIGIT else 2
        out.append(((record - previous) << KIND_BITS) | kind)
        if kind == 1:
            out.append(sum(c * DIGIT ** (len(FIELDS) - 1 - f) for f, c in enumerate(counts)))
        elif kind == 2:
            out.extend(counts)
        previous = record
    return out
