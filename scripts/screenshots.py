"""Screenshots of every page type of a built demo site, at a desktop and a phone width.

    PYTHONPATH=src python scripts/screenshots.py docs/screenshots/after

Builds a small demo tracker (the example records `casework demo` publishes, plus one deleted
record for the "gone" page) in a temporary folder, serves it on 127.0.0.1, and drives the
system's headless Chromium (/usr/bin/chromium, or CASEWORK_CHROMIUM) with Playwright: one
full-page PNG per page type and width, optimised with Pillow (palette PNG) to stay small.
Re-running gives the same pages (fixed seed, fixed "today").
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

WIDTHS = {"desktop": 1280, "phone": 390}
CHROMIUM = os.environ.get("CASEWORK_CHROMIUM", "/usr/bin/chromium")
TODAY = date(2026, 6, 1)


def build_demo(root: Path, count: int) -> tuple[Path, dict[str, str]]:
    """A demo tracker under `root`, built into root/out; returns the folder and, by page
    type, the path of one page of that type."""
    from casework.demo import DEMO_SITE
    from casework.editing import Actor, Editing
    from casework.examples import generate_records
    from casework.model import Status
    from casework.publish.build import build_site
    from casework.render.pages import tag_slug
    from casework.tracker import init_tracker, open_tracker

    init_tracker(root / "tracker", DEMO_SITE)
    with open_tracker(root / "tracker") as tracker:
        site = tracker.site
        records = list(
            generate_records(count + 1, seed=1, site=site, today=TODAY, mutual_links=True)
        )
        editing = Editing(tracker.store, site)
        actor = Actor.operator("screenshots")
        editing.import_records(actor, records, message="examples", status=Status.published)
        build_site(tracker.store, site, root / "out")  # the doomed record was public once
        doomed = records[-1].slug
        editing.delete(
            actor,
            doomed,
            base_revision=tracker.store.get(doomed).revision,
            reason="Example: a duplicate of another record.",
        )
        build_site(tracker.store, site, root / "out")
    # The record with the most sections shows the most of the design.
    shown = max(records[:-1], key=lambda r: len(r.body) + 200 * len(r.sources))
    entity = min((p.parent.name for p in (root / "out/entity").glob("*/index.html")), default=None)
    pages = {
        "home": "",
        "record": f"incident/{shown.slug}/",
        "listing": f"category/{shown.category}/",
        "tag": f"tag/{tag_slug(shown.tags[0])}/" if shown.tags else "tag/",
        "timeline": f"timeline/{shown.date.year}/",
        "entity": f"entity/{entity}/" if entity else "entity/",
        "law": "law/",
        "search": "search/",
        "map": "map/",
        "data": "data/",
        "about": "about/",
        "404": "no-such-page/",
        "gone": f"incident/{doomed}/",
    }
    return root / "out", pages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(out: Path) -> Iterator[str]:
    import uvicorn

    from casework.web.static_site import static_site_app

    port = free_port()
    config = uvicorn.Config(static_site_app(out), host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def small_png(data: bytes, path: Path) -> None:
    """The screenshot as a 256-colour PNG: a fifth of the size, and text stays sharp."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    image.save(path, optimize=True)


def shoot(base: str, pages: dict[str, str], folder: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--headless=new"]
        )
        for label, width in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            for name, path in pages.items():
                page.goto(base + path, wait_until="networkidle")
                if name == "search":  # a query, so that results show
                    page.fill("#q", "market")
                    page.wait_for_timeout(600)
                target = folder / f"{name}-{label}.png"
                small_png(page.screenshot(full_page=True), target)
                saved.append(target)
            context.close()
        browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where the PNGs go")
    parser.add_argument("--records", type=int, default=60, help="demo records (default 60)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out, pages = build_demo(Path(tmp), args.records)
        with serving(out) as base:
            for path in shoot(base, pages, args.folder):
                print(f"{path}  {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
