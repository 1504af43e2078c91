"""The editorial workflow's moves: which change of status is which act."""

from __future__ import annotations

from casework.editing.permissions import Act
from casework.model import Status

# (from, to) → the act that moves a record so; a pair not here is no move at all.
MOVES: dict[tuple[Status, Status], Act] = {
    (Status.draft, Status.review): Act.submit,
    (Status.review, Status.draft): Act.withdraw,
    (Status.draft, Status.published): Act.publish,
    (Status.review, Status.published): Act.publish,
    (Status.published, Status.draft): Act.unpublish,
}
TARGET = {act: to for (_from, to), act in MOVES.items()}
DEFAULT_MESSAGE = {
    Act.submit: "Submitted for review",
    Act.withdraw: "Returned to draft",
    Act.publish: "Published",
    Act.unpublish: "Unpublished",
}
