"""Full-text search on PostgreSQL: tsvector columns in `record_words` for matching and
ranking, the engine-neutral `FacetIndex` (numpy, in memory) for filters, facets and order.

The same Query semantics and ranking rules as SQLite's engine (`sqlite_search`'s docstring),
in PostgreSQL's terms:

- Words are made in Python, on both sides, by `search_words.keys` (runs of letters and
  digits, Snowball-stemmed, folded as FTS5's `unicode61 remove_diacritics 2` folds them);
  the lexemes are written as tsvector and tsquery literals, so
  PostgreSQL's parser, dictionaries and stemming never apply and both engines match the same
  words. User text never reaches PostgreSQL as syntax.
- `record_words.search` holds every lexeme of a record (no positions), plus the title's words
  marked `t:` and the tags' marked `g:`; it answers "which records hold every word" and the
  "in the title or tags" tiers. `record_words.search_head` holds the short fields with
  positions, weighted title A, tags B, summary and key points C, description D, for the
  "in the short fields" tiers and the score. Why a table of their own: migration 0005.
- A word's matches (and a tier's: its marked keys, `t:`, `g:`, `h:`) are read from
  `search_postings` (`postgres_postings`, migration 0029): a few blobs a key, where the GIN
  index visited each match's row (18-20 ms of server CPU for a word in 99,000 of 100,000
  records). A lookup holding a prefix (`word*`) still goes through the GIN index.
- Matches come back as one string of ids, as FTS5's do on SQLite; filters, facet counts and
  date or title order are then the FacetIndex's, as on SQLite (measured: a GROUP BY per facet
  over the matches in SQL cost 570 ms for a word in most of 100,000 records).
- A tier is ranked by `search_rank.bm25`, the bm25 SQLite's FTS5 computes, from the same
  statistics read from the tsvectors: each phrase's weighted count from the head vector's
  weight classes (counted by the server, `_frequencies_statement`), a record's length
  (`head_length`, its last position), each phrase's document frequency
  from the GIN index, the population's mean length (cached until this store writes). Both
  engines so give the same scores and the same order. Words in half the records' short
  fields or more do not rank, as on SQLite.
- A public search (`facets.public_ranking`) ranks with published records' statistics only,
  as on SQLite: every count that decides a ranking word, its idf or a tier's budget is taken
  over the matches the FacetIndex knows as published (`FacetIndex.counted`), so that drafts
  holding a word move no public score or order. No second table is needed: the GIN lookup's
  ids are filtered in numpy, where SQLite's bm25 reads its statistics from the FTS5 table
  itself. An idf or mean length is never taken from a count that writes may have moved since
  it was made (it is counted again), so that a score depends on the records alone, not on
  when the count was cached.
- Snippets are cut in Python from the stored record by `sqlite_search`'s engine-neutral code.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

import numpy as np
import orjson
import psycopg

from casework.search_rank import FIELD_WEIGHTS, bm25, idf, tie_key
from casework.search_words import keys
from casework.store import postgres_postings
from casework.store.base import FACET_NAMES, Hit, Query, SearchResult
from casework.store.facets import (
    FACET_COLUMNS,
    FacetIndex,
    IntArray,
    _top,
    matches_of,
    place_the_rest,
    public_ranking,
    search_steps,
)
from casework.store.prepared import PreparedRecord
from casework.store.sqlite_search import (
    HitFields,
    Term,
    hits_from,
    parse_terms,
)

Connection = psycopg.Connection[Any]

MAX_LEXEME_BYTES = 2047  # PostgreSQL refuses longer words in a tsvector or tsquery
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS = 256  # positions PostgreSQL keeps per lexeme
MAX_VECTOR_BYTES = 900_000  # of lexeme text per tsvector: PostgreSQL's limit is 1 MB
_HEAD_WEIGHTS = ("A", "B", "C", "C", "D")  # for PreparedRecord.head's five fields
# `search` also holds each title word as `t:word` and each tag word as `g:word`: the ranking
# tiers "in the title or tags" and "in the title" are then GIN lookups without a recheck.
TITLE_MARK, TAG_MARK = "t:", "g:"
PG_RANK_BUDGET = 1000
"""The most rows one tier is scored for (SQLite's RANK_BUDGET is 4,000): scoring reads each
row's head vector out of line, ~10 µs a row, so past this a tier goes newest first."""


def words(text: str) -> list[str]:
    """The lexemes of `text` in order: its search keys (`search_words.keys`: runs of letters
    and digits, stemmed, folded as FTS5 folds them), as SQLite's tables hold them."""
    return keys(text)


def _indexable(word: str) -> bool:
    return len(word) * 4 <= MAX_LEXEME_BYTES or len(word.encode("utf-8")) <= MAX_LEXEME_BYTES


def search_vectors(
    written: PreparedRecord, words: Callable[[str], list[str]] | None = None
) -> tuple[str, str]:
    """(`search`, `search_head`) for a record, as tsvector literals (`words_row`'s first
    two)."""
    search, head, _length = words_row(written, words)
    return search, head


Positions = dict[str, list[int]]
"""A head vector's lexemes, each with its positions as PostgreSQL's WordEntryPos holds them:
the position in the low 14 bits, the weight class in the top two (A 3, B 2, C 1, D 0)."""

_WEIGHT_BITS = {"A": 3 << 14, "B": 2 << 14, "C": 1 << 14, "D": 0}
_WEIGHT_LETTER = "DCBA"
_POSITION_BITS = 0x3FFF
_COUNT = struct.Struct("!i")


def words_row(
    written: PreparedRecord, words: Callable[[str], list[str]] | None = None
) -> tuple[str, str, int]:
    """A record's `record_words` values but its id, for a statement: `search` and
    `search_head` as tsvector literals, and `head_length` (`vector_parts`). The lexemes are
    letters and digits only, so they need no escaping inside the quotes."""
    everything, positions, length = vector_parts(written, words)
    head = " ".join(
        f"'{w}':" + ",".join(f"{p & _POSITION_BITS}{_WEIGHT_LETTER[p >> 14]}" for p in found)
        for w, found in positions.items()
    )
    return ("'" + "' '".join(everything) + "'") if everything else "", head, length


def words_copy_row(written: PreparedRecord) -> tuple[bytes, bytes, int]:
    """`words_row` for a binary COPY: the two tsvectors in PostgreSQL's binary form
    (`tsvectorsend`: a count, then each lexeme NUL-terminated, its number of positions and
    the positions, 16 bits each). Measured over 5,000 records, the server's time for
    `record_words` fell from 142 to 30 µs a record, and the client's from 143 to 132: the text
    form was parsed character by character; this one is read as it lies (the server sorts
    the lexemes, so they go in any order)."""
    everything, positions, length = vector_parts(written)
    search = (
        _COUNT.pack(len(everything)) + ("\0\0\0".join(everything) + "\0\0\0").encode()
        if everything
        else _COUNT.pack(0)
    )
    head = [_COUNT.pack(len(positions))]
    for word, found in positions.items():
        head.append(word.encode())
        head.append(struct.pack(f"!xH{len(found)}H", len(found), *found))
    return search, b"".join(head), length


def vector_parts(
    written: PreparedRecord, words: Callable[[str], list[str]] | None = None
) -> tuple[Collection[str], Positions, int]:
    """What a record's `record_words` row holds: the lexemes of `search` (all its keys, and
    its title's and tags' marked), the positions of `search_head`'s (its short fields'), and
    `head_length`, the number of keys in its short fields (its |D| for `search_rank.bm25`,
    migration 0019).

    The keys are the record's own (`PreparedRecord.head_keys` and `all_keys`, cut once when
    it was prepared, as SQLite's tables hold them); only a migration stemming in another
    language passes `words` to cut its texts again.

    The common record (short fields under MAX_POSITION words, no word over 511 characters, a
    body under MAX_VECTOR_BYTES of words) takes a fast path: this runs once per imported
    record, and the careful loop cost 0.9 ms of a PostgreSQL import's ~1.4 ms per record."""
    if words is None:
        fields = [
            (text.split(" ") if text else [], weight)
            for text, weight in zip(written.head_keys, _HEAD_WEIGHTS, strict=True)
        ]
        body = written.all_keys.split(" ") if written.all_keys else []
    else:
        fields = [
            (words(text), weight) for text, weight in zip(written.head, _HEAD_WEIGHTS, strict=True)
        ]
        body = words(written.body_text)
    length = sum(len(found) for found, _ in fields)
    if length >= MAX_POSITION:
        return (*_bounded_parts(fields, body), min(length, MAX_POSITION))
    positions: Positions = {}
    position = 1
    for found, weight in fields:
        bits = _WEIGHT_BITS[weight]
        for at, word in enumerate(found, position):
            listed = positions.get(word)
            if listed is None:
                positions[word] = [at | bits]
            elif len(listed) < MAX_POSITIONS:
                listed.append(at | bits)
        position += len(found)
    everything = set(positions)
    everything.update(body)
    everything.update(_marks(fields))
    longest = max(map(len, everything), default=0)
    if longest * 4 > MAX_LEXEME_BYTES or sum(map(len, everything)) + 3 * len(everything) > (
        MAX_VECTOR_BYTES
    ):
        return (*_bounded_parts(fields, body), length)
    return everything, positions, length


def _marks(fields: list[tuple[list[str], str]]) -> list[str]:
    """The title's words as `t:word` and the tags' as `g:word` (see migration 0005)."""
    return [TITLE_MARK + w for w in fields[0][0]] + [TAG_MARK + w for w in fields[1][0]]


def _bounded_parts(
    fields: list[tuple[list[str], str]], body: list[str]
) -> tuple[list[str], Positions]:
    """`vector_parts` for records past one of PostgreSQL's limits: positions past
    MAX_POSITION share the last one, at most MAX_POSITIONS per word, words too long to index
    left out, and only as many words as MAX_VECTOR_BYTES holds."""
    positions: Positions = {}
    position = 0
    for found_words, weight in fields:
        bits = _WEIGHT_BITS[weight]
        for word in found_words:
            position = min(position + 1, MAX_POSITION)
            found = positions.setdefault(word, [])
            if len(found) < MAX_POSITIONS and position < MAX_POSITION:
                found.append(position | bits)
            elif not found:  # past the last position: still findable, at the last one
                found.append(MAX_POSITION | bits)
    everything = set(positions)
    everything.update(body)
    everything.update(_marks(fields))
    size = 0
    kept: list[str] = []
    for word in everything:
        if _indexable(word):
            size += len(word) + 3
            if size > MAX_VECTOR_BYTES:  # only a pathological body: its rarest words go
                break
            kept.append(word)
    return kept, {w: p for w, p in positions.items() if _indexable(w)}


def _term_words(term: Term) -> list[str] | None:
    """A query word's lexemes (one, unless folding splits it); None when it cannot match."""
    found = words(term.word)
    if not found or not all(_indexable(w) for w in found):
        return None
    return found


def _tsquery(terms: Sequence[tuple[Term, list[str]]], join: str, marks: Sequence[str] = ()) -> str:
    """A tsquery literal: each term's lexemes ANDed (the last one a prefix for `word*`),
    the terms joined by `join` ("&" or "|"). With `marks`, each lexeme is looked for as any
    of its marked forms (`t:word | g:word`)."""
    parts = []
    for term, lexemes in terms:
        last = len(lexemes) - 1
        items = []
        for i, lexeme in enumerate(lexemes):
            star = ":*" if term.prefix and i == last else ""
            forms = [f"'{mark}{lexeme}'{star}" for mark in marks] or [f"'{lexeme}'{star}"]
            items.append(forms[0] if len(forms) == 1 else "(" + " | ".join(forms) + ")")
        parts.append("(" + " & ".join(items) + ")")
    return f" {join} ".join(parts)


def _empty(query: Query) -> SearchResult:
    return SearchResult(
        total=0, hits=[], facets={n: [] for n in FACET_NAMES} if query.facets else {}
    )


def facet_index(db: Connection, generation: int) -> FacetIndex:
    """Every record's facet values and tags, read from `db`; the words' document frequencies
    are counted when a search first needs them."""
    rows = db.execute(f"SELECT {FACET_COLUMNS} FROM records ORDER BY id").fetchall()
    tags = db.execute(
        "SELECT tag, string_agg(record_id::text, ',') FROM record_tags GROUP BY tag"
    ).fetchall()
    return FacetIndex(generation, rows, tags, {})


def facet_rows(db: Connection) -> Callable[[list[int]], tuple[list[Any], list[Any]]]:
    """`FacetIndex.patched`'s reader over PostgreSQL connection `db`."""

    def read(ids: list[int]) -> tuple[list[Any], list[Any]]:
        rows = db.execute(
            f"SELECT {FACET_COLUMNS} FROM records WHERE id = ANY(%s)", [ids]
        ).fetchall()
        tags = db.execute(
            "SELECT record_id, tag FROM record_tags WHERE record_id = ANY(%s)", [ids]
        ).fetchall()
        return rows, tags

    return read


def _ids(db: Connection, column: str, tsquery: str, also: str = "") -> IntArray:
    """Ids of the records whose `column` of record_words matches `tsquery` (and `search`
    matches `also`, when given), ascending (`_lookup`)."""
    sql, args, read = _lookup(column, tsquery, also)
    return read(db.execute(sql, args))


def _lookup(
    column: str, tsquery: str, also: str
) -> tuple[str, list[Any], Callable[[psycopg.Cursor[Any]], IntArray]]:
    """`_ids`' statement, and what makes its answer of its cursor: from `search_postings`
    (`postgres_postings`), unless the lookup holds a prefix; then through the GIN index
    (never a sequential scan, which would read every record's vector out of line)."""
    planned = postgres_postings.plan(column, tsquery, also)
    if planned is None:
        return (*_ids_statement(column, tsquery, also), _ids_found)
    return planned.statement, planned.args, lambda cursor: planned.ids(cursor.fetchall())


def _ids_statement(column: str, tsquery: str, also: str) -> tuple[str, list[str]]:
    # The ids as one bytea of 4-byte big-endian integers (`record_id` is an integer), read by
    # numpy as they come: the server prints no id as text and the client parses none.
    sql = (
        "SELECT string_agg(int4send(record_id), '') FROM record_words"
        f" WHERE {column} @@ %s::tsquery"
    )
    args = [tsquery]
    if also:
        sql += " AND search @@ %s::tsquery"
        args.append(also)
    return sql, args


def _ids_found(cursor: psycopg.Cursor[Any]) -> IntArray:
    found = cursor.fetchone()
    if not found or not found[0]:
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.frombuffer(found[0], dtype=">i4").astype(np.int64))


