"""casework.toml: written by init, read back, and wrong values named by file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.config import Config, ConfigError, load_config, render_config
from casework.model import Site, Vocabularies


def test_rendered_config_reads_back_the_same_site(tmp_path: Path) -> None:
    site = Site(
        url="https://m.example.org/",
        title='The "Border" Monitor',
        publisher="Border Rights Collective",
        license="ODbL-1.0",
        vocabularies=Vocabularies(severity={"low": "Low", "high": "High — grave"}),
    )
    (tmp_path / "casework.toml").write_text(render_config(site), encoding="utf-8")
    config = load_config(tmp_path)
    assert config.site == site.model_copy(update={"url": "https://m.example.org"})
    assert list(config.site.vocabularies.severity) == ["low", "high"]
    assert config.resolved_database_url == f"sqlite:///{tmp_path.resolve()}/tracker.db"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[site\nurl=", "not valid TOML"),
        ('[site]\nurl = "ftp://x"', "[site] url"),
        ("[vocabularies]\ncategory = {}", "[vocabularies] category"),
        ("[site]\nsurprise = 1", "[site] surprise"),
        ("[database]\nurl = 5", "[database] url"),
        ('[site]\nlicense = "MIT"', "[site] license: Value error, expected one of CC-BY-4.0"),
    ],
)
def test_bad_config_is_named_by_file_and_key(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "casework.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value)
    assert fragment in str(caught.value)


def test_missing_config_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="casework init"):
        load_config(tmp_path)


def test_ingest_publishers_table_is_read_and_checked(tmp_path: Path) -> None:
    from casework.config import CONFIG_NAME, ConfigError, load_config, render_config
    from casework.model import Site

    path = tmp_path / CONFIG_NAME
    base = render_config(Site(url="https://m.example.org"))
    path.write_text(
        base + '\n[ingest.publishers]\n"News.Example.org" = "Example News"\n', encoding="utf-8"
    )
    assert load_config(path).publishers == {"news.example.org": "Example News"}
    path.write_text(base + "\n[ingest]\npublishers = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[ingest.publishers\]"):
        load_config(path)


def test_law_statutes_tables_extend_the_sites_catalog(tmp_path: Path) -> None:
    path = tmp_path / "casework.toml"
    base = render_config(Site(url="https://m.example.org"))
    path.write_text(
        base
        + '\n[[law.statutes]]\nname = "Border Security Act 2024"\n'
        + 'aliases = ["BSA 2024", "the Border Act"]\n'
        + '\n[[law.statutes]]\nname = "Ottawa Convention"\naliases = ["Landmine Convention"]\n',
        encoding="utf-8",
    )
    site = load_config(path).site
    assert [(d.name, d.aliases) for d in site.statutes] == [
        ("Border Security Act 2024", ("BSA 2024", "the Border Act")),
        ("Ottawa Convention", ("Landmine Convention",)),
    ]
    catalog = site.statute_catalog()
    assert getattr(catalog.resolve("the Border Act"), "name", None) == "Border Security Act 2024"
    assert getattr(catalog.resolve("Landmine Convention"), "name", None) == "Ottawa Convention"
    # Written back by render_config (casework init) and read again, unchanged.
    path.write_text(render_config(site), encoding="utf-8")
    assert load_config(path).site == site


def test_init_writes_a_commented_statutes_example_that_reads_once_uncommented(
    tmp_path: Path,
) -> None:
    path = tmp_path / "casework.toml"
    text = render_config(Site(url="https://m.example.org"))
    path.write_text(text, encoding="utf-8")
    assert load_config(path).site.statutes == ()
    example = "\n".join(
        line.removeprefix("# ")
        for line in text.splitlines()
        if line.startswith(("# [[law", "# name", "# aliases"))
    )
    assert example.startswith("[[law.statutes]]")
    path.write_text(text + "\n" + example + "\n", encoding="utf-8")
    (definition,) = load_config(path).site.statutes
    assert definition.name == "Border Security Act 2024"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('[[law.statutes]]\naliases = ["BSA"]', "[[law.statutes]] #1 name: Field required"),
        ("[[law.statutes]]\nname = 5", "[[law.statutes]] #1 name: Input should be a valid string"),
        ('[[law.statutes]]\nname = "  "', "[[law.statutes]] #1 name: a statute name needs"),
        ('[[law.statutes]]\nname = "B"\naliases = "BSA"', "[[law.statutes]] #1 aliases"),
        ('[[law.statutes]]\nname = "B"\naliases = [""]', "[[law.statutes]] #1 aliases"),
        ('[[law.statutes]]\nname = "B"\nalias = ["x"]', "[[law.statutes]] #1 alias: Extra"),
        ("[law]\nstatutes = 3", "[[law.statutes]]: expected tables"),
        ("[law]\nstatutes = [3]", "[[law.statutes]] #1: expected a table"),
        ('[law]\nstatute = "x"', "[law] statute: unknown key"),
        ("law = 3", "[law]: expected a table"),
        ("[site]\nstatutes = []", "[site] statutes: statutes go in [[law.statutes]]"),
        (
            '[[law.statutes]]\nname = "Border Act"\n'
            '[[law.statutes]]\nname = "Harbour Act"\naliases = ["ICC Statute", "APMBC"]',
            "[[law.statutes]] #2 aliases: 'APMBC' is a name of 'Ottawa Convention', but the "
            "alias 'ICC Statute' is 'Rome Statute''s",
        ),
        (
            '[[law.statutes]]\nname = "Mine Ban Treaty"\n[[law.statutes]]\nname = "APMBC"',
            "[[law.statutes]] #2 name: 'Ottawa Convention' is already extended by "
            "[[law.statutes]] #1",
        ),
    ],
)
def test_bad_statutes_are_named_by_file_table_and_key(
    tmp_path: Path, text: str, fragment: str
) -> None:
    path = tmp_path / "casework.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    assert fragment in message


def test_the_extraction_budget_is_read_and_checked(tmp_path: Path) -> None:
    from casework.config import CONFIG_NAME, ConfigError, load_config, render_config
    from casework.ingest.extract.budget import EXTRACT_SECONDS
    from casework.model import Site

    path = tmp_path / CONFIG_NAME
    base = render_config(Site(url="https://m.example.org"))
    path.write_text(base, encoding="utf-8")
    assert load_config(path).extract_seconds == EXTRACT_SECONDS == 10
    path.write_text(base + "\n[ingest]\nextract_seconds = 2.5\n", encoding="utf-8")
    assert load_config(path).extract_seconds == 2.5
    for wrong in ('"10"', "0", "-1", "true", "86400"):
        path.write_text(base + f"\n[ingest]\nextract_seconds = {wrong}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=r"\[ingest\] extract_seconds") as refused:
            load_config(path)
        assert str(path) in str(refused.value)


def test_map_tiles_are_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "casework.toml"
    tiles = "https://tiles.example.net/{z}/{x}/{y}.png"
    path.write_text(f'[map]\ntiles = "{tiles}"\nattribution = "© Tile Folk"\n', encoding="utf-8")
    site = load_config(path).site
    assert (site.map_tiles, site.map_attribution) == (tiles, "© Tile Folk")
    assert load_config_text(tmp_path, "").site.map_tiles == ""
    for text, fragment in (
        ('[map]\ntiles = "https://tiles.example.net/x.png"', "[map] tiles: expected an http(s)"),
        ('[map]\ntiles = "ftp://t/{z}/{x}/{y}"', "[map] tiles: expected an http(s)"),
        ("[map]\ntiles = 5", "[map] tiles: expected a string"),
        ('[map]\nstyle = "dark"', "[map] style: unknown key"),
        ('[map]\nattribution = "x"', "[map] attribution: given without tiles"),
        ('map = "x"', "[map]: expected a table"),
    ):
        with pytest.raises(ConfigError) as caught:
            load_config_text(tmp_path, text)
        assert str(caught.value).startswith(f"{tmp_path / 'casework.toml'}: {fragment}"), text


def load_config_text(folder: Path, text: str) -> Config:
    path = folder / "casework.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_the_organisation_and_licence_default_to_the_title_and_cc_by(tmp_path: Path) -> None:
    (tmp_path / "casework.toml").write_text('[site]\ntitle = "Monitor"\n', encoding="utf-8")
    site = load_config(tmp_path).site
    assert (site.organization, site.license) == ("Monitor", "CC-BY-4.0")


def test_search_language_stems_a_spanish_tracker_in_spanish(tmp_path: Path) -> None:
    from casework import search_words
    from casework.model import Status
    from casework.store.base import Query
    from casework.tracker import init_tracker, open_tracker
    from tests.store.factories import make_record

    init_tracker(tmp_path / "t", Site(url="https://m.example.org"))
    config = tmp_path / "t" / "casework.toml"
    config.write_text(config.read_text("utf-8") + '\n[search]\nlanguage = "spanish"\n')
    with open_tracker(tmp_path / "t") as tracker:
        assert tracker.config.search_language == "spanish"
        record = make_record("detenciones", summary="Detenciones arbitrarias en la frontera.")
        tracker.store.import_records([record], author="t", message="", status=Status.published)
        for query in ("detención", "detenciones", "arbitraria"):
            hits = tracker.store.search(Query(text=query)).hits
            assert [h.slug for h in hits] == ["detenciones"], query
    # Loading a configuration sets nothing for the process: the store carries its language.
    assert search_words.language() == search_words.DEFAULT_LANGUAGE
    config.write_text(config.read_text("utf-8").replace('"spanish"', '"klingon"'))
    with pytest.raises(ConfigError, match=r"\[search\] language: expected one of english"):
        load_config(config)


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
def test_two_trackers_in_one_process_stem_each_in_its_own_language(
    tmp_path: Path, engine: str
) -> None:
    """One process (one web server, one test run) with an English and a Spanish tracker open
    at once, written and searched in turn: each indexes and answers in its own language, its
    static index too."""
    from contextlib import ExitStack

    from casework.model import Status
    from casework.publish.build import build_site
    from casework.store.base import Query
    from casework.tracker import init_tracker, open_tracker
    from tests.store.factories import make_record
    from tests.store.pg import fresh_database

    with ExitStack() as stack:
        trackers = {}
        for language in ("english", "spanish"):
            folder = tmp_path / language
            init_tracker(folder, Site(url="https://m.example.org"))
            config = folder / "casework.toml"
            config.write_text(config.read_text("utf-8") + f'\n[search]\nlanguage = "{language}"\n')
            url = None
            if engine == "postgres":
                url = stack.enter_context(fresh_database(f"casework_lang_{language[:2]}"))
            trackers[language] = stack.enter_context(open_tracker(folder, url))
        english, spanish = trackers["english"].store, trackers["spanish"].store
        # Interleaved writes: each store stems what it indexes in its own language.
        spanish.import_records(
            [make_record("es", summary="Detenciones arbitrarias de periodistas.", title="Es")],
            author="t", message="", status=Status.published,
        )  # fmt: skip
        english.import_records(
            [make_record("en", summary="Journalists reported detentions.", title="En")],
            author="t", message="", status=Status.published,
        )  # fmt: skip
        # Each query finds its record only when stemmed in its tracker's language: in the
        # other, "periodismo" stays "periodismo" (not "period", as "periodistas"), "arbitrario"
        # is not "arbitrari", "journalist" is not "journalists", "detention" not "detentions".
        for store, queries, slug in (
            (spanish, ["periodismo", "arbitrario", "detención"], "es"),
            (english, ["journalist", "detention"], "en"),
            (spanish, ["periodismo"], "es"),
        ):
            for query in queries:
                assert [h.slug for h in store.search(Query(text=query)).hits] == [slug], query
        for language, tracker in trackers.items():
            build_site(tracker.store, tracker.site, tmp_path / f"out-{language}")
            meta = (tmp_path / f"out-{language}" / "search" / "index" / "meta.json").read_text()
            assert f'"language":"{language}"' in meta
