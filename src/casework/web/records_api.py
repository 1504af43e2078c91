"""The editors' JSON API under /api/records: what a script does with an API token (or a
signed-in browser) — read any record with its state and revision, create drafts, save
changes against a base revision, move records through the workflow.

The same rules as the editor's forms: permissions.py decides who may do what in which state;
a save names the revision it was based on and gets 409 with the current revision when
another came first; the server owns slug, lastUpdated, updateLog and every derived field.
Responses are private to their caller (`Cache-Control: no-store`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from casework.formats.common import validate_record
from casework.formats.errors import InvalidInput
from casework.formats.tracker_json import record_dict
from casework.model import Record, Site, Status
from casework.render.html import render_markdown, sanitize_html
from casework.store.base import Conflict, RecordNotFound, SlugExists, Store, StoredRecord
from casework.web.auth import Viewer, csrf_ok, viewer_of
from casework.web.permissions import Act, allowed
from casework.web.workflow import (
    DEFAULT_MESSAGE,
    MOVES,
    every_record,
    published_change,
    stored_hits,
)

PRIVATE = {"Cache-Control": "private, no-store"}


class RecordState(BaseModel):
    slug: str
    status: Status
    revision: int
    updatedAt: datetime
    record: dict[str, Any] = Field(description="The record in tracker JSON")
    body: str = Field(description="The Markdown body an editor edits")


class RecordWrite(BaseModel):
    record: dict[str, Any] = Field(description="Authored fields in tracker JSON (camelCase)")
    body: str | None = Field(
        default=None, max_length=2_000_000, description="Markdown body; omitted: kept"
    )
    message: str = Field(default="", max_length=500)
    baseRevision: int | None = Field(default=None, ge=1, description="Required to save")


class StatusChange(BaseModel):
    status: Status
    baseRevision: int = Field(ge=1)
    message: str = Field(default="", max_length=500)
    updateLog: str = Field(default="", max_length=2000, description="When publishing")


class Saved(BaseModel):
    slug: str
    status: Status
    revision: int


class RecordSummary(BaseModel):
    slug: str
    title: str
    date: str
    status: Status


class RecordPage(BaseModel):
    total: int
    records: list[RecordSummary]


def records_router(store: Store, site: Site) -> APIRouter:
    router = APIRouter(
        prefix="/records",
        tags=["editing"],
        responses={
            400: {"description": "The body is not JSON"},
            401: {"description": "No valid API token or session"},
            403: {"description": "The caller's role may not do this to a record in its state"},
            404: {"description": "No such record"},
            409: {"description": "Another save came first, or the slug is taken"},
        },
    )
    accounts = store.accounts

    def caller(request: Request, act: Act, status: Status | None = None) -> Viewer:
        viewer = viewer_of(request, accounts)
        if viewer is None:
            raise HTTPException(401, "an API token (Authorization: Bearer …) is required")
        if request.method not in ("GET", "HEAD") and not csrf_ok(request, viewer):
            raise HTTPException(403, "a signed-in browser must send its X-CSRF-Token")
        if not allowed(viewer.user.role, act, status):
            state = f" a {status.value} record" if status else ""
            raise HTTPException(403, f"role {viewer.user.role.value} may not {act.value}{state}")
        return viewer

    def current(slug: str) -> StoredRecord:
        try:
            return store.get(slug)
        except RecordNotFound:
            raise HTTPException(404, f"no record {slug!r}") from None

    def state(stored: StoredRecord) -> JSONResponse:
        body = RecordState(
            slug=stored.record.slug,
            status=stored.status,
            revision=stored.revision,
            updatedAt=stored.updated_at,
            record=record_dict(stored.record, site),
            body=stored.record.body,
        )
        return JSONResponse(body.model_dump(mode="json"), headers=PRIVATE)

    def parsed(write: RecordWrite, slug: str, base: Record | None) -> Record:
        data = dict(write.record)
        data["slug"] = slug
        today = datetime.now(UTC).date().isoformat()
        # Server-owned: kept from the record as it is, or fresh for a new one.
        data["lastUpdated"] = base.last_updated.isoformat() if base else today
        data["updateLog"] = [e.to_wire() for e in base.update_log] if base else []
        html = data.get("contentHtml")
        try:
            record = validate_record(data, site, file="request", position=None)
        except InvalidInput as error:
            raise invalid(error.field, error.message) from None
        if write.body is not None:
            return record.with_body(write.body, render_markdown(write.body))
        clean = sanitize_html(html) if isinstance(html, str) and html else None
        if base is not None and (clean is None or clean == base.body_html):
            # The body was not sent, or sent back as it was read: kept, Markdown included.
            return record.with_body(base.body, base.body_html)
        if clean is not None:
            return record.with_body("", clean)
        return record

    def saved(stored: StoredRecord) -> JSONResponse:
        body = Saved(slug=stored.record.slug, status=stored.status, revision=stored.revision)
        return JSONResponse(body.model_dump(mode="json"), headers=PRIVATE)

    def conflict(error: Conflict) -> HTTPException:
        return HTTPException(
            409,
            f"{error}: read the record again, merge, and save with baseRevision "
            f"{error.current_revision}",
        )

    @router.get("", response_model=RecordPage, summary="Every record, any state")
    def list_records(
        request: Request,
        q: Annotated[str, Query(max_length=200)] = "",
        status: Status | None = None,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=100, alias="perPage")] = 50,
    ) -> JSONResponse:
        caller(request, Act.read)
        result = store.search(every_record(q, status, page, per_page))
        stored = stored_hits(store, result.hits)
        body = RecordPage(
            total=result.total,
            records=[
                RecordSummary(slug=h.slug, title=h.title, date=h.date, status=stored[h.slug].status)
                for h in result.hits
            ],
        )
        return JSONResponse(body.model_dump(mode="json"), headers=PRIVATE)

    @router.get("/{slug}", response_model=RecordState, summary="One record, any state")
    def get_record(request: Request, slug: str) -> JSONResponse:
        caller(request, Act.read)
        return state(current(slug))

    @router.post("", response_model=Saved, status_code=201, summary="Create a draft")
    def create_record(request: Request, write: Annotated[RecordWrite, Body()]) -> JSONResponse:
        viewer = caller(request, Act.create)
        slug = write.record.get("slug")
        if not isinstance(slug, str) or not slug:
            raise invalid("slug", "a new record needs its slug")
        record = parsed(write, slug, None)
        try:
            stored = store.create(
                record, author=viewer.user.username, message=write.message or "Created"
            )
        except SlugExists as error:
            raise HTTPException(409, str(error)) from None
        response = saved(stored)
        response.status_code = 201
        return response

    @router.put("/{slug}", response_model=Saved, summary="Save a record's new content")
    def save_record(
        request: Request, slug: str, write: Annotated[RecordWrite, Body()]
    ) -> JSONResponse:
        existing = current(slug)
        viewer = caller(request, Act.edit, existing.status)
        if write.baseRevision is None:
            raise HTTPException(
                422,
                [_problem(("body", "baseRevision"), "the revision this change is based on")],
            )
        record = parsed(write, slug, existing.record)
        try:
            stored = store.save(
                record,
                base_revision=write.baseRevision,
                author=viewer.user.username,
                message=write.message or "Edited through the API",
            )
        except Conflict as error:
            raise conflict(error) from None
        return saved(stored)

    @router.post("/{slug}/status", response_model=Saved, summary="Move through the workflow")
    def change_status(
        request: Request, slug: str, change: Annotated[StatusChange, Body()]
    ) -> JSONResponse:
        existing = current(slug)
        act = MOVES.get((existing.status, change.status))
        if act is None:
            message = f"a {existing.status.value} record cannot become {change.status.value}"
            raise HTTPException(422, [_problem(("body", "status"), message)])
        viewer = caller(request, act, existing.status)
        author = viewer.user.username
        try:
            message = change.message or DEFAULT_MESSAGE[act]
            if act is Act.publish:
                stored = store.save(
                    published_change(existing.record, change.updateLog, datetime.now(UTC).date()),
                    base_revision=change.baseRevision,
                    author=author,
                    message=message,
                    status=Status.published,
                )
            else:
                stored = store.set_status(
                    slug, change.status, base_revision=change.baseRevision, author=author,
                    message=message,
                )  # fmt: skip
        except Conflict as error:
            raise conflict(error) from None
        return saved(stored)

    return router


def invalid(field: str | None, message: str) -> HTTPException:
    """A 422 in FastAPI's own shape (a list of {loc, msg, type}), naming the record's field."""
    where = tuple(field.split(".")) if field else ()
    return HTTPException(422, [_problem(("body", "record", *where), message)])


def _problem(loc: tuple[str, ...], message: str) -> dict[str, Any]:
    return {"loc": list(loc), "msg": message, "type": "value_error"}
