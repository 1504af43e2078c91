"""The editorial rules in one service: create, save, move through the workflow (submit,
withdraw, publish, unpublish), restore, apply an ingest proposal, import over existing
records. Every entry point — the editor's forms, the editing API, `casework new`, `import`,
`review`, `publish` — calls this service, so that the rules hold whichever way a change
arrives:

- who may do what to a record in which state (permissions.py), checked here, not by callers;
- no legal classification is ever defaulted, and nothing is published without one
  (publishable.py);
- nothing reaches the public without an explicit publish: new records start as drafts,
  imports over existing records keep their status;
- every change to a published record's public content is disclosed with a dated updateLog
  entry and lastUpdated (disclosure.py); `lastUpdated` and `updateLog` are never taken from
  the caller for an existing record.

The store below stays the system of record (revisions, conflicts, history); this service
decides what may be written there and what it must carry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from casework.editing.disclosure import (
    change_note,
    clean_note,
    logged,
    public_changes,
    public_only,
    with_server_fields,
)
from casework.editing.errors import (
    BadNote,
    CannotDelete,
    CannotMerge,
    CannotRename,
    CannotWithdraw,
    NeedsComment,
    NoSuchMove,
    NotAllowed,
    NotPublishable,
)
from casework.editing.permissions import Act, allowed
from casework.editing.publishable import publish_problems
from casework.editing.workflow import DEFAULT_MESSAGE, MOVES
from casework.model import Record, Site, Status, blank_record, wording
from casework.model.diff import Change, diff_records
from casework.model.roles import Role
from casework.model.wording import N_
from casework.store.base import (
    Along,
    Conflict,
    InWrite,
    Progress,
    Revision,
    Store,
    StoredRecord,
)
from casework.store.prepared import PreparedRecord

if TYPE_CHECKING:  # ingest loads only for the commands and pages that apply proposals
    from sqlalchemy import Engine

    from casework.evidence.published import Version
    from casework.evidence.withdrawals import Withdrawal
    from casework.ingest.propose import Proposal
    from casework.store.deletions import Deletion
    from casework.store.notes import Note

MESSAGE_CHARS = 500
COMMENT_CHARS = 400
# Where a reviewer's comment starts in a sent-back revision's message.
COMMENT_MARK = " — reviewer's comment: "
SENDS_BACK = frozenset({Act.withdraw, Act.unpublish})
NO_RENAMES = wording.said(N_("this store keeps no renames"))


def _too_long(most: int, given: int) -> wording.Wording:
    """A comment's or a note's refusal for its length (`most` is in the hundreds: no plural)."""
    return wording.said(N_("at most %(most)s characters (%(given)s given)"), most=most, given=given)


@dataclass(frozen=True)
class Actor:
    """Who asks for a change: a name for the history and a role for the permission table.
    `via` says through which entry point (for messages only; rights come from the role)."""

    name: str
    role: Role
    via: str = ""

    @classmethod
    def operator(cls, name: str) -> Actor:
        """The command line: the tracker's operator, with an admin's rights."""
        return cls(name, Role.admin, "cli")


def utc_today() -> date:
    return datetime.now(UTC).date()


def clean_message(message: str) -> str:
    return " ".join(message.split())[:MESSAGE_CHARS]


def describe(changes: list[Change], fallback: str) -> str:
    """A revision message made from the changed fields' labels when none was given."""
    labels = [c.label for c in changes[:6]]
    if not labels:
        return fallback
    more = f" and {len(changes) - 6} more" if len(changes) > 6 else ""
    return "Changed " + ", ".join(labels) + more


