"""The provenance rules: each fires on a record that breaks it and stays silent on one that
does not (tests/check/builders' good record cites every claim)."""

from __future__ import annotations

from casework.check import Level, rule_by_id
from tests.check.builders import check, fields, record

ORDER = "https://gov.example/order.pdf"
NEWS = "https://news.example/2023/03/curfew"


def test_the_levels_are_warning_for_uncited_and_error_for_broken_citations() -> None:
    assert rule_by_id("claim-uncited").level is Level.warning
    assert rule_by_id("citation-unknown-source").level is Level.error
    assert rule_by_id("citation-dangling").level is Level.error


def test_a_record_that_cites_every_claim_passes_all_three() -> None:
    for rule in ("claim-uncited", "citation-unknown-source", "citation-dangling"):
        assert check(rule, record()) == []


def test_a_record_that_cites_nothing_is_one_warning_not_one_per_claim() -> None:
    old = record("old-record", provenance=[], keyPoints=["One.", "Two.", "Three."])
    findings = check("claim-uncited", old)
    assert fields(findings) == [("old-record", "provenance")]
    assert "none of its 3 key points and 2 timeline entries cites a source" in findings[0].message
    # Nothing to cite: nothing to say.
    assert check("claim-uncited", record(provenance=[], keyPoints=[], timeline=[])) == []


def test_a_record_that_cites_some_claims_names_each_one_it_left_out() -> None:
    partly = record(
        keyPoints=["The curfew ran from 20:00 to 06:00.", "Two shops were shut."],
        provenance=[{"claim": "keyPoints/0", "sources": [NEWS]}],
    )
    findings = check("claim-uncited", partly)
    assert fields(findings) == [
        ("harbour-curfew", "keyPoints.1"),
        ("harbour-curfew", "timeline.0"),
        ("harbour-curfew", "timeline.1"),
    ]
    assert findings[0].message == "keyPoints/1 cites no source"


def test_citing_a_url_the_record_does_not_list_is_an_error() -> None:
    cited = record(
        provenance=[
            {"claim": "keyPoints/0", "sources": [ORDER, "https://elsewhere.example/x"]},
            {"claim": "timeline/1", "sources": [NEWS]},
        ]
    )
    findings = check("citation-unknown-source", cited)
    assert fields(findings) == [("harbour-curfew", "provenance.0.sources.1")]
    assert "keyPoints/0 cites 'https://elsewhere.example/x'" in findings[0].message
    # A source removed while a claim still cites it.
    findings = check("citation-unknown-source", record(sources=[], documents=[]))
    assert [f.field for f in findings] == [
        "provenance.0.sources.0",
        "provenance.1.sources.0",
        "provenance.2.sources.0",
    ]
    # A legal analysis is not a source of the record's claims.
    analysis = "https://analysis.example/curfews"
    findings = check(
        "citation-unknown-source",
        record(provenance=[{"claim": "keyPoints/0", "sources": [analysis]}]),
    )
    assert len(findings) == 1


def test_a_citation_of_a_claim_the_record_does_not_have_dangles() -> None:
    findings = check(
        "citation-dangling",
        record(
            keyPoints=["Only one."],
            provenance=[
                {"claim": "keyPoints/0", "sources": [ORDER]},
                {"claim": "keyPoints/1", "sources": [ORDER]},
                {"claim": "timeline/5", "sources": [ORDER]},
            ],
        ),
    )
    assert fields(findings) == [
        ("harbour-curfew", "provenance.1.claim"),
        ("harbour-curfew", "provenance.2.claim"),
    ]
    assert findings[0].message == "keyPoints/1 does not exist: the record has 1 key point"
    assert findings[1].message == "timeline/5 does not exist: the record has 2 timeline entries"