Lookup = tuple[str, str, str]
"""An `_ids` lookup: the column, its tsquery, and what `search` must match too."""


def begin(
    db: Connection, index: FacetIndex | None, query: Query
) -> tuple[int, dict[Lookup, IntArray]]:
    """Open a search's snapshot on `db` (in autocommit) in one round trip: BEGIN REPEATABLE
    READ, sequential scans off (see `search`), the snapshot's generation, and the records
    holding every word of `query`, unless `index` (the facet index in memory) keeps them. The
    generation, and the lookups made (for `search`'s `made`): each one's answer is the
    snapshot's, whatever generation it turns out to be at. For a public search, the short
    fields' matches of each word whose document frequency the index has not counted yet
    (`_ranking` counts them). Before: BEGIN, then SET and the generation, then the words'
    matches, then each word's count, a round trip each."""
    lookups: list[Lookup] = []
    terms = _query_terms(query)
    if terms:
        lookups.append(("search", _tsquery(terms, "&"), ""))
        kept = None if index is None else matches_of(index, index.generation)
        if kept is not None and lookups[0] in kept:
            lookups.clear()
        if index is not None and public_ranking(query):
            known = index.frequencies(True)
            for term in terms:
                key = _tsquery([term], "&")
                if key not in known:
                    lookups.append(("search_head", key, ""))
    with db.pipeline():
        db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        db.execute("SET LOCAL enable_seqscan = off")
        found = db.execute("SELECT generation FROM store_meta WHERE id = 1")
        statements = []
        for lookup in lookups:
            sql, args, read = _lookup(*lookup)
            statements.append((lookup, read, db.execute(sql, args)))
    row = found.fetchone()
    return int(row[0]) if row else 0, {key: read(c) for key, read, c in statements}


