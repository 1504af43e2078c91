"""The editor's record pages under /edit/: the list of records, a form for every field,
the workflow's buttons, history with diffs and restore, the body's live preview.

Each endpoint turns a request into a call of the editing service (casework.editing), which
holds every editorial rule — who may do what, what publishing and saving a published record
write, what is refused; here are only forms and pages. A save names the revision its form was
loaded from: when another save came first, the editor shows both versions and their
differences instead of overwriting (the store raises Conflict). Anonymous requests never get
here (gate.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from casework.editing import Act, NotAllowed, NotPublishable, acts, allowed
from casework.editing.errors import BadNote, CannotMerge, CannotRename, NeedsComment
from casework.editing.merging import merged
from casework.editing.workflow import TARGET
from casework.model import Record, Status
from casework.model.diff import diff_records
from casework.model.wording import said
from casework.render.html import render_preview
from casework.render.templates import N_
from casework.store.base import (
    Conflict,
    RecordNotFound,
    RevisionNotFound,
    SlugExists,
    StoredRecord,
    StoreError,
)
from casework.web.auth import csrf_ok, viewer_of
from casework.web.context import context
from casework.web.forms import (
    FormErrors,
    form_values,
    record_from_form,
    record_values,
    shown_values,
    slug_for,
    whole_number,
)
from casework.web.limits import FORM_FIELDS, MAX_BODY_CHARS, RECORD_BYTES, REVISION_MAX
from casework.web.lists import every_record, stored_hits
from casework.web.views import (
    Denied,
    actor,
    guarded,
    not_allowed,
    problem,
    render,
    require,
    say,
    who,
)

LIST_SIZE = 50


async def record_form(request: Request) -> FormData:
    """A record form's fields, up to the sizes the editing API accepts (limits.py): a record
    the API takes is never refused by the form."""
    return await request.form(max_files=0, max_fields=FORM_FIELDS, max_part_size=RECORD_BYTES)


def record_or_404(request: Request, slug: str) -> StoredRecord:
    try:
        return context(request).store.get(slug)
    except RecordNotFound:
        raise Denied(
            problem(request, 404, N_("No such record"), N_("No record %(slug)s."), slug=repr(slug))
        ) from None


def base_revision(form: Any) -> int:
    return whole_number(form.get("base_revision", ""), REVISION_MAX) or 0


def today() -> Any:
    return datetime.now(UTC).date()


# --- the list ----------------------------------------------------------------------------
@guarded
async def dashboard(request: Request) -> Response:
    viewer = require(request, Act.read)
    store = context(request).store
    params = request.query_params
    q = params.get("q", "")[:200]
    status_text = params.get("status", "")
    status = Status(status_text) if status_text in Status.__members__ else None
    page = max(1, min(whole_number(params.get("page", "1"), 999_999) or 1, 100_000))
    result = store.search(every_record(q, status, page, LIST_SIZE))
    return render(
        request,
        "edit_dashboard.html",
        result=result,
        states=stored_hits(store, result.hits),
        q=q,
        state=status.value if status else "",
        counts={s.value: store.count(status=s) for s in Status},
        page=page,
        pages=max(1, -(-result.total // LIST_SIZE)),
        can_create=allowed(viewer.user.role, Act.create),
    )


# --- create and edit -----------------------------------------------------------------------
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
    editing = context(request).editing
    return render(
        request,
        "edit_record.html",
        status,
        values=values,
        stored=stored,
        errors=errors or {},
        acts=acts(viewer.user.role, stored.status) if stored else set(),
        max_body=MAX_BODY_CHARS,
        notes=editing.notes(actor(viewer), stored.record.slug) if stored else [],
        can_note=allowed(viewer.user.role, Act.note),
        sent_back=editing.sent_back(stored.record.slug) if stored else None,
        # Sending back what someone else submitted or published takes a comment (the service).
        comment_needed=stored is not None
        and context(request).store.history(stored.record.slug)[-1].author != viewer.user.username,
        **extra,
    )


@guarded
async def new_record(request: Request) -> Response:
    if request.method == "GET":
        require(request, Act.create)
        return form_page(request, values={"date": today().isoformat()}, stored=None)
    form = await record_form(request)
    viewer = require(request, Act.create, form=form)
    ctx = context(request)
    values = form_values(form)
    wanted = str(form.get("slug", "")).strip()
    slug = wanted or slug_for(str(values.get("title", "")) or "record", ctx.store.exists)
    try:
        record = record_from_form(values, ctx.site, slug=slug, base=None, today=today())
        ctx.editing.create(actor(viewer), record, message=str(form.get("message", "")))
    except FormErrors as error:
        return form_page(
            request, values=values, stored=None, errors=error.errors, status=422,
            slug_value=wanted,
        )  # fmt: skip
    except SlugExists:
        return form_page(
            request, values=values, stored=None, status=409, slug_value=wanted,
            errors={"slug": say(request, said(N_("A record with slug %(slug)s already exists."),
                                              slug=repr(slug)))},
        )  # fmt: skip
    except StoreError as error:
        return form_page(
            request, values=values, stored=None, status=503, slug_value=wanted,
            errors={"": " ".join(str(error).split())},
        )  # fmt: skip
    return RedirectResponse(f"/edit/{slug}/?saved=1", status_code=303)


@guarded
async def edit_record(request: Request) -> Response:
    slug = request.path_params["slug"]
    stored = record_or_404(request, slug)
    if request.method == "GET":
        require(request, Act.read)
        shown = request.query_params.get("saved", "")
        return form_page(
            request,
            values=record_values(stored.record),
            stored=stored,
            saved=shown if shown.isdigit() else "",
        )
    form = await record_form(request)
    viewer = require(request, Act.edit, stored.status, form=form)
    ctx = context(request)
    values = form_values(form)
    base = base_revision(form)
    message = str(form.get("message", ""))

    def again(errors: dict[str, str], status: int) -> Response:
        return form_page(
            request, values=values, stored=stored, errors=errors, status=status, base=base,
            message=message, update_log=str(form.get("update_log", "")),
        )  # fmt: skip

    try:
        record = record_from_form(values, ctx.site, slug=slug, base=stored.record, today=today())
    except FormErrors as error:
        return again(error.errors, 422)
    if base != stored.revision:
        return conflict(request, stored, record, values, message)
    try:
        saved = ctx.editing.save(
            actor(viewer),
            record,
            base_revision=base,
            message=message,
            note=str(form.get("update_log", "")),
        )
    except NotPublishable as refused:
        return again({refused.field: say(request, refused.reason)}, 422)
    except Conflict:
        return conflict(request, ctx.store.get(slug), record, values, message)
    except StoreError as error:
        # A full disk, a lost database: nothing was saved, and the form keeps every word.
        return again({"": " ".join(str(error).split())}, 503)
    made = saved.revision if saved.revision != stored.revision else 0
    return RedirectResponse(f"/edit/{slug}/?saved={made}", status_code=303)


def conflict(
    request: Request, current: StoredRecord, mine: Record, values: dict[str, Any], message: str
) -> Response:
    """Another save came first: show theirs, mine and the difference; the form keeps what
    this editor typed, now based on the current revision, to save deliberately."""
    theirs = context(request).store.history(current.record.slug)[-1]
    return form_page(
        request,
        values=values,
        stored=current,
        status=409,
        conflict={
            "revision": theirs,
            "changes": diff_records(current.record, mine),
            "theirs": shown_values(current.record),
        },
        message=message,
    )


# --- the workflow --------------------------------------------------------------------------
@guarded
async def workflow(request: Request) -> Response:
    slug = request.path_params["slug"]
    form = await request.form(max_files=0, max_fields=20)
    stored = record_or_404(request, slug)
    act = next((a for a in TARGET if a.value == form.get("act")), None)
    if act is None:
        who(request)
        return problem(
            request, 400, N_("Unknown action"), N_("That workflow action does not exist.")
        )
    viewer = require(request, act, stored.status, form=form)
    try:
        context(request).editing.move(
            actor(viewer),
            slug,
            TARGET[act],
            base_revision=base_revision(form),
            message=str(form.get("message", "")),
            note=str(form.get("update_log", "")),
            comment=str(form.get("comment", "")),
        )
    except NeedsComment as refused:
        return problem(
            request, 422, N_("Not sent back"), N_("%(why)s. Nothing changed."), why=refused.reason
        )
    except NotPublishable as refused:
        return problem(
            request,
            422,
            N_("Not published"),
            N_("%(why)s (%(field)s). Set it in the form, save, then publish."),
            why=refused.reason,
            field=refused.field,
        )
    return RedirectResponse(f"/edit/{slug}/", status_code=303)


# --- internal notes ------------------------------------------------------------------------
@guarded
async def add_note(request: Request) -> Response:
    """The record page's "Add a note" form: an internal note, never published."""
    slug = request.path_params["slug"]
    form = await request.form(max_files=0, max_fields=20)
    record_or_404(request, slug)
    viewer = require(request, Act.note, form=form)
    try:
        context(request).editing.add_note(actor(viewer), slug, str(form.get("text", "")))
    except BadNote as refused:
        return problem(
            request, 422, N_("Not noted"), N_("%(why)s. Nothing was kept."), why=refused.reason
        )
    return RedirectResponse(f"/edit/{slug}/#notes", status_code=303)


