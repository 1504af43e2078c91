"""Proposals from ingested articles, in the editor (/edit/proposals): the open ones, one
proposal's items with the sentence each came from, applying the checked ones (through the
editing service, as `casework review` does), and reading an article from a URL. Proposals
are the store's (`casework.store.proposals`): the same ones every worker and editor sees.

The web reads only http(s) URLs, through ingest's guarded fetcher (no private or local
addresses): a path on the server is the operator's business, read with `casework ingest
FILE` on the command line. Anything else typed in the box is refused before it is looked at.
"""

from __future__ import annotations

import hashlib
import json
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from casework.editing import Act, allowed
from casework.ingest.article import ReadError
from casework.model.wording import wording_of
from casework.render.templates import N_
from casework.store.base import RecordNotFound, StoreError
from casework.web.context import context
from casework.web.forms import whole_number
from casework.web.views import actor, guarded, problem, render, require, say

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
            # Said in the tracker's language when the refusal carries a Wording (a fetch's).
            error = say(request, wording_of(refused))
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


NEW_DRAFT = "+new"  # the radio button of "a new draft": no slug has a "+"


def items_digest(proposal: Any) -> str:
    """What a rebuilt proposal's page showed, in short: its record, the revision its items
    were computed against, and the items. Applying checks the proposal made again has the
    same, so that what is applied is what the reviewer read."""
    shown = {
        "target": proposal.target,
        "revision": proposal.match.get("revision"),
        "items": [[i.id, i.kind, i.value, i.flag] for i in proposal.items],
    }
    text = json.dumps(shown, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _choices(proposal: Any) -> list[dict[str, Any]]:
    """The radio list of the records a reviewer may choose: the candidates with their
    scores and titles, best first, then a new draft."""
    found = [
        {"value": str(c["slug"]), "title": str(c.get("title") or c["slug"]),
         "score": float(c.get("score", 0.0)), "reasons": list(c.get("reasons", []))}
        for c in proposal.candidates
    ]  # fmt: skip
    return [*found, {"value": NEW_DRAFT, "title": "a new draft", "score": None, "reasons": []}]


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
        viewer = require(request, Act.read, form=form)  # signed in, its token good: first
    try:
        proposal = load_proposal(ctx.store, request.path_params["id"])
    except ProposalNotFound as missing:
        return problem(request, 404, N_("No such proposal"), str(missing))
    if form is None:
        return _page(request, viewer, proposal)
    if proposal.status != "open":
        return problem(
            request,
            409,
            N_("Already reviewed"),
            N_("Proposal %(id)s is %(state)s."),
            id=proposal.id,
            state=proposal.status,
        )
    base: int | None = None
    if "target" in form:  # a record chosen (step "choose"), or the page of one applied
        chosen = str(form.get("target", ""))
        target = None if chosen == NEW_DRAFT else chosen
        try:
            ctx.editing.require_choice(actor(viewer), proposal, target)
            proposal = await run_in_threadpool(partial(_rebuilt, request, proposal, target))
        except RecordNotFound:
            return problem(
                request,
                404,
                N_("No such record"),
                N_("No record %(slug)s."),
                slug=repr(chosen[:80]),
            )
        except ReadError:  # its words name the server's paths: the operator's business
            return problem(
                request, 409, N_("Cannot make it again"),
                N_("The article is no longer kept as it was read (its archive or its file is "
                   "missing or changed): read it again to propose it into a record."),
            )  # fmt: skip
        if form.get("step") == "choose":
            return _page(request, viewer, proposal, chosen=chosen)
        if form.get("digest") != items_digest(proposal):
            return _page(
                request, viewer, proposal, 409, chosen=chosen,
                notice="The record or the article's items changed since the page was read: "
                "check the items again.",
            )  # fmt: skip
        base = proposal.match.get("revision")
    numbers = (whole_number(value, 999_999) for value in form.getlist("accept"))
    accepted = {number for number in numbers if number is not None}
    try:
        stored = ctx.editing.apply_proposal(actor(viewer), proposal, accepted, base_revision=base)
    except ProposalClosed as closed:  # decided by someone else since the page was read
        return problem(request, 409, N_("Already reviewed"), str(closed))
    if stored is None:
        return RedirectResponse("/edit/proposals", status_code=303)
    return RedirectResponse(f"/edit/{stored.record.slug}/history", status_code=303)


def _rebuilt(request: Request, proposal: Any, target: str | None) -> Any:
    from casework.ingest.pipeline import rebuild

    ctx = context(request)
    return rebuild(
        ctx.store,
        ctx.site,
        proposal,
        target,
        ctx.folder,
        publishers=ctx.publishers,
        extract_seconds=ctx.extract_seconds,
    )


def _page(
    request: Request,
    viewer: Any,
    proposal: Any,
    status: int = 200,
    *,
    chosen: str | None = None,
    notice: str = "",
) -> Response:
    """The proposal's page: its items, and for an open one with candidates the records to
    choose from. `chosen`: the page of the proposal made again for that choice, whose form
    applies it (with the digest of what it shows)."""
    ctx = context(request)
    role = viewer.user.role
    target = (
        ctx.store.get(proposal.target)
        if proposal.target and ctx.store.exists(proposal.target)
        else None
    )
    act, state = (Act.edit, target.status) if target else (Act.create, None)
    is_open = proposal.status == "open"
    return render(
        request,
        "edit_proposal.html",
        status,
        proposal=proposal,
        target=target,
        can_apply=is_open and allowed(role, act, state),
        choices=_choices(proposal) if is_open and proposal.candidates else [],
        can_choose=is_open and allowed(role, Act.create),  # editors and above
        chosen=chosen,
        digest=items_digest(proposal) if chosen is not None else "",
        notice=notice,
    )
