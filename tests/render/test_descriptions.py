"""Every page of a built site has one meta description, each page type its own; a record's
is its summary, escaped (the page's text is never markup)."""

from __future__ import annotations

from pathlib import Path

from lxml import html

from casework.model import Status
from casework.publish.build import build_site
from casework.store import open_store
from tests.publish.conftest import SITE, fill
from tests.store.factories import make_record

HOSTILE = '"><script>alert(1)</script> & <b>bold</b> \u201cquoted\u201d'


def descriptions(path: Path) -> list[str]:
    page = html.fromstring(path.read_bytes())
    return [str(v) for v in page.xpath('//head/meta[@name="description"]/@content')]


def test_every_page_has_one_description_of_its_own(tmp_path: Path) -> None:
    store = open_store(tmp_path / "tracker.db")
    try:
        fill(store)
        store.import_records(
            [make_record("hostile", summary=HOSTILE)], author="t", message="m",
            status=Status.published,
        )  # fmt: skip
        out = tmp_path / "site"
        build_site(store, SITE, out, workers=1)
    finally:
        store.close()
    seen: dict[str, str] = {}
    for path in sorted(out.rglob("*.html")):
        relative = path.relative_to(out).as_posix()
        text = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue  # a moved page: a pointer, not a page of its own
        found = descriptions(path)
        assert len(found) == 1 and found[0].strip(), relative
        seen[relative] = found[0]
    # Each kind of page says what it is.
    assert seen["data/index.html"].startswith("Every published record of Harbour Watch")
    assert "Port Authority" in seen["entity/port-authority/index.html"]
    assert seen["404.html"] != seen["index.html"] != seen["search/index.html"]
    assert len({seen[p] for p in seen if p.startswith(("category/", "tag/", "year/"))}) > 3
    # A record's is its summary, read back as text: escaped, so no element came of it.
    assert seen["incident/hostile/index.html"] == HOSTILE
    raw = (out / "incident/hostile/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in raw
    assert seen["incident/pier-arrests/index.html"] == (
        "The port authority shut the northern pier overnight, stranding fishing crews."
    )
