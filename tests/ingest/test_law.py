"""Laws and treaties named in an article, with the articles cited, matched to the catalog and
to the tracker's own statutes."""

from __future__ import annotations

import pytest

from casework.ingest.article import Article
from casework.ingest.extract.items import LawMention
from casework.ingest.extract.law import LawCatalog, extract_law
from tests.growth import growth

CATALOG = LawCatalog.default()


def laws(text: str, catalog: LawCatalog = CATALOG) -> list[LawMention]:
    return extract_law(Article(text), catalog)


def pairs(text: str, catalog: LawCatalog = CATALOG) -> list[tuple[str, str | None]]:
    return [(m.statute, m.article) for m in laws(text, catalog)]


@pytest.mark.parametrize(
    "name",
    [
        "Ottawa Convention",
        "Ottawa Treaty",
        "Mine Ban Treaty",
        "Anti-Personnel Mine Ban Convention",
        "antipersonnel mine ban convention",
    ],
)
def test_aliases_are_one_instrument(name: str) -> None:
    assert pairs(f"Poland left the {name} this year.") == [("Ottawa Convention", None)]


def test_descriptions_are_not_names() -> None:
    assert laws("The 1997 treaty banning antipersonnel landmines has 164 members.") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The strikes may amount to a war crime under Article 8(2)(b)(xx) of the Rome Statute.",
            [("Rome Statute", "8(2)(b)(xx)")],
        ),
        (
            "Deportation is a crime against humanity under the Rome Statute's article 7.",
            [("Rome Statute", "7")],
        ),
        ("Detainees invoked ICCPR Article 9 in court.", [("ICCPR", "9")]),
        (
            "Art. 3 common to the Geneva Conventions protects anyone no longer fighting.",
            [("Geneva Conventions", "common 3")],
        ),
        (
            "Lawyers cited common Article 3 of the Geneva Conventions.",
            [("Geneva Conventions", "common 3")],
        ),
        ("Lawyers cited Common Article 3 on Monday.", [("Geneva Conventions", "common 3")]),
        (
            "The petition cites Articles 6 and 7 of the ICCPR.",
            [("ICCPR", "6"), ("ICCPR", "7")],
        ),
        (
            "Occupying powers may not deport civilians under Article 49 of the Fourth Geneva "
            "Convention.",
            [("Fourth Geneva Convention", "49")],
        ),
    ],
)
def test_article_references(sentence: str, expected: list[tuple[str, str | None]]) -> None:
    assert pairs(sentence) == expected


def test_expression_covers_the_reference_and_the_name() -> None:
    (mention,) = laws("It breaches Article 8(2)(b)(xx) of the Rome Statute, experts said.")
    assert mention.expression == "Article 8(2)(b)(xx) of the Rome Statute"
    assert mention.span.text == "It breaches Article 8(2)(b)(xx) of the Rome Statute, experts said."


def test_section_of_the_act_only_when_the_act_is_named_in_the_sentence() -> None:
    text = (
        "The president invoked the Insurrection Act, and under Section 2 of the Act troops may "
        "be deployed. Under Section 4 of the Act, governors must be consulted."
    )
    assert pairs(text) == [("Insurrection Act", None), ("Insurrection Act", "2")]


def test_cities_and_newspaper_articles_are_not_law() -> None:
    text = (
        "Delegates met in Geneva on Monday before flying to Rome. In an article published "
        "Tuesday, the Geneva Post said Article 19, the free-expression group, had objected. "
        "The statute of limitations has expired."
    )
    assert laws(text) == []


def test_back_references_to_the_last_named_instrument() -> None:
    text = (
        "The US has not signed the treaty, known as the Ottawa Convention. "
        "Biden said the US would follow many provisions of the convention. "
        "Ukraine is bound by Article 1 of the treaty."
    )
    found = laws(text)
    # "the treaty" before any instrument is named refers to nothing.
    assert [(m.statute, m.article, m.expression) for m in found] == [
        ("Ottawa Convention", None, "Ottawa Convention"),
        ("Ottawa Convention", None, "the convention"),
        ("Ottawa Convention", "1", "Article 1 of the treaty"),
    ]


