"""The records a check runs over, with what the rules need to judge them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from casework.model import Record, Site, Status


@dataclass(frozen=True)
class Corpus:
    """Records with their statuses, the site (vocabularies, URL) and the day to judge dates
    against. Rules read `today` from here, never from the clock, so a check is repeatable."""

    records: tuple[Record, ...]
    statuses: tuple[Status, ...]
    site: Site
    today: date
    # slug → the first record with that slug (a duplicate slug is itself a finding).
    by_slug: Mapping[str, Record] = field(default_factory=dict)
    status_by_slug: Mapping[str, Status] = field(default_factory=dict)

    @classmethod
    def from_records(
        cls, items: Iterable[tuple[Record, Status]], site: Site, today: date
    ) -> Corpus:
        """A corpus of `(record, status)` pairs, in the order given."""
        records: list[Record] = []
        statuses: list[Status] = []
        by_slug: dict[str, Record] = {}
        status_by_slug: dict[str, Status] = {}
        for record, status in items:
            records.append(record)
            statuses.append(status)
            if record.slug not in by_slug:
                by_slug[record.slug] = record
                status_by_slug[record.slug] = status
        return cls(tuple(records), tuple(statuses), site, today, by_slug, status_by_slug)

    def items(self) -> Iterator[tuple[Record, Status]]:
        return zip(self.records, self.statuses, strict=True)

    def __len__(self) -> int:
        return len(self.records)
