"""Rendering one page: the templates applied to a page's context or to a record (shared by
the static build and the live site)."""

from __future__ import annotations

from base64 import b64encode
from collections import defaultdict
from functools import lru_cache, partial
from typing import Any
from urllib.parse import urlsplit

import orjson
from markupsafe import Markup, escape

from casework.formats import dumps, record_document
from casework.formats.citations import bibtex, csl_json, ris
from casework.formats.jsonld import jsonld_script_body, record_jsonld
from casework.model import Record, Site, StatuteCatalog, derived_fields, slugify
from casework.model.provenance import footnotes
from casework.render import i18n
from casework.render.chart import monthly_chart_svg
from casework.render.templates import environment, human_date


# Cached: a site plan asks for the same few thousand tags' and statutes' slugs ~100,000 times.
@lru_cache(maxsize=65_536)
@lru_cache(maxsize=65_536)  # per provision of every card, each plan (publish/plan.py)
def statute_slug(statute: str) -> str:
    return slugify(statute) or "statute"


def statute_page(statute: str, catalog: StatuteCatalog) -> tuple[str, str]:
    """(name, slug) of the /law/ page that lists a provision citing `statute`: its canonical
    name's when the catalog knows it (every spelling of a statute shares one page), its own
    otherwise."""
    found = catalog.resolve(statute)
    name = found.name if found is not None else statute.strip()
    return name, statute_slug(name)


@lru_cache(maxsize=65_536)
def tag_slug(tag: str) -> str:
    return slugify(tag) or "tag"


def base_path(site: Site) -> str:
    """The URL path the site lives under ("/" or "/tracker/"): every link starts with it."""
    return urlsplit(site.url).path.rstrip("/") + "/"


def common(site: Site) -> dict[str, Any]:
    vocab = site.vocabularies
    language = site.language
    return {
        "site": site,
        "base": base_path(site),
        "labels": {
            name: vocabulary_labels(vocab.get(name), language)
            for name in ("category", "severity", "posture")
        },
        "classifications": vocabulary_labels(vocab.get("classification"), language),
        "severity_rank": {key: i for i, key in enumerate(vocab.get("severity"))},
        "tag_slug": tag_slug,
        "card": card_html if language == "en" else partial(card_html, language=language),
        "statute_slug": statute_slug,
        # A listing's form as the build renders it, by what it shows (`listing_form`).
        "listing_forms": {},
    }


def vocabulary_labels(labels: dict[str, str], language: str) -> dict[str, str]:
    """A vocabulary's labels in `language`: the default labels have translations
    (render/vocabulary_labels.py); a tracker's own labels are its own words, kept."""
    if language == "en":
        return labels
    return {key: i18n.gettext(language, label) for key, label in labels.items()}


def card_html(
    brief: dict[str, Any],
    base: str,
    labels: dict[str, dict[str, str]],
    level: int = 3,
    language: str = "en",
) -> Markup:
    """One record in a listing, its title a heading of `level` (2 right under a page's h1, 3
    under a section's h2: heading levels never skip). Written in Python, not a Jinja macro,
    and memoised: a record shows in eight or so listings per build, and the macro was most
    of a listing's time."""
    return _card_html(
        tuple(sorted(brief.items())),
        base,
        tuple((name, tuple(vocab.items())) for name, vocab in labels.items()),
        level,
        language,
    )


@lru_cache(maxsize=65536)
def _card_html(
    items: tuple[tuple[str, Any], ...],
    base: str,
    labels: tuple[tuple[str, tuple[tuple[str, str], ...]], ...],
    level: int,
    language: str,
) -> Markup:
    r = dict(items)
    vocab = {name: dict(pairs) for name, pairs in labels}
    e = escape
    h = f"h{int(level)}"
    ongoing_word = e(i18n.gettext(language, "Ongoing"))
    ongoing = f' <span class="badge ongoing">{ongoing_word}</span>' if r["ongoing"] else ""
    # A search hit shows its snippet (search's own HTML: escaped text, matches in <mark>)
    # where a listing shows the summary; search.js makes the same paragraph.
    snippet = r.get("snippet")
    text = f'<p class="snippet">{snippet}</p>' if snippet else f"<p>{e(r['summary'])}</p>"
    # Severity (and "ongoing") are the badges that matter, drawn filled; category and
    # evidentiary standing are quieter labels after the date.
    # Every value is escaped above, so the markup is safe to mark as such.
    return Markup(  # noqa: S704
        f'<li class="card">\n  <{h}><a href="{e(base)}incident/{e(r["slug"])}/">{e(r["title"])}'
        f'</a></{h}>\n  <p class="meta"><span class="badge sev-{e(r["severity"])}">'
        f"{e(vocab['severity'].get(r['severity'], r['severity']))}</span>{ongoing} "
        f'<time datetime="{e(r["date"])}">{e(human_date(r["date"], language))}</time>'
        f' · <span class="label">{e(vocab["category"].get(r["category"], r["category"]))}</span>'
        f' · <span class="label posture">'
        f"{e(vocab['posture'].get(r['posture'], r['posture']))}</span></p>"
        f"\n  {text}\n</li>"
    )


