"""The pages' own words in the site's language (render/i18n.py, casework/locale/).

The key test builds a tracker's whole static site, and asks the live app for the pages only it
renders (a narrowed listing as a table, search results) and for the editor's translated pages
(sign-in, records, a record's form, history, bulk changes, a merge, proposals, link
health, a problem page), in each shipped language, and looks
for any English catalog string left in what a reader sees or hears: text, `title`,
`aria-label`, `placeholder`, `alt` and the description. The fixture's records are written in
the site's language, as a tracker's researchers would write them, so every English word left
is the software's.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import ChoiceLoader, DictLoader
from starlette.testclient import TestClient

from casework.config import ConfigError, load_config
from casework.model import Collection, Site
from casework.model.site import (
    DEFAULT_CATEGORIES,
    DEFAULT_CLASSIFICATIONS,
    DEFAULT_POSTURES,
    DEFAULT_SEVERITIES,
)
from casework.publish.build import build_site
from casework.publish.datafiles import DESCRIPTIONS
from casework.render import i18n, words
from casework.render.pages import common, render_page
from casework.render.templates import environment
from casework.store import open_store
from casework.store.accounts import Role
from casework.store.base import Store
from casework.web.app import create_app
from tests.store.factories import make_record
from tests.web.editing import PASSWORD, Browser

LOCALE = i18n.LOCALE_DIR
SHIPPED = ("es", "fr", "ar")
SOURCE = Path(__file__).resolve().parents[2] / "src" / "casework"


def pot() -> Catalog:
    with open(LOCALE / "messages.pot", "rb") as f:
        return read_po(f)


def po(language: str) -> Catalog:
    with open(LOCALE / language / "LC_MESSAGES" / "casework.po", "rb") as f:
        return read_po(f, locale=language)


def ids(message_id: str | tuple[str, ...]) -> tuple[str, ...]:
    return (message_id,) if isinstance(message_id, str) else tuple(message_id)


# --- the catalogs ------------------------------------------------------------------------------


def test_the_template_is_what_the_code_marks() -> None:
    """messages.pot holds every string the templates and the Python mark, and no other: a
    string marked since the last scripts/translations.sh run fails here."""
    with open(LOCALE / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {
        "_": None,
        "N_": None,
        "Nn_": (1, 2),
        "Np_": ((1, "c"), 2),
        "ngettext": (1, 2),
        "gettext": (2,),
        "plural": (2, 3),
    }
    marked: set[str] = set()
    for folder in ("render", "web", "model", "editing"):
        for _name, _line, message, _comments, _context in extract_from_dir(
            SOURCE / folder, method_map, options_map, keywords=keywords
        ):
            marked.add(ids(message)[0])
    # Two modules outside those folders whose refusals the editor shows (its ingest and users
    # pages), as scripts/translations.sh names them.
    for module in ("store/accounts.py", "ingest/fetch.py"):
        for _line, message, _comments, _context in extract_from_file(
            "python", str(SOURCE / module), keywords=keywords
        ):
            marked.add(ids(message)[0])
    in_pot = {ids(m.id)[0] for m in pot() if m.id}
    assert marked == in_pot
    assert len(in_pot) > 200


@pytest.mark.parametrize("language", SHIPPED)
def test_every_string_is_translated_and_compiled(language: str) -> None:
    template, catalog = pot(), po(language)
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id, context=message.context)
        assert translated is not None, (language, message.id)
        assert not translated.fuzzy, (language, message.id)
        forms = ids(translated.string)
        assert len(forms) == (catalog.num_plurals if message.pluralizable else 1)
        assert all(form.strip() for form in forms), (language, message.id)
        # Every placeholder a form uses is one the English gives it.
        given = set(re.findall(r"%\((\w+)\)s", " ".join(ids(message.id)))) | {"num"}
        for form in forms:
            assert set(re.findall(r"%\((\w+)\)s", form)) <= given, (language, form)
    # The shipped .mo is the .po compiled: no edit of a .po left uncompiled.
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    mo = LOCALE / language / "LC_MESSAGES" / "casework.mo"
    assert mo.read_bytes() == compiled.getvalue()


def test_the_words_outside_templates_are_the_defaults_and_descriptions() -> None:
    """render/words.py lists the default vocabularies' labels and the data files'
    descriptions for the catalog; a label or description changed there must be listed anew."""
    defaults = (DEFAULT_CATEGORIES, DEFAULT_SEVERITIES, DEFAULT_POSTURES, DEFAULT_CLASSIFICATIONS)
    assert set(words.VOCABULARY_LABELS) == {label for d in defaults for label in d.values()}
    assert set(words.DATA_FILE_DESCRIPTIONS) == {text for _, text in DESCRIPTIONS.values()}


# --- the checker -------------------------------------------------------------------------------

_HEARD = ("title", "aria-label", "placeholder", "alt")
# Scripts and styles, and code: a citation's CSL-JSON or BibTeX, a file's path, a checksum.
_UNSEEN = ("script", "style", "pre", "code")


class Visible(HTMLParser):
    """What a page shows and says: its text (not scripts', styles' or code's) and the
    attributes a reader sees or a screen reader speaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _UNSEEN:
            self._skip += 1
        named = dict(attrs)
        for name in _HEARD:
            if named.get(name):
                self.texts.append(str(named[name]))
        if tag == "meta" and named.get("name") == "description" and named.get("content"):
            self.texts.append(str(named["content"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in _UNSEEN and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(data)


def english_fragments(language: str) -> set[str]:
    """The English words of the catalog as a page would show them: each msgid cut at its
    placeholders and tags, less the pieces a translation keeps as they are ("Collections"
    in French, "JSON")."""
    catalog = po(language)
    kept = " ".join(form for m in catalog if m.id for form in ids(m.string))
    fragments = set()
    for message in pot():
        for text in ids(message.id) if message.id else ():
            for piece in re.split(r"%\(\w+\)s|<[^>]+>|&\w+;", text):
                piece = piece.strip(" .,;:()→←“”'")
                if len(piece) >= 3 and re.search(r"[A-Za-z]{3}", piece) and piece not in kept:
                    fragments.add(piece)
    return fragments


def untranslated(html: str, fragments: set[str]) -> list[str]:
    """The English fragments found in what `html` shows: whole words, case as written."""
    parser = Visible()
    parser.feed(html)
    shown = "\n".join(parser.texts)
    return sorted(
        f
        for f in fragments
        # A word, not part of one or of a file's name ("records.json").
        if re.search(rf"(?<![A-Za-z]){re.escape(f)}(?![A-Za-z]|\.[a-z])", shown)
    )


# --- a tracker written in each language --------------------------------------------------------

# The researchers' words, in the site's language: titles, summaries, parties, places, tags.
CONTENT = {
    "es": {
        "title": "Cierre del puerto",
        "summary": "La autoridad portuaria cerró el muelle norte de noche.",
        "party": "Tripulaciones pesqueras",
        "authority": "Autoridad portuaria",
        "point": "No hubo aviso previo",
        "event": "Cierre",
        "tag": "puerto",
        "place": "Muelle norte",
        "body": "Los pescadores fueron rechazados en un control.",
        "reason": "Publicado por error",
    },
    "fr": {
        "title": "Fermeture du port",
        "summary": "L’autorité portuaire a fermé la jetée nord dans la nuit.",
        "party": "Équipages de pêche",
        "authority": "Autorité portuaire",
        "point": "Aucun avertissement préalable",
        "event": "Fermeture",
        "tag": "port",
        "place": "Jetée nord",
        "body": "Les pêcheurs ont été refoulés à un contrôle.",
        "reason": "Publiée par erreur",
    },
    "ar": {
        "title": "إغلاق الميناء",
        "summary": "أغلقت سلطة الميناء الرصيف الشمالي ليلًا.",
        "party": "طواقم الصيد",
        "authority": "سلطة الميناء",
        "point": "لم يسبق ذلك أي تحذير",
        "event": "الإغلاق",
        "tag": "ميناء",
        "place": "الرصيف الشمالي",
        "body": "أُعيد الصيادون عند نقطة تفتيش.",
        "reason": "نُشر خطأً",
    },
}


def tracker(store: Store, language: str) -> None:
    """22 records in one category and year (so listings have a second page), one of them
    with every part a record page can show; a collection; a record deleted after
    publication (its tombstone page)."""
    c = CONTENT[language]
    full = {
        "title": c["title"],
        "summary": c["summary"],
        "victims": c["party"],
        "perpetrators": c["authority"],
        "structuredVictims": [{"name": c["party"], "kind": "group", "count": 40}],
        "structuredPerpetrators": [
            {"name": c["authority"], "kind": "organization", "entity": "autoridad"}
        ],
        "legalBasis": c["point"],
        "description": c["summary"],
        "keyPoints": [c["point"], c["event"]],
        "tags": [c["tag"]],
        "timeline": [
            {"date": f"2021-03-{day:02d}", "title": c["event"], "summary": c["point"]}
            for day in range(1, 9)
        ],
        "updateLog": [{"date": f"2021-04-0{day}", "summary": c["event"]} for day in range(1, 6)],
        "sources": [
            {"url": f"https://example.org/{n}", "title": c["event"], "publisher": c["authority"]}
            for n in range(3)
        ],
        "documents": [{"url": "https://example.org/doc", "title": c["point"], "kind": c["event"]}],
        "legalAnalyses": [
            {"url": "https://example.org/a", "title": c["point"], "organization": c["party"]}
        ],
        "internationalLaw": [{"statute": "ICCPR", "article": "12", "provision": c["point"]}],
        "locations": [
            {
                "name": c["place"],
                "country": "YE",
                "latitude": 15.35,
                "longitude": 44.2,
                "precision": "exact",
            },
            {"country": "FR", "precision": "country"},
        ],
        "warCrimeClassification": "direct",
        "iccRelevance": True,
        "ongoing": True,
        "relatedIncidents": ["caso-1"],
        "$body": c["body"],
    }
    records = [make_record("caso-0", **full)]
    for n in range(1, 22):
        brief = {k: full[k] for k in ("title", "summary", "victims", "perpetrators", "legalBasis")}
        records.append(
            make_record(
                f"caso-{n}",
                **brief,
                date=f"2021-{1 + n % 12:02d}-{1 + n:02d}",
                structuredVictims=[],
                structuredPerpetrators=[],
                keyPoints=[],
                description="",
                tags=[c["tag"]],
                timeline=[],
                sources=[],
                internationalLaw=[],
                severity=("concerning", "serious", "severe", "extreme")[n % 4],
                posture=("reported", "litigation", "judicial-finding")[n % 3],
                **{"$body": c["body"]},
            )
        )
    records.append(make_record("borrado", **{**full, "relatedIncidents": []}))
    store.import_records(records, author="test", message="seed")
    store.put_collection(
        Collection(slug="puerto", title=c["title"], lede=c["summary"], records=["caso-0"])
    )


SITE = Site(url="https://tracker.example.org", title="Observatorio", about="*Nosotros*.")


@pytest.fixture(scope="module", params=SHIPPED)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Site, Store, Path]]:
    language = request.param
    folder = tmp_path_factory.mktemp(f"site-{language}")
    store = open_store(folder / "tracker.db")
    store.accounts.hasher = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1)
    store.accounts.add_user("ada", PASSWORD, Role.admin, "Ada")
    tracker(store, language)
    site = SITE.model_copy(update={"language": language})
    build_site(store, site, folder / "out", workers=1)
    store.delete("borrado", base_revision=1, author="test", reason=CONTENT[language]["reason"])
    build_site(store, site, folder / "out", workers=1)
    yield language, site, store, folder / "out"
    store.close()


def _untranslated_at(browser: Browser, path: str, fragments: set[str]) -> dict[str, list[str]]:
    response = browser.get(path)
    assert response.status_code == 200, path
    left = untranslated(response.text, fragments)
    return {path: left} if left else {}


def _editor_steps(browser: Browser, fragments: set[str]) -> dict[str, list[str]]:
    """The editor's pages a form leads to: a merge's and a bulk change's confirmation, a
    form sent back with its errors, and a problem page (a record that is not there)."""
    found: dict[str, list[str]] = {}
    token, base = browser.form("/edit/caso-0/")
    steps = {
        "merge": browser.post(
            "/edit/caso-0/merge",
            {"csrf": token, "base_revision": str(base), "duplicate": "caso-1"},
        ),
        "bulk": browser.post(
            "/edit/bulk",
            {"csrf": token, "step": "confirm", "kind": "add-tag", "value": "x", "slug": "caso-2"},
        ),
        "errors": browser.post(
            "/edit/caso-0/", {"csrf": token, "base_revision": str(base), "title": ""}
        ),
        "problem": browser.get("/edit/no-such-record/"),
    }
    for name, response in steps.items():
        assert response.status_code in (200, 404, 422), (name, response.status_code)
        left = untranslated(response.text, fragments)
        if left:
            found[name] = left
    return found


def page_kind(path: str) -> str:
    """`category/x/page/2/index.html` → `category/*/page/*`: one name per page type."""
    parts = path.removesuffix("index.html").strip("/").split("/")
    return "/".join(parts[:1] + ["*" for _ in parts[1:]]) or "home"


def test_no_page_shows_an_untranslated_string(built: tuple[str, Site, Store, Path]) -> None:
    language, site, store, out = built
    fragments = english_fragments(language)
    assert len(fragments) > 150
    found: dict[str, list[str]] = {}
    kinds: set[str] = set()
    pages = sorted(out.rglob("*.html"))
    for page in pages:
        path = page.relative_to(out).as_posix()
        kinds.add(page_kind(path))
        left = untranslated(page.read_text(encoding="utf-8"), fragments)
        if left:
            found[path] = left
    # What only the live app renders: a listing narrowed and shown as a table (two pages of
    # it), search results with their facets and status.
    client = TestClient(create_app(store, site))
    for path in (
        "/category/civil-liberties/?view=table&sort=title",
        "/category/civil-liberties/?view=table&sort=title&page=2",
        f"/search/?q={CONTENT[language]['tag']}",
        "/search/?severity=serious",
        "/no-such-page/",
    ):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        left = untranslated(response.text, fragments)
        if left:
            found[path] = left
    # The editor's pages that speak the site's language: signing in, the records, the
    # account and the team.
    editor = Browser(TestClient(create_app(store, site), follow_redirects=False))
    for path in ("/login",):
        found.update(_untranslated_at(editor, path, fragments))
    editor.sign_in("ada")
    for path in (
        "/edit/",
        "/edit/?status=published&q=x",
        "/edit/account",
        "/edit/users",
        "/edit/caso-0/history",
        "/edit/caso-0/",
        "/edit/new",
        f"/edit/bulk?q={CONTENT[language]['tag']}",
        "/edit/proposals",
        "/edit/links",
    ):
        found.update(_untranslated_at(editor, path, fragments))
    found.update(_editor_steps(editor, fragments))
    assert not found, found
    # Every page type was looked at: the record, listings and their second pages, indexes,
    # the map, search, data, about, timeline, a collection, an entity, a law, the tombstone.
    assert {
        "home",
        "incident/*",
        "category/*",
        "category/*/*/*",
        "severity/*",
        "posture/*",
        "tag/*",
        "year/*",
        "law/*",
        "entity/*",
        "collections/*",
        "timeline/*",
        "map",
        "search",
        "data",
        "about",
        "404.html",
    } <= kinds, sorted(kinds)
    assert len(pages) >= 30


def test_the_checker_finds_a_string_left_out_of_gettext() -> None:
    """A template whose words are not wrapped in `_()` shows English: the checker says so."""
    site = SITE.model_copy(update={"language": "fr"})
    env = environment("fr")
    source, _, _ = env.loader.get_source(env, "not_found.html")  # type: ignore[union-attr]
    unwrapped = source.replace('{{ _("Not found") }}</h1>', "Not found</h1>")
    assert unwrapped != source
    patched = env.overlay(
        loader=ChoiceLoader([DictLoader({"not_found.html": unwrapped}), env.loader])  # type: ignore[list-item]
    )
    shared = common(site)
    fragments = english_fragments("fr")
    good = render_page("not_found.html", "404.html", {}, shared)
    bad = patched.get_template("not_found.html").render(shared | {"path": "404.html"})
    assert untranslated(good, fragments) == []
    assert untranslated(bad, fragments) == ["Not found"]
    # And one attribute left in English.
    assert untranslated('<nav aria-label="On this page"></nav>', fragments) == ["On this page"]


# --- direction, language, dates ----------------------------------------------------------------


def test_arabic_pages_are_right_to_left(built: tuple[str, Site, Store, Path]) -> None:
    language, _site, _store, out = built
    html = (out / "incident" / "caso-0" / "index.html").read_text(encoding="utf-8")
    if language == "ar":
        assert '<html lang="ar" dir="rtl">' in html
        assert "الرصيف الشمالي، اليمن (الموقع الدقيق)" in html  # the country's name too
    else:
        assert f'<html lang="{language}">' in html
    # Dates in words in the site's language; the machine-readable date stays ISO.
    words = {"es": "1 de marzo de 2021", "fr": "1 mars 2021", "ar": "1 مارس 2021"}
    assert f'<time datetime="2021-03-01">{words[language]}</time>' in html


def test_an_english_site_has_no_direction_and_english_dates(tmp_path: Path) -> None:
    html = render_page("not_found.html", "404.html", {}, common(SITE))
    assert html.startswith('<!doctype html>\n<html lang="en">\n')
    assert i18n.day_in_words(__import__("datetime").date(2021, 3, 1), "en") == "March 1, 2021"


def test_the_language_is_read_from_casework_toml_and_checked(tmp_path: Path) -> None:
    config = tmp_path / "casework.toml"
    config.write_text('[site]\ntitle = "T"\n', encoding="utf-8")
    assert load_config(config).site.language == "en"
    config.write_text('[site]\ntitle = "T"\nlanguage = "ar"\n', encoding="utf-8")
    assert load_config(config).site.language == "ar"
    config.write_text('[site]\ntitle = "T"\nlanguage = "xx"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(config)
    message = str(error.value)
    assert message == f"{config}: [site] language: expected one of en, es, fr, ar"
    assert "\n" not in message