# --- renames -------------------------------------------------------------------------------
@guarded
async def rename_record(request: Request) -> Response:
    """The record page's "Rename" form: a new slug (`Editing.rename`); then its new page."""
    slug = request.path_params["slug"]
    form = await request.form(max_files=0, max_fields=20)
    stored = record_or_404(request, slug)
    viewer = require(request, Act.rename, stored.status, form=form)
    new = str(form.get("new_slug", "")).strip()
    try:
        context(request).editing.rename(
            actor(viewer),
            slug,
            new,
            base_revision=base_revision(form),
            message=str(form.get("message", "")),
        )
    except CannotRename as refused:
        return problem(
            request, 422, N_("Not renamed"), N_("%(why)s. Nothing changed."), why=refused.wording
        )
    except Conflict:
        return problem(
            request,
            409,
            N_("Not renamed"),
            N_("Someone saved the record meanwhile. Nothing changed."),
        )
    return RedirectResponse(f"/edit/{new}/", status_code=303)


# --- deletion ------------------------------------------------------------------------------
@guarded
async def delete_record(request: Request) -> Response:
    """The record page's "Delete this record" form: `Editing.delete` (a reason required),
    then a checkpoint signed when the app knows the tracker folder (a record that was public
    had its versions withdrawn: their tombstones verify at once); then the records list."""
    from casework.editing.errors import CannotDelete
    from casework.evidence.checkpoint import sign_now

    slug = request.path_params["slug"]
    form = await request.form(max_files=0, max_fields=20)
    stored = record_or_404(request, slug)
    viewer = require(request, Act.delete, stored.status, form=form)
    ctx = context(request)
    try:
        reason = str(form.get("reason", ""))
        ctx.editing.delete(actor(viewer), slug, base_revision=base_revision(form), reason=reason)
    except CannotDelete as refused:
        return problem(
            request, 422, N_("Not deleted"), N_("%(why)s. Nothing changed."), why=refused.wording
        )
    except Conflict:
        return problem(
            request,
            409,
            N_("Not deleted"),
            N_("Someone saved the record meanwhile. Nothing changed."),
        )
    if ctx.folder is not None:
        sign_now(ctx.store, ctx.folder)
    return RedirectResponse("/edit/", status_code=303)


