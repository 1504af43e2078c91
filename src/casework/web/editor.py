"""The editor under /edit/: records in forms, the workflow, history with diffs, accounts.

Every change goes through the store as a revision with its author and message; the routes
decide only who may ask for it (permissions.py) and turn forms into records (forms.py). A save
names the revision its form was loaded from: when another save came first, the editor shows
both versions and their differences instead of overwriting (the store raises Conflict).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from casework.ingest.article import ReadError
from casework.model import PartyKind, Record, Site, Status
from casework.model.diff import Change, diff_records
from casework.render.html import render_markdown
from casework.render.templates import human_date
from casework.store.accounts import AccountError, Accounts, Role, generate_password
from casework.store.base import (
    Conflict,
    RecordNotFound,
    RevisionNotFound,
    SlugExists,
    Store,
    StoredRecord,
    StoreError,
)
from casework.web.auth import Viewer, auth_routes, csrf_ok, login_url, viewer_of
from casework.web.forms import (
    FormErrors,
    form_values,
    record_from_form,
    record_values,
    slug_for,
)
from casework.web.permissions import Act, acts, allowed
from casework.web.workflow import (
    DEFAULT_MESSAGE,
    TARGET,
    every_record,
    published_change,
    stored_hits,
)

LIST_SIZE = 50
MAX_BODY = 2_000_000  # characters of Markdown a preview renders


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("casework.web", "templates"),
                PackageLoader("casework.render", "templates"),
            ]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["display_date"] = human_date
    env.filters["when"] = lambda t: t.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    env.filters["field"] = lambda v: "" if v is None else str(v)
    env.filters["lines"] = lambda v: "\n".join(map(str, v)) if isinstance(v, list) else (v or "")
    env.filters["checked"] = lambda v: v is True or str(v).lower() in ("on", "true", "1", "yes")
    return env


@dataclass(frozen=True)
class Denied(Exception):
    """Raised inside a handler to answer with `response` (login, 403, 404)."""

    response: Response


def today() -> date:
    return datetime.now(UTC).date()


def editor_routes(store: Store, site: Site, folder: Path | None = None) -> list[BaseRoute]:
    """The editor's routes; `folder` is the tracker's, where ingest keeps its proposals
    (without it, the proposals pages say so)."""
    accounts: Accounts = store.accounts
    templates = environment()
    vocab = site.vocabularies

    def render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
        viewer = viewer_of(request, accounts)
        html = templates.get_template(template).render(
            site=site,
            viewer=viewer,
            csrf=viewer.csrf_token if viewer else "",
            vocab={name: vocab.get(name) for name in ("category", "severity", "posture")},
            classifications=vocab.get("classification"),
            party_kinds=[kind.value for kind in PartyKind],
            Act=Act,
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        response.headers["Cache-Control"] = "no-store"
        return response

    def problem(request: Request, status: int, title: str, detail: str) -> Response:
        return render(request, "edit_problem.html", status, title=title, detail=detail)

    def who(request: Request) -> Viewer:
        viewer = viewer_of(request, accounts)
        if viewer is None:
            if request.method == "GET":
                raise Denied(RedirectResponse(login_url(request), status_code=303))
            raise Denied(problem(request, 401, "Signed out", "Sign in again to do this."))
        return viewer

    def require(
        request: Request, act: Act, status: Status | None = None, form: Any = None
    ) -> Viewer:
        viewer = who(request)
        if request.method != "GET" and not csrf_ok(request, viewer, form):
            raise Denied(
                problem(
                    request,
                    403,
                    "Form expired",
                    "The form's security token is missing "
                    "or stale. Go back, reload the page and try again.",
                )
            )
        if not allowed(viewer.user.role, act, status):
            raise Denied(
                problem(
                    request,
                    403,
                    "Not allowed",
                    f"Your role ({viewer.user.role}) may not "
                    f"{act.value} a record that is {status.value if status else 'here'}.",
                )
            )
        return viewer

    def record_or_404(request: Request, slug: str) -> StoredRecord:
        try:
            return store.get(slug)
        except RecordNotFound:
            raise Denied(problem(request, 404, "No such record", f"No record {slug!r}.")) from None

    def guarded(handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            try:
                result: Response = await handler(request)
                return result
            except Denied as denied:
                return denied.response

        return endpoint

    def base_revision(form: Any) -> int:
        try:
            return int(str(form.get("base_revision", "")))
        except ValueError:
            return 0

    def message_of(form: Any, changes: list[Change], fallback: str) -> str:
        text = " ".join(str(form.get("message", "")).split())[:500]
        if text:
            return text
        if changes:
            labels = [c.label for c in changes[:6]]
            more = f" and {len(changes) - 6} more" if len(changes) > 6 else ""
            return "Changed " + ", ".join(labels) + more
        return fallback

    # --- dashboard -------------------------------------------------------------------
    async def dashboard(request: Request) -> Response:
        viewer = require(request, Act.read)
        params = request.query_params
        q = params.get("q", "")[:200]
        status_text = params.get("status", "")
        status = Status(status_text) if status_text in Status.__members__ else None
        try:
            page = max(1, int(params.get("page", "1")))
        except ValueError:
            page = 1
        result = store.search(every_record(q, status, page, LIST_SIZE))
        states = stored_hits(store, result.hits)
        counts = {s.value: store.count(status=s) for s in Status}
        return render(
            request,
            "edit_dashboard.html",
            result=result,
            states=states,
            q=q,
            state=status.value if status else "",
            counts=counts,
            page=page,
            pages=max(1, -(-result.total // LIST_SIZE)),
            can_create=allowed(viewer.user.role, Act.create),
        )

    # --- create and edit ---------------------------------------------------------------
    def form_page(
        request: Request,
        *,
        values: dict[str, Any],
        stored: StoredRecord | None,
        errors: dict[str, str] | None = None,
        status: int = 200,
        **extra: Any,
    ) -> Response:
        viewer = who(request)
        return render(
            request,
            "edit_record.html",
            status,
            values=values,
            stored=stored,
            errors=errors or {},
            acts=acts(viewer.user.role, stored.status) if stored else set(),
            **extra,
        )

    async def new_record(request: Request) -> Response:
        if request.method == "GET":
            require(request, Act.create)
            return form_page(request, values={"date": today().isoformat()}, stored=None)
        form = await request.form()
        viewer = require(request, Act.create, form=form)
        values = form_values(form)
        wanted = str(form.get("slug", "")).strip()
        slug = wanted or slug_for(str(values.get("title", "")) or "record", store.exists)
        try:
            record = record_from_form(values, site, slug=slug, base=None, today=today())
        except FormErrors as error:
            return form_page(
                request,
                values=values,
                stored=None,
                errors=error.errors,
                status=422,
                slug_value=wanted,
            )
        try:
            store.create(
                record,
                author=viewer.user.username,
                message=message_of(form, [], "Created"),
                status=Status.draft,
            )
        except SlugExists:
            return form_page(
                request,
                values=values,
                stored=None,
                status=409,
                slug_value=wanted,
                errors={"slug": f"A record with slug {slug!r} already exists."},
            )
        return RedirectResponse(f"/edit/{slug}/?saved=1", status_code=303)

    async def edit_record(request: Request) -> Response:
        slug = request.path_params["slug"]
        stored = record_or_404(request, slug)
        if request.method == "GET":
            require(request, Act.read)
            return form_page(
                request,
                values=record_values(stored.record),
                stored=stored,
                saved=request.query_params.get("saved"),
            )
        form = await request.form()
        viewer = require(request, Act.edit, stored.status, form=form)
        values = form_values(form)
        base = base_revision(form)
        try:
            record = record_from_form(values, site, slug=slug, base=stored.record, today=today())
        except FormErrors as error:
            return form_page(
                request,
                values=values,
                stored=stored,
                errors=error.errors,
                status=422,
                base=base,
                message=str(form.get("message", "")),
            )
        if base != stored.revision:
            return conflict(request, stored, record, values, str(form.get("message", "")))
        changes = diff_records(stored.record, record)
        if stored.status is Status.published:
            # Saving a published record publishes the change: it is logged for readers.
            if changes or str(form.get("update_log", "")).strip():
                record = published_change(record, str(form.get("update_log", "")), today())
                changes = diff_records(stored.record, record)
        if not changes:
            return RedirectResponse(f"/edit/{slug}/?saved=0", status_code=303)
        try:
            saved = store.save(
                record,
                base_revision=base,
                author=viewer.user.username,
                message=message_of(form, changes, "Edited"),
            )
        except Conflict:
            return conflict(request, store.get(slug), record, values, str(form.get("message", "")))
        return RedirectResponse(f"/edit/{slug}/?saved={saved.revision}", status_code=303)

    def conflict(
        request: Request,
        current: StoredRecord,
        mine: Record,
        values: dict[str, Any],
        message: str,
    ) -> Response:
        """Another save came first: show theirs, mine and the difference; the form keeps
        what this editor typed, now based on the current revision, to save deliberately."""
        theirs = store.history(current.record.slug)[-1]
        return form_page(
            request,
            values=values,
            stored=current,
            status=409,
            conflict={
                "revision": theirs,
                "changes": diff_records(current.record, mine),
                "theirs": record_values(current.record),
            },
            message=message,
        )

    # --- workflow ------------------------------------------------------------------------
    async def workflow(request: Request) -> Response:
        slug = request.path_params["slug"]
        stored = record_or_404(request, slug)
        form = await request.form()
        act = next((a for a in TARGET if a.value == form.get("act")), None)
        if act is None:
            return problem(request, 400, "Unknown action", "That workflow action does not exist.")
        viewer = require(request, act, stored.status, form=form)
        base = base_revision(form)
        author = viewer.user.username
        note = " ".join(str(form.get("message", "")).split())[:500]
        try:
            if act is Act.publish:
                record = published_change(stored.record, str(form.get("update_log", "")), today())
                store.save(
                    record,
                    base_revision=base,
                    author=author,
                    message=note or DEFAULT_MESSAGE[act],
                    status=Status.published,
                )
            else:
                store.set_status(
                    slug, TARGET[act], base_revision=base, author=author,
                    message=note or DEFAULT_MESSAGE[act],
                )  # fmt: skip
        except Conflict as error:
            return problem(
                request,
                409,
                "Changed meanwhile",
                f"{error}. Reload the record to see the change, then try again.",
            )
        return RedirectResponse(f"/edit/{slug}/", status_code=303)

    # --- history -------------------------------------------------------------------------
    async def history(request: Request) -> Response:
        slug = request.path_params["slug"]
        stored = record_or_404(request, slug)
        viewer = require(request, Act.read)
        revisions = store.history(slug)
        entries = []
        for i, revision in enumerate(revisions):
            previous = revisions[i - 1] if i else None
            entries.append(
                {
                    "revision": revision,
                    "changes": diff_records(previous.record, revision.record) if previous else [],
                    "status_change": (previous.status, revision.status)
                    if previous and previous.status is not revision.status
                    else None,
                }
            )
        entries.reverse()
        return render(
            request,
            "edit_history.html",
            stored=stored,
            entries=entries,
            can_restore=allowed(viewer.user.role, Act.restore, stored.status),
        )

    async def revision_page(request: Request) -> Response:
        slug = request.path_params["slug"]
        stored = record_or_404(request, slug)
        require(request, Act.read)
        number = request.path_params["number"]
        try:
            revision = store.revision(slug, number)
        except RevisionNotFound:
            return problem(request, 404, "No such revision", f"{slug!r} has no revision {number}.")
        changes = diff_records(revision.record, stored.record)
        return render(
            request,
            "edit_revision.html",
            stored=stored,
            revision=revision,
            values=record_values(revision.record),
            changes=changes,
        )

    async def restore(request: Request) -> Response:
        slug = request.path_params["slug"]
        stored = record_or_404(request, slug)
        form = await request.form()
        viewer = require(request, Act.restore, stored.status, form=form)
        try:
            number = int(str(form.get("number", "")))
            old = store.revision(slug, number)
        except (ValueError, RevisionNotFound):
            return problem(request, 404, "No such revision", "That revision does not exist.")
        note = " ".join(str(form.get("message", "")).split())[:500]
        try:
            store.restore(
                slug,
                old.number,
                base_revision=base_revision(form),
                author=viewer.user.username,
                message=note or f"Restored revision {old.number}",
            )
        except Conflict as error:
            return problem(
                request, 409, "Changed meanwhile", f"{error}. Reload the history and try again."
            )
        return RedirectResponse(f"/edit/{slug}/history", status_code=303)

    # --- preview -------------------------------------------------------------------------
    async def preview(request: Request) -> Response:
        viewer = viewer_of(request, accounts)
        if viewer is None:
            return JSONResponse({"error": "signed out"}, 401)
        form = await request.form()
        if not csrf_ok(request, viewer, form):
            return JSONResponse({"error": "stale form"}, 403)
        body = str(form.get("body", ""))[:MAX_BODY]
        html = await run_in_threadpool(render_markdown, body)
        return JSONResponse({"html": html}, headers={"Cache-Control": "no-store"})

    # --- account and users -----------------------------------------------------------
    async def account(request: Request) -> Response:
        new_token = None
        if request.method == "GET":
            viewer = require(request, Act.read)
        else:
            form = await request.form()
            viewer = require(request, Act.read, form=form)
            if form.get("revoke"):
                mine = {t.id for t in accounts.tokens(viewer.user.username)}
                try:
                    token_id = int(str(form.get("revoke")))
                except ValueError:
                    token_id = -1
                if token_id in mine:
                    accounts.revoke_token(token_id)
            else:
                name = " ".join(str(form.get("name", "")).split())[:100] or "script"
                new_token, _ = accounts.create_token(viewer.user.username, name)
        return render(
            request,
            "edit_account.html",
            tokens=accounts.tokens(viewer.user.username),
            new_token=new_token,
        )

    async def users(request: Request) -> Response:
        error = ""
        generated = None
        if request.method == "GET":
            viewer = require(request, Act.manage_users)
        else:
            form = await request.form()
            viewer = require(request, Act.manage_users, form=form)
            username = str(form.get("username", "")).strip()
            try:
                if form.get("do") == "add":
                    generated = generate_password()
                    role = Role(str(form.get("role", "viewer")))
                    await run_in_threadpool(
                        accounts.add_user,
                        username,
                        generated,
                        role,
                        str(form.get("name", "")).strip(),
                    )
                elif form.get("do") == "disable" and username != viewer.user.username:
                    accounts.disable(username)
                elif form.get("do") == "enable":
                    accounts.enable(username)
                elif form.get("do") == "role" and username != viewer.user.username:
                    accounts.set_role(username, Role(str(form.get("role", "viewer"))))
            except (AccountError, ValueError) as refused:
                error, generated = str(refused), None
        return render(
            request,
            "edit_users.html",
            users=accounts.users(),
            error=error,
            generated=generated,
            roles=[r.value for r in Role],
        )

    # --- proposals from ingested articles ------------------------------------------------
    def proposals_folder(request: Request) -> Path:
        if folder is None:
            why = "This server was started without its tracker folder."
            raise Denied(problem(request, 404, "No proposals here", why))
        return folder

    async def proposals(request: Request) -> Response:
        from casework.config import CONFIG_NAME, load_config
        from casework.ingest.pipeline import ingest, open_proposals

        where = proposals_folder(request)
        error = ""
        if request.method == "POST":
            form = await request.form()
            viewer = require(request, Act.create, form=form)
            url = str(form.get("url", "")).strip()[:2000]
            try:
                config = where / CONFIG_NAME
                publishers = load_config(config).publishers if config.exists() else {}
                made = await run_in_threadpool(
                    partial(ingest, url, store, site, where, publishers=publishers)
                )
            except (ReadError, StoreError, ValueError) as refused:
                error = " ".join(str(refused).split())
            else:
                return RedirectResponse(f"/edit/proposals/{made.id}", status_code=303)
        else:
            viewer = require(request, Act.read)
        return render(
            request,
            "edit_proposals.html",
            400 if error else 200,
            proposals=open_proposals(where),
            error=error,
            can_ingest=allowed(viewer.user.role, Act.create),
        )

    async def proposal_page(request: Request) -> Response:
        from casework.ingest.pipeline import apply_proposal, load_proposal

        where = proposals_folder(request)
        try:
            proposal = load_proposal(where, request.path_params["id"])
        except ReadError as missing:
            return problem(request, 404, "No such proposal", str(missing))
        target = (
            store.get(proposal.target)
            if proposal.target and store.exists(proposal.target)
            else None
        )
        act, status = (Act.edit, target.status) if target else (Act.create, None)
        if request.method == "GET":
            viewer = require(request, Act.read)
            return render(
                request,
                "edit_proposal.html",
                proposal=proposal,
                target=target,
                can_apply=proposal.status == "open" and allowed(viewer.user.role, act, status),
            )
        form = await request.form()
        viewer = require(request, act, status, form=form)
        if proposal.status != "open":
            return problem(
                request, 409, "Already reviewed", f"Proposal {proposal.id} is {proposal.status}."
            )
        accepted = {int(str(v)) for v in form.getlist("accept") if str(v).isdigit()}
        stored = apply_proposal(store, where, proposal, accepted, author=viewer.user.username)
        if stored is None:
            return RedirectResponse("/edit/proposals", status_code=303)
        return RedirectResponse(f"/edit/{stored.record.slug}/history", status_code=303)

    handlers: list[tuple[str, Callable[[Request], Any], list[str]]] = [
        ("/edit/proposals", proposals, ["GET", "POST"]),
        ("/edit/proposals/{id}", proposal_page, ["GET", "POST"]),
        ("/edit/", dashboard, ["GET"]),
        ("/edit/new", new_record, ["GET", "POST"]),
        ("/edit/preview", preview, ["POST"]),
        ("/edit/account", account, ["GET", "POST"]),
        ("/edit/users", users, ["GET", "POST"]),
        ("/edit/{slug}/", edit_record, ["GET", "POST"]),
        ("/edit/{slug}/workflow", workflow, ["POST"]),
        ("/edit/{slug}/history", history, ["GET"]),
        ("/edit/{slug}/history/{number:int}", revision_page, ["GET"]),
        ("/edit/{slug}/restore", restore, ["POST"]),
    ]
    routes: list[BaseRoute] = [
        Route(path, guarded(handler), methods=methods) for path, handler, methods in handlers
    ]
    routes.append(Route("/edit", lambda r: RedirectResponse("/edit/", 308)))
    routes.append(Mount("/edit-static", StaticFiles(packages=[("casework.web", "static")])))
    routes += auth_routes(accounts, render)
    return routes
