"""Full-text search on SQLite: FTS5 for matching and bm25 ranking, numpy arrays for facets.

Why this shape (measured on 100,000 records with 6 KB bodies; see benchmarks/search.py):
FTS5's bm25 costs ~1.4 µs for every row it scores (it reads each row's column sizes), so
ranking every match of a common word costs 100+ ms; a GROUP BY facet joins every match. So:

- `search_all` (every field and the body, detail=none, contentless) only answers "which rows
  match": FTS5 intersects the doclists in C and hands the rowids over as one string;
- `search_head` (title, tags, summary, key points, description; full detail) ranks with bm25,
  weights title 10, tags 5, summary 3, key points 2, description 1;
- facet counts and filters run over an in-memory `FacetIndex` (one small numpy array per facet,
  indexed by record id), patched in place for this store's own writes and rebuilt when
  `store_meta.generation` says another connection wrote;
- snippets are cut in Python from the stored record, for the page of hits only.

Ranking rules (sort="relevance" with words; every hit holds every word somewhere):

1. Ranking words. FTS5's bm25 floors the IDF of a word found in half the records or more to
   ~1e-6: such a word carries no ranking information. Each word's document frequency in
   `search_head` is looked up (cached per index generation); words in half the records or more,
   and words found only in bodies, still filter but are left out of the ranking expression.
2. Tiers, each ranked by bm25 over the ranking words, each tier before the next:
   a. every ranking word in the title or tags;
   b. every ranking word somewhere in the short fields;
   c. any ranking word in the short fields (two or more ranking words only).
   A tier whose words match more than `RANK_BUDGET` rows is ordered newest first instead of
   by bm25: its words are so common there that bm25 would sort by field length, and scoring
   them all would cost more than the whole search may (20 ms).
3. The rest (matches only in the body, or only by words too common to rank): records whose
   title holds every word first, then newest first.

A hit's `score` is its bm25 within its tier, 0 when it was placed without bm25; the order of
the hits is the ranking. User text never reaches FTS5 as syntax: it is split into words, each
quoted.
"""

from __future__ import annotations

import copy
import html
import json
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from casework.model import Status
from casework.render.html import html_to_text
from casework.store.base import FACET_NAMES, Hit, Query, SearchResult

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

MAX_TERMS = 16
_WORD = re.compile(r"[^\W_]+\*?")
_STATUS_CODES = {Status.draft: 1, Status.review: 2, Status.published: 3}
_SIMPLE_FACETS = ("category", "severity", "posture", "year", "ongoing")


@dataclass(frozen=True)
class Term:
    word: str  # NFKC, as typed
    prefix: bool

    @property
    def fts(self) -> str:
        return '"' + self.word.replace('"', '""') + '"' + ("*" if self.prefix else "")


def parse_terms(text: str) -> list[Term]:
    """The words of a user's query. Every word is quoted for FTS5, so no input is syntax;
    a trailing `*` asks for a prefix match. Only runs of letters and digits count as words
    (what FTS5's unicode61 tokenizer makes one token of), so a quoted word is one token."""
    terms: list[Term] = []
    seen: set[Term] = set()
    for match in _WORD.finditer(unicodedata.normalize("NFKC", text)):
        word = match.group()
        term = Term(word.rstrip("*"), word.endswith("*"))
        if term not in seen:
            seen.add(term)
            terms.append(term)
    return terms[:MAX_TERMS]


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


FACET_COLUMNS = "id, status, category, severity, posture, year, ongoing, date, title"


