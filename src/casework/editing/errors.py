"""What the editing rules refuse, as types that name the record and the field.

Each refusal's message is one line of English (`str()`, what the command line and the API
print) and a `wording` (model/wording.py) the editor shows in the tracker's language; a
refusal's reason given as plain text (another's message) is shown as it is.
"""

from __future__ import annotations

from casework.editing.permissions import Act
from casework.model import Status
from casework.model.roles import Role
from casework.model.wording import N_, Np_, Wording, prefixed, said, verbatim

# The words a refusal puts in its sentence: roles and states as the editor names them, acts
# as verbs ("may not publish"; the catalog's "create" and "edit" are a revision's kind, nouns).
ROLE_WORDS: dict[Role, str] = {
    Role.viewer: N_("viewer"),
    Role.editor: N_("editor"),
    Role.reviewer: N_("reviewer"),
    Role.admin: N_("admin"),
}
STATUS_WORDS: dict[Status, str] = {
    Status.draft: N_("draft"),
    Status.review: N_("review"),
    Status.published: N_("published"),
}
ACT_WORDS: dict[Act, Wording] = {
    Act.read: Np_("act", "read"),
    Act.create: Np_("act", "create"),
    Act.edit: Np_("act", "edit"),
    Act.restore: Np_("act", "restore"),
    Act.submit: Np_("act", "submit"),
    Act.withdraw: Np_("act", "withdraw"),
    Act.publish: Np_("act", "publish"),
    Act.unpublish: Np_("act", "unpublish"),
    Act.withdraw_version: Np_("act", "withdraw public versions of"),
    Act.manage_users: Np_("act", "manage_users"),
    Act.note: Np_("act", "add notes to"),
    Act.rename: Np_("act", "rename"),
    Act.delete: Np_("act", "delete"),
    Act.choose_any: Np_("act", "choose outside a proposal's candidates"),
}


def status_words(status: Status) -> Wording:
    return Wording(STATUS_WORDS[status])


def _reason(message: str | Wording) -> Wording:
    return message if isinstance(message, Wording) else verbatim(message)


class EditingError(Exception):
    """Base of every refusal of the editing rules; its message is one line, its `wording`
    the same sentence for translation."""

    def __init__(self, wording: Wording) -> None:
        self.wording = wording
        super().__init__(str(wording))


class NotAllowed(EditingError):
    """The actor's role may not do this act to a record in this state."""

    def __init__(self, role: Role, act: Act, status: Status | None = None, slug: str = "") -> None:
        words = {"role": Wording(ROLE_WORDS[role]), "act": ACT_WORDS[act]}
        if status is None:
            wording = said(N_("role %(role)s may not %(act)s"), **words)
        elif not slug:
            wording = said(
                N_("role %(role)s may not %(act)s a record that is %(state)s"),
                state=status_words(status),
                **words,
            )
        else:
            wording = said(
                N_("role %(role)s may not %(act)s a record that is %(state)s (%(slug)s)"),
                state=status_words(status),
                slug=slug,
                **words,
            )
        super().__init__(wording)
        self.role = role
        self.act = act
        self.status = status
        self.slug = slug


class NoSuchMove(EditingError):
    """A change of status that is no step of the workflow (published → review, …)."""

    def __init__(self, slug: str, current: Status, wanted: Status) -> None:
        super().__init__(
            said(
                N_("%(slug)s: a %(current)s record cannot become %(wanted)s"),
                slug=slug,
                current=status_words(current),
                wanted=status_words(wanted),
            )
        )
        self.slug = slug
        self.current = current
        self.wanted = wanted


class _AboutARecord(EditingError):
    """A refusal about record `slug`: "slug: reason" (the reason alone is `reason`)."""

    def __init__(self, slug: str, message: str | Wording) -> None:
        self.slug = slug
        self.reason = _reason(message)
        super().__init__(prefixed(slug, self.reason))


class NotPublishable(EditingError):
    """The record lacks what a published record must have; `field` names what to set."""

    def __init__(self, slug: str, field: str, message: str | Wording) -> None:
        self.reason = _reason(message)
        super().__init__(prefixed(slug, prefixed(field, self.reason)))
        self.slug = slug
        self.field = field
        self.message = str(self.reason)


class CannotWithdraw(_AboutARecord):
    """A withdrawal of public versions that cannot be done (no reason, no such version)."""


class BadNote(EditingError):
    """An internal note that cannot be kept (empty, too long)."""

    def __init__(self, slug: str, message: str | Wording) -> None:
        self.reason = _reason(message)
        super().__init__(prefixed(slug, prefixed(Wording(N_("note")), self.reason)))
        self.slug = slug
        self.message = str(self.reason)


class NeedsComment(EditingError):
    """Sending someone else's record back to draft without saying why (or a comment where
    none belongs, or one too long)."""

    def __init__(self, slug: str, message: str | Wording) -> None:
        self.reason = _reason(message)
        super().__init__(prefixed(slug, prefixed(Wording(N_("comment")), self.reason)))
        self.slug = slug
        self.message = str(self.reason)


class CannotMerge(_AboutARecord):
    """A merge that cannot be done (the same record twice, a store that keeps no renames)."""


class CannotRename(_AboutARecord):
    """A rename that cannot be done (the new slug is taken or was ever used, not a slug)."""


class CannotDelete(_AboutARecord):
    """A deletion that cannot be done (no reason given, a store that keeps no tombstones)."""