# --- merging a duplicate -------------------------------------------------------------------
@guarded
async def merge_record(request: Request) -> Response:
    """The record page's "Merge a duplicate into this record" form (`Editing.merge`): the
    record shown is kept, the slug typed names its duplicate. The first post shows what the
    merge would add and carries the duplicate's revision as shown; the second, confirmed,
    merges — so a duplicate saved in between is a conflict, not a surprise."""
    slug = request.path_params["slug"]
    form = await request.form(max_files=0, max_fields=20)
    stored = record_or_404(request, slug)
    viewer = require(request, Act.rename, stored.status, form=form)
    ctx = context(request)
    name = str(form.get("duplicate", "")).strip()[:200]
    base = base_revision(form)
    message = str(form.get("message", ""))
    if not name:
        return problem(
            request, 422, N_("Not merged"), N_("Name the duplicate's slug. Nothing changed.")
        )
    if name == slug:
        return problem(request, 422, N_("Not merged"),
                       N_("A record cannot be merged with itself. Nothing changed."))  # fmt: skip
    try:
        duplicate = ctx.store.get(name)
    except RecordNotFound:
        # A signed-in editor may see every record, drafts too: naming it tells nothing more.
        return problem(
            request,
            422,
            N_("Not merged"),
            N_("No record %(slug)s. Nothing changed."),
            slug=repr(name),
        )
    if not allowed(viewer.user.role, Act.rename, duplicate.status):
        raise Denied(not_allowed(request, NotAllowed(viewer.user.role, Act.rename,
                                                     duplicate.status)))  # fmt: skip
    unchanged = N_("Someone saved the record meanwhile. Nothing changed.")
    if form.get("step") != "merge":
        if base != stored.revision:
            return problem(request, 409, N_("Not merged"), unchanged)
        record, added = merged(stored.record, duplicate.record)
        return render(
            request,
            "edit_merge.html",
            stored=stored,
            duplicate=duplicate,
            base=base,
            added=added,
            changes=diff_records(stored.record, record),
            naming=[
                o.record.slug
                for o in ctx.store.iter_records()
                if name in o.record.related_incidents and o.record.slug not in (name, slug)
            ],
            message=message,
        )
    try:
        ctx.editing.merge(
            actor(viewer),
            slug,
            name,
            keep_revision=base,
            duplicate_revision=whole_number(form.get("duplicate_revision", ""), REVISION_MAX) or 0,
            message=message,
        )
    except CannotMerge as refused:
        return problem(
            request, 422, N_("Not merged"), N_("%(why)s. Nothing changed."), why=refused.wording
        )
    except NotPublishable as refused:
        return problem(request, 422, N_("Not merged"), N_("%(why)s (%(field)s). Nothing changed."),
                       why=refused.reason, field=refused.field)  # fmt: skip
    except RecordNotFound as missing:  # renamed or merged away since the confirmation page
        return problem(
            request,
            422,
            N_("Not merged"),
            N_("No record %(slug)s. Nothing changed."),
            slug=repr(missing.slug),
        )
    except Conflict as error:
        if error.slug == name:
            unchanged = N_("Someone saved the duplicate meanwhile. Nothing changed.")
        return problem(request, 409, N_("Not merged"), unchanged)
    return RedirectResponse(f"/edit/{slug}/", status_code=303)


