"""Full-text search on PostgreSQL: tsvector columns for matching and ranking, SQL for facets.

The same Query semantics and ranking rules as SQLite's engine (`sqlite_search`'s docstring),
in PostgreSQL's terms:

- Words are made in Python, on both sides: text is folded as FTS5's `unicode61
  remove_diacritics 2` folds it (NFKD, combining marks dropped, case folded) and split into
  runs of letters and digits; the lexemes are written as tsvector and tsquery literals, so
  PostgreSQL's parser, dictionaries and stemming never apply and both engines match the same
  words. User text never reaches PostgreSQL as syntax.
- `records.search` holds every lexeme of a record (no positions) and answers "which records
  hold every word"; `records.search_head` holds the short fields with positions, weighted
  title A, tags B, summary and key points C, description D, for the tiers and the score.
- A tier is ranked by Σ idf(word) · ts_rank(search_head, word): ts_rank knows no document
  frequency, and without the idf a rare word would weigh no more than a common one (bm25's
  point). Words in half the records' short fields or more do not rank, as on SQLite.
- Facet counts are one GROUP BY per facet over the matches, in one statement.
- Snippets are cut in Python from the stored record by `sqlite_search`'s engine-neutral code.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import psycopg

from casework.store.base import FACET_NAMES, Hit, Query, SearchResult
from casework.store.prepared import PreparedRecord
from casework.store.sqlite_search import (
    RANK_BUDGET,
    HitFields,
    Term,
    _fold,
    hits_from,
    parse_terms,
)

Connection = psycopg.Connection[Any]

_TOKEN = re.compile(r"[^\W_]+")
MAX_LEXEME_BYTES = 2047  # PostgreSQL refuses longer words in a tsvector or tsquery
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS = 256  # positions PostgreSQL keeps per lexeme
MAX_VECTOR_BYTES = 900_000  # of lexeme text per tsvector: PostgreSQL's limit is 1 MB
# ts_rank's weights, in its order {D, C, B, A}: description, summary and key points, tags, title.
_WEIGHTS = "'{0.1, 0.3, 0.5, 1.0}'::real[]"
_HEAD_WEIGHTS = ("A", "B", "C", "C", "D")  # for PreparedRecord.head's five fields


def words(text: str) -> list[str]:
    """The lexemes of `text` in order: runs of letters and digits, folded as
    `sqlite_search._fold` folds a word (NFKD, combining marks dropped, case folded). Words are
    cut before they are folded (after NFC, so that a decomposed accent stays in its word) and
    only non-ASCII ones are decomposed: folding whole texts character by character cost more
    than everything else an import does."""
    if text.isascii():
        return _TOKEN.findall(text.lower())
    found: list[str] = []
    for word in _TOKEN.findall(unicodedata.normalize("NFC", text)):
        if word.isascii():
            found.append(word.lower())
        else:
            found.extend(_TOKEN.findall(_fold(word)))
    return found


def _indexable(word: str) -> bool:
    return len(word) * 4 <= MAX_LEXEME_BYTES or len(word.encode("utf-8")) <= MAX_LEXEME_BYTES


def search_vectors(written: PreparedRecord) -> tuple[str, str]:
    """(`search`, `search_head`) for a record, as tsvector literals. The lexemes are letters
    and digits only, so they need no escaping inside the quotes.

    The common record (short fields under MAX_POSITION words, no word over 511 characters, a
    body under MAX_VECTOR_BYTES of words) takes a fast path: this runs once per imported
    record, and the careful loop cost 0.9 ms of a PostgreSQL import's ~1.4 ms per record."""
    fields = [
        (words(text), weight) for text, weight in zip(written.head, _HEAD_WEIGHTS, strict=True)
    ]
    body = words(written.body_text)
    if sum(len(found) for found, _ in fields) >= MAX_POSITION:
        return _search_vectors_bounded(fields, body)
    positions: dict[str, list[str]] = {}
    position = 1
    for found, weight in fields:
        for at, word in enumerate(found, position):
            listed = positions.get(word)
            if listed is None:
                positions[word] = [f"{at}{weight}"]
            else:
                listed.append(f"{at}{weight}")
        position += len(found)
    everything = set(positions)
    everything.update(body)
    longest = max(map(len, everything), default=0)
    if longest * 4 > MAX_LEXEME_BYTES or sum(map(len, everything)) + 3 * len(everything) > (
        MAX_VECTOR_BYTES
    ):
        return _search_vectors_bounded(fields, body)
    head = " ".join(
        f"'{w}':{','.join(p if len(p) <= MAX_POSITIONS else p[:MAX_POSITIONS])}"
        for w, p in positions.items()
    )
    return ("'" + "' '".join(everything) + "'") if everything else "", head


