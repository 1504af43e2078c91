"""What changed between two versions of a record, field by field, for people to read.

`diff_records(old, new)` lists one `Change` per field that differs, in docs/format.md's key order,
each with its wire path (`sources.2.url`), a label (`Source 3 · URL`), both values as display
text and, for text, a word-level inline diff. Lists of parts (sources, timeline, …) are
compared item by item by position, so an edited source shows as the one field that changed;
an item added or removed at the end is one Change. Derived keys never appear: they follow from
the authored ones. Unknown keys kept from import are compared like any other key.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from casework.model.record import DERIVED_KEYS, RECORD_KEYS, Record, TrackerModel

ChangeKind = Literal["added", "removed", "changed"]
WordKind = Literal["same", "del", "ins"]

# Labels of record keys; a list of parts is labelled per item ("Source 3").
FIELD_LABELS: dict[str, str] = {
    "slug": "Slug",
    "title": "Title",
    "date": "Date",
    "lastUpdated": "Last updated",
    "summary": "Summary",
    "category": "Category",
    "severity": "Severity",
    "posture": "Posture",
    "ongoing": "Ongoing",
    "victims": "Victims",
    "perpetrators": "Perpetrators",
    "legalBasis": "Legal basis",
    "tags": "Tags",
    "keyPoints": "Key points",
    "warCrimeClassification": "War-crime classification",
    "iccRelevance": "ICC relevance",
    "description": "Description",
    "relatedIncidents": "Related incidents",
    "body": "Body (Markdown)",
    "externalId": "External id",
}
ITEM_LABELS: dict[str, str] = {
    "structuredVictims": "Victim",
    "structuredPerpetrators": "Perpetrator",
    "internationalLaw": "Provision",
    "legalAnalyses": "Legal analysis",
    "sources": "Source",
    "documents": "Document",
    "timeline": "Timeline entry",
    "updateLog": "Update",
    "provenance": "Citation",
}
PART_FIELD_LABELS: dict[str, str] = {
    "url": "URL",
    "title": "Title",
    "publisher": "Publisher",
    "kind": "Kind",
    "date": "Date",
    "sha256": "SHA-256",
    "summary": "Summary",
    "statute": "Statute",
    "article": "Article",
    "provision": "Provision",
    "organization": "Organization",
    "name": "Name",
    "role": "Role",
    "count": "Count",
    "entity": "Entity",
    "claim": "Claim",
    "sources": "Sources",
    "sentence": "Sentence",
}
BODY_HTML_LABEL = "Body (HTML)"

# Words, runs of whitespace and single punctuation marks: joined back they give the text.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
_ABSENT = object()
# Above this many token pairs (old × new) a changed block is not compared word by word.
_WORD_DIFF_LIMIT = 40_000


@dataclass(frozen=True)
class Change:
    """One field that differs. `old`/`new` are display text (None on the side where the value
    is absent or empty: `old` is None when `kind` is "added", `new` when "removed"); `words`
    is the word-level diff of old → new for text values, empty for anything else."""

    path: str
    label: str
    kind: ChangeKind
    old: str | None
    new: str | None
    words: list[tuple[WordKind, str]] = field(default_factory=list)


def diff_records(old: Record, new: Record) -> list[Change]:
    """Every difference between `old` and `new`, in docs/format.md key order (unknown keys where
    they stand), then the body. [] when the two records hold the same content."""
    old_wire = _without_derived(old.to_wire())
    new_wire = _without_derived(new.to_wire())
    changes: list[Change] = []
    for key in _merged_keys(old_wire, new_wire, _RECORD_FIELDS):
        before, after = old_wire.get(key, _ABSENT), new_wire.get(key, _ABSENT)
        if before == after:
            continue
        if key in _PART_FIELDS:
            changes.extend(_diff_parts(key, before, after))
        else:
            changes.extend(_change(key, FIELD_LABELS.get(key, key), before, after))
    if old.body != new.body:
        changes.extend(_change("body", FIELD_LABELS["body"], old.body, new.body))
    elif old.body_html != new.body_html:
        # Same Markdown (typically none: a record imported as HTML only) but other HTML.
        changes.extend(_change("body", BODY_HTML_LABEL, old.body_html, new.body_html))
    return changes


def word_diff(old: str, new: str) -> list[tuple[WordKind, str]]:
    """`old` → `new` as runs of same/deleted/inserted text: the "same" and "del" runs joined
    give `old`, the "same" and "ins" runs give `new`.

    Lines are matched first and words only inside the lines that differ: a word-level match
    over a whole body costs O(words²) (seconds for a 100 KB body), a line-level one does not.
    A changed block too large to compare word by word shows as deleted and inserted whole."""
    runs: list[tuple[WordKind, str]] = []
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _add(runs, "same", "".join(a[i1:i2]))
        else:
            _word_runs(runs, "".join(a[i1:i2]), "".join(b[j1:j2]))
    return runs


def _add(runs: list[tuple[WordKind, str]], kind: WordKind, text: str) -> None:
    if not text:
        return
    if runs and runs[-1][0] == kind:
        runs[-1] = (kind, runs[-1][1] + text)
    else:
        runs.append((kind, text))


def _word_runs(runs: list[tuple[WordKind, str]], old: str, new: str) -> None:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    # The common start and end are cheap to find and usually most of an edited paragraph.
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    _add(runs, "same", "".join(a[:start]))
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    if len(middle_a) * len(middle_b) > _WORD_DIFF_LIMIT:
        _add(runs, "del", "".join(middle_a))
        _add(runs, "ins", "".join(middle_b))
    else:
        # autojunk off: with it, frequent tokens (spaces, "the") stop anchoring matches.
        matcher = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                _add(runs, "same", "".join(middle_a[i1:i2]))
            else:
                _add(runs, "del", "".join(middle_a[i1:i2]))
                _add(runs, "ins", "".join(middle_b[j1:j2]))
    _add(runs, "same", "".join(a[len(a) - end :]))


def display(value: Any) -> str:
    """A wire value as text for people: lists one item a line, booleans yes/no, objects as
    `key: value` lines."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "\n".join(_inline(item) for item in value)
    if isinstance(value, dict):
        return "\n".join(f"{key}: {_inline(item)}" for key, item in value.items())
    if value is None:
        return ""
    return _inline(value)


