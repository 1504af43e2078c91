"""A record as a reference manager imports it: BibTeX, RIS and CSL-JSON.

Record text comes from outside sources, so every value is made safe for its format: in BibTeX
the special characters are escaped and braces can never unbalance an entry; in RIS, where a
line break starts a new tag, whitespace runs (newlines included) become one space. The plain
citation line is `casework.model.derived.citation`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import quote

from casework.model import Record, Site, display_date, record_url

# Characters that are not whitespace but would still break a one-line value (NUL, escapes,
# other C0/C1 controls); whitespace is collapsed separately.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")

_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIALS = re.compile("[" + re.escape("".join(_BIBTEX_ESCAPES)) + "]")
# Characters that must not appear raw in a BibTeX url field (read verbatim, so `\%` would be
# taken literally): percent-encoding keeps the URL the same URL.
_URL_UNSAFE = re.compile(r"[\s{}\\\"<>^`|]")


def one_line(text: str) -> str:
    """`text` with every run of whitespace (line and paragraph separators too) as one space
    and control characters dropped."""
    return _CONTROLS.sub("", " ".join(text.split()))


def bibtex_escape(text: str) -> str:
    """`text` as a BibTeX/LaTeX value: one line, special characters escaped in one pass (so
    the braces an escape adds are never escaped again)."""
    return _BIBTEX_SPECIALS.sub(lambda m: _BIBTEX_ESCAPES[m.group()], one_line(text))


def _bibtex_url(url: str) -> str:
    return _URL_UNSAFE.sub(lambda m: quote(m.group(), safe=""), one_line(url))


def _note(record: Record) -> str:
    return f"Published {display_date(record.date)}. Updated {display_date(record.last_updated)}."


def version_url(site: Site, slug: str, version: int) -> str:
    """The address of a record's public version `version` (casework.evidence.published)."""
    return f"{record_url(site, slug)}v/{version}.json"


def _version_note(record: Record, site: Site, version: int | None) -> str:
    """The note, and with a public version the version cited and where it stays as it is."""
    note = _note(record)
    if version is None:
        return note
    return f"{note} Version {version}: {version_url(site, record.slug, version)}"


def bibtex(record: Record, site: Site, version: int | None = None) -> str:
    """An `@misc` entry keyed by the slug (slugs hold only a-z, 0-9 and hyphens, which BibTeX
    and biber accept in keys). `url`/`urldate` are biblatex fields; `year` and `howpublished`
    keep classic BibTeX styles showing the date and address. With the record's public
    `version`, biblatex's `version` field and the version's address in `note`."""
    url = _bibtex_url(record_url(site, record.slug))
    fields = [
        # Double braces keep the title's capitalisation as written (names, acronyms).
        ("title", "{" + bibtex_escape(record.title) + "}"),
        ("url", url),
        # Inside another field `\url` needs `%` and `#` escaped; the url field is verbatim.
        ("howpublished", r"\url{" + url.replace("%", r"\%").replace("#", r"\#") + "}"),
        ("date", record.date.isoformat()),
        ("year", str(record.date.year)),
        ("urldate", record.last_updated.isoformat()),
        *([("version", str(version))] if version is not None else []),
        ("organization", bibtex_escape(site.title)),
        ("abstract", bibtex_escape(record.summary)),
        ("note", bibtex_escape(_version_note(record, site, version))),
    ]
    if record.tags:
        fields.append(("keywords", bibtex_escape(", ".join(record.tags))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{record.slug},\n{body}\n}}\n"


def _ris_date(value: date) -> str:
    return value.strftime("%Y/%m/%d/")


def ris(record: Record, site: Site, version: int | None = None) -> str:
    """A RIS `ELEC` (web page) entry, `\\n`-separated lines. Every value is one line: a line
    break inside a value would start a new tag in the reader. With the record's public
    `version`: `ET` (edition) and the version's address in the note."""
    lines = [
        ("TY", "ELEC"),
        ("ID", record.slug),
        ("TI", record.title),
        ("T2", site.title),
        ("PB", site.title),
        ("PY", str(record.date.year)),
        ("DA", _ris_date(record.date)),
        ("Y2", _ris_date(record.last_updated)),
        ("UR", record_url(site, record.slug)),
        *([("ET", f"Version {version}")] if version is not None else []),
        ("AB", record.summary),
        *(("KW", tag) for tag in record.tags),
        ("N1", _version_note(record, site, version)),
    ]
    text = "".join(f"{tag}  - {one_line(value)}\n" for tag, value in lines)
    return text + "ER  - \n"


def _date_parts(value: date) -> dict[str, Any]:
    return {"date-parts": [[value.year, value.month, value.day]]}


def csl_json(record: Record, site: Site, version: int | None = None) -> dict[str, Any]:
    """A CSL-JSON item (the form Zotero, Pandoc and citeproc read). `issued` is the record's
    date, as in the site's own citation ("Published ..."); CSL has no variable for a later
    revision, so the update date goes in `note` rather than stretching `original-date`
    (an earlier edition) or `accessed` (the reader's visit) to mean it. With the record's
    public `version`: CSL's `version` and the version's address in `note`."""
    item = {
        "id": record.slug,
        "type": "webpage",
        "title": record.title,
        "container-title": site.title,
        "publisher": site.title,
        "URL": record_url(site, record.slug),
        "issued": _date_parts(record.date),
        "abstract": record.summary,
        "keyword": ", ".join(record.tags),
        "note": _version_note(record, site, version),
    }
    if version is not None:
        item["version"] = str(version)
    return item


__all__ = ["bibtex", "bibtex_escape", "csl_json", "one_line", "ris", "version_url"]
