"""What pages the site has and what each shows, planned from cards alone.

A page is (output path, template, context). The context is JSON-ready data and holds
everything the page shows, so a page's key — the hash of its template name and context — is
all a build needs to know whether the page must be written again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from hashlib import blake2b
from typing import Any, NamedTuple, TypeVar

import orjson

from casework.model import Collection, Site, StatuteCatalog
from casework.model.places import country_name
from casework.publish.cards import statute_page, statute_slug, tag_slug
from casework.publish.listing import default_sort, listings_of, options, table_row
from casework.render.html import excerpt, render_markdown

PER_PAGE = 20
HOME_LATEST = 10
CHART_MONTHS = 36

Card = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    path: str  # relative to the output root, e.g. "tag/landmines/page/2/index.html"
    template: str
    context: dict[str, Any]

    def key(self, salt: str) -> str:
        payload = orjson.dumps([salt, self.template, self.context], option=orjson.OPT_SORT_KEYS)
        return blake2b(payload, digest_size=16).hexdigest()


# The site's 404 page: the same at every size (the live app answers it without a plan).
NOT_FOUND = Page("404.html", "not_found.html", {})


def newest_first(cards: Iterable[Card]) -> list[Card]:
    return sorted(cards, key=lambda c: (c["date"], c["slug"]), reverse=True)


SUMMARY_CHARS = 320


# A record is listed on ~12 pages of a plan (category, severity, posture, year, tags, law,
# parties...): its brief is made once per plan. Keyed by the card's id, with the card kept
# beside it so that a reused id never answers; emptied when each plan starts and ends.
_briefs: dict[int, tuple[Card, dict[str, Any]]] = {}


def brief(card: Card) -> dict[str, Any]:
    """What a listing shows of a record."""
    found = _briefs.get(id(card))
    if found is not None and found[0] is card:
        return found[1]
    made = brief_of(card)
    _briefs[id(card)] = (card, made)
    return made


def brief_of(card: Card) -> dict[str, Any]:
    """`brief`, made now and not kept (outside a plan, which empties what `brief` keeps)."""
    return {
        key: card[key] for key in ("slug", "title", "date", "category", "severity", "posture")
    } | {"summary": excerpt(card["summary"], SUMMARY_CHARS), "ongoing": card["ongoing"]}


def paginated(
    base_path: str,
    template: str,
    cards: list[Card],
    extra: dict[str, Any],
    showing: set[str] | None = None,
) -> Iterator[Page]:
    """`base_path/index.html`, then `base_path/page/N/index.html`, PER_PAGE records each
    (with `showing`, only the pages that show one of those slugs)."""
    pages = page_count(len(cards))
    for number in _numbers(cards, pages, showing):
        chunk = cards[(number - 1) * PER_PAGE : number * PER_PAGE]
        yield numbered_page(
            base_path, template, [brief(c) for c in chunk], len(cards), number, extra
        )


def _numbers(cards: list[Card], pages: int, showing: set[str] | None) -> Iterable[int]:
    """The page numbers of a listing of `cards` in `pages` pages: all of them, or those that
    show a slug of `showing`."""
    if showing is None:
        return range(1, pages + 1)
    return sorted({i // PER_PAGE + 1 for i, c in enumerate(cards) if c["slug"] in showing})


def page_count(total: int) -> int:
    """How many pages a listing of `total` records has (one when it has none)."""
    return max(1, -(-total // PER_PAGE))


def page_path(base_path: str, number: int) -> str:
    """The folder of page `number` of the listing at `base_path` (page 1 at its own)."""
    return base_path if number == 1 else f"{base_path}page/{number}/"


def numbered_page(
    base_path: str,
    template: str,
    records: list[dict[str, Any]],
    total: int,
    number: int,
    extra: dict[str, Any],
) -> Page:
    """Page `number` of a listing of `total` records at `base_path`, showing `records`."""
    return Page(
        page_path(base_path, number) + "index.html",
        template,
        extra
        | {
            "records": records,
            "total": total,
            "page": number,
            "pages": page_count(total),
            "listing_path": base_path,
        },
    )


def listing(
    base_path: str,
    cards: list[Card],
    extra: dict[str, Any],
    showing: set[str] | None = None,
    sums: Sums | None = None,
) -> Iterator[Page]:
    """A listing page (category, severity, posture, year, tag): `cards` (newest first) in
    the listing's own order (publish/listing.py: a year's is oldest first), paginated, each
    record with what the table view shows, and the values the other facets can narrow it to
    (with `showing`, only the pages that show one of those slugs). Into `sums`, what its
    pages are made of beside their cards (`replan_in_place`)."""
    if default_sort(extra["kind"]) == "oldest":
        cards = cards[::-1]
    facets = {"facets": options(cards, extra["kind"])}
    if sums is not None:
        sums[(extra["kind"], extra["key"])] = {
            "slugs": [c["slug"] for c in cards], "heading": extra, **facets
        }  # fmt: skip
    for page in paginated(base_path, "listing.html", cards, extra | facets, showing):
        chunk = cards[(page.context["page"] - 1) * PER_PAGE :][:PER_PAGE]
        records = [r | table_row(c) for r, c in zip(page.context["records"], chunk, strict=True)]
        yield Page(page.path, page.template, page.context | {"records": records})


def plan_pages(
    cards: Mapping[str, Card],
    site: Site,
    collections: list[Collection],
    only: set[Unit] | None = None,
    within: Mapping[Unit, set[str]] | None = None,
    sums: Sums | None = None,
) -> list[Page]:
    """Every page except the record pages (which `build` plans from the records themselves);
    with `only`, the pages of those units and the pages no unit holds (`unit_of`): the other
    units' pages are those of the plan before, when `only` holds every unit a changed record
    was or is in (`units_of`). With `within`, of the paginated units it names (PAGED_FAMILIES)
    only the pages showing one of its slugs: those whose records changed `in_place`, the
    unit's other pages being as the plan before has them. Into `sums`, what the pages of
    each unit planned and the home page are made of beside their cards (`Sums`)."""
    _briefs.clear()
    try:
        return _plan_pages(cards, site, collections, only, within or {}, sums)
    finally:
        _briefs.clear()


# The listings of one value of a record's field each: every value of the vocabulary for the
# first three (an empty one too), every year some record has.
FACET_FAMILIES = ("category", "severity", "posture", "year")

# A unit of the plan: (family, key), the pages that show the records of one value alone — a
# facet listing, a tag's, an entity's or a statute's page, a timeline year — or ("map", ""),
# the map's pages. A change re-plans the units its records' old and new values are in; every
# other unit's pages stay as planned before. The pages outside every unit (home, the indexes,
# collections, about, search, 404, a statute alias's moved page) show counts or picks over
# all records and are planned every time (one pass over the cards each).
Unit = tuple[str, str]
UNIT_FAMILIES = (*FACET_FAMILIES, "tag", "entity", "law", "timeline")
MAP_UNIT: Unit = ("map", "")


# What the pages of a unit planned are made of beyond their records' cards, by unit (and
# HOME_SUMS for the home page), JSON-ready: "slugs", the unit's records in the order its
# pages show them; a listing's "heading" and "facets", the map's "total", "points" and
# "years"; the home page's picks and counts. The build state keeps them with the plan, so
# that an edit in place re-plans the pages showing its records from these and the cards of
# those pages' records alone (`replan_in_place`), not from every card.
Sums = dict[Unit, dict[str, Any]]
HOME_SUMS: tuple[str, str] = ("home", "")


# The units whose pages are a paginated listing: a record's change that moves it nowhere
# (`in_place`) changes only the page that shows it.
PAGED_FAMILIES = (*FACET_FAMILIES, "tag", "map")
# What a card's listing row shows that neither moves it (membership, order) nor changes any
# count a listing page shows: the fields an `in_place` change may change.
IN_PLACE = frozenset({"title", "summary", "ongoing", "lastUpdated"})


def in_place(old: Card, new: Card) -> bool:
    """Whether a change of a card from `old` to `new` leaves it in the same units, at the same
    place in each, and every count they show as it was (only IN_PLACE fields differ)."""
    return old.keys() == new.keys() and all(old[k] == new[k] for k in old.keys() - IN_PLACE)


def unit_of(path: str, template: str) -> Unit | None:
    """The unit of a planned page (its `path` and `template`); None: planned every time."""
    family, _, rest = path.partition("/")
    if family == "map":
        return MAP_UNIT
    if family not in UNIT_FAMILIES or rest == "index.html" or template == "moved.html":
        return None
    return family, rest.partition("/")[0]


def units_of(card: Card, catalog: StatuteCatalog) -> set[Unit]:
    """Every unit whose pages show `card`."""
    found = listings_of(card, catalog)
    found.update(("timeline", day[:4]) for day, _, _ in card["timeline"])
    if card["places"]:
        found.add(MAP_UNIT)
    return found


def facet_value(card: Card, name: str) -> str:
    """The card's value in the facet family `name`."""
    return str(card["date"][:4] if name == "year" else card[name])