def _lookups(
    db: Connection, index: FacetIndex, generation: int | None, made: dict[Lookup, IntArray]
) -> Callable[..., IntArray]:
    """`_ids`, kept in the index's `facets.Matches` when the search's snapshot (at
    `generation`) is the index's own; the ones in `made` (`begin`'s) not asked again."""

    ids = _made_or_asked(db, made)
    kept = matches_of(index, generation)
    if kept is None:
        return ids
    return lambda column, tsquery, also="": kept.kept(
        (column, tsquery, also), lambda: ids(column, tsquery, also)
    )


def _made_or_asked(
    db: Connection, made: dict[Lookup, IntArray], *, again: bool = False
) -> Callable[..., IntArray]:
    """`_ids`, taken from `made` (`begin`'s lookups) when it was made there; left there for
    another step `again` (a word's count, whose matches may be a ranking tier's too)."""

    def ids(column: str, tsquery: str, also: str = "") -> IntArray:
        key = (column, tsquery, also)
        found = made.get(key) if again else made.pop(key, None)
        return _ids(db, column, tsquery, also) if found is None else found

    return ids


def _query_terms(query: Query) -> list[tuple[Term, list[str]]] | None:
    """The query's terms with their lexemes; None when a word cannot match any record."""
    terms: list[tuple[Term, list[str]]] = []
    for term in parse_terms(query.text):
        lexemes = _term_words(term)
        if lexemes is None:  # a word no record can hold
            return None
        terms.append((term, lexemes))
    return terms


