"""Search keys: the full-text indexes hold Snowball-stemmed words (`casework.search_words`),
so that "landmines" finds what "landmine" finds. Every record's rows are written again: on
SQLite the three FTS5 tables (contentless, so emptied with 'delete-all' and refilled), on
PostgreSQL `record_words`. The downgrade writes them back unstemmed. `store_meta.generation`
moves, so that every process's cached word counts are made again.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_BATCH = 500


def upgrade() -> None:
    _rewrite(None)


def downgrade() -> None:
    from casework.search_words import PLAIN

    _rewrite(PLAIN)


def _rewrite(language: str | None) -> None:
    # The rows are made by the engines' own functions: a contentless FTS5 table forgets a row
    # only when given the text it was indexed with, and later writes make it with these.
    from casework.search_words import fts_texts, keys
    from casework.store.history import all_text, head_texts, record_from_json

    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        for table in ("search_head", "search_published", "search_all"):
            op.execute(f"INSERT INTO {table}({table}) VALUES('delete-all')")
    read = sa.text(
        "SELECT id, status, data FROM records WHERE id > :after ORDER BY id LIMIT :batch"
    )
    after = 0
    while rows := bind.execute(read, {"after": after, "batch": _BATCH}).all():
        if sqlite:
            heads, alls, published = [], [], []
            for rowid, status, data in rows:
                record = record_from_json(data)
                head, everything = fts_texts(head_texts(record), all_text(record), language)
                row = {"id": rowid, **dict(zip(_HEAD, head, strict=True))}
                heads.append(row)
                alls.append({"id": rowid, "text": everything})
                if status == "published":
                    published.append(row)
            columns = ", ".join(_HEAD)
            values = ", ".join(f":{c}" for c in _HEAD)
            for table, made in (("search_head", heads), ("search_published", published)):
                if made:
                    bind.execute(
                        sa.text(f"INSERT INTO {table} (rowid, {columns}) VALUES (:id, {values})"),
                        made,
                    )
            bind.execute(sa.text("INSERT INTO search_all (rowid, text) VALUES (:id, :text)"), alls)
        else:
            from casework.store.postgres_search import search_vectors
            from casework.store.prepared import prepare_record

            made = []
            for rowid, _status, data in rows:
                vectors = search_vectors(
                    prepare_record(record_from_json(data)), lambda t: keys(t, language)
                )
                made.append({"id": rowid, "search": vectors[0], "head": vectors[1]})
            bind.execute(
                sa.text(
                    "UPDATE record_words SET search = CAST(:search AS tsvector),"
                    " search_head = CAST(:head AS tsvector) WHERE record_id = :id"
                ),
                made,
            )
        after = rows[-1][0]
    op.execute("UPDATE store_meta SET generation = generation + 1")


_HEAD = ("title", "tags", "summary", "key_points", "description")
