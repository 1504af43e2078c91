"""Cheap, varied prose and Markdown bodies for example records.

Words are drawn with Zipf-like weights (the n-th word of a list about 1/n as often as the
first), mixed with a few words particular to each record, so that a generated corpus searches
like real text: a few hundred words everywhere, a few thousand rare ones.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from casework.examples import words as w


class Zipf:
    """Draw from `items` with the n-th item weighted 1/(n + 1)."""

    __slots__ = ("cum_weights", "items")

    def __init__(self, items: Sequence[str]) -> None:
        self.items = list(items)
        self.cum_weights = list(accumulate(1.0 / (rank + 1) for rank in range(len(items))))

    def __call__(self, rng: random.Random) -> str:
        return rng.choices(self.items, cum_weights=self.cum_weights)[0]


PLACES = Zipf([start + end for end in w.PLACE_ENDS for start in w.PLACE_STARTS])
SURNAMES = Zipf([start + end for end in w.SURNAME_ENDS for start in w.SURNAME_STARTS])
_NOUNS = Zipf(w.NOUNS)
_ADJECTIVES = Zipf(w.ADJECTIVES)
_VERBS = Zipf(w.VERBS_PAST)
_ADVERBS = Zipf(w.ADVERBS)


@dataclass
class Facts:
    """What a record's text talks about (chosen before the text is written)."""

    state: str
    actor: str  # "Kessland Border Agency"
    action: str  # "detains asylum seekers at"
    place: str  # "Velhaven detention centre"
    town: str  # "Velhaven"
    victims: str  # "asylum seekers"
    display_date: str  # "March 4, 2021"
    year: int
    severity_label: str
    official: str  # "Colonel Orvanek"
    topic: list[str]  # rare words this record keeps coming back to
    source_links: list[tuple[str, str]]  # (title, url)
    provisions: list[w.Provision]
    events: list[tuple[str, str, str]]  # (display date, title, summary)


_IRREGULAR = {
    "bans": "banned", "cuts": "cut", "freezes": "froze", "holds": "held", "lays": "laid",
    "runs": "ran", "sets": "set", "shuts": "shut", "strikes": "struck", "takes": "took",
    "withholds": "withheld", "occupies": "occupied", "denies": "denied", "tries": "tried",
    "pushes": "pushed", "purges": "purged", "surveils": "surveilled", "expels": "expelled",
    "rewrites": "rewrote", "cancels": "cancelled",
}  # fmt: skip


def past(action: str) -> str:
    """A title's present-tense action ("shells residential blocks in") in the past tense,
    for sentences that tell what happened on a date."""
    verb, _, rest = action.partition(" ")
    if verb in _IRREGULAR:
        done = _IRREGULAR[verb]
    elif (verb.endswith("es") and verb[-3] in "sxz") or verb.endswith(("ches", "shes")):
        done = verb[:-2] + "ed"
    elif verb.endswith("es"):
        done = verb[:-1] + "d"
    else:
        done = verb[:-1] + "ed"
    return f"{done} {rest}"


def a(word: str) -> str:
    """`word` with its indefinite article."""
    return ("an " if word[0] in "aeiou" else "a ") + word