def search(
    db: Connection,
    index: FacetIndex,
    query: Query,
    generation: int | None = None,
    made: dict[Lookup, IntArray] | None = None,
    *,
    commit: bool = False,
) -> SearchResult:
    """Run `query` with `db` (inside one read transaction, whose snapshot is at store
    generation `generation`) and `index` (current for it): the same steps as
    `sqlite_search.search`, the matching done by GIN indexes: the caller has turned
    sequential scans off in the transaction (`SET LOCAL enable_seqscan = off`), since a
    sequential scan would read every record's vectors out of line. `made`: lookups already
    made in the snapshot (`begin`'s). With `commit`, the transaction is committed with the
    search's last statement, in its round trip (the caller commits when none was needed)."""
    terms = _query_terms(query)
    if terms is None:
        return _empty(query)
    words = [t for t, _ in terms]
    public = public_ranking(query)
    made = made if made is not None else {}
    lookup = _lookups(db, index, generation, made)
    asked = _made_or_asked(db, made, again=True)
    return search_steps(
        index,
        query,
        (lambda: lookup("search", _tsquery(terms, "&"))) if terms else None,
        lambda ids, wanted, scores: _ranked(
            db, index, terms, ids, wanted, scores, public, lookup, asked
        ),
        lambda page, scores: _hits(db, page, words, scores, commit),
    )


