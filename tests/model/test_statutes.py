"""The statute catalog: every way a record may name a statute resolves to one entry, and
nothing that is not a statute's name does; casework.toml's definitions extend it."""

from __future__ import annotations

import pytest

from casework.model import Site, StatuteCatalog, StatuteConflict, StatuteDefinition
from casework.model.statutes import MAX_NAME, bracketed, statute_catalog

CATALOG = StatuteCatalog.default()


def resolved(name: str, catalog: StatuteCatalog = CATALOG) -> str | None:
    found = catalog.resolve(name)
    return found.name if found is not None else None


@pytest.mark.parametrize(
    "name",
    [
        "Ottawa Convention",
        "Ottawa Treaty (Mine Ban Treaty)",
        "Mine Ban Treaty",
        "mine-ban treaty",
        "  MINE   BAN TREATY ",
        "Anti Personnel Mine Ban Convention.",
        "the Ottawa Convention",
        "APMBC",
        "Ottawa Convention 1997",
        "1997 Ottawa Convention",
    ],
)
def test_every_spelling_of_the_ottawa_convention_is_one_statute(name: str) -> None:
    assert resolved(name) == "Ottawa Convention"


@pytest.mark.parametrize(
    ("name", "statute"),
    [
        ("ICCPR", "ICCPR"),
        ("iccpr", "ICCPR"),
        ("International Covenant on Civil and Political Rights", "ICCPR"),
        ("the International Covenant on Civil & Political Rights", "ICCPR"),
        ("Convention against Torture (CAT)", "Convention against Torture"),
        ("UNCAT", "Convention against Torture"),
        # The comma of the full name left out, one of its spaces doubled.
        (
            "Convention against Torture and Other Cruel Inhuman or Degrading  Treatment or "
            "Punishment",
            "Convention against Torture",
        ),
        ("U.N. Charter", "UN Charter"),
        ("Rome Statute (Article 8)", "Rome Statute"),
        ("the Geneva Conventions of 1949", "Geneva Conventions"),
        ("Geneva Conventions, 1949", "Geneva Conventions"),
        ("Refugee Convention of 1951", "Refugee Convention"),
        ("Human Rights Act 1998", "Human Rights Act 1998"),
    ],
)
def test_acronyms_parentheticals_case_punctuation_the_and_years(name: str, statute: str) -> None:
    assert resolved(name) == statute


@pytest.mark.parametrize(
    "name",
    [
        "Geneva",
        "Rome",
        "Geneva 1949",
        "the Convention",
        "Statute",
        "the",
        "an international treaty banning antipersonnel landmines",
        "Convention on Migrant Workers",
        # A year the statute's own names contradict: another (older) instrument.
        "Geneva Convention of 1929",
        "Human Rights Act 1999",
        "Refugee Convention 1967",
        # Names the Additional Protocols share: which of the two is not said.
        "Protocol Additional to the Geneva Conventions of 12 August 1949",
        "Kestrel Harbour Ordinance",
        "Rome Statute " + "x" * MAX_NAME,
    ],
)
def test_cities_descriptions_and_other_laws_resolve_to_nothing(name: str) -> None:
    assert resolved(name) is None


def test_a_long_run_of_brackets_or_words_resolves_to_nothing_at_once() -> None:
    # Inputs that make a backtracking pattern quadratic; capped and scanned once here.
    for name in ("(" * 100_000 + ")", "the " * 50_000 + "Rome Statute", "Rome Statute (" * 90):
        assert CATALOG.resolve(name) is None


def test_a_resolved_name_is_remembered_and_the_memory_is_bounded() -> None:
    catalog = StatuteCatalog.default()
    first = catalog.resolve("Mine Ban Treaty")
    assert catalog.resolve("Mine Ban Treaty") is first
    for i in range(70_000):
        catalog.resolve(f"Statute {i}")
    assert len(catalog._resolved) <= 65_536
    assert catalog.resolve("Mine Ban Treaty") is first


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Ottawa Treaty (Mine Ban Treaty)", ("Ottawa Treaty", "Mine Ban Treaty")),
        ("Convention against Torture (CAT) ", ("Convention against Torture", "CAT")),
        ("A (B) (C)", ("A (B)", "C")),
        ("Rome Statute", ()),
        ("(CAT)", ()),
        ("Rome Statute ()", ()),
        ("Rome (Statute", ()),
    ],
)
def test_bracketed_parts(name: str, parts: tuple[str, ...]) -> None:
    assert bracketed(name) == parts


