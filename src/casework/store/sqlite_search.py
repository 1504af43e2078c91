"""Full-text search on SQLite: casework's postings for matching, FTS5 for bm25 ranking, numpy
arrays for facets.

Why this shape (measured on 100,000 records with 6 KB bodies; see benchmarks/search.py):
FTS5's bm25 costs ~1.4 µs for every row it scores (it reads each row's column sizes), so
ranking every match of a common word costs 100+ ms; a GROUP BY facet joins every match. So:

- `search_postings` (`postings.py`: each key's records as bitsets, and the short fields' keys
  marked by field) answers "which records match" and which records each ranking tier holds
  (FTS5 read a common word's doclist id by id: 8-14 ms at 100,000 records, not ~0.3 ms);
  migration 0027 filled it from FTS5's `search_all` (every field and the body), which nothing
  read afterwards and 0028 dropped;
- `search_head` (title, tags, summary, key points, description; full detail) ranks editors'
  searches with bm25, `search_rank`'s weights (title 10, tags 5, summary and key points 3,
  description 1; the configured rank of migration 0001, key points 2, is no longer used);
- `search_published` (the same columns and weights, published records only) ranks public
  searches (`facets.public_ranking`); why a table of its own: below;
- facet counts and filters run over an in-memory `FacetIndex` (`facets.py`; one numpy array
  per facet, indexed by record id), patched in place for this store's own writes and rebuilt when
  `store_meta.generation` says another connection wrote;
- snippets are cut in Python from the stored record, for the page of hits only.

Ranking rules (sort="relevance" with words; every hit holds every word somewhere):

1. Ranking words. FTS5's bm25 floors the IDF of a word found in half the records or more to
   ~1e-6: such a word carries no ranking information. Each word's document frequency in the
   ranking table is looked up (cached per index generation); words in half its records or
   more, and words found only in bodies, still filter but are left out of the ranking
   expression.
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
the hits is the ranking. Equal scores go newest first (`search_rank.tie_key`). PostgreSQL
computes the same bm25 from the same statistics (`search_rank`), so both give one order.
User text never reaches FTS5 as syntax: it is split into words, each quoted.

Why public searches rank over a table of published records. bm25 reads the table's own
statistics: its row count, each column's average length and each word's document frequency;
the ranking words and the tiers' budget are counted in the same table. Over `search_head`,
which holds drafts and records in review too, a draft holding a name would move every public
score for that name, and anyone could count unpublished records by watching them move. FTS5
cannot rank a subset of a table with the subset's statistics (its bm25 is built in; custom
rank functions need its C API), so the published rows get a table of their own, written in
the same transactions as the others (`sqlite_rows._index`, `_unindex`): a record enters it
when it is written as published and leaves it when it is unpublished. Its cost is the short
fields indexed a second time for published records (measured on 20,000 generated records,
all published, `benchmarks/import_export.py`'s import): 9.5 MiB more in a 381 MiB file
(+2.5%), and ~30 µs more of the writer's CPU a record (+6% of it; the import's wall time, set
by its readers, moved less than the machine's noise). Bodies, most of the text, are indexed
once, in `search_postings`. The alternative, one ranking table of published rows only with
editors' drafts ranked some other way, would save that space but leave editors' searches two
sets of scores from different statistics to merge.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from casework import search_words
from casework.search_rank import FIELD_WEIGHTS, tie_key
from casework.search_words import word_keys
from casework.store import postings
from casework.store.base import Hit, Query, SearchResult
from casework.store.facets import (
    FACET_COLUMNS,
    BoolArray,
    FacetIndex,
    IntArray,
    Matches,
    _top,
    matches_of,
    place_the_rest,
    public_ranking,
    search_steps,
)

MAX_TERMS = 16
_WORD = re.compile(r"[^\W_]+\*?")


@dataclass(frozen=True)
class Term:
    word: str  # NFKC, as typed
    prefix: bool

    @property
    def keys(self) -> list[str]:
        """The word's search keys (`search_words`: stemmed and folded), as the index holds them."""
        return word_keys(self.word)

    @property
    def fts(self) -> str:
        """The term for FTS5: its keys, each quoted (so no input is syntax), all required; the
        last one a prefix for `word*`. A word with no key (none can match) is an empty phrase."""
        found = self.keys or [""]
        quoted = ['"' + key.replace('"', '""') + '"' for key in found]
        if self.prefix:
            quoted[-1] += "*"
        return quoted[0] if len(quoted) == 1 else "(" + " ".join(quoted) + ")"


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


