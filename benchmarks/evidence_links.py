"""Link-checking 1,000 sources against a local server: casework's checker beside the floor of
plain concurrent GETs of the same URLs, from the same run.

    .venv/bin/python benchmarks/evidence_links.py [--sources 1000] [--hosts 50] [--concurrency 8]
        [--rounds 3]

The server (uvicorn, a process of its own) serves one ~250-word article per URL, spread over
`--hosts` host names that all resolve to 127.0.0.1 (the checker is given that resolver; the
floor sends the same Host headers); 5% of the pages answer with a rewritten text, so that
drift is found and not only identity.

- casework: `check_links` — each URL through the SSRF-guarded fetcher (one connection per
  fetch, every hop checked), one request at a time per host (the per-host delay set to 0
  here: with the default 1 s, 1,000 URLs over 50 hosts take at least 20 s by design), a page
  whose bytes are the captured ones taken as unchanged, any other read by ingest's readers
  and compared with its capture, the results kept in a real SQLite store's cache. Then: the
  same check with captures that carry no body hash (every page's text read and compared),
  and the same check again within the cache's TTL (every URL from the cache).
- floor: `httpx.Client` GETs of the same URLs, `--concurrency` threads, one shared
  keep-alive pool, nothing read but the bytes: what fetching alone costs.

The two alternate, `--rounds` times (3), each run in a fresh process, and the median round
of each is printed. A process per run makes its memory figure its own: peak RSS
(VmHWM) and how much it grew over the run (from after imports and set-up). Prints both, and
the ratio of sources per second.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

WORDS = (
    "council water point district residents closure guards contractor leaflet notice clinic "
    "engineers pump house photographs children families quarry pond representative contract "
    "security firm questions reopen supply tanker households queue morning road spokesperson "
    "safety measure pipe burst repair chained doors tested nurse cases week before after"
).split()
DRIFTING = 20  # every 20th page (5%) answers with another text


def article(number: int, rewritten: bool = False) -> bytes:
    rng = random.Random(number * 2 + int(rewritten))
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "." for _ in range(4)
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Report {number}"
        f"</title></head><body><nav><a href='/'>Home</a></nav><article><h1>Report {number}</h1>"
        f"{body}</article><footer>Courier</footer></body></html>"
    ).encode()


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    number = int(scope["path"].rsplit("/", 1)[-1] or 0)
    body = article(number, rewritten=number % DRIFTING == 0)
    headers = [(b"content-type", b"text/html; charset=utf-8")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hosts(count: int) -> list[str]:
    return [f"h{n}.bench.test" for n in range(count)]


def urls(port: int, sources: int, host_count: int) -> list[str]:
    names = hosts(host_count)
    return [f"http://{names[n % host_count]}:{port}/story/{n}" for n in range(sources)]


def memory() -> dict[str, int]:
    """This process's resident set now and at its peak, in kB (Linux /proc)."""
    found: dict[str, int] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found


def run_casework(port: int, sources: int, host_count: int, concurrency: int) -> dict[str, Any]:
    from dataclasses import replace
    from datetime import UTC, datetime, timedelta

    from casework.evidence.links import (
        LINK_CONTENT_TYPES,
        Captured,
        Citation,
        LinkSettings,
        check_links,
    )
    from casework.ingest.fetch import FetchPolicy
    from casework.ingest.readers import read_bytes
    from casework.store import open_store

    names = frozenset(hosts(host_count))
    policy = FetchPolicy(
        content_types=LINK_CONTENT_TYPES,
        allow_private=names,
        resolve=lambda host, port: ["127.0.0.1"] if host in names else [],
    )
    settings = LinkSettings(
        concurrency=concurrency, per_host_delay=0.0, cache_ttl=timedelta(hours=1), fetch=policy
    )
    listed = urls(port, sources, host_count)
    cited = {
        url: [Citation(f"record-{n}", "sources.0.url", "published")] for n, url in enumerate(listed)
    }
    when = datetime.now(UTC)
    captures = {}
    for n, url in enumerate(listed):  # what was captured: every page's first text
        body = article(n)
        text = read_bytes(body, "text/html; charset=utf-8", url).text
        captures[url] = Captured.of(text, when, hashlib.sha256(body).hexdigest())
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'tracker.db'}")
        try:
            before = memory()
            started = time.perf_counter()
            report = check_links(cited, captures.get, settings, cache=store.link_reports)
            seconds = time.perf_counter() - started
            after = memory()
            started = time.perf_counter()
            cached = check_links(cited, captures.get, settings, cache=store.link_reports)
            cached_seconds = time.perf_counter() - started
            # Captures without their body's hash: every page's text read and compared (what
            # a page whose markup changes around the same text costs).
            texts = {url: replace(c, sha256=None) for url, c in captures.items()}
            started = time.perf_counter()
            check_links(cited, texts.get, settings, cache=store.link_reports, fresh=True)
            read_seconds = time.perf_counter() - started
        finally:
            store.close()
    return {
        "seconds": seconds,
        "rate": sources / seconds,
        "counts": report.counts(),
        "cached_rate": sources / cached_seconds,
        "read_rate": sources / read_seconds,
        "cached_fetched": cached.fetched,
        "peak_kb": after["VmHWM"],
        "grew_kb": after["VmHWM"] - before["VmRSS"],
    }


