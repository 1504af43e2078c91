"""Each rule fires on a record that breaks it and stays silent on one that does not."""

from __future__ import annotations

from datetime import date

import pytest

from casework.check import RULES, Corpus, Finding, Level, rule_by_id, run_checks
from casework.model import Record, Site, Status, Vocabularies
from tests.check.builders import SITE, TODAY, check, fields, record, wire


def test_the_good_record_has_no_findings_at_all() -> None:
    assert run_checks(Corpus.from_records([(record(), Status.published)], SITE, TODAY)) == []


def test_every_rule_has_a_unique_id_a_level_and_a_description() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids)) >= 15
    assert all(r.description and isinstance(r.level, Level) for r in RULES)
    with pytest.raises(KeyError, match="no check rule 'nope'"):
        rule_by_id("nope")


def test_finding_formats_as_one_linter_line() -> None:
    finding = Finding("related-missing", Level.error, "my-slug", "relatedIncidents.1", "no record")
    assert finding.format() == "error  related-missing  my-slug  relatedIncidents.1: no record"
    whole = Finding("summary-empty", Level.warning, "my-slug", None, "the summary is empty")
    assert whole.format() == "warning  summary-empty  my-slug  the summary is empty"


def test_findings_are_sorted_errors_first_then_by_slug() -> None:
    items = [
        (record("zeta", summary=" "), Status.published),
        (record("beta", relatedIncidents=["missing"]), Status.published),
        (record("alpha", summary=""), Status.published),
        (record("gamma", sources=[]), Status.published),
    ]
    findings = run_checks(Corpus.from_records(items, SITE, TODAY))
    assert [(f.level, f.slug, f.rule) for f in findings] == [
        (Level.error, "beta", "related-missing"),
        (Level.error, "gamma", "source-missing"),
        (Level.warning, "alpha", "summary-empty"),
        (Level.warning, "zeta", "summary-empty"),
    ]


# --- references -----------------------------------------------------------------------------


def test_slug_duplicate_fires_on_the_second_record_with_a_slug() -> None:
    findings = check("slug-duplicate", record("a"), record("b"), record("a"))
    assert fields(findings) == [("a", "slug")]
    assert "record 3 has the same slug as record 1" in findings[0].message
    assert check("slug-duplicate", record("a"), record("b")) == []


def test_related_missing_names_the_slug_that_does_not_exist() -> None:
    findings = check("related-missing", record("a", relatedIncidents=["b", "ghost"]), record("b"))
    assert fields(findings) == [("a", "relatedIncidents.1")]
    assert findings[0].level is Level.error
    assert "no record with slug 'ghost'" in findings[0].message
    assert check("related-missing", record("a", relatedIncidents=["b"]), record("b")) == []


def test_related_self_fires_when_a_record_lists_itself() -> None:
    assert fields(check("related-self", record("a", relatedIncidents=["a"]))) == [
        ("a", "relatedIncidents.0")
    ]
    assert check("related-self", record("a", relatedIncidents=["b"]), record("b")) == []


def test_related_one_way_warns_when_the_other_record_does_not_list_back() -> None:
    findings = check("related-one-way", record("a", relatedIncidents=["b"]), record("b"))
    assert fields(findings) == [("a", "relatedIncidents.0")]
    assert findings[0].level is Level.warning
    both = [record("a", relatedIncidents=["b"]), record("b", relatedIncidents=["a"])]
    assert check("related-one-way", *both) == []
    # A missing record is related-missing's business, not this rule's.
    assert check("related-one-way", record("a", relatedIncidents=["ghost"])) == []


def test_related_unpublished_warns_of_a_public_link_to_a_draft() -> None:
    a = record("a", relatedIncidents=["b"])
    b = record("b", relatedIncidents=["a"])
    findings = check("related-unpublished", a, (b, Status.draft))
    assert fields(findings) == [("a", "relatedIncidents.0")]
    assert "'b' is draft" in findings[0].message
    assert check("related-unpublished", a, b) == []
    # A draft may link to another draft.
    assert check("related-unpublished", (a, Status.draft), (b, Status.review)) == []


# --- vocabularies -----------------------------------------------------------------------------


def test_vocabulary_unknown_names_each_key_the_site_lacks() -> None:
    # Validated without a site, so the keys get in; the check judges them against the site.
    bad = record(category="weather", warCrimeClassification="maybe")
    findings = check("vocabulary-unknown", bad)
    assert fields(findings) == [
        ("harbour-curfew", "category"),
        ("harbour-curfew", "warCrimeClassification"),
    ]
    assert "'weather' is not a category key" in findings[0].message
    assert check("vocabulary-unknown", record()) == []