class Prose:
    """Sentences and paragraphs about one record's facts, from one random stream."""

    def __init__(self, rng: random.Random, facts: Facts) -> None:
        self.rng = rng
        self.f = facts

    # Words ------------------------------------------------------------------------------

    def noun(self) -> str:
        # A quarter of the nouns come from the record's own topic: records repeat their subject.
        if self.rng.random() < 0.25:
            return self.rng.choice(self.f.topic).replace("-", " ")
        return _NOUNS(self.rng)

    def topic(self) -> str:
        """One of the record's own rare words: the concrete thing this record is about."""
        return self.rng.choice(self.f.topic).replace("-", " ")

    def adj(self) -> str:
        return _ADJECTIVES(self.rng)

    def verb(self) -> str:
        return _VERBS(self.rng)

    def adv(self) -> str:
        return _ADVERBS(self.rng)

    def group(self) -> str:
        return self.rng.choice(w.RIGHTS_GROUPS).name

    def number(self) -> str:
        return str(
            self.rng.choice((12, 30, 45, 60, 112, 200, 340, 1200, 3500)) + self.rng.randrange(9)
        )

    def other_place(self) -> str:
        return PLACES(self.rng)

    # Sentences --------------------------------------------------------------------------

    def sentence(self) -> str:
        text = self.rng.choice(_TEMPLATES)(self)
        return text[0].upper() + text[1:]

    def emphasised_sentence(self) -> str:
        text = self.sentence()
        words = text.split(" ")
        if len(words) > 6:
            i = self.rng.randrange(1, len(words) - 3)
            mark = "**" if self.rng.random() < 0.5 else "*"
            words[i] = mark + words[i]
            words[i + 1] = words[i + 1] + mark
        return " ".join(words)

    def linked_sentence(self) -> str:
        title, url = self.rng.choice(self.f.source_links)
        return self.rng.choice(
            (
                f"The [report in question]({url}) sets out the {self.noun()} in detail.",
                f"As [{title}]({url}) reported, the {self.noun()} was {self.adj()} from the start.",
                f"Details of the {self.noun()} were first [published]({url}) in {self.f.year}.",
            )
        )

    def paragraph(self, sentences: int | None = None) -> str:
        count = sentences if sentences is not None else self.rng.randint(3, 6)
        parts = []
        for _ in range(count):
            roll = self.rng.random()
            if roll < 0.12:
                parts.append(self.emphasised_sentence())
            elif roll < 0.2:
                parts.append(self.linked_sentence())
            else:
                parts.append(self.sentence())
        return " ".join(parts)

    def quote(self) -> str:
        return f"> “{self.rng.choice(w.QUOTES)},” {self.rng.choice(w.SPEAKERS)}."


# Sentences an incident report is made of: who did what where, who says so, what it cost,
# what officials answer. The varied words (the Zipf-drawn nouns, the record's rare topic
# words, other places) sit in slots where any of them reads as a plausible detail.
_CONDITION = ("damaged", "destroyed", "sealed off", "searched", "guarded by soldiers", "emptied")
_HARMED = ("detained", "displaced", "injured", "questioned", "relocated", "threatened")
_CALL = ("an independent", "an international", "a prompt", "a credible", "a public")
_ANSWER = ("unverified", "exaggerated", "politically motivated", "based on rumour")
_OFFICIAL_VERB = ("approved", "defended", "ordered", "signed off on", "later extended")
_EVIDENCE = (
    "satellite imagery",
    "video footage",
    "medical records",
    "court filings",
    "leaked correspondence",
    "photographs",
)

_TEMPLATES: tuple[Callable[[Prose], str], ...] = (
    lambda p: f"on {p.f.display_date}, the {p.f.actor} {past(p.f.action)} {p.f.place}.",
    lambda p: (
        f"according to {p.group()}, at least {p.number()} {p.f.victims} in {p.f.town} "
        f"were {p.rng.choice(_HARMED)}."
    ),
    lambda p: (
        f"{p.group()} said it had interviewed {p.rng.randint(4, 60)} witnesses and reviewed "
        f"{p.rng.choice(_EVIDENCE)}; several mention the {p.topic()}."
    ),
    lambda p: f"the {p.f.actor} did not respond to a request for comment on the {p.noun()}.",
    lambda p: (
        f"{p.f.official} said in a statement that the {p.noun()} was lawful and "
        f"{p.rng.choice(('temporary', 'necessary', 'proportionate'))}."
    ),
    lambda p: (
        f"witnesses in {p.f.town} said the {p.topic()} near the {p.noun()} had been "
        f"{p.rng.choice(_CONDITION)}."
    ),
    lambda p: (
        f"by the end of {p.f.year}, at least {p.number()} {p.f.victims} had been "
        f"{p.rng.choice(_HARMED)}, {p.group()} estimated."
    ),
    lambda p: (
        f"lawyers representing the {p.f.victims} filed a complaint in {p.other_place()} "
        f"over the {p.noun()}."
    ),
    lambda p: f"the {p.f.state} government described the reports as {p.rng.choice(_ANSWER)}.",
    lambda p: f"{p.group()} called for {p.rng.choice(_CALL)} inquiry into the {p.noun()}.",
    lambda p: (
        f"residents of {p.f.town} said they had been given no warning and no written "
        f"{p.rng.choice(('order', 'explanation', 'notice'))}."
    ),
    lambda p: (
        f"in {p.other_place()}, {p.rng.randint(5, 120)} kilometres away, local officials reported "
        f"a similar incident involving the {p.noun()} the same week."
    ),
    lambda p: (
        f"{p.f.official} {p.adv()} {p.rng.choice(_OFFICIAL_VERB)} the operation, "
        f"according to documents seen by {p.group()}."
    ),
    lambda p: (
        f"records reviewed by {p.group()} mention the {p.topic()} {p.rng.randint(3, 40)} times."
    ),
    lambda p: (
        f"in {p.f.year - 1}, {p.group()} had documented a similar {p.noun()} in {p.other_place()}."
    ),
    lambda p: (
        f"the {p.f.actor}'s account of the {p.noun()} was {p.adv()} "
        f"{p.rng.choice(('disputed', 'contradicted', 'questioned'))} by {p.group()}, "
        f"citing {p.rng.choice(_EVIDENCE)}."
    ),
)


