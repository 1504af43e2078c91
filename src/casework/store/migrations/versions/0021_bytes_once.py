"""A record's bytes stored once: the revision a record is at may keep no copy of its JSON.

From here on, a revision is written with an empty `data` (`history.IN_RECORD`): its record JSON
is the record row's `data`, which its hash covers; the revision gets its own (compressed) bytes
only when a later revision replaces the row's JSON or the row goes (`SQLStore._keep_history`).
An import of 100,000 records wrote each one's JSON twice (~1.5 GB, then ~0.5 GB compressed).

Nothing changes in the tables, and every revision written before keeps its bytes, which the
readers still take: the upgrade has nothing to do. It is a migration so that a casework that
reads every revision's bytes from `revisions` alone (before 0021) refuses a tracker written
since, and so that the downgrade can give every revision its bytes back.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05
"""

from __future__ import annotations

import zlib

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_BATCH = 500


def upgrade() -> None:
    pass


def downgrade() -> None:
    # Spelled out (a migration is a fixed point in time): zlib level 1 of the row's UTF-8 JSON,
    # as history.compress writes a revision's bytes.
    bind = op.get_bind()
    empty = b""
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT v.id, r.data FROM revisions v JOIN records r"
                " ON r.slug = v.slug AND r.revision = v.number"
                " WHERE v.data = :empty ORDER BY v.id LIMIT :batch"
            ),
            {"empty": empty, "batch": _BATCH},
        ).all()
        if not rows:
            break
        bind.execute(
            sa.text("UPDATE revisions SET data = :data WHERE id = :id"),
            [{"id": id_, "data": zlib.compress(data.encode("utf-8"), 1)} for id_, data in rows],
        )
