"""Proposals from ingested articles, in the store's database (`proposals` table, migration
0016): what `casework ingest` and the ingest worker found an article adds to a record, waiting
for an editor (`casework review`, /edit/proposals), and the decision taken on each item.

In the database rather than as files in the tracker's folder, so that workers on other
machines, every editor and a PostgreSQL deployment see the same proposals, and so that a
proposal cannot stay open once it has been applied: the editing service writes the applying
revision and marks the proposal decided in one transaction (`decided_along`, run through the
`along` hook of the store's `create`/`save`). Of two reviewers applying one proposal at once,
the second finds it no longer open (`ProposalClosed`) and its revision is rolled back. A
decision writes the proposal's data whole: for an ambiguous one, made again for the record the
reviewer chose (`casework.ingest.pipeline.rebuild`), its items and `target` as applied — an
open proposal's row is never changed by choosing alone.

A proposal is kept as its JSON (`Proposal.to_json()` of `casework.ingest.propose`: source,
candidates, items with their decisions); this module reads and writes that JSON without
knowing its items, and copies `status`, `target`, the time it was made and who decided it, when,
into columns for listing. Proposals hold unpublished work: nothing that writes a public byte
reads this table. SQLAlchemy Core, as `jobs.py`, so that one class serves every engine.
"""

from __future__ import annotations

import builtins
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, Engine

from casework.store.base import Along, InWrite, StoreError
from casework.store.schema import proposals

STATUSES = ("open", "applied", "rejected", "empty")
DECIDED = ("applied", "rejected")
MAX_DATA = 5_000_000  # characters of JSON: a long article proposes a few hundred items at most

# What `casework.ingest.pipeline.propose` makes: the time it was made, six random hex digits.
PROPOSAL_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{6}")


class ProposalError(StoreError):
    """Base of the proposals' errors; the message is one line."""


class ProposalNotFound(ProposalError):
    """No proposal has that id (or the id is not one a proposal can have)."""


class ProposalExists(ProposalError):
    def __init__(self, proposal_id: str) -> None:
        super().__init__(f"a proposal {proposal_id!r} exists already")
        self.proposal_id = proposal_id


