"""Ingest end to end on our own look-alike of the issue's seed: a Markdown article about a
defence memo lifting a landmine ban, into a tracker that holds a record like the seed record as
it stood before that article. The proposal is for that record and carries the source, the
timeline events of December 2, 19 and 23, 2025, the 2024 casualty figures and percentages,
the quotes with their speakers and the Ottawa treaty; nothing reaches the record until items
are accepted, and accepting makes one revision with an updateLog entry."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from casework.editing import Actor, Editing
from casework.ingest.article import ReadError
from casework.ingest.extract.budget import ExtractionTimeout
from casework.ingest.pipeline import ingest, load_proposal
from casework.model import Record, Site, Status
from casework.model.roles import Role
from casework.store import open_store
from casework.store.base import Store
from tests.test_cli import cw, one_line_error

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
ARTICLE = GOLD / "estmark-landmine-memo.md"
SLUG = "estmark-antipersonnel-mine-ban-reversal"
URL = "https://dailyvoice.example.org/2025/12/23/estmark-landmines"
SITE = Site(url="https://m.example.org", title="Monitor")


def before_the_article(data: dict[str, Any]) -> dict[str, Any]:
    """The record as it stood before the article: none of what the article reports yet."""
    data = dict(data)
    data["timeline"] = [t for t in data["timeline"] if t["date"] < "2025-12-01"]
    data["sources"] = data["sources"][:1]
    data["keyPoints"] = []
    data["internationalLaw"] = [p for p in data["internationalLaw"] if "Ottawa" not in p["statute"]]
    return data


@pytest.fixture
def tracker(tmp_path: Path) -> tuple[Store, Path]:
    lines = []
    for line in (GOLD / "records.ndjson").read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        lines.append(json.dumps(before_the_article(data) if data["slug"] == SLUG else data))
    source = tmp_path / "records.ndjson"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    folder = tmp_path / "t"
    assert cw(tmp_path, "init", str(folder), "--url", "https://m.example.org")[0] == 0
    code, _, err = cw(folder, "import", str(source))
    assert code == 0, err
    store = open_store(folder / "tracker.db")
    return store, folder


def test_the_look_alike_article_proposes_what_the_seed_article_gave(
    tracker: tuple[Store, Path],
) -> None:
    store, folder = tracker
    before = store.get(SLUG)
    proposal = ingest(str(ARTICLE), store, SITE, folder, url=URL)
    assert proposal.target == SLUG
    assert proposal.candidates[0]["slug"] == SLUG and proposal.candidates[0]["reasons"]
    by_kind: dict[str, list[Any]] = {}
    for item in proposal.items:
        by_kind.setdefault(item.kind, []).append(item)
        assert item.kind == "source" or item.sentence  # every item says where it came from
    assert by_kind["source"][0].value["url"] == URL
    assert by_kind["source"][0].value["author"] == "Hanna Voss"
    assert by_kind["source"][0].value["date"] == "2025-12-23"
    dates = {item.value["date"] for item in by_kind["timeline"]}
    assert {"2025-12-02", "2025-12-19", "2025-12-23"} <= dates
    figures = " | ".join(item.value["figure"] for item in by_kind["figure"])
    for wanted in (
        "1,812 killed",
        "4,090 injured",
        "11% increase",
        "88% civilians",
        "44% children",
    ):
        assert wanted in figures, figures
    quotes = [item.value["keyPoint"] for item in by_kind["keyPoint"]]
    assert any("Landmines cannot tell a soldier" in q and "Ines Morrow" in q for q in quotes)
    assert any("Civic Shield International" in q for q in quotes)
    statutes = {item.value["statute"] for item in by_kind["legalProvision"]}
    assert "Ottawa Convention" in statutes
    # Proposed, not written: the record is as it was.
    assert store.get(SLUG).revision == before.revision
    saved = load_proposal(store, proposal.id)
    assert [i.id for i in saved.items] == [i.id for i in proposal.items]


def test_accepting_items_makes_one_revision_with_an_update_log_entry(
    tracker: tuple[Store, Path],
) -> None:
    store, folder = tracker
    before = store.get(SLUG)
    proposal = ingest(str(ARTICLE), store, SITE, folder, url=URL)
    chosen = {i.id for i in proposal.items if i.kind in ("source", "timeline", "legalProvision")}
    eve = Actor("eve", Role.editor)
    stored = Editing(store, SITE).apply_proposal(eve, proposal, chosen)
    assert stored is not None and stored.revision == before.revision + 1
    record: Record = stored.record
    assert URL in {s.url for s in record.sources}
    assert {"2025-12-02", "2025-12-19", "2025-12-23"} <= {
        t.date.isoformat() for t in record.timeline
    }
    assert record.update_log[-1].summary.startswith("Added from")
    assert record.key_points == []  # the rejected items did not go in
    last = store.history(SLUG)[-1]
    assert (last.author, last.message) == ("eve", f"Ingested {URL}") or last.author == "eve"
    again = load_proposal(store, proposal.id)
    assert again.status == "applied" and again.decided_by == "eve"
    assert {i.decision for i in again.items} == {"accepted", "rejected"}


def test_the_cli_ingests_as_json_and_reviews_by_item_numbers(
    tracker: tuple[Store, Path],
) -> None:
    store, folder = tracker
    store.close()
    code, out, err = cw(folder, "ingest", str(ARTICLE), "--url", URL, "--json")
    assert code == 0, err
    proposal = json.loads(out)
    assert proposal["target"] == SLUG and proposal["items"]
    timeline = [i["id"] for i in proposal["items"] if i["kind"] == "timeline"]
    code, out, err = cw(folder, "review", proposal["id"], "--accept", ",".join(map(str, timeline)))
    assert code == 0, err
    reopened = open_store(folder / "tracker.db")
    try:
        record = reopened.get(SLUG).record
        assert "2025-12-19" in {t.date.isoformat() for t in record.timeline}
    finally:
        reopened.close()
    code, _, err = cw(folder, "review", proposal["id"], "--accept", "all")
    assert code == 1 and "applied, not open" in err


def test_bad_sources_change_nothing(tracker: tuple[Store, Path], tmp_path: Path) -> None:
    store, folder = tracker
    revisions = {slug: v.hash for slug, v in store.versions().items()}
    empty = tmp_path / "empty.md"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(ReadError):
        ingest(str(empty), store, SITE, folder)
    with pytest.raises(ReadError, match=r"refused|not allowed|private|loopback"):
        ingest("http://127.0.0.1:9/article", store, SITE, folder)
    german = tmp_path / "bericht.md"
    german.write_text(
        "# Minen verboten\n\nDie Regierung hat am Freitag ein Memo unterzeichnet, das die "
        "Verwendung von Landminen wieder erlaubt. Die Organisation sagte, dass die Entscheidung "
        "gefährlich sei und dass die Zivilbevölkerung darunter leiden werde, wie schon in den "
        "Jahren zuvor in der Region und in den Dörfern an der Grenze.\n",
        encoding="utf-8",
    )
    proposal = ingest(str(german), store, SITE, folder)
    assert proposal.items == [] and proposal.status == "empty"
    assert {slug: v.hash for slug, v in store.versions().items()} == revisions


def test_an_article_about_nothing_in_the_tracker_proposes_a_new_draft(
    tracker: tuple[Store, Path],
) -> None:
    store, folder = tracker
    article = GOLD / "quessia-tailings-ruling.md"
    proposal = ingest(str(article), store, SITE, folder, url="https://example.org/ruling")
    assert proposal.target is None and proposal.items[0].kind == "record"
    count = store.count()
    everything = {i.id for i in proposal.items}
    ed = Actor("ed", Role.editor)
    stored = Editing(store, SITE).apply_proposal(ed, proposal, everything)
    assert stored is not None and stored.status is Status.draft
    assert store.count() == count + 1
    assert stored.record.sources[0].url == "https://example.org/ruling"


def test_a_year_that_only_dates_a_figure_is_not_an_event() -> None:
    from casework.ingest.article import Article
    from casework.ingest.extract.events import extract_events
    from casework.ingest.extract.figures import extract_figures
    from casework.ingest.extract.registry import without_figure_periods

    article = Article(
        text="Mines killed at least 1,200 people in 2024. The ministry was dissolved in 2019.",
        published=date(2025, 6, 1),
    )
    events = extract_events(article)
    kept = without_figure_periods(events, extract_figures(article))
    assert [(e.date.year, e.precision) for e in kept] == [(2019, "year")]
    assert len(events) >= len(kept)


def test_an_article_past_its_extraction_budget_is_refused_and_changes_nothing(
    tracker: tuple[Store, Path],
) -> None:
    store, folder = tracker
    revisions = {slug: v.hash for slug, v in store.versions().items()}
    with pytest.raises(ExtractionTimeout) as stopped:
        ingest(str(ARTICLE), store, SITE, folder, extract_seconds=0)
    assert str(stopped.value).startswith(f"{ARTICLE}: extraction stopped after 0 s")
    assert store.proposals.list(None) == []
    assert {slug: v.hash for slug, v in store.versions().items()} == revisions


def test_the_cli_reads_the_extraction_budget_from_the_config(
    tracker: tuple[Store, Path], tmp_path: Path
) -> None:
    store, folder = tracker
    store.close()
    config = folder / "casework.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\n[ingest]\nextract_seconds = 0.001\n",
        encoding="utf-8",
    )
    # 200 KB of the article's own prose: extraction takes far more than a millisecond.
    long = tmp_path / "long.md"
    body = ARTICLE.read_text(encoding="utf-8").split("\n\n", 1)[1]
    long.write_text("# A long article\n\n" + (body + "\n\n") * 40, encoding="utf-8")
    code, _, err = cw(folder, "ingest", str(long))
    one_line_error(code, err, str(long), "extraction stopped after 0.001 s", "extract_seconds")


# --- a proposal made again for the record a reviewer chose (issue 15) ------------------------
def test_a_proposal_is_made_again_from_the_archived_body_only(tmp_path: Path) -> None:
    """From the WARC file archived at ingest, never the page as it is now; a file only while
    it holds what was read; a proposal naming neither cannot be made again."""
    import hashlib
    import os
    from dataclasses import replace as changed
    from datetime import UTC, datetime

    from casework.ingest.archive import archive
    from casework.ingest.fetch import Fetched
    from casework.ingest.pipeline import rebuild
    from tests.fixtures import review

    store = open_store(tmp_path / "tracker.db")
    review.seed(store)
    site = Site(url="https://m.example.org", title="Monitor")
    made = ingest(str(review.ARTICLE), store, site, tmp_path, url=review.URL)
    assert made.target is None and made.match["ambiguous"] and made.source["sha256"]
    body = review.ARTICLE.read_bytes()
    kept = archive(
        Fetched(
            review.URL, 200, [("Content-Type", "text/markdown")], body, "text/markdown",
            datetime.now(UTC), hashlib.sha256(body).hexdigest(), [],
        ),
        tmp_path / "archive",
    )  # fmt: skip
    where = str(kept.path.relative_to(tmp_path))
    fetched = changed(made, source={"url": review.URL, "archived": where, "sha256": kept.sha256})
    again = rebuild(store, site, fetched, review.CARROW, tmp_path)
    assert again.id == made.id and again.candidates == made.candidates
    assert again.target == review.CARROW and again.match["revision"] == 1
    assert again.source["archived"] == fetched.source["archived"]
    assert {i.kind for i in again.items} >= {"source", "timeline", "figure"}
    assert "water" not in [i.value.get("tag") for i in again.items]  # the record has it
    draft = rebuild(store, site, made, None, tmp_path)
    assert draft.target is None and draft.items[0].kind == "record"
    assert "the reviewer chose" in draft.items[0].note
    with pytest.raises(ReadError, match="folder"):
        rebuild(store, site, fetched, review.CARROW, None)
    wrong = changed(fetched, source={**fetched.source, "sha256": "0" * 64})
    with pytest.raises(ReadError, match="not the body archived"):
        rebuild(store, site, wrong, review.CARROW, tmp_path)
    with pytest.raises(ReadError, match="no archived article"):
        rebuild(store, site, changed(made, source={"url": review.URL}), review.CARROW, tmp_path)
    copy = tmp_path / "orrin.md"
    copy.write_bytes(body + b"\nLater.\n")
    moved = changed(made, source={**made.source, "file": str(copy)})
    with pytest.raises(ReadError, match="changed since it was ingested"):
        rebuild(store, site, moved, review.CARROW, tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    piped = changed(made, source={**made.source, "file": str(fifo)})
    with pytest.raises(ReadError, match="changed since it was ingested"):
        rebuild(store, site, piped, review.CARROW, tmp_path)  # not opened: would hang
    unchecked = changed(made, source={"file": str(review.ARTICLE), "url": review.URL})
    with pytest.raises(ReadError, match="SHA-256"):
        rebuild(store, site, unchecked, review.CARROW, tmp_path)
    store.close()
