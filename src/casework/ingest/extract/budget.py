"""A time budget for extracting one article: past it, extraction stops with a one-line error
naming the article, instead of running on.

The budget is cooperative: the extractors call `check_budget()` between units of work (a
sentence, a date, a number, a quote, a name), and it raises once the deadline has passed.
Python cannot stop a thread from outside while it runs a regular expression (a signal reaches
only the main thread, and the web extracts in worker threads); a process per article could be
killed, but would cost a fork and the store's connection for every article. So the budget sits
on top of extractors whose every unit of work is bounded (none grows faster than its text, see
benchmarks/extract_hostile.py): it is noticed within one unit of work of the deadline.

The deadline lives in a context variable, set by `extraction_budget` around the extraction of
one article: each thread (each request) has its own, and an extractor called without one
(tests, benchmarks) runs unbounded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from casework.ingest.article import ReadError

# The default: the gold set's articles are read, extracted and matched in 0.05 s or less.
EXTRACT_SECONDS = 10.0


class ExtractionTimeout(ReadError):
    """An article whose extraction ran past its time budget."""


@dataclass(frozen=True)
class _Deadline:
    at: float  # time.monotonic() when the budget is spent
    seconds: float
    article: str


_DEADLINE: ContextVar[_Deadline | None] = ContextVar("extraction_deadline", default=None)


@contextmanager
def extraction_budget(seconds: float, article: str) -> Iterator[None]:
    """Extraction inside the block raises ExtractionTimeout once `seconds` have passed.
    `article` names it in the error (its file or URL)."""
    token = _DEADLINE.set(_Deadline(time.monotonic() + seconds, seconds, article))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_budget() -> None:
    """Raise ExtractionTimeout if the current article's budget is spent (no budget: never)."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() >= deadline.at:
        raise ExtractionTimeout(
            f"{deadline.article}: extraction stopped after {deadline.seconds:g} s, the time "
            "one article may take ([ingest] extract_seconds in casework.toml)"
        )
