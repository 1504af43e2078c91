"""The one relevance score every search engine ranks a tier by: FTS5's bm25, spelled out.

SQLite computes it itself (`bm25(search_published, *FIELD_WEIGHTS)` in
`store/sqlite_search.py`); PostgreSQL (`store/postgres_search.py`) reads the same statistics
from its tsvectors and computes it here, with the same operations in the same order, so that
both give the same numbers and so the same order (tests/store/test_search_rank.py: the same
scores to 9 decimals, and the same order, on every judged query of
benchmarks/search_quality.py). The formula is FTS5's
(https://www.sqlite.org/fts5.html#the_bm25_function, `fts5Bm25Function` in fts5_aux.c):

    score(D) = Σ_phrases idf(p) · f(p, D) · (k1 + 1) / (f(p, D) + k1 · (1 − b + b · |D| / avgdl))
    idf(p)   = ln((N − n(p) + 0.5) / (n(p) + 0.5)), floored at 1e-6

- a phrase is one search key of a query word (a word folding splits gives two), the last key
  of `word*` a prefix;
- f(p, D) = Σ over D's short fields of FIELD_WEIGHTS[field] × occurrences of p in it, counting
  only the fields the tier asks about (title and tags for "in the title or tags");
- n(p) = records of the population (published ones for a public search) holding p in those
  fields; N = records of the population; |D| = D's short fields' length in keys (every key,
  stopwords too); avgdl = the mean |D| over the population.

Ties (equal scores, compared after rounding to `DIGITS` decimals so that the last bit of a
logarithm cannot reorder them) go newest first, then by record id (`FacetIndex.date_key`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

FIELDS = ("title", "tags", "summary", "key_points", "description")
FIELD_WEIGHTS = (10.0, 5.0, 3.0, 3.0, 1.0)
"""Title > tags > summary = key points > description. Summary and key points weigh the same:
PostgreSQL's tsvector holds four weight classes (A-D) for five fields."""
K1 = 1.2
B = 0.75
DIGITS = 9


def idf(matching: int, population: int) -> float:
    """FTS5's idf of a phrase found in `matching` of `population` records."""
    value = math.log((population - matching + 0.5) / (matching + 0.5))
    return value if value > 0.0 else 1e-6


def bm25(frequencies: Sequence[float], idfs: Sequence[float], length: int, avgdl: float) -> float:
    """The score of one record: `frequencies[i]` is phrase i's weighted count in it, `idfs[i]`
    its idf, `length` the record's |D|. The operations are FTS5's, in its order."""
    score = 0.0
    for f, weight in zip(frequencies, idfs, strict=True):
        score += weight * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + B * length / avgdl)))
    return score


def tie_key(score: float) -> float:
    """What scores are compared by: rounded, so that engines agree on ties."""
    return round(score, DIGITS)
