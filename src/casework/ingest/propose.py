"""A proposal: what an article adds to one record (or a new draft), item by item, each with
the sentence it came from. Nothing here writes a record: `apply` does, with the items a person
accepted, as one revision with an updateLog entry.

Items propose only what the record lacks: a source whose URL it has, a timeline entry on a
date it has, a statute it cites, a tag it carries, a key point it states are not proposed
again. A figure whose kind (killed, injured...) and period the record states with another
number is flagged as a possible inconsistency.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

from casework.ingest.article import Article
from casework.ingest.extract.items import Event, Figure, LawMention, Quote, TagMatch
from casework.ingest.match import Candidate, fold
from casework.model import UNCLASSIFIED, Record, Site, slugify
from casework.model.record import MAX_SENTENCE_CHARS
from casework.render.html import render_markdown

ItemKind = Literal["source", "timeline", "keyPoint", "figure", "legalProvision", "tag", "record"]


@dataclass
class Item:
    id: int
    kind: ItemKind
    value: dict[str, Any]  # what is added, in the record's wire form
    sentence: str  # where it came from ("" for the source itself)
    note: str = ""  # why it is proposed, or what it disagrees with
    flag: str = ""  # "inconsistency" when the record says otherwise
    decision: str = ""  # "", "accepted" or "rejected"


@dataclass
class Proposal:
    id: str
    created_at: str
    source: dict[
        str, Any
    ]  # url, title, publisher, author, date, file, archived (WARC path, sha256)
    target: str | None  # the record's slug; None: a new draft record
    candidates: list[dict[str, Any]]
    items: list[Item] = field(default_factory=list)
    # How sure the match is: margin (the top candidate's lead), ambiguous (too close to
    # choose: proposed into no record), choices (the records to choose from).
    match: dict[str, Any] = field(default_factory=dict)
    status: str = "open"  # open | applied | rejected | empty (nothing could be extracted)
    decided_by: str = ""  # who applied or rejected it
    decided_at: str = ""  # when (ISO 8601, UTC)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Proposal:
        items = [Item(**item) for item in data.get("items", [])]
        return cls(**{**data, "items": items})


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W_]{3,}", fold(text))}


def _already_said(sentence: str, known: list[str]) -> bool:
    """Whether `sentence` says what one of `known` says (most of its words)."""
    words = _words(sentence)
    if not words:
        return True
    return any(len(words & _words(k)) >= 0.7 * len(words) for k in known)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _record_numbers(record: Record) -> str:
    return " ".join(
        [record.summary, record.description, record.body or record.body_html, *record.key_points]
    )


def _number_near(text: str, counts: str) -> list[float]:
    """Numbers the record states just before `counts` ("1,900 killed", "killed 1,900")."""
    found = []
    pattern = re.compile(
        r"(\d[\d,]*(?:\.\d+)?)\s+(?:\w+\s+){0,3}?" + re.escape(counts)
        + r"|" + re.escape(counts) + r"\s+(?:\w+\s+){0,3}?(\d[\d,]*(?:\.\d+)?)",
        re.IGNORECASE,
    )  # fmt: skip
    for match in pattern.finditer(text):
        number = match.group(1) or match.group(2)
        try:
            found.append(float(number.replace(",", "")))
        except ValueError:
            continue
    return found


def figure_label(figure: Figure) -> str:
    number = f"{figure.value:,.0f}" if figure.value == int(figure.value) else f"{figure.value:g}"
    unit = "%" if figure.unit == "percent" else ""
    period = f" ({figure.period})" if figure.period else ""
    qualifier = f"{figure.qualifier} " if figure.qualifier else ""
    return f"{qualifier}{number}{unit} {figure.counts}{period}".strip()


def build_items(
    article: Article,
    record: Record | None,
    *,
    events: list[Event],
    figures: list[Figure],
    quotes: list[Quote],
    laws: list[LawMention],
    tags: list[TagMatch],
) -> list[Item]:
    """Every item `article` proposes for `record` (None: for a new record), none the record
    already has."""
    items: list[Item] = []

    def add(
        kind: ItemKind, value: dict[str, Any], sentence: str, note: str = "", flag: str = ""
    ) -> None:
        items.append(Item(len(items) + 1, kind, value, " ".join(sentence.split()), note, flag))

    source = {
        "url": article.url,
        "title": article.title or "(untitled)",
        "publisher": article.publisher or "(unknown publisher)",
    }
    if article.authors:
        source["author"] = ", ".join(article.authors)
    if article.published:
        source["date"] = article.published.isoformat()
    known_urls = {s.url for s in record.sources} if record else set()
    if article.url and article.url not in known_urls:
        add("source", source, "", "the article itself")

    timeline_dates = {entry.date for entry in record.timeline} if record else set()
    seen_dates: set[date] = set()
    for event in events:
        if event.precision != "day" or event.date in timeline_dates or event.date in seen_dates:
            continue
        seen_dates.add(event.date)
        summary = _short(event.summary or event.span.text, 300)
        add(
            "timeline",
            {"date": event.date.isoformat(), "title": _short(summary, 80), "summary": summary},
            event.span.text,
            f"dated by “{event.expression}”",
        )

    key_points = list(record.key_points) if record else []
    record_text = _record_numbers(record) if record else ""
    # One item per sentence: its figures together, the sentence as the key point to add.
    by_sentence: dict[str, list[Figure]] = {}
    for figure in figures:
        by_sentence.setdefault(figure.span.text, []).append(figure)
    for sentence, found in by_sentence.items():
        new, notes = [], []
        for figure in found:
            stated = _number_near(record_text, figure.counts) if record else []
            if stated and figure.value in stated:
                continue  # the record says it already
            new.append(figure)
            if stated and figure.unit == "people":
                said = ", ".join(f"{n:,.0f}" for n in stated)
                notes.append(f"{figure_label(figure)}: the record states {said} {figure.counts}")
        if not new or _already_said(sentence, key_points):
            continue
        labels = "; ".join(figure_label(f) for f in new)
        add(
            "figure",
            {"keyPoint": _short(sentence, 400), "figure": labels},
            sentence,
            "; ".join(notes) or labels,
            "inconsistency" if notes else "",
        )

    for quote in quotes:
        if not quote.speaker:
            continue
        who = quote.attribution()
        point = f"“{_short(quote.text, 400)}” — {who}"
        if _already_said(quote.text, key_points):
            continue
        add("keyPoint", {"keyPoint": point}, quote.span.text, "a quote with its speaker")

    cited = {fold(p.statute) for p in record.international_law} if record else set()
    seen_law: set[tuple[str, str | None]] = set()
    for law in laws:
        key = (fold(law.statute), law.article)
        if key[0] in cited or key in seen_law:
            continue
        seen_law.add(key)
        add(
            "legalProvision",
            {
                "statute": law.statute,
                "article": law.article,
                "provision": _short(law.span.text, 300),
            },
            law.span.text,
            "cited in the tracker already" if law.known else "new to the tracker",
        )

    carried = {fold(t) for t in record.tags} if record else set()
    for tag in tags:
        if fold(tag.tag) not in carried:
            carried.add(fold(tag.tag))
            add("tag", {"tag": tag.tag}, tag.span.text)
    return items


def new_record(article: Article, site: Site, events: list[Event], taken: Any) -> dict[str, Any]:
    """The skeleton of a new draft for an article about no record in the tracker: the
    vocabularies' first category, severity and posture, to be set by the editor, and no
    legal classification."""
    vocab = site.vocabularies
    first = next(
        iter(sorted((e for e in events if e.precision == "day"), key=lambda e: e.date)), None
    )
    when = first.date if first else (article.published or datetime.now(UTC).date())
    base = slugify(article.title, max_words=10) or "ingested-article"
    slug, n = base, 2
    while taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return {
        "slug": slug,
        "title": article.title or "Untitled incident",
        "date": when.isoformat(),
        "summary": article.dek or _short(article.text, 300),
        "category": next(iter(vocab.get("category"))),
        "severity": next(iter(vocab.get("severity"))),
        "posture": next(iter(vocab.get("posture"))),
        # Never a legal classification nobody chose: the editor picks one before publishing.
        "warCrimeClassification": UNCLASSIFIED,
    }


def applied(record: Record, items: list[Item], source_url: str | None = None) -> Record:
    """`record` with the accepted `items` added. Additive: nothing the record had is changed
    or removed. The updateLog entry (`applied_note`) and lastUpdated are the editing
    service's to write, as for every change.

    Each key point (from a keyPoint or figure item) and timeline entry added cites
    `source_url`, the article's, with the sentence it came from (`provenance`) — when the
    record lists that URL once the items are added (an editor who rejected the source item
    gets the claims without a citation of a source the record does not list). Citations
    follow their claims: adding a timeline entry keeps the timeline in date order, and the
    entries that move take their citations along."""
    data = record.to_storage()
    old = {citation.claim: citation.to_wire() for citation in record.provenance}
    key_points: list[tuple[str, dict[str, Any] | None]] = [
        (point, old.pop(f"keyPoints/{i}", None)) for i, point in enumerate(data["keyPoints"])
    ]
    timeline: list[tuple[dict[str, Any], dict[str, Any] | None]] = [
        (entry, old.pop(f"timeline/{i}", None)) for i, entry in enumerate(data["timeline"])
    ]
    dangling = list(old.values())  # citations of claims the record lacks: kept for `check`
    for item in items:
        value = item.value
        if item.kind == "source":
            data["sources"] = [*data["sources"], value]
        elif item.kind == "timeline":
            timeline.append((value, _cites(item)))
        elif item.kind in ("keyPoint", "figure"):
            key_points.append((value["keyPoint"], _cites(item)))
        elif item.kind == "legalProvision":
            provision = {k: v for k, v in value.items() if v is not None}
            data["internationalLaw"] = [*data["internationalLaw"], provision]
        elif item.kind == "tag":
            data["tags"] = [*data["tags"], value["tag"]]
    if any(item.kind == "timeline" for item in items):
        timeline.sort(key=lambda pair: pair[0]["date"])  # stable: same-day entries keep order
    listed = {s["url"] for s in data["sources"]} | {d["url"] for d in data["documents"]}
    citable = source_url is not None and source_url in listed
    data["keyPoints"] = [point for point, _ in key_points]
    data["timeline"] = [entry for entry, _ in timeline]
    provenance: list[dict[str, Any]] = []
    for kind, claims in (("keyPoints", key_points), ("timeline", timeline)):
        for i, (_, cite) in enumerate(claims):
            if cite is None:
                continue
            if cite.get("$new"):
                if not citable:
                    continue
                cite = {"sources": [source_url], **{k: v for k, v in cite.items() if k != "$new"}}
            provenance.append(_in_order({**cite, "claim": f"{kind}/{i}"}))
    data["provenance"] = provenance + dangling
    if "$anchors" in data:
        # Citations were renumbered: their unknown keys (if any) go at their ends.
        data["$anchors"] = {
            path: m for path, m in data["$anchors"].items() if not path.startswith("provenance.")
        }
    if data.get("$body") and not data.get("$bodyHtml"):
        data["$bodyHtml"] = render_markdown(data["$body"])
    return Record.from_storage(data)


def _cites(item: Item) -> dict[str, Any]:
    """The citation an accepted item's claim will carry (its source is filled in once the
    record's sources are known)."""
    cite: dict[str, Any] = {"$new": True}
    sentence = " ".join(item.sentence.split())
    if sentence:
        cite["sentence"] = _short(sentence, MAX_SENTENCE_CHARS)
    return cite


