"""Proposals from ingested articles, in the editor (/edit/proposals): the open ones, one
proposal's items with the sentence each came from, applying the checked ones (through the
editing service, as `casework review` does), and reading an article from a URL. Proposals
are the store's (`casework.store.proposals`): the same ones every worker and editor sees.

The web reads only http(s) URLs, through ingest's guarded fetcher (no private or local
addresses): a path on the server is the operator's business, read with `casework ingest
FILE` on the command line. Anything else typed in the box is refused before it is looked at.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from casework.editing import Act, allowed
from casework.ingest.article import ReadError
from casework.store.base import StoreError
from casework.web.context import context
from casework.web.forms import whole_number
from casework.web.views import actor, guarded, problem, render, require

URL_CHARS = 2000


def tracker_folder(request: Request) -> Path:
    """Where an article read from a URL is archived: the tracker's folder."""
    folder = context(request).folder
    if folder is None:
        raise ValueError("this server was started without its tracker folder: read articles "
                         "with `casework ingest` on the command line")  # fmt: skip
    return folder


def web_url(text: str) -> str:
    """`text` when it is an absolute http(s) URL with a host; ValueError otherwise. Never a
    path, a file: URL or anything the server would read from its own disk."""
    text = text.strip()
    if len(text) > URL_CHARS:
        raise ValueError(f"that address is over {URL_CHARS:,} characters")
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(
            "only web addresses (http:// or https://) are read here; an article saved on the "
            "server is read with `casework ingest FILE` on the command line"
        )
    return text


@guarded
async def proposals(request: Request) -> Response:
    from casework.ingest.pipeline import ingest, open_proposals

    ctx = context(request)
    error = ""
    if request.method == "POST":
        form = await request.form(max_files=0, max_fields=4)
        viewer = require(request, Act.create, form=form)
        try:
            url = web_url(str(form.get("url", "")))
            made = await run_in_threadpool(
                partial(
                    ingest,
                    url,
                    ctx.store,
                    ctx.site,
                    tracker_folder(request),
                    publishers=ctx.publishers,
                    extract_seconds=ctx.extract_seconds,
                )
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
        proposals=await run_in_threadpool(open_proposals, ctx.store),
        error=error,
        can_ingest=allowed(viewer.user.role, Act.create),
    )


@guarded
async def proposal_page(request: Request) -> Response:
    from casework.ingest.pipeline import load_proposal
    from casework.store.proposals import ProposalClosed, ProposalNotFound

    ctx = context(request)
    if request.method == "GET":
        viewer = require(request, Act.read)
        form = None
    else:
        form = await request.form(max_files=0, max_fields=10_000)
        viewer = require(request, Act.read, form=form)
    try:
        proposal = load_proposal(ctx.store, request.path_params["id"])
    except ProposalNotFound as missing:
        return problem(request, 404, "No such proposal", str(missing))
    target = (
        ctx.store.get(proposal.target)
        if proposal.target and ctx.store.exists(proposal.target)
        else None
    )
    act, status = (Act.edit, target.status) if target else (Act.create, None)
    if form is None:
        return render(
            request,
            "edit_proposal.html",
            proposal=proposal,
            target=target,
            can_apply=proposal.status == "open" and allowed(viewer.user.role, act, status),
        )
    if proposal.status != "open":
        return problem(
            request, 409, "Already reviewed", f"Proposal {proposal.id} is {proposal.status}."
        )
    chosen = (whole_number(value, 999_999) for value in form.getlist("accept"))
    accepted = {number for number in chosen if number is not None}
    try:
        stored = ctx.editing.apply_proposal(actor(viewer), proposal, accepted)
    except ProposalClosed as closed:  # decided by someone else since the page was read
        return problem(request, 409, "Already reviewed", str(closed))
    if stored is None:
        return RedirectResponse("/edit/proposals", status_code=303)
    return RedirectResponse(f"/edit/{stored.record.slug}/history", status_code=303)