class FacetIndex:
    """Each record's facet values as codes in arrays indexed by record id (0 = no record).

    An index is never changed once searches may use it: `patched` returns a new one."""

    generation: int
    size: int
    count: int
    status: npt.NDArray[np.uint8]
    codes: dict[str, npt.NDArray[np.int32]]
    values: dict[str, list[str]]
    date_key: IntArray
    titles: list[str]
    tag_owner: IntArray
    tag_code: IntArray
    doc_freq: dict[str, tuple[int, int]]
    writes: int

    def __init__(
        self,
        generation: int,
        rows: list[Any],
        tag_groups: list[tuple[str, str]],
        doc_freq: dict[str, tuple[int, int]],
    ) -> None:
        """An index of `rows` (FACET_COLUMNS, ascending id) and `tag_groups` (a tag, and
        the ids of the records holding it joined by commas) at `generation` (store_meta's);
        `doc_freq` holds the short-field words' document frequencies known so far (see
        `of_sqlite`). Tags come grouped: a row per tag of every record cost more to fetch
        than the rest of the index (the benchmark's million records hold ~6.5 million tags)."""
        self.generation = generation
        self.size = (rows[-1][0] + 1) if rows else 1
        self.count = 0
        self.status = np.zeros(self.size, dtype=np.uint8)
        self.codes = {name: np.zeros(self.size, dtype=np.int32) for name in _SIMPLE_FACETS}
        self.values = {name: [] for name in FACET_NAMES}
        self._lookups: dict[str, dict[str, int]] = {name: {} for name in FACET_NAMES}
        self.date_key = np.zeros(self.size, dtype=np.int64)
        self.titles = [""] * self.size
        self.tag_owner = np.zeros(0, dtype=np.int64)
        self.tag_code = np.zeros(0, dtype=np.int64)
        self._set_rows(rows)
        self._set_tag_groups(tag_groups)
        self._title_rank: IntArray | None = None
        self._base_tallies: dict[Any, dict[str, IntArray]] = {}
        # Own writes patch the index without recounting document frequencies: `writes` grows
        # by the records written, and a count is trusted only where that many changes could
        # not move it across a ranking threshold.
        self.writes = 0
        self.doc_freq = doc_freq

    @classmethod
    def of_sqlite(cls, generation: int, db: sqlite3.Connection) -> FacetIndex:
        """The index of every record `db` holds, with every short-field word's document
        frequency from FTS5's vocabulary (a pass over the index, ~0.4 s per 100,000 records)."""
        rows = db.execute(f"SELECT {FACET_COLUMNS} FROM records ORDER BY id").fetchall()
        tags = db.execute(
            "SELECT tag, group_concat(record_id) FROM record_tags GROUP BY tag"
        ).fetchall()
        db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.casework_head_vocab "
            "USING fts5vocab(main, search_head, row)"
        )
        doc_freq = {
            term: (count, 0)
            for term, count in db.execute("SELECT term, doc FROM temp.casework_head_vocab")
        }
        return cls(generation, rows, tags, doc_freq)

    def patched(
        self,
        generation: int,
        read: Callable[[list[int]], tuple[list[Any], list[Any]]],
        ids: Sequence[int],
    ) -> FacetIndex:
        """A copy of this index with the records `ids` read again (new ones added) by
        `read`, which gives their FACET_COLUMNS rows and (record id, tag) rows, at
        `generation`. Costs a copy of the arrays, not a rebuild."""
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
        new._title_rank = None
        new._set_rows(rows)
        new._set_tags(tags)
        return new

    def _set_rows(self, rows: list[Any]) -> None:
        if not rows:
            return
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        self.count += len(rows) - int(np.count_nonzero(self.status[ids]))
        self.status[ids] = [_STATUS_CODES.get(Status(row[1]), 0) for row in rows]
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

    def ranks(self, frequency: int) -> bool:
        """Whether a word in the short fields of `frequency` records ranks: found, and in
        fewer than half the records (FTS5 floors the IDF of the others to ~1e-6)."""
        return 0 < frequency and 2 * frequency < self.count

    def settled(self, count: int, slack: int) -> bool:
        """Whether a frequency known as `count` ± `slack` (the writes since it was counted)
        decides `ranks` whatever the slack, so that it need not be counted again."""
        low, high = count - slack, count + slack
        return (low > 0 or high == 0) and (2 * high < self.count or 2 * low >= self.count)

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
        tags = self.tag_code[selected[self.tag_owner]]
        tallies["tag"] = np.bincount(tags, minlength=len(self.values["tag"]))
        return tallies


PATCH_LIMIT = 5_000  # records written at once that the facet index is patched for