def test_the_statute_of_limitations_is_no_back_reference() -> None:
    text = "The Rome Statute applies. The statute of limitations has not run out."
    assert pairs(text) == [("Rome Statute", None)]


def test_back_reference_word_must_fit_the_instrument() -> None:
    text = "The Rome Statute and the ICCPR apply. The covenant protects free expression."
    assert pairs(text)[-1] == ("ICCPR", None)


def test_acronym_defined_as_something_else_is_not_the_instrument() -> None:
    text = (
        "The European Court of Human Rights (ECHR) ruled on Tuesday. The ECHR fined Turkey. "
        "The Convention against Torture (CAT) binds 174 states."
    )
    assert pairs(text) == [("Convention against Torture", None)]


def test_with_statutes_makes_the_tracker_spelling_canonical() -> None:
    catalog = CATALOG.with_statutes(
        [
            "Ottawa Treaty (Mine Ban Treaty)",
            "International Covenant on Civil and Political Rights",
            "ICCPR",
            "ICCPR",
            "Kestrel Harbour Ordinance",
            "Statute",
        ]
    )
    found = laws(
        "Poland left the Mine Ban Treaty. The International Covenant on Civil and Political "
        "Rights still binds it, as does the Rome Statute. The Kestrel Harbour Ordinance "
        "forbids the closure; the statute of limitations is long.",
        catalog,
    )
    assert [(m.statute, m.known) for m in found] == [
        ("Ottawa Treaty (Mine Ban Treaty)", True),
        ("ICCPR", True),  # the spelling the tracker uses most
        ("Rome Statute", False),
        ("Kestrel Harbour Ordinance", True),  # unknown to the catalog: its own entry
    ]
    # The catalog it came from is unchanged.
    assert pairs("Poland left the Mine Ban Treaty.") == [("Ottawa Convention", None)]


def test_catalog_find_and_national_laws() -> None:
    assert CATALOG.find("mine ban treaty") is CATALOG.find("Ottawa Convention")
    assert CATALOG.find("Geneva") is None
    found = CATALOG.find("Alien Tort Claims Act")
    assert found is not None and found.name == "Alien Tort Statute"
    assert pairs("The families sued under the Alien Tort Claims Act and the Leahy Law.") == [
        ("Alien Tort Statute", None),
        ("Leahy Law", None),
    ]


def test_no_law() -> None:
    assert laws("") == []
    assert laws("The ministry closed the pier.") == []


def test_the_convention_is_not_a_statute_named_since() -> None:
    text = (
        "Poland joined the Mine Ban Treaty in 2012. Such attacks can be war crimes under the "
        "Rome Statute. Last week Poland said that, having left the convention, it would make "
        "mines again."
    )
    assert pairs(text)[-1] == ("Ottawa Convention", None)


def test_whose_article_belongs_to_the_name_before() -> None:
    text = (
        "Kavell has ratified the International Covenant on Civil and Political Rights, whose "
        "Article 21 protects the right of peaceful assembly."
    )
    assert pairs(text) == [("ICCPR", "21")]


@pytest.mark.parametrize(
    "unit",
    [
        "Rome Statute Article 1 ",  # every reference of the sentence was tried for every name
        "Article 1 of the Rome Statute ",
        "The Ottawa Convention and the convention ",  # each "the convention" read every name
    ],
)
def test_law_cost_grows_with_the_text_not_its_square(unit: str) -> None:
    # Lines of casework run on 300 and 600 repetitions in one sentence: 2.0 times as many
    # now, 3.7 to 3.9 times before (and four times the more the longer the sentence).
    assert growth(laws, unit, 300) < 2.4


def test_only_the_references_beside_a_name_are_its_articles() -> None:
    text = "Article 5 of the Rome Statute's article 7 and Article 9, then the ICCPR Article 21"
    assert pairs(text) == [("Rome Statute", "5"), ("Rome Statute", "7"), ("ICCPR", "21")]


