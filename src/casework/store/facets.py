"""What search keeps in memory, the same for both engines: `FacetIndex`, each record's facet
values as numpy arrays indexed by record id (filters, facet counts, date and title order),
and `search_steps`, the part of a search done over it (a store keeps its current index in a
`facet_cache.FacetCache`).
Each engine finds the matches and ranks them with its own full-text index
(`sqlite_search`, `postgres_search`); why the facets are counted here and not in SQL is in
`sqlite_search`'s docstring.

Ranking statistics and who may learn them. A search of published records (`Query.status` is
published: what the public API, the live site and the static build ask) is ranked with
statistics counted over published records only: how many there are, each word's document
frequency (which words rank, and their weight), and the counts that decide whether a tier is
scored or ordered newest first. Counted over every record, they would move as drafts holding
a word were written, and anyone could read from a public score or order how many unpublished
records mention a name. `public_ranking` tells which population a search ranks over; the
index keeps each population's size and document frequencies apart. Editors' searches
(every status, drafts, records in review) rank over every record, as before.
"""

from __future__ import annotations

import copy
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from casework.status import Status
from casework.store.base import FACET_NAMES, Hit, Query, SearchResult

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_STATUS_CODES = {Status.draft: 1, Status.review: 2, Status.published: 3}
_PUBLISHED = _STATUS_CODES[Status.published]
_SIMPLE_FACETS = ("category", "severity", "posture", "year", "ongoing")

FACET_COLUMNS = "id, status, category, severity, posture, year, ongoing, date, title, countries"


