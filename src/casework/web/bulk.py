"""The editor's bulk page (/edit/bulk): find records by words and filters, tick the ones to
change, choose one action, see what it would do (a dry run), then confirm. The change itself
is `casework.editing.bulk` — the editing service, record by record — and the page reports
each record's outcome (changed, unchanged, refused and why). Editors and above only: viewers
change nothing. Anonymous requests never get here (gate.py)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from casework.editing import Act
from casework.editing import bulk as b
from casework.model import Status
from casework.render.pages import vocabulary_labels
from casework.render.templates import N_
from casework.store.base import CollectionNotFound, Query
from casework.web.context import context
from casework.web.lists import stored_hits
from casework.web.views import actor, guarded, problem, render, require

SHOWN = 200  # records listed at once (and at most changed by one submission)


@guarded
async def bulk_page(request: Request) -> Response:
    if request.method == "GET":
        require(request, Act.create)
        return _search_page(request)
    form = await request.form(max_files=0, max_fields=SHOWN + 20)
    viewer = require(request, Act.create, form=form)
    ctx = context(request)
    try:
        kind = b.Kind(str(form.get("kind", "")))
    except ValueError:
        return problem(request, 400, N_("Unknown action"), N_("Choose one of the actions listed."))
    value = " ".join(str(form.get("value", "")).split())[:200]
    if not value:
        return problem(request, 422, N_("Nothing to do"), N_("Say which category, tag, status or "
                       "collection the action sets."))  # fmt: skip
    if kind is b.Kind.set_status and value not in Status.__members__:
        return problem(
            request,
            422,
            N_("No such status"),
            N_("%(value)s: draft, review or published."),
            value=repr(value),
        )
    slugs = [str(s) for s in form.getlist("slug")][:SHOWN]
    action = b.Action(kind, value, str(form.get("comment", "")))
    confirmed = form.get("step") == "apply"
    try:
        outcomes = b.apply(ctx.editing, actor(viewer), slugs, action, dry_run=not confirmed)
    except CollectionNotFound:
        return problem(
            request, 422, N_("No such collection"), N_("No collection %(name)s."), name=repr(value)
        )
    refused = [o for o in outcomes if o.result == "refused"]
    status = 200
    if outcomes and len(refused) == len(outcomes) and all(o.not_allowed for o in refused):
        status = 403  # nothing chosen may be changed by this role
    return render(
        request,
        "edit_bulk_confirm.html",
        status,
        outcomes=outcomes,
        action=action,
        applied=confirmed,
        counts=b.counts(outcomes),
        slugs=[o.slug for o in outcomes if o.result == "would change"],
    )


def _search_page(request: Request) -> Response:
    ctx = context(request)
    params = request.query_params
    q = params.get("q", "")[:200]
    category = params.get("category", "")[:100]
    tag = params.get("tag", "")[:100]
    status_text = params.get("status", "")
    status = Status(status_text) if status_text in Status.__members__ else None
    searched = any((q, category, tag, status))
    result = ctx.store.search(
        Query(
            text=q, category=(category,) if category else (), tag=(tag,) if tag else (),
            status=status, sort="relevance" if q else "-date", limit=SHOWN, facets=False,
        )
    ) if searched else None  # fmt: skip
    return render(
        request,
        "edit_bulk.html",
        q=q,
        category=category,
        tag=tag,
        state=status.value if status else "",
        result=result,
        states=stored_hits(ctx.store, result.hits) if result else {},
        kinds=list(b.Kind),
        categories=vocabulary_labels(ctx.site.vocabularies.get("category"), ctx.site.language),
        collections=[c.slug for c in ctx.store.collections()],
    )
