"""Full-text search on SQLite: FTS5 for matching and bm25 ranking, numpy arrays for facets.

Why this shape (measured on 100,000 records with 6 KB bodies; see benchmarks/search.py):
ranking every match of a common word with bm25 over one big FTS5 table costs 100+ ms, and a
GROUP BY facet over the matches joins every matching row. So:

- `search_all` (every field and the body, detail=none, contentless) only answers "which rows
  match": FTS5 intersects the doclists in C and hands the rowids over as one string;
- `search_head` (title, tags, summary, key points, description; full detail) ranks with bm25,
  title weighted highest. Records that match only in the body follow the ranked ones, newest
  first: their bm25 would come from a column holding ~1,000 words of running text;
- facet counts and filters run over an in-memory `FacetIndex` (one small numpy array per facet,
  indexed by record id) rebuilt when `store_meta.generation` says another write happened;
- snippets are cut in Python from the stored record, for the page of hits only.

User text never reaches FTS5 as syntax: it is split into words, each quoted.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
import unicodedata
from collections.abc import Sequence
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


class FacetIndex:
    """Each record's facet values as codes in arrays indexed by record id (0 = no record)."""

    def __init__(self, generation: int, db: sqlite3.Connection) -> None:
        self.generation = generation
        rows = db.execute(
            "SELECT id, status, category, severity, posture, year, ongoing, date, title "
            "FROM records ORDER BY id"
        ).fetchall()
        size = (rows[-1][0] + 1) if rows else 1
        self.size = size
        self.status = np.zeros(size, dtype=np.uint8)
        self.values: dict[str, list[str]] = {name: [] for name in FACET_NAMES}
        self.codes: dict[str, npt.NDArray[np.int32]] = {
            name: np.zeros(size, dtype=np.int32) for name in _SIMPLE_FACETS
        }
        lookups: dict[str, dict[str, int]] = {name: {} for name in FACET_NAMES}
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        self.status[ids] = [_STATUS_CODES.get(Status(row[1]), 0) for row in rows]
        for column, name in enumerate(_SIMPLE_FACETS, start=2):
            lookup = lookups[name]
            codes = [
                lookup.setdefault(_facet_value(name, row[column]), len(lookup)) for row in rows
            ]
            self.codes[name][ids] = codes
            self.values[name] = list(lookup)
        # Sort orders: a record's rank by (date, id) and by (title, id).
        self.date_rank = np.zeros(size, dtype=np.int64)
        by_date = sorted(range(len(rows)), key=lambda i: (rows[i][7], rows[i][0]))
        self.date_rank[ids[by_date]] = np.arange(len(rows))
        self.title_rank = np.zeros(size, dtype=np.int64)
        by_title = sorted(range(len(rows)), key=lambda i: (rows[i][8].casefold(), rows[i][0]))
        self.title_rank[ids[by_title]] = np.arange(len(rows))
        tag_rows = db.execute("SELECT record_id, tag FROM record_tags").fetchall()
        tag_lookup = lookups["tag"]
        self.tag_owner = np.fromiter((r[0] for r in tag_rows), dtype=np.int64, count=len(tag_rows))
        self.tag_code = np.fromiter(
            (tag_lookup.setdefault(r[1], len(tag_lookup)) for r in tag_rows),
            dtype=np.int64,
            count=len(tag_rows),
        )
        self.values["tag"] = list(tag_lookup)
        self._lookups = lookups

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
        if query.tag:
            codes = [self._lookups["tag"][t] for t in query.tag if t in self._lookups["tag"]]
            has_tag = np.zeros(self.size, dtype=np.bool_)
            has_tag[self.tag_owner[np.isin(self.tag_code, codes)]] = True
            mask &= has_tag
        return mask

    def counts(self, ids: IntArray) -> dict[str, list[tuple[str, int]]]:
        """Facet name → [(value, count)] over `ids`, most frequent first."""
        facets: dict[str, list[tuple[str, int]]] = {}
        for name in _SIMPLE_FACETS:
            values = self.values[name]
            tally = np.bincount(self.codes[name][ids], minlength=len(values))
            facets[name] = _ordered(values, tally)
        selected = np.zeros(self.size, dtype=np.bool_)
        selected[ids] = True
        tag_values = self.values["tag"]
        tally = np.bincount(self.tag_code[selected[self.tag_owner]], minlength=len(tag_values))
        facets["tag"] = _ordered(tag_values, tally)
        return {name: facets[name] for name in FACET_NAMES}


def _facet_value(name: str, value: Any) -> str:
    if name == "ongoing":
        return "true" if value else "false"
    return str(value)