class ProposalClosed(ProposalError):
    """The proposal was decided already (by someone else, or before a stale page was sent)."""

    def __init__(self, proposal_id: str, status: str) -> None:
        super().__init__(f"proposal {proposal_id} is {status}, not open")
        self.proposal_id = proposal_id
        self.status = status


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision on an open proposal: `data` is the whole proposal as decided
    (every item's decision in it), `status` applied or rejected, `target` the record it
    went to (a new draft's slug too)."""

    proposal_id: str
    status: str
    target: str | None
    by: str
    at: datetime
    data: Mapping[str, Any]

    def __post_init__(self) -> None:
        if self.status not in DECIDED:
            raise ProposalError(f"a decision applies or rejects, not {self.status!r}")


def checked_id(proposal_id: str) -> str:
    """`proposal_id` when it has a proposal id's form; ProposalNotFound otherwise."""
    if not PROPOSAL_ID.fullmatch(proposal_id):
        shown = proposal_id if len(proposal_id) <= 40 else proposal_id[:40] + "…"
        raise ProposalNotFound(f"{shown!r} is not a proposal id")
    return proposal_id


def _text(data: Mapping[str, Any]) -> str:
    text = json.dumps(dict(data), ensure_ascii=False, sort_keys=False)
    if len(text) > MAX_DATA:
        raise ProposalError(f"proposal too big: {len(text):,} characters, at most {MAX_DATA:,}")
    return text


def _time(text: Any) -> datetime:
    """A proposal's ISO time as an aware UTC datetime (an unparseable one: now)."""
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        return datetime.now(UTC)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _status(data: Mapping[str, Any]) -> str:
    status = str(data.get("status") or "open")
    if status not in STATUSES:
        raise ProposalError(f"unknown proposal status {status!r}")
    return status


def _row(data: Mapping[str, Any]) -> dict[str, Any]:
    """The `proposals` row of a proposal's JSON."""
    proposal_id = checked_id(str(data.get("id", "")))
    target = data.get("target")
    decided = data.get("decided_at")
    return {
        "id": proposal_id,
        "status": _status(data),
        "target": str(target) if target else None,
        "created_at": _time(data.get("created_at")),
        "decided_at": _time(decided) if decided else None,
        "decided_by": str(data.get("decided_by") or "") or None,
        "data": _text(data),
    }


def _insert_new(conn: Connection, row: dict[str, Any]) -> bool:
    """Insert `row` unless a proposal has its id; whether it was inserted. One statement,
    and a write: a SQLite transaction that read first and wrote later could fail outright
    (SQLITE_BUSY) when another writer committed in between (see jobs.py)."""
    # Each dialect's module is imported only when its engine writes: PostgreSQL's costs
    # ~30 ms of a SQLite tracker's `casework ingest`.
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        statement: Any = postgresql_insert(proposals).values(**row)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(proposals).values(**row)
    statement = statement.on_conflict_do_nothing(index_elements=["id"]).returning(proposals.c.id)
    return conn.execute(statement).first() is not None


_DECIDE = (
    "UPDATE proposals SET status = ?, target = ?, decided_at = ?, decided_by = ?, data = ? "
    "WHERE id = ? AND status = 'open'"
)


def decided_along(decision: Decision) -> Along:
    """`decision` written inside a store's write transaction (`Store.create`/`save`'s
    `along`): raises ProposalClosed — rolling the record's write back — unless the proposal
    is still open when the transaction writes it, ProposalNotFound when there is none."""

    def write(db: InWrite) -> None:
        changed = db.execute(_DECIDE, _decide_params(decision)).rowcount
        if changed != 1:
            row = db.execute(
                "SELECT status FROM proposals WHERE id = ?", (decision.proposal_id,)
            ).fetchone()
            if row is None:
                raise ProposalNotFound(f"no proposal {decision.proposal_id!r}")
            raise ProposalClosed(decision.proposal_id, str(row[0]))

    return write


def _decide_params(decision: Decision) -> tuple[Any, ...]:
    return (
        decision.status,
        decision.target,
        decision.at,
        decision.by,
        _text(decision.data),
        decision.proposal_id,
    )


class Proposals:
    """The proposals in the database behind `engine`."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, data: Mapping[str, Any]) -> None:
        """Keep a new proposal (its JSON). Raises ProposalExists, ProposalError."""
        row = _row(data)
        with self._engine.begin() as conn:
            if not _insert_new(conn, row):
                raise ProposalExists(row["id"])

    def add_missing(self, found: builtins.list[Mapping[str, Any]]) -> builtins.list[str]:
        """Keep each of `found` whose id no proposal has yet, in one transaction; the ids
        kept (an import of proposal files: one that is here already stays as it is here)."""
        rows = [_row(data) for data in found]
        with self._engine.begin() as conn:
            return [row["id"] for row in rows if _insert_new(conn, row)]

    def get(self, proposal_id: str) -> dict[str, Any]:
        """A proposal's JSON. Raises ProposalNotFound."""
        checked_id(proposal_id)
        with self._engine.connect() as conn:
            text = conn.execute(
                select(proposals.c.data).where(proposals.c.id == proposal_id)
            ).scalar_one_or_none()
        if text is None:
            raise ProposalNotFound(f"no proposal {proposal_id!r}")
        found: dict[str, Any] = json.loads(text)
        return found

    def list(self, status: str | None = "open") -> builtins.list[dict[str, Any]]:
        """The proposals with `status` (None: all), oldest first, as their JSON."""
        query = select(proposals.c.data).order_by(proposals.c.created_at, proposals.c.id)
        if status is not None:
            if status not in STATUSES:
                raise ProposalError(
                    f"unknown proposal status {status!r}: expected {', '.join(STATUSES)}"
                )
            query = query.where(proposals.c.status == status)
        with self._engine.connect() as conn:
            rows = conn.execute(query).scalars().all()
        return [json.loads(text) for text in rows]

    def counts(self) -> dict[str, int]:
        """How many proposals there are in each status."""
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(proposals.c.status, func.count()).group_by(proposals.c.status)
            ).all()
        found = dict.fromkeys(STATUSES, 0)
        for status, count in rows:
            found[str(status)] = int(count)
        return found

    def decide(self, decision: Decision) -> None:
        """`decision` written on its own, when it goes with no record's revision (nothing
        accepted, or nothing the record lacked): as `decided_along`, in a transaction of its
        own. Raises ProposalClosed, ProposalNotFound."""
        with self._engine.begin() as conn:
            changed = conn.execute(
                update(proposals)
                .where(proposals.c.id == decision.proposal_id, proposals.c.status == "open")
                .values(
                    status=decision.status,
                    target=decision.target,
                    decided_at=decision.at,
                    decided_by=decision.by,
                    data=_text(decision.data),
                )
            ).rowcount
            if changed != 1:
                status = conn.execute(
                    select(proposals.c.status).where(proposals.c.id == decision.proposal_id)
                ).scalar_one_or_none()
                if status is None:
                    raise ProposalNotFound(f"no proposal {decision.proposal_id!r}")
                raise ProposalClosed(decision.proposal_id, str(status))


__all__ = [
    "DECIDED",
    "PROPOSAL_ID",
    "STATUSES",
    "Decision",
    "ProposalClosed",
    "ProposalError",
    "ProposalExists",
    "ProposalNotFound",
    "Proposals",
    "checked_id",
    "decided_along",
]