def facet_listing(
    name: str,
    key: str,
    group: list[Card],
    site: Site,
    showing: set[str] | None = None,
    sums: Sums | None = None,
) -> Iterator[Page]:
    """The pages of the listing of `key` in family `name`: `group`, newest first (with
    `showing`, those that show one of those slugs)."""
    return listing(f"{name}/{key}/", group, facet_heading(name, key, site), showing, sums)


def facet_heading(name: str, key: str, site: Site) -> dict[str, Any]:
    """What a facet listing's pages say of it beyond their records."""
    heading = key if name == "year" else site.vocabularies.get(name)[key]
    return {"kind": name, "key": key, "heading": heading}


def facet_page(
    name: str,
    key: str,
    number: int,
    total: int,
    chunk: list[Card],
    facets: dict[str, list[list[Any]]],
    site: Site,
) -> Page:
    """Page `number` of the listing of `key` in family `name`, as `facet_listing` plans it,
    from what it shows alone: its `chunk` of cards (in the listing's order), the listing's
    `total` and its `facets` (publish/listing.py `options`) — made per request by the live
    app (web/live.py `LiveSite.facet_page`) without the listing's other records."""
    return listing_page(facet_heading(name, key, site), number, total, chunk, facets)


def listing_page(
    heading: dict[str, Any],
    number: int,
    total: int,
    chunk: list[Card],
    facets: dict[str, list[list[Any]]],
) -> Page:
    """Page `number` of a listing (`listing`) whose `heading` is its kind, key and heading,
    from what it shows alone (`facet_page`): a facet's listing or a tag's (`tag_page`)."""
    extra = heading | {"facets": facets}
    records = [brief_of(c) | table_row(c) for c in chunk]
    base = f"{heading['kind']}/{heading['key']}/"
    return numbered_page(base, "listing.html", records, total, number, extra)


