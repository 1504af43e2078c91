"""The record model: strict validation, derived fields, unknown keys kept in place."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from casework.model import (
    RECORD_KEYS,
    Record,
    Site,
    Vocabularies,
    derived_fields,
    derived_mismatches,
    display_date,
)

SITE = Site(url="https://monitor.example.org/", title="Monitor")


def authored() -> dict[str, Any]:
    return {
        "slug": "river-town-checkpoint-shooting",
        "title": "Soldiers fire on families at a river-town checkpoint",
        "date": "2024-03-09",
        "lastUpdated": "2024-05-01",
        "summary": "Witnesses describe soldiers firing on cars queueing at a checkpoint.",
        "category": "domestic-military",
        "severity": "extreme",
        "posture": "reported",
        "ongoing": False,
        "victims": "Civilians waiting to cross, including children.",
        "perpetrators": "An army unit manning the checkpoint.",
        "structuredVictims": [{"name": "Queueing families", "kind": "population", "count": 14}],
        "structuredPerpetrators": [
            {"name": "Checkpoint unit", "kind": "group", "role": "shooters", "entity": "unit-7"}
        ],
        "legalBasis": "IHL principle of distinction",
        "tags": ["checkpoints", "Ñandú river"],
        "keyPoints": ["Fourteen people were hit."],
        "warCrimeClassification": "direct",
        "internationalLaw": [
            {"statute": "Geneva Conventions", "article": "Common Article 3", "provision": "…"},
            {"statute": "Customary IHL", "provision": "Distinction"},
        ],
        "iccRelevance": True,
        "legalAnalyses": [],
        "description": "A longer account.",
        "relatedIncidents": ["river-town-curfew"],
        "sources": [{"url": "https://news.example.com/a", "title": "A", "publisher": "Example"}],
        "documents": [],
        "timeline": [{"date": "2024-03-09", "title": "Shooting", "summary": "Shots fired."}],
        "updateLog": [],
    }


def test_display_date_has_no_leading_zero() -> None:
    assert display_date(date(2025, 12, 2)) == "December 2, 2025"
    assert display_date(date(2026, 3, 26)) == "March 26, 2026"


def test_derived_fields_follow_the_site_and_vocabularies() -> None:
    record = Record.model_validate(authored(), context={"site": SITE})
    derived = derived_fields(record, SITE)
    assert derived["url"] == "https://monitor.example.org/incident/river-town-checkpoint-shooting/"
    assert derived["severityLabel"] == "War Crime / Crime Against Humanity"
    assert derived["categoryLabel"] == "Domestic Use of the Military"
    assert derived["sourceCount"] == 1 and derived["documentCount"] == 0
    assert derived["citation"] == (
        "Soldiers fire on families at a river-town checkpoint. "
        "https://monitor.example.org/incident/river-town-checkpoint-shooting/. "
        "Published March 9, 2024. Updated May 1, 2024."
    )


def test_wire_form_omits_empty_optional_keys_and_keeps_order() -> None:
    wire = Record.model_validate(authored()).to_wire()
    assert list(wire) == [key for key in RECORD_KEYS if key in wire]
    assert "article" not in wire["internationalLaw"][1]
    assert "role" not in wire["structuredVictims"][0]
    assert wire["structuredPerpetrators"][0]["entity"] == "unit-7"


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("slug", "Not A Slug", "is not a slug"),
        ("slug", "café-raid", "is not a slug"),
        ("date", "2024/03/09", "YYYY-MM-DD"),
        ("date", "2024-02-30", "not a real calendar date"),
        ("ongoing", "yes", "valid boolean"),
        ("tags", "checkpoints", "valid list"),
        ("category", "made-up", "not a key of the site's vocabulary"),
        ("relatedIncidents", ["Bad Slug"], "is not a slug"),
    ],
)
def test_bad_authored_values_are_refused(field: str, value: Any, fragment: str) -> None:
    data = authored()
    data[field] = value
    with pytest.raises(ValidationError) as caught:
        Record.model_validate(data, context={"site": SITE})
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/x", "/relative", "https://a b.org/"]
)
def test_source_urls_must_be_absolute_http(url: str) -> None:
    data = authored()
    data["sources"][0]["url"] = url
    with pytest.raises(ValidationError):
        Record.model_validate(data)


def test_unknown_keys_are_kept_where_they_stood() -> None:
    data = authored()
    items = list(data.items())
    items.insert(2, ("internalNote", {"x": 1}))
    data = dict(items)
    data["sources"][0] = {"url": "https://e.org/", "archived": True, "title": "T", "publisher": "P"}
    record = Record.model_validate(data)
    assert record.unknown_keys == ["internalNote"]
    wire = record.to_wire()
    assert list(wire)[:3] == ["slug", "title", "internalNote"]
    assert list(wire["sources"][0]) == ["url", "archived", "title", "publisher"]


def test_unknown_key_after_a_derived_key_survives_storage() -> None:
    data = authored()
    data = {"slug": data["slug"], "title": data["title"], "url": "x", "note": 1, **data}
    record = Record.model_validate(data)
    again = Record.from_storage(copy.deepcopy(record.to_storage()))
    placed = again.place_unknown_keys({"slug": 1, "title": 2, "url": 3, "date": 4})
    assert list(placed) == ["slug", "title", "url", "note", "date"]


def test_derived_values_that_arrive_are_set_aside_and_compared() -> None:
    data = authored()
    data["sourceCount"] = 5
    data["categoryLabel"] = "Domestic Use of the Military"
    record = Record.model_validate(data, context={"site": SITE})
    assert "sourceCount" not in record.to_wire()
    assert derived_mismatches(record, SITE) == {"sourceCount": (5, 1)}


def test_snake_case_names_are_not_taken_for_camel_case_keys() -> None:
    data = authored()
    data["key_points"] = ["sneaky"]
    record = Record.model_validate(data)
    assert record.key_points == ["Fourteen people were hit."]
    assert record.unknown_keys == ["key_points"]


def test_vocabularies_come_from_the_site() -> None:
    site = Site(vocabularies=Vocabularies(category={"protest": "Protest"}))
    data = authored()
    data["category"] = "protest"
    record = Record.model_validate(data, context={"site": site})
    assert derived_fields(record, site)["categoryLabel"] == "Protest"
    with pytest.raises(ValidationError):
        Record.model_validate(authored(), context={"site": site})