def _in_order(cite: dict[str, Any]) -> dict[str, Any]:
    """A citation's keys in docs/format.md's order (claim, sources, sentence), then any
    unknown keys it had."""
    known = ("claim", "sources", "sentence")
    return {k: cite[k] for k in known if k in cite} | {
        k: v for k, v in cite.items() if k not in known
    }


def applied_note(items: list[Item], source: dict[str, Any]) -> str:
    """The updateLog line for accepted `items` of the article `source`: "Added from The
    Ledger of 2025-12-23: the source, 2 timeline entries." ("" when nothing is added)."""
    if not items:
        return ""
    publisher = source.get("publisher") or "an article"
    when = f" of {source['date']}" if source.get("date") else ""
    return f"Added from {publisher}{when}: " + _summary(items)


def _summary(items: list[Item]) -> str:
    names = {
        "source": "the source", "timeline": "timeline entries", "keyPoint": "key points",
        "figure": "figures", "legalProvision": "legal provisions", "tag": "tags",
    }  # fmt: skip
    counts: dict[str, int] = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return (
        ", ".join(
            f"{n} {names[k]}" if k != "source" else names[k]
            for k, n in counts.items()
            if k in names
        )
        + "."
    )


def candidates_json(candidates: list[Candidate]) -> list[dict[str, Any]]:
    return [asdict(c) | {"reasons": list(c.reasons)} for c in candidates]
