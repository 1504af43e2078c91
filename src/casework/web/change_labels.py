"""The change tables' field names in the site's language: model/diff.py labels a change in
English ("Title", "Source 3", "Source 3 · URL"); the editor's pages show it through the
catalog. The labels are listed here for the catalog (tests check the lists are diff.py's)."""

from __future__ import annotations

import re

from casework.render import i18n
from casework.render.templates import N_

# model/diff.py FIELD_LABELS and BODY_HTML_LABEL, and PART_FIELD_LABELS.
FIELDS = (
    N_("Slug"), N_("Title"), N_("Date"), N_("Last updated"), N_("Summary"), N_("Category"),
    N_("Severity"), N_("Posture"), N_("Ongoing"), N_("Victims"), N_("Perpetrators"),
    N_("Legal basis"), N_("Tags"), N_("Key points"), N_("War-crime classification"),
    N_("ICC relevance"), N_("Description"), N_("Related incidents"), N_("Body (Markdown)"),
    N_("External id"), N_("Body (HTML)"),
)  # fmt: skip
PARTS = (
    N_("URL"), N_("Title"), N_("Publisher"), N_("Kind"), N_("Date"), N_("SHA-256"),
    N_("Summary"), N_("Statute"), N_("Article"), N_("Provision"), N_("Organization"),
    N_("Name"), N_("Role"), N_("Count"), N_("Entity"), N_("Claim"), N_("Sources"),
    N_("Sentence"),
)  # fmt: skip
# model/diff.py ITEM_LABELS: an item of a list is its noun and its number.
ITEMS = {
    "Victim": N_("Victim %(n)s"),
    "Perpetrator": N_("Perpetrator %(n)s"),
    "Provision": N_("Provision %(n)s"),
    "Legal analysis": N_("Legal analysis %(n)s"),
    "Source": N_("Source %(n)s"),
    "Document": N_("Document %(n)s"),
    "Timeline entry": N_("Timeline entry %(n)s"),
    "Update": N_("Update %(n)s"),
    "Citation": N_("Citation %(n)s"),
}
_NUMBERED = re.compile(r"(.+) (\d+)")


def change_label(label: str, language: str = "en") -> str:
    """`label` (model/diff.py's) in `language`; a part the catalog lacks stays as written."""
    if language == "en":
        return label
    head, _, part = label.partition(" · ")
    numbered = _NUMBERED.fullmatch(head)
    if numbered and numbered.group(1) in ITEMS:
        head = i18n.gettext(language, ITEMS[numbered.group(1)]) % {"n": numbered.group(2)}
    else:
        head = i18n.gettext(language, head)
    return f"{head} · {i18n.gettext(language, part)}" if part else head