def run_floor(port: int, sources: int, host_count: int, concurrency: int) -> dict[str, Any]:
    import httpx

    listed = urls(port, sources, host_count)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    with httpx.Client(limits=limits, timeout=20) as client:

        def get(url: str) -> int:
            host = url.split("/")[2]
            path = "/" + url.split("/", 3)[3]
            response = client.get(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
            return response.status_code

        before = memory()
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            statuses = list(pool.map(get, listed))
        seconds = time.perf_counter() - started
        after = memory()
    return {
        "seconds": seconds,
        "rate": sources / seconds,
        "ok": statuses.count(200),
        "peak_kb": after["VmHWM"],
        "grew_kb": after["VmHWM"] - before["VmRSS"],
    }


def side(name: str, port: int, args: argparse.Namespace) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--side",
            name,
            "--port",
            str(port),
            "--sources",
            str(args.sources),
            "--hosts",
            str(args.hosts),
            "--concurrency",
            str(args.concurrency),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--side", choices=["casework", "floor", "serve"])
    parser.add_argument("--port", type=int)
    args = parser.parse_args()
    if args.side == "serve":
        import uvicorn

        uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="error", access_log=False)
        return
    if args.side is not None:
        run = run_casework if args.side == "casework" else run_floor
        print(json.dumps(run(args.port, args.sources, args.hosts, args.concurrency)))
        return

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, __file__, "--side", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the benchmark's server did not start") from None
                time.sleep(0.1)
        floors, ourses = [], []
        for _ in range(args.rounds):  # alternating, so that the machine's drift falls on both
            floors.append(side("floor", port, args))
            ourses.append(side("casework", port, args))
        floor = sorted(floors, key=lambda r: r["rate"])[len(floors) // 2]
        ours = sorted(ourses, key=lambda r: r["rate"])[len(ourses) // 2]
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(
        f"Link-checking {args.sources} sources over {args.hosts} hosts, "
        f"{args.concurrency} at a time, against a local uvicorn server "
        f"(the median of {args.rounds} alternating rounds):"
    )
    print(
        f"  casework check_links : {ours['rate']:8.1f} sources/s ({ours['seconds']:.2f} s), "
        f"peak RSS {ours['peak_kb'] / 1024:.0f} MB (+{ours['grew_kb'] / 1024:.0f} MB during "
        f"the run); found {ours['counts']}"
    )
    print(f"  casework, every text : {ours['read_rate']:8.1f} sources/s (no body hash to skip by)")
    print(
        f"  casework, all cached : {ours['cached_rate']:8.1f} sources/s "
        f"({ours['cached_fetched']} fetched)"
    )
    print(
        f"  floor: httpx GETs    : {floor['rate']:8.1f} sources/s ({floor['seconds']:.2f} s), "
        f"peak RSS {floor['peak_kb'] / 1024:.0f} MB (+{floor['grew_kb'] / 1024:.0f} MB); "
        f"{floor['ok']} answered 200"
    )
    print(f"  ratio casework / floor: {ours['rate'] / floor['rate']:.2f}")


if __name__ == "__main__":
    main()
