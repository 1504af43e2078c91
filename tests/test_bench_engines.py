"""benchmarks/engines.py at a tiny size, on the test PostgreSQL server: both engines imported,
searched and served, every row of the table printed with its ratio, the scratch database
dropped afterwards. No timing is asserted."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.store.pg import SERVER, require_postgres

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _bench_databases() -> set[str]:
    engine = create_engine(f"{SERVER}/postgres")
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE 'casework_bench_%'")
            )
            # engines.py's own names (a hex token): other benchmarks' scratch databases
            # (change_feed.py's casework_bench_feed_…) may come and go meanwhile.
            return {name for (name,) in rows if re.fullmatch(r"casework_bench_[0-9a-f]{8}", name)}
    finally:
        engine.dispose()


def test_a_tiny_run_measures_both_engines_and_drops_its_database(tmp_path: Path) -> None:
    require_postgres()
    before = _bench_databases()
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "engines.py"), "--count", "300", "--seconds", "0.5"],
        cwd=tmp_path,  # bench-data/ goes here
        env={**os.environ, "COLUMNS": "220", "CASEWORK_BENCH_POSTGRES": SERVER},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    for row in ("import", "first search", "search p50", "search p99", "API, 2 workers"):
        assert row in out, out
    assert "records/s" in out and "req/s" in out and "PostgreSQL / SQLite" in out
    assert "no PostgreSQL figure worse than SQLite's by more than 2×:" in out
    # The configuration it ran with (README "Configuring the server"), shared_buffers included.
    assert "PostgreSQL: shared_buffers " in out and "work_mem 32MB" in out, out
    assert _bench_databases() == before


def test_keep_leaves_the_tracker_and_the_database_for_first_page(tmp_path: Path) -> None:
    require_postgres()
    kept = tmp_path / "kept"
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "engines.py"), "--count", "200", "--seconds", "0.3",
         "--keep", str(kept), "--only", "PostgreSQL"],
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "220", "CASEWORK_BENCH_POSTGRES": SERVER},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "import CPU" in done.stdout and "on PostgreSQL alone" in done.stdout, done.stdout
    url = (kept / "postgres-url.txt").read_text().strip()
    database = url.rsplit("/", 1)[1]
    try:
        assert database in _bench_databases()
        assert not (kept / "tracker.db").exists()  # SQLite was not measured
        assert (kept / "tracker-PostgreSQL" / "casework.toml").is_file()
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                count = connection.execute(text("SELECT count(*) FROM records")).scalar()
        finally:
            engine.dispose()
        assert count == 200
    finally:
        admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
