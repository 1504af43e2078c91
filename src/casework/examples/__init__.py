"""Realistic example records, for the demo tracker, for tests and for benchmarks.

    for record in generate_records(1000, seed=1, site=site, today=date(2026, 1, 1)): ...

Records are invented (fictional states, places and people) and say that they are examples in
two places a reader and a program can both see: the summary begins with `[Example] ` and
the tags include `example data`; the body opens with a note saying so as well.

Deterministic: the same `n`, `seed`, `site` and `today` give the same records, and the first
k records of `generate_records(n)` are those of `generate_records(k)` (so a benchmark can take
any prefix of one generated file). `today` defaults to the real date: pass it to get the same
records on another day.
"""

from __future__ import annotations

import hashlib
import random
from collections import deque
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from casework.examples import words as w
from casework.examples.prose import PLACES, SURNAMES, Facts, Prose, markdown_body, past
from casework.model import Record, Site, StatuteDefinition, display_date
from casework.model import slugify as model_slugify
from casework.model.places import DECIMALS
from casework.render.html import render_markdown

EXAMPLE_TAG = w.EXAMPLE_TAG
# The statutes the examples cite that the built-in catalog names otherwise (ICCPR) or lacks,
# as a tracker's casework.toml declares them ([[law.statutes]]): the demo's site has them, so
# its /law/ pages carry these names and `check` finds no alias or unknown statute.
EXAMPLE_STATUTES = tuple(
    StatuteDefinition(name=name)
    for name in (w.ICCPR, w.ICESCR, w.ROME, w.REFUGEE, w.IHL, w.JUDICIARY, w.FORCE)
)
SUMMARY_PREFIX = "[Example] "
# Related incidents are chosen among the last RELATED_WINDOW records generated.
RELATED_WINDOW = 40
_YEARS = 15
_STOP_WORDS = frozenset("a an the of in at to for from on near into and by with".split())
_TITLE_TAILS = (
    ", court filings show",
    " despite a court order",
    " amid a curfew",
    ", leaked memo shows",
    " for the second time this year",
    ", witnesses say",
)


def generate_records(
    n: int,
    *,
    seed: int = 1,
    site: Site | None = None,
    today: date | None = None,
    mutual_links: bool = False,
) -> Iterator[Record]:
    """`n` example records, validated against `site`'s vocabularies, one at a time.

    Related incidents point back to records generated earlier, which always exist, so any
    prefix is a consistent set. With `mutual_links`, a record also lists the later records
    (within the `n`) that list it, so every relation goes both ways; the prefix property then
    holds for everything but `relatedIncidents`.
    """
    site = site or Site()
    today = today or date.today()
    state = _State()
    if not mutual_links:
        for i in range(n):
            yield _finish(_draft(i, seed, site, today, state), site)
        return
    pending: deque[dict[str, Any]] = deque()
    by_slug: dict[str, dict[str, Any]] = {}
    for i in range(n):
        data = _draft(i, seed, site, today, state)
        for slug in data["relatedIncidents"]:
            by_slug[slug]["relatedIncidents"].append(data["slug"])
        pending.append(data)
        by_slug[data["slug"]] = data
        # Records only link back RELATED_WINDOW records: older ones can gain no more links.
        if len(pending) > RELATED_WINDOW:
            done = pending.popleft()
            del by_slug[done["slug"]]
            yield _finish(done, site)
    while pending:
        yield _finish(pending.popleft(), site)


class _State:
    """What one record's generation needs from the ones before it."""

    def __init__(self) -> None:
        self.slugs: set[str] = set()
        self.recent: deque[tuple[str, str]] = deque(maxlen=RELATED_WINDOW)  # (slug, category)


def _finish(data: dict[str, Any], site: Site) -> Record:
    data["relatedIncidents"].sort()
    data["$bodyHtml"] = render_markdown(data["$body"])
    return Record.model_validate(data, context={"site": site})


def slugify(text: str, max_words: int = 8) -> str:
    """Plain-ASCII slug of `text`, small words dropped."""
    return model_slugify(text, drop=_STOP_WORDS, max_words=max_words)


def _pick(rng: random.Random, vocabulary: dict[str, str]) -> str:
    return rng.choice(list(vocabulary))


