"""What a merge adds to the record kept (`Editing.merge`): the duplicate's sources,
documents, timeline entries, key points, tags, legal provisions and their citations, added
the way ingest's `propose.applied` adds accepted items — additively: nothing the kept record
had is changed or removed, and an item it already has (a source or document by URL, a
timeline entry by date and title, a key point or tag by its text, a legal provision whole)
is not added twice."""

from __future__ import annotations

from typing import Any

from casework.ingest.propose import _in_order
from casework.model import Record
from casework.render.html import render_markdown


def _citations(data: dict[str, Any], kind: str) -> list[tuple[Any, dict[str, Any] | None]]:
    cites = {c["claim"]: c for c in data.get("provenance", [])}
    return [(item, cites.get(f"{kind}/{i}")) for i, item in enumerate(data[kind])]


def merged(keep: Record, duplicate: Record) -> tuple[Record, list[str]]:
    """`keep` with `duplicate`'s items added, and the names of the kinds added (for the
    revision message; empty when the duplicate holds nothing `keep` lacks)."""
    data = keep.to_storage()
    other = duplicate.to_storage()
    added: list[str] = []

    def add(kind: str, same: Any) -> None:
        have = {same(x) for x in data[kind]}
        new = [x for x in other[kind] if same(x) not in have]
        if new:
            data[kind] = [*data[kind], *new]
            added.append(kind)

    add("sources", lambda s: s["url"])
    add("documents", lambda d: d["url"])
    add("tags", lambda t: t)
    add("internationalLaw", lambda p: tuple(sorted(p.items())))
    key_points = _citations(data, "keyPoints")
    timeline = _citations(data, "timeline")
    cited = {f"keyPoints/{i}" for i in range(len(key_points))}
    cited |= {f"timeline/{i}" for i in range(len(timeline))}
    # Citations of claims the kept record lacks are kept for `check`, as ingest keeps them.
    dangling = [c for c in data.get("provenance", []) if c["claim"] not in cited]
    have_points = {p for p, _ in key_points}
    new_points = [pair for pair in _citations(other, "keyPoints") if pair[0] not in have_points]
    have_entries = {(e["date"], e["title"]) for e, _ in timeline}
    new_entries = [
        pair
        for pair in _citations(other, "timeline")
        if (pair[0]["date"], pair[0]["title"]) not in have_entries
    ]
    if new_points:
        added.append("keyPoints")
    if new_entries:
        added.append("timeline")
    if not new_points and not new_entries:
        return (Record.from_storage(data) if added else keep), added
    key_points += new_points
    timeline += new_entries
    if new_entries:
        timeline.sort(key=lambda pair: pair[0]["date"])  # stable: same-day entries keep order
    data["keyPoints"] = [p for p, _ in key_points]
    data["timeline"] = [e for e, _ in timeline]
    provenance: list[dict[str, Any]] = []
    for kind, claims in (("keyPoints", key_points), ("timeline", timeline)):
        for i, (_, cite) in enumerate(claims):
            if cite is not None:
                provenance.append(_in_order({**cite, "claim": f"{kind}/{i}"}))
    data["provenance"] = provenance + dangling
    if "$anchors" in data:  # citations were renumbered: their unknown keys go at their ends
        data["$anchors"] = {
            path: m for path, m in data["$anchors"].items() if not path.startswith("provenance.")
        }
    if data.get("$body") and not data.get("$bodyHtml"):
        data["$bodyHtml"] = render_markdown(data["$body"])
    return Record.from_storage(data), added
