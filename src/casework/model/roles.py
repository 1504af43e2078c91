"""The roles of a tracker's team: what the editing rules (casework.editing) grant and the
accounts (casework.store.accounts) keep for each user. Here, in the pure model, so that the
rules can be read without loading the account machinery (argon2, SQL)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user may do, each role including the ones below it (`ROLE_RANK`):
    viewer reads drafts, records in review and history in the editor; editor also creates,
    edits and submits for review; reviewer also publishes and unpublishes; admin does
    everything and manages users."""

    admin = "admin"
    editor = "editor"
    reviewer = "reviewer"
    viewer = "viewer"

    def at_least(self, other: Role) -> bool:
        """Whether this role may do everything `other` may."""
        return ROLE_RANK[self] >= ROLE_RANK[other]


ROLE_RANK: dict[Role, int] = {Role.viewer: 0, Role.editor: 1, Role.reviewer: 2, Role.admin: 3}