def _draft(i: int, seed: int, site: Site, today: date, state: _State) -> dict[str, Any]:
    """Record number `i` as wire data (plus `$body`), not yet rendered or validated."""
    # One stream per record: record i does not depend on how many come after it.
    rng = random.Random(f"casework-example:{seed}:{i}")  # noqa: S311  (not for security)
    vocabularies = site.vocabularies
    categories = list(vocabularies.category)
    category = rng.choice(categories)
    theme = w.THEMES[categories.index(category) % len(w.THEMES)]
    severity = _pick(rng, vocabularies.severity)

    country = rng.choice(w.STATES)
    actor = f"{country} {rng.choice(theme.actors)}"
    action = rng.choice(theme.actions)
    town = PLACES(rng)
    place = f"{town} {rng.choice(w.PLACE_KINDS)}" if rng.random() < 0.6 else town
    tail = rng.choice(_TITLE_TAILS) if rng.random() < 0.25 else ""
    title = f"{actor} {action} {place}{tail}"
    slug = slugify(title)
    base, k = slug, 1
    while slug in state.slugs:
        k += 1
        slug = f"{base}-{k}"
    state.slugs.add(slug)

    start = today - timedelta(days=rng.randrange(_YEARS * 365))
    last_updated = min(today, start + timedelta(days=rng.randrange(0, 500)))
    victims = rng.choice(theme.victims)
    official = f"{rng.choice(w.OFFICIAL_TITLES)} {SURNAMES(rng)}"
    provisions = rng.sample(theme.provisions, rng.randint(1, min(4, len(theme.provisions))))
    facts = Facts(
        state=country,
        actor=actor,
        action=action,
        place=place,
        town=town,
        victims=victims,
        display_date=display_date(start),
        year=start.year,
        severity_label=vocabularies.label("severity", severity),
        official=official,
        topic=rng.sample(w.RARE_NOUNS, 6),
        source_links=[],
        provisions=provisions,
        events=[],
    )
    prose = Prose(rng, facts)
    sources = _sources(rng, prose, slug, start, last_updated)
    facts.source_links = [(s["title"], s["url"]) for s in sources]
    timeline = _timeline(rng, prose, start, last_updated)
    facts.events = [
        (display_date(date.fromisoformat(e["date"])), e["title"], e["summary"]) for e in timeline
    ]
    victim_parties = _victims(rng, victims, town)
    perpetrator_parties = _perpetrators(rng, actor, country, official)

    related: list[str] = []
    if state.recent:
        same = [s for s, c in state.recent if c == category]
        pool = same if len(same) >= 2 else [s for s, _ in state.recent]
        related = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
    state.recent.append((slug, category))

    tags = [EXAMPLE_TAG, *rng.sample(theme.tags, rng.randint(3, 6))]
    tags += rng.sample(w.GENERAL_TAGS, rng.randint(0, 2))
    summary = (
        f"{SUMMARY_PREFIX}On {facts.display_date}, the {actor} {past(action)} {place}, "
        f"affecting {victims} in {town}. {prose.sentence()}"
    )
    data: dict[str, Any] = {
        "slug": slug,
        "title": title,
        "date": start.isoformat(),
        "lastUpdated": last_updated.isoformat(),
        "summary": summary,
        "category": category,
        "severity": severity,
        "posture": _pick(rng, vocabularies.posture),
        "ongoing": rng.random() < 0.3,
        "victims": f"{victims.capitalize()} in {town} and nearby. {prose.sentence()}",
        "perpetrators": ", ".join(p["name"] for p in perpetrator_parties) + ".",
        "structuredVictims": victim_parties,
        "structuredPerpetrators": perpetrator_parties,
        "legalBasis": "; ".join(f"{x.statute} {x.article}".strip() for x in provisions),
        "tags": tags,
        "keyPoints": [prose.sentence() for _ in range(rng.randint(3, 6))],
        "warCrimeClassification": _pick(rng, vocabularies.classification),
        "internationalLaw": [
            {"statute": x.statute, "article": x.article, "provision": x.provision}
            if x.article
            else {"statute": x.statute, "provision": x.provision}
            for x in provisions
        ],
        "iccRelevance": rng.random() < 0.2,
        "legalAnalyses": [
            {
                "title": f"{prose.adj().capitalize()} {prose.noun()}: the {actor} in {town}",
                "url": f"https://{group.domain}/analysis/{start.year}/{slug}",
                "organization": group.name,
            }
            for group in rng.sample(w.RIGHTS_GROUPS, rng.randint(1, 3))
        ],
        "description": f"{prose.sentence()} {prose.sentence()}",
        "relatedIncidents": related,
        "sources": sources,
        "documents": _documents(rng, theme, slug, start, last_updated),
        "timeline": timeline,
        "updateLog": _update_log(rng, prose, start, last_updated),
    }
    data["$body"] = markdown_body(rng, facts, target=rng.randint(5400, 6800))
    data["provenance"] = _provenance(seed, i, data)
    data["locations"] = _locations(seed, i, country, town)
    return data


