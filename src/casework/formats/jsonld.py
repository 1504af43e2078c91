"""A record as schema.org JSON-LD, for search engines and linked-data readers, and the JSON text
that can sit inside an HTML `<script type="application/ld+json">` element."""

from __future__ import annotations

import json
from typing import Any

from casework.model import Record, Site, record_url

# Inside a <script> element the HTML parser ends the element at `</script` whatever the JSON
# means, and `<!--` changes how it scans; JavaScript before ES2019 took U+2028/2029 for line
# ends. As \uXXXX escapes these are the same JSON strings and cannot touch the HTML.
_SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def _organization(name: str, url: str | None = None) -> dict[str, Any]:
    org: dict[str, Any] = {"@type": "Organization", "name": name}
    if url:
        org["url"] = url
    return org


def _website(site: Site) -> dict[str, Any]:
    return {"@type": "WebSite", "@id": site.url + "/", "name": site.title, "url": site.url + "/"}


def record_jsonld(record: Record, site: Site) -> dict[str, Any]:
    """A schema.org `Report` on the incident (an `Event` it is `about`), with its sources as
    `citation`s. Dates are ISO `YYYY-MM-DD`."""
    url = record_url(site, record.slug)
    labels = site.vocabularies
    event: dict[str, Any] = {
        "@type": "Event",
        "name": record.title,
        "startDate": record.date.isoformat(),
        "description": record.summary,
    }
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Report",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": record.title,
        "name": record.title,
        "description": record.summary,
        "datePublished": record.date.isoformat(),
        "dateModified": record.last_updated.isoformat(),
        "articleSection": labels.label("category", record.category),
        "keywords": list(record.tags),
        "about": event,
        "publisher": _organization(site.title, site.url + "/"),
        "isPartOf": _website(site),
        "citation": [
            {
                "@type": "CreativeWork",
                "url": source.url,
                "name": source.title,
                "publisher": _organization(source.publisher),
            }
            for source in record.sources
        ],
    }
    return data


def jsonld_script_body(data: dict[str, Any]) -> str:
    """`data` as JSON text to place, unescaped, between `<script type="application/ld+json">`
    and `</script>`: `<`, `>`, `&` and U+2028/2029 are written as \\uXXXX escapes (they can
    only occur inside JSON strings, so replacing them in the text is exact)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # One str.replace per character the text holds: translate() was a tenth of a record
    # page's time.
    for char, escaped in _SCRIPT_ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    return text


__all__ = ["jsonld_script_body", "record_jsonld"]