def _ranking(
    db: Connection,
    index: FacetIndex,
    terms: list[tuple[Term, list[str]]],
    public: bool,
    asked: Callable[..., IntArray],
) -> list[tuple[Term, list[str]]]:
    """The terms that rank: found in the short fields of fewer than half the records of the
    population (published ones when `public`). Counts are kept in the index; one that this
    store's writes may have moved since is counted again, unless it shows the word too common
    to rank however far they moved it."""
    known = index.frequencies(public)
    ranking = []
    for term in terms:
        key = _tsquery([term], "&")
        found = known.get(key)
        count, slack = (found[0], abs(index.writes - found[1])) if found else (0, 0)
        stale = bool(slack) and not (
            index.settled(count, slack, public) and not index.ranks(count, public)
        )
        if found is None or stale:
            count = _document_frequency(db, index, key, public, asked=asked)
            known[key] = (count, index.writes)
        if index.ranks(count, public):
            ranking.append(term)
    return ranking


def _document_frequency(
    db: Connection,
    index: FacetIndex,
    tsquery: str,
    public: bool,
    column: str = "search_head",
    asked: Callable[..., IntArray] | None = None,
) -> int:
    """How many records of the population hold `tsquery` in `column` (the short fields, or
    `search` with marked title and tag words): for a public search, the matches the index
    knows as published (`asked` for them, when given: `_made_or_asked`)."""
    if public:
        found = asked(column, tsquery) if asked is not None else _ids(db, column, tsquery)
        return len(index.counted(found, public))
    if postgres_postings.plan(column, tsquery) is not None:
        return len(_ids(db, column, tsquery))
    row = db.execute(
        f"SELECT count(*) FROM record_words WHERE {column} @@ %s::tsquery", [tsquery]
    ).fetchone()
    return int(row[0]) if row else 0


