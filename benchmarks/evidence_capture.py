"""Capturing N sources from a local server: `casework archive`'s work beside plain httpx +
warcio writing the same WARC files, in one run.

    python benchmarks/evidence_capture.py [--count 1000] [--concurrency 4] [--rounds 3]

Prep (untimed): a server of N distinct article pages (~6 KB of generated prose each, a script
tag in each) on 127.0.0.1, in a process of its own; for casework, a SQLite tracker whose
records cite the N pages as sources (ten a record).

Timed, each side in a process of its own, the sides alternating over the rounds:
- casework: `capture_records` — what `casework archive` runs — over every record: each URL
  through the SSRF-guarded fetcher (a new connection a URL, every hop checked), the body kept
  as a gzipped WARC by SHA-256 (temp file, fsync, read-only, hard link), the readable text
  extracted by ingest's readers and hashed, each attempt indexed in the database;
- the floor: one httpx client (keep-alive) fetching the same URLs, each body written as a
  gzipped WARC request/response pair by warcio to `<sha256>.warc.gz` — no guard, no text, no
  index, no fsync.
Both `concurrency` URLs at a time. Printed: sources/s (the best round of each), the peak RSS of
each process and its rise during the timed part, and the ratio of the rates.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

WORDS = (
    "the council said residents were moved from the river quarter after the flooding and that "
    "officials had promised shelter but families waited three nights at the school gate while "
    "lawyers for the tenants asked the court to halt the evictions until an inquiry reported "
    "police closed the road before dawn and journalists were kept away from the camp"
).split()


def page(number: int) -> bytes:
    """Article page `number`: its own title and ~6 KB of prose made from WORDS."""
    rng = random.Random(number)
    paragraphs = [
        "<p>" + " ".join(rng.choice(WORDS) for _ in range(90)).capitalize() + ".</p>"
        for _ in range(10)
    ]
    return (
        f"<!doctype html><html><head><title>Report {number} from the river quarter</title>"
        "<script>window.tracking = true</script></head><body><article>"
        f"<h1>Report {number} from the river quarter</h1>{''.join(paragraphs)}"
        "</article></body></html>"
    ).encode()


class Pages(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body in one write, sent at once: written apart, a keep-alive client's
    # delayed ACK held every response ~40 ms (Nagle's algorithm waiting for it).
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        try:
            number = int(self.path.rsplit("/", 1)[-1])
        except ValueError:
            number = -1
        body = page(number) if number >= 0 else b"not here"
        self.send_response(200 if number >= 0 else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    print(server.server_address[1], flush=True)
    server.timeout = 1
    deadline = time.monotonic() + 3600  # stops by itself, whatever happens to its parent
    while time.monotonic() < deadline and os.getppid() != 1:
        server.handle_request()


def rss_kb() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def casework_side(urls: list[str], work: Path, concurrency: int) -> dict[str, Any]:
    from casework.evidence.captures import Captures, capture_records, engine_of
    from casework.examples import generate_records
    from casework.ingest.fetch import FetchPolicy
    from casework.model import Site, Status
    from casework.store import open_store

    store = open_store(work / "tracker.db")
    site = Site(url="https://bench.example.org")
    records = []
    for i, record in enumerate(generate_records(len(urls) // 10, seed=5, site=site)):
        template = record.sources[0]
        sources = [template.model_copy(update={"url": url}) for url in urls[i * 10 : i * 10 + 10]]
        records.append(record.model_copy(update={"sources": sources, "documents": []}))
    store.import_records(records, author="bench", message="bench", status=Status.published)
    captures = Captures(engine_of(store), work / "archive")
    policy = FetchPolicy(allow_private=frozenset({"127.0.0.1"}))
    before = rss_kb()
    started = time.perf_counter()
    run = capture_records(store, captures, policy=policy, concurrency=concurrency)
    seconds = time.perf_counter() - started
    store.close()
    assert len(run.kept) == len(urls), [c.error for c in run.failures][:3]
    return {"seconds": seconds, "before_kb": before, "files": len(run.kept)}


def peer_side(urls: list[str], work: Path, concurrency: int) -> dict[str, Any]:
    import httpx
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    root = work / "warc"

    def keep(client: httpx.Client, url: str) -> str:
        response = client.get(url)
        body = response.content
        sha256 = hashlib.sha256(body).hexdigest()
        path = root / sha256[:2] / f"{sha256}.warc.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            writer = WARCWriter(out, gzip=True)
            request = writer.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                length=0,
                http_headers=StatusAndHeaders(
                    f"GET {response.request.url.raw_path.decode()} HTTP/1.1",
                    list(response.request.headers.items()),
                    is_http_request=True,
                ),
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=StatusAndHeaders(
                    f"{response.status_code} {response.reason_phrase}",
                    list(response.headers.items()),
                    protocol="HTTP/1.1",
                ),
            )
            writer.write_request_response_pair(request, record)
        return sha256

    before = rss_kb()
    started = time.perf_counter()
    with (
        httpx.Client(trust_env=False) as client,
        ThreadPoolExecutor(max_workers=concurrency) as pool,
    ):
        kept = list(pool.map(lambda url: keep(client, url), urls))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "before_kb": before, "files": len(kept)}


def side(name: str, base: str, count: int, concurrency: int) -> None:
    urls = [f"{base}/page/{n}" for n in range(count)]
    with tempfile.TemporaryDirectory(prefix=f"capture-{name}-") as folder:
        run = casework_side if name == "casework" else peer_side
        result = run(urls, Path(folder), concurrency)
    result["peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(result), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--side", choices=("casework", "peer"), help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    if args.side:
        side(args.side, args.base, args.count, args.concurrency)
        return
    if args.count % 10:
        parser.error("--count: a multiple of 10 (ten sources a record)")
    me = [sys.executable, __file__]
    server = subprocess.Popen([*me, "--serve"], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        base = f"http://127.0.0.1:{server.stdout.readline().strip()}"
        results: dict[str, list[dict[str, Any]]] = {"casework": [], "peer": []}
        for round_ in range(args.rounds):
            order = ("casework", "peer") if round_ % 2 == 0 else ("peer", "casework")
            for name in order:
                command = [*me, "--side", name, "--base", base, "--count", str(args.count)]
                done = subprocess.run(
                    [*command, "--concurrency", str(args.concurrency)],
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=1800,
                )
                results[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{args.count} sources from a local server, {args.concurrency} at a time, "
          f"{args.rounds} rounds (best shown)")  # fmt: skip
    rates = {}
    for name, label in (("casework", "casework archive"), ("peer", "httpx + warcio (floor)")):
        best = min(results[name], key=lambda r: r["seconds"])
        rates[name] = args.count / best["seconds"]
        peak = max(r["peak_kb"] for r in results[name]) / 1024
        rise = max(r["peak_kb"] - r["before_kb"] for r in results[name]) / 1024
        every = ", ".join(f"{args.count / r['seconds']:.0f}" for r in results[name])
        print(f"  {label:24} {rates[name]:7.0f} sources/s  (rounds: {every})  "
              f"peak RSS {peak:.0f} MB, +{rise:.0f} MB while capturing")  # fmt: skip
    print(f"  casework / floor: {rates['casework'] / rates['peer']:.2f}x the rate")


if __name__ == "__main__":
    main()
