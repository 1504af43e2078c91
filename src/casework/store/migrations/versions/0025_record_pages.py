"""`record_pages`: a row per page of many records a record is on — a tag's (by the tag's
slug: tags spelled apart share a page), an entity's, a statute's (as cited; the site's
catalog resolves it), a timeline year's — with copies of the record's status, date and slug,
and indexes on (family, term, status, date, slug) and (family, term, status, name). The live
site answers those pages from it (`SQLStore.paged`: the published records of one tag, newest
first, a page from an offset; all of an entity's, a statute's, a year's; `page_names`: the
tags a tag's page is spelled with), without planning the site from every record (issue 17: a
million records). Every write of a record writes its rows again (both engines); the upgrade
fills them from the stored records.

Revision ID: 0025
Revises: 0023
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_pages",
        sa.Column("record_id", sa.Integer, nullable=False),
        sa.Column("family", sa.String(20), nullable=False),
        sa.Column("term", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("slug", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("record_id", "family", "term", name="pk_record_pages"),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name="fk_record_pages_record_id_records",
            ondelete="CASCADE",
        ),
    )
    _backfill()
    op.create_index(
        "ix_record_pages_walk", "record_pages", ["family", "term", "status", "date", "slug"]
    )
    op.create_index("ix_record_pages_names", "record_pages", ["family", "term", "status", "name"])


def _backfill() -> None:
    from casework.store.prepared import fill_pages

    fill_pages(op.get_bind(), ("tag", "entity", "law", "timeline"))


def downgrade() -> None:
    op.drop_index("ix_record_pages_names", table_name="record_pages")
    op.drop_index("ix_record_pages_walk", table_name="record_pages")
    op.drop_table("record_pages")