def _search_vectors_bounded(
    fields: list[tuple[list[str], str]], body: list[str]
) -> tuple[str, str]:
    """`search_vectors` for records past one of PostgreSQL's limits: positions past
    MAX_POSITION share the last one, at most MAX_POSITIONS per word, words too long to index
    left out, and only as many words as MAX_VECTOR_BYTES holds."""
    positions: dict[str, list[str]] = {}
    position = 0
    for found_words, weight in fields:
        for word in found_words:
            position = min(position + 1, MAX_POSITION)
            found = positions.setdefault(word, [])
            if len(found) < MAX_POSITIONS and position < MAX_POSITION:
                found.append(f"{position}{weight}")
            elif not found:  # past the last position: still findable, at the last one
                found.append(f"{MAX_POSITION}{weight}")
    head = " ".join(f"'{w}':{','.join(p)}" for w, p in positions.items() if _indexable(w))
    everything = set(positions)
    everything.update(body)
    size = 0
    kept: list[str] = []
    for word in everything:
        if _indexable(word):
            size += len(word) + 3
            if size > MAX_VECTOR_BYTES:  # only a pathological body: its rarest words go
                break
            kept.append(f"'{word}'")
    return " ".join(kept), head


def _term_words(term: Term) -> list[str] | None:
    """A query word's lexemes (one, unless folding splits it); None when it cannot match."""
    found = words(term.word)
    if not found or not all(_indexable(w) for w in found):
        return None
    return found


def _tsquery(terms: Sequence[tuple[Term, list[str]]], join: str, weights: str = "") -> str:
    """A tsquery literal: each term's lexemes ANDed (the last one a prefix for `word*`),
    the terms joined by `join` ("&" or "|"), restricted to `weights` when given."""
    parts = []
    for term, lexemes in terms:
        last = len(lexemes) - 1
        items = [
            f"'{w}':" + ("*" if term.prefix and i == last else "") + weights
            if (term.prefix and i == last) or weights
            else f"'{w}'"
            for i, w in enumerate(lexemes)
        ]
        parts.append("(" + " & ".join(items) + ")")
    return f" {join} ".join(parts)


def _filters(query: Query) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if query.status is not None:
        where.append("status = %s")
        args.append(query.status.value)
    for column, values in (
        ("category", query.category),
        ("severity", query.severity),
        ("posture", query.posture),
    ):
        if values:
            where.append(f"{column} = ANY(%s)")
            args.append(list(values))
    if query.year:
        where.append("year = ANY(%s)")
        args.append([int(y) for y in query.year])
    if query.ongoing is not None:
        where.append("ongoing = %s")
        args.append(bool(query.ongoing))
    if query.date_from:
        where.append("date >= %s")
        args.append(query.date_from)
    if query.date_to:
        where.append("date <= %s")
        args.append(query.date_to)
    if query.tag:
        where.append("id IN (SELECT record_id FROM record_tags WHERE tag = ANY(%s))")
        args.append(list(query.tag))
    return where, args


def _empty(query: Query) -> SearchResult:
    return SearchResult(
        total=0, hits=[], facets={n: [] for n in FACET_NAMES} if query.facets else {}
    )


def search(db: Connection, query: Query) -> SearchResult:
    """Run `query` with `db`, inside one read transaction (one snapshot for every part)."""
    terms: list[tuple[Term, list[str]]] = []
    for term in parse_terms(query.text):
        lexemes = _term_words(term)
        if lexemes is None:  # a word no record can hold
            return _empty(query)
        terms.append((term, lexemes))
    where, args = _filters(query)
    if terms:
        where.append("search @@ %s::tsquery")
        args.append(_tsquery(terms, "&"))
    condition = " AND ".join(where) or "TRUE"
    total, facets = _counts(db, condition, args, query.facets)
    limit, offset = max(query.limit, 0), max(query.offset, 0)
    scores: dict[int, float] = {}
    if limit == 0 or offset >= total:
        page: list[int] = []
    elif query.sort == "relevance" and terms:
        page = _ranked(db, terms, condition, args, limit, offset, scores)
    else:
        order = {
            "title": 'lower(title) COLLATE "C", id',
            "date": "date, id",
        }.get(query.sort, "date DESC, id DESC")  # -date, and relevance without words
        page = [
            row[0]
            for row in db.execute(
                f"SELECT id FROM records WHERE {condition} ORDER BY {order} LIMIT %s OFFSET %s",
                [*args, limit, offset],
            )
        ]
    return SearchResult(
        total=total, hits=_hits(db, page, [t for t, _ in terms], scores), facets=facets
    )


