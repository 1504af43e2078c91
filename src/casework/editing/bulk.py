"""Changing many records at once (`casework bulk`, the editor's /edit/bulk): choose records by
a search or filters, then set their category, add or remove a tag, move them through the
workflow, or add them to a collection.

Each record is changed by the editing service as if by hand — one revision each, through the
permission table, the workflow's moves and the disclosure rule (a published record's change
is logged for readers) — so a bulk change can do nothing a single edit could not. The report
is per record: a record that may not be changed (a move the workflow has no step for, a role
that may not edit a published record, a record saved by someone else meanwhile) is reported
as refused with why, and the others are changed. All-or-nothing would let one locked record
hold back a hundred good changes, and each record's revision is its own act in its history
anyway. A dry run plans the same and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import ValidationError

from casework.editing.errors import (
    EditingError,
    NeedsComment,
    NoSuchMove,
    NotAllowed,
    NotPublishable,
    status_words,
)
from casework.editing.permissions import Act, allowed
from casework.editing.publishable import publish_problems
from casework.editing.service import SENDS_BACK, Actor, Editing
from casework.editing.workflow import MOVES
from casework.model import Record, Status
from casework.model.wording import N_, Wording, prefixed, said, wording_of
from casework.store.base import Query, StoredRecord, StoreError

PAGE = 500
NOTHING = Wording("")


class Kind(StrEnum):
    set_category = "set-category"
    add_tag = "add-tag"
    remove_tag = "remove-tag"
    set_status = "set-status"
    add_to_collection = "add-to-collection"


@dataclass(frozen=True)
class Action:
    kind: Kind
    value: str
    comment: str = ""  # a reviewer's comment, for records sent back to draft

    def describe(self) -> str:
        return str(self.describing())

    def describing(self) -> Wording:
        """What the action does, as a Wording (the editor's page says it in its language)."""
        value: str | Wording = self.value
        if self.kind is Kind.set_status and self.value in Status.__members__:
            value = status_words(Status(self.value))
        elif self.kind in (Kind.add_tag, Kind.remove_tag):
            value = repr(self.value)
        return said(
            {
                Kind.set_category: N_("set the category to %(value)s"),
                Kind.add_tag: N_("add the tag %(value)s"),
                Kind.remove_tag: N_("remove the tag %(value)s"),
                Kind.set_status: N_("make it %(value)s"),
                Kind.add_to_collection: N_("add it to the collection %(value)s"),
            }[self.kind],
            value=value,
        )


@dataclass(frozen=True)
class Outcome:
    slug: str
    result: str  # "changed", "unchanged", "refused" (a dry run: "would change")
    said: Wording = NOTHING
    not_allowed: bool = False  # refused by the permission table

    @property
    def detail(self) -> str:
        """Why, or what was done, in English (the command line's column)."""
        return str(self.said)


def select(editing: Editing, query: Query) -> list[str]:
    """Every slug `query` finds (all its pages), in its order."""
    slugs: list[str] = []
    offset = 0
    while True:
        page = editing.store.search(
            Query(
                text=query.text, category=query.category, tag=query.tag, year=query.year,
                severity=query.severity, status=query.status, sort="-date" if not query.text
                else "relevance", limit=PAGE, offset=offset, facets=False,
            )
        )  # fmt: skip
        slugs.extend(hit.slug for hit in page.hits)
        offset += PAGE
        if not page.hits or offset >= page.total:
            return slugs


def _changed(editing: Editing, record: Record, action: Action) -> Record | None:
    """`record` with `action` done, or None when it already is so. Raises ValidationError
    for a category the site's vocabulary lacks or a blank tag."""
    data = record.to_storage()
    if action.kind is Kind.set_category:
        if record.category == action.value:
            return None
        data["category"] = action.value
    elif action.kind is Kind.add_tag:
        if action.value in record.tags:
            return None
        data["tags"] = [*record.tags, action.value]
    elif action.kind is Kind.remove_tag:
        if action.value not in record.tags:
            return None
        data["tags"] = [t for t in record.tags if t != action.value]
    return Record.model_validate(data, context={"site": editing.site})


def _check_move(
    editing: Editing, actor: Actor, current: StoredRecord, status: Status, comment: str
) -> EditingError | None:
    """The refusal the workflow would make of moving `current` to `status` (None when it
    would not): the service's own checks, asked before the move so that a dry run reports
    them too."""
    act = MOVES.get((current.status, status))
    slug = current.record.slug
    if act is None:
        return NoSuchMove(slug, current.status, status)
    if not allowed(actor.role, act, current.status):
        return NotAllowed(actor.role, act, current.status, slug)
    if act is Act.publish and (problems := publish_problems(current.record)):
        return NotPublishable(slug, *problems[0])
    if act in SENDS_BACK and not comment.strip():
        if editing.store.history(slug)[-1].author != actor.name:
            return NeedsComment(slug, said(N_("say why it goes back to draft (--comment)")))
    return None


def apply(
    editing: Editing, actor: Actor, slugs: Iterable[str], action: Action, *, dry_run: bool = False
) -> list[Outcome]:
    """Do `action` to each record of `slugs` through the editing service (one revision each),
    or with `dry_run` only say what would happen. Returns one outcome per record."""
    slugs = list(dict.fromkeys(slugs))
    if action.kind is Kind.add_to_collection:
        return _to_collection(editing, actor, slugs, action, dry_run)
    message = f"Bulk change: {action.describe()}"
    outcomes: list[Outcome] = []
    for slug in slugs:
        try:
            current = editing.store.get(slug)
            if action.kind is Kind.set_status:
                status = Status(action.value)
                if current.status is status:
                    already = said(N_("already %(state)s"), state=status_words(status))
                    outcomes.append(Outcome(slug, "unchanged", already))
                    continue
                why = _check_move(editing, actor, current, status, action.comment)
                if why is not None:
                    outcomes.append(
                        Outcome(slug, "refused", why.wording, isinstance(why, NotAllowed))
                    )
                    continue
                if dry_run:
                    step = said(
                        N_("%(current)s → %(wanted)s"),
                        current=status_words(current.status),
                        wanted=status_words(status),
                    )
                    outcomes.append(Outcome(slug, "would change", step))
                    continue
                moved = editing.move(
                    actor, slug, status, base_revision=current.revision, message=message,
                    comment=action.comment,
                )  # fmt: skip
                outcomes.append(Outcome(slug, "changed", _revision(moved.revision)))
                continue
            record = _changed(editing, current.record, action)
            if record is None:
                outcomes.append(Outcome(slug, "unchanged", said(N_("already so"))))
                continue
            editing.require(actor, Act.edit, current.status, slug)
            if dry_run:
                outcomes.append(Outcome(slug, "would change", action.describing()))
                continue
            saved = editing.save(actor, record, base_revision=current.revision, message=message)
            outcomes.append(Outcome(slug, "changed", _revision(saved.revision)))
        except NotAllowed as refused:
            outcomes.append(Outcome(slug, "refused", refused.wording, True))
        except (EditingError, StoreError, ValueError) as refused:
            outcomes.append(Outcome(slug, "refused", _one_line(refused)))
    return outcomes


def _revision(number: int) -> Wording:
    return said(N_("revision %(n)s"), n=number)


def _one_line(error: Exception) -> Wording:
    if isinstance(error, ValidationError):
        # A category the vocabulary lacks, a blank tag: the validator's own words (Invalid).
        first = error.errors()[0]
        raised = (first.get("ctx") or {}).get("error")
        reason = wording_of(raised) if isinstance(raised, Exception) else Wording(first["msg"])
        field = ".".join(str(p) for p in first["loc"])
        return prefixed(field, reason)
    return wording_of(error)


def _to_collection(
    editing: Editing, actor: Actor, slugs: list[str], action: Action, dry_run: bool
) -> list[Outcome]:
    """Add `slugs` to a collection, kept in one write of the collection (a collection is no
    record: it has no revisions). Whoever may create records curates collections."""
    if not allowed(actor.role, Act.create):
        refused = NotAllowed(actor.role, Act.create).wording
        return [Outcome(s, "refused", refused, True) for s in slugs]
    collection = editing.store.get_collection(action.value)  # CollectionNotFound: the caller's
    outcomes: list[Outcome] = []
    added: list[str] = []
    for slug in slugs:
        if slug in collection.records:
            already = said(N_("already in %(collection)s"), collection=action.value)
            outcomes.append(Outcome(slug, "unchanged", already))
        elif not editing.store.exists(slug):
            missing = said(N_("%(slug)s: no such record"), slug=slug)
            outcomes.append(Outcome(slug, "refused", missing))
        else:
            added.append(slug)
            outcomes.append(
                Outcome(slug, "would change" if dry_run else "changed", action.describing())
            )
    if added and not dry_run:
        editing.store.put_collection(
            collection.model_copy(update={"records": [*collection.records, *added]})
        )
    return outcomes


def counts(outcomes: list[Outcome]) -> dict[str, int]:
    found: dict[str, int] = {}
    for outcome in outcomes:
        found[outcome.result] = found.get(outcome.result, 0) + 1
    return found
