"""The rule registry: every rule is a small function registered with an id, a level and a
one-line description. A rule yields `Problem`s; the registry makes them `Finding`s, so that a
rule's id and level are written once, where the rule is declared."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from casework.check.corpus import Corpus
from casework.check.findings import Finding, Level


class Problem(NamedTuple):
    """What a rule found: the record, the field path (camelCase, dotted) and the message."""

    slug: str
    field: str | None
    message: str


RuleFunction = Callable[[Corpus], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    description: str
    function: RuleFunction

    def run(self, corpus: Corpus) -> Iterator[Finding]:
        """The findings of this rule over `corpus`."""
        for slug, field, message in self.function(corpus):
            yield Finding(self.id, self.level, slug, field, message)


RULES: list[Rule] = []


def rule(id: str, level: Level, description: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register the decorated function as a rule (in declaration order)."""

    def register(function: RuleFunction) -> RuleFunction:
        if any(existing.id == id for existing in RULES):
            raise ValueError(f"two rules with the id {id!r}")
        RULES.append(Rule(id, level, description, function))
        return function

    return register


def rule_by_id(id: str) -> Rule:
    """The registered rule with this id; KeyError naming the known ids otherwise."""
    for registered in RULES:
        if registered.id == id:
            return registered
    raise KeyError(f"no check rule {id!r}; rules: " + ", ".join(r.id for r in RULES))
