"""`casework build`: the static site from the store, in parallel, incrementally, atomically.

1. Ask the store for every published record's current revision hash (cheap), and for the
   slugs it holds unpublished. When neither those hashes, the collections, the unpublished
   slugs that the built records name as related, the config, the templates nor casework's
   version changed since the last build, stop: nothing is written.
2. Otherwise the records whose public form changed are read; every other record's card (the
   little of a record other pages show) and share of the data files are the state's, kept by
   the last build under the same key (publish/state.py KeptRecord). The data files, sitemap and
   search index are rewritten from them. Pages are planned from cards; each page's key is a
   hash of its context, each record page's the hash of its revision and its related titles,
   each record JSON's the hash of its revision and of the related slugs its public form leaves
   out, the feed's the hash of its entries' JSON keys.
3. The other of the two trees (publish/output.py: the previous build's) is brought up to date:
   files whose key it already holds are left alone, those the site holds at the key are
   hard-linked from it, the rest rendered afresh — over all cores by forked workers that
   inherit the loaded records (nothing large is pickled), while the main process writes the
   data files — and files the build no longer has are removed. A written file whose bytes
   equal the site's is replaced by a link to the site's: what a build writes is what changed.
   Search documents of unchanged records come from the state: only changed ones are tokenized.
4. The state is saved, then the tree swapped in (publish/output.py); after a build from
   scratch, its twin (`_make_twin`) is made for the next build to write into. The build it
   replaces is kept for rollback only when everything it shows is still public: when a record
   it holds has been unpublished since, a slug it names as related is now a record held
   unpublished, or a version it holds has been withdrawn since (casework.evidence.withdrawals),
   it is removed (a rollback would publish it again).

Records are read only through the public view (publish/public_view.py): published records,
each as the public may see it, so that no draft, record in review or unpublished record
reaches any output byte, not even as a related slug.
"""

from __future__ import annotations

import contextlib
import contextvars
import gc
import heapq
import multiprocessing
import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from hashlib import blake2b
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from casework import search_words
from casework.evidence.published import PublicLog, Version
from casework.model import Collection, Record, Site
from casework.model.places import using_place_names
from casework.publish.map_points import MAP_POINTS_NAME
from casework.publish.output import Output
from casework.publish.public_view import PublicRecord, PublicView, public_view
from casework.publish.sitemap import SITEMAP_URLS
from casework.publish.state import (
    UNTRACKED,
    BuildRelated,
    BuildState,
    KeptRecord,
    Layout,
    RecordShares,
)
from casework.store.base import RecordVersion, Store

# What a build renders with is imported when there is something to render: a build that
# finds nothing changed is over before these would have loaded (a third of its time).
if TYPE_CHECKING:
    from casework.evidence.captures import Captures
    from casework.publish.datafiles import Spliced
    from casework.publish.plan import Card, Page
    from casework.publish.search_index import SearchDoc
    from casework.store.deletions import Deletion

CHUNK = 64
TICK = 256
FEED_ENTRIES = 50  # publish/feeds.py atom_feed's limit


@dataclass
class BuildReport:
    out: Path
    changed: bool
    records: int = 0
    pages_written: int = 0  # files written (new bytes)
    files_linked: int = 0  # files kept unchanged (left alone, or linked from the site)
    files_total: int = 0
    # Records read from the store because their public form changed (the others' cards and
    # data are the state's; a few more may be read to render a page or the feed).
    records_loaded: int = 0
    # Listing, index, home... pages planned (publish/plan.py): an edit plans those of the
    # units its records are in, and keeps the last plan's keys for the rest.
    pages_planned: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    # Records and related slugs the replaced build shows that are no longer public: when not
    # 0, that build was removed rather than kept for rollback.
    withdrawn: int = 0
    # How the data files were made from the site's (publish/datafiles.py Spliced); None when
    # they were written whole.
    spliced: Spliced | None = None


def fingerprint(*parts: Any) -> str:
    return blake2b(orjson.dumps(parts, option=orjson.OPT_SORT_KEYS), digest_size=16).hexdigest()


def template_salt(site: Site, static: dict[str, bytes]) -> str:
    """Changes when anything every page depends on changes: casework, templates, assets, config."""
    h = blake2b(digest_size=16)
    h.update(metadata.version("casework").encode())
    h.update(site.model_dump_json().encode())
    templates = resources.files("casework.render").joinpath("templates")
    for item in sorted(templates.iterdir(), key=lambda p: p.name):
        if item.is_file():
            h.update(item.name.encode())
            h.update(item.read_bytes())
    for path, data in static.items():
        h.update(path.encode())
        h.update(data)
    return h.hexdigest()


def static_files() -> dict[str, bytes]:
    """The site's assets: output path → bytes."""
    folder = resources.files("casework.render").joinpath("static")
    return {
        f"static/{item.name}": item.read_bytes()
        for item in sorted(folder.iterdir(), key=lambda p: p.name)
        if item.is_file()
    }


