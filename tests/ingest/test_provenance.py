"""Accepting an ingest item keeps its source and sentence as the claim's `provenance`, through
the real pipeline: `casework ingest --queue` → `casework worker` → `casework review`, and the
editor's proposal page; on both engines (tests/editing/test_invariants' desk)."""

from __future__ import annotations

from casework.model import Status
from casework.model.provenance import citations_of
from tests.editing.test_invariants import ARTICLE, SITE, Desk, desk  # noqa: F401  (the fixture)

HARBOUR = "https://example.org/harbour"


def _words(text: str) -> str:
    return " ".join(text.split())


def test_review_keeps_each_accepted_claims_source_and_sentence(desk: Desk) -> None:  # noqa: F811
    article = desk.folder / "article.md"
    article.write_text(ARTICLE, encoding="utf-8")
    assert desk.cli("ingest", str(article), "--queue", "--url", "https://ex.org/a")[0] == 0
    code, _, err = desk.cli("worker", "--once")
    assert code == 0, err
    code, out, err = desk.cli("review", "--accept", "all")
    assert code == 0, err
    [slug] = [s for s in desk.store.slugs() if "harbour-crews" in s]
    record = desk.store.get(slug).record
    assert record.sources[0].url == "https://ex.org/a"
    assert record.key_points and record.timeline, out
    cited = citations_of(record)
    # Every claim the article gave cites it, with the sentence of the article it came from.
    claims = [f"keyPoints/{i}" for i in range(len(record.key_points))] + [
        f"timeline/{i}" for i in range(len(record.timeline))
    ]
    assert sorted(cited) == sorted(claims)
    for claim in claims:
        citation = cited[claim]
        assert citation.sources == ["https://ex.org/a"]
        assert citation.sentence and citation.sentence in _words(ARTICLE), citation.sentence
    assert "March 16, 2021" in (cited["timeline/0"].sentence or "")
    quote = next(i for i, p in enumerate(record.key_points) if "Nobody told us" in p)
    assert "Marta Kell" in (cited[f"keyPoints/{quote}"].sentence or "")
    # And `check` has nothing to say about the new draft's provenance.
    code, out, _ = desk.cli("check")
    assert "claim-uncited" not in out and "citation-" not in out, out


def test_the_proposal_page_moves_the_records_citations_with_their_claims(
    desk: Desk,  # noqa: F811
) -> None:
    from casework.ingest.pipeline import ingest

    desk.seed(
        "pier-closure",
        Status.draft,
        timeline=[{"date": "2021-03-20", "title": "Reopened", "summary": "The pier reopened."}],
        provenance=[
            {"claim": "keyPoints/1", "sources": [HARBOUR], "sentence": "Boats were left."},
            {"claim": "timeline/0", "sources": [HARBOUR]},
        ],
    )
    article = desk.folder / "article.md"
    article.write_text(ARTICLE, encoding="utf-8")
    proposal = ingest(str(article), desk.store, SITE, desk.folder,
                      target="pier-closure", url="https://ex.org/c")  # fmt: skip
    kinds = {item.id: item.kind for item in proposal.items}
    assert "timeline" in kinds.values() and "source" in kinds.values()
    rita = desk.browser("rita")
    token = rita.csrf(f"/edit/proposals/{proposal.id}")
    answer = rita.post(
        f"/edit/proposals/{proposal.id}",
        [("csrf", token), *(("accept", str(i)) for i in kinds)],
    )
    assert answer.status_code == 303, answer.text
    record = desk.store.get("pier-closure").record
    # The article's March 16 entry went before the seeded March 20 one, which kept its
    # citation; the seeded key point's citation stayed where it was.
    assert [e.date.isoformat() for e in record.timeline] == ["2021-03-16", "2021-03-20"]
    cited = citations_of(record)
    assert cited["timeline/1"].sources == [HARBOUR] and cited["timeline/1"].sentence is None
    assert cited["timeline/0"].sources == ["https://ex.org/c"]
    assert cited["keyPoints/1"].sentence == "Boats were left."
    assert "keyPoints/0" not in cited
    added = [f"keyPoints/{i}" for i in range(2, len(record.key_points))]
    assert added and all(cited[c].sources == ["https://ex.org/c"] for c in added)


def test_a_claim_whose_source_item_was_rejected_cites_nothing(desk: Desk) -> None:  # noqa: F811
    from casework.ingest.pipeline import ingest

    desk.seed("pier-closure", Status.draft)
    article = desk.folder / "article.md"
    article.write_text(ARTICLE, encoding="utf-8")
    proposal = ingest(str(article), desk.store, SITE, desk.folder,
                      target="pier-closure", url="https://ex.org/d")  # fmt: skip
    accept = [str(i.id) for i in proposal.items if i.kind != "source"]
    rita = desk.browser("rita")
    token = rita.csrf(f"/edit/proposals/{proposal.id}")
    answer = rita.post(
        f"/edit/proposals/{proposal.id}", [("csrf", token), *(("accept", i) for i in accept)]
    )
    assert answer.status_code == 303, answer.text
    record = desk.store.get("pier-closure").record
    assert len(record.timeline) == 2 and len(record.key_points) > 2
    # Not a citation of a URL the record does not list (`citation-unknown-source`).
    assert record.provenance == []
