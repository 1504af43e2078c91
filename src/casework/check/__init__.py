"""`casework check`: rules over a corpus of records, reporting findings like a linter.

    findings = run_checks(Corpus.from_records(items, site, today))

Each rule is a small function registered with an id, a level and a description
(`check/rules.py`, `check/lookalike.py`, `check/statutes.py`,
`check/provenance.py`); `RULES` lists them in the
order they run.
"""

from __future__ import annotations

from collections.abc import Iterable

# Importing the rule modules registers their rules, in this order.
from casework.check import rules as _rules  # noqa: F401

# isort: split
from casework.check import lookalike as _lookalike  # noqa: F401

# isort: split
from casework.check import statutes as _statutes  # noqa: F401

# isort: split
from casework.check import provenance as _provenance  # noqa: F401

# isort: split
from casework.check.corpus import Corpus
from casework.check.findings import Finding, Level
from casework.check.registry import RULES, Problem, Rule, rule, rule_by_id


def run_checks(corpus: Corpus, rules: Iterable[Rule] | None = None) -> list[Finding]:
    """Run `rules` (every registered rule by default) over `corpus`. Findings come sorted:
    errors first, then by record slug; within a record, in rule order and field order."""
    selected = RULES if rules is None else list(rules)
    findings = [finding for each in selected for finding in each.run(corpus)]
    findings.sort(key=lambda f: (f.level.rank, f.slug))
    return findings


__all__ = [
    "RULES",
    "Corpus",
    "Finding",
    "Level",
    "Problem",
    "Rule",
    "rule",
    "rule_by_id",
    "run_checks",
]
