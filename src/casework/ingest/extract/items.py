"""The items extractors return. Plain frozen dataclasses: a proposal is built from them, the
evaluation compares them with the gold set, `--json` prints them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from casework.ingest.article import Span

Precision = Literal["day", "month", "year"]


@dataclass(frozen=True)
class Event:
    """Something that happened on a date the article gives, relative dates resolved against
    its publication date ("on Friday", "last week", "earlier this month", "in June 2022")."""

    date: date  # the first day of the month or year when less precise
    precision: Precision
    summary: str  # what happened, short: the clause around the date, not the whole sentence
    expression: str  # the date as written: "on Friday", "December 2"
    span: Span


FigureUnit = Literal["people", "percent", "money", "count"]


@dataclass(frozen=True)
class Figure:
    """A number the article states: people killed/injured/detained/displaced, a percentage,
    money, a count of things (countries, programs...)."""

    value: float
    unit: FigureUnit
    counts: str  # what is counted, one lowercase word or two: "killed", "injured",
    # "civilians", "children", "countries", "increase"; for money: what it pays for, or ""
    period: str | None  # the year or period it covers ("2024", "2020-2024"), when said
    expression: str  # as written: "at least 1,945", "9%", "$2.5 million", "More than 160"
    span: Span
    qualifier: str = ""  # "at least", "more than", "about", "" (exact)
    currency: str = ""  # ISO 4217 for money ("USD")


@dataclass(frozen=True)
class Quote:
    text: str  # the quoted words, without the quotation marks
    speaker: str  # "Ben Linden"; "" when the article does not say
    role: str  # "advocacy director for Europe and Central Asia"
    organization: str  # "Amnesty International USA"
    span: Span

    def attribution(self) -> str:
        """Who said it, each part once: "Ben Linden, advocacy director, Amnesty International
        USA"; an organisation speaking is its name alone, not "White House, White House"."""
        parts: list[str] = []
        for part in (self.speaker, self.role, self.organization):
            if part and part not in parts:
                parts.append(part)
        return ", ".join(parts)


MentionKind = Literal["person", "organization", "place"]


@dataclass(frozen=True)
class Mention:
    name: str  # as written
    kind: MentionKind
    known: str | None  # the tracker's own name for it (a party's name or entity slug), if any
    span: Span


@dataclass(frozen=True)
class LawMention:
    """A law or treaty named, matched to the tracker's statutes through a catalog of names
    and aliases (Ottawa Convention = Ottawa Treaty = Mine Ban Treaty)."""

    statute: str  # the canonical name: the tracker's own spelling when it uses the statute
    article: str | None  # "8(2)(b)(xx)" for "Article 8(2)(b)(xx)"
    expression: str  # as written
    known: bool  # whether the tracker already uses this statute
    span: Span


@dataclass(frozen=True)
class TagMatch:
    tag: str  # a tag of the tracker's vocabulary
    span: Span
