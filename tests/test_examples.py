"""Generated example records: deterministic, complete, valid, marked as examples."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from casework.check import Corpus, Level, run_checks
from casework.examples import EXAMPLE_STATUTES, EXAMPLE_TAG, SUMMARY_PREFIX, generate_records
from casework.model import Record, Site, Status, Vocabularies
from casework.render.html import render_markdown

TODAY = date(2026, 1, 15)
# The demo's site: it declares the statutes the examples cite (the check rules ask for that).
SITE = Site(url="https://examples.example", statutes=EXAMPLE_STATUTES)
LIST_FIELDS = (
    "structured_victims",
    "structured_perpetrators",
    "tags",
    "key_points",
    "international_law",
    "legal_analyses",
    "sources",
    "documents",
    "timeline",
    "update_log",
)


@cache
def sample() -> tuple[Record, ...]:
    return tuple(generate_records(200, seed=7, site=SITE, today=TODAY))


def storage(records: list[Record] | tuple[Record, ...]) -> list[dict[str, object]]:
    return [r.to_storage() for r in records]


def test_the_same_seed_gives_the_same_records_and_another_seed_others() -> None:
    again = list(generate_records(200, seed=7, site=SITE, today=TODAY))
    assert storage(again) == storage(sample())
    other = list(generate_records(20, seed=8, site=SITE, today=TODAY))
    assert [r.slug for r in other] != [r.slug for r in sample()[:20]]


def test_the_first_k_records_of_n_are_the_records_of_k() -> None:
    assert storage(list(generate_records(37, seed=7, site=SITE, today=TODAY))) == storage(
        sample()[:37]
    )


def test_slugs_are_unique_and_titles_varied() -> None:
    records = sample()
    assert len({r.slug for r in records}) == len(records)
    assert len({r.title for r in records}) == len(records)
    assert len({r.title.split()[1] for r in records}) > 5  # actors differ, not just places


def test_every_list_field_is_filled() -> None:
    for record in sample():
        for name in LIST_FIELDS:
            assert getattr(record, name), f"{record.slug}: {name} is empty"
    # The first record has no earlier record to relate to; every later one has one.
    assert all(r.related_incidents for r in sample()[1:])


def test_parties_have_kinds_roles_counts_and_entities() -> None:
    parties = [p for r in sample() for p in r.structured_victims + r.structured_perpetrators]
    assert {p.kind.value for p in parties} >= {"person", "group", "organization", "state"}
    assert any(p.count for p in parties) and any(p.role for p in parties)
    assert any(p.entity for p in parties)


def test_legal_provisions_come_with_and_without_article() -> None:
    provisions = [p for r in sample() for p in r.international_law]
    assert any(p.article for p in provisions) and any(p.article is None for p in provisions)


def test_dates_span_years_up_to_today_and_are_in_order() -> None:
    records = sample()
    years = {r.date.year for r in records}
    assert min(years) <= TODAY.year - 12 and max(years) >= TODAY.year - 1
    for r in records:
        assert r.date <= r.last_updated <= TODAY
        days = [e.date for e in r.timeline]
        assert days == sorted(days) and days[-1] <= TODAY
        assert [u.date for u in r.update_log] == sorted(u.date for u in r.update_log)


def test_bodies_are_about_six_kilobytes_of_structured_markdown() -> None:
    for record in sample()[:50]:
        body = record.body
        assert 5000 <= len(body.encode()) <= 9000
        assert re.search(r"^## ", body, re.M) and re.search(r"^### ", body, re.M)
        assert re.search(r"^- ", body, re.M) and re.search(r"^1\. ", body, re.M)
        assert re.search(r"\]\(https://", body)
        assert record.body_html == render_markdown(body)
    html = "".join(r.body_html for r in sample())
    for element in ("<table>", "<em>", "<strong>", "<blockquote>", "<li>\n<p>"):
        assert element in html  # tables, emphasis, quotes and loose lists all occur


def test_related_incidents_name_existing_earlier_records() -> None:
    seen: set[str] = set()
    for record in sample():
        assert set(record.related_incidents) <= seen
        assert record.related_incidents == sorted(record.related_incidents)
        seen.add(record.slug)


def test_every_record_says_it_is_an_example() -> None:
    for record in sample():
        assert record.summary.startswith(SUMMARY_PREFIX)
        assert EXAMPLE_TAG in record.tags
        assert "example record" in record.body.splitlines()[0]


def test_records_round_trip_through_storage_validated_against_the_site() -> None:
    for record in sample():
        again = Record.model_validate(record.to_storage(), context={"site": SITE})
        assert again.to_storage() == record.to_storage()


def test_vocabulary_keys_come_from_the_sites_vocabularies() -> None:
    site = Site(
        vocabularies=Vocabularies(
            category={"arrests": "Arrests", "strikes": "Strikes"},
            severity={"low": "Low", "high": "High"},
        )
    )
    records = list(generate_records(30, site=site, today=TODAY))
    assert {r.category for r in records} == {"arrests", "strikes"}
    assert {r.severity for r in records} == {"low", "high"}


def test_two_hundred_records_pass_check_without_errors() -> None:
    items = [(r, Status.published) for r in sample()]
    findings = run_checks(Corpus.from_records(items, SITE, TODAY))
    assert [f.format() for f in findings if f.level is Level.error] == []
    # One-way relations are the only warnings: links point back to earlier records.
    assert {f.rule for f in findings} <= {"related-one-way"}


def test_mutual_links_make_every_relation_two_way_and_change_nothing_else() -> None:
    mutual = list(generate_records(200, seed=7, site=SITE, today=TODAY, mutual_links=True))
    findings = run_checks(Corpus.from_records([(r, Status.published) for r in mutual], SITE, TODAY))
    assert findings == []
    for plain, linked in zip(sample(), mutual, strict=True):
        assert set(plain.related_incidents) <= set(linked.related_incidents)
        assert plain.model_copy(update={"related_incidents": []}).to_storage() == (
            linked.model_copy(update={"related_incidents": []}).to_storage()
        )


def test_text_has_a_long_tail_of_rare_words() -> None:
    counts: dict[str, int] = {}
    for record in sample():
        for word in re.findall(r"[a-z]+", record.body.lower()):
            counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    assert len(counts) > 1500
    # Zipf-like: the commonest words are far more frequent than the median one.
    assert ranked[0] > 50 * ranked[len(ranked) // 2]