class FacetCache:
    """A store's current FacetIndex, shared by its threads: rebuilt when a search finds it
    older than the search's snapshot, patched after the store's own writes (either engine)."""

    def __init__(self) -> None:
        self._index: FacetIndex | None = None
        self._lock = threading.Lock()

    @property
    def current(self) -> FacetIndex | None:
        return self._index

    def for_search(self, generation: int, build: Callable[[], FacetIndex]) -> FacetIndex:
        """The index for a snapshot at `generation`, built by `build` if the one in memory is
        older. One newer than the snapshot (patched by a write that committed since it began)
        is used as it is: rebuilding it would go back in time."""
        with self._lock:
            if self._index is None or self._index.generation < generation:
                self._index = build()
            return self._index

    def patched(
        self,
        generation: int,
        touched: list[int],
        read: Callable[[list[int]], tuple[list[Any], list[Any]]],
    ) -> FacetIndex | None:
        """The index with a write's records `touched` (read by `read` inside the write), when
        the one in memory was current just before it (else None: the next search rebuilds
        it). Big writes are left to the rebuild, which costs less than patching most of it."""
        with self._lock:
            current = self._index
        if current is None or current.generation != generation - 1:
            return None
        if len(touched) > max(PATCH_LIMIT, current.count // 4):
            return None
        return current.patched(generation, read, touched)

    def install(self, patched: FacetIndex | None) -> None:
        """Keep `patched` (made by `patched` before the write committed) unless a newer
        index is already in place."""
        if patched is None:
            return
        with self._lock:
            if self._index is None or self._index.generation < patched.generation:
                self._index = patched


def sqlite_facet_rows(db: sqlite3.Connection) -> Callable[[list[int]], tuple[list[Any], list[Any]]]:
    """`FacetIndex.patched`'s reader over SQLite connection `db`."""

    def read(unique: list[int]) -> tuple[list[Any], list[Any]]:
        rows: list[Any] = []
        tags: list[Any] = []
        for at in range(0, len(unique), 500):
            chunk = unique[at : at + 500]
            marks = ",".join("?" * len(chunk))
            rows += db.execute(
                f"SELECT {FACET_COLUMNS} FROM records WHERE id IN ({marks})", chunk
            ).fetchall()
            tags += db.execute(
                f"SELECT record_id, tag FROM record_tags WHERE record_id IN ({marks})", chunk
            ).fetchall()
        return rows, tags

    return read


def _facet_value(name: str, value: Any) -> str:
    if name == "ongoing":
        return "true" if value else "false"
    return str(value)


def _ordered(values: list[str], tally: IntArray) -> list[tuple[str, int]]:
    nonzero = np.flatnonzero(tally)
    pairs = [(values[i], int(tally[i])) for i in nonzero]
    pairs.sort(key=lambda pair: (-pair[1], pair[0]))
    return pairs


def _fts_ids(
    db: sqlite3.Connection, table: str, expression: str, low: int = 0, high: int = 0
) -> IntArray:
    """Rowids of `table` matching the FTS5 `expression`, ascending; between `low` and `high`
    when `high` is given (a rowid range costs ~15% when it excludes little: callers pass one
    only when it is narrow)."""
    sql = f"SELECT group_concat(rowid) FROM {table} WHERE {table} MATCH ?"
    args: tuple[Any, ...] = (expression,)
    if high:
        sql, args = sql + " AND rowid BETWEEN ? AND ?", (expression, low, high)
    found = db.execute(sql, args).fetchone()[0]
    if not found:
        return np.zeros(0, dtype=np.int64)
    # FTS5 yields rowids in ascending order; parsing the string in C is ~8x faster than split.
    return np.fromstring(found, dtype=np.int64, sep=",")


def matching_ids(db: sqlite3.Connection, terms: list[Term]) -> IntArray:
    """Ids of the records holding every term somewhere, ascending."""
    return _fts_ids(db, "search_all", " ".join(term.fts for term in terms))


def search(db: sqlite3.Connection, index: FacetIndex, query: Query) -> SearchResult:
    """Run `query` with `db` (in a read transaction) and `index` (current for it)."""
    terms = parse_terms(query.text)
    return search_steps(
        index,
        query,
        (lambda: matching_ids(db, terms)) if terms else None,
        lambda ids, wanted, scores: _ranked(db, index, terms, ids, wanted, scores),
        lambda page, scores: _hits(db, page, terms, scores),
    )


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
               query.year, query.ongoing, query.date_from, query.date_to)  # fmt: skip
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


RANK_BUDGET = 4000
"""The most rows one bm25 tier may score (~1.4 µs each): past it the tier goes newest first."""