def _inline(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _without_derived(wire: dict[str, Any]) -> dict[str, Any]:
    # to_wire writes no derived keys today; an unknown key cannot be named like one either
    # (they are set aside on validation): this is a guard, not a filter that does work.
    return {key: value for key, value in wire.items() if key not in DERIVED_KEYS}


def _merged_keys(
    old: dict[str, Any], new: dict[str, Any], known: tuple[str, ...] = ()
) -> list[str]:
    """The keys of both dicts in one order: the `known` keys either has, in that order, then
    every other key of `new`, then of `old`, each placed after the key it followed there."""
    keys = [key for key in known if key in old or key in new]
    present = set(keys)
    for source in (new, old):
        previous: str | None = None
        for key in source:
            if key not in present:
                keys.insert(keys.index(previous) + 1 if previous is not None else 0, key)
                present.add(key)
            previous = key
    return keys


def _part_fields() -> dict[str, tuple[str, ...]]:
    """Wire key of each list of parts → its parts' keys in docs/format.md order."""
    fields: dict[str, tuple[str, ...]] = {}
    for name, key in Record.part_lists():
        args: tuple[Any, ...] = getattr(Record.model_fields[name].annotation, "__args__", ())
        model = next(a for a in args if isinstance(a, type) and issubclass(a, TrackerModel))
        fields[key] = tuple(f.alias or n for n, f in model.model_fields.items())
    return fields


_PART_FIELDS = _part_fields()
_RECORD_FIELDS = tuple(key for key in RECORD_KEYS if key not in DERIVED_KEYS)


def _is_empty(value: Any) -> bool:
    return value is _ABSENT or value is None or value in ("", [], {})


def _change(path: str, label: str, before: Any, after: Any) -> list[Change]:
    """The Change for one value (a list with one item, or none when equal)."""
    if before == after:
        return []
    if before is _ABSENT or before is None or (_is_empty(before) and not _is_empty(after)):
        kind: ChangeKind = "added"
    elif after is _ABSENT or after is None or (_is_empty(after) and not _is_empty(before)):
        kind = "removed"
    else:
        kind = "changed"
    old = None if kind == "added" else display(before)
    new = None if kind == "removed" else display(after)
    words = word_diff(old or "", new or "") if _is_text(before) and _is_text(after) else []
    return [Change(path, label, kind, old, new, words)]


def _is_text(value: Any) -> bool:
    """Strings and lists of strings (and an absent side of one): what a word diff suits."""
    if value is _ABSENT or value is None or isinstance(value, str):
        return True
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _diff_parts(key: str, before: Any, after: Any) -> list[Change]:
    """Item by item, by position: per-field Changes inside items both sides have, one Change
    per item only one side has."""
    if not isinstance(before, list) or not isinstance(after, list):
        return _change(key, ITEM_LABELS.get(key, key), before, after)
    noun = ITEM_LABELS.get(key, key)
    changes: list[Change] = []
    for i in range(max(len(before), len(after))):
        path, label = f"{key}.{i}", f"{noun} {i + 1}"
        if i >= len(after):
            changes.extend(_change(path, label, before[i], _ABSENT))
        elif i >= len(before):
            changes.extend(_change(path, label, _ABSENT, after[i]))
        elif before[i] != after[i]:
            old_item, new_item = before[i], after[i]
            if not isinstance(old_item, dict) or not isinstance(new_item, dict):
                changes.extend(_change(path, label, old_item, new_item))
                continue
            for name in _merged_keys(old_item, new_item, _PART_FIELDS.get(key, ())):
                changes.extend(
                    _change(
                        f"{path}.{name}",
                        f"{label} · {PART_FIELD_LABELS.get(name, name)}",
                        old_item.get(name, _ABSENT),
                        new_item.get(name, _ABSENT),
                    )
                )
    return changes


__all__ = ["Change", "diff_records", "display", "word_diff"]
