"""The editor's sentences about what was typed and what was refused, in the site's language:
a record form sent back with its errors, the editing service's refusals, a bulk change's
outcomes (model/wording.py, web/forms.py's ERROR_WORDS).

Two checks each time: no English catalog string is left (test_translations' checker), and
no message is the English one (the same request to the same store through an English site
says something else) — which also catches English that no catalog holds, pydantic's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any, cast

import pytest
from argon2 import PasswordHasher
from starlette.testclient import TestClient

from casework.model import Collection, Record, Site, Status
from casework.render import i18n
from casework.store import open_store
from casework.store.accounts import Role
from casework.store.base import Store
from casework.web.app import create_app
from casework.web.forms import (
    ERROR_WORDS,
    GENERIC_ERROR,
    FormErrors,
    error_words,
    flat_fields,
    form_values,
    record_from_form,
    record_values,
)
from tests.render.test_translations import CONTENT, SHIPPED, english_fragments, untranslated
from tests.store.factories import make_record
from tests.web.editing import PASSWORD, Browser

SITE = Site(url="https://tracker.example.org", title="Observatorio")


def records(language: str) -> list[Record]:
    """caso-0: a draft without a legal classification (publishing it is refused), two
    sources, a document, a place; caso-1: published; caso-2: a draft ready to publish. In the
    site's language, as its researchers write."""
    c = CONTENT[language]
    common = {
        "title": c["title"],
        "summary": c["summary"],
        "victims": c["party"],
        "perpetrators": c["authority"],
        "legalBasis": c["point"],
        "description": c["summary"],
        "structuredVictims": [{"name": c["party"], "kind": "group", "count": 40}],
        "structuredPerpetrators": [],
        "keyPoints": [c["point"]],
        "tags": [c["tag"]],
        "internationalLaw": [],
        "timeline": [{"date": "2021-03-01", "title": c["event"], "summary": c["point"]}],
        "sources": [
            {"url": f"https://example.org/{n}", "title": c["event"], "publisher": c["authority"]}
            for n in range(2)
        ],
        "documents": [{"url": "https://example.org/doc", "title": c["point"], "kind": c["event"]}],
        "locations": [
            {"name": c["place"], "country": "YE", "latitude": 15.3, "longitude": 44.2,
             "precision": "town"},
            {"country": "YE", "precision": "country"},
        ],
        "$body": c["body"],
    }  # fmt: skip
    return [
        make_record("caso-0", **common, warCrimeClassification=""),
        make_record("caso-1", **common),
        make_record("caso-2", **common),
    ]


@pytest.fixture(scope="module", params=SHIPPED)
def tracker(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Store]]:
    language = request.param
    store = open_store(tmp_path_factory.mktemp(f"editor-{language}") / "tracker.db")
    store.accounts.hasher = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1)
    store.accounts.add_user("ada", PASSWORD, Role.admin, "Ada")
    store.accounts.add_user("eve", PASSWORD, Role.editor, "Eve")
    for record in records(language):
        store.create(record, author="seed", message="seed", status=Status.draft)
    store.set_status("caso-1", Status.published, base_revision=1, author="seed", message="seed")
    store.put_collection(Collection(slug="puerto", title="Puerto", records=["caso-0"]))
    yield language, store
    store.close()


def signed_in(
    store: Store, language: str, username: str = "ada", folder: Path | None = None
) -> Browser:
    site = SITE.model_copy(update={"language": language})
    browser = Browser(TestClient(create_app(store, site, folder), follow_redirects=False))
    browser.sign_in(username)
    return browser


_FIELD_ERROR = re.compile(r'<p class="field-error" id="(err-[^"]+)">(.*?)</p>')


def field_errors(html: str) -> dict[str, str]:
    return dict(_FIELD_ERROR.findall(html))


def shown(html: str) -> str:
    """The page's main text (its <main>), for comparing two languages' pages."""
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def bad_form(record: Record) -> list[tuple[str, str]]:
    """caso-0's form with a problem in nearly every kind of field."""
    changes = {
        "title": "",  # a title is required
        "date": "2021-02-30",  # not a real date
        "category": "no-such-category",  # not in the vocabulary
        "sources.1.url": "ftp://example.org/x",  # not http(s)
        "structuredVictims.0.count": "doce",  # not a whole number
        "structuredVictims.0.kind": "alien",  # not a party kind (pydantic's enum)
        "documents.0.sha256": "abc",  # pydantic's pattern
        "locations.0.longitude": "",  # a latitude without its longitude
        "locations.1.precision": "region",
        "locations.1.publishedPrecision": "exact",  # finer than known
        "locations.2.country": "AB",  # not an ISO 3166-1 code
        "locations.2.precision": "country",
        "keyPoints.0.cites": "https://elsewhere.example/x",  # not a source of the record
        "timeline.0.cites": "https://example.org/0",
        "timeline.0.sentence": "palabra " * 300,  # over 2000 characters (pydantic's)
    }
    fields = [(n, changes.pop(n, v)) for n, v in flat_fields(record_values(record))]
    return fields + list(changes.items())