class Editing:
    """The editing service over `store` for `site`. `today` gives the date that
    lastUpdated and updateLog entries carry (UTC by default; tests pass their own)."""

    def __init__(self, store: Store, site: Site, *, today: Callable[[], date] = utc_today) -> None:
        self.store = store
        self.site = site
        self.today = today

    # --- permissions ---------------------------------------------------------------------
    def require(self, actor: Actor, act: Act, status: Status | None = None, slug: str = "") -> None:
        """Raises NotAllowed unless `actor` may do `act` to a record in `status`."""
        if not allowed(actor.role, act, status):
            raise NotAllowed(actor.role, act, status, slug)

    @staticmethod
    def require_publishable(record: Record) -> None:
        problems = publish_problems(record)
        if problems:
            field, message = problems[0]
            raise NotPublishable(record.slug, field, message)

    # --- one record ----------------------------------------------------------------------
    def create(
        self,
        actor: Actor,
        record: Record,
        *,
        message: str = "",
        status: Status = Status.draft,
        note: str = "",
        along: Along | None = None,
    ) -> StoredRecord:
        """A new record (revision 1), a draft unless `status` says otherwise and the actor
        may move a draft there. lastUpdated is today and the updateLog starts empty (or with
        `note`): a new record has no public history. `along` is written in the same
        transaction (`Store.create`). Raises SlugExists, NotAllowed, NotPublishable."""
        self.require(actor, Act.create)
        if status is not Status.draft:
            self.require(actor, MOVES[(Status.draft, status)], Status.draft, record.slug)
        record = record.model_copy(update={"last_updated": self.today(), "update_log": []})
        if clean_note(note):
            record = logged(record, clean_note(note), self.today())
        if status is Status.published:
            self.require_publishable(record)
        return self.store.create(
            record,
            author=actor.name,
            message=clean_message(message) or "Created",
            status=status,
            along=along,
        )

    def save(
        self,
        actor: Actor,
        record: Record,
        *,
        base_revision: int,
        message: str = "",
        note: str = "",
        along: Along | None = None,
    ) -> StoredRecord:
        """Save `record`'s content over the revision `base_revision` of the record with its
        slug. `note` is the updateLog text for readers (published records; written from the
        changed fields when empty). Returns the record as stored: unchanged (same revision)
        when nothing differs — and then nothing is written, `along` neither; else `along` is
        written in the same transaction (`Store.save`). Raises RecordNotFound, Conflict,
        NotAllowed, NotPublishable."""
        current = self.store.get(record.slug)
        self.require(actor, Act.edit, current.status, record.slug)
        written, changes = self._disclosed(current, record, note)
        if written is None:
            return current
        return self.store.save(
            written,
            base_revision=base_revision,
            author=actor.name,
            message=clean_message(message) or describe(changes, "Edited"),
            along=along,
        )

    def _disclosed(
        self, current: StoredRecord, record: Record, note: str
    ) -> tuple[Record | None, list[Change]]:
        """`record` as a save over `current` must write it (server fields kept, the change
        disclosed when `current` is published), with its changes; None when it changes
        nothing."""
        record = with_server_fields(record, current.record)
        note = clean_note(note)
        changes = diff_records(current.record, record)
        if not changes and not note:
            return None, []
        if current.status is Status.published:
            self.require_publishable(record)
            shown = public_only(changes)
            if shown or note:
                record = logged(record, note or change_note(shown), self.today())
        elif note:
            record = logged(record, note, self.today())
        return record, changes

    def move(
        self,
        actor: Actor,
        slug: str,
        status: Status,
        *,
        base_revision: int,
        message: str = "",
        note: str = "",
        comment: str = "",
    ) -> StoredRecord:
        """Move a record through the workflow. Publishing sets lastUpdated to today, checks
        the record may be published, and logs `note` — or, when the record was public before
        and its content has changed since, a line written from the changes.

        Sending a record back to draft (review → draft, published → draft) takes a
        reviewer's `comment`, kept in the revision's message after COMMENT_MARK, where the
        editor's record page finds it (`sent_back`); never public. It is required when the
        record's current state is someone else's doing (the current revision's author is
        not the actor): whoever submitted or published it is told why it came back. Sending
        back one's own record needs no comment. Raises NoSuchMove, NotAllowed,
        NotPublishable, Conflict, NeedsComment."""
        current = self.store.get(slug)
        act = MOVES.get((current.status, status))
        if act is None:
            raise NoSuchMove(slug, current.status, status)
        self.require(actor, act, current.status, slug)
        message = clean_message(message) or DEFAULT_MESSAGE[act]
        if act in SENDS_BACK:
            said = " ".join(comment.split())
            if len(said) > COMMENT_CHARS:
                raise NeedsComment(slug, _too_long(COMMENT_CHARS, len(said)))
            if not said and self._last_author(slug) != actor.name:
                raise NeedsComment(
                    slug,
                    wording.said(
                        N_("say why it goes back to draft (a comment for whoever submitted it)")
                        if act is Act.withdraw
                        else N_(
                            "say why it goes back to draft (a comment for whoever published it)"
                        )
                    ),
                )
            if said:
                message = f"{message[: MESSAGE_CHARS - COMMENT_CHARS - 30]}{COMMENT_MARK}{said}"
        elif comment.strip():
            raise NeedsComment(
                slug, wording.said(N_("a comment goes with sending a record back to draft only"))
            )
        if act is not Act.publish:
            return self.store.set_status(
                slug, status, base_revision=base_revision, author=actor.name, message=message
            )
        record = current.record
        self.require_publishable(record)
        text = clean_note(note)
        if not text:
            before = self._last_public(slug)
            shown = public_changes(before, record) if before is not None else []
            text = change_note(shown) if shown else ""
        if text:
            record = logged(record, text, self.today())
        else:
            record = record.model_copy(update={"last_updated": self.today()})
        return self.store.save(
            record,
            base_revision=base_revision,
            author=actor.name,
            message=message,
            status=Status.published,
        )

    def _last_author(self, slug: str) -> str:
        return self.store.history(slug)[-1].author

    def sent_back(self, slug: str) -> tuple[str, str] | None:
        """(who, comment) of the reviewer's comment that sent `slug` back to draft, while it
        is still a draft from that move (a later submit or publish ends it); else None."""
        revisions = self.store.history(slug)
        if not revisions or revisions[-1].status is not Status.draft:
            return None
        for i in range(len(revisions) - 1, 0, -1):
            revision, before = revisions[i], revisions[i - 1]
            if before.status is not Status.draft:  # the move back to draft
                if COMMENT_MARK in revision.message:
                    return revision.author, revision.message.split(COMMENT_MARK, 1)[1]
                return None
        return None

    def _last_public(self, slug: str) -> Record | None:
        """The content readers last saw of `slug`: its latest published revision, if any."""
        for revision in reversed(self.store.history(slug)):
            if revision.status is Status.published:
                return revision.record
        return None

    def restore(
        self,
        actor: Actor,
        slug: str,
        number: int,
        *,
        base_revision: int,
        message: str = "",
        note: str = "",
    ) -> StoredRecord:
        """Make revision `number`'s content current again, as a new revision. The update
        log and lastUpdated are not rolled back: restoring a published record is a public
        change like any other, and is logged. Raises RevisionNotFound, Conflict,
        NotAllowed, NotPublishable."""
        current = self.store.get(slug)
        self.require(actor, Act.restore, current.status, slug)
        old = self.store.revision(slug, number)
        record, _changes = self._disclosed(current, old.record, note)
        return self.store.restore(
            slug,
            number,
            base_revision=base_revision,
            author=actor.name,
            message=clean_message(message) or f"Restored revision {number}",
            record=record or with_server_fields(old.record, current.record),
        )

    def withdraw_versions(
        self, actor: Actor, slug: str, versions: Iterable[int], *, reason: str
    ) -> tuple[StoredRecord, list[Withdrawal]]:
        """Take public versions `versions` of `slug` off the site (their files become
        tombstones; their leaves stay in the public log: `casework.evidence.withdrawals`), for
        a reason that is published. The act is one new revision (who, when, why in the
        record's history) whose updateLog tells readers "An earlier version was withdrawn:
        REASON": a withdrawal changes what a published record shows of itself (a version
        readers may have cited is gone), which is what the disclosure rule is for; on a record
        not published now the entry waits for its next publication, as a draft's note does.
        The caller signs a checkpoint after it (`checkpoint.sign_now`), so that the
        tombstones verify. Raises NotAllowed, CannotWithdraw, RecordNotFound, Conflict."""
        from casework.evidence import withdrawals as w
        from casework.evidence.published import engine_of, read_versions

        self.require(actor, Act.withdraw_version, slug=slug)
        text = clean_note(reason)
        if not text:
            raise CannotWithdraw(
                slug, wording.said(N_("a withdrawal needs a reason (it is published)"))
            )
        engine = engine_of(self.store)
        if engine is None:
            raise CannotWithdraw(slug, wording.said(N_("this store keeps no public versions")))
        current = self.store.get(slug)
        known = {v.version: v for v in read_versions(engine, slug)}
        done = w.read_for(engine, slug)
        wanted = sorted(set(versions))
        if not wanted:
            raise CannotWithdraw(slug, wording.said(N_("name the public versions to withdraw")))
        for number in wanted:
            if number not in known:
                raise CannotWithdraw(
                    slug, wording.said(N_("it has no public version %(n)s"), n=number)
                )
            if number in done:
                raise CannotWithdraw(
                    slug, wording.said(N_("public version %(n)s is withdrawn already"), n=number)
                )
            if current.status is Status.published and number == max(known):
                # Its words are the record's own now: the next version would show them again.
                raise CannotWithdraw(
                    slug,
                    wording.said(
                        N_(
                            "public version %(n)s is what the record shows now: edit the words "
                            "out first (a new version), then withdraw this one"
                        ),
                        n=number,
                    ),
                )
        found = _withdrawals(engine, [known[n] for n in wanted], actor, text)
        # The withdrawal first: should the revision below fail, the words are off the site
        # (the safe side), and the rows are taken back so that nothing says otherwise.
        w.record(engine, found)
        listed = ", ".join(str(n) for n in wanted)
        note = (
            f"An earlier version was withdrawn: {text}"
            if len(wanted) == 1
            else f"Earlier versions were withdrawn: {text}"
        )
        try:
            written = self.store.save(
                logged(current.record, note, self.today()),
                base_revision=current.revision,
                author=actor.name,
                message=clean_message(
                    f"Withdrew public version{'s' * (len(wanted) > 1)} {listed}: {text}"
                ),
            )
        except BaseException:
            w.remove(engine, found)
            raise
        return written, found

    # --- deletion -------------------------------------------------------------------------
    def delete(self, actor: Actor, slug: str, *, base_revision: int, reason: str) -> Deletion:
        """Delete record `slug` with a tombstone, for a reason. Nothing is lost: its revisions
        and internal notes stay (`casework history` shows them), its slug stays taken, and the
        store's `deletions` row says who, when and why (the store's `delete`, one
        transaction).

        A record that was ever public leaves a public tombstone: its page and JSON answer
        410 Gone with the date and the reason (which is therefore published), and each of
        its public versions not withdrawn yet is withdrawn for that reason (their files
        become tombstones, their leaves stay in the public log), so that `casework verify`
        stays clean once the caller signs a checkpoint (`checkpoint.sign_now`), as after
        `withdraw_versions`. A record that was never public leaves no public trace: its
        addresses answer exactly as a slug never used. Other records naming it as related
        are saved without it, each an ordinary disclosed revision by the same actor.

        Who: whoever may edit the record in its state (a published one: reviewer and
        above), and, for a record with public versions, whoever may withdraw them. Raises
        NotAllowed, CannotDelete, RecordNotFound, Conflict."""
        from casework.evidence import withdrawals as w
        from casework.evidence.published import engine_of, read_versions
        from casework.store import deletions

        current = self.store.get(slug)
        self.require(actor, Act.delete, current.status, slug)
        text = clean_note(reason)
        if not text:
            raise CannotDelete(
                slug,
                wording.said(N_("a deletion needs a reason (a public record's is published)")),
            )
        engine = engine_of(self.store)
        if engine is None:
            raise CannotDelete(slug, wording.said(N_("this store keeps no tombstones")))
        if current.revision != base_revision:
            raise Conflict(slug, base_revision, current.revision)
        public = [v for v in read_versions(engine, slug) if v.withdrawn is None]
        if public:
            self.require(actor, Act.withdraw_version, slug=slug)
        naming = self._naming(actor, slug)
        found = _withdrawals(engine, public, actor, text)
        # The withdrawals first, as withdraw_versions does: should the deletion fail, the words
        # are off the site (the safe side), and the rows are taken back.
        w.record(engine, found)
        try:
            self.store.delete(slug, base_revision=base_revision, author=actor.name, reason=text)
        except BaseException:
            w.remove(engine, found)
            raise
        for other in naming:
            now = self.store.get(other.record.slug)
            self.save(
                actor,
                now.record.model_copy(
                    update={
                        "related_incidents": [s for s in now.record.related_incidents if s != slug]
                    }
                ),
                base_revision=now.revision,
                message=f"Related record deleted: {slug}",
            )
        deleted = deletions.read_one(engine, slug)
        assert deleted is not None  # just written
        return deleted

    def _naming(self, actor: Actor, slug: str) -> list[StoredRecord]:
        """The other records naming `slug` among their relatedIncidents, which a merge or a
        deletion saves without it: `actor` must be allowed to edit each, checked before
        anything is written. Raises NotAllowed."""
        naming = [
            o
            for o in self.store.iter_records()
            if slug in o.record.related_incidents and o.record.slug != slug
        ]
        for other in naming:
            self.require(actor, Act.edit, other.status, other.record.slug)
        return naming

    # --- renames --------------------------------------------------------------------------
    def rename(
        self, actor: Actor, old: str, new: str, *, base_revision: int, message: str = ""
    ) -> StoredRecord:
        """Give record `old` the slug `new`. History is not rewritten (a revision's hash covers
        its slug): the old slug's revisions stay, the record moves, its chain under `new`
        starts with a revision saying "Renamed from OLD" (the store's `rename`, one
        transaction), and `renames` links the two (`full_history` tells the whole story).
        Other records naming `old` among their relatedIncidents are saved naming `new`, each
        as an ordinary disclosed revision by the same actor (a relation is content).

        A record whose old slug was public keeps its old addresses working
        (`PublicView.moved`): its page, JSON and API record answer 301 on the live site (a
        moved page in a static build) and its public versions and history stay where
        readers cited them; a published record's readers are told in its updateLog. A
        draft's old slug shows nowhere. Raises NotAllowed, CannotRename, RecordNotFound,
        Conflict."""
        from casework.evidence.published import engine_of, read_current_version
        from casework.model.fields import check_slug
        from casework.store.base import SlugExists

        current = self.store.get(old)
        engine = engine_of(self.store)
        if engine is None:
            raise CannotRename(old, NO_RENAMES)
        self.require(actor, Act.rename, current.status, old)
        was_public = read_current_version(engine, old) is not None
        try:
            check_slug(new)
        except ValueError as error:
            raise CannotRename(old, wording.wording_of(error)) from None
        if new == old:
            raise CannotRename(old, wording.said(N_("the new slug is the one it has")))
        naming = [o for o in self.store.iter_records() if old in o.record.related_incidents]
        for other in naming:  # checked before anything is written
            self.require(actor, Act.edit, other.status, other.record.slug)
        try:
            moved = self.store.rename(
                old,
                self._renamed(current, old, new, was_public),
                base_revision=base_revision,
                author=actor.name,
                message=clean_message(
                    f"Renamed from {old}" + (f": {message}" if message.strip() else "")
                ),
            )
        except SlugExists:
            raise CannotRename(
                old,
                wording.said(
                    N_("%(slug)s is taken: a record has it, or had it before a rename"),
                    slug=repr(new),
                ),
            ) from None
        from casework.store import notes

        with engine.begin() as connection:  # the team's internal notes go on with the record
            notes.rename(connection, old, new)
        for other in naming:
            named = [new if s == old else s for s in other.record.related_incidents]
            self.save(
                actor,
                other.record.model_copy(update={"related_incidents": named}),
                base_revision=other.revision,
                message=f"Related record renamed: {old} → {new}",
            )
        return moved

    def _renamed(self, current: StoredRecord, old: str, new: str, was_public: bool) -> Record:
        """The record under its new slug; readers of a published record are told its address
        changed (the old one answers 301 from now on)."""
        record = current.record.model_copy(update={"slug": new})
        if current.status is Status.published:
            return logged(record, f"Renamed from {old} (its old address leads here)", self.today())
        if was_public:  # told when it is published again, as a draft's note waits
            return logged(record, f"Renamed from {old}", self.today())
        return record

    def merge(
        self,
        actor: Actor,
        keep: str,
        duplicate: str,
        *,
        keep_revision: int,
        duplicate_revision: int,
        message: str = "",
    ) -> StoredRecord:
        """Merge record `duplicate` into record `keep`: `keep` gets the duplicate's sources,
        documents, timeline entries, key points, tags, legal provisions and their citations,
        added (`merging.merged`, nothing it had changed) as one revision of `keep` saved the
        ordinary way (readers of a published `keep` told "Merged with DUPLICATE" in its
        updateLog). The duplicate then ends as a record renamed to `keep` does (the store's
        `retire`: a `renames` row DUPLICATE → KEEP): its history stays (`full_history` of
        `keep` shows it), its slug stays taken, and its old public addresses lead to `keep`
        (`PublicView.moved`). Other records naming it as related are saved naming `keep`.
        Both base revisions are checked before anything is written. Whoever may rename both
        records in their states may merge them (a published one: reviewer and above).
        Raises NotAllowed, CannotMerge, RecordNotFound, Conflict, NotPublishable."""
        from casework.editing.merging import merged
        from casework.evidence.published import engine_of

        if keep == duplicate:
            raise CannotMerge(keep, wording.said(N_("a record cannot be merged with itself")))
        kept = self.store.get(keep)
        dup = self.store.get(duplicate)
        if engine_of(self.store) is None:
            raise CannotMerge(duplicate, NO_RENAMES)
        self.require(actor, Act.rename, kept.status, keep)
        self.require(actor, Act.rename, dup.status, duplicate)
        for slug, stored, base in (
            (keep, kept, keep_revision),
            (duplicate, dup, duplicate_revision),
        ):
            if stored.revision != base:
                raise Conflict(slug, base, stored.revision)
        naming = self._naming(actor, duplicate)
        record, added = merged(kept.record, dup.record)
        if duplicate in record.related_incidents:  # a record is not related to itself
            record = record.model_copy(
                update={
                    "related_incidents": [s for s in record.related_incidents if s != duplicate]
                }
            )
        what = ", ".join(added) if added else "nothing new"
        self.store.save(
            self._merged_note(kept, record, duplicate),
            base_revision=keep_revision,
            author=actor.name,
            message=clean_message(
                f"Merged with {duplicate} (added: {what})"
                + (f": {message}" if message.strip() else "")
            ),
        )
        self.store.retire(duplicate, keep, base_revision=duplicate_revision, author=actor.name)
        from casework.store import notes

        engine = engine_of(self.store)
        assert engine is not None  # checked above
        with engine.begin() as connection:  # the duplicate's internal notes go on with KEEP
            notes.rename(connection, duplicate, keep)
        for other in naming:
            if other.record.slug == keep:
                continue
            now = self.store.get(other.record.slug)
            named = list(
                dict.fromkeys(keep if s == duplicate else s for s in now.record.related_incidents)
            )
            self.save(
                actor,
                now.record.model_copy(update={"related_incidents": named}),
                base_revision=now.revision,
                message=f"Related record merged: {duplicate} → {keep}",
            )
        return self.store.get(keep)

    def _merged_note(self, kept: StoredRecord, record: Record, duplicate: str) -> Record:
        """The merged record as written: server fields kept, and readers of a published
        record told what happened (the duplicate's address leads here from now on)."""
        record = with_server_fields(record, kept.record)
        if kept.status is Status.published:
            self.require_publishable(record)
            return logged(
                record, f"Merged with {duplicate} (its old address leads here)", self.today()
            )
        return record

    def full_history(self, slug: str) -> list[tuple[str, list[Revision]]]:
        """Every chain of record `slug`, oldest first: the revisions under each slug it had
        (renames) and then under `slug`. Raises RecordNotFound."""
        from casework.evidence.published import engine_of
        from casework.store import renames

        engine = engine_of(self.store)
        earlier = renames.chain(engine, slug) if engine is not None else []
        found = [(r.old, self.store.history(r.old)) for r in earlier]
        return [*found, (slug, self.store.history(slug))]

    # --- internal notes ------------------------------------------------------------------
    def add_note(self, actor: Actor, slug: str, words: str) -> Note:
        """An internal note on `slug` by `actor` (an editor or above), kept as written (its
        lines too) and never published. It writes no revision: it is not the record's
        content. Raises NotAllowed, RecordNotFound, BadNote."""
        from casework.evidence.published import engine_of
        from casework.store import notes

        self.require(actor, Act.note, slug=slug)
        self.store.get(slug)  # a note on no record is refused
        words = words.strip()
        if not words:
            raise BadNote(slug, wording.said(N_("a note needs some words")))
        if len(words) > notes.NOTE_CHARS:
            raise BadNote(slug, _too_long(notes.NOTE_CHARS, len(words)))
        engine = engine_of(self.store)
        if engine is None:
            raise BadNote(slug, wording.said(N_("this store keeps no notes")))
        return notes.add(engine, slug, actor.name, words)

    def notes(self, actor: Actor, slug: str) -> list[Note]:
        """`slug`'s internal notes, oldest first, for whoever may read the editor's pages.
        Raises NotAllowed, RecordNotFound."""
        from casework.evidence.published import engine_of
        from casework.store import notes

        self.require(actor, Act.read, slug=slug)
        self.store.get(slug)
        engine = engine_of(self.store)
        return notes.read_for(engine, slug) if engine is not None else []

    # --- many records --------------------------------------------------------------------
    def import_records(
        self,
        actor: Actor,
        records: Iterable[Record | PreparedRecord],
        *,
        message: str,
        status: Status = Status.draft,
        replace: bool = False,
        progress: Progress | None = None,
    ) -> int:
        """Import records in one transaction (the store's `import_records`): new records
        get `status` (draft unless the importer publishes explicitly — and then every one
        of them must be publishable); with `replace`, a record whose slug exists keeps its
        status and is saved over as `save` would, its public changes disclosed, and is left
        alone when nothing changed. Raises NotAllowed, NotPublishable (and rolls back)."""
        self.require(actor, Act.create)
        if status is not Status.draft:
            self.require(actor, MOVES[(Status.draft, status)], Status.draft)
        today = self.today()

        def checked() -> Iterator[Record | PreparedRecord]:
            for record in records:
                if status is Status.published:
                    problems = publish_problems(record)
                    if problems:
                        raise NotPublishable(record.slug, *problems[0])
                yield record

        def over(current: StoredRecord, incoming: Record) -> tuple[Record, Status] | None:
            self.require(actor, Act.edit, current.status, current.record.slug)
            record = self._imported_over(current, incoming, today)
            return None if record is None else (record, current.status)

        return self.store.import_records(
            checked(),
            author=actor.name,
            message=clean_message(message) or "import",
            status=status,
            replace=replace,
            replacer=over if replace else None,
            progress=progress,
        )

    def _imported_over(self, current: StoredRecord, incoming: Record, today: date) -> Record | None:
        """What an import writes over `current`, or None when it changes nothing. The stored
        update log is kept and extended by the entries the file adds (never shortened). A
        published record keeps its status and its lastUpdated unless its public content
        changed; then lastUpdated is today and, unless the file adds its own entry, the
        change is logged from the changed fields."""
        if not incoming.body and incoming.body_html == current.record.body_html:
            # Tracker JSON carries the body as HTML only: the same HTML keeps its Markdown.
            incoming = incoming.with_body(current.record.body, current.record.body_html)
        kept = list(current.record.update_log)
        seen = {(e.date, e.summary) for e in kept}
        added = [e for e in incoming.update_log if (e.date, e.summary) not in seen]
        merged = incoming.model_copy(update={"update_log": [*kept, *added]})
        if current.status is not Status.published:
            return merged if diff_records(current.record, merged) else None
        merged = merged.model_copy(update={"last_updated": current.record.last_updated})
        shown = public_changes(current.record, merged)
        if not shown and not added:
            return None
        self.require_publishable(merged)
        if added:
            return merged.model_copy(update={"last_updated": today})
        return logged(merged, change_note(shown), today)

    # --- proposals -----------------------------------------------------------------------
    def require_choice(self, actor: Actor, proposal: Proposal, target: str | None) -> None:
        """Raises NotAllowed unless `actor` may choose `target` (None: a new draft) as the
        record of open `proposal`: one of its candidates, or any record with the right to
        choose any (Act.choose_any); and may apply it there (edit the record in its state,
        or create a draft). RecordNotFound for a record there is none of."""
        from casework.ingest.pipeline import offered

        if target is None:
            self.require(actor, Act.create)
            return
        if target not in offered(proposal):  # refused before anything is looked up
            self.require(actor, Act.choose_any, None, target)
        current = self.store.get(target)
        self.require(actor, Act.edit, current.status, target)

    def apply_proposal(
        self,
        actor: Actor,
        proposal: Proposal,
        accepted: set[int],
        *,
        base_revision: int | None = None,
    ) -> StoredRecord | None:
        """The accepted items of open `proposal` made one revision of its record (or a new
        draft), with an updateLog entry naming the article; every item's decision, who took
        it and when kept with the proposal in the store (`casework.store.proposals`). The
        revision and the proposal's change to applied are one transaction: should either
        fail, neither is written and the proposal stays open. None when nothing was
        accepted (the proposal is then rejected). `proposal` is updated as decided. Raises
        NotAllowed, RecordNotFound, Conflict, SlugExists, NotPublishable (the proposal left
        open), ProposalClosed (decided already, by someone else or earlier: nothing
        written), ProposalNotFound.

        `base_revision`: the revision of the record the items were computed against (a
        proposal rebuilt for the record a reviewer chose, `casework.ingest.pipeline.rebuild`):
        Conflict when the record has changed since, so that items computed before an edit
        are never added over it (what the edit added could be added twice)."""
        from casework.ingest.propose import Proposal, applied, applied_note
        from casework.store.proposals import Decision, decided_along

        # Rejecting is a decision too: whoever could apply it, not any reader.
        if proposal.target is not None and self.store.exists(proposal.target):
            target = self.store.get(proposal.target)
            self.require(actor, Act.edit, target.status, proposal.target)
        else:
            self.require(actor, Act.create)
        chosen = [item for item in proposal.items if item.id in accepted]
        additions = [item for item in chosen if item.kind != "record"]
        message = f"Ingested {proposal.source.get('url') or proposal.source.get('file', '')}"
        note = applied_note(additions, proposal.source)
        decided = Proposal.from_json(proposal.to_json())  # the caller's is changed on success
        for item in decided.items:
            item.decision = "accepted" if item.id in accepted else "rejected"
        decided.decided_by = actor.name
        now = datetime.now(UTC)
        decided.decided_at = now.isoformat(timespec="seconds")
        written: list[bool] = []

        def decision(status: str) -> Decision:
            decided.status = status
            return Decision(decided.id, status, decided.target, actor.name, now, decided.to_json())

        def along(status: str) -> Along:
            mark = decided_along(decision(status))

            def run(db: InWrite) -> None:
                mark(db)
                written.append(True)

            return run

        stored: StoredRecord | None = None
        if proposal.target is None:
            skeleton = next((item for item in chosen if item.kind == "record"), None)
            if skeleton is not None:
                record = applied(
                    blank_record(skeleton.value, self.today()),
                    additions,
                    proposal.source.get("url"),
                )
                decided.target = record.slug
                stored = self.create(
                    actor, record, message=message, note=note, along=along("applied")
                )
        elif additions:
            current = self.store.get(proposal.target)
            if base_revision is not None and current.revision != base_revision:
                raise Conflict(proposal.target, base_revision, current.revision)
            record = applied(current.record, additions, proposal.source.get("url"))
            stored = self.save(
                actor,
                record,
                base_revision=current.revision if base_revision is None else base_revision,
                message=message,
                note=note,
                along=along("applied"),
            )
        if not written:  # no revision to go with (nothing accepted, or nothing new)
            self.store.proposals.decide(decision("applied" if stored is not None else "rejected"))
        proposal.items, proposal.target = decided.items, decided.target
        proposal.status = decided.status
        proposal.decided_by, proposal.decided_at = decided.decided_by, decided.decided_at
        return stored


def _withdrawals(
    engine: Engine, chosen: list[Version], actor: Actor, reason: str
) -> list[Withdrawal]:
    """The withdrawals of public versions `chosen`, now, by `actor`, for `reason`: each keeps
    its leaf and the digest of the content it hashed (`casework.evidence.withdrawals`)."""
    from casework.evidence import ledger
    from casework.evidence import withdrawals as w
    from casework.evidence.published import read_version_records
    from casework.store.history import canonical_time, utc_now

    stored = read_version_records(engine, chosen)
    now = canonical_time(utc_now())
    return [
        w.Withdrawal(
            v.slug,
            v.version,
            v.leaf,
            ledger.content_digest(ledger.public_record(stored[(v.slug, v.version)])),
            now,
            actor.name,
            reason,
        )
        for v in chosen
    ]
