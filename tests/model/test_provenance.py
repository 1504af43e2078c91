"""The `provenance` model part: claim paths, moving citations with their claims, and how a
change to a citation reads in the history."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from casework.model import Citation
from casework.model.diff import diff_records
from casework.model.provenance import moved, parse_claim
from tests.store.factories import make_record

A, B = "https://a.example/1", "https://b.example/2"


@pytest.mark.parametrize(
    ("claim", "parsed"), [("keyPoints/0", ("keyPoints", 0)), ("timeline/12", ("timeline", 12))]
)
def test_claims_parse(claim: str, parsed: tuple[str, int]) -> None:
    assert parse_claim(claim) == parsed


@pytest.mark.parametrize(
    "claim", ["keyPoints/-1", "keyPoints/01", "keypoints/0", "timeline", "tags/0", "timeline/1 "]
)
def test_malformed_claims_are_refused(claim: str) -> None:
    with pytest.raises(ValidationError, match="not a claim"):
        Citation.model_validate({"claim": claim, "sources": [A]})


def test_citations_move_with_their_claims_and_go_with_removed_ones() -> None:
    citations = [
        Citation.model_validate({"claim": "keyPoints/0", "sources": [A]}),
        Citation.model_validate({"claim": "keyPoints/2", "sources": [B]}),
        Citation.model_validate({"claim": "timeline/0", "sources": [A]}),
    ]
    # Key point 2 is now first, 0 was removed, a new point is second.
    after = moved(citations, "keyPoints", [2, None])
    assert [(c.claim, c.sources) for c in after] == [("keyPoints/0", [B]), ("timeline/0", [A])]


def test_a_changed_citation_reads_as_one_change_in_the_history() -> None:
    old = make_record("pier", provenance=[{"claim": "keyPoints/0", "sources": [A]}])
    new = make_record("pier", provenance=[{"claim": "keyPoints/0", "sources": [A, B]}])
    [change] = diff_records(old, new)
    assert (change.path, change.label) == ("provenance.0.sources", "Citation 1 · Sources")
    assert change.new == f"{A}\n{B}"
    [added] = diff_records(make_record("pier"), old)
    assert (added.path, added.label, added.kind) == ("provenance", "Citation", "added")