def _counts(
    db: Connection, condition: str, args: list[Any], facets: bool
) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """The number of matches and, when asked, every facet's (value, count) over all of them,
    most frequent first (ties by value), in one statement."""
    if not facets:
        row = db.execute(f"SELECT count(*) FROM records WHERE {condition}", args).fetchone()
        return (int(row[0]) if row else 0), {}
    sql = (
        "WITH m AS MATERIALIZED (SELECT id, category, severity, posture, year, ongoing "
        f"FROM records WHERE {condition}) "
        "SELECT '', '', count(*) FROM m"
        " UNION ALL SELECT 'category', category, count(*) FROM m GROUP BY category"
        " UNION ALL SELECT 'severity', severity, count(*) FROM m GROUP BY severity"
        " UNION ALL SELECT 'posture', posture, count(*) FROM m GROUP BY posture"
        " UNION ALL SELECT 'year', year::text, count(*) FROM m GROUP BY year"
        " UNION ALL SELECT 'ongoing', CASE WHEN ongoing THEN 'true' ELSE 'false' END, count(*)"
        " FROM m GROUP BY ongoing"
        " UNION ALL SELECT 'tag', t.tag, count(*) FROM m JOIN record_tags t"
        " ON t.record_id = m.id GROUP BY t.tag"
    )
    total = 0
    counted: dict[str, list[tuple[str, int]]] = {name: [] for name in FACET_NAMES}
    for name, value, count in db.execute(sql, args):
        if name == "":
            total = int(count)
        else:
            counted[name].append((value, int(count)))
    for pairs in counted.values():
        pairs.sort(key=lambda pair: (-pair[1], pair[0]))
    return total, counted


def _ranked(
    db: Connection,
    terms: list[tuple[Term, list[str]]],
    condition: str,
    args: list[Any],
    limit: int,
    offset: int,
    scores: dict[int, float],
) -> list[int]:
    """A page of the matches in the ranking order of sqlite_search's docstring: the tiers
    (every ranking word in the title or tags; every one in the short fields; any of them),
    each by score unless it holds more than RANK_BUDGET records; then title matches of every
    word, then the rest, newest first."""
    row = db.execute("SELECT count(*) FROM records").fetchone()
    records = int(row[0]) if row else 0
    ranking: list[tuple[tuple[Term, list[str]], float]] = []
    for term in terms:
        found = db.execute(
            "SELECT count(*) FROM records WHERE search_head @@ %s::tsquery",
            [_tsquery([term], "&")],
        ).fetchone()
        frequency = int(found[0]) if found else 0
        if 0 < frequency and 2 * frequency < records:
            idf = math.log((records - frequency + 0.5) / (frequency + 0.5))
            ranking.append((term, idf))
    tiers: list[str] = []
    if ranking:
        ranked_terms = [term for term, _ in ranking]
        tiers = [_tsquery(ranked_terms, "&", "AB"), _tsquery(ranked_terms, "&")]
        if len(ranking) > 1:
            tiers.append(_tsquery(ranked_terms, "|"))
    scored = len(tiers)
    tiers.append(_tsquery(terms, "&", "A"))  # every word in the title
    case = " ".join(f"WHEN search_head @@ %s::tsquery THEN {i}" for i in range(1, len(tiers) + 1))
    score = " + ".join(f"ts_rank({_WEIGHTS}, search_head, %s::tsquery, 1) * %s" for _ in ranking)
    score_args: list[Any] = []
    for term, idf in ranking:
        score_args += [_tsquery([term], "&"), idf]
    sql = (
        f"WITH t AS (SELECT id, date, search_head, CASE {case} ELSE {len(tiers) + 1} END AS tier"
        f" FROM records WHERE {condition}),"
        " c AS (SELECT id, date, search_head, tier, count(*) OVER (PARTITION BY tier) AS n"
        " FROM t)"
        f" SELECT id, CASE WHEN tier <= {scored} AND n <= {RANK_BUDGET}"
        f" THEN {score or '0'} ELSE 0 END AS score"
        " FROM c ORDER BY tier, score DESC, date DESC, id DESC LIMIT %s OFFSET %s"
    )
    page: list[int] = []
    for rowid, value in db.execute(sql, [*tiers, *args, *score_args, limit, offset]):
        page.append(rowid)
        if value:
            scores[rowid] = float(value)
    return page


def _hits(
    db: Connection, page: list[int], terms: list[Term], scores: dict[int, float]
) -> list[Hit]:
    if not page:
        return []
    rows = {
        row[0]: row[1:]
        for row in db.execute(
            "SELECT id, slug, title, j->>'summary', date, category, severity, j->'keyPoints',"
            " j->>'description' FROM (SELECT *, data::json AS j FROM records"
            " WHERE id = ANY(%s)) r",
            [page],
        )
    }
    fields: dict[int, HitFields] = {
        rowid: (slug, title, summary or "", day, category, severity,
                points if isinstance(points, list) else json.loads(points or "[]"),
                description or "")
        for rowid, (slug, title, summary, day, category, severity, points, description)
        in rows.items()
    }  # fmt: skip

    def bodies(ids: list[int]) -> Iterable[tuple[int, str | None, str | None]]:
        return db.execute(
            "SELECT id, j->>'$bodyHtml', j->>'$body' FROM (SELECT id, data::json AS j"
            " FROM records WHERE id = ANY(%s)) r",
            [ids],
        )

    return hits_from(page, fields, terms, scores, bodies)