# --- history -------------------------------------------------------------------------------
@guarded
async def history(request: Request) -> Response:
    slug = request.path_params["slug"]
    viewer = require(request, Act.read)
    stored = record_or_404(request, slug)
    revisions = context(request).store.history(slug)
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
    from casework.evidence.published import engine_of, read_versions

    engine = engine_of(context(request).store)
    return render(
        request,
        "edit_history.html",
        stored=stored,
        entries=entries,
        can_restore=allowed(viewer.user.role, Act.restore, stored.status),
        versions=list(reversed(read_versions(engine, slug))) if engine is not None else [],
        can_withdraw=allowed(viewer.user.role, Act.withdraw_version),
    )


@guarded
async def withdraw_version(request: Request) -> Response:
    """The history page's "Withdraw this public version" form: the editing service's
    withdrawal, then a checkpoint signed (when the app knows the tracker folder) so that the
    tombstone verifies at once."""
    from casework.editing.errors import CannotWithdraw
    from casework.evidence.checkpoint import sign_now

    slug = request.path_params["slug"]
    form = await request.form(max_files=0, max_fields=20)
    record_or_404(request, slug)
    viewer = require(request, Act.withdraw_version, form=form)
    number = whole_number(form.get("version", ""), REVISION_MAX) or 0
    ctx = context(request)
    try:
        ctx.editing.withdraw_versions(
            actor(viewer), slug, [number], reason=str(form.get("reason", ""))
        )
    except CannotWithdraw as refused:
        return problem(request, 422, N_("Not withdrawn"), "%(why)s", why=refused.wording)
    if ctx.folder is not None:
        sign_now(ctx.store, ctx.folder)
    return RedirectResponse(f"/edit/{slug}/history", status_code=303)