# Where the fictional states lie: a grid in the open South Pacific (36°–47° S, 135°–95° W),
# hundreds of kilometres from any coast of Natural Earth's outlines (the map's basemap), so
# that no invented incident is drawn inside a real state. Column by column, row by row.
STATE_CENTRES: dict[str, tuple[float, float]] = {
    state: (-36.0 - 5.5 * (n % 3), -135.0 + 8.0 * (n // 3)) for n, state in enumerate(w.STATES)
}
# How far a place may lie from its state's centre (degrees of latitude, of longitude).
_SPREAD = (1.5, 2.0)


def _locations(seed: int, i: int, state: str, town: str) -> list[dict[str, Any]]:
    """Where record `i` happened: its town (more often), its region, or only its state, in
    the state's patch of ocean (STATE_CENTRES). A stream of its own, so the records' text and
    order are what they were before examples had places."""
    rng = random.Random(f"casework-example-locations:{seed}:{i}")  # noqa: S311
    code = w.STATE_CODES[state]
    draw = rng.random()
    if draw < 0.2:
        return [{"country": code, "precision": "country"}]
    lat, lon = STATE_CENTRES[state]
    region = f"{PLACES(rng)} {rng.choice(_REGION_KINDS)}"
    precision = "region" if draw < 0.45 else "town"
    # A point as precise as the place is known (DECIMALS: town 0.1°, region 1°), so that its
    # public form is the point itself and an export gives back what was imported.
    decimals = DECIMALS[precision]
    point = {
        "latitude": float(round(lat + rng.uniform(-_SPREAD[0], _SPREAD[0]), decimals)) + 0.0,
        "longitude": float(round(lon + rng.uniform(-_SPREAD[1], _SPREAD[1]), decimals)) + 0.0,
    }
    if precision == "region":
        return [{"adminArea": region, "country": code, **point, "precision": "region"}]
    return [{"name": town, "adminArea": region, "country": code, **point, "precision": "town"}]


_REGION_KINDS = ("province", "district", "county", "region")


def _provenance(seed: int, i: int, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every key point and timeline entry cites one or two of the record's sources and
    documents, as a documented record does (`casework check` then has nothing to say about
    the demo's provenance); some key points keep their sentence, here the point as the
    source put it. A stream of its own, so that the rest of the record is what it was before
    records cited their sources."""
    rng = random.Random(f"casework-example-provenance:{seed}:{i}")  # noqa: S311
    urls = [s["url"] for s in data["sources"]] + [d["url"] for d in data["documents"]]
    citations: list[dict[str, Any]] = []
    for kind, claims in (("keyPoints", data["keyPoints"]), ("timeline", data["timeline"])):
        for index, claim in enumerate(claims):
            citation: dict[str, Any] = {
                "claim": f"{kind}/{index}",
                "sources": rng.sample(urls, min(len(urls), rng.choice((1, 1, 2)))),
            }
            if kind == "keyPoints" and rng.random() < 0.35:
                citation["sentence"] = claim
            citations.append(citation)
    return citations


def _sources(
    rng: random.Random, prose: Prose, slug: str, start: date, last_updated: date
) -> list[dict[str, str]]:
    outlets = rng.sample(w.NEWS_OUTLETS, rng.randint(2, 6))
    f = prose.f
    headlines = (
        f"{f.actor} {f.action} {f.place}",
        f"What we know about the {prose.adj()} {prose.noun()} in {f.town}",
        f"Inside the {prose.noun()} at {f.place}",
        f"{f.victims.capitalize()} in {f.town} describe {prose.adj()} {prose.noun()}",
        f"{f.state} defends {prose.noun()} as criticism grows",
        f"Documents reveal {prose.adj()} {prose.noun()} behind {f.town} {prose.noun()}",
    )
    sources = []
    titles = rng.sample(headlines, len(outlets))
    for k, (outlet, title) in enumerate(zip(outlets, titles, strict=True)):
        day = min(last_updated, start + timedelta(days=k * rng.randint(0, 20)))
        sources.append(
            {
                "url": f"https://www.{outlet.domain}/{day.year}/{day.month:02d}/{day.day:02d}/"
                f"{slug}",
                "title": title,
                "publisher": outlet.name,
            }
        )
    group = rng.choice(w.RIGHTS_GROUPS)
    sources.append(
        {
            "url": f"https://{group.domain}/reports/{start.year}/{slug}",
            "title": f"Report: {f.actor} and the {f.victims} of {f.town}",
            "publisher": group.name,
        }
    )
    return sources


_EVENT_TITLES = (
    "Witnesses in {town} report the {topic} damaged",
    "{group} publishes its findings",
    "Officials issue a statement on {place}",
    "Lawyers file a complaint over {place}",
    "New reports reach {group} from {town}",
    "Families in {town} ask for information",
    "Access to {place} is restricted",
)


def _timeline(
    rng: random.Random, prose: Prose, start: date, last_updated: date
) -> list[dict[str, str]]:
    days = {start}
    earliest = start - timedelta(days=rng.randint(30, 400))
    span = (last_updated - earliest).days
    wanted = rng.randint(3, 7)
    while len(days) < wanted:
        days.add(earliest + timedelta(days=rng.randrange(span + 1)))
    entries = []
    for day in sorted(days):
        title = (
            "The incident begins"
            if day == start
            else rng.choice(_EVENT_TITLES).format(
                town=prose.f.town, group=prose.group(), topic=prose.topic(), place=prose.f.place
            )
        )
        entries.append({"date": day.isoformat(), "title": title, "summary": prose.sentence()})
    return entries


def _documents(
    rng: random.Random, theme: w.Theme, slug: str, start: date, last_updated: date
) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = []
    for k in range(rng.randint(1, 3)):
        kind = rng.choice(theme.document_kinds)
        url = f"https://documents.example.org/{slug}/{kind}-{k + 1}.pdf"
        document: dict[str, Any] = {
            "title": f"{kind.capitalize()} {k + 1}",
            "url": url,
            "kind": kind,
        }
        if rng.random() < 0.7:
            offset = rng.randint(-60, max(0, (last_updated - start).days))
            document["date"] = min(last_updated, start + timedelta(days=offset)).isoformat()
        if rng.random() < 0.5:
            document["sha256"] = hashlib.sha256(url.encode()).hexdigest()
        documents.append(document)
    return documents


def _update_log(
    rng: random.Random, prose: Prose, start: date, last_updated: date
) -> list[dict[str, str]]:
    span = (last_updated - start).days
    days = sorted({start + timedelta(days=rng.randint(0, span)) for _ in range(rng.randint(0, 2))})
    days = [d for d in days if d != last_updated] + [last_updated]
    notes = (
        "Added a source.",
        "Added timeline entries.",
        "Corrected the casualty figures.",
        "Added a primary document.",
        "Updated the legal analysis.",
    )
    return [{"date": d.isoformat(), "summary": rng.choice(notes)} for d in days]


def _victims(rng: random.Random, victims: str, town: str) -> list[dict[str, Any]]:
    parties: list[dict[str, Any]] = [
        {"name": f"{victims.capitalize()} of {town}", "kind": "population"},
    ]
    if rng.random() < 0.7:
        parties.append(
            {
                "name": victims.capitalize(),
                "kind": "group",
                "role": rng.choice(w.ROLES_VICTIM),
                "count": rng.randint(2, 900),
            }
        )
    if rng.random() < 0.5:
        parties.append(
            {
                "name": f"{rng.choice(w.FIRST_NAMES)} {SURNAMES(rng)}",
                "kind": "person",
                "role": rng.choice(w.ROLES_VICTIM),
            }
        )
    return parties


def _perpetrators(
    rng: random.Random, actor: str, country: str, official: str
) -> list[dict[str, Any]]:
    parties: list[dict[str, Any]] = [
        {
            "name": actor,
            "kind": "organization",
            "role": rng.choice(w.ROLES_PERPETRATOR),
            "entity": slugify(actor, 12),
        },
    ]
    if rng.random() < 0.6:
        parties.append(
            {
                "name": official,
                "kind": "person",
                "role": "signatory of the order",
                "entity": slugify(f"{country} {official}", 12),
            }
        )
    if rng.random() < 0.4:
        parties.append(
            {
                "name": f"Government of {country}",
                "kind": "state",
                "entity": slugify(f"government of {country}", 12),
            }
        )
    return parties


__all__ = ["EXAMPLE_TAG", "SUMMARY_PREFIX", "generate_records", "slugify"]
