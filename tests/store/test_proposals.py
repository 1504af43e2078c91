"""Proposals in the store's database (store/proposals.py, migration 0016), on each engine:
kept whole with every decision a reviewer takes on its items; seen alike by two workers with
stores of their own; applied and marked applied in one transaction — a failure between the
revision and the mark (raised inside that transaction) leaves the record as it was and the
proposal open — so that a proposal is applied once, however many reviewers try at once; and
the proposal files an older casework kept in the tracker's folder imported once."""

from __future__ import annotations

import json
import os
import stat
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from casework.editing import Actor, Editing, NotAllowed
from casework.ingest.pipeline import (
    IMPORTED,
    PROPOSALS,
    import_proposal_files,
    load_proposal,
    open_proposals,
    save_proposal,
)
from casework.ingest.propose import Item, Proposal
from casework.model import Site, Status
from casework.model.roles import Role
from casework.store import open_store, proposals
from casework.store.base import Conflict, Store
from casework.store.proposals import ProposalClosed, ProposalExists, ProposalNotFound
from tests.store.factories import make_record

SITE = Site(url="https://m.example.org")
SLUG = "harbour-closure"
URL = "https://coastpost.example.org/2021/03/20/pilots"
RITA = Actor("rita", Role.reviewer)


def a_proposal(n: int = 1, target: str | None = SLUG) -> Proposal:
    """A proposal for `target` as ingest makes one: the article as a source, a timeline
    entry, a key point, a tag; for a new draft (`target` None), the draft's skeleton first."""
    items = [
        Item(1, "source", {"url": URL, "title": "Pilots held", "publisher": "Coast Post"}, ""),
        Item(
            2,
            "timeline",
            {"date": "2021-03-16", "title": "Pilots held", "summary": "Pilots were held."},
            "Port police held 14 pilots on March 16.",
            "dated by “March 16”",
        ),
        Item(3, "keyPoint", {"keyPoint": "“Nobody was told why.” — Mara Quill"}, "“Nobody…”"),
        Item(4, "tag", {"tag": "detention"}, "detained"),
    ]
    if target is None:
        skeleton = {
            "slug": f"pilots-held-{n}", "title": "Pilots held at the pier", "date": "2021-03-16",
            "summary": "Port police held 14 pilots.", "category": "civil-liberties",
            "severity": "serious", "posture": "reported", "warCrimeClassification": "none",
        }  # fmt: skip
        items = [Item(0, "record", skeleton, "", "a new draft record: nothing matched"), *items]
        for number, item in enumerate(items, 1):
            item.id = number
    return Proposal(
        id=f"20260301-1200{n:02d}-abcde{n % 10}",
        created_at=f"2026-03-01T12:00:{n:02d}+00:00",
        source={"url": URL, "title": "Pilots held", "publisher": "Coast Post"},
        target=target,
        candidates=[{"slug": SLUG, "score": 0.8, "reasons": ["shared words"]}] if target else [],
        items=items,
    )


@pytest.fixture
def seeded(store: Store) -> Store:
    store.create(make_record(SLUG), author="seed", message="seed", status=Status.published)
    return store


@pytest.fixture
def second(store_url: str, seeded: Store) -> Iterator[Store]:
    """Another worker's store: the same database, opened on its own (another machine's)."""
    other = open_store(store_url)
    yield other
    other.close()


def test_a_proposal_is_kept_whole_and_listed_while_open(seeded: Store) -> None:
    first, later = a_proposal(2), a_proposal(1, target=None)
    later.created_at = "2026-03-01T12:30:00+00:00"
    save_proposal(seeded, later)
    save_proposal(seeded, first)
    assert load_proposal(seeded, first.id) == first
    assert [p.id for p in open_proposals(seeded)] == [first.id, later.id]  # oldest first
    with pytest.raises(ProposalExists):
        save_proposal(seeded, first)
    for wrong in ("20260301-120099-abcdef", "../../tracker.db", "9" * 5000, ""):
        with pytest.raises(ProposalNotFound):
            load_proposal(seeded, wrong)
    assert seeded.proposals.counts() == {"open": 2, "applied": 0, "rejected": 0, "empty": 0}


