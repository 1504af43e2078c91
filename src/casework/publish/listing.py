"""A listing as a research tool: which records a listing page holds, narrowed by the other
facets and sorted, shown as cards or as a table, and downloaded as CSV or JSON.

One meaning for the live app (web/public.py answers `?category=…&sort=…&view=table` and
`?format=csv` on the server) and the static build, which cannot: it writes `listing_files`,
every published record once (a row for the table, the filters and the sort; its CSV row and
its JSON document for the downloads), and static/listing.js makes a listing's view and its
downloads from them in the browser, with the same rules and the same bytes. (A file per
listing holding its records' documents made the site O(listings × records): 613 MB of 656 MB
at 2,000 records.) Every function here works on cards (publish/cards.py) or records made
from the public view only: a count, option or row it gives is of published records.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from hashlib import blake2b
from itertools import chain
from operator import itemgetter
from typing import Any

import orjson

from casework.formats import dumps, write_archive, write_csv
from casework.formats.tracker_json import record_dict
from casework.model import Record, Site, StatuteCatalog
from casework.model.places import country_name
from casework.publish.cards import card_of, statute_page, tag_slug
from casework.render.html import excerpt
from casework.render.pages import vocabulary_labels
from casework.render.templates import place_text

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
# A listing's downloads as the live app answers them, beside its index.html.
CSV_FILE = "index.csv"
JSON_FILE = "index.json"
# The static build's listing files (`listing_files`): what every listing's view and downloads
# are made of. A record's shard is a hash of its slug, so an edit rewrites one shard's two
# files (and the small manifest): ROWS_FILE, read for any view, and DOCS_FILE, read for a
# download of the records in that shard only.
LISTING_DIR = "listing/"
MANIFEST_FILE = "listing/index.json"
ROWS_FILE = "listing/rows-{:02d}.json"
DOCS_FILE = "listing/docs-{:02d}.txt"
SHARDS = 64
SUMMARY_CHARS = 320  # as a card shows it (publish/plan.py)
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
        for listing in listings_of(card, catalog):
            found.setdefault(listing, []).append(card)
    return found


def listings_of(card: Card, catalog: StatuteCatalog) -> set[tuple[str, str]]:
    """(kind, key) of every listing page a card is on (its folder is `kind/key/`)."""
    keys = {(name, card[name]) for name in ("category", "severity", "posture")}
    keys.add(("year", card["date"][:4]))
    keys.update(("tag", tag_slug(t)) for t in card["tags"])
    keys.update(("entity", e[0]) for e in card["entities"])
    keys.update(("law", statute_page(law[0], catalog)[1]) for law in card["law"])
    return keys


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
    # Counted in C (map, chain) rather than a generator step per value: an entity page's
    # options were planned 4,780 times at 10,000 records.
    counts: dict[str, Mapping[str, int]] = {
        name: Counter(map(itemgetter(name), cards)) for name in ("category", "severity", "posture")
    }
    counts["year"] = Counter(c["date"][:4] for c in cards)
    counts["tag"] = Counter(chain.from_iterable(dict.fromkeys(c["tags"]) for c in cards))
    counts["country"] = Counter(chain.from_iterable(c["countries"] for c in cards))
    return options_of(counts, kind)


def options_of(counts: Mapping[str, Mapping[str, int]], kind: str) -> dict[str, list[list[Any]]]:
    """`options` from how many of a listing's records hold each value of each facet
    (category, severity, posture, year, tag, country → value → count; values none hold may
    be left out): the live app has them counted by the store's facet index."""
    made: dict[str, list[list[Any]]] = {}
    for name in ("category", "severity", "posture"):
        if name != kind:
            made[name] = [[value, "", n] for value, n in sorted(counts[name].items()) if n]
    if kind != "year":
        years = {y: n for y, n in counts["year"].items() if n}
        made["year"] = [[y, y, years[y]] for y in sorted(years, reverse=True)]
    if kind != "tag":
        tags = [(t, n) for t, n in counts["tag"].items() if n]
        top = sorted(tags, key=lambda kv: (-kv[1], kv[0]))[:TAG_OPTIONS]
        made["tag"] = [[t, t, n] for t, n in sorted(top)]
    made["country"] = sorted(
        ([code, country_name(code), n] for code, n in counts["country"].items() if n),
        key=lambda r: r[1],
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


# --- The static build's listing files -------------------------------------------------------
# The view (filters, sort, table, cards) is made from ROWS_FILE's rows; a download from
# DOCS_FILE's CSV rows and JSON documents, each exactly as csv_bytes and json_bytes write it.
# Row fields, in order (static/listing.js reads them by position: the names once, not per row).
ROW_FIELDS = (
    "slug", "date", "title", "titleKey", "category", "severity", "posture", "ongoing",
    "summary", "place", "tags", "countries", "listings",
)  # fmt: skip


def shard_of(slug: str) -> int:
    """The shard a record's row and documents are in: stable while its slug is."""
    return int.from_bytes(blake2b(slug.encode(), digest_size=4).digest(), "big") % SHARDS


def row_of(card: Card, catalog: StatuteCatalog, language: str = "en") -> list[Any]:
    """ROW_FIELDS of a card: what the view shows and filters by, with the casefolded title
    that `chosen` sorts by and the `kind/key` of every listing the record is on; its place
    in `language`, as the built table writes it."""
    return [
        card["slug"],
        card["date"],
        card["title"],
        card["title"].casefold(),
        card["category"],
        card["severity"],
        card["posture"],
        bool(card["ongoing"]),
        excerpt(card["summary"], SUMMARY_CHARS),
        place_text(table_row(card)["place"], language),
        list(card["tags"]),
        list(card["countries"]),
        sorted(f"{kind}/{key}" for kind, key in listings_of(card, catalog)),
    ]


def rows_bytes(records: Iterable[Record], site: Site) -> bytes:
    """ROWS_FILE of a shard's records: a JSON array of rows, one a line, by slug."""
    return rows_of_cards([card_of(r) for r in records], site)


def rows_of_cards(cards: Iterable[Card], site: Site) -> bytes:
    """`rows_bytes` of the records' cards."""
    catalog = site.statute_catalog()
    ordered = sorted(cards, key=lambda c: str(c["slug"]))
    rows = [orjson.dumps(row_of(card, catalog, site.language)) for card in ordered]
    return b"[" + b",\n".join(rows) + b"]\n"


def docs_bytes(records: Iterable[Record], site: Site) -> bytes:
    """DOCS_FILE of a shard's records, two lines each, by slug: `[slug, CSV row]` (the row
    as write_csv writes it, line end included), then the record's JSON document as the data
    files hold it but without the indentation (listing.js indents it back: two spaces a
    level, as `dumps`, and the archive's four before each line), which was a third of it."""
    header = len(csv_bytes([], site).decode())
    return docs_of(
        (
            record.slug,
            csv_bytes([record], site).decode()[header:],  # the data files' own writer
            compact(record_dict(record, site, extensions=True)),
        )
        for record in records
    )


def docs_of(items: Iterable[tuple[str, str, str]]) -> bytes:
    """`docs_bytes` of each record's (slug, CSV row, compact JSON document)."""
    lines = []
    for slug, row, document in sorted(items, key=lambda item: item[0]):
        lines.append(orjson.dumps([slug, row]))
        lines.append(document.encode())
    return b"".join(line + b"\n" for line in lines)


def compact(document: Any) -> str:
    """`document` as `dumps` writes it, without the whitespace between tokens."""
    if type(document) is dict:
        try:
            return orjson.dumps(document).decode()
        except (TypeError, orjson.JSONEncodeError):
            pass
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def manifest_bytes(site: Site, generated_at: str) -> bytes:
    """MANIFEST_FILE: what a download's head says, the CSV header, the shards, and the labels
    the view shows."""
    # In the site's language, as the built pages label them (a tracker's own labels kept).
    labels = {
        n: vocabulary_labels(dict(site.vocabularies.get(n)), site.language)
        for n in ("category", "severity", "posture")
    }
    document = {
        "site": site.url,
        "generatedAt": generated_at,
        "csvHeader": csv_bytes([], site).decode(),
        "shards": SHARDS,
        "rows": ROWS_FILE.replace("{:02d}", "NN"),
        "docs": DOCS_FILE.replace("{:02d}", "NN"),
        "labels": labels,
    }
    return dumps(document).encode()  # as the data files: generatedAt in their form


def shard_files(shard: int, records: Iterable[Record], site: Site) -> dict[str, bytes]:
    """The two files of one shard, from its records (those whose `shard_of` is `shard`)."""
    mine = list(records)
    return {
        ROWS_FILE.format(shard): rows_bytes(mine, site),
        DOCS_FILE.format(shard): docs_bytes(mine, site),
    }


def listing_files(records: Iterable[Record], site: Site, generated_at: str) -> dict[str, bytes]:
    """path → bytes of every static listing file: the manifest and every shard (an empty
    shard too, so the script's requests never miss)."""
    shards: dict[int, list[Record]] = {n: [] for n in range(SHARDS)}
    for record in records:
        shards[shard_of(record.slug)].append(record)
    made = {MANIFEST_FILE: manifest_bytes(site, generated_at)}
    for n, mine in shards.items():
        made |= shard_files(n, mine, site)
    return made