EXPECTED_ERRORS = {
    "err-title",
    "err-date",
    "err-category",
    "err-sources-1-url",
    "err-structuredVictims-0-count",
    "err-structuredVictims-0-kind",
    "err-documents-0-sha256",
    "err-locations-2-country",
    "err-locations",
    "err-keyPoints-0-cites",
    "err-timeline-0-cites",
}


def test_a_form_sent_back_says_its_errors_in_the_site_language(
    tracker: tuple[str, Store],
) -> None:
    language, store = tracker
    fragments = english_fragments(language)
    record = store.get("caso-0").record
    pages = {}
    for lang in ("en", language):
        browser = signed_in(store, lang)
        token, base = browser.form("/edit/caso-0/")
        answer = browser.post(
            "/edit/caso-0/",
            [*bad_form(record), ("csrf", token), ("base_revision", str(base))],
        )
        assert answer.status_code == 422, answer.text
        pages[lang] = answer.text
    english, translated = field_errors(pages["en"]), field_errors(pages[language])
    assert set(english) == set(translated) == EXPECTED_ERRORS, set(translated)
    assert untranslated(pages[language], fragments) == []
    for where, message in translated.items():
        assert message != english[where], (where, message)
    # The values and limits in the messages are kept: the code typed, the 2000 characters.
    assert "&#39;AB&#39;" in translated["err-locations-2-country"]
    assert "2000" in translated["err-timeline-0-cites"]
    # The location's own problem names it (the first location) in the site's language.
    assert translated["err-locations"].startswith(
        {"es": "lugar 1: ", "fr": "lieu 1 : ", "ar": "المكان 1: "}[language]
    )
    # The place precision's options are worded too.
    assert {"es": "pueblo o ciudad", "fr": "ville", "ar": "بلدة أو مدينة"}[language] in pages[
        language
    ]


def refusals(browser: Browser) -> dict[str, Any]:
    """Requests the editing service refuses, each answered by a problem page (nothing
    changes, so the same requests can be made again in another language)."""
    token, base = browser.form("/edit/caso-0/")
    _, published = browser.form("/edit/caso-1/")
    return {
        "rename to a taken slug": browser.post(
            "/edit/caso-0/rename",
            {"csrf": token, "base_revision": str(base), "new_slug": "caso-1"},
        ),
        "rename to a bad slug": browser.post(
            "/edit/caso-0/rename",
            {"csrf": token, "base_revision": str(base), "new_slug": "Caso Nuevo"},
        ),
        "empty note": browser.post("/edit/caso-0/notes", {"csrf": token, "text": "  "}),
        "publish unclassified": browser.post(
            "/edit/caso-0/workflow",
            {"csrf": token, "base_revision": str(base), "act": "publish"},
        ),
        "send back without a comment": browser.post(
            "/edit/caso-1/workflow",
            {"csrf": token, "base_revision": str(published), "act": "unpublish"},
        ),
        "delete without a reason": browser.post(
            "/edit/caso-0/delete", {"csrf": token, "base_revision": str(base), "reason": ""}
        ),
        "withdraw without a reason": browser.post(
            "/edit/caso-1/withdraw-version", {"csrf": token, "version": "1", "reason": ""}
        ),
    }


def test_refusals_are_said_in_the_site_language(tracker: tuple[str, Store]) -> None:
    language, store = tracker
    fragments = english_fragments(language)
    english = refusals(signed_in(store, "en"))
    translated = refusals(signed_in(store, language))
    # An editor may not send a published record back: the permission table's refusal.
    eve = signed_in(store, language, "eve")
    token, published = eve.form("/edit/caso-1/")
    not_allowed = eve.post(
        "/edit/caso-1/workflow",
        {"csrf": token, "base_revision": str(published), "act": "unpublish"},
    )
    assert not_allowed.status_code == 403
    assert untranslated(not_allowed.text, fragments) == []
    for name, answer in translated.items():
        assert answer.status_code in (409, 422), (name, answer.status_code, answer.text)
        assert english[name].status_code == answer.status_code, name
        assert untranslated(answer.text, fragments) == [], name
        assert shown(answer.text) != shown(english[name].text), name
        assert "Nothing" not in shown(answer.text), name
    # A new record whose slug is taken: the message beside the slug.
    browser = signed_in(store, language)
    token, _ = browser.form("/edit/new")
    taken = browser.post(
        "/edit/new",
        [
            *flat_fields(record_values(store.get("caso-2").record)),
            ("slug", "caso-2"),
            ("csrf", token),
        ],
    )
    assert taken.status_code == 409
    assert "already exists" not in taken.text and "caso-2" in field_errors(taken.text)["err-slug"]