def test_vocabulary_unknown_follows_the_sites_own_vocabularies() -> None:
    site = Site(vocabularies=Vocabularies(category={"weather": "Weather"}))
    assert fields(check("vocabulary-unknown", record(category="weather"), site=site)) == []
    assert fields(check("vocabulary-unknown", record(), site=site)) == [
        ("harbour-curfew", "category")
    ]


# --- dates --------------------------------------------------------------------------------


def test_date_future_flags_every_kind_of_date_after_today() -> None:
    future = "2024-06-02"  # the day after TODAY
    bad = record(
        date=future,
        lastUpdated=future,
        timeline=[{"date": future, "title": "t", "summary": "s"}],
        documents=[{"title": "d", "url": "https://d.example/", "kind": "memo", "date": future}],
        updateLog=[{"date": future, "summary": "s"}],
    )
    assert [f for _, f in fields(check("date-future", bad))] == [
        "date",
        "lastUpdated",
        "timeline.0.date",
        "documents.0.date",
        "updateLog.0.date",
    ]
    today = TODAY.isoformat()
    assert check("date-future", record(date=today, lastUpdated=today)) == []


def test_date_future_judges_against_the_corpus_day_not_the_clock() -> None:
    bad = record(date="2024-07-01", lastUpdated="2024-07-01")
    later = Corpus.from_records([(bad, Status.published)], SITE, date(2024, 8, 1))
    assert run_checks(later, [rule_by_id("date-future")]) == []


def test_last_updated_before_date_warns() -> None:
    stale = record(date="2023-03-14", lastUpdated="2023-03-01")
    findings = check("last-updated-before-date", stale)
    assert fields(findings) == [("harbour-curfew", "lastUpdated")]
    assert check("last-updated-before-date", record(lastUpdated="2023-03-14")) == []


def test_timeline_order_flags_the_entry_that_goes_back_in_time() -> None:
    timeline = [
        {"date": "2023-01-05", "title": "one", "summary": "s"},
        {"date": "2023-01-09", "title": "two", "summary": "s"},
        {"date": "2023-01-07", "title": "three", "summary": "s"},
        {"date": "2023-01-09", "title": "four", "summary": "s"},  # same day: still in order
    ]
    findings = check("timeline-order", record(timeline=timeline))
    assert fields(findings) == [("harbour-curfew", "timeline.2.date")]
    assert "timeline.1" in findings[0].message
    assert check("timeline-order", record()) == []


# --- sources ------------------------------------------------------------------------------


def test_source_missing_is_an_error_only_for_published_records() -> None:
    unsourced = record(sources=[])
    findings = check("source-missing", unsourced)
    assert fields(findings) == [("harbour-curfew", "sources")]
    assert findings[0].level is Level.error
    assert check("source-missing", (unsourced, Status.draft)) == []
    assert check("source-missing", record()) == []


def test_source_duplicate_flags_the_same_page_twice_in_one_list() -> None:
    sources = [
        {"url": "https://www.news.example/story/", "title": "a", "publisher": "p"},
        {"url": "https://other.example/x", "title": "b", "publisher": "p"},
        {"url": "http://news.example/story#comments", "title": "c", "publisher": "p"},
        {"url": "https://other.example/x", "title": "d", "publisher": "p"},
    ]
    findings = check("source-duplicate", record(sources=sources))
    assert [(f.field, f.message) for f in findings] == [
        ("sources.2.url", "the same page as sources.0"),
        ("sources.3.url", "the same URL as sources.1"),
    ]


def test_source_duplicate_allows_a_source_that_is_also_a_legal_analysis() -> None:
    url = "https://analysis.example/curfews"
    good = record(sources=[{"url": url, "title": "a", "publisher": "p"}])
    assert good.legal_analyses[0].url == url
    assert check("source-duplicate", good) == []


# --- imported data ------------------------------------------------------------------------


def test_derived_mismatch_reports_imported_values_that_casework_would_not_compute() -> None:
    imported = Record.model_validate(
        wire(sourceCount=7, categoryLabel="Domestic Use of the Military", url="https://x.example/")
    )
    findings = check("derived-mismatch", imported)
    assert fields(findings) == [("harbour-curfew", "url"), ("harbour-curfew", "sourceCount")]
    assert "imported 7, casework computes 1" in findings[1].message
    agreeing = Record.model_validate(wire(sourceCount=1, documentCount=1))
    assert check("derived-mismatch", agreeing) == []
    assert check("derived-mismatch", record()) == []


