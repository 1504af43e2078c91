"""Link-health reports in the store's database, so that every web worker and every `casework`
process sees the same latest report: `casework check --links` and the worker's "links" job
save one each run; the editor's /edit/links shows the latest. Beside them, the last result for
each URL: the cache a re-run reads instead of fetching a URL checked within its time-to-live.

The store keeps them as JSON text; what the JSON holds is casework.evidence.links's business.
Reports are findings about records, never records: saving one adds no revision and does not
change the store's generation.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from casework.store.schema import link_checks, link_reports

KEEP_REPORTS = 50  # older reports are dropped when a new one is saved


@dataclass(frozen=True)
class SavedReport:
    id: int
    created_at: datetime
    origin: str
    report: dict[str, Any]


def _utc(moment: datetime) -> datetime:
    # SQLite gives times back naive (they are written as UTC); PostgreSQL gives them aware.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def url_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


class LinkReports:
    """The reports and the per-URL cache in the database behind `engine`."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def save(
        self, report: Mapping[str, Any], *, origin: str, created_at: datetime | None = None
    ) -> int:
        """Keep `report` (a JSON object) as the latest; its id. The oldest beyond
        KEEP_REPORTS go."""
        text = json.dumps(dict(report), ensure_ascii=False, sort_keys=True)
        moment = created_at or datetime.now(UTC)
        with self._engine.begin() as conn:
            result = conn.execute(
                insert(link_reports).values(
                    created_at=moment, origin=" ".join(origin.split())[:200], report=text
                )
            )
            new_id = int(result.inserted_primary_key[0])  # type: ignore[index]
            conn.execute(delete(link_reports).where(link_reports.c.id <= new_id - KEEP_REPORTS))
        return new_id

    def latest(self) -> SavedReport | None:
        """The report saved last, or None before the first."""
        with self._engine.connect() as conn:
            row = conn.execute(
                select(link_reports).order_by(link_reports.c.id.desc()).limit(1)
            ).first()
        if row is None:
            return None
        return SavedReport(
            id=int(row.id),
            created_at=_utc(row.created_at),
            origin=str(row.origin),
            report=json.loads(row.report),
        )

    def remember(self, results: Iterable[tuple[str, datetime, Mapping[str, Any]]]) -> None:
        """Keep (url, checked_at, result) as each URL's last result, replacing the one before."""
        rows = {
            url_key(url): {
                "url_sha256": url_key(url),
                "url": url,
                "checked_at": checked_at,
                "result": json.dumps(dict(result), ensure_ascii=False, sort_keys=True),
            }
            for url, checked_at, result in results
        }
        if not rows:
            return
        keys = list(rows)
        with self._engine.begin() as conn:
            # Delete then insert, in one transaction: one statement on both engines.
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                conn.execute(delete(link_checks).where(link_checks.c.url_sha256.in_(chunk)))
            conn.execute(insert(link_checks), list(rows.values()))

    def recent(self, urls: Iterable[str], since: datetime) -> dict[str, dict[str, Any]]:
        """The last result of each of `urls` checked at or after `since`, by URL."""
        wanted_urls = set(urls)
        wanted = sorted({url_key(url) for url in wanted_urls})
        found: dict[str, dict[str, Any]] = {}
        with self._engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows = conn.execute(
                    select(link_checks.c.url, link_checks.c.checked_at, link_checks.c.result).where(
                        link_checks.c.url_sha256.in_(chunk)
                    )
                ).all()
                for url, checked_at, result in rows:
                    if url in wanted_urls and _utc(checked_at) >= since:
                        found[str(url)] = json.loads(result)
        return found


__all__ = ["KEEP_REPORTS", "LinkReports", "SavedReport", "url_key"]