def bulk(browser: Browser, step: str, kind: str, value: str, *slugs: str) -> Any:
    """The bulk page's post: `step` confirm (a dry run) or apply."""
    form = [("csrf", browser.csrf("/edit/bulk")), ("step", step), ("kind", kind), ("value", value)]
    return browser.post("/edit/bulk", form + [("slug", s) for s in slugs])


def bulk_plans(browser: Browser, language: str) -> dict[str, Any]:
    """Dry runs (nothing changes) of bulk changes with every kind of outcome."""

    def plan(kind: str, value: str, *slugs: str) -> Any:
        return bulk(browser, "confirm", kind, value, *slugs)

    return {
        # refused (not publishable), already published, would change (draft → published)
        "publish": plan("set-status", "published", "caso-0", "caso-1", "caso-2"),
        # no such move (published → review), would change (draft → review)
        "review": plan("set-status", "review", "caso-1", "caso-2"),
        # sending back someone else's record needs a comment
        "draft": plan("set-status", "draft", "caso-1"),
        # already so; would change
        "tag": plan("add-tag", CONTENT[language]["tag"], "caso-0"),
        "untag": plan("remove-tag", CONTENT[language]["tag"], "caso-2"),
        # already in it, no such record, would change
        "collection": plan("add-to-collection", "puerto", "caso-0", "nada", "caso-2"),
    }


def outcome_details(html: str) -> list[str]:
    body = html.split('id="bulk-outcomes"', 1)[1].split("</table>", 1)[0]
    return [re.sub(r"<[^>]+>", "", row.rsplit("<td>", 1)[1]) for row in body.split("</tr>")[1:-1]]


def test_bulk_outcomes_are_said_in_the_site_language(tracker: tuple[str, Store]) -> None:
    language, store = tracker
    fragments = english_fragments(language)
    english = bulk_plans(signed_in(store, "en"), language)
    browser = signed_in(store, language)
    translated = bulk_plans(browser, language)
    for name, answer in translated.items():
        assert answer.status_code == 200, (name, answer.text)
        assert untranslated(answer.text, fragments) == [], name
        details, english_details = outcome_details(answer.text), outcome_details(english[name].text)
        assert len(details) == len(english_details) >= 1, name
        for mine, theirs in zip(details, english_details, strict=True):
            assert mine != theirs, (name, mine)
    assert "caso-0" in outcome_details(english["publish"].text)[0]  # the refusal names it
    # An editor's refusals by the permission table, and a change applied (its revision).
    refused = bulk(signed_in(store, language, "eve"), "confirm", "add-tag", "x", "caso-1")
    assert refused.status_code == 403
    assert untranslated(refused.text, fragments) == []
    applied = bulk(browser, "apply", "add-tag", "x", "caso-2")
    assert applied.status_code == 200
    assert untranslated(applied.text, fragments) == []
    assert outcome_details(applied.text) == [
        i18n.translations(language).gettext("revision %(n)s") % {"n": 2}
    ]


# --- the form's words for pydantic's errors ----------------------------------------------------


def bad_values() -> list[dict[str, Any]]:
    """Form values each of which pydantic refuses in its own way: what a form can send."""
    good = form_values(flat_fields(record_values(make_record("caso"))))
    row = {"name": "Grupo", "kind": "group", "role": "", "count": "", "entity": ""}
    place = {"country": "YE", "precision": "town", "publishedPrecision": ""}
    document = {"title": "t", "url": "https://x.org/d", "kind": "k", "sha256": "abc"}
    return [
        {k: v for k, v in good.items() if k != "date"},  # missing
        {**good, "structuredVictims": [{**row, "name": "", "role": "x"}]},  # string_too_short
        {**good, "locations": [{**place, "name": "x" * 201}]},  # string_too_long
        {**good, "locations": [place] * 101},  # too_long
        {**good, "documents": [document]},  # string_pattern_mismatch
        {**good, "structuredVictims": [{**row, "kind": "alien"}]},  # enum
        {**good, "locations": [{**place, "precision": "street"}]},  # enum
        {**good, "date": "2021-02-30", "category": "nada"},  # value_error (Invalid)
    ]