def test_unknown_key_names_each_key_and_where_it_is() -> None:
    data = wire(reviewer="someone")
    data["sources"][0]["archivedAt"] = "2023-03-15"
    data["structuredPerpetrators"][0]["rank"] = "colonel"
    findings = check("unknown-key", Record.model_validate(data))
    assert [f.field for f in findings] == [
        "reviewer",
        "structuredPerpetrators.0.rank",
        "sources.0.archivedAt",
    ]
    assert "unknown key 'archivedAt'" in findings[2].message
    assert check("unknown-key", record()) == []


# --- content ------------------------------------------------------------------------------


def test_summary_empty_warns_on_a_blank_summary() -> None:
    assert fields(check("summary-empty", record(summary="  \n"))) == [("harbour-curfew", "summary")]
    assert check("summary-empty", record()) == []


def test_tag_variant_points_to_the_usual_spelling_and_repeats() -> None:
    records = [
        record("a", tags=["Ottawa Treaty"]),
        record("b", tags=["Ottawa Treaty", "curfew"]),
        record("c", tags=["ottawa  treaty", "curfew", "Curfew"]),
    ]
    findings = check("tag-variant", *records)
    assert [(f.slug, f.field, f.message) for f in findings] == [
        ("c", "tags.0", "'ottawa  treaty' is written 'Ottawa Treaty' in 2 records"),
        ("c", "tags.2", "'Curfew' repeats tags.1"),
    ]
    assert check("tag-variant", record("a", tags=["Ottawa Treaty", "curfew"])) == []


# --- look-alikes ------------------------------------------------------------------------------


def test_slug_not_ascii_catches_slugs_that_skipped_validation() -> None:
    # model_copy does not validate: how a record from an old store or from code gets in.
    bad = record("cafe", relatedIncidents=["b"]).model_copy(
        update={"slug": "café", "related_incidents": ["Bad_Slug"]}
    )
    findings = check("slug-not-ascii", bad, record("b"))
    assert fields(findings) == [("café", "slug"), ("café", "relatedIncidents.0")]
    assert "U+00E9 LATIN SMALL LETTER E WITH ACUTE" in findings[0].message
    assert "is not a slug" in findings[1].message
    assert check("slug-not-ascii", record()) == []


def test_slug_not_ascii_checks_entity_slugs() -> None:
    good = record()
    party = good.structured_perpetrators[0].model_copy(update={"entity": "gаrrison"})  # Cyrillic а
    bad = good.model_copy(update={"structured_perpetrators": [party]})
    findings = check("slug-not-ascii", bad)
    assert fields(findings) == [("harbour-curfew", "structuredPerpetrators.0.entity")]
    assert "CYRILLIC SMALL LETTER A" in findings[0].message


def test_slug_confusable_flags_slugs_that_differ_only_by_lookalikes() -> None:
    findings = check("slug-confusable", record("case-10"), record("case-1o"), record("case-11"))
    assert fields(findings) == [("case-10", "slug"), ("case-1o", "slug")]
    assert "looks like the record slug 'case-1o'" in findings[0].message
    assert check("slug-confusable", record("case-10"), record("case-11")) == []


def test_slug_confusable_flags_entity_slugs_too() -> None:
    other = record(
        "b",
        structuredPerpetrators=[
            {"name": "Garrison", "kind": "organization", "entity": "garrison-cornmand"}
        ],
    )
    findings = check("slug-confusable", record("a"), other)
    assert fields(findings) == [
        ("a", "structuredPerpetrators.0.entity"),
        ("b", "structuredPerpetrators.0.entity"),
    ]
    assert check("slug-confusable", record("a"), record("b")) == []


def test_text_mixed_script_finds_a_lookalike_letter_in_a_tag() -> None:
    findings = check("text-mixed-script", record(tags=["Ottawa Trеaty"]))  # Cyrillic е
    assert fields(findings) == [("harbour-curfew", "tags.0")]
    assert "CYRILLIC SMALL LETTER IE" in findings[0].message
    # Whole words in another script, and accented Latin, are fine.
    fine = record(tags=["Ottawa Treaty", "Харків", "Łódź"], title="Curfew in Харків")
    assert check("text-mixed-script", fine) == []


def test_url_host_not_ascii_warns_of_a_lookalike_source_site() -> None:
    sources = [{"url": "https://nеws.example/story", "title": "a", "publisher": "p"}]  # Cyrillic е
    findings = check("url-host-not-ascii", record(sources=sources))
    assert fields(findings) == [("harbour-curfew", "sources.0.url")]
    assert "xn--" in findings[0].message
    non_ascii_path = [{"url": "https://news.example/café", "title": "a", "publisher": "p"}]
    assert check("url-host-not-ascii", record(sources=non_ascii_path)) == []
