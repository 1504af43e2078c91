"""docs/format.md is the reference the code cites: its tables must say what the code does."""

from __future__ import annotations

import re
from pathlib import Path

from casework.model import DERIVED_KEYS, RECORD_KEYS
from casework.model.site import (
    DEFAULT_CATEGORIES,
    DEFAULT_CLASSIFICATIONS,
    DEFAULT_POSTURES,
    DEFAULT_SEVERITIES,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "format.md"


def _section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 3)
    return text[start : end if end > 0 else None]


def _rows(section: str) -> list[list[str]]:
    rows = []
    for line in section.splitlines():
        if line.startswith("| `"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_the_record_keys_are_listed_in_the_codes_order() -> None:
    rows = _rows(_section("The record's keys, in order"))
    assert tuple(row[0].strip("`") for row in rows) == RECORD_KEYS


def test_the_derived_keys_are_the_ones_the_code_computes() -> None:
    rows = _rows(_section("The record's keys, in order"))
    derived = {row[0].strip("`") for row in rows if row[1] == "derived"}
    assert derived == set(DERIVED_KEYS)


def test_the_default_vocabularies_are_the_codes() -> None:
    section = " ".join(_section("Vocabularies").split())
    for name, vocabulary in (
        ("category", DEFAULT_CATEGORIES),
        ("severity", DEFAULT_SEVERITIES),
        ("posture", DEFAULT_POSTURES),
        ("classification", DEFAULT_CLASSIFICATIONS),
    ):
        line = re.search(rf"- {name}[^:]*: (.*?);?(?= - |$)", section)
        assert line, name
        listed = re.findall(r"`([a-z-]+)` ([^,;`]+)", line.group(1).rstrip("."))
        assert [(k, label.strip()) for k, label in listed] == list(vocabulary.items()), name