def tag_page(
    slug: str,
    name: str,
    number: int,
    total: int,
    chunk: list[Card],
    facets: dict[str, list[list[Any]]],
) -> Page:
    """Page `number` of the listing of the tag whose slug is `slug`, as `tag_pages` plans it,
    from what it shows alone: the tag as its newest record spells it (`name`), the listing's
    `total`, its `chunk` of cards (newest first) and its `facets` (publish/listing.py
    `options`) — made per request by the live app (web/live.py `LiveSite.tag_page`)."""
    heading = {"kind": "tag", "key": slug, "heading": name}
    return listing_page(heading, number, total, chunk, facets)


def _plan_pages(
    cards: Mapping[str, Card],
    site: Site,
    collections: list[Collection],
    only: set[Unit] | None,
    within: Mapping[Unit, set[str]],
    sums: Sums | None,
) -> list[Page]:
    ordered = newest_first(cards.values())
    vocab = site.vocabularies
    pages: list[Page] = [home_page(ordered, site, sums)]

    def wanted(family: str) -> set[str] | None:
        return None if only is None else {key for name, key in only if name == family}

    for name in ("category", "severity", "posture"):
        groups: dict[str, list[Card]] = defaultdict(list)
        for card in ordered:
            groups[card[name]].append(card)
        keys = wanted(name)
        for key in vocab.get(name):
            if keys is None or key in keys:
                showing = within.get((name, key))
                pages += facet_listing(name, key, groups.get(key, []), site, showing, sums)

    by_year: dict[str, list[Card]] = defaultdict(list)
    for card in ordered:
        by_year[facet_value(card, "year")].append(card)
    years = wanted("year")
    for year, group in by_year.items():
        if years is None or year in years:
            showing = within.get(("year", year))
            pages += facet_listing("year", year, group, site, showing, sums)

    pages += tag_pages(ordered, wanted("tag"), within, sums)
    pages += law_pages(ordered, site.statute_catalog(), wanted("law"), sums)
    pages += entity_pages(ordered, wanted("entity"), sums)
    pages += timeline_pages(ordered, wanted("timeline"), sums)
    pages += collection_pages(collections, cards)
    about_html = render_markdown(site.about) if site.about else ""
    pages.append(Page("about/index.html", "about.html", {"about_html": about_html}))
    pages.append(
        Page(
            "search/index.html",
            "search.html",
            {"tags": top_tags(ordered, 200), "countries": country_counts(ordered)},
        )
    )
    if only is None or MAP_UNIT in only:
        pages += map_pages(ordered, within.get(MAP_UNIT), sums)
    pages.append(NOT_FOUND)
    return pages


