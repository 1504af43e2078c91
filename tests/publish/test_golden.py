"""Golden output: a small site built from fixed records must match the files kept in
tests/publish/golden/ byte for byte (but for the generation time). After an intended change to
the templates, regenerate them with `CASEWORK_UPDATE_GOLDEN=1 pytest tests/publish/test_golden.py`
and review the diff like code."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from casework.publish.build import build_site
from casework.store.base import Store
from tests.publish.conftest import SITE

GOLDEN = Path(__file__).parent / "golden"
FILES = [
    "index.html",
    "incident/pier-arrests/index.html",
    "incident/pier-arrests.json",
    "category/rule-of-law/index.html",
    "tag/harbour/index.html",
    "law/iccpr/index.html",
    "entity/port-authority/index.html",
    "timeline/2021/index.html",
    "collections/harbour/index.html",
    "search/index.html",
    "sitemap.xml",
    "feed.xml",
    "robots.txt",
]
_GENERATED = re.compile(r'"generatedAt": "[^"]+"')


def normalized(path: Path) -> str:
    return _GENERATED.sub('"generatedAt": "…"', path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", FILES)
def test_built_file_matches_golden(store: Store, tmp_path: Path, name: str) -> None:
    out = tmp_path / "site"
    build_site(store, SITE, out, workers=1)
    got = normalized(out / name)
    golden = GOLDEN / name
    if os.environ.get("CASEWORK_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}: run with CASEWORK_UPDATE_GOLDEN=1"
    assert got == golden.read_text(encoding="utf-8")
