"""Paths and constants shared by the formats tests."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "records"
# The generatedAt the fixture documents carry: passed back in to compare whole bytes.
GENERATED_AT = "2026-01-15T09:30:00.125Z"
