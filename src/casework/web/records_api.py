"""The editors' JSON API under /api/records: what a script does with an API token (or a
signed-in browser) — read any record with its state and revision, create drafts, save
changes against a base revision, move records through the workflow.

Every change is a call of the editing service (casework.editing), the same as the editor's
forms make: the same permissions, the same refusals, the same disclosure of public changes.
The server owns slug, lastUpdated, updateLog and every derived field. Anonymous callers are
answered 401 before anything is read (gate.py); the body's size is capped by the route
(limits.py). Refusals map to statuses in one place (`install_error_answers`). Responses are
private to their caller (`Cache-Control: no-store`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from casework.editing import Act, Actor, NoSuchMove, NotAllowed, NotPublishable
from casework.formats.common import validate_record
from casework.formats.errors import InvalidInput
from casework.formats.tracker_json import record_dict
from casework.model import UNCLASSIFIED, Record, Status
from casework.render.html import render_markdown, sanitize_html
from casework.store.base import Conflict, RecordNotFound, SlugExists, StoredRecord, StoreError
from casework.web.auth import Viewer, csrf_ok, viewer_of
from casework.web.context import AppContext, app_context, context
from casework.web.gate import SignedInRoute
from casework.web.limits import MAX_BODY_CHARS, RECORD_BYTES, REVISION_MAX
from casework.web.lists import every_record, stored_hits

PRIVATE = {"Cache-Control": "private, no-store"}


class RecordState(BaseModel):
    slug: str
    status: Status
    revision: int
    updatedAt: datetime
    record: dict[str, Any] = Field(
        description="The record in tracker JSON",
        json_schema_extra={"x-casework-record": "Record"},
    )
    body: str = Field(description="The Markdown body an editor edits")


class RecordWrite(BaseModel):
    record: dict[str, Any] = Field(
        description="Authored fields in tracker JSON (camelCase); slug, lastUpdated and "
        "updateLog are the server's",
        json_schema_extra={"x-casework-record": "RecordInput"},
    )
    body: str | None = Field(
        default=None, max_length=MAX_BODY_CHARS, description="Markdown body; omitted: kept"
    )
    message: str = Field(default="", max_length=500)
    updateLog: str = Field(
        default="",
        max_length=2000,
        description="For a published record: the update log entry readers see (written from "
        "the changed fields when empty)",
    )


class RecordCreate(RecordWrite):
    """A new draft: its record names its slug."""

    record: dict[str, Any] = Field(
        description="Authored fields in tracker JSON (camelCase), the slug among them; "
        "lastUpdated and updateLog are the server's",
        json_schema_extra={"x-casework-record": "NewRecordInput"},
    )


class RecordSave(RecordWrite):
    """A change to a record, against the revision it was read at."""

    baseRevision: int = Field(ge=1, le=REVISION_MAX, description="The revision read")


class StatusChange(BaseModel):
    status: Status
    baseRevision: int = Field(ge=1, le=REVISION_MAX)
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


async def caller(request: Request) -> Viewer:
    """The signed-in caller (the gate let no one else in); a signed-in browser's change must
    carry its CSRF token."""
    viewer = viewer_of(request, context(request).store.accounts)
    if viewer is None:
        raise HTTPException(401, "an API token (Authorization: Bearer …) is required")
    if request.method not in ("GET", "HEAD") and not csrf_ok(request, viewer):
        raise HTTPException(403, "a signed-in browser must send its X-CSRF-Token")
    return viewer


Ctx = Annotated[AppContext, Depends(app_context)]
Caller = Annotated[Viewer, Depends(caller)]

router = APIRouter(
    prefix="/records",
    tags=["editing"],
    route_class=SignedInRoute,
    max_body_size=RECORD_BYTES,
    responses={
        400: {"description": "The body is not JSON"},
        401: {"description": "No valid API token or session"},
        403: {"description": "The role may not do this in the record's state, or a read token"},
        404: {"description": "No such record"},
        409: {"description": "Another save came first, or the slug is taken"},
        413: {"description": "The body is larger than a record may be"},
    },
)


def as_actor(viewer: Viewer) -> Actor:
    return Actor(viewer.user.username, viewer.user.role, "api")


def state(ctx: AppContext, stored: StoredRecord) -> JSONResponse:
    body = RecordState(
        slug=stored.record.slug,
        status=stored.status,
        revision=stored.revision,
        updatedAt=stored.updated_at,
        record=record_dict(stored.record, ctx.site),
        body=stored.record.body,
    )
    return JSONResponse(body.model_dump(mode="json"), headers=PRIVATE)


def saved(stored: StoredRecord, status_code: int = 200) -> JSONResponse:
    body = Saved(slug=stored.record.slug, status=stored.status, revision=stored.revision)
    return JSONResponse(body.model_dump(mode="json"), status_code, headers=PRIVATE)


def parsed(ctx: AppContext, write: RecordWrite, slug: str, base: Record | None) -> Record:
    """The record a write describes. lastUpdated and updateLog are the server's (the editing
    service sets them); a body not sent is kept."""
    data = dict(write.record)
    data["slug"] = slug
    today = datetime.now(UTC).date().isoformat()
    data["lastUpdated"] = base.last_updated.isoformat() if base else today
    data["updateLog"] = [e.to_wire() for e in base.update_log] if base else []
    if base is None:
        # A legal classification is chosen, never defaulted: a new record may come without.
        data.setdefault("warCrimeClassification", UNCLASSIFIED)
    html = data.get("contentHtml")
    try:
        record = validate_record(data, ctx.site, file="request", position=None)
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


@router.get("", response_model=RecordPage, summary="Every record, any state")
def list_records(
    ctx: Ctx,
    viewer: Caller,
    q: Annotated[str, Query(max_length=200)] = "",
    status: Status | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100, alias="perPage")] = 50,
) -> JSONResponse:
    result = ctx.store.search(every_record(q, status, page, per_page))
    stored = stored_hits(ctx.store, result.hits)
    body = RecordPage(
        total=result.total,
        records=[
            RecordSummary(slug=h.slug, title=h.title, date=h.date, status=stored[h.slug].status)
            for h in result.hits
        ],
    )
    return JSONResponse(body.model_dump(mode="json"), headers=PRIVATE)


@router.get("/{slug}", response_model=RecordState, summary="One record, any state")
def get_record(ctx: Ctx, viewer: Caller, slug: str) -> JSONResponse:
    return state(ctx, ctx.store.get(slug))


@router.post("", response_model=Saved, status_code=201, summary="Create a draft")
def create_record(ctx: Ctx, viewer: Caller, write: Annotated[RecordCreate, Body()]) -> JSONResponse:
    slug = write.record.get("slug")
    if not isinstance(slug, str) or not slug:
        raise invalid("slug", "a new record needs its slug")
    record = parsed(ctx, write, slug, None)
    stored = ctx.editing.create(as_actor(viewer), record, message=write.message)
    return saved(stored, 201)


@router.put("/{slug}", response_model=Saved, summary="Save a record's new content")
def save_record(
    ctx: Ctx, viewer: Caller, slug: str, write: Annotated[RecordSave, Body()]
) -> JSONResponse:
    existing = ctx.store.get(slug)
    ctx.editing.require(as_actor(viewer), Act.edit, existing.status, slug)
    record = parsed(ctx, write, slug, existing.record)
    stored = ctx.editing.save(
        as_actor(viewer),
        record,
        base_revision=write.baseRevision,
        message=write.message or "Edited through the API",
        note=write.updateLog,
    )
    return saved(stored)


@router.post("/{slug}/status", response_model=Saved, summary="Move through the workflow")
def change_status(
    ctx: Ctx, viewer: Caller, slug: str, change: Annotated[StatusChange, Body()]
) -> JSONResponse:
    stored = ctx.editing.move(
        as_actor(viewer),
        slug,
        change.status,
        base_revision=change.baseRevision,
        message=change.message,
        note=change.updateLog,
    )
    return saved(stored)


def invalid(field: str | None, message: str) -> HTTPException:
    """A 422 in FastAPI's own shape (a list of {loc, msg, type}), naming the record's field."""
    where = tuple(field.split(".")) if field else ()
    return HTTPException(422, [_problem(("body", "record", *where), message)])


def _problem(loc: tuple[str, ...], message: str) -> dict[str, Any]:
    return {"loc": list(loc), "msg": message, "type": "value_error"}


def install_error_answers(api: FastAPI) -> None:
    """What each refusal of the store and of the editing service answers, in one place."""

    def answer(status: int, detail: Any) -> JSONResponse:
        return JSONResponse({"detail": detail}, status_code=status, headers=PRIVATE)

    async def not_found(_request: Request, error: Exception) -> JSONResponse:
        slug = getattr(error, "slug", "")
        return answer(404, f"no record {slug!r}")

    async def conflict(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, Conflict)
        return answer(
            409,
            f"{error}: read the record again, merge, and save with baseRevision "
            f"{error.current_revision}",
        )

    async def taken(_request: Request, error: Exception) -> JSONResponse:
        return answer(409, str(error))

    async def forbidden(_request: Request, error: Exception) -> JSONResponse:
        return answer(403, str(error))

    async def unpublishable(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, NotPublishable)
        return answer(422, [_problem(("body", "record", error.field), error.message)])

    async def no_move(_request: Request, error: Exception) -> JSONResponse:
        return answer(422, [_problem(("body", "status"), str(error))])

    async def unavailable(_request: Request, error: Exception) -> JSONResponse:
        return answer(503, f"{' '.join(str(error).split())}; nothing was saved")

    api.add_exception_handler(RecordNotFound, not_found)
    api.add_exception_handler(Conflict, conflict)
    api.add_exception_handler(SlugExists, taken)
    api.add_exception_handler(NotAllowed, forbidden)
    api.add_exception_handler(NotPublishable, unpublishable)
    api.add_exception_handler(NoSuchMove, no_move)
    api.add_exception_handler(StoreError, unavailable)