def build_time() -> datetime:
    """Now — or, when SOURCE_DATE_EPOCH is set (reproducible-builds.org), that moment: two
    builds of the same records then write the same bytes (generatedAt), which is how an
    incremental build is checked against a build from scratch."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)


class Laps:
    """Seconds per stage of a build, for --verbose."""

    def __init__(self, started: float) -> None:
        self.timings: dict[str, float] = {}
        self._last = started

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self._last, 3)
        self._last = now


# --- workers ------------------------------------------------------------------------------
# Set in the parent before the pool forks; the workers inherit them without pickling.
_JOB: dict[str, Any] = {}


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC


def _make_folder(path: str) -> None:
    """`os.makedirs(path, exist_ok=True)` in one mkdir when its parent exists (the usual
    case): makedirs asks first whether the parent exists, a stat per folder (34,500 folders
    in a 10,000-record site, twice: the tree and its twin)."""
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)


def _write(root: Path, relative: str, data: str | bytes, *, new_folder: bool = False) -> None:
    # A new file each time (O_EXCL), never written in place: the tree's file may be a hard
    # link to the site's. Its folder is made, and an old file removed, only when the open
    # says so: a mkdir and an unlink before every file were a fifth of a full build's CPU.
    # `new_folder`: the file is the first its folder gets in a full build (a record's page,
    # a listing's page): the folder is made first, not after a failed open.
    path = os.path.join(root, relative)
    body = data.encode() if isinstance(data, str) else data
    if new_folder:
        _make_folder(os.path.dirname(path))
    try:
        fd = os.open(path, _NEW_FILE, 0o666)
    except FileNotFoundError:
        _make_folder(os.path.dirname(path))
        fd = os.open(path, _NEW_FILE, 0o666)
    except FileExistsError:
        os.unlink(path)
        fd = os.open(path, _NEW_FILE, 0o666)
    try:
        written = os.write(fd, body)
        while written < len(body):  # a short write (a signal): the rest
            written += os.write(fd, memoryview(body)[written:])
    finally:
        os.close(fd)


def _die_with(parent: int) -> None:
    """A render worker's start: on Linux, killed when the build process dies (a killed build's
    workers otherwise finish their chunk, writing into a build folder the next build has
    already set aside, and leave it behind)."""
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build died before the line above
        os._exit(1)


class _Spill:
    """The records a build read, pickled into an unlinked file beside its trees (on disk, not
    in any process's memory): the render workers, forked, read back their own by `pread`.
    Held as objects (48 KiB a record) the records were the parent's largest part, and the
    workers, touching them, copied the memory pages they sit in."""

    def __init__(self, folder: Path) -> None:
        self.file = tempfile.TemporaryFile(dir=folder)
        self.size = 0

    def add(self, record: Record) -> tuple[int, int]:
        """Where `record` is now (offset, length)."""
        data = pickle.dumps(record, pickle.HIGHEST_PROTOCOL)
        self.file.write(data)
        self.size += len(data)
        return self.size - len(data), len(data)

    def ready(self) -> int:
        """The file's descriptor, everything written (before the workers fork: a buffer
        left unwritten would be written again by each)."""
        self.file.flush()
        return self.file.fileno()


def _record(found: Record | tuple[int, int], spill: int) -> Record:
    """A record the build holds: where `_Spill` put it (read from the descriptor `spill`),
    or the record itself (read later, one of a few)."""
    if not isinstance(found, tuple):
        return found
    at, size = found
    # The bytes are this build's own, pickled by `_Spill.add`: nothing from outside.
    record: Record = pickle.loads(os.pread(spill, size, at))  # noqa: S301
    return record


def _render_records(slugs: list[str]) -> list[SearchDoc]:
    from casework.publish.search_index import search_document
    from casework.render import pages as render

    job = _JOB
    site, shared, root = job["site"], job["shared"], job["root"]
    docs = []
    for slug in slugs:
        record = _record(job["records"][slug], job["spill"])
        if slug in job["page_todo"]:
            _write(
                root,
                f"incident/{slug}/index.html",
                render.record_page(
                    record, site, shared, job["related"][slug], job["versions"].get(slug)
                ),
                new_folder=True,
            )
        if slug in job["json_todo"]:
            _write(
                root, f"incident/{slug}.json", render.record_json(record, site, job["generated_at"])
            )
        _write_own_versions(root, slug, record, job)
        if slug in job["doc_todo"]:
            docs.append(search_document(record, site))
    return docs


def _render_pages(indices: list[int]) -> int:
    from casework.render import pages as render

    job = _JOB
    for i in indices:
        page: Page = job["pages"][i]
        html = render.render_page(page.template, page.path, page.context, job["shared"])
        _write(job["root"], page.path, html, new_folder=True)  # a page is its folder's first
    return len(indices)


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


# --- the build ----------------------------------------------------------------------------
def build_site(
    store: Store | PublicView,
    site: Site,
    out: Path,
    *,
    workers: int | None = None,
    progress: Callable[[str, int], None] | None = None,
    tracker: Path | None = None,
    sitemap_limit: int = SITEMAP_URLS,
    quick: str | None = None,
) -> BuildReport:
    """Build (or bring up to date) the static site at `out` from the published records of
    `store` (read through its public view). `progress(stage, total)` starts a stage;
    `progress("", n)` advances it by n. With `tracker` (the tracker folder, holding its
    signing key), the build signs a checkpoint of the revision log and publishes it
    (`casework.evidence.checkpoint`); every build publishes the records' versions.
    `sitemap_limit`: URLs per sitemap file, past which sitemap.xml is an index
    (publish/sitemap.py; the protocol's 50,000 unless a test asks for fewer). `quick`: the
    fingerprint publish/quick.py took of the tracker before the store was opened, kept in the
    state for the next build to compare."""
    started = time.perf_counter()
    tick = progress or (lambda stage, n: None)
    # A build holds every record it reads (hundreds of thousands of small objects) and
    # frees little until it ends: the cyclic collector's passes over that growing heap
    # cost a third of the reading, and in forked workers they touch (and so copy) every
    # page the parent shared. Reference counting still frees what it can.
    collecting = gc.isenabled()
    gc.disable()
    try:
        view = public_view(store)
        # The index is stemmed in the store's language, and places are named as the tracker
        # names them (its workers fork inside this block).
        with search_words.using(view.language), using_place_names(site.place_names):
            return _build_site(
                view, site, out, workers=workers, tick=tick, started=started, tracker=tracker,
                sitemap_limit=sitemap_limit, quick=quick,
            )  # fmt: skip
    finally:
        if collecting:
            gc.enable()


def _inputs(
    salt: str,
    versions: dict[str, RecordVersion],
    collections: list[Collection],
    withheld: set[str] | frozenset[str],
    captures: int,
    gone: list[tuple[str, str, str]],
) -> str:
    """The fingerprint of everything a build's output depends on; `captures` is the captures
    index's newest row (a capture taken since the last build may show on its pages), `gone`
    the tombstones of deleted public records (one unpublished before it was deleted changes
    no published version)."""
    return fingerprint(
        salt,
        [(slug, v.hash) for slug, v in versions.items()],
        [c.model_dump() for c in collections],
        sorted(withheld),
        captures,
        gone,
    )


def _build_site(
    view: PublicView,
    site: Site,
    out: Path,
    *,
    workers: int | None,
    tick: Callable[[str, int], None],
    started: float,
    tracker: Path | None = None,
    sitemap_limit: int = SITEMAP_URLS,
    quick: str | None = None,
) -> BuildReport:
    lap = Laps(started)
    output = Output(out)
    output.check()
    versions = view.versions()
    collections = view.collections()
    hidden = view.hidden()
    captures = view.captures.newest_id() if view.captures is not None else 0
    gone = sorted((d.slug, d.day, d.reason) for d in view.gone().values())
    static = static_files()
    # A build that signs checkpoints writes files one that does not sign leaves out.
    # So does one whose sitemaps are split at another size.
    salt = fingerprint(
        template_salt(site, static), "versions-1", tracker is not None, sitemap_limit
    )
    current = output.current()
    state = BuildState(output.builds / "state.sqlite")
    try:
        valid = current is not None and state.meta("build") == current.name
        built = state.related() if valid else None
        # The records are those built when their hashes are: then the unpublished slugs they
        # name are those among the slugs they named that are not published.
        if built is not None and state.meta("inputs") == _inputs(
            salt, versions, collections, hidden & built.named, captures, gone
        ):
            if current is not None and state.meta("keep_previous") == "0":
                # A build killed between its swap and its pruning left it behind.
                output.prune(current, keep=None)
                state.set_meta(keep_previous="1")
            if quick and state.meta("quick") != quick:
                # Nothing changed since `quick` was taken: the next build may stop at it.
                state.set_meta(quick=quick, records=str(len(versions)))
            return BuildReport(
                output.out,
                changed=False,
                records=len(versions),
                seconds=time.perf_counter() - started,
            )
        previous = state.files(current.name) if current is not None and valid else {}
        died = bool(state.meta("writing"))  # a build stopped before it saved
        tree, before = _other_tree(output, state, current, valid)
        state.begin_writing(tree.name)
        hashes = {s: v.hash for s, v in versions.items()}
        # Those kept for records unchanged since (whether usable as kept: see _build), not
        # decoded: an edit's index is patched from the changed records' documents alone.
        cached = (
            state.current_search_docs(hashes, DOC_STATE_FIELDS, search_words.language())
            if valid
            else {}
        )
        # The previous documents of records changed or gone since: what the site's search
        # index holds of them (publish/search_index.py updated_index_files).
        stale_docs = state.stale_search_docs(hashes) if valid else None
        kept = state.kept_records() if valid else {}
        # Where each record is in the site's data files: an edit copies those unchanged.
        layout = state.layout() if valid and current is not None else None
        # The pages the build planned, when made with the same salt: an edit re-plans only
        # the units its records are in (publish/plan.py), the rest keep their keys. Not
        # after a build that died writing: it kept the cards it made (keep_records) but not
        # its plan, so a record changed since this plan may look unchanged by its card.
        planned = state.planned() if valid and state.meta("salt") == salt and not died else None
        if planned is not None and not state.sums_kept():
            # Planned by a casework that kept no sums (publish/plan.py): planned whole once,
            # at the same keys, to keep them.
            planned = None
        # What the build being replaced shows that is no longer public: records unpublished
        # since, and slugs it names that are now records held unpublished. Unknown (another
        # version's state), it is assumed to show some.
        withdrawn = (
            len(state.published() - versions.keys()) + len((built.named - built.withheld) & hidden)
            if built is not None
            else int(current is not None)
        )
        lap("inputs")
        report = _build(
            view, site, tree, current if valid else None, versions, collections, salt,
            static, previous, before, cached, tick, workers, lap, tracker, sitemap_limit,
            kept=kept, hidden=hidden, captures=captures, state=state, planned=planned,
            stale_docs=stale_docs, layout=layout,
        )  # fmt: skip
        related: BuildRelated = report.pop("related")
        # A version withdrawn since: the build being replaced still holds its words.
        withdrawn += report.pop("tombstoned")
        state.save(
            report.pop("build"),
            _inputs(salt, versions, collections, related.withheld, captures, gone),
            report.pop("files"),
            before,
            # The tree being replaced is the next build's to write into when the state
            # knows every file it holds (not one an older casework's state described).
            current.name if current is not None and valid and previous else None,
            report.pop("search_docs"),
            published=set(versions),
            full=not valid,
            related=related,
            keep_previous=withdrawn == 0,
            quick=quick or "",
            records=len(versions),
            planned=report.pop("planned"),
            planned_before=planned,
            salt=salt,
            # Every document kept once saved: those made now, and those kept of this form.
            docs_form=f"{DOC_STATE_FIELDS}:{search_words.language()}",
            layout=report.pop("layout"),
            sums=report.pop("sums"),
            sums_of=report.pop("sums_of"),
            charts=report.pop("charts"),
        )
        output.swap_in(tree, keep_previous=withdrawn == 0)
        lap("swap")
        if not state.meta("other"):  # a build from scratch: no tree to bring up next time
            _make_twin(output, state, tree)
            lap("twin")
    finally:
        state.close()
    return BuildReport(
        output.out,
        changed=True,
        records=len(versions),
        seconds=time.perf_counter() - started,
        timings=lap.timings,
        withdrawn=withdrawn,
        **report,
    )


def _make_twin(output: Output, state: BuildState, site: Path) -> None:
    """Give the site just swapped in a twin: a tree of hard links to its files, for the next
    build to write into. Without one (after a full build, or once the previous build was
    removed), the next build, an edit of one record, had to link every file of the site
    itself (20 s at 10,000 records); a build that rewrote every file anyway links them in a
    second or two. The state names the twin only once it is whole: a build killed while
    linking leaves a tree the next one removes."""
    twin = output.new_tree()
    files = state.files(site.name)
    _bring_up(site, twin, files, files, {})
    state.add_twin(site.name, twin.name)


def _other_tree(
    output: Output, state: BuildState, current: Path | None, valid: bool
) -> tuple[Path, dict[str, str]]:
    """The tree this build writes into, and path → key of what it holds: the previous build's
    when the state vouches for it — not one a killed build was writing into, nor one that
    shows what is no longer public — else a new one. Every other tree is removed."""
    name = state.meta("other") if current is not None and valid else None
    if (
        name
        and state.meta("writing") != name
        and state.meta("keep_previous") == "1"
        and (output.builds / name).is_dir()
    ):
        tree = output.builds / name
        output.prune(current or tree, keep=tree)
        return tree, state.files(name)
    if current is not None:
        output.prune(current)
    else:
        output.prune(output.builds / "-")  # nothing is the site: every tree goes
    return output.new_tree(), {}


def _build(
    view: PublicView,
    site: Site,
    root: Path,
    current: Path | None,
    versions: dict[str, RecordVersion],
    collections: list[Collection],
    salt: str,
    static: dict[str, bytes],
    previous: dict[str, str],
    before: dict[str, str],
    cached: dict[str, bool],
    tick: Callable[[str, int], None],
    workers: int | None,
    lap: Laps,
    tracker: Path | None = None,
    sitemap_limit: int = SITEMAP_URLS,
    *,
    kept: dict[str, KeptRecord],
    hidden: frozenset[str],
    captures: int,
    state: BuildState,
    planned: dict[str, tuple[str, str]] | None = None,
    stale_docs: dict[str, Any] | None = None,
    layout: Layout | None = None,
) -> dict[str, Any]:
    from casework.evidence.captures import EXTENSION_KEY, record_urls
    from casework.formats import format_generated_at
    from casework.publish import listing
    from casework.publish.cards import card_of
    from casework.publish.datafiles import BATCH, loads_line, record_data
    from casework.publish.gone import gone_page
    from casework.publish.plan import HOME_SUMS, Page, plan_pages, replan_in_place, unit_of
    from casework.publish.search_index import LABELLED
    from casework.publish.sitemap import sitemap_entries, sitemap_files, sitemap_names
    from casework.render import pages as render

    generated_at = format_generated_at(build_time())
    # A record kept by the last build at the same key (its revision, the related slugs its
    # public form leaves out now, the captures index) is not read: its card and its share of
    # the data files are the state's. The others are read in their public form.
    own: dict[str, tuple[list[str], tuple[str, ...]]] = {}  # slug → (public related, withheld)
    fresh: list[str] = []
    for slug, version in versions.items():
        found = kept.get(slug)
        if found is not None:
            authored = found.about["related"]
            left_out = tuple(other for other in authored if other in hidden)
            if found.key == _record_key(salt, version.hash, left_out, captures):
                own[slug] = ([o for o in authored if o not in hidden], left_out)
                continue
        fresh.append(slug)
    # Each record read is made into what the build keeps of it (its card, `about`, its shares
    # of the data files, kept in the state a batch at a time) and pickled into the spill file
    # the render workers read it back from (`_Spill`): the build holds no record object past
    # its batch.
    records: dict[str, Record | tuple[int, int]] = {}
    spill = _Spill(root.parent)
    made: dict[str, Card] = {}
    about: dict[str, dict[str, Any]] = {}
    batch: list[PublicRecord] = []

    def keep(batch: list[PublicRecord]) -> None:
        shares = record_data([public.record for public in batch], site)
        state.keep_records(
            (
                public.slug,
                KeptRecord(
                    _record_key(salt, versions[public.slug].hash, public.withheld, captures),
                    made[public.slug],
                    about[public.slug],
                ),
                share,
            )
            for public, share in zip(batch, shares, strict=True)
        )
        batch.clear()

    for public in _load(view, fresh, tick, every=len(fresh) == len(versions)):
        slug, record = public.slug, public.record
        own[slug] = (list(record.related_incidents), public.withheld)
        made[slug] = card_of(record)
        about[slug] = {
            "related": list(public.named_in_order()),
            "captured": (record.model_extra or {}).get(EXTENSION_KEY, []),
            "cited": record_urls(record),
        }
        records[slug] = spill.add(record)
        batch.append(public)
        if len(batch) == BATCH:
            keep(batch)
    if batch:
        keep(batch)
    spilled = spill.ready()
    loaded = [slug for slug in fresh if slug in made]
    made = {slug: made[slug] for slug in loaded}
    for gone in [slug for slug in fresh if slug not in made]:
        # Unpublished between reading the versions and reading the records: it is not
        # public any more, so this build leaves it out (and records it as absent).
        del versions[gone]
    withheld = {slug: left_out for slug, (_, left_out) in own.items() if left_out}
    # The kept cards are decoded when a page being planned shows them; what other pages,
    # the sitemap and the feed need of every card is its head (title, date, lastUpdated).
    cards = Cards(made, kept, versions)
    heads = {
        slug: (card["title"], card["date"], card["lastUpdated"])
        if (card := made.get(slug)) is not None
        else kept[slug].head
        for slug in versions
    }
    related = {
        slug: [(other, *heads[other][:2]) for other in own[slug][0] if other in versions]
        for slug in versions
    }
    abouts = {slug: about[slug] if slug in about else kept[slug].about for slug in versions}
    files: dict[str, str] = {}
    captured: dict[str, list[dict[str, Any]]] = {}  # slug → its `captures` key
    for slug in versions:
        if listed := abouts[slug]["captured"]:
            captured[slug] = listed
    for slug, version in versions.items():
        # A record's page and JSON show its captures: taken since, they are written again.
        shown = captured.get(slug, ())
        files[f"incident/{slug}/index.html"] = fingerprint(salt, version.hash, related[slug], shown)
        # Its public form also depends on which related records are held unpublished.
        files[f"incident/{slug}.json"] = fingerprint(
            salt, version.hash, withheld.get(slug, ()), shown
        )
    kept_files = _capture_files(captured)
    for path, sha256 in kept_files.items():
        files[path] = fingerprint(salt, path, sha256)  # content-addressed: never changes
    # Read after the records: the log holds at least every version they are at.
    log = view.public_log()
    if log is not None:
        for slug in versions:
            for v in log.versions.get(slug, []):
                files[version_path(v)] = _version_key(salt, v)
            files[f"incident/{slug}/history.json"] = fingerprint(
                salt,
                [
                    (v.version, v.leaf) if v.withdrawn is None else (v.version, v.leaf, "withdrawn")
                    for v in log.versions.get(slug, [])
                ],
            )
    # Renamed records' public old slugs: their versions and history stay where readers cited
    # them, their page is a moved page and their JSON a small redirect document.
    moved = {} if log is None else {o: n for o, n in view.moved().items() if n in versions}
    for old_slug, new_slug in moved.items():
        _kept_history(files, salt, "moved", old_slug, log)
        files[f"incident/{old_slug}.json"] = fingerprint(salt, "moved", old_slug, new_slug)
    # Deleted records that were public: their page and JSON are tombstones (publish/gone.py),
    # their history and versions (withdrawn by the deletion) stay where readers cited them.
    deleted = {} if log is None else view.gone()
    for slug, deletion in deleted.items():
        _kept_history(files, salt, "gone", slug, log)
        said = (deletion.day, deletion.reason)
        files[f"incident/{slug}.json"] = fingerprint(salt, "gone", slug, *said)
    lap("load")

    # With the last build's plan, only the units (publish/plan.py) a changed card was or is
    # in are planned again: the other units' pages are as that plan has them.
    # Of a paginated unit whose records changed in place (their row alone), only the pages
    # showing them are planned again.
    # When every changed card changed in place and no record came or went, only the pages
    # showing them are planned, from the sums the state keeps (publish/plan.py Sums).
    sums: dict[tuple[str, str], Any] = {}
    sums_of: set[tuple[str, str]] | None = None
    changed = None if planned is None else _changed_in_place(made, kept, versions)
    pages = None
    if changed is not None:
        sums = state.sums(_units_showing(changed, site))
        pages = replan_in_place(changed, cards, site, collections, sums)
        sums, sums_of = {HOME_SUMS: sums[HOME_SUMS]} if pages is not None else {}, {HOME_SUMS}
    carried = set()
    if pages is not None:
        plan = {p: page for p, page in (planned or {}).items() if not p.startswith("collections/")}
        carried = plan.keys() - {page.path for page in pages}
        plan.update((page.path, (page.template, page.key(salt))) for page in pages)
    else:
        only, within = (None, {}) if planned is None else _touched_units(made, kept, versions, site)
        pages = plan_pages(cards, site, collections, only, within, sums)
        sums_of = None if only is None else only | {HOME_SUMS}
        plan = {page.path: (page.template, page.key(salt)) for page in pages}
        for path, (template, key) in (planned or {}).items():
            unit = unit_of(path, template)
            if (
                unit is not None
                and only is not None
                and (unit not in only or unit in within)
                and path not in plan
            ):
                plan[path] = (template, key)
                carried.add(path)
    # The sitemap's pages, beside the records' (it reads only their paths and templates):
    # its files are keyed by what they list, and written when that changed.
    listed = [*pages, *(Page(path, plan[path][0], {}) for path in carried)]
    updated = {slug: date.fromisoformat(heads[slug][2]) for slug in versions}
    entries = sitemap_entries(site, listed, updated)
    listing_key = fingerprint(salt, "sitemap", entries)
    sitemaps = sitemap_names(len(entries), sitemap_limit)
    for name in sitemaps:
        files[name] = fingerprint(listing_key, name)
    others = [
        Page(
            f"incident/{old_slug}/index.html",
            "moved.html",
            {"to": f"incident/{new_slug}/", "name": heads[new_slug][0]},
        )
        for old_slug, new_slug in moved.items()
    ]
    others += [gone_page(deletion) for deletion in deleted.values()]
    pages += others
    for path, (_, key) in plan.items():
        files[path] = key
    for page in others:
        files[page.path] = page.key(salt)
    # The listings' shared files (publish/listing.py): a shard changes when one of its
    # records' public form does (their JSON's key says when) or its records do.
    shards: dict[int, list[str]] = {n: [] for n in range(listing.SHARDS)}
    for slug in versions:
        shards[listing.shard_of(slug)].append(slug)
    for n, slugs in shards.items():
        key = fingerprint(salt, "listing", n, [(s, files[f"incident/{s}.json"]) for s in slugs])
        files[listing.ROWS_FILE.format(n)] = files[listing.DOCS_FILE.format(n)] = key
    files[listing.MANIFEST_FILE] = fingerprint(salt, listing.MANIFEST_FILE, generated_at)
    # The feed shows the records updated last: it changes when one of them does.
    feed_slugs = latest_slugs(heads, FEED_ENTRIES)
    files["feed.xml"] = fingerprint(
        salt, "feed", [(s, files[f"incident/{s}.json"]) for s in feed_slugs]
    )
    for path, data in static.items():
        files[path] = fingerprint(salt, blake2b(data).hexdigest())
    lap("plan")
    todo = _bring_up(current, root, files, previous, before)
    if todo & carried:
        # A page the plan kept is gone from the site (removed by hand): every page is
        # planned, to render it (at the same keys).
        pages = [*plan_pages(cards, site, collections), *others]
    lap("link")
    # Written again below, never in place: it may be the same inode as the site's. Renamed
    # aside and unlinked on a thread: freeing the data files' ~590 MB (10,000 records) took
    # 0.1-0.3 s of wall time in the kernel, which the rest of the build need not wait for.
    aside = _set_aside(
        root, [p for p, key in before.items() if key == UNTRACKED and p not in files]
    )
    for path, data in static.items():
        if path in todo:
            _write(root, path, data)
    shared = render.common(site)
    # The home page's chart as the last build drew it, when its figures are the same.
    from casework.render import chart

    chart.DRAWN.update(state.charts(salt))
    chart.USED.clear()
    # A doc kept by an older build, or made in another stemming language, is made again.
    usable = {s for s, ok in cached.items() if ok}
    # The changed records' previous documents, to change the site's index rather than make it
    # again (None: not all known); the unchanged records' are read only to make it again.
    old_docs: list[SearchDoc] | None = None
    if stale_docs is not None and len(usable) == len(cached):
        stale = [d for d in stale_docs.values() if len(d) == DOC_STATE_FIELDS]
        if len(stale) == len(stale_docs):
            old_docs = [doc_from_state(d) for d in stale]
    doc_todo = set(versions) - usable
    docs: list[SearchDoc] = []  # the documents made by this build
    page_todo = {s for s in versions if f"incident/{s}/index.html" in todo}
    json_todo = {s for s in versions if f"incident/{s}.json" in todo}
    record_slugs = sorted(page_todo | json_todo | doc_todo)
    histories = {} if log is None else {slug: log.versions.get(slug, []) for slug in versions}
    # The newest version's file is written from the loaded record when that is the version as
    # stored: not when the public view added its sources' captures (a key the store does not
    # hold, outside what the log's leaf covers): those are read back from the store below.
    newest = {
        slug: found[-1]
        for slug, found in histories.items()
        if found
        and found[-1].revision_hash == versions[slug].hash
        and slug not in captured
        and found[-1].withdrawn is None
    }
    # Records whose history or newest version is to be written are rendered too.
    record_slugs = sorted(
        set(record_slugs)
        | {s for s in histories if f"incident/{s}/history.json" in todo}
        | {s for s, v in newest.items() if version_path(v) in todo}
    )
    page_indices = [i for i, page in enumerate(pages) if page.path in todo]
    # Records kept by the state whose own files must be written all the same (a related
    # record's new title on its page, a file lost from the tree) and the feed's: read now.
    wanted = set(record_slugs) | (set(feed_slugs) if "feed.xml" in todo else set())
    if missing := wanted - records.keys():
        extra = view.read(sorted(missing))
        if lost := missing - extra.keys():
            # Unpublished after its versions were read: its pages are planned already.
            raise RuntimeError(
                f"{sorted(lost)[0]}: unpublished while the site was built; build again"
            )
        records.update({slug: public.record for slug, public in extra.items()})
    _JOB.update(
        site=site,
        shared=shared,
        root=root,
        records=records,
        spill=spilled,
        related=related,
        page_todo=page_todo,
        json_todo=json_todo,
        generated_at=generated_at,
        doc_todo=doc_todo,
        pages=pages,
        versions={slug: found[-1].version for slug, found in histories.items() if found},
        histories=histories,
        newest=newest,
        version_todo=todo,
    )
    dataset_job: dict[str, Any] = {
        "order": list(versions),
        "state": state,
        # Each record's key, by which the site's data files hold its share (`layout`).
        "keys": [
            kept[slug].key
            if slug not in made
            else _record_key(salt, versions[slug].hash, withheld.get(slug, ()), captures)
            for slug in versions
        ],
        "previous": None if current is None or layout is None else (current / "data", layout),
        "collections": collections,
        "generated_at": generated_at,
        "feed": [_record(records[s], spilled) for s in feed_slugs] if "feed.xml" in todo else None,
        "log": log,
        "tracker": tracker,
    }
    work = len(record_slugs) + len(page_indices)
    tick("Rendering pages", work)
    processes = workers if workers is not None else (os.cpu_count() or 1)
    beside: _Beside | None = None
    try:
        if work > 200 and processes > 1 and "fork" in multiprocessing.get_all_start_methods():
            with multiprocessing.get_context("fork").Pool(
                processes, initializer=_die_with, initargs=(os.getpid(),)
            ) as pool:
                record_jobs = pool.imap(_render_records, _chunks(record_slugs, CHUNK))
                page_jobs = pool.imap_unordered(_render_pages, _chunks(page_indices, CHUNK))
                dataset, spans, spliced = _write_dataset(root, site, shared, **dataset_job)
                lap("dataset (beside the workers)")
                for chunk_docs in record_jobs:
                    docs.extend(chunk_docs)
                    tick("", len(chunk_docs) or CHUNK)
                for n in page_jobs:
                    tick("", n)
        else:
            # The data files on a thread of their own, beside the rest of the build (their
            # copying and hashing release the GIL), with a connection of their own to the
            # state; the records read kept their shares in it as they were read.
            beside = _Beside(
                _write_dataset, root, site, shared, state_path=state.path, **dataset_job
            )
            docs += _render_records(record_slugs)
            _render_pages(page_indices)
            tick("", work)
    except BaseException:
        if beside is not None:
            beside.wait()
        aside.wait()
        raise
    finally:
        _JOB.clear()
        spill.file.close()
    lap("render")
    try:
        for n, slugs in shards.items():
            if listing.ROWS_FILE.format(n) in todo:
                _write(
                    root,
                    listing.ROWS_FILE.format(n),
                    listing.rows_of_cards([cards[s] for s in slugs], site),
                )
                documents = (
                    (s, csv.decode(), listing.compact(loads_line(line)))
                    for s, (csv, line) in zip(
                        slugs, state.shares(slugs, "csv", "line"), strict=True
                    )
                )
                _write(root, listing.DOCS_FILE.format(n), listing.docs_of(documents))
        if listing.MANIFEST_FILE in todo:
            _write(root, listing.MANIFEST_FILE, listing.manifest_bytes(site, generated_at))
        lap("listing files")
        if todo.intersection(sitemaps):
            for name, body in sitemap_files(site, entries, sitemap_limit).items():
                if name in todo:
                    _write(root, name, body)
        if view.captures is not None:
            cited = {url for slug in versions for url in abouts[slug]["cited"]}
            todo_captures = {p: h for p, h in kept_files.items() if p in todo}
            _write_captures(view.captures, root, todo_captures, cited)
            lap("captures")
        if log is not None:
            _write_versions(
                view, root, log, [*versions, *moved, *deleted], todo, set(newest.values())
            )
            _write_moved(root, site, log, moved, todo)
            _write_gone(root, site, log, deleted, todo)
            lap("versions")

        # The labels search.js shows, in the site's language as the pages show them.
        from casework.render.pages import vocabulary_labels

        labels = {n: vocabulary_labels(site.vocabularies.get(n), site.language) for n in LABELLED}

        def every_doc() -> list[SearchDoc]:
            kept_docs = state.search_docs_of(sorted(usable)).values()
            return [*(doc_from_state(doc) for doc in kept_docs), *docs]

        index_written = _write_search_index(
            root, current, docs, old_docs, every_doc, set(versions), labels, files, previous, before
        )
        lap("search_index")
    except BaseException:
        if beside is not None:
            beside.wait()
        aside.wait()
        raise
    if beside is not None:
        dataset, spans, spliced = beside.result()
        lap("dataset (beside the build)")
    aside.wait()
    for path in dataset:
        files[path] = UNTRACKED
    _remove_stale(root, before.keys() - files.keys())
    written = _share_unchanged(current, root, sorted(todo | set(dataset) | index_written))
    lap("compare")
    named = frozenset().union(*(abouts[slug]["related"] for slug in versions))
    return {
        "related": BuildRelated(
            named=named - versions.keys(), withheld=frozenset().union(*withheld.values())
        ),
        "build": root.name,
        "files": files,
        "layout": Layout(
            list(versions),
            dataset_job["keys"],
            spans,
            # map-points.json's too: an edit reads the unchanged records' points from it.
            {n: (root / "data" / n).stat().st_size for n in [*spans, MAP_POINTS_NAME]},
        ),
        "spliced": spliced,
        "planned": plan,
        "sums": sums,
        "sums_of": sums_of,
        # Drawn or used here (not in a worker): kept for the next build.
        "charts": {k: chart.DRAWN[k] for k in chart.USED if k in chart.DRAWN} or None,
        "search_docs": {
            doc.slug: (versions[doc.slug].hash, doc_to_state(doc))
            for doc in docs
            if doc.slug in doc_todo
        },
        "tombstoned": sum(
            1
            for found in histories.values()
            for v in found
            if v.withdrawn is not None
            and previous.get(version_path(v), files[version_path(v)]) != files[version_path(v)]
        ),
        "pages_written": written,
        "files_linked": len(files) - written,
        "files_total": len(files),
        "records_loaded": len(loaded),
        "pages_planned": len(pages) - len(others),
    }


def _changed_in_place(
    made: dict[str, Card], kept: dict[str, KeptRecord], versions: dict[str, RecordVersion]
) -> dict[str, tuple[Card, Card]] | None:
    """slug → (old card, new card) of the records read afresh whose card changed, when each
    changed in place (publish/plan.py in_place) and the build has the records the last one
    had; None otherwise."""
    from casework.publish.plan import in_place

    if len(kept) != len(versions) or kept.keys() != versions.keys():
        return None
    changed = {}
    for slug, card in made.items():
        old = kept[slug].card
        if old != card:
            if not in_place(old, card):
                return None
            changed[slug] = (old, card)
    return changed


def _units_showing(changed: dict[str, tuple[Card, Card]], site: Site) -> set[tuple[str, str]]:
    """The plan units (publish/plan.py) the new cards of `changed` are in, and the home's."""
    from casework.publish.plan import HOME_SUMS, units_of

    catalog = site.statute_catalog()
    return {HOME_SUMS}.union(*(units_of(new, catalog) for _, new in changed.values()))


def _touched_units(
    made: dict[str, Card],
    kept: dict[str, KeptRecord],
    versions: dict[str, RecordVersion],
    site: Site,
) -> tuple[set[tuple[str, str]], dict[tuple[str, str], set[str]]]:
    """The plan units (publish/plan.py) whose pages may differ from the last build's: those
    the old and new cards of the records read afresh (`made`) are in, when they differ, and
    those the records no longer published were in. Beside them, the paginated units whose
    records all changed in place (plan.in_place), each with those records' slugs: only the
    pages showing them may differ."""
    from casework.publish.plan import PAGED_FAMILIES, in_place, units_of

    catalog = site.statute_catalog()
    touched: set[tuple[str, str]] = set()
    rows: dict[tuple[str, str], set[str]] = {}  # unit → records changed in place in it
    moved: set[tuple[str, str]] = set()  # units a record changed otherwise in
    for slug, card in made.items():
        old = kept[slug].card if slug in kept else None
        if old != card:
            units = units_of(card, catalog)
            touched |= units
            if old is not None and in_place(old, card):
                for unit in units:
                    rows.setdefault(unit, set()).add(slug)
                continue
            moved |= units
            if old is not None:
                touched |= units_of(old, catalog)
                moved |= units_of(old, catalog)
    for slug in kept.keys() - versions.keys():
        touched |= units_of(kept[slug].card, catalog)
        moved |= units_of(kept[slug].card, catalog)
    within = {
        unit: slugs
        for unit, slugs in rows.items()
        if unit[0] in PAGED_FAMILIES and unit not in moved
    }
    return touched, within


def _write_search_index(
    root: Path,
    current: Path | None,
    docs: list[SearchDoc],
    old_docs: list[SearchDoc] | None,
    every_doc: Callable[[], list[SearchDoc]],
    published: set[str],
    labels: dict[str, dict[str, str]],
    files: dict[str, str],
    previous: dict[str, str],
    before: dict[str, str],
) -> set[str]:
    """Bring search/index/ up to date: an edit changes the site's index where its words
    changed (publish/search_index.py updated_index_files: `docs`, the documents made anew, of
    the `published` records, were `old_docs`), else it is made whole (of `every_doc()`). Each file's
    key is its bytes' hash, so that a file as the site or the tree holds it already is linked
    or left alone, never written again. Adds the files' keys to `files`; returns the paths
    written."""
    from casework.publish.search_index import index_files, updated_index_files

    folder = "search/index/"

    def read_old(name: str) -> bytes | None:
        path = folder + name
        if current is None or path not in previous:
            return None
        try:
            body = (current / path).read_bytes()
        except OSError:
            return None
        return body if _index_key(body) == previous[path] else None

    made = None
    if old_docs is not None and current is not None:
        made = updated_index_files(docs, old_docs, published, labels, read_old)
    every: list[SearchDoc] | None = None
    if made is None:
        every = every_doc()
        made = index_files(every, labels)
    keys = {
        folder + name: previous[folder + name] if body is None else _index_key(body)
        for name, body in made.items()
    }
    files.update(keys)
    todo = _bring_up(current, root, keys, previous, before)
    if any(made[path.removeprefix(folder)] is None for path in todo):
        # A file gone from the site: every one's bytes.
        made = index_files(every_doc() if every is None else every, labels)
    for path in todo:
        body = made[path.removeprefix(folder)]
        assert body is not None
        _write(root, path, body)
    return todo


def _index_key(body: bytes) -> str:
    # Content-addressed; never equal to a planned key (a fingerprint) nor UNTRACKED.
    return "index:" + blake2b(body, digest_size=16).hexdigest()


def _capture_files(captured: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """path → SHA-256 of every capture file the published records' `captures` keys link
    to: the original WARC and its readable text, by content address."""
    found: dict[str, str] = {}
    for listed in captured.values():
        for entry in listed:
            found[entry["warc"]] = entry["sha256"]
            found[entry["text"]] = entry["sha256"]
    return found


def _write_captures(captures: Captures, root: Path, todo: dict[str, str], cited: set[str]) -> None:
    """Write the capture files in `todo`: the readable text as UTF-8 text — never the
    captured HTML — and the WARC as stored, checked against its SHA-256, when the fetch that
    wrote it asked for a URL published records cite (`cited`): a body first fetched for a
    source only a draft cites is in a file that names that source (PublicView.published_warc
    says more), and is left out."""
    from casework.evidence.captures import warc_origin

    for path, sha256 in sorted(todo.items()):
        found = captures.by_sha256(sha256)
        if not found:
            continue  # cannot happen: the index named it when the records were read
        if path.endswith(".txt"):
            _write(root, path, captures.text_of(found[0]).encode("utf-8"))
            continue
        warc = captures.warc_path(found[0])
        if warc_origin(warc) in cited:
            _write(root, path, warc.read_bytes())


def _write_own_versions(root: Path, slug: str, record: Record, job: dict[str, Any]) -> None:
    """The record's history document, and its newest version's file when that version is the
    record as loaded (usually: older versions were written by earlier builds), beside the
    record's pages in the workers. A version file leaves out the related records, the one
    thing a public form changes, so the loaded record is that version as stored."""
    from casework.evidence.published import history_document, version_bytes
    from casework.formats import dumps

    todo = job["version_todo"]
    newest: Version | None = job["newest"].get(slug)
    if newest is not None and version_path(newest) in todo:
        # Its folder (v/) is new in a full build: made first, not after a failed open.
        _write(root, version_path(newest), version_bytes(newest, record.to_wire()), new_folder=True)
    if f"incident/{slug}/history.json" in todo:
        document = history_document(slug, job["histories"].get(slug, []))
        _write(root, f"incident/{slug}/history.json", dumps(document))


def version_path(version: Version) -> str:
    return f"incident/{version.slug}/v/{version.version}.json"


def _write_moved(
    root: Path, site: Site, log: PublicLog, moved: dict[str, str], todo: set[str]
) -> None:
    """A renamed record's old history document (where it was), and at its old JSON address a
    small redirect document: `{"slug", "movedTo", "url"}` (a static host answers no 301)."""
    from casework.evidence.published import history_document
    from casework.formats import dumps

    for old_slug, new_slug in moved.items():
        if f"incident/{old_slug}/history.json" in todo:
            document = history_document(old_slug, log.versions.get(old_slug, []))
            _write(root, f"incident/{old_slug}/history.json", dumps(document))
        if f"incident/{old_slug}.json" in todo:
            pointer = {
                "slug": old_slug,
                "movedTo": new_slug,
                "url": f"{site.url.rstrip('/')}/incident/{new_slug}.json",
            }
            _write(root, f"incident/{old_slug}.json", dumps(pointer))


def _version_key(salt: str, v: Version) -> str:
    """A version file's key: a withdrawal changes the file (to a tombstone), so it says so."""
    said = () if v.withdrawn is None else (v.withdrawn.day, v.withdrawn.reason)
    return fingerprint(salt, v.leaf, v.index, v.published_at, *said)


def _kept_history(
    files: dict[str, str], salt: str, kind: str, slug: str, log: PublicLog | None
) -> None:
    """The keys of a public slug no record has now (`kind`: "moved", "gone"): its version
    files and its history stay where readers cited them."""
    found = log.versions.get(slug, []) if log is not None else []
    for v in found:
        files[version_path(v)] = _version_key(salt, v)
    files[f"incident/{slug}/history.json"] = fingerprint(
        salt, kind, [(v.version, v.leaf, v.withdrawn is not None) for v in found]
    )


def _write_gone(
    root: Path, site: Site, log: PublicLog, gone: dict[str, Deletion], todo: set[str]
) -> None:
    """A deleted public record's history document, and at its JSON address its tombstone."""
    from casework.evidence.published import history_document
    from casework.formats import dumps
    from casework.publish.gone import gone_document

    for slug, deletion in gone.items():
        if f"incident/{slug}/history.json" in todo:
            document = history_document(slug, log.versions.get(slug, []))
            _write(root, f"incident/{slug}/history.json", dumps(document))
        if f"incident/{slug}.json" in todo:
            _write(root, f"incident/{slug}.json", dumps(gone_document(site, deletion)))


def _write_versions(
    view: PublicView,
    root: Path,
    log: PublicLog,
    versions: Iterable[str],
    todo: set[str],
    written: set[Version],
) -> None:
    """The version files to write that the workers did not (older versions, after a full
    build or a lost build folder), read from the store's revisions. A version file, once
    written, never changes: later builds link it from the last one."""
    from casework.evidence.published import version_bytes, withdrawn_bytes

    for v in [v for slug in versions for v in log.versions.get(slug, [])]:
        if v.withdrawn is not None and version_path(v) in todo:
            _write(root, version_path(v), withdrawn_bytes(v))  # a tombstone: no record read
    wanted = [
        v
        for slug in versions
        for v in log.versions.get(slug, [])
        if version_path(v) in todo and v not in written and v.withdrawn is None
    ]
    stored = view.version_records(wanted)
    for v in wanted:
        if (v.slug, v.version) in stored:
            _write(root, version_path(v), version_bytes(v, stored[(v.slug, v.version)]))


def _bring_up(
    current: Path | None,
    root: Path,
    files: dict[str, str],
    previous: dict[str, str],
    before: dict[str, str],
) -> set[str]:
    """Bring the tree at `root` (holding `before`) to `files` as far as it can without
    rendering: files it holds at their key stay, those the site at `current` holds at their
    key (`previous`) are hard-linked from it. Returns the paths left to write."""
    todo: set[str] = set()
    link: list[str] = []
    for path, key in files.items():
        if before.get(path) == key:
            continue
        if current is not None and previous.get(path) == key:
            link.append(path)
        else:
            todo.add(path)
    if not link:
        return todo
    assert current is not None
    # Every folder once, in path order (parents first), then plain links: a failed link
    # followed by a mkdir per file cost a third of an incremental build.
    for folder in sorted({os.path.dirname(path) for path in link} - {""}):
        _make_folder(os.path.join(root, folder))
    root_fd = os.open(root, os.O_RDONLY)
    current_fd = os.open(current, os.O_RDONLY)
    try:
        for path in sorted(link):
            if path in before:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path, dir_fd=root_fd)
            try:
                os.link(path, path, src_dir_fd=current_fd, dst_dir_fd=root_fd)
            except FileNotFoundError:
                todo.add(path)  # gone from the site: write it again
            except FileExistsError:  # cannot happen: the state knows every file of the tree
                raise RuntimeError(f"{root / path}: not in the build state") from None
    finally:
        os.close(root_fd)
        os.close(current_fd)
    return todo


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with a.open("rb") as fa, b.open("rb") as fb:
            while True:
                chunk = fa.read(1 << 20)
                if chunk != fb.read(1 << 20):
                    return False
                if not chunk:
                    return True
    except FileNotFoundError:
        return False


def _remove_stale(root: Path, stale: Iterable[str]) -> None:
    """Remove files the build no longer has, and the folders that leaves empty."""
    folders = set()
    for path in stale:
        (root / path).unlink(missing_ok=True)
        folders.add(os.path.dirname(path))
    for folder in sorted(folders - {""}, key=len, reverse=True):
        while folder:
            try:
                os.rmdir(root / folder)
            except OSError:  # not empty (or gone already)
                break
            folder = os.path.dirname(folder)


def _share_unchanged(current: Path | None, root: Path, written: list[str]) -> int:
    """Replace each file of `written` whose bytes equal the site's by a hard link to the
    site's (keys are hashes of inputs, and data files are written every time: some come out
    the same). Returns how many are new bytes."""
    if current is None:
        return len(written)
    fresh = 0
    for path in written:
        mine, theirs = root / path, current / path
        if _same_bytes(mine, theirs):
            mine.unlink()
            os.link(theirs, mine)
        else:
            fresh += 1
    return fresh


# A kept search document's fields (`doc_to_state`): one of another length was kept by a
# version that wrote fewer, and is made again.
DOC_STATE_FIELDS = 14


def doc_to_state(doc: SearchDoc) -> list[Any]:
    from casework.publish.search_index import INDEX_VERSION

    terms, counts = doc.terms.packed_text()
    return [doc.slug, doc.title, doc.date, doc.category, doc.severity, list(doc.tags),
            doc.summary, terms, counts.hex(), list(doc.countries), doc.posture, doc.ongoing,
            INDEX_VERSION, search_words.language()]  # fmt: skip


def doc_from_state(data: list[Any]) -> SearchDoc:
    from casework.publish.search_index import DocTerms, SearchDoc

    slug, title, day, category, severity, tags, summary, terms, weights, countries = data[:10]
    return SearchDoc(slug, title, day, category, severity, tuple(tags), summary,
                     DocTerms(terms, bytes.fromhex(weights)), tuple(countries),
                     posture=data[10], ongoing=data[11])  # fmt: skip


def _load(
    view: PublicView, slugs: list[str], tick: Callable[[str, int], None], *, every: bool
) -> Iterator[PublicRecord]:
    """The public forms of those of `slugs` still published, as they are read (`every`: they
    are every published record, read in one pass, in the store's order)."""
    from casework.publish.public_view import SCAN_ABOVE

    tick("Reading records", len(slugs))
    if not every and len(slugs) <= SCAN_ABOVE:  # an edit's few, one by one
        yield from view.read(slugs).values()
        tick("", len(slugs))
        return
    wanted = set(slugs)
    # Progress in steps of TICK: a progress bar's update per record cost 40% of the read.
    found = 0
    for public in view.records():
        if public.slug in wanted:
            yield public
            found += 1
            if found % TICK == 0:
                tick("", TICK)
    tick("", found % TICK)


def _write_dataset(
    root: Path,
    site: Site,
    shared: dict[str, Any],
    *,
    order: list[str],
    state: BuildState,
    keys: list[str],
    previous: tuple[Path, Layout] | None,
    collections: list[Collection],
    generated_at: str,
    feed: list[Record] | None,
    log: PublicLog | None = None,
    tracker: Path | None = None,
) -> tuple[list[str], dict[str, list[tuple[int, ...]]], Spliced | None]:
    """Every file that holds all records (those of `order`, in the store's order): every
    record's shares of them are read back from the `state` (the records read kept theirs in
    it as they were read, `_build`) as the files are written — or, with `previous` (the
    site's data folder and the layout of its files, publish/state.py), the records whose
    `keys` are those the layout holds are copied from the site's files (datafiles.py
    Splice). The feed when `feed` (its records) is given. Returns the paths written, where
    each record is in the data files (a Layout's spans) and how they were spliced
    (datafiles.py Spliced). With the public log, `data/log.json`; with the tracker folder
    too, a new signed checkpoint in the manifest and `data/checkpoints.json`, and
    `data/public-key.txt`."""
    from casework.formats import dumps
    from casework.formats.schema import schema_files
    from casework.formats.tracker_json import collection_document_of
    from casework.publish.datafiles import Splice, loads_line, write_dataset
    from casework.publish.datapackage import DATAPACKAGE_NAME, with_evidence
    from casework.publish.feeds import atom_feed, robots_txt

    ordered = RecordShares(state, order)
    written = []
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    splice = None
    if previous is not None:
        splice = Splice(previous[0], previous[1], keys, state.shares)
    files, spans, spliced = write_dataset(
        ordered, site, data, generated_at=generated_at, slugs=order, splice=splice
    )
    # archive.json is the same bytes as data/records.json: one file, two names.
    os.link(data / "records.json", root / "archive.json")
    written += [f"data/{f.name}" for f in files] + ["data/manifest.json", "archive.json"]
    written.append(f"data/{DATAPACKAGE_NAME}")
    # The record format's JSON Schemas, which the data package and the API name.
    for name, schema in schema_files(site.url).items():
        _write(root, f"schema/{name}", dumps(schema))
        written.append(f"schema/{name}")
    if log is not None:
        evidence = _write_evidence(data, site, files, log, tracker, generated_at, len(ordered))
        written += evidence
        package = data / DATAPACKAGE_NAME
        names = [path.removeprefix("data/") for path in evidence]
        package.write_bytes(with_evidence(package.read_bytes(), names))
    _write(root, "data/index.html", _data_index(shared, files))
    written.append("data/index.html")
    published = set(order)
    for collection in collections:
        slugs = [slug for slug in collection.records if slug in published]
        members = [loads_line(line) for (line,) in state.shares(slugs, "line")]
        doc = collection_document_of(collection, members, site, generated_at)
        _write(root, f"collections/{collection.slug}.json", dumps(doc))
        written.append(f"collections/{collection.slug}.json")
    if feed is not None:
        # The feed's own date is its newest entry's, so the same records give the same bytes.
        newest = max((r.last_updated for r in feed), default=None)
        updated = datetime(*(newest.timetuple()[:3]), tzinfo=UTC) if newest else build_time()
        _write(root, "feed.xml", atom_feed(feed, site, updated=updated, limit=FEED_ENTRIES))
    _write(root, "robots.txt", robots_txt(site))
    return [*written, "robots.txt"], spans, spliced


class _Beside:
    """`_write_dataset` on a thread of its own, in this thread's context (the search language
    and place names), reading the build state through a connection of its own (`state` is
    passed as None; it is opened at `state_path`)."""

    def __init__(self, job: Callable[..., Any], *args: Any, state_path: Path, **kwargs: Any):
        self._result: Any = None
        self._error: BaseException | None = None
        context = contextvars.copy_context()

        def run() -> None:
            state = BuildState(state_path, read_only=True)
            try:
                self._result = job(*args, **(kwargs | {"state": state}))
            except BaseException as error:  # handed to the thread that waits
                self._error = error
            finally:
                state.close()

        self._thread = threading.Thread(
            target=context.run, args=(run,), name="build-dataset", daemon=True
        )
        self._thread.start()

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result


class _Aside:
    """Files set aside (renamed into a folder outside every tree) being unlinked on a
    thread."""

    def __init__(self, folder: Path | None) -> None:
        self._thread: threading.Thread | None = None
        if folder is not None:
            self._thread = threading.Thread(
                target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True},
                name="build-aside", daemon=True,
            )  # fmt: skip
            self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()


