"""The change tables' field names in the site's language (web/change_labels.py)."""

from __future__ import annotations

from casework.model.diff import BODY_HTML_LABEL, FIELD_LABELS, ITEM_LABELS, PART_FIELD_LABELS
from casework.web.change_labels import FIELDS, ITEMS, PARTS, change_label


def test_the_lists_are_model_diffs_labels() -> None:
    """A label added to model/diff.py must be listed (and so translated) here."""
    assert set(FIELDS) == {*FIELD_LABELS.values(), BODY_HTML_LABEL}
    assert set(PARTS) == set(PART_FIELD_LABELS.values())
    assert set(ITEMS) == set(ITEM_LABELS.values())


def test_a_label_in_each_language() -> None:
    assert change_label("Source 3 · URL") == "Source 3 · URL"
    assert change_label("Source 3 · Publisher", "es") == "Fuente 3 · Editor"
    assert change_label("Timeline entry 12", "fr") == "Entrée de la chronologie 12"
    assert change_label("Legal basis", "ar") == "الأساس القانوني"
    # A list's key model/diff.py has no noun for is its key: kept as written.
    assert change_label("locations 2 · name", "es") == "locations 2 · name"