def home_page(ordered: list[Card], site: Site, sums: Sums | None = None) -> Page:
    vocab = site.vocabularies
    rank = {key: i for i, key in enumerate(vocab.get("severity"))}
    severe = sorted(
        ordered, key=lambda c: (rank.get(c["severity"], -1), c["date"], c["slug"]), reverse=True
    )
    tallies = {name: dict(Counter(c[name] for c in ordered)) for name in HOME_COUNTS}
    months = chart_months(ordered[0]["date"] if ordered else None)
    monthly = Counter(
        (c["category"], c["date"][:7]) for c in ordered if months and c["date"][:7] >= months[0]
    )
    made = {
        "latest": [c["slug"] for c in ordered[:HOME_LATEST]],
        "severe": [c["slug"] for c in severe[:HOME_LATEST]],
        "total": len(ordered),
        "ongoing": sum(1 for c in ordered if c["ongoing"]),
        "tallies": tallies,
        "chart": chart_of(months, monthly, list(vocab.get("category"))),
    }
    if sums is not None:
        sums[HOME_SUMS] = made
    return home_from(
        made, {c["slug"]: c for c in ordered[:HOME_LATEST] + severe[:HOME_LATEST]}, site
    )


def home_from(made: dict[str, Any], cards: Mapping[str, Card], site: Site) -> Page:
    """The home page from its sums (`home_page`) and the cards of the records it picks."""
    return home_of(
        [cards[s] for s in made["latest"]],
        [cards[s] for s in made["severe"]],
        made["total"],
        made["ongoing"],
        made["tallies"],
        made["chart"],
        site,
    )


HOME_COUNTS = ("category", "severity", "posture")  # the facets the home page counts


def home_of(
    latest: list[Card],
    severe: list[Card],
    total: int,
    ongoing: int,
    tallies: Mapping[str, Mapping[str, int]],
    chart: dict[str, Any],
    site: Site,
) -> Page:
    """The home page from what it shows alone: the newest and the most severe records
    (HOME_LATEST each), how many there are and how many ongoing, each HOME_COUNTS facet's
    value → count, and the chart (`chart_of`) — planned from every card by `home_page`, per
    request by the live app (web/live.py `LiveSite.home_page`)."""
    vocab = site.vocabularies
    counts = {
        name: [
            [key, label, n]
            for key, label in vocab.get(name).items()
            if (n := tallies[name].get(key))
        ]
        for name in HOME_COUNTS
    }
    return Page(
        "index.html",
        "home.html",
        {
            "latest": [brief_of(c) for c in latest],
            "severe": [brief_of(c) for c in severe],
            "total": total,
            "ongoing": ongoing,
            "counts": counts,
            "chart": chart,
        },
    )


def chart_months(newest: str | None) -> list[str]:
    """The home chart's months (YYYY-MM, oldest first): the CHART_MONTHS up to the newest
    record's (`newest`, its date; None: no records, no months)."""
    if newest is None:
        return []
    year, month = int(newest[:4]), int(newest[5:7])
    months = []
    for _ in range(CHART_MONTHS):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months.reverse()
    return months


def chart_of(
    months: list[str], counts: Mapping[tuple[str, str], int], categories: list[str]
) -> dict[str, Any]:
    """Records per month by category over `months` (`chart_months`), from (category, month)
    → count; the categories with none are left out."""
    if not months:
        return {"months": [], "series": {}}
    series = {cat: [counts.get((cat, m), 0) for m in months] for cat in categories}
    return {"months": months, "series": {k: v for k, v in series.items() if any(v)}}