def render_page(template: str, path: str, context: dict[str, Any], shared: dict[str, Any]) -> str:
    """A planned page: `shared` is `common(site)`, `path` its output path."""
    extra: dict[str, Any] = {"path": path}
    language = shared["site"].language
    if "chart" in context:
        categories = shared["labels"]["category"]
        extra["chart_svg"] = monthly_chart_svg(context["chart"], categories, language=language)
        extra["chart_svg_narrow"] = monthly_chart_svg(
            context["chart"], categories, narrow=True, language=language
        )
    if template == "listing.html" and not context.get("live"):
        extra["listing_form"] = listing_form(shared, context)
    return environment(language).get_template(template).render(shared | context | extra)


def listing_form(shared: dict[str, Any], context: dict[str, Any]) -> Markup:
    """A built listing's form (_macros.html `listing_tools`), rendered once for all its pages:
    a listing's pages share its facets, and the form's options (every tag, year and country
    with its count) were most of each page's time (900 of a 3,000-record site's 1,660 listing
    pages are a tag listing's page 2 or later)."""
    kind = context["kind"]
    default_sort = "oldest" if kind == "year" else "newest"
    key = orjson.dumps([context["facets"], context["listing_path"], default_sort])
    forms: dict[bytes, Markup] = shared["listing_forms"]
    found = forms.get(key)
    if found is None:
        macros = environment(shared["site"].language).get_template("_macros.html").module
        found = forms[key] = macros.listing_tools(  # type: ignore[attr-defined]
            context["facets"], shared["labels"], None, default_sort, shared["base"],
            context["listing_path"], shared["severity_rank"],
        )  # fmt: skip
    return found


def data_uri(text: str, media_type: str) -> str:
    # base64 rather than percent-encoding: the same link, and encoded in C.
    return f"data:{media_type};charset=utf-8;base64,{b64encode(text.encode()).decode()}"


def record_page(
    record: Record,
    site: Site,
    shared: dict[str, Any],
    related: list[tuple[str, str, str]],
    version: int | None = None,
) -> str:
    """The record's page; `related` is (slug, title, date) of the published records it names;
    `version` its current public version, which the citation forms carry."""
    # Grouped as written (authored data is shown as authored), linked to the statute's page.
    catalog = site.statute_catalog()
    law: dict[str, list[Any]] = defaultdict(list)
    for provision in record.international_law:
        law[provision.statute].append(provision)
    csl = dumps([csl_json(record, site, version)])
    bib, ris_text = bibtex(record, site, version), ris(record, site, version)
    citations = [
        ("BibTeX", bib, data_uri(bib, "application/x-bibtex"), f"{record.slug}.bib"),
        (
            "RIS",
            ris_text,
            data_uri(ris_text, "application/x-research-info-systems"),
            f"{record.slug}.ris",
        ),
        (
            "CSL-JSON",
            csl,
            data_uri(csl, "application/vnd.citationstyles.csl+json"),
            # Not SLUG.json: that is the record's own JSON, which the page also offers.
            f"{record.slug}.csl.json",
        ),
    ]
    return (
        environment(site.language)
        .get_template("record.html")
        .render(
            shared,
            path=f"incident/{record.slug}/index.html",
            record=record,
            d=derived_fields(record, site),
            law=[
                (statute, statute_page(statute, catalog)[1], items)
                for statute, items in law.items()
            ],
            related=related,
            citations=citations,
            notes=footnotes(record),
            jsonld=jsonld_script_body(record_jsonld(record, site)),
        )
    )


def record_json(record: Record, site: Site, generated_at: str) -> str:
    return dumps(record_document(record, site, generated_at))