def test_applying_keeps_every_decision_with_who_and_when(seeded: Store) -> None:
    proposal = a_proposal()
    save_proposal(seeded, proposal)
    before = seeded.get(SLUG)
    stored = Editing(seeded, SITE).apply_proposal(RITA, proposal, {1, 2})
    assert stored is not None and stored.revision == before.revision + 1
    assert URL in {s.url for s in stored.record.sources} and "detention" not in stored.record.tags
    kept = load_proposal(seeded, proposal.id)
    assert kept == proposal  # the caller's copy says what the store says
    assert kept.status == "applied" and kept.decided_by == "rita" and kept.decided_at
    assert [(i.id, i.decision) for i in kept.items] == [
        (1, "accepted"), (2, "accepted"), (3, "rejected"), (4, "rejected"),
    ]  # fmt: skip
    assert open_proposals(seeded) == []
    with pytest.raises(ProposalClosed, match="applied, not open"):
        Editing(seeded, SITE).apply_proposal(RITA, load_proposal(seeded, proposal.id), {3})
    assert seeded.get(SLUG).revision == stored.revision


def test_accepting_nothing_rejects_it_and_writes_no_revision(seeded: Store) -> None:
    proposal = a_proposal()
    save_proposal(seeded, proposal)
    before = seeded.get(SLUG)
    assert Editing(seeded, SITE).apply_proposal(RITA, proposal, set()) is None
    kept = load_proposal(seeded, proposal.id)
    assert kept.status == "rejected" and {i.decision for i in kept.items} == {"rejected"}
    assert seeded.get(SLUG).revision == before.revision
    with pytest.raises(ProposalClosed, match="rejected, not open"):
        Editing(seeded, SITE).apply_proposal(RITA, a_proposal(), set())


def test_only_whoever_could_apply_it_may_reject_it(seeded: Store) -> None:
    proposal = a_proposal()
    save_proposal(seeded, proposal)
    editing = Editing(seeded, SITE)
    for role in (Role.viewer, Role.editor):  # the record is published: a reviewer's
        with pytest.raises(NotAllowed):
            editing.apply_proposal(Actor("someone", role), proposal, set())
        with pytest.raises(NotAllowed):
            editing.apply_proposal(Actor("someone", role), proposal, {1})
    assert load_proposal(seeded, proposal.id).status == "open"


class Crash(Exception):
    """The process dying between the revision and the mark, as far as the database sees."""


@pytest.fixture
def crash_after_the_mark(monkeypatch: pytest.MonkeyPatch) -> None:
    """The proposal's row written inside the record's transaction, then a failure before the
    commit."""
    real = proposals.decided_along

    def crashing(decision: proposals.Decision) -> Any:
        mark = real(decision)

        def write(db: Any) -> None:
            mark(db)
            raise Crash

        return write

    monkeypatch.setattr(proposals, "decided_along", crashing)


@pytest.mark.parametrize("target", [SLUG, None], ids=["to-a-record", "a-new-draft"])
def test_a_failure_inside_the_transaction_leaves_the_record_unchanged_and_the_proposal_open(
    seeded: Store, crash_after_the_mark: None, monkeypatch: pytest.MonkeyPatch, target: str | None
) -> None:
    proposal = a_proposal(target=target)
    save_proposal(seeded, proposal)
    before = seeded.get(SLUG)
    history = len(seeded.history(SLUG))
    count, generation = seeded.count(), seeded.generation()
    with pytest.raises(Crash):
        Editing(seeded, SITE).apply_proposal(RITA, proposal, {i.id for i in proposal.items})
    assert seeded.get(SLUG) == before and len(seeded.history(SLUG)) == history
    assert seeded.count() == count and not seeded.exists("pilots-held-1")
    assert seeded.generation() == generation  # nothing committed
    kept = load_proposal(seeded, proposal.id)
    assert kept.status == "open" and {i.decision for i in kept.items} == {""}
    assert kept.decided_by == "" and proposal.status == "open"  # the caller's copy too
    assert [p.id for p in open_proposals(seeded)] == [proposal.id]
    # Once the failure is gone, the same proposal applies, once.
    monkeypatch.undo()
    stored = Editing(seeded, SITE).apply_proposal(RITA, proposal, {i.id for i in proposal.items})
    assert stored is not None and load_proposal(seeded, proposal.id).status == "applied"
    assert seeded.count() == count + (target is None)