HEAD_TABLE = "search_head"  # every record's short fields: editors' searches rank here
PUBLISHED_TABLE = "search_published"  # published records' short fields: public searches


def _ranking_table(public: bool) -> str:
    return PUBLISHED_TABLE if public else HEAD_TABLE


def sqlite_facet_index(generation: int, db: sqlite3.Connection) -> FacetIndex:
    """The index of every record `db` holds, with every short-field word's document
    frequency among published records from FTS5's vocabulary (a pass over the index, ~0.4 s
    per 100,000 records); editors' searches count theirs when they first need one."""
    rows = db.execute(f"SELECT {FACET_COLUMNS} FROM records ORDER BY id").fetchall()
    tags = db.execute(
        "SELECT tag, group_concat(record_id) FROM record_tags GROUP BY tag"
    ).fetchall()
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.casework_published_vocab "
        f"USING fts5vocab(main, {PUBLISHED_TABLE}, row)"
    )
    doc_freq = {
        term: (count, 0)
        for term, count in db.execute("SELECT term, doc FROM temp.casework_published_vocab")
    }
    return FacetIndex(generation, rows, tags, doc_freq)


def sqlite_facet_index_of(database: Path, generation: int, db: sqlite3.Connection) -> FacetIndex:
    """`sqlite_facet_index`, read from the file kept beside `database` when it was built at
    the state `db` reads, else built and kept there (`facet_file`)."""
    from casework.store import facet_file

    return facet_file.cached(database, db, lambda: sqlite_facet_index(generation, db))


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


def term_ids(db: sqlite3.Connection, term: Term, marks: tuple[str, ...] = ("",)) -> IntArray:
    """Ids of the records holding `term` (each of its keys, under any of `marks`: none for
    anywhere in the record, `postings.TITLE` and so on for a field; the last key, for
    `word*`, as a prefix), ascending, from `search_postings` (`postings.py`): FTS5 holds the
    same keys, but reads a common one's doclist id by id (8-14 ms at 100,000 records,
    against ~0.3 ms for its bitsets)."""
    found = term.keys
    if not found:  # no key: nothing can match (FTS5's empty phrase)
        return np.zeros(0, dtype=np.int64)
    last = len(found) - 1
    each = []
    for i, key in enumerate(found):
        held = [postings.lookup(db, mark + key, term.prefix and i == last) for mark in marks]
        each.append(held[0] if len(held) == 1 else np.union1d(*held))
    return _intersection(each)


class Lookups:
    """A search's lookups, kept in the facet index's `facets.Matches` when the search's
    snapshot is the index's generation (`matches` is then not None): a word's ids from the
    postings (~0.3 ms for a word in most of 100,000 records), and a bm25 tier's scored rows
    (FTS5 counts its words' document frequencies on every query: up to 10 ms); searches
    repeat words. Every answer is the one the same snapshot gives."""

    def __init__(self, db: sqlite3.Connection, matches: Matches | None) -> None:
        self.db = db
        self.matches = matches

    def matching(self, terms: list[Term], marks: tuple[str, ...] = ("",)) -> IntArray:
        """The ids of the records holding every term (under `marks`, `term_ids`), ascending:
        the intersection of each term's, kept when they are many."""
        return _intersection([self.term(term, marks) for term in terms])

    def any_of(self, terms: list[Term], marks: tuple[str, ...]) -> IntArray:
        """The ids of the records holding any of the terms (under `marks`), ascending."""
        found = [self.term(term, marks) for term in terms]
        return found[0] if len(found) == 1 else np.unique(np.concatenate(found))

    def term(self, term: Term, marks: tuple[str, ...] = ("",)) -> IntArray:
        """`term_ids`, kept when they are many."""
        kept = self.matches
        if kept is None:
            return term_ids(self.db, term, marks)
        return kept.kept(
            ("postings", term.word, term.prefix, marks), lambda: term_ids(self.db, term, marks)
        )

    def scored(self, sql: str, args: tuple[Any, ...]) -> Iterable[tuple[int, float]]:
        """The (rowid, bm25) rows of a tier's scoring query (`_rank_tier`), best first: a
        cursor, or every row, kept, when lookups are kept and this tier was scored before
        (reading every row costs ~0.4 µs a row more than the page's: a search not repeated
        pays nothing for the keeping)."""
        kept = self.matches
        if kept is None or not kept.asked_before((sql, args)):
            return self.db.execute(sql, args)
        rowids, ranks = kept.kept((sql, args), lambda: _scored_rows(self.db, sql, args), True)
        return zip(rowids.tolist(), ranks.tolist(), strict=True)


