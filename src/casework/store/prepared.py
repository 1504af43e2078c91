"""A record made ready for storage: serialized once, its search texts extracted and cut into
search keys (once per field, in the stemming language of this process: `search_words`).

`prepare_record` is pure and its result pickles cheaply (bytes and strings), so that a bulk
import can prepare records in a second process while SQLite indexes in this one: a reading
process must set the importing process's language first (`import_reading._reader_process`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from casework.model import Record, Status, tag_slug
from casework.model.places import public_location
from casework.render.html import body_text
from casework.search_words import record_key_texts
from casework.store import history as h


@dataclass(frozen=True, slots=True)
class PreparedRecord:
    slug: str
    title: str
    date: str
    year: int
    category: str
    severity: str
    posture: str
    ongoing: bool
    tags: tuple[str, ...]
    classification: str  # warCrimeClassification: an import that publishes checks it is set
    data_bytes: bytes  # record.to_storage() as JSON: what `records.data` and revisions hold
    countries: str  # its locations' ISO 3166 codes, comma-joined and sorted (country facet)
    head_keys: tuple[str, ...]  # `head` as search keys (what SQLite's FTS5 tables hold)
    all_keys: str  # all its text as search keys: the head's, then the body's
    # Its `record_pages` rows (migration 0025): (family, term, name) — `page_terms`, NUL
    # already written as U+FFFD (as both engines store it).
    pages: tuple[tuple[str, str, str], ...] = ()
    # `head` and `body_text` as they were cut when the record was prepared; None when this
    # one was unpickled (`__reduce__`), and then made again from `data_bytes` if asked for.
    texts: tuple[tuple[str, str, str, str, str], str] | None = field(
        default=None, repr=False, compare=False
    )

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent from a reader process as the values in field order: unpickling then calls the
        # constructor, a third of the cost of the dataclass's own state-by-field-name route
        # (which asks for the class's fields on every record). Without `texts`: no write
        # reads them (the keys cut from them are here), and they were 7 of a record's 25 KB
        # sent from a reader (pickled and unpickled 57 -> 44 µs a record, measured).
        return (PreparedRecord, tuple(getattr(self, name) for name in _SENT))

    @property
    def head(self) -> tuple[str, str, str, str, str]:
        """The short fields the ranking index holds (`history.head_texts`)."""
        return self._texts()[0]

    @property
    def body_text(self) -> str:
        """The body as plain text, for matching (`render.html.body_text`)."""
        return self._texts()[1]

    def _texts(self) -> tuple[tuple[str, str, str, str, str], str]:
        if self.texts is None:
            record = h.record_from_json(self.data_bytes)
            object.__setattr__(self, "texts", (h.head_texts(record), body_text(record)))
        assert self.texts is not None
        return self.texts

    @property
    def data(self) -> str:
        return self.data_bytes.decode("utf-8")

    @property
    def all_text(self) -> str:
        """Everything full-text search matches against: the short fields and the body."""
        return "\n".join((*self.head, self.body_text))


def prepare_record(record: Record) -> PreparedRecord:
    head = h.head_texts(record)
    body = body_text(record)
    head_keys, all_keys = record_key_texts(head, body)
    return PreparedRecord(
        slug=record.slug,
        title=record.title,
        date=record.date.isoformat(),
        year=record.year,
        category=record.category,
        severity=record.severity,
        posture=record.posture,
        ongoing=record.ongoing,
        tags=tuple(record.tags),
        classification=record.war_crime_classification,
        data_bytes=h.record_json_bytes(record),
        countries=",".join(sorted({location.country for location in record.locations})),
        head_keys=head_keys,
        all_keys=all_keys,
        pages=tuple(
            (family, _no_nul(term), _no_nul(name)) for family, term, name in page_terms(record)
        ),
        texts=(head, body),
    )


_SENT = tuple(name for name in PreparedRecord.__dataclass_fields__ if name != "texts")


# The pages of many values a record is listed on, found by `record_pages` (migration 0025),
# and (migration 0026) the days of its timeline's events and its lastUpdated, by which a
# timeline year's pages and the feed are ordered.
PAGE_FAMILIES = ("tag", "entity", "law", "timeline", "day", "updated", "map")


def page_terms(record: Record) -> tuple[tuple[str, str, str], ...]:
    """(family, term, name) of each page of many values `record` is listed on, once each:
    ("tag", the tag's slug, the first of its tags with that slug, as written); ("entity",
    the entity's slug, ""); ("law", a statute as cited, ""), which the site's statute
    catalog resolves to its page (publish/plan.py `law_pages`) when the page is asked for;
    ("timeline", the year of an event of its timeline, how many of its events are in that
    year, in decimal: migration 0030, the timeline's index counts them summed per year,
    `SQLStore.page_sums`); ("day", the day of an event of
    its timeline, YYYY-MM-DD, ""); ("updated", its lastUpdated, YYYY-MM-DD, ""); and, when
    it has a location, ("map", "", how many points the map shows of it: `published_points`;
    migration 0030), the map's list (publish/plan.py `map_pages`)."""
    found: dict[tuple[str, str], str] = {}
    for tag in record.tags:
        found.setdefault(("tag", tag_slug(tag)), tag)
    for group in (record.structured_victims, record.structured_perpetrators):
        for party in group:
            if party.entity:
                found.setdefault(("entity", party.entity), "")
    for provision in record.international_law:
        found.setdefault(("law", provision.statute), "")
    years = Counter(entry.date.isoformat()[:4] for entry in record.timeline)
    for year, events in years.items():
        found[("timeline", year)] = str(events)
    for entry in record.timeline:
        found.setdefault(("day", entry.date.isoformat()), "")
    found[("updated", record.last_updated.isoformat())] = ""
    if record.locations:
        found[("map", "")] = str(published_points(record))
    return tuple((family, term, name) for (family, term), name in found.items())


def published_points(record: Record) -> int:
    """How many of `record`'s locations have a point at their published precision (a
    location known to its country alone has none): what the map draws of it."""
    return sum(
        1 for loc in record.locations if public_location(loc.to_wire()).get("latitude") is not None
    )


PAGE_COLUMNS = "record_id, family, term, name, status, date, slug"


def page_rows(rowid: int, w: PreparedRecord, status: Status) -> list[tuple[Any, ...]]:
    """The record's `record_pages` rows (migration 0025), both engines'."""
    value, date, slug = status.value, w.date, w.slug
    return [(rowid, family, term, name, value, date, slug) for family, term, name in w.pages]


def _no_nul(value: str) -> str:
    # PostgreSQL's text holds no NUL (postgres.py `_column_text`): both engines write U+FFFD.
    return value.replace("\x00", "\ufffd") if "\x00" in value else value


def fill_pages(bind: Any, families: tuple[str, ...]) -> None:
    """Write the `record_pages` rows of `families` (`page_terms`) of every stored record,
    a thousand records at a time, through the SQLAlchemy connection `bind`: what a
    migration that adds families does (0025, 0026)."""
    import sqlalchemy as sa

    read = sa.text(
        "SELECT id, status, date, slug, data FROM records WHERE id > :after ORDER BY id LIMIT 1000"
    )
    # A Core insert: many rows a statement ("insertmanyvalues"), not a round trip a row.
    columns: list[Any] = [sa.column(name) for name in PAGE_COLUMNS.split(", ")]
    insert = sa.insert(sa.table("record_pages", *columns))
    after = 0
    while rows := bind.execute(read, {"after": after}).all():
        made = [
            {"record_id": rowid, "family": family, "term": _no_nul(term), "name": _no_nul(name),
             "status": status, "date": day, "slug": slug}
            for rowid, status, day, slug, data in rows
            for family, term, name in page_terms(h.record_from_json(data))
            if family in families
        ]  # fmt: skip
        if made:
            bind.execute(insert, made)
        after = rows[-1][0]