def test_what_goes_along_a_write_is_rolled_back_with_it_and_takes_it_back(store: Store) -> None:
    """The store's `along` hook itself: on create and on save, a failure in it leaves no
    record, no revision, no generation."""

    def failing(db: Any) -> None:
        db.execute("UPDATE store_meta SET generation = generation + 100 WHERE id = 1")
        raise Crash

    generation = store.generation()
    with pytest.raises(Crash):
        store.create(make_record("pier"), author="x", message="m", along=failing)
    assert not store.exists("pier") and store.generation() == generation
    current = store.create(make_record("pier"), author="x", message="m")
    generation = store.generation()
    with pytest.raises(Crash):
        store.save(
            current.record.model_copy(update={"summary": "Changed."}),
            base_revision=current.revision,
            author="x",
            message="m",
            along=failing,
        )
    assert store.get("pier") == current and len(store.history("pier")) == 1
    assert store.generation() == generation


def test_two_workers_see_the_same_proposals(seeded: Store, second: Store) -> None:
    """One worker's proposal is the other's to review; its decision, the first's to see."""
    made = a_proposal()
    save_proposal(seeded, made)  # worker one ingests
    waiting = open_proposals(second)  # worker two, its own store, lists what waits
    assert [p.id for p in waiting] == [made.id] and waiting[0] == made
    stored = Editing(second, SITE).apply_proposal(RITA, waiting[0], {1, 4})
    assert stored is not None
    assert open_proposals(seeded) == []
    seen = load_proposal(seeded, made.id)
    assert seen.status == "applied" and [i.decision for i in seen.items] == [
        "accepted", "rejected", "rejected", "accepted",
    ]  # fmt: skip
    assert seeded.get(SLUG).revision == stored.revision
    # Worker one, still holding the proposal as it made it, cannot apply it a second time.
    with pytest.raises(ProposalClosed):
        Editing(seeded, SITE).apply_proposal(RITA, made, {2, 3})
    assert seeded.get(SLUG).revision == stored.revision
    assert made.status == "open"  # its stale copy is left as it was


