"""The statute rules: a statute named by an alias, and one the catalog and casework.toml do
not know, each reported at its provision's field with what to write instead."""

from __future__ import annotations

from typing import Any

from casework.check import Level, rule_by_id
from casework.model import Site
from tests.check.builders import check, fields, record


def law(*statutes: str) -> list[dict[str, Any]]:
    return [{"statute": s, "article": "Article 1", "provision": "A provision"} for s in statutes]


def test_statute_alias_names_the_canonical_name_at_the_provision() -> None:
    cited = record(
        "a",
        internationalLaw=law(
            "Ottawa Convention", "ICCPR", "Ottawa Treaty (Mine Ban Treaty)", "mine ban treaty"
        ),
    )
    findings = check("statute-alias", cited)
    assert fields(findings) == [
        ("a", "internationalLaw.2.statute"),
        ("a", "internationalLaw.3.statute"),
    ]
    assert findings[0].message == (
        "'Ottawa Treaty (Mine Ban Treaty)' is another name of 'Ottawa Convention'"
    )
    assert "'Ottawa Convention'" in findings[1].message
    assert rule_by_id("statute-alias").level is Level.warning
    assert check("statute-alias", record("b", internationalLaw=law("Rome Statute"))) == []


def test_statute_unknown_fires_on_a_name_neither_catalog_nor_config_knows() -> None:
    cited = record("a", internationalLaw=law("Rome Statute", "Kestrel Harbour Ordinance", "ICC"))
    findings = check("statute-unknown", cited)
    assert fields(findings) == [
        ("a", "internationalLaw.1.statute"),
        ("a", "internationalLaw.2.statute"),
    ]
    assert findings[0].message.startswith("'Kestrel Harbour Ordinance' is not a statute")
    assert "[[law.statutes]]" in findings[0].message
    # An alias is not unknown: statute-alias reports it.
    assert check("statute-unknown", record("b", internationalLaw=law("Mine Ban Treaty"))) == []


def test_the_sites_statutes_are_known_and_their_names_canonical() -> None:
    site = Site(
        url="https://tracker.example",
        statutes=[
            {"name": "Kestrel Harbour Ordinance", "aliases": ["KHO"]},
            {"name": "International Covenant on Civil and Political Rights"},
        ],
    )
    cited = record(
        "a",
        internationalLaw=law(
            "Kestrel Harbour Ordinance",
            "KHO",
            "International Covenant on Civil and Political Rights",
            "ICCPR",
        ),
    )
    assert check("statute-unknown", cited, site=site) == []
    findings = check("statute-alias", cited, site=site)
    assert fields(findings) == [
        ("a", "internationalLaw.1.statute"),
        ("a", "internationalLaw.3.statute"),
    ]
    assert findings[1].message == (
        "'ICCPR' is another name of 'International Covenant on Civil and Political Rights'"
    )


def test_a_description_in_the_statute_field_is_unknown_and_its_message_is_short() -> None:
    long = "a treaty that bans landmines, " * 20
    (finding,) = check("statute-unknown", record("a", internationalLaw=law(long)))
    assert len(finding.message) < 200
