"""A closed-loop HTTP/1.1 load generator, and a trivial server to measure its own ceiling.

    python benchmarks/loadgen.py run --port P --paths paths.json [--seconds 10] [--warmup 2]
                                     [--connections 32]
    python benchmarks/loadgen.py trivial-server --port P

`run` opens `--connections` keep-alive connections to 127.0.0.1:P; each sends the next path of
the list (one shared cursor, so the servers compared get the same sequence) and waits for the
whole response before sending again. A warm-up pass (same sequence, results dropped) comes
first, then the measured pass starts again from the first path. Every response's latency is
kept, p50/p99 come from the full sample. It prints one JSON object: requests, seconds,
rps, p50/p99/max in ms, the count of each status and the first few failures; `--latencies`
also writes the whole sample, for a caller that pools several runs.

Raw asyncio streams rather than an HTTP client library: a client's per-request overhead would
be the bottleneck long before the servers are. `trivial-server` answers every request with the
same small response, so that `run` against it shows how many requests per second the generator
itself can make on one core.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import sys
import time
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

HOST = "127.0.0.1"
MAX_FAILURES_KEPT = 5


class ProtocolError(Exception):
    """The server's response could not be read as HTTP/1.1."""


@dataclass
class Sample:
    latencies_ns: list[int] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    failures: list[dict[str, str]] = field(default_factory=list)
    body_bytes: int = 0

    def fail(self, path: str, status: str, detail: str = "") -> None:
        self.statuses[status] += 1
        if len(self.failures) < MAX_FAILURES_KEPT:
            detail = " ".join(detail.split())[:200]  # one line per failure when printed
            self.failures.append({"path": path, "status": status, "detail": detail})


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, keep-alive) of one response: Content-Length or chunked bodies."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    try:
        status = int(lines[0].split(b" ", 2)[1])
    except (IndexError, ValueError) as error:
        raise ProtocolError(f"bad status line {lines[0][:80]!r}") from error
    length = -1
    chunked = False
    keep_alive = not lines[0].startswith(b"HTTP/1.0")  # 1.0 closes unless it says otherwise
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            keep_alive = b"keep-alive" in value.lower() or (
                keep_alive and b"close" not in value.lower()
            )
    if chunked:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                    pass
                break
            parts.append((await reader.readexactly(size + 2))[:-2])
        return status, b"".join(parts), keep_alive
    if length >= 0:
        return status, await reader.readexactly(length), keep_alive
    if status in (204, 304) or 100 <= status < 200:
        return status, b"", keep_alive
    return status, await reader.read(), False  # body until the server closes


async def connection(
    port: int, requests: list[bytes], paths: list[str], cursor: Iterator[int], deadline: float,
    sample: Sample,
) -> None:  # fmt: skip
    """One keep-alive connection sending requests until `deadline` (perf_counter seconds)."""
    reader, writer = await asyncio.open_connection(HOST, port, limit=1 << 20)
    try:
        while time.perf_counter() < deadline:
            i = next(cursor) % len(requests)
            started = time.perf_counter_ns()
            try:
                writer.write(requests[i])
                status, body, keep_alive = await read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ProtocolError, ValueError) as error:
                sample.fail(paths[i], "error", f"{type(error).__name__}: {error}")
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port, limit=1 << 20)
                continue
            sample.latencies_ns.append(time.perf_counter_ns() - started)
            sample.body_bytes += len(body)
            if status == 200:
                sample.statuses["200"] += 1
            else:
                sample.fail(paths[i], str(status), body[:300].decode(errors="replace"))
            if not keep_alive:
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port, limit=1 << 20)
    finally:
        writer.close()


async def load(
    port: int, paths: list[str], seconds: float, connections: int
) -> tuple[Sample, float]:
    """Run the paths against the server for `seconds`; (sample, elapsed seconds)."""
    requests = [
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: */*\r\n\r\n".encode()
        for path in paths
    ]
    sample = Sample()
    cursor = itertools.count()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(connection(port, requests, paths, cursor, deadline, sample) for _ in range(connections))
    )
    return sample, time.perf_counter() - started


def percentile(sorted_ns: list[int], q: float) -> float:
    """The q-th percentile (0–100, nearest rank) of a sorted sample, in milliseconds."""
    if not sorted_ns:
        return 0.0
    rank = math.ceil(q / 100 * len(sorted_ns))  # 1-based: the smallest covering q percent
    return sorted_ns[max(1, min(rank, len(sorted_ns))) - 1] / 1e6


def summary(sample: Sample, elapsed: float) -> dict[str, Any]:
    latencies = sorted(sample.latencies_ns)
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "max_ms": latencies[-1] / 1e6 if latencies else 0.0,
        "mean_body_bytes": sample.body_bytes / len(latencies) if latencies else 0,
        "statuses": dict(sample.statuses),
        "failures": sample.failures,
    }


async def run(
    port: int, paths: list[str], seconds: float, warmup: float, connections: int,
    latencies: str | None,
) -> None:  # fmt: skip
    if warmup > 0:
        await load(port, paths, warmup, connections)
    sample, elapsed = await load(port, paths, seconds, connections)
    if latencies:  # for a caller pooling several runs' samples
        with open(latencies, "wb") as f:
            array("q", sample.latencies_ns).tofile(f)
    print(json.dumps(summary(sample, elapsed)))


# -- the trivial server ----------------------------------------------------------------------


def trivial_response(body_bytes: int) -> bytes:
    """A 200 with a JSON body of `body_bytes` (at least 12) bytes."""
    body = b'{"pad":"' + b"x" * max(0, body_bytes - 10) + b'"}'
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}"
    return head.encode() + b"\r\n\r\n" + body


class Trivial(asyncio.Protocol):
    """Answers each request (a GET without a body: ends at a blank line) with the same bytes."""

    response = trivial_response(16)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, only alike.
        self.transport = cast(asyncio.WriteTransport, transport)
        self.pending = b""

    def data_received(self, data: bytes) -> None:
        self.pending += data
        count = self.pending.count(b"\r\n\r\n")
        if count:
            self.pending = self.pending[self.pending.rfind(b"\r\n\r\n") + 4 :]
            self.transport.write(self.response * count)


async def trivial_server(port: int, body_bytes: int) -> None:
    Trivial.response = trivial_response(body_bytes)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Trivial, HOST, port)
    async with server:
        await server.serve_forever()


def event_loop_runner() -> Any:
    """uvloop's runner where it is installed (as the servers use), else asyncio's."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run
    return uvloop.run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    runs = commands.add_parser("run", help="load a server, print a JSON summary")
    runs.add_argument("--port", type=int, required=True)
    runs.add_argument("--paths", required=True, help="a JSON file: a list of request paths")
    runs.add_argument("--seconds", type=float, default=10.0)
    runs.add_argument("--warmup", type=float, default=2.0)
    runs.add_argument("--connections", type=int, default=32)
    runs.add_argument("--latencies", help="also write every latency (ns, int64) to this file")
    trivial = commands.add_parser("trivial-server", help="serve one fixed response")
    trivial.add_argument("--port", type=int, required=True)
    trivial.add_argument("--body-bytes", type=int, default=16, help="size of the JSON body")
    args = parser.parse_args(argv)
    runner = event_loop_runner()
    if args.command == "trivial-server":
        runner(trivial_server(args.port, args.body_bytes))
        return
    with open(args.paths, encoding="utf-8") as f:
        paths = json.load(f)
    if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
        sys.exit(f"{args.paths}: expected a non-empty JSON list of paths")
    runner(run(args.port, paths, args.seconds, args.warmup, args.connections, args.latencies))


if __name__ == "__main__":
    main()