def _intersection(arrays: list[IntArray]) -> IntArray:
    """The ids in every one of `arrays` (each ascending), ascending."""
    arrays = sorted(arrays, key=len)
    found = arrays[0]
    for other in arrays[1:]:
        if len(found) == 0:
            break
        flags = np.zeros(int(found[-1]) + 1, dtype=np.bool_)
        flags[found] = True
        other = other[other <= found[-1]]
        found = other[flags[other]]
    return found


def _scored_rows(db: sqlite3.Connection, sql: str, args: tuple[Any, ...]) -> tuple[IntArray, Any]:
    rows = db.execute(sql, args).fetchall()
    rowids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    ranks = np.fromiter((row[1] for row in rows), dtype=np.float64, count=len(rows))
    return rowids, ranks


def search(
    db: sqlite3.Connection, index: FacetIndex, query: Query, generation: int | None = None
) -> SearchResult:
    """Run `query` with `db` (in a read transaction, whose snapshot is at store generation
    `generation` when given) and `index` (current for it)."""
    terms = parse_terms(query.text)
    public = public_ranking(query)
    lookups = Lookups(db, matches_of(index, generation))
    return search_steps(
        index,
        query,
        (lambda: lookups.matching(terms)) if terms else None,
        lambda ids, wanted, scores: _ranked(lookups, index, terms, ids, wanted, scores, public),
        lambda page, scores: _hits(db, page, terms, scores),
    )


RANK_BUDGET = 4000
"""The most rows one bm25 tier may score (~1.4 µs each): past it the tier goes newest first."""


def _count_matches(db: sqlite3.Connection, term: Term, public: bool) -> int:
    table = _ranking_table(public)
    found = db.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", (term.fts,))
    return int(found.fetchone()[0])


def _frequency_decides(
    index: FacetIndex, term: Term, db: sqlite3.Connection, public: bool
) -> tuple[int, int]:
    """(count, slack): the records of the population (`FacetIndex.population`) holding
    `term` in their short fields are count ± slack."""
    known = index.frequencies(public)
    found_keys = term.keys
    key = found_keys[0] if not term.prefix and len(found_keys) == 1 else term.fts
    found = known.get(key)
    if found is None and not term.prefix:
        # Not in the vocabulary as folded here (or in no record): count it exactly.
        found = known.get(term.fts)
        key = term.fts
    if found is None:
        found = known[key] = (_count_matches(db, term, public), index.writes)
    return found[0], abs(index.writes - found[1])


def document_frequency(db: sqlite3.Connection, index: FacetIndex, term: Term, public: bool) -> int:
    """How many records of the population (published ones when `public`, else every record)
    hold `term` in their short fields (exact)."""
    count, slack = _frequency_decides(index, term, db, public)
    return _count_matches(db, term, public) if slack else count


def ranking_terms(
    db: sqlite3.Connection, index: FacetIndex, terms: list[Term], public: bool
) -> list[Term]:
    """The terms bm25 can rank by: found in the short fields of fewer than half the records
    of the population (FTS5 floors the IDF of the others to ~1e-6)."""
    ranking = []
    for term in terms:
        count, slack = _frequency_decides(index, term, db, public)
        if not index.settled(count, slack, public):
            count = document_frequency(db, index, term, public)
        if index.ranks(count, public):
            ranking.append(term)
    return ranking


