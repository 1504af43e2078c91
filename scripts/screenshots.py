"""Screenshots of every page type of a built demo site, at a desktop and a phone width.

    PYTHONPATH=src python scripts/screenshots.py docs/screenshots/after

Builds a small demo tracker (casework.demo.build_showcase: the example records `casework demo`
publishes, plus one deleted record for the "gone" page) in a temporary folder, serves it on
127.0.0.1, and drives the system's headless Chromium (/usr/bin/chromium, or CASEWORK_CHROMIUM)
with Playwright: one full-page PNG per page type and width, as a palette PNG (Pillow) to stay
small.
Re-running gives the same pages (fixed seed, fixed "today").
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

# The tests' server helper (tests/serving.py), from this clone: a script of the repository, not
# of the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WIDTHS = {"desktop": 1280, "phone": 390}
CHROMIUM = os.environ.get("CASEWORK_CHROMIUM", "/usr/bin/chromium")
TODAY = date(2026, 6, 1)


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
        from casework.demo import build_showcase
        from casework.web.static_site import static_site_app
        from tests.serving import serving

        out, pages = build_showcase(Path(tmp), args.records, TODAY)
        with serving(static_site_app(out)) as base:
            for path in shoot(base, pages, args.folder):
                print(f"{path}  {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