def _ordered(values: list[str], tally: IntArray) -> list[tuple[str, int]]:
    nonzero = np.flatnonzero(tally)
    pairs = [(values[i], int(tally[i])) for i in nonzero]
    pairs.sort(key=lambda pair: (-pair[1], pair[0]))
    return pairs


def matching_ids(db: sqlite3.Connection, terms: list[Term]) -> IntArray:
    """Ids of the records holding every term somewhere, ascending."""
    expression = " ".join(term.fts for term in terms)
    found = db.execute(
        "SELECT group_concat(rowid) FROM search_all WHERE search_all MATCH ?", (expression,)
    ).fetchone()[0]
    if not found:
        return np.zeros(0, dtype=np.int64)
    # FTS5 yields rowids in ascending order; sorting an already sorted array costs little.
    return np.sort(np.array(found.split(","), dtype=np.int64))


def search(db: sqlite3.Connection, index: FacetIndex, query: Query) -> SearchResult:
    """Run `query` with `db` (in a read transaction) and `index` (current for it)."""
    terms = parse_terms(query.text)
    allowed = index.allowed(query)
    if terms:
        ids = matching_ids(db, terms)
        ids = ids[ids < index.size]  # written after the index was read: not visible yet
        ids = ids[allowed[ids]]
    else:
        ids = np.flatnonzero(allowed).astype(np.int64)
    facets = index.counts(ids) if query.facets else {}
    limit, offset = max(query.limit, 0), max(query.offset, 0)
    wanted = offset + limit
    scores: dict[int, float] = {}
    if query.sort == "relevance" and terms:
        page = _ranked(db, index, terms, ids, wanted, scores)
    else:
        if query.sort == "title":
            keys = index.title_rank[ids]
        elif query.sort == "date":
            keys = index.date_rank[ids]
        else:  # -date, and relevance without words: newest first
            keys = -index.date_rank[ids]
        page = _top(ids, keys, wanted)
    page = page[offset:wanted]
    return SearchResult(total=len(ids), hits=_hits(db, page, terms, scores), facets=facets)


def _top(ids: IntArray, keys: IntArray, k: int) -> list[int]:
    if k <= 0 or len(ids) == 0:
        return []
    if k < len(ids):
        part = np.argpartition(keys, k - 1)[:k]
        order = part[np.argsort(keys[part], kind="stable")]
    else:
        order = np.argsort(keys, kind="stable")
    return [int(i) for i in ids[order]]


def _ranked(
    db: sqlite3.Connection,
    index: FacetIndex,
    terms: list[Term],
    ids: IntArray,
    wanted: int,
    scores: dict[int, float],
) -> list[int]:
    """The first `wanted` of `ids` by bm25 over the short fields, then those matching only
    in the body, newest first."""
    if wanted <= 0 or len(ids) == 0:
        return []
    member = np.zeros(index.size, dtype=np.bool_)
    member[ids] = True
    inset = member.tobytes()
    page: list[int] = []
    cursor = db.execute(
        "SELECT rowid, rank FROM search_head WHERE search_head MATCH ? "
        "AND rowid BETWEEN ? AND ? ORDER BY rank",
        (" OR ".join(term.fts for term in terms), int(ids[0]), int(ids[-1])),
    )
    while len(page) < wanted:
        batch = cursor.fetchmany(256)
        if not batch:
            break
        for rowid, rank in batch:
            if rowid < len(inset) and inset[rowid]:
                page.append(rowid)
                scores[rowid] = -rank
                if len(page) == wanted:
                    break
    cursor.close()
    if len(page) < wanted:  # every ranked match is in `page`: fill up from the others
        member[page] = False
        rest = np.flatnonzero(member).astype(np.int64)
        page.extend(_top(rest, -index.date_rank[rest], wanted - len(page)))
    return page


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
    pattern = _highlight_pattern(terms)
    snippets: dict[int, str] = {}
    if pattern is not None:
        for rowid, (_s, _t, summary, _d, _c, _v, key_points, description) in rows.items():
            for text in (summary, "\n".join(json.loads(key_points)), description):
                found = _snippet(text, pattern)
                if found is not None:
                    snippets[rowid] = found
                    break
        unmatched = [rowid for rowid in page if rowid not in snippets]
        if unmatched:  # the match is in the body: read only those bodies
            for rowid, body_html, body in db.execute(
                "SELECT id, json_extract(data, '$.\"$bodyHtml\"'), "
                "json_extract(data, '$.\"$body\"') FROM records "
                f"WHERE id IN ({','.join('?' * len(unmatched))})",
                unmatched,
            ):
                found = _snippet(html_to_text(body_html) if body_html else body, pattern)
                if found is not None:
                    snippets[rowid] = found
    hits: list[Hit] = []
    for rowid in page:
        slug, title, summary, day, category, severity, _k, _d = rows[rowid]
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
