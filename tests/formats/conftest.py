"""Shared fixtures for the formats tests: the test site and the fixture records."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.model import Site
from tests.formats.helpers import FIXTURES


@pytest.fixture
def site() -> Site:
    return Site(url="https://tracker.example.org", title="Fixture tracker")


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