def _ranked(
    db: Connection,
    index: FacetIndex,
    terms: list[tuple[Term, list[str]]],
    ids: IntArray,
    wanted: int,
    scores: dict[int, float],
    public: bool,
    lookup: Callable[..., IntArray],
    asked: Callable[..., IntArray],
) -> list[int]:
    """The first `wanted` of `ids` in the ranking order of sqlite_search's docstring: the
    tiers (every ranking word in the title or tags; every one in the short fields; any of
    them), each by `search_rank.bm25` unless it holds more than PG_RANK_BUDGET records of the
    population (published ones when `public`); then title matches of every word, then the
    rest, newest first."""
    if wanted <= 0 or len(ids) == 0:
        return []
    unplaced = np.zeros(index.size, dtype=np.bool_)
    unplaced[ids] = True
    every = _tsquery(terms, "&")
    page: list[int] = []
    ranking = _ranking(db, index, terms, public, asked)
    tiers: list[tuple[str, str, str, str]] = []
    if ranking:
        # When every word ranks, a record holding all of them in its title or tags, or in its
        # short fields, holds all of them: the tier's lookup need not match `every` too (a
        # second scan of the GIN index for the most common word, on each tier).
        also = "" if len(ranking) == len(terms) else every
        tiers = [
            ("search", _tsquery(ranking, "&", (TITLE_MARK, TAG_MARK)), _TITLE_TAGS, also),
            ("search_head", _tsquery(ranking, "&"), _SHORT_FIELDS, also),
        ]
        if len(ranking) > 1:
            tiers.append(("search_head", _tsquery(ranking, "|"), _SHORT_FIELDS, every))
    for column, tier_query, fields, matching in tiers:
        if len(page) >= wanted:
            break
        matched = index.counted(lookup(column, tier_query, matching), public)
        tier = matched[unplaced[matched]]
        if len(tier) == 0:
            continue
        if len(matched) > PG_RANK_BUDGET:
            chosen = _top(tier, -index.date_key[tier], wanted - len(page))
        else:
            chosen = _scored(db, index, ranking, fields, tier, wanted - len(page), scores, public)
        page.extend(chosen)
        unplaced[chosen] = False
    if len(page) < wanted:
        in_title = lookup("search", _tsquery(terms, "&", (TITLE_MARK,)))
        place_the_rest(index, in_title, unplaced, wanted, page)
    return page


# The weight classes of `search_head` (title A, tags B, summary and key points C, description
# D) → `search_rank.FIELD_WEIGHTS`; the tiers "in the title or tags" count only A and B.
_CLASS_WEIGHTS = {
    "A": FIELD_WEIGHTS[0],
    "B": FIELD_WEIGHTS[1],
    "C": FIELD_WEIGHTS[2],
    "D": FIELD_WEIGHTS[4],
}
assert FIELD_WEIGHTS[2] == FIELD_WEIGHTS[3]  # summary and key points share class C
_TITLE_TAGS = "AB"
_SHORT_FIELDS = "ABCD"
_LENGTH_KEY = "\0length"  # in `FacetIndex.frequencies`, beside the words' counts


def _phrases(ranking: list[tuple[Term, list[str]]]) -> list[tuple[str, bool]]:
    """FTS5's phrases of the ranking terms: each key of each word, the last key of `word*` a
    prefix (`Term.fts`)."""
    out = []
    for term, lexemes in ranking:
        last = len(lexemes) - 1
        out += [(lexeme, term.prefix and i == last) for i, lexeme in enumerate(lexemes)]
    return out


def _phrase_query(lexeme: str, prefix: bool, fields: str) -> tuple[str, str]:
    star = ":*" if prefix else ""
    if fields == _TITLE_TAGS:
        return "search", f"'{TITLE_MARK}{lexeme}'{star} | '{TAG_MARK}{lexeme}'{star}"
    # As `_tsquery` writes a one-lexeme word: its count from `_ranking` is then reused.
    return "search_head", f"('{lexeme}'{star})"


def _counted(
    db: Connection, index: FacetIndex, key: str, public: bool, count: Callable[[], int]
) -> int:
    """A statistic of the population, kept in the index until this store's writes move."""
    known = index.frequencies(public)
    found = known.get(key)
    if found is None or found[1] != index.writes:
        found = known[key] = (count(), index.writes)
    return found[0]


