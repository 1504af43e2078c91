"""What the security and editorial checks cost a request: the same requests, one after another
on one keep-alive connection, against this checkout and against an earlier commit (by default
the last one before them), each serving its own copy of the same tracker.

    .venv/bin/python benchmarks/checks.py [--records 2000] [--requests 400] [--baseline REV]

Both servers run at once and each kind of request alternates between them in rounds, so
that what else the machine does falls on both alike. For each kind of request — a public
record page, a public API read, the editing API's read and save (a published record: the
editing service's permission, disclosure and update-log work), the editor's form page, an
anonymous request to the editor — it prints p50 and p99 in milliseconds for both and their
ratio. The baseline is checked out with `git worktree` into a
temporary folder and run from there with this virtualenv; its tracker is made by its own code
(the two schemas differ). Numbers are per request on one core; the client's own cost (httpx,
~0.2 ms) is in both.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve import free_port

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "c0bf8cd"  # main before issue 12's checks landed
PASSWORD = "benchmark password 1"
console = Console()


def casework(source: Path, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "casework", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(source / "src"), "NO_COLOR": "1"},
    )
    return done.stdout


def make_tracker(source: Path, work: Path, ndjson: Path) -> tuple[Path, str]:
    """A tracker of `ndjson`'s records, published, with an admin and an API token, made by
    the code in `source`. Returns the folder and the token."""
    folder = work / "tracker"
    casework(source, "init", str(folder), "--url", "https://bench.example.org")
    help_text = casework(source, "-t", str(folder), "import", "--help")
    publish = ["--status", "published"] if "--status" in help_text else []
    casework(source, "-t", str(folder), "import", *publish, str(ndjson))
    casework(
        source, "-t", str(folder), "user", "add", "ada", "--role", "admin", "--password-stdin",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    token_help = casework(source, "-t", str(folder), "user", "token", "--help")
    scope = ["--scope", "write"] if "--scope" in token_help else []  # read-only by default
    out = casework(source, "-t", str(folder), "user", "token", "ada", "--name", "bench", *scope)
    token = re.search(r"cw_[A-Za-z0-9_-]+", out)
    assert token, out
    return folder, token.group()


@contextmanager
def serving(source: Path, folder: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "casework", "-t", str(folder), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(source / "src")},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(base + "/api/stats", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the server from {source} did not start")
        time.sleep(0.2)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def sign_in(client: httpx.Client) -> None:
    page = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    answer = client.post(
        "/login", data={"username": "ada", "password": PASSWORD, "csrf": csrf.group(1)}
    )
    assert answer.status_code == 303, answer.text[:200]


ROUNDS = 8  # each kind of request alternates between the two servers this many times


class Target:
    """One server under test: its clients (token, session, anonymous) and its samples."""

    def __init__(self, base: str, token: str) -> None:
        self.bearer = {"Authorization": f"Bearer {token}"}
        self.client = httpx.Client(base_url=base, timeout=30)
        self.session = httpx.Client(base_url=base, timeout=30)
        sign_in(self.session)
        self.anonymous = httpx.Client(base_url=base, timeout=30)
        self.samples: dict[str, list[float]] = {}

    def requests(self, slug: Callable[[int], str]) -> dict[str, Callable[[int], httpx.Response]]:
        def save(i: int) -> httpx.Response:
            read = self.client.get(f"/api/records/{slug(i)}", headers=self.bearer).json()
            record = read["record"]
            record["summary"] = f"{record['summary'].split(' [edit')[0]} [edit {i}]"
            body = {"record": record, "baseRevision": read["revision"], "message": "bench"}
            return self.client.put(f"/api/records/{slug(i)}", json=body, headers=self.bearer)

        return {
            "public record page": lambda i: self.client.get(f"/incident/{slug(i)}/"),
            "public API record": lambda i: self.client.get(f"/api/incidents/{slug(i)}"),
            "editing API read": lambda i: self.client.get(
                f"/api/records/{slug(i)}", headers=self.bearer
            ),
            # A save costs a read too: the read's own time is subtracted when printed.
            "editing API save (+ read)": save,
            "anonymous editor page": lambda i: self.anonymous.get(f"/edit/{slug(i)}/"),
            "editor form page": lambda i: self.session.get(f"/edit/{slug(i)}/"),
        }

    def close(self) -> None:
        for client in (self.client, self.session, self.anonymous):
            client.close()


def timed(start: int, count: int, request: Callable[[int], httpx.Response]) -> list[float]:
    """Milliseconds of `count` requests (numbered from `start`)."""
    times = []
    for i in range(start, start + count):
        begun = time.perf_counter()
        answer = request(i)
        times.append((time.perf_counter() - begun) * 1000)
        assert answer.status_code < 400 or answer.status_code == 404, (
            answer.status_code,
            answer.text[:200],
        )
    return times


def measure(targets: dict[str, Target], slugs: list[str], count: int) -> None:
    """Each kind of request, in ROUNDS rounds that alternate between the targets (so that
    whatever else the machine does falls on both alike), after a warm-up of each."""

    def slug(i: int) -> str:
        return slugs[i % len(slugs)]

    kinds = {name: target.requests(slug) for name, target in targets.items()}
    for kind in next(iter(kinds.values())):
        share = count // 4 if "save" in kind or "form" in kind else count
        per_round = max(1, share // ROUNDS)
        for name in targets:
            timed(0, max(1, per_round // 2), kinds[name][kind])  # warm-up, not counted
        for round_ in range(ROUNDS):
            order = list(targets) if round_ % 2 == 0 else list(reversed(targets))
            for name in order:
                sample = timed(round_ * per_round, per_round, kinds[name][kind])
                targets[name].samples.setdefault(kind, []).extend(sample)


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--baseline", default=BASELINE, help="the commit to compare with")
    args = parser.parse_args(argv)
    from datasets import examples_ndjson

    ndjson = examples_ndjson(args.records)
    slugs = [json.loads(line)["slug"] for line in ndjson.open(encoding="utf-8")][:200]
    with tempfile.TemporaryDirectory(prefix="casework-checks-") as temporary:
        work = Path(temporary)
        old = work / "baseline"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), args.baseline],
            check=True, capture_output=True,
        )  # fmt: skip
        try:
            folders = {}
            for name, source in (("before", old), ("now", ROOT)):
                console.print(f"[bold]{name}[/bold]: tracker of {args.records:,} records …")
                (work / name).mkdir()
                folders[name] = (source, *make_tracker(source, work / name, ndjson))
            with (
                serving(folders["before"][0], folders["before"][1]) as before,
                serving(folders["now"][0], folders["now"][1]) as now,
            ):
                targets = {
                    "before": Target(before, folders["before"][2]),
                    "now": Target(now, folders["now"][2]),
                }
                measure(targets, slugs, args.requests)
                figures = {name: target.samples for name, target in targets.items()}
                for target in targets.values():
                    target.close()
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                check=False,
                capture_output=True,
            )
    table = Table(
        title=f"Per request, ms (before = {args.baseline}; one keep-alive connection each; "
        f"{ROUNDS} rounds alternating between the two servers)"
    )
    for column in ("request", "before p50", "before p99", "now p50", "now p99", "p50 now/before"):
        table.add_column(column, justify="right" if column != "request" else "left")
    for kind in figures["now"]:
        before, now = figures["before"][kind], figures["now"][kind]
        if kind.startswith("editing API save"):
            # The save's own cost: its read measured on its own subtracted.
            read_b = statistics.median(figures["before"]["editing API read"])
            read_n = statistics.median(figures["now"]["editing API read"])
            before = [t - read_b for t in before]
            now = [t - read_n for t in now]
            kind = "editing API save"
        table.add_row(
            kind,
            f"{p(before, 0.5):.2f}", f"{p(before, 0.99):.2f}",
            f"{p(now, 0.5):.2f}", f"{p(now, 0.99):.2f}",
            f"{p(now, 0.5) / p(before, 0.5):.2f}×",
        )  # fmt: skip
    console.print(table)


if __name__ == "__main__":
    main()