def test_definitions_add_statutes_and_names_to_the_catalog() -> None:
    catalog = StatuteCatalog.default().extended(
        [
            StatuteDefinition(
                name="Border Security Act 2024", aliases=("BSA 2024", "the Border Act")
            ),
            StatuteDefinition(name="Ottawa Convention", aliases=("Landmine Convention",)),
        ]
    )
    for name in ("Border Security Act 2024", "bsa 2024", "the Border Act", "Border Act"):
        assert resolved(name, catalog) == "Border Security Act 2024"
    border = catalog.resolve("BSA 2024")
    assert border is not None and border.kind == "national"
    assert resolved("Border Security Act 2023", catalog) is None
    # An alias added to a built-in statute, whose other names still resolve.
    assert resolved("Landmine Convention", catalog) == "Ottawa Convention"
    assert resolved("Mine Ban Treaty", catalog) == "Ottawa Convention"
    # The built-in catalog itself is unchanged.
    assert resolved("Landmine Convention") is None


def test_a_definition_naming_a_built_in_statute_makes_its_name_canonical() -> None:
    long = "International Covenant on Civil and Political Rights"
    catalog = StatuteCatalog.default().extended(
        [StatuteDefinition(name=long, aliases=("Civil Covenant",))]
    )
    for name in ("ICCPR", "iccpr", long, "Civil Covenant"):
        assert resolved(name, catalog) == long
    found = catalog.resolve("ICCPR")
    assert found is not None and "ICCPR" in found.acronyms and long not in found.aliases
    # By an alias only: the definition's new name becomes the statute's.
    catalog = StatuteCatalog.default().extended(
        [StatuteDefinition(name="Landmine Treaty", aliases=("Mine Ban Treaty",))]
    )
    assert resolved("Ottawa Convention", catalog) == "Landmine Treaty"


@pytest.mark.parametrize(
    ("definitions", "index", "field", "fragment"),
    [
        (
            [{"name": "Border Act", "aliases": ["ICC Statute", "Mine Ban Treaty"]}],
            0,
            "aliases",
            "'Mine Ban Treaty' is a name of 'Ottawa Convention', but the alias 'ICC Statute'",
        ),
        (
            [{"name": "Border Act"}, {"name": "Harbour Act", "aliases": ["border act"]}],
            1,
            "aliases",
            "'border act' is already a name in [[law.statutes]] #1",
        ),
        (
            [{"name": "Ottawa Convention"}, {"name": "Mine Ban Treaty"}],
            1,
            "name",
            "'Ottawa Convention' is already extended by [[law.statutes]] #1",
        ),
    ],
)
def test_definitions_that_contradict_are_refused(
    definitions: list[dict[str, object]], index: int, field: str, fragment: str
) -> None:
    parsed = [StatuteDefinition.model_validate(d) for d in definitions]
    with pytest.raises(StatuteConflict) as caught:
        StatuteCatalog.default().extended(parsed)
    assert (caught.value.index, caught.value.field) == (index, field)
    assert fragment in str(caught.value)


def test_a_site_carries_its_catalog_and_refuses_a_contradicting_one() -> None:
    site = Site(statutes=[{"name": "Border Act", "aliases": ["BA"]}])
    assert site.statute_catalog() is statute_catalog(site.statutes)
    assert resolved("BA", site.statute_catalog()) == "Border Act"
    assert resolved("BA", Site().statute_catalog()) is None
    with pytest.raises(ValueError, match="Ottawa Convention"):
        Site(statutes=[{"name": "X", "aliases": ["Mine Ban Treaty", "ICCPR"]}])


def test_tracker_spellings_become_canonical_for_ingest() -> None:
    catalog = CATALOG.with_statutes(
        ["Ottawa Treaty (Mine Ban Treaty)", "the Geneva Conventions of 1949", "Customary IHL"]
    )
    assert resolved("APMBC", catalog) == "Ottawa Treaty (Mine Ban Treaty)"
    assert resolved("Geneva Conventions", catalog) == "the Geneva Conventions of 1949"
    ihl = catalog.resolve("Customary IHL")
    assert ihl is not None and ihl.known and ihl.kind == "other"


@pytest.mark.parametrize(
    ("name", "statute"),
    [
        ("Statut de Rome", "Rome Statute"),
        ("Estatuto de Roma", "Rome Statute"),
        ("Convenios de Ginebra", "Geneva Conventions"),
        ("Convention de Genève relative au statut des réfugiés", "Refugee Convention"),
        ("IHL", "international humanitarian law"),
        ("droit international humanitaire", "international humanitarian law"),
        ("derecho internacional de los derechos humanos", "international human rights law"),
        ("Alien Enemy Act", "Alien Enemies Act"),
        ("War Powers Act", "War Powers Resolution"),
        ("U.S. Constitution", "US Constitution"),
        ("ley mordaza", "Ley Orgánica de Protección de la Seguridad Ciudadana"),
        ("Pacto Internacional de Derechos Civiles y Políticos", "ICCPR"),
    ],
)
def test_other_languages_and_bodies_of_law_are_one_statute_each(name: str, statute: str) -> None:
    # One catalog for ingest and the /law/ pages: a French or Spanish name is the statute's.
    assert resolved(name) == statute


def test_international_law_alone_is_no_statute() -> None:
    assert resolved("international law") is None