def map_pages(
    ordered: list[Card], showing: set[str] | None = None, sums: Sums | None = None
) -> Iterator[Page]:
    """`map/`: the map (drawn by static/map.js from the public `data/map-points.json`),
    and under it the located records as a plain list, PER_PAGE a page — the path that
    works without JavaScript and for keyboard and screen-reader users. Written always: with
    no located record it says so. With `showing`, only the pages that show one of those."""
    located = [c for c in ordered if c["places"]]
    made = {
        "slugs": [c["slug"] for c in located],
        "total": len(located),
        "points": sum(1 for c in located for p in c["places"] if p[1] is not None),
        "years": sorted({c["date"][:4] for c in located}, reverse=True),
    }
    if sums is not None:
        sums[MAP_UNIT] = made
    for number in _numbers(located, page_count(len(located)), showing):
        yield map_page(made, number, located[(number - 1) * PER_PAGE : number * PER_PAGE])


def map_page(made: dict[str, Any], number: int, chunk: list[Card]) -> Page:
    """Page `number` of the map's list from the map's sums (`map_pages`) and its `chunk`."""
    path = "map/" if number == 1 else f"map/page/{number}/"
    return Page(
        path + "index.html",
        "map.html",
        {
            "records": [brief(c) | {"places": c["places"]} for c in chunk],
            "total": made["total"],
            "points": made["points"],
            "years": made["years"],
            "page": number,
            "pages": page_count(made["total"]),
            "listing_path": "map/",
        },
    )


def country_counts(ordered: list[Card]) -> list[list[Any]]:
    """[code, English name, records] of every country a published record names, by name."""
    counts = Counter(code for c in ordered for code in c["countries"])
    named = [[code, country_name(code), n] for code, n in counts.items()]
    return sorted(named, key=lambda row: (row[1], row[0]))


