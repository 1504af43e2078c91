"""Every editor route × every role (and no one) × every record state: the status code, and
whether the store changed. The expectations are written out here by hand, independently of
editing/permissions.py, so that a wrong entry there fails a case here."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from casework.model import Status
from tests.store.factories import make_record
from tests.web.editing import Browser, Team, fields_of

ROLES = ("anonymous", "vic", "eve", "rita", "ada")  # no one, viewer, editor, reviewer, admin
RANK = {"anonymous": -1, "vic": 0, "eve": 1, "rita": 2, "ada": 3}
VIEWER, EDITOR, REVIEWER, ADMIN = 0, 1, 2, 3
STATES = (Status.draft, Status.review, Status.published)


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # {slug} is the case's record
    data: Callable[[Browser, str], Any] | None
    # The lowest rank allowed, per state (None: no one, in that state).
    lowest: dict[Status, int | None]
    writes: bool = False
    ok: int = 0  # the status when allowed (default: 200 for GET, 303 for POST)
    public: bool = False  # the public site: the same for everyone, published records only
    duplicate: bool = False  # a second record "dup-{slug}", in the same state, to merge


def _same(rank: int | None) -> dict[Status, int | None]:
    return dict.fromkeys(STATES, rank)


def _token(browser: Browser, slug: str) -> dict[str, str]:
    token, base = browser.form(f"/edit/{slug}/")
    return {"csrf": token, "base_revision": str(base)}


def _save(browser: Browser, slug: str) -> list[tuple[str, str]]:
    fields = [(k, v) for k, v in fields_of(make_record(slug)) if k != "summary"]
    return [*fields, ("summary", "Changed by the matrix."), *_token(browser, slug).items()]


def _act(act: str) -> Callable[[Browser, str], Any]:
    # Sending someone else's record back to draft takes a reviewer's comment.
    said = {"comment": "The matrix says why."} if act in ("withdraw", "unpublish") else {}
    return lambda browser, slug: {"act": act, **said, **_token(browser, slug)}


def _note(browser: Browser, slug: str) -> dict[str, str]:
    return {"text": f"A note on {slug}.", "csrf": browser.csrf("/edit/account")}


def _delete(browser: Browser, slug: str) -> dict[str, str]:
    return {"reason": "Entered twice", **_token(browser, slug)}


def _rename(browser: Browser, slug: str) -> dict[str, str]:
    return {"new_slug": f"renamed-{slug}", **_token(browser, slug)}


def _merge_preview(browser: Browser, slug: str) -> dict[str, str]:
    return {"duplicate": f"dup-{slug}", **_token(browser, slug)}


def _merge(browser: Browser, slug: str) -> dict[str, str]:
    """The confirmation page's form, as the first post gives it (a role refused there has
    none: it posts what it would, and is refused again)."""
    page = browser.post(f"/edit/{slug}/merge", _merge_preview(browser, slug)).text
    found = re.search(r'name="duplicate_revision" value="(\d+)"', page)
    revision = found.group(1) if found else "2"
    return {**_merge_preview(browser, slug), "step": "merge", "duplicate_revision": revision}


def _bulk(browser: Browser, slug: str) -> dict[str, str]:
    return {"csrf": browser.csrf("/edit/account"), "step": "apply", "kind": "add-tag",
            "value": "matrix-tag", "slug": slug}  # fmt: skip


def _noted(team: Team, slug: str) -> bool:
    from casework.evidence.published import engine_of
    from casework.store import notes

    engine = engine_of(team.store)
    return engine is not None and bool(notes.read_for(engine, slug))


def _restore(browser: Browser, slug: str) -> dict[str, str]:
    return {"number": "1", **_token(browser, slug)}


def _new(browser: Browser, slug: str) -> list[tuple[str, str]]:
    fields = fields_of(make_record(slug, title=f"New {slug}"))
    return [*fields, ("slug", f"new-{slug}"), ("csrf", browser.csrf("/edit/account"))]


def _csrf_only(browser: Browser, slug: str) -> dict[str, str]:
    return {"csrf": browser.csrf("/edit/account"), "name": "matrix"}


def _add_user(browser: Browser, slug: str) -> dict[str, str]:
    return {"csrf": browser.csrf("/edit/account"), "do": "add", "username": f"u-{slug}"}


CASES = [
    Case("dashboard", "GET", "/edit/", None, _same(VIEWER)),
    Case("record form", "GET", "/edit/{slug}/", None, _same(VIEWER)),
    Case("history", "GET", "/edit/{slug}/history", None, _same(VIEWER)),
    Case("one revision", "GET", "/edit/{slug}/history/1", None, _same(VIEWER)),
    Case("new form", "GET", "/edit/new", None, _same(EDITOR)),
    Case("create", "POST", "/edit/new", _new, _same(EDITOR), writes=True),
    Case(
        "save",
        "POST",
        "/edit/{slug}/",
        _save,
        {Status.draft: EDITOR, Status.review: EDITOR, Status.published: REVIEWER},
        writes=True,
    ),
    Case(
        "restore",
        "POST",
        "/edit/{slug}/restore",
        _restore,
        {Status.draft: EDITOR, Status.review: EDITOR, Status.published: REVIEWER},
        writes=True,
    ),
    Case(
        "submit",
        "POST",
        "/edit/{slug}/workflow",
        _act("submit"),
        {Status.draft: EDITOR, Status.review: None, Status.published: None},
        writes=True,
    ),
    Case(
        "withdraw",
        "POST",
        "/edit/{slug}/workflow",
        _act("withdraw"),
        {Status.draft: None, Status.review: EDITOR, Status.published: None},
        writes=True,
    ),
    Case(
        "publish",
        "POST",
        "/edit/{slug}/workflow",
        _act("publish"),
        {Status.draft: REVIEWER, Status.review: REVIEWER, Status.published: None},
        writes=True,
    ),
    Case(
        "unpublish",
        "POST",
        "/edit/{slug}/workflow",
        _act("unpublish"),
        {Status.draft: None, Status.review: None, Status.published: REVIEWER},
        writes=True,
    ),
    Case("add a note", "POST", "/edit/{slug}/notes", _note, _same(EDITOR), writes=True),
    Case(
        "rename",
        "POST",
        "/edit/{slug}/rename",
        _rename,
        {Status.draft: EDITOR, Status.review: EDITOR, Status.published: REVIEWER},
        writes=True,
    ),
    Case(
        "delete",
        "POST",
        "/edit/{slug}/delete",
        _delete,
        {Status.draft: EDITOR, Status.review: EDITOR, Status.published: REVIEWER},
        writes=True,
    ),
    Case(
        "merge: what it would do",
        "POST",
        "/edit/{slug}/merge",
        _merge_preview,
        {Status.draft: EDITOR, Status.review: EDITOR, Status.published: REVIEWER},
        ok=200,
        duplicate=True,
    ),
    Case(
        "merge",
        "POST",
        "/edit/{slug}/merge",
        _merge,
        {Status.draft: EDITOR, Status.review: EDITOR, Status.published: REVIEWER},
        writes=True,
        duplicate=True,
    ),
    Case("bulk page", "GET", "/edit/bulk", None, _same(EDITOR)),
    Case(
        "bulk change",
        "POST",
        "/edit/bulk",
        _bulk,
        {Status.draft: EDITOR, Status.review: EDITOR, Status.published: REVIEWER},
        writes=True,
        ok=200,  # the page reports each record's outcome
    ),
    Case("users page", "GET", "/edit/users", None, _same(ADMIN)),
    Case("account page", "GET", "/edit/account", None, _same(VIEWER)),
    Case("create a token", "POST", "/edit/account", _csrf_only, _same(VIEWER), ok=200),
    Case("preview", "POST", "/edit/preview", _csrf_only, _same(VIEWER), ok=200),
    Case("add a user", "POST", "/edit/users", _add_user, _same(ADMIN), ok=200, writes=True),
    Case("link health", "GET", "/edit/links", None, _same(VIEWER)),
    Case("queue a link check", "POST", "/edit/links", _csrf_only, _same(EDITOR)),
    Case("public page", "GET", "/incident/{slug}/", None, _same(None), public=True),
    Case("public JSON", "GET", "/incident/{slug}.json", None, _same(None), public=True),
    Case("API record", "GET", "/api/incidents/{slug}", None, _same(None), public=True),
]


def expected(case: Case, role: str, state: Status) -> int:
    if case.public:
        return 200 if state is Status.published else 404
    rank = RANK[role]
    if rank < 0:
        return 303 if case.method == "GET" else 401  # to the login form; or refused
    lowest = case.lowest[state]
    if lowest is None or rank < lowest:
        return 403
    return case.ok or (200 if case.method == "GET" else 303)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_route_role_state_matrix(team: Team, case: Case) -> None:
    failures = []
    users = team.store.accounts.users
    signed_in = {role: team.client(None if role == "anonymous" else role) for role in ROLES}
    # A revision 2 exists in every record, so that restoring revision 1 is a real change.
    for state in STATES:
        for role in ROLES:
            slug = f"{state.value}-{role}"
            team.record(slug, Status.draft, summary="Before.")
            current = team.store.get(slug)
            team.store.save(
                current.record.model_copy(update={"title": "Second title"}),
                base_revision=1,
                author="seed",
                message="second",
                status=state,
            )
            if case.duplicate:
                team.record(f"dup-{slug}", state, tags=["from-the-duplicate"])
            before = team.store.get(slug)
            browser = signed_in[role]
            path = case.path.format(slug=slug)
            if case.method == "GET":
                response = browser.get(path)
            else:
                # The data (CSRF token, base revision) is what the user's own pages give;
                # an anonymous caller has none, and gets an empty token.
                data = case.data(browser, slug) if case.data else {}
                response = browser.post(path, data)
            want = expected(case, role, state)
            # Renamed or deleted: no record under this slug any more.
            renamed = team.store.exists(f"renamed-{slug}") or not team.store.exists(slug)
            after = before if renamed else team.store.get(slug)
            changed = renamed or (after.revision, after.status) != (before.revision, before.status)
            created = (
                (case.name == "create" and team.store.exists(f"new-{slug}"))
                or (case.name == "add a user" and f"u-{slug}" in {u.username for u in users()})
                or (case.name == "add a note" and _noted(team, slug))
                or (case.duplicate and not team.store.exists(f"dup-{slug}"))
            )
            should_write = case.writes and want == (case.ok or 303)
            if response.status_code != want:
                failures.append(f"{role} {state.value}: {response.status_code} (want {want})")
            if (changed or created) != should_write:
                failures.append(f"{role} {state.value}: store changed={changed or created}")
    assert not failures, "\n".join(failures)
