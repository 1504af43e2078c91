"""A record made ready for storage: serialized once, its search texts extracted and cut into
search keys (once per field, in the stemming language of this process: `search_words`).

`prepare_record` is pure and its result pickles cheaply (bytes and strings), so that a bulk
import can prepare records in a second process while SQLite indexes in this one: a reading
process must set the importing process's language first (`import_reading._reader_process`).
"""

from __future__ import annotations

from dataclasses import dataclass

from casework.model import Record
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
    head: tuple[str, str, str, str, str]  # the short fields the ranking index holds
    body_text: str  # the body as plain text, for matching
    countries: str  # its locations' ISO 3166 codes, comma-joined and sorted (country facet)
    head_keys: tuple[str, ...]  # `head` as search keys (what SQLite's FTS5 tables hold)
    all_keys: str  # all its text as search keys: the head's, then the body's

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
        head=head,
        body_text=body,
        countries=",".join(sorted({location.country for location in record.locations})),
        head_keys=head_keys,
        all_keys=all_keys,
    )
