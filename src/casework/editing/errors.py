"""What the editing rules refuse, as types that name the record and the field."""

from __future__ import annotations

from casework.editing.permissions import Act
from casework.model import Status
from casework.model.roles import Role


class EditingError(Exception):
    """Base of every refusal of the editing rules; its message is one line."""


class NotAllowed(EditingError):
    """The actor's role may not do this act to a record in this state."""

    def __init__(self, role: Role, act: Act, status: Status | None = None, slug: str = "") -> None:
        state = f" a record that is {status.value}" if status else ""
        record = f" ({slug})" if slug and status else ""
        super().__init__(f"role {role.value} may not {act.value}{state}{record}")
        self.role = role
        self.act = act
        self.status = status
        self.slug = slug


class NoSuchMove(EditingError):
    """A change of status that is no step of the workflow (published → review, …)."""

    def __init__(self, slug: str, current: Status, wanted: Status) -> None:
        super().__init__(f"{slug}: a {current.value} record cannot become {wanted.value}")
        self.slug = slug
        self.current = current
        self.wanted = wanted


class NotPublishable(EditingError):
    """The record lacks what a published record must have; `field` names what to set."""

    def __init__(self, slug: str, field: str, message: str) -> None:
        super().__init__(f"{slug}: {field}: {message}")
        self.slug = slug
        self.field = field
        self.message = message


class CannotWithdraw(EditingError):
    """A withdrawal of public versions that cannot be done (no reason, no such version)."""

    def __init__(self, slug: str, message: str) -> None:
        super().__init__(f"{slug}: {message}")
        self.slug = slug


class BadNote(EditingError):
    """An internal note that cannot be kept (empty, too long)."""

    def __init__(self, slug: str, message: str) -> None:
        super().__init__(f"{slug}: note: {message}")
        self.slug = slug
        self.message = message


class NeedsComment(EditingError):
    """Sending someone else's record back to draft without saying why (or a comment where
    none belongs, or one too long)."""

    def __init__(self, slug: str, message: str) -> None:
        super().__init__(f"{slug}: comment: {message}")
        self.slug = slug
        self.message = message


class CannotMerge(EditingError):
    """A merge that cannot be done (the same record twice, a store that keeps no renames)."""

    def __init__(self, slug: str, message: str) -> None:
        super().__init__(f"{slug}: {message}")
        self.slug = slug


class CannotRename(EditingError):
    """A rename that cannot be done (the new slug is taken or was ever used, not a slug)."""

    def __init__(self, slug: str, message: str) -> None:
        super().__init__(f"{slug}: {message}")
        self.slug = slug


class CannotDelete(EditingError):
    """A deletion that cannot be done (no reason given, a store that keeps no tombstones)."""

    def __init__(self, slug: str, message: str) -> None:
        super().__init__(f"{slug}: {message}")
        self.slug = slug