def _head_lengths(db: Connection, public: bool) -> int:
    """Σ |D| over the population: the short fields' keys of each record (`head_length`,
    migration 0019), summed in the search's snapshot."""
    if public:
        sql = (
            "SELECT coalesce(sum(w.head_length), 0) FROM record_words w"
            " JOIN records r ON r.id = w.record_id WHERE r.status = 'published'"
        )
    else:
        sql = "SELECT coalesce(sum(head_length), 0) FROM record_words"
    row = db.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _scored(
    db: Connection,
    index: FacetIndex,
    ranking: list[tuple[Term, list[str]]],
    fields: str,
    tier: IntArray,
    wanted: int,
    scores: dict[int, float],
    public: bool,
) -> list[int]:
    """The best `wanted` of `tier` by `search_rank.bm25` over `fields` (weight classes), from
    the statistics FTS5 reads on SQLite: each phrase's frequency in the population's `fields`,
    the population's size and mean short-field length, each record's length and weighted
    phrase counts. Ties newest first; their scores are put in `scores`."""
    phrases = _phrases(ranking)
    size = index.population(public)
    idfs = []
    for lexeme, prefix in phrases:
        column, tsquery = _phrase_query(lexeme, prefix, fields)
        matching = _counted(
            db,
            index,
            tsquery if column == "search_head" else column + " " + tsquery,
            public,
            lambda: _document_frequency(db, index, tsquery, public, column),  # noqa: B023
        )
        idfs.append(idf(matching, size))
    total = _counted(db, index, _LENGTH_KEY, public, lambda: _head_lengths(db, public))
    avgdl = total / size if size else 1.0
    found: list[tuple[int, float]] = []
    for rowid, length, vector, *counted in db.execute(
        *_frequencies_statement(phrases, fields, tier)
    ):
        if vector is None:  # the common record: its weighted counts came from the server
            frequencies = counted
        else:  # short fields of MAX_POSITION keys or more: counted here (`_frequencies`)
            frequencies = _frequencies(vector, phrases, fields)
        found.append((int(rowid), bm25(frequencies, idfs, length or 0, avgdl)))
    found.sort(key=lambda row: (-tie_key(row[1]), -int(index.date_key[row[0]])))
    chosen = []
    for rowid, value in found[:wanted]:
        chosen.append(rowid)
        if value:
            scores[rowid] = value
    return chosen


# `ts_rank_cd`'s weights for the classes D, C, B, A, each of `_CLASS_WEIGHTS` over
# _RANK_SCALE: it refuses a weight over 1. A power of two, so that each is exact in float4 and
# a weighted count (at most 10 × MAX_POSITION, over 16) is exact in float4's 24 bits: × 16 in
# float8 gives back the very sum `_frequencies` makes.
_RANK_SCALE = 16.0
assert max(_CLASS_WEIGHTS.values()) <= _RANK_SCALE
assert all(float(w).is_integer() for w in _CLASS_WEIGHTS.values())


def _rank_weights(fields: str) -> str:
    """The float4[] literal of `ts_rank_cd`'s weights counting only `fields`' classes."""
    return (
        "{"
        + ",".join(repr(_CLASS_WEIGHTS[c] / _RANK_SCALE if c in fields else 0.0) for c in "DCBA")
        + "}"
    )