class FacetIndex:
    """Each record's facet values as codes in arrays indexed by record id (0 = no record).

    An index is never changed once searches may use it: `patched` returns a new one."""

    generation: int
    size: int
    count: int
    published: int
    status: npt.NDArray[np.uint8]
    codes: dict[str, npt.NDArray[np.int32]]
    values: dict[str, list[str]]
    date_key: IntArray
    titles: list[str]
    tag_owner: IntArray
    tag_code: IntArray
    # A record's countries (a record may have several, like tags): (record id, code) pairs.
    country_owner: IntArray
    country_code: IntArray
    doc_freq: dict[str, tuple[int, int]]
    public_doc_freq: dict[str, tuple[int, int]]
    writes: int

    def __init__(
        self,
        generation: int,
        rows: list[Any],
        tag_groups: list[tuple[str, str]],
        public_doc_freq: dict[str, tuple[int, int]],
    ) -> None:
        """An index of `rows` (FACET_COLUMNS, ascending id) and `tag_groups` (a tag, and
        the ids of the records holding it joined by commas) at `generation` (store_meta's);
        `public_doc_freq` holds the short-field words' document frequencies among published
        records known so far (see `sqlite_search.sqlite_facet_index`); those among every
        record are counted when an editor's search first needs them. Tags come grouped: a row
        per tag of every record cost more to fetch than the rest of the index (the benchmark's
        million records hold ~6.5 million tags)."""
        self.generation = generation
        self.size = (rows[-1][0] + 1) if rows else 1
        self.count = 0
        self.published = 0
        self.status = np.zeros(self.size, dtype=np.uint8)
        self.codes = {name: np.zeros(self.size, dtype=np.int32) for name in _SIMPLE_FACETS}
        self.values = {name: [] for name in FACET_NAMES}
        self._lookups: dict[str, dict[str, int]] = {name: {} for name in FACET_NAMES}
        self.date_key = np.zeros(self.size, dtype=np.int64)
        self.titles = [""] * self.size
        self.tag_owner = np.zeros(0, dtype=np.int64)
        self.tag_code = np.zeros(0, dtype=np.int64)
        self.country_owner = np.zeros(0, dtype=np.int64)
        self.country_code = np.zeros(0, dtype=np.int64)
        self._set_rows(rows)
        self._set_tag_groups(tag_groups)
        self._title_rank: IntArray | None = None
        self._base_tallies: dict[Any, dict[str, IntArray]] = {}
        self._value_sets: dict[str, ValueSets] = {}
        # Own writes patch the index without recounting document frequencies: `writes` grows
        # by the records written, and a count is trusted only where that many changes could
        # not move it across a ranking threshold.
        self.writes = 0
        self.doc_freq: dict[str, tuple[int, int]] = {}
        self.public_doc_freq = public_doc_freq

    def patched(
        self,
        generation: int,
        read: Callable[[list[int]], tuple[list[Any], list[Any]]],
        ids: Sequence[int],
    ) -> FacetIndex:
        """A copy of this index with the records `ids` read again (new ones added, those
        without a row any more taken out) by `read`, which gives their FACET_COLUMNS rows and
        (record id, tag) rows, at `generation`. Costs a copy of the arrays, not a rebuild."""
        new = copy.copy(self)
        new.generation = generation
        new.writes = self.writes + len(set(ids))
        new._base_tallies = {}
        if not ids:
            return new
        unique = sorted(set(ids))
        rows, tags = read(unique)
        size = max(self.size, unique[-1] + 1)

        def grown(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
            out = np.zeros(size, dtype=array.dtype)
            out[: self.size] = array
            return out

        new.size = size
        new.status = grown(self.status)
        new.codes = {name: grown(codes) for name, codes in self.codes.items()}
        new.values = {name: list(values) for name, values in self.values.items()}
        new._lookups = {name: dict(lookup) for name, lookup in self._lookups.items()}
        new.date_key = grown(self.date_key)
        new.titles = self.titles + [""] * (size - self.size)
        keep = ~np.isin(self.tag_owner, np.array(unique, dtype=np.int64))
        new.tag_owner, new.tag_code = self.tag_owner[keep], self.tag_code[keep]
        keep = ~np.isin(self.country_owner, np.array(unique, dtype=np.int64))
        new.country_owner, new.country_code = self.country_owner[keep], self.country_code[keep]
        new._title_rank = None
        kept = {"tag": len(new.tag_owner), "country": len(new.country_owner)}
        new._set_rows(rows)
        new._set_tags(tags)
        # The counting sets follow the patch (a rebuild costs ~20-40 ms at 100,000 records,
        # which the first search after every write would pay).
        touched = np.array(unique, dtype=np.int64)
        new._value_sets = {}
        for name, sets in self._value_sets.items():
            owner, code = (
                (new.tag_owner, new.tag_code)
                if name == "tag"
                else (new.country_owner, new.country_code)
            )
            new._value_sets[name] = sets.patched(
                size, touched, owner[kept[name] :], code[kept[name] :], len(new.values[name])
            )
        # Those `read` found no row for left the store (deleted, retired): taken out.
        gone = np.array(sorted(set(unique) - {row[0] for row in rows}), dtype=np.int64)
        gone = gone[gone < self.size]
        if len(gone):
            new.count -= int(np.count_nonzero(new.status[gone]))
            new.published -= int(np.count_nonzero(new.status[gone] == _PUBLISHED))
            new.status[gone] = 0
        return new

    def _set_rows(self, rows: list[Any]) -> None:
        if not rows:
            return
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        statuses = np.array([_STATUS_CODES.get(Status(row[1]), 0) for row in rows], np.uint8)
        self.count += len(rows) - int(np.count_nonzero(self.status[ids]))
        self.published += int(np.count_nonzero(statuses == _PUBLISHED))
        self.published -= int(np.count_nonzero(self.status[ids] == _PUBLISHED))
        self.status[ids] = statuses
        for column, name in enumerate(_SIMPLE_FACETS, start=2):
            lookup, values = self._lookups[name], self.values[name]
            codes = []
            for row in rows:
                value = _facet_value(name, row[column])
                code = lookup.get(value)
                if code is None:
                    code = lookup[value] = len(values)
                    values.append(value)
                codes.append(code)
            self.codes[name][ids] = codes
        # Newest first = the largest (date, id): yyyymmdd in the high bits, the id below.
        days = np.fromiter(
            (int(row[7].replace("-", "")) for row in rows), dtype=np.int64, count=len(rows)
        )
        self.date_key[ids] = (days << 32) | ids
        for row in rows:
            self.titles[row[0]] = row[8]
        lookup, values = self._lookups["country"], self.values["country"]
        owners, codes = [], []
        for row in rows:
            for country in filter(None, str(row[9] or "").split(",")):
                code = lookup.get(country)
                if code is None:
                    code = lookup[country] = len(values)
                    values.append(country)
                owners.append(row[0])
                codes.append(code)
        if owners:
            self.country_owner = np.concatenate(
                [self.country_owner, np.array(owners, dtype=np.int64)]
            )
            self.country_code = np.concatenate([self.country_code, np.array(codes, np.int64)])

    def _set_tag_groups(self, groups: list[tuple[str, str]]) -> None:
        lookup, values = self._lookups["tag"], self.values["tag"]
        owners: list[IntArray] = [self.tag_owner]
        codes: list[IntArray] = [self.tag_code]
        for tag, joined in groups:
            code = lookup.get(tag)
            if code is None:
                code = lookup[tag] = len(values)
                values.append(tag)
            ids = np.fromstring(joined, dtype=np.int64, sep=",")
            owners.append(ids)
            codes.append(np.full(len(ids), code, dtype=np.int64))
        self.tag_owner = np.concatenate(owners)
        self.tag_code = np.concatenate(codes)

    def _set_tags(self, tag_rows: list[Any]) -> None:
        lookup, values = self._lookups["tag"], self.values["tag"]
        codes = []
        for _owner, tag in tag_rows:
            code = lookup.get(tag)
            if code is None:
                code = lookup[tag] = len(values)
                values.append(tag)
            codes.append(code)
        owners = np.fromiter((r[0] for r in tag_rows), dtype=np.int64, count=len(tag_rows))
        self.tag_owner = np.concatenate([self.tag_owner, owners])
        self.tag_code = np.concatenate([self.tag_code, np.array(codes, dtype=np.int64)])

    @property
    def title_rank(self) -> IntArray:
        """Each record's place in (title, id) order; worked out when first asked for."""
        rank = self._title_rank
        if rank is None:
            titles = self.titles
            order = sorted(range(self.size), key=lambda i: (titles[i].casefold(), i))
            rank = np.zeros(self.size, dtype=np.int64)
            rank[np.array(order, dtype=np.int64)] = np.arange(self.size)
            self._title_rank = rank
        return rank

    def population(self, public: bool) -> int:
        """How many records ranking statistics are counted over: the published ones for a
        public search (`public_ranking`), every record for an editor's."""
        return self.published if public else self.count

    def frequencies(self, public: bool) -> dict[str, tuple[int, int]]:
        """The short-field document frequencies known so far in that population, by word
        key (each engine's own): (count, `writes` when it was counted). Shared by the
        patched copies of an index; a search adds what it counts."""
        return self.public_doc_freq if public else self.doc_freq

    def counted(self, ids: IntArray, public: bool) -> IntArray:
        """Those of `ids` (found in a full-text index of every record) in the population."""
        ids = ids[ids < self.size]
        return ids[self.status[ids] == _PUBLISHED] if public else ids

    def narrow(self, low: int, high: int, public: bool) -> bool:
        """Whether ids `low`..`high` hold fewer than half of the population: the span within
        which a tier is looked up (FTS5 costs ~15% more with a range that excludes little).
        Counted in records of the population, not in ids, so that a public search's span,
        and the tier counts read within it, stay the same however many drafts were written
        between two published records."""
        if not public:
            return high - low < self.size // 2
        within = int(np.count_nonzero(self.status[low : high + 1] == _PUBLISHED))
        return within < self.published // 2

    def ranks(self, frequency: int, public: bool) -> bool:
        """Whether a word in the short fields of `frequency` records of the population ranks:
        found, and in fewer than half of them (FTS5 floors the IDF of the others to ~1e-6)."""
        return 0 < frequency and 2 * frequency < self.population(public)

    def settled(self, count: int, slack: int, public: bool) -> bool:
        """Whether a frequency known as `count` ± `slack` (the writes since it was counted)
        decides `ranks` whatever the slack, so that it need not be counted again."""
        low, high = count - slack, count + slack
        size = self.population(public)
        return (low > 0 or high == 0) and (2 * high < size or 2 * low >= size)

    def allowed(self, query: Query) -> BoolArray:
        """Which record ids pass the query's filters: OR within a facet, AND across facets."""
        mask: BoolArray = self.status != 0
        if query.status is not None:
            mask &= self.status == _STATUS_CODES[query.status]
        wanted: dict[str, Sequence[str]] = {
            "category": query.category,
            "severity": query.severity,
            "posture": query.posture,
            "year": [str(y) for y in query.year],
            "ongoing": [] if query.ongoing is None else [_facet_value("ongoing", query.ongoing)],
        }
        for name, values in wanted.items():
            if values:
                codes = [self._lookups[name][v] for v in values if v in self._lookups[name]]
                mask &= np.isin(self.codes[name], codes)
        if query.date_from or query.date_to:
            days = self.date_key >> 32  # yyyymmdd
            if query.date_from:
                mask &= days >= int(query.date_from.replace("-", ""))
            if query.date_to:
                mask &= days <= int(query.date_to.replace("-", ""))
        if query.tag:
            codes = [self._lookups["tag"][t] for t in query.tag if t in self._lookups["tag"]]
            has_tag = np.zeros(self.size, dtype=np.bool_)
            has_tag[self.tag_owner[np.isin(self.tag_code, codes)]] = True
            mask &= has_tag
        if query.country:
            lookup = self._lookups["country"]
            codes = [lookup[c] for c in query.country if c in lookup]
            in_country = np.zeros(self.size, dtype=np.bool_)
            in_country[self.country_owner[np.isin(self.country_code, codes)]] = True
            mask &= in_country
        return mask

    def counts(
        self, ids: IntArray, allowed: BoolArray | None = None, key: Any = None
    ) -> dict[str, list[tuple[str, int]]]:
        """Facet name → [(value, count)] over `ids`, most frequent first. Given `allowed`
        (the filter mask `ids` was cut from) and a `key` naming the filters, more than half of
        the allowed records are counted as all allowed minus the rest: the whole set's counts
        are cached per filter, so a common word costs half a count at most."""
        if allowed is not None and key is not None and 2 * len(ids) > np.count_nonzero(allowed):
            base = self._base_tallies.get(key)
            if base is None:
                if len(self._base_tallies) > 64:
                    self._base_tallies.clear()
                everything = np.flatnonzero(allowed).astype(np.int64)
                base = self._base_tallies[key] = self._tallies(everything, allowed)
            rest_mask = allowed.copy()
            rest_mask[ids] = False
            rest = self._tallies(np.flatnonzero(rest_mask).astype(np.int64), rest_mask)
            tallies = {name: base[name] - rest[name] for name in base}
        else:
            tallies = self._tallies(ids)
        return {name: _ordered(self.values[name], tallies[name]) for name in FACET_NAMES}

    def _tallies(self, ids: IntArray, selected: BoolArray | None = None) -> dict[str, IntArray]:
        tallies: dict[str, IntArray] = {}
        for name in _SIMPLE_FACETS:
            tallies[name] = np.bincount(self.codes[name][ids], minlength=len(self.values[name]))
        if selected is None:
            selected = np.zeros(self.size, dtype=np.bool_)
            selected[ids] = True
        bits = bitset(selected)
        for name in ("tag", "country"):
            tallies[name] = self.value_sets(name).count(selected, bits)
        return tallies

    def value_sets(self, name: str) -> ValueSets:
        """The records holding each value of the multi-valued facet `name` (tag, country),
        as `ValueSets` counts them; made when first asked for (an index is never changed)."""
        found = self._value_sets.get(name)
        if found is None:
            owner, code = (
                (self.tag_owner, self.tag_code)
                if name == "tag"
                else (self.country_owner, self.country_code)
            )
            found = self._value_sets[name] = ValueSets(
                self.size, owner, code, len(self.values[name])
            )
        return found


def bitset(selected: BoolArray) -> npt.NDArray[np.uint64]:
    """`selected` (a flag per record id) as a bitset: record id i is bit i % 64 of word
    i // 64."""
    words = (len(selected) + 63) // 64
    padded = np.zeros(words * 64, dtype=np.bool_)
    padded[: len(selected)] = selected
    return np.packbits(padded, bitorder="little").view(np.uint64)


class ValueSets:
    """The records holding each value of a multi-valued facet (tags, countries), laid out for
    counting a match set's values in one pass, however large the set.

    Why: counting over (record, value) pairs reads every pair and keeps those whose record is
    selected, a data-dependent branch per pair: with ~6.5 tags a record and a match set of
    40% of 100,000 records, 3.9 ms of a search's CPU, most of its facet counting. A value held
    by many records is kept as a bitset over record ids instead, and counted as the popcount
    of (its bitset AND the selection's): ~N/64 words of work, whatever the selection. A value
    held by few records (fewer than N/128) keeps its pairs: its bitset would cost more memory
    than its pairs (16 bytes each) and more time than reading them. Measured on 150 tags of
    100,000 generated records: 0.35-0.5 ms against 3.9 ms for a 40,000-record selection."""

    def __init__(self, size: int, owner: IntArray, code: IntArray, values: int) -> None:
        self.values = values
        words = (size + 63) // 64
        held = np.bincount(code, minlength=values)
        dense = np.flatnonzero(held * 128 >= words * 64)
        self.dense = dense
        row = np.full(values, -1, dtype=np.int64)
        row[dense] = np.arange(len(dense))
        rows = row[code]
        in_dense = rows >= 0
        self.bits = np.zeros((len(dense), words), dtype=np.uint64)
        # Built a few rows at a time through a flag per (row, record): bounded memory
        # (~16 MB), and packbits does the bit shuffling in C.
        per_chunk = max(1, (16 << 20) // (words * 64))
        dense_rows, dense_owners = rows[in_dense], owner[in_dense]
        for first in range(0, len(dense), per_chunk):
            last = min(len(dense), first + per_chunk)
            chosen = (dense_rows >= first) & (dense_rows < last)
            flags = np.zeros((last - first) * words * 64, dtype=np.bool_)
            flags[(dense_rows[chosen] - first) * (words * 64) + dense_owners[chosen]] = True
            packed = np.packbits(flags, bitorder="little").view(np.uint64)
            self.bits[first:last] = packed.reshape(last - first, words)
        self.sparse_owner = owner[~in_dense]
        self.sparse_code = code[~in_dense]

    def patched(
        self, size: int, touched: IntArray, owner: IntArray, code: IntArray, values: int
    ) -> ValueSets:
        """A copy holding the records `touched` (re-read by a write) with their pairs
        (`owner`, `code`) only, for an index of `size` ids and `values` values. Which values
        are bitsets stays as it was (a new value keeps pairs) until the index is rebuilt."""
        new = copy.copy(self)
        new.values = values
        words = (size + 63) // 64
        new.bits = np.zeros((len(self.dense), words), dtype=np.uint64)
        new.bits[:, : self.bits.shape[1]] = self.bits
        flags = np.zeros(words * 64, dtype=np.bool_)
        flags[touched] = True
        new.bits &= ~np.packbits(flags, bitorder="little").view(np.uint64)
        row = np.full(values, -1, dtype=np.int64)
        row[self.dense] = np.arange(len(self.dense))
        rows = row[code]
        in_dense = rows >= 0
        np.bitwise_or.at(
            new.bits,
            (rows[in_dense], owner[in_dense] >> 6),
            np.left_shift(np.uint64(1), (owner[in_dense] & 63).astype(np.uint64)),
        )
        keep = ~np.isin(self.sparse_owner, touched)
        new.sparse_owner = np.concatenate([self.sparse_owner[keep], owner[~in_dense]])
        new.sparse_code = np.concatenate([self.sparse_code[keep], code[~in_dense]])
        return new

    def count(self, selected: BoolArray, bits: npt.NDArray[np.uint64]) -> IntArray:
        """How many `selected` records (the flags, and the same as a `bitset`) hold each
        value, by value code."""
        tally = np.bincount(
            self.sparse_code[selected[self.sparse_owner]], minlength=self.values
        ).astype(np.int64)
        if len(self.dense):
            tally[self.dense] = np.bitwise_count(self.bits & bits).sum(axis=1, dtype=np.int64)
        return tally


MATCHES_KEPT_BYTES = 64 * 1024 * 1024
"""The most memory a process keeps lookups' answers in (per facet index, see `Matches`)."""
MATCHES_KEPT_FROM = 2_000
"""Lookups finding fewer ids are not kept: they cost less than a millisecond."""

_Kept = TypeVar("_Kept")


class Matches:
    """The full-text lookups of one facet index's generation, kept (either engine): a word in
    most records costs a lookup of every one of them (FTS5: ~90 ns a rowid, 8-14 ms for a
    word in most of 100,000 records; PostgreSQL's GIN at a million records, ~100 ms), however
    few results are shown, and searches repeat words. Kept only for searches whose snapshot
    is the index's generation (`matches_of`), so an answer never comes from another snapshot;
    a new generation (any write) starts afresh. Least recently used go first, past
    MATCHES_KEPT_BYTES. What is kept is shared by threads: never changed in place."""

    def __init__(self) -> None:
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._asked: set[Hashable] = set()

    def asked_before(self, key: Hashable) -> bool:
        """Whether `key` was asked for before (it is noted now): for a lookup that costs
        more when its whole answer is read to be kept, kept only from its second time."""
        with self._lock:
            if key in self._asked or key in self._kept:
                return True
            if len(self._asked) >= 10_000:
                self._asked.clear()
            self._asked.add(key)
            return False

    def __len__(self) -> int:
        return len(self._kept)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._kept

    def get(self, key: Hashable) -> Any:
        """What was kept under `key`, or None."""
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
        return found.ids() if isinstance(found, _Packed) else found

    def kept(self, key: Hashable, load: Callable[[], _Kept], always: bool = False) -> _Kept:
        """`load()`'s answer for `key` (a numpy array, or a tuple of them), from what was
        kept when it was asked before; kept when it holds MATCHES_KEPT_FROM ids or more, or
        `always` (a lookup that costs more than its size tells, such as a bm25 tier)."""
        known = self.get(key)
        if known is not None:
            return known  # type: ignore[no-any-return]
        found = load()
        arrays: tuple[Any, ...] = found if isinstance(found, tuple) else (found,)
        if always or len(arrays[0]) >= MATCHES_KEPT_FROM:
            for array in arrays:
                array.flags.writeable = False
            kept: Any = found
            if isinstance(found, np.ndarray) and _Packed.smaller(found):
                kept = _Packed(found)
            with self._lock:
                if key not in self._kept:
                    self._kept[key] = kept
                    self._bytes += _nbytes(kept)
                while self._bytes > MATCHES_KEPT_BYTES and self._kept:
                    self._bytes -= _nbytes(self._kept.popitem(last=False)[1])
        return found


class _Packed:
    """Ascending ids kept as a bitset over ids (one bit an id, not 8 bytes): a word in most
    records is 12.5 KB at 100,000 records, not 800 KB, so that `Matches`' memory holds the
    common words of a whole working set (at 64 MB of arrays the benchmark's 400 searches
    pushed out every one before it was asked again). Unpacked when asked: ~0.2 ms."""

    def __init__(self, ids: IntArray) -> None:
        self.length = int(ids[-1]) + 1
        flags = np.zeros(self.length, dtype=np.bool_)
        flags[ids] = True
        self.bits = np.packbits(flags, bitorder="little")
        self.nbytes = self.bits.nbytes

    @staticmethod
    def smaller(ids: IntArray) -> bool:
        return len(ids) > 0 and int(ids[-1]) < 64 * len(ids)

    def ids(self) -> IntArray:
        flags = np.unpackbits(self.bits, count=self.length, bitorder="little")
        found = np.flatnonzero(flags).astype(np.int64)
        found.flags.writeable = False
        return found


def _nbytes(kept: Any) -> int:
    arrays = kept if isinstance(kept, tuple) else (kept,)
    return sum(int(array.nbytes) for array in arrays)


_matches: weakref.WeakKeyDictionary[FacetIndex, Matches] = weakref.WeakKeyDictionary()
_matches_lock = threading.Lock()


def matches_of(index: FacetIndex, generation: int | None) -> Matches | None:
    """The `Matches` kept with `index`, for a search whose snapshot is at store generation
    `generation`; None when that is not the index's own (nothing is kept for it then)."""
    if generation is None or generation != index.generation:
        return None
    with _matches_lock:
        kept = _matches.get(index)
        if kept is None:
            kept = _matches[index] = Matches()
    return kept


def public_ranking(query: Query) -> bool:
    """Whether `query` is ranked with statistics of published records only: a search of
    published records, which is what the public is given (see the module docstring)."""
    return query.status is Status.published


def _facet_value(name: str, value: Any) -> str:
    if name == "ongoing":
        return "true" if value else "false"
    return str(value)


def _ordered(values: list[str], tally: IntArray) -> list[tuple[str, int]]:
    nonzero = np.flatnonzero(tally)
    pairs = [(values[i], int(tally[i])) for i in nonzero]
    pairs.sort(key=lambda pair: (-pair[1], pair[0]))
    return pairs


def search_steps(
    index: FacetIndex,
    query: Query,
    matches: Callable[[], IntArray] | None,
    rank: Callable[[IntArray, int, dict[int, float]], list[int]],
    hits: Callable[[list[int], dict[int, float]], list[Hit]],
) -> SearchResult:
    """The steps of a search that both engines share, over `index`: the matches (`matches()`,
    the ids of the records holding every word, ascending; None when the query has no words)
    cut to the filters, the facets counted, a page ordered (`rank(ids, wanted, scores)` for
    relevance with words) and its `hits(page, scores)` made."""
    allowed = index.allowed(query)
    if matches is not None:
        ids = matches()
        ids = ids[ids < index.size]  # written after the index was read: not visible yet
        ids = ids[allowed[ids]]
    else:
        ids = np.flatnonzero(allowed).astype(np.int64)
    filters = (query.status, query.category, query.severity, query.posture, query.tag,
               query.year, query.ongoing, query.date_from, query.date_to,
               query.country)  # fmt: skip
    facets = index.counts(ids, allowed, filters) if query.facets else {}
    limit, offset = max(query.limit, 0), max(query.offset, 0)
    wanted = offset + limit
    scores: dict[int, float] = {}
    if query.sort == "relevance" and matches is not None:
        page = rank(ids, wanted, scores)
    else:
        if query.sort == "title":
            keys = index.title_rank[ids]
        elif query.sort == "date":
            keys = index.date_key[ids]
        else:  # -date, and relevance without words: newest first
            keys = -index.date_key[ids]
        page = _top(ids, keys, wanted)
    page = page[offset:wanted]
    return SearchResult(total=len(ids), hits=hits(page, scores), facets=facets)


def _top(ids: IntArray, keys: IntArray, k: int) -> list[int]:
    if k <= 0 or len(ids) == 0:
        return []
    if k < len(ids):
        part = np.argpartition(keys, k - 1)[:k]
        order = part[np.argsort(keys[part], kind="stable")]
    else:
        order = np.argsort(keys, kind="stable")
    return [int(i) for i in ids[order]]


def place_the_rest(
    index: FacetIndex, in_title: IntArray, unplaced: BoolArray, wanted: int, page: list[int]
) -> None:
    """Append to `page`, up to `wanted`, the records still `unplaced`: those whose title
    holds every word (`in_title`) first, then the others, each newest first (either engine)."""
    rest = np.flatnonzero(unplaced).astype(np.int64)
    in_title = in_title[in_title < index.size]
    first = in_title[unplaced[in_title]]
    page.extend(_top(first, -index.date_key[first], wanted - len(page)))
    unplaced[first] = False
    rest = rest[unplaced[rest]]
    page.extend(_top(rest, -index.date_key[rest], wanted - len(page)))
