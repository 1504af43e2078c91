"""`casework build`: the static site from the store, in parallel, incrementally, atomically.

1. Ask the store for every published record's current revision hash (cheap). When neither
   those nor the collections, config, templates nor casework's version changed since the last
   build, stop: nothing is written.
2. Cards (the little of a record other pages show) come from the state for unchanged records;
   changed records are loaded and carded. Pages are planned from cards; each page's key is a
   hash of its context, each record page's the hash of its revision and its related titles.
3. A new build directory gets hard links for files whose key did not change and freshly
   rendered files for the rest — rendered over all cores by forked workers that inherit the
   loaded records (nothing large is pickled). Data files, feeds and the search index are
   written in the main process meanwhile.
4. The state is saved, then the new directory swapped in (publish/output.py).

Only published records are ever read: the store is asked for `Status.published` everywhere,
so a draft cannot reach any output byte.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from hashlib import blake2b
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from casework.model import Collection, Record, Site, Status
from casework.publish.output import Output
from casework.publish.state import BuildState
from casework.store.base import RecordVersion, Store

# What a build renders with is imported when there is something to render: a build that
# finds nothing changed is over before these would have loaded (a third of its time).
if TYPE_CHECKING:
    from casework.publish.plan import Page
    from casework.publish.search_index import SearchDoc

# Files whose content depends on every published record: rewritten when any changes.
DATASET_KEY = "dataset"
CHUNK = 64
TICK = 256

Progress = Callable[[int], None]


@dataclass
class BuildReport:
    out: Path
    changed: bool
    records: int = 0
    pages_written: int = 0
    files_linked: int = 0
    files_total: int = 0
    records_loaded: int = 0
    removed: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def fingerprint(*parts: Any) -> str:
    return blake2b(orjson.dumps(parts, option=orjson.OPT_SORT_KEYS), digest_size=16).hexdigest()


def template_salt(site: Site) -> str:
    """Changes when anything every page depends on changes: casework, templates, assets, config."""
    h = blake2b(digest_size=16)
    h.update(metadata.version("casework").encode())
    h.update(site.model_dump_json().encode())
    root = resources.files("casework.render")
    for folder in ("templates", "static"):
        for item in sorted(root.joinpath(folder).iterdir(), key=lambda p: p.name):
            if item.is_file():
                h.update(item.name.encode())
                h.update(item.read_bytes())
    return h.hexdigest()


def static_files() -> Iterator[tuple[str, bytes]]:
    for item in sorted(
        resources.files("casework.render").joinpath("static").iterdir(), key=lambda p: p.name
    ):
        if item.is_file():
            yield f"static/{item.name}", item.read_bytes()


# --- workers ------------------------------------------------------------------------------
# Set in the parent before the pool forks; the workers inherit them without pickling.
_JOB: dict[str, Any] = {}


def _write(root: Path, relative: str, data: str | bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


def _render_records(slugs: list[str]) -> list[SearchDoc]:
    from casework.publish.search_index import search_document
    from casework.render import pages as render

    job = _JOB
    site, shared, root = job["site"], job["shared"], job["root"]
    docs = []
    for slug in slugs:
        record: Record = job["records"][slug]
        if slug in job["page_todo"]:
            _write(
                root,
                f"incident/{slug}/index.html",
                render.record_page(record, site, shared, job["related"][slug]),
            )
        if slug in job["json_todo"]:
            _write(
                root, f"incident/{slug}.json", render.record_json(record, site, job["generated_at"])
            )
        if slug in job["doc_todo"]:
            docs.append(search_document(record, site))
    return docs


def _render_pages(indices: list[int]) -> int:
    from casework.render import pages as render

    job = _JOB
    for i in indices:
        page: Page = job["pages"][i]
        html = render.render_page(page.template, page.path, page.context, job["shared"])
        _write(job["root"], page.path, html)
    return len(indices)


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


# --- the build ----------------------------------------------------------------------------
def build_site(
    store: Store,
    site: Site,
    out: Path,
    *,
    workers: int | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> BuildReport:
    """Build (or bring up to date) the static site at `out`. `progress(stage, total)` starts
    a stage; `progress("", n)` advances it by n."""
    import time

    started = time.perf_counter()
    tick = progress or (lambda stage, n: None)
    # A build holds every record it reads (hundreds of thousands of small objects) and
    # frees little until it ends: the cyclic collector's passes over that growing heap
    # cost a third of the reading, and in forked workers they touch (and so copy) every
    # page the parent shared. Reference counting still frees what it can.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build_site(store, site, out, workers=workers, tick=tick, started=started)
    finally:
        if collecting:
            gc.enable()


def _build_site(
    store: Store,
    site: Site,
    out: Path,
    *,
    workers: int | None,
    tick: Callable[[str, int], None],
    started: float,
) -> BuildReport:
    import time

    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = round(now - since, 3)
        return now

    output = Output(out)
    output.check()
    versions = store.versions(status=Status.published)
    collections = store.collections()
    salt = template_salt(site)
    inputs = fingerprint(
        salt,
        [(slug, v.hash) for slug, v in versions.items()],
        [c.model_dump() for c in collections],
    )
    current = output.current()
    state = BuildState(output.builds / "state.sqlite")
    try:
        valid = current is not None and state.meta("build") == current.name
        if valid and state.meta("inputs") == inputs:
            return BuildReport(
                output.out,
                changed=False,
                records=len(versions),
                seconds=time.perf_counter() - started,
            )
        previous = state.files() if valid else {}
        cached = state.cards({s: v.hash for s, v in versions.items()}) if valid else {}
        t = lap("inputs", started)
        report = _build(
            store,
            site,
            output,
            current if valid else None,
            versions,
            collections,
            salt,
            previous,
            cached,
            tick,
            workers,
            timings,
        )
        t = lap("build", t)
        state.save(
            report.pop("build"),
            report.pop("files"),
            report.pop("cards"),
            published=set(versions),
            full=not valid,
        )
        with state.db:
            state.db.execute(
                "INSERT OR REPLACE INTO meta (name, value) VALUES ('inputs', ?)", (inputs,)
            )
        partial: Path = report.pop("partial")
        output.swap_in(partial)
        lap("swap", t)
    finally:
        state.close()
    return BuildReport(
        output.out,
        changed=True,
        records=len(versions),
        seconds=time.perf_counter() - started,
        timings=timings,
        **report,
    )


def _build(
    store: Store,
    site: Site,
    output: Output,
    current: Path | None,
    versions: dict[str, RecordVersion],
    collections: list[Collection],
    salt: str,
    previous: dict[str, str],
    cached: dict[str, dict[str, Any]],
    tick: Callable[[str, int], None],
    workers: int | None,
    timings: dict[str, float],
) -> dict[str, Any]:
    import time

    from casework.formats import format_generated_at
    from casework.publish.cards import card_of
    from casework.publish.plan import plan_pages
    from casework.publish.search_index import write_search_index
    from casework.render import pages as render

    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 3)
        clock[0] = now

    generated_at = format_generated_at(datetime.now(UTC))
    dataset_key = fingerprint(
        salt, [(s, v.hash) for s, v in versions.items()], [c.model_dump() for c in collections]
    )
    dataset_changed = previous.get(DATASET_KEY) != dataset_key

    # Records are read when they have no cached card, when the dataset files must be
    # rewritten (they hold every record), or when their own page or JSON must be.
    records: dict[str, Record] = {}
    need = set(versions) if dataset_changed else {s for s in versions if s not in cached}
    _load(store, need, records, len(versions), tick)
    # slug → {"card": the card, "search": its search document, once made}
    cards: dict[str, dict[str, Any]] = {
        slug: cached[slug] if slug in cached else {"card": card_of(records[slug])}
        for slug in versions
    }
    related = {
        slug: [
            (other, cards[other]["card"]["title"], cards[other]["card"]["date"])
            for other in cards[slug]["card"]["related"]
            if other in versions
        ]
        for slug in versions
    }
    files: dict[str, str] = {}
    for slug, version in versions.items():
        files[f"incident/{slug}/index.html"] = fingerprint(salt, version.hash, related[slug])
        files[f"incident/{slug}.json"] = fingerprint(salt, version.hash)
    stale = {
        path.split("/")[1].removesuffix(".json")
        for path, key in files.items()
        if previous.get(path) != key
    }
    _load(store, stale - records.keys(), records, len(versions), tick)
    lap("load")

    pages = plan_pages({s: c["card"] for s, c in cards.items()}, site, collections)
    for page in pages:
        files[page.path] = page.key(salt)
    static = dict(static_files())
    for path, data in static.items():
        files[path] = fingerprint(salt, blake2b(data).hexdigest())
    if not dataset_changed:
        files |= {p: k for p, k in previous.items() if k == dataset_key and p != DATASET_KEY}
    lap("plan")
    partial = output.new_build()
    root = partial
    linked = 0
    todo = {path for path, key in files.items() if previous.get(path) != key}
    if current is not None:
        keep = sorted(files.keys() - todo)
        # Every folder once, in path order (parents first), then plain links: a failed link
        # followed by a mkdir per file cost a third of an incremental build.
        for folder in sorted({os.path.dirname(path) for path in keep} - {""}):
            os.makedirs(root / folder, exist_ok=True)
        root_fd = os.open(root, os.O_RDONLY)
        current_fd = os.open(current, os.O_RDONLY)
        try:
            for path in keep:
                try:
                    os.link(path, path, src_dir_fd=current_fd, dst_dir_fd=root_fd)
                except FileNotFoundError:
                    todo.add(path)  # gone from the previous build: write it again
                    continue
                linked += 1
        finally:
            os.close(root_fd)
            os.close(current_fd)
    else:
        todo = set(files)

    lap("link")
    for path, data in static.items():
        if path in todo:
            _write(root, path, data)
    shared = render.common(site)
    # Search documents are kept with the cards: only new or changed records are tokenized.
    docs: list[SearchDoc] = []
    if dataset_changed:
        docs = [doc_from_state(cards[s]["search"]) for s in versions if "search" in cards[s]]
    doc_todo = {s for s in versions if "search" not in cards[s]} if dataset_changed else set()
    page_todo = {s for s in versions if f"incident/{s}/index.html" in todo}
    json_todo = {s for s in versions if f"incident/{s}.json" in todo}
    record_slugs = sorted(page_todo | json_todo | doc_todo)
    page_indices = [i for i, page in enumerate(pages) if page.path in todo]
    _JOB.update(
        site=site,
        shared=shared,
        root=root,
        records=records,
        related=related,
        page_todo=page_todo,
        json_todo=json_todo,
        generated_at=generated_at,
        doc_todo=doc_todo,
        pages=pages,
    )
    # Unchanged dataset files were linked above; their paths are kept in the state.
    dataset_paths = [p for p, k in previous.items() if k == dataset_key and p != DATASET_KEY]
    work = len(record_slugs) + len(page_indices)
    tick("Rendering pages", work)
    processes = workers if workers is not None else (os.cpu_count() or 1)
    try:
        if work > 200 and processes > 1 and "fork" in multiprocessing.get_all_start_methods():
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                record_jobs = pool.imap(_render_records, _chunks(record_slugs, CHUNK))
                page_jobs = pool.imap_unordered(_render_pages, _chunks(page_indices, CHUNK))
                if dataset_changed:
                    dataset_paths = _write_dataset(
                        root, site, versions, records, collections, generated_at
                    )
                    lap("dataset (beside the workers)")
                for chunk_docs in record_jobs:
                    docs.extend(chunk_docs)
                    tick("", len(chunk_docs) or CHUNK)
                for n in page_jobs:
                    tick("", n)
        else:
            if dataset_changed:
                dataset_paths = _write_dataset(
                    root, site, versions, records, collections, generated_at
                )
            docs += _render_records(record_slugs)
            _render_pages(page_indices)
            tick("", work)
    finally:
        _JOB.clear()

    lap("render")
    if dataset_changed:
        index_dir = root / "search" / "index"
        index_dir.mkdir(parents=True, exist_ok=True)
        labels = {n: site.vocabularies.get(n) for n in ("category", "severity")}
        order = {slug: i for i, slug in enumerate(versions)}
        docs.sort(key=lambda d: order[d.slug])
        for doc in docs:
            cards[doc.slug]["search"] = doc_to_state(doc)
        written = write_search_index(docs, index_dir, labels)
        dataset_paths += [p.relative_to(root).as_posix() for p in written]
    lap("search_index")
    files[DATASET_KEY] = dataset_key
    for path in dataset_paths:
        files[path] = dataset_key
    return {
        "build": partial.with_suffix("").name,
        "partial": partial,
        "files": files,
        # Only cards that are new or gained their search document go back to the state.
        "cards": {
            slug: (versions[slug].hash, cards[slug])
            for slug in versions
            if slug not in cached or slug in doc_todo
        },
        "pages_written": len(todo),
        "files_linked": linked,
        "files_total": len(files),
        "records_loaded": len(records),
    }


def doc_to_state(doc: SearchDoc) -> list[Any]:
    terms, weights = doc.terms.packed_text()
    return [doc.slug, doc.title, doc.date, doc.category, doc.severity, list(doc.tags),
            doc.summary, terms, weights.hex()]  # fmt: skip


def doc_from_state(data: list[Any]) -> SearchDoc:
    from casework.publish.search_index import SearchDoc, TermWeights

    slug, title, day, category, severity, tags, summary, terms, weights = data
    return SearchDoc(slug, title, day, category, severity, tuple(tags), summary,
                     TermWeights(terms, bytes.fromhex(weights)))  # fmt: skip


def _load(
    store: Store,
    slugs: set[str],
    records: dict[str, Record],
    total: int,
    tick: Callable[[str, int], None],
) -> None:
    if not slugs:
        return
    tick("Reading records", len(slugs))
    if len(slugs) > total // 4:
        # Progress in steps of TICK: a progress bar's update per record cost 40% of the read.
        done = 0
        for stored in store.iter_records(status=Status.published):
            if stored.record.slug in slugs:
                records[stored.record.slug] = stored.record
                done += 1
                if done % TICK == 0:
                    tick("", TICK)
        tick("", done % TICK)
        return
    for slug in slugs:
        records[slug] = store.get(slug).record
        tick("", 1)


def _write_dataset(
    root: Path,
    site: Site,
    versions: dict[str, RecordVersion],
    records: dict[str, Record],
    collections: list[Collection],
    generated_at: str,
) -> list[str]:
    """Every file that holds all records; returns their paths."""
    from casework.formats import collection_document, dumps
    from casework.publish.datafiles import write_data_files
    from casework.publish.feeds import atom_feed, robots_txt, sitemap_xml

    ordered = [records[slug] for slug in versions]
    written = []
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    files = write_data_files(ordered, site, data, generated_at=generated_at)
    # archive.json is the same bytes as data/records.json: one file, two names.
    os.link(data / "records.json", root / "archive.json")
    written += [f"data/{f.name}" for f in files] + ["data/manifest.json", "archive.json"]
    _write(root, "data/index.html", _data_index(site, files))
    written.append("data/index.html")
    for collection in collections:
        members = [records[slug] for slug in collection.records if slug in records]
        doc = collection_document(collection, members, site, generated_at)
        _write(root, f"collections/{collection.slug}.json", dumps(doc))
        written.append(f"collections/{collection.slug}.json")
    # The feed's own date is its newest entry's, so the same records give the same bytes.
    newest = max((r.last_updated for r in ordered), default=None)
    updated = datetime(*(newest.timetuple()[:3]), tzinfo=UTC) if newest else datetime.now(UTC)
    _write(root, "feed.xml", atom_feed(ordered, site, updated=updated))
    base = site.url
    urls = [(f"{base}/", None), *((f"{base}/incident/{r.slug}/", r.last_updated) for r in ordered)]
    _write(root, "sitemap.xml", sitemap_xml(urls))
    _write(root, "robots.txt", robots_txt(site))
    return [*written, "feed.xml", "sitemap.xml", "robots.txt"]


def _data_index(site: Site, files: list[Any]) -> str:
    from casework.render import pages as render
    from casework.render.templates import environment

    template = environment().get_template("data.html")
    return template.render(
        render.common(site), path="data/index.html", files=[asdict(f) for f in files]
    )
