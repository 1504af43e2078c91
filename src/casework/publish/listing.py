"""A listing as a research tool: which records a listing page holds, narrowed by the other
facets and sorted, shown as cards or as a table, and downloaded as CSV or JSON.

One meaning for the live app (web/public.py answers `?category=…&sort=…&view=table` and
`?format=csv` on the server) and the static build (publish/build.py writes each listing's
unfiltered `index.csv` and `index.json` beside its `index.html`; static/listing.js applies the
same query string to the listing's `index.json` in the browser). Every function here works on
cards (publish/cards.py), made from the public view only: a count or option it gives is of
published records.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from casework.formats import write_archive, write_csv
from casework.model import Record, Site
from casework.model.places import country_name
from casework.publish.cards import statute_page, tag_slug

Card = dict[str, Any]

# The facets a listing can be narrowed by (a listing's own facet is not offered on it).
FILTERS = ("category", "severity", "posture", "year", "tag", "country")
SORTS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "title": "Title (A–Z)",
    "severity": "Most severe first",
}
VIEWS = ("cards", "table")
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
# The listings' own files, beside their index.html.
CSV_FILE = "index.csv"
JSON_FILE = "index.json"
LISTING_TEMPLATES = ("listing.html", "entity.html", "law.html")
TAG_OPTIONS = 100  # the most common tags a listing's form offers
MAX_VALUE = 200  # characters of a query value kept


@dataclass(frozen=True)
class Choice:
    """What a reader asked a listing for: filters (facet → value), a sort, a view."""

    filters: dict[str, str] = field(default_factory=dict)
    sort: str = ""  # "" is the listing's own order
    view: str = "cards"

    @property
    def narrowed(self) -> bool:
        return bool(self.filters or self.sort or self.view != "cards")

    def query(self, **change: str) -> str:
        """The query string of this choice (with `change`), empty values left out."""
        from urllib.parse import urlencode

        values = dict(self.filters) | {"sort": self.sort}
        if self.view != "cards":
            values["view"] = self.view
        values |= change
        given = {k: v for k, v in values.items() if v}
        return "?" + urlencode(given) if given else ""


def choice_of(params: Mapping[str, str], own_kind: str) -> Choice:
    """The choice a query string makes; unknown sorts and views are the defaults, and a
    listing's own facet cannot be narrowed again."""
    filters = {}
    for name in FILTERS:
        value = params.get(name, "").strip()[:MAX_VALUE]
        if value and name != own_kind:
            filters[name] = value.upper() if name == "country" else value
    sort = params.get("sort", "")
    view = params.get("view", "cards")
    return Choice(filters, sort if sort in SORTS else "", view if view in VIEWS else "cards")


def listing_of(template: str, path: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """(kind, key) of a planned listing page: a listing.html page says them; an entity's or
    a statute's page is at entity/SLUG/ or law/SLUG/."""
    if template == "listing.html":
        return context["kind"], context["key"]
    return template.removesuffix(".html"), path.split("/")[1]


def default_sort(kind: str) -> str:
    """A year's listing is a timeline (oldest first, by month); every other, newest first."""
    return "oldest" if kind == "year" else "newest"


def members(cards: Iterable[Card], kind: str, key: str, site: Site) -> list[Card]:
    """The cards a listing page of `kind` and `key` lists, newest first (as plan.py plans)."""
    return every_listing(cards, site).get((kind, key), [])


def every_listing(cards: Iterable[Card], site: Site) -> dict[tuple[str, str], list[Card]]:
    """(kind, key) → the cards of that listing, newest first: every listing in one pass
    (one listing at a time, over every card, took 31 s of a 2,000-record build)."""
    ordered = sorted(cards, key=lambda c: (c["date"], c["slug"]), reverse=True)
    catalog = site.statute_catalog()
    found: dict[tuple[str, str], list[Card]] = {}
    for card in ordered:
        keys = {(name, card[name]) for name in ("category", "severity", "posture")}
        keys.add(("year", card["date"][:4]))
        keys.update(("tag", tag_slug(t)) for t in card["tags"])
        keys.update(("entity", e[0]) for e in card["entities"])
        keys.update(("law", statute_page(law[0], catalog)[1]) for law in card["law"])
        for listing in keys:
            found.setdefault(listing, []).append(card)
    return found


def _matches(card: Card, name: str, value: str) -> bool:
    if name == "year":
        return bool(card["date"][:4] == value)
    if name == "tag":
        return value in card["tags"]
    if name == "country":
        return value in card["countries"]
    return bool(card[name] == value)


def chosen(cards: list[Card], choice: Choice, kind: str, severities: list[str]) -> list[Card]:
    """`cards` (newest first) narrowed by `choice.filters` and in its order."""
    found = [c for c in cards if all(_matches(c, n, v) for n, v in choice.filters.items())]
    sort = choice.sort or default_sort(kind)
    if sort == "oldest":
        return sorted(found, key=lambda c: (c["date"], c["slug"]))
    if sort == "title":
        return sorted(found, key=lambda c: (c["title"].casefold(), c["slug"]))
    if sort == "severity":
        rank = {key: i for i, key in enumerate(severities)}
        # Most severe first (the vocabulary lists the mildest first), then newest.
        return sorted(
            found, key=lambda c: (-rank.get(c["severity"], -1), _newest_key(c["date"]), c["slug"])
        )
    return found


def _newest_key(day: str) -> tuple[int, ...]:
    return tuple(-int(part) for part in day.split("-"))


def options(cards: list[Card], kind: str) -> dict[str, list[list[Any]]]:
    """The values each facet can be narrowed to on this listing, with how many of its
    (published) records have each: [value, label, count]. A listing's own facet is left
    out; category, severity and posture labels come from the templates' `labels`."""
    made: dict[str, list[list[Any]]] = {}
    for name in ("category", "severity", "posture"):
        if name != kind:
            counts = Counter(c[name] for c in cards)
            made[name] = [[value, "", n] for value, n in sorted(counts.items())]
    if kind != "year":
        years = Counter(c["date"][:4] for c in cards)
        made["year"] = [[y, y, years[y]] for y in sorted(years, reverse=True)]
    if kind != "tag":
        tags = Counter(t for c in cards for t in dict.fromkeys(c["tags"]))
        top = sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))[:TAG_OPTIONS]
        made["tag"] = [[t, t, n] for t, n in sorted(top)]
    countries = Counter(code for c in cards for code in c["countries"])
    made["country"] = sorted(
        ([code, country_name(code), n] for code, n in countries.items()), key=lambda r: r[1]
    )
    return made


def table_row(card: Card) -> dict[str, Any]:
    """What the table view shows of a record beyond its brief: where it happened."""
    return {"place": "; ".join(dict.fromkeys(p[0] for p in card["places"] if p[0]))}


def csv_bytes(records: list[Record], site: Site) -> bytes:
    """The listing as /data/records.csv has records (the same writer and columns)."""
    stream = io.StringIO(newline="")
    write_csv(records, site, stream)
    return stream.getvalue().encode("utf-8")


def json_bytes(records: list[Record], site: Site, generated_at: str) -> bytes:
    """The listing as /data/records.json has records (docs/format.md's archive document)."""
    stream = io.StringIO()
    write_archive(records, site, stream, count=len(records), generated_at=generated_at)
    return stream.getvalue().encode("utf-8")
