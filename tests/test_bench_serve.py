"""benchmarks/serve.py at a tiny size: both servers measured, their ratio printed; and its load
generator's HTTP reading, percentiles and failure on a non-200 answer. No timing is asserted."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import loadgen  # noqa: E402
import serve  # noqa: E402

ROWS = ("record", "search", "listing", "mix")


def test_a_tiny_run_prints_both_servers_each_row_and_the_ratio(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "serve.py"), "--count", "200", "--seconds", "0.25",
         "--rounds", "1", "--warmup", "0.1", "--connections", "4", "--json", str(out)],
        cwd=tmp_path,  # bench-data/ goes here
        env={**os.environ, "COLUMNS": "220"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    text = done.stdout
    assert "casework req/s" in text and "Datasette req/s" in text
    figures = json.loads(out.read_text())
    assert figures["count"] == 200
    for row in ROWS:
        result = figures["results"][row]
        ours, theirs = result["casework"], result["datasette"]
        assert ours["requests"] > 0 and theirs["requests"] > 0
        assert ours["p50_ms"] <= ours["p99_ms"] <= ours["max_ms"]
        assert result["ratio"] == pytest.approx(ours["rps"] / theirs["rps"])
        # The table's row: the endpoint, both servers' figures, and the same ratio.
        line = next(x for x in text.splitlines() if re.match(rf"│ {row}\s+│", x))
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        assert cells[0] == row
        assert cells[7] == f"{result['ratio']:.2f}×"
        assert cells[8] in ("met", "missed")
        assert (cells[8] == "met") == result["met"]
    assert re.search(r"Goal: ≥ 2× Datasette's throughput .*: (met|missed)", text)
    assert ("every row: met" in text) == figures["goal_met"]
    assert "load generator's own ceiling" in text
    # The exact URLs each side got are printed, as templates.
    assert "GET /api/incidents/{slug}" in text
    assert "GET /records/documents/{slug}.json" in text
    assert "/api/incidents?q={words}&perPage=20" in text
    assert "/records/incidents.json?category={category}&_sort_desc=date" in text
    assert figures["urls"]["search"]["datasette"].startswith("/records/incidents.json?_search=")


def read(data: bytes) -> tuple[int, bytes, bool]:
    async def go() -> tuple[int, bytes, bool]:
        reader = asyncio.StreamReader()
        reader.feed_data(data)
        reader.feed_eof()
        return await loadgen.read_response(reader)

    return asyncio.run(go())


def test_responses_are_read_by_length_chunks_or_to_the_end() -> None:
    assert read(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA") == (200, b"hello", True)
    chunked = (
        b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"4\r\nwiki\r\n6;ext=1\r\npedia \r\n0\r\nTrailer: x\r\n\r\n"
    )
    assert read(chunked) == (404, b"wikipedia ", True)
    assert read(b"HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n") == (304, b"", True)
    assert read(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it") == (
        200,
        b"all of it",
        False,
    )
    assert read(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")[2] is False
    with pytest.raises(loadgen.ProtocolError, match="bad status line"):
        read(b"garbage\r\n\r\n")


def test_percentiles_are_nearest_rank_of_the_whole_sample() -> None:
    sample = [i * 1_000_000 for i in range(1, 101)]  # 1..100 ms
    assert loadgen.percentile(sample, 50) == 50.0
    assert loadgen.percentile(sample, 99) == 99.0
    assert loadgen.percentile(sample, 100) == 100.0
    assert loadgen.percentile([], 99) == 0.0


class Quiet(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the servers benchmarked

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def files(tmp_path: Path) -> Iterator[int]:
    (tmp_path / "there.json").write_text('{"ok": true}')
    handler = lambda *a: Quiet(*a, directory=str(tmp_path))  # noqa: E731
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_the_load_is_counted_and_any_non_200_fails_the_run(files: int, tmp_path: Path) -> None:
    result, latencies = serve.drive(files, ["/there.json"], 0.3, 0, 2, tmp_path, "ok")
    assert result["statuses"] == {"200": result["requests"]} and result["requests"] > 0
    assert result["mean_body_bytes"] == len('{"ok": true}')
    assert latencies.stat().st_size == 8 * result["requests"]
    with pytest.raises(
        serve.BenchFailed, match=r"non-200 responses \{'404': \d+\}\n  404 /missing: <!DOCTYPE"
    ):
        serve.drive(files, ["/there.json", "/missing"], 0.3, 0, 2, tmp_path, "bad")
