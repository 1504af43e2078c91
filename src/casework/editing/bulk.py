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

from casework.editing.errors import EditingError, NoSuchMove, NotAllowed
from casework.editing.permissions import Act, allowed
from casework.editing.publishable import publish_problems
from casework.editing.service import SENDS_BACK, Actor, Editing
from casework.editing.workflow import MOVES
from casework.model import Record, Status
from casework.store.base import Query, StoredRecord, StoreError

PAGE = 500


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
        return {
            Kind.set_category: f"set the category to {self.value}",
            Kind.add_tag: f"add the tag {self.value!r}",
            Kind.remove_tag: f"remove the tag {self.value!r}",
            Kind.set_status: f"make it {self.value}",
            Kind.add_to_collection: f"add it to the collection {self.value}",
        }[self.kind]


@dataclass(frozen=True)
class Outcome:
    slug: str
    result: str  # "changed", "unchanged", "refused" (a dry run: "would change")
    detail: str = ""
    not_allowed: bool = False  # refused by the permission table


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
) -> str:
    """Why the workflow would refuse moving `current` to `status` ("" when it would not):
    the service's own checks, asked before the move so that a dry run reports them too."""
    act = MOVES.get((current.status, status))
    slug = current.record.slug
    if act is None:
        return str(NoSuchMove(slug, current.status, status))
    if not allowed(actor.role, act, current.status):
        return str(NotAllowed(actor.role, act, current.status, slug))
    if act is Act.publish and (problems := publish_problems(current.record)):
        return f"{slug}: {problems[0][0]}: {problems[0][1]}"
    if act in SENDS_BACK and not comment.strip():
        if editing.store.history(slug)[-1].author != actor.name:
            return f"{slug}: comment: say why it goes back to draft (--comment)"
    return ""


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
                    outcomes.append(Outcome(slug, "unchanged", f"already {status.value}"))
                    continue
                why = _check_move(editing, actor, current, status, action.comment)
                if why:
                    outcomes.append(Outcome(slug, "refused", why, "may not" in why))
                    continue
                if dry_run:
                    outcomes.append(
                        Outcome(slug, "would change", f"{current.status.value} → {status.value}")
                    )
                    continue
                moved = editing.move(
                    actor, slug, status, base_revision=current.revision, message=message,
                    comment=action.comment,
                )  # fmt: skip
                outcomes.append(Outcome(slug, "changed", f"revision {moved.revision}"))
                continue
            record = _changed(editing, current.record, action)
            if record is None:
                outcomes.append(Outcome(slug, "unchanged", "already so"))
                continue
            editing.require(actor, Act.edit, current.status, slug)
            if dry_run:
                outcomes.append(Outcome(slug, "would change", action.describe()))
                continue
            saved = editing.save(actor, record, base_revision=current.revision, message=message)
            outcomes.append(Outcome(slug, "changed", f"revision {saved.revision}"))
        except NotAllowed as refused:
            outcomes.append(Outcome(slug, "refused", str(refused), True))
        except (EditingError, StoreError, ValueError) as refused:
            outcomes.append(Outcome(slug, "refused", _one_line(refused)))
    return outcomes


def _one_line(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return " ".join(str(error).split())


def _to_collection(
    editing: Editing, actor: Actor, slugs: list[str], action: Action, dry_run: bool
) -> list[Outcome]:
    """Add `slugs` to a collection, kept in one write of the collection (a collection is no
    record: it has no revisions). Whoever may create records curates collections."""
    if not allowed(actor.role, Act.create):
        return [Outcome(s, "refused", str(NotAllowed(actor.role, Act.create)), True) for s in slugs]
    collection = editing.store.get_collection(action.value)  # CollectionNotFound: the caller's
    outcomes: list[Outcome] = []
    added: list[str] = []
    for slug in slugs:
        if slug in collection.records:
            outcomes.append(Outcome(slug, "unchanged", f"already in {action.value}"))
        elif not editing.store.exists(slug):
            outcomes.append(Outcome(slug, "refused", f"{slug}: no such record"))
        else:
            added.append(slug)
            outcomes.append(
                Outcome(slug, "would change" if dry_run else "changed", action.describe())
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