def _frequencies_statement(
    phrases: list[tuple[str, bool]], fields: str, tier: IntArray
) -> tuple[str, list[Any]]:
    """The statement giving, for each record of `tier`, its id, its |D| (`head_length`), its
    head vector's text when its positions may be shared (|D| of MAX_POSITION or more, see
    below; NULL otherwise), and each phrase's weighted count over `fields`.

    The counts are the server's: `ts_rank_cd(weights, search_head, 'word')` of a one-lexeme
    query, unnormalized, is Σ over the lexeme's positions of its class's weight (each position
    is a cover of its own, worth its weight), and of `'word':*` the same over every lexeme
    the prefix starts. So a ranking reads out a few numbers a record, where it read the whole
    head vector's text (~1.3 KB a record of the generated set: its printing and the client's
    parsing were ~2/3 of the ranking's time). Positions are distinct within a head vector
    (`vector_parts`) unless its short fields reach MAX_POSITION keys, where several lexemes
    share the last: PostgreSQL 15 counts each (a test checks), but its covers promise nothing
    there, so those few records are counted from their text, as before.
    Every lexeme of a head vector has a position (`vector_parts`; PostgreSQL would count one
    without as a D). With more than one phrase the vector is read out of line once, in a
    subquery (`|| ''` makes it a value in memory), not once for each count."""
    weights = _rank_weights(fields)
    counts = ", ".join(
        f"ts_rank_cd(%s::float4[], v, %s::tsquery)::float8 * {_RANK_SCALE}" for _ in phrases
    )
    queries: list[Any] = []
    for lexeme, prefix in phrases:
        queries += [weights, f"'{lexeme}'" + (":*" if prefix else "")]
    vector = "search_head || ''::tsvector" if len(phrases) > 1 else "search_head"
    sql = (
        f"SELECT record_id, head_length, CASE WHEN head_length >= {MAX_POSITION}"
        f" THEN v::text END, {counts} FROM (SELECT record_id, head_length, {vector} AS v"
        " FROM record_words WHERE record_id = ANY(%s) OFFSET 0) AS w"
    )
    return sql, [*queries, np.asarray(tier, dtype=np.int64).tolist()]


def _frequencies(vector: str, phrases: list[tuple[str, bool]], fields: str) -> list[float]:
    """Each phrase's weighted count over `fields`, from a head vector's text."""
    counts = {
        lexeme: sum(_CLASS_WEIGHTS[c] for c in classes if c in fields)
        for lexeme, classes in _held(vector, phrases)
    }
    return [
        sum(n for word, n in counts.items() if word.startswith(lexeme))
        if prefix
        else counts.get(lexeme, 0.0)
        for lexeme, prefix in phrases
    ]


def _held(vector: str, phrases: list[tuple[str, bool]]) -> list[tuple[str, str]]:
    """The lexemes of a tsvector's text (`'word':1A,5C 'other':3`) that `phrases` name (a
    prefix phrase: every lexeme it starts), each with the weight class of each of its
    positions (D is printed without its letter). A `'` opens a lexeme only at the start or
    after a space (lexemes are letters and digits), so a find of `'word` lands on one."""
    held = []
    for lexeme, prefix in phrases:
        start = vector.find(f"'{lexeme}" if prefix else f"'{lexeme}':")
        while start >= 0:
            close = vector.find("'", start + 1)
            end = vector.find(" ", close)
            end = len(vector) if end < 0 else end
            # A lexeme kept without positions (`'word'`, no colon) has no weight to count.
            positions = (
                vector[close + 2 : end].split(",") if vector[close + 1 : close + 2] == ":" else []
            )
            held.append((vector[start + 1 : close], "".join(_class_of(p) for p in positions)))
            start = vector.find(f"'{lexeme}", end) if prefix else -1
    return held


def _class_of(position: str) -> str:
    last = position[-1:]
    return last if last.isalpha() else "D"


def _hits(
    db: Connection, page: list[int], terms: list[Term], scores: dict[int, float], commit: bool
) -> list[Hit]:
    if not page:
        return []
    # Each record's JSON read once and parsed here (orjson): PostgreSQL's `data::json`
    # parsed every record of the page twice, for its fields and again for its body.
    with db.pipeline():
        found = db.execute(
            "SELECT id, slug, title, date, category, severity, data FROM records"
            " WHERE id = ANY(%s)",
            [page],
        )
        if commit:
            db.execute("COMMIT")
    rows = found.fetchall()
    stored: dict[int, dict[str, Any]] = {}
    fields: dict[int, HitFields] = {}
    for rowid, slug, title, day, category, severity, data in rows:
        record = stored[rowid] = orjson.loads(data)
        points = record.get("keyPoints")
        fields[rowid] = (
            slug, title, _text(record.get("summary")), day, category, severity,
            points if isinstance(points, list) else [], _text(record.get("description")),
        )  # fmt: skip

    def bodies(ids: list[int]) -> Iterable[tuple[int, str | None, str | None]]:
        return [
            (rowid, _text(stored[rowid].get("$bodyHtml")), _text(stored[rowid].get("$body")))
            for rowid in ids
        ]

    return hits_from(page, fields, terms, scores, bodies)


def _text(value: Any) -> str:
    """A JSON value as the text PostgreSQL's `->>` gives of it ("" for none)."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)
