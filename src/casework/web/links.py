"""Link health in the editor (/edit/links): the latest report of `casework check --links` or
of the worker's links job, its findings grouped by kind with the records citing each URL, and
a button that queues a fresh check for `casework worker` (the web never fetches them itself:
a check of every source takes minutes). Signed-in users only, behind the gate like every
editor page; queuing takes an editor's role. Findings change no record.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from casework.editing import Act, allowed
from casework.evidence.links import KIND_ORDER, Kind, latest_report
from casework.store.jobs import Jobs, JobStatus
from casework.web.context import context
from casework.web.views import guarded, render, require

# What each kind means, for the page (the README's Link health section says more).
MEANINGS = {
    Kind.dead: "No answer, or an error status: the source is gone from where it was cited.",
    Kind.blocked: "A paywall, a bot wall or a refusal (401, 403, 429, 451): check by hand.",
    Kind.moved: "Redirected to another address: cite the new one, or the capture.",
    Kind.drifted: "The text changed beyond an edit since it was captured: a silent rewrite "
    "or a retraction. Compare it with the capture.",
    Kind.never_captured: "The page answers but was never captured: capture it.",
    Kind.ok: "Answers, and says what was captured.",
}


@guarded
async def links_page(request: Request) -> Response:
    store = context(request).store
    jobs: Jobs = store.jobs
    if request.method == "POST":
        form = await request.form(max_files=0, max_fields=4)
        require(request, Act.create, form=form)
        await run_in_threadpool(jobs.enqueue, "links", {"slugs": [], "fresh": True})
        return RedirectResponse("/edit/links", status_code=303)
    viewer = require(request, Act.read)
    latest = await run_in_threadpool(latest_report, store)
    pending = await run_in_threadpool(jobs.latest, "links")
    active = (JobStatus.queued, JobStatus.running)
    waiting = pending if pending is not None and pending.status in active else None
    groups = []
    if latest is not None:
        report, _origin = latest
        for kind in KIND_ORDER:
            found = [f for f in report.findings if f.kind is kind]
            if found:
                groups.append((kind, MEANINGS[kind], found))
    return render(
        request,
        "edit_links.html",
        report=latest[0] if latest else None,
        origin=latest[1] if latest else "",
        groups=groups,
        waiting=waiting,
        can_queue=allowed(viewer.user.role, Act.create),
    )