def _frequency_decides(index: FacetIndex, term: Term, db: sqlite3.Connection) -> tuple[int, int]:
    """(count, slack): the records holding `term` in their short fields are count ± slack."""
    key = _fold(term.word) if not term.prefix else term.fts
    found = index.doc_freq.get(key)
    if found is None and not term.prefix:
        # Not in the vocabulary as folded here (or in no record): count it exactly.
        found = index.doc_freq.get(term.fts)
        key = term.fts
    if found is None:
        count = db.execute(
            "SELECT count(*) FROM search_head WHERE search_head MATCH ?", (term.fts,)
        ).fetchone()[0]
        found = index.doc_freq[key] = (count, index.writes)
    return found[0], abs(index.writes - found[1])


def document_frequency(db: sqlite3.Connection, index: FacetIndex, term: Term) -> int:
    """How many records hold `term` in their short fields (exact)."""
    count, slack = _frequency_decides(index, term, db)
    if slack:
        count = db.execute(
            "SELECT count(*) FROM search_head WHERE search_head MATCH ?", (term.fts,)
        ).fetchone()[0]
    return int(count)


def ranking_terms(db: sqlite3.Connection, index: FacetIndex, terms: list[Term]) -> list[Term]:
    """The terms bm25 can rank by: found in the short fields of fewer than half the records
    (FTS5 floors the IDF of the others to ~1e-6)."""
    ranking = []
    for term in terms:
        count, slack = _frequency_decides(index, term, db)
        if not index.settled(count, slack):
            count = document_frequency(db, index, term)
        if index.ranks(count):
            ranking.append(term)
    return ranking


def _ranked(
    db: sqlite3.Connection,
    index: FacetIndex,
    terms: list[Term],
    ids: IntArray,
    wanted: int,
    scores: dict[int, float],
) -> list[int]:
    """The first `wanted` of `ids` by the ranking rules of the module docstring."""
    if wanted <= 0 or len(ids) == 0:
        return []
    unplaced = np.zeros(index.size, dtype=np.bool_)
    unplaced[ids] = True
    low, high = int(ids[0]), int(ids[-1])
    span = (low, high) if high - low < index.size // 2 else (0, 0)
    page: list[int] = []
    ranking = ranking_terms(db, index, terms)
    tiers: list[str] = []
    if ranking:
        every = " ".join(term.fts for term in ranking)
        tiers = ["{title tags} : (" + every + ")", every]
        if len(ranking) > 1:
            tiers.append(" OR ".join(term.fts for term in ranking))
    for expression in tiers:
        if len(page) >= wanted:
            break
        _rank_tier(db, index, expression, span, unplaced, wanted, page, scores)
    if len(page) < wanted:
        in_title = _fts_ids(
            db, "search_head", "{title} : (" + " ".join(t.fts for t in terms) + ")", *span
        )
        place_the_rest(index, in_title, unplaced, wanted, page)
    return page


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


def _rank_tier(
    db: sqlite3.Connection,
    index: FacetIndex,
    expression: str,
    span: tuple[int, int],
    unplaced: BoolArray,
    wanted: int,
    page: list[int],
    scores: dict[int, float],
) -> None:
    """Append to `page` (up to `wanted`) the unplaced rows matching `expression` in
    `search_head`, by bm25, or newest first when more than RANK_BUDGET rows match."""
    matched = _fts_ids(db, "search_head", expression, *span)
    matched = matched[matched < index.size]
    tier = matched[unplaced[matched]]
    if len(tier) == 0:
        return
    if len(matched) > RANK_BUDGET:
        chosen = _top(tier, -index.date_key[tier], wanted - len(page))
        page.extend(chosen)
        unplaced[chosen] = False
        return
    if span[1]:
        cursor = db.execute(
            "SELECT rowid, rank FROM search_head WHERE search_head MATCH ? "
            "AND rowid BETWEEN ? AND ? ORDER BY rank",
            (expression, *span),
        )
    else:
        cursor = db.execute(
            "SELECT rowid, rank FROM search_head WHERE search_head MATCH ? ORDER BY rank",
            (expression,),
        )
    for rowid, rank in cursor:
        if rowid < index.size and unplaced[rowid]:
            page.append(rowid)
            unplaced[rowid] = False
            scores[rowid] = -rank
            if len(page) == wanted:
                break
    cursor.close()


