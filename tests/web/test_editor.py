"""The editor in process, on a real SQLite file, through its real forms: sign-in, create,
save with a message, field errors, conflicts, the workflow, history, restore, CSRF."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from casework.model import Status
from casework.store.accounts import LoginFailed, Role, TokenScope
from casework.web.auth import SESSION_COOKIE
from casework.web.security import HEADERS
from tests.publish.xss import hostile_record
from tests.store.factories import make_record
from tests.web.editing import PASSWORD, Team, fields_of


def test_sign_in_opens_a_session_and_sign_out_revokes_it(team: Team) -> None:
    browser = team.client()
    assert browser.get("/edit/").status_code == 303  # to the login form
    wrong = browser.sign_in("eve", "not the password at all")
    assert wrong.status_code == 401 and "Wrong username or password" in wrong.text
    unknown = browser.sign_in("nobody", PASSWORD)
    assert unknown.status_code == 401 and "Wrong username or password" in unknown.text
    ok = browser.sign_in("eve")
    assert ok.status_code == 303 and ok.headers["location"] == "/edit/"
    cookie = browser.http.cookies[SESSION_COOKIE]
    assert browser.get("/edit/").status_code == 200
    token = browser.csrf()
    assert browser.post("/logout", {"csrf": token}).status_code == 303
    # The old cookie, replayed, no longer opens anything: the session is gone server-side.
    replay = team.client()
    replay.http.cookies.set(SESSION_COOKIE, cookie)
    assert replay.get("/edit/").status_code == 303


def test_login_is_throttled_after_repeated_failures(team: Team) -> None:
    browser = team.client()
    for _ in range(5):
        assert browser.sign_in("eve", "wrong password number x").status_code == 401
    throttled = browser.sign_in("eve")  # even the right password
    assert throttled.status_code == 429 and "Too many failed attempts" in throttled.text
    assert SESSION_COOKIE not in browser.http.cookies


def test_failures_from_other_addresses_do_not_lock_the_admin_out(team: Team) -> None:
    """Someone elsewhere failing at the admin's name (from five addresses) slows the admin's
    sign-in down (a 1 s wait here) but never refuses it."""
    for i in range(5):
        with pytest.raises(LoginFailed):
            team.store.accounts.authenticate("ada", "a guess", remote=f"203.0.113.{i}")
    browser = team.client()
    signed = browser.sign_in("ada")
    assert signed.status_code == 303 and signed.headers["location"] == "/edit/"
    assert browser.get("/edit/").status_code == 200


def test_login_form_refuses_a_post_without_its_token(team: Team) -> None:
    browser = team.client()
    response = browser.post("/login", {"username": "eve", "password": PASSWORD, "csrf": "x"})
    assert response.status_code == 403 and SESSION_COOKIE not in browser.http.cookies


def test_an_editor_creates_a_draft_through_the_form(team: Team) -> None:
    eve = team.client("eve")
    record = make_record("placeholder", title="Checkpoint closes the river road")
    fields = [(k, v) for k, v in fields_of(record)]
    token = eve.csrf("/edit/new")
    response = eve.post(
        "/edit/new", [*fields, ("csrf", token), ("message", "First draft from the field notes")]
    )
    assert response.status_code == 303, response.text
    slug = response.headers["location"].split("/")[2]
    assert slug == "checkpoint-closes-the-river-road"
    stored = team.store.get(slug)
    assert stored.status is Status.draft and stored.record.title == record.title
    assert stored.record.sources == record.sources and stored.record.body == record.body
    first = team.store.history(slug)[0]
    assert (first.author, first.message) == ("eve", "First draft from the field notes")


def test_field_errors_are_shown_beside_the_field_and_nothing_is_saved(team: Team) -> None:
    team.record("pier", Status.draft)
    eve = team.client("eve")
    token, base = eve.form("/edit/pier/")
    fields = dict(fields_of(make_record("pier")))
    fields["sources.0.url"] = "not a url"
    fields["date"] = "2021-02-30"
    response = eve.post("/edit/pier/", {**fields, "csrf": token, "base_revision": str(base)})
    assert response.status_code == 422
    assert 'id="err-sources-0-url"' in response.text and 'id="err-date"' in response.text
    assert 'value="not a url"' in response.text  # what was typed is kept, not lost
    assert team.store.get("pier").revision == 1


def test_save_makes_a_revision_with_author_and_message(team: Team) -> None:
    team.record("pier", Status.draft)
    eve = team.client("eve")
    token, base = eve.form("/edit/pier/")
    fields = dict(fields_of(make_record("pier")))
    fields["title"] = "Harbour closed for three days"
    fields["sources.1.url"] = "https://example.org/second"
    fields["sources.1.title"] = "Second report"
    fields["sources.1.publisher"] = "Bay Herald"
    response = eve.post(
        "/edit/pier/",
        {**fields, "csrf": token, "base_revision": str(base), "message": "Second source"},
    )
    assert response.status_code == 303
    stored = team.store.get("pier")
    assert stored.revision == 2 and stored.record.title == "Harbour closed for three days"
    assert [s.publisher for s in stored.record.sources] == ["Coast Post", "Bay Herald"]
    last = team.store.history("pier")[-1]
    assert (last.author, last.message) == ("eve", "Second source")


def test_server_owned_fields_cannot_be_set_through_the_form(team: Team) -> None:
    team.record("pier", Status.draft)
    eve = team.client("eve")
    token, base = eve.form("/edit/pier/")
    fields = dict(fields_of(make_record("pier")))
    fields.update(
        {
            "slug": "renamed",
            "lastUpdated": "1999-01-01",
            "updateLog.0.date": "1999-01-01",
            "updateLog.0.summary": "forged",
            "contentHtml": "<script>x()</script>",
            "status": "published",
            "summary": "A new summary.",
        }
    )
    response = eve.post("/edit/pier/", {**fields, "csrf": token, "base_revision": str(base)})
    assert response.status_code == 303
    stored = team.store.get("pier")
    assert stored.record.summary == "A new summary."
    assert stored.record.slug == "pier" and stored.status is Status.draft
    assert stored.record.update_log == [] and stored.record.last_updated.isoformat() == "2021-04-02"


def test_a_second_save_from_the_same_revision_is_a_conflict_not_an_overwrite(team: Team) -> None:
    team.record("pier", Status.draft)
    eve, ed = team.client("eve"), team.client("ed")
    eve_token, eve_base = eve.form("/edit/pier/")
    ed_token, ed_base = ed.form("/edit/pier/")
    fields = dict(fields_of(make_record("pier")))
    first = eve.post(
        "/edit/pier/",
        {**fields, "summary": "Eve's summary.", "csrf": eve_token, "base_revision": str(eve_base)},
    )
    assert first.status_code == 303
    second = ed.post(
        "/edit/pier/",
        {**fields, "summary": "Ed's summary.", "csrf": ed_token, "base_revision": str(ed_base)},
    )
    assert second.status_code == 409
    assert "Someone else saved this record first" in second.text and "eve" in second.text
    assert "Eve&#39;s summary." in second.text and "Ed&#39;s summary." in second.text
    assert team.store.get("pier").record.summary == "Eve's summary."
    # Ed's form now carries the current revision: saving again is a deliberate choice.
    assert 'name="base_revision" value="2"' in second.text
    again = ed.post(
        "/edit/pier/",
        {**fields, "summary": "Ed's summary.", "csrf": ed_token, "base_revision": "2"},
    )
    assert again.status_code == 303 and team.store.get("pier").record.summary == "Ed's summary."


def test_workflow_draft_review_published_and_back(team: Team) -> None:
    team.record("pier", Status.draft)
    eve, rita, public = team.client("eve"), team.client("rita"), team.client()
    token, base = eve.form("/edit/pier/")
    assert (
        eve.post(
            "/edit/pier/workflow", {"act": "submit", "csrf": token, "base_revision": str(base)}
        ).status_code
        == 303
    )
    assert team.store.get("pier").status is Status.review
    token, base = eve.form("/edit/pier/")
    refused = eve.post(
        "/edit/pier/workflow", {"act": "publish", "csrf": token, "base_revision": str(base)}
    )
    assert refused.status_code == 403 and team.store.get("pier").status is Status.review
    assert public.get("/incident/pier/").status_code == 404
    assert public.get("/api/incidents/pier").status_code == 404

    token, base = rita.form("/edit/pier/")
    published = rita.post(
        "/edit/pier/workflow",
        {
            "act": "publish",
            "csrf": token,
            "base_revision": str(base),
            "update_log": "Published after review of both sources.",
        },
    )
    assert published.status_code == 303
    stored = team.store.get("pier")
    today = datetime.now(UTC).date()
    assert stored.status is Status.published and stored.record.last_updated == today
    assert [(e.date, e.summary) for e in stored.record.update_log] == [
        (today, "Published after review of both sources.")
    ]
    assert public.get("/incident/pier/").status_code == 200
    assert (
        public.get("/api/incidents/pier")
        .json()["record"]["updateLog"][-1]["summary"]
        .startswith("Published after")
    )

    token, base = rita.form("/edit/pier/")
    assert (
        rita.post(
            "/edit/pier/workflow", {"act": "unpublish", "csrf": token, "base_revision": str(base)}
        ).status_code
        == 303
    )
    assert team.store.get("pier").status is Status.draft
    assert public.get("/incident/pier/").status_code == 404


def test_publishing_without_a_note_sets_last_updated_and_logs_nothing(team: Team) -> None:
    team.record("pier", Status.review)
    rita = team.client("rita")
    token, base = rita.form("/edit/pier/")
    response = rita.post(
        "/edit/pier/workflow", {"act": "publish", "csrf": token, "base_revision": str(base)}
    )
    assert response.status_code == 303
    stored = team.store.get("pier")
    assert stored.status is Status.published and stored.record.update_log == []
    assert stored.record.last_updated == datetime.now(UTC).date()
    assert team.store.history("pier")[-1].message == "Published"
    unknown = rita.post(
        "/edit/pier/workflow", {"act": "delete", "csrf": token, "base_revision": "3"}
    )
    assert unknown.status_code == 400 and team.store.get("pier").revision == 3


def test_saving_a_published_record_logs_the_change(team: Team) -> None:
    team.record("pier", Status.published)
    rita = team.client("rita")
    token, base = rita.form("/edit/pier/")
    fields = dict(fields_of(make_record("pier")))
    response = rita.post(
        "/edit/pier/",
        {
            **fields,
            "summary": "Corrected figure.",
            "update_log": "Corrected the crew count.",
            "csrf": token,
            "base_revision": str(base),
        },
    )
    assert response.status_code == 303
    record = team.store.get("pier").record
    assert record.update_log[-1].summary == "Corrected the crew count."
    assert record.last_updated == datetime.now(UTC).date()


def test_history_shows_who_changed_what_and_restore_makes_a_new_revision(team: Team) -> None:
    team.record("pier", Status.draft)
    eve = team.client("eve")
    token, base = eve.form("/edit/pier/")
    fields = dict(fields_of(make_record("pier")))
    eve.post(
        "/edit/pier/",
        {
            **fields,
            "title": "Pier shut for a week",
            "csrf": token,
            "base_revision": str(base),
            "message": "Longer closure",
        },
    )
    page = eve.get("/edit/pier/history")
    assert page.status_code == 200
    assert "Longer closure" in page.text and '<strong class="author">eve</strong>' in page.text
    assert 'data-path="title"' in page.text and "<ins>" in page.text and "week" in page.text
    token = eve.csrf("/edit/pier/history")
    restored = eve.post("/edit/pier/restore", {"number": "1", "base_revision": "2", "csrf": token})
    assert restored.status_code == 303
    stored = team.store.get("pier")
    assert stored.revision == 3 and stored.record.title == "Harbour closed without warning"
    assert team.store.history("pier")[-1].message == "Restored revision 1"


def test_state_changes_need_the_sessions_csrf_token_from_this_site(team: Team) -> None:
    team.record("pier", Status.draft)
    eve = team.client("eve")
    token, base = eve.form("/edit/pier/")
    fields = dict(fields_of(make_record("pier")))
    fields["summary"] = "Forged."
    missing = eve.post("/edit/pier/", {**fields, "base_revision": str(base)})
    wrong = eve.post("/edit/pier/", {**fields, "base_revision": str(base), "csrf": "guess"})
    foreign = eve.post(
        "/edit/pier/",
        {**fields, "base_revision": str(base), "csrf": token},
        headers={"Origin": "https://evil.example"},
    )
    assert (missing.status_code, wrong.status_code, foreign.status_code) == (403, 403, 403)
    assert team.store.get("pier").revision == 1


def test_disabling_an_account_ends_its_sessions_at_once(team: Team) -> None:
    eve = team.client("eve")
    assert eve.get("/edit/").status_code == 200
    team.store.accounts.disable("eve")
    assert eve.get("/edit/").status_code == 303
    assert eve.sign_in("eve").status_code == 401


def test_editor_pages_carry_security_headers_and_escape_hostile_records(team: Team) -> None:
    record = hostile_record()
    team.store.create(record, author="seed", message="seed")
    eve = team.client("eve")
    for path in ("/edit/", "/edit/hostile/", "/edit/hostile/history", "/edit/new", "/login"):
        response = eve.get(path)
        assert response.status_code == 200, path
        for name, value in HEADERS.items():
            assert response.headers[name] == value, (path, name)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "<script>window.__xss" not in response.text, path
        assert 'onerror="window' not in response.text and "<svg onload" not in response.text
    preview = eve.post(
        "/edit/preview",
        {"body": record.body},
        headers={"X-CSRF-Token": eve.csrf()},
    )
    assert preview.status_code == 200
    html = preview.json()["html"]
    tags = " ".join(re.findall(r"<[^>]*>", html)).lower()
    assert "<script" not in tags and " on" not in tags and "javascript:" not in tags
    assert "<h1" in html  # the Markdown itself is rendered
    assert eve.post("/edit/preview", {"body": "# x"}).status_code == 403  # no token


def test_nothing_unpublished_reaches_the_public_site_or_api(team: Team) -> None:
    team.record("draft-one", Status.draft, title="DRAFTMARKER one")
    team.record("review-one", Status.review, title="REVIEWMARKER two")
    team.record("live-one", Status.published, title="Published three")
    public = team.client()
    for path in ("/", "/api/incidents", "/api/incidents?q=DRAFTMARKER", "/archive.json"):
        text = public.get(path).text
        assert "DRAFTMARKER" not in text and "REVIEWMARKER" not in text, path
    for slug in ("draft-one", "review-one"):
        assert public.get(f"/incident/{slug}/").status_code == 404
        assert public.get(f"/api/incidents/{slug}").status_code == 404
    assert public.get("/incident/live-one/").status_code == 200


def test_a_revision_number_past_any_real_one_is_no_such_revision(team: Team) -> None:
    team.record("numbered", Status.draft)
    eve = team.client("eve")
    for number in ("9223372036854775808", "99999999999999999999999", "0"):
        page = eve.get(f"/edit/numbered/history/{number}")
        assert page.status_code == 404, number
    token, _ = eve.form("/edit/numbered/")
    huge = eve.post("/edit/numbered/restore", {"csrf": token, "number": "9" * 30,
                                                "base_revision": "1"})  # fmt: skip
    assert huge.status_code == 404
    saved = team.store.accounts.create_token("eve", "n", scope=TokenScope.write)[0]
    api = team.client().http
    answer = api.put(
        "/api/records/numbered",
        json={"record": {}, "baseRevision": 2**63},
        headers={"Authorization": f"Bearer {saved}"},
    )
    assert answer.status_code == 422


def test_a_full_disk_keeps_the_editors_words_in_the_form(tmp_path: Path) -> None:
    """The real engine answers SQLITE_FULL (a page cap, as on a full disk): the editor says
    nothing was saved, in one line, and gives the form back with what was typed."""
    from argon2 import PasswordHasher

    from casework.store.sqlite import SQLiteStore
    from casework.web.app import create_app
    from tests.store.test_disk_errors import _cap_pages
    from tests.web.editing import SITE, Browser

    store = SQLiteStore(tmp_path / "tracker.db")
    store.accounts.hasher = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1)
    store.accounts.add_user("eve", PASSWORD, Role.editor, "Eve")
    store.create(make_record("full-disk"), author="seed", message="seed")
    eve = Browser(TestClient(create_app(store, SITE), follow_redirects=False))
    eve.sign_in("eve")
    token, base = eve.form("/edit/full-disk/")
    _cap_pages(store)
    words = "Witnesses counted forty boats at the quay before dawn. " * 300
    fields = [(k, v) for k, v in fields_of(make_record("full-disk")) if k != "description"]
    answer = eve.post(
        "/edit/full-disk/",
        [*fields, ("description", words), ("csrf", token), ("base_revision", str(base))],
    )
    assert answer.status_code == 503
    assert "nothing was saved" in answer.text.lower() and "full" in answer.text
    assert words.strip() in answer.text  # the form holds every word typed
    assert store.get("full-disk").revision == 1
    store.close()


def test_the_preview_renders_a_bounded_part_of_a_long_body(team: Team) -> None:
    eve = team.client("eve")
    token = eve.csrf()
    body = "# Heading\n\n" + ("A line of testimony.\n" * 20_000)
    answer = eve.post("/edit/preview", {"body": body}, headers={"X-CSRF-Token": token})
    assert answer.status_code == 200
    html = answer.json()["html"]
    assert "Preview of the first" in html and "characters of 420,011" in html
    assert len(html) < len(body)


def test_a_number_written_in_other_digits_is_no_number_not_a_500(team: Team) -> None:
    """ "²" passes str.isdigit but not int(): every number a form sends is read as ASCII
    digits, so such a value is no revision (a conflict, a 404), never a server error."""
    team.record("digits", Status.draft)
    eve = team.client("eve")
    token, _ = eve.form("/edit/digits/")
    fields = [*fields_of(make_record("digits", summary="Changed.")), ("csrf", token)]
    saved = eve.post("/edit/digits/", [*fields, ("base_revision", "²")])
    assert saved.status_code == 409  # based on no revision: shown as a conflict
    with_hint = [*fields, ("base_revision", "1"), ("sources.0._base", "²")]
    assert eve.post("/edit/digits/", with_hint).status_code == 303
    restored = eve.post("/edit/digits/restore", {"csrf": token, "number": "²",
                                                  "base_revision": "2"})  # fmt: skip
    assert restored.status_code == 404
    assert eve.get("/edit/", params={"page": "²"}).status_code == 200
