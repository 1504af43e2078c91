"""Lighthouse's accessibility and best-practices categories score 100 on every page type of a
built demo site, on a phone (Lighthouse's default, mobile) and on a desktop.

Lighthouse is the npm package pinned in tests/lighthouse/package-lock.json, installed by the
README's test command (`npm ci --prefix tests/lighthouse`) and run on node against the system's
chromium by tests/lighthouse/audit.mjs: one browser per preset, every page in it (a Lighthouse
user flow), rather than a browser start per page. Under CI=true a missing node or Lighthouse
fails these tests instead of skipping them."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from casework.web.static_site import static_site_app
from tests.browser.conftest import CHROMIUM, PAGE_TYPES, _unavailable
from tests.serving import serving

LIGHTHOUSE = Path(__file__).resolve().parents[1] / "lighthouse"
# A page Lighthouse must mark down: no language, an image without a text alternative, grey on
# grey. The audit runs it beside the real pages, so a harness that passes anything fails.
FLAWED = (
    "<!doctype html><html><head><title>flawed</title></head><body><main>"
    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">'
    '<p style="color:#bbb;background:#ccc">Faint words on a faint ground.</p>'
    "</main></body></html>"
)


def audited_path(name: str, path: str) -> str:
    # Lighthouse declines to audit a page answered with an error status: the 404 page is
    # audited as the file the static host serves for a missing path.
    return "404.html" if name == "404" else path


@pytest.fixture(scope="module")
def site_url(showcase: tuple[Path, dict[str, str]]) -> Iterator[str]:
    out = showcase[0]
    (out / "flawed").mkdir(exist_ok=True)
    (out / "flawed/index.html").write_text(FLAWED)
    with serving(static_site_app(out)) as url:
        yield url


def audit(preset: str, urls: list[str]) -> dict[str, dict[str, Any]]:
    node = shutil.which("node")
    if node is None:
        _unavailable("node is missing (apt-get install nodejs npm)")
    if not (LIGHTHOUSE / "node_modules/lighthouse").is_dir():
        _unavailable("Lighthouse is not installed (npm ci --prefix tests/lighthouse)")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    done = subprocess.run(
        [node, str(LIGHTHOUSE / "audit.mjs"), preset, *urls],
        capture_output=True,
        text=True,
        check=False,
        env={"CHROME_PATH": str(CHROMIUM), "PATH": str(Path(node).parent), "HOME": "/tmp"},
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {result["url"]: result for result in results}


@pytest.mark.parametrize("preset", ["mobile", "desktop"])
def test_lighthouse_scores_100_on_every_page_type(
    showcase: tuple[Path, dict[str, str]], site_url: str, preset: str
) -> None:
    pages = {name: site_url + audited_path(name, path) for name, path in showcase[1].items()}
    flawed = site_url + "flawed/"
    results = audit(preset, [*pages.values(), flawed])

    assert set(pages) == set(PAGE_TYPES)
    below = {
        name: (results[url]["scores"], [f["id"] for f in results[url]["failed"]])
        for name, url in pages.items()
        if results[url]["error"] or set(results[url]["scores"].values()) != {1}
    }
    assert below == {}
    # The flawed page is marked down, for the faults it has: the audit does look.
    assert results[flawed]["scores"]["accessibility"] < 1
    failed = {f["id"] for f in results[flawed]["failed"]}
    assert {"html-has-lang", "image-alt", "color-contrast"} <= failed
