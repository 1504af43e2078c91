"""Several processes at once on one store, on each engine: two editors saving the same
records over and over (reloading after each conflict, as the editor's users do), and two
workers taking ingest jobs and applying their proposals. Afterwards no revision is lost —
the history holds exactly the saves each process reported — and every hash chain verifies."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from casework.editing import Actor, Editing
from casework.ingest.pipeline import ingest
from casework.model import Site, Status
from casework.store import open_store
from casework.store.base import Conflict, Store
from tests.store.factories import make_record

SITE = Site(url="https://m.example.org", title="Monitor")
SLUGS = [f"pier-{i}" for i in range(4)]
SAVES = 15
JOBS = 6
ARTICLE = """# Harbour pilots detained at the north pier

By Lena Ortiz | March 20, 2021

Port police detained 14 harbour pilots at the north pier on Tuesday, the union said.

"Nobody was told why they were held," said Mara Quill, a spokesperson for the Fishers Union.
"""


def editor(url: str, name: str, done: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    store = open_store(url)
    saved = 0
    try:
        for n in range(SAVES):
            slug = SLUGS[n % len(SLUGS)]
            while True:
                current = store.get(slug)
                changed = current.record.model_copy(update={"summary": f"{name} edit {n}."})
                try:
                    store.save(changed, base_revision=current.revision, author=name, message="m")
                    saved += 1
                    break
                except Conflict:
                    continue  # another process saved first: reload, apply again
    finally:
        store.close()
    done.put((name, saved))


def worker(url: str, name: str, folder: str, done: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    store = open_store(url)
    applied = 0
    try:
        while (job := store.jobs.claim(name)) is not None:
            proposal = ingest(job.payload["source"], store, SITE, Path(folder),
                              target=job.payload["record"], url=job.payload["url"])  # fmt: skip
            accepted = {item.id for item in proposal.items}
            while True:
                try:
                    editing, me = Editing(store, SITE), Actor.operator(name)
                    if editing.apply_proposal(me, proposal, accepted):
                        applied += 1
                    break
                except Conflict:
                    continue
            store.jobs.finish(job.id, proposal.id)
    finally:
        store.close()
    done.put((name, applied))


def test_editors_and_ingest_workers_at_once_lose_no_revision(
    store: Store, store_url: str, tmp_path: Path
) -> None:
    for slug in SLUGS:
        store.create(make_record(slug), author="seed", message="seed", status=Status.published)
    article = tmp_path / "pilots.md"
    article.write_text(ARTICLE, encoding="utf-8")
    for i in range(JOBS):
        store.jobs.enqueue(
            "ingest",
            {"source": str(article), "record": SLUGS[i % len(SLUGS)],
             "url": f"https://example.org/pilots/{i}"},
        )  # fmt: skip
    context = multiprocessing.get_context("spawn")
    done = context.Queue()
    processes = [
        context.Process(target=editor, args=(store_url, "eve", done)),
        context.Process(target=editor, args=(store_url, "ed", done)),
        context.Process(target=worker, args=(store_url, "w1", str(tmp_path), done)),
        context.Process(target=worker, args=(store_url, "w2", str(tmp_path), done)),
    ]
    for process in processes:
        process.start()
    reports = dict(done.get(timeout=240) for _ in processes)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert reports["eve"] == SAVES and reports["ed"] == SAVES
    assert reports["w1"] + reports["w2"] == JOBS  # every job's proposal applied once
    revisions = sum(len(store.history(slug)) for slug in SLUGS)
    assert revisions == len(SLUGS) + 2 * SAVES + JOBS  # nothing lost, nothing doubled
    assert store.verify_history() == []
    assert all(job.status == "done" for job in store.jobs.list())
    # Each worker's proposals, in the database both see: each applied once, by its worker.
    decided = {p["id"]: p["decided_by"] for p in store.proposals.list("applied")}
    assert len(decided) == JOBS and store.proposals.counts()["open"] == 0
    assert {j.proposal_id: j.worker for j in store.jobs.list()} == decided
    urls = {s.url for slug in SLUGS for s in store.get(slug).record.sources}
    assert {f"https://example.org/pilots/{i}" for i in range(JOBS)} <= urls