def test_of_two_reviewers_applying_at_once_one_writes(seeded: Store, second: Store) -> None:
    proposal = a_proposal()
    save_proposal(seeded, proposal)
    before = seeded.get(SLUG)
    start = threading.Barrier(2)
    outcome: dict[str, Any] = {}

    def review(name: str, store: Store, accepted: set[int]) -> None:
        mine = load_proposal(store, proposal.id)
        start.wait()
        try:
            outcome[name] = Editing(store, SITE).apply_proposal(
                Actor(name, Role.reviewer), mine, accepted
            )
        except (ProposalClosed, Conflict) as refused:
            outcome[name] = refused

    threads = [
        threading.Thread(target=review, args=("rita", seeded, {1, 2})),
        threading.Thread(target=review, args=("ron", second, {1, 3, 4})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [name for name, result in outcome.items() if not isinstance(result, Exception)]
    assert len(won) == 1 and len(outcome) == 2
    assert seeded.get(SLUG).revision == before.revision + 1
    kept = load_proposal(seeded, proposal.id)
    assert kept.status == "applied" and kept.decided_by == won[0]
    assert seeded.history(SLUG)[-1].author == won[0]


# --- proposal files of an older casework --------------------------------------------------
def _write(folder: Path, proposal: Proposal) -> Path:
    path = folder / PROPOSALS / f"{proposal.id}.json"
    path.parent.mkdir(mode=0o700, exist_ok=True)
    path.write_text(json.dumps(proposal.to_json(), ensure_ascii=False, indent=2), "utf-8")
    return path


def test_proposal_files_are_imported_once_with_their_decisions(
    seeded: Store, tmp_path: Path
) -> None:
    waiting, decided = a_proposal(1), a_proposal(2, target=None)
    decided.status, decided.target = "applied", "pilots-held-2"
    for item in decided.items:
        item.decision = "accepted" if item.id in (1, 2) else "rejected"
    _write(tmp_path, waiting)
    _write(tmp_path, decided)
    (tmp_path / PROPOSALS / "20260301-120003-abcde3.json").write_text("{not json", "utf-8")
    (tmp_path / PROPOSALS / "notes.txt").write_text("not a proposal", "utf-8")

    done = import_proposal_files(seeded, tmp_path)
    assert sorted(done.added) == sorted([waiting.id, decided.id]) and done.present == 0
    assert [name for name, _ in done.refused] == ["20260301-120003-abcde3.json"]
    assert load_proposal(seeded, waiting.id) == waiting
    assert load_proposal(seeded, decided.id) == decided  # every decision as it was taken
    assert [p.id for p in open_proposals(seeded)] == [waiting.id]
    # The files imported moved aside, owner-only; the unreadable ones stay for a person.
    assert sorted(p.name for p in (tmp_path / IMPORTED).iterdir()) == sorted(
        [f"{waiting.id}.json", f"{decided.id}.json"]
    )
    assert stat.S_IMODE(os.stat(tmp_path / IMPORTED).st_mode) == 0o700
    assert sorted(p.name for p in (tmp_path / PROPOSALS).iterdir()) == [
        "20260301-120003-abcde3.json", "notes.txt",
    ]  # fmt: skip
    # Once: opening again adds nothing and changes nothing decided since.
    Editing(seeded, SITE).apply_proposal(RITA, waiting, {1})
    again = import_proposal_files(seeded, tmp_path)
    assert again.added == [] and again.present == 0
    _write(tmp_path, a_proposal(1))  # the same file put back: the store's version stays
    assert import_proposal_files(seeded, tmp_path).present == 1
    assert load_proposal(seeded, waiting.id).status == "applied"


def test_a_file_whose_name_is_not_its_proposal_is_not_imported(
    seeded: Store, tmp_path: Path
) -> None:
    path = _write(tmp_path, a_proposal(1))
    path.rename(path.with_name("20260301-120009-abcde9.json"))
    done = import_proposal_files(seeded, tmp_path)
    assert done.added == [] and "holds proposal" in done.refused[0][1]
    assert seeded.proposals.list(None) == []


def test_a_decision_needs_a_decided_status() -> None:
    with pytest.raises(proposals.ProposalError):
        proposals.Decision("20260301-120001-abcde1", "open", None, "x", datetime.now(UTC), {})


def test_the_first_command_imports_the_files_and_reviews_them(tmp_path: Path) -> None:
    from casework.tracker import open_tracker
    from tests.test_cli import cw, one_line_error

    folder = tmp_path / "t"
    assert cw(tmp_path, "init", str(folder), "--url", "https://m.example.org")[0] == 0
    with open_tracker(folder) as tracker:
        tracker.store.create(make_record(SLUG), author="seed", message="seed")
    waiting = a_proposal()
    _write(folder, waiting)
    (folder / PROPOSALS / "20260301-120007-abcde7.json").write_text("[]", "utf-8")
    code, out, err = cw(folder, "proposals")
    assert code == 0 and waiting.id in out and SLUG in out, err
    assert "Imported 1 proposal file into the database" in err
    code, out, err = cw(folder, "review", "--accept", "1,2")
    assert code == 0, err
    assert "proposals/20260301-120007-abcde7.json is not a proposal" in err
    assert f"{SLUG} is at revision 2" in out
    assert (folder / IMPORTED / f"{waiting.id}.json").exists()
    code, out, err = cw(folder, "review")
    assert (code, out.strip()) == (0, "No open proposals.")
    assert "Imported" not in err  # once
    code, out, _ = cw(folder, "proposals", "--status", "applied")
    assert code == 0 and waiting.id in out and "applied" in out
    assert cw(folder, "proposals")[1].strip() == "No open proposals."
    one_line_error(*cw(folder, "proposals", "--status", "pending")[::2], "expected open")
    with open_tracker(folder) as tracker:
        kept = load_proposal(tracker.store, waiting.id)
        assert kept.status == "applied" and kept.decided_by
        assert URL in {s.url for s in tracker.store.get(SLUG).record.sources}


def test_a_copy_to_postgresql_carries_the_proposals_open_and_decided(
    tmp_path: Path, postgres_url: str
) -> None:
    from casework.store.copy import copy_store

    source = open_store(tmp_path / "a.db")
    destination = open_store(postgres_url)
    try:
        source.create(make_record(SLUG), author="seed", message="seed")
        for n in (1, 2):
            save_proposal(source, a_proposal(n))
        Editing(source, SITE).apply_proposal(RITA, a_proposal(1), {1})
        copy_store(source, destination)
        assert destination.proposals.list(None) == source.proposals.list(None)
        assert [p.id for p in open_proposals(destination)] == [a_proposal(2).id]
        assert destination.proposals.counts() == source.proposals.counts()
        stored = Editing(destination, SITE).apply_proposal(RITA, a_proposal(2), {4})
        assert stored is not None and "detention" in stored.record.tags
    finally:
        destination.close()
        source.close()


# --- a record chosen for an ambiguous proposal (issue 15) ------------------------------------
def _row(store: Store, proposal_id: str) -> tuple[str, str | None]:
    """The proposal's listing columns as the database holds them."""
    from sqlalchemy import select

    from casework.store.copy import engine_of
    from casework.store.schema import proposals as table

    with engine_of(store).connect() as conn:
        row = conn.execute(
            select(table.c.status, table.c.target).where(table.c.id == proposal_id)
        ).one()
    return str(row[0]), row[1]


@pytest.fixture
def orrin(store: Store, tmp_path: Path) -> Proposal:
    """The Orrin article ingested into a tracker holding both its records: ambiguous."""
    from casework.ingest.pipeline import ingest
    from tests.fixtures import review

    review.seed(store)
    made = ingest(str(review.ARTICLE), store, SITE, tmp_path, url=review.URL)
    assert made.target is None and made.match["ambiguous"]
    return made


def test_a_chosen_record_is_written_with_the_decision_in_one_transaction(
    store: Store, orrin: Proposal, tmp_path: Path
) -> None:
    from casework.ingest.pipeline import rebuild
    from tests.fixtures.review import BRANNOCK

    assert _row(store, orrin.id) == ("open", None)
    before = store.get(BRANNOCK)
    rebuilt = rebuild(store, SITE, orrin, BRANNOCK, tmp_path)
    assert _row(store, orrin.id) == ("open", None)  # choosing alone writes nothing
    accepted = {i.id for i in rebuilt.items if i.kind in ("source", "timeline")}
    stored = Editing(store, SITE).apply_proposal(
        RITA, rebuilt, accepted, base_revision=rebuilt.match["revision"]
    )
    assert stored is not None and stored.revision == before.revision + 1
    assert _row(store, orrin.id) == ("applied", BRANNOCK)
    kept = load_proposal(store, orrin.id)
    assert kept.target == BRANNOCK and kept.match["chosen"] == BRANNOCK
    assert kept.match["ambiguous"]  # how it came to be chosen stays told
    assert {i.id for i in kept.items if i.decision == "accepted"} == accepted


def test_an_edit_made_since_the_choice_is_not_written_over(
    store: Store, orrin: Proposal, tmp_path: Path
) -> None:
    """Items made for revision 1 are not added to revision 2: what the editor wrote stays,
    nothing is written, the proposal stays open and for no record."""
    from casework.ingest.pipeline import rebuild
    from tests.fixtures.review import BRANNOCK

    rebuilt = rebuild(store, SITE, orrin, BRANNOCK, tmp_path)
    current = store.get(BRANNOCK)
    edited = current.record.model_copy(update={"tags": [*current.record.tags, "pumping"]})
    store.save(edited, base_revision=current.revision, author="eve", message="a tag")
    with pytest.raises(Conflict):
        Editing(store, SITE).apply_proposal(
            RITA, rebuilt, {i.id for i in rebuilt.items}, base_revision=rebuilt.match["revision"]
        )
    assert store.get(BRANNOCK).revision == current.revision + 1
    assert "pumping" in store.get(BRANNOCK).record.tags
    assert _row(store, orrin.id) == ("open", None)
    assert load_proposal(store, orrin.id).items == orrin.items