def _hits(
    db: sqlite3.Connection, page: list[int], terms: list[Term], scores: dict[int, float]
) -> list[Hit]:
    if not page:
        return []
    marks = ",".join("?" * len(page))
    # json_extract reads the few fields a hit shows in C; parsing whole records (bodies
    # included) in Python was most of a search's time.
    rows = {
        row[0]: row[1:]
        for row in db.execute(
            "SELECT id, slug, title, json_extract(data, '$.summary'), date, category, severity, "
            "json_extract(data, '$.keyPoints'), json_extract(data, '$.description') "
            f"FROM records WHERE id IN ({marks})",
            page,
        )
    }
    fields = {
        rowid: (slug, title, summary, day, category, severity, json.loads(points), description)
        for rowid, (slug, title, summary, day, category, severity, points, description)
        in rows.items()
    }  # fmt: skip

    def bodies(ids: list[int]) -> Iterable[tuple[int, str | None, str | None]]:
        return db.execute(
            "SELECT id, json_extract(data, '$.\"$bodyHtml\"'), "
            "json_extract(data, '$.\"$body\"') FROM records "
            f"WHERE id IN ({','.join('?' * len(ids))})",
            ids,
        )

    return hits_from(page, fields, terms, scores, bodies)


HitFields = tuple[str, str, str, str, str, str, list[str], str]
"""slug, title, summary, date, category, severity, key points, description."""


def hits_from(
    page: list[int],
    fields: dict[int, HitFields],
    terms: list[Term],
    scores: dict[int, float],
    bodies: Callable[[list[int]], Iterable[tuple[int, str | None, str | None]]],
) -> list[Hit]:
    """The hits of `page` from each record's short fields, whichever engine read them. The
    snippet is cut from the first short field that matches; `bodies` reads (id, body HTML,
    Markdown body) of the records whose match is only in the body, so that only those are read."""
    pattern = _highlight_pattern(terms)
    snippets: dict[int, str] = {}
    if pattern is not None:
        for rowid, (_s, _t, summary, _d, _c, _v, key_points, description) in fields.items():
            for text in (summary, "\n".join(key_points), description):
                found = _snippet(text, pattern)
                if found is not None:
                    snippets[rowid] = found
                    break
        unmatched = [rowid for rowid in page if rowid not in snippets]
        if unmatched:  # the match is in the body: read only those bodies
            for rowid, body_html, body in bodies(unmatched):
                found = _snippet(html_to_text(body_html) if body_html else (body or ""), pattern)
                if found is not None:
                    snippets[rowid] = found
    hits: list[Hit] = []
    for rowid in page:
        slug, title, summary, day, category, severity, _k, _d = fields[rowid]
        snippet = snippets.get(rowid)
        if snippet is None:
            snippet = _cut(" ".join(summary.split()), None, 0)
        hits.append(
            Hit(
                slug=slug,
                title=title,
                summary=summary,
                date=day,
                category=category,
                severity=severity,
                snippet=snippet,
                score=scores.get(rowid, 0.0),
            )
        )
    return hits


def _highlight_pattern(terms: list[Term]) -> re.Pattern[str] | None:
    if not terms:
        return None
    alternatives: set[str] = set()
    for term in terms:
        tail = r"[^\W_]*" if term.prefix else ""
        for form in {term.word, _fold(term.word)}:
            alternatives.add(re.escape(form) + tail)
    ordered = sorted(alternatives, key=len, reverse=True)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(ordered) + r")(?![^\W_])", re.IGNORECASE)


SNIPPET_CHARS = 220


def _snippet(text: str, pattern: re.Pattern[str]) -> str | None:
    """An HTML-safe excerpt of `text` around its first match, or None without one."""
    text = " ".join(text.split())
    first = pattern.search(text)
    return _cut(text, pattern, first.start()) if first else None


def _cut(text: str, pattern: re.Pattern[str] | None, at: int) -> str:
    start = max(0, at - SNIPPET_CHARS // 3)
    if start:  # begin at a word boundary
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < at else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > at else end
    window = text[start:end]
    out: list[str] = ["…" if start else ""]
    position = 0
    if pattern is not None:
        for match in pattern.finditer(window):
            out.append(html.escape(window[position : match.start()]))
            out.append("<mark>" + html.escape(match.group()) + "</mark>")
            position = match.end()
    out.append(html.escape(window[position:]))
    out.append("…" if end < len(text) else "")
    return "".join(out)