def _set_aside(root: Path, paths: list[str]) -> _Aside:
    """Rename `paths` of the tree at `root` into a folder beside the trees, named as
    publish/output.py names a tree to remove (a killed build's is removed by the next
    build's prune), and unlink them there on a thread."""
    if not paths:
        return _Aside(None)
    folder = root.parent / f"{root.name}-files.trash"
    folder.mkdir(exist_ok=True)
    moved = False
    for n, path in enumerate(paths):
        try:
            os.rename(root / path, folder / str(n))
            moved = True
        except FileNotFoundError:
            pass
    if not moved:
        folder.rmdir()
        return _Aside(None)
    return _Aside(folder)


def latest_slugs(heads: dict[str, tuple[str, str, str]], limit: int) -> list[str]:
    """publish/feeds.py `latest` of the records whose cards' heads are `heads` (slug →
    (title, date, lastUpdated)): the `limit` updated last, ties by date then slug."""
    return heapq.nsmallest(
        limit,
        heads,
        key=lambda slug: (
            -date.fromisoformat(heads[slug][2]).toordinal(),
            -date.fromisoformat(heads[slug][1]).toordinal(),
            slug,
        ),
    )


class Cards(Mapping[str, "Card"]):
    """Every published record's card (publish/plan.py): those made now (`made`), else the
    kept one (`kept`), decoded from the state's bytes when first asked for."""

    def __init__(
        self, made: dict[str, Card], kept: dict[str, KeptRecord], slugs: dict[str, Any]
    ) -> None:
        self._made, self._kept, self._slugs = made, kept, slugs

    def __getitem__(self, slug: str) -> Card:
        found = self._made.get(slug)
        if found is not None:
            return found
        if slug not in self._slugs:
            raise KeyError(slug)
        return self._kept[slug].card

    def __contains__(self, slug: object) -> bool:
        return slug in self._slugs

    def __iter__(self) -> Iterator[str]:
        return iter(self._slugs)

    def __len__(self) -> int:
        return len(self._slugs)