def top_tags(ordered: list[Card], limit: int) -> list[list[Any]]:
    counts = Counter(tag for c in ordered for tag in c["tags"])
    return [[tag, n] for tag, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def tag_pages(
    ordered: list[Card],
    only: set[str] | None = None,
    within: Mapping[Unit, set[str]] | None = None,
    sums: Sums | None = None,
) -> Iterator[Page]:
    """The tag index, and the listing of each tag (of those in `only`, when given; of those
    `within` names, the pages that show its slugs)."""
    groups: dict[str, list[Card]] = defaultdict(list)
    names: dict[str, str] = {}
    for card in ordered:
        for tag in dict.fromkeys(card["tags"]):
            slug = tag_slug(tag)
            names.setdefault(slug, tag)
            if not groups[slug] or groups[slug][-1] is not card:
                groups[slug].append(card)
    index = sorted(
        ([slug, names[slug], len(g)] for slug, g in groups.items()), key=lambda t: str(t[1])
    )
    yield Page("tag/index.html", "index_list.html", {"kind": "tag", "items": index})
    for slug, group in groups.items():
        if only is None or slug in only:
            extra = {"kind": "tag", "key": slug, "heading": names[slug]}
            showing = (within or {}).get(("tag", slug))
            yield from listing(f"tag/{slug}/", group, extra, showing, sums)


def law_pages(
    ordered: list[Card],
    catalog: StatuteCatalog,
    only: set[str] | None = None,
    sums: Sums | None = None,
) -> Iterator[Page]:
    """The pages of each statute (of those whose slug is in `only`, when given): its records,
    PER_PAGE a page (`law_page`) — every spelling the catalog resolves to one statute shares
    its canonical name's pages, which name the other spellings records use — and, at the
    address each other spelling's page would have had, a page that sends the reader on."""
    statutes: dict[str, dict[str, Any]] = {}
    pages: dict[str, tuple[str, str]] = {}  # a statute as cited → statute_page's
    for card in ordered:
        for statute, _article, _provision in card["law"]:
            found = pages.get(statute)
            if found is None:
                found = pages[statute] = statute_page(statute, catalog)
            name, slug = found
            entry = statutes.get(slug)
            if entry is None:
                entry = statutes[slug] = {"name": name, "cited": set(), "cards": []}
            entry["cited"].add(statute.strip())
            if not entry["cards"] or entry["cards"][-1] is not card:
                entry["cards"].append(card)
    index = sorted(
        ([slug, e["name"], len(e["cards"])] for slug, e in statutes.items()),
        key=lambda t: (-t[2], t[1]),
    )
    yield Page("law/index.html", "index_list.html", {"kind": "law", "items": index})
    moved: dict[str, list[str]] = {}  # an alias's slug → [the statute's slug, its name]
    for slug, entry in statutes.items():
        for alias in law_aliases(entry["name"], entry["cited"]):
            old = statute_slug(alias)
            if old not in statutes:
                moved.setdefault(old, [slug, entry["name"]])
        if only is not None and slug not in only:
            continue
        group = entry["cards"]
        facets = options(group, "law")
        heading = law_heading(slug, group[0], entry["cited"], catalog)
        if sums is not None:
            held = [c["slug"] for c in group]
            sums[("law", slug)] = {"slugs": held, "facets": facets, "heading": heading}
        for number, chunk in _chunks(group):
            shown = Shown(number, len(group), chunk, facets)
            yield law_page(slug, heading, shown, catalog, brief)
    for old, (slug, name) in sorted(moved.items()):
        yield law_moved(old, slug, name)


def law_moved(old: str, slug: str, name: str) -> Page:
    """The page at `law/OLD/`, the address a statute's other spelling's page would have had,
    sending the reader on to its page (`slug`, named `name`)."""
    return Page(f"law/{old}/index.html", "moved.html", {"to": f"law/{slug}/", "name": name})


def _chunks(items: list[T]) -> Iterator[tuple[int, list[T]]]:
    """(page number, the items it shows) of each page of a listing of `items`."""
    for number in range(1, page_count(len(items)) + 1):
        yield number, items[(number - 1) * PER_PAGE : number * PER_PAGE]


def law_aliases(name: str, cited: Iterable[str]) -> list[str]:
    """The spellings records cite a statute by (`cited`, stripped) other than its page's
    `name`, as its pages name them."""
    return sorted(set(cited) - {name}, key=lambda a: (a.casefold(), a))


def law_heading(
    slug: str, newest: Card, cited: Iterable[str], catalog: StatuteCatalog
) -> dict[str, Any]:
    """What every page of the statute whose page's slug is `slug` says of it: its name, as
    the newest record citing it (`newest`) resolves it (`law_pages`: the first it meets),
    and its other spellings, of those records cite (`cited`, as cited)."""
    resolved = (statute_page(statute, catalog) for statute, _, _ in newest["law"])
    name = next(name for name, found in resolved if found == slug)
    return {"name": name, "aliases": law_aliases(name, {c.strip() for c in cited})}


class Shown(NamedTuple):
    """What a page of a listing shows of it: its `number`, the listing's `total`, the page's
    `chunk` of cards (in the listing's order) and the `facets` of all its records
    (publish/listing.py `options`)."""

    number: int
    total: int
    chunk: list[Card]
    facets: dict[str, list[list[Any]]]


def law_page(
    slug: str,
    heading: dict[str, Any],
    shown: Shown,
    catalog: StatuteCatalog,
    briefed: Callable[[Card], dict[str, Any]] = brief_of,
) -> Page:
    """A page of the statute whose page's slug is `slug`, from what it shows alone: its
    `heading` (`law_heading`) and what it shows of its records (`shown`, newest first), by article
    — planned by `law_pages`, made per request by the live app (web/live.py
    `LiveSite.law_page`) without the statute's other records."""
    articles: dict[str, dict[str, Any]] = {}
    for card in shown.chunk:
        for statute, article, provision in card["law"]:
            if statute_page(statute, catalog)[1] == slug:
                _cite(articles, card, article, provision)
    grouped = [
        {"article": article, "provisions": sorted(g["provisions"]), "records": g["records"]}
        for article, g in sorted(articles.items(), key=lambda kv: _article_key(kv[0]))
    ]
    # Its records as a listing's (publish/listing.py): the other facets' values.
    extra = heading | {"articles": grouped, "facets": shown.facets}
    records = [briefed(c) for c in shown.chunk]
    return numbered_page(f"law/{slug}/", "law.html", records, shown.total, shown.number, extra)


def _cite(articles: dict[str, dict[str, Any]], card: Card, article: str, provision: str) -> None:
    """Add to a statute's page's `articles` (`law_page`) the record of `card` citing
    `provision` under `article`: once a record per article."""
    group = articles.setdefault(article, {"provisions": set(), "records": []})
    group["provisions"].add(provision)
    if not group["records"] or group["records"][-1]["slug"] != card["slug"]:
        group["records"].append({k: card[k] for k in ("slug", "title", "date")})


def _article_key(article: str) -> tuple[int, list[int | str]]:
    """Articles in numeric order ("Article 8" before "Article 12"); no article first."""
    if not article:
        return (0, [])
    parts: list[int | str] = []
    for token in article.replace("(", " ").replace(")", " ").split():
        parts.append(int(token) if token.isdigit() else -1)
    return (1, parts)


def entity_pages(
    ordered: list[Card], only: set[str] | None = None, sums: Sums | None = None
) -> Iterator[Page]:
    """The entity index, and the pages of each entity (of those in `only`, when given): its
    records, PER_PAGE a page (`entity_page`)."""
    entities: dict[str, tuple[str, str]] = {}  # slug → (name, kind) as its newest record has
    cards: dict[str, list[Card]] = defaultdict(list)
    for card in ordered:
        for slug, name, kind, _side in card["entities"]:
            entities.setdefault(slug, (name, kind))
            group = cards[slug]
            if not group or group[-1] is not card:
                group.append(card)
    index = sorted(
        ([slug, name, len(cards[slug])] for slug, (name, _kind) in entities.items()),
        key=lambda t: str(t[1]).casefold(),
    )
    yield Page("entity/index.html", "index_list.html", {"kind": "entity", "items": index})
    for slug in entities:
        if only is None or slug in only:
            group = cards[slug]
            facets = options(group, "entity")
            heading = entity_heading(slug, group[0])
            if sums is not None:
                held = [c["slug"] for c in group]
                sums[("entity", slug)] = {"slugs": held, "facets": facets, "heading": heading}
            for number, chunk in _chunks(group):
                yield entity_page(slug, heading, Shown(number, len(group), chunk, facets), brief)


def entity_heading(slug: str, newest: Card) -> dict[str, Any]:
    """What every page of the entity `slug` says of it: its name and kind as the newest
    record naming it (`newest`) has them."""
    name, kind = next((n, k) for s, n, k, _ in newest["entities"] if s == slug)
    return {"name": name, "kind": kind}


def entity_page(
    slug: str,
    heading: dict[str, Any],
    shown: Shown,
    briefed: Callable[[Card], dict[str, Any]] = brief_of,
) -> Page:
    """A page of the entity `slug`, from what it shows alone: its `heading`
    (`entity_heading`) and what it shows of its records (`shown`, newest first), each with
    the sides it names the entity on — planned by `entity_pages`, made per request by the live app
    (web/live.py `LiveSite.entity_page`) without the entity's other records."""
    records = []
    for card in shown.chunk:
        sides = list(dict.fromkeys(side for s, _, _, side in card["entities"] if s == slug))
        records.append({**briefed(card), "sides": sides})
    extra = heading | {"facets": shown.facets}
    base = f"entity/{slug}/"
    return numbered_page(base, "entity.html", records, shown.total, shown.number, extra)


def timeline_pages(
    ordered: list[Card], only: set[str] | None = None, sums: Sums | None = None
) -> Iterator[Page]:
    """Every dated event across records, by year (one page would be megabytes), each year's
    events by day then record, PER_PAGE records' events of a day a page (`timeline_page`);
    with `only`, the pages of those years (and the index)."""
    # year → (day, record's slug) → that record's events that day, in its order
    by_year: dict[str, dict[tuple[str, str], list[list[str]]]] = defaultdict(dict)
    counts: Counter[str] = Counter()
    for card in ordered:
        for day, title, summary in card["timeline"]:
            counts[day[:4]] += 1
            if only is None or day[:4] in only:
                events = by_year[day[:4]].setdefault((day, card["slug"]), [])
                events.append([day, title, summary, card["slug"], card["title"]])
    years = sorted(counts, reverse=True)
    yield Page(
        "timeline/index.html",
        "timeline_index.html",
        {"years": [[y, counts[y]] for y in years]},
    )
    for year in years:
        if only is None or year in only:
            days = sorted(by_year[year])
            if sums is not None:
                slugs = list(dict.fromkeys(slug for _, slug in days))
                sums[("timeline", year)] = {"slugs": slugs, "days": [list(k) for k in days]}
            for number, chunk in _chunks(days):
                events = [event for key in chunk for event in by_year[year][key]]
                yield timeline_page(year, number, len(days), events)


def timeline_page(year: str, number: int, total: int, events: list[list[str]]) -> Page:
    """Page `number` of the timeline's pages of `year`, of `total` record-days (a record's
    events of one day), from the `events` it shows alone ([day, title, summary, the record's
    slug and title], by day, then record) — planned by `timeline_pages`, made per request by
    the live app (web/live.py `LiveSite.timeline_page`) without the year's other records."""
    context = {"year": year, "events": events, "page": number, "pages": page_count(total)}
    base = f"timeline/{year}/"
    return Page(
        page_path(base, number) + "index.html", "timeline.html", context | {"listing_path": base}
    )


def collection_pages(collections: list[Collection], cards: Mapping[str, Card]) -> Iterator[Page]:
    items = []
    for collection in collections:
        members = [cards[slug] for slug in collection.records if slug in cards]
        items.append([collection.slug, collection.title, len(members)])
        yield Page(
            f"collections/{collection.slug}/index.html",
            "collection.html",
            {
                "slug": collection.slug,
                "title": collection.title,
                "lede": collection.lede,
                "description": collection.description,
                "records": [brief(c) for c in members],
            },
        )
    yield Page("collections/index.html", "index_list.html", {"kind": "collections", "items": items})


def _pages_showing(slugs: list[str], showing: set[str]) -> Iterator[tuple[int, slice]]:
    """(page number, the part of the unit it shows) of each page of a unit listing `slugs`
    (PER_PAGE a page) that shows one of the slugs `showing`."""
    numbers = {i // PER_PAGE + 1 for i, slug in enumerate(slugs) if slug in showing}
    for number in sorted(numbers):
        yield number, slice((number - 1) * PER_PAGE, number * PER_PAGE)


def replan_in_place(
    changed: Mapping[str, tuple[Card, Card]],
    cards: Mapping[str, Card],
    site: Site,
    collections: list[Collection],
    sums: Sums,
) -> list[Page] | None:
    """The pages that show the records of `changed` (slug → its old and new card, each
    change `in_place`, no record added or removed since the plan `sums` were kept with),
    planned from `sums` and the cards of those pages' records alone: the pages of each unit
    that show one (`_pages_showing`), the home page and the collections' pages. Every other
    page is as the plan before has it: an in-place change moves no record and changes no
    count it shows (but the home page's ongoing count, kept up to date in `sums`). None
    when `sums` lack a unit (kept by an older casework)."""
    catalog = site.statute_catalog()
    home = sums.get(HOME_SUMS)
    units: dict[Unit, set[str]] = defaultdict(set)
    for slug, (_, new) in changed.items():
        for unit in units_of(new, catalog):
            units[unit].add(slug)
    if home is None or any(unit not in sums for unit in units):
        return None
    _briefs.clear()
    try:
        ongoing = sum(int(new["ongoing"]) - int(old["ongoing"]) for old, new in changed.values())
        home = sums[HOME_SUMS] = home | {"ongoing": home["ongoing"] + ongoing}
        pages = [home_from(home, cards, site)]
        for unit, showing in sorted(units.items()):
            family, key = unit
            made = sums[unit]
            held = made["slugs"]
            if family in PAGED_FAMILIES:
                for number, part in _pages_showing(held, showing):
                    chunk = [cards[s] for s in held[part]]
                    pages.append(
                        map_page(made, number, chunk)
                        if family == "map"
                        else listing_page(made["heading"], number, len(held), chunk, made["facets"])
                    )
                continue
            if family == "timeline":
                # Its pages are of record-days ([day, slug]), PER_PAGE a page.
                days = made["days"]
                for number, part in _pages_showing([s for _, s in days], showing):
                    events = [
                        [day, title, summary, s, cards[s]["title"]]
                        for on, s in days[part]
                        for day, title, summary in cards[s]["timeline"]
                        if day == on
                    ]
                    pages.append(timeline_page(key, number, len(days), events))
                continue
            for number, part in _pages_showing(held, showing):
                shown = Shown(number, len(held), [cards[s] for s in held[part]], made["facets"])
                pages.append(
                    entity_page(key, made["heading"], shown, brief)
                    if family == "entity"
                    else law_page(key, made["heading"], shown, catalog, brief)
                )
        pages += collection_pages(collections, cards)
        return pages
    finally:
        _briefs.clear()