@guarded
async def revision_page(request: Request) -> Response:
    slug = request.path_params["slug"]
    require(request, Act.read)
    stored = record_or_404(request, slug)
    number = request.path_params["number"]
    try:
        if not 0 < number <= REVISION_MAX:
            raise RevisionNotFound(slug, number)
        revision = context(request).store.revision(slug, number)
    except RevisionNotFound:
        return problem(
            request,
            404,
            N_("No such revision"),
            N_("%(slug)s has no revision %(n)s."),
            slug=repr(slug),
            n=number,
        )
    return render(
        request,
        "edit_revision.html",
        stored=stored,
        revision=revision,
        values=shown_values(revision.record),
        changes=diff_records(revision.record, stored.record),
    )


@guarded
async def restore(request: Request) -> Response:
    slug = request.path_params["slug"]
    form = await request.form(max_files=0, max_fields=20)
    stored = record_or_404(request, slug)
    viewer = require(request, Act.restore, stored.status, form=form)
    number = whole_number(form.get("number", ""), REVISION_MAX) or 0
    try:
        if number == 0:
            raise RevisionNotFound(slug, number)
        context(request).editing.restore(
            actor(viewer),
            slug,
            number,
            base_revision=base_revision(form),
            message=str(form.get("message", "")),
        )
    except RevisionNotFound:
        return problem(request, 404, N_("No such revision"), N_("That revision does not exist."))
    except NotPublishable as refused:
        return problem(
            request, 422, N_("Not restored"), N_("%(why)s (%(field)s)."),
            why=refused.reason, field=refused.field,
        )  # fmt: skip
    return RedirectResponse(f"/edit/{slug}/history", status_code=303)


# --- the body's preview --------------------------------------------------------------------
async def preview(request: Request) -> Response:
    """The body rendered and sanitized by the server, the same code as publishing."""
    viewer = viewer_of(request, context(request).store.accounts)
    if viewer is None:
        return JSONResponse({"error": "signed out"}, 401)
    form = await request.form(max_files=0, max_fields=4, max_part_size=RECORD_BYTES)
    if not csrf_ok(request, viewer, form):
        return JSONResponse({"error": "stale form"}, 403)
    body = str(form.get("body", ""))
    if len(body) > MAX_BODY_CHARS:
        return JSONResponse(
            {"error": f"the body is over {MAX_BODY_CHARS:,} characters: no preview"}, 413
        )
    # At most its first PREVIEW_MAX_CHARS rendered, as a keystroke's preview needs.
    html = await run_in_threadpool(render_preview, body)
    return JSONResponse({"html": html}, headers={"Cache-Control": "no-store"})