def markdown_body(rng: random.Random, facts: Facts, target: int) -> str:
    """A Markdown body of about `target` characters: headings (h2, h3), paragraphs, lists
    (ordered and unordered, some loose), links, emphasis, a quote, sometimes a table and a
    footnote. It opens by saying that the record is a generated example."""
    p = Prose(rng, facts)
    f = facts
    blocks = [
        "> *This is an example record generated by casework. "
        "It does not describe a real incident.*",
        "## What Happened",
        p.paragraph(),
        f"{p.paragraph()} {p.linked_sentence()}",  # every body links to a source at least once
    ]
    events = [f"**{day}**: {title}. {summary}" for day, title, summary in f.events]
    if rng.random() < 0.4:
        blocks.append("\n\n".join(f"{i}. {event}" for i, event in enumerate(events, 1)))
    else:
        blocks.append("\n".join(f"{i}. {event}" for i, event in enumerate(events, 1)))
    blocks += [f"### {f.town} before {f.year}", p.paragraph()]
    blocks.append("\n".join(f"- {p.sentence()}" for _ in range(rng.randint(3, 5))))
    blocks += ["## Evidence", p.paragraph()]
    if rng.random() < 0.35:
        blocks.append(_table(p))
    blocks += [p.quote(), p.paragraph()]
    blocks.append("## Legal Analysis")
    for provision in f.provisions:
        name = f"{provision.statute} {provision.article}".strip()
        blocks.append(f"**{name}**: {provision.provision}. {p.sentence()} {p.sentence()}")
    blocks += [f"## Why This Is Classified {f.severity_label}", p.paragraph(2)]
    blocks.append("\n".join(f"- **{p.topic().capitalize()}**: {p.sentence()}" for _ in range(4)))
    footnote = rng.random() < 0.25
    if footnote:
        blocks.append(p.paragraph(2) + "[^1]")
    size = sum(len(block) + 2 for block in blocks)
    section = 0
    while size < target:
        section += 1
        heading = rng.choice(_HEADINGS)(p)
        if section == 1:
            blocks.append("## Further Details")
        for block in (heading, p.paragraph()):
            blocks.append(block)
            size += len(block) + 2
    if footnote:
        title, url = f.source_links[0]
        blocks.append(f"[^1]: See [{title}]({url}).")
    return "\n\n".join(blocks) + "\n"


_HEADINGS: tuple[Callable[[Prose], str], ...] = (
    lambda p: f"### Reports from {p.other_place()}",
    lambda p: f"### The {p.topic()} at {p.other_place()}",
    lambda p: f"### What residents of {p.other_place()} saw",
    lambda p: f"### The {p.adj()} {p.noun()} in {p.other_place()}",
    lambda p: f"### Accounts from {p.other_place()}",
)


def _table(p: Prose) -> str:
    rows = ["| Date | Event | Reported by |", "| --- | --- | --- |"]
    for day, title, _ in p.f.events:
        rows.append(f"| {day} | {title} | {p.group()} |")
    return "\n".join(rows)