def _record_key(salt: str, revision: str, withheld: tuple[str, ...], captures: int) -> str:
    """What a record's kept card and data (publish/state.py KeptRecord) are made from: its
    revision, the related slugs its public form leaves out, the captures index (its public
    form's `captures` key), and everything every page depends on (`salt`)."""
    return fingerprint(salt, "record", revision, withheld, captures)


def _write_evidence(
    data: Path,
    site: Site,
    files: list[Any],
    log: PublicLog,
    tracker: Path | None,
    generated_at: str,
    count: int,
) -> list[str]:
    """data/log.json; with a tracker folder, the checkpoint signed now (appended to the
    tracker's checkpoints file first), every checkpoint made so far and the public key."""
    from casework.evidence import checkpoint as cp
    from casework.evidence.published import log_document
    from casework.formats import dumps
    from casework.publish.datafiles import write_manifest
    from casework.store.history import canonical_time

    (data / cp.LOG_NAME).write_text(dumps(log_document(log)), encoding="utf-8")
    if tracker is None:
        return [f"data/{cp.LOG_NAME}"]
    key = cp.key_for(tracker)
    made = cp.make_checkpoint(
        key,
        public=log.head(),
        full=log.full,
        time=canonical_time(datetime.now(UTC)),
        files={f.name: f.sha256 for f in files},
        withdrawn=log.withdrawn_leaves(),
    )
    cp.append_checkpoint(tracker, made)
    published = [m.published() for m in cp.read_checkpoints(tracker)]
    (data / cp.PUBLISHED_CHECKPOINTS_NAME).write_text(dumps(published), encoding="utf-8")
    public_key = cp.public_key_text(key.public_key())
    (data / cp.PUBLIC_KEY_NAME).write_text(public_key + "\n", encoding="ascii")
    write_manifest(
        files,
        site,
        data,
        generated_at=generated_at,
        count=count,
        extra={"publicKey": public_key, "checkpoint": made.published()},
    )
    return [f"data/{name}" for name in (cp.LOG_NAME, cp.PUBLISHED_CHECKPOINTS_NAME,
                                         cp.PUBLIC_KEY_NAME)]  # fmt: skip


def _data_index(shared: dict[str, Any], files: list[Any]) -> str:
    from casework.render.templates import environment

    template = environment(shared["site"].language).get_template("data.html")
    return template.render(shared, path="data/index.html", files=[asdict(f) for f in files])
