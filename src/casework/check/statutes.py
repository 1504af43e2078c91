"""Rules about the statutes records cite: each is named as the site's statute catalog names
it (model/statutes.py, extended by `[[law.statutes]]` in casework.toml).

A statute named by an alias still reaches its one /law/ page, but the record reads
differently from its neighbours and a reader searching for the canonical name misses it; a
name the catalog does not know at all gets a page of its own, split from any other spelling
of the same law.
"""

from __future__ import annotations

from collections.abc import Iterator

from casework.check.corpus import Corpus
from casework.check.findings import Level
from casework.check.registry import Problem, rule


@rule(
    "statute-alias",
    Level.warning,
    "A provision names a statute by an alias; the message gives its canonical name.",
)
def statute_alias(corpus: Corpus) -> Iterator[Problem]:
    catalog = corpus.site.statute_catalog()
    for record in corpus.records:
        for i, provision in enumerate(record.international_law):
            found = catalog.resolve(provision.statute)
            if found is not None and provision.statute.strip() != found.name:
                yield Problem(
                    record.slug,
                    f"internationalLaw.{i}.statute",
                    f"{provision.statute!r} is another name of {found.name!r}",
                )


@rule(
    "statute-unknown",
    Level.warning,
    "A provision names a statute that is neither in the built-in catalog nor in casework.toml.",
)
def statute_unknown(corpus: Corpus) -> Iterator[Problem]:
    catalog = corpus.site.statute_catalog()
    for record in corpus.records:
        for i, provision in enumerate(record.international_law):
            if catalog.resolve(provision.statute) is None:
                yield Problem(
                    record.slug,
                    f"internationalLaw.{i}.statute",
                    f"{_short(provision.statute)} is not a statute casework knows: add it "
                    "to casework.toml as a [[law.statutes]] name (or alias of one)",
                )


def _short(name: str) -> str:
    return repr(name) if len(name) <= 80 else repr(name[:77] + "...")
