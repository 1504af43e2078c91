"""The extractors, in one table: what `casework ingest` reads out of an article.

Each extractor is a function `(article, context) -> list[item]` under a name; the table below
is the only place that lists them, so adding one is writing its function and adding its line
here. They run in the table's order, and a later one may read what an earlier one found
(`context.found`): the events extractor leaves out the years that only date a figure, so it
comes after figures. Each one's module is imported when it first runs (`casework --version`
loads none of them), and each is linear in its text and calls `check_budget()` between units
of work (`budget.py`): the article's time budget bounds them all.

`languages` says which articles an extractor reads (ISO 639-1 codes; the article's language
is guessed from its text, `readers/language.py`); an article in another language gets nothing
from it, rather than a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from casework.ingest.article import Article
    from casework.ingest.extract.law import LawCatalog

# The languages the extractors are written for (each has its own words and rules for them).
LANGUAGES = ("en", "es", "fr")


@dataclass
class ExtractContext:
    """What an extractor may use besides the article: the statute catalogue, the tracker's
    tag vocabulary (asked for only by the tags extractor: reading it is a query), and what
    the extractors before it found."""

    catalog: LawCatalog
    tags: Callable[[], list[str]]
    found: dict[str, list[Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Extractor:
    name: str
    target: str  # "module:function", the function taking (article, context)
    languages: tuple[str, ...] = LANGUAGES

    def __call__(self, article: Article, context: ExtractContext) -> list[Any]:
        module, _, function = self.target.partition(":")
        run: Callable[[Article, ExtractContext], list[Any]] = getattr(
            import_module(module), function
        )
        return run(article, context)


# --- adapters: the extractors' own signatures, read from the context ---------------------------
def _figures(article: Article, context: ExtractContext) -> list[Any]:
    from casework.ingest.extract.figures import extract_figures

    return extract_figures(article)


def _events(article: Article, context: ExtractContext) -> list[Any]:
    from casework.ingest.extract.events import extract_events

    return without_figure_periods(extract_events(article), context.found.get("figures", []))


def _quotes(article: Article, context: ExtractContext) -> list[Any]:
    from casework.ingest.extract.quotes import extract_quotes

    return extract_quotes(article)


def _laws(article: Article, context: ExtractContext) -> list[Any]:
    from casework.ingest.extract.law import extract_law

    return extract_law(article, context.catalog)


def _tags(article: Article, context: ExtractContext) -> list[Any]:
    from casework.ingest.extract.tags import extract_tags

    return extract_tags(article, context.tags())


_HERE = __name__
EXTRACTORS: tuple[Extractor, ...] = (
    Extractor("figures", f"{_HERE}:_figures"),
    Extractor("events", f"{_HERE}:_events"),  # after figures: it drops figures' periods
    Extractor("quotes", f"{_HERE}:_quotes"),
    Extractor("laws", f"{_HERE}:_laws"),
    Extractor("tags", f"{_HERE}:_tags"),
)


def run_extractors(
    article: Article, context: ExtractContext, language: str = "en"
) -> dict[str, list[Any]]:
    """Every extractor that reads `language`, in order; name → what it found (an extractor
    that does not read the language finds nothing)."""
    for extractor in EXTRACTORS:
        found = extractor(article, context) if language in extractor.languages else []
        context.found[extractor.name] = found
    return context.found


def without_figure_periods(events: list[Any], figures: list[Any]) -> list[Any]:
    """`events` less the bare years that only say which period a figure of the same
    sentence covers ("killed 1,945 people in 2024"): that year is the figure's, not an event."""
    periods = {(f.span.start, (f.period or "")[:4]) for f in figures if f.period}
    return [
        e
        for e in events
        if e.precision != "year" or (e.span.start, str(e.date.year)) not in periods
    ]
