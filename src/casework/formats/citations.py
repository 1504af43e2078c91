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
    and biber accept in keys).

    The organisation is the author, in double braces (a corporate name: not split into first
    and last names), and no `publisher` copy of it (APA printed it twice). The address is
    given once, in `url`, which biblatex and pybtex's styles print (a `howpublished` copy
    printed it twice). There is no `urldate`: that is the day a reader looked, which only the
    reader knows. With the record's public
    `version`, biblatex's `version` field and the version's address in `note`."""
    organization = bibtex_escape(site.organization)
    fields = [
        ("author", "{" + organization + "}"),
        # Double braces keep the title's capitalisation as written (names, acronyms, $5B).
        ("title", "{" + bibtex_escape(record.title) + "}"),
        ("url", _bibtex_url(record_url(site, record.slug))),
        ("date", record.date.isoformat()),
        ("year", str(record.date.year)),
        *([("version", str(version))] if version is not None else []),
        # The site, when it is named otherwise than its organisation (pandoc reads it as the
        # container, pybtex's styles print it).
        *([("howpublished", bibtex_escape(site.title))] if site.title != site.organization else []),
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
    break inside a value would start a new tag in the reader. The organisation is the author
    (`AU`, one name without a comma: a corporate author) and publisher; the site is `T2` only
    when it is named otherwise. No `Y2` (access date: the reader's). With the record's public
    `version`: `ET` (edition) and the version's address in the note."""
    organization = site.organization
    lines = [
        ("TY", "ELEC"),
        ("ID", record.slug),
        ("AU", organization),
        ("TI", record.title),
        *([("T2", site.title)] if site.title != organization else []),
        ("PB", organization),
        ("PY", str(record.date.year)),
        ("DA", _ris_date(record.date)),
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
    """A CSL-JSON item (the form Zotero, Pandoc and citeproc read). The organisation is the
    author (a `literal` name, never split), with no `publisher` copy of it; the site's title is
    the container only when it differs from the organisation's name: APA and Chicago print the
    author, the container and the publisher, and a site named like its publisher came out
    twice.
    `issued` is the record's date, as in the site's own citation ("Published ..."); CSL has no
    variable for a later revision, so the update date goes in `note` rather than stretching
    `original-date` (an earlier edition) or `accessed` (the reader's visit) to mean it. With
    the record's public `version`: CSL's `version` and the version's address in `note`."""
    organization = site.organization
    item: dict[str, Any] = {
        "id": record.slug,
        # "document", not "webpage": APA prints no version for a web page, and a record is
        # cited by its version.
        "type": "document",
        "title": record.title,
        "author": [{"literal": organization}],
        **({"container-title": site.title} if site.title != organization else {}),
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