def _ranked(
    lookups: Lookups,
    index: FacetIndex,
    terms: list[Term],
    ids: IntArray,
    wanted: int,
    scores: dict[int, float],
    public: bool,
) -> list[int]:
    """The first `wanted` of `ids` by the ranking rules of the module docstring, ranked in
    `search_published` with published records' statistics when `public`."""
    if wanted <= 0 or len(ids) == 0:
        return []
    unplaced = np.zeros(index.size, dtype=np.bool_)
    unplaced[ids] = True
    low, high = int(ids[0]), int(ids[-1])
    span = (low, high) if index.narrow(low, high, public) else (0, 0)
    table = _ranking_table(public)
    page: list[int] = []
    ranking = ranking_terms(lookups.db, index, terms, public)
    # Each tier: its FTS5 expression (what bm25 scores) and its records (from the postings).
    tiers: list[tuple[str, Callable[[], IntArray]]] = []
    if ranking:
        every = " ".join(term.fts for term in ranking)
        tiers = [
            ("{title tags} : (" + every + ")", lambda: lookups.matching(ranking, _TITLE_TAGS)),
            (every, lambda: lookups.matching(ranking, _SHORT_FIELDS)),
        ]
        if len(ranking) > 1:
            tiers.append(
                (
                    " OR ".join(term.fts for term in ranking),
                    lambda: lookups.any_of(ranking, _SHORT_FIELDS),
                )
            )
    for expression, found in tiers:
        if len(page) >= wanted:
            break
        matched = index.counted(found(), public)  # the rows the ranking table holds
        if span[1]:
            matched = matched[(matched >= span[0]) & (matched <= span[1])]
        _rank_tier(lookups, index, table, expression, matched, span, unplaced, wanted, page, scores)
    if len(page) < wanted:
        place_the_rest(index, lookups.matching(terms, (postings.TITLE,)), unplaced, wanted, page)
    return page


_TITLE_TAGS = (postings.TITLE, postings.TAGS)
_SHORT_FIELDS = (postings.HEAD,)


def _rank_tier(
    lookups: Lookups,
    index: FacetIndex,
    table: str,
    expression: str,
    matched: IntArray,
    span: tuple[int, int],
    unplaced: BoolArray,
    wanted: int,
    page: list[int],
    scores: dict[int, float],
) -> None:
    """Append to `page` (up to `wanted`) the unplaced rows matching `expression` in the
    ranking `table` (`matched`, within `span` when it is given), by bm25, or newest first
    when more than RANK_BUDGET rows match."""
    tier = matched[unplaced[matched]]
    if len(tier) == 0:
        return
    if len(matched) > RANK_BUDGET:
        chosen = _top(tier, -index.date_key[tier], wanted - len(page))
        page.extend(chosen)
        unplaced[chosen] = False
        return
    score = f"bm25({table}, {', '.join(map(str, FIELD_WEIGHTS))})"
    sql = f"SELECT rowid, {score} FROM {table} WHERE {table} MATCH ?"
    args: tuple[Any, ...] = (expression,)
    if span[1]:
        sql, args = sql + " AND rowid BETWEEN ? AND ?", (expression, *span)
    need = wanted - len(page)
    found: list[tuple[int, float]] = []
    # Best first; read on past the page only while scores tie with its last one, then order
    # the ties newest first (`search_rank.tie_key`), as PostgreSQL does.
    rows = lookups.scored(sql + " ORDER BY 2", args)
    for rowid, rank in rows:
        if rowid < index.size and unplaced[rowid]:
            if len(found) >= need and tie_key(-rank) != tie_key(found[-1][1]):
                break
            found.append((rowid, -rank))
    if isinstance(rows, sqlite3.Cursor):
        rows.close()
    found.sort(key=lambda row: (-tie_key(row[1]), -int(index.date_key[row[0]])))
    for rowid, value in found[:need]:
        page.append(rowid)
        unplaced[rowid] = False
        scores[rowid] = value


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
            # (Imported here: render.html loads the Markdown renderer, ~30 ms of a command.)
            from casework.render.html import html_to_text

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


