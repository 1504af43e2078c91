"""Who may do what to a record in which state: the one permission table of every entry point
(the editor's forms, the editing API, the command line, import, review).

A published record is public, so changing it is publishing a change: only a reviewer or an
admin may save, restore or unpublish it. Editors write drafts and records in review and
send them for review; viewers read the editor's pages (drafts, history, internal notes) and
change nothing. Internal notes are added by whoever writes records (editors and above), on a
record in any state: a note changes no content and is never published.
The command line acts as the tracker's operator, with an admin's rights (whoever can run it
holds the database anyway), and its publishing is still an explicit, logged act.
"""

from __future__ import annotations

from enum import StrEnum

from casework.model import Status
from casework.model.roles import ROLE_RANK, Role


class Act(StrEnum):
    read = "read"  # the editor's view of a record, its history and diffs
    create = "create"
    edit = "edit"  # save new content
    restore = "restore"  # an earlier revision's content, as a new revision
    submit = "submit"  # draft → review
    withdraw = "withdraw"  # review → draft
    publish = "publish"  # draft or review → published
    unpublish = "unpublish"  # published → draft
    # take earlier public versions' words off the site (casework withdraw): whoever may publish
    withdraw_version = "withdraw public versions of"
    manage_users = "manage_users"
    # an internal note (never published): whoever writes records; viewers read notes only
    note = "add notes to"
    # a new slug (casework rename): whoever may edit the record in its state
    rename = "rename"
    # delete with a tombstone (casework delete): whoever may edit the record in its state; a
    # record that was ever public also needs withdraw_version (its versions become tombstones)
    delete = "delete"
    # propose an ingested article into a record that is not among its candidates (casework
    # review --target, the editor's proposal page): whoever may publish, as a wrong choice
    # puts an article's claims on a record it is not about; a candidate is chosen by whoever
    # may apply the proposal to it
    choose_any = "choose outside a proposal's candidates"


RANK = ROLE_RANK

# The lowest role that may do an act to a record in a state; a missing entry: nobody may.
_LOWEST: dict[tuple[Act, Status | None], Role] = {
    (Act.read, None): Role.viewer,
    (Act.create, None): Role.editor,
    (Act.manage_users, None): Role.admin,
    (Act.withdraw_version, None): Role.reviewer,
    (Act.note, None): Role.editor,
    (Act.choose_any, None): Role.reviewer,
    (Act.edit, Status.draft): Role.editor,
    (Act.edit, Status.review): Role.editor,
    (Act.edit, Status.published): Role.reviewer,
    (Act.restore, Status.draft): Role.editor,
    (Act.restore, Status.review): Role.editor,
    (Act.restore, Status.published): Role.reviewer,
    (Act.submit, Status.draft): Role.editor,
    (Act.withdraw, Status.review): Role.editor,
    (Act.publish, Status.draft): Role.reviewer,
    (Act.publish, Status.review): Role.reviewer,
    (Act.unpublish, Status.published): Role.reviewer,
    (Act.rename, Status.draft): Role.editor,
    (Act.rename, Status.review): Role.editor,
    (Act.rename, Status.published): Role.reviewer,
    (Act.delete, Status.draft): Role.editor,
    (Act.delete, Status.review): Role.editor,
    (Act.delete, Status.published): Role.reviewer,
}

# Acts that do not depend on a record's state.
_STATELESS = frozenset(
    {Act.read, Act.create, Act.manage_users, Act.withdraw_version, Act.note, Act.choose_any}
)


def allowed(role: Role, act: Act, status: Status | None = None) -> bool:
    """Whether `role` may do `act` to a record in `status`."""
    lowest = _LOWEST.get((act, None if act in _STATELESS else status))
    return lowest is not None and RANK[role] >= RANK[lowest]


def acts(role: Role, status: Status) -> set[Act]:
    """Every act `role` may do to a record in `status` (what the editor offers as buttons)."""
    return {act for act in Act if allowed(role, act, status)}