@pytest.mark.parametrize("language", SHIPPED)
def test_every_error_type_the_form_meets_is_worded_and_translated(language: str) -> None:
    site = SITE.model_copy(update={"language": language})
    english_site = SITE
    met: set[str] = set()
    for values in bad_values():
        caught = {}
        for s in (english_site, site):
            with pytest.raises(FormErrors) as error:
                record_from_form(values, s, slug="caso", base=None, today=date(2026, 1, 1))
            caught[s.language] = error.value
        met |= caught[language].types
        # Every type met is one the form words (or a validator's own Invalid sentence).
        assert caught[language].types <= set(ERROR_WORDS) | {"value_error"}, caught[language].types
        for path, message in caught[language].errors.items():
            assert message != caught["en"].errors[path], (path, message)
            assert i18n.gettext(language, GENERIC_ERROR) not in message, (path, message)
    assert met >= {
        "missing",
        "string_too_short",
        "string_too_long",
        "too_long",
        "string_pattern_mismatch",
        "enum",
        "value_error",
    }


@pytest.mark.parametrize("language", SHIPPED)
def test_an_error_type_the_form_does_not_know_is_worded_generically(language: str) -> None:
    catalog = i18n.translations(language)
    unknown = {"type": "url_scheme", "loc": ("x",), "msg": "URL scheme", "input": "y"}
    words = error_words(cast(Any, unknown))
    said = words.translated(catalog)
    assert said == catalog.gettext(GENERIC_ERROR) != GENERIC_ERROR
    # And every word of ERROR_WORDS has its translation (its plural forms too).
    for template in ERROR_WORDS.values():
        if isinstance(template, tuple):
            assert catalog.ngettext(*template, 5) != template[1]
        else:
            assert catalog.gettext(template) != template, template


def test_english_messages_are_what_the_command_line_always_said(tmp_path: Path) -> None:
    """The validators' sentences, worded for translation, print the same English."""
    from pydantic import ValidationError

    data = make_record("caso").to_storage() | {"date": "2021-02-30"}
    with pytest.raises(ValidationError) as caught:
        Record.model_validate(data)
    said = caught.value.errors()[0]["msg"]
    assert said == "Value error, '2021-02-30' is not a real calendar date"


def alert(html: str) -> str:
    """The page's error line (role="alert"), as text."""
    found = re.search(r'<p class="error" role="alert"[^>]*>(.*?)</p>', html, re.S)
    assert found, html
    return unescape(found.group(1))


def ingest_and_account_errors(browser: Browser) -> dict[str, str]:
    """A fetch refused before any connection (the host is this machine), and a user the
    accounts refuse (a username with a space): each page's error line."""
    token, _ = browser.form("/edit/proposals")
    fetched = browser.post("/edit/proposals", {"csrf": token, "url": "http://localhost/x"})
    assert fetched.status_code == 400
    token, _ = browser.form("/edit/users")
    added = browser.post(
        "/edit/users", {"csrf": token, "do": "add", "username": "Bad Name", "role": "viewer"}
    )
    return {"fetch": alert(fetched.text), "account": alert(added.text)}


def test_ingest_and_account_errors_are_said_in_the_site_language(
    tracker: tuple[str, Store], tmp_path: Path
) -> None:
    language, store = tracker
    english = ingest_and_account_errors(signed_in(store, "en", folder=tmp_path))
    assert english == {
        "fetch": "cannot fetch http://localhost/x: host localhost is this machine (localhost)",
        "account": "invalid username 'Bad Name': 2 to 63 characters, lowercase letters, "
        "digits, '.', '_' and '-', starting with a letter or digit",
    }  # the CLI's and the API's English, unchanged
    said = ingest_and_account_errors(signed_in(store, language, folder=tmp_path))
    catalog = i18n.translations(language)
    reason = catalog.gettext("host %(host)s is this machine (localhost)") % {"host": "localhost"}
    assert said["fetch"] == catalog.gettext("cannot fetch %(url)s: %(reason)s") % {
        "url": "http://localhost/x",
        "reason": reason,
    }
    invalid = catalog.gettext(
        "invalid username %(name)s: 2 to 63 characters, lowercase letters, digits, '.', '_' "
        "and '-', starting with a letter or digit"
    )
    assert said["account"] == invalid % {"name": "'Bad Name'"}
    for name in english:
        assert said[name] != english[name], name