class Highlighter:
    """Finds the words of a text that a query's terms match: a word matches when one of its
    search keys is a term's key (or, for `word*`, starts with it), so that "landmines" marks
    "landmine" as the engines matched it."""

    def __init__(self, terms: list[Term]) -> None:
        self.exact: set[str] = set()
        self.prefixes: list[str] = []
        self.seen: dict[str, bool] = {}
        for term in terms:
            found = term.keys
            self.exact.update(found if not term.prefix else found[:-1])
            if term.prefix and found:
                self.prefixes.append(found[-1])
        # The first letter of every key a matching word may have (see `_matches`).
        self.initials = {key[0] for key in (*self.exact, *self.prefixes)}
        self.candidates = _candidates_pattern("".join(sorted(self.initials)))

    def _matches(self, word: str) -> bool:
        # Bodies repeat their words: each distinct word is looked up once per search, and
        # its keys made once per process (`_keys_of`). Stemming the words of a body met for
        # the first time was still most of a search's time (up to 37 ms of CPU for the 20
        # snippets of a word found only in bodies, at 100,000 records): an ASCII word is
        # stemmed only when it begins with a key's first letter. The stemmers (English,
        # Spanish, French) change only a word's ending, never its first letter, and folding
        # an ASCII word only lower-cases it (tests/test_search_words.py asserts it over
        # real text); any other word is stemmed.
        found = self.seen.get(word)
        if found is None:
            if word.isascii() and word[0].lower() not in self.initials:
                found = self.seen[word] = False
                return found
            found = self.seen[word] = any(
                key in self.exact or any(key.startswith(p) for p in self.prefixes)
                for key in _keys_of(word, search_words.language())
            )
        return found

    def first(self, text: str) -> int | None:
        """Where the first matching word of `text` starts, or None. The words are cut in C
        and looked at in a plain loop (a body's words were most of a search's time, one
        generator step and match object each); the first matching word's first whole-word
        occurrence is then where it starts, since no word before it matches."""
        seen, matches = self.seen, self._matches
        for word in self.candidates.findall(text):
            found = seen.get(word)
            if found is None:
                found = matches(word)
            if found:
                hit = _whole_words([word]).search(text)
                return hit.start() if hit is not None else None
        return None

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """The (start, end) of each matching word of `text` (a snippet's window)."""
        matched = [word for word in set(_WORD_RUN.findall(text)) if self._matches(word)]
        if matched:
            for hit in _whole_words(matched).finditer(text):
                yield hit.span()


_WORD_RUN = re.compile(r"[^\W_]+")


@lru_cache(maxsize=256)
def _candidates_pattern(initials: str) -> re.Pattern[str]:
    """A pattern finding, of the words `_WORD_RUN` cuts, those `Highlighter._matches` may
    match: every word holding a character outside ASCII, and the ASCII words beginning with
    one of `initials` in either case (the others never match). Cutting only those in C, not
    every word of a body to look each up in Python, was a third of a snippet's time."""
    either = [r"(?=[^\W_]*[^\W_\x00-\x7f])"]
    if any(c.isascii() for c in initials):
        # Either case for the initials alone: under IGNORECASE the class of non-ASCII
        # characters would lose those that fold to ASCII (the Kelvin sign, dotted I).
        either.append("(?=(?i:[" + "".join(re.escape(c) for c in initials if c.isascii()) + "]))")
    return re.compile(r"(?<![^\W_])(?:" + "|".join(either) + r")[^\W_]+")


@lru_cache(maxsize=100_000)
def _keys_of(word: str, language: str) -> tuple[str, ...]:
    """A snippet's word's search keys in `language`, kept across searches (bodies share
    their words)."""
    return tuple(word_keys(word, language))


def _whole_words(words: list[str]) -> re.Pattern[str]:
    """A pattern finding `words` as whole runs of letters and digits (as `_WORD_RUN` cuts
    them: no letter or digit on either side)."""
    return _whole_words_pattern(tuple(sorted(words, key=lambda w: (-len(w), w))))


@lru_cache(maxsize=4096)
def _whole_words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    either = "|".join(re.escape(word) for word in words)
    return re.compile(rf"(?<![^\W_])(?:{either})(?![^\W_])")


def _highlight_pattern(terms: list[Term]) -> Highlighter | None:
    return Highlighter(terms) if terms else None


SNIPPET_CHARS = 220


def _snippet(text: str, pattern: Highlighter) -> str | None:
    """An HTML-safe excerpt of `text` around its first match, or None without one."""
    text = " ".join(text.split())
    first = pattern.first(text)
    return _cut(text, pattern, first) if first is not None else None


def _cut(text: str, pattern: Highlighter | None, at: int) -> str:
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
        for start_at, end_at in pattern.spans(window):
            out.append(html.escape(window[position:start_at]))
            out.append("<mark>" + html.escape(window[start_at:end_at]) + "</mark>")
            position = end_at
    out.append(html.escape(window[position:]))
    out.append("…" if end < len(text) else "")
    return "".join(out)