# --- names the catalog lacks, read by their shape (issue 15) --------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "They were convicted under the Suppression of Terrorism Act of 2008 and the "
            "Sedition and Subversive Activities Act of 1938.",
            [
                ("Suppression of Terrorism Act of 2008", None),
                ("Sedition and Subversive Activities Act of 1938", None),
            ],
        ),
        (
            "Removal under 8 U.S.C. § 1231 and 8 CFR 241.4 followed Title 42 expulsions.",
            [("8 U.S.C. § 1231", None), ("8 C.F.R. § 241.4", None), ("Title 42", None)],
        ),
        (
            "Article 5 of the North Atlantic Treaty and the Fourth Amendment were cited.",
            [("North Atlantic Treaty", "5"), ("Fourth Amendment", None)],
        ),
        (
            "It breaches UN Security Council Resolution 2334 and the Convention on Migrant "
            "Workers.",
            [
                ("UN Security Council Resolution 2334", None),
                ("Convention on Migrant Workers", None),
            ],
        ),
        (
            "The Insurrection Act of 1807 and the Alien Enemy Act.",
            [
                ("Insurrection Act", None),
                ("Alien Enemies Act", None),
            ],
        ),
    ],
)
def test_names_the_catalog_lacks_are_read_by_their_shape(
    sentence: str, expected: list[tuple[str, str | None]]
) -> None:
    assert pairs(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The Democratic National Convention opened as the Chief of Protocol watched.",
        "The Resolution Foundation and Covenant House said so; the Statute of Limitations ran.",
        "Judge Blocks Use Of Foreign Enemy Act In Texas Ruling",  # a title-case headline
        "Act now, the group said, before the Convention Center closes.",
    ],
)
def test_events_bodies_offices_and_headlines_are_not_laws(sentence: str) -> None:
    assert laws(sentence) == []


def test_a_law_named_twice_is_one_statute_under_its_fullest_name() -> None:
    text = (
        "They were charged under the Public Order Act of 2017. The Public Order Act bans "
        "gatherings of more than five people."
    )
    assert pairs(text) == [("Public Order Act of 2017", None), ("Public Order Act of 2017", None)]


def test_a_list_of_two_acts_is_two_names() -> None:
    assert pairs("The Affordable Care Act Marketplace and the Patriot Act.") == [
        ("Patriot Act", None)
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Según el artículo 7 del Estatuto de Roma, es un crimen.", [("Rome Statute", "7")]),
        ("Viola el derecho internacional humanitario.", [("international humanitarian law", None)]),
        (
            "La Ley Orgánica sobre Derechos y Libertades de los Extranjeros en España y su "
            "Integración Social, cuya disposición décima fija el régimen de Melilla.",
            [
                (
                    "Ley Orgánica sobre Derechos y Libertades de los Extranjeros en España y su "
                    "Integración Social",
                    "disposición décima",
                )
            ],
        ),
        ("La Ley 31012 y el Código Penal.", [("Ley 31012", None), ("Código Penal", None)]),
        (
            "Selon l'article 8 du Statut de Rome et la Convention de Genève.",
            [("Rome Statute", "8"), ("Geneva Conventions", None)],
        ),
        (
            "L'article 3 commun aux Conventions de Genève et la Convention d'Istanbul.",
            [("Geneva Conventions", "common 3"), ("Convention d'Istanbul", None)],
        ),
        ("la Convention de Geneve sans accent", [("Geneva Conventions", None)]),
        ("la loi du 24 août 2021 et le Code pénal", [("Code pénal", None)]),
    ],
)
def test_spanish_and_french_names_and_references(
    sentence: str, expected: list[tuple[str, str | None]]
) -> None:
    assert pairs(sentence) == expected


def test_tracker_spelling_of_a_foreign_name_is_canonical() -> None:
    catalog = CATALOG.with_statutes(["international human rights law", "Rome Statute"])
    text = "Viola el derecho internacional de los derechos humanos y el Statut de Rome."
    assert [(m.statute, m.known) for m in laws(text, catalog)] == [
        ("international human rights law", True),
        ("Rome Statute", True),
    ]


@pytest.mark.parametrize(
    "unit",
    [
        "the Public Order Act of 2017 and ",
        "Convention on Migrant Workers and the ",
        "Ottawa Convention Treaty Act ",
    ],
)
def test_reading_shapes_grows_with_the_text_not_its_square(unit: str) -> None:
    assert growth(laws, unit, 300) < 2.4
