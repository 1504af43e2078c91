"""The extractor registry (ingest/extract/registry.py): one table, run in its order, later
extractors reading earlier ones' findings, languages honoured, modules loaded only when run."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from casework.ingest.article import Article
from casework.ingest.extract import registry
from casework.ingest.extract.law import LawCatalog
from casework.ingest.extract.registry import EXTRACTORS, ExtractContext, run_extractors

ARTICLE = Article(
    text=(
        "Shelling killed 14 civilians in 2024, the monitors said on Tuesday.\n\n"
        '"We counted every body ourselves," said Ana Ruiz, who leads the monitors. '
        "The strikes broke the Fourth Geneva Convention, she said."
    ),
    title="Monitors count the dead",
    published=date(2025, 3, 14),
)


def context(asked: list[str]) -> ExtractContext:
    def tags() -> list[str]:
        asked.append("tags")
        return ["shelling"]

    return ExtractContext(catalog=LawCatalog.default(), tags=tags)


def test_every_extractor_runs_in_order_and_later_ones_read_earlier_ones() -> None:
    asked: list[str] = []
    found = run_extractors(ARTICLE, context(asked), "en")
    assert list(found) == [e.name for e in EXTRACTORS]
    assert [e.name for e in EXTRACTORS].index("figures") < [e.name for e in EXTRACTORS].index(
        "events"
    )
    assert [(f.value, f.counts) for f in found["figures"]] == [(14, "killed")]
    # "in 2024" dates the figure: the events extractor, run after figures, leaves it out.
    assert [(str(e.date), e.precision) for e in found["events"]] == [("2025-03-11", "day")]
    assert [q.speaker for q in found["quotes"]] == ["Ana Ruiz"]
    assert [law.statute for law in found["laws"]] == ["Fourth Geneva Convention"]
    assert [t.tag for t in found["tags"]] == ["shelling"] and asked == ["tags"]


def test_an_extractor_reads_only_its_languages() -> None:
    only_english = registry.Extractor("quotes", f"{registry.__name__}:_quotes", ("en",))
    asked: list[str] = []
    assert only_english(ARTICLE, context(asked))  # it does read English
    saved = registry.EXTRACTORS
    try:
        registry.EXTRACTORS = (only_english,)
        assert run_extractors(ARTICLE, context(asked), "de") == {"quotes": []}
    finally:
        registry.EXTRACTORS = saved


def test_the_registry_loads_no_extractor_until_one_runs() -> None:
    code = (
        "import sys, casework.ingest.extract.registry as r; "
        "print(sorted(m for m in sys.modules if m.startswith('casework.ingest.extract.') "
        "and m.rsplit('.', 1)[1] in ('events', 'figures', 'quotes', 'law', 'tags')))"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"
