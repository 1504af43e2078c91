"""Alembic environment: runs on the connection `migrate()` hands over (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from casework.store.schema import metadata


def run() -> None:
    if context.is_offline_mode():
        raise SystemExit("casework migrations run online only: call casework.store.migrate(url)")
    config = context.config
    connection = config.attributes.get("connection")
    if connection is None:  # run by the alembic command line with -x url=... or sqlalchemy.url
        url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
            "sqlalchemy.url"
        )
        if not url:
            raise SystemExit("no database URL: pass -x url=sqlite:///path")
        engine = create_engine(url)
        with engine.begin() as conn:
            _migrate(conn)
        engine.dispose()
        return
    _migrate(connection)


def _migrate(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()


run()
