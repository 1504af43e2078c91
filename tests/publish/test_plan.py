"""The site's plan: what pages there are and what each shows, from cards alone. Here: one
/law/ page per statute, whatever spelling records cite it by."""

from __future__ import annotations

from typing import Any

from casework.model import Site
from casework.publish.cards import card_of
from casework.publish.plan import Page, plan_pages
from tests.store.factories import make_record

OTTAWA = ["Ottawa Treaty (Mine Ban Treaty)", "Ottawa Convention", "Mine Ban Treaty"]


def law(*provisions: tuple[str, str | None]) -> list[dict[str, Any]]:
    return [
        {"statute": statute, "article": article, "provision": f"about {statute}"}
        for statute, article in provisions
    ]


def planned(records: list[Any], site: Site | None = None) -> dict[str, Page]:
    cards = {record.slug: card_of(record) for record in records}
    return {page.path: page for page in plan_pages(cards, site or Site(), [])}


def law_paths(pages: dict[str, Page]) -> list[str]:
    return sorted(p for p in pages if p.startswith("law/"))


def test_three_spellings_of_one_treaty_make_one_page_listed_once() -> None:
    records = [
        make_record(f"r{i}", date=f"2022-01-0{i + 1}", internationalLaw=law((name, "Article 1")))
        for i, name in enumerate(OTTAWA)
    ]
    pages = planned(records)
    page = pages["law/ottawa-convention/index.html"]
    assert page.template == "law.html"
    assert page.context["name"] == "Ottawa Convention"
    assert page.context["total"] == 3
    assert page.context["aliases"] == ["Mine Ban Treaty", "Ottawa Treaty (Mine Ban Treaty)"]
    (article,) = page.context["articles"]
    assert article["article"] == "Article 1"
    assert [r["slug"] for r in article["records"]] == ["r2", "r1", "r0"]
    assert pages["law/index.html"].context["items"] == [
        ["ottawa-convention", "Ottawa Convention", 3]
    ]
    # The addresses the other spellings' pages had send readers on; nothing else under law/.
    for old in ("mine-ban-treaty", "ottawa-treaty-mine-ban-treaty"):
        moved = pages[f"law/{old}/index.html"]
        assert moved.template == "moved.html"
        assert moved.context == {"to": "law/ottawa-convention/", "name": "Ottawa Convention"}
    assert law_paths(pages) == [
        "law/index.html",
        "law/mine-ban-treaty/index.html",
        "law/ottawa-convention/index.html",
        "law/ottawa-treaty-mine-ban-treaty/index.html",
    ]


def test_a_record_citing_two_spellings_is_counted_once_and_articles_merge() -> None:
    record = make_record(
        "r",
        internationalLaw=law(
            ("ICCPR", "Article 9"),
            ("International Covenant on Civil and Political Rights", "Article 9"),
            ("iccpr", None),
        ),
    )
    page = planned([record])["law/iccpr/index.html"]
    assert page.context["total"] == 1
    assert [a["article"] for a in page.context["articles"]] == ["", "Article 9"]
    assert len(page.context["articles"][1]["records"]) == 1
    assert page.context["aliases"] == [
        "iccpr",
        "International Covenant on Civil and Political Rights",
    ]


def test_statutes_the_catalog_lacks_keep_a_page_each() -> None:
    records = [
        make_record("a", internationalLaw=law(("Kestrel Harbour Ordinance", None))),
        make_record("b", internationalLaw=law(("Public Assembly Act", "Section 2"))),
    ]
    pages = planned(records)
    assert law_paths(pages) == [
        "law/index.html",
        "law/kestrel-harbour-ordinance/index.html",
        "law/public-assembly-act/index.html",
    ]
    assert pages["law/public-assembly-act/index.html"].context["aliases"] == []


def test_the_sites_statutes_name_the_pages() -> None:
    site = Site(
        statutes=[
            {"name": "Border Security Act 2024", "aliases": ["BSA 2024"]},
            {"name": "International Covenant on Civil and Political Rights"},
        ]
    )
    records = [
        make_record("a", internationalLaw=law(("BSA 2024", None), ("ICCPR", "Article 12"))),
        make_record("b", internationalLaw=law(("Border Security Act 2024", None))),
    ]
    pages = planned(records, site)
    border = pages["law/border-security-act-2024/index.html"]
    assert (border.context["total"], border.context["aliases"]) == (2, ["BSA 2024"])
    covenant = pages["law/international-covenant-on-civil-and-political-rights/index.html"]
    assert covenant.context["aliases"] == ["ICCPR"]
    assert pages["law/iccpr/index.html"].template == "moved.html"
    assert "law/iccpr/index.html" in planned(records)  # the default catalog's canonical page
