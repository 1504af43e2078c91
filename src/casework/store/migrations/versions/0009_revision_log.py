"""`revision_log`: the tracker-wide, append-only log chaining every revision of every record
(`casework.evidence.ledger`). Existing revisions are logged here in (created_at, slug, number)
order, the order they were written in as near as the stored times tell.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import zlib
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    # The hashes are made by the ledger's own functions: the log's format is theirs.
    from casework.evidence.ledger import Entry, log_rows, stored_content_digest
    from casework.store.history import as_utc, canonical_time

    op.create_table(
        "revision_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("slug", sa.String(200), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("revision_hash", sa.String(64), nullable=False),
        sa.Column("head", sa.String(64), nullable=False),
        sa.Column("public_number", sa.Integer, nullable=True),
        sa.Column("public_leaf", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("seq", name="pk_revision_log"),
    )
    op.create_index("ix_revision_log_slug_number", "revision_log", ["slug", "number"])
    bind = op.get_bind()
    order = "created_at, slug, number"
    if bind.dialect.name == "postgresql":
        order = 'created_at, slug COLLATE "C", number'
    # Streamed (a server-side cursor on PostgreSQL): the revisions' bodies are read a batch at
    # a time, never all at once.
    rows = bind.execute(
        sa.text(
            f"SELECT slug, number, created_at, status, data, hash FROM revisions ORDER BY {order}"
        ).execution_options(stream_results=True)
    )
    insert = sa.text(
        "INSERT INTO revision_log (seq, slug, number, revision_hash, head, public_number,"
        " public_leaf) VALUES (:seq, :slug, :number, :rh, :head, :pn, :pl)"
    )
    last: tuple[int, str] | None = None
    numbers: dict[str, int] = {}
    while batch := rows.fetchmany(_BATCH):
        entries = []
        for slug, number, created_at, status, data, digest in batch:
            moment = created_at
            if isinstance(moment, str):  # SQLite's text
                moment = datetime.fromisoformat(moment)
            content = None
            if status == "published":
                content = stored_content_digest(zlib.decompress(data))
            entries.append(Entry(slug, number, digest, canonical_time(as_utc(moment)), content))
        made = log_rows(last, entries, numbers)
        bind.execute(
            insert,
            [
                {"seq": r[0], "slug": r[1], "number": r[2], "rh": r[3], "head": r[4],
                 "pn": r[5], "pl": r[6]}
                for r in made
            ],
        )  # fmt: skip
        last = (made[-1][0], made[-1][4])


def downgrade() -> None:
    op.drop_index("ix_revision_log_slug_number", table_name="revision_log")
    op.drop_table("revision_log")
