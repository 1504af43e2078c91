"""People, organisations and places named in an article, matched to the tracker's parties."""

from __future__ import annotations

from casework.ingest.article import Article
from casework.ingest.extract.items import Mention
from casework.ingest.extract.names import KnownNames, alias_key, extract_mentions
from casework.model import Party
from tests.store.factories import make_record


def mentions(text: str, known: KnownNames | None = None) -> list[Mention]:
    return extract_mentions(Article(text), known)


def named(text: str, known: KnownNames | None = None) -> list[tuple[str, str, str | None]]:
    return [(m.name, m.kind, m.known) for m in mentions(text, known)]


def party(name: str, kind: str, entity: str | None = None) -> Party:
    data: dict[str, object] = {"name": name, "kind": kind}
    if entity:
        data["entity"] = entity
    return Party.model_validate(data)


def test_known_names_from_records_take_names_slugs_and_simple_aliases() -> None:
    records = [
        make_record(
            "pier",
            structuredVictims=[{"name": "Fishing crews", "kind": "group"}],
            structuredPerpetrators=[
                {"name": "The Port Authority", "kind": "organization", "entity": "port-authority"}
            ],
        ),
        make_record(
            "wells",
            structuredVictims=[],
            structuredPerpetrators=[
                {"name": "Amnesty", "kind": "organization", "entity": "amnesty-international"},
                {"name": "Port authority of Vell", "kind": "organization"},
            ],
        ),
    ]
    known = KnownNames.from_records(records)
    found = known.lookup("port authority")  # lowercase, "the " dropped
    assert found is not None and found.known == "The Port Authority"
    by_slug = known.lookup("Amnesty International")  # the entity slug as words
    assert by_slug is not None and by_slug.known == "Amnesty"
    assert by_slug.kind == "organization"
    assert known.lookup("fishing crews") is not None
    assert known.lookup("Vell") is None
    assert alias_key("the U.S. Agency’s") == "us agency"


def test_mentions_are_matched_to_known_names() -> None:
    known = KnownNames.from_parties(
        [
            party("Port authority", "organization"),
            party("Mara Quill", "person"),
            party("Trump administration", "state"),
        ]
    )
    found = named(
        "The Port Authority closed the pier, Mara Quill said, and the Trump administration "
        "did nothing. Quill has asked the port authority for its records.",
        known,
    )
    assert ("Port Authority", "organization", "Port authority") in found
    assert ("Mara Quill", "person", "Mara Quill") in found
    # A known name may run into lowercase words; a state that is no country is an organisation.
    assert ("Trump administration", "organization", "Trump administration") in found
    # A last name alone is the person named in full before.
    assert ("Quill", "person", "Mara Quill") in found
    # Lowercase words are never the start of a name.
    assert [n for n in found if n[0] == "port authority"] == []


def test_titles_split_the_role_from_the_person() -> None:
    found = named(
        "US Secretary of Defense Pete Hegseth sent the memo, and then-President Joe Biden "
        "had signed the earlier order."
    )
    assert ("Pete Hegseth", "person", None) in found
    assert ("US", "place", None) in found
    assert ("Joe Biden", "person", None) in found
    assert not any("Secretary" in name for name, _k, _n in found)


def test_organisation_cues_places_and_persons() -> None:
    found = named(
        "Officials at the Ministry of Interior met Ben Alder of Human Rights Watch in Kestrel "
        "and later flew to Geneva. The Harbour Police Command denied it."
    )
    assert ("Ministry of Interior", "organization", None) in found
    assert ("Ben Alder", "person", None) in found
    assert ("Human Rights Watch", "organization", None) in found
    assert ("Kestrel", "place", None) in found  # "in X": a place
    assert ("Geneva", "place", None) in found  # the city, from the gazetteer
    assert ("Harbour Police Command", "organization", None) in found


def test_and_joins_one_name_but_not_a_list() -> None:
    found = named(
        "Cambodia and Iran have used mines, the Landmine and Cluster Munition Monitor found, "
        "and Immigration and Customs Enforcement agents were seen in Estonia, Finland and Latvia."
    )
    names = [name for name, _kind, _known in found]
    assert "Cambodia" in names and "Iran" in names
    assert "Landmine and Cluster Munition Monitor" in names
    assert "Immigration and Customs Enforcement" in names
    assert {"Estonia", "Finland", "Latvia"} <= set(names)


def test_acronym_in_brackets_stands_for_the_name() -> None:
    known = KnownNames.from_parties(
        [party("International Committee to Ban Landmines", "organization")]
    )
    found = named(
        "A report by the Nobel Peace Prize-winning International Committee to Ban Landmines "
        "(ICBL) counted 1,945 deaths. The ICBL said the toll was rising.",
        known,
    )
    assert found.count(("ICBL", "organization", "International Committee to Ban Landmines")) == 2
    assert not any("Nobel" in name for name, _k, _n in found)


def test_words_that_name_no_one() -> None:
    found = named(
        "Antipersonnel mines killed 300 people in June. On Tuesday, Russian forces and "
        "Biden-era rules were blamed. The Persian Gulf War ended long ago."
    )
    names = [name for name, _kind, _known in found]
    assert "Antipersonnel" not in names  # capitalised only because it opens a sentence
    assert "June" not in names and "Tuesday" not in names and "On Tuesday" not in names
    assert "Russian" not in names
    assert not any("Biden" in n for n in names)
    assert not any("War" in n for n in names)


def test_every_occurrence_in_order_with_its_sentence() -> None:
    text = "Mara Quill arrived in Kestrel. Quill left Kestrel on Monday."
    found = mentions(text)
    assert [(m.name, m.kind) for m in found] == [
        ("Mara Quill", "person"),
        ("Kestrel", "place"),
        ("Quill", "person"),
        ("Kestrel", "place"),
    ]
    assert found[2].span.text == "Quill left Kestrel on Monday."
    assert text[found[2].span.start : found[2].span.end] == found[2].span.text


def test_possessive_is_not_part_of_the_name() -> None:
    found = named("Amnesty International USA’s director criticised Hegseth's memo.")
    assert ("Amnesty International USA", "organization", None) in found
    assert "Hegseth" in [name for name, _kind, _known in found]  # not "Hegseth's"


def test_empty_text_and_empty_known() -> None:
    assert mentions("") == []
    assert len(KnownNames.from_records([])) == 0


def test_datelines_bylines_and_article_numbers() -> None:
    found = named("KYIV — Russian forces struck Kharkiv, under Article 12 of the treaty.")
    assert ("KYIV", "place", None) in found
    assert ("Kharkiv", "place", None) in found
    assert not any(name.startswith("Article") for name, _k, _n in found)


def test_a_long_run_of_capitalised_words_is_cut_into_pieces() -> None:
    text = " ".join(f"Alpha{i} of Beta{i}" for i in range(3000)) + "."
    found = mentions(text)
    assert found and all(len(m.name.split()) <= 12 for m in found)


def test_known_name_opening_a_sentence() -> None:
    known = KnownNames.from_parties([party("Harbour Police", "organization")])
    found = named("Harbour Police said the pier was closed. Police in Kestrel agreed.", known)
    assert found[0] == ("Harbour Police", "organization", "Harbour Police")
    assert ("Police", "organization", None) not in found  # a common word opening a sentence
