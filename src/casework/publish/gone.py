"""What a deleted record's public addresses show (`Editing.delete`): one tombstone, the same
on the live site (answered 410 Gone) and in a static build (written where the record's page and
JSON were; a static host answers 200, the page says what happened).

Only records that were ever public have one (`PublicView.gone`); a record deleted before it
was public answers as a slug never used. A tombstone names the slug (it is in the address
already), the day and the reason of the deletion, and the record's public history, whose
versions are tombstones too. It never shows the record's title or any of its words: taking
them off the site may be why it was deleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from casework.publish.plan import Page

if TYPE_CHECKING:
    from casework.model import Site
    from casework.store.deletions import Deletion


def gone_page(deletion: Deletion) -> Page:
    return Page(
        f"incident/{deletion.slug}/index.html",
        "gone.html",
        {
            "slug": deletion.slug,
            "day": deletion.day,
            "reason": deletion.reason,
            "history": f"incident/{deletion.slug}/history.json",
        },
    )


def gone_document(site: Site, deletion: Deletion) -> dict[str, Any]:
    """At the record's JSON address: `{"slug", "deleted": {"date", "reason"}, "history"}`."""
    root = site.url.rstrip("/")
    return {
        "slug": deletion.slug,
        "deleted": {"date": deletion.day, "reason": deletion.reason},
        "history": f"{root}/incident/{deletion.slug}/history.json",
    }
